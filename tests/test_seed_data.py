"""The shipped graphdata: the seed report's entities, ties and figures, exactly as stated."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

import ecograph
from ecograph.data.graphdata import shipped_data_dir
from ecograph.data.schema import COUNTRY_IDS, KINDS, LOCATED_KINDS, REL_TYPES

SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "000_93a12c7465cbf28a.txt"
SECTION = re.compile(r"^(卷首|[壹貳參肆伍陸](\.[一二三四五六七八九十]+(\.\d+)?)?)( 表[一二三四])?$")


@pytest.fixture(scope="module")
def G():
    return ecograph.load()


def ties(G, source, rel_type, target):
    """The attribute dicts of every `source -[rel_type]-> target` edge."""
    return [d for d in G.get_edge_data(source, target, default={}).values() if d["type"] == rel_type]


def tie(G, source, rel_type, target):
    found = ties(G, source, rel_type, target)
    assert len(found) == 1, f"expected one {source} -[{rel_type}]-> {target}, found {len(found)}"
    return found[0]


def properties(d):
    return {k: v for k, v in d.items() if k not in ("type", "description", "origin")}


def test_counts_match_the_rows_of_the_files(G):
    def rows(folder):
        return sum(
            1 for f in (shipped_data_dir() / folder).glob("*.csv")
            for _ in csv.DictReader(f.open(encoding="utf-8-sig", newline=""))
        )

    assert G.number_of_nodes() == rows("entities")
    assert G.number_of_edges() == rows("relationships")
    assert len(G.graph["observations"]) == rows("tables")
    assert G.number_of_nodes() >= 100 and G.number_of_edges() > 100


def test_every_label_and_type_is_in_the_schema(G):
    assert {k for _, k in G.nodes(data="kind")} <= set(KINDS)
    assert {t for _, _, t in G.edges(data="type")} <= set(REL_TYPES)


def test_named_entities_have_both_names(G):
    expected = {
        "alibaba": ("Company", "Alibaba Group", "阿里巴巴"),
        "tencent": ("Company", "Tencent", "騰訊"),
        "jd": ("Platform", "JD.com", "京東商城"),
        "sina-weibo": ("Platform", "Sina Weibo", "新浪微博"),
        "shoprunner": ("Company", "ShopRunner", "ShopRunner"),
        "singapore-post": ("Company", "Singapore Post", "新加坡郵政"),
        "familymart-china": ("Company", "FamilyMart China", "全家FamilyMart中國區"),
        "meitehao": ("Company", "Meitehao", "美特好"),
        "yihaodian": ("Platform", "Yihaodian", "1號店"),
        "china-post": ("Company", "China Post Group", "中國郵政集團公司"),
        "alipay": ("PaymentService", "Alipay", "支付寶"),
        "yiwu-go": ("Platform", "Yiwu Go", "義烏購"),
    }
    for node, (kind, en, zh) in expected.items():
        attrs = G.nodes[node]
        assert (attrs["kind"], attrs["name_en"], attrs["name_zh"]) == (kind, en, zh)
    assert G.nodes["alibaba"]["aliases"] == ["Alibaba", "阿里巴巴集團", "阿里"]


def test_alibaba_stakes(G):
    assert properties(tie(G, "alibaba", "INVESTED_IN", "singapore-post")) == {"stake": 0.1035, "source": "貳.四"}
    assert properties(tie(G, "alibaba", "INVESTED_IN", "sina-weibo")) == {
        "stake": 0.18, "date": "2014", "year": 2014, "source": "貳.六.2",
    }
    assert properties(tie(G, "alibaba", "INVESTED_IN", "shoprunner")) == {"source": "貳.四"}
    assert properties(tie(G, "shoprunner", "PARTNERS_WITH", "alibaba")) == {"source": "貳.四"}
    owned = {v for _, v, t in G.out_edges("alibaba", data="type") if t == "OWNS"}
    assert owned == {"taobao", "tmall", "alibaba-b2b", "alipay", "ali-small-micro-loan"}


def test_logistics_and_payment_ties(G):
    assert properties(tie(G, "china-post", "DELIVERS_FOR", "taobao")) == {
        "count": 100000, "count_unit": "post offices", "source": "貳.四",
    }
    assert properties(tie(G, "alipay", "PROCESSES_PAYMENTS_FOR", "shoprunner")) == {"source": "貳.四"}
    assert properties(tie(G, "alipay", "PROCESSES_PAYMENTS_FOR", "sina-weibo"))["date"] == "2014"
    payers = {u for u, _, t in G.in_edges("yiwu-go", data="type") if t == "PROCESSES_PAYMENTS_FOR"}
    assert payers == {"paypal", "yeepay"}
    assert properties(tie(G, "yiwu-port", "CONNECTS_TO", "ningbo-port")) == {
        "date": "2013", "year": 2013, "source": "貳.二.2",
    }
    assert properties(tie(G, "yiwu-government", "LAUNCHED", "yiwu-port")) == {
        "amount": 3_000_000_000.0, "currency": "CNY", "source": "貳.二.2",
    }


def test_partnerships(G):
    assert properties(tie(G, "jd", "PARTNERS_WITH", "tencent")) == {"date": "2014", "year": 2014, "source": "貳.七"}
    assert tie(G, "yihaodian", "PARTNERS_WITH", "familymart-china")["source"] == "貳.三.3"
    assert tie(G, "yihaodian", "PARTNERS_WITH", "meitehao")["source"] == "貳.三.3"
    for maker in ("midea", "joyoung"):
        assert properties(tie(G, "tmall", "PARTNERS_WITH", maker)) == {
            "date": "2014", "year": 2014, "count": 10, "count_unit": "appliance makers", "source": "貳.七",
        }
    developers = {u for u, _, t in G.in_edges("coocaa-tv", data="type") if t == "CO_DEVELOPS"}
    assert developers == {"tmall", "skyworth"}
    cities = {v: d for _, v, d in G.out_edges("jd", data=True) if d["type"] == "COOPERATES_IN"}
    assert set(cities) == {"shanghai", "harbin", "wenzhou"}
    assert {d["count"] for d in cities.values()} == {15}


def test_microcredit_arms(G):
    assert properties(tie(G, "suning", "OWNS", "chongqing-suning-microcredit")) == {
        "date": "2012-12", "year": 2012, "source": "貳.五",
    }
    assert tie(G, "alibaba", "OWNS", "ali-small-micro-loan")["date"] == "2013-08"
    borrowers = {v for _, v, t in G.out_edges("ali-small-micro-loan", data="type") if t == "LENDS_TO"}
    assert borrowers == {"alibaba-b2b", "taobao", "tmall"}


def test_policies(G):
    pilots = {u: d for u, _, d in G.in_edges("cross-border-retail-export-opinions", data=True)
              if d["type"] == "PILOT_CITY_OF"}
    assert set(pilots) == {"shanghai", "chongqing", "hangzhou", "ningbo", "zhengzhou", "guangzhou"}
    assert {d["count"] for d in pilots.values()} == {6}
    assert properties(tie(G, "cross-strait-services-agreement", "APPLIES_IN", "fujian")) == {
        "max_stake": 0.55, "date": "2013-06-21", "year": 2013, "source": "參.三",
    }
    assert tie(G, "icp-licence", "APPLIES_IN", "mainland-china")["max_stake"] == 0.5
    assert tie(G, "e-payment-act", "REVIEWED_BY", "ly-finance-committee")["date"] == "2014-12-29"
    issuers = {v for _, v, t in G.out_edges("ecommerce-development-notice", data="type") if t == "ISSUED_BY"}
    assert issuers == {"ndrc", "mof-china", "mofcom"}


def test_table_four_entry_modes(G):
    modes = {}
    for u, v, d in G.edges(data=True):
        if d["type"] == "USES_ENTRY_MODE":
            modes.setdefault(v, set()).add(G.nodes[u]["name_zh"])
            assert (d["source"], d["cited"]) == ("肆.一 表四", "focus-taipei-2013")
    assert modes["tw-mode-cross-border"] == {
        "安翌全球", "紅陽科技", "阿奇里斯", "點臺灣", "偉博泰", "臺寶網", "PCHOME全球購", "臺灣通",
    }
    assert modes["tw-mode-mainland-platform"] == {
        "臺灣里國際", "藍新科技", "墣璞市集", "橘熊", "雅聞", "寬寬文創", "網勁", "臺灣吃透透",
    }
    assert modes["tw-mode-own-platform"] == {"PayEasy", "杰可斯", "飛虎樂購", "金連網", "晉証"}
    sells_on = {(u, v) for u, v, t in G.edges(data="type") if t == "SELLS_ON"}
    assert sells_on == {("taiwanli-international", "xindongnet"), ("neweb-technologies", "jd"), ("wangjin", "tmall")}


def _figures(G, **match):
    return {
        (o["subject"], o["metric"], o["period"]): o.get("value", o.get("text"))
        for o in G.graph["observations"]
        if all(o.get(k) == v for k, v in match.items())
    }


def test_table_one(G):
    t1 = _figures(G, table="表一")
    assert t1 == {
        (f"tier-{n}-cities", metric, "2011"): value
        for n, spend, share in ((1, 6819, 0.18), (2, 4922, 0.17), (3, 4624, 0.21), (4, 4467, 0.27))
        for metric, value in (("online_spend_per_user", spend), ("ewallet_balance_share_of_disposable_income", share))
    }
    assert {o["cited"] for o in G.graph["observations"] if o.get("table") == "表一"} == {"mckinsey-global-institute"}


def test_table_two(G):
    t2 = _figures(G, table="表二")
    sizes = {p: v for (_, m, p), v in t2.items() if m == "market_size"}
    assert sizes == {"2009": 0.8e12, "2010": 1.2e12, "2011": 1.7e12, "2012": 2.1e12, "2013": 2.7e12}
    growth = {p: v for (_, m, p), v in t2.items() if m == "yoy_growth"}
    assert growth == {"2009": 0.165, "2010": 0.424, "2011": 0.457, "2012": 0.201, "2013": 0.288}
    for year in sizes:  # the export and import shares of each year add up to the whole
        export = t2[("china-cross-border-ecommerce", "export_share", year)]
        imports = t2[("china-cross-border-ecommerce", "import_share", year)]
        assert export + imports == pytest.approx(1.0)
    # The text's 1.74 兆 for 2011 is kept beside the table's rounded 1.7.
    assert _figures(G, subject="china-cross-border-ecommerce", metric="market_size", period="2011", table=None)


def test_table_three_is_text(G):
    t3 = _figures(G, table="表三")
    assert len(t3) == 15
    assert t3[("bonded-import-pilot", "quality_assurance", "2015")] == "法定入境檢驗、產品溯源"


def places_of(G, entity):
    """Every place an entity is in, following LOCATED_IN ties out of it."""
    found, todo = set(), [entity]
    while todo:
        for _, place, t in G.out_edges(todo.pop(), data="type"):
            if t == "LOCATED_IN" and place not in found:
                found.add(place)
                todo.append(place)
    return found


def test_country_ids_name_the_shipped_countries(G):
    countries = {n: d["country"] for n, d in G.nodes(data=True) if d["kind"] == "Country"}
    assert {COUNTRY_IDS[region]: region for region in countries.values()} == countries
    assert set(COUNTRY_IDS.values()) - set(countries) == {"hong-kong"}  # the report never names Hong Kong


def test_every_entity_that_is_somewhere_is_tied_to_its_country(G):
    located = [n for n, d in G.nodes(data=True) if d["kind"] in LOCATED_KINDS and d["country"] in COUNTRY_IDS]
    assert {n for n, d in G.nodes(data=True) if d["kind"] == "Company"} <= set(located)
    unplaced = [n for n in located if COUNTRY_IDS[G.nodes[n]["country"]] not in places_of(G, n)]
    assert unplaced == []
    elsewhere = [(u, v) for u, v, t in G.edges(data="type")
                 if t == "LOCATED_IN" and G.nodes[u]["country"] != G.nodes[v]["country"]]
    assert elsewhere == []
    # Tied to the most precise place the report states: a Yiwu platform to Yiwu, Yiwu to Zhejiang.
    assert places_of(G, "yiwu-go") == {"yiwu", "zhejiang", "mainland-china"}
    assert places_of(G, "yihaodian") == {"shanghai", "mainland-china"}


def test_table_four_firms_are_in_taiwan_by_its_title(G):
    firms = {u for u, v, t in G.edges(data="type") if t == "USES_ENTRY_MODE"}
    for firm in firms:
        d = tie(G, firm, "LOCATED_IN", "taiwan")
        assert (d["source"], d["cited"]) == ("肆.一 表四", "focus-taipei-2013")
        assert "表四" in d["description"]


def test_every_relationship_cites_a_seed_section(G):
    bad = [(u, t, v, s) for u, v, t, s in ((u, v, d["type"], d["source"]) for u, v, d in G.edges(data=True))
           if not SECTION.match(s)]
    assert bad == []


@pytest.mark.skipif(not SEED.exists(), reason="the seed report is in ../shared/seed beside the repository")
def test_chinese_names_are_the_seeds_own():
    seed = re.sub(r"\s+", "", SEED.read_text(encoding="utf-8"))
    # Names the seed writes split around an inserted gloss: 網路內容服務商(Internet Content Provider，ICP)經營許可證.
    split_in_seed = {"icp-licence"}
    G = ecograph.load()
    missing = [
        (n, zh) for n, zh in G.nodes(data="name_zh")
        if n not in split_in_seed and re.sub(r"\s+", "", zh) not in seed
    ]
    assert missing == []
