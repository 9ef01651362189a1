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
import math
import os
import re
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ecograph.data import schema
from ecograph.fileio import atomic_write_text, output_mark
from ecograph.progress import Progress, no_progress as _no_progress

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["KIND_STYLE", "REL_STYLE", "layout", "json_text", "render_html", "write_html"]

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

_PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
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
                     "#377eb8", "#4daf4a", "#984ea3", "#ff7f00", "#a65628", *_PALETTE]
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


def _node_sizes(G: nx.MultiDiGraph) -> dict[str, float]:
    return _sizes(_measure(G, "degree"))


def layout(
    G: nx.MultiDiGraph, seed: int = 42, *, sizes: dict[str, float] | None = None
) -> dict[str, tuple[float, float]]:
    """Node positions in pixels, the same for the same graph and seed, where no two nodes'
    boxes (shape and label, see ``label_box``) overlap.

    The steps, in order:

    1. The alliance core (entities with an equity or deal tie) is placed by Fruchterman–Reingold
       from igraph on those ties alone (compiled: 10k nodes in about half a second, where
       networkx's pure-Python layout takes minutes), its random start drawn from a generator
       seeded with ``seed``, and scaled so a tie is about as long as a label is wide. The map
       opens on this core, so it has to be compact.
    2. Overlapping boxes of the core are pushed apart; any left after a few dozen rounds move to
       the nearest free spot. Each connected part of the core is laid out so on its own, and
       the parts are packed in rows, biggest first, in the shape of a screen (igraph leaves wide
       gaps between parts, which made the seed map open at a zoom too small to read).
    3. Entities tied only by context ties go round the core, towards the entities they are tied
       to, ring after ring by their distance from it, each at the nearest free spot (the core
       stays where it is); parts with no path to the core, below it.
    4. Entities with no tie at all line up in a grid under the map, out of the way.

    ``sizes`` are the node radii the page draws (default: by degree, as the page's default).
    """
    nodes = sorted(G.nodes)  # the same positions whatever order the graph holds its nodes in
    if not nodes:
        return {}
    sizes = sizes if sizes is not None else _node_sizes(G)
    if len(nodes) > EXACT_LAYOUT_LIMIT:
        return camp_layout(G, seed, sizes=sizes)
    styles = styles_of(G)[0]  # the shapes of the graph's own kinds: a label inside a box widens it
    boxes = {n: label_box(G.nodes[n], n, sizes.get(n, 10.0), styles) for n in nodes}
    ties = sorted({tuple(sorted((u, v))) + (d.get("type", ""),) for u, v, d in G.edges(data=True) if u != v})
    alliance = set(schema.model_of(G).alliance_types)
    core_ties = {(u, v) for u, v, t in ties if t in alliance}
    all_ties = {(u, v) for u, v, _ in ties}
    if not core_ties:  # a map with no alliances lays out whatever ties it has as its core
        core_ties = all_ties
    core = sorted({n for pair in core_ties for n in pair})
    tied = {n for pair in all_ties for n in pair}
    pos: dict[str, list[float]] = {}
    mean_width = sum(boxes[n][2] - boxes[n][0] for n in nodes) / len(nodes)
    if core:
        pos.update(_packed_components(core, core_ties, boxes, seed, length=mean_width * 1.5))
    rest = [n for n in nodes if n in tied and n not in pos]
    if rest:
        _place_around(pos, rest, all_ties, boxes, seed, step=mean_width)
    alone = [n for n in nodes if n not in pos]
    if alone:
        _grid_below(pos, alone, boxes)
    return {n: (round(pos[n][0], 1), round(pos[n][1], 1)) for n in nodes}


# Above this many entities the page draws labels only when zoomed in (they cannot all be read
# at once), so the layout keeps shapes apart rather than labels, camp by camp: keeping 10,000
# labels apart took 40 s and spread the map over 30 screens.
EXACT_LAYOUT_LIMIT = 1_500
# Maps of more entities than this open grouped by camp (render's ``group_above``): nobody reads
# 10,000 dots, and vis-network cannot draw them fast (benchmarks/bench_render.py).
GROUP_ABOVE = 5_000


