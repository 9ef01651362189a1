"""Query results: table, JSON and CSV output and subgraphs, built by hand (no database needed)."""

from __future__ import annotations

import csv
import io
import json

from ecograph.result import Node, Path, QueryResult, Relationship, format_csv, format_json, format_table

ALIBABA = Node("alibaba", ("Company",), {"id": "alibaba", "name_en": "Alibaba Group", "name_zh": "阿里巴巴"}, "0:0")
SINGPOST = Node("singapore-post", ("Company",), {"id": "singapore-post", "name_en": "Singapore Post", "name_zh": "新加坡郵政"}, "0:1")
TAOBAO = Node("taobao", ("Platform",), {"id": "taobao", "name_en": "Taobao", "name_zh": "淘寶"}, "1:0")
STAKE = Relationship("INVESTED_IN", "alibaba", "singapore-post", {"stake": 0.1035, "source": "貳.四"}, "5:0")
RUNS = Relationship("OWNS", "alibaba", "taobao", {"date": "2003"}, "6:0")


def _result(columns, rows):
    return QueryResult(columns, rows, nodes={n.key: n for n in (ALIBABA, SINGPOST, TAOBAO)})


def test_table_shows_nodes_by_name_and_label_and_keeps_cjk_columns_straight():
    text = format_table(_result(["who", "tie", "stake"], [[SINGPOST, STAKE, 0.1035], [TAOBAO, RUNS, None]]))
    assert text.splitlines() == [
        "who                                     tie             stake",
        "--------------------------------------  --------------  ------",
        "Singapore Post / 新加坡郵政 (:Company)  [:INVESTED_IN]  0.1035",
        "Taobao / 淘寶 (:Platform)               [:OWNS]",
        "(2 rows)",
    ]


def test_paths_read_as_chains_with_direction():
    forward = Path((ALIBABA, SINGPOST), (STAKE,))
    backward = Path((TAOBAO, ALIBABA, SINGPOST), (RUNS, STAKE))
    text = format_table(_result(["p"], [[forward], [backward]]))
    assert text.splitlines()[2:4] == [
        "Alibaba Group / 阿里巴巴 -[:INVESTED_IN]-> Singapore Post / 新加坡郵政",
        "Taobao / 淘寶 <-[:OWNS]- Alibaba Group / 阿里巴巴 -[:INVESTED_IN]-> Singapore Post / 新加坡郵政",
    ]


def test_json_gives_full_properties():
    data = json.loads(format_json(_result(["r", "n", "xs"], [[STAKE, 3000000000.0, [1, None]]])))
    assert data == [
        {
            "r": {
                "kind": "relationship",
                "type": "INVESTED_IN",
                "start": "alibaba",
                "end": "singapore-post",
                "properties": {"stake": 0.1035, "source": "貳.四"},
                "element_id": "5:0",
            },
            "n": 3000000000.0,
            "xs": [1, None],
        }
    ]


def test_csv_escapes_cells_a_spreadsheet_would_run_as_formulas():
    text = format_csv(_result(["name", "n"], [["=HYPERLINK(\"x\")", -3], ["@SUM(A1)", 2], ["+1", 1], ["騰訊", 0]]))
    rows = list(csv.reader(io.StringIO(text)))
    assert rows == [["name", "n"], ["'=HYPERLINK(\"x\")", "-3"], ["'@SUM(A1)", "2"], ["'+1", "1"], ["騰訊", "0"]]


def test_subgraph_holds_the_nodes_and_relationships_with_their_properties():
    result = _result(["p", "r"], [[Path((ALIBABA, SINGPOST), (STAKE,)), RUNS], [None, RUNS]])
    G = result.subgraph()
    assert sorted(G.nodes) == ["alibaba", "singapore-post", "taobao"]
    assert G.nodes["taobao"] == {"kind": "Platform", "name_en": "Taobao", "name_zh": "淘寶"}
    assert sorted((u, v, d["type"]) for u, v, d in G.edges(data=True)) == [
        ("alibaba", "singapore-post", "INVESTED_IN"),
        ("alibaba", "taobao", "OWNS"),
    ]
    assert G.edges["alibaba", "singapore-post", 0]["stake"] == 0.1035
