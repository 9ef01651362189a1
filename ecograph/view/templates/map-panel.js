// The details panel: what is selected, written out so it can be read, selected and copied.
//
//   - An entity: its names (English, 中文), kind, country, aliases and description, then every
//     tie it has (whatever the filters) as a sentence, its figures, its description and its
//     source: the report's section number and title, and the study it cites, by name.
//   - A tie: the same for the one tie, with its two ends.
//
// Python writes the words (`about` on each tie: ecograph.words, the data set's description of
// itself); this module only lays them out, with DOM calls and textContent: names never become
// HTML. `sync(selected)` draws the panel for `{entity: id}`, `{tie: id}` or null, and redraws
// only when the selection changes; its buttons call the page's actions.
var EcographPanel = (function () {
  "use strict";
  var GROUP_ORDER = { equity: 0, deal: 1, context: 2 };
  var GROUP_WORDS = { equity: "Equity", deal: "Deal", context: "Context" };

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }
  function name(n) { return n.name_zh && n.name_zh !== n.name_en ? n.name_en + " / " + n.name_zh : n.name_en; }

  // A tie's sentence, figures, description and source, as paragraphs appended to `into`.
  function tieText(into, e) {
    var about = e.about || {};
    into.appendChild(el("p", "says", about.says || e.title));
    (about.facts || []).forEach(function (fact) { into.appendChild(el("p", "fact", fact)); });
    if (about.description) { into.appendChild(el("p", "description", about.description)); }
    if (about.source) { into.appendChild(el("p", "source", "Source: " + about.source)); }
    if (about.cited) { into.appendChild(el("p", "source", "Citing: " + about.cited)); }
  }

  // The selection a vis-network click means: an entity, else a tie, else nothing.
  function selection(params) {
    if (params.nodes && params.nodes.length) { return { entity: params.nodes[0] }; }
    if (params.edges && params.edges.length) { return { tie: params.edges[0] }; }
    return null;
  }

  // `actions`: entity(id) opens an entity (and focuses it), tie(id) a tie, close() neither;
  // `network`: the map, panned when what was selected lies under the panel.
  function build(box, data, byId, actions, network) {
    var kindWords = {}, typeGroup = {}, byEdge = null, drawn = "";
    data.legend.kinds.forEach(function (k) { kindWords[k.kind] = k.words || k.kind; });
    data.legend.types.forEach(function (t) { typeGroup[t.type] = t.group; });
    function edge(id) {
      if (!byEdge) { byEdge = {}; data.edges.forEach(function (e) { byEdge[e.id] = e; }); }
      return byEdge[id];
    }
    function button(text, title, onClick) {
      var b = el("button", "link", text);
      b.type = "button"; b.title = title;
      b.addEventListener("click", onClick);
      return b;
    }
    function header(title, sub) {
      var top = el("div", "top");
      var h = el("h2", null, title);
      top.appendChild(h);
      top.appendChild(button("×", "Close the details", function () { actions.close(); }));
      box.appendChild(top);
      if (sub) { box.appendChild(sub); }
    }

    function showEntity(n) {
      var zh = n.name_zh && n.name_zh !== n.name_en ? el("p", "zh", n.name_zh) : null;
      if (zh) { zh.lang = "zh"; }
      header(n.name_en, zh);
      box.appendChild(el("p", "kind", (kindWords[n.kind] || n.kind) + (n.country ? " · " + n.country : "")));
      if (n.aliases && n.aliases.length) { box.appendChild(el("p", "aliases", "Also: " + n.aliases.join(", "))); }
      if (n.description) { box.appendChild(el("p", "description", n.description)); }
      if (actions.tools) { box.appendChild(actions.tools(n)); }  // the analyses that start here
      var ties = data.edges.filter(function (e) { return e.from === n.id || e.to === n.id; });
      ties.sort(function (a, b) {
        var ga = GROUP_ORDER[typeGroup[a.type]] || 0, gb = GROUP_ORDER[typeGroup[b.type]] || 0;
        if (ga !== gb) { return ga - gb; }
        return a.type < b.type ? -1 : (a.type > b.type ? 1 : a.id - b.id);
      });
      box.appendChild(el("h3", null, ties.length === 1 ? "1 tie" : ties.length + " ties"));
      var list = el("ol", "ties");
      ties.forEach(function (e) {
        var li = el("li", "tie " + (typeGroup[e.type] || "context"));
        li.dataset.tie = e.id;
        tieText(li, e);
        var other = e.from === n.id ? e.to : e.from, row = el("p", "goto");
        row.appendChild(button("→ " + name(byId[other]), "Show this entity", function () { actions.entity(other); }));
        row.appendChild(button("tie details", "Show this tie alone", function () { actions.tie(e.id); }));
        li.appendChild(row);
        list.appendChild(li);
      });
      box.appendChild(list);
    }

    function showTie(e) {
      var group = typeGroup[e.type] || "context";
      var words = (data.legend.types.filter(function (t) { return t.type === e.type; })[0] || {}).words || e.type;
      header(words.charAt(0).toUpperCase() + words.slice(1), el("p", "kind", GROUP_WORDS[group] + " tie · " + e.type +
                                                                    (e.year !== null && e.year !== undefined ? " · " + e.year : "")));
      var body = el("div", "tie " + group);
      tieText(body, e);
      box.appendChild(body);
      [["From", e.from], ["To", e.to]].forEach(function (end) {
        var row = el("p", "goto", end[0] + " ");
        row.appendChild(button(name(byId[end[1]]), "Show this entity", function () { actions.entity(end[1]); }));
        box.appendChild(row);
      });
    }

    function sync(selected) {
      var key = !selected ? "" : (selected.entity !== undefined ? "n" + selected.entity : "e" + selected.tie);
      if (key === drawn) { return; }
      drawn = key;
      while (box.firstChild) { box.removeChild(box.firstChild); }
      var n = selected && selected.entity !== undefined ? byId[selected.entity] : null;
      var e = selected && selected.tie !== undefined ? edge(selected.tie) : null;
      if (n) { showEntity(n); } else if (e) { showTie(e); }
      box.hidden = !(n || e);
      box.scrollTop = 0;
      if (n) { clear([n.id]); } else if (e) { clear([e.from, e.to]); }
      // The tie shown is marked on the map (a big map draws its ties itself: vis-network has none).
      if (e && network && network.body.edges[e.id]) { network.selectEdges([e.id]); }
    }
    // The panel covers the map's left side: when the selection's middle lies under it, the map
    // moves right by as much, so what was clicked stays in sight.
    function clear(ids) {
      if (!network || box.hidden) { return; }
      var at = ids.map(function (id) { try { return network.getPosition(id); } catch (err) { return null; } });
      if (at.some(function (p) { return !p || isNaN(p.x); })) { return; }
      var mid = { x: (at[0].x + at[at.length - 1].x) / 2, y: (at[0].y + at[at.length - 1].y) / 2 };
      var dom = network.canvasToDOM(mid), map = network.body.container.getBoundingClientRect();
      var edge = box.getBoundingClientRect().right - map.left + 120;  // room for its label and ties
      if (dom.x >= edge) { return; }
      var view = network.getViewPosition(), scale = network.getScale();
      network.moveTo({ position: { x: view.x - (edge - dom.x) / scale, y: view.y }, animation: false });
    }
    box.hidden = true;
    return { sync: sync, edge: edge };
  }

  return { build: build, selection: selection };
})();
