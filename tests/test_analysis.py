"""Analytics: exact values on small hand-built graphs and on the seed."""

from __future__ import annotations

import json

import networkx as nx
import pytest
from click.testing import CliRunner

import ecograph
from ecograph.data import schema
from cli import main
from ecograph.analysis import AnalysisError, compare, paths, rank, reach, ultimate_parents


def graph(nodes, edges):
    g = nx.MultiDiGraph()
    for n, kind in nodes:
        g.add_node(n, kind=kind, name_en=n.upper(), name_zh="")
    for u, t, v, props in edges:
        g.add_edge(u, v, type=t, source="test", **props)
    return g


@pytest.fixture
def chain():
    """a owns 50 % of b, b 40 % of c, a holds 10 % of c directly; c invested in d (stake unknown)."""
    return graph(
        [("a", "Company"), ("b", "Company"), ("c", "Company"), ("d", "Company"), ("e", "Platform")],
        [("a", "OWNS", "b", {"stake": 0.5}), ("b", "INVESTED_IN", "c", {"stake": 0.4}),
         ("a", "INVESTED_IN", "c", {"stake": 0.1}), ("c", "INVESTED_IN", "d", {}),
         ("e", "PARTNERS_WITH", "a", {})],
    )


def reached(result):
    return {e["id"]: (e["effective_stake"], e["known_stake"], e["hops"]) for e in result["reached"]}


def test_effective_stake_multiplies_along_chains_and_sums_over_them(chain):
    r = reach(chain, "a")
    assert reached(r) == {
        "b": (0.5, 0.5, 1),
        "c": (0.3, 0.3, 1),  # 0.5 × 0.4 + 0.1
        "d": (None, None, 2),  # c → d has no stake: unknown, not zero
    }
    three = graph([("x", "Company"), ("y", "Company"), ("z", "Company"), ("w", "Company")],
                  [("x", "OWNS", "y", {"stake": 0.8}), ("y", "OWNS", "z", {"stake": 0.5}), ("z", "OWNS", "w", {"stake": 0.25})])
    assert reached(reach(three, "x"))["w"] == (0.1, 0.1, 3)
    assert "w" not in reached(reach(three, "x", hops=2))


def test_an_unknown_chain_leaves_a_lower_bound(chain):
    chain.add_edge("b", "d", type="INVESTED_IN", stake=0.2, source="test")
    assert reached(reach(chain, "a"))["d"] == (None, 0.1, 2)  # 0.5 × 0.2 known, a→c→d unknown


def test_ultimate_parents_follow_owns_upwards(chain):
    assert [p["id"] for p in reach(chain, "b")["ultimate_parents"]] == ["a"]
    assert reach(chain, "a")["ultimate_parents"] == []


def _owned(*edges):
    G = nx.MultiDiGraph()
    for u, v in edges:
        for n in (u, v):
            G.add_node(n, kind="Company", name_en=n.upper(), name_zh=n)
        G.add_edge(u, v, type="OWNS", source="test")
    return G


def test_ultimate_parents_skip_owned_cross_holdings_and_keep_a_closed_circle():
    # b and d hold each other and c owns b: c is the top, not d (d is owned by b).
    assert [p["id"] for p in ultimate_parents(_owned(("b", "a"), ("c", "b"), ("d", "b"), ("b", "d")), "a")] == ["c"]
    # x and y hold each other and nothing else owns them: both are tops.
    assert [p["id"] for p in ultimate_parents(_owned(("x", "a"), ("y", "x"), ("x", "y")), "a")] == ["x", "y"]
    # a circle through the entity itself: its partner is the top.
    assert [p["id"] for p in ultimate_parents(_owned(("b", "a"), ("a", "b")), "a")] == ["b"]


