"""GraphML for Gephi, yEd and igraph: names, kinds, types, properties, colours, positions."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from ecograph.export._flat import flat_graph
from ecograph.export.xmltext import xml_graph
from ecograph.fileio import atomic_open, output_mark

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["write_graphml"]


def write_graphml(G: nx.MultiDiGraph, path: str | os.PathLike[str], *, seed: int = 42) -> None:
    """Write ``G`` as GraphML (UTF-8, atomically); attributes typed, lists ``|``-joined, text
    XML cannot hold replaced by U+FFFD (:mod:`ecograph.export.xmltext`)."""
    import networkx as nx

    flat = xml_graph(flat_graph(G, seed=seed))
    flat.graph["generator"] = output_mark()  # a graph attribute near the top: the file is ecograph's
    with atomic_open(path) as f:
        nx.write_graphml(flat, f, encoding="utf-8", named_key_ids=True)
