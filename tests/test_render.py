"""The HTML map: self-contained, UTF-8, data as text, deterministic layout (browser tests: #4)."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import networkx as nx
import pytest
from click.testing import CliRunner

import ecograph
from cli import main
from ecograph.render import layout, render_html, write_html

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
    assert "Source: 貳.四" in stake["title"]
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


def test_render_a_query_subgraph(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    query = "MATCH p = shortestPath((a {id: $a})-[*..6]-(b {id: $b})) RETURN p"
    result = CliRunner().invoke(main, ["render", "--query", query, "--param", "a=tencent", "--param", "b=singapore-post",
                                       "-o", "chain.html"])
    assert (result.exit_code, result.output) == (0, "chain.html (4 entities, 3 relationships)\n")
    data = page_data((tmp_path / "chain.html").read_text(encoding="utf-8"))
    assert {n["id"] for n in data["nodes"]} >= {"tencent", "alibaba", "singapore-post"}
    alibaba = next(n for n in data["nodes"] if n["id"] == "alibaba")
    assert alibaba["name_zh"] == "阿里巴巴" and alibaba["kind"] == "Company"
    scalars = CliRunner().invoke(main, ["render", "--saved", "alibaba_stakes"])
    assert scalars.exit_code == 1
    assert scalars.output == ("Error: the query returned no nodes, relationships or paths to draw; "
                              "return them (RETURN a, r, b or RETURN p)\n")


def test_a_map_over_the_limit_is_refused_before_any_work(G, tmp_path, monkeypatch):
    from ecograph import render
    from ecograph.select import SelectionTooLargeError

    monkeypatch.setattr(render, "layout", lambda *a, **k: pytest.fail("laid out a refused map"))
    with pytest.raises(SelectionTooLargeError) as err:
        write_html(G, tmp_path / "map.html", max_entities=10)
    assert (err.value.count, err.value.limit) == (G.number_of_nodes(), 10)
    assert not (tmp_path / "map.html").exists()


def test_drawing_a_map_reports_its_steps(G, tmp_path):
    calls = []
    write_html(G, tmp_path / "map.html", progress=lambda *call: calls.append(call))
    assert calls == [("Drawing the map", done, 5) for done in range(6)]
