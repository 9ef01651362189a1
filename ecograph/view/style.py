"""How the map and the pictures draw: the colour and shape of each entity kind, the colour and
dash of each relationship type (from the data's model, so a folder's own kinds get their own),
text contrast, label text and its measured box, and node sizes by a measure.

    kinds, rels = styles_of(G)
    box = label_box(G.nodes[n], n, size=12, styles=kinds)
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING, Any

from ecograph.data import schema

if TYPE_CHECKING:
    import networkx as nx



# Colour and shape per entity kind, each colour its own hue or lightness so no two kinds look
# alike: organisations as dots in strong colours, places as squares, government and policy as
# triangles, research and events as stars, markets as ellipses and products and studies as boxes
# (pale fills: their names are written inside, in dark text, see ``text_colour``).
KIND_STYLE: dict[str, tuple[str, str]] = {
    "Company": ("#1f77b4", "dot"),
    "Platform": ("#ff7f0e", "dot"),
    "PaymentService": ("#2ca02c", "dot"),
    "FinancialService": ("#17becf", "dot"),
    "Product": ("#f7b6d2", "box"),
    "City": ("#8c564b", "square"),
    "Province": ("#e377c2", "square"),
    "Country": ("#393b79", "square"),
    "CityTier": ("#bcbd22", "square"),
    "LogisticsHub": ("#5f5f5f", "diamond"),
    "GovernmentBody": ("#d62728", "triangle"),
    "Policy": ("#ff9896", "triangleDown"),
    "BusinessModel": ("#637939", "hexagon"),
    "Market": ("#aec7e8", "ellipse"),
    "Event": ("#f0b400", "star"),
    "ResearchInstitute": ("#9467bd", "star"),
    "Study": ("#dbdb8d", "box"),
}
# Shapes vis-network writes the label inside of (the rest carry it underneath, on the page).
LABEL_INSIDE = {"box", "ellipse", "circle", "database", "text"}

PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
            "#bcbd22", "#17becf", "#393b79", "#637939"]

# Colour and dash per relationship type, by the schema's group: equity ties solid and strong in
# two dark colours, each deal type its own colour, solid; context ties thin, in three greys, each
# with its own dash pattern (vis-network's [dash, gap, ...] in pixels), so all 27 types differ.
_EQUITY_COLOURS = ["#08306b", "#b2182b"]
_DEAL_COLOURS = ["#ff7f0e", "#2ca02c", "#9467bd", "#e377c2", "#17becf", "#8c564b", "#bcbd22", "#1f77b4",
                 "#d62728", "#7f7f7f"]
_CONTEXT_GREYS = ["#6e6e6e", "#8f8f8f", "#a8a8a8"]
_CONTEXT_DASHES = [[6, 4], [2, 3], [10, 4, 2, 4], [12, 6], [3, 6], [8, 3, 2, 3, 2, 3]]
GROUP_WIDTH = {"equity": 3.0, "deal": 2.0, "context": 1.0}


def _rel_styles(model: schema.Model = schema.SHIPPED) -> dict[str, tuple[str, list[int] | bool]]:
    styles: dict[str, tuple[str, list[int] | bool]] = {}
    count = {"equity": 0, "deal": 0, "context": 0}
    for name, rel in model.rel_types.items():
        i = count[rel.group]
        count[rel.group] += 1
        if rel.group == "equity":
            styles[name] = (_EQUITY_COLOURS[i % len(_EQUITY_COLOURS)], False)
        elif rel.group == "deal":
            styles[name] = (_DEAL_COLOURS[i % len(_DEAL_COLOURS)], False)
        else:
            dashes = _CONTEXT_DASHES[(i // len(_CONTEXT_GREYS)) % len(_CONTEXT_DASHES)]
            styles[name] = (_CONTEXT_GREYS[i % len(_CONTEXT_GREYS)], list(dashes))
    return styles


# (colour, dashes): dashes is False for a solid line, else vis-network's dash pattern (truthy).
REL_STYLE: dict[str, tuple[str, list[int] | bool]] = _rel_styles()

# Kinds a data folder declares (ecograph.data.schemafile) take the next colour of these not
# already used by a kind of the model, and the next of these shapes: the same kind always looks
# the same, and two kinds never share both. Colours from ColorBrewer's Dark2 and Set1 and the
# tab10 above, all mid to dark so a white page keeps them apart.
_DECLARED_COLOURS = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#e41a1c",
                     "#377eb8", "#4daf4a", "#984ea3", "#ff7f00", "#a65628", *PALETTE]
_DECLARED_SHAPES = ["dot", "square", "diamond", "triangle", "star", "hexagon", "triangleDown"]


def kind_styles(model: schema.Model = schema.SHIPPED) -> dict[str, tuple[str, str]]:
    """(colour, shape) per kind of ``model``: the shipped kinds' own, a declared kind's as its
    schema file says, else the next colour no kind of the model uses and the next shape."""
    styles = {k: KIND_STYLE[k] for k in model.kinds if k in KIND_STYLE and k not in model.styles}
    used = {colour for colour, _ in styles.values()} | {c for c, _ in model.styles.values() if c}
    fresh = (c for c in _DECLARED_COLOURS if c not in used)
    for i, kind in enumerate(k for k in model.kinds if k not in styles):
        colour, shape = model.styles.get(kind, ("", ""))
        styles[kind] = (colour or next(fresh, _DECLARED_COLOURS[i % len(_DECLARED_COLOURS)]),
                        shape or _DECLARED_SHAPES[i % len(_DECLARED_SHAPES)])
    return styles


def rel_styles(model: schema.Model = schema.SHIPPED) -> dict[str, tuple[str, list[int] | bool]]:
    """(colour, dashes) per relationship type of ``model``, by its group (see REL_STYLE)."""
    return REL_STYLE if model is schema.SHIPPED else _rel_styles(model)


def styles_of(G: nx.MultiDiGraph) -> tuple[dict[str, tuple[str, str]], dict[str, tuple[str, list[int] | bool]]]:
    """The kind and relationship-type styles of a graph's model (:func:`ecograph.data.schema.model_of`)."""
    model = schema.model_of(G)
    return (KIND_STYLE if model is schema.SHIPPED else kind_styles(model)), rel_styles(model)


