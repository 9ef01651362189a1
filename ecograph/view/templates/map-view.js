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

  // A grouped map (data.groups): an entity in a closed camp shows as its camp's node, so it
  // and its ties are not shown on their own; a camp's node shows while it is closed, and a tie
  // between two closed camps (data.groupTies) shows between their nodes, and one from an opened
  // camp to a closed one (`toCamps`) between the entity and the closed camp's node.
  function closed(state, n) { return n.camp !== null && n.camp !== undefined && !state.open[n.camp]; }

  function compute(data, byId, state) {
    var nodes = {}, edges = {}, near = null, touched = {}, focusEdges = [], groups = {}, groupTies = [], toCamps = [];
    var grouped = !!data.groups;
    data.edges.forEach(function (e) {
      var a = byId[e.from], b = byId[e.to];
      if (!(state.types[e.type] && inYears(state, e) && state.kinds[a.kind] && state.kinds[b.kind])) { return; }
      var shut = grouped && closed(state, a), shutB = grouped && closed(state, b);
      if (!shut && !shutB) {
        edges[e.id] = true; touched[e.from] = touched[e.to] = true;
      } else if (shut !== shutB) {  // from an opened camp to a closed one: drawn to the camp's node
        var inside = shut ? b : a, outside = shut ? a : b;
        touched[inside.id] = true;
        toCamps.push({ id: "to-camp:" + e.id, from: inside.id, to: "camp:" + outside.camp, color: e.color, width: e.width,
                       dashes: e.dashes, group: e.group });
      }
    });
    data.nodes.forEach(function (n) {
      if (state.kinds[n.kind] && (state.keepUntied || touched[n.id]) && !(grouped && closed(state, n))) { nodes[n.id] = true; }
    });
    if (grouped) {
      data.groups.forEach(function (g) { if (!state.open[g.camp]) { groups[g.id] = true; } });
      groupTies = data.groupTies.filter(function (t) { return !state.open[t[0]] && !state.open[t[1]]; });
    }
    if (state.focus !== null && byId[state.focus]) {
      near = {}; near[state.focus] = nodes[state.focus] = true;
      data.edges.forEach(function (e) {
        if ((e.from === state.focus || e.to === state.focus) && inYears(state, e)) {
          edges[e.id] = true; near[e.from] = near[e.to] = nodes[e.from] = nodes[e.to] = true;
          focusEdges.push(e.id);
        }
      });
    }
    return { nodes: nodes, edges: edges, near: near, focusEdges: focusEdges, groups: groups, groupTies: groupTies,
             toCamps: toCamps };
  }

  // Whether vis-network holds an entity at all: a member of a closed camp is left out (its
  // camp's node stands for it) unless it shows on its own, at the end of a focused entity's tie.
  function held(data, state, view, n) { return !!view.nodes[n.id] || !(data.groups && closed(state, n)); }

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

  return { compute: compute, held: held, nodeLook: nodeLook, edgeLook: edgeLook };
})();
