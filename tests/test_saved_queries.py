"""Every saved query (cypher/*.cypher): its header, its run on the seed store, and its answer.

Expected answers come from the seed report (/work/shared/seed) and the graphdata/ CSVs: either
written out here with the report section they come from, or computed from the CSVs with the
``csv`` module alone, so a query and its expectation are never derived from the same code.
"""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
from collections import Counter, defaultdict, deque
from pathlib import Path
from typing import Any

import pytest

from ecograph.graphdata import shipped_data_dir
from ecograph.result import QueryResult
from ecograph.saved import read_saved_query
from ecograph.schema import ENTITY_MARKER_LABEL, KINDS, OBSERVATION_LABEL, OBSERVATION_REL, REL_TYPES

ROOT = Path(__file__).resolve().parents[1]
CYPHER = ROOT / "cypher"
DATA = ROOT / "graphdata"
QUERY_FILES = sorted(CYPHER.glob("*.cypher"))
QUERY_NAMES = [p.stem for p in QUERY_FILES]

RUNNABLE = [pytest.param(p, id=p.stem) for p in QUERY_FILES]
LINT = ROOT.parent / "shared" / "tools" / "neo4j-cypher-lint" / "neo4j-cypher-lint"
LABELS = [*KINDS, OBSERVATION_LABEL, ENTITY_MARKER_LABEL]
TYPES = [*REL_TYPES, OBSERVATION_REL]

# String literals, backquoted names and comments, in one alternation so that a `//` inside a
# string stays part of the string and a `'` inside a comment does not open one.
_NOT_CODE = re.compile(
    r"""'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|`[^`]*`|//[^\n]*|/\*.*?\*/""", re.DOTALL
)
_PARAM_USE = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


def used_parameters(text: str) -> set[str]:
    """The $names a Cypher text uses, ignoring strings, backquoted names and comments."""
    return set(_PARAM_USE.findall(_NOT_CODE.sub(" ", text)))


def string_literals(text: str) -> list[str]:
    """The string literals of a Cypher text outside comments (without their quotes)."""
    return [m[0][1:-1] for m in _NOT_CODE.finditer(text) if m[0][0] in "'\""]


# --- the seed data, read with nothing but csv ------------------------------------------------------


