"""Selectors: exact node and edge sets on a small hand-built graph and on the seed."""

from __future__ import annotations

import networkx as nx
import pytest

import ecograph
from ecograph.view.select import Selection, SelectionError, SelectionTooLargeError, parse_names, select


@pytest.fixture
def G():
    """alibaba owns taobao (2003), invested in singpost (2014) and weibo (2013); taobao and
    singpost partner (undated); tencent invested in jd (2014); jd in Beijing (undated)."""
    g = nx.MultiDiGraph()
    for n, kind in [("alibaba", "Company"), ("taobao", "Platform"), ("singpost", "Company"),
                    ("weibo", "Platform"), ("tencent", "Company"), ("jd", "Platform"), ("beijing", "City")]:
        g.add_node(n, kind=kind, name_en=n)
    g.add_edge("alibaba", "taobao", type="OWNS", date="2003", year=2003)
    g.add_edge("alibaba", "singpost", type="INVESTED_IN", date="2014", year=2014, stake=0.1035)
    g.add_edge("alibaba", "weibo", type="INVESTED_IN", date="2013", year=2013, stake=0.18)
    g.add_edge("taobao", "singpost", type="PARTNERS_WITH")
    g.add_edge("tencent", "jd", type="INVESTED_IN", date="2014", year=2014)
    g.add_edge("jd", "beijing", type="LOCATED_IN")
    g.graph["observations"] = [{"subject": "taobao", "metric": "gmv"}, {"subject": "jd", "metric": "gmv"}]
    return g


def edges(H):
    return sorted((u, v, d["type"]) for u, v, d in H.edges(data=True))


def test_no_selector_takes_everything_as_a_copy(G):
    H = select(G, Selection())
    assert sorted(H) == sorted(G) and edges(H) == edges(G)
    H.nodes["alibaba"]["name_en"] = "changed"
    assert G.nodes["alibaba"]["name_en"] == "alibaba"


def test_ego_follows_ties_both_ways(G):
    H = select(G, Selection(center="singpost", hops=1))
    assert sorted(H) == ["alibaba", "singpost", "taobao"]
    assert edges(H) == [("alibaba", "singpost", "INVESTED_IN"), ("alibaba", "taobao", "OWNS"),
                        ("taobao", "singpost", "PARTNERS_WITH")]
    assert sorted(select(G, Selection(center="singpost", hops=2))) == ["alibaba", "singpost", "taobao", "weibo"]
    assert sorted(select(G, Selection(center="singpost", hops=0))) == ["singpost"]


def test_kinds_keep_entities_of_those_kinds_and_the_ties_between_them(G):
    H = select(G, Selection(kinds=("Platform", "City")))
    assert sorted(H) == ["beijing", "jd", "taobao", "weibo"]
    assert edges(H) == [("jd", "beijing", "LOCATED_IN")]


def test_rels_keep_ties_of_those_types_and_drop_entities_left_alone(G):
    H = select(G, Selection(rels=("INVESTED_IN",)))
    assert sorted(H) == ["alibaba", "jd", "singpost", "tencent", "weibo"]
    assert edges(H) == [("alibaba", "singpost", "INVESTED_IN"), ("alibaba", "weibo", "INVESTED_IN"),
                        ("tencent", "jd", "INVESTED_IN")]


def test_years_drop_dated_ties_outside_the_range_and_keep_undated_ones(G):
    H = select(G, Selection(since=2014))
    assert edges(H) == [("alibaba", "singpost", "INVESTED_IN"), ("jd", "beijing", "LOCATED_IN"),
                        ("taobao", "singpost", "PARTNERS_WITH"), ("tencent", "jd", "INVESTED_IN")]
    assert "weibo" not in H
    H = select(G, Selection(since=2003, until=2013))
    assert edges(H) == [("alibaba", "taobao", "OWNS"), ("alibaba", "weibo", "INVESTED_IN"),
                        ("jd", "beijing", "LOCATED_IN"), ("taobao", "singpost", "PARTNERS_WITH")]


def test_exclude_removes_an_entity_and_its_ties(G):
    H = select(G, Selection(exclude=("alibaba",)))
    assert sorted(H) == ["beijing", "jd", "singpost", "taobao", "tencent", "weibo"]
    assert edges(H) == [("jd", "beijing", "LOCATED_IN"), ("taobao", "singpost", "PARTNERS_WITH"),
                        ("tencent", "jd", "INVESTED_IN")]


