// The analyses on the page (map-analysis.js works them out): the panel's buttons, the result
// written out at the top of the details panel, and marks on the map. The analysis asked for is
// part of the page's state, `state.analysis` (read back by `ecograph.state().analysis`):
//
//   {kind: "path", from, to, options}        options: context, maxHops, rels, kinds, exclude, directed
//   {kind: "control", entity, options}       options: via, hops
//   {kind: "whatif", entity, options}        options: remove [ids], ties [edge ids], context, directed
//
// One half-asked (a path with one end, a what-if with nothing removed or nobody to measure
// against) waits in the panel for the rest. `reveal(view, state)` adds the analysis' entities
// and ties to what the map shows and fades the rest (the page's own focus fade); `sync(state)`
// writes the panel; the marks (rings, highlighted ties, stakes) are drawn over the map.
var EcographAnalysisView = (function () {
  "use strict";
  var COLOURS = { path: "#e8590c", end: "#e8590c", reached: "#6741d9", parent: "#c2255c", cut: "#d6336c",
                  longer: "#f08c00", removed: "#495057", anchor: "#1971c2" };
  var LISTED = 50, KINDS = { path: true, control: true, whatif: true };
  var INSIDE = { box: true, ellipse: true, circle: true, database: true, text: true };  // vis-network shapes sized by their label  // the panel lists at most this many items of one kind (chains, pairs …)

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }
  function button(text, title, onClick, className) {
    var b = el("button", className || "link", text);
    b.type = "button"; b.title = title;
    b.addEventListener("click", onClick);
    return b;
  }
  function name(n) { return n.name_zh && n.name_zh !== n.name_en ? n.name_en + " / " + n.name_zh : n.name_en; }
  // As ecograph.words.percent: up to four significant digits.
  function percent(x) { return Number((x * 100).toPrecision(4)) + " %"; }
  function plural(count, one, many) { return count + " " + (count === 1 ? one : many); }

  // `page`: state() the page's state now, render() after a change, entity(id) opens an entity.
  function build(data, byId, network, page) {
    var box = document.getElementById("details"), section = el("section", "analysis");
    section.id = "analysis-panel";
    var byEdge = null, current = { key: "", result: null, error: null, marks: null }, shownKey = null;
    function edge(id) {
      if (!byEdge) { byEdge = {}; data.edges.forEach(function (e) { byEdge[e.id] = e; }); }
      return byEdge[id];
    }
    function set(analysis) { page.state().analysis = analysis; page.render(); }
    // The page keeps one analysis at a time: one of a registered kind (map-analyses.js, `{name,
    // args}`) is none of these.
    function mine(a) { return a && KINDS[a.kind] ? a : null; }
    function options(a) { return (a && a.options) || {}; }

    // ---- the result and its marks, worked out once for each analysis asked -----------------
    function compute(a) {
      var key = a ? JSON.stringify(a) : "";
      if (key === current.key) { return current; }
      current = { key: key, result: null, error: null, marks: null };
      if (!a || !ready(a)) { return current; }
      try {
        if (a.kind === "path") { current.result = EcographAnalysis.paths(data, byId, a.from, a.to, options(a)); }
        if (a.kind === "control") { current.result = EcographAnalysis.reach(data, byId, a.entity, options(a)); }
        if (a.kind === "whatif") { current.result = EcographAnalysis.whatIf(data, byId, a.entity, options(a)); }
        current.marks = marksOf(a, current.result);
      } catch (err) {
        current.error = String(err.message || err);
      }
      return current;
    }
    function given(id) { return id !== null && id !== undefined; }
    function ready(a) {  // all asked (an unknown id is then an error, as in the library)
      if (a.kind === "path") { return given(a.from) && given(a.to); }
      var o = options(a);
      return given(a.entity) && (a.kind === "control" || !!((o.remove || []).length || (o.ties || []).length));
    }
    // What the map marks: entities with a ring (colour) and a note, ties highlighted or struck.
    function marksOf(a, r) {
      var m = { rings: new Map(), notes: new Map(), ties: new Map() };
      function ring(id, colour) { if (byId[id] && !m.rings.has(id)) { m.rings.set(id, colour); } }
      if (a.kind === "path") {
        ring(a.from, COLOURS.end); ring(a.to, COLOURS.end);
        r.forEach(function (chain) {
          chain.forEach(function (hop) {
            ring(hop.to, COLOURS.path);
            hop.ties.forEach(function (id) { m.ties.set(id, COLOURS.path); });
          });
        });
      } else if (a.kind === "control") {
        ring(a.entity, COLOURS.anchor);
        r.reached.forEach(function (e) {
          ring(e.id, COLOURS.reached);
          m.notes.set(e.id, stakeWords(e));
          (e.chains || []).forEach(function (c) { c.ties.forEach(function (id) { m.ties.set(id, COLOURS.reached); }); });
        });
        r.ultimate_parents.forEach(function (id) { m.rings.set(id, COLOURS.parent); m.notes.set(id, "ultimate parent"); });
      } else {
        ring(a.entity, COLOURS.anchor);
        r.removed.forEach(function (id) { m.rings.set(id, COLOURS.removed); m.notes.set(id, "removed"); });
        (options(a).ties || []).forEach(function (id) { if (edge(id)) { m.ties.set(id, COLOURS.removed); } });
        r.cut_off.forEach(function (e) { ring(e.id, COLOURS.cut); m.notes.set(e.id, "cut off"); });
        // The pairs the panel lists (the most lengthened): thousands of rings would mark everything.
        (r.longer || []).slice(0, LISTED).forEach(function (p) { ring(p.a, COLOURS.longer); ring(p.b, COLOURS.longer); });
      }
      return m;
    }
    function stakeWords(e) {
      if (e.effective_stake !== null) { return percent(e.effective_stake); }
      return e.known_stake !== null ? "≥ " + percent(e.known_stake) : "stake unknown";
    }

    // The map shows the analysis' entities and ties whatever the filters, and fades the rest.
    function reveal(view, state) {
      var marks = compute(mine(state.analysis)).marks;
      if (!marks) { return; }
      var near = {};
      marks.rings.forEach(function (c, id) { view.nodes[id] = near[id] = true; });
      marks.ties.forEach(function (c, id) {
        var e = edge(id);
        view.edges[id] = view.nodes[e.from] = view.nodes[e.to] = near[e.from] = near[e.to] = true;
      });
      if (state.focus !== null && state.focus !== undefined) { near[state.focus] = true; }
      view.near = near;
      view.focusEdges = Array.from(marks.ties.keys());
    }

    // ---- drawn over the map ------------------------------------------------------------------
    // How far from its centre a node's edge lies in the direction (cos, sin): an ellipse round a
    // label drawn inside, else a circle of its size.
    function radius(n, cos, sin) {
      if (!(INSIDE[n.options.shape] && n.shape.width)) { return n.options.size || 10; }
      var a = n.shape.width / 2, b = n.shape.height / 2;
      return a * b / Math.sqrt(b * b * cos * cos + a * a * sin * sin);
    }
    function draw(ctx) {
      var marks = current.marks;
      if (!marks) { return; }
      var body = network.body, scale = network.getScale(), px = 1 / scale;
      ctx.save();
      ctx.lineCap = "round";
      marks.ties.forEach(function (colour, id) {
        var e = edge(id), a = body.nodes[e.from], b = body.nodes[e.to];
        if (!a || !b) { return; }
        var dx = b.x - a.x, dy = b.y - a.y, len = Math.sqrt(dx * dx + dy * dy) || 1;
        var ra = radius(a, dx / len, dy / len) + 3 * px, rb = radius(b, dx / len, dy / len) + 3 * px;
        if (len <= ra + rb) { return; }
        ctx.globalAlpha = 0.8;
        ctx.strokeStyle = colour;
        ctx.lineWidth = 5 * px;
        ctx.setLineDash(colour === COLOURS.removed ? [8 * px, 6 * px] : []);
        ctx.beginPath();
        ctx.moveTo(a.x + dx / len * ra, a.y + dy / len * ra);
        ctx.lineTo(b.x - dx / len * rb, b.y - dy / len * rb);
        ctx.stroke();
      });
      ctx.setLineDash([]);
      ctx.globalAlpha = 1;
      marks.rings.forEach(function (colour, id) {
        var n = body.nodes[id];
        if (!n) { return; }
        ctx.strokeStyle = colour;
        ctx.lineWidth = 3 * px;
        ctx.beginPath();
        if (INSIDE[n.options.shape] && n.shape.width) {  // a label drawn inside: round its box
          ctx.ellipse(n.x, n.y, n.shape.width / 2 + 6 * px, n.shape.height / 2 + 6 * px, 0, 0, 2 * Math.PI);
        } else {
          ctx.arc(n.x, n.y, (n.options.size || 10) + 4 * px, 0, 2 * Math.PI);
        }
        ctx.stroke();
      });
      ctx.font = "600 " + 13 * px + "px Arial, 'Liberation Sans', sans-serif";
      ctx.textBaseline = "middle";
      ctx.lineJoin = "round";
      marks.notes.forEach(function (text, id) {
        var n = body.nodes[id];
        if (!n) { return; }
        var r = radius(n, Math.SQRT1_2, Math.SQRT1_2), x = n.x + r + 8 * px, y = n.y - r;
        ctx.lineWidth = 4 * px; ctx.strokeStyle = "#ffffff"; ctx.strokeText(text, x, y);
        ctx.fillStyle = marks.rings.get(id) || "#1a1a1a"; ctx.fillText(text, x, y);
      });
      ctx.restore();
    }
    network.on("afterDrawing", draw);

    // ---- the panel ---------------------------------------------------------------------------
    function entityButton(id) {
      return button(name(byId[id]), "Show this entity", function () { page.entity(id); });
    }
    function tieLines(into, id) {
      var e = edge(id), about = e.about || {};
      into.appendChild(el("p", "says", about.says || String(e.title || "").split("\n")[0]));
      if (about.source) { into.appendChild(el("p", "source", "Source: " + about.source)); }
    }
    function header(title, a) {
      var top = el("div", "top");
      top.appendChild(el("h2", null, title));
      top.appendChild(button("×", "Close the analysis", function () { set(null); }));
      section.appendChild(top);
      if (a && a.kind !== "control") {
        var label = el("label", "context"), box = el("input");
        box.type = "checkbox"; box.checked = !!options(a).context;
        box.addEventListener("change", function () {
          var next = JSON.parse(JSON.stringify(a));
          next.options = Object.assign({}, options(a), { context: box.checked });
          set(next);
        });
        label.appendChild(box);
        label.appendChild(document.createTextNode(" Follow context ties too (markets, places, policies)"));
        section.appendChild(label);
      }
    }
    function list(items, write, more) {
      var ol = el("ol", "found");
      items.slice(0, LISTED).forEach(function (item) { var li = el("li"); write(li, item); ol.appendChild(li); });
      section.appendChild(ol);
      if (items.length > LISTED) { section.appendChild(el("p", "more", (items.length - LISTED) + " more " + more + " not listed here")); }
    }

    function showPath(a, r) {
      header("Path", a);
      if (!byId[a.from] || !byId[a.to]) {
        var known = byId[a.from] ? ["from", a.from, "to"] : ["to", a.to, "from"];
        section.appendChild(el("p", "wait", "Path " + known[0] + " " + name(byId[known[1]]) + ": open another entity and press “Path " +
                                             known[2] + " here”."));
        return;
      }
      var line = el("p", "kind", "From ");
      line.appendChild(entityButton(a.from)); line.appendChild(document.createTextNode(" to ")); line.appendChild(entityButton(a.to));
      section.appendChild(line);
      var o = options(a);
      if (!r.length) {
        var followed = o.rels && o.rels.length ? "the given types" : (o.context ? "any tie" : "alliances (equity and deals)");
        section.appendChild(el("p", "none", "No chain within " + (o.maxHops || 6) + " hops following " + followed + "."));
        return;
      }
      section.appendChild(el("p", "count", plural(r.length, "shortest chain", "shortest chains") + " of " + plural(r[0].length, "hop", "hops") +
                                           (r.length > 1 ? " each" : "") + ", one sentence a hop:"));
      list(r, function (li, chain) {
        var names = [chain[0].from].concat(chain.map(function (h) { return h.to; }));
        li.appendChild(el("p", "chain", names.map(function (id) { return byId[id].name_en; }).join(" — ")));
        chain.forEach(function (hop) {
          var step = el("div", "hop");
          hop.ties.forEach(function (id) { tieLines(step, id); });
          li.appendChild(step);
        });
      }, "chains");
    }
    function showControl(a, r) {
      header("Control", a);
      var line = el("p", "kind");
      line.appendChild(entityButton(a.entity));
      line.appendChild(document.createTextNode(" reaches " + plural(r.reached.length, "entity", "entities") + " via " + r.via.join(", ") +
                                               " within " + plural(r.hops, "hop", "hops") + ", with the effective stake in each:"));
      section.appendChild(line);
      list(r.reached, function (li, e) {
        var row = el("p", "reached");
        row.appendChild(el("strong", "stake", stakeWords(e)));
        row.appendChild(document.createTextNode(" "));
        row.appendChild(entityButton(e.id));
        row.appendChild(document.createTextNode(" · " + plural(e.hops, "hop", "hops")));
        li.appendChild(row);
        (e.chains || []).slice(0, 3).forEach(function (c) {
          var step = el("div", "hop");
          c.ties.forEach(function (id) { tieLines(step, id); });
          li.appendChild(step);
        });
      }, "entities");
      if (r.aggregated) { section.appendChild(el("p", "more", "Too many chains to list one by one: stakes summed level by level.")); }
      var parents = el("p", "parents", r.ultimate_parents.length ? "Ultimate parents: " : "Ultimate parent: none (nothing owns it)");
      r.ultimate_parents.forEach(function (id, i) {
        if (i) { parents.appendChild(document.createTextNode(", ")); }
        parents.appendChild(entityButton(id));
      });
      section.appendChild(parents);
    }
    function showWhatIf(a, r) {
      header("What if", a);
      var o = options(a), gone = el("p", "kind", "Without ");
      (o.remove || []).forEach(function (id, i) { if (i) { gone.appendChild(document.createTextNode(", ")); } if (byId[id]) { gone.appendChild(entityButton(id)); } });
      section.appendChild(gone);
      (o.ties || []).forEach(function (id) { if (edge(id)) { var tie = el("div", "hop removed"); tieLines(tie, id); section.appendChild(tie); } });
      if (!(o.remove || []).length && !(o.ties || []).length) {
        gone.textContent = "Nothing removed yet: open an entity or a tie and press “What if it went”.";
      }
      if (!byId[a.entity]) {
        section.appendChild(el("p", "wait", "Open the entity to measure against and press “Measure the what-if here”."));
        return;
      }
      var against = el("p", "kind", "Measured against ");
      against.appendChild(entityButton(a.entity));
      section.appendChild(against);
      if (!r) { return; }
      section.appendChild(el("h3", null, plural(r.cut_off.length, "entity loses", "entities lose") + " every chain to " + byId[a.entity].name_en));
      list(r.cut_off, function (li, e) {
        li.appendChild(entityButton(e.id));
        li.appendChild(document.createTextNode(" (was " + plural(e.hops_before, "hop", "hops") + " away)"));
      }, "entities");
      if (r.longer === null) {
        section.appendChild(el("p", "more", "Pairs not compared: " + r.compared + " entities could route through what was removed."));
        return;
      }
      section.appendChild(el("h3", null, plural(r.longer.length, "pair is", "pairs are") + " left with a longer chain"));
      list(r.longer, function (li, p) {
        li.appendChild(entityButton(p.a));
        li.appendChild(document.createTextNode(" — "));
        li.appendChild(entityButton(p.b));
        li.appendChild(document.createTextNode(": " + p.before + " → " + plural(p.after, "hop", "hops")));
      }, "pairs");
    }

    // The panel shows the analysis above the selection's details (map-panel.js redraws those,
    // emptying the box: the section goes back on top each time).
    function sync(state) {
      var a = mine(state.analysis), now = compute(a), fresh = now.key !== shownKey;
      if (fresh) {
        shownKey = now.key;
        while (section.firstChild) { section.removeChild(section.firstChild); }
        if (a && now.error) {
          header({ path: "Path", control: "Control", whatif: "What if" }[a.kind], a);
          section.appendChild(el("p", "error", now.error));
        } else if (a) {
          ({ path: showPath, control: showControl, whatif: showWhatIf })[a.kind](a, now.result);
        }
      }
      if (!a) {
        if (section.parentNode) { section.parentNode.removeChild(section); }
        return;
      }
      if (box.firstChild !== section) { box.insertBefore(section, box.firstChild); }
      box.hidden = false;
      if (fresh && now.marks) { inSight(now.marks); }
    }
    // A new result: its entities in sight, right of the panel.
    function inSight(marks) {
      var ids = Array.from(marks.rings.keys()).filter(function (id) { return network.body.nodes[id]; });
      if (!ids.length) { return; }
      network.fit({ nodes: ids, animation: false, maxZoomLevel: 1.2 });
      // Into the part the panel leaves: all of it in sight comes before labels of 12 px here.
      var width = network.body.container.clientWidth, left = box.hidden ? 0 : box.getBoundingClientRect().width;
      var scale = network.getScale() * Math.max(0.3, (width - left) / width), view = network.getViewPosition();
      network.moveTo({ position: { x: view.x - left / 2 / scale, y: view.y }, scale: scale, animation: false });
    }

    // ---- the panel's buttons, for an entity or a tie -------------------------------------------
    function pathEnd(end, id) {
      var a = page.state().analysis, next = { kind: "path", from: null, to: null, options: {} };
      if (a && a.kind === "path") { next.from = a.from; next.to = a.to; next.options = options(a); }
      next[end] = id;
      if (next.from === next.to) { next[end === "from" ? "to" : "from"] = null; }
      set(next);
    }
    function whatIfPart(part, value) {
      var a = page.state().analysis, o = a && a.kind === "whatif" ? options(a) : {};
      var next = { kind: "whatif", entity: a && a.kind === "whatif" ? a.entity : null, options: Object.assign({}, o) };
      if (part === "entity") {
        next.entity = value;
        next.options.remove = (o.remove || []).filter(function (id) { return id !== value; });
      } else if (part === "remove") {
        next.options.remove = [value]; next.options.ties = [];
        if (next.entity === value) { next.entity = null; }
      } else {
        next.options.ties = [value]; next.options.remove = [];
      }
      set(next);
    }
    function tools(selected) {
      var row = el("p", "tools");
      function add(text, title, onClick) { row.appendChild(button(text, title, onClick, "tool")); }
      if (selected.entity !== undefined) {
        var id = selected.entity;
        add("Path from here", "The shortest alliance chains from this entity (then: “Path to here” on another)", function () { pathEnd("from", id); });
        add("Path to here", "The shortest alliance chains to this entity", function () { pathEnd("to", id); });
        add("Control", "What it holds through equity ties, with effective stakes, and its ultimate parents", function () {
          set({ kind: "control", entity: id, options: {} });
        });
        add("What if it went", "Take it away: who loses every chain to the entity measured against", function () { whatIfPart("remove", id); });
        add("Measure the what-if here", "Who loses every chain to this entity when the removed one goes", function () { whatIfPart("entity", id); });
      } else {
        var tie = selected.tie;
        add("What if it went", "Take this tie away: who loses every chain to the entity measured against", function () { whatIfPart("tie", tie); });
      }
      return row;
    }

    // ---- the API: window.ecograph.path, reach, whatIf, analysis, clearAnalysis, analyses ---------------
    function run(a) {
      set(a);
      if (current.error) { throw new Error(current.error); }
      return current.result;
    }
    var api = {
      path: function (a, b, opts) { return run({ kind: "path", from: a, to: b, options: opts || {} }); },
      reach: function (id, opts) { return run({ kind: "control", entity: id, options: opts || {} }); },
      whatIf: function (id, opts) { return run({ kind: "whatif", entity: id, options: opts || {} }); },
      analysis: function () {
        var a = mine(page.state().analysis);
        return { asked: a ? JSON.parse(JSON.stringify(a)) : null, result: compute(a).result, error: current.error,
                 marked: current.marks ? { entities: Array.from(current.marks.rings.keys()).sort(EcographAnalysis.compare),
                                           ties: Array.from(current.marks.ties.keys()).sort(function (x, y) { return x - y; }) } : null };
      },
      clearAnalysis: function () { set(null); return null; },
      // The same answers worked out without changing the view (for scripts, and quick tests).
      analyses: {
        path: function (a, b, opts) { return EcographAnalysis.paths(data, byId, a, b, opts || {}); },
        reach: function (id, opts) { return EcographAnalysis.reach(data, byId, id, opts || {}); },
        whatIf: function (id, opts) { return EcographAnalysis.whatIf(data, byId, id, opts || {}); }
      }
    };
    // What `draw` draws over the map, for a picture of it (map-picture.js): ids with colours and notes.
    var WORDS = { path: "on a shortest chain", reached: "reached, with its effective stake", parent: "ultimate parent",
                  cut: "loses every chain", longer: "left with a longer chain", removed: "taken away", anchor: "the entity asked about" };
    function overlay() {
      var m = current.marks;
      if (!m) { return null; }
      var used = {};
      m.rings.forEach(function (c) { used[c] = true; });
      m.ties.forEach(function (c) { used[c] = true; });
      var legend = Object.keys(WORDS).filter(function (k) { return used[COLOURS[k]]; })
        .map(function (k) { return { words: WORDS[k], color: COLOURS[k] }; });
      return { legend: legend, rings: Array.from(m.rings.entries()), notes: Array.from(m.notes.entries()),
               ties: Array.from(m.ties.entries()).map(function (t) { var e = edge(t[0]); return [e.from, e.to, t[1]]; }),
               dashed: COLOURS.removed };
    }
    return { reveal: reveal, sync: sync, tools: tools, api: api, overlay: overlay };
  }

  return { build: build };
})();

