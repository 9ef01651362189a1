"""``nodes.csv`` and ``edges.csv`` that open cleanly in Excel.

UTF-8 with a byte-order mark (Excel reads Chinese names right only then); cells that a
spreadsheet would run as a formula (starting with ``= + - @``, tab or CR) get a leading ``'``.
Both files are written into a folder, atomically together.
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ecograph.export._flat import flat_graph
from ecograph.fileio import atomic_directory, spreadsheet_safe

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["write_csv"]


def _table(rows: list[dict[str, Any]], first: list[str]) -> str:
    columns = first + sorted({k for r in rows for k in r} - set(first))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for r in rows:
        writer.writerow([_cell(r.get(c)) for c in columns])
    return "\ufeff" + out.getvalue()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return spreadsheet_safe(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def write_csv(G: nx.MultiDiGraph, directory: str | os.PathLike[str], *, seed: int = 42) -> None:
    """Write ``nodes.csv`` and ``edges.csv`` into ``directory`` (replaced as a whole)."""
    H = flat_graph(G, seed=seed)
    nodes = [{"id": n, **a} for n, a in H.nodes(data=True)]
    edges = [{"from": u, "to": v, **a} for u, v, a in H.edges(data=True)]
    with atomic_directory(directory) as tmp:
        (Path(tmp) / "nodes.csv").write_text(_table(nodes, ["id", "kind", "name_en", "name_zh"]), encoding="utf-8", newline="")
        (Path(tmp) / "edges.csv").write_text(_table(edges, ["from", "type", "to"]), encoding="utf-8", newline="")