def camp_layout(
    G: nx.MultiDiGraph, seed: int = 42, *, sizes: dict[str, float] | None = None,
    camps: tuple[dict[str, int], dict[int, str]] | None = None,
) -> dict[str, tuple[float, float]]:
    """Positions for a big map, camp by camp, the same for the same graph and seed.

    1. The entities with a tie are split into camps (:func:`ecograph.analysis.camp_membership`,
       or ``camps`` when given).
    2. Each camp is laid out on its own ties by Fruchterman–Reingold (igraph), scaled so each
       entity has about ``_SPACING`` pixels square, and its shapes pushed apart.
    3. The camps, as discs of their size, are laid out on the ties between them and packed like
       the parts of a small map (:func:`_packed_components`): the camps spread over the canvas
       instead of one hairball, and the few unconnected ones sit in rows, not in a ring.
    4. Entities with no tie line up in a grid under the map.
    """
    from ecograph.analysis import camp_membership

    sizes = sizes if sizes is not None else _node_sizes(G)
    camp_of, _ = camps if camps is not None else camp_membership(G, seed=seed)
    pairs = {(u, v) if u < v else (v, u) for u, v in G.edges() if u != v}
    tied = {n for pair in pairs for n in pair}
    members: dict[int, list[str]] = {}
    for n in sorted(tied):
        members.setdefault(camp_of[n], []).append(n)
    inner: dict[int, set[tuple[str, str]]] = {c: set() for c in members}
    between: set[tuple[str, str]] = set()
    for u, v in pairs:
        cu, cv = camp_of[u], camp_of[v]
        if cu == cv:
            inner[cu].add((u, v))
        else:
            between.add((f"c{min(cu, cv)}", f"c{max(cu, cv)}"))
    local: dict[int, dict[str, list[float]]] = {}
    discs: dict[str, tuple[float, float, float, float]] = {}
    for c, names in members.items():
        spot = {n: (-sizes.get(n, 10.0) - 4, -sizes.get(n, 10.0) - 4, sizes.get(n, 10.0) + 4, sizes.get(n, 10.0) + 4)
                for n in names}
        pos = _force_layout(names, inner[c], seed, length=_SPACING, area=_SPACING ** 2 * len(names),
                            iterations=300, grid=True) if len(names) > 1 else {names[0]: [0.0, 0.0]}
        _separate(pos, spot, gap=0.0, rounds=6, spreads=0, settle=False)
        cx = sum(p[0] for p in pos.values()) / len(pos)
        cy = sum(p[1] for p in pos.values()) / len(pos)
        radius = max(math.hypot(p[0] - cx, p[1] - cy) + spot[n][2] for n, p in pos.items())
        local[c] = {n: [p[0] - cx, p[1] - cy] for n, p in pos.items()}
        discs[f"c{c}"] = (-radius, -radius, radius, radius)
    out: dict[str, list[float]] = {}
    if discs:
        placed = _packed_components(sorted(discs), between, discs, seed, length=_SPACING, gap=_SPACING)
        for c, pos in local.items():
            cx, cy = placed[f"c{c}"]  # a disc's position is its centre
            for n, p in pos.items():
                out[n] = [cx + p[0], cy + p[1]]
    alone = [n for n in sorted(G.nodes) if n not in out]
    if alone:
        boxes = {n: (-sizes.get(n, 10.0) - 4, -sizes.get(n, 10.0) - 4, sizes.get(n, 10.0) + 4, sizes.get(n, 10.0) + 30)
                 for n in G.nodes}
        _grid_below(out, alone, boxes, gap=_SPACING / 2)
    return {n: (round(p[0], 1), round(p[1], 1)) for n, p in out.items()}


# Room for one entity of a big map, in pixels square: about a short name wide.
_SPACING = 90.0


