"""Building views: the one function behind the CLI's selectors and the deck's views."""

from __future__ import annotations

import pytest

import ecograph
from ecograph.view.build import ViewRequest, build_view, query_subgraph
from ecograph.view.deck import DeckViewError, deck_views, read_deck_spec
from ecograph.view.select import Selection, SelectionError, SelectionTooLargeError, select


@pytest.fixture(scope="module")
def G():
    return ecograph.load()


@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    return tmp_path_factory.mktemp("build") / "store"


def _same(a, b) -> bool:
    return list(a.nodes(data=True)) == list(b.nodes(data=True)) and list(a.edges(keys=True, data=True)) == list(
        b.edges(keys=True, data=True))


def test_no_selector_is_the_graph_itself(G):
    assert build_view(G, ViewRequest()) is G
    with pytest.raises(SelectionTooLargeError):
        build_view(G, ViewRequest(), max_entities=G.number_of_nodes() - 1)


def test_names_are_resolved_then_selected(G):
    name = G.nodes["alibaba"]["name_en"]
    view = build_view(G, ViewRequest(center=name, hops=1, rels=["INVESTED_IN"], exclude=[G.nodes["tencent"]["name_zh"]]))
    expected = select(G, Selection(center="alibaba", hops=1, rels=("INVESTED_IN",), exclude=("tencent",)))
    assert _same(view, expected) and "alibaba" in view and "tencent" not in view


def test_a_saved_query_binds_its_defaults_and_the_given_values(G, store_path):
    by_default = build_view(G, ViewRequest(saved="alibaba_stakes"), store_path=store_path)
    assert "alibaba" not in by_default and by_default.number_of_nodes() > 0  # returns names of its targets
    direct = query_subgraph(G, "MATCH (a:Company {id: $company})-[:OWNS|INVESTED_IN]->(t) RETURN t.id", None,
                            {"company": "alibaba"}, store_path=store_path)
    assert sorted(by_default) == sorted(direct)
    suning = build_view(G, ViewRequest(saved="alibaba_stakes", params={"company": "suning"}), store_path=store_path)
    assert sorted(suning) != sorted(by_default)


def test_a_query_view_then_takes_the_selectors(G, store_path):
    view = build_view(G, ViewRequest(query="MATCH (a {id: 'alibaba'})-[r]-(b) RETURN a, r, b", kinds=["Company"]),
                      store_path=store_path)
    assert "alibaba" in view and {view.nodes[n]["kind"] for n in view} == {"Company"}
    assert view.nodes["alibaba"] == G.nodes["alibaba"]  # the loaded graph's attributes, not the store's


@pytest.mark.parametrize(
    "request_, message",
    [
        (ViewRequest(query="RETURN 1", saved="partners"), "a view starts from a query or from a saved query, not both"),
        (ViewRequest(query="RETURN 1"), "the query returned no nodes, relationships or paths, and no value that "
                                        "names an entity; return them (RETURN a, r, b or RETURN p) or their ids or names"),
    ],
)
def test_a_query_view_that_cannot_be_is_refused(G, store_path, request_, message):
    with pytest.raises(SelectionError) as e:
        build_view(G, request_, store_path=store_path)
    assert str(e.value) == message


def test_deck_views_are_built_as_the_cli_builds_views(G, tmp_path, store_path):
    spec = tmp_path / "views.yaml"
    spec.write_text("title: T\nviews:\n  - {title: A, center: alibaba, rels: [OWNS, INVESTED_IN]}\n"
                    "  - {title: B, saved: alibaba_stakes, params: {company: suning}}\n", encoding="utf-8")
    views = deck_views(G, read_deck_spec(spec), store_path=store_path)
    assert [t for t, _ in views] == ["A", "B"]
    assert _same(views[0][1], build_view(G, ViewRequest(center="alibaba", rels=("OWNS", "INVESTED_IN"))))
    expected = build_view(G, ViewRequest(saved="alibaba_stakes", params={"company": "suning"}), store_path=store_path)
    assert _same(views[1][1], expected)


@pytest.mark.parametrize(
    "view, message",
    [
        ("{title: Firms, kinds: [Compnay]}", "view 2 of {spec} (Firms): no kind named 'Compnay' (did you mean 'Company'?)"),
        ("{title: Nobody, center: no-such-firm}", "view 2 of {spec} (Nobody): no entity matches 'no-such-firm'"),
        ("{title: Empty, kinds: [Company], rels: [LOCATED_IN], until: 1900}", "view 2 of {spec} (Empty): it selects nothing"),
        ("{title: Q, saved: partner}", "view 2 of {spec} (Q): no saved query named 'partner' (did you mean 'partners'?)"),
    ],
)
def test_a_deck_view_that_cannot_be_names_the_view(G, tmp_path, store_path, view, message):
    spec = tmp_path / "views.yaml"
    spec.write_text(f"views:\n  - {{title: A, center: alibaba}}\n  - {view}\n", encoding="utf-8")
    with pytest.raises(DeckViewError) as e:
        deck_views(G, read_deck_spec(spec), store_path=store_path)
    assert str(e.value).startswith(message.format(spec=spec))
    assert e.value.where == message.format(spec=spec).split(": ")[0]


def test_a_view_title_names_the_data_set_and_the_entity_at_the_centre(G):
    from ecograph.data.dataset import graph_title
    from ecograph.view.build import view_title
    from ecograph.words import entity_name

    base = graph_title(G)
    assert view_title(G) == view_title(G, ViewRequest(kinds=("Company",))) == base
    around = f"{base}: around {entity_name(G, 'alibaba')}"
    assert view_title(G, ViewRequest(center="Alibaba")) == around  # a name, resolved as the view resolves it
    assert view_title(G, ViewRequest(center="alibaba", hops=2)) == f"{around}, 2 ties out"
