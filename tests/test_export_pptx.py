"""Slides a board can read and edit: native shapes, a 16:9 layout where nothing leaves the slide
or covers another block, words instead of codes, and the rendering LibreOffice gives them."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import networkx as nx
import pytest
from pptx import Presentation
from pptx.oxml.ns import qn
from pptx.util import Emu

import ecograph
from ecograph.data import schema
from ecograph.data.dataset import sources
from ecograph.export.pptx import key_ties, write_pptx
from ecograph.export.slides import SLIDE_H, SLIDE_W
from ecograph.view.select import Selection, select

LIBREOFFICE = shutil.which("soffice")


@pytest.fixture(scope="module")
def G():
    return ecograph.load()


def view(G, **selection):
    return select(G, Selection(**selection)) if selection else G


def shapes_of(slide):
    """Every shape on a slide, groups opened."""
    out = []
    for shape in slide.shapes:
        out.append(shape)
        if shape.shape_type == 6:  # a group
            out.extend(shape.shapes)
    return out


def title_of(slide) -> str:
    return next(s.text_frame.text for s in slide.shapes if s.name == "title")


def box(shape) -> tuple[int, int, int, int]:
    return shape.left, shape.top, shape.left + shape.width, shape.top + shape.height


def overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize("lang, label", [("both", "Singapore Post\n新加坡郵政"), ("en", "Singapore Post"),
                                         ("zh", "新加坡郵政")])
def test_labels_speak_the_language_asked_for(G, tmp_path, lang, label):
    sub = view(G, center="alibaba", rels=("INVESTED_IN", "OWNS"))
    write_pptx([("Alibaba's equity ties", sub)], tmp_path / "d.pptx", title="Deck", lang=lang)
    slide = Presentation(tmp_path / "d.pptx").slides[1]
    labels = {s.name[len("label "):]: s.text_frame.text for s in shapes_of(slide) if s.name.startswith("label ")}
    assert labels["singapore-post"] == label
    assert set(labels) == set(sub.nodes)


def test_a_view_is_drawn_as_shapes_glued_by_connectors(G, tmp_path):
    sub = view(G, center="alibaba", rels=("INVESTED_IN", "OWNS"))
    written = write_pptx([("Alibaba's equity ties", sub)], tmp_path / "d.pptx", title="Deck")
    deck = Presentation(tmp_path / "d.pptx")
    assert written.slides == len(deck.slides) and written.font is None
    slide = deck.slides[1]
    entities = {s.name: s for s in shapes_of(slide) if s.name in sub}
    assert set(entities) == set(sub.nodes)  # one shape per entity, named by its id
    groups = [s for s in slide.shapes if s.name.startswith("entity ")]
    assert len(groups) == sub.number_of_nodes()  # shape and label move together
    labels = {s.name[len("label "):]: s.text_frame.text for s in shapes_of(slide) if s.name.startswith("label ")}
    assert labels["singapore-post"] == "Singapore Post\n新加坡郵政"
    connectors = [s for s in slide.shapes if s.shape_type == 9 and not s.name.startswith("legend")]  # lines
    assert len(connectors) == sub.number_of_edges()
    ids = {s.shape_id: name for name, s in entities.items()}
    ends = set()
    for c in connectors:
        props = c._element.nvCxnSpPr.cNvCxnSpPr
        start, end = props.find(qn("a:stCxn")), props.find(qn("a:endCxn"))
        ends.add((ids[int(start.get("id"))], ids[int(end.get("id"))]))
        assert c._element.spPr.find(qn("a:ln")).find(qn("a:tailEnd")).get("type") == "triangle"
    assert ends == {(u, v) for u, v in sub.edges()}
    stakes = sorted(s.text_frame.text for s in slide.shapes if s.name.startswith("stake "))
    assert stakes == ["10.35 %", "18 %"]
    legend = {s.name for s in slide.shapes if s.name.startswith("legend text ")}
    assert legend == {f"legend text {k}" for k in ("Company", "FinancialService", "PaymentService", "Platform",
                                                   "INVESTED_IN", "OWNS")}
    words = {s.text_frame.text for s in slide.shapes if s.name.startswith("legend text ")}
    assert {"invested in", "owns", "Payment service", "Financial service", "Company"} <= words
    # Ties are drawn beneath the entities, so no line crosses a label's text.
    order = [s.name for s in slide.shapes]
    assert max(order.index(c.name) for c in connectors) < min(order.index(g.name) for g in groups)


def test_key_ties_read_in_words_with_stakes_first(G):
    ties = key_ties(view(G, center="alibaba", rels=("INVESTED_IN",)))
    assert ties[:2] == [
        ("Alibaba Group / 阿里巴巴", "invested in", "Sina Weibo / 新浪微博", "18 % (2014)", "貳.六.2"),
        ("Alibaba Group / 阿里巴巴", "invested in", "Singapore Post / 新加坡郵政", "10.35 %", "貳.四"),
    ]


def test_sources_name_studies_and_cite_the_report_only_for_its_own_data(G):
    sub = view(G, center="wangjin", hops=1)
    text = sources(sub, G)
    assert text == ("Sources: TIER 2015, Trends in Mainland China's e-commerce and their lessons for Taiwanese "
                    "firms: §肆.一 表四 Table 4: Taiwanese firms in mainland e-commerce. "
                    "Citing E-commerce and Online Games: Breakthroughs in Entering the Mainland")
    assert "focus-taipei-2013" not in text
    other = nx.MultiDiGraph()
    other.add_node("a", kind="Company", name_en="A", name_zh="")
    other.add_node("b", kind="Company", name_en="B", name_zh="")
    other.add_edge("a", "b", type="SUPPLIES", source="Annual report 2016", origin="own/relationships/r.csv:2")
    assert sources(other) == "Sources: Annual report 2016"


def deck_of_views(G):
    """Eleven views of the seed, small to whole, long titles among them."""
    return [
        ("Alibaba's equity ties", view(G, center="alibaba", rels=("OWNS", "INVESTED_IN"))),
        ("Alibaba within two ties", view(G, center="alibaba", hops=2)),
        ("The whole network, as drawn from the 2015 report, with every kind of tie", G),
        ("Tencent", view(G, center="tencent", hops=2)),
        ("Yiwu", view(G, center="yiwu", hops=2)),
        ("JD.com", view(G, center="jd", hops=1)),
        ("Up to 2013", view(G, until=2013)),
        ("Companies and platforms", view(G, kinds=("Company", "Platform"))),
        ("Policies", view(G, kinds=("Policy", "GovernmentBody", "City"))),
        ("Taiwanese entry modes", view(G, rels=("USES_ENTRY_MODE", "SELLS_ON"))),
        ("Payments", view(G, rels=("PROCESSES_PAYMENTS_FOR",))),
    ]


@pytest.fixture(scope="module")
def big_deck(G, tmp_path_factory):
    path = tmp_path_factory.mktemp("deck") / "deck.pptx"
    write_pptx(deck_of_views(G), path, title="Eleven views", names=G)
    return path


def test_nothing_leaves_the_slide_or_covers_another_block(big_deck):
    deck = Presentation(big_deck)
    assert (deck.slide_width, deck.slide_height) == (SLIDE_W, SLIDE_H)
    for number, slide in enumerate(deck.slides, 1):
        for shape in shapes_of(slide):
            left, top, right, bottom = box(shape)
            assert 0 <= left and right <= SLIDE_W and 0 <= top and bottom <= SLIDE_H, (number, shape.name)
        # The blocks of a slide: its title, the drawing (entities and legend), the table, notes, the footer.
        blocks = {}
        for shape in slide.shapes:
            kind = shape.name.split(" ")[0] if shape.name.split(" ")[0] in ("entity", "legend") else shape.name
            if kind in ("title", "sources", "key", "note", "entity", "legend", "appendix", "subtitle"):
                blocks.setdefault(kind, []).append(box(shape))
        kinds = list(blocks)
        for i, a in enumerate(kinds):
            for b in kinds[i + 1:]:
                assert not any(overlap(x, y) for x in blocks[a] for y in blocks[b]), (number, title_of(slide), a, b)
        entities = blocks.get("entity", [])
        assert not any(overlap(x, y) for i, x in enumerate(entities) for y in entities[i + 1:]), number


def test_every_shape_on_a_slide_has_its_own_id(big_deck):
    """Connectors name the shapes they are glued to by id: two shapes sharing one would make
    PowerPoint repair the file."""
    for number, slide in enumerate(Presentation(big_deck).slides, 1):
        ids = [int(v) for v in slide.shapes._spTree.xpath("//p:cNvPr/@id")]
        assert len(ids) == len(set(ids)), number


def test_stakes_sit_clear_of_every_entity_and_of_each_other(big_deck):
    deck = Presentation(big_deck)
    seen = 0
    for number, slide in enumerate(deck.slides, 1):
        entities = [box(s) for g in slide.shapes if g.name.startswith("entity ") for s in g.shapes]  # shape, label
        stakes = [box(s) for s in slide.shapes if s.name.startswith("stake ")]
        seen += len(stakes)
        for i, a in enumerate(stakes):
            assert not any(overlap(a, e) for e in entities), (number, title_of(slide))
            assert not any(overlap(a, b) for b in stakes[i + 1:]), (number, title_of(slide))
    assert seen >= 4


def test_text_is_readable(big_deck):
    deck = Presentation(big_deck)
    for slide in deck.slides:
        for shape in shapes_of(slide):
            frames = [shape.text_frame] if shape.has_text_frame else []
            if getattr(shape, "has_table", False) and shape.has_table:
                frames = [c.text_frame for r in shape.table.rows for c in r.cells]
            for frame in frames:
                for p in frame.paragraphs:
                    for run in p.runs:
                        if run.text.strip():
                            assert run.font.size is not None and run.font.size >= Emu(10 * 12700), (shape.name, run.text)


def test_a_long_table_continues_and_a_crowded_view_has_an_appendix(big_deck, G):
    titles = [title_of(s) for s in Presentation(big_deck).slides]
    whole = "The whole network, as drawn from the 2015 report, with every kind of tie"
    assert any(t.startswith("Key ties: The whole network") for t in titles)
    assert any(t.startswith("Key ties (continued, 2): The whole network") for t in titles)
    assert any(t.startswith("Appendix: The whole network") for t in titles)
    slide = Presentation(big_deck).slides[titles.index(whole)]
    note = next(s.text_frame.text for s in slide.shapes if s.name == "note")
    drawn = sum(1 for s in slide.shapes if s.name.startswith("entity "))
    # Like the map, the slide draws the alliances; the context ties are in the table.
    assert note == (f"+ {G.number_of_nodes() - drawn:,} more entities in the appendix (the {drawn:,} with the most "
                    "alliance ties are drawn); context ties (places, markets, policies) are in the key ties")
    ties = [s for s in slide.shapes if s.shape_type == 9 and not s.name.startswith("legend")]
    assert ties and all(t.name.split(" ")[1] in schema.ALLIANCE_TYPES for t in ties)
    appendix = Presentation(big_deck).slides[next(i for i, t in enumerate(titles) if t.startswith("Appendix: The whole"))]
    listed = [line for s in appendix.shapes if s.name.startswith("appendix") for line in s.text_frame.text.split("\n")]
    assert len(listed) == min(G.number_of_nodes() - drawn, 66)


def test_the_picture_mode_remains(G, tmp_path):
    from pptx.shapes.picture import Picture

    write_pptx([("Alibaba", view(G, center="alibaba"))], tmp_path / "p.pptx", as_picture=True)
    slide = Presentation(tmp_path / "p.pptx").slides[1]
    assert any(isinstance(s, Picture) for s in slide.shapes)
    assert not any(s.name.startswith("entity ") for s in slide.shapes)


def blank(image, px, left, top, right, bottom) -> bool:
    """Whether a band of a page image, given in EMU at ``px`` pixels an EMU, is blank as drawn
    (a 1-pixel rim spared for anti-aliasing)."""
    box = (int(left * px) + 1, int(top * px) + 1, int(right * px) - 1, int(bottom * px) - 1)
    return box[2] <= box[0] or box[3] <= box[1] or image.crop(box).getextrema()[0] > 200


@pytest.mark.slow  # LibreOffice takes half a minute to start and convert: CI runs it with -m slow
@pytest.mark.skipif(LIBREOFFICE is None and os.environ.get("ECOGRAPH_SLIDE_TESTS") != "required",
                    reason="LibreOffice (libreoffice-impress) renders slides as a person sees them")
def test_libreoffice_renders_every_slide_inside_its_page(big_deck, tmp_path):
    """The deck as LibreOffice draws it: one PDF page a slide, each of the slide's size, with ink
    on it and none beyond the page (a shape off the slide would widen the page's content box)."""
    assert LIBREOFFICE, "ECOGRAPH_SLIDE_TESTS=required but soffice is not installed"
    out = tmp_path / "pdf"
    subprocess.run([LIBREOFFICE, "--headless", "--convert-to", "pdf", "--outdir", str(out), str(big_deck)],
                   check=True, capture_output=True, timeout=300, env={**os.environ, "HOME": str(tmp_path)})
    pdf = out / (Path(big_deck).stem + ".pdf")
    info = dict(line.split(":", 1) for line in subprocess.run(
        ["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines() if ":" in line)
    assert int(info["Pages"]) == len(Presentation(big_deck).slides)
    width, _, height = info["Page size"].split()[:3]
    assert (round(float(width)), round(float(height))) == (960, 540)  # 13.333 × 7.5 in
    dpi = 50
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(pdf), str(tmp_path / "page")], check=True)
    from PIL import Image

    slides = Presentation(big_deck).slides
    for slide, png in zip(slides, sorted(tmp_path.glob("page-*.png"), key=lambda p: int(p.stem.split("-")[1]))):
        image = Image.open(png).convert("L")
        assert image.getextrema()[0] < 128, png  # something is drawn
        px = dpi / 914_400
        # Between the title and the body: no long title ran down into it, nothing rose into it.
        title = next(s for s in slide.shapes if s.name == "title")
        assert not blank(image, px, title.left, title.top, title.left + title.width, title.top + title.height)  # ink seen
        below_title = min((s.top for s in slide.shapes if s.name != "title"), default=SLIDE_H)
        assert blank(image, px, title.left, title.top + title.height, title.left + title.width, below_title), (png, title_of(slide))
        # Between the drawing and what is under it (the note, the legend): no label ran into them.
        entities = [s for s in slide.shapes if s.name.startswith("entity ")]
        under = [s.top for s in slide.shapes if s.name == "note" or s.name.startswith("legend")]
        if entities and under:
            lowest = max(s.top + s.height for s in entities)
            assert blank(image, px, Emu(914_400 * 0.45), lowest, SLIDE_W - 914_400 * 0.45, min(under)), (png, title_of(slide))
        # The gutter above the footer is blank as drawn: no table row, label or legend ran into it.
        footer = next((s for s in slide.shapes if s.name == "sources"), None)
        if footer is None:
            continue
        top, bottom = int((footer.top - 0.09 * 914_400) * px), int(footer.top * px) - 1
        band = image.crop((int(footer.left * px), top, int((footer.left + footer.width) * px), bottom))
        assert band.getextrema()[0] > 200, (png, title_of(slide))


# Every shape a kind may take on the map, and the PowerPoint form that draws it on a slide.
SLIDE_FORMS = {
    "dot": "OVAL", "circle": "OVAL", "ellipse": "OVAL", "square": "RECTANGLE", "text": "RECTANGLE",
    "box": "ROUNDED_RECTANGLE", "diamond": "DIAMOND", "triangle": "ISOSCELES_TRIANGLE",
    "triangleDown": "FLOWCHART_MERGE", "hexagon": "HEXAGON", "star": "STAR_5_POINT", "database": "CAN",
}


def test_every_shape_of_the_map_is_drawn_in_its_own_form(write_graphdata, tmp_path):
    """A data folder's kinds, one per shape the map draws: each entity and its legend mark come
    back from the file in that shape's closest PowerPoint form, and each tie stays glued to a
    connection site the form has, at that site's place."""
    from pptx.enum.shapes import MSO_SHAPE

    from ecograph.data.schemafile import SHAPES
    from ecograph.export.slides import form_of
    from ecograph.data.graphdata import build_graph, read_graphdata

    assert set(SLIDE_FORMS) == set(SHAPES)
    kinds = {f"K{i}": shape for i, shape in enumerate(SHAPES)}
    toml = "replace = true\n" + "".join(f'[kinds.{k}]\ndescription = "A {s}."\nshape = "{s}"\n'
                                        for k, s in kinds.items())
    names = ", ".join(f'"{k}"' for k in kinds)
    toml += f'[relationships.LINKS]\ndescription = "A tie."\nfrom = [{names}]\nto = [{names}]\nverb = "links"\n'
    ids = [k.lower() for k in kinds]
    root = write_graphdata({
        "schema.toml": toml,
        "entities/e.csv": "id,kind,name_en,name_zh,country,description\n" + "".join(f"{i},{k},{k} firm,{k} 公司,Global,x\n"
                                                                           for i, k in zip(ids, kinds)),
        "relationships/r.csv": "from,type,to,description,source\n" + "".join(
            f"{a},LINKS,{b},t,s\n" for a, b in zip(ids, ids[1:] + ids[:1])),
    })
    G = build_graph(read_graphdata([root]))
    write_pptx([("Every shape", G)], tmp_path / "d.pptx", title="Shapes")
    slide = Presentation(tmp_path / "d.pptx").slides[1]
    drawn = {s.name: s for s in shapes_of(slide) if s.name in G}
    legend = {s.name[len("legend kind "):]: s for s in slide.shapes if s.name.startswith("legend kind ")}
    for n, (kind, shape) in zip(ids, kinds.items()):
        expected = getattr(MSO_SHAPE, SLIDE_FORMS[shape])
        assert form_of(shape) == SLIDE_FORMS[shape]
        assert drawn[n].auto_shape_type == expected, (shape, drawn[n].auto_shape_type)
        assert legend[kind].auto_shape_type == expected
    by_id = {s.shape_id: s for s in drawn.values()}
    connectors = [s for s in slide.shapes if s.shape_type == 9 and not s.name.startswith("legend")]
    assert len(connectors) == len(ids)
    for c in connectors:
        props = c._element.nvCxnSpPr.cNvCxnSpPr
        for tag, (x, y) in (("a:stCxn", (c.begin_x, c.begin_y)), ("a:endCxn", (c.end_x, c.end_y))):
            glue = props.find(qn(tag))
            shape = by_id[int(glue.get("id"))]
            site = int(glue.get("idx"))
            # the end sits on the shape's box, where the preset puts site ``site``
            assert shape.left - 2 <= x <= shape.left + shape.width + 2 and shape.top - 2 <= y <= shape.top + shape.height + 2
            assert site < {"OVAL": 8, "ISOSCELES_TRIANGLE": 6, "HEXAGON": 6, "STAR_5_POINT": 5}.get(
                SLIDE_FORMS[kinds[G.nodes[shape.name]["kind"]]], 4)


def test_footers_stay_short_and_the_sources_slide_writes_them_out(big_deck, G):
    """A view citing many sections cites them by number in a footer of two lines at most; the
    deck's Sources slide writes each out with its title, and names each study cited."""
    from ecograph.data.dataset import cite, descriptions_of

    deck = Presentation(big_deck)
    footers = [s for slide in deck.slides for s in slide.shapes if s.name == "sources"]
    assert footers and all(f.height <= 2 * 10 * 1.5 * 12700 for f in footers)
    numbered = [f.text_frame.text for f in footers if f.text_frame.text.endswith("(titles on the Sources slide)")]
    assert numbered and any(not f.text_frame.text.endswith("slide)") for f in footers)  # short ones stay whole
    last = deck.slides[len(deck.slides) - 1]
    assert title_of(last) == "Sources"
    listed = "\n".join(s.text_frame.text for s in last.shapes if s.name.startswith("sources list"))
    report = descriptions_of(G)[0]
    for text in numbered:
        codes = [c.rstrip(",;") for c in text.split("§")[1:]]
        for code in (c.split(", ")[0].split("; ")[0].strip() for c in codes):
            assert cite(report, code) in listed.splitlines(), code
    assert "E-commerce and Online Games: Breakthroughs in Entering the Mainland" in listed.splitlines()
    assert sources(G, G).startswith("Sources: TIER 2015, Trends") and len(sources(G, G)) > 800  # too long written out


def test_a_long_deck_title_shrinks_to_two_lines_above_the_subtitle(G, tmp_path):
    from ecograph.export.slides import text_width

    title = "China e-commerce alliance network (TIER 2015): around Alibaba Group / 阿里巴巴"
    write_pptx([(title, view(G, center="alibaba"))], tmp_path / "d.pptx", title=title)
    shapes = {s.name: s for s in Presentation(tmp_path / "d.pptx").slides[0].shapes}
    box, sub = shapes["title"], shapes["subtitle"]
    size = box.text_frame.paragraphs[0].runs[0].font.size.pt
    assert 24 <= size < 40  # at 40 pt it took three lines and ran over the subtitle
    assert text_width(title, size) * 1.1 <= 2 * box.width and box.top + box.height <= sub.top
    short = write_pptx([("Deck", view(G, center="alibaba"))], tmp_path / "e.pptx", title="Deck")
    assert short and Presentation(tmp_path / "e.pptx").slides[0].shapes[0].text_frame.paragraphs[0].runs[0].font.size.pt == 40
