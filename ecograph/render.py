"""The interactive map: one self-contained HTML file that works from file:// with no network.

pyvis ships the vis-network library ecograph draws with; its own page template also links
Bootstrap from a CDN and switches tooltips to ``innerHTML``, so ecograph writes its own page:
vis-network's script and stylesheet inlined from the pyvis package, the graph as JSON data,
positions computed here (deterministic for a seed) with physics off, so the map is still the
moment it opens. Tooltips are plain strings, which vis-network shows as text: data never
becomes HTML.

    html = render_html(G, title="Alibaba's ecosystem")
    write_html(G, "ecosystem.html")
"""

from __future__ import annotations

import html
import json
import os
import re
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ecograph import schema
from ecograph.fileio import atomic_write_text, output_mark
from ecograph.progress import Progress, no_progress as _no_progress

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["KIND_STYLE", "REL_STYLE", "layout", "json_text", "render_html", "write_html"]

# Colour and shape per entity kind: organisations as dots, places as squares, policy and
# government as triangles and diamonds, research as stars, the rest as boxes.
KIND_STYLE: dict[str, tuple[str, str]] = {
    "Company": ("#1f77b4", "dot"),
    "Platform": ("#ff7f0e", "dot"),
    "PaymentService": ("#2ca02c", "dot"),
    "FinancialService": ("#17becf", "dot"),
    "Product": ("#bcbd22", "box"),
    "City": ("#8c564b", "square"),
    "Province": ("#a0522d", "square"),
    "Country": ("#6b4226", "square"),
    "CityTier": ("#c49c94", "square"),
    "LogisticsHub": ("#7f7f7f", "diamond"),
    "GovernmentBody": ("#d62728", "triangle"),
    "Policy": ("#e377c2", "triangleDown"),
    "BusinessModel": ("#9467bd", "hexagon"),
    "Market": ("#393b79", "ellipse"),
    "Event": ("#e7ba52", "star"),
    "ResearchInstitute": ("#637939", "star"),
    "Study": ("#8ca252", "box"),
}

_PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
            "#bcbd22", "#17becf", "#393b79", "#637939"]
# Colour and dash per relationship type: equity ties solid and strong, the rest cycle through
# the palette; dashed for ties that describe context rather than a deal between parties.
_CONTEXT = {"LOCATED_IN", "IN_TIER", "APPLIES_IN", "ISSUED_BY", "IMPLEMENTED_BY", "REVIEWED_BY",
            "SIGNED_BY", "PUBLISHED_BY", "DESIGNATED_UNDER", "PILOT_CITY_OF", "RELIES_ON", "REGULATES"}
REL_STYLE: dict[str, tuple[str, bool]] = {
    name: (_PALETTE[i % len(_PALETTE)], name in _CONTEXT) for i, name in enumerate(schema.REL_TYPES)
}


def layout(G: nx.MultiDiGraph, seed: int = 42) -> dict[str, tuple[float, float]]:
    """Node positions in pixels, the same for the same graph and seed.

    Fruchterman–Reingold from igraph (compiled: 10k nodes in about half a second, where
    networkx's pure-Python layout needs numpy and scipy and takes minutes), its random start
    drawn from a generator seeded with ``seed``.
    """
    import random

    import igraph

    nodes = sorted(G.nodes)  # the same positions whatever order the graph holds its nodes in
    if not nodes:
        return {}
    index = {n: i for i, n in enumerate(nodes)}
    pairs = {tuple(sorted((index[u], index[v]))) for u, v in G.edges() if u != v}
    g = igraph.Graph(n=len(nodes), edges=sorted(pairs))
    previous = igraph.set_random_number_generator(random.Random(seed))
    try:
        coords = g.layout_fruchterman_reingold(niter=500)
    finally:
        igraph.set_random_number_generator(previous or random)
    # Spread the map in proportion to its size, so nodes (10–40 px) keep apart at any count.
    xs, ys = [c[0] for c in coords.coords], [c[1] for c in coords.coords]
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    scale = 120.0 * len(nodes) ** 0.5 / span
    return {n: (round(x * scale, 1), round(y * scale, 1)) for n, (x, y) in zip(nodes, coords.coords)}


def _label(attrs: dict[str, Any], node: str, lang: str) -> str:
    en, zh = attrs.get("name_en") or node, attrs.get("name_zh") or ""
    if lang == "en" or not zh:
        return en
    if lang == "zh":
        return zh
    return f"{en}\n{zh}"


