// The side panel's legend, which is also the filter: each kind with the shape and colour it is
// drawn in, each relationship type with its colour, width and dash, grouped as the schema groups
// them (equity, deals, context). Built with DOM calls and textContent only: names never become
// HTML. `sync(state)` redraws the checkboxes from the state; clicks call the page's actions.
var EcographLegend = (function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  var GROUP_TITLES = { equity: "Equity", deal: "Deals", context: "Context ties" };

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }
  function svg(tag, attrs) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    return node;
  }

  function star(cx, cy, outer, inner) {
    var points = [];
    for (var i = 0; i < 10; i++) {
      var r = i % 2 ? inner : outer, a = -Math.PI / 2 + i * Math.PI / 5;
      points.push((cx + r * Math.cos(a)).toFixed(1) + "," + (cy + r * Math.sin(a)).toFixed(1));
    }
    return points.join(" ");
  }
  function hexagon(cx, cy, r) {
    var points = [];
    for (var i = 0; i < 6; i++) {
      var a = i * Math.PI / 3;
      points.push((cx + r * Math.cos(a)).toFixed(1) + "," + (cy + r * Math.sin(a)).toFixed(1));
    }
    return points.join(" ");
  }

  // A small picture of vis-network's shape in the kind's colour.
  function shapeMarker(shape, color) {
    var box = svg("svg", { width: 22, height: 16, viewBox: "0 0 22 16", "class": "marker", "aria-hidden": "true" });
    var fill = { fill: color, stroke: "#333", "stroke-width": 0.8 }, part;
    switch (shape) {
      case "square": part = svg("rect", { x: 5, y: 2, width: 12, height: 12 }); break;
      case "triangle": part = svg("polygon", { points: "11,1 18,14 4,14" }); break;
      case "triangleDown": part = svg("polygon", { points: "4,2 18,2 11,15" }); break;
      case "diamond": part = svg("polygon", { points: "11,1 18,8 11,15 4,8" }); break;
      case "star": part = svg("polygon", { points: star(11, 8.5, 7.5, 3.2) }); break;
      case "hexagon": part = svg("polygon", { points: hexagon(11, 8, 7) }); break;
      case "ellipse": part = svg("ellipse", { cx: 11, cy: 8, rx: 10, ry: 6 }); break;
      case "box": part = svg("rect", { x: 1, y: 3, width: 20, height: 10, rx: 2 }); break;
      default: part = svg("circle", { cx: 11, cy: 8, r: 6.5 });
    }
    Object.keys(fill).forEach(function (k) { part.setAttribute(k, fill[k]); });
    box.appendChild(part);
    return box;
  }

  // A short line in the type's colour, width and dash pattern.
  function lineMarker(t) {
    var box = svg("svg", { width: 34, height: 12, viewBox: "0 0 34 12", "class": "marker", "aria-hidden": "true" });
    var line = svg("line", { x1: 1, y1: 6, x2: 33, y2: 6, stroke: t.color, "stroke-width": Math.max(1.2, t.width) });
    if (t.dashes && t.dashes.length) { line.setAttribute("stroke-dasharray", t.dashes.join(" ")); }
    box.appendChild(line);
    return box;
  }

  function build(panel, legend, actions) {
    var boxes = { kinds: {}, types: {} }, groupBoxes = {};

    function allNone(section, heading) {
      var all = el("button", { type: "button", "class": "small", "data-all": section }, "all");
      var none = el("button", { type: "button", "class": "small", "data-none": section }, "none");
      all.addEventListener("click", function () { actions.all(section, true); });
      none.addEventListener("click", function () { actions.all(section, false); });
      heading.appendChild(all); heading.appendChild(none);
    }
    function row(section, key, marker, text, title) {
      var div = el("div", { "class": "row" }), label = el("label", title ? { title: title } : {});
      var box = el("input", { type: "checkbox" });
      box.dataset[section] = key;
      box.addEventListener("change", function () { actions.toggle(section, key, box.checked); });
      var only = el("button", { type: "button", "class": "small only", "data-only": key, title: "Show only this" }, "only");
      only.addEventListener("click", function () { actions.only(section, key); });
      label.appendChild(box); label.appendChild(marker); label.appendChild(document.createTextNode(text));
      div.appendChild(label); div.appendChild(only);
      boxes[section][key] = box;
      return div;
    }

    var kindsHeading = el("h2", {}, "Entity kinds");
    allNone("kinds", kindsHeading);
    panel.appendChild(kindsHeading);
    legend.kinds.forEach(function (k) { panel.appendChild(row("kinds", k.kind, shapeMarker(k.shape, k.color), k.kind)); });

    var typesHeading = el("h2", {}, "Relationship types");
    allNone("types", typesHeading);
    panel.appendChild(typesHeading);
    legend.groups.forEach(function (g) {
      var types = legend.types.filter(function (t) { return t.group === g.group; });
      if (!types.length) { return; }
      var h = el("h3"), label = el("label"), box = el("input", { type: "checkbox", id: "group-" + g.group });
      box.dataset.group = g.group;
      box.addEventListener("change", function () { actions.group(g.group, box.checked); });
      label.appendChild(box); label.appendChild(document.createTextNode(" " + (GROUP_TITLES[g.group] || g.group)));
      h.appendChild(label); panel.appendChild(h);
      panel.appendChild(el("p", { "class": "meaning" }, g.meaning));
      groupBoxes[g.group] = { box: box, types: types.map(function (t) { return t.type; }) };
      types.forEach(function (t) {
        panel.appendChild(row("types", t.type, lineMarker(t), t.words, t.type));
      });
    });

    return function sync(state) {
      ["kinds", "types"].forEach(function (section) {
        Object.keys(boxes[section]).forEach(function (key) { boxes[section][key].checked = !!state[section][key]; });
      });
      Object.keys(groupBoxes).forEach(function (g) {
        var on = groupBoxes[g].types.filter(function (t) { return state.types[t]; }).length;
        groupBoxes[g].box.checked = on === groupBoxes[g].types.length;
        groupBoxes[g].box.indeterminate = on > 0 && on < groupBoxes[g].types.length;
      });
    };
  }

  return { build: build, shapeMarker: shapeMarker, lineMarker: lineMarker };
})();
