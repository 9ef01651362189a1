// The year diff: the ties that appeared after year A, up to year B, as `ecograph timeline
// --diff A B` finds them (ecograph/analysis/history.py): dated ties with A < year <= B, of any
// type. On the map the network as of B stays where it is (the same layout), the ties that
// appeared drawn bold in green with their ends haloed, the rest faded.
var EcographDiff = (function () {
  "use strict";
  var NEW = "#1a9850";
  var E = EcographAnalyses;

  function appeared(data, first, second) {
    var ties = data.edges.filter(function (e) {
      return e.year !== null && e.year !== undefined && e.year > first && e.year <= second;
    });
    ties.sort(function (x, y) { return x.year - y.year || x.id - y.id; });
    var ends = {};
    ties.forEach(function (e) { ends[e.from] = ends[e.to] = true; });
    return { from: first, to: second, appeared: ties.map(function (e) { return e.id; }), entities: Object.keys(ends).sort() };
  }

  function check(args) {
    if (!args || args.length !== 2) { return null; }
    var a = Number(args[0]), b = Number(args[1]);
    if (!isFinite(a) || !isFinite(b) || Math.floor(a) !== a || Math.floor(b) !== b || a >= b) { return null; }
    return [a, b];
  }

  function marks(answer) {
    var nodes = {}, edges = {};
    answer.entities.forEach(function (n) { nodes[n] = { color: NEW, key: "new" }; });
    answer.appeared.forEach(function (id) { edges[id] = { color: NEW, width: 5, key: "new" }; });
    return { nodes: nodes, edges: edges };
  }

  function title(answer) { return "New ties after " + answer.from + ", up to " + answer.to; }

  function body(answer, data) {
    var box = E.el("div", "diff"), byEdge = {}, year = null, list = null;
    data.edges.forEach(function (e) { byEdge[e.id] = e; });
    box.appendChild(E.heading(answer.appeared.length + (answer.appeared.length === 1 ? " tie" : " ties") + " appeared, among " +
                              answer.entities.length + " entities", NEW));
    answer.appeared.forEach(function (id) {
      var e = byEdge[id];
      if (e.year !== year) {
        year = e.year;
        box.appendChild(E.el("h4", null, String(year)));
        list = box.appendChild(E.el("ul", "ties"));
      }
      list.appendChild(E.el("li", null, (e.about && e.about.says) || e.title));
    });
    return box;
  }

  E.register("diff", {
    check: check, run: function (data, byId, args) { return appeared(data, args[0], args[1]); },
    marks: marks, title: title, body: body,
    // The network as of the second year: every tie up to it, the new ones marked.
    viewState: function (state) { return Object.assign({}, state, { since: -Infinity }); }
  });
  return { appeared: appeared, colour: NEW };
})();