def test_ultimate_parents_of_a_dense_holding_web_stay_fast():
    # 40 levels of 2 owners each owning both below: 2**40 upward chains, one top pair.
    edges = [(f"l{i + 1}{p}", f"l{i}{q}") for i in range(40) for p in "ab" for q in "ab"]
    edges += [("l0a", "leaf"), ("l0b", "leaf")]
    assert [p["id"] for p in ultimate_parents(_owned(*edges), "leaf")] == ["l40a", "l40b"]


def test_rank_shares_ranks_on_ties_and_filters_by_kind(chain):
    rows = rank(chain, "degree", top=None)
    assert [(r["id"], r["score"], r["rank"]) for r in rows] == [
        ("a", 3, 1), ("c", 3, 1), ("b", 2, 3), ("d", 1, 4), ("e", 1, 4)]
    assert [r["id"] for r in rank(chain, "degree", kind="Platform")] == ["e"]
    with pytest.raises(AnalysisError, match="^no measure named 'closeness'; expected one of degree, betweenness, pagerank, eigenvector$"):
        rank(chain, "closeness")


def test_betweenness_is_networkx_normalised(chain):
    scores = {r["id"]: r["score"] for r in rank(chain, "betweenness", top=None)}
    # a lies on the shortest paths e–b, e–c, e–d; c on d–a, d–b, d–e; normalised by (n-1)(n-2)/2 = 6.
    assert scores == pytest.approx({"a": 3 / 6, "c": 3 / 6, "b": 0.0, "d": 0.0, "e": 0.0})


def test_paths_undirected_directed_and_none(chain):
    found = paths(chain, "e", "d")
    assert [[(h["from"], h["to"]) for h in p] for p in found] == [[("e", "a"), ("a", "c"), ("c", "d")]]
    assert found[0][0]["ties"][0]["type"] == "PARTNERS_WITH" and found[0][0]["ties"][0]["from"] == "e"
    assert paths(chain, "d", "a", directed=True) == []
    assert len(paths(chain, "a", "d", directed=True)) == 1
    assert paths(chain, "e", "d", max_hops=2) == []  # "no chain within 2 hops" is an answer
    every = paths(chain, "a", "c", all_paths=True, max_hops=3)
    assert [[h["to"] for h in p] for p in every] == [["c"], ["b", "c"]]


def test_paths_follow_alliances_not_shared_context(chain):
    chain.add_node("m", kind="Market", name_en="m")
    chain.add_node("x", kind="Company", name_en="x")
    chain.add_edge("x", "m", type="ACTIVE_IN", source="test")
    chain.add_edge("d", "m", type="ACTIVE_IN", source="test")
    assert paths(chain, "x", "d") == []  # both active in one market: no alliance
    found = paths(chain, "x", "d", context=True)
    assert [[h["to"] for h in p] for p in found] == [["m", "d"]]
    assert [[h["to"] for h in p] for p in paths(chain, "x", "e", rels=["ACTIVE_IN", "INVESTED_IN", "PARTNERS_WITH"])] == [
        ["m", "d", "c", "a", "e"]]


def test_paths_through_chosen_kinds_and_around_excluded_entities(chain):
    chain.add_node("p", kind="Platform", name_en="p")
    chain.add_edge("b", "p", type="PARTNERS_WITH", source="test")
    chain.add_edge("p", "d", type="PARTNERS_WITH", source="test")
    # b–p–d and b–c–d are both two hops; through companies only, the platform is avoided.
    assert [[h["to"] for h in p] for p in paths(chain, "b", "d")] == [["c", "d"], ["p", "d"]]
    assert [[h["to"] for h in p] for p in paths(chain, "b", "d", kinds=["Company"])] == [["c", "d"]]
    assert [[h["to"] for h in p] for p in paths(chain, "b", "d", exclude=["c"])] == [["p", "d"]]
    assert [[h["to"] for h in p] for p in paths(chain, "e", "p", kinds=["Company"])] == [["a", "b", "p"]]  # ends exempt
    with pytest.raises(AnalysisError, match="no kind named 'Compnay'"):
        paths(chain, "b", "d", kinds=["Compnay"])


