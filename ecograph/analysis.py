"""Strategic analytics on the alliance graph: hubs, chains, reach and ecosystem comparison.

Every function takes a graph shaped like ``ecograph.load()``'s (or a selection of it) and
returns plain data (lists and dicts), ready for JSON or a table. networkx is the model
implementation here; compiled paths for 1M-tie graphs come with the scale work of #6.

Ties are read in both directions for centrality, chains and comparison (an alliance is a tie
whichever way the report states it) unless ``directed`` is asked for; reach follows the
direction of ownership and investment.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import islice
from typing import TYPE_CHECKING, Any

from ecograph.data import schema
from ecograph.errors import EcographError

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "METRICS",
    "EQUITY_TYPES",
    "equity_types",
    "AnalysisError",
    "scores",
    "rank",
    "chain_types",
    "paths",
    "reach",
    "compare",
    "communities",
    "timeline",
    "timeline_graph",
    "community_of",
]

METRICS = ("degree", "betweenness", "pagerank", "eigenvector")
MAX_CHAINS_LISTED = 1_000  # path lists at most this many chains
EQUITY_TYPES = ("OWNS", "INVESTED_IN")


class AnalysisError(EcographError):
    """An analysis was asked something it cannot answer (unknown metric, type or kind)."""


def _entity(G: nx.MultiDiGraph, node: str) -> dict[str, Any]:
    a = G.nodes[node]
    return {"id": node, "name_en": a.get("name_en", node), "name_zh": a.get("name_zh", ""), "kind": a.get("kind", "")}


# Above this many entities, betweenness is estimated from a sample of sources (exact below).
EXACT_BETWEENNESS_LIMIT = 5_000
BETWEENNESS_SAMPLE = 256


def _igraph_undirected(G: nx.MultiDiGraph, types: set[str] | None = None) -> tuple[Any, list[str]]:
    """G as an undirected simple igraph graph (compiled: fast at a million ties), and the node
    order its vertex ids follow; only ties of ``types`` when given."""
    import igraph

    nodes = list(G.nodes)
    index = {n: i for i, n in enumerate(nodes)}
    ties = G.edges() if types is None else ((u, v) for u, v, t in G.edges(data="type") if t in types)
    g = igraph.Graph(n=len(nodes), edges=[(index[u], index[v]) for u, v in ties if u != v])
    g.simplify(multiple=True, loops=True)
    return g, nodes


def betweenness_is_sampled(G: nx.MultiDiGraph) -> bool:
    """True when :func:`scores` estimates betweenness from sampled sources for ``G``."""
    return G.number_of_nodes() > EXACT_BETWEENNESS_LIMIT


def scores(G: nx.MultiDiGraph, by: str, *, seed: int = 42, types: set[str] | None = None) -> dict[str, float]:
    """Each entity's score on a measure of :data:`METRICS`, over the ties of ``types`` (every
    tie when ``None``).

    ``degree`` counts ties. The others are networkx's definitions on the undirected simple
    graph, computed with igraph (networkx is the model the tests hold them to): betweenness
    normalised by (n-1)(n-2)/2 and, past :data:`EXACT_BETWEENNESS_LIMIT` entities, estimated
    from :data:`BETWEENNESS_SAMPLE` sources drawn with ``seed``; PageRank with damping 0.85;
    eigenvector centrality scaled to unit length.
    """
    import random

    if by not in METRICS:
        raise AnalysisError(f"--by {by!r}: expected one of {', '.join(METRICS)}")
    if by == "degree" and types is None:
        return {n: float(d) for n, d in G.degree()}
    if by == "degree":
        counts = dict.fromkeys(G, 0.0)
        for u, v, t in G.edges(data="type"):
            if t in types:
                counts[u] += 1
                counts[v] += 1
        return counts
    g, nodes = _igraph_undirected(G, types)
    n = len(nodes)
    if g.ecount() == 0:
        return {v: 0.0 for v in nodes}
    if by == "betweenness":
        if betweenness_is_sampled(G):
            sources = random.Random(seed).sample(range(n), BETWEENNESS_SAMPLE)
            raw = [b * n / BETWEENNESS_SAMPLE for b in g.betweenness(sources=sources)]
        else:
            raw = g.betweenness()
        norm = 2.0 / ((n - 1) * (n - 2)) if n > 2 else 1.0
        values = [b * norm for b in raw]
    elif by == "pagerank":
        # ARPACK, not the default PRPACK: PRPACK's OpenMP threads spin when the other core is busy
        # (0.67 s instead of 0.011 s at 1k entities on these 2-core machines).
        values = g.pagerank(damping=0.85, implementation="arpack")
    else:
        vector = g.eigenvector_centrality(scale=False)
        length = sum(x * x for x in vector) ** 0.5 or 1.0
        values = [abs(x) / length for x in vector]
    return dict(zip(nodes, values))


def rank(
    G: nx.MultiDiGraph,
    by: str = "degree",
    *,
    kind: str | None = None,
    top: int | None = 10,
    rels: Sequence[str] = (),
    context: bool = False,
    all_kinds: bool = False,
) -> list[dict[str, Any]]:
    """Entities by a measure of :func:`scores`, highest first, with the score and a competition
    rank (equal scores share a rank: 1, 2, 2, 4).

    Hubs and brokers are organisations measured on alliances: the scores count the ties of
    :func:`chain_types` (equity and deals unless ``rels`` or ``context`` say otherwise), and the
    list holds the organisations (:data:`ecograph.data.schema.ORGANISATION_KINDS`), unless ``kind``
    names one kind or ``all_kinds`` asks for every entity. A city that many deals pass near is
    not a broker.
    """
    model = schema.model_of(G)
    if kind is not None and kind not in model.kinds:
        raise AnalysisError(f"no kind named {kind!r}; expected one of {', '.join(model.kinds)}")
    listed = {kind} if kind is not None else None if all_kinds else set(model.organisation_kinds)
    types = chain_types(rels, context=context, model=model)
    by_node = scores(G, by, types=None if types >= set(model.rel_types) else types)
    rows = sorted(
        ((n, s) for n, s in by_node.items() if listed is None or G.nodes[n].get("kind") in listed),
        key=lambda item: (-item[1], G.nodes[item[0]].get("name_en", item[0]), item[0]),
    )
    out, previous, position = [], None, 0
    for i, (n, score) in enumerate(rows, 1):
        if previous is None or round(score, 12) != round(previous, 12):
            position = i
        previous = score
        out.append({**_entity(G, n), "score": score, "rank": position})
    return out[:top] if top else out


def _tie(G: nx.MultiDiGraph, u: str, v: str, key: Any) -> dict[str, Any]:
    d = G.edges[u, v, key]
    props = {p.name: d[p.name] for p in schema.model_of(G).relationship_properties
             if p.name not in ("description", "source", "cited") and d.get(p.name) is not None}
    return {"from": u, "to": v, "type": d["type"], "properties": props, "description": d.get("description", ""),
            "source": d.get("source", ""), "cited": d.get("cited")}


def _ties_between(G: nx.MultiDiGraph, a: str, b: str, rels: set[str], directed: bool) -> list[dict[str, Any]]:
    pairs = [(a, b)] if directed else [(a, b), (b, a)]
    return [
        _tie(G, u, v, k)
        for u, v in pairs if G.has_edge(u, v)
        for k, d in G[u][v].items() if not rels or d["type"] in rels
    ]


def _check_types(types: Iterable[str], option: str, model: schema.Model = schema.SHIPPED) -> set[str]:
    chosen = set(types)
    unknown = sorted(chosen - set(model.rel_types))
    if unknown:
        examples = equity_types(model) or tuple(model.rel_types)[:3]
        raise AnalysisError(f"{option}: no relationship type {unknown[0]!r}; expected types like {', '.join(examples)}")
    return chosen


def equity_types(model: schema.Model = schema.SHIPPED) -> tuple[str, ...]:
    """The relationship types of the equity group (who holds whom): what ``reach`` follows."""
    return tuple(r.name for r in model.rel_types.values() if r.group == "equity")


def chain_types(rels: Sequence[str] = (), *, context: bool = False, model: schema.Model = schema.SHIPPED) -> set[str]:
    """The relationship types a chain or a broker measure follows: ``rels`` when given, else
    the alliances (:attr:`ecograph.data.schema.Model.alliance_types`), or every type with ``context``."""
    if rels:
        return _check_types(rels, "--rels", model)
    return set(model.rel_types) if context else set(model.alliance_types)


def paths(
    G: nx.MultiDiGraph,
    source: str,
    target: str,
    *,
    max_hops: int = 6,
    rels: Sequence[str] = (),
    context: bool = False,
    kinds: Sequence[str] = (),
    exclude: Sequence[str] = (),
    directed: bool = False,
    all_paths: bool = False,
) -> list[list[dict[str, Any]]]:
    """The shortest alliance chains from ``source`` to ``target`` within ``max_hops`` ties (or,
    with ``all_paths``, every simple chain within ``max_hops``), shortest first.

    A chain follows the alliances, equity and deal ties (:func:`chain_types`): sharing a market
    or a city is not an alliance. ``rels`` names the types to follow instead; ``context`` adds
    every type. ``kinds`` limits the entities a chain may pass through (its two ends may be of
    any kind) and ``exclude`` names entities it must not pass through.

    Each chain is a list of hops ``{"from", "to", "ties": [tie, …]}`` where the ties are those
    joining the two entities (type, properties, description, source). An empty list means no
    chain within ``max_hops``: an answer, not an error.
    """
    import networkx as nx

    chosen = chain_types(rels, context=context, model=schema.model_of(G))
    through = _check_kinds(kinds, schema.model_of(G))
    for n in (source, target, *exclude):
        if n not in G:
            raise AnalysisError(f"no entity with id {n!r} in the graph")
    avoid = set(exclude) - {source, target}
    allowed = {
        n for n, kind in G.nodes(data="kind")
        if n not in avoid and (not through or kind in through or n in (source, target))
    }
    view = nx.DiGraph() if directed else nx.Graph()
    view.add_nodes_from(allowed)
    view.add_edges_from((u, v) for u, v, d in G.edges(data=True)
                        if u != v and d["type"] in chosen and u in allowed and v in allowed)
    if source == target:
        return []
    try:
        # Between hubs the chains can number millions: take the first MAX_CHAINS_LISTED found,
        # sorted, so the answer stays quick and the same from run to run.
        if all_paths:
            found = sorted(islice(nx.all_simple_paths(view, source, target, cutoff=max_hops), MAX_CHAINS_LISTED),
                           key=lambda p: (len(p), p))
        else:
            found = sorted(islice(nx.all_shortest_paths(view, source, target), MAX_CHAINS_LISTED))
    except nx.NetworkXNoPath:
        return []
    return [
        [{"from": a, "to": b, "ties": _ties_between(G, a, b, chosen, directed)} for a, b in zip(p, p[1:])]
        for p in found if len(p) - 1 <= max_hops
    ]


def _check_kinds(kinds: Iterable[str], model: schema.Model = schema.SHIPPED) -> set[str]:
    chosen = set(kinds)
    unknown = sorted(chosen - set(model.kinds))
    if unknown:
        raise AnalysisError(f"no kind named {unknown[0]!r}; expected one of {', '.join(model.kinds)}")
    return chosen


def reach(
    G: nx.MultiDiGraph, entity: str, *, via: Sequence[str] | None = None, hops: int = 4
) -> dict[str, Any]:
    """What ``entity`` reaches along ``via`` ties (in their direction) within ``hops``, with the
    effective indirect stake in each: the product of stakes along a chain, summed over chains.

    A chain with a tie whose stake the data does not give makes the effective stake unknown
    (``None``), never zero; ``known_stake`` is then the sum over the fully known chains, a lower
    bound. Each chain lists its ``ties`` (type, properties, description, source), so every hop
    can be checked against its source and an unknown stake traced to the tie that states none.
    Also the ultimate parents of ``entity``: the tops of its ``OWNS`` chains upwards.
    ``via`` defaults to the equity types of the graph's model (shipped: OWNS, INVESTED_IN).
    """
    model = schema.model_of(G)
    chosen = _check_types(equity_types(model) if via is None else via, "--via", model)
    if entity not in G:
        raise AnalysisError(f"no entity with id {entity!r} in the graph")
    if _count_walks(G, entity, chosen, hops) > MAX_CHAINS:
        return _reach_aggregated(G, entity, chosen, hops)
    found: dict[str, dict[str, Any]] = {}

    def walk(node: str, chain: list[tuple[str, str, Any]], seen: set[str]) -> None:
        if len(chain) >= hops:
            return
        for _, nxt, key, d in G.out_edges(node, keys=True, data=True):
            if d["type"] not in chosen or nxt in seen:
                continue
            step = chain + [(node, nxt, key)]
            stakes = [G.edges[u, v, k].get("stake") for u, v, k in step]
            entry = found.setdefault(nxt, {**_entity(G, nxt), "chains": []})
            entry["chains"].append({
                "path": [step[0][0]] + [v for _, v, _ in step],
                "types": [G.edges[u, v, k]["type"] for u, v, k in step],
                "stakes": stakes,
                "stake": _product(stakes),
                "ties": [_tie(G, u, v, k) for u, v, k in step],  # each hop with its source
            })
            walk(nxt, step, seen | {nxt})

    walk(entity, [], {entity})
    reached = []
    for entry in found.values():
        known = [c["stake"] for c in entry["chains"] if c["stake"] is not None]
        unknown = any(c["stake"] is None for c in entry["chains"])
        entry["known_stake"] = round(sum(known), 12) if known else None
        entry["effective_stake"] = None if unknown else entry["known_stake"]
        entry["hops"] = min(len(c["types"]) for c in entry["chains"])
        reached.append(entry)
    reached.sort(key=lambda e: (e["hops"], -(e["known_stake"] or 0), e["name_en"]))
    return {"entity": _entity(G, entity), "via": sorted(chosen), "hops": hops, "reached": reached,
            "aggregated": False, "ultimate_parents": ultimate_parents(G, entity)}


# Past this many chains, reach adds stakes up level by level instead of listing every chain.
MAX_CHAINS = 20_000


def _steps(G: nx.MultiDiGraph, node: str, chosen: set[str]) -> Iterable[tuple[str, float | None]]:
    for _, target, d in G.out_edges(node, data=True):
        if d["type"] in chosen:
            yield target, d.get("stake")


def _count_walks(G: nx.MultiDiGraph, entity: str, chosen: set[str], hops: int) -> int:
    """How many chains (walks) of up to ``hops`` ties start at ``entity``: cheap, level by level."""
    frontier, total = {entity: 1}, 0
    for _ in range(hops):
        nxt: dict[str, int] = {}
        for node, count in frontier.items():
            for target, _ in _steps(G, node, chosen):
                if target != entity:
                    nxt[target] = nxt.get(target, 0) + count
        total += sum(nxt.values())
        if total > MAX_CHAINS or not nxt:
            return total
        frontier = nxt
    return total


def _reach_aggregated(G: nx.MultiDiGraph, entity: str, chosen: set[str], hops: int) -> dict[str, Any]:
    """:func:`reach` for hubs with too many chains to list: stakes summed level by level over
    walks that do not return to ``entity``, so no chain is listed and a cross-holding cycle
    within the hop limit counts each lap. Unknown stakes still make the result unknown."""
    frontier: dict[str, tuple[float, bool, int]] = {entity: (1.0, False, 1)}  # known sum, unknown, chains
    totals: dict[str, dict[str, Any]] = {}
    for depth in range(1, hops + 1):
        nxt: dict[str, tuple[float, bool, int]] = {}
        for node, (known, unknown, count) in frontier.items():
            for target, stake in _steps(G, node, chosen):
                if target == entity:
                    continue
                k, u, c = nxt.get(target, (0.0, False, 0))
                if stake is None:
                    u = True
                else:
                    k, u = k + known * stake, u or unknown
                nxt[target] = (k, u, c + count)
        for target, (k, u, c) in nxt.items():
            entry = totals.setdefault(target, {**_entity(G, target), "known": 0.0, "unknown": False,
                                               "hops": depth, "chain_count": 0})
            entry["known"] += k
            entry["unknown"] = entry["unknown"] or u
            entry["chain_count"] += c
        frontier = nxt
    reached = []
    for entry in totals.values():
        known = round(entry.pop("known"), 12)
        unknown = entry.pop("unknown")
        entry["known_stake"] = known if known or not unknown else None
        entry["effective_stake"] = None if unknown else known
        reached.append(entry)
    reached.sort(key=lambda e: (e["hops"], -(e["known_stake"] or 0), e["name_en"]))
    return {"entity": _entity(G, entity), "via": sorted(chosen), "hops": hops, "reached": reached,
            "aggregated": True, "ultimate_parents": ultimate_parents(G, entity)}


def _product(stakes: list[float | None]) -> float | None:
    if any(s is None for s in stakes):
        return None
    result = 1.0
    for s in stakes:
        result *= s
    return round(result, 12)


def ultimate_parents(G: nx.MultiDiGraph, entity: str) -> list[dict[str, Any]]:
    """The entities at the top of ``entity``'s ownership chains (following OWNS upwards); empty
    when nothing owns it.

    A top is an owner, direct or indirect, that nothing outside its own cross-holding circle owns:
    the members of the source components of the ownership graph above ``entity``. Linear in the
    ties above it (listing every upward chain is exponential in a dense holding web).
    """
    import networkx as nx

    def owners(node: str) -> set[str]:
        return {u for u, _, t in G.in_edges(node, data="type") if t == "OWNS"}

    above, todo = {entity: owners(entity)}, [entity]
    while todo:
        for owner in above[todo.pop()]:
            if owner not in above:
                above[owner] = owners(owner)
                todo.append(owner)
    if not above[entity]:
        return []
    ownership = nx.DiGraph((u, v) for v, us in above.items() for u in us)
    circles = nx.condensation(ownership)
    tops = {
        node
        for circle in circles if circles.in_degree(circle) == 0
        for node in circles.nodes[circle]["members"]
    } - {entity}
    return sorted((_entity(G, node) for node in tops), key=lambda e: e["id"])


def _camp(G: nx.MultiDiGraph, head: str) -> set[str]:
    """The head and everything it owns, directly or through what it owns."""
    camp, todo = {head}, [head]
    while todo:
        node = todo.pop()
        for _, owned, d in G.out_edges(node, data=True):
            if d["type"] == "OWNS" and owned not in camp:
                camp.add(owned)
                todo.append(owned)
    return camp


def compare(G: nx.MultiDiGraph, a: str, b: str) -> dict[str, Any]:
    """Two ecosystems side by side. A camp is an entity and everything it owns; its partners
    are the entities tied to any camp member. Gives the shared partners (with each side's
    ties), the partners exclusive to each, and the bridges: ties joining the two camps."""
    for n in (a, b):
        if n not in G:
            raise AnalysisError(f"no entity with id {n!r} in the graph")
    camps = {a: _camp(G, a), b: _camp(G, b)}

    def partner_ties(camp: set[str]) -> dict[str, list[dict[str, Any]]]:
        ties: dict[str, list[dict[str, Any]]] = {}
        for u, v, k in G.edges(keys=True):
            for member, other in ((u, v), (v, u)):
                if member in camp and other not in camp:
                    ties.setdefault(other, []).append(_tie(G, u, v, k))
        return ties

    ta, tb = partner_ties(camps[a]), partner_ties(camps[b])
    shared_ids = sorted((set(ta) & set(tb)) - camps[a] - camps[b], key=lambda n: G.nodes[n].get("name_en", n))
    bridges = [
        _tie(G, u, v, k) for u, v, k in G.edges(keys=True)
        if (u in camps[a] and v in camps[b]) or (u in camps[b] and v in camps[a])
    ]
    return {
        "a": {**_entity(G, a), "camp": sorted(camps[a])},
        "b": {**_entity(G, b), "camp": sorted(camps[b])},
        "shared": [{**_entity(G, n), "ties_a": ta[n], "ties_b": tb[n]} for n in shared_ids],
        "only_a": [_entity(G, n) for n in sorted(set(ta) - set(tb) - camps[b], key=lambda n: G.nodes[n].get("name_en", n))],
        "only_b": [_entity(G, n) for n in sorted(set(tb) - set(ta) - camps[a], key=lambda n: G.nodes[n].get("name_en", n))],
        "bridges": bridges,
    }


def communities(G: nx.MultiDiGraph, *, resolution: float = 1.0, seed: int = 42) -> list[dict[str, Any]]:
    """Ecosystem camps: Louvain communities of the undirected graph (igraph's multilevel
    algorithm), the same for the same seed.

    Largest first; each with its members, its most central entity (most ties inside the camp,
    then most ties overall) and the ties that bind it (ties between its members).
    """
    import random

    import igraph

    g, nodes = _igraph_undirected(G)
    if g.ecount():
        previous = igraph.set_random_number_generator(random.Random(seed))
        try:
            membership = g.community_multilevel(resolution=resolution).membership
        finally:
            igraph.set_random_number_generator(previous or random)
    else:
        membership = list(range(len(nodes)))
    groups: dict[int, set[str]] = {}
    for node, camp_id in zip(nodes, membership):
        groups.setdefault(camp_id, set()).add(node)
    found = list(groups.values())
    camp_of = {n: i for i, members in enumerate(found) for n in members}
    inside: list[list[tuple[str, str, Any]]] = [[] for _ in found]
    inner_degree = dict.fromkeys(G, 0)
    for u, v, k in G.edges(keys=True):  # one pass over the ties, not one per camp
        if camp_of[u] == camp_of[v]:
            inside[camp_of[u]].append((u, v, k))
            inner_degree[u] += 1
            inner_degree[v] += 1
    camps = []
    for i, members in enumerate(found):
        centre = max(sorted(members), key=lambda n: (inner_degree[n], G.degree(n)))
        camps.append({
            "centre": _entity(G, centre),
            "members": sorted((_entity(G, n) for n in members), key=lambda e: (-inner_degree[e["id"]], e["id"])),
            "ties": [_tie(G, u, v, k) for u, v, k in inside[i]],
        })
    camps.sort(key=lambda c: (-len(c["members"]), c["centre"]["id"]))
    for i, camp in enumerate(camps, 1):
        camp["id"] = i
    return camps


def community_of(G: nx.MultiDiGraph, *, resolution: float = 1.0, seed: int = 42) -> dict[str, int]:
    """Each entity's camp number from :func:`communities` (1 = the largest)."""
    return {m["id"]: camp["id"] for camp in communities(G, resolution=resolution, seed=seed) for m in camp["members"]}


