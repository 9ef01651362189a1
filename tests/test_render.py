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
from ecograph.view.layout import degree_radii, layout
from ecograph.view.map import render_html, write_html
from ecograph.view.map_data import graph_data
from ecograph.view.style import (
    GROUP_WIDTH, KIND_STYLE, LABEL_INSIDE, LABEL_WIDTH, REL_STYLE, contrast, label_box, text_colour, text_width,
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
    from ecograph.view import map_data as render
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
        pos, sizes = layout(graph, 42), degree_radii(graph)
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


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    """A synthetic ecosystem above the exact layout's limit: 2,000 entities, 8,000 ties."""
    from ecograph.data.graphdata import build_graph, read_graphdata
    from ecograph.data.synth import write_synthetic

    folder = tmp_path_factory.mktemp("synth") / "data"
    write_synthetic(folder, 2_000, 8_000, seed=3)
    return build_graph(read_graphdata([folder]))


def test_a_big_map_spreads_camp_by_camp_with_its_untied_entities_below(big):
    from ecograph.analysis import camp_membership
    from ecograph.view.layout import EXACT_LAYOUT_LIMIT

    assert big.number_of_nodes() > EXACT_LAYOUT_LIMIT
    pos = layout(big, 42)
    assert pos == layout(big, 42) and set(pos) == set(big)
    tied = [n for n in big if big.degree(n) > 0]
    xs, ys = [pos[n][0] for n in tied], [pos[n][1] for n in tied]
    # Spread over the canvas: about 90 px square an entity, not an 80-pixel hairball, and no
    # more than twice as wide as tall (no ring of orphans, no line of parts).
    width, height = max(xs) - min(xs), max(ys) - min(ys)
    assert width * height > 0.5 * 90 ** 2 * len(tied)
    assert 0.5 < width / height < 2
    untied = [n for n in big if big.degree(n) == 0]
    assert untied and min(pos[n][1] for n in untied) > max(ys)
    # Each camp sits together: the mean distance inside a camp is well under the map's size.
    camp_of, _ = camp_membership(big)
    first = [n for n in tied if camp_of[n] == 1]
    cx, cy = sum(pos[n][0] for n in first) / len(first), sum(pos[n][1] for n in first) / len(first)
    spread = sum(((pos[n][0] - cx) ** 2 + (pos[n][1] - cy) ** 2) ** 0.5 for n in first) / len(first)
    assert spread < 0.3 * max(width, height)


def test_camp_membership_numbers_and_centres_camps_as_communities_does(big):
    from ecograph.analysis import camp_membership, communities

    camp_of, centres = camp_membership(big)
    camps = communities(big)
    assert centres == {c["id"]: c["centre"]["id"] for c in camps}
    assert camp_of == {m["id"]: c["id"] for c in camps for m in c["members"]}


def test_a_big_page_draws_labels_from_a_zoom_and_fades_by_a_veil(big):
    data = graph_data(big)
    assert data["big"] and data["labelThreshold"] >= 12
    assert not graph_data(ecograph.load())["big"]


def test_the_page_script_spreads_no_array_into_arguments():
    # Math.min.apply(null, years) overflowed the stack at a million ties: no apply and no spread
    # anywhere in the page's own script, whatever the array's size.
    from ecograph.view.map import page_script

    script = page_script()
    assert ".apply(" not in script and not re.search(r"\.\.\.\s*[\w(\[]", script)


def test_a_map_above_the_threshold_is_grouped_by_camp_labelled_by_its_centre(big):
    from ecograph.analysis import camp_membership

    assert "groups" not in graph_data(big, group_above=None)
    data = graph_data(big, group_above=1_000)
    camp_of, centres = camp_membership(big)
    sizes: dict[int, int] = {}
    for c in camp_of.values():
        sizes[c] = sizes.get(c, 0) + 1
    assert [g["camp"] for g in data["groups"]] == sorted(c for c, k in sizes.items() if k > 1)
    for g in data["groups"]:
        assert g["centre"] == centres[g["camp"]] and g["members"] == sizes[g["camp"]]
        assert g["label"].startswith(big.nodes[g["centre"]]["name_en"].split()[0])
    assert all(n["camp"] == (camp_of[n["id"]] if sizes[camp_of[n["id"]]] > 1 else None) for n in data["nodes"])
    # Each group tie counts the ties between two camps; each camp keeps at most its 3 strongest.
    counts: dict[tuple[int, int], int] = {}
    for u, v in big.edges():
        a, b = sorted((camp_of[u], camp_of[v]))
        if a != b and sizes[a] > 1 and sizes[b] > 1:
            counts[(a, b)] = counts.get((a, b), 0) + 1
    assert data["groupTies"] and all(counts[(a, b)] == k for a, b, k in data["groupTies"])
    per_camp: dict[int, int] = {}
    for a, b, _ in data["groupTies"]:
        per_camp[a] = per_camp.get(a, 0) + 1
        per_camp[b] = per_camp.get(b, 0) + 1
    strongest = {c: max(k for (a, b), k in counts.items() if c in (a, b)) for c in per_camp}
    assert all(any(k == strongest[c] and c in (a, b) for a, b, k in data["groupTies"]) for c in per_camp)


def test_render_groups_above_its_option_and_not_with_no_groups(big, tmp_path, monkeypatch):
    from ecograph.data.synth import write_synthetic

    write_synthetic(tmp_path / "data", 300, 900, seed=2)
    monkeypatch.chdir(tmp_path)
    base = ["render", "--no-shipped-data", "--data", "data"]
    result = CliRunner().invoke(main, [*base, "-o", "grouped.html", "--group-above", "100"])
    assert result.exit_code == 0, result.output
    assert page_data((tmp_path / "grouped.html").read_text(encoding="utf-8"))["groups"]
    result = CliRunner().invoke(main, [*base, "-o", "flat.html", "--group-above", "100", "--no-groups"])
    assert result.exit_code == 0, result.output
    assert "groups" not in page_data((tmp_path / "flat.html").read_text(encoding="utf-8"))


def _unpack_nodes(data):
    """The nodes a compact page's script rebuilds from ``data["entities"]`` (map-data.js), in Python."""
    c, nodes = data["entities"], []
    for i, node_id in enumerate(c["id"]):
        look, en, zh = c["looks"][c["look"][i]], c["en"][i], c["zh"][i]
        labels = {"en": en, "zh": zh or en, "both": f"{en}\n{zh}" if zh else en}
        n = {"id": node_id, "label": labels.get(data["lang"], labels["both"]), "labels": labels, "kind": look["kind"],
             "name_en": en if c["nameEn"][i] is None else c["nameEn"][i],
             "name_zh": zh if c["nameZh"][i] is None else c["nameZh"][i], "aliases": c["aliases"][i] or [],
             "color": look["color"], "shape": look["shape"], "size": c["size"][i], "x": c["x"][i], "y": c["y"][i],
             "search": c["search"][i]}
        n["title"] = f"{n['name_en']} / {n['name_zh']}\n{n['kind']} · {node_id}{c['tips'][c['tip'][i]]}{c['tail'][i]}"
        if "font" in look:
            n["font"] = look["font"]
        if "camp" in c:
            n["camp"] = c["camp"][i]
        nodes.append(n)
    return nodes


def _say_name(n):
    return f"{n['name_en']} / {n['name_zh']}" if n["name_en"] and n["name_zh"] and n["name_en"] != n["name_zh"] else (
        n["name_en"] or n["name_zh"] or n["id"])


def _unpack_ties(data):
    """The edges a compact page's script rebuilds from ``data["ties"]`` (map-data.js), in Python."""
    t, ids, nodes = data["ties"], data["entities"]["id"], _unpack_nodes(data)
    names = [t["names"].get(str(i), _say_name(n)) for i, n in enumerate(nodes)]
    edges = []
    for i, (a, b, s, k, tip) in enumerate(zip(t["from"], t["to"], t["style"], t["stake"], t["tip"])):
        look = t["styles"][s]
        edge = {"id": i, "from": ids[a], "to": ids[b], "type": look["type"], "group": look["group"], "year": t["year"][i],
                "title": f"{names[a]} {look['words']} {names[b]}{t['tips'][tip]}",
                "color": {"color": look["color"], "highlight": look["color"], "hover": look["color"]}, "width": look["width"]}
        if "dashes" in look:
            edge["dashes"] = look["dashes"]
        if k:
            edge["stake"] = t["stakes"][k - 1][0]  # what the page's reach multiplies (#13)
            edge["width"] = look["width"] + 4 * t["stakes"][k - 1][0]
            if look["group"] == "equity":
                edge["label"] = t["stakes"][k - 1][1]
        edges.append(edge)
    return edges


def _without_panel_words(items):
    """``items`` (a full page's nodes or edges) without the side panel's extra words (#13: a tie's
    ``about``, an entity's ``description`` and ``country``), which the compact format does not
    carry yet: on a big map the panel shows the tie's sentence, which holds its source."""
    return [{k: v for k, v in item.items() if k not in ("about", "description", "country")} for item in items]


def test_compact_ties_carry_the_same_edges_and_sentences_as_objects(G):
    # Issue #14: a big map sends its ties as columns; unpacked, they are the very edges (and
    # tooltip sentences) the seed's page carries one object each.
    full = graph_data(G)
    compact = graph_data(G, compact=True)
    assert "ties" not in full and compact["edges"] == [] and compact["nodes"] == []
    assert _unpack_ties(compact) == _without_panel_words(full["edges"])
    assert _unpack_nodes(compact) == _without_panel_words(full["nodes"])
    assert compact["legend"] == full["legend"]
    t = compact["ties"]
    assert all(isinstance(v, int) for k in ("from", "to", "style", "tip") for v in t[k])


def test_a_compact_tie_names_an_entity_with_no_english_name_as_the_sentence_does(G):
    g = G.copy()
    del g.nodes["alibaba"]["name_en"]
    assert _unpack_ties(graph_data(g, compact=True)) == _without_panel_words(graph_data(g)["edges"])


def test_a_big_map_sends_its_ties_as_columns(tmp_path):
    from ecograph.data.graphdata import build_graph, read_graphdata
    from ecograph.data.synth import write_synthetic
    from ecograph.view.layout import EXACT_LAYOUT_LIMIT

    write_synthetic(tmp_path / "data", EXACT_LAYOUT_LIMIT + 100, 4_000, seed=7)
    G = build_graph(read_graphdata([tmp_path / "data"]))
    data = graph_data(G)
    assert data["big"] and data["edges"] == [] and len(data["ties"]["from"]) == G.number_of_edges()
    edges = _unpack_ties(data)
    for (u, v, attrs), edge in zip(G.edges(data=True), edges):
        assert (edge["from"], edge["to"], edge["type"], edge["year"]) == (u, v, attrs["type"], attrs.get("year"))
    full = graph_data(G, compact=False)
    assert _without_panel_words(full["edges"]) == edges
    assert _unpack_nodes(data) == _without_panel_words(full["nodes"])
    assert len(data["ties"]["tips"]) < len(edges) / 2  # ties that say the same share their text