def test_rank_lists_organisations_measured_on_alliances(chain):
    chain.add_node("city", kind="City", name_en="city")
    for n in "abcd":
        chain.add_edge(n, "city", type="LOCATED_IN", source="test")
    rows = rank(chain, "betweenness", top=None)
    assert "city" not in {r["id"] for r in rows}
    # As without the city (a and c each broker 3 pairs), normalised over the six entities: 3 / 10.
    assert {r["id"]: r["score"] for r in rows} == pytest.approx({"a": 0.3, "c": 0.3, "b": 0.0, "d": 0.0, "e": 0.0})
    with_city = {r["id"]: r["score"] for r in rank(chain, "betweenness", top=None, context=True, all_kinds=True)}
    assert with_city["city"] > 0  # measured on every tie, the city is a shortcut between firms
    everything = {r["id"]: r["score"] for r in rank(chain, "degree", top=None, all_kinds=True, context=True)}
    assert everything["city"] == 4 and everything["a"] == 4


def test_reach_gives_every_hop_with_its_source(chain):
    d = next(e for e in reach(chain, "a")["reached"] if e["id"] == "d")
    assert [[(t["from"], t["type"], t["to"], t["source"]) for t in c["ties"]] for c in d["chains"]] == [
        [("a", "OWNS", "b", "test"), ("b", "INVESTED_IN", "c", "test"), ("c", "INVESTED_IN", "d", "test")],
        [("a", "INVESTED_IN", "c", "test"), ("c", "INVESTED_IN", "d", "test")],
    ]


def test_paths_only_through_chosen_types(chain):
    found = paths(chain, "a", "c", rels=["OWNS", "INVESTED_IN"], all_paths=True)
    assert [[h["to"] for h in p] for p in found] == [["c"], ["b", "c"]]
    with pytest.raises(AnalysisError, match="no relationship type named 'OWN'"):
        paths(chain, "a", "c", rels=["OWN"])


@pytest.fixture(scope="module")
def G():
    return ecograph.load()


def test_alibaba_reach_on_the_seed(G):
    r = reached(reach(G, "alibaba"))
    assert r["singapore-post"] == (0.1035, 0.1035, 1)
    assert r["sina-weibo"] == (0.18, 0.18, 1)
    assert r["taobao"] == (None, None, 1)
    assert [p["id"] for p in reach(G, "taobao")["ultimate_parents"]] == ["alibaba"]


def test_alibaba_and_tencent_share_the_o2o_and_mobile_commerce_markets(G):
    c = compare(G, "alibaba", "tencent")
    # and the country both are in (貳.三.2 and 貳.七)
    assert [s["id"] for s in c["shared"]] == ["mainland-china", "china-o2o", "china-mobile-commerce"]
    assert c["a"]["camp"] == ["ali-small-micro-loan", "alibaba", "alibaba-b2b", "alipay", "taobao", "tmall"]
    assert {e["id"] for e in c["only_b"]} == {"jd"}
    assert c["bridges"] == []
    sources = {t["source"] for s in c["shared"] for t in s["ties_a"] + s["ties_b"]}
    assert sources <= {"貳.三.2", "貳.六.1", "貳.六.2", "貳.四", "貳.五", "貳.七"}


