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
    ctx.save();
    // Zoomed out, a tie stays a hairline (at least 0.6 screen px) and a crowd of them half see-through.
    ctx.globalAlpha = alpha || (scale < 0.5 ? 0.45 : 0.9);
    keys.forEach(function (key) {
      var style = styles[key].e;
      ctx.strokeStyle = style.color.color;
      ctx.lineWidth = Math.max(style.width, 0.6 / scale);
      ctx.setLineDash(style.dashes ? style.dashes : []);
      ctx.beginPath();
      styles[key].ties.forEach(function (e) {
        var a = at(e.from), b = at(e.to);
        if (a && b) { ctx.moveTo(a.x, a.y); ctx.lineTo(b.x, b.y); }
      });
      ctx.stroke();
    });
    ctx.restore();
  }

  // The ties drawn once into a canvas of their own and copied onto the map's while neither the
  // zoom nor the ties change: a click redraws the map (selection, focus veil) without them. The
  // canvas reaches half a screen past each side, so a pan within that (the map moving clear of
  // the details panel, a drag) copies it shifted: redrawing 20,000 ties took 0.8 s a click.
  function cache() {
    var canvas = document.createElement("canvas"), key = null, origin = null;
    return function (ctx, version, ties, at, scale) {
      var m = ctx.getTransform(), target = ctx.canvas, mx = Math.round(target.width / 2), my = Math.round(target.height / 2);
      var now = [version, m.a, m.b, m.c, m.d, target.width, target.height].join(" ");
      if (now !== key || !origin || Math.abs(m.e - origin.e) > mx || Math.abs(m.f - origin.f) > my) {
        key = now; origin = { e: m.e, f: m.f };
        canvas.width = target.width + 2 * mx; canvas.height = target.height + 2 * my;
        var own = canvas.getContext("2d");
        own.setTransform(m.a, m.b, m.c, m.d, m.e + mx, m.f + my);
        draw(own, ties, at, scale);
      }
      ctx.save();
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      var w = target.width, h = target.height;  // only the part in view is copied
      ctx.drawImage(canvas, mx - Math.round(m.e - origin.e), my - Math.round(m.f - origin.f), w, h, 0, 0, w, h);
      ctx.restore();
    };
  }

  return { draw: draw, cache: cache };
})();
