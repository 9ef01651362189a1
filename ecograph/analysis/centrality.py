"""Hubs and brokers: each entity's score on a centrality measure, and entities ranked by it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ecograph.analysis.common import AnalysisError, chain_types, check_kinds, entity_record, igraph_undirected
from ecograph.data import schema

if TYPE_CHECKING:
    import networkx as nx

METRICS = ("degree", "betweenness", "pagerank", "eigenvector")

# Above this many entities, betweenness is estimated from a sample of sources (exact below).
EXACT_BETWEENNESS_LIMIT = 5_000
BETWEENNESS_SAMPLE = 256


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
        raise AnalysisError(f"no measure named {by!r}; expected one of {', '.join(METRICS)}")
    if by == "degree" and types is None:
        return {n: float(d) for n, d in G.degree()}
    if by == "degree":
        counts = dict.fromkeys(G, 0.0)
        for u, v, t in G.edges(data="type"):
            if t in types:
                counts[u] += 1
                counts[v] += 1
        return counts
    g, nodes = igraph_undirected(G, types)
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
    list holds the organisations (the model's ``organisation_kinds``), unless ``kind``
    names one kind or ``all_kinds`` asks for every entity. A city that many deals pass near is
    not a broker.
    """
    model = schema.model_of(G)
    if kind is not None:
        check_kinds([kind], model)
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
        out.append({**entity_record(G, n), "score": score, "rank": position})
    return out[:top] if top else out