def test_cli_rank_path_reach_compare(G):
    run = CliRunner()
    ranked = json.loads(run.invoke(main, ["rank", "--kind", "Company", "--top", "1", "--json"]).output)
    alliances = sum(1 for u, v, t in G.edges(data="type") if "alibaba" in (u, v) and t in schema.ALLIANCE_TYPES)
    assert [(r["id"], r["score"], r["rank"]) for r in ranked] == [("alibaba", alliances, 1)]
    everything = json.loads(run.invoke(main, ["rank", "--kind", "Company", "--top", "1", "--context", "--json"]).output)
    assert [(r["id"], r["score"]) for r in everything] == [("alibaba", G.degree("alibaba"))]
    out = run.invoke(main, ["reach", "阿里巴巴"]).output.splitlines()
    assert out[0] == "Alibaba Group / 阿里巴巴 reaches 8 entities via INVESTED_IN, OWNS:"
    assert out[1] == "        18 %  Sina Weibo / 新浪微博  [Platform]  1 hop"
    assert out[2].strip() == "Alibaba Group / 阿里巴巴 invested in Sina Weibo / 新浪微博 (18 %, 2014). Source: TIER 2015 §貳.六.2 Mobile payment's key role."
    assert out[3] == "     10.35 %  Singapore Post / 新加坡郵政  [Company]  1 hop"
    taobao = out.index("     unknown  Taobao / 淘寶  [Platform]  1 hop")
    assert out[taobao + 1].strip() == ("Alibaba Group / 阿里巴巴 owns Taobao / 淘寶. Source: TIER 2015 §貳.四 Smart and cross-border logistics. "
                                       "The source states no stake.")
    none = run.invoke(main, ["path", "alibaba", "tencent", "--rels", "OWNS", "--max-hops", "2"])
    assert (none.exit_code, none.output) == (
        0, "No chain between Alibaba Group / 阿里巴巴 and Tencent / 騰訊 within 2 hops following the given types.\n")
    # Sharing a market is not an alliance: by default no chain; with --context, the chains through markets.
    assert json.loads(run.invoke(main, ["path", "騰訊", "Singapore Post", "--json"]).output) == []
    chains = json.loads(run.invoke(main, ["path", "騰訊", "Singapore Post", "--context", "--json"]).output)
    assert [[h["to"] for h in c] for c in chains] == [
        ["china-mobile-commerce", "alibaba", "singapore-post"], ["china-o2o", "alibaba", "singapore-post"],
        ["mainland-china", "alibaba", "singapore-post"]]
    told = run.invoke(main, ["path", "騰訊", "Singapore Post", "--context", "--exclude", "china-o2o",
                             "--exclude", "mainland-china"]).output.splitlines()
    assert told == [
        "1. Tencent / 騰訊 — Mainland China mobile commerce market / 中國大陸行動商務市場 — Alibaba Group / 阿里巴巴 — "
        "Singapore Post / 新加坡郵政  (3 hops)",
        "   Tencent / 騰訊 is active in Mainland China mobile commerce market / 中國大陸行動商務市場. Source: TIER 2015 §貳.六.2 Mobile payment's key role.",
        "   Alibaba Group / 阿里巴巴 is active in Mainland China mobile commerce market / 中國大陸行動商務市場. Source: TIER 2015 §貳.六.2 Mobile payment's key role.",
        "   Alibaba Group / 阿里巴巴 invested in Singapore Post / 新加坡郵政 (10.35 %). Source: TIER 2015 §貳.四 Smart and cross-border logistics.",
    ]
    compared = json.loads(run.invoke(main, ["compare", "alibaba", "tencent", "--json"]).output)
    assert [s["id"] for s in compared["shared"]] == ["mainland-china", "china-o2o", "china-mobile-commerce"]


def test_two_triangles_joined_by_one_tie_are_two_camps():
    from ecograph.analysis import communities

    g = graph([(n, "Company") for n in "abcdef"],
              [(u, "PARTNERS_WITH", v, {}) for u, v in ["ab", "bc", "ca", "de", "ef", "fd", "cd"]])
    camps = communities(g, seed=1)
    assert [sorted(m["id"] for m in c["members"]) for c in camps] == [["a", "b", "c"], ["d", "e", "f"]]
    assert [c["centre"]["id"] for c in camps] == ["c", "d"]  # 2 ties inside each; c and d also bridge
    assert [len(c["ties"]) for c in camps] == [3, 3]
    assert communities(g, seed=1) == camps


