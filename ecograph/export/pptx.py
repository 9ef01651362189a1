"""A PowerPoint deck (16:9): a title slide, then per view a slide drawing it as native,
editable shapes, its key ties as a table, and an appendix of what did not fit.

Each view slide holds the view drawn by :mod:`ecograph.export.slides` (entities as shapes with
their labels, ties as connectors glued to them, stakes on equity ties), a legend of the kinds and
tie types it shows, and a "Sources" footer naming the report sections and the studies its ties
cite, in at most two lines: when the sections written out need more, the footer cites them by
number ("TIER 2015 §貳.四, §參.一; citing …") and a "Sources" slide at the end of the deck writes
each out. The key ties follow as a table in words (stakes first), continued over as many slides as
it needs. With ``as_picture`` the view is the PNG of :mod:`ecograph.export.image` instead.

    write_pptx([("Alibaba's equity ties", G1), ("Logistics", G2)], "deck.pptx", title="Ecosystem")
"""

from __future__ import annotations

import io
import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ecograph.data.dataset import descriptions_of, sources, sources_by_work
from ecograph.export.slides import (
    INCH, MAX_ENTITIES, PT, SLIDE_H, SLIDE_W, Box, alliance_view, capacity, draw_legend, draw_view, entity_list, fit_view,
    add_run, legend_height, text_width, write_text,
)
from ecograph.fileio import atomic_write_bytes, output_mark

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["DeckWritten", "write_pptx", "key_ties"]

MAX_TIES = 24  # key ties per view; the table continues over as many slides as it needs

# The slide's blocks, in EMU: margins, the title band, the gap between blocks.
MARGIN = int(0.45 * INCH)
TITLE_TOP, TITLE_H = int(0.3 * INCH), int(0.75 * INCH)
BODY_TOP = TITLE_TOP + TITLE_H + int(0.15 * INCH)
GUTTER = int(0.12 * INCH)
NOTE_H = int(0.3 * INCH)
FOOTER_PT = 10
FOOTER_LINES = 2  # a footer longer than this cites sections by number; the Sources slide writes them out
TABLE_PT = 11
CELL_MARGIN = int(0.05 * INCH)


def _context_words(G: nx.MultiDiGraph, most: int = 3) -> str:
    """The context ties a slide leaves to its table, in words: the shipped data's kinds of
    context, or the first context types of the graph's own model."""
    from ecograph.data import schema
    from ecograph.words import tie_words

    model = schema.model_of(G)
    if model.is_shipped:
        return "places, markets, policies"
    present = sorted({t for _, _, t in G.edges(data="type") if t not in model.alliance_types})
    words = [tie_words(t, model) for t in present[:most]]
    return ", ".join(words) + (", …" if len(present) > most else "")


def key_ties(G: nx.MultiDiGraph, limit: int = MAX_TIES) -> list[tuple[str, str, str, str, str]]:
    """The view's key ties as (who, tie in words, whom, stake or year, source): ties with a
    stake first, largest first, then alliances (dated ones newest first), then context ties."""
    from ecograph.data import schema
    from ecograph.words import entity_name, percent, tie_words

    rows = []
    model = schema.model_of(G)
    alliances = set(model.alliance_types)
    for u, v, d in G.edges(data=True):
        stake, year = d.get("stake"), d.get("year")
        detail = percent(stake) + (f" ({year})" if year else "") if stake is not None else (str(year) if year else "")
        # Stakes first, then alliances before context (a market or a place), newest first.
        context = 2 if d["type"] not in alliances else 0
        order = (0, -stake) if stake is not None else ((1 + context, -year) if year else (2 + context, 0))
        rows.append((order, d["type"], entity_name(G, u), entity_name(G, v), detail, tie_words(d["type"], model),
                     d.get("source") or ""))
    rows.sort(key=lambda r: (r[0], r[1], r[2], r[3]))
    return [(who, words, whom, detail, source) for _, _, who, whom, detail, words, source in rows[:limit]]


@dataclass(frozen=True)
class DeckWritten:
    """What :func:`write_pptx` wrote: how many slides, and the CJK font its pictures used
    (``None`` when it drew no picture, or found no such font)."""

    slides: int
    font: str | None


