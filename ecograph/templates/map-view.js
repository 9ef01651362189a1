// What the map shows, computed from the state alone: which entities and ties are visible and
// which are faded around a focused entity. No DOM and no vis-network here, so the rules read
// in one place.
//
//   - A tie shows when its type is on, both its ends' kinds are on, and its year (if dated) is
//     in the range.
//   - An entity shows when its kind is on and it has a tie showing, or when `keepUntied` is on.
//   - The focused entity shows with all its ties in the year range and the entities at their
//     other ends, whatever the kind and type filters; everything else is faded.
var EcographView = (function () {
  "use strict";

  function inYears(state, e) {
    return e.year === null || e.year === undefined || (e.year >= state.since && e.year <= state.until);
  }

  function compute(data, byId, state) {
    var nodes = {}, edges = {}, near = null, touched = {}, focusEdges = [];
    data.edges.forEach(function (e) {
      if (state.types[e.type] && inYears(state, e) &&
          state.kinds[byId[e.from].kind] && state.kinds[byId[e.to].kind]) {
        edges[e.id] = true; touched[e.from] = touched[e.to] = true;
      }
    });
    data.nodes.forEach(function (n) {
      if (state.kinds[n.kind] && (state.keepUntied || touched[n.id])) { nodes[n.id] = true; }
    });
    if (state.focus !== null && byId[state.focus]) {
      near = {}; near[state.focus] = nodes[state.focus] = true;
      data.edges.forEach(function (e) {
        if ((e.from === state.focus || e.to === state.focus) && inYears(state, e)) {
          edges[e.id] = true; near[e.from] = near[e.to] = nodes[e.from] = nodes[e.to] = true;
          focusEdges.push(e.id);
        }
      });
    }
    return { nodes: nodes, edges: edges, near: near, focusEdges: focusEdges };
  }

  // The look vis-network gets for each item: hidden, and faded (outside the focus) or not.
  // vis-network parses each item's own options one by one (deep copies, fonts, colours: most of
  // the time a 100,000-tie map took to open), so an item carries only what differs from the
  // page's defaults; `first` is the look an item is made with, before any fade to undo.
  function nodeLook(n, view, faded, first) {
    var look = { id: n.id, hidden: !view.nodes[n.id] };
    if (first && !faded) { return look; }
    // vis-network fades a node's shape but not its label: the label fades by its colour.
    var text = n.font && n.font.color ? n.font.color : "#1a1a1a";
    look.opacity = faded ? 0.15 : 1;
    look.font = { color: faded ? "#c8c8c8" : text };
    return look;
  }
  function edgeLook(e, view, faded, first) {
    // The type's own colour also when selected or hovered (vis-network would grey it), and the
    // stake label fades with its tie.
    var look = { id: e.id, hidden: !view.edges[e.id] };
    if (first && !faded) { return look; }
    var c = e.color.color;
    look.color = { color: c, highlight: c, hover: c, opacity: faded ? 0.1 : 1 };
    if (e.label) { look.font = { color: faded ? "#c8c8c8" : "#1a1a1a" }; }
    return look;
  }

  return { compute: compute, nodeLook: nodeLook, edgeLook: edgeLook };
})();