def test_seed_communities_are_deterministic_and_put_alibaba_at_a_centre(G):
    from ecograph.analysis import communities

    camps = communities(G, seed=42)
    assert communities(G, seed=42) == camps
    assert sum(len(c["members"]) for c in camps) == G.number_of_nodes()
    alibaba_camp = next(c for c in camps if any(m["id"] == "alibaba" for m in c["members"]))
    assert alibaba_camp["centre"]["id"] == "alibaba"
    assert {"taobao", "alipay", "singapore-post", "sina-weibo"} <= {m["id"] for m in alibaba_camp["members"]}


def test_timeline_at_and_diff(chain):
    from ecograph.analysis import timeline, timeline_graph

    chain.edges["a", "b", 0]["year"] = 2010
    chain.edges["b", "c", 0]["year"] = 2013
    chain.edges["c", "d", 0]["year"] = 2014
    assert timeline(chain, at=2013) == {"at": 2013, "relationships": 4, "dated": 2, "undated": 2, "entities": 4}
    appeared = timeline(chain, diff=(2010, 2014))
    assert [(t["from"], t["to"]) for t in appeared["appeared"]] == [("b", "c"), ("c", "d")]
    assert appeared["entities"] == ["b", "c", "d"]
    assert sorted(timeline_graph(chain, diff=(2010, 2014)).edges()) == [("b", "c"), ("c", "d")]
    with pytest.raises(AnalysisError, match="^give a year, or two years to compare$"):
        timeline(chain)
    with pytest.raises(AnalysisError, match="the first year must come before the second"):
        timeline(chain, diff=(2014, 2010))


def test_render_sizes_and_colours_by_a_metric(G):
    from ecograph.analysis import community_of, scores
    from ecograph.view.map_data import graph_data

    data = graph_data(G, size_by="betweenness", color_by="community")
    by_id = {n["id"]: n for n in data["nodes"]}
    top = max(scores(G, "betweenness").items(), key=lambda kv: kv[1])[0]
    assert by_id[top]["size"] == 40.0
    assert f"betweenness: {round(scores(G, 'betweenness')['alibaba'], 4)}" in by_id["alibaba"]["title"]
    camps = community_of(G)
    same = [n for n in G if camps[n] == camps["alibaba"]]
    assert {by_id[n]["color"] for n in same} == {by_id["alibaba"]["color"]}


def test_cli_communities_and_timeline(tmp_path):
    run = CliRunner()
    camps = json.loads(run.invoke(main, ["communities", "--seed", "42", "--json"]).output)
    assert camps[0]["id"] == 1 and len(camps[0]["members"]) >= len(camps[1]["members"])
    at = run.invoke(main, ["timeline", "--at", "2013"])
    G = ecograph.load()
    kept = [y for _, _, y in G.edges(data="year") if y is None or y <= 2013]
    dated = sum(1 for y in kept if y is not None)
    entities = len({n for u, v, y in G.edges(data="year") if y is None or y <= 2013 for n in (u, v)})
    assert at.output == (f"As of 2013: {len(kept)} relationships ({dated} dated, {len(kept) - dated} undated) "
                         f"among {entities} entities\n")
    out = tmp_path / "diff.html"
    diff = run.invoke(main, ["timeline", "--diff", "2013", "2014", "-o", str(out), "--json"])
    appeared = json.loads(diff.stdout)["appeared"]
    assert len(appeared) == sum(1 for _, _, y in G.edges(data="year") if y == 2014)
    assert out.exists()


