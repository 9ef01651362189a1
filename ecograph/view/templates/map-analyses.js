// The analyses the map runs by name (camps, the year diff, ...): each registers here what it needs, and
// the page keeps one active analysis in its state, `{name, args}`, which the link's fragment
// carries as `analysis=NAME,ARG,ARG` (map-url.js).
//
//   EcographAnalyses.register("camps", {
//     check: function (args, data, byId) { ... },   // the args it runs on (normalised), or null
//     run: function (data, byId, args) { ... },     // the answer, plain data (the API returns it)
//     marks: function (answer, data) { ... },       // {nodes: {id: mark}, edges: {id: mark}}
//     title: function (answer, data, byId) { ... },  // the answer's heading, a string
//     body: function (answer, data, byId) { ... }    // the answer in words, as DOM
//   });
//
// An analysis with a panel of its own (Path, Control and What if, map-analysis-view.js) keeps its
// own shape in the state and registers only how the link carries it:
//
//   EcographAnalyses.register("path", {
//     check: function (args, data, byId) { ... },   // as above
//     state: function (args) { ... },               // the state's analysis for these args
//     link: function (analysis) { ... }             // the args for the state's analysis, or null
//   });
//
// A mark is `{color, width?, key}`: an entity marked is drawn with a halo and a border of its
// colour, a tie in its colour (and width); everything unmarked fades, as around a focus. Marked
// items show whatever the filters: an analysis draws its whole answer.
var EcographAnalyses = (function () {
  "use strict";
  var kinds = {};

  function register(name, analysis) { kinds[name] = analysis; }
  function get(name) { return kinds.hasOwnProperty(name) && kinds[name].run ? kinds[name] : null; }

  // The link's `analysis=NAME,ARG,...` (`names`) as the state's analysis, or null when the map
  // cannot run it; and back: the state's analysis as `[NAME, ARG, ...]`, or null.
  function fromLink(names, byId) {
    var a = kinds.hasOwnProperty(names[0]) ? kinds[names[0]] : null;
    var args = a ? a.check(names.slice(1), null, byId) : null;
    if (!args) { return null; }
    return a.state ? a.state(args) : { name: names[0], args: args };
  }
  function toLink(analysis) {
    if (!analysis) { return null; }
    if (analysis.name) { return [analysis.name].concat(analysis.args.map(String)); }
    for (var name in kinds) {
      var args = kinds.hasOwnProperty(name) && kinds[name].link ? kinds[name].link(analysis) : null;
      if (args) { return [name].concat(args.map(String)); }
    }
    return null;
  }

  // The active analysis's answer and marks for `active` ({name, args}), or null when it cannot run.
  function compute(data, byId, active) {
    if (!active) { return null; }
    var a = get(active.name);
    var args = a ? a.check(active.args, data, byId) : null;
    if (!args) { return null; }
    var answer = a.run(data, byId, args);
    return { name: active.name, args: args, answer: answer, marks: a.marks(answer, data) };
  }

  // The state the view is computed from: an analysis may widen it (the diff shows the network
  // up to its second year, not only the ties of the slider's range).
  function viewState(state, result) {
    var a = result ? get(result.name) : null;
    return a && a.viewState ? a.viewState(state, result.args) : state;
  }
  // Marked items show whatever the filters: the entities, and the ties with their ends.
  function show(view, marks, data) {
    var byEdge = {};
    data.edges.forEach(function (e) { if (marks.edges[e.id]) { byEdge[e.id] = e; } });
    Object.keys(marks.nodes).forEach(function (id) { view.nodes[id] = true; });
    Object.keys(byEdge).forEach(function (id) {
      var e = byEdge[id];
      view.edges[e.id] = view.nodes[e.from] = view.nodes[e.to] = true;
    });
  }

  // The look vis-network gets for a marked entity, or the one that undoes a mark.
  function nodeMark(n, mark) {
    if (!mark) { return { color: n.color, borderWidth: 1, shadow: { enabled: false } }; }
    var fill = typeof n.color === "string" ? n.color : (n.color && n.color.background) || "#999999";
    return { color: { background: fill, border: mark.color, highlight: { background: fill, border: mark.color } },
             borderWidth: 5, shadow: { enabled: true, color: mark.color, size: 18, x: 0, y: 0 } };
  }
  function edgeMark(e, mark) {
    if (!mark) { return { width: e.width }; }  // its colour comes back with its look (map-view.js)
    return { color: { color: mark.color, highlight: mark.color, hover: mark.color, opacity: 1 },
             width: Math.max(e.width, mark.width || 4) };
  }

  // The box that says the answer in words, with a close button (`close()` ends the analysis).
  function describe(box, result, data, byId, close) {
    while (box.firstChild) { box.removeChild(box.firstChild); }
    box.hidden = !result;
    if (!result) { return; }
    var top = document.createElement("div"), shut = document.createElement("button");
    top.className = "top";
    shut.type = "button"; shut.className = "link"; shut.textContent = "×"; shut.title = "End this analysis (Escape)";
    shut.addEventListener("click", close);
    var a = get(result.name);
    top.appendChild(el("h2", null, a.title(result.answer, data, byId)));
    top.appendChild(shut);
    box.appendChild(top);
    box.appendChild(a.body(result.answer, data, byId));
  }

  // Small DOM helpers the analyses share (names always as text, never HTML).
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }
  function name(n) { return n.name_zh && n.name_zh !== n.name_en ? n.name_en + " / " + n.name_zh : n.name_en; }
  // A swatch of a mark's colour before a heading, so the box doubles as the marks' legend.
  function heading(text, color) {
    var h = el("h3", null, null), swatch = el("span", "swatch");
    swatch.style.background = color;
    h.appendChild(swatch); h.appendChild(document.createTextNode(text));
    return h;
  }

  return { register: register, get: get, fromLink: fromLink, toLink: toLink, compute: compute, viewState: viewState, show: show, nodeMark: nodeMark, edgeMark: edgeMark, describe: describe,
           el: el, name: name, heading: heading };
})();