def timeline(G: nx.MultiDiGraph, *, at: int | None = None, diff: tuple[int, int] | None = None) -> dict[str, Any]:
    """The network as of year ``at`` (ties dated up to then, and the undated ones), or what
    appeared between two years (ties dated after the first, up to the second), in date order,
    then by the names at either end."""
    if (at is None) == (diff is None):
        raise AnalysisError("give --at YEAR or --diff YEAR1 YEAR2")
    if diff is not None:
        first, second = diff
        if first >= second:
            raise AnalysisError(f"--diff {first} {second}: the first year must come before the second")
        keep = [(u, v, k) for u, v, k, y in G.edges(keys=True, data="year") if y is not None and first < y <= second]
        keep.sort(key=lambda e: (G.edges[e].get("date") or str(G.edges[e]["year"]),  # in date order, then by name
                                 G.nodes[e[0]].get("name_en", e[0]), G.nodes[e[1]].get("name_en", e[1]),
                                 G.edges[e]["type"]))
        return {"from": first, "to": second, "appeared": [_tie(G, u, v, k) for u, v, k in keep],
                "entities": sorted({n for u, v, _ in keep for n in (u, v)})}
    keep = [(u, v, k) for u, v, k, y in G.edges(keys=True, data="year") if y is None or y <= at]
    dated = sum(1 for u, v, k in keep if G.edges[u, v, k].get("year") is not None)
    return {"at": at, "relationships": len(keep), "dated": dated, "undated": len(keep) - dated,
            "entities": len({n for u, v, _ in keep for n in (u, v)})}


