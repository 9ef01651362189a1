"""Static pictures for slides and print: PNG and SVG with the HTML map's positions, a legend in
words, the sources and a title.

Drawn with matplotlib. Chinese labels need a CJK-capable font: :func:`cjk_font` looks for one
on the system (Noto Sans CJK, Source Han Sans, WenQuanYi, Microsoft JhengHei, PingFang …) and
the writers return which one they used, or ``None`` with the labels drawn in English only, so
the caller can say what to install. SVG keeps text as text (``svg.fonttype = none``).

The steps, in order:

1. The page is divided: the title on top (wrapped to the page's width), the sources at the foot
   (sections and cited studies by name), the legend down the right (kinds and tie types in
   words, under a heading per section: entities, equity, deal and context ties), the drawing in
   the rest. Every text is at least 9 pt at the picture's print size (``width / dpi`` inches).
2. The map's layout is stretched into the drawing (half by distance, half by rank, so a dense
   hub spreads out), then pushed apart with room kept below the most connected entities for
   their names (up to half the drawing) and midway along each equity tie for its stake; what
   still meets settles at the nearest free spot, most connected first.
3. Stakes go on their ties; then each entity's label goes beside it, most connected first, at
   the free spot touching its mark that crosses the fewest ties. No label covers a mark,
   another label or a stake, and none leaves the drawing (so none reaches the legend or the
   edge). An entity with no free spot stays unnamed, and the foot of the picture says how
   many did (and any stake left off).

    font = write_png(G, "map.png", dpi=150)  # 1600 × 1000 pixels, or bigger for a big view
"""

from __future__ import annotations

import io
import math
import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ecograph.export.xmltext import xml_text
from ecograph.fileio import atomic_write_bytes, output_mark

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["CJK_FONTS", "NO_CJK_FONT", "LABEL_PT", "PAGE", "Picture", "cjk_font", "draw", "draw_picture",
           "picture_size", "render_picture", "write_png", "write_svg"]

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

LABEL_PT = 9.0  # labels, stakes, legend and sources: the least that reads on a printed page
TITLE_PT = 14.0
_LINE = 1.3  # a line's height, as a multiple of the font size
_PAD = 0.2  # white round a label, as a fraction of its font size, so a tie under it stays clear of the text
_MARGIN_IN = 0.15  # the page's margin, in inches
_GAP_PX = 3.0  # between a mark and its label (more than the 2 px kept clear round each), and between marks
_FOOTER_LINES = 3  # the sources at most; cut with "…" past that
# Labels up to LABEL_ALL entities; beyond, the best-connected twentieth, so placing them stays quick.
LABEL_ALL = 300
LABEL_W_IN = 1.6  # a label's lines wrap at this width (two at most, cut with "…"): long names stay compact
# How much of the drawing the most connected entities' names may claim before the layout is
# spread to make room for them; the rest are named where room is left.
ROOM_FOR_NAMES = 0.5

# The page, in pixels, when no size is asked for: 10.7 × 6.7 inches at 150 dpi, for a view of up
# to about 32 entities. A bigger view gets a bigger page of the same shape, ROOM_PER_ENTITY square
# inches at print size for each entity, up to MAX_PAGE_W inches wide (A2 is 23.4): the whole seed
# (130 entities) at 1600 × 1000 named 32 of them; at 21.4 × 13.4 inches it names 125, each at 9 pt.
PAGE = (1600, 1000)
ROOM_PER_ENTITY = 2.2
MAX_PAGE_W = 24.0

_MARKERS = {"dot": "o", "square": "s", "diamond": "D", "triangle": "^", "triangleDown": "v",
            "hexagon": "h", "ellipse": "o", "star": "*", "box": "s"}
_SECTIONS = (("equity", "Equity ties"), ("deal", "Deal ties"), ("context", "Context ties"))

Rect = tuple[float, float, float, float]  # left, top, right, bottom in pixels from the page's top left


def cjk_font() -> str | None:
    """The first CJK-capable font family installed, or None."""
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FONTS if name in installed), None)


@dataclass
class Picture:
    """A drawn picture: the matplotlib figure, the CJK font used (or None), and what was placed,
    in pixels from the page's top left: each entity's mark as (x, y, radius), each label's text
    artist by entity, the stakes' text artists, and the entities left unnamed for room."""

    figure: Any
    font: str | None
    marks: dict[str, tuple[float, float, float]] = field(default_factory=dict)
    labels: dict[str, Any] = field(default_factory=dict)
    stakes: list[Any] = field(default_factory=list)
    unnamed: list[str] = field(default_factory=list)


