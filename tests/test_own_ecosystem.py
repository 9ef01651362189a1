"""A second ecosystem, not the seed: EV battery suppliers (tests/data/battery), with its own
vocabulary in schema.toml, through validation, the store, the exports, the map and the analyses;
and the schema file's own checks."""

from __future__ import annotations

import re
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


# --- the map and pictures --------------------------------------------------------------------------


def test_the_map_gives_each_declared_kind_and_type_its_own_look(G):
    from ecograph.view.map_data import graph_data
    from ecograph.view.style import KIND_STYLE

    data = graph_data(G)
    kinds = {k["kind"]: (k["color"], k["shape"]) for k in data["legend"]["kinds"]}
    assert set(kinds) == {"Supplier", "Automaker", "Fund"}
    assert kinds["Fund"] == ("#6a3d9a", "star") and kinds["Automaker"][1] == "square"
    assert len(set(kinds.values())) == 3 and len({c for c, _ in kinds.values()}) == 3
    assert "#999999" not in {c for c, _ in kinds.values()}  # not the look of an unknown kind
    types = {t["type"]: t for t in data["legend"]["types"]}
    assert set(types) == {"SUPPLIES", "BACKS", "COMPETES_WITH"}
    assert (types["BACKS"]["group"], types["SUPPLIES"]["group"], types["COMPETES_WITH"]["group"]) == (
        "equity", "deal", "context")
    assert types["SUPPLIES"]["words"] == "supplies" and types["COMPETES_WITH"]["dashes"]
    assert len({t["color"] for t in types.values()}) == 3
    nodes = {n["id"]: n for n in data["nodes"]}
    assert (nodes["hillhouse"]["color"], nodes["hillhouse"]["shape"]) == kinds["Fund"]
    assert nodes["catl"]["color"] == kinds["Supplier"][0]
    edge = next(e for e in data["edges"] if e["from"] == "catl" and e["to"] == "tesla")
    assert edge["title"].startswith("CATL / 寧德時代 supplies Tesla / 特斯拉 (2020). Source: Example 2024 §2.1 Cell makers.")
    assert "Volume gwh: 40" in edge["title"]
    assert KIND_STYLE["Company"] == ("#1f77b4", "dot")  # the shipped look is unchanged


def test_many_declared_kinds_never_share_a_look():
    from ecograph.view.style import kind_styles

    model = schema.Model({f"Kind{i}": schema.Kind(f"Kind{i}", "") for i in range(40)}, {},
                         schema.ENTITY_FIELDS, schema.RELATIONSHIP_FIELDS)
    looks = list(kind_styles(model).values())
    assert len(set(looks)) == 40


def test_the_page_title_and_footer_come_from_the_folders_description(G, tmp_path):
    from ecograph.data.dataset import graph_title
    from ecograph.export.pptx import write_pptx
    from ecograph.view.map import write_html

    assert graph_title(G) == "EV battery supply web (Example 2024)"
    write_html(G, tmp_path / "m.html", title=graph_title(G))
    page = (tmp_path / "m.html").read_text(encoding="utf-8")
    assert "EV battery supply web" in page and "TIER" not in page
    from pptx import Presentation

    write_pptx([(graph_title(G), G)], tmp_path / "d.pptx", title=graph_title(G))
    texts = [shape.text_frame.text for slide in Presentation(tmp_path / "d.pptx").slides
             for shape in slide.shapes if shape.has_text_frame]
    assert any("Example 2024" in t for t in texts) and not any("TIER" in t for t in texts)
    assert any("Example 2024, Battery supply chains 2024 (test data): §2.1 Cell makers" in t for t in texts)


# --- every export ----------------------------------------------------------------------------------


