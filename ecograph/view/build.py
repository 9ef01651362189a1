"""Building a view: the one way a map, a picture, an export or a deck slide gets its subgraph.

A :class:`ViewRequest` says what to show in the words a user gives: entity names or ids, kinds,
relationship types, years, and optionally a Cypher query or a saved query to start from.
:func:`build_view` turns it into a graph, in this order:

1. with ``query`` or ``saved``, the subgraph the query returns on the embedded store
   (:func:`query_subgraph`); else the whole graph;
2. names in ``center`` and ``exclude`` are resolved to entity ids in that graph;
3. the selectors are applied by :func:`ecograph.view.select.select`; a request with none of
   them is the graph itself, not a copy (copying took 20 s at a million ties).

The command line (``render``, ``export``, the analytics) and deck specs
(:mod:`ecograph.view.deck`) both build their views here.

Example::

    G = load()
    view = build_view(G, ViewRequest(center="Alibaba", hops=1, rels=("OWNS", "INVESTED_IN")))
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ecograph.view.select import Selection, SelectionError, check_size, select

if TYPE_CHECKING:
    import networkx as nx

    from ecograph.progress import Progress

__all__ = ["ViewRequest", "build_view", "query_subgraph", "view_title"]


@dataclass(frozen=True)
class ViewRequest:
    """What to show: the selectors of :class:`~ecograph.view.select.Selection`, with entities
    named as a user names them, and optionally a query (Cypher text, or a saved query's name)
    whose result to start from, with its parameters."""

    center: str | None = None
    hops: int = 1
    kinds: Sequence[str] = ()
    rels: Sequence[str] = ()
    since: int | None = None
    until: int | None = None
    exclude: Sequence[str] = ()
    query: str | None = None
    saved: str | None = None
    params: Mapping[str, Any] = field(default_factory=dict)


def build_view(
    G: nx.MultiDiGraph,
    request: ViewRequest,
    *,
    store_path: str | Path | None = None,
    max_entities: int | None = None,
    progress: Progress | None = None,
    warn: Callable[[str], None] | None = None,
) -> nx.MultiDiGraph:
    """The view ``request`` describes, from ``G`` or from the subgraph its query returns.

    ``store_path`` is the embedded store of the data ``G`` was loaded from (needed only for a
    query). With ``max_entities``, a view of more entities is refused before it is built
    (:class:`~ecograph.view.select.SelectionTooLargeError`). ``warn`` is handed what the store
    says about the query (a label the data lacks, and the closest it has).
    """
    from ecograph.data import schema
    from ecograph.data.search import resolve_entity

    if request.query is not None and request.saved is not None:
        raise SelectionError("a view starts from a query or from a saved query, not both")
    if request.query is not None or request.saved is not None:
        if store_path is None:
            raise SelectionError("a view that starts from a query needs the embedded store's folder")
        G = query_subgraph(G, request.query, request.saved, request.params, store_path=store_path,
                           max_entities=max_entities, progress=progress, warn=warn)
    selection = Selection(
        model=schema.model_of(G),  # kinds and types are checked against the data's own vocabulary
        center=resolve_entity(G, request.center) if request.center else None,
        hops=request.hops,
        kinds=tuple(request.kinds),
        rels=tuple(request.rels),
        since=request.since,
        until=request.until,
        exclude=tuple(resolve_entity(G, e) for e in request.exclude),
    )
    if selection == Selection():
        check_size(G.number_of_nodes(), max_entities)
        return G  # everything: the graph itself, not a copy (20 s at a million ties)
    return select(G, selection, max_entities=max_entities)


def view_title(G: nx.MultiDiGraph, request: ViewRequest | None = None) -> str:
    """A title for a picture of the view ``request`` describes: the data set's own, and the
    entity at the centre ("…: around Alibaba Group, 2 ties out")."""
    from ecograph.data.dataset import graph_title
    from ecograph.data.search import resolve_entity
    from ecograph.words import entity_name

    base = graph_title(G)
    if request is None or not request.center:
        return base
    around = f"{base}: around {entity_name(G, resolve_entity(G, request.center))}"
    return around + (f", {request.hops} ties out" if request.hops != 1 else "")


def query_subgraph(
    G: nx.MultiDiGraph,
    cypher: str | None,
    saved: str | None,
    params: Mapping[str, Any],
    *,
    store_path: str | Path,
    max_entities: int | None = None,
    progress: Progress | None = None,
    warn: Callable[[str], None] | None = None,
) -> nx.MultiDiGraph:
    """The subgraph a query (``cypher`` text, or the ``saved`` query of that name) returns on the
    embedded store at ``store_path`` of the data ``G`` was loaded from; gathered row by row,
    refused once it holds more than ``max_entities`` entities. A result of plain values draws
    the entities they name (:class:`~ecograph.view.select.NamedEntities`). Each warning the store
    gives about the query (a name the data lacks) goes to ``warn``."""
    from ecograph.query.result import SubgraphBuilder
    from ecograph.query.saved import read_saved_query
    from ecograph.query.store import open_store
    from ecograph.view.select import NamedEntities

    if saved is not None:
        q = read_saved_query(saved)
        text, bound = q.text, q.bind(params)
    else:
        text, bound = cypher, dict(params)
    dirs = [Path(d) for d in G.graph["data_dirs"]]
    builder = SubgraphBuilder(max_entities)
    named = NamedEntities(G)  # a result of values only draws the entities it names
    store = open_store(dirs, store_path, load=lambda: G, progress=progress)
    with store, store.stream(text, bound) as rows:
        for warning in rows.warnings if warn is not None else ():
            warn(warning)
        for row in rows:
            builder.add_row(row, rows.nodes)
            named.add_row(row)
    check_size(builder.count, max_entities)
    sub = builder.graph
    if sub.number_of_nodes() == 0:
        sub = named.graph(max_entities=max_entities)
    if sub.number_of_nodes() == 0:
        raise SelectionError(
            "the query returned no nodes, relationships or paths, and no value that names an entity; "
            "return them (RETURN a, r, b or RETURN p) or their ids or names"
        )
    # Nodes come back with their stored properties; give them the loaded graph's own attributes.
    for n in sub:
        if n in G:
            sub.nodes[n].update(G.nodes[n])
    sub.graph.update(G.graph)
    return sub