def _node_tooltip(node: str, attrs: dict[str, Any]) -> str:
    lines = [f"{attrs.get('name_en', node)} / {attrs.get('name_zh', '')}", f"{attrs.get('kind', '')} · {node}"]
    if attrs.get("aliases"):
        lines.append("Aliases: " + ", ".join(attrs["aliases"]))
    if attrs.get("country"):
        lines.append(attrs["country"])
    if attrs.get("description"):
        lines.append(attrs["description"])
    return "\n".join(lines)


def _format(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _edge_tooltip(attrs: dict[str, Any]) -> str:
    lines = [attrs["type"]]
    for p in schema.RELATIONSHIP_PROPERTIES:
        if p.name in ("description", "source", "cited", "year") or attrs.get(p.name) is None:
            continue
        lines.append(f"{p.name}: {_format(attrs[p.name])}")
    if attrs.get("description"):
        lines.append(attrs["description"])
    source = attrs.get("source", "")
    if attrs.get("cited"):
        source += f"; cites {attrs['cited']}"
    if source:
        lines.append(f"Source: {source}")
    return "\n".join(lines)


def _search_keys(node: str, attrs: dict[str, Any]) -> list[str]:
    """The names the page's search matches: each as typed and in Simplified Chinese, folded like
    ``ecograph search`` (the page folds the query the same way, less the script conversion)."""
    from ecograph.search import fold

    keys: list[str] = []
    for name in [node, attrs.get("name_en", ""), attrs.get("name_zh", ""), *attrs.get("aliases", ())]:
        plain = "".join(unicodedata.normalize("NFKC", name).casefold().split())
        for key in (plain, fold(name)):
            if key and key not in keys:
                keys.append(key)
    return keys


def _measure(G: nx.MultiDiGraph, size_by: str) -> dict[str, float]:
    """Each node's value of ``size_by``: a measure of ``ecograph.analysis`` or a numeric property."""
    from ecograph.analysis import METRICS, scores

    if size_by in METRICS:
        return scores(G, size_by)
    values = {}
    for n, a in G.nodes(data=True):
        value = a.get(size_by)
        values[n] = float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else 0.0
    return values


def _sizes(values: dict[str, float]) -> dict[str, float]:
    top = max(values.values(), default=0) or 1
    return {n: 10 + 30 * (max(v, 0) / top) ** 0.5 for n, v in values.items()}


# The steps of drawing a map, for a progress callback: layout, sizes, nodes, edges, the page.
_STEPS = 5
_STAGE = "Drawing the map"


def graph_data(
    G: nx.MultiDiGraph,
    *,
    lang: str = "both",
    size_by: str = "degree",
    color_by: str = "kind",
    seed: int = 42,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """The nodes, edges and legend the page draws, as JSON-ready data.

    ``size_by`` is ``degree``, another measure of ``ecograph.analysis`` or a numeric property;
    ``color_by`` is ``kind`` or ``community`` (Louvain camps, same seed as the layout). Both
    values show in the tooltips. ``progress(stage, done, total)`` is called after each step.
    """
    report = progress or _no_progress
    report(_STAGE, 0, _STEPS)
    pos = layout(G, seed)
    report(_STAGE, 1, _STEPS)
    measure = _measure(G, size_by)
    sizes = _sizes(measure)
    camp: dict[str, int] = {}
    if color_by == "community":
        from ecograph.analysis import community_of

        camp = community_of(G, seed=seed)
    report(_STAGE, 2, _STEPS)
    nodes = []
    for n, attrs in G.nodes(data=True):
        color, shape = KIND_STYLE.get(attrs.get("kind", ""), ("#999999", "dot"))
        if camp:
            color = _PALETTE[(camp[n] - 1) % len(_PALETTE)]
        tooltip = _node_tooltip(n, attrs) + f"\n{size_by}: {_format(round(measure[n], 4))}"
        if camp:
            tooltip += f"\ncamp: {camp[n]}"
        x, y = pos[n]
        nodes.append({
            "id": n, "label": _label(attrs, n, lang), "title": tooltip, "kind": attrs.get("kind", ""),
            "name_en": attrs.get("name_en", n), "name_zh": attrs.get("name_zh", ""), "aliases": attrs.get("aliases", []),
            "color": color, "shape": shape, "size": round(sizes[n], 1), "x": x, "y": y,
            "search": _search_keys(n, attrs),
        })
    report(_STAGE, 3, _STEPS)
    edges = []
    for i, (u, v, attrs) in enumerate(G.edges(data=True)):
        color, dashed = REL_STYLE.get(attrs["type"], ("#999999", False))
        stake = attrs.get("stake")
        edges.append({
            "id": i, "from": u, "to": v, "type": attrs["type"], "year": attrs.get("year"),
            "title": _edge_tooltip(attrs), "color": color, "dashes": dashed, "arrows": "to",
            "label": f"{stake * 100:g} %" if stake is not None else "",
            "width": 1 + 6 * stake if stake is not None else 1,
        })
    report(_STAGE, 4, _STEPS)
    kinds = sorted({nd["kind"] for nd in nodes})
    types = sorted({e["type"] for e in edges})
    legend = {
        "kinds": [{"kind": k, "color": KIND_STYLE.get(k, ("#999999", ""))[0], "shape": KIND_STYLE.get(k, ("", "dot"))[1]} for k in kinds],
        "types": [{"type": t, "color": REL_STYLE.get(t, ("#999999", False))[0], "dashes": REL_STYLE.get(t, ("", False))[1]} for t in types],
    }
    return {"nodes": nodes, "edges": edges, "legend": legend, "lang": lang}


def _vis_assets() -> tuple[str, str]:
    """vis-network's script and stylesheet, from the pyvis package (inlined: no CDN)."""
    import pyvis

    lib = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"
    return (lib / "vis-network.min.js").read_text(encoding="utf-8"), (lib / "vis-network.css").read_text(encoding="utf-8")


# Characters JSON may carry raw that a file should not: lone surrogates (UTF-8 cannot encode
# them, so writing would fail), DEL and the C1 controls (an HTML parse error, and invisible), and
# U+FFFE/U+FFFF. json.dumps escapes the C0 controls itself.
_RAW_UNFIT = re.compile("[\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def json_text(data: Any, **options: Any) -> str:
    """``json.dumps(data, ensure_ascii=False, **options)``, but with the characters a file
    should not hold raw (lone surrogates, DEL, C1 controls, U+FFFE/U+FFFF) written as
    ``\\uXXXX``: the text stays readable, any graph can be written, and reads back the same."""
    text = json.dumps(data, ensure_ascii=False, **options)
    return _RAW_UNFIT.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _script_json(data: Any) -> str:
    """JSON safe inside a <script> element: no '</' can close it early."""
    return json_text(data).replace("</", "<\\/").replace("<!--", "<\\u0021--")


def render_html(
    G: nx.MultiDiGraph,
    *,
    title: str = "ecograph",
    lang: str = "both",
    size_by: str = "degree",
    color_by: str = "kind",
    seed: int = 42,
    progress: Progress | None = None,
) -> str:
    """The page for graph ``G``: a single HTML document with everything inlined."""
    script, css = _vis_assets()
    template = (Path(__file__).parent / "templates" / "map.html").read_text(encoding="utf-8")
    data = graph_data(G, lang=lang, size_by=size_by, color_by=color_by, seed=seed, progress=progress)
    parts = {
        "TITLE": html.escape(title),
        "GENERATOR": output_mark(),  # lets a later render replace this page, and only such pages
        "VIS_CSS": css,
        "VIS_JS": script.replace("</script", "<\\/script"),
        "DATA": _script_json(data),
    }
    # One pass, so text inside one part (a name like "{{VIS_JS}}") is never replaced again.
    return re.sub(r"\{\{(TITLE|GENERATOR|VIS_CSS|VIS_JS|DATA)\}\}", lambda m: parts[m.group(1)], template)


def write_html(
    G: nx.MultiDiGraph,
    path: str | os.PathLike[str],
    *,
    max_entities: int | None = None,
    progress: Progress | None = None,
    **options: Any,
) -> Path:
    """Write the page for ``G`` to ``path`` as UTF-8, atomically; returns the path.

    Raises :class:`~ecograph.select.SelectionTooLargeError` before any work when ``G`` holds
    more than ``max_entities`` entities. ``progress(stage, done, total)`` follows the steps;
    ``options`` are :func:`render_html`'s.
    """
    from ecograph.select import check_size

    check_size(G.number_of_nodes(), max_entities)
    page = render_html(G, progress=progress, **options)
    atomic_write_text(path, page)
    if progress is not None:
        progress(_STAGE, _STEPS, _STEPS)
    return Path(path)
