"""A map's view (a link's fragment) checked against a graph, and drawn on a slide by a deck."""

from __future__ import annotations

import pytest

import ecograph
from ecograph.view.deck import DeckViewError, deck_views, read_deck_spec
from ecograph.view.viewstate import ViewStateError, check_view, view_graph


@pytest.fixture(scope="module")
def G():
    return ecograph.load()


def test_a_view_is_checked_and_given_back_without_its_hash(G):
    text = "focus=alibaba&types=OWNS,INVESTED_IN&analysis=camps,alibaba,tencent&pins=jd:1:-2.5&view=0,0,1"
    assert check_view("#" + text, G) == text == check_view("file:///a/b.html#" + text, G)
    assert check_view("", G) == ""


@pytest.mark.parametrize("bad, says", [
    ("focus=nobody", "view part 'focus=nobody': the map has no entity with id 'nobody'"),
    ("kinds=Company,Planet", "no kind of entity 'Planet'"),
    ("since=twenty", "'twenty' is not a whole number"),
    ("tie=100000", "the map has ties 0 to"),
    ("lang=fr", "expected en, zh or both"),
    ("analysis=reach,alibaba", "no analysis 'reach'"),
    ("analysis=path,tencent", "path takes 2 entities, found 1"),
    ("analysis=whatif,alipay", "whatif takes 2 or more entities, found 1"),
    ("analysis=whatif,alipay,alipay", "whatif names an entity twice"),
    ("analysis=control,nobody", "no entity with id 'nobody'"),
    ("pins=jd:1", "'jd:1' is not id:x:y"),
    ("pins=nobody:1:2", "no entity with id 'nobody'"),
    ("view=1,2", "expected x,y,zoom"),
])
def test_a_view_the_map_cannot_open_is_a_one_line_error(G, bad, says):
    with pytest.raises(ViewStateError) as e:
        check_view(bad, G)
    assert says in str(e.value) and "\n" not in str(e.value)


def test_a_deck_view_draws_what_the_page_shows_there(G, tmp_path):
    spec = tmp_path / "deck.yaml"
    spec.write_text("title: T\nviews:\n  - title: Camps\n    view: 'analysis=camps,alibaba,tencent&types=OWNS'\n"
                    "  - title: New in 2014\n    view: 'analysis=diff,2013,2014'\n", encoding="utf-8")
    (camps, a), (diff, b) = deck_views(G, read_deck_spec(spec))
    assert sorted(a.edges(keys=True)) == sorted(view_graph(G, "analysis=camps,alibaba,tencent&types=OWNS").edges(keys=True))
    assert {"alibaba", "tencent", "taobao"} <= set(a) and a.number_of_nodes() < G.number_of_nodes()
    new = {(u, v, k) for u, v, k, y in G.edges(keys=True, data="year") if y == 2014}
    assert new <= set(b.edges(keys=True))
    # Path, Control and What if too: a slide of the chain from Tencent to JD.com among the context ties.
    spec.write_text("views:\n  - title: Path\n    view: 'analysis=path,tencent,jd&types=LOCATED_IN'\n", encoding="utf-8")
    ((_, chain),) = deck_views(G, read_deck_spec(spec))
    partners = {(u, v, k) for u, v, k, t in G.edges(keys=True, data="type") if {u, v} == {"tencent", "jd"} and t == "PARTNERS_WITH"}
    assert partners and partners <= set(chain.edges(keys=True))
    assert {t for _, _, t in chain.edges(data="type")} <= {"LOCATED_IN", "PARTNERS_WITH"}
    spec.write_text("views:\n  - title: Slip\n    view: 'focus=nobody'\n", encoding="utf-8")
    with pytest.raises(DeckViewError, match=r"view 1 of .*deck.yaml \(Slip\): view part 'focus=nobody'"):
        deck_views(G, read_deck_spec(spec))
