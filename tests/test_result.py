"""Query results: table, JSON and CSV output and subgraphs, built by hand (no database needed)."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace

import pytest

from ecograph.query.result import (
    Node,
    Path,
    QueryResult,
    Relationship,
    ResultStream,
    SubgraphBuilder,
    format_csv,
    format_json,
    format_table,
    iter_csv,
    iter_json,
    iter_table,
    jsonable,
)

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
        "--------------------------------------  --------------  -------",
        "Singapore Post / 新加坡郵政 (:Company)  [:INVESTED_IN]  10.35 %",
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


# --- streaming ------------------------------------------------------------------------------------


@pytest.mark.parametrize("rows", [
    [],
    [[STAKE, 3000000000.0, [1, None]]],
    [[ALIBABA, "two\nlines", {"nested": [1, {"deep": "x"}]}], [Path((ALIBABA, SINGPOST), (STAKE,)), None, []]],
])
def test_streamed_json_is_the_same_text_as_one_dump(rows):
    columns = ["a", "b", "c"]
    expected = json.dumps([{c: jsonable(v) for c, v in zip(columns, row)} for row in rows],
                          ensure_ascii=False, indent=2)
    assert "".join(iter_json(columns, rows)) == expected
    assert json.loads("".join(iter_json(columns, rows))) == json.loads(expected)


def test_json_is_written_as_the_rows_come():
    def rows():
        yield [1]
        yield [2]
        raise RuntimeError("the backend failed after two rows")

    pieces = iter_json(["n"], rows())
    assert next(pieces) == '[\n  {\n    "n": 1\n  }'
    assert next(pieces) == ',\n  {\n    "n": 2\n  }'
    with pytest.raises(RuntimeError):
        next(pieces)


def test_table_widths_come_from_the_first_rows_then_later_cells_are_cut():
    rows = [["ab", "x"], ["abcd", "y"], ["abcdefgh", "long last column"], ["淘寶淘寶淘寶", "z"]]
    lines = "".join(iter_table(["k", "v"], rows, sample=2)).splitlines()
    assert lines == [
        "k     v",
        "----  -",
        "ab    x",
        "abcd  y",
        "abc…  long last column",  # cut to the width the first two rows set; the last column never is
        "淘…   z",  # CJK counts two columns: 淘 + … fill three of four
        "(4 rows)",
    ]


def test_a_table_shorter_than_the_sample_is_aligned_on_every_row():
    rows = [[SINGPOST, STAKE, 0.1035], [TAOBAO, RUNS, None]]
    assert "".join(iter_table(["who", "tie", "stake"], rows)) == format_table(_result(["who", "tie", "stake"], rows)) + "\n"


def test_streamed_csv_is_the_same_text_as_format_csv():
    rows = [["=1", 2], ["騰訊", None]]
    assert "".join(iter_csv(["a", "b"], rows)) == format_csv(_result(["a", "b"], rows)) == "a,b\n'=1,2\n騰訊,\n"


def test_a_stream_hands_out_batches_and_knows_each_batchs_nodes():
    closed = []
    batches = iter([
        ([[RUNS]], {"alibaba": ALIBABA, "taobao": TAOBAO}),
        ([[STAKE], [None]], {"alibaba": ALIBABA, "singapore-post": SINGPOST}),
    ])
    stream = ResultStream(["r"], batches, backend="neo4j", close=lambda: closed.append(True))
    seen = []
    builder = SubgraphBuilder()
    for row in stream:
        seen.append((row[0], sorted(stream.nodes)))
        builder.add_row(row, stream.nodes)
    assert seen == [(RUNS, ["alibaba", "taobao"]), (STAKE, ["alibaba", "singapore-post"]),
                    (None, ["alibaba", "singapore-post"])]
    assert closed == [True]
    stream.close()
    assert closed == [True]  # once only
    assert builder.graph.nodes["singapore-post"]["name_en"] == "Singapore Post"
    assert sorted(builder.graph.edges(data="type")) == [("alibaba", "singapore-post", "INVESTED_IN"),
                                                       ("alibaba", "taobao", "OWNS")]


def test_a_collected_stream_is_the_query_result():
    batches = iter([([[RUNS]], {"alibaba": ALIBABA, "taobao": TAOBAO}), ([[STAKE]], {"singapore-post": SINGPOST})])
    result = ResultStream(["r"], batches).collect()
    assert result.rows == [[RUNS], [STAKE]]
    assert set(result.nodes) == {"alibaba", "taobao", "singapore-post"}
    assert sorted(result.subgraph().nodes) == ["alibaba", "singapore-post", "taobao"]


def test_a_subgraph_past_its_limit_stops_growing_and_counts_on():
    builder = SubgraphBuilder(max_entities=2)
    builder.add_row([RUNS], {"alibaba": ALIBABA, "taobao": TAOBAO})
    assert (builder.too_many, builder.count) == (False, 2)
    builder.add_row([STAKE, ALIBABA], {"singapore-post": SINGPOST})
    builder.add_row([SINGPOST], {})
    assert (builder.too_many, builder.count) == (True, 3)
    assert builder.graph.number_of_nodes() == 0  # the partial graph was let go


def test_table_numbers_read_as_a_person_reads_them_and_json_csv_keep_them_raw():
    columns = ["r.amount", "r.currency", "r.stake", "o.value", "o.unit", "n", "year", "ratio"]
    rows = [[3_000_000_000, "CNY", 0.18, 0.942, "fraction", 35_900_000, 2014, 0.125],
            [12_000.0, "USD", None, 1, "rank", 9999, 2015, 12345.678]]
    lines = format_table(QueryResult(columns, rows)).splitlines()
    cells = [line.split("  ") for line in lines[2:4]]
    assert [[c.strip() for c in row if c.strip()] for row in cells] == [
        ["3 billion CNY", "CNY", "18 %", "94.2 %", "fraction", "35,900,000", "2014", "0.125"],
        ["12,000 USD", "USD", "no. 1", "rank", "9999", "2015", "12,345.68"],
    ]
    assert format_csv(QueryResult(columns, rows)).splitlines()[1] == "3000000000,CNY,0.18,0.942,fraction,35900000,2014,0.125"
    assert json.loads(format_json(QueryResult(columns, rows)))[0]["r.amount"] == 3_000_000_000


def test_table_types_numbers_by_the_data_s_own_model():
    from ecograph.data.schema import SHIPPED, Field

    share = Field("share", "fraction", "A declared fraction.")
    model = replace(SHIPPED, relationship_fields=(*SHIPPED.relationship_fields, share))
    assert list(iter_table(["r.share"], [[0.25]], model=model))[2] == "25 %\n"
    assert list(iter_table(["r.share"], [[0.25]]))[2] == "0.25\n"
