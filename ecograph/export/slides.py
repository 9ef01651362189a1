"""A view drawn on a 16:9 slide as native PowerPoint shapes, not a picture.

Each entity is a shape in its kind's colour and form, grouped with its label (so moving it in
PowerPoint moves both); each tie a straight connector glued to both shapes, with an arrowhead,
so a moved entity keeps its ties; equity ties carry their stake. The steps, in order:

1. :func:`fit_view` keeps the most connected entities when a view has more than fit readably
   (the rest are listed on an appendix slide);
2. :func:`place` scales the map's own layout into the drawing area and pushes apart every pair
   of node-plus-label boxes that overlap, so no label covers another at 10 pt;
3. :func:`draw_view` draws the shapes, connectors, stakes and a legend of what the slide shows.

Sizes are in EMU (914,400 to the inch), the unit python-pptx works in.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ecograph.data import schema
from ecograph.words import entity_name, kind_words, percent, tie_words


def qn(tag: str) -> str:
    """A namespaced XML tag for python-pptx's elements (``a:tailEnd``)."""
    from pptx.oxml.ns import qn as pptx_qn

    return pptx_qn(tag)

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["INCH", "PT", "SLIDE_W", "SLIDE_H", "MAX_ENTITIES", "Box", "alliance_view", "capacity", "fit_view", "place", "draw_view",
           "draw_legend", "legend_height", "label_lines", "entity_list", "text_width", "write_text", "add_run",
           "form_of"]

INCH = 914_400
PT = 12_700
SLIDE_W, SLIDE_H = int(13.333 * INCH), int(7.5 * INCH)
MAX_ENTITIES = 40  # more than this on one slide and 10-pt labels no longer fit beside each other

NODE = int(0.3 * INCH)  # an entity's shape
LABEL_PT = 10
LABEL_W = int(1.45 * INCH)  # a label wraps at this width: two lines, English over Chinese

# The map's node shapes (every one a schema file may name, ecograph.data.schemafile.SHAPES) as
# PowerPoint's closest preset forms: a downward triangle is the flowchart "merge", vis-network's
# "database" the "can" cylinder, and "text" (the map draws the label alone) a plain rectangle.
_FORMS = {
    "dot": "OVAL", "circle": "OVAL", "ellipse": "OVAL", "square": "RECTANGLE", "text": "RECTANGLE",
    "box": "ROUNDED_RECTANGLE", "diamond": "DIAMOND", "triangle": "ISOSCELES_TRIANGLE",
    "triangleDown": "FLOWCHART_MERGE", "hexagon": "HEXAGON", "star": "STAR_5_POINT", "database": "CAN",
}
# Where each form's connection sites sit, as fractions of its box, in the order the preset
# defines them (ECMA-376 presetShapeDefinitions, cxnLst; a connector's glue names a site by its
# index). A star's are its five points, a hexagon's its six corners.
_R = math.sqrt(0.5) / 2
_SITES = {
    "OVAL": [(0.5, 0.0), (0.5 - _R, 0.5 - _R), (0.0, 0.5), (0.5 - _R, 0.5 + _R), (0.5, 1.0), (0.5 + _R, 0.5 + _R),
             (1.0, 0.5), (0.5 + _R, 0.5 - _R)],
    "RECTANGLE": [(0.5, 0.0), (0.0, 0.5), (0.5, 1.0), (1.0, 0.5)],
    "ROUNDED_RECTANGLE": [(0.5, 0.0), (0.0, 0.5), (0.5, 1.0), (1.0, 0.5)],
    "DIAMOND": [(0.5, 0.0), (0.0, 0.5), (0.5, 1.0), (1.0, 0.5)],
    "ISOSCELES_TRIANGLE": [(0.5, 0.0), (0.25, 0.5), (0.0, 1.0), (0.5, 1.0), (1.0, 1.0), (0.75, 0.5)],
    "FLOWCHART_MERGE": [(0.5, 0.0), (0.25, 0.5), (0.5, 1.0), (0.75, 0.5)],
    "HEXAGON": [(1.0, 0.5), (0.75, 1.0), (0.25, 1.0), (0.0, 0.5), (0.25, 0.0), (0.75, 0.0)],
    "STAR_5_POINT": [(0.5, 0.0), (0.0, 0.382), (0.191, 1.0), (0.809, 1.0), (1.0, 0.382)],
    "CAN": [(0.5, 0.25), (0.0, 0.5), (0.5, 1.0), (1.0, 0.5)],
}


