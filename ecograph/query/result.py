"""Query results, the same whichever backend answered.

Both the embedded store and Neo4j turn their answers into a :class:`QueryResult`: columns and
rows whose values are plain Python values or :class:`Node`, :class:`Relationship` and
:class:`Path` objects with their full properties. Everything downstream (the CLI's table, JSON and
CSV output, rendering, export) reads this one shape.

A node is known by its ``key``: the entity id (the ``id`` property) where it has one, else the
backend's element id. Relationships name their ends by key, so a result can become a graph::

    result = store.query("MATCH (a:Company {id: 'alibaba'})-[r]->(b) RETURN a, r, b")
    G = result.subgraph()      # networkx MultiDiGraph, like ecograph.load() gives

A big answer need not be held: both backends also give a :class:`ResultStream`, whose rows
arrive in batches and are forgotten once read, and the ``iter_table``, ``iter_json`` and
``iter_csv`` writers turn rows into text as they come (a million rows of ``RETURN a, r, b`` took
15.5 GB as a list). The embedded store also keeps its engine from holding every returned node
whole: it asks for their ids and reads the nodes a batch at a time
(:meth:`ecograph.query.store.EmbeddedStore.stream`)::

    with store.stream("MATCH (a)-[r]->(b) RETURN a, r, b") as rows:
        for chunk in iter_json(rows.columns, rows):
            out.write(chunk)
"""

from __future__ import annotations

import csv
import io
import json
import math
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ecograph.data import schema

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "Node",
    "Relationship",
    "Path",
    "QueryResult",
    "ResultStream",
    "SubgraphBuilder",
    "format_table",
    "format_json",
    "format_csv",
    "iter_table",
    "iter_json",
    "iter_csv",
]


@dataclass(frozen=True)
class Node:
    """A node with its labels and every property it has (nulls left out)."""

    key: str
    labels: tuple[str, ...]
    properties: Mapping[str, Any]
    element_id: str = ""

    @property
    def kind(self) -> str:
        """The entity kind (or ``Observation``): the first label that is not ecograph's marker."""
        return next((lb for lb in self.labels if lb != schema.ENTITY_MARKER_LABEL), "")

    @property
    def display_name(self) -> str:
        p = self.properties
        en, zh = p.get("name_en"), p.get("name_zh")
        if en and zh:
            return f"{en} / {zh}"
        return str(en or zh or p.get("name") or self.key)

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": "node",
            "id": self.key,
            "labels": list(self.labels),
            "properties": dict(self.properties),
            "element_id": self.element_id,
        }


@dataclass(frozen=True)
class Relationship:
    """A relationship: its type, the keys of its start and end nodes, and its properties."""

    type: str
    start: str
    end: str
    properties: Mapping[str, Any]
    element_id: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": "relationship",
            "type": self.type,
            "start": self.start,
            "end": self.end,
            "properties": dict(self.properties),
            "element_id": self.element_id,
        }


@dataclass(frozen=True)
class Path:
    """A path: ``nodes[i]`` and ``nodes[i + 1]`` are joined by ``relationships[i]`` (either way)."""

    nodes: tuple[Node, ...]
    relationships: tuple[Relationship, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": "path",
            "nodes": [n.as_dict() for n in self.nodes],
            "relationships": [r.as_dict() for r in self.relationships],
        }


@dataclass
class QueryResult:
    """Columns and rows of a query's answer, from either backend.

    ``nodes`` holds every node the result contains or that a relationship in it touches, by key,
    so :meth:`subgraph` can give relationships their ends with full properties.
    """

    columns: list[str]
    rows: list[list[Any]]
    backend: str = "embedded"
    nodes: dict[str, Node] = field(default_factory=dict)
    # What the backend said about the query (a label the data does not have, read as absent).
    warnings: list[str] = field(default_factory=list)

    def records(self) -> list[dict[str, Any]]:
        """The rows as dicts keyed by column name."""
        return [dict(zip(self.columns, row)) for row in self.rows]

    def values(self) -> Iterator[Any]:
        """Every value in the result, lists, maps and paths opened up."""
        for row in self.rows:
            for value in row:
                yield from _walk(value)

    def subgraph(self) -> nx.MultiDiGraph:
        """The nodes, relationships and paths in the result as a graph shaped like ``load()``'s.

        Nodes are keyed by entity id with ``kind`` and their properties; edges carry ``type`` and
        their properties. Ends of returned relationships are included. Scalars are ignored.
        """
        builder = SubgraphBuilder()
        for row in self.rows:
            builder.add_row(row, self.nodes)
        return builder.graph


