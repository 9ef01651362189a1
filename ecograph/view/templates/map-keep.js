// What the link keeps beside the filters (map-url.js writes it): entities pinned where they were
// dragged, and the camera. `build(page)` takes the page's parts: {network, nodes (its DataSet),
// byId, status (the status line), render(), state() (the page's state, which Reset replaces),
// fragment() (the state's fragment)}.
//
//   - Dragging an entity pins it where it was dropped: `state.pins` holds {id: [x, y]} in whole
//     pixels of the map; unpinned, an entity goes back where the layout put it.
//   - The camera (the middle of the window on the map, and the zoom) is `state.camera` once it
//     differs from the opening view's: after any move, zoom, focus or fit, when the map is next
//     drawn, and the address follows a moment later.
var EcographKeep = (function () {
  "use strict";

  function build(page) {
    var network = page.network, byId = page.byId, pinnedNow = {};
    function state() { return page.state(); }

    function applyPins() {
      var pins = state().pins, updates = [];
      Object.keys(pinnedNow).forEach(function (id) {
        if (!pins[id]) { updates.push({ id: id, x: byId[id].x, y: byId[id].y }); delete pinnedNow[id]; }
      });
      Object.keys(pins).forEach(function (id) {
        pinnedNow[id] = true;
        updates.push({ id: id, x: pins[id][0], y: pins[id][1] });
      });
      if (updates.length) { page.nodes.update(updates); }
    }
    function pin(id, x, y) {
      if (!byId[id]) { return null; }
      if (x === undefined) { var at = network.getPosition(id); x = at.x; y = at.y; }
      state().pins[id] = [Math.round(x), Math.round(y)];
      applyPins(); page.render();
      return state().pins[id].slice();
    }
    function unpin(id) { delete state().pins[id]; applyPins(); page.render(); }
    network.on("dragEnd", function (params) {
      params.nodes.filter(function (id) { return byId[id]; }).forEach(function (id) { pin(id); });
    });

    var openingCamera = null, cameraSeen = null, cameraTimer = null;
    function liveCamera() {
      var at = network.getViewPosition();
      return { x: Math.round(at.x), y: Math.round(at.y), scale: Number(network.getScale().toPrecision(4)) };
    }
    function same(a, b) { return !!a && !!b && a.x === b.x && a.y === b.y && a.scale === b.scale; }
    // Brings state().camera in line with the map; whether it changed.
    function sync() {
      if (!openingCamera) { return false; }
      var now = liveCamera();
      if (same(now, cameraSeen)) { return false; }
      cameraSeen = now;
      state().camera = same(now, openingCamera) ? null : now;
      return true;
    }
    function link() { sync(); EcographUrl.write(page.fragment()); return location.href; }
    network.on("afterDrawing", function () {
      if (sync()) { clearTimeout(cameraTimer); cameraTimer = setTimeout(link, 150); }
    });
    // The map shows the opening view now (at load, after Reset): a camera like it is no camera.
    function opened() { openingCamera = cameraSeen = liveCamera(); }
    // The camera a link gave (state().camera) back in place, after focusing moved it.
    function restore() {
      var c = state().camera;
      if (c) { network.moveTo({ position: { x: c.x, y: c.y }, scale: c.scale, animation: false }); }
      cameraSeen = c ? liveCamera() : null;  // none given: the link says where the map now is
    }
    function moveTo(x, y, scale) {
      network.moveTo({ position: { x: x, y: y }, scale: scale, animation: false });
      link();
      return state().camera;
    }

    // "Copy link to this view": the address with the view's fragment, on the clipboard (or,
    // where the page may not write there, shown to copy by hand).
    function copyLink() {
      var url = link();
      function fallback() {
        var area = document.createElement("textarea"), ok = false;
        area.value = url; document.body.appendChild(area); area.select();
        try { ok = document.execCommand("copy"); } catch (err) { ok = false; }
        document.body.removeChild(area);
        page.status.textContent = ok ? "Link to this view copied" : "Copy this link: " + url;
      }
      if (navigator.clipboard && navigator.clipboard.writeText) {
        return navigator.clipboard.writeText(url).then(function () { page.status.textContent = "Link to this view copied"; return url; },
                                                       function () { fallback(); return url; });
      }
      fallback();
      return Promise.resolve(url);
    }

    return { applyPins: applyPins, pin: pin, unpin: unpin, sync: sync, link: link, opened: opened, restore: restore,
             moveTo: moveTo, copyLink: copyLink };
  }

  return { build: build };
})();
