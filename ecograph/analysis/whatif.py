"""What if: entities or ties taken away, and what that costs the alliance network.

Two answers, on the same chains as :func:`ecograph.analysis.paths` (alliances unless told
otherwise, read both ways unless ``directed``):

1. ``cut_off``: the entities that had a chain to a chosen entity and have none once the
   removed entities and ties are gone;
2. ``longer``: the pairs of entities still joined whose shortest chain gets longer.

The steps: the chain graph before and after (plain adjacency lists: one breadth-first search
per entity is the whole cost); the search from the chosen entity in each; then, for every
entity that could route through what was removed (in its component before, a limited number),
a search in each graph and the pairs whose hop count grew.

    what_if(G, "alipay", remove=["alibaba"])
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ecograph.analysis.common import AnalysisError, chain_types, check_entities, entity_record
from ecograph.data import schema

if TYPE_CHECKING:
    import networkx as nx

# Pairs are compared from at most this many entities (two searches each): 2,000 entities with
# 10,000 ties take about a second here, and the page does the same sum in the browser.
MAX_PAIR_ENTITIES = 2_000

Adjacency = dict[str, list[str]]


def _adjacency(G: nx.MultiDiGraph, chosen: set[str], directed: bool, gone: set[str],
               cut: set[tuple[str, str, str]], *, reverse: bool = False) -> Adjacency:
    """The chain graph as neighbour lists, in the order of ``G``'s ties; without the entities
    ``gone`` and the ties ``cut`` (from, to, type); ``reverse`` flips a directed graph."""
    adj: dict[str, dict[str, None]] = {n: {} for n in G if n not in gone}
    for u, v, t in G.edges(data="type"):
        if u == v or t not in chosen or u in gone or v in gone or (u, v, t) in cut:
            continue
        a, b = (v, u) if reverse else (u, v)
        adj[a][b] = None
        if not directed:
            adj[b][a] = None
    return {n: list(nbrs) for n, nbrs in adj.items()}


def _hops(adj: Adjacency, start: str) -> dict[str, int]:
    """Hops from ``start`` to each entity it reaches (breadth first)."""
    seen = {start: 0}
    todo = deque([start])
    while todo:
        node = todo.popleft()
        for nxt in adj[node]:
            if nxt not in seen:
                seen[nxt] = seen[node] + 1
                todo.append(nxt)
    return seen


def _check_ties(G: nx.MultiDiGraph, ties: Sequence[Sequence[str]]) -> set[tuple[str, str, str]]:
    cut = set()
    for tie in ties:
        if len(tie) != 3:
            raise AnalysisError(f"a tie is named by its two ends and its type; found {list(tie)!r}")
        u, v, t = tie
        check_entities(G, u, v)
        if not G.has_edge(u, v) or all(d["type"] != t for d in G[u][v].values()):
            raise AnalysisError(f"no {t} tie from {u!r} to {v!r} in the graph")
        cut.add((u, v, t))
    return cut


def _longer_pairs(before: Adjacency, after: Adjacency, sources: list[str], directed: bool) -> list[dict[str, Any]]:
    """The pairs (from ``sources``) joined before and after whose shortest chain grew."""
    longer = []
    for s in sources:
        if s not in after:
            continue
        was, now = _hops(before, s), _hops(after, s)
        for t, hops in was.items():
            if t == s or t not in now or now[t] <= hops or (not directed and t < s):  # each pair once
                continue
            a, b = (s, t) if directed or s < t else (t, s)
            longer.append({"a": a, "b": b, "before": hops, "after": now[t]})
    longer.sort(key=lambda p: (p["before"] - p["after"], p["a"], p["b"]))
    return longer


def what_if(
    G: nx.MultiDiGraph,
    entity: str,
    *,
    remove: Sequence[str] = (),
    ties: Sequence[Sequence[str]] = (),
    rels: Sequence[str] = (),
    context: bool = False,
    directed: bool = False,
) -> dict[str, Any]:
    """What changes for ``entity`` and the network when the entities ``remove`` and the ties
    ``ties`` (each ``(from, to, type)``: every such tie goes) are taken away.

    Chains follow the alliances (equity and deal ties), ``rels`` instead, or every type with
    ``context``; ``directed`` follows ties only as stated (a chain then runs *to* ``entity``).

    Returns ``cut_off`` (the entities with a chain to ``entity`` before and none after, each
    with ``hops_before``, nearest first), ``longer`` (pairs ``{"a", "b", "before", "after"}``
    still joined by a longer shortest chain, most lengthened first; ``None`` when more than
    ``MAX_PAIR_ENTITIES`` entities could route through what was removed, with ``compared``
    saying how many), and the request (``entity``, ``removed``, ``removed_ties``, ``follows``).
    """
    model = schema.model_of(G)
    chosen = chain_types(rels, context=context, model=model)
    check_entities(G, entity, *remove)
    if entity in remove:
        raise AnalysisError(f"{entity!r} is the entity asked about: it cannot also be removed")
    cut = _check_ties(G, ties)
    gone = set(remove)
    before = _adjacency(G, chosen, directed, set(), set(), reverse=True)
    after = _adjacency(G, chosen, directed, gone, cut, reverse=True)
    was, now = _hops(before, entity), _hops(after, entity)
    cut_off = sorted(((n, h) for n, h in was.items() if n not in now and n not in gone), key=lambda p: (p[1], p[0]))
    # Only an entity with a chain to something removed (to a removed tie's start) can route through it.
    touched: set[str] = set()
    for start in gone | {u for u, _, _ in cut}:
        if start not in touched:
            touched.update(_hops(before, start))
    sources = sorted(touched - gone)
    longer = None
    if len(sources) <= MAX_PAIR_ENTITIES:
        forward = before if not directed else _adjacency(G, chosen, directed, set(), set())
        forward_after = after if not directed else _adjacency(G, chosen, directed, gone, cut)
        longer = _longer_pairs(forward, forward_after, sources, directed)
    return {
        "entity": entity_record(G, entity), "follows": sorted(chosen), "directed": directed,
        "removed": [entity_record(G, n) for n in remove],
        "removed_ties": [{"from": u, "to": v, "type": t} for u, v, t in sorted(cut)],
        "cut_off": [{**entity_record(G, n), "hops_before": h} for n, h in cut_off],
        "longer": longer, "compared": len(sources),
    }