def write_pptx(
    views: Sequence[tuple[str, nx.MultiDiGraph]],
    path: str | os.PathLike[str],
    *,
    title: str = "China e-commerce alliance network",
    subtitle: str | None = None,
    seed: int = 42,
    max_entities: int = MAX_ENTITIES,
    as_picture: bool = False,
    names: nx.MultiDiGraph | None = None,
    lang: str = "both",
) -> DeckWritten:
    """Write the deck (atomically); returns how many slides it has and the CJK font its
    pictures used (``as_picture``). ``subtitle`` defaults to the sources of all views. A view
    with more than ``max_entities`` entities (or more than fit readably) shows the most
    connected and lists the rest in an appendix. ``names`` is the graph the views come from,
    to name the studies their ties cite. ``lang`` (``en``, ``zh``, ``both``) is the language of
    the entities' labels in the drawings, as on the map."""
    from pptx import Presentation

    deck = Presentation()
    deck.slide_width, deck.slide_height = SLIDE_W, SLIDE_H
    everything = _union([G for _, G in views])
    _title_slide(deck, title, subtitle if subtitle is not None else _deck_subtitle(everything))
    font = None
    names = names if names is not None else everything
    shortened = False
    for view_title, G in views:
        slide = _slide(deck, view_title)
        footer_text = _footer_text(G, names)
        shortened |= footer_text != sources(G, names)
        footer = _footer(slide, footer_text)
        area = Box(MARGIN, BODY_TOP, SLIDE_W - 2 * MARGIN, footer.top - BODY_TOP - GUTTER)
        left_out: list[str] = []
        if as_picture:
            font = _picture(slide, G, area, seed, lang)
        else:
            drawn = alliance_view(G)
            legend_h = legend_height(drawn, area.width)
            view_area = Box(area.left, area.top, area.width, area.height - legend_h - GUTTER)
            if G.number_of_nodes() > min(max_entities, capacity(view_area)) or drawn is not G:
                view_area = Box(view_area.left, view_area.top, view_area.width, view_area.height - NOTE_H)
            shown, _ = fit_view(drawn, min(max_entities, capacity(view_area)))
            left_out = sorted((n for n in G if n not in shown), key=lambda n: (-G.degree(n), G.nodes[n].get("name_en", n), n))
            notes = []
            if left_out:
                notes.append(f"+ {len(left_out):,} more entities in the appendix (the {len(shown):,} with the most "
                             f"{'alliance ' if drawn is not G else ''}ties are drawn)")
            if drawn is not G:
                notes.append(f"context ties ({_context_words(G)}) are in the key ties")
            if notes:
                _note(slide, Box(view_area.left, view_area.bottom, view_area.width, NOTE_H), "; ".join(notes))
            draw_view(slide, shown, view_area, seed=seed, lang=lang)
            draw_legend(slide, shown, Box(area.left, area.bottom - legend_h, area.width, legend_h))
        _ties_slides(deck, view_title, key_ties(G), footer_text)
        if left_out:
            _appendix(deck, view_title, entity_list(G, left_out))
    if shortened:
        _sources_slides(deck, _source_lines(everything, names))
    # PowerPoint writes its user here when it saves: a deck edited by a person is no longer ecograph's.
    deck.core_properties.last_modified_by = output_mark()
    buffer = io.BytesIO()
    deck.save(buffer)
    atomic_write_bytes(path, buffer.getvalue())
    return DeckWritten(len(deck.slides), font)


def _union(graphs: list[nx.MultiDiGraph]) -> nx.MultiDiGraph:
    import networkx as nx

    return nx.compose_all(graphs) if graphs else nx.MultiDiGraph()


def _deck_subtitle(G: nx.MultiDiGraph) -> str:
    """Where the views come from, by the data sets' own words; neutral for data that says nothing."""

    works = [d.source for d in descriptions_of(G) if d.source.get("title")]
    if not works:
        return "Drawn with ecograph"
    named = "; ".join(f"{w['title']}" + (f" ({w['short']})" if w.get("short") else "") for w in works)
    return f"From {named}; drawn with ecograph"


def _blank(deck: Any) -> Any:
    return deck.slides.add_slide(deck.slide_layouts[6])  # blank: no 4:3 placeholders to misplace


def _title_slide(deck: Any, title: str, subtitle: str) -> None:
    """The deck's first slide: ``title`` in at most two lines (40 pt, smaller for a long one,
    down to 24 pt; a line breaks at a word, so the estimate keeps a fifth to spare), then the
    subtitle below it. A three-line title ran over the subtitle."""
    slide = _blank(deck)
    width = SLIDE_W - 2 * MARGIN
    size = 40
    while size > 24 and text_width(title, size) * 1.1 * 1.2 > 2 * width:  # bold is wider
        size -= 2
    box = slide.shapes.add_textbox(MARGIN, int(2.4 * INCH), width, int(1.4 * INCH))
    box.name = "title"
    write_text(box.text_frame, [title], size, bold=True, align="center")
    sub = slide.shapes.add_textbox(MARGIN, int(4.0 * INCH), SLIDE_W - 2 * MARGIN, int(1.2 * INCH))
    sub.name = "subtitle"
    write_text(sub.text_frame, [subtitle], 18, colour="#555555", align="center")


