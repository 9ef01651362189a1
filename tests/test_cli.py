"""Every command through click's CliRunner: exact output and exit codes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

import ecograph
from cli import main
from ecograph.data.schema import data_model_markdown

README = Path(__file__).resolve().parents[1] / "README.md"

USER_ENTITIES = "id,kind,name_en,name_zh,country,description\nacme,Company,Acme Trading,愛克米,Taiwan,A Taiwanese trading firm\n"
USER_TIES = (
    "from,type,to,stake,date,description,source\n"
    "acme,INVESTED_IN,alibaba,0.05,2016,Bought 5 %,Annual report 2016\n"
    "acme,LOCATED_IN,taiwan,,,Registered in Taipei,Annual report 2016\n"
)


@pytest.fixture
def run():
    def invoke(*args, env=None):
        return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)

    return invoke


@pytest.fixture(scope="module")
def G():
    return ecograph.load()


@pytest.fixture
def user_data(write_graphdata):
    return write_graphdata({"entities/mine.csv": USER_ENTITIES, "relationships/deals.csv": USER_TIES})


def test_version(run):
    result = run("--version")
    assert (result.exit_code, result.output) == (0, f"ecograph, version {ecograph.__version__}\n")


@pytest.mark.parametrize("command", ["export", "render", "deck", "query"])
def test_each_commands_help_prints(run, command):
    """A command's help names its options' metavars (the kind and type lists among them)."""
    result = run(command, "--help")
    assert result.exit_code == 0 and "Usage:" in result.output, result.output


def test_help_lists_the_commands(run):
    result = run("--help")
    assert result.exit_code == 0
    for command in ("validate", "info", "show", "search", "schema"):
        assert re.search(rf"^  {command}\s", result.output, re.M)


def test_validate_shipped(run):
    G = ecograph.load()
    result = run("validate")
    assert result.exit_code == 0
    assert result.output == (
        f"OK: {G.number_of_nodes()} entities, {G.number_of_edges()} relationships, "
        f"{len(G.graph['observations'])} observations in graphdata (shipped)\n"
    )


def test_validate_with_user_data_extends_the_shipped_set(run, user_data):
    G = ecograph.load()
    result = run("validate", "--data", str(user_data))
    assert result.exit_code == 0
    assert result.output == (
        f"OK: {G.number_of_nodes() + 1} entities, {G.number_of_edges() + 2} relationships, "
        f"{len(G.graph['observations'])} observations in graphdata (shipped), data\n"
    )


def test_data_from_the_environment(run, user_data):
    result = run("show", "acme", env={"ECOGRAPH_DATA": str(user_data)})
    assert result.exit_code == 0
    assert "-[INVESTED_IN {stake: 5 %, date: 2016}]-> Alibaba Group / 阿里巴巴 (alibaba)" in result.output


def test_a_user_entity_without_the_tie_its_country_states_is_refused(run, write_graphdata):
    data = write_graphdata({"entities/mine.csv": USER_ENTITIES})
    result = run("validate", "--data", str(data))
    assert (result.exit_code, result.output) == (1, (
        "Error: 1 problem in the data; nothing was loaded.\n"
        "data/entities/mine.csv:2: country 'Taiwan' has no LOCATED_IN tie to taiwan (or to a place in it); "
        "add one in relationships/\n"
    ))


def test_no_shipped_data_replaces_it(run, write_graphdata):
    data = write_graphdata({"entities/mine.csv": USER_ENTITIES})
    result = run("validate", "--no-shipped-data", "--data", str(data))
    assert (result.exit_code, result.output) == (0, "OK: 1 entities, 0 relationships, 0 observations in data\n")


def test_validate_reports_every_problem_and_exits_1(run, write_graphdata):
    data = write_graphdata({
        "entities/mine.csv": USER_ENTITIES,
        "relationships/deals.csv": (
            "from,type,to,stake,date,description,source\n"
            "acme,INVESTED_IN,alibabba,0.05,2016,Bought 5 %,Annual report 2016\n"
            "acme,PARTNERS_WITH,tencent,,2016-13,Joint venture,Press release\n"
            "acme,LOCATED_IN,taiwan,,,Registered in Taipei,Annual report 2016\n"
        ),
    })
    result = run("validate", "--data", str(data))
    assert result.exit_code == 1
    assert result.output == (
        "Error: 2 problems in the data; nothing was loaded.\n"
        "data/relationships/deals.csv:2: to 'alibabba' is not a known entity (did you mean 'alibaba'?)\n"
        "data/relationships/deals.csv:3: date '2016-13' is not a date; expected YYYY, YYYY-MM or YYYY-MM-DD\n"
    )


def test_other_commands_refuse_bad_data_too(run, write_graphdata):
    data = write_graphdata({"entities/mine.csv": "id,kind,name_en,name_zh,country,description\nx,Compnay,X,X,Taiwan,d\n"})
    result = run("info", "--data", str(data))
    assert result.exit_code == 1
    assert result.output == (
        "Error: 1 problem in the data; nothing was loaded.\n"
        "data/entities/mine.csv:2: kind 'Compnay' is not a known kind (did you mean 'Company'?)\n"
    )


def test_info_text(run):
    G = ecograph.load()
    result = run("info")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == (
        f"{G.number_of_nodes()} entities, {G.number_of_edges()} relationships, "
        f"{len(G.graph['observations'])} observations"
    )
    assert lines[1] == "Data: graphdata (shipped)"
    assert lines[2].startswith("  graphdata: China e-commerce alliance network, from Trends in Mainland China's "
                               "e-commerce and their lessons for Taiwanese firms, ")
    assert "  INVESTED_IN                 3" in lines
    assert any(line.startswith("  mckinsey-global-institute       McKinsey Global Institute / 麥肯錫全球研究所: ")
               for line in lines)


def test_info_json(run):
    G = ecograph.load()
    info = json.loads(run("info", "--json").output)
    assert set(info) == {"entities", "relationships", "observations", "labels", "relationship_types",
                         "sections", "cited", "data_dirs", "datasets"}
    shipped = info["datasets"]["graphdata"]
    assert (shipped["title"], shipped["source"]["short"], shipped["source"]["year"]) == (
        "China e-commerce alliance network", "TIER 2015", 2015)
    assert shipped["sections"]["貳.四"] == {"en": "Smart and cross-border logistics",
                                           "zh": "電商業者加速投入智慧物流系統的建置，並投入跨境物流的發展"}
    assert info["entities"] == sum(info["labels"].values()) == G.number_of_nodes()
    assert info["relationships"] == sum(info["relationship_types"].values()) == sum(info["sections"].values())
    assert info["relationship_types"]["INVESTED_IN"] == 3
    mgi = next(c for c in info["cited"] if c["id"] == "mckinsey-global-institute")
    assert mgi == {"id": "mckinsey-global-institute", "name_en": "McKinsey Global Institute",
                   "name_zh": "麥肯錫全球研究所", "relationships": 0, "observations": 14}


def test_show_matches_the_readme_example(run):
    readme = README.read_text(encoding="utf-8")
    example = re.search(r"```console\n\$ ecograph show 'Singapore Post'\n(.*?)```", readme, re.S).group(1)
    result = run("show", "Singapore Post")
    assert (result.exit_code, result.output) == (0, example)


def test_show_by_simplified_alias(run):
    result = run("show", "京东")
    assert result.exit_code == 0
    assert result.output.splitlines()[0] == "JD.com / 京東商城  [Platform]  id: jd"
    assert "  -[PARTNERS_WITH {date: 2014}]-> Tencent / 騰訊 (tencent)" in result.output
    assert "  <-[SELLS_ON]- Neweb Technologies / 藍新科技 (neweb-technologies)" in result.output


def test_show_json(run):
    details = json.loads(run("show", "alibaba", "--json").output)
    assert details["entity"] == {
        "id": "alibaba", "kind": "Company", "name_en": "Alibaba Group", "name_zh": "阿里巴巴",
        "aliases": ["Alibaba", "阿里巴巴集團", "阿里"], "country": "Mainland China",
        "description": ecograph.load().nodes["alibaba"]["description"],
    }
    singpost = next(t for t in details["outgoing"] if t["other"]["id"] == "singapore-post")
    assert singpost == {
        "type": "INVESTED_IN",
        "other": {"id": "singapore-post", "kind": "Company", "name_en": "Singapore Post", "name_zh": "新加坡郵政"},
        "properties": {"stake": 0.1035},
        "description": singpost["description"],
        "source": "貳.四",
        "cited": None,
    }
    assert [t["other"]["id"] for t in details["incoming"]] == ["shoprunner"]


def test_show_figures(run):
    lines = run("show", "tier-1-cities").output.splitlines()
    assert ("  2011       online_spend_per_user = 6,819 CNY/person/year (actual)  "
            "[表一 貳.一; cites McKinsey Global Institute / 麥肯錫全球研究所]") in lines
    assert ("  2011       ewallet_balance_share_of_disposable_income = 18 % (actual)  "
            "[表一 貳.一; cites McKinsey Global Institute / 麥肯錫全球研究所]") in lines


def test_show_a_study_lists_what_cites_it(run, G):
    citing = [(u, d["type"], v) for u, v, d in G.edges(data=True) if d.get("cited") == "focus-taipei-2013"]
    details = json.loads(run("show", "focus-taipei-2013", "--json").output)
    assert sorted((t["from"]["id"], t["type"], t["to"]["id"]) for t in details["cited_by"]["relationships"]) == sorted(citing)
    lines = run("show", "focus-taipei-2013").output.splitlines()
    assert f"Cited for ({len(citing)} relationships, 0 figures)" in lines
    assert "  Wangjin / 網勁 sells on Tmall / 天貓. Source: TIER 2015 §肆.一 表四 Table 4: Taiwanese firms in mainland e-commerce." in lines
    figures = [o for o in G.graph["observations"] if o.get("cited") == "mckinsey-global-institute"]
    institute = json.loads(run("show", "mckinsey-global-institute", "--json").output)["cited_by"]
    assert institute["observations"] == figures and institute["relationships"] == []
    lines = run("show", "mckinsey-global-institute").output.splitlines()
    assert f"Cited for (0 relationships, {len(figures)} figures)" in lines
    assert ("  Tier-one cities / 一級城市: 2011       online_spend_per_user = 6,819 CNY/person/year (actual)  "
            "[表一 貳.一]") in lines


def test_show_ambiguous_lists_candidates(run):
    result = run("show", "Yiwu G")
    assert result.exit_code == 1
    assert result.output == (
        "Error: 'Yiwu G' matches 2 entities; use one of these ids:\n"
        "  yiwu-go  (Platform) Yiwu Go / 義烏購\n"
        "  yiwu-go-express  (Platform) Yiwu Go Express / 義烏購直通車\n"
    )


def test_show_unknown(run):
    result = run("show", "nosuch-co")
    assert (result.exit_code, result.output) == (1, "Error: no entity matches 'nosuch-co'; try `ecograph search`\n")


def test_search(run):
    result = run("search", "腾讯")
    assert (result.exit_code, result.output) == (
        0, "tencent                             Company           Tencent / 騰訊  (exact: 騰訊)\n"
    )


def test_search_json(run):
    hits = json.loads(run("search", "京东", "--json").output)
    assert hits == [{"id": "jd", "kind": "Platform", "name_en": "JD.com", "name_zh": "京東商城",
                     "matched": "京東", "how": "exact"}]


def test_search_without_hits(run):
    result = run("search", "zzz")
    assert (result.exit_code, result.output) == (0, "No entity matches 'zzz'.\n")
    assert json.loads(run("search", "zzz", "--json").output) == []


def test_schema_prints_the_data_model(run):
    result = run("schema")
    assert (result.exit_code, result.output) == (0, data_model_markdown())


# --- Cypher: query, queries, neo4j, export --------------------------------------------------------


@pytest.fixture(scope="module")
def db(seed_store):
    """The seed's embedded store (conftest's, built once for the run), as --db takes it."""
    return str(seed_store.path)


def test_query_prints_a_table_by_name_and_label(run, db):
    result = run("query", "--db", db, "--param", "id=alibaba",
                 "MATCH (c {id: $id})-[r:INVESTED_IN]->(t) RETURN t, r, r.stake AS stake ORDER BY stake")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "t                                       r               stake",
        "--------------------------------------  --------------  -------",
        "Singapore Post / 新加坡郵政 (:Company)  [:INVESTED_IN]  10.35 %",
        "Sina Weibo / 新浪微博 (:Platform)       [:INVESTED_IN]  18 %",
        "ShopRunner / ShopRunner (:Company)      [:INVESTED_IN]",
        "(3 rows)",
    ]


def test_query_json_gives_full_properties(run, db):
    result = run("query", "--db", db, "--format", "json",
                 "MATCH (c:Company {id: 'alibaba'})-[r:INVESTED_IN]->(t {id: 'singapore-post'}) RETURN r, t.aliases AS aka")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == [
        {
            "r": {
                "kind": "relationship",
                "type": "INVESTED_IN",
                "start": "alibaba",
                "end": "singapore-post",
                "properties": {
                    "stake": 0.1035,
                    "description": "Bought 10.35 % of Singapore Post to explore expanding global logistics together "
                                   "(the seed credits it to Alibaba's Taobao)",
                    "source": "貳.四",
                },
                "element_id": json.loads(result.stdout)[0]["r"]["element_id"],
            },
            "aka": ["SingPost"],
        }
    ]


def test_query_csv(run, db):
    result = run("query", "--db", db, "--format", "csv",
                 "MATCH (c:City)-[:PILOT_CITY_OF]->(:Policy) RETURN c.name_en AS city, c.name_zh AS zh ORDER BY city LIMIT 2")
    assert result.exit_code == 0
    assert result.stdout == "city,zh\nChongqing,重慶\nGuangzhou,廣州\n"


def test_query_from_a_file_with_a_params_file(run, db, tmp_path):
    (tmp_path / "q.cypher").write_text("MATCH (n {id: $id}) RETURN n.name_zh AS zh", encoding="utf-8")
    (tmp_path / "p.json").write_text('{"id": "tencent"}', encoding="utf-8")
    result = run("query", "--db", db, "--file", str(tmp_path / "q.cypher"), "--params-file", str(tmp_path / "p.json"))
    assert (result.exit_code, result.stdout) == (0, "zh\n----\n騰訊\n(1 row)\n")


def test_saved_query_runs_with_its_defaults_and_overrides(run, db):
    default = run("query", "--db", db, "--saved", "pilot_cities", "--format", "json")
    assert default.exit_code == 0
    assert len(json.loads(default.stdout)) == 6
    unknown = run("query", "--db", db, "--saved", "pilot_citie")
    assert unknown.exit_code == 1
    assert unknown.output == (
        "Error: no saved query named 'pilot_citie' (did you mean 'pilot_cities'?); `ecograph queries` lists them\n"
    )


def test_query_needs_exactly_one_source(run, db, tmp_path):
    none = run("query", "--db", db)
    assert none.exit_code == 2
    assert "give the query as an argument, or with --file F, or --saved NAME (one of them)" in none.output
    both = run("query", "--db", db, "--saved", "pilot_cities", "RETURN 1")
    assert both.exit_code == 2


def test_writing_is_refused_unless_asked(run, db):
    result = run("query", "--db", db, "CREATE (:Company {id: 'x'})")
    assert result.exit_code == 1
    assert result.output == (
        "Error: the query writes (CREATE) and queries are read-only unless writing is allowed "
        "(graphdata/ itself is never changed); add --write to allow it\n"
    )


def test_unsupported_cypher_fails_in_one_line_suggesting_neo4j(run, db):
    result = run("query", "--db", db, "MATCH (n:Company) CALL { WITH n RETURN n.id AS i } RETURN i")
    assert result.exit_code == 1
    assert len(result.output.splitlines()) == 1
    assert result.output.startswith("Error: ") and result.output.rstrip().endswith("with --backend neo4j")


def test_a_syntax_error_is_one_line(run, db):
    result = run("query", "--db", db, "MATCH (n RETURN n")
    assert result.exit_code == 1
    assert len(result.output.splitlines()) == 1 and result.output.startswith("Error: ")
    assert "Traceback" not in result.output


def test_queries_lists_saved_queries_with_parameters(run):
    from ecograph.query.saved import list_saved_queries

    saved = list_saved_queries()
    assert len(saved) >= 12
    result = run("queries")
    assert result.exit_code == 0
    for q in saved:
        assert f"{q.name}\n  {q.description}\n" in result.output
        for p in q.parameters:
            assert f"  --param {p.name}={json.dumps(p.default, ensure_ascii=False)}" in result.output
    listed = json.loads(run("queries", "--json").output)
    assert [q["name"] for q in listed] == [q.name for q in saved]


def test_neo4j_backend_needs_a_uri(run):
    result = run("query", "--backend", "neo4j", "RETURN 1", env={"NEO4J_URI": None, "NEO4J_PASSWORD": "pw"})
    assert (result.exit_code, result.output) == (
        1, "Error: no Neo4j URI: pass --uri or set NEO4J_URI (e.g. neo4j://localhost:7687)\n"
    )


def test_neo4j_password_comes_from_the_environment_not_an_option(run):
    assert run("query", "--backend", "neo4j", "--password", "x", "RETURN 1").exit_code == 2
    result = run("query", "RETURN 1", env={"ECOGRAPH_BACKEND": "neo4j", "NEO4J_URI": "bolt://127.0.0.1:9",
                                           "NEO4J_PASSWORD": None})
    assert (result.exit_code, result.output) == (
        1, "Error: no Neo4j password: set NEO4J_PASSWORD (it is never taken as an option)\n"
    )


def test_neo4j_credentials_in_the_uri_are_refused_saying_where_they_go(run):
    result = run("query", "--backend", "neo4j", "RETURN 1",
                 env={"NEO4J_URI": "neo4j://bob:hunter2@localhost:7687", "NEO4J_PASSWORD": "pw"})
    assert (result.exit_code, result.output) == (
        1, "Error: the Neo4j URI must not hold a user name or password; give them separately; "
           "set them with --user (or NEO4J_USERNAME) and NEO4J_PASSWORD\n"
    )


def test_neo4j_connection_refused_is_one_line_without_the_password(run):
    import socket

    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    secret = "Very-Secret-Pw-8731"
    result = run("query", "--backend", "neo4j", "RETURN 1",
                 env={"NEO4J_URI": f"bolt://127.0.0.1:{port}", "NEO4J_PASSWORD": secret})
    assert result.exit_code == 1
    assert result.output == (
        f"Error: cannot connect to Neo4j at bolt://127.0.0.1:{port}: connection refused; "
        "is Neo4j running, and is the Bolt port right (default 7687)?\n"
    )
    pushed = run("neo4j", "push", env={"NEO4J_URI": f"bolt://127.0.0.1:{port}", "NEO4J_PASSWORD": secret})
    assert pushed.exit_code == 1 and secret not in pushed.output


def test_export_cypher_and_neo4j_admin(run, tmp_path, G):
    script = tmp_path / "graph.cypher"
    result = run("export", "cypher", "-o", str(script))
    counts = f"{G.number_of_nodes()} entities, {G.number_of_edges()} relationships"
    assert (result.exit_code, result.output) == (
        0, f"Wrote {script} ({counts}); run it with: cypher-shell -f {script}\n"
    )
    assert script.read_text(encoding="utf-8").startswith("// ecograph")
    again = run("export", "cypher", "-o", str(script))
    assert (again.exit_code, again.output) == (1, f"Error: {script} exists; add --force to replace it\n")
    assert run("export", "cypher", "-o", str(script), "--force").exit_code == 0
    folder = tmp_path / "import"
    admin = run("export", "neo4j-admin", "-o", str(folder))
    assert admin.exit_code == 0
    command = admin.output.splitlines()[-1]
    assert command.startswith("neo4j-admin database import full ") and command.endswith(" neo4j")
    for f in sorted(folder.glob("*.csv")):
        assert f"={f.name}" in command


def test_readme_query_example_is_real_output(run, db):
    import shlex

    readme = README.read_text(encoding="utf-8")
    command, expected = re.search(r"```console\n\$ (ecograph query .*?)\n(.*?)```", readme, re.S).groups()
    args = shlex.split(command)[1:]
    result = run(*args, "--db", db)
    assert result.exit_code == 0
    assert result.stdout == expected


# --- big answers and big selections ---------------------------------------------------------------

def too_many(entities: int) -> str:
    return (f"Error: the selection holds {entities} entities, more than --max-entities 10; narrow it with --center ENTITY "
            "--hops 1, --kinds, --rels or --since/--until, or raise --max-entities\n")


def test_query_streams_a_table_with_widths_from_the_first_thousand_rows(run, db):
    result = run("query", "--db", db,
                 "UNWIND range(1, 1200) AS i RETURN CASE WHEN i > 1000 THEN 'later and longer' ELSE 'x' END AS t, i")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[:3] == ["t  i", "-  ----", "x  1"]
    assert lines[1001:1003] == ["x  1000", "…  1001"]  # cut to the width the first 1,000 rows set
    assert lines[-1] == "(1200 rows)"


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_query_json_and_csv_of_many_rows_are_whole(run, db, fmt):
    result = run("query", "--db", db, "--format", fmt, "UNWIND range(1, 2500) AS i RETURN i, 'x' + toString(i) AS s")
    assert result.exit_code == 0
    if fmt == "json":
        assert json.loads(result.stdout) == [{"i": i, "s": f"x{i}"} for i in range(1, 2501)]
    else:
        assert result.stdout == "i,s\n" + "".join(f"{i},x{i}\n" for i in range(1, 2501))


def test_render_and_exports_over_the_limit_stop_before_the_work(run, tmp_path, monkeypatch, seed_counts, seed_rows):
    monkeypatch.chdir(tmp_path)
    # the timeline as of 2015: the entities at either end of the ties dated up to 2015, or undated
    by_2015 = {e for r in seed_rows["relationships"] if int(r.get("date", "0")[:4]) <= 2015 for e in (r["from"], r["to"])}
    for args in (["render", "-o", "map.html"], ["export", "png", "-o", "map.png"],
                 ["export", "graphml", "-o", "map.graphml"], ["timeline", "--at", "2015", "-o", "map.html"]):
        result = run(*args, "--max-entities", "10")
        in_years = (f"Error: the selection holds {len(by_2015)} entities, more than --max-entities 10; ask for a "
                    "shorter range of years, or raise --max-entities\n")
        expected = in_years if args[0] == "timeline" else too_many(seed_counts["entities"])
        assert (result.exit_code, result.output) == (1, expected), args
    assert list(tmp_path.iterdir()) == []
    near = run("render", "--center", "alibaba", "--hops", "1", "--max-entities", "10", "-o", "map.html")
    assert near.exit_code == 1 and near.output.startswith("Error: the selection holds ")
    assert run("render", "--center", "alibaba", "--hops", "1", "-o", "map.html").exit_code == 0


def test_a_deck_view_over_the_limit_names_the_view(run, tmp_path, seed_counts):
    spec = tmp_path / "views.yaml"
    spec.write_text("title: t\nviews:\n  - {title: Everything}\n", encoding="utf-8")
    result = run("deck", str(spec), "-o", str(tmp_path / "deck.pptx"), "--max-entities", "10")
    assert (result.exit_code, result.output) == (
        1, f"Error: view 1 of {spec} (Everything): the selection holds {seed_counts['entities']} entities, more than "
           "--max-entities 10; narrow the view (center and hops, kinds, rels, since/until), or raise --max-entities\n")


@pytest.mark.parametrize("lang, label", [("en", "Singapore Post"), ("zh", "新加坡郵政")])
def test_deck_labels_speak_the_language_asked_for(run, tmp_path, lang, label):
    from pptx import Presentation

    spec = tmp_path / "views.yaml"
    spec.write_text("title: t\nviews:\n  - {title: Alibaba, center: alibaba, rels: [OWNS, INVESTED_IN]}\n",
                    encoding="utf-8")
    out = tmp_path / "deck.pptx"
    result = run("deck", str(spec), "-o", str(out), "--lang", lang)
    assert result.exit_code == 0 and re.fullmatch(rf"Wrote {re.escape(str(out))} \(\d+ slides\)\n", result.output)
    shapes = [s for shape in Presentation(out).slides[1].shapes for s in [shape, *getattr(shape, "shapes", [])]]
    labels = {s.name[len("label "):]: s.text_frame.text for s in shapes if s.name.startswith("label ")}
    assert labels["singapore-post"] == label


def test_query_export_over_the_limit_prints_the_rows_and_exports_nothing(run, db, tmp_path):
    out = tmp_path / "sub.graphml"
    result = run("query", "--db", db, "--format", "csv", "--export", str(out), "--max-entities", "3",
                 "MATCH (a:Company {id: 'alibaba'})-[r]->(b) RETURN a.id, r ORDER BY a.id")
    assert result.exit_code == 1
    assert result.stdout.startswith("a.id,r\nalibaba,")
    assert re.fullmatch(r"Error: the result holds \d+ entities, more than --max-entities 3; return fewer rows "
                        r"\(LIMIT, WHERE\), or raise --max-entities\n", result.stderr)
    assert not out.exists()


def test_progress_stays_off_stderr_when_it_is_not_a_terminal(run, tmp_path):
    folder = tmp_path / "synth"
    made = run("synth", "--nodes", "2000", "--relationships", "20000", "-o", str(folder))
    assert made.exit_code == 0 and made.stderr == ""
    checked = run("validate", "--data", str(folder), "--no-shipped-data")
    assert (checked.exit_code, checked.stderr) == (0, "")
    built = run("query", "--data", str(folder), "--no-shipped-data", "--db", str(tmp_path / "db"), "RETURN 1 AS one")
    assert built.exit_code == 0
    assert re.fullmatch(r"Built the embedded store at .* in \d+\.\d s\n", built.stderr)
    drawn = run("render", "--data", str(folder), "--no-shipped-data", "--kinds", "City", "-o", str(tmp_path / "m.html"))
    assert (drawn.exit_code, drawn.stderr) == (0, "")


def test_on_a_terminal_the_library_steps_reach_the_bar(run, tmp_path, monkeypatch):
    import contextlib

    import cli

    calls = []

    @contextlib.contextmanager
    def recording():
        yield lambda *call: calls.append(call)

    monkeypatch.setattr(cli, "_progress", recording)
    assert run("synth", "--nodes", "100", "--relationships", "200", "-o", str(tmp_path / "s")).exit_code == 0
    assert run("render", "--data", str(tmp_path / "s"), "--no-shipped-data", "-o", str(tmp_path / "m.html")).exit_code == 0
    stages = [stage for stage, _, _ in calls]
    for stage in ("Placing relationships", "Writing files", "Checking the data", "Building the graph", "Drawing the map"):
        assert stage in stages
    assert calls[-1] == ("Drawing the map", 5, 5)


def test_progress_bars_draw_one_bar_per_stage(monkeypatch):
    import io

    import cli

    err = io.StringIO()
    err.isatty = lambda: True
    monkeypatch.setattr("sys.stderr", err)
    with cli._progress() as progress:
        progress("Building the store", 0, 4)
        progress("Building the store", 4, 4)
        progress("Drawing the map", 0, 5)
    text = err.getvalue()
    assert "Building the store" in text and "Drawing the map" in text


# --- every command, with input that must fail ----------------------------------------------------


def _commands(group: click.Group, prefix: tuple[str, ...] = ()):
    """Every command and subcommand of ``group``, as its words on the command line."""
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            yield from _commands(command, (*prefix, name))
        else:
            yield (*prefix, name), command


BAD_ENTITIES = "id,kind,name_en,name_zh,country,description\nx,Compnay,X,X,Taiwan,d\n"
BAD_SCHEMA = '[relationships.SUPPLIES]\ndescription = "x"\nfrom = ["Compnay"]\nto = ["Company"]\n'
UNREACHABLE = {"ECOGRAPH_BACKEND": "neo4j", "NEO4J_URI": "bolt://127.0.0.1:9", "NEO4J_PASSWORD": "secret"}


def _faults(command: click.Command) -> list[str]:
    """The failing inputs a command takes, read from its parameters: so a new command is tried
    with every one that applies to it."""
    names = {p.name for p in command.params}
    faults = []
    if any(isinstance(p, click.Argument) and p.type is click.STRING and p.name != "text" for p in command.params):
        faults.append("unknown entity")  # an ENTITY (or SOURCE, A…) argument
    if names & {"output", "export_path"}:
        faults.append("unwritable output")
    if any(isinstance(p, click.Argument) and isinstance(p.type, click.Path) and not p.type.file_okay
           for p in command.params):
        faults.append("occupied folder")  # a new folder to write (init) where something already is
    if "data_dirs" in names:
        faults.append("invalid schema")  # the folder's schema.toml declares a bad type
        if command.name != "schema":  # schema reads the folders' schema.toml, not their rows
            faults.append("invalid data")
    if "uri" in names:
        faults.append("unreachable Neo4j")
    return faults


CASES = [pytest.param(words, fault, id=f"{' '.join(words)}: {fault}")
         for words, command in _commands(main) for fault in _faults(command)]


def test_every_command_with_an_input_is_tried():
    """A command with no failing input takes nothing that can be wrong: flags only."""
    for words, command in _commands(main):
        if not _faults(command):
            assert all(isinstance(p, click.Option) and p.is_flag for p in command.params), words
    assert {words for words, _ in (c.values[:2] for c in CASES)} == {words for words, _ in _commands(main)} - {
        words for words, command in _commands(main) if not _faults(command)}


def _invocation(words, command, fault, tmp_path, store):
    """``words`` with input that works but for ``fault``."""
    spec = tmp_path / "views.yaml"
    spec.write_text("views:\n  - {title: Alibaba, center: alibaba}\n", encoding="utf-8")
    (tmp_path / "a-file").write_text("in the way", encoding="utf-8")
    entities = iter(["no-such-entity" if fault == "unknown entity" else "alibaba", "tencent"])
    args = list(words)
    for p in command.params:
        if isinstance(p, click.Argument):
            if isinstance(p.type, click.Choice):
                args.append(p.type.choices[0])
            elif isinstance(p.type, click.Path) and not p.type.file_okay:  # a folder to write
                args.append(str(tmp_path if fault == "occupied folder" else tmp_path / "new-folder"))
            elif isinstance(p.type, click.Path):
                args.append(str(spec))
            elif p.name == "text":
                args.append("MATCH (a:Company {id: 'alibaba'})-[r]->(b) RETURN a, r, b LIMIT 2")
            else:
                args.append(next(entities))
        elif p.name in ("output", "export_path") and (p.required or fault == "unwritable output"):
            where = tmp_path / "a-file" if fault == "unwritable output" else tmp_path / "new"
            args += [max(p.opts, key=len), str(where / "out.graphml")]
        elif p.required:  # synth's sizes
            args += [max(p.opts, key=len), str(max(p.type.min or 0, 200))]
        elif p.name == "at":  # timeline draws a year
            args += ["--at", "2014"]
    if fault == "invalid data":
        (tmp_path / "bad" / "entities").mkdir(parents=True)
        (tmp_path / "bad" / "entities" / "e.csv").write_text(BAD_ENTITIES, encoding="utf-8")
        args += ["--data", str(tmp_path / "bad")]
    if fault == "invalid schema":
        (tmp_path / "bad").mkdir()
        (tmp_path / "bad" / "schema.toml").write_text(BAD_SCHEMA, encoding="utf-8")
        args += ["--data", str(tmp_path / "bad")]
    env = {"ECOGRAPH_DB": store, **(UNREACHABLE if fault == "unreachable Neo4j" else {})}
    return args, env


@pytest.mark.parametrize("words, fault", CASES)
def test_every_command_fails_in_one_error_line(words, fault, tmp_path, db):
    """Exit 1, one ``Error: …`` line on stderr (bad data: its one problem after it), no traceback."""
    command = dict(_commands(main))[words]
    args, env = _invocation(words, command, fault, tmp_path, db)
    result = CliRunner().invoke(main, args, env=env)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == 1, (args, result.output)
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    if fault in ("invalid data", "invalid schema"):
        assert lines[0] == "Error: 1 problem in the data; nothing was loaded.", lines
        assert len(lines) == 2 and "'Compnay'" in lines[1], lines
    else:
        assert len(lines) == 1 and lines[0].startswith("Error: "), lines
    expected = {"unknown entity": "Error: no entity matches 'no-such-entity'",
                "unwritable output": f"Error: cannot write {tmp_path / 'a-file'}",
                "occupied folder": f"Error: {tmp_path} is not empty",
                "unreachable Neo4j": "Error: cannot connect to Neo4j at bolt://127.0.0.1:9"}.get(fault, "Error: ")
    assert lines[0].startswith(expected), lines


# --- export options, option types, deck views ------------------------------------------------------


def test_export_html_honours_title_and_lang_as_render_does(run, tmp_path):
    small = ["--center", "alibaba", "--rels", "INVESTED_IN", "--title", "Alibaba's stakes", "--lang", "en"]
    assert run("export", "html", "-o", str(tmp_path / "e.html"), *small).exit_code == 0
    assert run("render", "-o", str(tmp_path / "r.html"), *small).exit_code == 0
    page = (tmp_path / "e.html").read_text(encoding="utf-8")
    assert "<title>Alibaba&#x27;s stakes</title>" in page or "<title>Alibaba's stakes</title>" in page
    assert page == (tmp_path / "r.html").read_text(encoding="utf-8")
    assert run("export", "html", "-o", str(tmp_path / "zh.html"), *small[:-1], "zh").exit_code == 0
    assert (tmp_path / "zh.html").read_text(encoding="utf-8") != page


@pytest.mark.parametrize(
    "fmt, option, applies_to",
    [
        ("pptx", ["--width", "800"], "png, svg"),
        ("pptx", ["--height", "800"], "png, svg"),
        ("pptx", ["--dpi", "300"], "png, svg"),
        ("graphml", ["--title", "T"], "png, svg, pptx, html"),
        ("html", ["--dpi", "300"], "png, svg"),
        ("graphml", ["--lang", "zh"], "png, svg, pptx, html"),
        ("png", ["--as-picture"], "pptx"),
        ("csv", ["--slide-entities", "10"], "pptx"),
        ("cypher", ["--seed", "1"], "png, svg, pptx, html, graphml, gexf, json, csv"),
    ],
)
def test_an_export_option_the_format_cannot_honour_is_refused_in_one_line(run, tmp_path, fmt, option, applies_to):
    out = tmp_path / "out"
    result = run("export", fmt, "-o", str(out), *option)
    assert (result.exit_code, result.output) == (1, f"Error: {option[0]} does not apply to {fmt}; it applies to "
                                                    f"{applies_to}\n")
    assert not out.exists()


def test_a_default_left_alone_is_not_refused(run, tmp_path):
    result = run("export", "cypher", "-o", str(tmp_path / "g.cypher"), "--center", "alibaba", "--hops", "1")
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    "args, message",
    [
        (["render", "--kinds", "Compnay"], "Invalid value for '--kinds': no kind named 'Compnay' (did you mean 'Company'?)"),
        (["rank", "--rels", "OWNS,INVESTS_IN"],
         "Invalid value for '--rels': no relationship type named 'INVESTS_IN' (did you mean 'INVESTED_IN'?)"),
        (["reach", "alibaba", "--via", "OWN"], "Invalid value for '--via': no relationship type named 'OWN' (did you mean 'OWNS'?)"),
        (["query", "--param", "x", "RETURN 1"],
         "Invalid value for '--param': 'x': expected key=value with key a Cypher parameter name"),
    ],
)
def test_lists_and_parameters_are_checked_by_their_option_type(run, args, message):
    result = run(*args)
    assert result.exit_code == 2
    assert result.output.endswith(f"Error: {message}\n")


def test_comma_lists_arrive_as_names(run):
    wide = run("path", "alibaba", "tencent", "--rels", " OWNS, INVESTED_IN ,", "--json")
    narrow = run("path", "alibaba", "tencent", "--rels", "OWNS,INVESTED_IN", "--json")
    assert wide.exit_code == 0 and wide.output == narrow.output


def test_a_selector_error_names_the_option_and_a_deck_error_the_view(run, tmp_path):
    years = run("render", "--since", "2015", "--until", "2010", "-o", str(tmp_path / "m.html"))
    assert (years.exit_code, years.output) == (
        1, "Error: --since: the years from 2015 until 2010: no year is in that range\n")
    spec = tmp_path / "views.yaml"
    spec.write_text("views:\n  - {title: Alibaba, center: alibaba}\n  - {title: Firms, kinds: [Compnay]}\n",
                    encoding="utf-8")
    deck = run("deck", str(spec), "-o", str(tmp_path / "d.pptx"))
    assert (deck.exit_code, deck.output) == (
        1, f"Error: view 2 of {spec} (Firms): no kind named 'Compnay' (did you mean 'Company'?)\n")
    assert not (tmp_path / "d.pptx").exists()


def test_a_missing_query_parameter_names_the_option_that_gives_it(run, db):
    result = run("query", "--db", db, "MATCH (c {id: $company}) RETURN c.id")
    assert (result.exit_code, result.output) == (
        1, "Error: the query uses $company but no value was given; pass --param company=…\n")
