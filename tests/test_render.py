"""The HTML map: self-contained, UTF-8, data as text, deterministic layout (browser tests: #4)."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

import ecograph
from cli import main
from ecograph.data import schema
from ecograph.view.map import (
    GROUP_WIDTH, KIND_STYLE, LABEL_INSIDE, LABEL_WIDTH, REL_STYLE, _node_sizes, contrast, graph_data, label_box, layout,
    render_html, text_colour, text_width, write_html,
)

HOSTILE = '<img src=x onerror=alert(1)></script><script>alert(2)</script>{{VIS_JS}}<!--'


class _Elements(HTMLParser):
    """Counts start tags the way a browser's tokenizer sees them (script content is raw text)."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)


def tags(page: str) -> list[str]:
    parser = _Elements()
    parser.feed(page)
    return parser.tags


def page_data(page: str) -> dict:
    return json.loads(re.search(r'<script type="application/json" id="ecograph-data">(.*?)</script>', page, re.S).group(1))


@pytest.fixture(scope="module")
def G():
    return ecograph.load()


def test_the_page_needs_no_network(G):
    page = render_html(G)
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page, re.I)
    assert not re.search(r"@import|url\(\s*['\"]?(?:https?:)?//", page, re.I)
    assert tags(page).count("script") == 3  # vis-network inlined, the data (JSON), the page's own script


def test_the_page_holds_every_entity_and_tie(G):
    data = page_data(render_html(G))
    assert sorted(n["id"] for n in data["nodes"]) == sorted(G.nodes)
    assert len(data["edges"]) == G.number_of_edges()
    stake = next(e for e in data["edges"] if (e["from"], e["to"]) == ("alibaba", "singapore-post"))
    assert stake["label"] == "10.35 %" and stake["type"] == "INVESTED_IN"
    assert "Source: TIER 2015 §貳.四 Smart and cross-border logistics" in stake["title"]
    assert {k["kind"] for k in data["legend"]["kinds"]} == {k for _, k in G.nodes(data="kind")}


def test_names_stay_text_whatever_they_contain():
    g = nx.MultiDiGraph()
    g.add_node("x", kind="Company", name_en=HOSTILE, name_zh="騰訊", aliases=[], description=HOSTILE)
    g.add_node("y", kind="Platform", name_en="Y", name_zh="", aliases=[])
    g.add_edge("x", "y", type="OWNS", description=HOSTILE, source="s")
    page = render_html(g, title=HOSTILE)
    assert tags(page).count("script") == 3 and "img" not in tags(page)
    data = page_data(page)
    node = next(n for n in data["nodes"] if n["id"] == "x")
    assert node["name_en"] == HOSTILE and HOSTILE in node["title"]
    assert f"<title>{'&lt;img src=x onerror=alert(1)&gt;'}" in page


def test_layout_is_deterministic_for_a_seed(G):
    assert layout(G, 7) == layout(G, 7)
    assert layout(G, 7) != layout(G, 8)
    assert set(layout(G, 7)) == set(G.nodes)


def test_written_as_utf8(G, tmp_path):
    path = write_html(G, tmp_path / "sub" / "map.html")
    text = path.read_bytes().decode("utf-8")
    assert "阿里巴巴" in text and "新加坡郵政" in text


def test_render_command_writes_ecosystem_html(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["render"])
    G = ecograph.load()
    counts = f"{G.number_of_nodes()} entities, {G.number_of_edges()} relationships"
    assert (result.exit_code, result.output) == (0, f"ecosystem.html ({counts})\n")
    assert len(page_data((tmp_path / "ecosystem.html").read_text(encoding="utf-8"))["nodes"]) == G.number_of_nodes()
    ego = CliRunner().invoke(main, ["render", "--center", "阿里巴巴", "--rels", "INVESTED_IN", "-o", "a.html"])
    assert (ego.exit_code, ego.output) == (0, "a.html (4 entities, 3 relationships)\n")
    empty = CliRunner().invoke(main, ["render", "--kinds", "Event", "--rels", "OWNS"])
    assert (empty.exit_code, empty.output) == (1, "Error: the selection is empty: no entity matches these selectors\n")