def _read_csvs(folder: str) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for path in sorted((DATA / folder).glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as f:
            rows += csv.DictReader(f)
    return rows


ENTITIES = {r["id"]: r for r in _read_csvs("entities")}
TIES = _read_csvs("relationships")


def name(entity_id: str) -> str:
    return ENTITIES[entity_id]["name_en"]


def undirected_neighbours() -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for t in TIES:
        out[t["from"]].add(t["to"])
        out[t["to"]].add(t["from"])
    return out


def distances_from(start: str) -> dict[str, int]:
    """Hops from ``start`` to every entity it reaches, ties read in both directions."""
    nbrs, dist, todo = undirected_neighbours(), {start: 0}, deque([start])
    while todo:
        here = todo.popleft()
        for there in nbrs[here]:
            if there not in dist:
                dist[there] = dist[here] + 1
                todo.append(there)
    return dist


def count_shortest_paths(a: str, b: str) -> int:
    """How many shortest chains of ties (distinct relationships) join ``a`` and ``b``."""
    dist = distances_from(a)
    ways: Counter[str] = Counter({a: 1})
    for here in sorted(dist, key=dist.get):
        for t in TIES:
            for x, y in ((t["from"], t["to"]), (t["to"], t["from"])):
                if x == here and dist.get(y) == dist[here] + 1:
                    ways[y] += ways[here]
    return ways[b]


# --- the store -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """The seed data in an embedded store, built once for this module."""
    from ecograph.store import open_store

    return open_store([shipped_data_dir()], tmp_path_factory.mktemp("saved_queries") / "seed")


def run(store, query_name: str, **params: Any) -> QueryResult:
    q = read_saved_query(query_name, CYPHER)
    return store.query(q.text, q.bind(params))


def rows(result: QueryResult, *columns: str) -> list[tuple]:
    """The result's rows as tuples of ``columns`` (all columns when none are named)."""
    if not columns:
        return [tuple(r) for r in result.rows]
    index = [result.columns.index(c) for c in columns]
    return [tuple(r[i] for i in index) for r in result.rows]


# --- every saved query -------------------------------------------------------------------------------


def test_there_are_at_least_fourteen_saved_queries():
    assert len(QUERY_FILES) >= 14, QUERY_NAMES


@pytest.mark.parametrize(
    "text, expected",
    [
        ("MATCH (a {id: $company}) RETURN a LIMIT $top", {"company", "top"}),
        ("// uses $nothing\nMATCH (a) WHERE a.name = '$not_a_param' RETURN a", set()),
        ('MATCH (a) WHERE a.x = "a // $b" AND a.y = $c /* $d */ RETURN `$e`', {"c"}),
        ("MATCH (a) WHERE a.name = 'it\\'s $x' RETURN $y", {"y"}),
    ],
)
def test_used_parameters_ignores_strings_and_comments(text, expected):
    assert used_parameters(text) == expected


def test_string_literals_skip_comments_and_backquoted_names():
    text = "// 'not this'\nMATCH (a {id: 'alibaba'}) WHERE a.u = \"http://x\" RETURN `it's` AS n"
    assert string_literals(text) == ["alibaba", "http://x"]


@pytest.mark.parametrize("path", QUERY_FILES, ids=QUERY_NAMES)
def test_header_declares_exactly_the_parameters_used(path):
    q = read_saved_query(path.stem, CYPHER)
    assert q.description.strip(), f"{path.name}: no description"
    declared = [p.name for p in q.parameters]
    assert len(declared) == len(set(declared)), f"{path.name}: a parameter is declared twice"
    used = used_parameters(q.text)
    assert used - set(declared) == set(), f"{path.name}: used but not declared"
    assert set(declared) - used == set(), f"{path.name}: declared but not used"
    for p in q.parameters:
        assert p.default is not None, f"{path.name}: ${p.name} needs a default that runs"
        assert p.description, f"{path.name}: ${p.name} needs a description"


@pytest.mark.parametrize("path", QUERY_FILES, ids=QUERY_NAMES)
def test_values_come_as_parameters_not_literals(path):
    # The only strings a saved query may spell out are schema names (labels, types).
    literals = string_literals(path.read_text(encoding="utf-8"))
    assert [s for s in literals if s not in {*LABELS, *TYPES}] == []


@pytest.mark.parametrize("path", RUNNABLE)
def test_runs_on_the_seed_with_its_defaults(store, path):
    result = run(store, path.stem)
    assert len(result.rows) >= 1
    for column in result.columns:
        assert re.fullmatch(r"[a-z][a-z0-9_]*", column), f"{path.name}: column {column!r} needs an alias"


@pytest.mark.skipif(not LINT.exists(), reason="neo4j-cypher-lint lives in ../shared/tools beside the repository")
@pytest.mark.skipif(shutil.which("node") is None, reason="neo4j-cypher-lint needs Node.js")
def test_saved_queries_pass_strict_neo4j_lint_with_the_schema():
    result = subprocess.run(
        [str(LINT), "--strict", "--labels", ",".join(LABELS), "--types", ",".join(TYPES), *map(str, QUERY_FILES)],
        capture_output=True, text=True, timeout=600, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"0 error(s), 0 warning(s) in {len(QUERY_FILES)} file(s)" in result.stdout


# --- each query's answer on the seed ------------------------------------------------------------------


def test_alibaba_stakes(store):
    # 貳.四 (Taobao, Singapore Post 10.35 %, ShopRunner), 貳.五 (B2B, Tmall, 阿里小微), 貳.六.2 (Alipay, Weibo 18 %)
    result = run(store, "alibaba_stakes")
    assert rows(result, "target", "tie", "stake", "source") == [
        ("ShopRunner", "INVESTED_IN", None, "貳.四"),
        ("Sina Weibo", "INVESTED_IN", 0.18, "貳.六.2"),
        ("Singapore Post", "INVESTED_IN", 0.1035, "貳.四"),
        ("Alibaba B2B", "OWNS", None, "貳.五"),
        ("Alibaba Small and Micro Microcredit Co.", "OWNS", None, "貳.五"),
        ("Alipay", "OWNS", None, "貳.六.2"),
        ("Taobao", "OWNS", None, "貳.四"),
        ("Tmall", "OWNS", None, "貳.五"),
    ]
    csv_ties = {(name(t["to"]), t["type"]) for t in TIES if t["from"] == "alibaba" and t["type"] in ("OWNS", "INVESTED_IN")}
    assert set(rows(result, "target", "tie")) == csv_ties


def test_alibaba_stakes_of_another_company(store):
    result = run(store, "alibaba_stakes", company="suning")
    assert rows(result, "target", "tie", "date") == [("Chongqing Suning Microcredit Co.", "OWNS", "2012-12")]


def test_pilot_cities(store):
    # 參.一.2: 上海、重慶、杭州、寧波、鄭州及廣州
    result = run(store, "pilot_cities")
    assert rows(result, "city", "city_zh", "source") == [
        ("Chongqing", "重慶", "參.一.2"),
        ("Guangzhou", "廣州", "參.一.2"),
        ("Hangzhou", "杭州", "參.一.2"),
        ("Ningbo", "寧波", "參.一.2"),
        ("Shanghai", "上海", "參.一.2"),
        ("Zhengzhou", "鄭州", "參.一.2"),
    ]
    assert {r[0] for r in rows(result, "policy")} == {"關於實施支持跨境電子商務零售出口有關政策的意見"}


def test_pilot_cities_of_a_policy_without_pilots(store):
    assert run(store, "pilot_cities", policy="ecommerce-law").rows == []


def test_taiwanese_entry_modes(store):
    # 表四 (肆.一)
    result = run(store, "taiwanese_entry_modes")
    assert rows(result, "entry_mode", "n", "firms", "sources") == [
        (
            "在臺經營電商平台，跨境銷售給中國大陸消費者",
            8,
            sorted(["安翌全球", "紅陽科技", "阿奇里斯", "點臺灣", "偉博泰", "臺寶網", "PCHOME全球購", "臺灣通"]),
            ["肆.一 表四"],
        ),
        (
            "臺商直接至中國大陸經營電商平台",
            5,
            sorted(["PayEasy", "杰可斯", "飛虎樂購", "金連網", "晉証"]),
            ["肆.一 表四"],
        ),
        (
            "透過中國大陸電商平台銷售給當地消費者",
            8,
            sorted(["臺灣里國際", "藍新科技", "墣璞市集", "橘熊", "雅聞", "寬寬文創", "網勁", "臺灣吃透透"]),
            ["肆.一 表四"],
        ),
    ]


def test_ecosystem_one_hop(store):
    # 貳.四–貳.六: Alibaba's platforms, lender and payment tool, its three investments, its two markets
    result = run(store, "ecosystem", hops=1)
    assert rows(result, "entity", "kind", "distance") == [
        ("Alibaba B2B", "Platform", 1),
        ("Alibaba Small and Micro Microcredit Co.", "FinancialService", 1),
        ("Alipay", "PaymentService", 1),
        ("Mainland China", "Country", 1),  # where it is (貳.三.2)
        ("Mainland China O2O market", "Market", 1),
        ("Mainland China mobile commerce market", "Market", 1),
        ("ShopRunner", "Company", 1),
        ("Sina Weibo", "Platform", 1),
        ("Singapore Post", "Company", 1),
        ("Taobao", "Platform", 1),
        ("Tmall", "Platform", 1),
    ]


@pytest.mark.parametrize("centre, hops", [("alibaba", 2), ("yiwu", 2), ("tencent", 3)])
def test_ecosystem_is_everything_within_hops(store, centre, hops):
    result = run(store, "ecosystem", entity=centre, hops=hops)
    expected = sorted(
        ((name(e), d) for e, d in distances_from(centre).items() if 0 < d <= hops), key=lambda r: (r[1], r[0])
    )
    assert rows(result, "entity", "distance") == expected
    assert {r[1] for r in expected} == set(range(1, hops + 1))


@pytest.mark.parametrize("query, params", [("ecosystem", {"hops": 2}), ("most_connected", {"top": 200})])
def test_kind_column_is_the_entity_kind(store, query, params):
    kind_of = {e["name_en"]: e["kind"] for e in ENTITIES.values()}
    got = rows(run(store, query, **params), "entity", "kind")
    assert len(got) > 10
    assert dict(got) == {n: kind_of[n] for n, _ in got}


def test_investments(store):
    # 貳.四 (Singapore Post 10.35 %, ShopRunner), 貳.六.2 (Sina Weibo 18 % in 2014)
    result = run(store, "investments")
    assert rows(result, "investor", "target", "target_country", "stake", "year", "source") == [
        ("Alibaba Group", "ShopRunner", "United States", None, None, "貳.四"),
        ("Alibaba Group", "Sina Weibo", "Mainland China", 0.18, 2014, "貳.六.2"),
        ("Alibaba Group", "Singapore Post", "Singapore", 0.1035, None, "貳.四"),
    ]
    assert run(store, "investments", min_stake=0.15).rows == [result.rows[1]]


def test_logistics_partners(store):
    # 貳.四: Taobao with China Post's 100,000 post offices; 10.35 % of Singapore Post; ShopRunner
    result = run(store, "logistics_partners")
    assert rows(result, "partner", "tied_to", "tie", "stake", "count", "count_unit", "source") == [
        ("China Post Group", "Taobao", "DELIVERS_FOR", None, 100000, "post offices", "貳.四"),
        ("ShopRunner", "Alibaba Group", "INVESTED_IN", None, None, None, "貳.四"),
        ("ShopRunner", "Alibaba Group", "PARTNERS_WITH", None, None, None, "貳.四"),
        ("Singapore Post", "Alibaba Group", "INVESTED_IN", 0.1035, None, None, "貳.四"),
    ]


def test_both_camps(store):
    # Alibaba and Tencent both list O2O as a key field (貳.三.2) and mobile payment as a priority (貳.六.2);
    # Taobao and Tmall subsidise mobile users (貳.六.1).
    result = run(store, "both_camps")
    got = [
        (entity, kind, sorted(a), sorted(b), sorted(sa), sorted(sb))
        for entity, kind, a, b, sa, sb in rows(
            result, "entity", "kind", "camp_a_side", "camp_b_side", "camp_a_sources", "camp_b_sources"
        )
    ]
    assert got == [
        # Both camps are in Mainland China: Alibaba and its platforms and lender, and Tencent (貳.七).
        (
            "Mainland China",
            "Country",
            ["Alibaba B2B", "Alibaba Group", "Alibaba Small and Micro Microcredit Co.", "Taobao", "Tmall"],
            ["Tencent"],
            ["貳.七", "貳.三.2", "貳.五", "貳.四"],
            ["貳.七"],
        ),
        ("Mainland China O2O market", "Market", ["Alibaba Group"], ["Tencent"], ["貳.三.2"], ["貳.三.2"]),
        (
            "Mainland China mobile commerce market",
            "Market",
            ["Alibaba Group", "Taobao", "Tmall"],
            ["Tencent"],
            ["貳.六.1", "貳.六.2"],
            ["貳.六.2"],
        ),
    ]
    assert [sorted(r[0]) for r in rows(result, "camp_a_ties")] == [["LOCATED_IN"], ["ACTIVE_IN"], ["ACTIVE_IN"]]


def test_o2o_retail_tieups(store):
    # 貳.三.3: 1號店 with 美特好 and 全家; 京東 with convenience stores in 15 cities incl. 上海、哈爾濱、溫州
    result = run(store, "o2o_retail_tieups")
    assert rows(result, "platform", "tie", "partner", "year", "count", "source") == [
        ("JD.com", "COOPERATES_IN", "Harbin", 2014, 15, "貳.三.3"),
        ("JD.com", "COOPERATES_IN", "Shanghai", 2014, 15, "貳.三.3"),
        ("JD.com", "COOPERATES_IN", "Wenzhou", 2014, 15, "貳.三.3"),
        ("Yihaodian", "PARTNERS_WITH", "FamilyMart China", 2014, None, "貳.三.3"),
        ("Yihaodian", "PARTNERS_WITH", "Meitehao", 2014, None, "貳.三.3"),
    ]


@pytest.mark.parametrize(
    "params, chain, ties, sources",
    [
        (
            {},  # 網勁在天貓 (表四); Tmall and Alipay are Alibaba's (貳.五, 貳.六.2)
            ["Wangjin", "Tmall", "Alibaba Group", "Alipay"],
            ["SELLS_ON", "OWNS", "OWNS"],
            ["肆.一 表四", "貳.五", "貳.六.2"],
        ),
        (
            {"from_entity": "neweb-technologies", "to_entity": "tencent"},  # 藍新科技與京東商城; 京東–騰訊 (貳.七)
            ["Neweb Technologies", "JD.com", "Tencent"],
            ["SELLS_ON", "PARTNERS_WITH"],
            ["肆.一 表四", "貳.七"],
        ),
    ],
)
def test_shortest_chain(store, params, chain, ties, sources):
    q = read_saved_query("shortest_chain", CYPHER)
    bound = q.bind(params)
    assert count_shortest_paths(bound["from_entity"], bound["to_entity"]) == 1, "the expected chain must be the only one"
    assert distances_from(bound["from_entity"])[bound["to_entity"]] == len(ties)
    result = run(store, "shortest_chain", **params)
    assert rows(result, "chain", "ties", "sources", "hops") == [(chain, ties, sources, len(ties))]


def test_microcredit_lending(store):
    # 貳.五: 重慶蘇寧小額貸款 (Dec 2012) for Suning's chain; 阿里小微 (Aug 2013) for B2B, Taobao, Tmall
    result = run(store, "microcredit_lending")
    assert rows(result, "owner", "lender", "set_up", "lends_to", "source") == [
        ("Alibaba Group", "Alibaba Small and Micro Microcredit Co.", "2013-08", "Alibaba B2B", "貳.五"),
        ("Alibaba Group", "Alibaba Small and Micro Microcredit Co.", "2013-08", "Taobao", "貳.五"),
        ("Alibaba Group", "Alibaba Small and Micro Microcredit Co.", "2013-08", "Tmall", "貳.五"),
        ("Suning Appliance", "Chongqing Suning Microcredit Co.", "2012-12", "Suning Appliance", "貳.五"),
    ]


def test_cross_border_payments(store):
    # 貳.二.2: 義烏購 takes PayPal and 易寶支付; 貳.四: Alipay users order from the US ShopRunner
    result = run(store, "cross_border_payments")
    assert rows(result, "payment_service", "takes_payments_for", "crosses_border", "source") == [
        ("Alipay", "ShopRunner", True, "貳.四"),
        ("PayPal", "Yiwu Go", True, "貳.二.2"),
        ("YeePay", "Yiwu Go", False, "貳.二.2"),
    ]


def test_market_sizes(store):
    # 壹 (eMarketer), 表二 and 貳.二.1 (易觀: 1.74 兆 in the text), 貳.三.1 (4623 億), 貳.六 (25.6 億, 4124 億)
    result = run(store, "market_sizes")
    assert rows(result, "market", "period", "value", "unit", "basis", "seed_table", "cited") == [
        ("Mainland China O2O market", "2013", 462_300_000_000, "CNY", "actual", None, "Analysys International"),
        ("Mainland China cross-border e-commerce market", "2009", 800_000_000_000, "CNY", "actual", "表二", "Analysys International"),
        ("Mainland China cross-border e-commerce market", "2010", 1_200_000_000_000, "CNY", "actual", "表二", "Analysys International"),
        ("Mainland China cross-border e-commerce market", "2011", 1_700_000_000_000, "CNY", "actual", "表二", "Analysys International"),
        ("Mainland China cross-border e-commerce market", "2011", 1_740_000_000_000, "CNY", "actual", None, "Analysys International"),
        ("Mainland China cross-border e-commerce market", "2012", 2_100_000_000_000, "CNY", "actual", "表二", "Analysys International"),
        ("Mainland China cross-border e-commerce market", "2013", 2_700_000_000_000, "CNY", "estimate", "表二", "Analysys International"),
        ("Mainland China e-commerce market", "2015", 540_000_000_000, "USD", "forecast", None, "eMarketer"),
        ("Mainland China mobile commerce market", "2009", 2_560_000_000, "CNY", "actual", None, "China E-Commerce Research Center"),
        ("Mainland China mobile commerce market", "2014", 412_400_000_000, "CNY", "forecast", None, "China E-Commerce Research Center"),
    ]


def test_market_sizes_of_another_metric(store):
    result = run(store, "market_sizes", metric="yoy_growth")
    assert rows(result, "market", "period", "value") == [
        ("Mainland China O2O market", "2013", 0.69),
        ("Mainland China cross-border e-commerce market", "2009", 0.165),
        ("Mainland China cross-border e-commerce market", "2010", 0.424),
        ("Mainland China cross-border e-commerce market", "2011", 0.457),
        ("Mainland China cross-border e-commerce market", "2012", 0.201),
        ("Mainland China cross-border e-commerce market", "2013", 0.288),
        ("Mainland China foreign trade", "2012", 0.062),
    ]


def test_entity_figures(store):
    # 貳.二.2: 2000+ logistics firms, 12 % logistics cost, 856 億 online turnover, 21 萬 accounts, two number ones
    result = run(store, "entity_figures")
    assert rows(result, "metric", "period", "value", "unit", "cited") == [
        ("alipay_top100_county_rank", "2014-H1", 1, "rank", None),
        ("ecommerce_turnover", "2013", 85_600_000_000, "CNY", "Yiwu Administration for Industry and Commerce"),
        ("logistics_companies", "2014", 2000, "count", None),
        ("logistics_cost_share", "2014", 0.12, "fraction", None),
        ("online_merchant_accounts", "2014-H1", 210_000, "count", "Yiwu Administration for Industry and Commerce"),
        ("top100_ecommerce_county_rank", "2014-H1", 1, "rank", None),
    ]


def test_entity_figures_give_text_where_there_is_no_number(store):
    result = run(store, "entity_figures", entity="yiwu-international-ecommerce-city")
    assert rows(result, "metric", "value", "text") == [
        ("expected_completion", None, "預計2016年完工投入使用"),
        ("floor_area", 1_300_000, None),
        ("site_area", 666, None),
    ]


def test_co_developed_products(store):
    # 貳.七: Tmall and Skyworth (創維) launched the Coocaa (酷開) home internet TV
    result = run(store, "co_developed_products")
    assert rows(result, "product", "product_zh", "co_developer", "source") == [
        ("Coocaa TV", "酷開電視", "Skyworth", "貳.七"),
    ]


def test_partners_of_yihaodian(store):
    # 貳.三.3: 1號店 with Shanxi's 美特好, then FamilyMart China
    result = run(store, "partners")
    assert rows(result, "partner", "partner_zh", "based_in", "year", "source") == [
        ("FamilyMart China", "全家FamilyMart中國區", "Mainland China", 2014, "貳.三.3"),
        ("Meitehao", "美特好", "Shanxi", 2014, "貳.三.3"),
    ]


def test_partners_read_both_ways(store):
    # PARTNERS_WITH is stored once (ShopRunner -> Alibaba, Alibaba -> Weibo): both show from Alibaba's side.
    result = run(store, "partners", entity="alibaba")
    assert rows(result, "partner", "source") == [("ShopRunner", "貳.四"), ("Sina Weibo", "貳.六.2")]


def test_policies_and_issuers(store):
    result = run(store, "policies_and_issuers")
    issued = [r for r in rows(result, "policy", "issued_by", "date", "source") if r[1] is not None]
    assert issued == [
        ("230 Plan", "Yiwu Municipal Government", "2013", "貳.二.2"),
        ("E-Commerce Law (draft)", "Ministry of Commerce (PRC)", None, "參.一.1"),
        ("Notice on Further Promoting the Healthy and Rapid Development of E-Commerce", "Ministry of Commerce (PRC)", "2013-04", "參.一.2"),
        ("Notice on Further Promoting the Healthy and Rapid Development of E-Commerce", "Ministry of Finance (PRC)", "2013-04", "參.一.2"),
        ("Notice on Further Promoting the Healthy and Rapid Development of E-Commerce", "National Development and Reform Commission", "2013-04", "參.一.2"),
        ("Opinions on Implementing Policies to Support Cross-Border E-Commerce Retail Exports", "Ministry of Commerce (PRC)", "2013-04", "參.一.2"),
        ("Opinions on Implementing Policies to Support Cross-Border E-Commerce Retail Exports", "Ministry of Finance (PRC)", "2013-04", "參.一.2"),
        ("Opinions on Implementing Policies to Support Cross-Border E-Commerce Retail Exports", "National Development and Reform Commission", "2013-04", "參.一.2"),
    ]
    policies = {e["name_en"] for e in ENTITIES.values() if e["kind"] == "Policy"}
    assert len(policies) == 14
    assert {r[0] for r in rows(result, "policy")} == policies
    issued_policies = {r[0] for r in issued}
    unissued = [r for r in rows(result, "policy", "issued_by") if r[0] not in issued_policies]
    assert sorted(unissued) == [(p, None) for p in sorted(policies - issued_policies)]


def test_most_connected(store):
    ties: Counter[str] = Counter()
    for t in TIES:
        ties[t["from"]] += 1
        ties[t["to"]] += 1
    nbrs = undirected_neighbours()
    ranked = sorted(ties, key=lambda e: (-ties[e], name(e)))
    expected = [(name(e), ties[e], len(nbrs[e])) for e in ranked]
    result = run(store, "most_connected")
    assert rows(result, "entity", "ties", "neighbours") == expected[:10]
    assert expected[0][0] == "Mainland China"  # what most entities are located in
    alibaba = ties["alibaba"], len(nbrs["alibaba"])
    assert alibaba == (13, 11)  # two ties each with ShopRunner and Weibo
    assert len(run(store, "most_connected", top=3).rows) == 3
