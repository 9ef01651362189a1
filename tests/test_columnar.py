"""The columnar fast path of read_graphdata: the same data set as the row reader, or none."""

from __future__ import annotations

import networkx as nx
import pytest

from ecograph.data import columnar, graphdata, schema
from ecograph.errors import DataError
from ecograph.data.graphdata import build_graph, read_graphdata, shipped_data_dir
from ecograph.data.synth import write_synthetic

HEADER = "id,kind,name_en,name_zh,aliases,country,description"
ENTITIES = f"""{HEADER}
alibaba,Company,Alibaba Group,阿里巴巴集團,Alibaba|阿里,Mainland China,"E-commerce group, Hangzhou."
taobao,Platform,Taobao,淘寶網,,Mainland China,"The ""Taobao"" marketplace."
tmall,Platform,Tmall,天貓,,Mainland China,B2C marketplace.
"""
RELS = """from,type,to,stake,date,description,source
alibaba,OWNS,taobao,1,2003-05,Alibaba set up Taobao.,貳.一
alibaba,OWNS,tmall,,2008,"Tmall, spun off.",貳.一
taobao,PARTNERS_WITH,tmall,,,Cross-listing.,貳.一
"""


def same(dirs):
    """The columnar data set of ``dirs``, after checking it equals the row reader's."""
    fast = columnar.read(dirs)
    assert fast is not None, "the columnar path fell back on plain, valid data"
    slow = graphdata._read_rows(dirs)
    assert list(fast.entities.items()) == list(slow.entities.items())
    assert [list(r.items()) for r in fast.relationships] == [list(r.items()) for r in slow.relationships]
    assert fast.observations == slow.observations
    return fast


def test_spaces_are_what_str_strip_removes():
    assert columnar.SPACES == "".join(c for c in map(chr, range(0x110000)) if c.isspace())


def test_shipped_data_reads_the_same_both_ways():
    data = same([shipped_data_dir()])
    assert data.entities["alibaba"]["name_zh"] == "阿里巴巴"
    assert any(r.get("stake") == 0.1035 for r in data.relationships)


def test_synthetic_data_reads_the_same_both_ways(tmp_path):
    write_synthetic(tmp_path / "s", 300, 3000, seed=4)
    data = same([tmp_path / "s"])
    assert len(data.relationships) == 3000


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_quotes_lists_bom_and_line_ends_are_plain(write_graphdata, newline):
    data = write_graphdata({
        "entities/e.csv": "\ufeff" + ENTITIES.replace("\n", newline),
        "relationships/r.csv": RELS.replace("\n", newline),
    })
    fast = same([data])
    assert fast.entities["alibaba"]["aliases"] == ["Alibaba", "阿里"]
    assert fast.entities["taobao"]["description"] == 'The "Taobao" marketplace.'
    assert fast.relationships[1]["origin"] == "data/relationships/r.csv:3"
    assert fast.relationships[0]["stake"] == 1.0 and fast.relationships[0]["date"] == "2003-05"


@pytest.mark.parametrize("change", [
    pytest.param(lambda e, r: (e.replace("Tmall,", " Tmall,"), r), id="padded cell"),
    pytest.param(lambda e, r: (e.replace("Tmall,", "Tmall\u3000,"), r), id="ideographic space"),
    pytest.param(lambda e, r: (e + "\n", r), id="blank line"),
    pytest.param(lambda e, r: (e + ",,,,,,\n", r), id="row of empty cells"),
    pytest.param(lambda e, r: (e.replace('"E-commerce group, Hangzhou."', '"E-commerce\ngroup"'), r), id="multi-line value"),
    pytest.param(lambda e, r: (e.replace('"E-commerce group, Hangzhou."', '"E-commerce" group'), r), id="text after quote"),
    pytest.param(lambda e, r: (e.replace("B2C marketplace.", "B2C marketplace.,extra"), r), id="extra cell"),
    pytest.param(lambda e, r: (e, r.replace(",1,2003-05", ",10.35%,2003-05")), id="percent stake"),
    pytest.param(lambda e, r: (e, r.replace("2003-05", "2003-02-30")), id="unreal date"),
    pytest.param(lambda e, r: (e, r.replace("taobao,PARTNERS_WITH,tmall", "tmall,PARTNERS_WITH,taobao") + "taobao,PARTNERS_WITH,tmall,,,Again.,x\n"), id="symmetric duplicate"),
    pytest.param(lambda e, r: (e, r.replace("alibaba,OWNS,tmall", "alibaba,OWNS,tmal")), id="unknown entity"),
    pytest.param(lambda e, r: (e, r.replace("alibaba,OWNS,taobao", "taobao,OWNS,alibaba")), id="wrong endpoint kind"),
    pytest.param(lambda e, r: (e, r.replace("Cross-listing.,貳.一", "Cross-listing.,")), id="missing source"),
    pytest.param(lambda e, r: (e, r.replace("taobao,PARTNERS_WITH,tmall,,", "taobao,PARTNERS_WITH,tmall,0.5,")), id="stake on a type without one"),
    pytest.param(lambda e, r: (e + "taobao,Platform,Again,再,,Mainland China,Twice.\n", r), id="duplicate id"),
    pytest.param(lambda e, r: (e.replace("Tmall,天貓", "Tm\x1ball,天貓"), r), id="C0 control"),
    pytest.param(lambda e, r: (e.replace("Tmall,天貓", "Tmall,天\x7f貓"), r), id="DEL"),
    pytest.param(lambda e, r: (e, r.replace("Cross-listing.", "Cross\x9blisting.")), id="C1 control"),
    pytest.param(lambda e, r: (e, r.replace("Cross-listing.", "Cross\ufffflisting.")), id="U+FFFF"),
    pytest.param(lambda e, r: (e.replace("Tmall,天貓", "Tm\tall,天貓"), r), id="tab in a name"),
    pytest.param(lambda e, r: (e, r.replace("貳.一\ntaobao", "貳\t一\ntaobao")), id="tab in a source"),
])
def test_anything_unusual_or_wrong_goes_to_the_row_reader(write_graphdata, change):
    entities, relationships = change(ENTITIES, RELS)
    data = write_graphdata({"entities/e.csv": entities, "relationships/r.csv": relationships})
    assert columnar.read([data]) is None


