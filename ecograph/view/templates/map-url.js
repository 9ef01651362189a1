// The view in the address: the page's state as the URL fragment, so that reloading the page,
// or sending the file with the link, opens the same view.
//
//   #focus=alibaba&types=OWNS,INVESTED_IN&kinds=Company,Platform&since=2012&until=2013&lang=en&untied=1&tie=3
//   #analysis=camps,alibaba,tencent          the active analysis, its name then its arguments
//                                            (map-analyses.js: camps, diff, path, control, whatif)
//   #pins=alibaba:120:-40,jd:300:15          entities dragged to a place of their own (x:y)
//   #view=210,340,0.75                       the middle of the window on the map, and the zoom
//
// Only what differs from the opening view is written (an untouched map has no fragment); lists
// name what is on (`types=` with nothing after it: none). Each value is URI-encoded, so any id
// survives. Unknown names are dropped when read: a link made on another map opens what it can.
var EcographUrl = (function () {
  "use strict";

  function on(map) { return Object.keys(map).filter(function (k) { return map[k]; }).sort(); }
  function list(values) { return values.map(encodeURIComponent).join(","); }

  // What `fragment` compares with: the parts of the opening state a link can change.
  function snapshot(state) {
    return { kinds: on(state.kinds).join(","), types: on(state.types).join(","), keepUntied: state.keepUntied,
             since: state.since, until: state.until, lang: state.lang };
  }

  // The fragment (without "#") for `state`, against the opening state `opening` (a snapshot).
  function fragment(state, opening) {
    var parts = [];
    if (state.focus !== null && state.focus !== undefined) { parts.push("focus=" + encodeURIComponent(state.focus)); }
    if (state.selected && state.selected.tie !== undefined) { parts.push("tie=" + state.selected.tie); }
    if (on(state.types).join(",") !== opening.types) { parts.push("types=" + list(on(state.types))); }
    if (on(state.kinds).join(",") !== opening.kinds) { parts.push("kinds=" + list(on(state.kinds))); }
    if (state.since !== opening.since) { parts.push("since=" + state.since); }
    if (state.until !== opening.until) { parts.push("until=" + state.until); }
    if (state.lang !== opening.lang) { parts.push("lang=" + encodeURIComponent(state.lang)); }
    if (state.keepUntied !== opening.keepUntied) { parts.push("untied=" + (state.keepUntied ? 1 : 0)); }
    var pinned = Object.keys(state.pins || {}).sort();
    if (pinned.length) {
      parts.push("pins=" + pinned.map(function (id) { return encodeURIComponent(id) + ":" + state.pins[id].join(":"); }).join(","));
    }
    if (state.camera) { parts.push("view=" + [state.camera.x, state.camera.y, state.camera.scale].join(",")); }
    var analysis = typeof EcographAnalyses === "undefined" ? null : EcographAnalyses.toLink(state.analysis);
    if (analysis) { parts.push("analysis=" + list(analysis)); }
    return parts.join("&");
  }

  // Sets `state` from the fragment `hash` (with or without "#"); `byId` the entities, `edge(id)`
  // a tie or nothing. Returns whether the fragment held anything.
  function read(hash, state, byId, edge) {
    var text = (hash || "").replace(/^#/, ""), any = false;
    if (!text) { return false; }
    text.split("&").forEach(function (pair) {
      var at = pair.indexOf("="), key = at < 0 ? pair : pair.slice(0, at), value = at < 0 ? "" : pair.slice(at + 1);
      var names = value ? value.split(",").map(decodeURIComponent) : [];
      var number = Number(value);
      if ((key === "types" || key === "kinds") && state[key]) {
        Object.keys(state[key]).forEach(function (k) { state[key][k] = names.indexOf(k) >= 0; });
      } else if (key === "focus" && byId[decodeURIComponent(value)]) {
        state.focus = decodeURIComponent(value);
        state.selected = { entity: state.focus };
      } else if (key === "tie" && value && edge(number)) {
        state.selected = { tie: number };
      } else if ((key === "since" || key === "until") && value && !isNaN(number) && state[key] !== null) {
        state[key] = number;
      } else if (key === "lang" && ["en", "zh", "both"].indexOf(value) >= 0) {
        state.lang = value;
      } else if (key === "untied") {
        state.keepUntied = value === "1";
      } else if (key === "pins" && state.pins) {
        state.pins = pinsOf(value, byId);
      } else if (key === "view" && cameraOf(value)) {
        state.camera = cameraOf(value);
      } else if (key === "analysis" && analysisOf(names, byId)) {
        state.analysis = analysisOf(names, byId);
      } else {
        return;
      }
      any = true;
    });
    return any;
  }

  // The analysis `names` (its name, then its arguments) asks for, if the map can run it (map-analyses.js).
  function analysisOf(names, byId) {
    return typeof EcographAnalyses === "undefined" ? null : EcographAnalyses.fromLink(names, byId);
  }

  // `id:x:y,...` as {id: [x, y]}, for the entities the map has (ids URI-encoded: ":" and "," are).
  function pinsOf(value, byId) {
    var pins = {};
    value.split(",").forEach(function (item) {
      var bits = item.split(":"), id = decodeURIComponent(bits[0]), x = Number(bits[1]), y = Number(bits[2]);
      if (bits.length === 3 && byId[id] && bits[1] !== "" && bits[2] !== "" && isFinite(x) && isFinite(y)) { pins[id] = [x, y]; }
    });
    return pins;
  }
  // `x,y,scale` as {x, y, scale}, or null.
  function cameraOf(value) {
    var bits = value.split(",").map(Number);
    if (bits.length !== 3 || !bits.every(isFinite) || !(bits[2] > 0)) { return null; }
    return { x: bits[0], y: bits[1], scale: bits[2] };
  }

  // Puts `text` in the address without a new history entry (or a hashchange event).
  function write(text) {
    var now = location.hash.replace(/^#/, "");
    if (now === text) { return; }
    var url = location.href.split("#")[0] + (text ? "#" + text : "");
    try { history.replaceState(null, "", url); } catch (err) { location.replace(text ? "#" + text : "#"); }
  }

  return { snapshot: snapshot, fragment: fragment, read: read, write: write };
})();
