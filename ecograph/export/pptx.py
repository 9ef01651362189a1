"""A PowerPoint deck: a title slide, then per view its picture, its key ties and its sources.

Each view slide holds the picture of :mod:`ecograph.export.image` (with its legend), a short
table of the view's key relationships (who, type, whom, stake or year: stakes first) and a
"Sources" footer naming the report sections and the original studies its ties cite.

    write_pptx([("Alibaba's equity ties", G1), ("Logistics", G2)], "deck.pptx", title="Ecosystem")
"""

from __future__ import annotations

import io
import os
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ecograph.fileio import atomic_write_bytes, output_mark

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["write_pptx", "key_ties", "sources"]

MAX_TIES = 8


def _name(G: nx.MultiDiGraph, node: str) -> str:
    a = G.nodes[node]
    en, zh = a.get("name_en", node), a.get("name_zh", "")
    return f"{en} / {zh}" if zh and zh != en else en


def key_ties(G: nx.MultiDiGraph, limit: int = MAX_TIES) -> list[tuple[str, str, str, str]]:
    """The view's key ties as (who, type, whom, stake or year): ties with a stake first, largest
    first, then dated ties, newest first, then the rest by type."""
    rows = []
    for u, v, d in G.edges(data=True):
        stake, year = d.get("stake"), d.get("year")
        detail = f"{stake * 100:.4g} %" + (f" ({year})" if year else "") if stake is not None else (str(year) if year else "")
        order = (0, -stake) if stake is not None else ((1, -year) if year else (2, 0))
        rows.append((order, d["type"], _name(G, u), _name(G, v), detail))
    rows.sort(key=lambda r: (r[0], r[1], r[2], r[3]))
    return [(who, t, whom, detail) for _, t, who, whom, detail in rows[:limit]]


def sources(G: nx.MultiDiGraph) -> str:
    """The report sections and cited studies of the view's ties, as one footer line."""
    # In the order the data gives them (chapter by chapter), not by code point (六 < 四).
    sections = list(dict.fromkeys(d["source"] for _, _, d in G.edges(data=True) if d.get("source")))
    cited = list(dict.fromkeys(d["cited"] for _, _, d in G.edges(data=True) if d.get("cited")))
    names = [G.nodes[c].get("name_en", c) if c in G else c for c in cited]
    text = "Sources: TIER (2015), 中國大陸電子商務發展趨勢對臺商的啟示, " + (", ".join(sections) or "—")
    if names:
        text += "; citing " + "; ".join(names)
    return text


def write_pptx(
    views: Sequence[tuple[str, nx.MultiDiGraph]],
    path: str | os.PathLike[str],
    *,
    title: str = "China e-commerce alliance network",
    subtitle: str = "From the 2015 TIER report; drawn with ecograph",
    seed: int = 42,
) -> str | None:
    """Write the deck (atomically); returns the CJK font the pictures used, or None."""
    from pptx import Presentation
    from pptx.util import Emu, Inches, Pt

    from ecograph.export.image import _render

    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(13.333), Inches(7.5)
    first = deck.slides.add_slide(deck.slide_layouts[0])
    first.shapes.title.text = title
    first.placeholders[1].text = subtitle
    font = None
    for view_title, G in views:
        slide = deck.slides.add_slide(deck.slide_layouts[5])  # title only
        slide.shapes.title.text = view_title
        slide.shapes.title.text_frame.paragraphs[0].font.size = Pt(28)
        picture, font = _render(G, "png", title="", width=1600, height=1000, dpi=200, seed=seed)
        slide.shapes.add_picture(io.BytesIO(picture), Inches(0.3), Inches(1.3), width=Inches(8.2))
        ties = key_ties(G)
        if ties:
            table = slide.shapes.add_table(len(ties) + 1, 4, Inches(8.7), Inches(1.3), Inches(4.4),
                                           Emu(Inches(0.3) * (len(ties) + 1))).table
            for col, head in enumerate(("Who", "Tie", "Whom", "Stake / year")):
                table.cell(0, col).text = head
            for row, values in enumerate(ties, 1):
                for col, value in enumerate(values):
                    table.cell(row, col).text = value
            for row in table.rows:
                for cell in row.cells:
                    for p in cell.text_frame.paragraphs:
                        p.font.size = Pt(8)
        footer = slide.shapes.add_textbox(Inches(0.3), Inches(6.8), Inches(12.7), Inches(0.5))
        footer.text_frame.word_wrap = True
        footer.text_frame.text = sources(G)
        footer.text_frame.paragraphs[0].font.size = Pt(9)
    # PowerPoint writes its user here when it saves: a deck edited by a person is no longer ecograph's.
    deck.core_properties.last_modified_by = output_mark()
    buffer = io.BytesIO()
    deck.save(buffer)
    atomic_write_bytes(path, buffer.getvalue())
    return font