def timeline_graph(G: nx.MultiDiGraph, *, at: int | None = None, diff: tuple[int, int] | None = None,
                   max_entities: int | None = None) -> nx.MultiDiGraph:
    """:func:`timeline` as a subgraph, to render or export: the network as of ``at``, or only
    the ties that appeared between the two years of ``diff`` and their ends.

    Raises :class:`~ecograph.view.select.SelectionTooLargeError` when it would hold more than
    ``max_entities`` entities (counted before it is built)."""
    import networkx as nx

    from ecograph.view.select import check_size

    timeline(G, at=at, diff=diff)  # checks the arguments
    if diff is not None:
        keep = [(u, v, k) for u, v, k, y in G.edges(keys=True, data="year") if y is not None and diff[0] < y <= diff[1]]
    else:
        keep = [(u, v, k) for u, v, k, y in G.edges(keys=True, data="year") if y is None or y <= at]
    if max_entities is not None:
        check_size(len({n for u, v, _ in keep for n in (u, v)}), max_entities)
    H = nx.MultiDiGraph()
    H.graph.update(G.graph)
    H.add_nodes_from((n, G.nodes[n]) for u, v, _ in keep for n in (u, v))
    H.add_edges_from((u, v, k, G.edges[u, v, k]) for u, v, k in keep)
    return H