class SubgraphBuilder:
    """Builds :meth:`QueryResult.subgraph`'s graph a row at a time, so a streamed result can be
    exported without keeping its rows.

    ``add_row(row, nodes)`` takes the nodes known for that row (ends of relationships the row
    does not hold). With ``max_entities``, once the graph would hold more entities than that it
    stops growing and only counts them: ``too_many`` is then true and ``count`` the full number,
    so a caller can refuse the export with the real count and memory stays bounded.
    """

    def __init__(self, max_entities: int | None = None) -> None:
        import networkx as nx

        self.graph = nx.MultiDiGraph()
        self.max_entities = max_entities
        self._seen_rels: set[tuple[Any, ...]] = set()
        self._overflow: set[str] | None = None  # every key, once the graph stopped growing

    @property
    def too_many(self) -> bool:
        return self._overflow is not None

    @property
    def count(self) -> int:
        """Entities in the result so far (all of them, also past ``max_entities``)."""
        return len(self._overflow) if self._overflow is not None else self.graph.number_of_nodes()

    def add_row(self, row: Iterable[Any], nodes: Mapping[str, Node]) -> None:
        for value in row:
            for v in _walk(value):
                if isinstance(v, Node):
                    self._node(v.key, v)
                elif isinstance(v, Relationship):
                    for end in (v.start, v.end):
                        self._node(end, nodes.get(end))
                    if self._overflow is None:
                        self._edge(v)

    def _node(self, key: str, node: Node | None) -> None:
        if self._overflow is not None:
            self._overflow.add(key)
            return
        G = self.graph
        if key not in G and self.max_entities is not None and G.number_of_nodes() >= self.max_entities:
            self._overflow = set(G)
            self._overflow.add(key)
            self.graph = type(G)()  # the partial graph is of no use now: let it go
            self._seen_rels.clear()
            return
        if node is not None:
            _add_node(G, node)
        elif key not in G:
            G.add_node(key)

    def _edge(self, rel: Relationship) -> None:
        ident = (rel.element_id or None, rel.start, rel.end, rel.type,
                 tuple(sorted((k, repr(v)) for k, v in rel.properties.items())))
        if ident in self._seen_rels:
            return
        self._seen_rels.add(ident)
        attrs = {k: v for k, v in rel.properties.items() if k != "key"}
        self.graph.add_edge(rel.start, rel.end, type=rel.type, **attrs)


class ResultStream:
    """A query's answer as it comes: ``columns``, then rows on iteration, one batch at a time.

    A backend hands over ``batches``, an iterator of ``(rows, nodes)`` pairs where ``nodes``
    holds the nodes of that batch by key (also ends of relationships the rows do not hold).
    Only the current batch is kept; :attr:`nodes` is that batch's, for a
    :class:`SubgraphBuilder` fed row by row. Iterate once; ``close()`` (or ``with``) ends the
    query early. :meth:`collect` gives a :class:`QueryResult` of everything left.
    """

    def __init__(
        self,
        columns: list[str],
        batches: Iterator[tuple[list[list[Any]], Mapping[str, Node]]],
        *,
        backend: str = "embedded",
        close: Callable[[], None] | None = None,
    ) -> None:
        self.columns = columns
        self.backend = backend
        self.nodes: Mapping[str, Node] = {}
        self.warnings: list[str] = []  # what the backend said about the query, for the caller to show
        self._batches = batches
        self._close = close

    def __iter__(self) -> Iterator[list[Any]]:
        try:
            for rows, nodes in self._batches:
                self.nodes = nodes
                yield from rows
        finally:
            self.close()

    def close(self) -> None:
        """End the query (and free what the backend holds for it); safe to call twice."""
        close, self._close = self._close, None
        closer = getattr(self._batches, "close", None)
        if closer is not None:
            closer()
        if close is not None:
            close()

    def __enter__(self) -> ResultStream:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def collect(self) -> QueryResult:
        """Every row, held: the :class:`QueryResult` of this answer."""
        out_rows: list[list[Any]] = []
        nodes: dict[str, Node] = {}
        try:
            for rows, batch_nodes in self._batches:
                out_rows += rows
                for key, node in batch_nodes.items():
                    nodes.setdefault(key, node)
        finally:
            self.close()
        return QueryResult(self.columns, out_rows, backend=self.backend, nodes=nodes, warnings=list(self.warnings))


