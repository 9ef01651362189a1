// The analyses in the map: the chains between two entities (Path), what an entity holds and who
// holds it (Control), and what goes when an entity or a tie goes (What if). Each is worked out
// here, on the page's data, step for step as its library function does it, so that the page
// and the command line give the same answer (tests/test_render_browser.py runs both):
//
//   paths(data, byId, a, b, options)    ecograph.analysis.paths     (ecograph path)
//   reach(data, byId, id, options)      ecograph.analysis.reach     (ecograph reach)
//   whatIf(data, byId, id, options)     ecograph.analysis.what_if   (ecograph what-if)
//
// Their results use the library's field names; a tie is the page's edge id. `build` adds the
// panel's buttons ("Path from here" …), writes the result at the top of the details panel, and
// marks it on the map: the analysis' entities and ties shown whatever the filters, the rest
// faded (the page's own focus fade, through `reveal`), and rings, lines and stakes drawn over.
var EcographAnalysis = (function () {
  "use strict";

  // Strings in Python's order (code points; JS compares UTF-16 units, which differ past U+FFFF).
  function cmp(a, b) {
    if (a === b) { return 0; }
    var i = 0, j = 0;
    while (i < a.length && j < b.length) {
      var x = a.codePointAt(i), y = b.codePointAt(j);
      if (x !== y) { return x < y ? -1 : 1; }
      i += x > 0xffff ? 2 : 1; j += y > 0xffff ? 2 : 1;
    }
    return i < a.length ? 1 : (j < b.length ? -1 : 0);
  }
  function cmpLists(a, b) {
    for (var i = 0; i < a.length && i < b.length; i++) { var c = cmp(a[i], b[i]); if (c) { return c; } }
    return a.length - b.length;
  }
  // Python's round(x, 12): toFixed rounds the exact binary value, as Python's round does.
  function round12(x) { return Number(x.toFixed(12)); }
  function setOf(list) { var s = new Set(); (list || []).forEach(function (x) { s.add(x); }); return s; }
  function limits(data) {
    return Object.assign({ maxChainsListed: 1000, maxChains: 20000, maxPairEntities: 2000 }, data.analysisLimits || {});
  }
  function check(byId, ids) {
    ids.forEach(function (id) { if (!byId[id]) { throw new Error("no entity with id '" + id + "' in the map"); } });
  }

  // The types a chain follows (ecograph.analysis.chain_types): `rels`, else the alliances
  // (equity and deal ties), or every type with `context`.
  function chainTypes(options) {
    if (options.rels && options.rels.length) { var rels = setOf(options.rels); return function (e) { return rels.has(e.type); }; }
    if (options.context) { return function () { return true; }; }
    return function (e) { return e.group === "equity" || e.group === "deal"; };
  }
  function link(adj, a, b) {
    var nbrs = adj.get(a);
    if (!nbrs) { nbrs = new Set(); adj.set(a, nbrs); }
    nbrs.add(b);  // a Set keeps the first insertion's place, as networkx's adjacency dicts do
  }

  // ---- Path: networkx's all_shortest_paths, in its order -------------------------------------
  // nx.predecessor: breadth first, level by level, every neighbour one level up a predecessor;
  // stopped once the target's level is done (deeper levels never feed its paths).
  function predecessors(adj, source, target) {
    var seen = new Map([[source, 0]]), pred = new Map([[source, []]]), next = [source], level = 0;
    while (next.length && !pred.has(target)) {
      level++;
      var now = next; next = [];
      now.forEach(function (v) {
        (adj.get(v) || new Set()).forEach(function (w) {
          if (!seen.has(w)) { pred.set(w, [v]); seen.set(w, level); next.push(w); } else if (seen.get(w) === level) { pred.get(w).push(v); }
        });
      });
    }
    return pred;
  }
  // networkx's _build_paths_from_predecessors, stopped after `limit` paths (the library's islice).
  function buildPaths(source, target, pred, limit) {
    var out = [], seen = new Set([target]), stack = [[target, 0]], top = 0;
    while (top >= 0 && out.length < limit) {
      var frame = stack[top], node = frame[0], i = frame[1];
      if (node === source) { out.push(stack.slice(0, top + 1).map(function (f) { return f[0]; }).reverse()); }
      var ps = pred.get(node);
      if (ps.length > i) {
        frame[1] = i + 1;
        var nxt = ps[i];
        if (seen.has(nxt)) { continue; }
        seen.add(nxt);
        top++;
        stack[top] = [nxt, 0];
      } else {
        seen.delete(node);
        top--;
      }
    }
    return out;
  }

  // The shortest chains from `source` to `target`: [[{from, to, ties: [edge id, …]}, …], …],
  // sorted, as ecograph.analysis.paths gives them (options: maxHops 6, rels, context, kinds,
  // exclude, directed).
  function paths(data, byId, source, target, options) {
    options = options || {};
    var maxHops = options.maxHops === undefined ? 6 : options.maxHops, directed = !!options.directed;
    var follows = chainTypes(options), kinds = options.kinds && options.kinds.length ? setOf(options.kinds) : null;
    check(byId, [source, target].concat(options.exclude || []));
    var avoid = setOf(options.exclude); avoid.delete(source); avoid.delete(target);
    function allowed(id) { return !avoid.has(id) && (!kinds || kinds.has(byId[id].kind) || id === source || id === target); }
    var adj = new Map(), between = new Map();
    data.edges.forEach(function (e) {
      if (!follows(e)) { return; }
      var key = e.from + "\u0000" + e.to;
      if (!between.has(key)) { between.set(key, []); }
      between.get(key).push(e.id);
      if (e.from === e.to || !allowed(e.from) || !allowed(e.to)) { return; }
      link(adj, e.from, e.to);
      if (!directed) { link(adj, e.to, e.from); }
    });
    if (source === target) { return []; }
    var pred = predecessors(adj, source, target);
    if (!pred.has(target)) { return []; }
    var found = buildPaths(source, target, pred, limits(data).maxChainsListed).sort(cmpLists);
    return found.filter(function (p) { return p.length - 1 <= maxHops; }).map(function (p) {
      return p.slice(1).map(function (b, i) {
        var a = p[i], ties = (between.get(a + "\u0000" + b) || []).slice();
        if (!directed) { ties = ties.concat(between.get(b + "\u0000" + a) || []); }
        return { from: a, to: b, ties: ties };
      });
    });
  }

  // ---- Control: ecograph.analysis.reach and ultimate_parents --------------------------------
  function stakeOf(e) { return e.stake === undefined || e.stake === null ? null : e.stake; }
  function product(stakes) {
    if (stakes.some(function (s) { return s === null; })) { return null; }
    var result = 1.0;
    stakes.forEach(function (s) { result *= s; });
    return round12(result);
  }
  function countWalks(out, entity, hops, most) {
    var frontier = new Map([[entity, 1]]), total = 0;
    for (var level = 0; level < hops; level++) {
      var nxt = new Map();
      frontier.forEach(function (count, node) {
        (out.get(node) || []).forEach(function (e) { if (e.to !== entity) { nxt.set(e.to, (nxt.get(e.to) || 0) + count); } });
      });
      nxt.forEach(function (c) { total += c; });
      if (total > most || !nxt.size) { return total; }
      frontier = nxt;
    }
    return total;
  }
  function byReach(byId) {
    return function (a, b) {
      return a.hops - b.hops || -(a.known_stake || 0) - -(b.known_stake || 0) || cmp(byId[a.id].name_en, byId[b.id].name_en);
    };
  }
  // Every chain, one by one (the library's `walk`).
  function reachChains(out, entity, hops) {
    var found = new Map();
    function walk(node, chain, seen) {
      if (chain.length >= hops) { return; }
      (out.get(node) || []).forEach(function (e) {
        if (seen.has(e.to)) { return; }
        var step = chain.concat([e]), stakes = step.map(stakeOf);
        if (!found.has(e.to)) { found.set(e.to, { id: e.to, chains: [] }); }
        found.get(e.to).chains.push({ path: [entity].concat(step.map(function (s) { return s.to; })),
                                      types: step.map(function (s) { return s.type; }), stakes: stakes, stake: product(stakes),
                                      ties: step.map(function (s) { return s.id; }) });
        var further = new Set(seen); further.add(e.to);
        walk(e.to, step, further);
      });
    }
    walk(entity, [], new Set([entity]));
    var reached = [];
    found.forEach(function (entry) {
      var known = entry.chains.filter(function (c) { return c.stake !== null; }).map(function (c) { return c.stake; });
      var unknown = entry.chains.some(function (c) { return c.stake === null; });
      var sum = 0; known.forEach(function (k) { sum += k; });
      entry.known_stake = known.length ? round12(sum) : null;
      entry.effective_stake = unknown ? null : entry.known_stake;
      entry.hops = Infinity;  // a loop: spreading 20,000 chains into arguments can overflow the stack
      entry.chains.forEach(function (c) { if (c.types.length < entry.hops) { entry.hops = c.types.length; } });
      reached.push(entry);
    });
    return reached;
  }
  // Stakes summed level by level, for hubs with too many chains (the library's _reach_aggregated).
  function reachAggregated(out, entity, hops) {
    var frontier = new Map([[entity, [1.0, false, 1]]]), totals = new Map();
    for (var depth = 1; depth <= hops; depth++) {
      var nxt = new Map();
      frontier.forEach(function (f, node) {
        (out.get(node) || []).forEach(function (e) {
          if (e.to === entity) { return; }
          var cur = nxt.get(e.to) || [0.0, false, 0], k = cur[0], u = cur[1], stake = stakeOf(e);
          if (stake === null) { u = true; } else { k = k + f[0] * stake; u = u || f[1]; }
          nxt.set(e.to, [k, u, cur[2] + f[2]]);
        });
      });
      nxt.forEach(function (t, target) {
        if (!totals.has(target)) { totals.set(target, { id: target, known: 0.0, unknown: false, hops: depth, chain_count: 0 }); }
        var entry = totals.get(target);
        entry.known += t[0]; entry.unknown = entry.unknown || t[1]; entry.chain_count += t[2];
      });
      frontier = nxt;
    }
    var reached = [];
    totals.forEach(function (entry) {
      var known = round12(entry.known), unknown = entry.unknown;
      delete entry.known; delete entry.unknown;
      entry.known_stake = known || !unknown ? known : null;
      entry.effective_stake = unknown ? null : known;
      reached.push(entry);
    });
    return reached;
  }

  // The tops of `entity`'s OWNS chains upwards: owners whose every owner (direct or not) they
  // also own, round a circle (the source components of the ownership above it), sorted by id.
  function ultimateParents(data, entity) {
    var owners = new Map(), owned = new Map();
    data.edges.forEach(function (e) {
      if (e.type !== "OWNS") { return; }
      if (!owners.has(e.to)) { owners.set(e.to, []); }
      owners.get(e.to).push(e.from);
    });
    var above = new Set([entity]), todo = [entity];
    while (todo.length) {
      (owners.get(todo.pop()) || []).forEach(function (o) { if (!above.has(o)) { above.add(o); todo.push(o); } });
    }
    if (above.size === 1) { return []; }
    above.forEach(function (v) { (owners.get(v) || []).forEach(function (u) { link(owned, u, v); }); });
    function walk(start, next) {
      var seen = new Set(), stack = [start];
      while (stack.length) { (next(stack.pop()) || []).forEach(function (x) { if (!seen.has(x)) { seen.add(x); stack.push(x); } }); }
      return seen;
    }
    var tops = [];
    above.forEach(function (x) {
      if (x === entity) { return; }
      var up = walk(x, function (n) { return owners.get(n); }), down = walk(x, function (n) { return owned.get(n); });
      if (Array.from(up).every(function (a) { return down.has(a); })) { tops.push(x); }
    });
    return tops.sort(cmp);
  }

  // What `entity` reaches along `via` (default: the equity ties) within `hops` (4), with the
  // effective stakes, as ecograph.analysis.reach gives it; ultimate_parents as ids.
  function reach(data, byId, entity, options) {
    options = options || {};
    var hops = options.hops === undefined ? 4 : options.hops;
    check(byId, [entity]);
    var via = options.via ? setOf(options.via) : null, out = new Map(), types = new Set();
    data.edges.forEach(function (e) {
      if (via ? !via.has(e.type) : e.group !== "equity") { return; }
      types.add(e.type);
      if (!out.has(e.from)) { out.set(e.from, []); }
      out.get(e.from).push(e);
    });
    var aggregated = countWalks(out, entity, hops, limits(data).maxChains) > limits(data).maxChains;
    var reached = aggregated ? reachAggregated(out, entity, hops) : reachChains(out, entity, hops);
    reached.sort(byReach(byId));
    return { entity: entity, via: Array.from(via || types).sort(cmp), hops: hops, reached: reached, aggregated: aggregated,
             ultimate_parents: ultimateParents(data, entity) };
  }

  // ---- What if: ecograph.analysis.what_if -----------------------------------------------------
  // Entities as numbers (their place in data.nodes) and neighbours as arrays: a search per
  // entity is the whole cost: with ids in Maps it took 0.9 s at 300 entities (with context
  // ties, 6,644 pairs longer), with numbers 30 to 80 ms in node.
  function adjacency(data, at, follows, directed, gone, cut, reverse) {
    var adj = data.nodes.map(function () { return []; });
    data.edges.forEach(function (e) {
      var a = at.get(reverse ? e.to : e.from), b = at.get(reverse ? e.from : e.to);
      if (a === b || !follows(e) || gone[a] || gone[b] || (cut.size && cut.has(tieKey(e)))) { return; }
      adj[a].push(b);
      if (!directed) { adj[b].push(a); }
    });
    return adj;
  }
  function tieKey(e) { return JSON.stringify([e.from, e.to, e.type]); }
  // Hops from `start` (-1: not reached) and the entities reached, nearest first.
  function hopsFrom(adj, start) {
    var hops = new Int32Array(adj.length).fill(-1), todo = [start];
    hops[start] = 0;
    for (var i = 0; i < todo.length; i++) {
      var node = todo[i], nbrs = adj[node];
      for (var k = 0; k < nbrs.length; k++) {
        if (hops[nbrs[k]] < 0) { hops[nbrs[k]] = hops[node] + 1; todo.push(nbrs[k]); }
      }
    }
    return { hops: hops, order: todo };
  }
  // `rank`: each entity's place in Python's order of ids, so a pair is told once, smaller first.
  function longerPairs(before, after, sources, directed, gone, ids, rank) {
    var longer = [];
    sources.forEach(function (s) {
      var was = hopsFrom(before, s), now = hopsFrom(after, s).hops;
      was.order.forEach(function (t) {
        var h = was.hops[t];
        if (t === s || gone[t] || now[t] < 0 || now[t] <= h || (!directed && rank[t] < rank[s])) { return; }
        var flip = !directed && rank[s] > rank[t];
        longer.push({ a: ids[flip ? t : s], b: ids[flip ? s : t], before: h, after: now[t], order: [flip ? rank[t] : rank[s], flip ? rank[s] : rank[t]] });
      });
    });
    longer.sort(function (p, q) { return (p.before - p.after) - (q.before - q.after) || p.order[0] - q.order[0] || p.order[1] - q.order[1]; });
    longer.forEach(function (p) { delete p.order; });
    return longer;
  }
  function cutSet(data, ties) {
    var cut = new Map();
    (ties || []).forEach(function (t) {
      var tie = typeof t === "number" ? data.edges[t] : { from: t[0], to: t[1], type: t[2] };
      if (!tie) { throw new Error("no tie " + t + " in the map"); }
      cut.set(tieKey(tie), { from: tie.from, to: tie.to, type: tie.type });
    });
    return cut;
  }
  // What changes for `entity` when the entities `remove` and the ties `ties` go (options.ties:
  // edge ids, or [from, to, type]: every such tie goes); options rels, context, directed.
  function whatIf(data, byId, entity, options) {
    options = options || {};
    var directed = !!options.directed, follows = chainTypes(options), remove = options.remove || [];
    check(byId, [entity].concat(remove));
    if (remove.indexOf(entity) >= 0) { throw new Error("'" + entity + "' is the entity asked about: it cannot also be removed"); }
    var cut = cutSet(data, options.ties), ids = data.nodes.map(function (n) { return n.id; }), at = new Map();
    ids.forEach(function (id, i) { at.set(id, i); });
    var rank = new Int32Array(ids.length), none = new Uint8Array(ids.length), gone = new Uint8Array(ids.length);
    ids.map(function (id, i) { return i; }).sort(function (x, y) { return cmp(ids[x], ids[y]); }).forEach(function (i, r) { rank[i] = r; });
    remove.forEach(function (id) { gone[at.get(id)] = 1; });
    var before = adjacency(data, at, follows, directed, none, new Map(), true);
    var after = adjacency(data, at, follows, directed, gone, cut, true);
    var was = hopsFrom(before, at.get(entity)), now = hopsFrom(after, at.get(entity)).hops;
    var cutOff = was.order.filter(function (n) { return now[n] < 0 && !gone[n]; }).map(function (n) { return { id: ids[n], hops_before: was.hops[n] }; });
    cutOff.sort(function (a, b) { return a.hops_before - b.hops_before || cmp(a.id, b.id); });
    // Only an entity with a chain to something removed (to a removed tie's start) can route through it.
    var touched = new Uint8Array(ids.length);
    remove.concat(Array.from(cut.values()).map(function (t) { return t.from; })).forEach(function (id) {
      if (!touched[at.get(id)]) { hopsFrom(before, at.get(id)).order.forEach(function (n) { touched[n] = 1; }); }
    });
    var sources = [];
    touched.forEach(function (on, n) { if (on && !gone[n]) { sources.push(n); } });
    var longer = null;
    if (sources.length <= limits(data).maxPairEntities) {
      var forward = directed ? adjacency(data, at, follows, true, none, new Map(), false) : before;
      var forwardAfter = directed ? adjacency(data, at, follows, true, gone, cut, false) : after;
      longer = longerPairs(forward, forwardAfter, sources, directed, gone, ids, rank);
    }
    return { entity: entity, directed: directed, removed: remove.slice(), cut_off: cutOff, longer: longer,
             removed_ties: Array.from(cut.values()).sort(function (a, b) { return cmpLists([a.from, a.to, a.type], [b.from, b.to, b.type]); }),
             compared: sources.length };
  }

  var algorithms = { paths: paths, reach: reach, ultimateParents: ultimateParents, whatIf: whatIf, compare: cmp };
  return algorithms;
})();
