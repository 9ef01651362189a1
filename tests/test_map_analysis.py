"""Path, Control and What if in the map (issue #13): Chromium drives the page through
``window.ecograph``, and each answer is compared with the library function's (the command
line's) on the seed and on a synthetic graph. Skipped, with the reason, like
tests/test_render_browser.py when Chromium or Playwright is missing."""

from __future__ import annotations

import json
import random

import networkx as nx
import pytest

import ecograph
from ecograph.analysis import paths, reach, what_if
from ecograph.analysis.common import tie_record
from ecograph.view.map import write_html
from test_render_browser import Page, browser  # noqa: F401  (the module's skip rule and browser fixture)


@pytest.fixture(scope="module")
def seed(browser, tmp_path_factory):  # noqa: F811
    G = ecograph.load()
    page = Page(browser, write_html(G, tmp_path_factory.mktemp("seed") / "seed.html"))
    yield G, page
    page.page.close()


@pytest.fixture(scope="module")
def synth(browser, tmp_path_factory):  # noqa: F811
    """``ecograph synth``'s graph, 300 entities and 1,200 ties."""
    from ecograph.data.graphdata import build_graph, read_graphdata
    from ecograph.data.synth import write_synthetic

    folder = tmp_path_factory.mktemp("synth") / "data"
    write_synthetic(folder, 300, 1_200, seed=7)
    G = build_graph(read_graphdata([folder]))
    page = Page(browser, write_html(G, folder.parent / "synth.html"))
    yield G, page
    page.page.close()


@pytest.fixture(params=["seed", "synth"])
def both(request):
    return request.getfixturevalue(request.param)


def ties_of(G):
    """The page's edge id -> the tie as the library records it."""
    return [tie_record(G, u, v, k) for u, v, k in G.edges(keys=True)]


SHOWN = 6  # requests asked through the API that shows the answer; the rest through `analyses`


def run_all(page, call, requests, shown=SHOWN):
    """``window.ecograph[call](...args)`` for the first ``shown`` args lists of ``requests`` (the
    answer shown on the map and in the panel, a redraw each), ``window.ecograph.analyses[call]``
    for the rest (the same answer, the view unchanged), in one round trip; a thrown error comes
    back as {"error": message}. The answers travel as one JSON text: Playwright checks a
    returned object value by value, 80 s for the what-if pairs of the synthetic graph."""
    return json.loads(page.page.evaluate("""([call, requests, shown]) => JSON.stringify(requests.map((args, i) => {
        const api = i < shown ? window.ecograph : window.ecograph.analyses;
        try { return api[call](...args); } catch (err) { return {error: String(err.message)}; } }))""",
                                         [call, requests, shown]))


def pairs_of(G, count, seed=1):
    rnd = random.Random(seed)
    nodes = sorted(G)
    return [rnd.sample(nodes, 2) for _ in range(count)]


# ---- Path -----------------------------------------------------------------------------------------

def test_path_gives_the_chains_ecograph_path_gives(both):
    G, page = both
    tie = ties_of(G)
    hubs = sorted(G, key=lambda n: (-G.degree(n), n))[:4]
    requests = [[hubs[0], hubs[3], {"context": True, "maxHops": 2}], [hubs[1], hubs[2], {"directed": True}],
                [hubs[0], hubs[1], {"context": True, "exclude": [hubs[2]]}], [hubs[2], hubs[3], {"kinds": ["Company"]}],
                [hubs[0], hubs[2], {"rels": ["OWNS", "INVESTED_IN", "PARTNERS_WITH"]}], [hubs[1], hubs[3], {}]]
    requests += [[a, b, {}] for a, b in pairs_of(G, 40)] + [[a, b, {"context": True}] for a, b in pairs_of(G, 40, seed=2)]
    found = 0
    for (a, b, options), shown in zip(requests, run_all(page, "path", requests)):
        expected = paths(G, a, b, max_hops=options.get("maxHops", 6), context=options.get("context", False),
                         directed=options.get("directed", False), exclude=options.get("exclude", ()),
                         kinds=options.get("kinds", ()), rels=options.get("rels", ()))
        assert [[{**h, "ties": [tie[i] for i in h["ties"]]} for h in chain] for chain in shown] == expected, (a, b, options)
        found += bool(expected)
    assert found >= 20  # most asked pairs have chains: the comparison is not of empty lists
    assert page.errors == []


