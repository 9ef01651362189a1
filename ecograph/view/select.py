"""Selecting a subgraph: the selectors ``render``, ``export`` and the analytics share.

A :class:`Selection` says which part of the network to show; :func:`select` applies it to a
graph shaped like ``ecograph.load()``'s and returns the subgraph (a copy with every attribute).
The steps run in this order, each on what the previous left:

1. ``exclude`` removes entities (and their ties);
2. ``kinds`` keeps only entities of those kinds;
3. ``rels`` keeps only ties of those types; ``since``/``until`` drop *dated* ties outside the
   years (ties the report gives no date for stay: they are not outside any range);
4. ``center`` + ``hops`` keeps the entities within ``hops`` ties of the centre, ties followed in
   either direction;
5. if ties were filtered (step 3), entities left with no tie are dropped, except the centre,
   so a year range shows the network of those years and not every entity ever named.

With ``max_entities``, the entities are counted before anything is copied, and a selection of
more raises :class:`SelectionTooLargeError`: drawing the 1-hop neighbourhood of a hub of a
million ties took 3 minutes and 3.75 GB for a 278 MB page no browser could show.

Example::

    G = load()
    sub = select(G, Selection(center="alibaba", hops=1, rels=("OWNS", "INVESTED_IN")))
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ecograph.data import schema
from ecograph.errors import EcographError

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "Selection",
    "SelectionError",
    "SelectionTooLargeError",
    "DEFAULT_MAX_ENTITIES",
    "select",
    "check_size",
    "check_names",
    "parse_names",
    "NamedEntities",
]

# More entities than this make a map no browser draws in useful time, and a picture of dots.
DEFAULT_MAX_ENTITIES = 5_000


class SelectionError(EcographError):
    """A selector names a kind or type that does not exist, or contradicts another; ``field``
    names the selector (``kinds``, ``hops``) when the error is about one."""

    def __init__(self, message: str, field: str | None = None) -> None:
        self.field = field
        super().__init__(message)

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (str(self), self.field))


class SelectionTooLargeError(SelectionError):
    """The selection holds more entities than the limit asked for; ``count`` and ``limit`` say how many."""

    def __init__(self, count: int, limit: int) -> None:
        self.count = count
        self.limit = limit
        super().__init__(
            f"the selection holds {count:,} entities, more than the limit of {limit:,}; narrow it to an "
            "entity's neighbourhood, to some kinds or relationship types, or to a range of years, "
            "or raise the limit"
        )

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.count, self.limit))


def check_size(count: int, max_entities: int | None) -> None:
    """Raise :class:`SelectionTooLargeError` if ``count`` entities are more than ``max_entities`` (None: no limit)."""
    if max_entities is not None and count > max_entities:
        raise SelectionTooLargeError(count, max_entities)


@dataclass(frozen=True)
class Selection:
    """Which part of the network to take; every field left at its default takes everything.

    ``center`` and ``exclude`` are entity ids (resolve names with
    :func:`ecograph.data.search.resolve_entity` first).
    """

    center: str | None = None
    hops: int = 1
    kinds: tuple[str, ...] = ()
    rels: tuple[str, ...] = ()
    since: int | None = None
    until: int | None = None
    exclude: tuple[str, ...] = ()
    # The vocabulary kinds and rels are checked against: the selected graph's (schema.model_of).
    model: schema.Model = field(default=schema.SHIPPED, compare=False, repr=False)

    def __post_init__(self) -> None:
        check_names(self.kinds, self.model.kinds, "kind", field="kinds")
        check_names(self.rels, self.model.rel_types, "relationship type", field="rels")
        if self.hops < 0:
            raise SelectionError(f"{self.hops} hops: expected 0 or more", "hops")
        if self.since is not None and self.until is not None and self.since > self.until:
            raise SelectionError(f"the years from {self.since} until {self.until}: no year is in that range", "since")
        if self.center is not None and self.center in self.exclude:
            raise SelectionError(f"the centre {self.center} is also excluded", "center")

    @property
    def filters_ties(self) -> bool:
        return bool(self.rels) or self.since is not None or self.until is not None


def parse_names(text: str | None) -> tuple[str, ...]:
    """``"Company, Platform"`` → ``("Company", "Platform")``: a comma-separated option value."""
    if not text:
        return ()
    return tuple(part.strip() for part in text.split(",") if part.strip())


def check_names(names: Iterable[str], known: Iterable[str], what: str, *, field: str | None = None) -> None:
    """Raise :class:`SelectionError` for the first of ``names`` not in ``known``: "no ``what``
    named 'Compnay' (did you mean 'Company'?)"; ``field`` is the selector they came from."""
    known = list(known)
    for name in names:
        if name not in known:
            close = difflib.get_close_matches(name, known, n=1)
            by_case = [k for k in known if k.lower() == name.lower()]
            hint = by_case[0] if by_case else (close[0] if close else None)
            suggestion = f" (did you mean '{hint}'?)" if hint else f"; expected one of {', '.join(known)}"
            raise SelectionError(f"no {what} named {name!r}{suggestion}", field)


