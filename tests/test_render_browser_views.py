"""The map's analyses and kept views in a real browser (Chromium, as test_render_browser.py):
the page's camps and year diff give the library's answer on the seed and on a synthetic graph,
and a view (filters, pins, zoom, analysis) survives a reload and a sent link."""

from __future__ import annotations

import collections
from pathlib import Path
import json

import pytest

import ecograph
from ecograph.analysis import compare, timeline
from ecograph.view.map import write_html
from test_render_browser import ARGS, CHROMIUM, Page, api, sync_playwright  # skips here as there


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def G():
    return ecograph.load()


@pytest.fixture(scope="module")
def seed_page(browser, G, tmp_path_factory):
    page = Page(browser, write_html(G, tmp_path_factory.mktemp("map") / "ecosystem.html"))
    yield page
    page.page.close()


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    """A small synthetic ecosystem (`ecograph synth`), with its two biggest owners."""
    from ecograph.data.graphdata import build_graph, read_graphdata
    from ecograph.data.synth import write_synthetic

    folder = tmp_path_factory.mktemp("synth") / "data"
    write_synthetic(folder, 80, 400, seed=5)
    return build_graph(read_graphdata([folder]))


@pytest.fixture(scope="module")
def synth_page(browser, synthetic, tmp_path_factory):
    page = Page(browser, write_html(synthetic, tmp_path_factory.mktemp("synth-map") / "synth.html"))
    yield page
    page.page.close()


def owners(G, count=2):
    """The entities that own the most, biggest first: camps worth comparing."""
    owns = collections.Counter(u for u, _, t in G.edges(data="type") if t == "OWNS")
    return [n for n, _ in owns.most_common(count)]


def tie_keys(G, ids):
    """The page's tie ids (their place in G.edges) as (from, to, type), sorted."""
    edges = list(G.edges(data="type"))
    return sorted(edges[i] for i in ids)


def record_keys(records):
    return sorted((t["from"], t["to"], t["type"]) for t in records)


def assert_same_camps(G, page, a, b):
    lib, got = compare(G, a, b), api(page, "camps", a, b)
    assert got["a"] == {"id": a, "camp": lib["a"]["camp"]} and got["b"] == {"id": b, "camp": lib["b"]["camp"]}
    assert [s["id"] for s in got["shared"]] == [s["id"] for s in lib["shared"]]
    for mine, theirs in zip(got["shared"], lib["shared"]):
        assert tie_keys(G, mine["ties_a"]) == record_keys(theirs["ties_a"])
        assert tie_keys(G, mine["ties_b"]) == record_keys(theirs["ties_b"])
    assert got["only_a"] == [e["id"] for e in lib["only_a"]] and got["only_b"] == [e["id"] for e in lib["only_b"]]
    assert tie_keys(G, got["bridges"]) == record_keys(lib["bridges"])
    return lib, got


@pytest.mark.parametrize("pair", [("alibaba", "tencent"), ("alibaba", "sina-weibo"), ("tencent", "jd"),
                                  ("alibaba", "alipay")])
def test_the_pages_camps_are_ecograph_compares_on_the_seed(seed_page, G, pair):
    lib, _ = assert_same_camps(G, seed_page, *pair)
    assert seed_page.page.evaluate("window.ecograph.state().analysis") == {"name": "camps", "args": list(pair)}
    assert seed_page.errors == []


def test_the_pages_camps_are_ecograph_compares_on_a_synthetic_graph(synth_page, synthetic):
    a, b = owners(synthetic)
    lib, _ = assert_same_camps(synthetic, synth_page, a, b)
    assert len(lib["a"]["camp"]) > 2 and lib["shared"] and lib["bridges"] and lib["only_a"]  # a test with teeth
    other = next(n for n in synthetic if n not in lib["a"]["camp"] and n not in lib["b"]["camp"])
    assert_same_camps(synthetic, synth_page, a, other)
    assert synth_page.errors == []


