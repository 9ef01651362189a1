// Camps: two entities' ecosystems side by side, as `ecograph compare` works them out
// (ecograph/analysis/camps.py): a camp is an entity and everything it owns (OWNS, followed
// down); its partners are the entities tied to any camp member by any tie, whatever the
// filters. The answer: both camps, the partners they share (less either camp), the partners of
// one only, and the bridges, the ties joining the two camps.
//
// On the map: each camp's members haloed in its colour with the ties inside it, the shared
// partners in a third colour with the ties that reach them from each camp, the bridges in a
// fourth; the rest fades.
var EcographCamps = (function () {
  "use strict";
  var A = "#0033cc", B = "#cc3300", SHARED = "#7b3294", BRIDGE = "#d01c8b";
  var E = EcographAnalyses;

  function campOf(data, head) {
    var owns = {};
    data.edges.forEach(function (e) { if (e.type === "OWNS") { (owns[e.from] = owns[e.from] || []).push(e.to); } });
    var camp = {}, todo = [head];
    camp[head] = true;
    while (todo.length) {
      (owns[todo.pop()] || []).forEach(function (owned) {
        if (!camp[owned]) { camp[owned] = true; todo.push(owned); }
      });
    }
    return camp;
  }

  // Each partner of `camp` (an entity outside it tied to a member) with the ids of those ties.
  function partners(data, camp) {
    var ties = {};
    data.edges.forEach(function (e) {
      [[e.from, e.to], [e.to, e.from]].forEach(function (pair) {
        if (camp[pair[0]] && !camp[pair[1]]) { (ties[pair[1]] = ties[pair[1]] || []).push(e.id); }
      });
    });
    return ties;
  }

  function compare(data, byId, a, b) {
    var ca = campOf(data, a), cb = campOf(data, b), ta = partners(data, ca), tb = partners(data, cb);
    function byName(ids) {
      return ids.sort(function (x, y) {
        var nx = byId[x].name_en || x, ny = byId[y].name_en || y;
        return nx < ny ? -1 : (nx > ny ? 1 : (x < y ? -1 : (x > y ? 1 : 0)));
      });
    }
    var shared = byName(Object.keys(ta).filter(function (n) { return tb[n] && !ca[n] && !cb[n]; }));
    return {
      a: { id: a, camp: Object.keys(ca).sort() }, b: { id: b, camp: Object.keys(cb).sort() },
      shared: shared.map(function (n) { return { id: n, ties_a: ta[n], ties_b: tb[n] }; }),
      only_a: byName(Object.keys(ta).filter(function (n) { return !tb[n] && !cb[n]; })),
      only_b: byName(Object.keys(tb).filter(function (n) { return !ta[n] && !ca[n]; })),
      bridges: data.edges.filter(function (e) { return (ca[e.from] && cb[e.to]) || (cb[e.from] && ca[e.to]); })
        .map(function (e) { return e.id; })
    };
  }

  function marks(answer, data) {
    var nodes = {}, edges = {}, inA = {}, inB = {};
    answer.a.camp.forEach(function (n) { inA[n] = true; nodes[n] = { color: A, key: "a" }; });
    answer.b.camp.forEach(function (n) { inB[n] = true; nodes[n] = { color: inA[n] ? SHARED : B, key: inA[n] ? "ab" : "b" }; });
    data.edges.forEach(function (e) {  // the ties inside each camp
      if (inA[e.from] && inA[e.to]) { edges[e.id] = { color: A, width: 3, key: "a" }; }
      if (inB[e.from] && inB[e.to]) { edges[e.id] = { color: B, width: 3, key: "b" }; }
    });
    answer.shared.forEach(function (s) {
      nodes[s.id] = { color: SHARED, key: "shared" };
      s.ties_a.forEach(function (id) { edges[id] = { color: A, width: 3, key: "a" }; });
      s.ties_b.forEach(function (id) { edges[id] = { color: B, width: 3, key: "b" }; });
    });
    answer.bridges.forEach(function (id) { edges[id] = { color: BRIDGE, width: 6, key: "bridge" }; });
    return { nodes: nodes, edges: edges };
  }

  function check(args, data, byId) {
    if (!args || args.length !== 2 || !byId[args[0]] || !byId[args[1]]) { return null; }
    return [String(args[0]), String(args[1])];
  }

  function title(answer, data, byId) {
    return "Camps: " + byId[answer.a.id].name_en + " and " + byId[answer.b.id].name_en;
  }

  function list(ids, byId) {
    var ul = E.el("ul", "names");
    ids.forEach(function (id) { ul.appendChild(E.el("li", null, E.name(byId[id]))); });
    return ul;
  }
  function body(answer, data, byId) {
    var box = E.el("div", "camps"), byEdge = {};
    data.edges.forEach(function (e) { byEdge[e.id] = e; });
    [[answer.a, A], [answer.b, B]].forEach(function (side) {
      var head = byId[side[0].id];
      box.appendChild(E.heading(head.name_en + "'s camp (" + side[0].camp.length + ")", side[1]));
      box.appendChild(E.el("p", "meaning", "It and everything it owns."));
      box.appendChild(list(side[0].camp, byId));
    });
    box.appendChild(E.heading("Shared partners (" + answer.shared.length + ")", SHARED));
    box.appendChild(list(answer.shared.map(function (s) { return s.id; }), byId));
    box.appendChild(E.heading("Ties between the camps (" + answer.bridges.length + ")", BRIDGE));
    var ol = E.el("ul", "ties");
    answer.bridges.forEach(function (id) {
      var e = byEdge[id];
      ol.appendChild(E.el("li", null, (e.about && e.about.says) || e.title));
    });
    box.appendChild(ol);
    box.appendChild(E.el("p", "meaning", "Partners of one camp only: " + answer.only_a.length + " of " +
                         byId[answer.a.id].name_en + "'s, " + answer.only_b.length + " of " + byId[answer.b.id].name_en + "'s."));
    return box;
  }

  E.register("camps", {
    check: check, run: function (data, byId, args) { return compare(data, byId, args[0], args[1]); },
    marks: marks, title: title, body: body
  });
  return { compare: compare, colours: { a: A, b: B, shared: SHARED, bridge: BRIDGE } };
})();