def _luminance(hex_colour: str) -> float:
    """Relative luminance as WCAG 2 defines it."""
    h = hex_colour.lstrip("#")
    channels = [int(h[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """The WCAG contrast ratio of two ``#rrggbb`` colours, 1 to 21 (AA text needs 4.5)."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_colour(fill: str) -> str:
    """Black or white, whichever reads better on ``fill``: one of them always reaches 4.5:1."""
    dark, light = "#000000", "#ffffff"
    return dark if contrast(dark, fill) >= contrast(light, fill) else light


# Label metrics for the layout, in pixels at the map's font size: the advance widths of Arial
# (Liberation Sans on Linux has the same metrics; the page asks for it first) per 1000 em for
# printable ASCII, a full em for East Asian wide characters, and a generous 0.6 em for the rest.
FONT_SIZE = 14
_ARIAL = dict(zip(
    " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~",
    [278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, *[556] * 10, 278, 278,
     584, 584, 584, 556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667,
     778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556,
     278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500,
     334, 260, 334, 584],
))
_LINE_HEIGHT = 1.25  # of the font size: CJK glyphs stand a little taller than Latin ones


def text_width(text: str, size: float = FONT_SIZE) -> float:
    """An upper estimate of ``text``'s width in pixels at font ``size``."""
    em = 0.0
    for ch in text:
        if ch in _ARIAL:
            em += _ARIAL[ch] / 1000
        elif unicodedata.east_asian_width(ch) in ("W", "F"):
            em += 1.0
        else:
            em += 0.6
    return em * size * 1.04


def label_box(attrs: dict[str, Any], node: str, size: float,
              styles: dict[str, tuple[str, str]] | None = None) -> tuple[float, float, float, float]:
    """The box a node and its label take on the map, as (left, top, right, bottom) offsets from
    its position, for the biggest label the page can show (English and Chinese together).
    ``styles`` are the kinds' looks (:func:`styles_of`; default the shipped kinds')."""
    shape = (KIND_STYLE if styles is None else styles).get(attrs.get("kind", ""), ("", "dot"))[1]
    lines = labels(attrs, node)["both"].split("\n")
    width = max((text_width(line) for line in lines), default=0.0)
    height = len(lines) * FONT_SIZE * _LINE_HEIGHT
    if shape in LABEL_INSIDE:  # the shape grows around its label (margin 5 a side; an ellipse wider)
        w, h = (width + 10, height + 10) if shape != "ellipse" else (width * 1.45 + 10, height * 1.45 + 10)
        return (-w / 2, -h / 2, w / 2, h / 2)
    return (-max(size, width / 2), -size, max(size, width / 2), size + 4 + height)




# Long names wrap onto lines of at most this width (about 24 Latin letters or 12 Chinese
# characters at the map's font size), and at most this many lines a language; the tooltip and
# the search list carry the whole name.
LABEL_WIDTH = 180.0
_MAX_LINES = {"en": 3, "zh": 2}


def _wrap(text: str, max_lines: int) -> list[str]:
    """``text`` in lines no wider than ``LABEL_WIDTH``: at spaces, or between any two Chinese
    characters; the last line cut with an ellipsis when the name needs more."""
    text = " ".join(text.split())
    if not text:
        return []
    pieces: list[str] = []  # words with the space after them, and single wide characters
    for word in text.split(" "):
        buffer = ""
        for ch in word:
            if unicodedata.east_asian_width(ch) in ("W", "F"):
                if buffer:
                    pieces.append(buffer)
                    buffer = ""
                pieces.append(ch)
            else:
                buffer += ch
        pieces.append(buffer + " ") if buffer else pieces.append(" ")
    lines, line = [], ""
    for piece in pieces:
        if line.strip() and text_width((line + piece).rstrip()) > LABEL_WIDTH:
            lines.append(line.rstrip())
            line = piece.lstrip()
        else:
            line += piece
    if line.strip():
        lines.append(line.rstrip())
    if len(lines) > max_lines:
        last = lines[max_lines - 1]
        while last and text_width(last + "…") > LABEL_WIDTH:
            last = last[:-1]
        lines = lines[: max_lines - 1] + [last.rstrip() + "…"]
    return lines


def labels(attrs: dict[str, Any], node: str) -> dict[str, str]:
    """A node's label in each language choice of the page: ``en``, ``zh`` and ``both``."""
    en = "\n".join(_wrap(attrs.get("name_en") or node, _MAX_LINES["en"]))
    zh = "\n".join(_wrap(attrs.get("name_zh") or "", _MAX_LINES["zh"]))
    both = f"{en}\n{zh}" if zh and zh != en else en
    return {"en": en, "zh": zh or en, "both": both}



def measure(G: nx.MultiDiGraph, size_by: str) -> dict[str, float]:
    """Each node's value of ``size_by``: a measure of ``ecograph.analysis`` or a numeric property."""
    from ecograph.analysis import METRICS, scores

    if size_by in METRICS:
        return scores(G, size_by)
    values = {}
    for n, a in G.nodes(data=True):
        value = a.get(size_by)
        values[n] = float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else 0.0
    return values


def radii(values: dict[str, float]) -> dict[str, float]:
    top = max(values.values(), default=0) or 1
    return {n: 10 + 30 * (max(v, 0) / top) ** 0.5 for n, v in values.items()}
