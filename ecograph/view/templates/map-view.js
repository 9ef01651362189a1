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

  // A grouped map (data.groups): an entity in a closed camp shows as its camp's node, so it
  // and its ties are not shown on their own; a camp's node shows while it is closed, and a tie
  // between two closed camps (data.groupTies) shows between their nodes, and one from an opened
  // camp to a closed one (`toCamps`) between the entity and the closed camp's node.
  function closed(state, n) { return n.camp !== null && n.camp !== undefined && !state.open[n.camp]; }

  // The data as numbers, made once a page: each tie's ends (node positions), type and year
  // (NaN: undated), each node's kind and camp (-1: none). `compute` runs on every click and
  // filter change: over 100,000 ties, looking ends up by id and comparing strings took 140 ms
  // of a camp's opening on a loaded 2-core machine; these loops take a few.
  var index = null;
  function indexOf(data) {
    if (index && index.data === data && index.count === data.edges.length) { return index; }
    var at = {}, kinds = [], kindAt = {}, types = [], typeAt = {}, n = data.nodes.length, m = data.edges.length;
    var kind = new Int32Array(n), camp = new Int32Array(n), from = new Int32Array(m), to = new Int32Array(m);
    var type = new Int32Array(m), year = new Float64Array(m);
    data.nodes.forEach(function (node, i) {
      at[node.id] = i;
      if (!kindAt.hasOwnProperty(node.kind)) { kindAt[node.kind] = kinds.length; kinds.push(node.kind); }
      kind[i] = kindAt[node.kind];
      camp[i] = node.camp === null || node.camp === undefined ? -1 : node.camp;
    });
    data.edges.forEach(function (e, i) {
      from[i] = at[e.from]; to[i] = at[e.to];
      if (!typeAt.hasOwnProperty(e.type)) { typeAt[e.type] = types.length; types.push(e.type); }
      type[i] = typeAt[e.type];
      year[i] = e.year === null || e.year === undefined ? NaN : e.year;
    });
    index = { data: data, count: m, at: at, kinds: kinds, types: types, kind: kind, camp: camp, from: from, to: to,
              type: type, year: year };
    return index;
  }
  function switches(names, on) { return Uint8Array.from(names, function (k) { return on[k] ? 1 : 0; }); }

  function compute(data, byId, state) {
    var nodes = {}, edges = {}, near = null, focusEdges = [], focusOnly = {}, groups = {}, groupTies = [], toCamps = [];
    var grouped = !!data.groups, ix = indexOf(data), kindOn = switches(ix.kinds, state.kinds);
    var typeOn = switches(ix.types, state.types), touched = new Uint8Array(data.nodes.length);
    var since = state.since, until = state.until, count = data.edges.length, i, a, b, y;
    var shut = new Uint8Array(data.nodes.length);  // in a closed camp
    if (grouped) { for (i = 0; i < shut.length; i++) { shut[i] = ix.camp[i] >= 0 && !state.open[ix.camp[i]] ? 1 : 0; } }
    for (i = 0; i < count; i++) {
      y = ix.year[i]; a = ix.from[i]; b = ix.to[i];
      if (!typeOn[ix.type[i]] || (y === y && !(y >= since && y <= until)) || !kindOn[ix.kind[a]] || !kindOn[ix.kind[b]]) {
        continue;
      }
      if (!shut[a] && !shut[b]) {
        edges[data.edges[i].id] = true; touched[a] = touched[b] = 1;
      } else if (shut[a] !== shut[b]) {  // from an opened camp to a closed one: drawn to the camp's node
        var e = data.edges[i], inside = shut[a] ? b : a, outside = shut[a] ? a : b;
        touched[inside] = 1;
        toCamps.push({ id: "to-camp:" + e.id, from: data.nodes[inside].id, to: "camp:" + ix.camp[outside], color: e.color,
                       width: e.width, dashes: e.dashes, group: e.group });
      }
    }
    data.nodes.forEach(function (n, k) {
      if (kindOn[ix.kind[k]] && (state.keepUntied || touched[k]) && !shut[k]) { nodes[n.id] = true; }
    });
    if (grouped) {
      data.groups.forEach(function (g) { if (!state.open[g.camp]) { groups[g.id] = true; } });
      groupTies = data.groupTies.filter(function (t) { return !state.open[t[0]] && !state.open[t[1]]; });
    }
    var f = state.focus !== null && byId[state.focus] ? ix.at[state.focus] : undefined;
    if (f !== undefined) {
      near = {}; near[state.focus] = nodes[state.focus] = true;
      for (i = 0; i < count; i++) {
        y = ix.year[i];
        if ((ix.from[i] === f || ix.to[i] === f) && (y !== y || (y >= since && y <= until))) {
          var tie = data.edges[i];
          if (!edges[tie.id]) { focusOnly[tie.id] = true; }  // shown only for the focus
          edges[tie.id] = true; near[tie.from] = near[tie.to] = nodes[tie.from] = nodes[tie.to] = true;
          focusEdges.push(tie.id);
        }
      }
    }
    return { nodes: nodes, edges: edges, near: near, focusEdges: focusEdges, focusOnly: focusOnly, groups: groups,
             groupTies: groupTies, toCamps: toCamps };
  }

  // Whether vis-network holds an entity at all. A big map gives it only those shown: it parses
  // every node it holds, shown or hidden, and a hidden node's update costs as much as adding it,
  // while removing one costs next to nothing. A member of a closed camp (its camp's node stands
  // for it) is left out unless it shows on its own, at the end of a focused entity's tie.
  function held(data, state, view, n) { return !!view.nodes[n.id] || !(data.big || (data.groups && closed(state, n))); }

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