def picture_size(G: nx.MultiDiGraph, width: int | None = None, height: int | None = None,
                 dpi: int = 150) -> tuple[int, int]:
    """The page in pixels: ``width`` × ``height`` when both are given, the other one from
    :data:`PAGE`'s shape when one is, else :data:`PAGE` (at 150 dpi, the same inches at another
    ``dpi``) grown for a big view so each entity has :data:`ROOM_PER_ENTITY` square inches, up
    to :data:`MAX_PAGE_W` inches wide.

    Example::

        >>> import networkx as nx
        >>> picture_size(nx.MultiDiGraph(), dpi=300), picture_size(nx.MultiDiGraph(), width=800)
        ((3200, 2000), (800, 500))
    """
    aspect = PAGE[1] / PAGE[0]
    if width and height:
        return width, height
    if width:
        return width, max(1, round(width * aspect))
    if height:
        return max(1, round(height / aspect)), height
    base_w, base_h = PAGE[0] / 150, PAGE[1] / 150
    scale = min(max(1.0, math.sqrt(len(G) * ROOM_PER_ENTITY / (base_w * base_h))), MAX_PAGE_W / base_w)
    return round(base_w * scale * dpi), round(base_h * scale * dpi)


def _label(attrs: dict[str, Any], node: str, lang: str, cjk: bool) -> str:
    en, zh = attrs.get("name_en") or node, attrs.get("name_zh") or ""
    if not cjk or not zh or lang == "en" or zh == en:
        return xml_text(str(en))
    return xml_text(str(zh) if lang == "zh" else f"{en}\n{zh}")


def _line_style(dashes: Any) -> Any:
    """The map's dash pattern (a list of pixel lengths, or False for solid) as matplotlib's,
    in line widths: each context type keeps the dash it has on the map."""
    if not dashes:
        return "-"
    if dashes is True:
        return "--"
    return (0, tuple(max(0.5, d / 2) for d in dashes))


def _overlaps(a: Rect, b: Rect) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _inside(a: Rect, b: Rect) -> bool:
    return b[0] <= a[0] and a[2] <= b[2] and b[1] <= a[1] and a[3] <= b[3]