def test_render_a_query_subgraph(tmp_path, monkeypatch, seed_cache):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", str(seed_cache))
    query = "MATCH p = shortestPath((a {id: $a})-[*..6]-(b {id: $b})) RETURN p"
    result = CliRunner().invoke(main, ["render", "--query", query, "--param", "a=tencent", "--param", "b=singapore-post",
                                       "-o", "chain.html"])
    assert (result.exit_code, result.output) == (0, "chain.html (4 entities, 3 relationships)\n")
    data = page_data((tmp_path / "chain.html").read_text(encoding="utf-8"))
    assert {n["id"] for n in data["nodes"]} >= {"tencent", "alibaba", "singapore-post"}
    alibaba = next(n for n in data["nodes"] if n["id"] == "alibaba")
    assert alibaba["name_zh"] == "阿里巴巴" and alibaba["kind"] == "Company"
    scalars = CliRunner().invoke(main, ["render", "--query", "RETURN 1 AS one, 'nobody' AS name"])
    assert scalars.exit_code == 1
    assert scalars.output == ("Error: the query returned no nodes, relationships or paths, and no value that "
                              "names an entity; return them (RETURN a, r, b or RETURN p) or their ids or names\n")


def test_a_map_over_the_limit_is_refused_before_any_work(G, tmp_path, monkeypatch):
    from ecograph.view import map as render
    from ecograph.view.select import SelectionTooLargeError

    monkeypatch.setattr(render, "layout", lambda *a, **k: pytest.fail("laid out a refused map"))
    with pytest.raises(SelectionTooLargeError) as err:
        write_html(G, tmp_path / "map.html", max_entities=10)
    assert (err.value.count, err.value.limit) == (G.number_of_nodes(), 10)
    assert not (tmp_path / "map.html").exists()


def test_drawing_a_map_reports_its_steps(G, tmp_path):
    calls = []
    write_html(G, tmp_path / "map.html", progress=lambda *call: calls.append(call))
    assert calls == [("Drawing the map", done, 5) for done in range(6)]
def test_each_kind_has_its_own_colour_and_no_two_look_alike():
    colours = [c for c, _ in KIND_STYLE.values()]
    assert set(KIND_STYLE) == set(schema.KINDS) and len(set(colours)) == len(colours)
    rgb = [tuple(int(c[i:i + 2], 16) for i in (1, 3, 5)) for c in colours]
    styles = list(KIND_STYLE.values())
    for i in range(len(rgb)):
        for j in range(i + 1, len(rgb)):
            distance = sum((a - b) ** 2 for a, b in zip(rgb[i], rgb[j])) ** 0.5
            # colours close in RGB are told apart by their shape
            assert distance >= 60 or styles[i][1] != styles[j][1], (styles[i], styles[j])


def test_each_relationship_type_has_its_own_line_by_group():
    assert set(REL_STYLE) == set(schema.REL_TYPES)
    looks = [(c, tuple(d) if d else ()) for c, d in REL_STYLE.values()]
    assert len(set(looks)) == len(looks)
    for name, rel in schema.REL_TYPES.items():
        colour, dashes = REL_STYLE[name]
        r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
        if rel.group == "context":  # thin grey, dashed
            assert dashes and max(r, g, b) - min(r, g, b) < 8
        else:  # solid and coloured
            assert dashes is False and max(r, g, b) - min(r, g, b) > 60 or colour == "#7f7f7f"
    assert GROUP_WIDTH["equity"] > GROUP_WIDTH["deal"] > GROUP_WIDTH["context"]
    deal_colours = [REL_STYLE[t][0] for t, r in schema.REL_TYPES.items() if r.group == "deal"]
    assert len(set(deal_colours)) == len(deal_colours)