def _looks(page):
    """What vis-network draws each node and tie with: border colour, opacity, hidden."""
    return page.page.evaluate("""() => { const b = window.ecograph.network.body, out = {nodes: {}, edges: {}};
        for (const id in b.nodes) { const o = b.nodes[id].options; out.nodes[id] = [o.color.border, o.opacity, !!o.hidden]; }
        for (const id in b.edges) { const o = b.edges[id].options; out.edges[id] = [o.color.color, o.color.opacity, !!o.hidden, o.width]; }
        return out; }""")


def test_camps_are_marked_on_the_map_and_picked_from_the_panel(seed_page, G):
    p = seed_page.page
    p.click("#reset")
    opening = _looks(seed_page)
    api(seed_page, "focus", "alibaba")
    p.click("#details button[data-analysis='camps']")
    assert "Camps" in p.inner_text("#status")
    p.keyboard.type("sina weibo")
    p.keyboard.press("Enter")
    assert p.evaluate("window.ecograph.state().analysis") == {"name": "camps", "args": ["alibaba", "sina-weibo"]}
    lib = compare(G, "alibaba", "sina-weibo")
    colours = p.evaluate("EcographCamps.colours")
    looks = _looks(seed_page)
    for n in lib["a"]["camp"]:
        assert looks["nodes"][n][:3] == [colours["a"], 1, False]
    for n in lib["b"]["camp"]:
        assert looks["nodes"][n][:3] == [colours["b"], 1, False]
    for s in lib["shared"]:
        assert looks["nodes"][s["id"]][:3] == [colours["shared"], 1, False]
    bridges = [i for i, (u, v, t) in enumerate(G.edges(data="type")) if (u, v, t) in
               {(r["from"], r["to"], r["type"]) for r in lib["bridges"]}]
    assert bridges and all(looks["edges"][str(i)][:3] == [colours["bridge"], 1, False] for i in bridges)
    marked = set(lib["a"]["camp"]) | set(lib["b"]["camp"]) | {s["id"] for s in lib["shared"]}
    assert all(look[1] < 1 for n, look in looks["nodes"].items() if n not in marked)  # the rest fades
    text = p.inner_text("#analysis")
    assert f"Shared partners ({len(lib['shared'])})" in text and f"Ties between the camps ({len(lib['bridges'])})" in text
    # Escape closes the panel, then ends the analysis; every entity looks as it did.
    p.evaluate("document.activeElement.blur()")
    p.keyboard.press("Escape")
    assert p.is_hidden("#details") and p.evaluate("window.ecograph.state().analysis") is not None
    p.keyboard.press("Escape")
    assert p.evaluate("window.ecograph.state().analysis") is None and p.is_hidden("#analysis")
    p.keyboard.press("Escape")  # and then the focus
    assert p.evaluate("window.ecograph.state().focus") is None
    assert _looks(seed_page) == opening


@pytest.mark.parametrize("years", [(2012, 2014), (2013, 2014), (1990, 2015), (2014, 2015)])
def test_the_pages_diff_is_timeline_diff_on_the_seed(seed_page, G, years):
    lib = timeline(G, diff=years)
    got = api(seed_page, "diff", *years)
    assert tie_keys(G, got["appeared"]) == record_keys(lib["appeared"]) and got["entities"] == lib["entities"]
    state = seed_page.page.evaluate("window.ecograph.state()")
    assert state["analysis"] == {"name": "diff", "args": list(years)} and [state["since"], state["until"]] == list(years)


def test_the_pages_diff_is_timeline_diff_on_a_synthetic_graph(synth_page, synthetic):
    for years in [(2005, 2010), (2000, 2001), (2014, 2015)]:
        lib = timeline(synthetic, diff=years)
        got = api(synth_page, "diff", *years)
        assert tie_keys(synthetic, got["appeared"]) == record_keys(lib["appeared"])
        assert got["entities"] == lib["entities"]
    assert lib["appeared"]
    assert api(synth_page, "diff", 2010, 2010) is None  # the first year must come before the second


