"""Text that XML 1.0 can hold, for the XML exports (GraphML, GEXF, SVG).

XML 1.0 has no way to write most C0 control characters (U+0000–U+001F but tab, line feed and
carriage return), lone surrogates or U+FFFE/U+FFFF, not even as a reference (``&#27;`` is an
error): one of them makes the whole file unreadable. lxml refuses to write it; ElementTree and
matplotlib write it, and every reader then stops there. Checked data holds none of them, but a
graph can come from elsewhere: the results of a query on a store changed with ``query --write``,
or a library user's own networkx graph. So the XML writers pass their text through
:func:`xml_text`, which puts U+FFFD (the replacement character) in each one's place, and in the
place of DEL and the C1 controls, which XML 1.0 allows but discourages and no reader shows: the
file stays well-formed, and where a character was lost stays visible.

    H = xml_graph(flat_graph(G))      # then nx.write_graphml(H, f)
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["NOT_XML", "REPLACEMENT", "xml_text", "xml_graph"]

NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
REPLACEMENT = "\ufffd"


def xml_text(text: str) -> str:
    """``text`` with each character XML 1.0 cannot hold, or discourages, replaced by U+FFFD.

    >>> xml_text("Yi\\x1bwu\\tcity")
    'Yi�wu\\tcity'
    """
    return NOT_XML.sub(REPLACEMENT, text)


def _unfit(value: Any) -> bool:
    return isinstance(value, str) and NOT_XML.search(value) is not None


def _fit(value: Any) -> Any:
    return xml_text(value) if isinstance(value, str) else value


def _fix_attrs(attrs: dict[Any, Any]) -> None:
    """Make the string names and values of ``attrs`` XML text, in place and in order."""
    for name, value in attrs.items():
        if _unfit(value):
            attrs[name] = xml_text(value)
    if any(_unfit(name) for name in attrs):
        items = [(_fit(name), value) for name, value in attrs.items()]
        attrs.clear()
        attrs.update(items)


def _distinct(name: Any, taken: set[Any]) -> Any:
    """``name``, or ``name (2)``, ``name (3)``… when two names became one."""
    candidate, n = name, 1
    while candidate in taken:
        n += 1
        candidate = f"{name} ({n})"
    taken.add(candidate)
    return candidate


def xml_graph(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """``G`` with all its text fit for XML by :func:`xml_text`: attribute names and string values
    of the graph, nodes and edges, node ids and edge keys.

    Meant for a writer's own copy (:func:`ecograph.export._flat.flat_graph`): attributes are
    fixed in place, and ``G`` itself is returned unless a node id or edge key had to change;
    then a new graph, in the same order, in which ids and keys that became equal are told
    apart (``a (2)``) rather than merged.
    """
    _fix_attrs(G.graph)
    for _, attrs in G.nodes(data=True):
        _fix_attrs(attrs)
    for _, _, attrs in G.edges(data=True):
        _fix_attrs(attrs)
    if not any(_unfit(n) for n in G) and not any(_unfit(k) for _, _, k in G.edges(keys=True)):
        return G
    taken = {n for n in G if not _unfit(n)}
    ids = {n: n if n in taken else _distinct(xml_text(n), taken) for n in G}
    H = G.__class__()
    H.graph.update(G.graph)
    H.add_nodes_from((ids[n], attrs) for n, attrs in G.nodes(data=True))
    for u, v, k, attrs in G.edges(keys=True, data=True):
        u, v = ids[u], ids[v]
        key = _distinct(_fit(k), set(H[u][v]) if H.has_edge(u, v) else set())
        H.add_edge(u, v, key=key)
        H[u][v][key].update(attrs)  # names need not be strings
    return H
