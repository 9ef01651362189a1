"""Query results, the same whichever backend answered.

Both the embedded store and Neo4j turn their answers into a :class:`QueryResult`: columns and
rows whose values are plain Python values or :class:`Node`, :class:`Relationship` and
:class:`Path` objects with their full properties. Everything downstream (the CLI's table, JSON and
CSV output, rendering, export) reads this one shape.

A node is known by its ``key``: the entity id (the ``id`` property) where it has one, else the
backend's element id. Relationships name their ends by key, so a result can become a graph::

    result = store.query("MATCH (a:Company {id: 'alibaba'})-[r]->(b) RETURN a, r, b")
    G = result.subgraph()      # networkx MultiDiGraph, like ecograph.load() gives
"""

from __future__ import annotations

import csv
import io
import json
import math
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ecograph import schema

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["Node", "Relationship", "Path", "QueryResult", "format_table", "format_json", "format_csv"]


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
        import networkx as nx

        G = nx.MultiDiGraph()
        seen_rels: set[tuple[Any, ...]] = set()
        for value in self.values():
            if isinstance(value, Node):
                _add_node(G, value)
            elif isinstance(value, Relationship):
                for end in (value.start, value.end):
                    if end not in G:
                        known = self.nodes.get(end)
                        if known is not None:
                            _add_node(G, known)
                        else:
                            G.add_node(end)
                ident = (value.element_id or None, value.start, value.end, value.type,
                         tuple(sorted((k, repr(v)) for k, v in value.properties.items())))
                if ident in seen_rels:
                    continue
                seen_rels.add(ident)
                attrs = {k: v for k, v in value.properties.items() if k != "key"}
                G.add_edge(value.start, value.end, type=value.type, **attrs)
        return G


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
    return json.dumps(
        [{c: jsonable(v) for c, v in zip(result.columns, row)} for row in result.rows],
        ensure_ascii=False,
        indent=2,
    )


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


def format_table(result: QueryResult) -> str:
    """An aligned text table, then a row count; CJK text keeps the columns straight."""
    if not result.columns:
        return "(no columns)"
    cells = [[value_text(v).replace("\n", " ") for v in row] for row in result.rows]
    widths = [max([_width(c)] + [_width(row[i]) for row in cells]) for i, c in enumerate(result.columns)]
    lines = [
        "  ".join(_pad(c, w) for c, w in zip(result.columns, widths)).rstrip(),
        "  ".join("-" * w for w in widths),
    ]
    lines += ["  ".join(_pad(c, w) for c, w in zip(row, widths)).rstrip() for row in cells]
    n = len(result.rows)
    lines.append(f"({n} row{'s' if n != 1 else ''})")
    return "\n".join(lines)


def _csv_cell(value: Any) -> str:
    from ecograph.fileio import spreadsheet_safe

    text = value_text(value)
    return spreadsheet_safe(text) if isinstance(value, str) else text


def format_csv(result: QueryResult) -> str:
    """CSV with a header row; nodes, relationships and paths as in the table."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(result.columns)
    for row in result.rows:
        writer.writerow([_csv_cell(v) for v in row])
    return out.getvalue()
