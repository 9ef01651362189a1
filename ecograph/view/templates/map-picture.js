// "Download SVG" and "Download PNG": what is on screen, as a picture to put in a report or a
// slide. The map's visible part is redrawn as SVG from what vis-network draws (each entity's
// place on screen, shape, colours, fade, halo and label; each tie's line, dash, width and stake),
// under the page's title, over a legend of only the kinds and ties in the picture and a Sources
// line naming the report sections and studies behind the ties in it. The PNG is that SVG drawn at
// twice the screen's pixels. Text goes in as text (never HTML): names stay names.
var EcographPicture = (function () {
  "use strict";
  var FONT = "Arial, 'Liberation Sans', 'Noto Sans CJK TC', 'Noto Sans CJK SC', sans-serif";
  var INSIDE = { box: true, ellipse: true, circle: true, database: true, text: true };

  function esc(text) {
    return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  }
  function attrs(map) {
    return Object.keys(map).filter(function (k) { return map[k] !== null && map[k] !== undefined; })
      .map(function (k) { return k + '="' + esc(map[k]) + '"'; }).join(" ");
  }
  function tag(name, map, body) { return "<" + name + " " + attrs(map) + (body === undefined ? "/>" : ">" + body + "</" + name + ">"); }
  function points(list) { return list.map(function (p) { return p[0].toFixed(1) + "," + p[1].toFixed(1); }).join(" "); }
  function regular(x, y, r, count, turn) {
    var out = [];
    for (var i = 0; i < count; i++) {
      var a = turn + i * 2 * Math.PI / count;
      out.push([x + r * Math.cos(a), y + r * Math.sin(a)]);
    }
    return out;
  }
  // A shape as vis-network draws it (size = radius in screen pixels), with fill and stroke.
  function shape(kind, x, y, r, paint) {
    if (kind === "square") { return tag("rect", Object.assign({ x: x - r, y: y - r, width: 2 * r, height: 2 * r }, paint)); }
    if (kind === "diamond") { return tag("polygon", Object.assign({ points: points([[x, y - r], [x + r, y], [x, y + r], [x - r, y]]) }, paint)); }
    if (kind === "triangle") { return tag("polygon", Object.assign({ points: points(regular(x, y, r, 3, -Math.PI / 2)) }, paint)); }
    if (kind === "triangleDown") { return tag("polygon", Object.assign({ points: points(regular(x, y, r, 3, Math.PI / 2)) }, paint)); }
    if (kind === "hexagon") { return tag("polygon", Object.assign({ points: points(regular(x, y, r, 6, 0)) }, paint)); }
    if (kind === "star") {
      var outer = regular(x, y, r, 5, -Math.PI / 2), inner = regular(x, y, r * 0.4, 5, -Math.PI / 2 + Math.PI / 5), star = [];
      outer.forEach(function (p, i) { star.push(p, inner[i]); });
      return tag("polygon", Object.assign({ points: points(star) }, paint));
    }
    return tag("circle", Object.assign({ cx: x, cy: y, r: r }, paint));
  }
  function colourOf(c, key) { return typeof c === "string" ? c : (c && (c[key] || c.background || c.color)) || "#999999"; }
  function dash(d) { return d && d.length ? d.join(",") : (d === true ? "5,5" : null); }

  function text(x, y, lines, size, colour, anchor, weight) {
    return lines.map(function (line, i) {
      return tag("text", { x: x, y: y + i * size * 1.15, "font-size": size.toFixed(1), fill: colour, "text-anchor": anchor || "middle",
                           "font-weight": weight || null, stroke: anchor ? null : "#ffffff", "stroke-width": anchor ? null : (size / 5).toFixed(1),
                           "paint-order": "stroke" }, esc(line));
    }).join("");
  }

  // The map's visible ties and entities, as SVG in screen pixels (0,0 = the map's top left).
  // `ties`: a big map's visible ties, which the page draws itself (vis-network holds none).
  function drawMap(network, inView, ties) {
    var body = network.body, scale = network.getScale(), out = [], labels = [];
    function at(p) { return network.canvasToDOM({ x: p.x, y: p.y }); }
    var edges = ties ? ties.map(function (t) {
      return { id: t.id, from: body.nodes[t.from], to: body.nodes[t.to], own: t,
               options: { color: t.color, width: t.width, dashes: t.dashes } };
    }) : body.edgeIndices.map(function (id) { return body.edges[id]; });
    edges.forEach(function (e) {
      var o = e.options;
      if (o.hidden || !e.from || !e.to || e.from.options.hidden || e.to.options.hidden) { return; }
      var a = at(e.from), b = at(e.to);
      if (!inView(a) && !inView(b)) { return; }
      var c = o.color || {}, width = Math.max(0.5, (o.width || 1) * scale), opacity = c.opacity === undefined ? 1 : c.opacity;
      // The arrowhead at the edge of the entity it points to, in the tie's colour.
      var dx = b.x - a.x, dy = b.y - a.y, length = Math.sqrt(dx * dx + dy * dy) || 1, ux = dx / length, uy = dy / length;
      var tip = Math.min(length / 2, ((e.to.options.size || 10) + 2) * scale), head = (5 + 2 * width) * 0.9;
      var end = { x: b.x - ux * tip, y: b.y - uy * tip };
      out.push(tag("line", { x1: a.x.toFixed(1), y1: a.y.toFixed(1), x2: (end.x - ux * head * 0.8).toFixed(1), y2: (end.y - uy * head * 0.8).toFixed(1),
                             stroke: c.color || "#999999", "stroke-width": width.toFixed(2), "stroke-opacity": opacity,
                             "stroke-dasharray": dash(o.dashes) }));
      out.push(tag("polygon", { points: points([[end.x, end.y], [end.x - ux * head - uy * head / 2, end.y - uy * head + ux * head / 2],
                                                [end.x - ux * head + uy * head / 2, end.y - uy * head - ux * head / 2]]),
                                fill: c.color || "#999999", "fill-opacity": opacity }));
      if (o.label) { labels.push(text((a.x + b.x) / 2, (a.y + b.y) / 2, [o.label], 13 * scale, "#1a1a1a")); }
      (e.own || e).picture = true;
    });
    var kinds = {};
    body.nodeIndices.forEach(function (id) {
      var n = body.nodes[id], o = n.options;
      if (o.hidden) { return; }
      var p = at(n), r = (o.size || 10) * scale;
      if (!inView(p)) { return; }
      kinds[id] = true;
      var fontSize = ((o.font && o.font.size) || 14) * scale, lines = String(o.label || "").split("\n");
      var fill = colourOf(o.color, "background"), border = colourOf(o.color, "border");
      var paint = { fill: fill, stroke: border, "stroke-width": ((o.borderWidth || 1) * scale).toFixed(2), opacity: o.opacity === undefined ? 1 : o.opacity };
      if (o.shadow && o.shadow.enabled) {  // an analysis's halo
        out.push(tag("circle", { cx: p.x, cy: p.y, r: r + 8 * scale, fill: "none", stroke: o.shadow.color, "stroke-width": 6 * scale, "stroke-opacity": 0.5 }));
      }
      var colour = (o.font && o.font.color) || "#1a1a1a";
      if (INSIDE[o.shape]) {
        var longest = lines.reduce(function (most, l) { return Math.max(most, l.length); }, 0);
        var w = longest * fontSize * 0.62 + 10 * scale;
        var h = lines.length * fontSize * 1.15 + 8 * scale;
        out.push(o.shape === "ellipse" ? tag("ellipse", Object.assign({ cx: p.x, cy: p.y, rx: w / 1.7, ry: h / 1.5 }, paint))
          : tag("rect", Object.assign({ x: p.x - w / 2, y: p.y - h / 2, width: w, height: h, rx: 3 }, paint)));
        labels.push(text(p.x, p.y - h / 2 + 4 * scale + fontSize * 0.9, lines, fontSize, colour, "middle"));
      } else {
        out.push(shape(o.shape, p.x, p.y, r, paint));
        labels.push(text(p.x, p.y + r + fontSize, lines, fontSize, o.opacity < 1 ? "#c8c8c8" : colour));
      }
    });
    return { svg: out.join("") + labels.join(""), nodes: kinds };
  }

  // What Path, Control and What if draw over the map (map-analysis-view.js: rings, ties drawn
  // over, notes such as stakes), at the entities' places on screen.
  function drawOverlay(network, marks) {
    if (!marks) { return ""; }
    var body = network.body, scale = network.getScale(), out = [];
    function at(id) { var n = body.nodes[id]; return n && !n.options.hidden ? network.canvasToDOM({ x: n.x, y: n.y }) : null; }
    function radius(id) { return (body.nodes[id].options.size || 10) * scale; }
    marks.ties.forEach(function (t) {
      var a = at(t[0]), b = at(t[1]);
      if (!a || !b) { return; }
      // From border to border, as the page draws it.
      var dx = b.x - a.x, dy = b.y - a.y, len = Math.sqrt(dx * dx + dy * dy) || 1, ra = radius(t[0]) + 3, rb = radius(t[1]) + 3;
      if (len <= ra + rb) { return; }
      a = { x: a.x + dx / len * ra, y: a.y + dy / len * ra }; b = { x: b.x - dx / len * rb, y: b.y - dy / len * rb };
      out.push(tag("line", { x1: a.x.toFixed(1), y1: a.y.toFixed(1), x2: b.x.toFixed(1), y2: b.y.toFixed(1), stroke: t[2],
                             "stroke-width": 5, "stroke-opacity": 0.8, "stroke-linecap": "round",
                             "stroke-dasharray": t[2] === marks.dashed ? "8,6" : null }));
    });
    marks.rings.forEach(function (r) {
      var p = at(r[0]), n = body.nodes[r[0]], paint = { fill: "none", stroke: r[1], "stroke-width": 3 };
      if (!p) { return; }
      if (INSIDE[n.options.shape] && n.shape.width) {  // a label drawn inside: round its box
        out.push(tag("ellipse", Object.assign({ cx: p.x.toFixed(1), cy: p.y.toFixed(1), rx: (n.shape.width / 2 * scale + 6).toFixed(1),
                                                ry: (n.shape.height / 2 * scale + 6).toFixed(1) }, paint)));
      } else {
        out.push(tag("circle", Object.assign({ cx: p.x.toFixed(1), cy: p.y.toFixed(1), r: (radius(r[0]) + 6).toFixed(1) }, paint)));
      }
    });
    var colours = {};
    marks.rings.forEach(function (r) { colours[r[0]] = r[1]; });
    marks.notes.forEach(function (n) {
      var p = at(n[0]);
      if (!p) { return; }
      var r = radius(n[0]) * Math.SQRT1_2;
      out.push(tag("text", { x: (p.x + r + 8).toFixed(1), y: (p.y - r).toFixed(1), "font-size": 13, "font-weight": 600,
                             fill: colours[n[0]] || "#1a1a1a", stroke: "#ffffff", "stroke-width": 4, "paint-order": "stroke" }, esc(n[1])));
    });
    return out.join("");
  }

  // Rows of swatches: each kind and tie type in the picture, and the analysis's marks.
  var measure = null;
  function textWidth(words, size) {  // as the browser sets it (the picture is drawn by the same)
    if (!measure) { measure = document.createElement("canvas").getContext("2d"); }
    measure.font = size + "px " + FONT;
    return measure.measureText(words).width;
  }
  function legend(items, width, y) {
    var out = [], x = 16, rowY = y;
    items.forEach(function (item) {
      var w = 44 + textWidth(item.words, 13);
      if (x + w > width - 16) { x = 16; rowY += 22; }
      if (item.line) {
        out.push(tag("line", { x1: x, y1: rowY - 4, x2: x + 24, y2: rowY - 4, stroke: item.color, "stroke-width": 3, "stroke-dasharray": dash(item.dashes) }));
      } else {
        out.push(shape(item.shape || "dot", x + 12, rowY - 4, 7, { fill: item.color, stroke: item.border || item.color, "stroke-width": item.border ? 3 : 1 }));
      }
      out.push(tag("text", { x: x + 30, y: rowY + 1, "font-size": 13, fill: "#1a1a1a" }, esc(item.words)));
      x += w;
    });
    return { svg: out.join(""), bottom: rowY + 10 };
  }

  // Words wrapped to lines of at most `room` characters.
  function wrap(words, room) {
    var lines = [], line = "";
    words.split(" ").forEach(function (word) {
      if (line && (line + " " + word).length > room) { lines.push(line); line = word; } else { line = line ? line + " " + word : word; }
    });
    if (line) { lines.push(line); }
    return lines;
  }

  // The picture of what is on screen: {svg, width, height}. `page`: {network, data, title,
  // marks: [{words, color}] the analysis's legend, overlay: what Path, Control or What if draw over}.
  function svg(page) {
    var box = page.network.body.container.getBoundingClientRect(), W = Math.round(box.width), H = Math.round(box.height);
    var top = 44, drawn = drawMap(page.network, function (p) { return p.x >= -40 && p.y >= -40 && p.x <= W + 40 && p.y <= H + 40; },
                                 page.ties);
    var kinds = {}, types = {}, sources = {}, order = [];
    page.data.nodes.forEach(function (n) { if (drawn.nodes[n.id]) { kinds[n.kind] = true; } });
    page.data.edges.forEach(function (e) {
      var on = page.ties ? e : page.network.body.edges[e.id];
      if (!on || !on.picture) { return; }
      delete on.picture;
      types[e.type] = true;
      var source = e.about && e.about.source;
      if (source && !sources[source]) { sources[source] = true; order.push(source); }
    });
    var items = page.data.legend.kinds.filter(function (k) { return kinds[k.kind]; })
      .map(function (k) { return { words: k.words || k.kind, color: k.color, shape: k.shape }; })
      .concat(page.data.legend.types.filter(function (t) { return types[t.type]; })
        .map(function (t) { return { words: t.words || t.type, color: t.color, dashes: t.dashes, line: true }; }))
      .concat((page.marks || []).map(function (m) { return { words: m.words, color: "#ffffff", border: m.color }; }));
    var key = legend(items, W, H + top + 24);
    var foot = order.length ? wrap("Sources: " + order.join("; ") + ".", Math.floor(W / 7)) : [];
    var height = key.bottom + 8 + foot.length * 16 + 8;
    var parts = [
      '<svg xmlns="http://www.w3.org/2000/svg" ' + attrs({ width: W, height: height, viewBox: "0 0 " + W + " " + height, "font-family": FONT }) + ">",
      "<defs>" + tag("clipPath", { id: "map-area" }, tag("rect", { x: 0, y: 0, width: W, height: H })) + "</defs>",
      tag("rect", { x: 0, y: 0, width: W, height: height, fill: "#ffffff" }),
      text(16, 28, [page.title], 20, "#1a1a1a", "start", "bold"),
      '<g transform="translate(0,' + top + ')" clip-path="url(#map-area)">' + drawn.svg + drawOverlay(page.network, page.overlay) + "</g>",
      tag("line", { x1: 0, y1: top + H, x2: W, y2: top + H, stroke: "#dddddd" }),
      key.svg,
      text(16, key.bottom + 16, foot, 12, "#333333", "start"),
      "</svg>"
    ];
    return { svg: parts.join(""), width: W, height: height };
  }

  // The SVG drawn at `times` the screen's pixels: a promise of a PNG data URL.
  function png(picture, times) {
    return new Promise(function (resolve, reject) {
      var image = new Image();
      image.onload = function () {
        var canvas = document.createElement("canvas");
        canvas.width = picture.width * times; canvas.height = picture.height * times;
        var ctx = canvas.getContext("2d");
        ctx.scale(times, times);
        ctx.drawImage(image, 0, 0, picture.width, picture.height);
        resolve(canvas.toDataURL("image/png"));
      };
      image.onerror = function () { reject(new Error("the picture could not be drawn")); };
      image.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(picture.svg);
    });
  }

  function save(name, url) {
    var a = document.createElement("a");
    a.href = url; a.download = name;
    document.body.appendChild(a); a.click(); document.body.removeChild(a);
  }

  // The page's "Download PNG" and "Download SVG" buttons. `page`: {network, data, ties() (a big
  // map's visible ties, or null)}; the title is the page's, and the analysis's when one is on,
  // whose box's headings (and their swatches) are the marks' legend.
  function attach(page) {
    function picture() {
      var box = document.getElementById("analysis"), heading = box.hidden ? null : box.querySelector("h2");
      // Path, Control and What if write theirs at the top of the details panel (map-analysis-view.js).
      heading = heading || document.querySelector("#analysis-panel h2");
      var marks = box.hidden ? [] : Array.prototype.map.call(box.querySelectorAll("h3"), function (h) {
        var swatch = h.querySelector(".swatch");
        return { words: h.textContent, color: swatch ? swatch.style.backgroundColor : "#999999" };
      });
      var overlay = page.overlay ? page.overlay() : null;
      if (overlay) { marks = marks.concat(overlay.legend); }  // Path, Control and What if's marks in the legend
      return svg({ network: page.network, data: page.data, marks: marks, ties: page.ties(), overlay: overlay,
                   title: document.title + (heading ? " \u2014 " + heading.textContent : "") });
    }
    function download(kind) {
      var p = picture(), name = (document.title || "ecograph").replace(/[^\w\u00c0-\uffff-]+/g, "-").replace(/^-+|-+$/g, "") || "map";
      if (kind === "svg") {
        save(name + ".svg", URL.createObjectURL(new Blob([p.svg], { type: "image/svg+xml" })));
        return Promise.resolve(name + ".svg");
      }
      return png(p, 2).then(function (url) { save(name + ".png", url); return name + ".png"; });
    }
    document.getElementById("download-png").addEventListener("click", function () { download("png"); });
    document.getElementById("download-svg").addEventListener("click", function () { download("svg"); });
    return { picture: picture, download: download };
  }

  return { svg: svg, png: png, save: save, attach: attach };
})();