def test_the_diff_marks_the_new_ties_on_the_unchanged_layout_beside_the_sliders(seed_page, G):
    p = seed_page.page
    p.click("#reset")
    before = p.evaluate("window.ecograph.network.getPositions()")
    p.check("#diff-mode")
    seed_page.set_years(2012, 2014)
    assert p.evaluate("window.ecograph.state().analysis") == {"name": "diff", "args": [2012, 2014]}
    after = p.evaluate("window.ecograph.network.getPositions()")
    assert set(after) > set(before) and all(after[n] == at for n, at in before.items())  # nothing moved
    data = p.evaluate("() => Object.fromEntries(window.ecograph.data.nodes.map(n => [n.id, {x: n.x, y: n.y}]))")
    # the new ones where the layout put them (getPositions drops the fraction)
    assert all(abs(data[n]["x"] - at["x"]) < 1 and abs(data[n]["y"] - at["y"]) < 1 for n, at in after.items())
    new = {i for i, (u, v, y) in enumerate(G.edges(data="year")) if y is not None and 2012 < y <= 2014}
    green = p.evaluate("EcographDiff.colour")
    looks = _looks(seed_page)
    assert {int(i) for i, look in looks["edges"].items() if look[0] == green and not look[2]} == new
    # The network up to 2014 stays drawn around them, faded: an old alliance of 2012 too.
    old = [i for i, (u, v, d) in enumerate(G.edges(data=True)) if d.get("year") == 2012 and d["type"] in ("OWNS", "INVESTED_IN")]
    assert old and all(not looks["edges"][str(i)][2] and looks["edges"][str(i)][1] < 1 for i in old)
    assert f"{len(new)} ties appeared" in p.inner_text("#analysis")
    seed_page.set_years(2014, 2013)  # From after To: no diff, the switch stays on
    assert p.evaluate("window.ecograph.state().analysis") is None and p.is_checked("#diff-mode")
    p.uncheck("#diff-mode")
    p.click("#reset")
    assert not p.is_checked("#diff-mode")


def test_an_analysis_lives_in_the_link(browser, G, tmp_path):
    page = Page(browser, write_html(G, tmp_path / "linked.html"))
    p = page.page
    api(page, "camps", "alibaba", "tencent")
    link = p.evaluate("location.href")
    assert "analysis=camps,alibaba,tencent" in link
    p.goto("about:blank")
    p.goto(link)
    p.wait_for_function("window.ecograph && window.ecograph.ready")
    assert p.evaluate("window.ecograph.analysis()")["answer"]["a"]["camp"] == compare(G, "alibaba", "tencent")["a"]["camp"]
    p.evaluate("location.hash = '#analysis=diff,2012,2014'")
    p.wait_for_function("window.ecograph.state().analysis && window.ecograph.state().analysis.name === 'diff'")
    assert p.is_checked("#diff-mode")
    p.evaluate("location.hash = '#analysis=camps,nobody,tencent'")  # what the map cannot run is dropped
    p.wait_for_function("window.ecograph.state().analysis === null")
    assert page.errors == [], json.dumps(page.errors)
    p.close()


def _screen(page, node):
    """Where ``node`` is drawn, in the page's pixels."""
    return page.evaluate("""(id) => { const n = window.ecograph.network, d = n.canvasToDOM(n.getPosition(id));
        const r = document.getElementById("map").getBoundingClientRect(); return [d.x + r.left, d.y + r.top]; }""", node)


def _in_sight(page, prefer):
    """``prefer`` if it is drawn in the map's window and on top where it is, else the first that is."""
    return page.evaluate("""(prefer) => { const n = window.ecograph.network, w = document.getElementById("map");
        const fits = (id) => { const d = n.canvasToDOM(n.getPosition(id));
            return d.x > 60 && d.y > 60 && d.x < w.clientWidth - 60 && d.y < w.clientHeight - 60 && n.getNodeAt(d) === id; };
        if (fits(prefer)) { return prefer; }
        return window.ecograph.data.nodes.map((x) => x.id).find(fits); }""", prefer)


def _reopen(page, url):
    page.goto("about:blank")
    page.goto(url)
    page.wait_for_function("window.ecograph && window.ecograph.ready")
    return page.evaluate("window.ecograph.state()")


