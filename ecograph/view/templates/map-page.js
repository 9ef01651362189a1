// The page: one state object, actions that change it, and `render()` that brings the map, the
// legend and the search list in line with it. Every action is reachable as `window.ecograph`
// (README, "The map"), which the browser tests drive.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("ecograph-data").textContent);
  var byId = {};
  data.nodes.forEach(function (n) { byId[n.id] = n; });
  var contextTypes = data.legend.types.filter(function (t) { return t.group === "context"; }).map(function (t) { return t.type; });

  // The opening view: alliances (equity and deal ties) on, context ties off, every kind on.
  function initialState() {
    var s = { kinds: {}, types: {}, keepUntied: false, since: null, until: null, focus: null, lang: data.lang,
              query: "", candidates: [], active: -1 };
    data.legend.kinds.forEach(function (k) { s.kinds[k.kind] = true; });
    data.legend.types.forEach(function (t) { s.types[t.type] = t.group !== "context"; });
    if (years.length) { s.since = Math.min.apply(null, years); s.until = Math.max.apply(null, years); }
    // A map with no alliances (a query for places, say) opens on its context ties; one with no
    // tie showing at all keeps its untied entities: a page never opens empty.
    if (!data.legend.types.some(function (t) { return t.group !== "context"; })) {
      data.legend.types.forEach(function (t) { s.types[t.type] = true; });
    }
    if (!Object.keys(EcographView.compute(data, byId, s).nodes).length) { s.keepUntied = true; }
    return s;
  }
  var years = data.edges.map(function (e) { return e.year; }).filter(function (y) { return y !== null && y !== undefined; });
  var state = initialState();

  var nodes = new vis.DataSet(data.nodes.map(function (n) {
    var copy = Object.assign({}, n); delete copy.search; delete copy.labels; return copy;
  }));
  var edges = new vis.DataSet(data.edges);
  var font = { size: data.fontSize, face: "Arial, 'Liberation Sans', 'Noto Sans CJK TC', 'Noto Sans CJK SC', sans-serif",
               color: "#1a1a1a", strokeWidth: 3, strokeColor: "#ffffff", multi: false };
  var network = new vis.Network(document.getElementById("map"), { nodes: nodes, edges: edges }, {
    physics: { enabled: false },
    interaction: { hover: true, tooltipDelay: 150 },
    nodes: { font: font, borderWidth: 1 },
    edges: { smooth: false, font: { size: 13, align: "horizontal", color: "#1a1a1a", strokeWidth: 4, strokeColor: "#ffffff" },
             arrows: { to: { scaleFactor: 0.6 } } }
  });
  var drawnAt = null;
  network.once("afterDrawing", function () { drawnAt = performance.now(); });

  // ---- render: state -> map, legend, search list --------------------------------------------
  var view = null, shownAs = {};
  function changed(key, look) {  // only items whose look changes go to vis-network
    var text = JSON.stringify(look);
    if (shownAs[key] === text) { return false; }
    shownAs[key] = text;
    return true;
  }
  var syncLegend = EcographLegend.build(document.getElementById("filters"), data.legend, {
    toggle: function (section, key, on) { state[section][key] = on; render(); },
    only: function (section, key) { Object.keys(state[section]).forEach(function (k) { state[section][k] = k === key; }); render(); },
    all: function (section, on) { Object.keys(state[section]).forEach(function (k) { state[section][k] = on; }); render(); },
    group: function (group, on) { setGroup(group, on); render(); }
  });
  function setGroup(group, on) {
    data.legend.types.forEach(function (t) { if (t.group === group) { state.types[t.type] = on; } });
  }

  function render() {
    view = EcographView.compute(data, byId, state);
    var nodeUpdates = [], edgeUpdates = [];
    data.nodes.forEach(function (n) {
      var look = EcographView.nodeLook(n, view);
      look.label = n.labels[state.lang] || n.labels.both;
      if (changed("n" + n.id, look)) { nodeUpdates.push(look); }
    });
    data.edges.forEach(function (e) {
      var look = EcographView.edgeLook(e, view, state.focus);
      if (changed("e" + e.id, look)) { edgeUpdates.push(look); }
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
    renderCandidates();
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

  // ---- focus: an entity and its whole neighbourhood, the rest faded -------------------------
  function focus(id) {
    state.focus = id && byId[id] ? id : null;
    render();
    if (state.focus === null) {
      network.unselectAll(); status.textContent = "";
      return null;
    }
    var n = byId[state.focus];
    network.selectNodes([n.id]);
    network.focus(n.id, { scale: Math.max(network.getScale(), 1), animation: false });
    status.textContent = displayName(n);
    return n.id;
  }
  network.on("click", function (params) {
    state.focus = params.nodes.length ? params.nodes[0] : null;
    status.textContent = "";
    render();
  });

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
  function setYears(a, b) { if (years.length) { state.since = a; state.until = b; render(); } }
  document.getElementById("lang").addEventListener("change", function (event) { state.lang = event.target.value; render(); });
  document.getElementById("keep-untied").addEventListener("change", function (event) { state.keepUntied = event.target.checked; render(); });
  document.getElementById("physics").addEventListener("change", function (event) {
    network.setOptions({ physics: { enabled: event.target.checked } });
  });
  function reset() {
    var lang = state.lang;
    state = initialState(); state.lang = lang;
    search.value = ""; status.textContent = "";
    network.unselectAll(); render(); fitView();
  }
  document.getElementById("reset").addEventListener("click", reset);

  // The opening view: everything visible in sight, labels never under `minLabelPx` on screen
  // (when the visible map is bigger than the window at that zoom, it opens on its middle).
  function fitView() {
    var ids = Object.keys(view.nodes);
    if (!ids.length) { return; }
    network.fit({ nodes: ids, animation: false, minZoomLevel: (data.minLabelPx + 0.2) / data.fontSize, maxZoomLevel: 1.2 });
  }

  // ---- the API ------------------------------------------------------------------------------
  function visible() {
    return {
      nodes: nodes.get({ filter: function (n) { return !n.hidden; } }).map(function (n) { return n.id; }),
      edges: edges.get({ filter: function (e) { return !e.hidden; } }).map(function (e) { return e.id; })
    };
  }
  function on(map) { return Object.keys(map).filter(function (k) { return map[k]; }).sort(); }
  function setOnly(section, keys) {
    Object.keys(state[section]).forEach(function (k) { state[section][k] = keys.indexOf(k) >= 0; });
    render();
    return on(state[section]);
  }

  render();
  fitView();
  window.ecograph = {
    network: network, nodes: nodes, edges: edges, data: data, ready: true,
    drawnAt: function () { return drawnAt; },
    state: function () {
      return { kinds: on(state.kinds), types: on(state.types), context: contextTypes.some(function (t) { return state.types[t]; }),
               keepUntied: state.keepUntied, since: state.since, until: state.until, focus: state.focus, lang: state.lang,
               query: state.query, candidates: state.candidates.slice(), active: state.active };
    },
    visible: visible,
    setKinds: function (kinds) { return setOnly("kinds", kinds); },
    setTypes: function (types) { return setOnly("types", types); },
    showContext: function (show) { setGroup("context", !!show); render(); return on(state.types); },
    keepUntied: function (keep) { state.keepUntied = !!keep; render(); return state.keepUntied; },
    setYears: setYears,
    setLang: function (lang) { state.lang = lang; render(); },
    focus: focus,
    search: searchFor,
    pick: pick,
    clearSearch: clearSearch,
    reset: reset,
    fit: fitView
  };
})();
