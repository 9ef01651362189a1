"""Node-link JSON with a format version, for scripts and web tools (d3, Cytoscape.js)."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from ecograph.export._flat import flat_graph
from ecograph.fileio import atomic_write_text, output_mark
from ecograph.view.map import json_text

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["FORMAT", "VERSION", "graph_json", "write_json"]

FORMAT = "ecograph-graph"
VERSION = 1


def graph_json(G: nx.MultiDiGraph, *, seed: int = 42) -> dict[str, Any]:
    """``{"format", "version", "generator", "directed", "multigraph", "nodes": [...], "links":
    [...]}``: networkx's node-link shape; lists kept as lists, positions and colours included."""
    import networkx as nx

    H = flat_graph(G, seed=seed)
    for n, attrs in H.nodes(data=True):  # JSON keeps real lists
        if "aliases" in G.nodes[n]:
            attrs["aliases"] = list(G.nodes[n]["aliases"])
    data = nx.node_link_data(H, edges="links")
    data.pop("graph", None)
    return {"format": FORMAT, "version": VERSION, "generator": output_mark(), **data}


def write_json(G: nx.MultiDiGraph, path: str | os.PathLike[str], *, seed: int = 42) -> None:
    """Write :func:`graph_json` as UTF-8 JSON, atomically (text as is, but for the characters
    :func:`ecograph.view.map.json_text` escapes)."""
    atomic_write_text(path, json_text(graph_json(G, seed=seed), indent=2) + "\n")
