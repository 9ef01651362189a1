"""Chains: the shortest (or every) alliance chain between two entities."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import islice
from typing import TYPE_CHECKING, Any

from ecograph.analysis.common import chain_types, check_entities, check_kinds, tie_record
from ecograph.data import schema

if TYPE_CHECKING:
    import networkx as nx

MAX_CHAINS_LISTED = 1_000  # path lists at most this many chains


def _ties_between(G: nx.MultiDiGraph, a: str, b: str, rels: set[str], directed: bool) -> list[dict[str, Any]]:
    pairs = [(a, b)] if directed else [(a, b), (b, a)]
    return [
        tie_record(G, u, v, k)
        for u, v in pairs if G.has_edge(u, v)
        for k, d in G[u][v].items() if not rels or d["type"] in rels
    ]


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

    model = schema.model_of(G)
    chosen = chain_types(rels, context=context, model=model)
    through = check_kinds(kinds, model)
    check_entities(G, source, target, *exclude)
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
