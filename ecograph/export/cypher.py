"""The graph as a Cypher script that ``cypher-shell -f`` and Neo4j Browser run as is.

The script holds what ``ecograph neo4j push`` sends, with the rows written out as literals
instead of ``$rows``: the id constraint and indexes, then ``UNWIND [ {…}, … ] AS row MERGE …``
statements of at most :data:`CHUNK_ROWS` rows, each ending in ``;``. Running it twice changes
nothing. Values are written by :func:`cypher_literal`, which escapes every string, so no data
can end a string, a statement or a comment early::

    write_cypher(G, "graph.cypher")      # then: cypher-shell -f graph.cypher
"""

from __future__ import annotations

import math
import os
import re
import unicodedata
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ecograph.query import neo4j_backend, rows
from ecograph.data import schema
from ecograph.fileio import atomic_write_text, output_mark

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["CHUNK_ROWS", "cypher_literal", "cypher_script_statements", "cypher_script", "write_cypher"]

CHUNK_ROWS = 500

_INT_MAX = 2**63 - 1
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_SHORT_ESCAPES = {"\\": "\\\\", "'": "\\'", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
# Written as \uXXXX although Cypher would take them raw: ';' so that a tool splitting a script
# on semicolons without reading strings still splits it right; the others because they are
# invisible or reorder text (line and paragraph separators, bidi controls, BOM).
_ALWAYS_ESCAPED = frozenset(";\u2028\u2029\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff")


def _escape_char(ch: str) -> str:
    short = _SHORT_ESCAPES.get(ch)
    if short is not None:
        return short
    code = ord(ch)
    if ch in _ALWAYS_ESCAPED or unicodedata.category(ch) in ("Cc", "Cs"):
        return f"\\u{code:04X}"
    return ch


def _string(text: str) -> str:
    return "'" + "".join(_escape_char(ch) for ch in text) + "'"


def _float(value: float) -> str:
    if not math.isfinite(value):
        raise ValueError(f"Cypher has no literal for the float {value!r}")
    text = repr(value)  # shortest text that reads back as the same float
    return text.replace("e+", "e")


def _key(key: Any) -> str:
    if not isinstance(key, str):
        raise TypeError(f"map keys must be strings, not {type(key).__name__}: {key!r}")
    if _IDENT.match(key):
        return key
    if not key or any(unicodedata.category(ch) in ("Cc", "Cs") for ch in key):
        raise ValueError(f"map key {key!r} cannot be written as a Cypher identifier")
    return "`" + key.replace("`", "``") + "`"


def cypher_literal(value: Any) -> str:
    """``value`` as a Cypher literal: null, booleans, integers, floats, strings, lists, maps.

    Strings are single-quoted with ``\\``, ``'``, newlines, tabs and control characters
    escaped; other text (CJK, emoji) is kept as is. Map keys are backticked unless plain
    identifiers. Raises ``ValueError`` for NaN, infinities and integers outside 64 bits,
    ``TypeError`` for anything else.

    >>> cypher_literal({"name": "O'Brien\\n", "n": [1, 2.5, None]})
    "{name: 'O\\\\'Brien\\\\n', n: [1, 2.5, null]}"
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        if not -_INT_MAX <= value <= _INT_MAX:
            raise ValueError(f"integer {value} does not fit in Cypher's 64-bit integers")
        return str(value)
    if isinstance(value, float):
        return _float(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(cypher_literal(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{_key(k)}: {cypher_literal(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"no Cypher literal for a {type(value).__name__}: {value!r}")


def _unwind(rows_: list[dict[str, Any]]) -> str:
    return "UNWIND [\n" + ",\n".join("  " + cypher_literal(r) for r in rows_) + "\n] AS row"


def cypher_script_statements(G: nx.MultiDiGraph, *, chunk_rows: int = CHUNK_ROWS) -> list[str]:
    """The script's statements, without their ``;``: schema first, then data in chunks."""
    labels = sorted(rows.entity_rows(G))
    if G.graph.get("observations"):
        labels.append(schema.OBSERVATION_LABEL)
    statements = neo4j_backend.schema_statements(labels, schema.model_of(G))
    for body, group_rows in neo4j_backend.push_groups(G):
        for start in range(0, len(group_rows), chunk_rows):
            statements.append(_unwind(group_rows[start:start + chunk_rows]) + "\n" + body)
    return statements


_HEADER = """\
// ecograph: the business-alliance graph as Cypher, for Neo4j 5.
// Run it with `cypher-shell -f FILE`, or paste it into Neo4j Browser.
// It first creates a uniqueness constraint on the id of nodes labelled Ecograph, and an index
// on id per label, then MERGEs every entity, observation and relationship by its id or key:
// running it again changes nothing. Every node it makes carries the label Ecograph.
// {mark}.
"""


def cypher_script(G: nx.MultiDiGraph) -> str:
    """The whole script as text: a header comment, then each statement ending in ``;``."""
    return _HEADER.format(mark=output_mark()) + "\n" + "".join(s + ";\n\n" for s in cypher_script_statements(G)).rstrip("\n") + "\n"


def write_cypher(G: nx.MultiDiGraph, path: str | os.PathLike[str]) -> None:
    """Write the graph as a Cypher script to ``path`` (UTF-8, atomically; replaces the file)."""
    atomic_write_text(path, cypher_script(G))
