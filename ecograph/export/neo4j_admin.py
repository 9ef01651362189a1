"""The graph as CSV files for ``neo4j-admin database import full`` (Neo4j 5), the fastest load.

One node file per label and one relationship file per type, each with its own header row in
neo4j-admin's header format: ``id:ID(Ecograph)``, ``:LABEL``, typed properties
(``stake:double``, ``year:long``, ``aliases:string[]``), ``:START_ID(Ecograph)``,
``:END_ID(Ecograph)``, ``:TYPE``. Types come from :attr:`ecograph.data.schema.StoreProperty.neo4j_admin`.
Arrays and the two labels of a node are separated by ``|`` (``--array-delimiter="|"``; aliases
never contain ``|``, it is their separator in ``graphdata/`` too).

The rows are those the other stores load (:mod:`ecograph.query.rows`), with one difference the tool
imposes: an empty list (an entity without aliases) is an empty cell, which neo4j-admin leaves
unset, where ``neo4j push`` stores ``[]``.
"""

from __future__ import annotations

import csv
import io
import os
import shlex
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ecograph.query import rows
from ecograph.data import schema
from ecograph.fileio import atomic_directory

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["ARRAY_DELIMITER", "ID_GROUP", "write_neo4j_admin", "import_command"]

ARRAY_DELIMITER = "|"
ID_GROUP = schema.ENTITY_MARKER_LABEL


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)  # shortest exact text; Java's Double.parseDouble reads it back
    if isinstance(value, (list, tuple)):
        items = [str(v) for v in value]
        if any(ARRAY_DELIMITER in v for v in items):
            raise ValueError(f"list item contains the array delimiter {ARRAY_DELIMITER!r}: {value!r}")
        return ARRAY_DELIMITER.join(items)
    return str(value)


def _typed(prop: schema.StoreProperty) -> str:
    return f"{prop.name}:{prop.neo4j_admin}"


def _node_header(properties: tuple[schema.StoreProperty, ...]) -> list[str]:
    assert properties[0].name == "id"
    return [f"id:ID({ID_GROUP})", ":LABEL"] + [_typed(p) for p in properties[1:]]


def _rel_header(properties: tuple[schema.StoreProperty, ...]) -> list[str]:
    return [f":START_ID({ID_GROUP})", f":END_ID({ID_GROUP})", ":TYPE"] + [_typed(p) for p in properties]


_KEY = schema.StoreProperty("key", "STRING", "What identifies a tie: from|type|to|date.")


def _csv_text(header: list[str], body: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(header)
    writer.writerows(body)
    return out.getvalue()


def _files(G: nx.MultiDiGraph) -> tuple[dict[str, str], list[str], list[str]]:
    """``{file name: CSV text}``, the node file names and the relationship file names, in order."""
    files: dict[str, str] = {}
    node_files: list[str] = []
    rel_files: list[str] = []
    marker = schema.ENTITY_MARKER_LABEL
    model = schema.model_of(G)

    for label, entity_rows in rows.entity_rows(G).items():
        assert label in model.kinds
        name = f"nodes_{label}.csv"
        labels = f"{label}{ARRAY_DELIMITER}{marker}"
        node_properties = model.node_properties
        body = [[r["id"], labels] + [_cell(r[p.name]) for p in node_properties[1:]] for r in entity_rows]
        files[name] = _csv_text(_node_header(node_properties), body)
        node_files.append(name)

    observations = rows.observation_rows(G)
    if observations:
        name = f"nodes_{schema.OBSERVATION_LABEL}.csv"
        labels = f"{schema.OBSERVATION_LABEL}{ARRAY_DELIMITER}{marker}"
        body = [[r["id"], labels] + [_cell(r[p.name]) for p in schema.OBSERVATION_PROPERTIES[1:]]
                for r in observations]
        files[name] = _csv_text(_node_header(schema.OBSERVATION_PROPERTIES), body)
        node_files.append(name)

    by_type: dict[str, list[list[str]]] = {}
    for (rel_type, _source, _target), rel_rows in rows.relationship_rows(G).items():
        assert rel_type in model.rel_types
        by_type.setdefault(rel_type, []).extend(
            [r["from"], r["to"], rel_type, r["key"]] + [_cell(r[p.name]) for p in model.relationship_properties]
            for r in rel_rows
        )
    for rel_type, body in by_type.items():
        name = f"relationships_{rel_type}.csv"
        files[name] = _csv_text(_rel_header((_KEY, *model.relationship_properties)), body)
        rel_files.append(name)

    if observations:
        name = f"relationships_{schema.OBSERVATION_REL}.csv"
        body = [[link["from"], link["to"], schema.OBSERVATION_REL]
                for links in rows.observation_links(G, observations).values() for link in links]
        files[name] = _csv_text(_rel_header(()), body)
        rel_files.append(name)
    return files, node_files, rel_files


def import_command(node_files: list[str], rel_files: list[str], database: str = "neo4j") -> str:
    """The ``neo4j-admin database import full`` command line for these files (Neo4j 5 syntax)."""
    parts = ["neo4j-admin", "database", "import", "full", f'--array-delimiter="{ARRAY_DELIMITER}"',
             "--multiline-fields=true"]
    parts += [f"--nodes={shlex.quote(f)}" for f in node_files]
    parts += [f"--relationships={shlex.quote(f)}" for f in rel_files]
    parts.append(shlex.quote(database))
    return " ".join(parts)


def write_neo4j_admin(G: nx.MultiDiGraph, directory: str | os.PathLike[str]) -> str:
    """Write the import CSVs into ``directory`` (replaced as a whole, atomically) and return the command.

    The command names the files by paths **relative to** ``directory``: run it from inside that
    directory, with the Neo4j server stopped, e.g. ``cd DIRECTORY && <command>``. It imports
    into the database ``neo4j``, which must not exist yet or be empty; add
    ``--overwrite-destination=true`` to replace one, which deletes its data.
    """
    files, node_files, rel_files = _files(G)
    with atomic_directory(directory) as tmp:
        for name, text in files.items():
            Path(tmp, name).write_text(text, encoding="utf-8", newline="")
    return import_command(node_files, rel_files)