def test_tabs_in_free_text_are_plain(write_graphdata):
    data = write_graphdata({
        "entities/e.csv": ENTITIES.replace("B2C marketplace.", "B2C\tmarketplace."),
        "relationships/r.csv": RELS.replace("Cross-listing.", "Cross\tlisting."),
    })
    fast = same([data])
    assert fast.entities["tmall"]["description"] == "B2C\tmarketplace."
    assert fast.relationships[2]["description"] == "Cross\tlisting."


def test_control_bytes_are_the_forbidden_characters_but_tab_and_line_ends():
    # Every code point of the BMP but the surrogates (which UTF-8 cannot encode), one at a time;
    # beyond it, a few: their four UTF-8 bytes are all at or over 0x80 and hold no 0xC2 or 0xEF.
    chars = [chr(c) for c in [*range(0x10000), 0x1FFFE, 0x1FFFF, 0x10FFFF] if not 0xD800 <= c <= 0xDFFF]
    found = [ch for ch in chars if columnar.has_control_characters(ch.encode())]
    expected = [ch for ch in chars if schema.FORBIDDEN_CHARACTERS.match(ch) and ch not in "\t\n\r"]
    assert found == expected


def test_a_big_file_with_a_control_character_is_rejected_in_the_row_readers_words(tmp_path):
    # Over COLUMNAR_FROM_BYTES, so read_graphdata tries the columnar path first.
    write_synthetic(tmp_path / "s", 400, 14_000, seed=3)
    path = tmp_path / "s" / "relationships" / "synthetic.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[-1] = lines[-1].replace(",Synthetic tie,", ",Synthetic\x1b tie,", 1)
    path.write_text("".join(lines), encoding="utf-8")
    assert graphdata._csv_bytes([tmp_path / "s"]) >= graphdata.COLUMNAR_FROM_BYTES
    assert columnar.read([tmp_path / "s"]) is None
    with pytest.raises(DataError) as info:
        read_graphdata([tmp_path / "s"])
    assert [str(p) for p in info.value.problems] == [
        f"{tmp_path / 's'}/relationships/synthetic.csv:{len(lines)}: "
        "description contains the control character U+001B (ESC); remove it"
    ]


def test_read_graphdata_takes_the_columnar_path_for_big_files(write_graphdata, monkeypatch):
    data = write_graphdata({"entities/e.csv": ENTITIES, "relationships/r.csv": RELS})
    calls = []
    monkeypatch.setattr(columnar, "read", lambda dirs, model: calls.append(dirs) or None)
    read_graphdata([data])
    assert calls == []  # small: row by row
    monkeypatch.setattr(graphdata, "COLUMNAR_FROM_BYTES", 0)
    assert read_graphdata([data]).entities["tmall"]["name_en"] == "Tmall"  # the row reader after None
    assert calls == [[data]]


def test_build_graph_equals_networkx_add_edges_from(tmp_path):
    write_synthetic(tmp_path / "s", 50, 600, seed=2)  # dense enough for parallel ties
    dataset = read_graphdata([tmp_path / "s"])
    G = build_graph(dataset)
    H = nx.MultiDiGraph()
    H.add_nodes_from((i, graphdata._node_attrs(e)) for i, e in dataset.entities.items())
    H.add_edges_from((r["from"], r["to"], graphdata._edge_attrs(r)) for r in dataset.relationships)
    assert any(k > 0 for _, _, k in G.edges(keys=True))
    assert list(G.nodes(data=True)) == list(H.nodes(data=True))
    assert list(G.edges(keys=True, data=True)) == list(H.edges(keys=True, data=True))
    assert list(G.in_edges(keys=True, data=True)) == list(H.in_edges(keys=True, data=True))
    assert G.degree("syn-company-0") == H.degree("syn-company-0")
    G.add_edge("syn-company-0", "syn-company-1", type="PARTNERS_WITH")  # still an ordinary graph
    assert G.has_edge("syn-company-0", "syn-company-1")


