"""Every command through click's CliRunner: exact output and exit codes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

import ecograph
from cli import main
from ecograph.schema import data_model_markdown

README = Path(__file__).resolve().parents[1] / "README.md"

USER_ENTITIES = "id,kind,name_en,name_zh,country,description\nacme,Company,Acme Trading,愛克米,Taiwan,A Taiwanese trading firm\n"
USER_TIES = "from,type,to,stake,date,description,source\nacme,INVESTED_IN,alibaba,0.05,2016,Bought 5 %,Annual report 2016\n"


@pytest.fixture
def run():
    def invoke(*args, env=None):
        return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)

    return invoke


@pytest.fixture
def user_data(write_graphdata):
    return write_graphdata({"entities/mine.csv": USER_ENTITIES, "relationships/deals.csv": USER_TIES})


def test_version(run):
    result = run("--version")
    assert (result.exit_code, result.output) == (0, f"ecograph, version {ecograph.__version__}\n")


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
        f"OK: {G.number_of_nodes() + 1} entities, {G.number_of_edges() + 1} relationships, "
        f"{len(G.graph['observations'])} observations in graphdata (shipped), data\n"
    )


def test_data_from_the_environment(run, user_data):
    result = run("show", "acme", env={"ECOGRAPH_DATA": str(user_data)})
    assert result.exit_code == 0
    assert "-[INVESTED_IN {stake: 0.05, date: 2016}]-> Alibaba Group / 阿里巴巴 (alibaba)" in result.output


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
    assert "  INVESTED_IN                 3" in lines
    assert any(line.startswith("  mckinsey-global-institute       McKinsey Global Institute / 麥肯錫全球研究所: ")
               for line in lines)


def test_info_json(run):
    G = ecograph.load()
    info = json.loads(run("info", "--json").output)
    assert set(info) == {"entities", "relationships", "observations", "labels", "relationship_types",
                         "sections", "cited", "data_dirs"}
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
    result = run("show", "tier-1-cities")
    assert "  2011       online_spend_per_user = 6819 CNY/person/year (actual)  [表一 貳.一; cites mckinsey-global-institute]" \
        in result.output.splitlines()


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