def test_graphml_and_gexf_carry_the_declared_properties(G, tmp_path):
    import networkx as nx

    from ecograph.export.gexf import write_gexf
    from ecograph.export.graphml import write_graphml

    write_graphml(G, tmp_path / "g.graphml")
    back = nx.read_graphml(tmp_path / "g.graphml", force_multigraph=True)
    assert back.nodes["catl"]["capacity_gwh"] == 400.0 and back.nodes["catl"]["kind"] == "Supplier"
    assert {d["volume_gwh"] for u, v, d in back.edges(data=True) if (u, v) == ("catl", "tesla")} == {40.0}
    text = (tmp_path / "g.graphml").read_text(encoding="utf-8")
    assert '<key id="capacity_gwh" for="node" attr.name="capacity_gwh" attr.type="double"' in text
    assert '<key id="volume_gwh" for="edge" attr.name="volume_gwh" attr.type="double"' in text
    write_gexf(G, tmp_path / "g.gexf")
    back = nx.read_gexf(tmp_path / "g.gexf")
    assert back.nodes["catl"]["capacity_gwh"] == 400.0
    assert sorted(d["rel_type"] for _, _, d in back.edges(data=True)) == sorted(t for _, _, t in G.edges(data="type"))


def test_json_and_csv_exports(G, tmp_path):
    import csv
    import json

    from ecograph.export.csv_tables import write_csv
    from ecograph.export.json_graph import write_json

    write_json(G, tmp_path / "g.json")
    data = json.loads((tmp_path / "g.json").read_text(encoding="utf-8"))
    nodes = {n["id"]: n for n in data["nodes"]}
    assert nodes["catl"]["capacity_gwh"] == 400 and nodes["hillhouse"]["kind"] == "Fund"
    write_csv(G, tmp_path / "csv")
    files = sorted(p.name for p in (tmp_path / "csv").iterdir() if p.suffix == ".csv")
    assert files
    rows = [row for f in files for row in csv.DictReader((tmp_path / "csv" / f).open(encoding="utf-8-sig"))]
    assert any(row.get("volume_gwh") == "40.0" or row.get("volume_gwh") == "40" for row in rows)


