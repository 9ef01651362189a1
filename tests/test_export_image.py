"""Pictures a board can read: every text at least 9 pt at print size, labels beside their marks
and never over a mark, another label, the legend or the edge, measured as the renderer placed
them (matplotlib's text extents for the PNG, the drawn boxes in the SVG)."""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET

import networkx as nx
import pytest

import ecograph
from ecograph.export.image import LABEL_PT, PAGE, draw_picture, picture_size, write_svg
from ecograph.view.select import Selection, select

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def G():
    return ecograph.load()


VIEWS = {
    "whole seed": {},
    "around Alibaba": {"center": "alibaba"},
    "Tencent, two ties out": {"center": "tencent", "hops": 2},
    "equity": {"rels": ("OWNS", "INVESTED_IN")},
}


def view_of(G, name):
    return select(G, Selection(**VIEWS[name])) if VIEWS[name] else G


def page_box(artist, renderer, H):
    """An artist's box as drawn, in pixels from the page's top left (matplotlib counts from the bottom)."""
    b = artist.get_window_extent(renderer)
    return (b.x0, H - b.y1, b.x1, H - b.y0)


def label_box(text, renderer, H):
    """A label's box with the white pad round it, as drawn."""
    text.get_bbox_patch()  # exists: every label and stake is drawn on white
    text.draw(renderer)  # updates the pad's position to the text's
    return page_box(text.get_bbox_patch(), renderer, H)


def overlap(a, b):
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def distance_to_box(x, y, box):
    dx = max(box[0] - x, 0, x - box[2])
    dy = max(box[1] - y, 0, y - box[3])
    return math.hypot(dx, dy)


@pytest.fixture(scope="module")
def drawn(G):
    out = {}
    for name in VIEWS:
        picture = draw_picture(view_of(G, name), title=f"A long title for the view {name}, " * 3)
        fig = picture.figure
        fig.canvas.draw()
        out[name] = (picture, fig.canvas.get_renderer())
    yield out
    from matplotlib import pyplot as plt

    for picture, _ in out.values():
        plt.close(picture.figure)


@pytest.mark.parametrize("name", list(VIEWS))
def test_every_text_is_at_least_9_pt_at_print_size(drawn, G, name):
    picture, _ = drawn[name]
    texts = picture.figure.texts + picture.figure.axes[0].texts
    assert len(picture.labels) >= 5 and texts
    assert min(t.get_fontsize() for t in texts) >= LABEL_PT == 9
    w, h = picture.figure.get_size_inches()
    size = picture_size(view_of(G, name))
    assert (w, h) == pytest.approx((size[0] / 150, size[1] / 150))  # the print size the points are measured at
    assert size[0] / 150 <= 24


@pytest.mark.parametrize("name", list(VIEWS))
def test_labels_and_stakes_never_overlap_leave_the_page_or_reach_the_legend(drawn, name):
    picture, renderer = drawn[name]
    fig = picture.figure
    W, H = fig.bbox.width, fig.bbox.height
    placed = [label_box(t, renderer, H) for t in list(picture.labels.values()) + picture.stakes]
    for i, a in enumerate(placed):
        assert 0 <= a[0] and a[2] <= W and 0 <= a[1] and a[3] <= H, a
        for b in placed[i + 1:]:
            assert not overlap(a, b), (a, b)
    legend = [page_box(t, renderer, H) for t in fig.texts if (t.get_gid() or "").startswith("legend")]
    legend += [page_box(line, renderer, H) for line in fig.lines if (line.get_gid() or "").startswith("legend")]
    assert legend
    titles_and_foot = [page_box(t, renderer, H) for t in fig.texts if t.get_gid() in ("title", "sources", "note")]
    for a in placed:
        assert not any(overlap(a, b) for b in legend + titles_and_foot), a
    drawing = page_box(fig.axes[0], renderer, H)
    assert all(drawing[0] <= a[0] and a[2] <= drawing[2] and drawing[1] <= a[1] and a[3] <= drawing[3] for a in placed)
    # The title and the sources fit the page's width (long ones wrap).
    for box in titles_and_foot + legend:
        assert 0 <= box[0] and box[2] <= W, box


@pytest.mark.parametrize("name", list(VIEWS))
def test_labels_sit_beside_their_own_mark_and_cover_none(drawn, name):
    picture, renderer = drawn[name]
    fig = picture.figure
    ax = fig.axes[0]
    H = fig.bbox.height
    # The marks as the scatter drew them, checked against what the picture says it placed.
    drawn_marks = []
    for collection in ax.collections:
        if (collection.get_gid() or "").startswith("entities"):
            for x, y in ax.transData.transform(collection.get_offsets()):
                drawn_marks.append((x, H - y))
    said = sorted((x, y) for x, y, _ in picture.marks.values())
    assert len(drawn_marks) == len(said)
    assert [c for p in sorted(drawn_marks) for c in p] == pytest.approx([c for p in said for c in p], abs=0.01)
    for node, text in picture.labels.items():
        box = label_box(text, renderer, H)
        x, y, r = picture.marks[node]
        # Touching its mark's box (a corner spot is r·√2 away), never over its own or another mark.
        assert r - 0.5 <= distance_to_box(x, y, box) <= (r + 4) * math.sqrt(2), (node, box, (x, y, r))
        for other, (ox, oy, orad) in picture.marks.items():
            assert not overlap(box, (ox - orad, oy - orad, ox + orad, oy + orad)), (node, other)


@pytest.mark.parametrize("name", list(VIEWS))
def test_every_stake_is_on_the_picture(drawn, G, name):
    picture, _ = drawn[name]
    view = view_of(G, name)
    stakes = sorted(f"{d['stake'] * 100:.4g} %" for u, v, d in view.edges(data=True) if d.get("stake") is not None and u != v)
    assert stakes and sorted(t.get_text() for t in picture.stakes) == stakes