def test_path_from_the_panel_is_explained_a_hop_a_sentence_with_its_source(seed):
    G, page = seed
    p = page.page
    p.click("#reset")
    page.page.evaluate("window.ecograph.focus('tencent')")
    p.click("#details button.tool >> text=Path from here")
    assert p.evaluate("window.ecograph.state().analysis") == {"kind": "path", "from": "tencent", "to": None, "options": {}}
    assert "open another entity" in p.inner_text("#analysis-panel")
    page.page.evaluate("window.ecograph.focus('jd')")
    p.click("#details button.tool >> text=Path to here")
    state = p.evaluate("window.ecograph.state()")
    assert state["analysis"] == {"kind": "path", "from": "tencent", "to": "jd", "options": {}}
    assert state["selected"] == {"entity": "jd"}  # the analysis sits above the selection's details
    text = p.inner_text("#analysis-panel")
    assert "1 shortest chain of 1 hop" in text
    assert "JD.com / 京東商城 partners with Tencent / 騰訊 (2014)." in text
    assert "Source: TIER 2015 §貳.七 Social platforms and big data for customised products" in text
    marked = p.evaluate("window.ecograph.analysis().marked")
    [chain] = paths(G, "tencent", "jd")
    ids = [i for i, t in enumerate(ties_of(G)) if t in chain[0]["ties"]]
    assert marked == {"entities": ["jd", "tencent"], "ties": ids}
    p.click("#analysis-panel .top button")
    assert p.evaluate("window.ecograph.state().analysis") is None and p.locator("#analysis-panel").count() == 0


def test_a_path_through_context_ties_shows_them_and_fades_the_rest(seed):
    G, page = seed
    p = page.page
    p.click("#reset")
    assert page.page.evaluate("window.ecograph.path('tencent', 'singapore-post')") == []
    assert "No chain within 6 hops following alliances" in p.inner_text("#analysis-panel")
    p.check("#analysis-panel label.context input")  # the panel's switch: context ties too
    chains = p.evaluate("window.ecograph.analysis().result")
    assert len(chains) == len(paths(G, "tencent", "singapore-post", context=True)) == 3
    on_path = sorted({i for chain in chains for hop in chain for i in hop["ties"]})
    nodes, edges = page.visible()
    assert set(on_path) <= set(edges)  # context ties are off in the filters, shown for the path
    assert p.evaluate("window.ecograph.state().context") is False
    faded = p.evaluate("""() => { const body = window.ecograph.network.body;
        return Object.keys(body.nodes).filter(id => body.nodes[id].options.opacity < 1).sort(); }""")
    on_chain = {n for chain in chains for hop in chain for n in (hop["from"], hop["to"])}
    assert faded and not on_chain & set(faded)
    p.click("#reset")
    assert p.evaluate("window.ecograph.state().analysis") is None


# ---- Control --------------------------------------------------------------------------------------

def _reached(result, tie=None):
    rows = []
    for e in result["reached"]:
        chains = [(c["path"], c["types"], c["stakes"], c["stake"], [tie[i] if tie else i for i in c["ties"]])
                  for c in e.get("chains", [])]
        rows.append((e["id"], e["effective_stake"], e["known_stake"], e["hops"], e.get("chain_count"), chains))
    return rows


def test_control_gives_the_stakes_and_parents_ecograph_reach_gives(both):
    G, page = both
    tie = ties_of(G)
    owners = sorted(n for n in G if any(t in ("OWNS", "INVESTED_IN", "HOLDS") for _, _, t in G.out_edges(n, data="type")))
    owned = sorted(n for n in G if any(t == "OWNS" for _, _, t in G.in_edges(n, data="type")))
    rnd = random.Random(4)
    requests = [[n, {}] for n in rnd.sample(owners, min(40, len(owners)))] + [[n, {"hops": 2}] for n in owners[:10]]
    requests += [[n, {}] for n in rnd.sample(owned, min(30, len(owned)))]
    requests += [[owners[0], {"via": ["OWNS"]}]]
    stakes = 0
    for (n, options), shown in zip(requests, run_all(page, "reach", requests)):
        expected = reach(G, n, hops=options.get("hops", 4), via=options.get("via"))
        assert _reached(shown, tie) == _reached(expected), (n, options)
        assert shown["ultimate_parents"] == [e["id"] for e in expected["ultimate_parents"]], n
        assert shown["aggregated"] is expected["aggregated"] is False
        stakes += sum(e["effective_stake"] is not None for e in expected["reached"])
    assert stakes >= 2 and any(reach(G, n)["ultimate_parents"] for n in owned)
    assert page.errors == []


