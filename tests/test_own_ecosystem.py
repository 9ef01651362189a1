"""A second ecosystem, not the seed: EV battery suppliers (tests/data/battery), with its own
vocabulary in schema.toml, through validation, the store, the exports, the map and the analyses;
and the schema file's own checks."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from ecograph.data import schema
from ecograph.data.graphdata import build_graph, read_graphdata
from ecograph.errors import DataError

BATTERY = Path(__file__).resolve().parent / "data" / "battery"


@pytest.fixture(scope="module")
def G():
    return build_graph(read_graphdata([BATTERY]))


@pytest.fixture
def run():
    def invoke(*args):
        return CliRunner().invoke(main, list(args), catch_exceptions=False)

    return invoke


def _problems(write_graphdata, schema_text: str, files: dict | None = None) -> list[str]:
    root = write_graphdata({"schema.toml": schema_text, **(files or {"entities/e.csv": "id,kind,name_en,country,"
                                                                     "description\n"})})
    with pytest.raises(DataError) as e:
        read_graphdata([root])
    return [str(p) for p in e.value.problems]


# --- the model ---------------------------------------------------------------------------------


def test_the_folder_declares_its_own_vocabulary(G):
    model = schema.model_of(G)
    assert list(model.kinds) == ["Supplier", "Automaker", "Fund"]
    assert list(model.rel_types) == ["SUPPLIES", "BACKS", "COMPETES_WITH"]
    assert model.rel_types["SUPPLIES"].targets == ("Automaker", "Supplier")
    assert model.rel_types["BACKS"].group == "equity" and model.rel_types["COMPETES_WITH"].symmetric
    assert model.alliance_types == ("SUPPLIES", "BACKS")
    assert {p.name: p.ladybug for p in model.node_properties}["capacity_gwh"] == "DOUBLE"
    assert {p.name: p.ladybug for p in model.relationship_properties}["volume_gwh"] == "DOUBLE"
    assert "South Korea" in model.regions and "KRW" in model.currencies and "GWh" in model.units
    assert model.citable_kinds == ("Fund",)
    assert G.nodes["catl"]["capacity_gwh"] == 400.0 and "name_zh" not in G.nodes["lg-energy"]
    assert G.edges["catl", "tesla", 0]["volume_gwh"] == 40.0


def test_a_graph_of_the_shipped_data_keeps_the_shipped_model():
    G = build_graph(read_graphdata([]))
    assert schema.model_of(G) is schema.SHIPPED and "model" not in G.graph


def test_rows_are_checked_against_the_declared_vocabulary(write_graphdata):
    text = (BATTERY / "schema.toml").read_text(encoding="utf-8")
    problems = _problems(write_graphdata, text, {
        "entities/e.csv": "id,kind,name_en,country,description,capacity_gwh\n"
                          "a,Supplier,A,South Korea,x,lots\nb,Automaker,B,Japan,y,\nc,Company,C,Japan,z,\n",
        "relationships/r.csv": "from,type,to,volume_gwh,stake,description,source\n"
                               "a,SUPPLIES,b,5,,x,s\nb,SUPPLIES,a,,,x,s\na,SUPPLY,b,,,x,s\na,SUPPLIES,a,,0.5,x,s\n",
    })
    assert problems == [
        "data/entities/e.csv:2: capacity_gwh 'lots' is not a number; expected a plain number such as 3000000000 or 0.18",
        "data/entities/e.csv:4: kind 'Company' is not a known kind; expected one of Supplier, Automaker, Fund",
        "data/relationships/r.csv:3: SUPPLIES cannot start at 'b' (Automaker); SUPPLIES goes from Supplier "
        "to Automaker or Supplier",
        "data/relationships/r.csv:4: type 'SUPPLY' is not a known relationship type (did you mean 'SUPPLIES'?)",
        "data/relationships/r.csv:5: stake '0.5' does not apply to SUPPLIES, which takes only date and volume_gwh",
    ]


# --- bad declarations, at file:line -------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("[kinds.supplier]\ndescription = 'x'\n",
     "data/schema.toml:1: kind 'supplier' is not a kind name; expected a capitalised word of ASCII letters "
     "and digits, such as 'Supplier'"),
    ("[kinds.Fund]\n", "data/schema.toml:1: kind Fund has no description; add description = \"…\" (one line on "
                       "what it is)"),
    ("[kinds.Fund]\ndescription = 'x'\ncolour = '#ffffff'\n",
     "data/schema.toml:3: kinds.Fund.colour is not a known key (did you mean 'color'?)"),
    ("[kinds.Fund]\ndescription = 'x'\nshape = 'circel'\n",
     "data/schema.toml:3: shape 'circel' is not a shape the map draws (did you mean 'circle'?)"),
    ("[relationships.BACKS]\ndescription = 'x'\nfrom = ['Compny']\nto = ['Company']\n",
     "data/schema.toml:3: kind 'Compny' is not a known kind (did you mean 'Company'?)"),
    ("[relationships.BACKS]\ndescription = 'x'\nfrom = ['Company']\n",
     "data/schema.toml:1: relationship type BACKS has no 'to' kinds; add to = [\"Kind\", …]"),
    ("[relationships.BACKS]\ndescription = 'x'\nfrom = ['Company']\nto = ['Company']\ngroup = 'money'\n",
     "data/schema.toml:5: group 'money' is not a tie group; expected one of equity, deal, context"),
    ("[relationships.BACKS]\ndescription = 'x'\nfrom = ['Company']\nto = ['Company']\nproperties = ['volume']\n",
     "data/schema.toml:5: property 'volume' is not an optional relationship property; declare it under "
     "[properties.volume] with on = \"relationships\""),
    ("[properties.volume]\non = 'relationships'\ntype = 'float'\n",
     "data/schema.toml:3: type 'float' is not a property type; expected one of text, number, int, fraction, "
     "date, list"),
    ("[properties.label]\ntype = 'text'\n", "data/schema.toml:1: property 'label' is ecograph's own"),
    ("replace = 'yes'\n", "data/schema.toml:1: replace is 'yes'; expected true or false"),
    ("[kinds.Fund\n", "data/schema.toml:1: is not valid TOML: Expected ']' at the end of a table declaration"),
])
def test_a_bad_declaration_is_reported_at_its_line(write_graphdata, text, expected):
    assert _problems(write_graphdata, text)[0] == expected


def test_a_kind_used_in_the_data_must_be_declared_when_replacing(write_graphdata):
    problems = _problems(write_graphdata, "replace = true\n[kinds.Fund]\ndescription = 'A fund.'\n",
                         {"entities/e.csv": "id,kind,name_en,name_zh,country,description\n"
                                            "a,Company,A,甲,Taiwan,x\n"})
    assert problems == ["data/entities/e.csv:2: kind 'Company' is not a known kind; expected one of Fund"]


def test_replacing_the_vocabulary_after_the_shipped_data_is_one_line(run):
    result = run("validate", "--data", str(BATTERY))
    assert result.exit_code == 1
    assert result.output.splitlines()[1:] == [
        f"{BATTERY}/schema.toml:3: replace = true sets aside the vocabulary graphdata is written in; "
        "read this folder on its own, without the shipped data"]


def test_extending_the_shipped_vocabulary(write_graphdata):
    root = write_graphdata({
        "schema.toml": "[kinds.Fund]\ndescription = 'A fund.'\n"
                       "[relationships.BACKS]\ndescription = 'x'\nfrom = ['Fund']\nto = ['Company']\n"
                       "group = 'equity'\nproperties = ['stake']\n"
                       "[relationships.LOCATED_IN]\nfrom = ['Fund']\n",
        "entities/e.csv": "id,kind,name_en,name_zh,country,description\nhill,Fund,Hill,高,Mainland China,x\n",
        "relationships/r.csv": "from,type,to,stake,description,source\nhill,BACKS,alibaba,0.1,x,s\n"
                               "hill,LOCATED_IN,mainland-china,,x,s\n",
    })
    G = build_graph(read_graphdata([Path(__file__).resolve().parents[1] / "graphdata", root]))
    model = schema.model_of(G)
    assert "Company" in model.kinds and "Fund" in model.kinds
    assert "Fund" in model.rel_types["LOCATED_IN"].sources and "Company" in model.rel_types["LOCATED_IN"].sources
    assert "Fund" in model.located_kinds
    assert G.edges["hill", "alibaba", 0]["stake"] == 0.1


# --- init, schema, validate ----------------------------------------------------------------------


@pytest.mark.parametrize("from_shipped", [False, True])
def test_init_writes_a_folder_that_validates_and_renders(run, tmp_path, monkeypatch, from_shipped):
    monkeypatch.chdir(tmp_path)
    flags = ["--from-shipped"] if from_shipped else []
    result = run("init", "mine", *flags)
    assert result.exit_code == 0, result.output
    for name in ("schema.toml", "dataset.toml", "README.md", "entities/entities.csv",
                 "relationships/relationships.csv"):
        assert (tmp_path / "mine" / name).is_file()
    data = ["--data", "mine"] + ([] if from_shipped else ["--no-shipped-data"])
    assert " ".join(data) in (tmp_path / "mine" / "README.md").read_text(encoding="utf-8")
    result = run("validate", *data)
    assert result.exit_code == 0 and result.output.startswith("OK: ")
    result = run("render", *data, "-o", "mine.html")
    assert result.exit_code == 0, result.output
    page = (tmp_path / "mine.html").read_text(encoding="utf-8")
    assert '"Fund"' in page and '"BACKS"' in page


def test_init_never_writes_into_a_folder_that_holds_something(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("mine", encoding="utf-8")
    result = run("init", "mine")
    assert result.exit_code == 1
    assert result.output == "Error: mine is not empty; a new data folder is written only where nothing is\n"
    assert sorted(p.name for p in (tmp_path / "mine").iterdir()) == ["notes.txt"]


def test_schema_prints_the_folders_model(run):
    result = run("schema", "--data", str(BATTERY), "--no-shipped-data")
    assert result.exit_code == 0
    text = result.output
    assert "| `Supplier` | A maker of battery cells or their materials. |" in text
    assert "| `SUPPLIES` | deal | Supplier | Automaker, Supplier | `date`, `volume_gwh`, `year` |" in text
    assert "| `capacity_gwh` | number |  | GWh | Yearly production capacity. |" in text
    assert "`Company`" not in text and "## Where an entity is" not in text


def test_validate(run):
    result = run("validate", "--data", str(BATTERY), "--no-shipped-data")
    assert result.output == f"OK: 8 entities, 10 relationships, 2 observations in {BATTERY}\n"


# --- the embedded store ---------------------------------------------------------------------------


def test_the_store_has_the_declared_tables(tmp_path):
    from ecograph.query.store import open_store

    with open_store([BATTERY], tmp_path / "store") as store:
        rows = store.query("MATCH (s:Supplier)-[r:SUPPLIES]->(a:Automaker) WHERE r.volume_gwh >= 30 "
                           "RETURN s.id, a.id, r.volume_gwh, s.capacity_gwh ORDER BY r.volume_gwh DESC").rows
        assert rows == [["catl", "tesla", 40.0, 400.0], ["panasonic-energy", "tesla", 35.0, 60.0],
                        ["lg-energy", "tesla", 30.0, 200.0]]
        backs = store.query("MATCH (f:Fund)-[b:BACKS]->(t) RETURN t.id, b.stake, b.currency ORDER BY t.id").rows
        assert backs == [["byd", 0.01, None], ["catl", 0.02, "CNY"]]


def test_a_changed_schema_file_rebuilds_the_store(tmp_path):
    from ecograph.query.store import data_fingerprint

    copy = tmp_path / "battery"
    shutil.copytree(BATTERY, copy)
    before = data_fingerprint([copy])
    with (copy / "schema.toml").open("a", encoding="utf-8") as f:
        f.write("\n[kinds.Miner]\ndescription = 'A lithium miner.'\n")
    assert data_fingerprint([copy]) != before
