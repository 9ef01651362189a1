// A big map's page data, unpacked. Python sends its ties as columns of numbers with shared
// tables (`data.ties`: from, to, style, year, tip; see map.py `_compact_ties`), a few bytes a
// tie where one JSON object and one sentence each made the page of a million ties 448 MB. Here
// they become the same edge objects a small map carries ({id, from, to, type, group, year,
// color, width, dashes, label, title}), so the rest of the page reads one shape; a tie's
// tooltip is written only when read (`title`), from the names, the type's words and the shared
// rest of its sentence.
var EcographData = (function () {
  "use strict";

  // The entities, from map.py's `_compact_nodes` columns: the same objects a small map sends.
  function unpackNodes(data) {
    var c = data.entities, count = c.id.length, nodes = new Array(count);
    for (var i = 0; i < count; i++) {
      var look = c.looks[c.look[i]], en = c.en[i], zh = c.zh[i];
      var labels = { en: en, zh: zh || en, both: zh ? en + "\n" + zh : en };
      var n = { id: c.id[i], label: labels.hasOwnProperty(data.lang) ? labels[data.lang] : labels.both, labels: labels,
                kind: look.kind, name_en: c.nameEn[i] === null ? en : c.nameEn[i],
                name_zh: c.nameZh[i] === null ? zh : c.nameZh[i], aliases: c.aliases[i] || [], color: look.color,
                shape: look.shape, size: c.size[i], x: c.x[i], y: c.y[i], search: c.search[i] };
      n.title = n.name_en + " / " + n.name_zh + "\n" + n.kind + " \u00b7 " + n.id + c.tips[c.tip[i]] + c.tail[i];
      if (look.font) { n.font = { color: look.font.color }; }
      if (c.camp) { n.camp = c.camp[i]; }
      nodes[i] = n;
    }
    data.nodes = nodes;
  }

  // How a sentence names an entity (ecograph.words.entity_name; map.py `_say_name`).
  function sayName(n) {
    return n.name_en && n.name_zh && n.name_en !== n.name_zh ? n.name_en + " / " + n.name_zh : (n.name_en || n.name_zh || n.id);
  }

  function unpack(data) {
    if (data.entities) { unpackNodes(data); }
    var t = data.ties;
    if (!t) { return data; }
    var ids = data.nodes.map(function (n) { return n.id; });
    var names = data.nodes.map(function (n, i) { return t.names.hasOwnProperty(i) ? t.names[i] : sayName(n); });
    var tips = t.tips;
    var looks = t.styles.map(function (s) {
      return { type: s.type, group: s.group, color: { color: s.color, highlight: s.color, hover: s.color },
               width: s.width, dashes: s.dashes, words: s.words };
    });
    function Tie(i) {
      var look = looks[t.style[i]];
      this.id = i; this.from = ids[t.from[i]]; this.to = ids[t.to[i]];
      this.type = look.type; this.group = look.group; this.year = t.year[i];
      this.color = look.color; this.width = look.width;
      if (look.dashes) { this.dashes = look.dashes; }
      var k = t.stake[i];
      if (k) {  // as map.py draws a stake: wider, an equity tie labelled
        this.stake = t.stakes[k - 1][0];
        this.width = look.width + 4 * t.stakes[k - 1][0];
        if (look.group === "equity") { this.label = t.stakes[k - 1][1]; }
      }
    }
    // A tie's tooltip, as map.py's `_edge_tooltip` writes it.
    function title(i) {
      var look = looks[t.style[i]];
      return names[t.from[i]] + " " + look.words + " " + names[t.to[i]] + tips[t.tip[i]];
    }
    Object.defineProperty(Tie.prototype, "title", { get: function () { return title(this.id); } });
    var count = t.from.length, edges = new Array(count);
    for (var i = 0; i < count; i++) {
      edges[i] = new Tie(i);
      // A small map hands its edges to vis-network, which shows `title` as the tooltip: there it
      // is an own field (copied with the edge), written once.
      if (!data.big) { Object.defineProperty(edges[i], "title", { value: title(i), enumerable: true }); }
    }
    data.edges = edges;
    data.tieTitle = title;
    return data;
  }

  return { unpack: unpack };
})();
