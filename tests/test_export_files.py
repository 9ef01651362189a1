"""Graph files read back by independent readers: networkx, igraph, json, csv."""

from __future__ import annotations

import csv
import json

import networkx as nx
import pytest
from click.testing import CliRunner

import ecograph
from cli import main
from ecograph.export.csv_tables import write_csv
from ecograph.export.gexf import write_gexf
from ecograph.export.graphml import write_graphml
from ecograph.export.json_graph import graph_json, write_json
from ecograph.render import layout


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
    igraph = pytest.importorskip("igraph")
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