def _force_layout(nodes: list[str], pairs: set[tuple[str, str]], seed: int, length: float,
                  area: float = 0.0, iterations: int = 500, grid: bool | str = "auto") -> dict[str, list[float]]:
    """Fruchterman–Reingold positions for ``nodes`` on ``pairs``, scaled so the median tie is
    ``length`` pixels long, and the whole spans at least ``area`` square pixels."""
    import random

    import igraph

    index = {n: i for i, n in enumerate(nodes)}
    g = igraph.Graph(n=len(nodes), edges=sorted((index[u], index[v]) for u, v in pairs))
    previous = igraph.set_random_number_generator(random.Random(seed))
    try:
        coords = g.layout_fruchterman_reingold(niter=iterations, grid=grid).coords
    finally:
        igraph.set_random_number_generator(previous or random)
    lengths = sorted(math.dist(coords[index[u]], coords[index[v]]) for u, v in pairs)
    median = lengths[len(lengths) // 2] if lengths else 1.0
    scale = length / (median or 1.0)
    xs, ys = [c[0] for c in coords], [c[1] for c in coords]
    spread = max(max(xs) - min(xs), max(ys) - min(ys)) ** 2  # a square: a line of two nodes has no area
    if spread > 0 and area > 0:  # crowded graphs (a hub with hundreds of ties) get more room
        scale = max(scale, (area / spread) ** 0.5)
    return {n: [coords[i][0] * scale, coords[i][1] * scale] for n, i in index.items()}


# The least room a part of the map gets, as a multiple of its boxes' total area: below about
# twice, pushing boxes apart stalls in the crowd round a hub (a 2,000-entity map took minutes).
_ROOM = 2.5


def _packed_components(nodes: list[str], pairs: set[tuple[str, str]], boxes: dict[str, tuple[float, float, float, float]],
                       seed: int, length: float, gap: float = 48.0) -> dict[str, list[float]]:
    """Each connected part of ``nodes`` laid out and separated on its own, then packed in rows
    about 1.5 times as wide as they are tall."""
    neighbours: dict[str, set[str]] = {n: set() for n in nodes}
    for u, v in pairs:
        neighbours[u].add(v)
        neighbours[v].add(u)
    parts, seen = [], set()
    for n in nodes:  # sorted: the parts come out in the same order every time
        if n in seen:
            continue
        part, stack = [], [n]
        seen.add(n)
        while stack:
            m = stack.pop()
            part.append(m)
            for k in sorted(neighbours[m] - seen):
                seen.add(k)
                stack.append(k)
        parts.append(sorted(part))
    part_of = {n: i for i, part in enumerate(parts) for n in part}
    part_pairs: list[set[tuple[str, str]]] = [set() for _ in parts]
    for u, v in pairs:
        if u in part_of:
            part_pairs[part_of[u]].add((u, v))
    laid = []
    for part, inside in zip(parts, part_pairs):
        room = _ROOM * sum((boxes[n][2] - boxes[n][0] + 8) * (boxes[n][3] - boxes[n][1] + 8) for n in part)
        pos = _force_layout(part, inside, seed, length, room) if len(part) > 1 else {part[0]: [0.0, 0.0]}
        _separate(pos, boxes)
        left = min(p[0] + boxes[n][0] for n, p in pos.items())
        top = min(p[1] + boxes[n][1] for n, p in pos.items())
        right = max(p[0] + boxes[n][2] for n, p in pos.items())
        bottom = max(p[1] + boxes[n][3] for n, p in pos.items())
        laid.append((pos, right - left, bottom - top, left, top))
    laid.sort(key=lambda t: (-t[1] * t[2], min(t[0])))
    area = sum((w + gap) * (h + gap) for _, w, h, _, _ in laid)
    row_width = max(max(w for _, w, _, _, _ in laid), (area * 1.5) ** 0.5)
    out: dict[str, list[float]] = {}
    x = y = row_height = 0.0
    for pos, w, h, left, top in laid:
        if x > 0 and x + w > row_width:
            x, y, row_height = 0.0, y + row_height + gap, 0.0
        for n, p in pos.items():
            out[n] = [p[0] - left + x, p[1] - top + y]
        x += w + gap
        row_height = max(row_height, h)
    return out


def _place_around(pos: dict[str, list[float]], rest: list[str], pairs: set[tuple[str, str]],
                  boxes: dict[str, tuple[float, float, float, float]], seed: int, step: float) -> None:
    """Place ``rest`` outside the placed nodes: each in the direction of the placed entities it
    is tied to, one ring further out per step away from them, at the nearest free spot; parts
    with no path to the placed ones, laid out on their own below."""
    import random

    neighbours: dict[str, set[str]] = {}
    for u, v in pairs:
        neighbours.setdefault(u, set()).add(v)
        neighbours.setdefault(v, set()).add(u)
    xs = [p[0] for p in pos.values()] or [0.0]
    ys = [p[1] for p in pos.values()] or [0.0]
    cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    radius = max(max(xs) - min(xs), max(ys) - min(ys)) / 2 + step / 2 if pos else 0.0
    rng = random.Random(seed)
    free = _FreeSpace(boxes)
    for n, p in pos.items():
        free.add(n, p)
    todo = set(rest)
    ring = 0
    while todo:
        ring += 1
        reached = sorted(n for n in todo if neighbours.get(n, set()) & pos.keys())
        if not reached:
            break
        targets = {}
        for n in reached:
            near = sorted(neighbours[n] & pos.keys())
            bx = sum(pos[m][0] for m in near) / len(near)
            by = sum(pos[m][1] for m in near) / len(near)
            angle = math.atan2(by - cy, bx - cx) if (bx, by) != (cx, cy) else rng.uniform(-math.pi, math.pi)
            r = max(radius + step * (ring - 1), math.hypot(bx - cx, by - cy) + step / 2)
            targets[n] = (angle, r)
        for n in sorted(reached, key=lambda m: (targets[m][1], targets[m][0], m)):  # inside out
            angle, r = targets[n]
            pos[n] = free.nearest(n, [cx + r * math.cos(angle), cy + r * math.sin(angle)], outward=angle)
        todo -= set(reached)
    if todo:  # parts of the map with no path to the rest: laid out on their own, underneath
        own = _force_layout(sorted(todo), {(u, v) for u, v in pairs if u in todo}, seed, length=step * 1.1)
        top = max((p[1] + boxes[n][3] for n, p in pos.items()), default=0.0) + step
        oy = min(p[1] + boxes[n][1] for n, p in own.items())
        ox = sum(p[0] for p in own.values()) / len(own)
        for n in sorted(own, key=lambda m: (own[m][1], own[m][0], m)):
            pos[n] = free.nearest(n, [own[n][0] - ox + cx, own[n][1] - oy + top], outward=math.pi / 2)


class _FreeSpace:
    """The boxes placed so far, filed in a grid of cells, to find the free spot nearest a target."""

    def __init__(self, boxes: dict[str, tuple[float, float, float, float]], gap: float = 8.0, cell: float = 120.0):
        self.boxes, self.gap, self.cell = boxes, gap, cell
        self.grid: dict[tuple[int, int], list[tuple[float, float, float, float]]] = {}

    def _cells(self, r: tuple[float, float, float, float]):
        c = self.cell
        for gx in range(int(r[0] // c), int(r[2] // c) + 1):
            for gy in range(int(r[1] // c), int(r[3] // c) + 1):
                yield gx, gy

    def _rect(self, n: str, p: list[float]) -> tuple[float, float, float, float]:
        b, g = self.boxes[n], self.gap / 2
        return (p[0] + b[0] - g, p[1] + b[1] - g, p[0] + b[2] + g, p[1] + b[3] + g)

    def add(self, n: str, p: list[float]) -> None:
        r = self._rect(n, p)
        for key in self._cells(r):
            self.grid.setdefault(key, []).append(r)

    def fits(self, n: str, p: list[float]) -> bool:
        a = self._rect(n, p)
        return not any(a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
                       for key in self._cells(a) for b in self.grid.get(key, ()))

    def nearest(self, n: str, target: list[float], outward: float = 0.0) -> list[float]:
        """The free spot nearest ``target``, on a spiral round it starting ``outward``; taken."""
        spot = list(target)
        b = self.boxes[n]
        pitch = max(4.0, min(b[2] - b[0], b[3] - b[1]) / 4)  # steps in proportion to the box
        i = 0
        while not self.fits(n, spot):
            i += 1
            theta = 1.5 * i ** 0.5  # an Archimedean spiral walked in steps of equal arc
            r = pitch * theta
            spot = [target[0] + r * math.cos(outward + theta), target[1] + r * math.sin(outward + theta)]
        self.add(n, spot)
        return spot


def _separate(pos: dict[str, list[float]], boxes: dict[str, tuple[float, float, float, float]],
              gap: float = 8.0, rounds: int = 15, spreads: int = 6, settle: bool = True) -> None:
    """Push apart overlapping boxes (``gap`` pixels between any two) along the axis where they
    overlap least, which keeps the force layout's shape. When ``rounds`` rounds leave overlaps
    (a crowd round a hub), the whole part spreads out by a fifth and pushing starts again, up to
    ``spreads`` times; each box still overlapping after that moves to the nearest free spot.
    Neighbours are found through a grid of cells as big as the biggest box, so a round costs
    about one pass over the nodes."""
    names = sorted(pos)
    if len(names) < 2:
        return
    cell = max(max(b[2] - b[0], b[3] - b[1]) for b in (boxes[n] for n in names)) + gap
    for spread in range(spreads + 1):
        if spread:
            cx = sum(p[0] for p in pos.values()) / len(pos)
            cy = sum(p[1] for p in pos.values()) / len(pos)
            for p in pos.values():
                p[0], p[1] = cx + (p[0] - cx) * 1.2, cy + (p[1] - cy) * 1.2
        for _ in range(rounds):
            grid: dict[tuple[int, int], list[str]] = {}
            for n in names:
                b, p = boxes[n], pos[n]
                key = (int((p[0] + (b[0] + b[2]) / 2) // cell), int((p[1] + (b[1] + b[3]) / 2) // cell))
                grid.setdefault(key, []).append(n)
            moved = False
            for (gx, gy), members in sorted(grid.items()):
                others = [m for dx in (-1, 0, 1) for dy in (-1, 0, 1) for m in grid.get((gx + dx, gy + dy), ())]
                for a in members:
                    pa, A = pos[a], boxes[a]
                    for c in others:
                        if c <= a:
                            continue
                        pc, C = pos[c], boxes[c]  # most pairs are apart: test inline, push rarely
                        if (pc[0] + C[0] < pa[0] + A[2] + gap and pa[0] + A[0] < pc[0] + C[2] + gap
                                and pc[1] + C[1] < pa[1] + A[3] + gap and pa[1] + A[1] < pc[1] + C[3] + gap):
                            moved |= _push(pos, boxes, a, c, gap)
            if not moved:
                return
    if not settle:  # a big map: a few shapes still touching is better than a minute's search
        return
    free = _FreeSpace(boxes, gap)
    stay = [n for n in names if free.fits(n, pos[n]) and (free.add(n, pos[n]) or True)]
    for n in sorted(set(names) - set(stay)):
        pos[n] = free.nearest(n, pos[n])


def _push(pos: dict[str, list[float]], boxes: dict[str, tuple[float, float, float, float]], a: str, c: str,
          gap: float) -> bool:
    """Move ``a`` and ``c`` apart, half each, if their boxes (plus ``gap``) overlap."""
    A, C, pa, pc = boxes[a], boxes[c], pos[a], pos[c]
    ox = min(pa[0] + A[2], pc[0] + C[2]) - max(pa[0] + A[0], pc[0] + C[0]) + gap
    oy = min(pa[1] + A[3], pc[1] + C[3]) - max(pa[1] + A[1], pc[1] + C[1]) + gap
    if ox <= 0 or oy <= 0:
        return False
    axis, overlap = (0, ox) if ox <= oy else (1, oy)
    mid = 0 if axis == 0 else 1
    ca = pa[axis] + (A[mid] + A[mid + 2]) / 2
    cc = pc[axis] + (C[mid] + C[mid + 2]) / 2
    sign = 1.0 if (ca, a) >= (cc, c) else -1.0
    pa[axis] += sign * overlap / 2
    pc[axis] -= sign * overlap / 2
    return True


def _grid_below(pos: dict[str, list[float]], alone: list[str], boxes: dict[str, tuple[float, float, float, float]],
                gap: float = 12.0) -> None:
    """Line up ``alone`` in rows under everything placed, left-aligned with it."""
    left = min((p[0] + boxes[n][0] for n, p in pos.items()), default=0.0)
    top = max((p[1] + boxes[n][3] for n, p in pos.items()), default=0.0) + 6 * gap
    width = max(b[2] - b[0] for b in (boxes[n] for n in alone)) + gap
    height = max(b[3] - b[1] for b in (boxes[n] for n in alone)) + gap
    columns = max(1, round((len(alone) * 2) ** 0.5))
    for i, n in enumerate(alone):
        b = boxes[n]
        x = left + (i % columns) * width + width / 2
        y = top + (i // columns) * height - b[1]
        pos[n] = [x - (b[0] + b[2]) / 2, y]


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


def _tie_about(G: nx.MultiDiGraph, u: str, v: str, attrs: dict[str, Any]) -> dict[str, Any]:
    """A tie as the page's panel says it: ``says`` (names, verb and figures, as one sentence),
    ``source`` (the report's section number and title, from the data set's description of
    itself), ``cited`` (the study it cites, by name), ``facts`` (its year and what else it
    states, as "Name: value" lines) and ``description``; empty parts left out."""
    from ecograph.data.dataset import cite_in
    from ecograph.words import entity_name, property_value, tie_facts, tie_sentence

    skip = {"type", "description", "source", "cited", "origin"}
    properties = {k: val for k, val in attrs.items() if k not in skip and val is not None}
    about: dict[str, Any] = {"says": tie_sentence(G, {"from": u, "to": v, "type": attrs["type"], "properties": properties})}
    if attrs.get("source"):
        about["source"] = cite_in(G, attrs["source"])
    if attrs.get("cited"):
        about["cited"] = entity_name(G, attrs["cited"])
    said = set(tie_facts(properties))
    facts = []
    for p in schema.model_of(G).relationship_properties:
        if p.name in skip or attrs.get(p.name) is None:
            continue
        text = str(attrs[p.name]) if p.name == "year" else property_value(p.name, attrs[p.name], attrs)
        if not any(text in fact for fact in said) and p.name not in ("currency", "count_unit"):  # said once
            facts.append(f"{p.name.replace('_', ' ').capitalize()}: {text}")
    if facts:
        about["facts"] = facts
    if attrs.get("description"):
        about["description"] = attrs["description"]
    return about


def _edge_tooltip(G: nx.MultiDiGraph, u: str, v: str, attrs: dict[str, Any],
                  about: dict[str, Any] | None = None) -> str:
    """A tie as a person reads it: the sentence of ``ecograph.words`` (names, verb, figures,
    source, the study cited), then its year, what else it states, and its description."""
    from ecograph.words import tie_sentence

    about = about if about is not None else _tie_about(G, u, v, attrs)
    skip = {"type", "description", "source", "cited", "origin"}
    properties = {k: val for k, val in attrs.items() if k not in skip and val is not None}
    lines = [tie_sentence(G, {"from": u, "to": v, "type": attrs["type"], "properties": properties,
                              "source": attrs.get("source"), "cited": attrs.get("cited")})]
    lines += about.get("facts", [])
    if about.get("description"):
        lines.append(about["description"])
    return "\n".join(lines)


def _search_keys(node: str, attrs: dict[str, Any]) -> list[list[Any]]:
    """The names the page's search matches, each as ``[folded, word starts]``: folded like
    ``ecograph search`` (NFKC, case, no spaces) once in Simplified Chinese and once in the
    script it is written in, since the page cannot convert scripts. The page folds what is typed
    the same way and, like ``ecograph search``, matches a part of a name only from a word start
    or inside one word."""
    from ecograph.data.search import word_starts

    keys: list[list[Any]] = []
    seen: set[str] = set()
    for name in [node, attrs.get("name_en", ""), attrs.get("name_zh", ""), *attrs.get("aliases", ())]:
        for simplified in (True, False):
            folded, starts = word_starts(name, simplified)
            if folded and folded not in seen:
                seen.add(folded)
                keys.append([folded, sorted(starts)])
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
    group_above: int | None = GROUP_ABOVE,
    compact: bool | None = None,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """The nodes, edges and legend the page draws, as JSON-ready data.

    A big map (above ``EXACT_LAYOUT_LIMIT`` entities, or ``compact=True``) carries its ties
    as ``ties`` (see :func:`_compact_ties`) instead of one object each in ``edges``: the page
    rebuilds the edges, and each tie's tooltip, from those columns when it opens.

    Above ``group_above`` entities (None: never) the map is grouped: each camp of
    :func:`ecograph.analysis.camp_membership` becomes one node labelled by its centre, which
    the page opens in place; the data then carries ``groups`` and ``groupTies`` (see
    :func:`_groups`) and each member's ``camp``.

    ``size_by`` is ``degree``, another measure of ``ecograph.analysis`` or a numeric property;
    ``color_by`` is ``kind`` or ``community`` (Louvain camps, same seed as the layout). Both
    values show in the tooltips. Each edge carries its schema group (equity, deal, context):
    the page opens on the alliances, context ties one click away. ``progress(stage, done,
    total)`` is called after each step.
    """
    from ecograph.words import kind_words, percent, tie_words

    report = progress or _no_progress
    report(_STAGE, 0, _STEPS)
    model = schema.model_of(G)
    measure = _measure(G, size_by)
    sizes = _sizes(measure)
    grouped = group_above is not None and G.number_of_nodes() > group_above
    camps = None
    if grouped or color_by == "community":
        from ecograph.analysis import camp_membership

        camps = camp_membership(G, seed=seed)
    if G.number_of_nodes() > EXACT_LAYOUT_LIMIT:
        pos = camp_layout(G, seed, sizes=sizes, camps=camps)
    else:
        pos = layout(G, seed, sizes=sizes)
    report(_STAGE, 1, _STEPS)
    camp: dict[str, int] = camps[0] if camps is not None and color_by == "community" else {}
    report(_STAGE, 2, _STEPS)
    nodes = []
    kind_style, rel_style = styles_of(G)
    for n, attrs in G.nodes(data=True):
        color, shape = kind_style.get(attrs.get("kind", ""), ("#999999", "dot"))
        if camp:
            color = _PALETTE[(camp[n] - 1) % len(_PALETTE)]
        tooltip = _node_tooltip(n, attrs) + f"\n{size_by}: {_format(round(measure[n], 4))}"
        if camp:
            tooltip += f"\ncamp: {camp[n]}"
        x, y = pos[n]
        names = labels(attrs, n)
        node = {
            "id": n, "label": names[lang if lang in names else "both"], "labels": names, "title": tooltip, "kind": attrs.get("kind", ""),
            "name_en": attrs.get("name_en", n), "name_zh": attrs.get("name_zh", ""), "aliases": attrs.get("aliases", []),
            "color": color, "shape": shape, "size": round(sizes[n], 1), "x": x, "y": y,
            "search": _search_keys(n, attrs),
        }
        for key in ("description", "country"):  # for the side panel
            if attrs.get(key):
                node[key] = attrs[key]
        if shape in LABEL_INSIDE:  # written on the fill: the colour that reads on it
            node["font"] = {"color": text_colour(color)}
        nodes.append(node)
    report(_STAGE, 3, _STEPS)
    big = grouped or len(nodes) > EXACT_LAYOUT_LIMIT
    ties = None
    if compact if compact is not None else big:
        ties = _compact_ties(G, nodes, rel_style, model)
        edges: list[dict[str, Any]] = []
        types_seen = set(ties["types"])
    else:
        edges = []
        for i, (u, v, attrs) in enumerate(G.edges(data=True)):
            color, dashes = rel_style.get(attrs["type"], ("#999999", False))
            group = _group(attrs["type"], model)
            stake = attrs.get("stake")
            about = _tie_about(G, u, v, attrs)  # the side panel's words; the tooltip says the same
            edge = {
                "id": i, "from": u, "to": v, "type": attrs["type"], "group": group, "year": attrs.get("year"),
                "title": _edge_tooltip(G, u, v, attrs, about), "about": about,
                "color": {"color": color, "highlight": color, "hover": color},
                "width": GROUP_WIDTH[group] + (4 * stake if stake is not None else 0),
            }
            if dashes:  # only what differs from the page's defaults (arrows to, solid, no label)
                edge["dashes"] = dashes
            if stake is not None and group == "equity":
                edge["label"] = percent(stake)
            edges.append(edge)
        types_seen = {e["type"] for e in edges}
    report(_STAGE, 4, _STEPS)
    kinds = sorted({nd["kind"] for nd in nodes})
    types = sorted(types_seen, key=lambda t: (_GROUP_ORDER.get(_group(t, model), 3), t))
    legend = {
        "kinds": [{"kind": k, "words": kind_words(k), "color": kind_style.get(k, ("#999999", ""))[0],
                   "shape": kind_style.get(k, ("", "dot"))[1]}
                  for k in kinds],
        "types": [{"type": t, "group": _group(t, model), "words": tie_words(t, model),
                   "color": rel_style.get(t, ("#999999", False))[0], "dashes": rel_style.get(t, ("", False))[1],
                   "width": GROUP_WIDTH[_group(t, model)]} for t in types],
        "groups": [{"group": g, "meaning": meaning} for g, meaning in schema.TIE_GROUPS.items()],
    }
    data = {"nodes": nodes, "edges": edges, "legend": legend, "lang": lang, "fontSize": FONT_SIZE,
            "minLabelPx": MIN_LABEL_PX, "big": big, "labelThreshold": MIN_LABEL_PX}
    if ties is not None:
        data["ties"] = ties
    if grouped and camps is not None:
        data.update(_groups(G, nodes, camps, pos, lang))
    if ties is not None:
        data["entities"] = _compact_nodes(G, nodes)
        data["nodes"] = []
    return data


def _compact_nodes(G: nx.MultiDiGraph, nodes: list[dict[str, Any]]) -> dict[str, Any]:
    """A big map's nodes as parallel columns, in the order of ``nodes``, which the page turns
    back into the same objects (map-data.js): ``id``; ``en`` and ``zh`` (the wrapped labels,
    from which ``labels`` and ``label`` follow); ``nameEn``/``nameZh`` (null where the same as
    the label); ``aliases`` (null for none); ``look`` (index into ``looks``: kind, colour,
    shape, font); ``size``, ``x``, ``y``, ``search``; ``camp`` on a grouped map; and the
    tooltip as ``name_en / name_zh``, ``kind · id``, ``tips[tip]`` (aliases, country,
    description: shared) and ``tail`` (the measure, the camp)."""
    looks: list[dict[str, Any]] = []
    look_of: dict[tuple[str, str, str, Any], int] = {}
    tips: list[str] = []
    tip_of: dict[str, int] = {}
    cols: dict[str, list[Any]] = {k: [] for k in ("id", "en", "zh", "nameEn", "nameZh", "aliases", "look", "size", "x",
                                                  "y", "search", "tip", "tail")}
    grouped = any("camp" in n for n in nodes)
    if grouped:
        cols["camp"] = []
    for n in nodes:
        en, zh = n["labels"]["en"], n["labels"]["zh"] if n["labels"]["both"] != n["labels"]["en"] else ""
        if {"en": en, "zh": zh or en, "both": f"{en}\n{zh}" if zh else en} != n["labels"]:
            raise AssertionError(f"labels of {n['id']} do not follow from en and zh")
        font = n.get("font", {}).get("color")
        key = (n["kind"], n["color"], n["shape"], font)
        k = look_of.get(key)
        if k is None:
            k = look_of[key] = len(looks)
            look = {"kind": n["kind"], "color": n["color"], "shape": n["shape"]}
            if font is not None:
                look["font"] = {"color": font}
            looks.append(look)
        base = _node_tooltip(n["id"], G.nodes[n["id"]])
        head = f"{n['name_en']} / {n['name_zh']}\n{n['kind']} · {n['id']}"
        if not (base.startswith(head) and n["title"].startswith(base)):  # cannot happen while _node_tooltip starts so
            raise AssertionError(f"tooltip of {n['id']} does not start with {head!r}")
        t = tip_of.get(base[len(head):])
        if t is None:
            t = tip_of[base[len(head):]] = len(tips)
            tips.append(base[len(head):])
        for col, value in (("id", n["id"]), ("en", en), ("zh", zh), ("nameEn", None if n["name_en"] == en else n["name_en"]),
                           ("nameZh", None if n["name_zh"] == zh else n["name_zh"]), ("aliases", n["aliases"] or None),
                           ("look", k), ("size", n["size"]), ("x", n["x"]), ("y", n["y"]), ("search", n["search"]),
                           ("tip", t), ("tail", n["title"][len(base):])):
            cols[col].append(value)
        if grouped:
            cols["camp"].append(n.get("camp"))
    return {**cols, "looks": looks, "tips": tips}


def _compact_ties(G: nx.MultiDiGraph, nodes: list[dict[str, Any]], rel_style: dict[str, Any],
                  model: schema.Model) -> dict[str, Any]:
    """A big map's ties as parallel columns, one entry per tie in ``G.edges`` order (a tie's
    id is its position): ``from`` and ``to`` (indexes into the page's nodes), ``style`` (index
    into ``styles``: type, group, colour, dashes, width, the type's words), ``stake`` (0 for
    none, else 1 + index into ``stakes``: [stake, its label]; the width grows by 4 × stake, and
    an equity tie is labelled by it), ``year`` (or null) and ``tip`` (index into ``tips``).

    A tie's tooltip is ``name(from) + " " + verb + " " + name(to) + tips[tip]``: the verb is
    the type's words, the names :func:`ecograph.words.entity_name` (worked out in the page from
    name_en and name_zh, see :func:`_say_name`; ``names`` holds the exceptions), and the rest of the text
    (figures, source, year, description) depends on the tie's properties alone, so ties that
    say the same share one entry. One JSON object and one sentence per tie made the page of
    100,000 entities and 1,000,000 ties 448 MB and its render 19 minutes (issue #14); columns
    of numbers make it a few bytes a tie, and the page writes a sentence only when asked.
    """
    from ecograph.words import entity_name, percent, tie_words

    index = {n["id"]: i for i, n in enumerate(nodes)}
    names = [entity_name(G, n["id"]) for n in nodes]
    # The name a sentence uses follows from the node's name_en and name_zh (map-data.js
    # `sayName`); only the few where it does not (a missing English name) travel, by index.
    said_as = {str(i): name for i, (n, name) in enumerate(zip(nodes, names)) if _say_name(n) != name}
    styles: list[dict[str, Any]] = []
    style_of: dict[str, int] = {}
    stakes: list[list[Any]] = []
    stake_of: dict[Any, int] = {}
    stake_col: list[int] = []
    tips: list[str] = []
    tip_of: dict[Any, int] = {}
    froms: list[int] = []
    tos: list[int] = []
    style_col: list[int] = []
    years: list[Any] = []
    tip_col: list[int] = []
    for u, v, attrs in G.edges(data=True):
        rel_type = attrs["type"]
        s = style_of.get(rel_type)
        if s is None:
            color, dashes = rel_style.get(rel_type, ("#999999", False))
            group = _group(rel_type, model)
            style = {"type": rel_type, "group": group, "color": color, "words": tie_words(rel_type, model),
                     "width": GROUP_WIDTH[group]}
            if dashes:
                style["dashes"] = dashes
            s = style_of[rel_type] = len(styles)
            styles.append(style)
        stake = attrs.get("stake")
        k = 0
        if stake is not None:
            k = stake_of.get(stake, 0)
            if not k:
                k = stake_of[stake] = len(stakes) + 1
                stakes.append([stake, percent(stake)])
        try:
            # Where the tie was read ("origin", a file and line) is in no tooltip: left out,
            # ties that say the same share their text. Not sorted (half the time at a million
            # ties): ties read from one file list their properties in one order, and two orders
            # only make two entries of one text.
            said = dict(attrs)
            said.pop("origin", None)
            tip_key: Any = tuple(said.items())
            hash(tip_key)
        except TypeError:  # a list or dict among the properties: compare them as text
            tip_key = json.dumps({k: val for k, val in attrs.items() if k != "origin"}, sort_keys=True, default=str)
        t = tip_of.get(tip_key)
        if t is None:
            text = _edge_tooltip(G, u, v, attrs)
            head = f"{names[index[u]]} {styles[s]['words']} {names[index[v]]}"
            if not text.startswith(head):  # cannot happen while tie_sentence starts so
                raise AssertionError(f"tooltip of {u} -> {v} does not start with {head!r}")
            t = tip_of[tip_key] = len(tips)
            tips.append(text[len(head):])
        froms.append(index[u])
        tos.append(index[v])
        style_col.append(s)
        stake_col.append(k)
        years.append(attrs.get("year"))
        tip_col.append(t)
    return {"from": froms, "to": tos, "style": style_col, "stake": stake_col, "year": years, "tip": tip_col,
            "styles": styles, "stakes": stakes, "tips": tips, "names": said_as, "types": [st["type"] for st in styles]}


def _say_name(node: dict[str, Any]) -> str:
    """:func:`ecograph.words.entity_name` as the page works it out from a node's fields."""
    en, zh = node["name_en"], node["name_zh"]
    return f"{en} / {zh}" if en and zh and en != zh else (en or zh or node["id"])


# A grouped map draws, for each camp, its ties to the camps it has most ties with, at most
# this many: at 100,000 entities every camp has ties to nearly every other, an unreadable mesh.
_GROUP_TIES = 3


def _groups(G: nx.MultiDiGraph, nodes: list[dict[str, Any]], camps: tuple[dict[str, int], dict[int, str]],
            pos: dict[str, tuple[float, float]], lang: str) -> dict[str, Any]:
    """The camps of a grouped map: ``groups`` (one for each camp of two or more entities: id
    ``camp:N``, the camp number, its centre, label, size and place, at its members' mean) and
    ``groupTies`` ([camp, camp, ties between them], each camp's strongest ``_GROUP_TIES``);
    each member node gets its ``camp``."""
    camp_of, centres = camps
    members: dict[int, list[str]] = {}
    for n, c in camp_of.items():
        members.setdefault(c, []).append(n)
    grouped = {c for c, names in members.items() if len(names) > 1}
    for node in nodes:
        c = camp_of[node["id"]]
        node["camp"] = c if c in grouped else None
    counts: dict[tuple[int, int], int] = {}
    for u, v in G.edges():
        cu, cv = camp_of[u], camp_of[v]
        if cu != cv and cu in grouped and cv in grouped:
            key = (cu, cv) if cu < cv else (cv, cu)
            counts[key] = counts.get(key, 0) + 1
    strongest: dict[int, list[tuple[int, tuple[int, int]]]] = {}
    for key, count in counts.items():
        for c in key:
            strongest.setdefault(c, []).append((count, key))
    kept = set()
    for ties in strongest.values():
        kept.update(key for _, key in sorted(ties, key=lambda t: (-t[0], t[1]))[:_GROUP_TIES])
    groups = []
    for c in sorted(grouped):
        names = members[c]
        centre = centres[c]
        name = labels(G.nodes[centre], centre)[lang if lang in ("en", "zh", "both") else "both"]
        x = sum(pos[n][0] for n in names) / len(names)
        y = sum(pos[n][1] for n in names) / len(names)
        radius = max(math.hypot(pos[n][0] - x, pos[n][1] - y) for n in names)
        # Drawn at half the camp's own size, its name a third of that: both read from the zoom
        # that shows the whole map, for the big camps first.
        groups.append({
            "id": f"camp:{c}", "camp": c, "centre": centre, "members": len(names),
            "label": f"{name}\n+ {len(names) - 1:,} more", "size": round(max(20.0, radius / 2), 1),
            "fontSize": round(max(28.0, radius / 6), 1), "x": round(x, 1), "y": round(y, 1),
        })
    return {"groups": groups, "groupTies": [[a, b, counts[(a, b)]] for a, b in sorted(kept)]}


# The smallest label the page draws, in pixels on screen: a big map draws labels only from the
# zoom where they reach it.
MIN_LABEL_PX = 12


_GROUP_ORDER = {"equity": 0, "deal": 1, "context": 2}


def _group(rel_type: str, model: schema.Model = schema.SHIPPED) -> str:
    rel = model.rel_types.get(rel_type)
    return rel.group if rel is not None else "context"


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
    """JSON safe inside a <script> element: no '</' can close it early. A big map's (its ties
    as columns) without the spaces after commas and colons: 10 MB of 82 at a million ties."""
    options = {"separators": (",", ":")} if "ties" in data else {}
    return json_text(data, **options).replace("</", "<\\/").replace("<!--", "<\\u0021--")


def render_html(
    G: nx.MultiDiGraph,
    *,
    title: str = "ecograph",
    lang: str = "both",
    size_by: str = "degree",
    color_by: str = "kind",
    seed: int = 42,
    group_above: int | None = GROUP_ABOVE,
    compact: bool | None = None,
    progress: Progress | None = None,
) -> str:
    """The page for graph ``G``: a single HTML document with everything inlined (grouped by
    camp above ``group_above`` entities, see :func:`graph_data`)."""
    script, css = _vis_assets()
    folder = Path(__file__).parent / "templates"
    template = (folder / "map.html").read_text(encoding="utf-8")
    data = graph_data(G, lang=lang, size_by=size_by, color_by=color_by, seed=seed, group_above=group_above,
                      compact=compact, progress=progress)
    parts = {
        "TITLE": html.escape(title),
        "GENERATOR": output_mark(),  # lets a later render replace this page, and only such pages
        "VIS_CSS": css,
        "VIS_JS": script.replace("</script", "<\\/script"),
        "MAP_CSS": (folder / "map.css").read_text(encoding="utf-8").replace("</style", "<\\/style"),
        "MAP_JS": page_script().replace("</script", "<\\/script"),
        "DATA": _script_json(data),
    }
    # One pass, so text inside one part (a name like "{{VIS_JS}}") is never replaced again.
    return re.sub(r"\{\{(TITLE|GENERATOR|VIS_CSS|VIS_JS|MAP_CSS|MAP_JS|DATA)\}\}", lambda m: parts[m.group(1)], template)


# The page's own script, in modules that each own one step, joined in this order into the one
# <script> of the page: data unpacks a big map's columns, search ranks names, view computes what
# shows from the state, legend draws the filter panel, ties draws a big map's ties, panel writes
# out the selected entity or tie with its sources, url keeps the view in the link's fragment, page
# holds the state and the API (``window.ecograph``).
PAGE_MODULES = ("map-data.js", "map-search.js", "map-view.js", "map-legend.js", "map-ties.js", "map-panel.js",
                "map-url.js", "map-page.js")


def page_script() -> str:
    """The page's JavaScript: the modules of ``templates/``, joined."""
    folder = Path(__file__).parent / "templates"
    return "\n".join((folder / name).read_text(encoding="utf-8") for name in PAGE_MODULES)


def write_html(
    G: nx.MultiDiGraph,
    path: str | os.PathLike[str],
    *,
    max_entities: int | None = None,
    progress: Progress | None = None,
    **options: Any,
) -> Path:
    """Write the page for ``G`` to ``path`` as UTF-8, atomically; returns the path.

    Raises :class:`~ecograph.view.select.SelectionTooLargeError` before any work when ``G`` holds
    more than ``max_entities`` entities. ``progress(stage, done, total)`` follows the steps;
    ``options`` are :func:`render_html`'s.
    """
    from ecograph.view.select import check_size

    check_size(G.number_of_nodes(), max_entities)
    page = render_html(G, progress=progress, **options)
    atomic_write_text(path, page)
    if progress is not None:
        progress(_STAGE, _STEPS, _STEPS)
    return Path(path)
