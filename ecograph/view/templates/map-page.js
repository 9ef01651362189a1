// The page: one state object, actions that change it, and `render()` that brings the map, the
// legend and the search list in line with it. Every action is reachable as `window.ecograph`
// (README, "The map"), which the browser tests drive.
(function () {
  "use strict";
  var timings = { start: performance.now() };  // when each step of opening ended (ecograph.timings)
  var data = EcographData.unpack(JSON.parse(document.getElementById("ecograph-data").textContent));
  timings.parsed = performance.now();
  var byId = {};
  data.nodes.forEach(function (n) { byId[n.id] = n; });
  var contextTypes = data.legend.types.filter(function (t) { return t.group === "context"; }).map(function (t) { return t.type; });

  // The opening view: alliances (equity and deal ties) on, context ties off, every kind on.
  function initialState() {
    var s = { kinds: {}, types: {}, keepUntied: false, since: null, until: null, focus: null, lang: data.lang,
              query: "", candidates: [], active: -1, open: {}, selected: null, analysis: null,
              pins: {}, camera: null };
    data.legend.kinds.forEach(function (k) { s.kinds[k.kind] = true; });
    data.legend.types.forEach(function (t) { s.types[t.type] = t.group !== "context"; });
    if (years.length) { s.since = years.min; s.until = years.max; }
    // A map with no alliances (a query for places, say) opens on its context ties; one with no
    // tie showing at all keeps its untied entities: a page never opens empty.
    if (!data.legend.types.some(function (t) { return t.group !== "context"; })) {
      data.legend.types.forEach(function (t) { s.types[t.type] = true; });
    }
    var opening = EcographView.compute(data, byId, s);
    if (!Object.keys(opening.nodes).length && !Object.keys(opening.groups).length) { s.keepUntied = true; }
    return s;
  }
  // The range of the ties' years, in one loop: Math.min.apply over a million years overflows the
  // stack, so no call here ever spreads a data-sized array into arguments.
  var years = { length: 0, min: Infinity, max: -Infinity };
  data.edges.forEach(function (e) {
    if (e.year !== null && e.year !== undefined) {
      years.length++;
      if (e.year < years.min) { years.min = e.year; }
      if (e.year > years.max) { years.max = e.year; }
    }
  });
  var state = initialState();
  // A link's view: the fragment sets the state over the opening one (map-url.js).
  var opening = EcographUrl.snapshot(state);
  function isTie(id) { return !!data.edges[id] && data.edges[id].id === id; }
  // A link's view, or (no fragment) the one the page was rendered with (`ecograph render --view`).
  EcographUrl.read(location.hash.replace(/^#/, "") ? location.hash : (data.view || ""), state, byId, isTie);

  // What each item was last drawn as (hidden, faded, label), so that only items whose look
  // changes go to vis-network: a filter change sends its delta, not 100,000 items. The items
  // start with the opening view's look: one pass, not a second over every item.
  var view = EcographView.compute(data, byId, state), shownAs = {}, marked = {}, analysis = null;
  function changed(key, drawnAs) {
    if (shownAs[key] === drawnAs) { return false; }
    shownAs[key] = drawnAs;
    return true;
  }
  // A big map gives vis-network an entity's label only once it has been in view at a zoom where
  // labels read (`labelled`, see `labelInView`): vis-network measures every label it is given,
  // and at 2,000 entities that was a third of opening. Shapes that hold their label (boxes,
  // ellipses) are sized by it, so they always carry it.
  var big = !!data.big, labelled = {}, INSIDE = { box: true, ellipse: true, circle: true, database: true, text: true };
  function labelOf(n) {
    return !big || labelled[n.id] || INSIDE[n.shape] ? n.labels[state.lang] || n.labels.both : undefined;
  }
  function nodeKey(n, faded) {  // what an entity is drawn as: shown or hidden, faded, its label's language
    return (view.nodes[n.id] ? "v" : "h") + (faded ? "f" : "") + (!big || labelled[n.id] || INSIDE[n.shape] ? state.lang : "");
  }
  // An entity as vis-network gets it. A big map gives vis-network only the entities it shows
  // (EcographView.held): it parses and measures every node it holds, hidden or not, 27.6 s of
  // opening 100,000 entities grouped; opening a camp or a filter adds entities, closing removes.
  // An entity as vis-network gets it, with an analysis' mark (map-analyses.js) when it has one.
  function markedNode(n, faded, mark) {
    var copy = visNode(n, faded);
    if (mark) { Object.assign(copy, EcographAnalyses.nodeMark(n, mark)); shownAs["n" + n.id] += mark.color; }
    return copy;
  }
  function visNode(n, faded) {
    var copy = Object.assign({}, n, EcographView.nodeLook(n, view, faded, true)), label = labelOf(n);
    delete copy.search; delete copy.labels; delete copy.label;
    if (label !== undefined) { copy.label = label; }
    shownAs["n" + n.id] = nodeKey(n, faded);
    return copy;
  }
  var shown = data.nodes.filter(function (n) { return EcographView.held(data, state, view, n); })
    .map(function (n) { return visNode(n, false); });
  // A big map opens with its biggest entities in vis-network and the rest arriving a slice a
  // frame (see `addNodes`), drawn as dots till then: making 1,459 nodes took 1.2 to 2.4 s.
  if (big) { shown.sort(function (a, b) { return b.size - a.size; }); }
  var arriving = big ? shown.slice(250) : [];
  var nodes = new vis.DataSet(big ? shown.slice(0, 250) : shown);
  // A grouped map's camps: one node each, labelled by its centre, bold so it reads zoomed out.
  var groupById = {};
  (data.groups || []).forEach(function (g) {
    groupById[g.id] = g;
    nodes.add({ id: g.id, label: g.label, x: g.x, y: g.y, size: g.size, shape: "dot", color: "#5b6f8a",
                hidden: !view.groups[g.id], title: g.members + " entities: click to open",
                font: { size: g.fontSize, color: "#1a1a1a", strokeWidth: g.fontSize / 6 }, borderWidth: 2 });
    shownAs["n" + g.id] = view.groups[g.id] ? "v" : "h";
  });
  // A big map (data.big) draws labels only once they are big enough to read, draws its ties
  // itself (EcographTies: vis-network holds none, so they have no tooltip), hides them while it
  // moves, and fades around a focus by drawing a veil over the canvas (see `drawFocus`) instead
  // of restyling every item: at 100,000 ties restyling took seconds a click.
  var edges = new vis.DataSet(big ? [] : data.edges.map(function (e) {
    shownAs["e" + e.id] = view.edges[e.id] ? "v" : "h";
    return Object.assign({}, e, EcographView.edgeLook(e, view, false, true));
  }));
  var drawnTies = [];  // a big map's visible ties, which the page draws
  timings.datasets = performance.now();
  var font = { size: data.fontSize, face: "Arial, 'Liberation Sans', 'Noto Sans CJK TC', 'Noto Sans CJK SC', sans-serif",
               color: "#1a1a1a", strokeWidth: 3, strokeColor: "#ffffff", multi: false };
  var network = new vis.Network(document.getElementById("map"), { nodes: nodes, edges: edges }, {
    physics: { enabled: false },
    layout: { improvedLayout: false },
    interaction: { hover: !big, tooltipDelay: 150, hideEdgesOnDrag: big, hideEdgesOnZoom: big },
    nodes: { font: font, borderWidth: 1, scaling: { label: { drawThreshold: big ? data.labelThreshold : 5 } } },
    edges: { smooth: false, font: { size: 13, align: "horizontal", color: "#1a1a1a", strokeWidth: 4, strokeColor: "#ffffff" },
             arrows: { to: { enabled: true, scaleFactor: 0.6 } } }
  });
  timings.network = performance.now();
  var drawnAt = null;
  network.once("afterDrawing", function () { drawnAt = timings.drawn = performance.now(); });

  // ---- render: state -> map, legend, search list --------------------------------------------
  var syncLegend = EcographLegend.build(document.getElementById("filters"), data.legend, {
    toggle: function (section, key, on) { state[section][key] = on; render(); },
    only: function (section, key) { Object.keys(state[section]).forEach(function (k) { state[section][k] = k === key; }); render(); },
    all: function (section, on) { Object.keys(state[section]).forEach(function (k) { state[section][k] = on; }); render(); },
    group: function (group, on) { setGroup(group, on); render(); }
  });
  function setGroup(group, on) {
    data.legend.types.forEach(function (t) { if (t.group === group) { state.types[t.type] = on; } });
  }

  // A big map: every visible tie goes to the list the page draws; the list (and the cached
  // picture of it) changes only when the set of visible ties does, not on a click. A focused
  // entity's ties are drawn on top of its veil (`drawFocus`): those the filters hide stay out
  // of the list, or each focus would redraw every tie (0.3 to 0.8 s at 20,000).
  function renderBigTies() {
    var now = data.edges.filter(function (e) { return view.edges[e.id] && !view.focusOnly[e.id]; }).concat(view.toCamps);
    var same = now.length === drawnTies.length && now.every(function (e, i) { return drawnTies[i].id === e.id; });
    if (!same) { drawnTies = now; tiesVersion++; }
    focusTies = view.focusEdges.map(function (id) { return byEdge[id]; });
  }
  var byEdge = {}, focusTies = [];
  if (big) { data.edges.forEach(function (e) { byEdge[e.id] = e; }); }
  function moving() { var r = network.renderer; return !!(r && (r.dragging || r.zooming)); }
  function drawTies(ctx) {
    if (draining) { drawWaiting(ctx); }
    if (!big || moving()) { return; }
    var body = network.body;
    if (view.groupTies.length) { drawGroupTies(ctx, body); }
    cachedTies(ctx, tiesVersion, drawnTies, function (id) { return body.nodes[id] || waiting[id]; }, network.getScale());
  }
  var tiesVersion = 0, cachedTies = EcographTies.cache();
  // Ties between closed camps: one grey line each, as wide as the log of the ties it stands for.
  function drawGroupTies(ctx, body) {
    ctx.save();
    ctx.strokeStyle = "rgba(90, 90, 90, 0.45)";
    view.groupTies.forEach(function (t) {
      var a = body.nodes["camp:" + t[0]], b = body.nodes["camp:" + t[1]];
      if (!a || !b) { return; }
      ctx.lineWidth = (1 + Math.log(t[2])) / Math.max(network.getScale(), 0.05);
      ctx.beginPath(); ctx.moveTo(a.x, a.y); ctx.lineTo(b.x, b.y); ctx.stroke();
    });
    ctx.restore();
  }

  function render() {
    // vis-network redraws at once on each DataSet change: one redraw, after all of them.
    network.body.emitter.emit("_blockRedraw");
    try { update(); } finally { network.body.emitter.emit("_allowRedraw"); }
    network.redraw();
    labelInView();
  }

  // A big map's labels: given to the entities in view (and half a screen around) once the zoom
  // reads them, after a zoom or a drag has stopped; never taken back (measured once, they cost
  // nothing more).
  function labelRect() {
    if (!big || network.getScale() * data.fontSize < data.labelThreshold) { return null; }
    var box = document.getElementById("map"), w = box.clientWidth, h = box.clientHeight;
    return { a: network.DOMtoCanvas({ x: -w / 2, y: -h / 2 }), b: network.DOMtoCanvas({ x: 1.5 * w, y: 1.5 * h }) };
  }
  function inside(rect, p) { return p.x >= rect.a.x && p.x <= rect.b.x && p.y >= rect.a.y && p.y <= rect.b.y; }
  function labelInView() {
    var rect = labelRect(), updates = [];
    if (!rect) { return; }
    network.body.nodeIndices.forEach(function (id) {
      var n = byId[id];
      if (!n || labelled[id] || !inside(rect, network.body.nodes[id])) { return; }
      labelled[id] = true;
      shownAs["n" + id] = nodeKey(n, false);
      updates.push({ id: id, label: labelOf(n) });
    });
    if (updates.length) { nodes.update(updates); }
  }
  var labelTimer = null;
  if (big) {
    network.on("zoom", function () { clearTimeout(labelTimer); labelTimer = setTimeout(labelInView, 150); });
    network.on("dragEnd", function () { clearTimeout(labelTimer); labelTimer = setTimeout(labelInView, 0); });
  }
  // Opening a big camp gives vis-network its members a slice a frame, the focus and those in
  // sight first: it makes about 5,000 nodes a second on a loaded 2-core machine, so a camp of
  // 2,000 took 0.5 s to 2 s before anything moved. Until its turn (`waiting`), the page draws an
  // entity as a dot of its colour and size, and its ties to it.
  var waiting = {}, queue = [], queued = 0, SLICE = 250, draining = false;
  function addNodes(adds) {
    if (adds.length <= SLICE) { nodes.add(adds); return; }
    var box = document.getElementById("map");
    var a = network.DOMtoCanvas({ x: 0, y: 0 }), b = network.DOMtoCanvas({ x: box.clientWidth, y: box.clientHeight });
    function rank(n) {
      return n.id === state.focus ? 0 : view.near && view.near[n.id] ? 1 : inside({ a: a, b: b }, n) ? 2 : 3;
    }
    adds.sort(function (m, n) { return rank(m) - rank(n); });
    nodes.add(adds.slice(0, SLICE));
    adds.slice(SLICE).forEach(function (n) { waiting[n.id] = n; queue.push(n.id); });
    if (!draining) { draining = true; requestAnimationFrame(function () { setTimeout(drain, 0); }); }
  }
  function drain(all) {
    var slice = [];
    while (queued < queue.length && (all || slice.length < SLICE)) {
      var id = queue[queued++];
      if (waiting[id]) { slice.push(waiting[id]); delete waiting[id]; }
    }
    if (slice.length) {
      network.body.emitter.emit("_blockRedraw");
      try { nodes.add(slice); } finally { network.body.emitter.emit("_allowRedraw"); }
      network.redraw();
    }
    if (queued < queue.length) {
      requestAnimationFrame(function () { setTimeout(function () { if (draining) { drain(); } }, 0); });
    } else {
      queue = []; queued = 0; draining = false;
      if (!timings.settled) { timings.settled = performance.now(); }  // every shown entity in vis-network
      labelInView();
    }
  }
  function drawWaiting(ctx) {  // one path per colour
    var colours = {};
    Object.keys(waiting).forEach(function (id) {
      var n = waiting[id];
      if (n.hidden) { return; }
      (colours[n.color] = colours[n.color] || []).push(n);
    });
    Object.keys(colours).forEach(function (colour) {
      ctx.fillStyle = colour;
      ctx.beginPath();
      colours[colour].forEach(function (n) { ctx.moveTo(n.x + n.size, n.y); ctx.arc(n.x, n.y, n.size, 0, 2 * Math.PI); });
      ctx.fill();
    });
  }
  function update() {
    // A registered analysis (map-analyses.js: camps, diff) draws its whole answer marked, the
    // rest faded; Path, Control and What if (map-analysis-view.js) reveal theirs and draw over.
    analysis = EcographAnalyses.compute(data, byId, state.analysis);
    view = EcographView.compute(data, byId, EcographAnalyses.viewState(state, analysis));
    var marks = analysis ? analysis.marks : { nodes: {}, edges: {} };
    if (analysis) { EcographAnalyses.show(view, marks, data); } else { analysisView.reveal(view, state); }
    var nodeUpdates = [], edgeUpdates = [], fading = analysis ? marks.nodes : (big ? null : view.near);
    var adds = [], removes = [], rect = labelRect();
    data.nodes.forEach(function (n) {
      var key = "n" + n.id, mark = marks.nodes[n.id];
      if (!EcographView.held(data, state, view, n)) {  // into a closed camp: out of vis-network
        if (waiting[n.id]) { delete waiting[n.id]; } else if (shownAs[key] !== undefined) { removes.push(n.id); }
        delete shownAs[key];
        delete marked[key];
        return;
      }
      var faded = !!(fading && !fading[n.id]);
      if (rect && !labelled[n.id] && inside(rect, n)) { labelled[n.id] = true; }
      var drawnAs = nodeKey(n, faded) + (mark ? mark.color : "");
      if (shownAs[key] === undefined) {
        adds.push(markedNode(n, faded, mark));
      } else if (waiting[n.id]) {  // not in vis-network yet: what it will be given changes
        if (shownAs[key] !== drawnAs) { waiting[n.id] = markedNode(n, faded, mark); }
      } else if (changed(key, drawnAs)) {
        var look = EcographView.nodeLook(n, view, faded), label = labelOf(n);
        if (label !== undefined) { look.label = label; }
        if (mark || marked[key]) { Object.assign(look, EcographAnalyses.nodeMark(n, mark)); }
        nodeUpdates.push(look);
      }
      marked[key] = !!mark;
    });
    if (removes.length) { nodes.remove(removes); }
    if (adds.length) { addNodes(adds); }
    if (big) {
      renderBigTies();
    } else {
      data.edges.forEach(function (e) {
        var mark = marks.edges[e.id];
        var faded = analysis ? !mark : !!(fading && !(e.from === state.focus || e.to === state.focus));
        if (changed("e" + e.id, (view.edges[e.id] ? "v" : "h") + (faded ? "f" : "") + (mark ? mark.color : ""))) {
          var look = EcographView.edgeLook(e, view, faded);
          if (mark || marked["e" + e.id]) { Object.assign(look, EcographAnalyses.edgeMark(e, mark)); }
          marked["e" + e.id] = !!mark;
          edgeUpdates.push(look);
        }
      });
    }
    (data.groups || []).forEach(function (g) {
      var shown = !!view.groups[g.id];
      if (changed("n" + g.id, shown ? "v" : "h")) { nodeUpdates.push({ id: g.id, hidden: !shown }); }
    });
    if (nodeUpdates.length) { nodes.update(nodeUpdates); }
    if (edgeUpdates.length) { edges.update(edgeUpdates); }
    syncLegend(state);
    document.getElementById("keep-untied").checked = state.keepUntied;
    document.getElementById("lang").value = state.lang;
    if (years.length) {
      since.value = state.since; until.value = state.until;
      document.getElementById("since-value").textContent = state.since;
      document.getElementById("until-value").textContent = state.until;
    }
    if (state.analysis && state.analysis.name === "diff") { diffMode.checked = true; }
    renderCandidates();
    panel.sync(state.selected);
    analysisView.sync(state);
    EcographAnalyses.describe(document.getElementById("analysis"), analysis, data, byId, endAnalysis);
    EcographUrl.write(EcographUrl.fragment(state, opening));
  }

  // ---- search -----------------------------------------------------------------------------
  var search = document.getElementById("search"), list = document.getElementById("candidates");
  var status = document.getElementById("status");
  function displayName(n) { return n.name_zh && n.name_zh !== n.name_en ? n.name_en + " / " + n.name_zh : n.name_en; }
  function renderCandidates() {
    while (list.firstChild) { list.removeChild(list.firstChild); }
    list.hidden = !state.candidates.length;
    state.candidates.forEach(function (id, i) {
      var n = byId[id], li = document.createElement("li");
      li.setAttribute("role", "option"); li.dataset.id = id;
      li.setAttribute("aria-selected", i === state.active ? "true" : "false");
      li.appendChild(document.createTextNode(displayName(n)));
      var kind = document.createElement("span"); kind.className = "kind"; kind.textContent = n.kind;
      li.appendChild(kind);
      if (view && !view.nodes[id]) {
        var note = document.createElement("span"); note.className = "note"; note.textContent = "hidden now";
        note.title = "Hidden by the filters: picking it shows it with its ties";
        li.appendChild(note);
      }
      li.addEventListener("mousedown", function (event) { event.preventDefault(); pick(id); });
      list.appendChild(li);
    });
  }
  function searchFor(text) {
    state.query = text;
    if (search.value !== text) { search.value = text; }
    state.candidates = EcographSearch.candidates(data.nodes, text, 12).map(function (n) { return n.id; });
    state.active = state.candidates.length ? 0 : -1;
    if (text.trim() && !state.candidates.length) {  // nothing matches: the old highlight goes
      state.focus = null; network.unselectAll(); status.textContent = "No match";
    } else {
      status.textContent = "";
    }
    render();
    return state.candidates.slice();
  }
  function pick(id) {
    if (id === undefined) { id = state.candidates[state.active]; }
    if (id === undefined || !byId[id]) { return null; }
    state.candidates = []; state.active = -1;
    focus(id);
    return id;
  }
  function clearSearch() {
    state.query = ""; search.value = ""; state.candidates = []; state.active = -1;
    state.focus = null; network.unselectAll(); status.textContent = "";
    render();
  }
  search.addEventListener("input", function () { searchFor(search.value); });
  search.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!state.candidates.length) { return; }
      var step = event.key === "ArrowDown" ? 1 : -1, count = state.candidates.length;
      state.active = (state.active + step + count) % count;
      event.preventDefault(); renderCandidates();
    } else if (event.key === "Enter") {
      event.preventDefault();
      if (!state.candidates.length && search.value.trim()) { searchFor(search.value); }
      pick();
    } else if (event.key === "Escape") {
      event.preventDefault(); clearSearch();
    }
  });
  search.addEventListener("blur", function () { state.candidates = []; renderCandidates(); });
  // Escape anywhere else undoes the last thing opened: a pick under way, the panel, the analysis,
  // the focus.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || event.target === search || event.defaultPrevented) { return; }
    if (picking) {
      picking = null; status.textContent = "";
    } else if (state.selected) {
      state.selected = null; render();
    } else if (state.analysis) {
      endAnalysis();
    } else if (state.focus !== null || state.query) {
      clearSearch();
    }
  });

  // ---- focus: an entity and its whole neighbourhood, the rest faded -------------------------
  function focus(id) {
    if (picked(id)) { return id; }
    state.focus = id && byId[id] ? id : null;
    state.selected = state.focus === null ? null : { entity: state.focus };
    if (state.focus !== null && byId[state.focus].camp) { state.open[byId[state.focus].camp] = true; }
    render();
    if (state.focus === null) {
      network.unselectAll(); status.textContent = "";
      return null;
    }
    var n = byId[state.focus];
    network.selectNodes([n.id]);
    network.focus(n.id, { scale: Math.max(network.getScale(), 1), animation: false });
    labelInView();
    status.textContent = displayName(n);
    return n.id;
  }
  // A big map's focus: a white veil over everything drawn, then the focused entity, its ties
  // and the entities at their other ends drawn again on top, by vis-network's own drawing code.
  function drawFocus(ctx) {
    if (!big || !view || !view.near) { return; }
    var box = document.getElementById("map");
    var a = network.DOMtoCanvas({ x: 0, y: 0 }), b = network.DOMtoCanvas({ x: box.clientWidth, y: box.clientHeight });
    ctx.save();
    ctx.fillStyle = "rgba(255, 255, 255, 0.85)";
    ctx.fillRect(a.x, a.y, b.x - a.x, b.y - a.y);
    ctx.restore();
    var body = network.body, labels = [];
    EcographTies.draw(ctx, focusTies, function (id) { return body.nodes[id]; }, network.getScale(), 1);
    Object.keys(view.near).forEach(function (id) {
      var n = body.nodes[id];
      if (n && !n.options.hidden) { var drawn = n.draw(ctx); if (drawn && drawn.drawExternalLabel) { labels.push(drawn.drawExternalLabel); } }
    });
    labels.forEach(function (draw) { draw(); });
  }
  network.on("beforeDrawing", drawTies);
  network.on("afterDrawing", drawFocus);

  // Opening a camp: its node goes, its members and their ties come, in place.
  function expand(camp, open) {
    var g = groupById["camp:" + camp];
    if (!g) { return null; }
    state.open[camp] = open !== false;
    render();
    return g.id;
  }
  network.on("click", function (params) {
    if (params.nodes.length && groupById[params.nodes[0]]) {
      expand(groupById[params.nodes[0]].camp);
      return;
    }
    if (params.nodes.length && picked(params.nodes[0])) { return; }
    state.focus = params.nodes.length ? params.nodes[0] : null;
    state.selected = EcographPanel.selection(params);
    status.textContent = "";
    render();
  });

  // The details panel: an entity opens focused, a tie alone (map-panel.js).
  var panel = EcographPanel.build(document.getElementById("details"), data, byId, {
    entity: focus, tie: function (id) { return showTie(id); }, close: function () { state.selected = null; render(); },
    tools: tools
  }, network);
  // Path, Control and What if: their buttons, panel and marks (map-analysis-view.js).
  var analysisView = EcographAnalysisView.build(data, byId, network, {
    state: function () { return state; }, render: function () { render(); }, entity: function (id) { return focus(id); }
  });

  // ---- the registered analyses (map-analyses.js): one at a time, in the state and so in the link --------
  function runAnalysis(name, args) {
    var a = EcographAnalyses.get(name), checked = a ? a.check(args, data, byId) : null;
    if (!checked) { return null; }
    picking = null;
    state.analysis = { name: name, args: checked };
    render();
    if (analysis) { fitMarks(analysis.marks); }
    return analysis ? analysis.answer : null;
  }
  // The answer in sight: every marked entity and the ends of every marked tie.
  function fitMarks(marks) {
    var ids = {};
    Object.keys(marks.nodes).forEach(function (id) { ids[id] = true; });
    data.edges.forEach(function (e) { if (marks.edges[e.id]) { ids[e.from] = ids[e.to] = true; } });
    var list = Object.keys(ids);
    // As the opening view: labels stay readable (the answer may then spill past the window).
    var least = big ? 1e-4 : (data.minLabelPx + 0.2) / data.fontSize;
    if (!list.length) { return; }
    network.fit({ nodes: list, animation: false, minZoomLevel: least, maxZoomLevel: 1.2 });
    // The box with the answer covers the map's right side: the answer goes to the left of it.
    var box = document.getElementById("analysis"), map = document.getElementById("map");
    if (box.hidden) { return; }
    var cover = map.getBoundingClientRect().right - box.getBoundingClientRect().left, width = map.clientWidth;
    var scale = Math.max(least, network.getScale() * (width - cover) / width), at = network.getViewPosition();
    network.moveTo({ position: { x: at.x + cover / 2 / scale, y: at.y }, scale: scale, animation: false });
  }
  function endAnalysis() {
    picking = null;
    if (state.analysis && state.analysis.name === "diff") { diffMode.checked = false; }
    state.analysis = null; status.textContent = ""; render();
  }
  // The analysis on the map, whichever kind: a registered one's `{name, args, answer}`, Path,
  // Control and What if's `{asked, result, error, marked}`, each with the other's fields too; null if none.
  function analysisShown() {
    if (analysis) {
      var ties = data.edges.filter(function (e) { return analysis.marks.edges[e.id]; }).map(function (e) { return e.id; });
      return { name: analysis.name, args: analysis.args.slice(), answer: analysis.answer,
               asked: { name: analysis.name, args: analysis.args.slice() }, result: analysis.answer, error: null,
               marked: { entities: Object.keys(analysis.marks.nodes).sort(EcographAnalysis.compare), ties: ties } };
    }
    var shown = analysisView.api.analysis(), a = shown.asked;
    if (!a) { return null; }
    var args = a.kind === "path" ? [a.from, a.to] : [a.entity];
    return Object.assign({ name: a.kind, args: args, answer: shown.result }, shown);
  }
  // An analysis of two entities: the panel's button names the first, a click or a search the second.
  var picking = null;
  function picked(id) {
    if (!picking || !byId[id]) { return false; }
    var first = picking.first, name = picking.name;
    picking = null; status.textContent = "";
    runAnalysis(name, [first, id]);
    return true;
  }
  // The analyses' buttons under an entity or a tie (map-panel.js): Path, Control and What if
  // (map-analysis-view.js), and for an entity "Compare camps with…".
  function tools(selected) {
    var row = analysisView.tools(selected), n = byId[selected.entity];
    if (!n) { return row; }
    var b = EcographAnalyses.el("button", "tool", "Compare camps with…");
    b.type = "button"; b.dataset.analysis = "camps";
    b.title = "Pick a second entity (click it or find it): both camps, their shared partners and the ties between them";
    b.addEventListener("click", function () {
      picking = { name: "camps", first: n.id };
      status.textContent = "Camps: click or find the entity to compare " + n.name_en + " with";
      search.focus();
    });
    row.appendChild(b);
    return row;
  }
  function showTie(id) {
    if (!panel.edge(id)) { return null; }
    state.selected = { tie: id }; render();
    return id;
  }

  // ---- the controls -----------------------------------------------------------------------
  var since = document.getElementById("since"), until = document.getElementById("until");
  if (years.length) {
    [since, until].forEach(function (input) { input.min = state.since; input.max = state.until; input.step = 1; });
    [since, until].forEach(function (input) {
      input.addEventListener("input", function () { setYears(Number(since.value), Number(until.value)); });
    });
  } else {
    document.getElementById("years").style.display = "none";
  }
  function setYears(a, b) {
    if (!years.length) { return; }
    state.since = a; state.until = b;
    if (diffMode.checked) { diffYears(); } else { render(); }
  }
  // The diff mode beside the sliders: the ties that appeared after From, up to To (map-diff.js).
  var diffMode = document.getElementById("diff-mode");
  function diffYears() {
    if (diffMode.checked && state.since < state.until) {
      runAnalysis("diff", [state.since, state.until]);
      return;
    }
    if (state.analysis && state.analysis.name === "diff") { state.analysis = null; }
    status.textContent = diffMode.checked ? "Diff: move From before To" : "";
    render();
  }
  diffMode.addEventListener("change", diffYears);
  document.getElementById("lang").addEventListener("change", function (event) { state.lang = event.target.value; render(); });
  document.getElementById("keep-untied").addEventListener("change", function (event) { state.keepUntied = event.target.checked; render(); });
  document.getElementById("physics").addEventListener("change", function (event) {
    network.setOptions({ physics: { enabled: event.target.checked } });
  });
  function reset() {
    var lang = state.lang;
    state = initialState(); state.lang = lang; picking = null; diffMode.checked = false; keep.applyPins();
    search.value = ""; status.textContent = "";
    network.unselectAll(); render(); fitView();
    keep.opened();  // the opening view, by definition
  }
  document.getElementById("reset").addEventListener("click", reset);

  // The opening view: everything visible in sight, labels never under `minLabelPx` on screen
  // (when the visible map is bigger than the window at that zoom, it opens on its middle).
  function fitView() {
    var ids = Object.keys(view.nodes).concat(Object.keys(view.groups));
    if (!ids.length) { return; }
    // A big map opens on all of it: its labels show from the zoom where they read.
    if (big) { fitPlaces(ids); } else {
      var least = (data.minLabelPx + 0.2) / data.fontSize;
      network.fit({ nodes: ids, animation: false, minZoomLevel: least, maxZoomLevel: 1.2 });
      if (network.getScale() <= least + 1e-9) { openAtTheCore(ids, least); }
    }
    labelInView();
  }
  // When the whole map cannot be read at once, the view opens on its top left corner, where the
  // layout puts the biggest alliance part (parts are packed in rows, biggest first), rather than
  // on the middle of the map, which cut the biggest part in half.
  function openAtTheCore(ids, scale) {
    var positions = network.getPositions(ids), left = Infinity, top = Infinity, right = -Infinity;
    ids.forEach(function (id) {
      var p = positions[id];
      if (p) { left = Math.min(left, p.x); top = Math.min(top, p.y); right = Math.max(right, p.x); }
    });
    if (!isFinite(left)) { return; }
    var canvas = network.canvas.frame.canvas, margin = 60;
    var width = canvas.clientWidth / scale, height = canvas.clientHeight / scale;
    var x = right - left < width ? (left + right) / 2 : left - margin / scale + width / 2;
    network.moveTo({ position: { x: x, y: top - margin / scale + height / 2 }, scale: scale, animation: false });
  }
  // A big map's fit from the entities' places and sizes, as vis-network's fit (a tenth to
  // spare), which reads only the nodes it already holds: some may still be arriving.
  function fitPlaces(ids) {
    var x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity, box = document.getElementById("map");
    ids.forEach(function (id) {
      var n = network.body.nodes[id] || byId[id] || groupById[id], r = n.options ? n.options.size : n.size;
      if (n.x - r < x0) { x0 = n.x - r; } if (n.x + r > x1) { x1 = n.x + r; }
      if (n.y - r < y0) { y0 = n.y - r; } if (n.y + r > y1) { y1 = n.y + r; }
    });
    var scale = Math.min(box.clientWidth / (1.1 * (x1 - x0) || 1), box.clientHeight / (1.1 * (y1 - y0) || 1));
    network.moveTo({ position: { x: (x0 + x1) / 2, y: (y0 + y1) / 2 }, scale: Math.max(1e-4, Math.min(1.2, scale)),
                     animation: false });
  }

  // ---- the API ------------------------------------------------------------------------------
  function visible() {
    return {
      nodes: nodes.get({ filter: function (n) { return !n.hidden; } }).map(function (n) { return n.id; })
        .concat(Object.keys(waiting).filter(function (id) { return !waiting[id].hidden; })),
      edges: big ? Object.keys(view.edges).map(Number)
        : edges.get({ filter: function (e) { return !e.hidden; } }).map(function (e) { return e.id; })
    };
  }
  function on(map) { return Object.keys(map).filter(function (k) { return map[k]; }).sort(); }
  function setOnly(section, keys) {
    Object.keys(state[section]).forEach(function (k) { state[section][k] = keys.indexOf(k) >= 0; });
    render();
    return on(state[section]);
  }

  arriving.forEach(function (n) { waiting[n.id] = n; queue.push(n.id); });
  if (arriving.length) { draining = true; requestAnimationFrame(function () { setTimeout(drain, 0); }); }
  // ---- what a link keeps beyond the state's filters: pins, the camera (map-keep.js) -------
  var keep = EcographKeep.build({ network: network, nodes: nodes, byId: byId, status: status, render: function () { render(); },
                                  state: function () { return state; },
                                  fragment: function () { return EcographUrl.fragment(state, opening); } });
  document.getElementById("copy-link").addEventListener("click", keep.copyLink);
  // "Download PNG / SVG": what is on screen (map-picture.js).
  var pictures = EcographPicture.attach({ network: network, data: data, ties: function () {
    return big ? data.edges.filter(function (e) { return view.edges[e.id]; }) : null;
  }, overlay: function () { return analysisView.overlay(); } });

  keep.applyPins();
  render();
  fitView();
  keep.opened();
  function linked() {  // a link's focus in sight, and its selection (which focusing would replace)
    var chosen = state.selected, camera = state.camera;  // focusing moves the camera: the link's comes back
    if (state.focus !== null) { focus(state.focus); }
    if (chosen) { state.selected = chosen; render(); }
    state.camera = camera;
    keep.restore();
  }
  linked();
  window.addEventListener("hashchange", function () {  // a new fragment in the open page: its view
    state = initialState(); diffMode.checked = false; EcographUrl.read(location.hash, state, byId, isTie);
    keep.applyPins(); render(); linked();
  });
  timings.ready = performance.now();
  window.ecograph = {
    timings: timings,
    network: network, nodes: nodes, edges: edges, data: data, ready: true,
    drawnAt: function () { return drawnAt; },
    waiting: function () { return Object.keys(waiting).length; },  // entities still being given to vis-network
    state: function () {
      return { kinds: on(state.kinds), types: on(state.types), context: contextTypes.some(function (t) { return state.types[t]; }),
               keepUntied: state.keepUntied, since: state.since, until: state.until, focus: state.focus, lang: state.lang,
               query: state.query, candidates: state.candidates.slice(), active: state.active,
               open: on(state.open).map(Number), selected: state.selected ? Object.assign({}, state.selected) : null,
               analysis: state.analysis ? JSON.parse(JSON.stringify(state.analysis)) : null,
               pins: JSON.parse(JSON.stringify(state.pins)), camera: keep.sync() || state.camera ? Object.assign({}, state.camera) : null };
    },
    visible: visible,
    setKinds: function (kinds) { return setOnly("kinds", kinds); },
    setTypes: function (types) { return setOnly("types", types); },
    showContext: function (show) { setGroup("context", !!show); render(); return on(state.types); },
    keepUntied: function (keep) { state.keepUntied = !!keep; render(); return state.keepUntied; },
    setYears: setYears,
    setLang: function (lang) { state.lang = lang; render(); },
    focus: focus,
    details: focus,
    tie: showTie,
    search: searchFor,
    pick: pick,
    clearSearch: clearSearch,
    reset: reset,
    // The analyses: each returns its answer (null when it cannot run) and marks it on the map.
    camps: function (a, b) { return runAnalysis("camps", [a, b]); },
    diff: function (a, b) {
      if (!years.length || !EcographAnalyses.get("diff").check([a, b])) { return null; }
      state.since = a; state.until = b; diffMode.checked = true;
      return runAnalysis("diff", [a, b]);
    },
    analysis: analysisShown,
    endAnalysis: endAnalysis,
    // The view kept in the link: pins, the camera, the link itself.
    pin: keep.pin, unpin: keep.unpin, moveTo: keep.moveTo, copyLink: keep.copyLink, link: keep.link,
    // What is on screen as a picture: {svg, width, height}; download("png" | "svg") saves it.
    picture: pictures.picture, download: pictures.download,
    fit: fitView,
    // A grouped map: its camps ({id, camp, centre, members, open}), and opening or closing one.
    groups: function () {
      return (data.groups || []).map(function (g) {
        return { id: g.id, camp: g.camp, centre: g.centre, members: g.members, open: !!state.open[g.camp] };
      });
    },
    expand: function (camp) { return expand(camp, true); },
    collapse: function (camp) { return expand(camp, false); }
  };
  // path, reach, whatIf, clearAnalysis, analyses (map-analysis-view.js); analysis() answers for both kinds.
  Object.assign(window.ecograph, analysisView.api, { analysis: analysisShown });
})();
