"""Graph files read back by independent readers: networkx, igraph, json, csv."""

from __future__ import annotations

import csv
import json
import re

import networkx as nx
import pytest
from click.testing import CliRunner

import ecograph
from cli import main
from ecograph.export.csv_tables import write_csv
from ecograph.export.gexf import write_gexf
from ecograph.export.graphml import write_graphml
from ecograph.export.json_graph import graph_json, write_json
from ecograph.view.layout import layout


@pytest.fixture(scope="module")
def G():
    return ecograph.load()


def test_graphml_reads_back_with_networkx_and_igraph(G, tmp_path):
    path = tmp_path / "g.graphml"
    write_graphml(G, path)
    back = nx.read_graphml(path, force_multigraph=True)
    assert set(back.nodes) == set(G.nodes) and back.number_of_edges() == G.number_of_edges()
    a = back.nodes["alibaba"]
    assert (a["kind"], a["name_zh"], a["aliases"], a["color"]) == ("Company", "阿里巴巴", "Alibaba|阿里巴巴集團|阿里", "#1f77b4")
    assert (a["x"], a["y"]) == layout(G, 42)["alibaba"]
    stakes = {(u, v): d.get("stake") for u, v, d in back.edges(data=True) if d["type"] == "INVESTED_IN"}
    assert stakes[("alibaba", "singapore-post")] == 0.1035
    import igraph  # a dependency of ecograph: a missing one fails, never skips
    g = igraph.Graph.Read_GraphML(str(path))
    assert (g.vcount(), g.ecount()) == (G.number_of_nodes(), G.number_of_edges())
    assert set(g.vs["name_zh"]) == {d["name_zh"] for _, d in G.nodes(data=True)}


def test_gexf_reads_back_with_viz(G, tmp_path):
    path = tmp_path / "g.gexf"
    write_gexf(G, path)
    back = nx.read_gexf(path)
    assert set(back.nodes) == set(G.nodes) and back.number_of_edges() == G.number_of_edges()
    viz = back.nodes["alibaba"]["viz"]
    x, y = layout(G, 42)["alibaba"]
    assert viz["color"] == {"r": 31, "g": 119, "b": 180, "a": 1.0}
    assert (viz["position"]["x"], viz["position"]["y"]) == (x, -y)
    assert back.nodes["alibaba"]["name_zh"] == "阿里巴巴"
    assert sorted(d["rel_type"] for _, _, d in back.edges(data=True)) == sorted(t for _, _, t in G.edges(data="type"))
    assert sorted(d["label"] for _, _, d in back.edges(data=True)) == sorted(t for _, _, t in G.edges(data="type"))


