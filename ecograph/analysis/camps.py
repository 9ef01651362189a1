"""Camps: an ecosystem compared with another (what each owns, their partners, the ties between
them), and the communities the graph falls into."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ecograph.analysis.common import check_entities, entity_record, tie_ends, tie_record

if TYPE_CHECKING:
    import networkx as nx


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
    check_entities(G, a, b)
    camps = {a: _camp(G, a), b: _camp(G, b)}

    def partner_ties(camp: set[str]) -> dict[str, list[dict[str, Any]]]:
        ties: dict[str, list[dict[str, Any]]] = {}
        for u, v, k in G.edges(keys=True):
            for member, other in ((u, v), (v, u)):
                if member in camp and other not in camp:
                    ties.setdefault(other, []).append(tie_record(G, u, v, k))
        return ties

    ta, tb = partner_ties(camps[a]), partner_ties(camps[b])
    shared_ids = sorted((set(ta) & set(tb)) - camps[a] - camps[b], key=lambda n: G.nodes[n].get("name_en", n))
    bridges = [
        tie_record(G, u, v, k) for u, v, k in G.edges(keys=True)
        if (u in camps[a] and v in camps[b]) or (u in camps[b] and v in camps[a])
    ]
    return {
        "a": {**entity_record(G, a), "camp": sorted(camps[a])},
        "b": {**entity_record(G, b), "camp": sorted(camps[b])},
        "shared": [{**entity_record(G, n), "ties_a": ta[n], "ties_b": tb[n]} for n in shared_ids],
        "only_a": [entity_record(G, n) for n in sorted(set(ta) - set(tb) - camps[b], key=lambda n: G.nodes[n].get("name_en", n))],
        "only_b": [entity_record(G, n) for n in sorted(set(tb) - set(ta) - camps[a], key=lambda n: G.nodes[n].get("name_en", n))],
        "bridges": bridges,
    }


def camp_membership(G: nx.MultiDiGraph, *, resolution: float = 1.0, seed: int = 42) -> tuple[dict[str, int], dict[int, str]]:
    """Each entity's camp number (1 = the largest) and each camp's centre, as :func:`communities`
    numbers and centres them, without listing members and ties: one pass over the ties, which
    the map needs at a million ties (listing them took half a minute there)."""
    import random

    import numpy as np

    from ecograph.compiled import igraph as compiled

    igraph = compiled()

    nodes, ends = tie_ends(G)
    g = igraph.Graph(n=len(nodes), edges=ends[ends[:, 0] != ends[:, 1]])  # as igraph_undirected makes it
    g.simplify(multiple=True, loops=True)
    if g.ecount():
        previous = igraph.set_random_number_generator(random.Random(seed))
        try:
            membership = np.asarray(g.community_multilevel(resolution=resolution).membership, dtype=np.int64)
        finally:
            igraph.set_random_number_generator(previous or random)
    else:
        membership = np.arange(len(nodes), dtype=np.int64)
    # Counted with numpy over the ties' ends (one Python pass over a million ties and a
    # degree lookup per entity took 6 s of the 100,000-entity map, issue #14).
    size, count = len(nodes), max(len(nodes), 1)
    degree = np.bincount(ends.ravel(), minlength=size)
    inside = ends[membership[ends[:, 0]] == membership[ends[:, 1]]]
    inner_degree = np.bincount(inside.ravel(), minlength=size)
    rank = np.empty(size, dtype=np.int64)
    rank[sorted(range(size), key=nodes.__getitem__)] = np.arange(size)  # the smallest id wins a tie
    # Each camp's centre: most ties inside the camp, then most ties overall, then the smallest id.
    order = np.lexsort((rank, -degree, -inner_degree, membership))
    first = np.ones(size, dtype=bool)
    first[1:] = membership[order[1:]] != membership[order[:-1]]
    centre = {int(membership[i]): nodes[i] for i in order[first]}
    sizes = np.bincount(membership, minlength=count)
    ranked = sorted(centre, key=lambda c: (-sizes[c], centre[c]))
    number = np.zeros(count, dtype=np.int64)
    number[ranked] = np.arange(1, len(ranked) + 1)
    return dict(zip(nodes, number[membership].tolist())), {number[c].item(): centre[c] for c in ranked}


def communities(G: nx.MultiDiGraph, *, resolution: float = 1.0, seed: int = 42) -> list[dict[str, Any]]:
    """Ecosystem camps: Louvain communities of the undirected graph (igraph's multilevel
    algorithm), the same for the same seed.

    Largest first; each with its members, its most central entity (most ties inside the camp,
    then most ties overall) and the ties that bind it (ties between its members).
    """
    camp_of, centres = camp_membership(G, resolution=resolution, seed=seed)
    members: dict[int, list[str]] = {c: [] for c in centres}
    for n, c in camp_of.items():
        members[c].append(n)
    inside: dict[int, list[tuple[str, str, Any]]] = {c: [] for c in centres}
    inner_degree = dict.fromkeys(G, 0)
    for u, v, k in G.edges(keys=True):  # one pass over the ties, not one per camp
        if camp_of[u] == camp_of[v]:
            inside[camp_of[u]].append((u, v, k))
            inner_degree[u] += 1
            inner_degree[v] += 1
    return [{
        "centre": entity_record(G, centres[c]),
        "members": sorted((entity_record(G, n) for n in members[c]), key=lambda e: (-inner_degree[e["id"]], e["id"])),
        "ties": [tie_record(G, u, v, k) for u, v, k in inside[c]],
        "id": c,
    } for c in sorted(centres)]


def community_of(G: nx.MultiDiGraph, *, resolution: float = 1.0, seed: int = 42) -> dict[str, int]:
    """Each entity's camp number from :func:`communities` (1 = the largest)."""
    return camp_membership(G, resolution=resolution, seed=seed)[0]