class _Boxes:
    """Boxes in a grid of cells, to ask quickly whether a new box meets any of them."""

    def __init__(self, cell: float) -> None:
        self.cell = max(cell, 1.0)
        self.cells: dict[tuple[int, int], list[Rect]] = {}

    def _keys(self, box: Rect) -> list[tuple[int, int]]:
        c = self.cell
        return [(i, j) for i in range(int(box[0] // c), int(box[2] // c) + 1)
                for j in range(int(box[1] // c), int(box[3] // c) + 1)]

    def add(self, box: Rect) -> None:
        for key in self._keys(box):
            self.cells.setdefault(key, []).append(box)

    def meets(self, box: Rect) -> bool:
        return any(_overlaps(box, other) for key in self._keys(box) for other in self.cells.get(key, ()))


class _Segments:
    """Tie lines in a grid of cells, to count how many a box would cover."""

    def __init__(self, cell: float, segments: list[tuple[float, float, float, float]]) -> None:
        self.cell = max(cell, 1.0)
        self.cells: dict[tuple[int, int], list[int]] = {}
        self.segments = segments
        for i, (x1, y1, x2, y2) in enumerate(segments):
            for key in self._keys((min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2))):
                self.cells.setdefault(key, []).append(i)

    def _keys(self, box: Rect) -> list[tuple[int, int]]:
        c = self.cell
        return [(i, j) for i in range(int(box[0] // c), int(box[2] // c) + 1)
                for j in range(int(box[1] // c), int(box[3] // c) + 1)]

    def crossing(self, box: Rect) -> int:
        near = {i for key in self._keys(box) for i in self.cells.get(key, ())}
        return sum(1 for i in near if _segment_meets(self.segments[i], box))


def _segment_meets(segment: tuple[float, float, float, float], box: Rect) -> bool:
    """Whether a line segment passes through a box (Liang–Barsky clipping)."""
    x1, y1, x2, y2 = segment
    dx, dy = x2 - x1, y2 - y1
    low, high = 0.0, 1.0
    for p, q in ((-dx, x1 - box[0]), (dx, box[2] - x1), (-dy, y1 - box[1]), (dy, box[3] - y1)):
        if p == 0:
            if q < 0:
                return False
            continue
        t = q / p
        if p < 0:
            low = max(low, t)
        else:
            high = min(high, t)
        if low > high:
            return False
    return True


class _Measure:
    """Text sizes in pixels, as the renderer lays the text out (cached: labels repeat sizes)."""

    def __init__(self, fig: Any, families: list[str]) -> None:
        self.fig, self.families = fig, families
        self.renderer = fig.canvas.get_renderer()
        self.cache: dict[tuple[str, float, str], tuple[float, float]] = {}

    def __call__(self, text: str, size: float, weight: str = "normal") -> tuple[float, float]:
        key = (text, size, weight)
        if key not in self.cache:
            t = self.fig.text(0, 0, text, fontsize=size, fontweight=weight, fontfamily=self.families,
                              linespacing=1.15, multialignment="center")
            box = t.get_window_extent(self.renderer)
            t.remove()
            self.cache[key] = (box.width, box.height)
        return self.cache[key]


def _wrap(text: str, width: float, size: float, measure: _Measure, lines: int, weight: str = "normal") -> list[str]:
    """``text`` broken at spaces into lines no wider than ``width`` pixels, at most ``lines`` of
    them, the last cut with "…" when the text is longer; a word too long for a line is cut.
    A line's width is the sum of its words' and spaces' (each measured once: a footer of a
    thousand characters measured line by line took three seconds)."""
    if measure(text, size, weight)[0] <= width:  # most names: one measurement, not one a word
        return [text]
    space = measure("a a", size, weight)[0] - measure("aa", size, weight)[0]
    width *= 0.98  # what kerning across words may add

    def fits(words_width: float, count: int) -> bool:
        return words_width + space * max(count - 1, 0) <= width

    out: list[str] = []
    current: list[str] = []
    used = 0.0
    for word in text.split(" "):
        w = measure(word, size, weight)[0] if word else 0.0
        if fits(used + w, len(current) + 1):
            current.append(word)
            used += w
            continue
        if current:
            out.append(" ".join(current))
        current, used = [word], w
        while used > width and len(word) > 1:  # one word wider than a line: cut it
            cut = max(1, int(len(word) * width / used))
            while cut > 1 and measure(word[:cut], size, weight)[0] > width:
                cut -= 1
            out.append(word[:cut])
            word = word[cut:]
            current, used = [word], measure(word, size, weight)[0]
    if current:
        out.append(" ".join(current))
    if len(out) > lines:
        last = out[lines - 1]
        while last and measure(last + " …", size, weight)[0] > width:
            last = last[:-1]
        out = out[: lines - 1] + [last.rstrip() + " …"]
    return out


def _legend_rows(G: nx.MultiDiGraph) -> list[tuple[str, str, str]]:
    """The legend as rows of (what, name, words): a heading, then its kinds or tie types."""
    from ecograph.data import schema
    from ecograph.words import kind_words, tie_words

    rows: list[tuple[str, str, str]] = []
    kinds = sorted({a.get("kind", "") for _, a in G.nodes(data=True)}, key=kind_words)
    if kinds:
        rows.append(("heading", "", "Entities"))
        rows += [("kind", k, kind_words(k) or "(no kind)") for k in kinds]
    types = {d["type"] for _, _, d in G.edges(data=True)}
    model = schema.model_of(G)  # the data's own verbs and groups for the types it declares
    groups = {t: model.rel_types[t].group if t in model.rel_types else "context" for t in types}
    for group, heading in _SECTIONS:
        members = sorted((t for t in types if groups[t] == group), key=lambda t: tie_words(t, model))
        if members:
            rows.append(("heading", "", heading))
            rows += [("type", t, tie_words(t, model)) for t in members]
    return rows


def _draw_legend(fig: Any, G: nx.MultiDiGraph, measure: _Measure, right: float, top: float, bottom: float,
                 page: tuple[float, float], families: list[str]) -> float:
    """Draw the legend in columns against ``right``, between ``top`` and ``bottom``; returns
    its left edge. A column holds as many rows as fit; a heading never ends a column."""
    from matplotlib.lines import Line2D

    from ecograph.view.style import styles_of

    KIND_STYLE, REL_STYLE = styles_of(G)  # the map's own, for this graph's model
    W, H = page
    rows = _legend_rows(G)
    if not rows:
        return right
    px = fig.dpi / 72
    row_h = LABEL_PT * _LINE * px
    per_column = max(2, int((bottom - top) // row_h))
    columns: list[list[tuple[str, str, str]]] = [[]]
    for row in rows:
        room = per_column - (1 if row[0] == "heading" else 0)  # a heading comes with its first row
        if len(columns[-1]) >= room and columns[-1]:
            columns.append([])
        columns[-1].append(row)
    symbol, gap = 16 * px, 5 * px
    widths = [symbol + gap + max(measure(words, LABEL_PT, "bold" if what == "heading" else "normal")[0]
                                 for what, _, words in column) for column in columns]
    left = right - sum(widths) - 10 * px * (len(columns) - 1)
    x = left
    for column, width in zip(columns, widths):
        for r, (what, name, words) in enumerate(column):
            y = top + (r + 0.5) * row_h
            fx, fy = x / W, 1 - y / H
            if what == "heading":
                fig.text(fx, fy, xml_text(words), fontsize=LABEL_PT, fontweight="bold", va="center",
                         fontfamily=families, gid="legend heading")
                continue
            if what == "kind":
                colour, shape = KIND_STYLE.get(name, ("#999999", "dot"))
                mark = Line2D([(x + symbol / 2) / W], [fy], marker=_MARKERS.get(shape, "o"), markersize=8,
                              linestyle="", color=colour, markeredgecolor="white", transform=fig.transFigure)
            else:
                colour, dashed = REL_STYLE.get(name, ("#999999", False))
                mark = Line2D([x / W, (x + symbol) / W], [fy, fy], color=colour, linewidth=1.6,
                              linestyle=_line_style(dashed), transform=fig.transFigure)
            mark.set_gid(xml_text(f"legend {what} {name}"))
            fig.add_artist(mark)
            fig.text((x + symbol + gap) / W, fy, xml_text(words), fontsize=LABEL_PT, va="center",
                     fontfamily=families, gid=xml_text(f"legend text {name}"))
        x += width + 10 * px
    return left


def _ranks(values: dict[str, float]) -> dict[str, float]:
    """Each value's rank as a fraction in [0, 1], equal values sharing one."""
    distinct = sorted(set(values.values()))
    last = max(len(distinct) - 1, 1)
    at = {v: i / last for i, v in enumerate(distinct)}
    return {n: at[v] if len(distinct) > 1 else 0.5 for n, v in values.items()}


def _scaled(pos: dict[str, tuple[float, float]], rect: Rect) -> dict[str, list[float]]:
    """The map's positions stretched into ``rect`` on each axis, evened out: half by distance,
    half by rank, so a dense hub on the map gets room for its labels (by distance alone, the
    seed's core took a tenth of the picture and most of its names found no room)."""
    out = {}
    for axis in (0, 1):
        values = {n: p[axis] for n, p in pos.items()}
        low, high = min(values.values()), max(values.values())
        ranks = _ranks(values)
        for n, v in values.items():
            linear = (v - low) / (high - low) if high > low else 0.5
            f = (linear + ranks[n]) / 2
            out.setdefault(n, [0.0, 0.0])[axis] = rect[axis] + f * (rect[axis + 2] - rect[axis])
    return out


def _make_room(xy: dict[str, list[float]], boxes: dict[str, Rect], rect: Rect, rounds: int = 60) -> None:
    """Push apart entities whose boxes meet (``boxes`` are offsets from each entity's position:
    its mark, and for those to be named, the label below it), keeping each inside ``rect``.
    Each round moves every meeting pair apart along the axis where they overlap least, half
    each way; pairs are found through a grid, so a round is quick at thousands of entities. A
    crowd that has not parted after ``rounds`` is left to :func:`_settle` (more rounds cost a
    second on the seed and changed little)."""
    if len(xy) < 2:
        return
    sides = sorted(v for b in boxes.values() for v in (b[2] - b[0], b[3] - b[1]))
    cell = sides[len(sides) // 2] * 2 + _GAP_PX
    meeting: list[int] = []  # pairs that met, round by round
    for _ in range(rounds):
        # A crowd too dense to part stops gaining: 60 rounds cost 14 s at 2,000 entities for little.
        if len(meeting) >= 10 and meeting[-1] > 0.97 * min(meeting[:-5]):
            return
        grid: dict[tuple[int, int], list[str]] = {}
        for n, (x, y) in xy.items():  # each entity in every cell its box covers
            b = boxes[n]
            for i in range(int((x + b[0]) // cell), int((x + b[2]) // cell) + 1):
                for j in range(int((y + b[1]) // cell), int((y + b[3]) // cell) + 1):
                    grid.setdefault((i, j), []).append(n)
        pairs = sorted({(a, b) for members in grid.values() for a in members for b in members if a < b})
        moved = False
        meeting.append(0)
        for a, b in pairs:
            ba = boxes[a]
            bb = boxes[b]
            (ax_, ay), (bx, by) = xy[a], xy[b]
            over_x = min(ax_ + ba[2], bx + bb[2]) - max(ax_ + ba[0], bx + bb[0]) + _GAP_PX
            over_y = min(ay + ba[3], by + bb[3]) - max(ay + ba[1], by + bb[1]) + _GAP_PX
            if over_x <= 0 or over_y <= 0:
                continue
            moved = True
            meeting[-1] += 1
            if over_x < over_y:  # part them sideways, the same way every time when level
                sign = 1.0 if (bx + (bb[0] + bb[2]) / 2, b) > (ax_ + (ba[0] + ba[2]) / 2, a) else -1.0
                xy[a][0] -= sign * (over_x / 2 + 0.1)
                xy[b][0] += sign * (over_x / 2 + 0.1)
            else:
                sign = 1.0 if (by + (bb[1] + bb[3]) / 2, b) > (ay + (ba[1] + ba[3]) / 2, a) else -1.0
                xy[a][1] -= sign * (over_y / 2 + 0.1)
                xy[b][1] += sign * (over_y / 2 + 0.1)
        for n, p in xy.items():
            b = boxes[n]
            if b[2] - b[0] <= rect[2] - rect[0]:
                p[0] = min(max(p[0], rect[0] - b[0]), rect[2] - b[2])
            if b[3] - b[1] <= rect[3] - rect[1]:
                p[1] = min(max(p[1], rect[1] - b[1]), rect[3] - b[3])
        if not moved:
            return


def _settle(xy: dict[str, list[float]], boxes: dict[str, Rect], first: list[str], rest: list[str], rect: Rect,
            step: float, rings: int = 40) -> None:
    """Where pushing left boxes meeting (a crowd round a hub), move each entity of ``first``, in
    order, to the free spot nearest it, searched in up to ``rings`` rings ``step`` apart: what
    settled first (the most connected, with their names) keeps its room. Then move each of
    ``rest`` off that room (they may still touch one another: in a crowded picture there is no
    room for every mark apart, and searching for it took half a minute at 500 entities)."""
    settled = _Boxes(cell=64 * step / 3)

    def at(n: str, x: float, y: float) -> Rect:
        b = boxes[n]
        return (x + b[0], y + b[1], x + b[2], y + b[3])

    for keep, group in ((True, first), (False, rest)):
        for n in group:
            x, y = xy[n]
            spot = at(n, x, y)
            if settled.meets(spot) or not _inside(spot, rect):
                for ring in range(1, rings + 1):
                    count = 8 * ring
                    found = None
                    for k in range(count):
                        angle = 2 * math.pi * k / count
                        cx, cy = x + ring * step * math.cos(angle), y + ring * step * math.sin(angle)
                        box = at(n, cx, cy)
                        if _inside(box, rect) and not settled.meets(box):
                            found = (cx, cy, box)
                            break
                    if found:
                        xy[n][0], xy[n][1], spot = found
                        break
            if keep:
                settled.add(spot)


def _draw_ties(ax: Any, G: nx.MultiDiGraph, xy: dict[str, list[float]], radius: dict[str, float],
               px: float) -> list[tuple[float, float, float, float]]:
    """Ties as one line collection per type, each from mark edge to mark edge, with arrowheads
    drawn in one quiver call per type; returns the lines drawn, to keep labels off them."""
    from matplotlib.collections import LineCollection

    from ecograph.view.style import styles_of

    REL_STYLE = styles_of(G)[1]  # the map's own, for this graph's model
    by_type: dict[str, list[tuple[tuple[float, float], tuple[float, float], float]]] = {}
    drawn = []
    for u, v, d in G.edges(data=True):
        if u == v:
            continue
        (x1, y1), (x2, y2) = xy[u], xy[v]
        length = math.hypot(x2 - x1, y2 - y1)
        if length <= radius[u] + radius[v]:
            continue
        ux, uy = (x2 - x1) / length, (y2 - y1) / length
        a = (x1 + ux * radius[u], y1 + uy * radius[u])
        b = (x2 - ux * (radius[v] + 1), y2 - uy * (radius[v] + 1))
        by_type.setdefault(d["type"], []).append((a, b, d.get("stake") or 0.0))
        drawn.append((a[0], a[1], b[0], b[1]))
    head = 7 * px
    for rel_type, segments in sorted(by_type.items()):
        colour, dashed = REL_STYLE.get(rel_type, ("#999999", False))
        lines = LineCollection([(a, b) for a, b, _ in segments], colors=colour,
                               linewidths=[0.8 + 3 * s for _, _, s in segments], linestyles=_line_style(dashed),
                               alpha=0.75, zorder=1)
        lines.set_gid(xml_text(f"ties {rel_type}"))
        ax.add_collection(lines)
        starts, deltas = [], []
        for a, b, _ in segments:
            length = math.hypot(b[0] - a[0], b[1] - a[1]) or 1.0
            ux, uy = (b[0] - a[0]) / length, (b[1] - a[1]) / length
            starts.append((b[0] - ux * head, b[1] - uy * head))
            deltas.append((ux * head, uy * head))
        ax.quiver([p[0] for p in starts], [p[1] for p in starts], [d[0] for d in deltas], [d[1] for d in deltas],
                  angles="xy", scale_units="xy", scale=1, color=colour, width=0.0015, headwidth=5,
                  headlength=5, headaxislength=4.5, alpha=0.85, zorder=2)
    return drawn


def _label_spots(x: float, y: float, r: float, w: float, h: float) -> list[tuple[float, float]]:
    """Centres a ``w`` × ``h`` label may take beside a mark of radius ``r`` at (x, y), best
    first: below (as on the map), right, above, left, the corners, then slid along each side.
    Each touches the mark's box with a small gap and never covers it."""
    g = _GAP_PX
    below, above = y + r + g + h / 2, y - r - g - h / 2
    right, left = x + r + g + w / 2, x - r - g - w / 2
    spots = [(x, below), (right, y), (x, above), (left, y),
             (right, below), (left, below), (right, above), (left, above)]
    for f in (0.5, -0.5):
        spots += [(right, y + f * h), (left, y + f * h)]
    for f in (0.3, -0.3, 0.45, -0.45):
        spots += [(x + f * w, below), (x + f * w, above)]
    return spots


def _slack(box: Rect) -> Rect:
    """A text's box grown a little: an SVG lays text out at 72 dpi, where hinting makes a line
    up to a percent wider than at the PNG's resolution, and two labels placed edge to edge met."""
    grow = 1.0 + 0.006 * (box[2] - box[0])
    return (box[0] - grow, box[1] - 1.0, box[2] + grow, box[3] + 1.0)


def _box(cx: float, cy: float, w: float, h: float) -> Rect:
    return (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)


class _Placer:
    """Places labels and stakes on the drawing, each clear of every mark and of what is placed."""

    def __init__(self, ax: Any, area: Rect, picture: Picture, families: list[str], measure: _Measure,
                 crossings: _Segments | None) -> None:
        self.ax, self.area, self.picture, self.families, self.measure = ax, area, picture, families, measure
        self.crossings = crossings
        px = ax.figure.dpi / 72
        self.pad = _PAD * LABEL_PT * px
        self.taken = _Boxes(cell=40 * px)
        for x, y, r in picture.marks.values():
            self.taken.add((x - r - 1, y - r - 1, x + r + 1, y + r + 1))
        self.bbox = {"boxstyle": f"square,pad={_PAD}", "facecolor": "white", "edgecolor": "none", "alpha": 0.85}

    def _free(self, box: Rect) -> bool:
        return _inside(box, self.area) and not self.taken.meets(_slack(box))

    def _text(self, box: Rect, text: str, gid: str, **style: Any) -> Any:
        self.taken.add(_slack(box))
        return self.ax.text((box[0] + box[2]) / 2, (box[1] + box[3]) / 2, text, fontsize=LABEL_PT, ha="center",
                            va="center", fontfamily=self.families, bbox=self.bbox, gid=xml_text(gid), **style)

    def label(self, n: str, text: str, size: tuple[float, float]) -> None:
        """The label of ``n`` at the free spot beside its mark that crosses the fewest ties."""
        w, h = size
        x, y, r = self.picture.marks[n]
        best = None
        for rank, (cx, cy) in enumerate(_label_spots(x, y, r, w, h)):
            b = _box(cx, cy, w, h)
            if not self._free(b):
                continue
            cost = (self.crossings.crossing(b) if self.crossings else 0) + rank / 100
            if best is None or cost < best[0]:
                best = (cost, b)
            if cost < 0.05:  # free of ties, among the first spots: as good as it gets
                break
        if best is not None:
            self.picture.labels[n] = self._text(best[1], text, f"label {n}", multialignment="center",
                                                linespacing=1.15, zorder=4)

    def stake(self, u: str, v: str, text: str, colour: str, hint: tuple[float, float] | None = None,
              keep_clear: _Boxes | None = None) -> bool:
        """A stake on the tie from ``u`` to ``v``: in its middle if free, else the free spot
        nearest the middle, on the line or beside it, else at ``hint`` (the room the layout
        kept for it); clear of ``keep_clear`` too when given. Returns whether it found room."""
        w, h = self.measure(text, LABEL_PT, "bold")
        w, h = w + 2 * self.pad, h + 2 * self.pad
        (x1, y1, _), (x2, y2, _) = self.picture.marks[u], self.picture.marks[v]
        length = math.hypot(x2 - x1, y2 - y1) or 1.0
        ax_, ay = -(y2 - y1) / length, (x2 - x1) / length  # across the tie
        spots = [(x1 + t * (x2 - x1) + s * ax_ * h, y1 + t * (y2 - y1) + s * ay * h)
                 for t in (0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8, 0.1, 0.9) for s in (0, 0.8, -0.8, 1.6, -1.6)]
        for cx, cy in spots + ([hint] if hint else []):
            b = _box(cx, cy, w, h)
            if self._free(b) and not (keep_clear and keep_clear.meets(_slack(b))):
                self.picture.stakes.append(self._text(b, text, f"stake {u} {v}", fontweight="bold",
                                                      color=colour, zorder=5))
                return True
        return False


@dataclass
class _Page:
    """The figure and what each step of drawing on it measures with, in pixels."""

    fig: Any
    measure: _Measure
    families: list[str]
    W: float
    H: float
    px: float  # pixels to a point
    margin: float
    dpi: int


@dataclass
class _Room:
    """Where the marks went (step 2), and the names and stakes room was kept for."""

    xy: dict[str, list[float]]
    radius: dict[str, float]
    order: list[str]  # every entity, most connected first
    candidates: list[str]  # those that may be named: a prefix of order
    texts: dict[str, str]
    sizes: dict[str, tuple[float, float]]
    reserved: list[str]  # the names given room: a prefix of candidates
    stake_ties: list[tuple[str, str, dict[str, Any]]]
    hints: dict[tuple[str, str], tuple[float, ...]]  # the spot kept for each stake


def draw_picture(G: nx.MultiDiGraph, *, title: str = "", width: int | None = None, height: int | None = None,
                 dpi: int = 150, lang: str = "both", seed: int = 42, footer: str | None = None) -> Picture:
    """Draw ``G`` (positions as the HTML map's) on a ``width`` × ``height`` pixel page (by
    default as :func:`picture_size` says: bigger for a big view, so that it can name more).

    ``footer`` is the line at the page's foot; by default the sources of ``G``'s ties (the
    sections and studies, written out). Every text drawn goes through
    :func:`~ecograph.export.xmltext.xml_text`: an SVG keeps it as XML text, which cannot hold
    control characters.
    """
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    from ecograph.view.style import styles_of

    KIND_STYLE, REL_STYLE = styles_of(G)  # the map's own, for this graph's model

    width, height = picture_size(G, width, height, dpi)
    font = cjk_font()
    families = ([font] if font else []) + ["DejaVu Sans"]
    fig = plt.figure(figsize=(width / dpi, height / dpi), dpi=dpi)
    page = _Page(fig, _Measure(fig, families), families, float(width), float(height), dpi / 72, _MARGIN_IN * dpi, dpi)
    picture = Picture(fig, font)

    # 1. The page: title, foot, legend, drawing.
    area, note_y = _draw_frame(page, G, title, footer)
    W, H = page.W, page.H
    ax = fig.add_axes((area[0] / W, 1 - area[3] / H, (area[2] - area[0]) / W, (area[3] - area[1]) / H))
    ax.set_axis_off()
    ax.set_xlim(area[0], area[2])
    ax.set_ylim(area[3], area[1])  # data units are the page's pixels, y down as in the browser
    if not len(G):
        return picture

    # 2. Marks where the map has them, scaled into the drawing and pushed apart where they meet.
    room = _lay_out_room(G, page, area, lang, font is not None, seed)
    by_kind: dict[str, list[str]] = {}
    for n in sorted(G.nodes):
        by_kind.setdefault(G.nodes[n].get("kind") or "", []).append(n)
    xy, radius, px = room.xy, room.radius, page.px
    for kind, members in sorted(by_kind.items()):  # one scatter per kind: fast at thousands of entities
        colour, shape = KIND_STYLE.get(kind, ("#999999", "dot"))
        marks = ax.scatter([xy[n][0] for n in members], [xy[n][1] for n in members],
                           s=[(2 * radius[n] / px) ** 2 for n in members], c=colour, marker=_MARKERS.get(shape, "o"),
                           edgecolors="white", linewidths=0.5, zorder=3)
        marks.set_gid(xml_text(f"entities {kind}"))
    picture.marks = {n: (xy[n][0], xy[n][1], radius[n]) for n in G}
    ties = _draw_ties(ax, G, xy, radius, px)

    # 3. Stakes on their ties, the names given room, then the other names where room is left.
    placer = _Placer(ax, area, picture, families, page.measure, _Segments(60 * px, ties) if len(ties) <= 3000 else None)
    unplaced = _place_texts(placer, picture, room, REL_STYLE, px)
    picture.unnamed = [n for n in room.order if n not in picture.labels]
    _draw_note(page, len(G), len(picture.unnamed), unplaced, note_y)
    return picture


def _draw_frame(page: _Page, G: nx.MultiDiGraph, title: str, footer: str | None) -> tuple[Rect, float]:
    """Draw the title, the sources at the foot and the legend; return the drawing's rectangle
    and where the note under it goes (pixels from the page's top)."""
    fig, measure, families, W, H, px, margin = (page.fig, page.measure, page.families, page.W, page.H, page.px,
                                                page.margin)
    top = margin
    if title:
        lines = _wrap(xml_text(title), W - 2 * margin, TITLE_PT, measure, 2, "bold")
        fig.text(0.5, 1 - top / H, "\n".join(lines), fontsize=TITLE_PT, fontweight="bold", ha="center", va="top",
                 fontfamily=families, linespacing=1.15, gid="title")
        top += measure("\n".join(lines), TITLE_PT, "bold")[1] + 0.6 * TITLE_PT * px
    if footer is None:
        from ecograph.data.dataset import sources

        footer = sources(G)
    row_h = LABEL_PT * _LINE * px
    foot_lines = _wrap(xml_text(footer), W - 2 * margin, LABEL_PT, measure, _FOOTER_LINES) if footer else []
    bottom = H - margin - (len(foot_lines) + 1) * row_h  # one line more: the note on unnamed entities
    for i, line in enumerate(foot_lines):
        fig.text(margin / W, 1 - (bottom + (i + 1.5) * row_h) / H, line, fontsize=LABEL_PT, va="center",
                 color="#444444", fontfamily=families, gid="sources")
    bottom -= 0.3 * row_h
    note_y = bottom + 0.3 * row_h + 0.5 * row_h
    legend_left = _draw_legend(fig, G, measure, W - margin, top, bottom, (W, H), families)
    return (margin, top, legend_left - 3 * margin, bottom), note_y


def _lay_out_room(G: nx.MultiDiGraph, page: _Page, area: Rect, lang: str, cjk: bool, seed: int) -> _Room:
    """The marks' places in ``area``: the map's layout, pushed apart with room kept below the
    most connected for their names and midway along each tie for its stake."""
    from ecograph.view.layout import layout
    from ecograph.words import percent

    measure, px = page.measure, page.px
    degree = dict(G.degree())
    most = max(degree.values(), default=0) or 1
    radius = {n: (7 + 9 * math.sqrt(degree[n] / most)) / 2 * px for n in G}
    inset = max(radius.values()) + _GAP_PX
    xy = _scaled(layout(G, seed), (area[0] + inset, area[1] + inset, area[2] - inset, area[3] - inset))
    # Room for the names of the most connected, as many as fill ROOM_FOR_NAMES of the drawing.
    pad = _PAD * LABEL_PT * px
    order = sorted(G.nodes, key=lambda n: (-degree[n], n))
    candidates = order[: max(LABEL_ALL, len(G) // 20)]
    texts = {n: "\n".join(part for line in _label(G.nodes[n], n, lang, cjk).split("\n")
                          for part in _wrap(line, LABEL_W_IN * page.dpi, LABEL_PT, measure, 2))
             for n in candidates}
    sizes = {n: (lambda wh: (wh[0] + 2 * pad, wh[1] + 2 * pad))(measure(texts[n], LABEL_PT)) for n in candidates}
    budget = ROOM_FOR_NAMES * (area[2] - area[0]) * (area[3] - area[1])
    # Each box a little wider than what is drawn in it: the placer keeps that much clear round marks and labels.
    boxes: dict[str, Rect] = {n: (-radius[n] - 2, -radius[n] - 2, radius[n] + 2, radius[n] + 2) for n in G}
    for n in candidates:
        w, h = sizes[n]
        r = radius[n]
        box = _slack(_slack((-max(r, w / 2), -r - 1, max(r, w / 2), r + _GAP_PX + h)))
        budget -= (box[2] - box[0]) * (box[3] - box[1])
        if budget < 0:
            break
        boxes[n] = box
    # Room for each stake too, midway along its tie: a stand-in pushed and settled with the
    # entities (in the seed's crowded core, two stakes found no free spot on their short ties).
    stake_ties = sorted(((u, v, d) for u, v, d in G.edges(data=True) if d.get("stake") is not None and u != v),
                        key=lambda e: (-e[2]["stake"], e[0], e[1], e[2]["type"]))
    stand_ins = {}
    for i, (u, v, d) in enumerate(stake_ties):
        w, h = measure(percent(d["stake"]), LABEL_PT, "bold")
        stand_in = f"\x00stake {i}"  # no entity id holds a NUL
        stand_ins[stand_in] = (u, v)
        xy[stand_in] = [(xy[u][0] + xy[v][0]) / 2, (xy[u][1] + xy[v][1]) / 2]
        boxes[stand_in] = _slack(_box(0, 0, w + 2 * pad, h + 2 * pad))
    _make_room(xy, boxes, area)
    reserved = [n for n in candidates if boxes[n][3] > radius[n] + 2]  # the names given room: a prefix
    _settle(xy, boxes, reserved + list(stand_ins), order[len(reserved):], area, 3 * px)
    hints = {stand_ins[n]: tuple(xy.pop(n)) for n in stand_ins}
    return _Room(xy, radius, order, candidates, texts, sizes, reserved, stake_ties, hints)


def _place_texts(placer: _Placer, picture: Picture, room: _Room, rel_style: dict[str, Any], px: float
                 ) -> list[tuple[Any, ...]]:
    """Place the stakes and the names; return the stakes left off for room."""
    from ecograph.words import percent

    # Stakes first, clear of the room kept below the names given room; any that find none
    # there try again once those names are placed.
    below = _Boxes(cell=40 * px)
    for n in room.reserved:
        x, y, r = picture.marks[n]
        w, h = room.sizes[n]
        below.add(_box(x, y + r + _GAP_PX + h / 2, w, h))
    later = []
    for u, v, d in room.stake_ties:
        stake = (u, v, percent(d["stake"]), rel_style.get(d["type"], ("#333333", False))[0], room.hints.get((u, v)))
        if not placer.stake(*stake, keep_clear=below):
            later.append(stake)
    for n in room.reserved:
        placer.label(n, room.texts[n], room.sizes[n])
    unplaced = [stake for stake in later if not placer.stake(*stake)]
    for n in room.candidates[len(room.reserved):]:
        placer.label(n, room.texts[n], room.sizes[n])
    return unplaced


def _draw_note(page: _Page, entities: int, unnamed: int, unplaced: list[Any], y: float) -> None:
    """The line under the drawing that says how many entities went unnamed and stakes left off."""
    notes = []
    if unnamed:
        notes.append(f"{unnamed:,} of {entities:,} entities unnamed for room (the least connected)")
    if unplaced:
        notes.append(f"{len(unplaced):,} stake{'s' if len(unplaced) != 1 else ''} left off for room")
    if notes:
        note = "; ".join(notes) + "; a bigger picture shows more"
        page.fig.text(page.margin / page.W, 1 - y / page.H, note, fontsize=LABEL_PT, va="center",
                      color="#444444", fontstyle="italic", fontfamily=page.families, gid="note")


def draw(G: nx.MultiDiGraph, **options: Any) -> tuple[Any, str | None]:
    """A matplotlib figure of ``G`` and the CJK font used (options as :func:`draw_picture`)."""
    picture = draw_picture(G, **options)
    return picture.figure, picture.font


def _metadata(fmt: str) -> dict[str, Any]:
    """The picture's metadata: ecograph's mark (so an export may replace it later); an SVG
    without a date, so the same graph gives the same file."""
    if fmt == "svg":
        return {"Creator": output_mark(), "Date": None}
    return {"Software": output_mark()}


def render_picture(G: nx.MultiDiGraph, fmt: str, **options: Any) -> tuple[bytes, str | None]:
    """The picture of ``G`` as PNG or SVG bytes (options as :func:`draw_picture`), and the CJK font used."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "ecograph"}):
        picture = draw_picture(G, **options)
        buffer = io.BytesIO()
        picture.figure.savefig(buffer, format=fmt, dpi=options.get("dpi", 150), metadata=_metadata(fmt))
        plt.close(picture.figure)
    return buffer.getvalue(), picture.font


def write_png(G: nx.MultiDiGraph, path: str | os.PathLike[str], **options: Any) -> str | None:
    """Write a PNG of exactly ``width`` × ``height`` pixels (by default :func:`picture_size`'s);
    returns the CJK font used (or None)."""
    data, font = render_picture(G, "png", **options)
    atomic_write_bytes(path, data)
    return font


def write_svg(G: nx.MultiDiGraph, path: str | os.PathLike[str], **options: Any) -> str | None:
    """Write an SVG whose labels stay text; returns the CJK font used (or None)."""
    data, font = render_picture(G, "svg", **options)
    atomic_write_bytes(path, data)
    return font
