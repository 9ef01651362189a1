"""Ownership: what an entity reaches through equity ties, with its indirect stakes, and the
ultimate parents above it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from ecograph.analysis.common import check_entities, check_types, entity_record, equity_types, tie_record
from ecograph.data import schema

if TYPE_CHECKING:
    import networkx as nx


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
    chosen = check_types(equity_types(model) if via is None else via, model)
    check_entities(G, entity)
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
            entry = found.setdefault(nxt, {**entity_record(G, nxt), "chains": []})
            entry["chains"].append({
                "path": [step[0][0]] + [v for _, v, _ in step],
                "types": [G.edges[u, v, k]["type"] for u, v, k in step],
                "stakes": stakes,
                "stake": _product(stakes),
                "ties": [tie_record(G, u, v, k) for u, v, k in step],  # each hop with its source
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
    return {"entity": entity_record(G, entity), "via": sorted(chosen), "hops": hops, "reached": reached,
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
            entry = totals.setdefault(target, {**entity_record(G, target), "known": 0.0, "unknown": False,
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
    return {"entity": entity_record(G, entity), "via": sorted(chosen), "hops": hops, "reached": reached,
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
    return sorted((entity_record(G, node) for node in tops), key=lambda e: e["id"])