def test_pins_zoom_and_the_analysis_survive_a_reload_and_a_sent_link(browser, G, tmp_path):
    path = write_html(G, tmp_path / "kept.html")
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    p = context.new_page()
    p.goto(path.resolve().as_uri())
    p.wait_for_function("window.ecograph && window.ecograph.ready")
    assert p.evaluate("location.hash") == ""
    # A real drag pins an entity where it is dropped: Tencent, or one in sight and on top where
    # it is drawn (the opening view of a map too big to read at once is its top left).
    who = _in_sight(p, "tencent")
    assert who is not None
    x, y = _screen(p, who)
    p.mouse.move(x, y)
    p.mouse.down()
    for step in range(1, 11):
        p.mouse.move(x + 8 * step, y - 6 * step)
    p.mouse.up()
    pinned = p.evaluate("window.ecograph.state().pins")
    at = p.evaluate(f"window.ecograph.network.getPosition({json.dumps(who)})")
    start = next(n for n in p.evaluate("window.ecograph.data.nodes") if n["id"] == who)
    assert list(pinned) == [who] and abs(at["x"] - start["x"]) > 40
    assert abs(pinned[who][0] - at["x"]) <= 0.5 and abs(pinned[who][1] - at["y"]) <= 0.5  # whole pixels
    at = {"x": pinned[who][0], "y": pinned[who][1]}  # where a link puts it
    # A zoom with the wheel, an analysis and a filter.
    p.mouse.move(500, 400)
    p.mouse.wheel(0, -300)
    p.wait_for_function("window.ecograph.state().camera !== null")
    api_state = p.evaluate("""() => { window.ecograph.camps("alibaba", "jd"); window.ecograph.moveTo(120, 340, 0.9);
        window.ecograph.setTypes(["OWNS", "INVESTED_IN", "PARTNERS_WITH"]); return window.ecograph.state(); }""")
    assert api_state["camera"] == {"x": 120, "y": 340, "scale": 0.9}
    # The button puts the link on the clipboard; reloading it, or opening it elsewhere, gives the same view.
    p.click("#copy-link")
    p.wait_for_function("document.getElementById('status').textContent.includes('copied')")
    link = p.evaluate("navigator.clipboard.readText()")
    assert link == p.evaluate("location.href") and f"pins={who}:" in link and "view=120,340,0.9" in link
    before = p.evaluate("window.ecograph.state()")
    for page in (p, context.new_page()):
        assert _reopen(page, link) == before
        assert page.evaluate(f"window.ecograph.network.getPosition({json.dumps(who)})") == at
        assert page.evaluate("[window.ecograph.network.getViewPosition(), window.ecograph.network.getScale()]") == [
            {"x": 120, "y": 340}, 0.9]
        assert page.evaluate("window.ecograph.analysis().name") == "camps" and page.is_visible("#analysis")
    # Reset lets go of the pins and the camera: the link is the opening view's again.
    p.click("#reset")
    p.wait_for_timeout(300)
    assert p.evaluate("location.hash") == "" and p.evaluate("window.ecograph.state().pins") == {}
    assert abs(p.evaluate(f"window.ecograph.network.getPosition({json.dumps(who)})")["x"] - start["x"]) < 1
    context.close()


def test_render_opens_at_a_view_and_refuses_one_the_map_lacks(browser, G, tmp_path):
    from click.testing import CliRunner

    from cli import main

    out = tmp_path / "view.html"
    view = "focus=alibaba&analysis=diff,2012,2014&pins=jd:10:20&view=5,6,0.7&lang=en"
    result = CliRunner().invoke(main, ["render", "-o", str(out), "--view", "file:///x/ecosystem.html#" + view])
    assert result.exit_code == 0, result.output
    page = Page(browser, out)
    state = page.page.evaluate("window.ecograph.state()")
    assert (state["focus"], state["lang"], state["analysis"], state["pins"], state["camera"]) == (
        "alibaba", "en", {"name": "diff", "args": [2012, 2014]}, {"jd": [10, 20]}, {"x": 5, "y": 6, "scale": 0.7})
    assert page.page.evaluate("location.hash").lstrip("#").split("&") and page.errors == []
    page.page.close()
    for bad, says in [("focus=nobody", "the map has no entity with id 'nobody'"),
                      ("types=OWNS,OWNZ", "no type of tie 'OWNZ'"),
                      ("analysis=diff,2014,2012", "the first year must come before the second"),
                      ("analysis=camps,alibaba", "camps takes 2 entities"),
                      ("analysis=whatif,alipay", "whatif takes 2 or more entities"),
                      ("view=1,2,0", "a zoom above 0"), ("zoom=3", "unknown")]:
        result = CliRunner().invoke(main, ["render", "-o", str(tmp_path / "bad.html"), "--view", bad])
        assert result.exit_code == 1 and result.output.startswith("Error: --view: view part") and says in result.output
        assert not (tmp_path / "bad.html").exists()