def test_control_of_a_hub_past_the_chain_limit_sums_level_by_level_as_the_library_does(browser, monkeypatch, tmp_path):  # noqa: F811
    from ecograph.analysis import ownership
    from ecograph.data.graphdata import build_graph, read_graphdata
    from ecograph.data.synth import write_synthetic

    write_synthetic(tmp_path / "data", 300, 1_200, seed=7)
    G = build_graph(read_graphdata([tmp_path / "data"]))
    monkeypatch.setattr(ownership, "MAX_CHAINS", 5)  # the page is told the library's limit
    page = Page(browser, write_html(G, tmp_path / "limit.html"))
    try:
        hubs = sorted(G, key=lambda n: (-G.out_degree(n), n))[:15]
        aggregated = 0
        for n, shown in zip(hubs, run_all(page, "reach", [[n] for n in hubs])):
            expected = reach(G, n)
            assert shown["aggregated"] is expected["aggregated"]
            assert _reached(shown) == _reached(expected), n
            aggregated += expected["aggregated"]
        assert aggregated >= 3
    finally:
        page.page.close()


def test_control_from_the_panel_marks_the_stakes_on_the_map(seed):
    G, page = seed
    p = page.page
    p.click("#reset")
    page.page.evaluate("window.ecograph.focus('alibaba')")
    p.click("#details button.tool >> text=Control")
    text = p.inner_text("#analysis-panel")
    assert "reaches 8 entities via INVESTED_IN, OWNS within 4 hops" in text
    assert "18 %" in text and "10.35 %" in text and "Ultimate parent: none (nothing owns it)" in text
    marked = p.evaluate("window.ecograph.analysis().marked")
    assert marked["entities"] == sorted(["alibaba"] + [e["id"] for e in reach(G, "alibaba")["reached"]])
    page.page.evaluate("window.ecograph.focus('taobao')")
    p.click("#details button.tool >> text=Control")
    assert "Ultimate parents: Alibaba Group / 阿里巴巴" in p.inner_text("#analysis-panel")


# ---- What if --------------------------------------------------------------------------------------

def test_what_if_gives_the_answer_ecograph_what_if_gives(both):
    G, page = both
    keys = list(G.edges(keys=True))
    hubs = sorted(G, key=lambda n: (-G.degree(n), n))
    rnd = random.Random(3)
    requests = []
    for gone in hubs[:6] + rnd.sample(hubs[6:], 6):
        anchor = next(n for n in hubs if n != gone and G.degree(n) > 0)
        requests.append([anchor, {"remove": [gone]}])
        requests.append([rnd.choice([n for n in G if n != gone]), {"remove": [gone], "context": True}])
    for i in rnd.sample(range(len(keys)), 8):
        u, v, _ = keys[i]
        requests.append([u, {"ties": [i]}])
        requests.append([hubs[0], {"ties": [i], "remove": [n for n in hubs[1:3] if n not in (hubs[0],)], "context": True}])
    requests.append([hubs[1], {"remove": [hubs[0]], "directed": True}])
    cut = longer = 0
    for (n, options), shown in zip(requests, run_all(page, "whatIf", requests)):
        ties = [(keys[i][0], keys[i][1], G.edges[keys[i]]["type"]) for i in options.get("ties", [])]
        expected = what_if(G, n, remove=options.get("remove", []), ties=ties, context=options.get("context", False),
                           directed=options.get("directed", False))
        assert shown["cut_off"] == [{"id": e["id"], "hops_before": e["hops_before"]} for e in expected["cut_off"]], (n, options)
        assert shown["longer"] == expected["longer"], (n, options)
        assert shown["removed_ties"] == expected["removed_ties"] and shown["compared"] == expected["compared"]
        cut += len(expected["cut_off"])
        longer += len(expected["longer"] or [])
    assert cut and longer  # the cases compared find something
    assert page.errors == []


def test_what_if_from_the_panel_lists_and_marks_who_is_cut_off(seed):
    G, page = seed
    p = page.page
    p.click("#reset")
    page.page.evaluate("window.ecograph.focus('alibaba')")
    p.click("#details button.tool >> text=What if it went")
    assert "Open the entity to measure against" in p.inner_text("#analysis-panel")
    page.page.evaluate("window.ecograph.focus('alipay')")
    p.click("#details button.tool >> text=Measure the what-if here")
    expected = what_if(G, "alipay", remove=["alibaba"])
    text = p.inner_text("#analysis-panel")
    assert f"{len(expected['cut_off'])} entities lose every chain to Alipay" in text
    assert "Taobao / 淘寶 (was 2 hops away)" in text and "0 pairs are left with a longer chain" in text
    marked = p.evaluate("window.ecograph.analysis().marked")["entities"]
    assert set(marked) == {"alipay", "alibaba"} | {e["id"] for e in expected["cut_off"]}
    assert set(marked) <= set(page.visible()[0])
    # A tie, from its own panel: the one partnership between JD.com and Tencent.
    i = next(i for i, t in enumerate(ties_of(G)) if (t["from"], t["to"], t["type"]) == ("jd", "tencent", "PARTNERS_WITH"))
    page.page.evaluate(f"window.ecograph.tie({i})")
    p.click("#details button.tool >> text=What if it went")
    assert p.evaluate("window.ecograph.state().analysis")["options"] == {"remove": [], "ties": [i]}
    assert "Measured against Alipay" in p.inner_text("#analysis-panel")
    shown = p.evaluate("window.ecograph.whatIf('tencent', {ties: [%d]})" % i)
    assert [e["id"] for e in shown["cut_off"]] == [e["id"] for e in what_if(G, "tencent", ties=[("jd", "tencent", "PARTNERS_WITH")])["cut_off"]]
    assert "JD.com / 京東商城 partners with Tencent / 騰訊 (2014)." in p.inner_text("#analysis-panel")