def _slide(deck: Any, title: str) -> Any:
    """A blank slide with ``title`` on one line: 28 pt, smaller (to 18 pt) for a long title,
    cut with "…" past that, so it never runs into the body."""
    slide = _blank(deck)
    width = SLIDE_W - 2 * MARGIN
    size = 28
    while size > 18 and text_width(title, size) * 1.1 > width:  # bold is wider
        size -= 2
    shown = title
    if text_width(shown, size) * 1.1 > width:
        while len(shown) > 1 and text_width(shown + "…", size) * 1.1 > width:
            shown = shown[:-1]
        shown = shown.rstrip() + "…"
    box = slide.shapes.add_textbox(MARGIN, TITLE_TOP, width, TITLE_H)
    box.name = "title"
    write_text(box.text_frame, [shown], size, bold=True)
    return slide


def _lines(text: str, width: int = SLIDE_W - 2 * MARGIN) -> int:
    return max(1, -(-text_width(text, FOOTER_PT) // width))


def _cited_by_number(G: nx.MultiDiGraph, names: nx.MultiDiGraph) -> tuple[list[str], list[str]]:
    """The view's sources, short: per data set that describes itself, its citation and the
    sections' numbers (``TIER 2015 §貳.四, §參.一``), then other ``source`` cells; and the
    studies cited, by name."""
    by_set, others = sources_by_work(G, names, short=True)
    parts = [f"{citation} {', '.join(codes)}" for citation, codes in by_set.items()] + others
    cited = list(dict.fromkeys(d["cited"] for _, _, d in G.edges(data=True) if d.get("cited")))
    return parts, [names.nodes[c].get("name_en", c) if c in names else c for c in cited]


def _footer_text(G: nx.MultiDiGraph, names: nx.MultiDiGraph) -> str:
    """The footer of a view's slides: its sources written out when they fit in FOOTER_LINES
    lines, else by number with the titles on the Sources slide, cut to FOOTER_LINES lines
    ("… and N more") when even that is longer."""
    full = sources(G, names)
    if _lines(full) <= FOOTER_LINES:
        return full
    parts, studies = _cited_by_number(G, names)
    items = [(p, "; ") for p in parts] + [(f"citing {s}" if i == 0 else s, "; ") for i, s in enumerate(studies)]
    end = " (titles on the Sources slide)"
    for keep in range(len(items), 0, -1):
        text = "Sources: " + "".join(item + (sep if i < keep - 1 else "") for i, (item, sep) in enumerate(items[:keep]))
        if keep < len(items):
            text += f" … and {len(items) - keep} more"
        text += end
        if _lines(text) <= FOOTER_LINES:
            return text
    return "Sources: on the Sources slide"


def _source_lines(G: nx.MultiDiGraph, names: nx.MultiDiGraph) -> list[tuple[str, bool]]:
    """Every source of the deck written out, one a line, for the Sources slide: (text, heading)."""
    by_set, others = sources_by_work(G, names)
    lines: list[tuple[str, bool]] = []
    for work, sections in by_set.items():
        lines += [(work, True)] + [(section, False) for section in sections]
    if others:
        lines += [("Other sources", True)] + [(other, False) for other in others]
    _, studies = _cited_by_number(G, names)
    if studies:
        lines += [("Studies cited", True)] + [(study, False) for study in studies]
    return lines


def _sources_slides(deck: Any, lines: list[tuple[str, bool]]) -> None:
    """The deck's sources written out, in two columns filled line by line (a long one wraps),
    over as many slides as it takes."""
    from pptx.util import Pt

    column_w = (SLIDE_W - 2 * MARGIN) // 2 - GUTTER
    height = SLIDE_H - BODY_TOP - int(0.4 * INCH)
    room = int(height // (FOOTER_PT * 1.5 * PT)) - 1  # lines a column holds, one spare for the renderer
    columns: list[list[tuple[str, bool]]] = [[]]
    used = 0
    for text, heading in lines:
        need = _lines(text, int(column_w * 0.95))
        if columns[-1] and used + need > room:
            columns.append([])
            used = 0
        columns[-1].append((text, heading))
        used += need
    for page, first in enumerate(range(0, len(columns), 2), 1):
        slide = _slide(deck, "Sources" + (f" ({page})" if page > 1 else ""))
        for col, chunk in enumerate(columns[first:first + 2]):
            box = slide.shapes.add_textbox(MARGIN + col * (column_w + GUTTER), BODY_TOP, column_w, height)
            box.name = f"sources list {col + 1}"
            frame = box.text_frame
            frame.word_wrap = True
            for i, (text, heading) in enumerate(chunk):
                paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
                run = paragraph.add_run()
                run.text = text
                run.font.size = Pt(FOOTER_PT)
                run.font.bold = heading


def _footer(slide: Any, text: str) -> Box:
    """The Sources line at the foot of the slide, as tall as its text needs (FOOTER_LINES at most)."""
    width = SLIDE_W - 2 * MARGIN
    lines = _lines(text, width)
    height = int(lines * FOOTER_PT * 1.5 * PT)
    box = Box(MARGIN, SLIDE_H - int(0.3 * INCH) - height, width, height)
    footer = slide.shapes.add_textbox(box.left, box.top, box.width, box.height)
    footer.name = "sources"
    write_text(footer.text_frame, [text], FOOTER_PT, colour="#444444")
    return box


def _note(slide: Any, box: Box, text: str) -> None:
    note = slide.shapes.add_textbox(box.left, box.top, box.width, box.height)
    note.name = "note"
    write_text(note.text_frame, [text], 11, colour="#444444")


def _picture(slide: Any, G: nx.MultiDiGraph, area: Box, seed: int, lang: str = "both") -> str | None:
    """The view as the PNG of :mod:`ecograph.export.image`, fitted into ``area``."""
    from ecograph.export.image import render_picture

    width_px = 2000
    height_px = max(400, int(width_px * area.height / area.width))
    picture, font = render_picture(G, "png", title="", footer="", width=width_px, height=height_px, dpi=200, seed=seed,
                                   lang=lang)
    pic = slide.shapes.add_picture(io.BytesIO(picture), area.left, area.top, width=area.width, height=area.height)
    pic.name = "picture"
    return font


_TIE_COLUMNS = (("Who", 0.27), ("Tie", 0.16), ("Whom", 0.27), ("Stake / year", 0.12), ("Source", 0.18))


def _row_height(cells: Sequence[str], width: int) -> int:
    """A table row's height: its tallest cell's lines at a line height that holds Chinese
    (CJK fonts set lines half as high again as their size), plus the cell's margins."""
    lines = max(max(1, -(-text_width(text, TABLE_PT) // int(share * width - 3 * CELL_MARGIN)))
                for text, (_, share) in zip(cells, _TIE_COLUMNS))
    return int(lines * TABLE_PT * 1.5 * PT + 2 * CELL_MARGIN + 0.04 * INCH)


def _ties_slides(deck: Any, view_title: str, ties: list[tuple[str, ...]], footer_text: str) -> None:
    """The key ties as a table, over as many slides as it takes: no row crosses the footer."""
    from pptx.util import Pt

    if not ties:
        return
    width = SLIDE_W - 2 * MARGIN
    header = [name for name, _ in _TIE_COLUMNS]
    start, page = 0, 1
    while start < len(ties):
        slide = _slide(deck, ("Key ties" if page == 1 else f"Key ties (continued, {page})") + f": {view_title}")
        footer = _footer(slide, footer_text)
        room = footer.top - GUTTER - BODY_TOP - _row_height(header, width)
        rows, used = [], 0
        for tie in ties[start:]:
            h = _row_height(tie, width)
            if rows and used + h > room:
                break
            rows.append((tie, h))
            used += h
        heights = [_row_height(header, width)] + [h for _, h in rows]
        shape = slide.shapes.add_table(len(rows) + 1, len(header), MARGIN, BODY_TOP, width, sum(heights))
        shape.name = "key ties"
        table = shape.table
        for col, (_, share) in enumerate(_TIE_COLUMNS):
            table.columns[col].width = int(share * width)
        for r, h in enumerate(heights):
            table.rows[r].height = h
        for r, cells in enumerate([header] + [tie for tie, _ in rows]):
            for col, text in enumerate(cells):
                cell = table.cell(r, col)
                cell.margin_top = cell.margin_bottom = CELL_MARGIN
                cell.margin_left = cell.margin_right = CELL_MARGIN
                if text and not any(c in text for c in "\n\v\r"):  # one run, written directly (see add_run)
                    add_run(cell.text_frame.paragraphs[0], text, TABLE_PT, colour=None, bold=r == 0, align=None)
                    continue
                cell.text = text
                for p in cell.text_frame.paragraphs:
                    for run in p.runs:
                        run.font.size = Pt(TABLE_PT)
                        run.font.bold = r == 0
        start += len(rows)
        page += 1


def _appendix(deck: Any, view_title: str, names: list[str]) -> None:
    """The entities a view left out, in three columns, over as many slides as it takes."""
    per_column = 22
    for page, first in enumerate(range(0, len(names), per_column * 3), 1):
        slide = _slide(deck, f"Appendix: {view_title}" + (f" ({page})" if page > 1 else ""))
        width = (SLIDE_W - 2 * MARGIN) // 3
        for col in range(3):
            chunk = names[first + col * per_column:first + (col + 1) * per_column]
            if not chunk:
                break
            box = slide.shapes.add_textbox(MARGIN + col * width, BODY_TOP, width - GUTTER,
                                           SLIDE_H - BODY_TOP - int(0.4 * INCH))
            box.name = f"appendix {col + 1}"
            write_text(box.text_frame, chunk, 10)