def _year_ok(attrs: dict, since: int | None, until: int | None) -> bool:
    year = attrs.get("year")
    if year is None:
        return True
    return (since is None or year >= since) and (until is None or year <= until)


def select(G: nx.MultiDiGraph, selection: Selection, *, max_entities: int | None = None) -> nx.MultiDiGraph:
    """The subgraph of ``G`` that ``selection`` describes, as a new graph with all attributes.

    Raises :class:`SelectionError` when the centre or an excluded entity is not in ``G``, and
    :class:`SelectionTooLargeError` when the subgraph would hold more than ``max_entities``
    entities (counted before it is built).
    """
    import networkx as nx

    for entity in (*([selection.center] if selection.center else []), *selection.exclude):
        if entity not in G:
            raise SelectionError(f"no entity with id {entity!r} in the graph being selected from")
    kinds, rels = set(selection.kinds), set(selection.rels)

    def node_ok(n: str) -> bool:
        return n not in selection.exclude and (not kinds or G.nodes[n]["kind"] in kinds or n == selection.center)

    def edge_ok(u: str, v: str, k: object) -> bool:
        d = G.edges[u, v, k]
        return (not rels or d["type"] in rels) and _year_ok(d, selection.since, selection.until)

    view = nx.subgraph_view(G, filter_node=node_ok, filter_edge=edge_ok)
    if selection.center is not None:
        # The neighbourhood first, then a copy of it alone: copying the whole graph to cut it
        # down took 10 s at a million ties.
        near = nx.single_source_shortest_path_length(view.to_undirected(as_view=True), selection.center, cutoff=selection.hops)
        keep = [n for n in G if n in near]  # the graph's own order, not the set's (varies by run)
    else:
        keep = [n for n in G if node_ok(n)]
    if max_entities is not None and len(keep) > max_entities:
        count = len(keep)
        if selection.filters_ties:  # step 5 will drop the entities left with no tie: count those kept
            kept = set(keep)
            tied = {selection.center} if selection.center is not None else set()
            for u, v, k in G.out_edges(keep, keys=True):
                if v in kept and edge_ok(u, v, k):
                    tied.add(u)
                    tied.add(v)
            count = len(tied)
        check_size(count, max_entities)
    H = nx.MultiDiGraph()
    H.graph.update(G.graph)
    H.add_nodes_from((n, G.nodes[n]) for n in keep)
    kept = set(keep)
    # The graph's own edge order: a subgraph view of a few nodes iterates its node set instead.
    H.add_edges_from(
        (u, v, k, d) for u, v, k, d in G.out_edges(keep, keys=True, data=True) if v in kept and edge_ok(u, v, k)
    )
    if selection.filters_ties:
        H.remove_nodes_from([n for n in list(H) if H.degree(n) == 0 and n != selection.center])
    subject = set(H)
    H.graph["observations"] = [o for o in G.graph.get("observations", ()) if o["subject"] in subject]
    return H


class NamedEntities:
    """The entities a query's plain values name, for drawing a result that returns no nodes.

    The rule: a text value (or a text in a list value) names an entity when it is exactly its
    id, its English name or its Chinese name. ``add_row`` takes each row as it streams by;
    :meth:`graph` is the named entities and the ties among them, as in ``G``. A name two
    entities share names neither.
    """

    def __init__(self, G: nx.MultiDiGraph) -> None:
        self.G = G
        index: dict[str, str | None] = {}
        for n, attrs in G.nodes(data=True):
            for name in {n, attrs.get("name_en") or "", attrs.get("name_zh") or ""} - {""}:
                index[name] = n if index.get(name, n) == n else None  # shared: ambiguous
        self._index = index
        self.ids: dict[str, None] = {}  # in the order they came

    def add_row(self, row: Iterable) -> None:
        for value in row:
            for text in value if isinstance(value, (list, tuple)) else (value,):
                if isinstance(text, str):
                    found = self._index.get(text)
                    if found is not None:
                        self.ids.setdefault(found)

    def graph(self, *, max_entities: int | None = None) -> nx.MultiDiGraph:
        """The named entities and every tie among them (their figures too)."""
        import networkx as nx

        check_size(len(self.ids), max_entities)
        G = self.G
        H = nx.MultiDiGraph()
        H.graph.update(G.graph)
        H.add_nodes_from((n, G.nodes[n]) for n in self.ids)
        H.add_edges_from((u, v, k, d) for u, v, k, d in G.out_edges(list(self.ids), keys=True, data=True) if v in self.ids)
        H.graph["observations"] = [o for o in G.graph.get("observations", ()) if o["subject"] in self.ids]
        return H