def test_selectors_combine_in_order(G):
    H = select(G, Selection(center="alibaba", hops=2, rels=("INVESTED_IN", "OWNS"), until=2013))
    assert sorted(H) == ["alibaba", "taobao", "weibo"]
    assert H.graph["observations"] == [{"subject": "taobao", "metric": "gmv"}]


@pytest.mark.parametrize(
    "selection, message, field",
    [
        (dict(kinds=("company",)), "no kind named 'company' (did you mean 'Company'?)", "kinds"),
        (dict(rels=("INVESTS_IN",)), "no relationship type named 'INVESTS_IN' (did you mean 'INVESTED_IN'?)", "rels"),
        (dict(since=2015, until=2010), "the years from 2015 until 2010: no year is in that range", "since"),
        (dict(hops=-1), "-1 hops: expected 0 or more", "hops"),
        (dict(center="alibaba", exclude=("alibaba",)), "the centre alibaba is also excluded", "center"),
    ],
)
def test_bad_selectors_say_what_is_wrong(selection, message, field):
    """In the data's words; ``field`` names the selector, for the caller to say where it came from."""
    with pytest.raises(SelectionError) as e:
        Selection(**selection)
    assert (str(e.value), e.value.field) == (message, field)


def test_an_unknown_centre_is_an_error(G):
    with pytest.raises(SelectionError, match="^no entity with id 'nobody' in the graph being selected from$"):
        select(G, Selection(center="nobody"))


def test_parse_names():
    assert parse_names(" Company, Platform ,") == ("Company", "Platform")
    assert parse_names(None) == ()


def test_alibaba_equity_ego_on_the_seed():
    H = select(ecograph.load(), Selection(center="alibaba", hops=1, rels=("INVESTED_IN",)))
    assert sorted(H) == ["alibaba", "shoprunner", "sina-weibo", "singapore-post"]
    stakes = {v: d.get("stake") for _, v, d in H.edges(data=True)}
    assert stakes == {"shoprunner": None, "sina-weibo": 0.18, "singapore-post": 0.1035}


@pytest.mark.parametrize("selection", [
    Selection(center="alibaba", hops=1),
    Selection(center="alibaba", rels=("INVESTED_IN",)),
    Selection(center="alibaba", hops=2, rels=("INVESTED_IN", "OWNS", "PARTNERS_WITH")),
    Selection(kinds=("Company", "Platform")),
])
def test_a_selection_keeps_the_graphs_own_node_and_tie_order(selection):
    G = ecograph.load()
    H = select(G, selection)
    assert H.number_of_edges() >= 3
    assert list(H) == [n for n in G if n in H]
    assert list(H.edges(keys=True)) == [(u, v, k) for u, v, k in G.edges(keys=True) if H.has_edge(u, v, k)]


@pytest.mark.parametrize("selection", [
    Selection(),
    Selection(center="alibaba", hops=1),
    Selection(rels=("INVESTED_IN",)),  # step 5 drops the entities left alone: counted after it
    Selection(center="alibaba", hops=2, since=2010),
    Selection(kinds=("Company",)),
])
def test_a_selection_over_the_limit_is_refused_with_its_exact_size(G, selection):
    size = select(G, selection).number_of_nodes()
    assert select(G, selection, max_entities=size).number_of_nodes() == size  # the limit itself is allowed
    with pytest.raises(SelectionTooLargeError) as err:
        select(G, selection, max_entities=size - 1)
    assert (err.value.count, err.value.limit) == (size, size - 1)
    assert str(err.value) == (
        f"the selection holds {size} entities, more than the limit of {size - 1}; narrow it to an entity's "
        "neighbourhood, to some kinds or relationship types, or to a range of years, or raise the limit"
    )


def test_the_size_is_checked_before_the_subgraph_is_built(G, monkeypatch):
    built = []
    monkeypatch.setattr(nx.MultiDiGraph, "add_nodes_from", lambda self, *a, **k: built.append(a))
    with pytest.raises(SelectionTooLargeError):
        select(G, Selection(center="alibaba", hops=2), max_entities=2)
    assert built == []


def test_timeline_graph_is_refused_over_the_limit(G):
    from ecograph.analysis import timeline_graph

    assert timeline_graph(G, at=2013, max_entities=7).number_of_nodes() == 6
    with pytest.raises(SelectionTooLargeError) as err:
        timeline_graph(G, at=2013, max_entities=5)
    assert err.value.count == 6