@pytest.mark.parametrize("fragment", ["", "types=OWNS,INVESTED_IN&since=2013&until=2014", "focus=hangzhou",
                                      "kinds=Company,Platform&untied=1", "analysis=camps,alibaba,tencent",
                                      "analysis=diff,2012,2014&since=2012&until=2014", "types=&focus=jd",
                                      "analysis=path,tencent,jd&types=LOCATED_IN", "analysis=control,alibaba&types=LOCATED_IN",
                                      "analysis=whatif,alipay,alibaba&types=LOCATED_IN"])
def test_view_graph_is_what_the_page_shows_at_that_view(seed_page, G, fragment):
    from ecograph.view.viewstate import view_graph

    p = seed_page.page
    p.evaluate("(f) => { location.hash = f; }", "#" + fragment if fragment else "#")
    p.wait_for_timeout(100)
    p.evaluate("() => window.dispatchEvent(new HashChangeEvent('hashchange'))")  # the same hash twice: no event
    H = view_graph(G, fragment)
    index = {e: i for i, e in enumerate(G.edges(keys=True))}
    assert seed_page.visible() == (sorted(H.nodes), sorted(index[e] for e in H.edges(keys=True)))


def test_a_map_shows_inline_in_jupyter_through_an_offline_iframe(browser, G, tmp_path):
    import html as html_lib
    import re

    shown = ecograph.Map(G, title="Alibaba & <Tencent>", view="focus=alibaba")._repr_html_()
    # One iframe whose srcdoc is the whole page, escaped: no quote ends it early, nothing fetched.
    assert re.fullmatch(r'<iframe srcdoc="[^"]*" title="Alibaba &amp; &lt;Tencent&gt;" [^<>]*></iframe>', shown, re.S)
    page_html = html_lib.unescape(re.search(r'srcdoc="([^"]*)"', shown).group(1))
    assert page_html.startswith("<!DOCTYPE html>") and "window.ecograph" in page_html
    assert not re.search(r'(src|href)="https?:', page_html)
    notebook = tmp_path / "notebook.html"
    notebook.write_text(f"<!DOCTYPE html><html><body><div class='output'>{shown}</div></body></html>", encoding="utf-8")
    p = browser.new_page()  # a notebook's output: the map is in its frame
    blocked = []
    p.route(lambda url: not url.startswith(("file:", "about:")), lambda route: (blocked.append(route.request.url), route.abort()))
    errors = []
    p.on("pageerror", lambda e: errors.append(str(e)))
    p.goto(notebook.resolve().as_uri())
    frame = p.frame_locator("iframe")
    inner = p.frames[1]
    inner.wait_for_function("window.ecograph && window.ecograph.ready")
    assert inner.evaluate("window.ecograph.state().focus") == "alibaba"  # the view it was made with
    assert inner.evaluate("window.ecograph.camps('alibaba', 'tencent').a.camp") == compare(G, "alibaba", "tencent")["a"]["camp"]
    assert frame.locator("#analysis h2").inner_text().startswith("Camps: Alibaba Group")
    assert blocked == [] and errors == []
    p.close()


