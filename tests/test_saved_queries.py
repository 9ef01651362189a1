"""Every saved query (cypher/*.cypher): its header, its run on the seed store, and its answer.

Expected answers come from the seed report (/work/shared/seed) and the graphdata/ CSVs: either
written out here with the report section they come from, or computed from the CSVs with the
``csv`` module alone, so a query and its expectation are never derived from the same code.
"""

from __future__ import annotations

import csv
import os
import re
from collections import Counter, defaultdict, deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

import ecograph
from ecograph.query.result import QueryResult
from ecograph.query.saved import read_saved_query
from ecograph.data.schema import ENTITY_MARKER_LABEL, KINDS, OBSERVATION_LABEL, OBSERVATION_REL, REL_TYPES

ROOT = Path(__file__).resolve().parents[1]
CYPHER = ROOT / "cypher"
DATA = ROOT / "graphdata"
QUERY_FILES = sorted(CYPHER.glob("*.cypher"))
QUERY_NAMES = [p.stem for p in QUERY_FILES]

RUNNABLE = [pytest.param(p, id=p.stem) for p in QUERY_FILES]
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
FIGURES = _read_csvs("tables")


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
def store(seed_store):
    """The seed data in an embedded store (conftest's, built once for the run)."""
    return seed_store


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


def test_saved_queries_pass_strict_neo4j_lint_with_the_schema(cypher_lint):
    result = cypher_lint(*(p.relative_to(ROOT) for p in QUERY_FILES), cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"0 error(s), 0 warning(s) in {len(QUERY_FILES)} file(s)" in result.stdout


# --- each query's whole answer on the seed ------------------------------------------------------------
#
# EXPECTED holds every saved query's answer with its default parameters: every column it returns, in
# order, and every row with exact values. Rows are written from the report (the section in a comment
# where it is not obvious) and the graphdata CSVs; free-text descriptions and notes are looked up in
# the CSVs rather than retyped; the two answers that are a computation over the whole graph
# (ecosystem, most_connected) are computed from the CSVs here, with hand-written anchors below.


def tie(frm: str, type_: str, to: str) -> dict[str, str]:
    """The one tie of the relationship CSVs from ``frm`` of ``type_`` to ``to``."""
    found = [t for t in TIES if (t["from"], t["type"], t["to"]) == (frm, type_, to)]
    assert len(found) == 1, (frm, type_, to, found)
    return found[0]


def said(frm: str, type_: str, to: str) -> str:
    """The description the CSVs give the tie from ``frm`` of ``type_`` to ``to``."""
    return tie(frm, type_, to)["description"]


def noted(subject: str, metric: str, period: str) -> str | None:
    """The note the tables CSVs give a figure, None where there is none."""
    found = [f for f in FIGURES if (f["subject"], f["metric"], f["period"]) == (subject, metric, period)]
    assert len(found) == 1, (subject, metric, period, found)
    return found[0]["note"] or None


def ecosystem_from_csv(centre: str, hops: int) -> list[tuple]:
    """Every entity within ``hops`` ties of ``centre``: name, Chinese name, kind, distance; nearest first."""
    found = [
        (name(e), ENTITIES[e]["name_zh"], ENTITIES[e]["kind"], d)
        for e, d in distances_from(centre).items()
        if 0 < d <= hops
    ]
    return sorted(found, key=lambda r: (r[3], r[0]))


def most_connected_from_csv(top: int) -> list[tuple]:
    """The ``top`` entities by ties (then by name): name, Chinese name, kind, ties, distinct neighbours."""
    ties: Counter[str] = Counter()
    for t in TIES:
        ties[t["from"]] += 1
        ties[t["to"]] += 1
    nbrs = undirected_neighbours()
    ranked = sorted(ties, key=lambda e: (-ties[e], name(e)))[:top]
    return [(name(e), ENTITIES[e]["name_zh"], ENTITIES[e]["kind"], ties[e], len(nbrs[e])) for e in ranked]


@dataclass(frozen=True)
class Answer:
    """A saved query's whole answer: its columns in order and its rows, with the parameters it ran with."""

    columns: tuple[str, ...]
    rows: list[tuple]
    params: dict[str, Any] = field(default_factory=dict)
    ordered: bool = True  # False where the query promises no order among its rows


NOTICE = "Notice on Further Promoting the Healthy and Rapid Development of E-Commerce"
NOTICE_ZH = "關於進一步促進電子商務庫康快速發展有關工作的通知"  # 庫康 for 健康, as the seed writes it
OPINIONS = "Opinions on Implementing Policies to Support Cross-Border E-Commerce Retail Exports"
OPINIONS_ZH = "關於實施支持跨境電子商務零售出口有關政策的意見"
YIWU_AIC = "Yiwu Administration for Industry and Commerce"
ANALYSYS = "Analysys International"
CECRC = "China E-Commerce Research Center"
CROSS_BORDER, CROSS_BORDER_ZH = "Mainland China cross-border e-commerce market", "中國大陸跨境電子商務市場"

EXPECTED: dict[str, Answer] = {
    # 貳.四 (Taobao; 10.35 % of Singapore Post; ShopRunner), 貳.五 (B2B and Tmall, the other two platforms;
    # 阿里小微 set up in August 2013), 貳.六.2 (Alipay; 18 % of Sina Weibo in 2014)
    "alibaba_stakes": Answer(
        ("target", "target_zh", "tie", "stake", "date", "source"),
        [
            ("ShopRunner", "ShopRunner", "INVESTED_IN", None, None, "貳.四"),
            ("Sina Weibo", "新浪微博", "INVESTED_IN", 0.18, "2014", "貳.六.2"),
            ("Singapore Post", "新加坡郵政", "INVESTED_IN", 0.1035, None, "貳.四"),
            ("Alibaba B2B", "阿里巴巴B2B業務", "OWNS", None, None, "貳.五"),
            ("Alibaba Small and Micro Microcredit Co.", "阿里小微小額貸款有限公司", "OWNS", None, "2013-08", "貳.五"),
            ("Alipay", "支付寶", "OWNS", None, None, "貳.六.2"),
            ("Taobao", "淘寶", "OWNS", None, None, "貳.四"),
            ("Tmall", "天貓", "OWNS", None, None, "貳.五"),
        ],
    ),
    # Alibaba and Tencent both list O2O as a key field (貳.三.2) and mobile payment as a priority (貳.六.2);
    # Taobao and Tmall subsidise mobile users (貳.六.1). Tencent's one other tie, JD (貳.七), has no tie to
    # Alibaba's camp. Lists follow the camp members' names, so Alibaba Group's source comes first.
    "both_camps": Answer(
        (
            "entity", "entity_zh", "kind", "camp_a_side", "camp_b_side",
            "camp_a_ties", "camp_b_ties", "camp_a_sources", "camp_b_sources",
        ),
        [
            (
                "Mainland China O2O market", "中國大陸O2O市場", "Market", ["Alibaba Group"], ["Tencent"],
                ["ACTIVE_IN"], ["ACTIVE_IN"], ["貳.三.2"], ["貳.三.2"],
            ),
            (
                "Mainland China mobile commerce market", "中國大陸行動商務市場", "Market",
                ["Alibaba Group", "Taobao", "Tmall"], ["Tencent"],
                ["ACTIVE_IN"], ["ACTIVE_IN"], ["貳.六.2", "貳.六.1"], ["貳.六.2"],
            ),
        ],
    ),
    # 貳.七: 天貓 with 創維 launched the 酷開 home internet TV. The custom appliances Tmall developed with
    # 美的、九陽 and eight other makers in 2014 name no product (see the query's header).
    "co_developed_products": Answer(
        ("product", "product_zh", "co_developer", "how", "source"),
        [("Coocaa TV", "酷開電視", "Skyworth", said("tmall", "CO_DEVELOPS", "coocaa-tv"), "貳.七")],
    ),
    # 貳.二.2: 義烏購 takes PayPal (US) and 易寶支付 (mainland) for RMB and foreign-currency card payments;
    # 貳.四: Alipay users order straight from the US ShopRunner. Alipay for Weibo (貳.六.2) stays at home.
    "cross_border_payments": Answer(
        ("payment_service", "service_country", "takes_payments_for", "client_country", "crosses_border", "what", "source"),
        [
            ("Alipay", "Mainland China", "ShopRunner", "United States", True,
             said("alipay", "PROCESSES_PAYMENTS_FOR", "shoprunner"), "貳.四"),
            ("PayPal", "United States", "Yiwu Go", "Mainland China", True,
             said("paypal", "PROCESSES_PAYMENTS_FOR", "yiwu-go"), "貳.二.2"),
            ("YeePay", "Mainland China", "Yiwu Go", "Mainland China", False,
             said("yeepay", "PROCESSES_PAYMENTS_FOR", "yiwu-go"), "貳.二.2"),
        ],
    ),
    "ecosystem": Answer(("entity", "entity_zh", "kind", "distance"), ecosystem_from_csv("alibaba", 2)),
    # 貳.二.2: more than 2000 logistics firms, logistics 12 % of goods cost, 856 億 online turnover in 2013
    # (義烏市工商局), more than 21 萬 merchant accounts by mid-2014, first of the top-100 e-commerce counties
    # and of Alipay's top-100 counties
    "entity_figures": Answer(
        ("metric", "period", "value", "unit", "text", "basis", "source", "cited", "note"),
        [
            ("alipay_top100_county_rank", "2014-H1", 1, "rank", None, "actual", "貳.二.2", None,
             noted("yiwu", "alipay_top100_county_rank", "2014-H1")),
            ("ecommerce_turnover", "2013", 85_600_000_000, "CNY", None, "actual", "貳.二.2", YIWU_AIC,
             noted("yiwu", "ecommerce_turnover", "2013")),
            ("logistics_companies", "2014", 2000, "count", None, "actual", "貳.二.2", None,
             noted("yiwu", "logistics_companies", "2014")),
            ("logistics_cost_share", "2014", 0.12, "fraction", None, "actual", "貳.二.2", None,
             noted("yiwu", "logistics_cost_share", "2014")),
            ("online_merchant_accounts", "2014-H1", 210_000, "count", None, "actual", "貳.二.2", YIWU_AIC,
             noted("yiwu", "online_merchant_accounts", "2014-H1")),
            ("top100_ecommerce_county_rank", "2014-H1", 1, "rank", None, "actual", "貳.二.2", None,
             noted("yiwu", "top100_ecommerce_county_rank", "2014-H1")),
        ],
    ),
    # 貳.四 (ShopRunner; 10.35 % of Singapore Post), 貳.六.2 (18 % of Sina Weibo in 2014): the report gives
    # no amounts
    "investments": Answer(
        ("investor", "target", "target_zh", "target_country", "stake", "year", "amount", "currency", "source"),
        [
            ("Alibaba Group", "ShopRunner", "ShopRunner", "United States", None, None, None, None, "貳.四"),
            ("Alibaba Group", "Sina Weibo", "新浪微博", "Mainland China", 0.18, 2014, None, None, "貳.六.2"),
            ("Alibaba Group", "Singapore Post", "新加坡郵政", "Singapore", 0.1035, None, None, None, "貳.四"),
        ],
    ),
    # 貳.四: Taobao with China Post's 100,000 post offices; Alibaba (the seed says Taobao) bought 10.35 % of
    # Singapore Post, invested in ShopRunner and works with it. Alipay's tie to ShopRunner is payment.
    "logistics_partners": Answer(
        ("partner", "partner_zh", "partner_country", "tied_to", "tie", "stake", "count", "count_unit", "source"),
        [
            ("China Post Group", "中國郵政集團公司", "Mainland China", "Taobao", "DELIVERS_FOR", None, 100_000, "post offices", "貳.四"),
            ("ShopRunner", "ShopRunner", "United States", "Alibaba Group", "INVESTED_IN", None, None, None, "貳.四"),
            ("ShopRunner", "ShopRunner", "United States", "Alibaba Group", "PARTNERS_WITH", None, None, None, "貳.四"),
            ("Singapore Post", "新加坡郵政", "Singapore", "Alibaba Group", "INVESTED_IN", 0.1035, None, None, "貳.四"),
        ],
    ),
    # 壹 (eMarketer: 5,400 億美元 in 2015), 表二 and 貳.二.1 (易觀: 1.74 兆 in the text, 1.7 in the table;
    # 2013 an estimate), 貳.三.1 (易觀智庫: 4,623 億), 貳.六 (中國電子商務研究中心: 25.6 億, 4,124 億 forecast)
    "market_sizes": Answer(
        ("market", "market_zh", "period", "value", "unit", "basis", "seed_table", "source", "cited"),
        [
            ("Mainland China O2O market", "中國大陸O2O市場", "2013", 462_300_000_000, "CNY", "actual", None, "貳.三.1", ANALYSYS),
            (CROSS_BORDER, CROSS_BORDER_ZH, "2009", 800_000_000_000, "CNY", "actual", "表二", "貳.二.1", ANALYSYS),
            (CROSS_BORDER, CROSS_BORDER_ZH, "2010", 1_200_000_000_000, "CNY", "actual", "表二", "貳.二.1", ANALYSYS),
            (CROSS_BORDER, CROSS_BORDER_ZH, "2011", 1_700_000_000_000, "CNY", "actual", "表二", "貳.二.1", ANALYSYS),
            (CROSS_BORDER, CROSS_BORDER_ZH, "2011", 1_740_000_000_000, "CNY", "actual", None, "貳.二.1", ANALYSYS),
            (CROSS_BORDER, CROSS_BORDER_ZH, "2012", 2_100_000_000_000, "CNY", "actual", "表二", "貳.二.1", ANALYSYS),
            (CROSS_BORDER, CROSS_BORDER_ZH, "2013", 2_700_000_000_000, "CNY", "estimate", "表二", "貳.二.1", ANALYSYS),
            ("Mainland China e-commerce market", "中國大陸電子商務市場", "2015", 540_000_000_000, "USD", "forecast", None, "壹", "eMarketer"),
            ("Mainland China mobile commerce market", "中國大陸行動商務市場", "2009", 2_560_000_000, "CNY", "actual", None, "貳.六", CECRC),
            ("Mainland China mobile commerce market", "中國大陸行動商務市場", "2014", 412_400_000_000, "CNY", "forecast", None, "貳.六", CECRC),
        ],
    ),
    # 貳.五: 蘇寧電器 set up 重慶蘇寧小額貸款 in December 2012 for its own chain; Alibaba set up 阿里小微 in
    # August 2013 for the merchants of its B2B business, Taobao and Tmall
    "microcredit_lending": Answer(
        ("owner", "lender", "lender_zh", "set_up", "lends_to", "what", "source"),
        [
            ("Alibaba Group", "Alibaba Small and Micro Microcredit Co.", "阿里小微小額貸款有限公司", "2013-08", "Alibaba B2B",
             said("ali-small-micro-loan", "LENDS_TO", "alibaba-b2b"), "貳.五"),
            ("Alibaba Group", "Alibaba Small and Micro Microcredit Co.", "阿里小微小額貸款有限公司", "2013-08", "Taobao",
             said("ali-small-micro-loan", "LENDS_TO", "taobao"), "貳.五"),
            ("Alibaba Group", "Alibaba Small and Micro Microcredit Co.", "阿里小微小額貸款有限公司", "2013-08", "Tmall",
             said("ali-small-micro-loan", "LENDS_TO", "tmall"), "貳.五"),
            ("Suning Appliance", "Chongqing Suning Microcredit Co.", "重慶蘇寧小額貸款有限公司", "2012-12", "Suning Appliance",
             said("chongqing-suning-microcredit", "LENDS_TO", "suning"), "貳.五"),
        ],
    ),
    "most_connected": Answer(("entity", "entity_zh", "kind", "ties", "neighbours"), most_connected_from_csv(10)),
    # 貳.三.3: 1號店 with Shanxi's 美特好, then 全家 FamilyMart 中國區; 京東商城 with convenience stores in 15
    # cities, of which the report names 上海、哈爾濱、溫州
    "o2o_retail_tieups": Answer(
        ("platform", "platform_zh", "tie", "partner", "partner_zh", "year", "count", "count_unit", "what", "source"),
        [
            ("JD.com", "京東商城", "COOPERATES_IN", "Harbin", "哈爾濱", 2014, 15, "cities",
             said("jd", "COOPERATES_IN", "harbin"), "貳.三.3"),
            ("JD.com", "京東商城", "COOPERATES_IN", "Shanghai", "上海", 2014, 15, "cities",
             said("jd", "COOPERATES_IN", "shanghai"), "貳.三.3"),
            ("JD.com", "京東商城", "COOPERATES_IN", "Wenzhou", "溫州", 2014, 15, "cities",
             said("jd", "COOPERATES_IN", "wenzhou"), "貳.三.3"),
            ("Yihaodian", "1號店", "PARTNERS_WITH", "FamilyMart China", "全家FamilyMart中國區", 2014, None, None,
             said("yihaodian", "PARTNERS_WITH", "familymart-china"), "貳.三.3"),
            ("Yihaodian", "1號店", "PARTNERS_WITH", "Meitehao", "美特好", 2014, None, None,
             said("yihaodian", "PARTNERS_WITH", "meitehao"), "貳.三.3"),
        ],
    ),
    # 貳.三.3: 1號店 with 美特好, a Shanxi chain, then FamilyMart China, whose country stands in for the
    # LOCATED_IN tie it does not have
    "partners": Answer(
        ("partner", "partner_zh", "based_in", "year", "what", "source"),
        [
            ("FamilyMart China", "全家FamilyMart中國區", "Mainland China", 2014,
             said("yihaodian", "PARTNERS_WITH", "familymart-china"), "貳.三.3"),
            ("Meitehao", "美特好", "Shanxi", 2014, said("yihaodian", "PARTNERS_WITH", "meitehao"), "貳.三.3"),
        ],
    ),
    # 參.一.2: 上海、重慶、杭州、寧波、鄭州及廣州
    "pilot_cities": Answer(
        ("policy", "city", "city_zh", "source"),
        [
            (OPINIONS_ZH, "Chongqing", "重慶", "參.一.2"),
            (OPINIONS_ZH, "Guangzhou", "廣州", "參.一.2"),
            (OPINIONS_ZH, "Hangzhou", "杭州", "參.一.2"),
            (OPINIONS_ZH, "Ningbo", "寧波", "參.一.2"),
            (OPINIONS_ZH, "Shanghai", "上海", "參.一.2"),
            (OPINIONS_ZH, "Zhengzhou", "鄭州", "參.一.2"),
        ],
    ),
    # 參.一.2: 發改委、財政部、商務部等 13 個部會 issued the notice in April 2013 and drew up the opinions,
    # whose part two assigns duties to 發改委、商務部、海關總署. 參.一.1: 商務部 drives the 電子商務法.
    # 參.三: both sides signed the services agreement on 21 June 2013; the Legislative Yuan's Finance
    # Committee passed the e-payment act on first review on 29 December 2014. 貳.二.2: Yiwu's 230 plan.
    # The other eight policies have no body behind them in the report.
    "policies_and_issuers": Answer(
        ("policy", "policy_zh", "body", "body_zh", "role", "count", "count_unit", "date", "source"),
        [
            ("11th Five-Year Plan", "十一五規畫", None, None, None, None, None, None, None),
            ("12th Five-Year Plan", "十二五規劃", None, None, None, None, None, None, None),
            ("230 Plan", "「230」計畫", "Yiwu Municipal Government", "義烏市政府", "ISSUED_BY", None, None, "2013", "貳.二.2"),
            ("Cross-Strait Service Trade Agreement", "海峽兩岸服務貿易協議", "Mainland China", "中國大陸", "SIGNED_BY",
             None, None, "2013-06-21", "參.三"),
            ("Cross-Strait Service Trade Agreement", "海峽兩岸服務貿易協議", "Taiwan", "臺灣", "SIGNED_BY",
             None, None, "2013-06-21", "參.三"),
            ("Draft Act Governing Electronic Payment Institutions", "電子支付機構管理條例草案",
             "Finance Committee of the Legislative Yuan", "立法院財政委員會", "REVIEWED_BY", None, None, "2014-12-29", "參.三"),
            ("E-Commerce Law (draft)", "電子商務法", "Ministry of Commerce (PRC)", "商務部", "ISSUED_BY", None, None, None, "參.一.1"),
            ("ICP operating licence", "網路內容服務商經營許可證", None, None, None, None, None, None, None),
            ("International dry-port city designation", "國際路港城市", None, None, None, None, None, None, None),
            ("Mini Three Links", "小三通", None, None, None, None, None, None, None),
            ("National E-Commerce Demonstration City programme", "國家電子商務示範城市", None, None, None, None, None, None, None),
            ("National annual port-opening review plan", "國家口岸開放年度審理計畫", None, None, None, None, None, None, None),
            ("National second-level logistics park layout city", "國家二級物流園區佈局城市", None, None, None, None, None, None, None),
            (NOTICE, NOTICE_ZH, "Ministry of Commerce (PRC)", "商務部", "ISSUED_BY", 13, "ministries", "2013-04", "參.一.2"),
            (NOTICE, NOTICE_ZH, "Ministry of Finance (PRC)", "財政部", "ISSUED_BY", 13, "ministries", "2013-04", "參.一.2"),
            (NOTICE, NOTICE_ZH, "National Development and Reform Commission", "發改委", "ISSUED_BY", 13, "ministries", "2013-04", "參.一.2"),
            (OPINIONS, OPINIONS_ZH, "General Administration of Customs (PRC)", "海關總署", "IMPLEMENTED_BY", None, None, None, "參.一.2"),
            (OPINIONS, OPINIONS_ZH, "Ministry of Commerce (PRC)", "商務部", "IMPLEMENTED_BY", None, None, None, "參.一.2"),
            (OPINIONS, OPINIONS_ZH, "National Development and Reform Commission", "發改委", "IMPLEMENTED_BY", None, None, None, "參.一.2"),
            (OPINIONS, OPINIONS_ZH, "Ministry of Commerce (PRC)", "商務部", "ISSUED_BY", 13, "ministries", "2013-04", "參.一.2"),
            (OPINIONS, OPINIONS_ZH, "Ministry of Finance (PRC)", "財政部", "ISSUED_BY", 13, "ministries", "2013-04", "參.一.2"),
            (OPINIONS, OPINIONS_ZH, "National Development and Reform Commission", "發改委", "ISSUED_BY", 13, "ministries", "2013-04", "參.一.2"),
        ],
    ),
    # 表四: 網勁在天貓; Tmall (貳.五) and Alipay (貳.六.2) are Alibaba's. The only chain of three ties.
    "shortest_chain": Answer(
        ("chain", "ties", "sources", "hops"),
        [(["Wangjin", "Tmall", "Alibaba Group", "Alipay"], ["SELLS_ON", "OWNS", "OWNS"], ["肆.一 表四", "貳.五", "貳.六.2"], 3)],
        ordered=False,
    ),
    # 表四 (肆.一), firms in the order of their Chinese names
    "taiwanese_entry_modes": Answer(
        ("entry_mode", "entry_mode_en", "firms", "n", "sources"),
        [
            (
                "在臺經營電商平台，跨境銷售給中國大陸消費者", "Taiwan-based platform selling cross-border",
                sorted(["安翌全球", "紅陽科技", "阿奇里斯", "點臺灣", "偉博泰", "臺寶網", "PCHOME全球購", "臺灣通"]),
                8, ["肆.一 表四"],
            ),
            (
                "臺商直接至中國大陸經營電商平台", "Own platform in the mainland",
                sorted(["PayEasy", "杰可斯", "飛虎樂購", "金連網", "晉証"]),
                5, ["肆.一 表四"],
            ),
            (
                "透過中國大陸電商平台銷售給當地消費者", "Selling through mainland platforms",
                sorted(["臺灣里國際", "藍新科技", "墣璞市集", "橘熊", "雅聞", "寬寬文創", "網勁", "臺灣吃透透"]),
                8, ["肆.一 表四"],
            ),
        ],
    ),
}


def test_every_saved_query_has_an_expected_answer():
    assert sorted(EXPECTED) == QUERY_NAMES, "each query in cypher/ needs its whole answer in EXPECTED"


@pytest.mark.parametrize("query_name", QUERY_NAMES)
def test_answers_its_question_in_full_on_the_seed(store, query_name):
    if query_name not in EXPECTED:
        pytest.fail(f"{query_name}: no expected answer in EXPECTED")
    answer = EXPECTED[query_name]
    assert answer.rows, f"{query_name}: an expected answer needs rows"
    result = run(store, query_name, **answer.params)
    assert tuple(result.columns) == answer.columns
    got = rows(result)
    if answer.ordered:
        assert got == answer.rows
    else:
        assert sorted(got) == sorted(answer.rows)


# --- more about some answers: other parameters, and checks against the CSVs ----------------------------


def test_alibaba_stakes_are_every_equity_tie_of_the_group(store):
    csv_ties = {(name(t["to"]), t["type"]) for t in TIES if t["from"] == "alibaba" and t["type"] in ("OWNS", "INVESTED_IN")}
    assert set(rows(run(store, "alibaba_stakes"), "target", "tie")) == csv_ties


def test_alibaba_stakes_of_another_company(store):
    result = run(store, "alibaba_stakes", company="suning")
    assert rows(result, "target", "tie", "date") == [("Chongqing Suning Microcredit Co.", "OWNS", "2012-12")]


def test_pilot_cities_of_a_policy_without_pilots(store):
    assert run(store, "pilot_cities", policy="ecommerce-law").rows == []


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
    expected = ecosystem_from_csv(centre, hops)
    assert rows(result) == expected
    assert {r[3] for r in expected} == set(range(1, hops + 1))


@pytest.mark.parametrize("query, params", [("ecosystem", {"hops": 2}), ("most_connected", {"top": 200})])
def test_kind_column_is_the_entity_kind(store, query, params):
    kind_of = {e["name_en"]: e["kind"] for e in ENTITIES.values()}
    got = rows(run(store, query, **params), "entity", "kind")
    assert len(got) > 10
    assert dict(got) == {n: kind_of[n] for n, _ in got}


def test_investments_above_a_stake(store):
    result = run(store, "investments", min_stake=0.15)
    assert rows(result, "investor", "target", "stake") == [("Alibaba Group", "Sina Weibo", 0.18)]


def test_both_camps_do_not_contest_the_place_they_are_in(store):
    # Alibaba and Tencent are both located in Mainland China (貳.三.2, 貳.七): that does not make
    # the country contested ground.
    located = {(t["from"], t["to"]) for t in TIES if t["type"] == "LOCATED_IN"}
    assert {("alibaba", "mainland-china"), ("tencent", "mainland-china")} <= located
    assert "Mainland China" not in {r[0] for r in run(store, "both_camps").rows}


@pytest.mark.parametrize(
    "params, chains",
    [
        (
            {"from_entity": "neweb-technologies", "to_entity": "tencent"},  # 藍新科技與京東商城 (表四); 京東–騰訊 (貳.七)
            [(["Neweb Technologies", "JD.com", "Tencent"], ["SELLS_ON", "PARTNERS_WITH"], ["肆.一 表四", "貳.七"])],
        ),
        (
            {"from_entity": "taobao", "to_entity": "shoprunner"},  # 貳.四: Alibaba invested in ShopRunner and works with it
            [
                (["Taobao", "Alibaba Group", "ShopRunner"], ["OWNS", "INVESTED_IN"], ["貳.四", "貳.四"]),
                (["Taobao", "Alibaba Group", "ShopRunner"], ["OWNS", "PARTNERS_WITH"], ["貳.四", "貳.四"]),
            ],
        ),
    ],
)
def test_shortest_chain_lists_every_chain_with_the_fewest_ties(store, params, chains):
    bound = read_saved_query("shortest_chain", CYPHER).bind(params)
    assert count_shortest_paths(bound["from_entity"], bound["to_entity"]) == len(chains)
    hops = distances_from(bound["from_entity"])[bound["to_entity"]]
    result = run(store, "shortest_chain", **params)
    # The query promises no order among chains of one length.
    assert sorted(rows(result, "chain", "ties", "sources", "hops")) == sorted((*c, hops) for c in chains)
    assert {len(ties) for _, ties, _ in chains} == {hops}


def test_the_default_shortest_chain_is_the_only_one(store):
    q = read_saved_query("shortest_chain", CYPHER)
    bound = q.bind({})
    assert count_shortest_paths(bound["from_entity"], bound["to_entity"]) == len(EXPECTED["shortest_chain"].rows) == 1
    assert distances_from(bound["from_entity"])[bound["to_entity"]] == 3


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


def test_entity_figures_are_every_figure_of_the_entity():
    assert sorted(r[0] for r in EXPECTED["entity_figures"].rows) == sorted(f["metric"] for f in FIGURES if f["subject"] == "yiwu")


def test_entity_figures_give_text_where_there_is_no_number(store):
    result = run(store, "entity_figures", entity="yiwu-international-ecommerce-city")
    assert rows(result, "metric", "value", "text") == [
        ("expected_completion", None, "預計2016年完工投入使用"),
        ("floor_area", 1_300_000, None),
        ("site_area", 666, None),
    ]


def test_co_developed_products_of_the_other_developer(store):
    # 貳.七: the same TV, seen from 創維's side
    result = run(store, "co_developed_products", developer="skyworth")
    assert rows(result, "product", "co_developer", "how") == [
        ("Coocaa TV", "Tmall", said("skyworth", "CO_DEVELOPS", "coocaa-tv"))
    ]


def test_partners_of_tmall_include_the_makers_of_its_custom_appliances(store):
    # 貳.七: 創維 for the Coocaa TV; 美的 and 九陽, two of the 10 makers of custom appliances in 2014
    result = run(store, "partners", entity="tmall")
    assert rows(result, "partner", "based_in", "year", "source") == [
        ("Joyoung", "Mainland China", 2014, "貳.七"),
        ("Midea", "Mainland China", 2014, "貳.七"),
        ("Skyworth", "Mainland China", None, "貳.七"),
    ]


def test_partners_are_based_where_the_located_in_tie_says(store):
    # FamilyMart China's tie says Mainland China (貳.三.3); Meitehao's, Shanxi (貳.三.3).
    result = run(store, "partners")
    assert rows(result, "partner", "based_in") == [("FamilyMart China", "Mainland China"), ("Meitehao", "Shanxi")]


def test_partners_read_both_ways(store):
    # PARTNERS_WITH is stored once (ShopRunner -> Alibaba, Alibaba -> Weibo): both show from Alibaba's side.
    result = run(store, "partners", entity="alibaba")
    assert rows(result, "partner", "source") == [("ShopRunner", "貳.四"), ("Sina Weibo", "貳.六.2")]


def test_policies_and_issuers_are_every_policy_and_every_tie_to_a_body_behind_one():
    answer = EXPECTED["policies_and_issuers"]
    policies = {e["name_en"] for e in ENTITIES.values() if e["kind"] == "Policy"}
    assert policies  # the seed has policies: the comparison below cannot pass on nothing
    assert {r[0] for r in answer.rows} == policies
    roles = {"ISSUED_BY", "IMPLEMENTED_BY", "REVIEWED_BY", "SIGNED_BY", "LAUNCHED"}
    csv_ties = sorted(
        (name(t["from"]), name(t["to"]), t["type"])
        for t in TIES
        if t["type"] in roles and "Policy" in (ENTITIES[t["from"]]["kind"], ENTITIES[t["to"]]["kind"])
    )
    assert sorted((r[0], r[2], r[4]) for r in answer.rows if r[2] is not None) == csv_ties


def test_most_connected_anchors(store):
    rows_ = EXPECTED["most_connected"].rows
    located = sum(1 for t in TIES if t["type"] == "LOCATED_IN" and t["to"] == "mainland-china")
    assert rows_[0][:3] == ("Mainland China", "中國大陸", "Country") and rows_[0][3] >= located  # where most things are
    alibaba = next(r for r in rows_ if r[0] == "Alibaba Group")
    assert alibaba == ("Alibaba Group", "阿里巴巴", "Company", 13, 11)  # two ties each with ShopRunner and Weibo
    assert len(run(store, "most_connected", top=3).rows) == 3


@pytest.fixture(scope="module")
def shared_cache(seed_cache):
    """The run's seed store cache (conftest) for the module's CLI runs (XDG_CACHE_HOME)."""
    cache = seed_cache
    before = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(cache)
    yield cache
    if before is None:
        del os.environ["XDG_CACHE_HOME"]
    else:
        os.environ["XDG_CACHE_HOME"] = before


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.stem)
def test_every_saved_query_draws(path, shared_cache, tmp_path):
    """render --saved draws every saved query: the nodes, ties and paths it returns, or, for a
    query that returns values, the entities those values name (id, English or Chinese name)
    and the ties among them."""
    from click.testing import CliRunner

    from cli import main

    out = tmp_path / "map.html"
    result = CliRunner().invoke(main, ["render", "--saved", path.stem, "-o", str(out)])
    assert result.exit_code == 0, result.output
    entities = int(result.output.split("(")[1].split(" entities")[0])
    assert entities > 0 and out.stat().st_size > 0


def test_a_query_of_values_draws_the_entities_it_names():
    from ecograph.view.select import NamedEntities

    G = ecograph.load()
    named = NamedEntities(G)
    named.add_row(["Alibaba Group", "新浪微博", 0.18, None])  # English and Chinese names
    named.add_row([["taobao", "no such entity"], "Alibaba Group"])  # ids in a list; said twice
    H = named.graph()
    assert list(H) == ["alibaba", "sina-weibo", "taobao"]
    assert sorted((u, t, v) for u, v, t in H.edges(data="type")) == sorted(
        (u, t, v) for u, v, t in G.edges(data="type") if u in H and v in H)
    assert NamedEntities(G).graph().number_of_nodes() == 0