def test_text_written_inside_a_shape_reads_at_aa_contrast(G):
    data = graph_data(G)
    inside = [n for n in data["nodes"] if n["shape"] in LABEL_INSIDE]
    assert {n["kind"] for n in inside} == {"Product", "Study", "Market"}
    for n in inside:
        assert contrast(n["font"]["color"], n["color"]) >= 4.5, n["kind"]
    for fill in [c for c, _ in KIND_STYLE.values()] + ["#000000", "#ffffff", "#777777", "#767676", "#9467bd"]:
        assert contrast(text_colour(fill), fill) >= 4.5
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0


def test_the_layout_keeps_every_label_box_apart(G):
    from ecograph.view.select import Selection, select

    for graph in (G, select(G, Selection(center="alibaba", hops=2))):
        pos, sizes = layout(graph, 42), _node_sizes(graph)
        boxes = {n: label_box(graph.nodes[n], n, sizes[n]) for n in graph}
        rects = sorted((pos[n][0] + b[0], pos[n][1] + b[1], pos[n][0] + b[2], pos[n][1] + b[3], n) for n, b in boxes.items())
        for i, a in enumerate(rects):
            for b in rects[i + 1:]:
                if b[0] >= a[2]:
                    break
                assert not (a[1] < b[3] and b[1] < a[3]), (a[4], b[4])


def test_untied_entities_are_gathered_under_the_map(G):
    pos = layout(G, 42)
    untied = [n for n in G if G.degree(n) == 0]
    tied_bottom = max(pos[n][1] for n in G if G.degree(n) > 0)
    assert untied and all(pos[n][1] > tied_bottom for n in untied)


def test_long_names_wrap_and_the_page_gets_each_language(G):
    data = graph_data(G)
    alibaba = next(n for n in data["nodes"] if n["id"] == "alibaba")
    assert alibaba["labels"] == {"en": "Alibaba Group", "zh": "阿里巴巴", "both": "Alibaba Group\n阿里巴巴"}
    for n in data["nodes"]:
        for line in n["labels"]["both"].split("\n"):
            assert text_width(line) <= LABEL_WIDTH or " " not in line.strip()
    policy = next(n for n in data["nodes"] if n["name_en"].startswith("Opinions on Implementing"))
    assert policy["labels"]["en"].count("\n") == 2 and policy["labels"]["en"].endswith("…")


def test_the_page_gets_folded_names_with_their_word_starts(G):
    data = graph_data(G)
    tencent = next(n for n in data["nodes"] if n["id"] == "tencent")
    keys = {k for k, _ in tencent["search"]}
    assert {"tencent", "騰訊", "腾讯"} <= keys
    starts = dict((k, s) for k, s in tencent["search"])
    assert starts["腾讯"] == [0, 1]


def test_the_page_script_and_style_come_from_their_own_files(G):
    from ecograph.view.map import PAGE_MODULES, page_script

    page = render_html(G)
    folder = Path(ecograph.__file__).parent / "view" / "templates"
    for name in PAGE_MODULES:
        assert (folder / name).read_text(encoding="utf-8").strip() in page
    assert (folder / "map.css").read_text(encoding="utf-8").strip() in page
    assert "window.ecograph = {" in page_script()


def test_a_tie_tooltip_reads_as_a_sentence_with_its_source(G):
    data = graph_data(G)
    weibo = next(e for e in data["edges"] if (e["from"], e["to"]) == ("alibaba", "sina-weibo") and e["type"] == "INVESTED_IN")
    first = weibo["title"].split("\n")[0]
    assert first == "Alibaba Group / 阿里巴巴 invested in Sina Weibo / 新浪微博 (18 %, 2014). Source: TIER 2015 §貳.六.2 Mobile payment's key role."
    assert weibo["label"] == "18 %" and "Year" not in weibo["title"]  # the year is said once, in the sentence
