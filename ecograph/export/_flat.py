"""The graph with flat, typed attributes and the map's look, for the graph-file formats.

GraphML, GEXF, JSON and CSV all take scalars only, so lists become ``|``-joined text and unset
values are left out. Each node also gets its label, colour (hex and r/g/b, which Gephi reads),
size and the position of the HTML map for the same seed, so a file opened in Gephi or yEd looks
like the map.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ecograph.data import schema

if TYPE_CHECKING:
    import networkx as nx


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    h = hex_colour.lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


def _scalar(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return schema.LIST_SEPARATOR.join(str(v) for v in value)
    return value


def flat_graph(G: nx.MultiDiGraph, *, seed: int = 42) -> nx.MultiDiGraph:
    """A copy of ``G`` whose attributes are scalars, with label, colour, size and position."""
    import networkx as nx

    from ecograph.view.layout import layout
    from ecograph.view.style import measure, radii, styles_of

    KIND_STYLE, REL_STYLE = styles_of(G)  # the map's own, for this graph's model
    pos = layout(G, seed)
    sizes = radii(measure(G, "degree"))  # the HTML map's node sizes
    H = nx.MultiDiGraph()
    for n, attrs in G.nodes(data=True):
        colour = KIND_STYLE.get(attrs.get("kind", ""), ("#999999", "dot"))[0]
        r, g, b = _rgb(colour)
        flat = {k: _scalar(v) for k, v in attrs.items() if v is not None and k != "origin"}
        flat.update(
            label=attrs.get("name_en", n), color=colour, r=r, g=g, b=b,
            x=pos[n][0], y=pos[n][1], size=round(sizes[n], 1),
        )
        H.add_node(n, **flat)
    for u, v, k, attrs in G.edges(keys=True, data=True):
        colour = REL_STYLE.get(attrs["type"], ("#999999", False))[0]
        flat = {key: _scalar(val) for key, val in attrs.items() if val is not None and key != "origin"}
        flat.update(label=attrs["type"], color=colour)
        H.add_edge(u, v, key=k, **flat)
    return H