@pytest.mark.parametrize("by", ["betweenness", "pagerank", "eigenvector"])
def test_compiled_scores_match_the_networkx_model(G, by):
    from ecograph.analysis import scores

    H = nx.Graph()
    H.add_nodes_from(G)
    H.add_edges_from((u, v) for u, v in G.edges() if u != v)
    largest = H.subgraph(max(nx.connected_components(H), key=len)).copy()
    from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python  # no scipy needed

    model = {"betweenness": nx.betweenness_centrality, "pagerank": lambda g: _pagerank_python(g, tol=1e-12, max_iter=100_000),
             "eigenvector": lambda g: nx.eigenvector_centrality(g, max_iter=100_000, tol=1e-12)}[by]
    # On the largest component (eigenvector centrality is only defined per component).
    sub = G.subgraph(largest).copy()
    assert scores(sub, by) == pytest.approx(model(largest), abs=1e-6)


def test_betweenness_is_estimated_from_samples_on_big_graphs(monkeypatch):
    from ecograph.analysis import centrality as analysis

    g = graph([(f"n{i}", "Company") for i in range(40)],
              [(f"n{i}", "PARTNERS_WITH", f"n{i + 1}", {}) for i in range(39)])  # a path: middle is central
    exact = analysis.scores(g, "betweenness")
    monkeypatch.setattr(analysis, "EXACT_BETWEENNESS_LIMIT", 10)
    monkeypatch.setattr(analysis, "BETWEENNESS_SAMPLE", 40)  # every source: the estimate is exact
    assert analysis.betweenness_is_sampled(g)
    assert analysis.scores(g, "betweenness") == pytest.approx(exact)
    monkeypatch.setattr(analysis, "BETWEENNESS_SAMPLE", 20)
    estimate = analysis.scores(g, "betweenness")
    assert max(estimate, key=estimate.get) in {"n18", "n19", "n20", "n21"}


def test_aggregated_reach_matches_the_chains_on_a_tree(chain, monkeypatch):
    from ecograph.analysis import ownership as analysis

    exact = reached(reach(chain, "a"))
    monkeypatch.setattr(analysis, "MAX_CHAINS", 1)
    aggregated = reach(chain, "a")
    assert aggregated["aggregated"] is True
    assert reached(aggregated) == exact
    assert {e["id"]: e["chain_count"] for e in aggregated["reached"]} == {"b": 1, "c": 2, "d": 2}


@pytest.fixture
def detour():
    """a — b — c, and the long way a — d — e — c; f hangs on b; g is a's market (context)."""
    return graph(
        [(n, "Company") for n in "abcdef"] + [("g", "Market")],
        [("a", "PARTNERS_WITH", "b", {}), ("b", "OWNS", "c", {}), ("a", "PARTNERS_WITH", "d", {}),
         ("d", "PARTNERS_WITH", "e", {}), ("e", "PARTNERS_WITH", "c", {}), ("f", "INVESTED_IN", "b", {}),
         ("a", "ACTIVE_IN", "g", {}), ("f", "ACTIVE_IN", "g", {})],
    )


def _brute_longer(G, chosen, gone=(), cut=()):
    """Every pair whose distance grew, from networkx's all-pairs lengths (the model answer)."""
    def simple(drop_nodes, drop_ties):
        g = nx.Graph()
        g.add_nodes_from(n for n in G if n not in drop_nodes)
        g.add_edges_from((u, v) for u, v, t in G.edges(data="type")
                         if t in chosen and u != v and u not in drop_nodes and v not in drop_nodes and (u, v, t) not in drop_ties)
        return dict(nx.all_pairs_shortest_path_length(g))
    was, now = simple(set(), set()), simple(set(gone), set(cut))
    return sorted((a, b, was[a][b], now[a][b]) for a in now for b in now[a]
                  if a < b and b in was[a] and now[a][b] > was[a][b])