def test_download_png_and_svg_draw_what_is_on_screen_with_title_legend_and_sources(browser, G, tmp_path):
    import re
    import xml.etree.ElementTree as ET

    from PIL import Image

    from ecograph.data.dataset import cite_in
    from ecograph.words import kind_words, tie_words

    page = Page(browser, write_html(G, tmp_path / "picture.html", title="Who owns whom"))
    p = page.page
    api(page, "setTypes", ["OWNS"])
    p.evaluate("window.ecograph.network.fit({animation: false})")  # everything visible on screen
    owns = [(u, v, d) for u, v, d in G.edges(data=True) if d["type"] == "OWNS"]
    picture = api(page, "picture")
    svg = ET.fromstring(picture["svg"])
    texts = [t.text for t in svg.iter("{http://www.w3.org/2000/svg}text")]
    assert texts[0] == "Who owns whom"
    # The legend: the kinds and the one tie type in the picture, no other.
    kinds = {G.nodes[n]["kind"] for u, v, _ in owns for n in (u, v)}
    legend = {kind_words(k) for k in kinds} | {tie_words("OWNS")}
    other = {kind_words(k) for k in {a["kind"] for _, a in G.nodes(data=True)} - kinds} | {
        tie_words(t) for t in {d["type"] for _, _, d in G.edges(data=True)} - {"OWNS"}}
    assert legend <= set(texts) and not other & set(texts)
    # Each entity drawn with its name; the sources of the ties drawn, by section and title.
    words = " ".join(t for t in texts if t)  # a long name is set on two lines
    for n in {n for u, v, _ in owns for n in (u, v)}:
        assert G.nodes[n]["name_en"] in words
    foot = " ".join(texts[next(i for i, t in enumerate(texts) if t and t.startswith("Sources:")):])
    for _, _, d in owns:
        if d.get("source"):
            assert cite_in(G, d["source"]) in foot
    # The buttons save the SVG, and the PNG at twice the screen's pixels.
    with p.expect_download() as got:
        p.click("#download-svg")
    saved = tmp_path / got.value.suggested_filename
    got.value.save_as(saved)
    assert saved.name == "Who-owns-whom.svg" and saved.read_text(encoding="utf-8") == api(page, "picture")["svg"]
    with p.expect_download() as got:
        p.click("#download-png")
    got.value.save_as(tmp_path / "map.png")
    with Image.open(tmp_path / "map.png") as image:
        assert image.size == (2 * picture["width"], 2 * picture["height"])
        assert len(image.convert("RGB").resize((64, 64)).getcolors(4096)) > 20  # a drawing, not a blank
    assert picture["width"] == round(p.evaluate("document.getElementById('map').getBoundingClientRect().width"))
    assert re.search(r"<text[^>]*>Who owns whom</text>", picture["svg"]) and page.errors == []
    p.close()


def _pixels_near(image, colour, slack=40):
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return sum(count for count, (x, y, z) in image.getcolors(1 << 24)
               if abs(x - r) + abs(y - g) + abs(z - b) <= slack)


@pytest.mark.parametrize("shot, call, colours", [
    ("map-camps.png", "window.ecograph.camps('alibaba', 'sina-weibo')", ("a", "b", "shared", "bridge")),
    ("map-diff.png", "window.ecograph.diff(2012, 2014)", ("new",)),
])
def test_the_marks_are_drawn_and_the_readmes_screenshots_made(browser, G, tmp_path, shot, call, colours):
    """The screenshots in docs/ come from here: ECOGRAPH_SCREENSHOTS=docs python -m pytest -k readmes."""
    import os

    from PIL import Image

    folder = Path(os.environ.get("ECOGRAPH_SCREENSHOTS") or tmp_path)
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    p = context.new_page()
    p.goto(write_html(G, tmp_path / "shot.html", title="China e-commerce alliances (TIER 2015)").resolve().as_uri())
    p.wait_for_function("window.ecograph && window.ecograph.ready")
    p.evaluate(call)
    p.wait_for_timeout(200)
    p.screenshot(path=str(folder / shot))
    palette = p.evaluate("Object.assign({}, EcographCamps.colours, {new: EcographDiff.colour})")
    with Image.open(folder / shot) as image:
        drawn = image.convert("RGB")
        for key in colours:  # each mark's colour is on the map, in rings and ties, not only in the box
            assert _pixels_near(drawn.crop((0, 60, 1000, 1000)), palette[key]) > 300, key
    context.close()