def test_a_graph_from_arrow_columns_equals_one_from_records(tmp_path, monkeypatch):
    write_synthetic(tmp_path / "s", 60, 700, seed=5)
    monkeypatch.setattr(graphdata, "COLUMNAR_FROM_BYTES", 0)
    from_columns = build_graph(read_graphdata([tmp_path / "s"]))
    from_records = read_graphdata([tmp_path / "s"])
    assert from_records.relationships  # made from the table: build_graph then uses the records
    from_records = build_graph(from_records)
    assert list(from_columns.edges(keys=True, data=True)) == list(from_records.edges(keys=True, data=True))
    assert any("year" in d and "stake" in d for _, _, d in from_columns.edges(data=True))
    assert all(list(d)[0] == "type" and list(d)[-1] == "origin" for _, _, d in from_columns.edges(data=True))


def test_counting_relationships_makes_no_records(write_graphdata, monkeypatch):
    monkeypatch.setattr(graphdata, "COLUMNAR_FROM_BYTES", 0)
    data = read_graphdata([write_graphdata({"entities/e.csv": ENTITIES, "relationships/r.csv": RELS})])
    assert data.relationship_count == 3
    assert data._relationships is None
    assert len(data.relationships) == data.relationship_count == 3


PLACES = f"""{HEADER}
mainland-china,Country,Mainland China,中國大陸,,Mainland China,Country.
taiwan,Country,Taiwan,臺灣,,Taiwan,Country.
shanghai,City,Shanghai,上海,,Mainland China,City.
alibaba,Company,Alibaba Group,阿里巴巴集團,,Mainland China,Group.
acme,Company,Acme,愛克米,,Taiwan,Firm.
"""
PLACED = """from,type,to,description,source
shanghai,LOCATED_IN,mainland-china,City,貳.一
alibaba,LOCATED_IN,shanghai,Group,貳.三.2
acme,LOCATED_IN,taiwan,Firm,Annual report
"""


def test_the_fast_path_checks_where_entities_are(write_graphdata):
    data = write_graphdata({"entities/e.csv": PLACES, "relationships/r.csv": PLACED})
    assert same([data]).relationship_count == 3
    untied = write_graphdata({"entities/e.csv": PLACES, "relationships/r.csv": PLACED.replace(
        "alibaba,LOCATED_IN,shanghai,Group,貳.三.2\n", "")}, name="untied")
    assert columnar.read([untied]) is None
    crossed = write_graphdata({"entities/e.csv": PLACES, "relationships/r.csv": PLACED.replace(
        "acme,LOCATED_IN,taiwan,", "acme,LOCATED_IN,shanghai,")}, name="crossed")
    assert columnar.read([crossed]) is None


def test_places_nested_deeper_than_the_walk_go_the_same_way_in_python(write_graphdata):
    depth = columnar._LOCATION_LEVELS + 3
    cities = [f"city-{i},City,City {i},城{i},,Mainland China,City." for i in range(depth)]
    chain = [f"city-{i},LOCATED_IN,city-{i - 1},City,here" for i in range(1, depth)]
    entities = f"{HEADER}\nmainland-china,Country,Mainland China,中國大陸,,Mainland China,Country.\n" + "\n".join(cities) + "\n"
    ties = "from,type,to,description,source\ncity-0,LOCATED_IN,mainland-china,City,here\n" + "\n".join(chain) + "\n"
    data = write_graphdata({"entities/e.csv": entities, "relationships/r.csv": ties})
    assert same([data]).relationship_count == depth
    broken = write_graphdata({"entities/e.csv": entities, "relationships/r.csv": ties.replace(
        "city-0,LOCATED_IN,mainland-china,City,here\n", "")}, name="broken")
    assert columnar.read([broken]) is None


def test_a_big_folder_missing_a_tie_is_rejected_in_the_row_readers_words(tmp_path):
    write_synthetic(tmp_path / "s", 400, 14_000, seed=3)
    path = tmp_path / "s" / "relationships" / "synthetic.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    last = max(n for n, line in enumerate(lines) if line.split(",")[1] == "LOCATED_IN")  # a firm or a body: a leaf
    entity = lines[last].split(",")[0]
    path.write_text("".join(lines[:last] + lines[last + 1:]), encoding="utf-8")
    assert graphdata._csv_bytes([tmp_path / "s"]) >= graphdata.COLUMNAR_FROM_BYTES
    assert columnar.read([tmp_path / "s"]) is None
    with pytest.raises(DataError) as info:
        read_graphdata([tmp_path / "s"])
    rows = [row.split(",") for row in (tmp_path / "s" / "entities" / "synthetic.csv").read_text(encoding="utf-8").splitlines()]
    line, region = next((n, row[5]) for n, row in enumerate(rows, 1) if row[0] == entity)
    country = next(row[0] for row in rows if row[1] == "Country" and row[5] == region)  # the first of that country
    assert [str(p) for p in info.value.problems] == [
        f"{tmp_path / 's'}/entities/synthetic.csv:{line}: country '{region}' has no LOCATED_IN tie to "
        f"{country} (or to a place in it); add one in relationships/"
    ]