def test_what_if_lists_who_is_cut_off_and_which_chains_get_longer(detour):
    from ecograph.analysis import what_if

    r = what_if(detour, "a", remove=["b"])
    assert [(e["id"], e["hops_before"]) for e in r["cut_off"]] == [("f", 2)]  # the market is no alliance
    assert r["longer"] == [{"a": "a", "b": "c", "before": 2, "after": 3}]
    assert [e["id"] for e in r["removed"]] == ["b"] and r["compared"] == 5
    # With context ties, f still reaches a through the market it shares.
    assert what_if(detour, "a", remove=["b"], context=True)["cut_off"] == []
    # A tie: every chain through it takes the long way round, nobody is cut off.
    r = what_if(detour, "a", ties=[("a", "b", "PARTNERS_WITH")])
    assert r["cut_off"] == [] and r["removed_ties"] == [{"from": "a", "to": "b", "type": "PARTNERS_WITH"}]
    longer = [(p["a"], p["b"], p["before"], p["after"]) for p in r["longer"]]
    assert sorted(longer) == _brute_longer(detour, set(schema.ALLIANCE_TYPES), cut={("a", "b", "PARTNERS_WITH")})
    assert longer[0] == ("a", "b", 1, 4)  # the most lengthened first
    # Directed: only b's owner chain leads into c; without b, f and a no longer reach c as stated.
    r = what_if(detour, "c", remove=["b"], directed=True)
    assert [e["id"] for e in r["cut_off"]] == ["f"]


def test_what_if_matches_all_pairs_lengths_on_the_seed(G):
    from ecograph.analysis import what_if

    every = {t for _, _, t in G.edges(data="type")}
    for gone in (["mainland-china"], ["tmall"], ["zhejiang", "yiwu"]):
        r = what_if(G, "alibaba", remove=gone, context=True)
        got = sorted((p["a"], p["b"], p["before"], p["after"]) for p in r["longer"])
        assert got == _brute_longer(G, every, gone=gone)
    r = what_if(G, "alipay", remove=["alibaba"])
    alliances = nx.Graph([(u, v) for u, v, t in G.edges(data="type") if t in schema.ALLIANCE_TYPES])
    before = nx.node_connected_component(alliances, "alipay")
    alliances.remove_node("alibaba")
    assert {e["id"] for e in r["cut_off"]} == before - nx.node_connected_component(alliances, "alipay") - {"alibaba"}
    assert {"taobao", "tmall", "singapore-post"} < {e["id"] for e in r["cut_off"]}


def test_what_if_refuses_what_it_cannot_answer(detour):
    from ecograph.analysis import what_if

    with pytest.raises(AnalysisError, match="no OWNS tie from 'a' to 'b'"):
        what_if(detour, "a", ties=[("a", "b", "OWNS")])
    with pytest.raises(AnalysisError, match="cannot also be removed"):
        what_if(detour, "a", remove=["a"])
    with pytest.raises(AnalysisError, match="no entity with id 'zz'"):
        what_if(detour, "a", remove=["zz"])


def test_what_if_leaves_pairs_uncompared_past_the_limit(detour, monkeypatch):
    from ecograph.analysis import whatif

    monkeypatch.setattr(whatif, "MAX_PAIR_ENTITIES", 3)
    r = whatif.what_if(detour, "a", remove=["b"])
    assert r["longer"] is None and r["compared"] == 5 and [e["id"] for e in r["cut_off"]] == ["f"]


def test_cli_what_if(G):
    run = CliRunner()
    out = run.invoke(main, ["what-if", "支付寶", "--remove", "阿里巴巴"])
    lines = out.output.splitlines()
    assert out.exit_code == 0 and lines[0] == "Without Alibaba Group / 阿里巴巴:"
    assert lines[2] == "11 entities lose every chain to Alipay / 支付寶"
    assert "  Taobao / 淘寶  [Platform]  was 2 hops away" in lines
    data = json.loads(run.invoke(main, ["what-if", "tencent", "--remove-tie", "jd", "tencent", "PARTNERS_WITH", "--json"]).output)
    assert [e["id"] for e in data["cut_off"]] == ["jd", "neweb-technologies"] and data["longer"] == []
    bad = run.invoke(main, ["what-if", "tencent"])
    assert bad.exit_code == 2 and "name what to take away" in bad.output
