"""GEXF for Gephi, with its viz module: colour, position and size as Gephi draws them.

The relationship type is the edge's label and its ``rel_type`` attribute (GEXF keeps ``type``
for directed/undirected)."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from ecograph.export._flat import flat_graph
from ecograph.export.xmltext import xml_graph
from ecograph.fileio import atomic_open, output_mark

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["write_gexf"]


def write_gexf(G: nx.MultiDiGraph, path: str | os.PathLike[str], *, seed: int = 42) -> None:
    """Write ``G`` as GEXF 1.2 (UTF-8, atomically) with viz colour, position and size; text XML
    cannot hold replaced by U+FFFD (:mod:`ecograph.export.xmltext`)."""
    import networkx as nx

    H = xml_graph(flat_graph(G, seed=seed))
    for _, attrs in H.nodes(data=True):
        attrs["viz"] = {
            "color": {"r": attrs.pop("r"), "g": attrs.pop("g"), "b": attrs.pop("b"), "a": 1.0},
            "position": {"x": float(attrs.pop("x")), "y": float(-attrs.pop("y")), "z": 0.0},
            "size": float(attrs.pop("size")),
        }
    for _, _, attrs in H.edges(data=True):
        # GEXF reserves an edge's 'type' (directed/undirected): the relationship type travels
        # as 'rel_type' and as the edge label Gephi shows.
        attrs["rel_type"] = attrs.pop("type")
    from networkx.readwrite.gexf import GEXFWriter

    writer = GEXFWriter(encoding="utf-8", version="1.2draft")  # what nx.write_gexf does, with our creator
    writer.xml.find("meta/creator").text = f"{output_mark()} (NetworkX {nx.__version__})"
    writer.add_graph(H)
    with atomic_open(path) as f:
        writer.write(f)