def form_of(shape: str) -> str:
    """The PowerPoint preset form (an ``MSO_SHAPE`` name) that draws a map shape on a slide."""
    return _FORMS.get(shape, "OVAL")


@dataclass(frozen=True)
class Box:
    """A rectangle on the slide, in EMU."""

    left: int
    top: int
    width: int
    height: int

    @property
    def right(self) -> int:
        return self.left + self.width

    @property
    def bottom(self) -> int:
        return self.top + self.height

    def overlaps(self, other: Box) -> bool:
        return (self.left < other.right and other.left < self.right
                and self.top < other.bottom and other.top < self.bottom)


def text_width(text: str, size_pt: float) -> int:
    """The width of one line of ``text`` at ``size_pt``, estimated: a Chinese character is as
    wide as the type is high, a Latin letter a little over half."""
    ems = sum(1.0 if ord(ch) > 0x2E80 else 0.6 for ch in text)  # generous: fonts differ by viewer
    return int(ems * size_pt * PT)


def _fit_line(text: str, size_pt: float, width: int, lines: int) -> list[str]:
    """``text`` wrapped at ``width`` into at most ``lines`` lines, the last cut with "…" if the
    text is longer (the full name stays in the shape's name and the appendix)."""
    words = text.split(" ") if " " in text else list(text)
    joiner = " " if " " in text else ""
    out: list[str] = []
    current = ""
    for word in words:
        trial = f"{current}{joiner}{word}" if current else word
        if text_width(trial, size_pt) <= width or not current:
            current = trial
            continue
        out.append(current)
        current = word
    out.append(current)
    if len(out) > lines:
        last = out[lines - 1]
        while last and text_width(last + "…", size_pt) > width:
            last = last[:-1]
        out = out[: lines - 1] + [last.rstrip() + "…"]
    return out


def label_lines(G: nx.MultiDiGraph, node: str, lang: str = "both") -> list[str]:
    """An entity's label on a slide: its English name in up to two lines, its Chinese name in
    one; ``lang`` ``en`` or ``zh`` keeps one of them (an entity without a Chinese name keeps
    its English one)."""
    attrs = G.nodes[node]
    en, zh = attrs.get("name_en") or node, attrs.get("name_zh") or ""
    width = LABEL_W - int(0.08 * INCH)
    if lang == "zh" and zh:
        return _fit_line(zh, LABEL_PT, width, 2)
    lines = _fit_line(en, LABEL_PT, width, 2)
    if zh and zh != en and lang == "both":
        lines += _fit_line(zh, LABEL_PT, width, 1)
    return lines


# Every entity sits in a cell of a grid this size: its shape and a label of up to three lines,
# with room between neighbours, so no two labels can meet.
CELL_W = LABEL_W + int(0.12 * INCH)
CELL_H = NODE + int(3 * LABEL_PT * 1.25 * PT) + int(0.2 * INCH)