def test_neo4j_admin_headers_follow_the_model(G, tmp_path):
    from ecograph.export.neo4j_admin import write_neo4j_admin

    command = write_neo4j_admin(G, tmp_path / "import")
    header = (tmp_path / "import" / "nodes_Supplier.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith("id:ID(Ecograph),:LABEL,") and "capacity_gwh:double" in header
    rel = (tmp_path / "import" / "relationships_SUPPLIES.csv").read_text(encoding="utf-8").splitlines()
    assert "volume_gwh:double" in rel[0] and len(rel) == 1 + 7
    assert "--nodes=nodes_Fund.csv" in command and "--relationships=relationships_BACKS.csv" in command


def test_push_and_the_cypher_script_use_the_declared_labels(G):
    from ecograph.export.cypher import cypher_script_statements
    from ecograph.query import neo4j_backend as nb

    model = schema.model_of(G)
    plan = nb.plan_push(G)
    assert sum(len(batch) for _, batch in plan) == 8 + 2 + 10 + 2  # entities, figures, ties, links
    statements = nb.push_statements(model)
    assert "CREATE INDEX ecograph_Supplier_id IF NOT EXISTS FOR (n:Supplier) ON (n.id)" in statements
    assert any("MERGE (a)-[r:SUPPLIES {key: row.key}]->(b)" in s for s in statements)
    assert any("SET n = row.props, n:Fund\nREMOVE n:Supplier:Automaker" in s for s in statements)
    assert not any("Company" in s for s in statements)
    assert {s for s, _ in plan} <= set(statements)
    script = cypher_script_statements(G)
    assert script[1] == "CREATE INDEX ecograph_Automaker_id IF NOT EXISTS FOR (n:Automaker) ON (n.id)"
    with pytest.raises(ValueError, match="not a label of the schema: 'Company'"):
        nb.schema_statements(["Company"], model)


@pytest.mark.slow  # Neo4j's parser over both scripts: about two minutes on a loaded machine; CI runs it
def test_the_cypher_script_and_the_push_lint_clean_with_the_declared_labels(G, tmp_path, lint_lock):
    from ecograph.export.cypher import write_cypher
    from ecograph.query import neo4j_backend as nb

    model = schema.model_of(G)
    write_cypher(G, tmp_path / "g.cypher")
    (tmp_path / "push.cypher").write_text("".join(s + ";\n" for s in nb.push_statements(model)), encoding="utf-8")
    with lint_lock():
        _lint(["g.cypher", "push.cypher"], model, cwd=tmp_path)


def _lint(names: list[str], model: schema.Model, *, cwd: Path) -> None:
    """Lint the files ``names`` in ``cwd`` in one Node process; relative names let the tool's
    cache (kept by text and arguments) answer a text it has linted before at once."""
    import subprocess

    lint = Path(__file__).resolve().parents[2] / "shared" / "tools" / "neo4j-cypher-lint" / "neo4j-cypher-lint"
    if not lint.exists() or shutil.which("node") is None:
        pytest.skip("neo4j-cypher-lint (../shared/tools) and Node.js are needed to lint")
    labels = [*model.labels, schema.ENTITY_MARKER_LABEL]
    result = subprocess.run([str(lint), "--strict", "--labels", ",".join(labels), "--types", ",".join(model.types),
                             *names], cwd=cwd, capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("fmt", ["png", "svg", "pptx", "graphml", "gexf", "json", "cypher", "html", "csv",
                                 "neo4j-admin"])
def test_every_export_format_from_the_command_line(run, tmp_path, fmt):
    out = tmp_path / f"battery-{fmt}"
    result = run("export", fmt, "--data", str(BATTERY), "--no-shipped-data", "-o", str(out))
    assert result.exit_code == 0, result.output
    folder = "/" if fmt in ("csv", "neo4j-admin") else ""
    assert out.exists() and result.output.startswith(f"Wrote {out}{folder} (8 entities, 10 relationships")


# --- info, search, show, the analyses ------------------------------------------------------------


def test_info_search_and_show(run):
    data = ["--data", str(BATTERY), "--no-shipped-data"]
    info = run("info", *data).output
    assert "8 entities, 10 relationships, 2 observations" in info
    assert "EV battery supply web, from Battery supply chains 2024 (test data)" in info
    assert "  Supplier                    4" in info and "  SUPPLIES                    7" in info
    assert "hillhouse" in info.split("Studies and organisations cited")[1]
    search = run("search", "LGES", *data).output
    assert search.startswith("lg-energy") and " / " not in search.split("(")[0]
    show = run("show", "catl", *data).output
    assert show.splitlines()[0] == "CATL / 寧德時代  [Supplier]  id: catl"
    assert "capacity_gwh" in show or "400" in show


def test_the_analyses_follow_the_declared_groups(G):
    from ecograph import analysis

    ranked = analysis.rank(G, "degree")
    assert {r["kind"] for r in ranked} <= {"Supplier", "Automaker", "Fund"} and ranked[0]["id"] == "catl"
    assert analysis.chain_types(model=schema.model_of(G)) == {"SUPPLIES", "BACKS"}
    chain = analysis.paths(G, "hillhouse", "tesla")
    assert [[t["type"] for t in hop["ties"]] for hop in chain[0]] == [["BACKS"], ["SUPPLIES"]]
    reached = analysis.reach(G, "hillhouse")
    assert reached["via"] == ["BACKS"] and {e["id"] for e in reached["reached"]} == {"catl", "byd"}
    with pytest.raises(analysis.AnalysisError, match="no relationship type named 'OWNS'; expected types like BACKS"):
        analysis.reach(G, "hillhouse", via=["OWNS"])
    assert analysis.compare(G, "catl", "lg-energy")["shared"][0]["id"] in {"tesla", "volkswagen", "ganfeng"}
    camps = analysis.communities(G)
    assert sum(len(c["members"]) for c in camps) == 8
    assert analysis.timeline(G, at=2019)


def test_the_analysis_commands(run, tmp_path):
    data = ["--data", str(BATTERY), "--no-shipped-data"]
    ranked = run("rank", *data)
    assert ranked.exit_code == 0 and "CATL" in ranked.output.splitlines()[0]
    result = run("reach", "Hillhouse", *data)
    assert result.exit_code == 0 and "reaches 2 entities via BACKS" in result.output
    chain = run("path", "hillhouse", "tesla", *data)
    assert chain.exit_code == 0 and "Hillhouse Capital / 高瓴資本 backs CATL / 寧德時代" in chain.output
    result = run("render", *data, "--kinds", "Supplier,Automaker", "-o", str(tmp_path / "x.html"))
    assert result.exit_code == 0 and '"kind": "Fund"' not in (tmp_path / "x.html").read_text(encoding="utf-8")
    # --kinds is checked against the folder's own kinds, whichever side of --data it is given
    first = run("render", "--kinds", "Supplier", *data, "-o", str(tmp_path / "y.html"))
    assert first.exit_code == 0, first.output
    bad = run("render", *data, "--kinds", "Suplier")
    assert bad.exit_code == 2
    assert bad.output.endswith("Error: Invalid value for '--kinds': no kind named 'Suplier' (did you mean 'Supplier'?)\n")
    via = run("reach", "hillhouse", *data, "--via", "OWNS")
    assert via.exit_code == 2 and "Invalid value for '--via': no relationship type named 'OWNS'" in via.output


# --- the embedded store reads and writes as Neo4j would --------------------------------------------


@pytest.fixture(scope="module")
def battery_store(tmp_path_factory):
    from ecograph.query.store import open_store

    store = open_store([BATTERY], tmp_path_factory.mktemp("battery") / "store")
    yield store
    store.close()


def test_the_dialect_types_the_folders_own_properties(G, battery_store):
    """A declared number property is a number to the Cypher dialect: comparing it with a number
    needs no run-time type test, and with a string is false (as in Neo4j), on the store too."""
    from ecograph.query.dialect import translate

    model = schema.model_of(G)
    greater = "MATCH (s:Supplier) WHERE s.capacity_gwh > 100 RETURN s.id"
    assert translate(greater, None, model) == greater
    assert "typeof(s.capacity_gwh)" in translate(greater)  # the shipped model does not know it
    as_text = "MATCH ()-[r:SUPPLIES]->() WHERE r.volume_gwh = '40' RETURN count(r)"
    assert translate(as_text, None, model).startswith("MATCH ()-[r:SUPPLIES]->() WHERE (false) RETURN count(r)")
    assert battery_store.query(as_text).rows == [[0]]
    assert battery_store.query("MATCH ()-[r:SUPPLIES]->() WHERE r.volume_gwh > 0 RETURN count(r)").rows[0][0] > 0


@pytest.mark.parametrize(("query", "message"), [
    ("MATCH (s:Supplier) RETURN s.capacity", "s has no property 'capacity' (did you mean 'capacity_gwh'?)"),
    ("MATCH ()-[r:SUPPLIES]->() RETURN r.volume", "r has no property 'volume' (did you mean 'volume_gwh'?)"),
    ("MATCH (s:Suplier) RETURN s", "no label or relationship type 'Suplier' in the data (did you mean 'Supplier'?)"),
    ("MATCH ()-[r:SUPPLY]->() RETURN r",
     "no label or relationship type 'SUPPLY' in the data (did you mean 'SUPPLIES'?)"),
])
def test_engine_errors_suggest_the_folders_own_names(G, query, message):
    """The engine's own refusal of an unknown name, on the battery folder's tables, in
    ecograph's words with the closest name the folder declares."""
    lb = pytest.importorskip("ladybug")
    from ecograph.query.dialect import engine_error, translate
    from ecograph.query.store import table_ddl

    model = schema.model_of(G)
    database = lb.Database()
    conn = lb.Connection(database)
    try:
        for statement in table_ddl(model):
            conn.execute(statement)
        with pytest.raises(RuntimeError) as raised:
            conn.execute(translate(query, None, model))
    finally:
        conn.close()
        database.close()
    assert str(engine_error(raised.value, query, model)).startswith(message)
    suggested = message.split("(did you mean ")[1]
    assert suggested not in str(engine_error(raised.value, query))  # the shipped names do not have it


@pytest.mark.parametrize(("query", "rows", "warning"), [
    ("MATCH (n:Company) RETURN n.id", [],
     "no node in the data has the label 'Company', so that pattern matches nothing (declared: Supplier, Automaker, "
     "Fund, Observation)"),
    ("MATCH (n:Suplier) RETURN count(n) AS n", [[0]],
     "no node in the data has the label 'Suplier', so that pattern matches nothing (did you mean 'Supplier'?)"),
    ("MATCH (a)-[r:SUPPLIES|SUPPLY]->(b {id: 'tesla'}) RETURN a.id ORDER BY a.id",
     [["catl"], ["lg-energy"], ["panasonic-energy"]],
     "no relationship in the data has the type 'SUPPLY', so that pattern matches nothing (did you mean 'SUPPLIES'?)"),
    ("MATCH (s:Supplier {id: 'catl'}) RETURN s.id, s.capacity", [["catl", None]],
     "no entity or relationship in the data has the property 'capacity', so s.capacity is null (did you mean "
     "'capacity_gwh'?)"),
    ("OPTIONAL MATCH (c:Company {id: 'alibaba'}) RETURN c.name_en, c.stake", [[None, None]],
     "no node in the data has the label 'Company', so that pattern matches nothing (declared: Supplier, Automaker, "
     "Fund, Observation)"),
    ("MATCH (g {id: 'catl'})-[:OWNS*0..1]->(a)-[:SUPPLIES]->(x) RETURN x.id ORDER BY x.id",
     [["tesla"], ["volkswagen"]],
     "no relationship in the data has the type 'OWNS', so that pattern matches nothing (declared: SUPPLIES, BACKS, "
     "COMPETES_WITH, HAS_OBSERVATION)"),
    ("MATCH (g {id: 'catl'})-[:OWNS*1..2]->(a) RETURN a.id", [],
     "no relationship in the data has the type 'OWNS', so that pattern matches nothing (declared: SUPPLIES, BACKS, "
     "COMPETES_WITH, HAS_OBSERVATION)"),
])
def test_reads_of_what_the_data_lacks_give_what_neo4j_gives(battery_store, query, rows, warning):
    result = battery_store.query(query)
    assert result.rows == rows
    assert result.warnings == [warning]


def test_the_query_command_warns_on_stderr(tmp_path):
    result = CliRunner().invoke(main, ["query", "--data", str(BATTERY), "--no-shipped-data", "--db",
                                       str(tmp_path / "db"), "--format", "json", "MATCH (n:Fnd) RETURN n.id"],
                                catch_exceptions=False)
    assert result.exit_code == 0 and result.stdout.strip() == "[]"
    assert ("Warning: no node in the data has the label 'Fnd', so that pattern matches nothing (did you mean "
            "'Fund'?)") in result.stderr


def test_a_view_from_a_query_warns_on_stderr(tmp_path):
    """render --query builds its view in the library (view.build); the store's warnings still reach stderr."""
    query = "MATCH (s:Supplier) OPTIONAL MATCH (s)-[:BACKSS]->(x) RETURN s"
    result = CliRunner().invoke(main, ["render", "--data", str(BATTERY), "--no-shipped-data", "--query", query,
                                       "-o", str(tmp_path / "m.html")],
                                env={"XDG_CACHE_HOME": str(tmp_path / "cache")}, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "Warning: no relationship in the data has the type 'BACKSS'" in result.stderr
    assert "(did you mean 'BACKS'?)" in result.stderr
    assert '"catl"' in (tmp_path / "m.html").read_text(encoding="utf-8")


def test_writes_take_declared_labels_and_properties(tmp_path):
    from ecograph.query.store import open_store

    with open_store([BATTERY], tmp_path / "store") as store:
        store.query("CREATE (:Fund {id: 'temasek', name: 'Temasek', capacity_gwh: 0.0})", write=True)
        store.query("MATCH (f:Fund {id: 'temasek'}), (s:Supplier {id: 'catl'}) "
                    "CREATE (f)-[:BACKS {stake: 0.01, source: 'news'}]->(s)", write=True)
        rows = store.query("MATCH (f:Fund)-[b:BACKS]->(s {id: 'catl'}) RETURN f.id, b.stake ORDER BY f.id").rows
        assert rows == [["hillhouse", 0.02], ["temasek", 0.01]]


@pytest.mark.parametrize(("query", "message"), [
    ("CREATE (:Miner {id: 'x', name: 'X'})",
     "no label or relationship type 'Miner' in the data (declared: Supplier, Automaker, Fund, Observation, SUPPLIES, "
     "BACKS, COMPETES_WITH, HAS_OBSERVATION); to write it, declare it in the data folder's schema.toml under "
     "[kinds.Miner]"),
    ("MATCH (a {id: 'catl'}), (b {id: 'tesla'}) CREATE (a)-[:SHIPS_TO]->(b)",
     "no label or relationship type 'SHIPS_TO' in the data (declared: Supplier, Automaker, Fund, Observation, "
     "SUPPLIES, BACKS, COMPETES_WITH, HAS_OBSERVATION); to write it, declare it in the data folder's schema.toml "
     "under [relationships.SHIPS_TO]"),
    ("MATCH (s:Supplier {id: 'catl'}) SET s.employees = 1",
     "no property 'employees' in the data (declared: aliases, amount, basis, capacity_gwh, cited, count, count_unit, "
     "country, …); to write it, declare it in the data folder's schema.toml: [properties.employees] with on = "
     "\"entities\" or \"relationships\" and its type"),
])
def test_a_write_of_what_is_not_declared_says_how_to_declare_it(tmp_path, query, message):
    from ecograph.errors import QueryError
    from ecograph.query.store import open_store

    with open_store([BATTERY], tmp_path / "store") as store:
        with pytest.raises(QueryError) as e:
            store.query(query, write=True)
        assert str(e.value) == message
        assert store.query("MATCH (n) RETURN count(n)").rows == [[10]]  # nothing was written


def test_a_created_node_without_an_id_gets_one(tmp_path):
    """Neo4j creates a node without any key; here the node gets a generated id, its kind's name
    and a UUID, which the query can return and a later query can find it by."""
    from ecograph.query.store import open_store

    with open_store([BATTERY], tmp_path / "store") as store:
        store.query("CREATE (:Supplier {name: 'Northvolt', capacity_gwh: 16.0})", write=True)
        made = store.query("UNWIND ['SVOLT', 'EVE'] AS n CREATE (s:Supplier {name: n}) RETURN s.id", write=True)
        ids = [r[0] for r in made.rows]
        assert len(set(ids)) == 2 and all(re.fullmatch(r"supplier-[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}", i)
                                          for i in ids)
        assert store.query("MATCH (s:Supplier {id: $id}) RETURN s.name", {"id": ids[1]}).rows == [["EVE"]]
        rows = store.query("MATCH (s:Supplier) WHERE s.name = 'Northvolt' RETURN s.id, s.capacity_gwh").rows
        assert len(rows) == 1 and rows[0][0].startswith("supplier-") and rows[0][1] == 16.0
        store.query("CREATE (:Fund {id: 'temasek', name: 'Temasek'})", write=True)  # its own id is kept
        assert store.query("MATCH (f:Fund {id: 'temasek'}) RETURN f.name").rows == [["Temasek"]]


@pytest.mark.parametrize(("query", "expected"), [
    ("CREATE (:Supplier {name: 'X'})", "CREATE (:Supplier {id: 'supplier-' + randomUUID(), name: 'X'})"),
    ("CREATE (n:Supplier) RETURN n", "CREATE (n:Supplier {id: 'supplier-' + randomUUID()}) RETURN n"),
    ("CREATE (n:Fund {})", "CREATE (n:Fund {id: 'fund-' + randomUUID()})"),
    ("CREATE (n:Fund {id: $id, name: 'F'})", "CREATE (n:Fund {id: $id, name: 'F'})"),
    ("CREATE (n:Fund {name: {id: 1}.id})", "CREATE (n:Fund {id: 'fund-' + randomUUID(), name: {id: 1}.id})"),
    ("MATCH (a:Supplier {name: 'CREATE (:Fund)'}) RETURN a", "MATCH (a:Supplier {name: 'CREATE (:Fund)'}) RETURN a"),
    ("MATCH (a:Fund {id: 'x'}) CREATE (a)-[:BACKS {stake: 0.1}]->(:Supplier {name: 'Y'})",
     "MATCH (a:Fund {id: 'x'}) CREATE (a)-[:BACKS {stake: 0.1}]->(:Supplier {id: 'supplier-' + randomUUID(), "
     "name: 'Y'})"),
    ("CREATE (n:Fund $props)", "CREATE (n:Fund $props)"),
    ("MERGE (n:Fund {name: 'F'})", "MERGE (n:Fund {name: 'F'})"),
])
def test_which_created_nodes_are_given_an_id(query, expected):
    from ecograph.query.vocabulary import with_created_ids

    assert with_created_ids(query, schema.model_of(build_graph(read_graphdata([BATTERY])))) == expected


@pytest.mark.parametrize(("query", "message"), [
    ("CREATE (n {name: 'Y'})",
     "each node the query creates needs one label, its kind, and the embedded store keeps it in that kind's table: "
     "write e.g. CREATE (n:Supplier {…}) (declared: Supplier, Automaker, Fund, Observation)"),
    ("MERGE (:Supplier {name: 'Q'})",
     "each node a MERGE may create needs its id, the key every entity is found by: write e.g. "
     "MERGE (n:Supplier {id: 'x'}) and SET the other properties"),
])
def test_a_node_the_store_cannot_create_says_what_to_add(tmp_path, query, message):
    from ecograph.errors import QueryError
    from ecograph.query.store import open_store

    with open_store([BATTERY], tmp_path / "store") as store:
        with pytest.raises(QueryError) as e:
            store.query(query, write=True)
        assert str(e.value) == message
        assert store.query("MATCH (n) RETURN count(n)").rows == [[10]]  # nothing was written


def test_each_saved_query_runs_on_the_battery_data(battery_store):
    """A saved query's shape built on another ecosystem: what applies answers (both_camps finds
    the shared buyers and suppliers of two cell makers), what names the seed's kinds finds nothing,
    and none is an error."""
    from ecograph.query.saved import list_saved_queries

    answers = {}
    for q in list_saved_queries():
        values = {**q.defaults(), **{p: "catl" for p in ("camp_a", "company", "entity", "platform", "source")
                                     if p in q.defaults()}}
        if q.name == "both_camps":
            values.update(camp_a="catl", camp_b="lg-energy")
        answers[q.name] = battery_store.query(q.text, values)
    assert [r[0] for r in answers["both_camps"].rows] == ["Ganfeng Lithium", "Tesla", "Volkswagen"]
    assert answers["most_connected"].rows[0][0] == "CATL"
    assert answers["alibaba_stakes"].rows == [] and answers["alibaba_stakes"].warnings


# --- the README's walk-through is real output ------------------------------------------------------


def _readme_section() -> str:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    return readme.split("### Map your own ecosystem", 1)[1].split("\n### ", 1)[0]


def _session(block: str) -> list[tuple[list[str], str]]:
    import shlex

    steps = []
    for chunk in block.split("$ ecograph ")[1:]:
        command, _, output = chunk.partition("\n")
        steps.append((shlex.split(command), output))
    return steps


def test_the_readme_walk_through_runs_as_shown(run, tmp_path, monkeypatch):
    import re

    monkeypatch.chdir(tmp_path)
    section = _readme_section()
    block = re.search(r"```console\n(.*?)```", section, re.S).group(1)
    for args, expected in _session(block):
        result = run(*args)
        assert result.exit_code == 0, result.output
        if args[0] != "render":
            assert result.output == expected, args
    assert (tmp_path / "ev-batteries.html").is_file()
    schema_text = (tmp_path / "ev-batteries" / "schema.toml").read_text(encoding="utf-8")
    (tmp_path / "ev-batteries" / "schema.toml").write_text(
        schema_text.replace('shape = "star"', 'shape = "circel"').replace('from = ["Supplier"]', 'from = ["Suplier"]'),
        encoding="utf-8")
    text_blocks = re.findall(r"```text\n(.*?)```", section, re.S)
    (args, expected), = _session(text_blocks[0])
    result = run(*args)
    assert (result.exit_code, result.output) == (1, expected)
    (args, expected), = _session(text_blocks[1])
    (tmp_path / "ev-batteries" / "schema.toml").write_text(schema_text, encoding="utf-8")
    result = CliRunner().invoke(main, [*args, "--db", str(tmp_path / "db")], catch_exceptions=False)
    assert result.exit_code == 0
    warning, *rows = expected.splitlines(keepends=True)
    assert result.stdout == "".join(rows)
    assert warning in result.stderr


def test_the_readme_schema_file_is_a_valid_declaration():
    import re

    from ecograph.data.schemafile import merge_declarations

    text = re.search(r"```toml\n(.*?)```", _readme_section(), re.S).group(1)
    model = merge_declarations(schema.SHIPPED, text, "README.md")
    assert list(model.kinds) == ["Supplier", "Automaker"] and list(model.rel_types) == ["SUPPLIES"]
    assert model.styles["Supplier"] == ("#1b9e77", "dot")
    assert {f.name: f.required for f in model.entity_fields}["name_zh"] is False


def test_the_columnar_reader_checks_a_folders_own_vocabulary(monkeypatch, write_graphdata):
    """Big folders are checked a column at a time; with a vocabulary of their own too: it accepts
    the battery data as the row reader does, and hands anything wrong to the row reader."""
    from ecograph.data import columnar, graphdata

    model = graphdata.read_model([BATTERY])
    fast = columnar.read([BATTERY], model)
    assert fast is not None and fast.model is model
    slow = graphdata._read_rows([BATTERY], model)
    assert fast.entities == slow.entities and fast.relationships == slow.relationships
    assert fast.observations == slow.observations
    assert list(graphdata.build_graph(fast).edges(data=True)) == list(graphdata.build_graph(slow).edges(data=True))
    text = (BATTERY / "schema.toml").read_text(encoding="utf-8")
    root = write_graphdata({"schema.toml": text,
                            "entities/e.csv": "id,kind,name_en,country,description\na,Supplier,A,Japan,x\n"
                                              "b,Fund,B,Japan,y\n",
                            "relationships/r.csv": "from,type,to,description,source\nb,SUPPLIES,a,x,s\n"})
    assert columnar.read([root], graphdata.read_model([root])) is None  # a Fund cannot supply
    monkeypatch.setattr(graphdata, "COLUMNAR_FROM_BYTES", 0)
    with pytest.raises(DataError) as e:
        read_graphdata([root])
    assert [str(p) for p in e.value.problems] == [
        "data/relationships/r.csv:2: SUPPLIES cannot start at 'b' (Fund); SUPPLIES goes from Supplier to "
        "Automaker or Supplier"]
