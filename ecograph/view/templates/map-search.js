// Search as you type: the entities whose names match what is typed, best first.
//
// Python sends each entity's names folded as `ecograph search` folds them (NFKC, case, no
// spaces), once in Simplified Chinese and once in the script written, with the positions where
// words start. The page cannot convert scripts, so it folds what is typed the same way, less the
// conversion: Traditional typed finds the names as written, Simplified typed the simplified keys.
// Like `ecograph search`, a part of a name matches from a word start or inside one word, never
// across two words ("icp" does not find "Electron-ic P-ayment").
var EcographSearch = (function () {
  "use strict";

  function fold(text) {
    return (text || "").normalize("NFKC").toLowerCase().replace(/\s+/g, "");
  }

  // How well folded `query` matches one key [folded name, word starts]: 1 exact, 2 prefix,
  // 3 inside, 0 not at all (as ecograph.search ranks them; the id counts as a name here).
  function rankKey(query, key) {
    var name = key[0], starts = key[1];
    if (name === query) { return 1; }
    if (name.indexOf(query) === 0) { return 2; }
    for (var at = name.indexOf(query); at >= 0; at = name.indexOf(query, at + 1)) {
      if (starts.indexOf(at) >= 0) { return 3; }
      var straddles = starts.some(function (b) { return at < b && b < at + query.length; });
      if (!straddles) { return 3; }
    }
    return 0;
  }

  // Up to `limit` entities matching `text`, best rank first, then by English name.
  function candidates(nodes, text, limit) {
    var query = fold(text);
    if (!query) { return []; }
    var hits = [];
    nodes.forEach(function (n) {
      var best = 0;
      n.search.forEach(function (key) {
        var rank = rankKey(query, key);
        if (rank && (!best || rank < best)) { best = rank; }
      });
      if (best) { hits.push({ node: n, rank: best }); }
    });
    hits.sort(function (a, b) {
      if (a.rank !== b.rank) { return a.rank - b.rank; }
      var x = a.node.name_en.toLowerCase(), y = b.node.name_en.toLowerCase();
      return x < y ? -1 : (x > y ? 1 : (a.node.id < b.node.id ? -1 : 1));
    });
    return hits.slice(0, limit || 12).map(function (h) { return h.node; });
  }

  return { fold: fold, candidates: candidates };
})();