def capacity(area: Box) -> int:
    """How many entities fit readably in ``area``: one per grid cell."""
    return max(1, area.width // CELL_W) * max(1, area.height // CELL_H)


def alliance_view(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """What a slide draws of ``G``, as the map opens: its alliances (equity and deal ties and
    the entities they join) when it has any, else all of it. Context ties (where an entity is,
    which market or policy) stay in the key-ties table."""
    keep = [(u, v, k) for u, v, k, t in G.edges(keys=True, data="type") if t in schema.model_of(G).alliance_types]
    if not keep:
        return G
    return G.edge_subgraph(keep).copy()


def fit_view(G: nx.MultiDiGraph, limit: int = MAX_ENTITIES) -> tuple[nx.MultiDiGraph, list[str]]:
    """The part of ``G`` a slide shows: all of it up to ``limit`` entities, else the ``limit``
    with the most ties (ties by name for equal counts) and the ties among them. Returns it
    and the ids left out, most connected first."""
    if G.number_of_nodes() <= limit:
        return G, []
    order = sorted(G.nodes, key=lambda n: (-G.degree(n), G.nodes[n].get("name_en", n), n))
    kept = set(order[:limit])
    return G.subgraph(kept).copy(), order[limit:]


def _footprint(G: nx.MultiDiGraph, node: str, lang: str = "both") -> tuple[int, int]:
    """Width and height of an entity's shape with its label below it."""
    lines = label_lines(G, node, lang)
    width = min(LABEL_W, max(text_width(line, LABEL_PT) for line in lines) + int(0.12 * INCH))
    height = NODE + int(len(lines) * LABEL_PT * 1.25 * PT) + int(0.1 * INCH)
    return max(width, NODE), height


def _spread(values: dict[str, float]) -> dict[str, float]:
    """Each value's rank as a fraction in [0, 1]: the map's layout, evened out so a dense hub
    does not crowd one corner of the slide."""
    order = sorted(values, key=lambda n: (values[n], n))
    last = max(len(order) - 1, 1)
    return {n: i / last for i, n in enumerate(order)}


def place(G: nx.MultiDiGraph, area: Box, *, seed: int = 42, lang: str = "both") -> dict[str, Box]:
    """Each entity's box (shape above, label below) inside ``area``, none overlapping another.

    The map's layout, evened out by rank on each axis, says where each entity would like to be;
    the most connected entities then take the free grid cell nearest that spot, one by one.
    Neighbours on the map stay neighbours on the slide, and two boxes never meet. ``G`` must
    fit (:func:`capacity`); :func:`fit_view` trims it first.
    """
    from ecograph.view.layout import layout

    pos = layout(G, seed)
    if not pos:
        return {}
    cols, rows = max(1, area.width // CELL_W), max(1, area.height // CELL_H)
    if len(pos) > cols * rows:
        raise ValueError(f"{len(pos)} entities do not fit in {cols * rows} cells; trim the view first")
    # Centre the grid in the area: the spare room goes around it, not to one side.
    left = area.left + (area.width - cols * CELL_W) // 2
    top = area.top + (area.height - rows * CELL_H) // 2
    xs, ys = _spread({n: p[0] for n, p in pos.items()}), _spread({n: p[1] for n, p in pos.items()})
    free = {(c, r) for c in range(cols) for r in range(rows)}
    order = sorted(G.nodes, key=lambda n: (-G.degree(n), n))
    boxes = {}
    for n in order:
        want = (xs[n] * (cols - 1), ys[n] * (rows - 1))
        cell = min(free, key=lambda c: ((c[0] - want[0]) ** 2 + (c[1] - want[1]) ** 2, c))
        free.remove(cell)
        w, h = _footprint(G, n, lang)
        boxes[n] = Box(left + cell[0] * CELL_W + (CELL_W - w) // 2, top + cell[1] * CELL_H + (CELL_H - h) // 2, w, h)
    return boxes


def _rgb(hex_colour: str) -> Any:
    from pptx.dml.color import RGBColor

    return RGBColor.from_string(hex_colour.lstrip("#").upper())


def write_text(frame: Any, lines: list[str], size_pt: float, *, colour: str = "#222222", bold: bool = False,
               align: str = "left") -> None:
    """``lines`` as paragraphs of ``frame`` (a text box's, no margins, wrapping), one run each."""
    frame.word_wrap = True
    for side in ("margin_left", "margin_right", "margin_top", "margin_bottom"):
        setattr(frame, side, 0)
    for i, line in enumerate(lines):
        p = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        add_run(p, line, size_pt, colour=colour, bold=bold, align=align)


def add_run(paragraph: Any, text: str, size_pt: float, *, colour: str | None = "#222222", bold: bool = False,
            align: str | None = "left") -> None:
    """A run of ``text`` at the end of a python-pptx ``paragraph``, its size, weight, colour and
    the paragraph's alignment written as XML directly: the same XML python-pptx's ``font.color``
    and ``alignment`` write, without their generic fill machinery, which took a third of a
    10-view deck's time in text."""
    if align is not None:
        paragraph._p.get_or_add_pPr().set("algn", {"left": "l", "center": "ctr", "right": "r"}[align])
    r = paragraph._p.add_r()
    r.text = text
    properties = r.get_or_add_rPr()
    properties.set("sz", str(round(size_pt * 100)))
    properties.set("b", "1" if bold else "0")
    if colour is not None:
        fill = properties.makeelement(qn("a:solidFill"), {})
        fill.append(fill.makeelement(qn("a:srgbClr"), {"val": colour.lstrip("#").upper()}))
        properties.append(fill)


def _site(form: str, box: Box, toward: tuple[float, float]) -> tuple[int, tuple[int, int]]:
    """The connection site of a shape nearest a point: its index and where it is."""
    best = None
    for i, (fx, fy) in enumerate(_SITES[form]):
        x, y = box.left + fx * box.width, box.top + fy * box.height
        d = (x - toward[0]) ** 2 + (y - toward[1]) ** 2
        if best is None or d < best[0]:
            best = (d, i, (int(x), int(y)))
    return best[1], best[2]


def _free_spot(a: tuple[int, int], b: tuple[int, int], w: int, h: int, avoid: list[Box], area: Box) -> Box:
    """Where on the line from ``a`` to ``b`` (or just beside it) a ``w`` × ``h`` label covers no
    box of ``avoid``: the middle if it is free, else the free spot nearest it (the middle when
    none is). Beside the line too: on a short tie between two labelled entities, the line
    itself often has no room left."""
    length = math.hypot(b[0] - a[0], b[1] - a[1]) or 1.0
    across = (-(b[1] - a[1]) / length, (b[0] - a[0]) / length)
    spots = []
    for t in (0.5, 0.45, 0.55, 0.4, 0.6, 0.35, 0.65, 0.3, 0.7, 0.25, 0.75, 0.2, 0.8, 0.15, 0.85):
        for side in (0, 0.7, -0.7, 1.4, -1.4):
            cx = a[0] + t * (b[0] - a[0]) + side * across[0] * h
            cy = a[1] + t * (b[1] - a[1]) + side * across[1] * h
            spots.append(Box(int(cx - w / 2), int(cy - h / 2), w, h))
    inside = [s for s in spots if area.left <= s.left and s.right <= area.right and area.top <= s.top
              and s.bottom <= area.bottom]
    return next((s for s in inside if not any(s.overlaps(o) for o in avoid)), inside[0] if inside else spots[0])


def _glue(line: Any, begin: Any, begin_site: int, end: Any, end_site: int) -> None:
    """Attach a connector's ends to two shapes' connection sites, so PowerPoint keeps them joined
    when either moves. (python-pptx's ``begin_connect`` knows the four sites of a rectangle only;
    the connector is already drawn between the right points, so only the glue is written.)"""
    props = line._element.nvCxnSpPr.cNvCxnSpPr
    for tag, shape, site in (("a:stCxn", begin, begin_site), ("a:endCxn", end, end_site)):
        glue = props.find(qn(tag))
        if glue is None:
            glue = props.makeelement(qn(tag), {})
            props.append(glue)
        glue.set("id", str(shape.shape_id))
        glue.set("idx", str(site))


def draw_view(slide: Any, G: nx.MultiDiGraph, area: Box, *, seed: int = 42, lang: str = "both") -> dict[str, Box]:
    """Draw ``G`` on ``slide`` inside ``area``, labels in ``lang`` (see :func:`label_lines`);
    returns each entity's box (shape and label)."""
    from pptx.enum.shapes import MSO_CONNECTOR, MSO_SHAPE
    from pptx.enum.dml import MSO_LINE
    from pptx.util import Pt

    from ecograph.view.style import styles_of

    KIND_STYLE, REL_STYLE = styles_of(G)  # the map's own, for this graph's model

    boxes = place(G, area, seed=seed, lang=lang)
    shapes: dict[str, tuple[Any, str, Box]] = {}
    solid: list[Box] = []  # each entity's shape and label: a stake may sit in the corners beside a shape
    for n, box in boxes.items():
        colour, shape_name = KIND_STYLE.get(G.nodes[n].get("kind", ""), ("#999999", "dot"))
        form = form_of(shape_name)
        group = slide.shapes.add_group_shape()
        group.name = f"entity {n}"
        mark = Box(box.left + (box.width - NODE) // 2, box.top, NODE, NODE)
        shape = group.shapes.add_shape(getattr(MSO_SHAPE, form), mark.left, mark.top, mark.width, mark.height)
        shape.name = n
        shape.fill.solid()
        shape.fill.fore_color.rgb = _rgb(colour)
        shape.line.color.rgb = _rgb("#FFFFFF")
        shape.line.width = Pt(0.75)
        label = group.shapes.add_textbox(box.left, box.top + NODE + int(0.04 * INCH), box.width,
                                         box.height - NODE - int(0.04 * INCH))
        label.name = f"label {n}"
        label.fill.solid()  # ties run beneath the labels (see below), never through their text
        label.fill.fore_color.rgb = _rgb("#FFFFFF")
        write_text(label.text_frame, label_lines(G, n, lang), LABEL_PT, align="center")
        shapes[n] = (shape, form, mark)
        solid += [mark, Box(label.left, label.top, label.width, label.height)]
    # From here on only plain shapes join the slide (no group, whose shapes take ids of their
    # own): python-pptx may count on from the largest id instead of searching every id on the
    # slide for each new shape, which took a tenth of a 10-view deck's time.
    slide.shapes.turbo_add_enabled = True
    taken: list[Box] = []  # stake labels placed so far
    lines: list[Any] = []
    for u, v, d in G.edges(data=True):
        if u == v:
            continue
        (su, fu, bu), (sv, fv, bv) = shapes[u], shapes[v]
        cu = (bu.left + bu.width / 2, bu.top + bu.height / 2)
        cv = (bv.left + bv.width / 2, bv.top + bv.height / 2)
        iu, pu = _site(fu, bu, cv)
        iv, pv = _site(fv, bv, cu)
        line = slide.shapes.add_connector(MSO_CONNECTOR.STRAIGHT, *pu, *pv)
        line.name = f"{u} {d['type']} {v}"
        lines.append(line._element)
        _glue(line, su, iu, sv, iv)
        colour, dashed = REL_STYLE.get(d["type"], ("#999999", False))
        line.line.color.rgb = _rgb(colour)
        rel = schema.model_of(G).rel_types.get(d["type"])
        equity = rel is not None and rel.group == "equity"
        line.line.width = Pt(2.0 if equity else 1.0)
        if dashed:
            line.line.dash_style = MSO_LINE.DASH
        ln = line.line._get_or_add_ln()
        ln.append(ln.makeelement(qn("a:tailEnd"), {"type": "triangle", "w": "med", "len": "med"}))
        if d.get("stake") is not None:
            text = percent(d["stake"])
            w, h = text_width(text, LABEL_PT) + int(0.1 * INCH), int(LABEL_PT * 1.4 * PT)
            spot = _free_spot(pu, pv, w, h, solid + taken, area)
            taken.append(spot)
            stake = slide.shapes.add_textbox(spot.left, spot.top, spot.width, spot.height)
            stake.name = f"stake {u} {v}"
            stake.fill.solid()
            stake.fill.fore_color.rgb = _rgb("#FFFFFF")
            write_text(stake.text_frame, [text], LABEL_PT, colour=colour, bold=True, align="center")
    # Ties go beneath the entities: drawn on top, they crossed the labels' text. A connector
    # keeps its glue (it names its shapes by id), so only its place in the drawing order moves.
    first = next((s._element for s in slide.shapes if s.name.startswith("entity ")), None)
    for element in lines if first is not None else ():
        first.addprevious(element)
    return boxes


LEGEND_PT = 10
_LEGEND_ROW = int(LEGEND_PT * 1.6 * PT)
_MARK = int(0.16 * INCH)


def _legend_entries(G: nx.MultiDiGraph) -> list[tuple[str, str, str, int]]:
    """(what, name, words, width) for each kind and tie type in ``G``, kinds first."""
    kinds = sorted({a.get("kind", "") for _, a in G.nodes(data=True)})
    types = sorted({d["type"] for _, _, d in G.edges(data=True)})
    entries = []
    for what, name in [("kind", k) for k in kinds] + [("type", t) for t in types]:
        words = tie_words(name, schema.model_of(G)) if what == "type" else kind_words(name)
        entries.append((what, name, words, _MARK * 2 + int(0.1 * INCH) + text_width(words, LEGEND_PT) + int(0.3 * INCH)))
    return entries


def _legend_rows(G: nx.MultiDiGraph, width: int) -> list[list[tuple[str, str, str, int]]]:
    rows: list[list[tuple[str, str, str, int]]] = [[]]
    used = 0
    for entry in _legend_entries(G):
        if rows[-1] and used + entry[3] > width:
            rows.append([])
            used = 0
        rows[-1].append(entry)
        used += entry[3]
    return rows


def legend_height(G: nx.MultiDiGraph, width: int) -> int:
    """How tall the legend of ``G`` is at ``width``."""
    return len(_legend_rows(G, width)) * _LEGEND_ROW


def draw_legend(slide: Any, G: nx.MultiDiGraph, area: Box) -> Box:
    """A legend of the kinds and tie types on the slide, as shapes and lines, in rows inside
    ``area``; returns the box it used."""
    from pptx.enum.dml import MSO_LINE
    from pptx.enum.shapes import MSO_CONNECTOR, MSO_SHAPE
    from pptx.enum.text import MSO_ANCHOR
    from pptx.util import Pt

    from ecograph.view.style import styles_of

    KIND_STYLE, REL_STYLE = styles_of(G)  # the map's own, for this graph's model

    rows = _legend_rows(G, area.width)
    for r, row in enumerate(rows):
        x, y = area.left, area.top + r * _LEGEND_ROW
        for what, name, words, width in row:
            if what == "kind":
                colour, shape_name = KIND_STYLE.get(name, ("#999999", "dot"))
                form = form_of(shape_name)
                sym = slide.shapes.add_shape(getattr(MSO_SHAPE, form), x + _MARK // 2, y + (_LEGEND_ROW - _MARK) // 2,
                                             _MARK, _MARK)
                sym.fill.solid()
                sym.fill.fore_color.rgb = _rgb(colour)
                sym.line.fill.background()
            else:
                colour, dashed = REL_STYLE.get(name, ("#999999", False))
                sym = slide.shapes.add_connector(MSO_CONNECTOR.STRAIGHT, x, y + _LEGEND_ROW // 2, x + _MARK * 2,
                                                 y + _LEGEND_ROW // 2)
                sym.line.color.rgb = _rgb(colour)
                sym.line.width = Pt(2)
                if dashed:
                    sym.line.dash_style = MSO_LINE.DASH
            sym.name = f"legend {what} {name}"
            text = slide.shapes.add_textbox(x + _MARK * 2 + int(0.1 * INCH), y,
                                            width - _MARK * 2 - int(0.1 * INCH), _LEGEND_ROW)
            text.name = f"legend text {name}"
            write_text(text.text_frame, [words], LEGEND_PT)
            text.text_frame.vertical_anchor = MSO_ANCHOR.MIDDLE
            x += width
    return Box(area.left, area.top, area.width, len(rows) * _LEGEND_ROW)


def entity_list(G: nx.MultiDiGraph, ids: list[str]) -> list[str]:
    """``Name / 名稱 (Kind)`` for each id, for an appendix."""
    return [f"{entity_name(G, n)} ({G.nodes[n].get('kind', '')})" for n in ids]
