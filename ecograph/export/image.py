"""Static pictures for slides: PNG and SVG with the HTML map's positions, a legend and a title.

Drawn with matplotlib. Chinese labels need a CJK-capable font: :func:`cjk_font` looks for one
on the system (Noto Sans CJK, Source Han Sans, WenQuanYi, Microsoft JhengHei, PingFang …) and
the writers return which one they used, or ``None`` with the labels drawn in English only, so
the caller can say what to install. SVG keeps text as text (``svg.fonttype = none``).

    font = write_png(G, "map.png", width=1600, height=1000, dpi=150)
"""

from __future__ import annotations

import io
import os
from typing import TYPE_CHECKING, Any

from ecograph.export.xmltext import xml_text
from ecograph.fileio import atomic_write_bytes, output_mark

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["CJK_FONTS", "cjk_font", "write_png", "write_svg", "draw", "render_picture"]

# Families that cover Traditional Chinese, best first.
CJK_FONTS = (
    "Noto Sans CJK TC", "Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Sans TC", "Source Han Sans TC",
    "Source Han Sans SC", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "Microsoft JhengHei", "Microsoft YaHei",
    "PingFang TC", "PingFang SC", "Heiti TC", "SimHei", "AR PL UMing TW",
)
NO_CJK_FONT = (
    "no CJK font found, so labels are in English only; install one (Debian/Ubuntu: "
    "apt install fonts-noto-cjk; macOS and Windows have one) and export again"
)


def cjk_font() -> str | None:
    """The first CJK-capable font family installed, or None."""
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FONTS if name in installed), None)


def _label(attrs: dict[str, Any], node: str, lang: str, cjk: bool) -> str:
    en, zh = attrs.get("name_en") or node, attrs.get("name_zh") or ""
    if not cjk or not zh or lang == "en":
        return xml_text(str(en))
    return xml_text(str(zh) if lang == "zh" else f"{en}\n{zh}")


_MARKERS = {"dot": "o", "square": "s", "diamond": "D", "triangle": "^", "triangleDown": "v",
            "hexagon": "h", "ellipse": "o", "star": "*", "box": "s"}
LABEL_ALL = 300


def _line_style(dashes: Any) -> Any:
    """The map's dash pattern (a list of pixel lengths, or False for solid) as matplotlib's,
    in line widths: each context type keeps the dash it has on the map."""
    if not dashes:
        return "-"
    if dashes is True:
        return "--"
    return (0, tuple(max(0.5, d / 2) for d in dashes))


