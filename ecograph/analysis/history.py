"""History: the network as of a year, or what appeared between two years."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ecograph.analysis.common import AnalysisError, tie_record

if TYPE_CHECKING:
    import networkx as nx


def timeline(G: nx.MultiDiGraph, *, at: int | None = None, diff: tuple[int, int] | None = None) -> dict[str, Any]:
    """The network as of year ``at`` (ties dated up to then, and the undated ones), or what
    appeared between two years (ties dated after the first, up to the second), in date order,
    then by the names at either end."""
    if (at is None) == (diff is None):
        raise AnalysisError("give a year, or two years to compare")
    if diff is not None:
        first, second = diff
        if first >= second:
            raise AnalysisError(f"from {first} to {second}: the first year must come before the second")
        keep = [(u, v, k) for u, v, k, y in G.edges(keys=True, data="year") if y is not None and first < y <= second]
        keep.sort(key=lambda e: (G.edges[e].get("date") or str(G.edges[e]["year"]),  # in date order, then by name
                                 G.nodes[e[0]].get("name_en", e[0]), G.nodes[e[1]].get("name_en", e[1]),
                                 G.edges[e]["type"]))
        return {"from": first, "to": second, "appeared": [tie_record(G, u, v, k) for u, v, k in keep],
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
