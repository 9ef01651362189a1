"""What every analysis shares: its error, the plain records it returns for an entity and a tie,
the checks of the kinds and relationship types it is asked about, and the graph as igraph sees it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from ecograph.data import schema
from ecograph.errors import EcographError

if TYPE_CHECKING:
    import networkx as nx

EQUITY_TYPES = ("OWNS", "INVESTED_IN")


class AnalysisError(EcographError):
    """An analysis was asked something it cannot answer (unknown metric, type or kind)."""


def entity_record(G: nx.MultiDiGraph, node: str) -> dict[str, Any]:
    """``node`` as an analysis lists it: id, both names and kind."""
    a = G.nodes[node]
    return {"id": node, "name_en": a.get("name_en", node), "name_zh": a.get("name_zh", ""), "kind": a.get("kind", "")}


def tie_record(G: nx.MultiDiGraph, u: str, v: str, key: Any) -> dict[str, Any]:
    """The tie ``(u, v, key)`` as an analysis lists it: ends, type, figures, description and source."""
    d = G.edges[u, v, key]
    props = {p.name: d[p.name] for p in schema.model_of(G).relationship_properties
             if p.name not in ("description", "source", "cited") and d.get(p.name) is not None}
    return {"from": u, "to": v, "type": d["type"], "properties": props, "description": d.get("description", ""),
            "source": d.get("source", ""), "cited": d.get("cited")}


def equity_types(model: schema.Model = schema.SHIPPED) -> tuple[str, ...]:
    """The relationship types of the equity group (who holds whom): what ``reach`` follows."""
    return tuple(r.name for r in model.rel_types.values() if r.group == "equity")


def check_types(types: Iterable[str], model: schema.Model = schema.SHIPPED) -> set[str]:
    """``types`` as a set, each a relationship type of ``model`` (else :class:`AnalysisError`)."""
    chosen = set(types)
    unknown = sorted(chosen - set(model.rel_types))
    if unknown:
        examples = equity_types(model) or tuple(model.rel_types)[:3]
        raise AnalysisError(f"no relationship type named {unknown[0]!r}; expected types like {', '.join(examples)}")
    return chosen


def check_kinds(kinds: Iterable[str], model: schema.Model = schema.SHIPPED) -> set[str]:
    """``kinds`` as a set, each an entity kind of ``model`` (else :class:`AnalysisError`)."""
    chosen = set(kinds)
    unknown = sorted(chosen - set(model.kinds))
    if unknown:
        raise AnalysisError(f"no kind named {unknown[0]!r}; expected one of {', '.join(model.kinds)}")
    return chosen


def chain_types(rels: Sequence[str] = (), *, context: bool = False, model: schema.Model = schema.SHIPPED) -> set[str]:
    """The relationship types a chain or a broker measure follows: ``rels`` when given, else
    the alliances (:attr:`ecograph.data.schema.Model.alliance_types`), or every type with ``context``."""
    if rels:
        return check_types(rels, model)
    return set(model.rel_types) if context else set(model.alliance_types)


def check_entities(G: nx.MultiDiGraph, *ids: str) -> None:
    """Raise :class:`AnalysisError` for the first of ``ids`` that is not an entity of ``G``."""
    for n in ids:
        if n not in G:
            raise AnalysisError(f"no entity with id {n!r} in the graph")


def igraph_undirected(G: nx.MultiDiGraph, types: set[str] | None = None) -> tuple[Any, list[str]]:
    """G as an undirected simple igraph graph (compiled: fast at a million ties), and the node
    order its vertex ids follow; only ties of ``types`` when given."""
    from ecograph.compiled import igraph as compiled

    igraph = compiled()

    if types is None:
        nodes, ends = tie_ends(G)
        g = igraph.Graph(n=len(nodes), edges=ends[ends[:, 0] != ends[:, 1]])
        g.simplify(multiple=True, loops=True)
        return g, nodes
    nodes = list(G.nodes)
    index = {n: i for i, n in enumerate(nodes)}
    ties = ((u, v) for u, v, t in G.edges(data="type") if t in types)
    g = igraph.Graph(n=len(nodes), edges=[(index[u], index[v]) for u, v in ties if u != v])
    g.simplify(multiple=True, loops=True)
    return g, nodes


def tie_ends(G: nx.MultiDiGraph) -> tuple[list[str], Any]:
    """``G``'s nodes (in ``G.nodes`` order) and its ties' ends as indexes into them: a numpy
    array of shape (ties, 2), one row per tie in ``G.edges()`` order, for the steps that count
    or group a million ties in compiled code instead of a Python loop over tuples."""
    import numpy as np

    nodes = list(G.nodes)
    index = {n: i for i, n in enumerate(nodes)}
    ends = np.fromiter((index[n] for tie in G.edges() for n in tie), dtype=np.int64)
    return nodes, ends.reshape(-1, 2)