// Path, Control and What if in the link's fragment (map-analyses.js): `analysis=path,FROM,TO`,
// `analysis=control,ID`, `analysis=whatif,AGAINST,GONE,GONE…`. A link carries them as the
// panel's buttons ask them, with the default options; one asked otherwise (context ties
// followed, ties taken away, options given through the API) stays the page's.
(function () {
  "use strict";
  function plain(options, allowed) {
    return Object.keys(options || {}).every(function (k) {
      var v = options[k];
      return allowed.indexOf(k) >= 0 || v === undefined || v === null || v === false || (Array.isArray(v) && !v.length);
    });
  }
  function entities(args, byId, least, most) {
    var seen = {};
    var ok = args.length >= least && args.length <= most && args.every(function (id) {
      var fresh = !!byId[id] && !seen[id]; seen[id] = true; return fresh;
    });
    return ok ? args.slice() : null;
  }
  EcographAnalyses.register("path", {
    check: function (args, data, byId) { return entities(args, byId, 2, 2); },
    state: function (args) { return { kind: "path", from: args[0], to: args[1], options: {} }; },
    link: function (a) {
      return a.kind === "path" && a.from !== null && a.to !== null && plain(a.options, []) ? [a.from, a.to] : null;
    }
  });
  EcographAnalyses.register("control", {
    check: function (args, data, byId) { return entities(args, byId, 1, 1); },
    state: function (args) { return { kind: "control", entity: args[0], options: {} }; },
    link: function (a) { return a.kind === "control" && a.entity !== null && plain(a.options, []) ? [a.entity] : null; }
  });
  EcographAnalyses.register("whatif", {
    check: function (args, data, byId) { return entities(args, byId, 2, Infinity); },
    state: function (args) { return { kind: "whatif", entity: args[0], options: { remove: args.slice(1), ties: [] } }; },
    link: function (a) {
      var o = a.options || {};
      if (a.kind !== "whatif" || a.entity === null || !(o.remove || []).length || !plain(o, ["remove"])) { return null; }
      return [a.entity].concat(o.remove);
    }
  });
})();
