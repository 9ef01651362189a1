// A big map's ties, drawn by the page in one canvas path per line style instead of one
// vis-network item each. vis-network parses, stores and strokes every tie on its own: at
// 20,000 ties, making the network took 5 to 12 s and each frame 1 to 3 s in headless Chromium
// (benchmarks/bench_render.py), and it culls nodes out of view but never ties. Here a frame
// costs one moveTo/lineTo per tie and one stroke per style, and nothing while the map moves.
// Page-drawn ties have no tooltip (a focused entity's are drawn again, on top of its veil).
var EcographTies = (function () {
  "use strict";

  var GROUP_ORDER = { context: 0, deal: 1, equity: 2 };  // equity drawn last, on top

  // `ties` lists the edges to draw; `at(id)` gives a node's position now (it may be dragged);
  // `alpha` their opacity (default: see-through when zoomed out).
  function draw(ctx, ties, at, scale, alpha) {
    var styles = {}, keys = [];
    ties.forEach(function (e) {
      var key = (GROUP_ORDER[e.group] || 0) + "|" + e.color.color + "|" + e.width + "|" + (e.dashes ? e.dashes.join(",") : "");
      if (!styles[key]) { styles[key] = { e: e, ties: [] }; keys.push(key); }
      styles[key].ties.push(e);
    });
    keys.sort();
    // What the canvas shows, in map units: a tie is stroked only there, not the 100,000 pixels
    // past the screen a tie to a far camp ran once zoomed in.
    var m = ctx.getTransform(), view = { x0: -m.e / m.a, y0: -m.f / m.d };
    view.x1 = view.x0 + ctx.canvas.width / m.a; view.y1 = view.y0 + ctx.canvas.height / m.d;
    ctx.save();
    // Zoomed out, a tie stays a hairline (at least 0.6 screen px) and a crowd of them half see-through.
    ctx.globalAlpha = alpha || (scale < 0.5 ? 0.45 : 0.9);
    keys.forEach(function (key) {
      var style = styles[key].e;
      ctx.strokeStyle = style.color.color;
      ctx.lineWidth = Math.max(style.width, 0.6 / scale);
      ctx.setLineDash(style.dashes ? style.dashes : []);
      // Stroked 500 at a time: picking an entity of the 100,000 map (its camp opened, zoomed
      // in) spent 207 s filling one path of its camp's long crossing ties, 62 s in batches.
      var count = 0;
      ctx.beginPath();
      styles[key].ties.forEach(function (e) {
        var a = at(e.from), b = at(e.to), part = a && b && clip(a.x, a.y, b.x, b.y, view);
        if (!part) { return; }
        ctx.moveTo(part[0], part[1]); ctx.lineTo(part[2], part[3]);
        if (++count % 500 === 0) { ctx.stroke(); ctx.beginPath(); }
      });
      ctx.stroke();
    });
    ctx.restore();
  }

  // The part of the segment (x0, y0)-(x1, y1) inside `r` (Liang-Barsky), or null.
  function clip(x0, y0, x1, y1, r) {
    var t0 = 0, t1 = 1, dx = x1 - x0, dy = y1 - y0;
    var p = [-dx, dx, -dy, dy], q = [x0 - r.x0, r.x1 - x0, y0 - r.y0, r.y1 - y0];
    for (var i = 0; i < 4; i++) {
      if (p[i] === 0) {
        if (q[i] < 0) { return null; }
      } else {
        var t = q[i] / p[i];
        if (p[i] < 0) { if (t > t1) { return null; } if (t > t0) { t0 = t; } } else { if (t < t0) { return null; } if (t < t1) { t1 = t; } }
      }
    }
    return [x0 + t0 * dx, y0 + t0 * dy, x0 + t1 * dx, y0 + t1 * dy];
  }

  // The ties drawn once into a canvas of their own and copied onto the map's while neither the
  // view nor the ties change: a click redraws the map (selection, focus veil) without them.
  function cache() {
    var canvas = document.createElement("canvas"), key = null;
    return function (ctx, version, ties, at, scale) {
      var m = ctx.getTransform(), target = ctx.canvas;
      var now = [version, m.a, m.e, m.f, target.width, target.height].join(" ");
      if (now !== key) {
        key = now;
        canvas.width = target.width; canvas.height = target.height;
        var own = canvas.getContext("2d");
        own.setTransform(m);
        draw(own, ties, at, scale);
      }
      ctx.save();
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.drawImage(canvas, 0, 0);
      ctx.restore();
    };
  }

  return { draw: draw, cache: cache };
})();