def test_the_page_refuses_what_the_library_refuses(seed):
    _, page = seed
    [same, nobody] = run_all(page, "whatIf", [["alibaba", {"remove": ["alibaba"]}], ["alibaba", {"remove": ["nobody"]}]])
    assert same == {"error": "'alibaba' is the entity asked about: it cannot also be removed"}
    assert nobody == {"error": "no entity with id 'nobody' in the map"}
    assert run_all(page, "path", [["alibaba", "nobody"]]) == [{"error": "no entity with id 'nobody' in the map"}]
    page.page.click("#reset")


def test_the_analyses_work_on_a_big_page_sent_as_columns(browser, tmp_path):  # noqa: F811
    # A big map's ties come as columns (map-data.js): stakes and groups must survive the unpacking.
    G = ecograph.load()
    page = Page(browser, write_html(G, tmp_path / "compact.html", compact=True))
    try:
        tie = ties_of(G)
        shown = page.page.evaluate("window.ecograph.reach('alibaba')")
        expected = reach(G, "alibaba")
        assert _reached(shown, tie) == _reached(expected)
        chains = page.page.evaluate("window.ecograph.path('tencent', 'singapore-post', {context: true})")
        assert [[{**h, "ties": [tie[i] for i in h["ties"]]} for h in c] for c in chains] == paths(
            G, "tencent", "singapore-post", context=True)
        assert "Source: TIER 2015" in page.page.inner_text("#analysis-panel")
        assert page.errors == []
    finally:
        page.page.close()
    assert nx.number_of_nodes(G) == 130


def test_path_control_and_what_if_live_in_the_link_and_come_back_from_it(seed):
    G, page = seed
    p = page.page
    asked = [("path('tencent', 'jd')", "path,tencent,jd", {"kind": "path", "from": "tencent", "to": "jd", "options": {}}),
             ("reach('alibaba')", "control,alibaba", {"kind": "control", "entity": "alibaba", "options": {}}),
             ("whatIf('alipay', {remove: ['alibaba'], ties: []})", "whatif,alipay,alibaba",
              {"kind": "whatif", "entity": "alipay", "options": {"remove": ["alibaba"], "ties": []}})]
    for call, link, state in asked:
        p.evaluate(f"window.ecograph.{call}")
        assert f"analysis={link}" in p.evaluate("location.hash").lstrip("#").split("&")
        p.evaluate("window.ecograph.clearAnalysis()")
        assert "analysis=" not in p.evaluate("location.hash")
        p.evaluate("(f) => { location.hash = f; }", f"#analysis={link}")
        p.wait_for_function("window.ecograph.state().analysis !== null")
        assert p.evaluate("window.ecograph.state().analysis") == state
        marked = p.evaluate("window.ecograph.analysis().marked")["entities"]
        assert marked and set(marked) <= set(G)
        heading = p.inner_text("#analysis-panel h2")  # the picture's title names the analysis, as for camps
        picture = p.evaluate("window.ecograph.picture().svg")
        assert f"\u2014 {heading}</text>" in picture
        if heading == "Control":  # and it holds the marks drawn over the map: rings and stakes
            assert ">18 %</text>" in picture and 'stroke="#6741d9" stroke-width="3"' in picture
            assert ">reached, with its effective stake</text>" in picture  # the legend says what a ring's colour means
        p.evaluate("window.ecograph.clearAnalysis()")
    # An analysis asked otherwise than the panel asks it stays the page's: the link drops it.
    p.evaluate("window.ecograph.path('tencent', 'jd', {context: true})")
    assert "analysis=" not in p.evaluate("location.hash")
    # What the page cannot run is dropped, as a camps link naming nobody is.
    p.evaluate("window.ecograph.clearAnalysis()")
    p.evaluate("(f) => { location.hash = f; }", "#analysis=path,tencent,nobody")
    p.wait_for_timeout(200)
    assert p.evaluate("window.ecograph.state().analysis") is None