def test_the_most_connected_are_named_and_the_picture_says_how_many_are_not(drawn, G):
    picture, _ = drawn["whole seed"]
    assert sorted(picture.labels) + picture.unnamed and set(picture.labels) | set(picture.unnamed) == set(G)
    degree = dict(G.degree())
    top = sorted(G, key=lambda n: -degree[n])[:5]
    assert all(n in picture.labels for n in top), [n for n in top if n not in picture.labels]
    note = next(t.get_text() for t in picture.figure.texts if t.get_gid() == "note")
    assert note.startswith(f"{len(picture.unnamed):,} of {len(G):,} entities unnamed for room")
    small, _ = drawn["around Alibaba"]
    assert not small.unnamed and not [t for t in small.figure.texts if t.get_gid() == "note"]


def test_stakes_legend_and_sources_are_in_words(drawn, G):
    picture, _ = drawn["around Alibaba"]
    fig = picture.figure
    assert sorted(t.get_text() for t in picture.stakes) == ["10.35 %", "18 %"]
    legend = [t.get_text() for t in fig.texts if (t.get_gid() or "").startswith("legend")]
    assert legend[0] == "Entities" and "Equity ties" in legend and "Context ties" in legend
    assert {"Payment service", "Financial service", "invested in", "owns", "is located in"} <= set(legend)
    assert not any(re.fullmatch(r"[A-Z_]+|[A-Z][a-z]+[A-Z]\w*", t) for t in legend), legend  # no INVESTED_IN, no PaymentService
    foot = " ".join(t.get_text() for t in fig.texts if t.get_gid() == "sources")
    assert foot.startswith("Sources: TIER 2015, Trends in Mainland China's e-commerce")
    assert "§貳.四 Smart and cross-border logistics" in foot


def test_own_data_gets_its_own_sources_and_a_neutral_picture(tmp_path):
    g = nx.MultiDiGraph()
    g.add_node("a", kind="Company", name_en="Acme", name_zh="")
    g.add_node("b", kind="Company", name_en="Beta", name_zh="")
    g.add_edge("a", "b", type="INVESTED_IN", stake=0.25, source="Annual report 2016")
    picture = draw_picture(g)
    foot = [t.get_text() for t in picture.figure.texts if t.get_gid() == "sources"]
    assert foot == ["Sources: Annual report 2016"]
    assert [t.get_text() for t in picture.stakes] == ["25 %"] and sorted(picture.labels) == ["a", "b"]


def svg_box(d: str):
    numbers = [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", d)]
    xs, ys = numbers[0::2], numbers[1::2]
    return (min(xs), min(ys), max(xs), max(ys))


def test_the_svg_keeps_9_pt_text_and_its_label_boxes_apart(G, tmp_path):
    path = tmp_path / "whole.svg"
    write_svg(G, path)
    root = ET.parse(path).getroot()
    # The SVG's user unit is a point: the page's pixels at 150 dpi, 72 points to the inch.
    width, height = (v * 72 / 150 for v in picture_size(G))
    assert root.get("width") == f"{width:g}pt" and root.get("viewBox") == f"0 0 {width:g} {height:g}"
    sizes = [float(m) for t in root.iter(f"{SVG}text")
             for m in re.findall(r"font-size: ([\d.]+)px", t.get("style", ""))]
    assert sizes and min(sizes) >= 9
    boxes = []
    for group in root.iter(f"{SVG}g"):
        if (group.get("id") or "").startswith(("label ", "stake ")):
            pad = group.find(f"{SVG}g/{SVG}path")  # the white box the text sits on
            boxes.append(svg_box(pad.get("d")))
            assert "".join(group.itertext()).strip() or group.find(f".//{SVG}text") is not None
    assert len(boxes) >= 20
    for i, a in enumerate(boxes):
        assert 0 <= a[0] and a[2] <= width and 0 <= a[1] and a[3] <= height
        assert not any(overlap(a, b) for b in boxes[i + 1:]), a


def test_a_big_view_gets_a_page_that_names_nearly_all_of_it(drawn, G):
    """The whole seed at the default size: a page grown for 130 entities names far more of them
    than the 1600 × 1000 page did (32), each still 9 pt at print size (tests above)."""
    picture, _ = drawn["whole seed"]
    assert len(picture.labels) >= 0.9 * len(G)
    assert picture_size(G) > PAGE
    assert all(abs(a - 2 * b) <= 1 for a, b in zip(picture_size(G, dpi=300), picture_size(G)))  # the same inches
    small = view_of(G, "around Alibaba")
    assert picture_size(small) == PAGE  # a small view keeps the page it fits on
    crowd = nx.MultiDiGraph()
    crowd.add_nodes_from(range(5000))
    assert picture_size(crowd) == (3600, 2250)  # at most 24 inches wide
    assert picture_size(G, width=2000) == (2000, 1250) and picture_size(G, 800, 900) == (800, 900)


def test_the_readme_says_how_many_the_default_picture_leaves_unnamed(G):
    from pathlib import Path

    from ecograph.data.dataset import graph_title

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    said = re.search(r'\("(\d+) of (\d+)\s+entities unnamed for room" for the whole seed at the default', readme)
    picture = draw_picture(G, title=graph_title(G))  # what `ecograph export png` draws
    assert (int(said.group(1)), int(said.group(2))) == (len(picture.unnamed), len(G))
    assert sorted(t.get_text() for t in picture.stakes) == ["10.35 %", "18 %"]  # the crowded core keeps its stakes