def _draw_edges(ax: Any, G: nx.MultiDiGraph, pos: dict[str, tuple[float, float]]) -> None:
    """Ties as one line collection per type, with arrowheads drawn in one quiver call."""
    from matplotlib.collections import LineCollection

    from ecograph.view.map import styles_of

    REL_STYLE = styles_of(G)[1]  # the map's own, for this graph's model
    by_type: dict[str, list[tuple[tuple[float, float], tuple[float, float], float]]] = {}
    for u, v, d in G.edges(data=True):
        if u != v:
            by_type.setdefault(d["type"], []).append((pos[u], pos[v], d.get("stake") or 0.0))
    span = max((abs(c) for p in pos.values() for c in p), default=1.0) or 1.0
    head = span * 0.012
    for rel_type, segments in by_type.items():
        colour, dashed = REL_STYLE.get(rel_type, ("#999999", False))
        ax.add_collection(LineCollection(
            [(a, b) for a, b, _ in segments], colors=colour, linewidths=[0.6 + 3 * s for _, _, s in segments],
            linestyles=_line_style(dashed), alpha=0.7, zorder=1))
        # Arrowheads: short arrows ending just short of the target node.
        starts, deltas = [], []
        for (x1, y1), (x2, y2), _ in segments:
            length = ((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5 or 1.0
            ux, uy = (x2 - x1) / length, (y2 - y1) / length
            end = (x2 - ux * head * 1.5, y2 - uy * head * 1.5)
            starts.append((end[0] - ux * head, end[1] - uy * head))
            deltas.append((ux * head, uy * head))
        ax.quiver([p[0] for p in starts], [p[1] for p in starts], [d[0] for d in deltas], [d[1] for d in deltas],
                  angles="xy", scale_units="xy", scale=1, color=colour, width=0.0015, headwidth=5,
                  headlength=5, headaxislength=4.5, alpha=0.8, zorder=2)


def draw(G: nx.MultiDiGraph, *, title: str = "", width: int = 1600, height: int = 1000, dpi: int = 150,
         lang: str = "both", seed: int = 42) -> tuple[Any, str | None]:
    """A matplotlib figure of ``G`` (positions as the HTML map's), and the CJK font used.

    Every text drawn goes through :func:`~ecograph.export.xmltext.xml_text`: an SVG keeps it as
    XML text, which cannot hold control characters.
    """
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt
    from matplotlib.lines import Line2D

    from ecograph.view.map import layout, styles_of

    KIND_STYLE, REL_STYLE = styles_of(G)  # the map's own, for this graph's model

    font = cjk_font()
    families = ([font] if font else []) + ["DejaVu Sans"]
    pos = layout(G, seed)
    fig = plt.figure(figsize=(width / dpi, height / dpi), dpi=dpi)
    ax = fig.add_axes((0.0, 0.0, 0.8, 0.93))
    ax.set_axis_off()
    ax.invert_yaxis()  # screen coordinates, as in the browser
    if pos:
        xs, ys = [p[0] for p in pos.values()], [p[1] for p in pos.values()]
        pad = 0.1 * (max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0)  # room for labels
        ax.set_xlim(min(xs) - pad, max(xs) + pad)
        ax.set_ylim(max(ys) + pad, min(ys) - pad)
    _draw_edges(ax, G, pos)
    degree = dict(G.degree())
    top = max(degree.values(), default=0) or 1
    by_kind: dict[str, list[str]] = {}
    for n, kind in G.nodes(data="kind"):
        by_kind.setdefault(kind or "", []).append(n)
    for kind, members in by_kind.items():  # one scatter per kind: fast at thousands of nodes
        colour, shape = KIND_STYLE.get(kind, ("#999999", "dot"))
        ax.scatter([pos[n][0] for n in members], [pos[n][1] for n in members],
                   s=[40 + 400 * (degree[n] / top) for n in members], c=colour, marker=_MARKERS.get(shape, "o"),
                   edgecolors="white", linewidths=0.5, zorder=3)
    # Every label up to LABEL_ALL entities; beyond, the best-connected ones, so text stays legible.
    labelled = sorted(G.nodes, key=lambda n: (-degree[n], n))[: max(LABEL_ALL, len(G) // 20)]
    for n in labelled:
        x, y = pos[n]
        ax.text(x, y, _label(G.nodes[n], n, lang, font is not None), fontsize=5, ha="center", va="top",
                fontfamily=families, zorder=4)
    if title:
        fig.suptitle(xml_text(title), fontsize=11, fontfamily=families, y=0.985)
    kinds = sorted({a.get("kind", "") for _, a in G.nodes(data=True)})
    types = sorted({d["type"] for _, _, d in G.edges(data=True)})
    handles = [Line2D([], [], marker=_MARKERS.get(KIND_STYLE.get(k, ("", "dot"))[1], "o"), linestyle="",
                      color=KIND_STYLE.get(k, ("#999999", ""))[0], label=xml_text(str(k))) for k in kinds]
    handles += [Line2D([], [], color=REL_STYLE.get(t, ("#999999", False))[0],
                       linestyle=_line_style(REL_STYLE.get(t, ("", False))[1]), label=xml_text(str(t))) for t in types]
    fig.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.8, 0.93), fontsize=5, frameon=False)
    return fig, font


def _metadata(fmt: str) -> dict[str, Any]:
    """The picture's metadata: ecograph's mark (so an export may replace it later); an SVG
    without a date, so the same graph gives the same file."""
    if fmt == "svg":
        return {"Creator": output_mark(), "Date": None}
    return {"Software": output_mark()}


def render_picture(G: nx.MultiDiGraph, fmt: str, **options: Any) -> tuple[bytes, str | None]:
    """The picture of ``G`` as PNG or SVG bytes (options as :func:`draw`), and the CJK font used."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "ecograph"}):
        fig, font = draw(G, **options)
        buffer = io.BytesIO()
        fig.savefig(buffer, format=fmt, dpi=options.get("dpi", 150), metadata=_metadata(fmt))
        plt.close(fig)
    return buffer.getvalue(), font


def write_png(G: nx.MultiDiGraph, path: str | os.PathLike[str], **options: Any) -> str | None:
    """Write a PNG of exactly ``width`` × ``height`` pixels; returns the CJK font used (or None)."""
    data, font = render_picture(G, "png", **options)
    atomic_write_bytes(path, data)
    return font


def write_svg(G: nx.MultiDiGraph, path: str | os.PathLike[str], **options: Any) -> str | None:
    """Write an SVG whose labels stay text; returns the CJK font used (or None)."""
    data, font = render_picture(G, "svg", **options)
    atomic_write_bytes(path, data)
    return font