def _add_node(G: nx.MultiDiGraph, node: Node) -> None:
    if node.key in G and G.nodes[node.key]:
        return
    attrs = {k: v for k, v in node.properties.items() if k not in ("id", "name")}
    G.add_node(node.key, kind=node.kind, **attrs)


def _walk(value: Any) -> Iterator[Any]:
    if isinstance(value, Path):
        yield from value.nodes
        yield from value.relationships
    elif isinstance(value, list):
        for v in value:
            yield from _walk(v)
    elif isinstance(value, Mapping):
        for v in value.values():
            yield from _walk(v)
    else:
        yield value


# --- output formats ------------------------------------------------------------------------------


def jsonable(value: Any) -> Any:
    """A value as JSON-ready data: nodes, relationships and paths as dicts with full properties."""
    if isinstance(value, (Node, Relationship, Path)):
        return value.as_dict()
    if isinstance(value, list):
        return [jsonable(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def format_json(result: QueryResult) -> str:
    """The rows as a JSON array of objects keyed by column."""
    return "".join(iter_json(result.columns, result.rows))


def iter_json(columns: list[str], rows: Iterable[list[Any]]) -> Iterator[str]:
    """A JSON array of objects keyed by column, in pieces as the rows come: one piece per row,
    so a million rows are never one string. The text is ``json.dumps(..., indent=2)``'s."""
    first = True
    for row in rows:
        obj = json.dumps({c: jsonable(v) for c, v in zip(columns, row)}, ensure_ascii=False, indent=2)
        # Strings are escaped in JSON, so every newline here is indentation's: indent one level.
        yield ("[\n  " if first else ",\n  ") + obj.replace("\n", "\n  ")
        first = False
    yield "[]" if first else "\n]"


def value_text(value: Any) -> str:
    """A value as short text: nodes by name and label, relationships by type, paths as chains."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e16 else repr(value)
    if isinstance(value, Node):
        return f"{value.display_name} (:{value.kind})" if value.kind else value.display_name
    if isinstance(value, Relationship):
        return f"[:{value.type}]"
    if isinstance(value, Path):
        return _path_text(value)
    if isinstance(value, list):
        return "[" + ", ".join(value_text(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{k}: {value_text(v)}" for k, v in value.items()) + "}"
    return str(value)


def _path_text(path: Path) -> str:
    if not path.nodes:
        return ""
    parts = [path.nodes[0].display_name]
    for here, rel, there in zip(path.nodes, path.relationships, path.nodes[1:]):
        forward = rel.start == here.key or rel.end != here.key
        parts.append(f"-[:{rel.type}]->" if forward else f"<-[:{rel.type}]-")
        parts.append(there.display_name)
    return " ".join(parts)


def _width(text: str) -> int:
    """Terminal columns ``text`` takes: CJK and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


# Rows a table measures before its widths are fixed: enough to fit typical values, few enough that
# the first line shows at once and memory does not grow with the answer.
TABLE_SAMPLE = 1000


def format_table(result: QueryResult) -> str:
    """An aligned text table, then a row count; CJK text keeps the columns straight."""
    return "".join(iter_table(result.columns, result.rows)).removesuffix("\n")


def iter_table(columns: list[str], rows: Iterable[list[Any]], *, sample: int = TABLE_SAMPLE,
               model: schema.Model | None = None) -> Iterator[str]:
    """The table of :func:`format_table`, a line at a time as the rows come, each line ending in a newline.

    Numbers read as a person reads them (:func:`human_cells`, by ``model``'s property types;
    default the shipped model): JSON and CSV keep the raw values.

    Column widths come from the header and the first ``sample`` rows, then stay fixed: a longer
    cell in a later row is cut to its column's width and ends in ``…`` (the last column is
    never cut, nothing follows it). Measuring every row first would mean holding every row
    before printing the first; a table of fewer rows than ``sample`` is exactly aligned.
    """
    if not columns:
        yield "(no columns)\n"
        return
    cells_of = human_cells(columns, model or schema.SHIPPED)
    it = iter(rows)
    head: list[list[str]] = []
    for row in it:
        head.append(cells_of(row))
        if len(head) >= sample:
            break
    widths = [max([_width(c)] + [_width(row[i]) for row in head]) for i, c in enumerate(columns)]
    yield "  ".join(_pad(c, w) for c, w in zip(columns, widths)).rstrip() + "\n"
    yield "  ".join("-" * w for w in widths) + "\n"
    n = 0
    for cells in head:
        n += 1
        yield _table_line(cells, widths)
    head = []
    for row in it:
        n += 1
        yield _table_line(cells_of(row), widths)
    yield f"({n} row{'s' if n != 1 else ''})\n"


def _cells(row: list[Any]) -> list[str]:
    return [value_text(v).replace("\n", " ") for v in row]


# Numbers from this size on get thousands separators in a table; below it they print as they are,
# so that years (2014) and small figures stay as written.
_SEPARATE_FROM = 10_000


def human_cells(columns: list[str], model: schema.Model) -> Callable[[list[Any]], list[str]]:
    """A row's cells as a person reads them, by what each column returns (``x.prop`` or ``prop``):
    a ``fraction`` property as a percentage (0.1035 → ``10.35 %``), an amount in a currency on a
    short scale with the currency of the row's ``x.currency`` column when there is one
    (3000000000 → ``3 billion CNY``), an observation's ``x.value`` in the row's ``x.unit``, and any
    other number of 10,000 or more with thousands separators. Other values as :func:`value_text`."""
    from ecograph import words

    fields = (*model.entity_fields, *model.relationship_fields, *model.observation_fields)
    fractions = {f.name for f in fields if f.type == "fraction"}
    amounts = {f.name for f in fields if f.type == "number" and "currency" in f.unit}
    index = {c: i for i, c in enumerate(columns)}

    def sibling(column: str, name: str) -> int | None:
        prefix, dot, _ = column.rpartition(".")
        return index.get(f"{prefix}.{name}") if dot else None

    plan: list[Callable[[Any, list[Any]], str] | None] = []
    for column in columns:
        prop = column.rpartition(".")[2]
        currency, unit = sibling(column, "currency"), sibling(column, "unit")
        if prop in fractions:
            plan.append(lambda v, row: words.percent(v))
        elif prop in amounts:
            plan.append(lambda v, row, c=currency: words.amount(v, _text_at(row, c)))
        elif prop == "value" and unit is not None:
            plan.append(lambda v, row, u=unit: words.measured(v, _text_at(row, u)) if _text_at(row, u) else _number(v))
        else:
            plan.append(None)

    def cells(row: list[Any]) -> list[str]:
        out = []
        for how, v in zip(plan, row):
            if isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v):
                out.append(how(v, row) if how is not None else _number(v))
            else:
                out.append(value_text(v).replace("\n", " "))
        return out

    return cells


def _text_at(row: list[Any], i: int | None) -> str:
    return row[i] if i is not None and i < len(row) and isinstance(row[i], str) else ""


def _number(value: float) -> str:
    if abs(value) >= _SEPARATE_FROM and (isinstance(value, int) or float(value).is_integer()):
        return f"{int(value):,}"
    if abs(value) >= _SEPARATE_FROM:
        return f"{value:,.2f}"
    return value_text(value)


def _table_line(cells: list[str], widths: list[int]) -> str:
    last = len(widths) - 1
    return "  ".join(
        _pad(c if i == last else _fit(c, w), w) for i, (c, w) in enumerate(zip(cells, widths))
    ).rstrip() + "\n"


def _fit(text: str, width: int) -> str:
    """``text`` cut to ``width`` terminal columns, ``…`` marking the cut."""
    if _width(text) <= width:
        return text
    out, used = [], 0
    for ch in text:
        w = _width(ch)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def _csv_cell(value: Any) -> str:
    from ecograph.fileio import spreadsheet_safe

    text = value_text(value)
    return spreadsheet_safe(text) if isinstance(value, str) else text


def format_csv(result: QueryResult) -> str:
    """CSV with a header row; nodes, relationships and paths as in the table."""
    return "".join(iter_csv(result.columns, result.rows))


def iter_csv(columns: list[str], rows: Iterable[list[Any]]) -> Iterator[str]:
    """The CSV of :func:`format_csv`, a line at a time as the rows come."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")

    def line(cells: list[Any]) -> str:
        out.seek(0)
        out.truncate()
        writer.writerow(cells)
        return out.getvalue()

    yield line(columns)
    for row in rows:
        yield line([_csv_cell(v) for v in row])