def test_json_has_a_format_version_and_round_trips(G, tmp_path):
    path = tmp_path / "g.json"
    write_json(G, path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert (data["format"], data["version"], data["directed"], data["multigraph"]) == ("ecograph-graph", 1, True, True)
    back = nx.node_link_graph({k: v for k, v in data.items() if k not in ("format", "version")}, edges="links")
    assert set(back.nodes) == set(G.nodes) and back.number_of_edges() == G.number_of_edges()
    assert back.nodes["alibaba"]["aliases"] == ["Alibaba", "阿里巴巴集團", "阿里"]
    assert data == graph_json(G)


def test_csv_opens_in_excel_and_escapes_formulas(tmp_path):
    g = nx.MultiDiGraph()
    g.add_node("x", kind="Company", name_en="=HYPERLINK(\"http://evil\")", name_zh="騰訊", aliases=["@a", "b"])
    g.add_node("y", kind="Platform", name_en="-1 Platform", name_zh="乙", aliases=[])
    g.add_edge("x", "y", type="OWNS", stake=0.5, description="+tie", source="s")
    write_csv(g, tmp_path / "out")
    raw = (tmp_path / "out" / "nodes.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with open(tmp_path / "out" / "nodes.csv", encoding="utf-8-sig", newline="") as f:
        nodes = {r["id"]: r for r in csv.DictReader(f)}
    assert nodes["x"]["name_en"] == "'=HYPERLINK(\"http://evil\")" and nodes["x"]["name_zh"] == "騰訊"
    assert nodes["x"]["aliases"] == "'@a|b" and nodes["y"]["name_en"] == "'-1 Platform"
    with open(tmp_path / "out" / "edges.csv", encoding="utf-8-sig", newline="") as f:
        (edge,) = list(csv.DictReader(f))
    assert (edge["from"], edge["type"], edge["to"], edge["stake"], edge["description"]) == ("x", "OWNS", "y", "0.5", "'+tie")


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json", "csv", "html"])
def test_export_command_writes_a_selection_and_refuses_to_overwrite(fmt, tmp_path):
    out = tmp_path / f"view.{fmt}"
    run = CliRunner()
    first = run.invoke(main, ["export", fmt, "-o", str(out), "--center", "alibaba", "--rels", "INVESTED_IN"])
    assert (first.exit_code, first.output) == (0, f"Wrote {out}{'/' if fmt == 'csv' else ''} (4 entities, 3 relationships)\n")
    again = run.invoke(main, ["export", fmt, "-o", str(out)])
    assert (again.exit_code, again.output) == (1, f"Error: {out} exists; add --force to replace it\n")
    assert run.invoke(main, ["export", fmt, "-o", str(out), "--force"]).exit_code == 0


def test_export_of_an_empty_selection_is_refused(tmp_path):
    result = CliRunner().invoke(main, ["export", "json", "-o", str(tmp_path / "x.json"), "--kinds", "Event", "--rels", "OWNS"])
    assert (result.exit_code, result.output) == (1, "Error: the selection is empty: no entity matches these selectors\n")
    assert not (tmp_path / "x.json").exists()


# --- pictures, slides and decks ------------------------------------------------------------------

CJK = re.compile(r"[\u3400-\u9fff]")


def test_png_has_the_requested_size_and_is_not_blank(G, tmp_path):
    from PIL import Image

    from ecograph.export.image import cjk_font, write_png
    from ecograph.view.select import Selection, select

    view = select(G, Selection(center="alibaba"))  # the size asked for, whatever is drawn: the whole seed took long
    font = write_png(view, tmp_path / "m.png", width=1200, height=800, dpi=100)
    assert font == cjk_font()
    with Image.open(tmp_path / "m.png") as im:
        assert im.size == (1200, 800)
        colours = im.convert("RGB").getcolors(maxcolors=1 << 20)
    assert colours is not None and len(colours) > 50


def test_chinese_labels_are_drawn_in_a_cjk_font_when_one_exists(G):
    from matplotlib import font_manager

    from ecograph.export.image import cjk_font, draw

    font = cjk_font()
    if font is None:
        pytest.skip("no CJK font on this machine (.ci/run installs fonts-noto-cjk)")
    from ecograph.view.select import Selection, select

    view = select(G, Selection(center="alibaba"))  # small enough for every name to fit
    fig, used = draw(view)
    cjk_texts = [t for t in fig.axes[0].texts if CJK.search(t.get_text())]
    assert used == font and len(cjk_texts) == sum(1 for _, zh in view.nodes(data="name_zh") if CJK.search(zh or ""))
    path = font_manager.findfont(font_manager.FontProperties(family=cjk_texts[0].get_fontfamily()))
    assert "CJK" in path or "Han" in path or "WenQuanYi" in path


def test_svg_keeps_chinese_names_as_text(G, tmp_path):
    import xml.etree.ElementTree as ET

    from ecograph.export.image import cjk_font, write_svg

    from ecograph.view.select import Selection, select

    write_svg(select(G, Selection(center="singapore-post")), tmp_path / "m.svg")  # every name fits
    root = ET.parse(tmp_path / "m.svg").getroot()
    texts = "".join("".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text"))
    assert "Alibaba Group" in texts
    if cjk_font():
        assert "阿里巴巴" in texts and "新加坡郵政" in texts


def test_deck_from_a_yaml_spec(tmp_path, monkeypatch, seed_cache):
    from pptx import Presentation

    monkeypatch.setenv("XDG_CACHE_HOME", str(seed_cache))
    spec = tmp_path / "deck.yaml"
    spec.write_text(
        "title: Two camps\n"
        "views:\n"
        "  - {title: Alibaba, center: alibaba, rels: [OWNS, INVESTED_IN]}\n"
        "  - {title: Up to 2013, until: 2013}\n"
        "  - title: Chain\n"
        "    query: 'MATCH p = shortestPath((a {id: $a})-[*..6]-(b {id: $b})) RETURN p'\n"
        "    params: {a: tencent, b: singapore-post}\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["deck", str(spec), "-o", str(tmp_path / "deck.pptx")])
    slides = Presentation(tmp_path / "deck.pptx").slides
    assert (result.exit_code, result.output) == (0, f"Wrote {tmp_path / 'deck.pptx'} ({len(slides)} slides)\n")
    titles = [next(s.text_frame.text for s in slide.shapes if s.name == "title") for slide in slides]
    # Each view: its drawing, its key ties (continued where long), and what did not fit; then the
    # sources written out, which the footer of "Up to 2013" cites by number.
    views = [t for t in titles if not t.startswith(("Appendix", "Key ties"))]
    assert views == ["Two camps", "Alibaba", "Up to 2013", "Chain", "Sources"] and titles[-1] == "Sources"
    assert titles[2] == "Key ties: Alibaba" and "Appendix: Up to 2013" in titles


@pytest.mark.parametrize(
    "spec, message",
    [
        ("views: []\n", "expected a mapping with 'views', a list of at least one view"),
        ("views:\n  - {title: A, centre: alibaba}\n", "view 1: unknown key 'centre'; expected one of title, center,"),
        ("views:\n  - {title: A, hops: two}\n", "view 1: hops is 'two'; expected int"),
        ("views:\n  - {center: alibaba}\n", "view 1 has no 'title'"),
        ("views: [\n", "not YAML or JSON"),
    ],
)
def test_bad_deck_specs_say_where(tmp_path, spec, message):
    from ecograph.view.deck import DeckSpecError, read_deck_spec

    path = tmp_path / "deck.yaml"
    path.write_text(spec, encoding="utf-8")
    with pytest.raises(DeckSpecError) as e:
        read_deck_spec(path)
    assert str(e.value).startswith(str(path)) and message in str(e.value)


def test_unknown_format_and_unwritable_path_are_one_line_errors(tmp_path):
    run = CliRunner()
    unknown = run.invoke(main, ["export", "pdf", "-o", str(tmp_path / "x.pdf")])
    assert unknown.exit_code == 2  # a usage error, as click.Choice reports it
    assert unknown.output.endswith(
        "Error: Invalid value for 'FORMAT': 'pdf' is not one of 'png', 'svg', 'pptx', 'graphml', 'gexf', 'json', "
        "'csv', 'html', 'cypher', 'neo4j-admin'.\n")
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    unwritable = run.invoke(main, ["export", "json", "-o", str(blocker / "x.json")])
    assert unwritable.exit_code == 1
    assert unwritable.output.startswith(f"Error: cannot write {blocker / 'x.json'}: ") and unwritable.output.count("\n") == 1


def test_query_export_writes_the_result_subgraph(tmp_path, monkeypatch, seed_cache):
    monkeypatch.setenv("XDG_CACHE_HOME", str(seed_cache))
    out = tmp_path / "q.graphml"
    result = CliRunner().invoke(main, ["query", "--format", "csv", "--export", str(out),
                                       "MATCH p = (:Company {id: 'alibaba'})-[:INVESTED_IN]->() RETURN p"])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == "p" and len(result.stdout.splitlines()) == 4
    back = nx.read_graphml(out, force_multigraph=True)
    assert sorted(back.nodes) == ["alibaba", "shoprunner", "sina-weibo", "singapore-post"]
    assert back.nodes["singapore-post"]["name_zh"] == "新加坡郵政"
    bad = CliRunner().invoke(main, ["query", "--export", str(tmp_path / "q.xyz"), "RETURN 1"])
    assert bad.exit_code == 1 and "cannot tell the format from '.xyz'" in bad.output


# --- text XML cannot hold --------------------------------------------------------------------------


def messy_graph():
    """A graph as a library user (or a store changed with query --write) may hand over: control
    characters, a lone surrogate and noncharacters in ids, names, descriptions and properties."""
    g = nx.MultiDiGraph()
    g.add_node("ali\x01baba", kind="Company", name_en="Ali\x1bbaba", name_zh="阿里\x0b巴巴", aliases=["A\x85", "阿里"],
               description="Line one\tand\x07two\x7f", note="\ud800\ufffe\uffff")
    g.add_node("ali\x02baba", kind="Company", name_en="Twin", name_zh="雙", aliases=[])  # the same id, once fixed
    g.add_node("taobao", kind="Platform", name_en="Taobao", name_zh="淘寶", aliases=[])
    g.add_edge("ali\x01baba", "taobao", type="OWNS", description="Set\x00up\nTaobao", **{"odd\x1fname": "v\x9b"})
    g.add_edge("ali\x02baba", "taobao", type="SELLS_ON", description="Twin tie")
    return g


def _write(fmt, G, path):
    if fmt == "svg":
        from ecograph.export.image import write_svg

        write_svg(G, path, title="Map\x1b[2J")
    else:
        {"graphml": write_graphml, "gexf": write_gexf}[fmt](G, path)


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "svg"])
def test_xml_exports_are_well_formed_whatever_the_text(fmt, tmp_path):
    import xml.etree.ElementTree as ET

    path = tmp_path / f"g.{fmt}"
    _write(fmt, messy_graph(), path)
    ET.parse(path)  # raises ParseError on a character XML cannot hold
    try:
        from lxml import etree
    except ImportError:
        return
    etree.parse(str(path), etree.XMLParser(recover=False))


@pytest.mark.parametrize("fmt, read", [
    ("graphml", lambda p: nx.read_graphml(p, force_multigraph=True)),
    ("gexf", nx.read_gexf),
])
def test_graph_files_carry_u_fffd_where_xml_cannot_hold_a_character(fmt, read, tmp_path):
    _write(fmt, messy_graph(), tmp_path / f"g.{fmt}")
    back = read(tmp_path / f"g.{fmt}")
    assert list(back.nodes) == ["ali\ufffdbaba", "ali\ufffdbaba (2)", "taobao"]  # told apart, not merged
    a = back.nodes["ali\ufffdbaba"]
    assert (a["name_en"], a["name_zh"], a["aliases"]) == ("Ali\ufffdbaba", "阿里\ufffd巴巴", "A\ufffd|阿里")
    assert (a["description"], a["note"]) == ("Line one\tand\ufffdtwo\ufffd", "\ufffd" * 3)  # the tab stays
    ties = {d["description"]: d for _, _, d in back.edges(data=True)}
    assert set(ties) == {"Set\ufffdup\nTaobao", "Twin tie"}
    assert ties["Set\ufffdup\nTaobao"]["odd\ufffdname"] == "v\ufffd"


def test_svg_labels_and_title_carry_u_fffd(tmp_path):
    import xml.etree.ElementTree as ET

    _write("svg", messy_graph(), tmp_path / "m.svg")
    root = ET.parse(tmp_path / "m.svg").getroot()
    texts = ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "Map\ufffd[2J" in texts
    assert any(t.startswith("Ali\ufffdbaba") for t in texts)


def test_xml_graph_leaves_clean_text_and_its_graph_alone():
    from ecograph.export.xmltext import xml_graph, xml_text

    assert xml_text("tab\tline\nreturn\r 中文 \u2028 \U0001f600") == "tab\tline\nreturn\r 中文 \u2028 \U0001f600"
    assert xml_text("\x00\x08\x0b\x0c\x0e\x1f\x7f\x80\x9f\ud800\udfff\ufffe\uffff") == "\ufffd" * 13
    G = ecograph.load()
    before = list(G.nodes(data=True)), list(G.edges(keys=True, data=True))
    assert xml_graph(G) is G
    assert (list(G.nodes(data=True)), list(G.edges(keys=True, data=True))) == before


def test_xml_graph_tells_apart_ids_and_keys_that_become_equal():
    from ecograph.export.xmltext import xml_graph

    g = nx.MultiDiGraph()
    g.add_edge("a\x01", "b", key="k\x01", stake=0.5)
    g.add_edge("a\x01", "b", key="k\x02")
    g.add_edge("a\x02", "b")
    g.edges["a\x02", "b", 0][7] = "seven\x1b"  # a library user's graph: any attribute name
    h = xml_graph(g)
    assert list(h.edges(keys=True, data=True)) == [
        ("a\ufffd", "b", "k\ufffd", {"stake": 0.5}),
        ("a\ufffd", "b", "k\ufffd (2)", {}),
        ("a\ufffd (2)", "b", 0, {7: "seven\ufffd"}),
    ]


def test_json_html_and_cypher_keep_control_characters_escaped(tmp_path):
    from ecograph.export.cypher import write_cypher
    from ecograph.view.map import write_html

    G = messy_graph()
    write_json(G, tmp_path / "g.json")
    text = (tmp_path / "g.json").read_text(encoding="utf-8")
    assert "\\ud800\\ufffe\\uffff" in text and "\\u007f" in text and "阿里" in text
    data = json.loads(text)
    alibaba = {n["id"]: n for n in data["nodes"]}["ali\x01baba"]
    assert (alibaba["name_en"], alibaba["note"]) == ("Ali\x1bbaba", "\ud800\ufffe\uffff")  # back exactly
    write_html(G, tmp_path / "g.html")
    page = (tmp_path / "g.html").read_text(encoding="utf-8")
    embedded = re.search(r'<script type="application/json" id="ecograph-data">(.*?)</script>', page, re.S).group(1)
    assert "Ali\\u001bbaba" in embedded and "A\\u0085" in embedded and "阿里" in embedded
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]", embedded)
    tooltip = {n["id"]: n["title"] for n in json.loads(embedded)["nodes"]}["ali\x01baba"]
    assert tooltip.startswith("Ali\x1bbaba")  # vis-network shows it as text
    write_cypher(G, tmp_path / "g.cypher")
    script = (tmp_path / "g.cypher").read_text(encoding="utf-8")
    assert "'Ali\\u001Bbaba'" in script and "'Set\\u0000up\\nTaobao'" in script
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", script)


def test_query_export_of_a_written_store_is_well_formed(tmp_path, monkeypatch):
    import xml.etree.ElementTree as ET

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    run = CliRunner()
    written = run.invoke(main, ["query", "--write", "MATCH (a:Company {id: 'alibaba'}) SET a.name_en = 'Ali\\u001bbaba'"])
    assert written.exit_code == 0, written.output
    out = tmp_path / "q.gexf"
    result = run.invoke(main, ["query", "--export", str(out), "MATCH p = (:Company {id: 'alibaba'})-[:INVESTED_IN]->() RETURN p"])
    assert result.exit_code == 0, result.output
    ET.parse(out)
    assert nx.read_gexf(out).nodes["alibaba"]["name_en"] == "Ali\ufffdbaba"


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json", "csv", "html", "cypher", "neo4j-admin", "svg", "pptx"])
def test_write_export_writes_each_format_and_says_what(G, fmt, tmp_path):
    from ecograph.export.dispatch import FOLDER_FORMATS, ExportOptions, write_export
    from ecograph.view.build import ViewRequest, build_view, view_title

    request = ViewRequest(center="alibaba", rels=("INVESTED_IN",))
    view = build_view(G, request)
    out = tmp_path / f"view.{fmt}"
    written = write_export(view, fmt, out, ExportOptions(title=view_title(G, request), lang="en"), names=G)
    assert (written.fmt, written.entities, written.relationships) == (fmt, len(view), view.number_of_edges())
    assert out.is_dir() if fmt in FOLDER_FORMATS else out.is_file()
    assert (written.command is not None) == (fmt == "neo4j-admin")
    assert (written.slides is not None) == (fmt == "pptx")
    if fmt in ("svg", "html"):  # the title given, centred on the entity asked for
        assert "around Alibaba" in out.read_text(encoding="utf-8")


def test_write_export_refuses_a_view_over_the_limit_before_writing(G, tmp_path):
    from ecograph.export.dispatch import write_export
    from ecograph.view.select import SelectionTooLargeError

    with pytest.raises(SelectionTooLargeError):
        write_export(G, "json", tmp_path / "g.json", max_entities=len(G) - 1)
    assert list(tmp_path.iterdir()) == []
