"""The map in a real browser: Debian's Chromium, headless, driven by Playwright.

`.ci/run` installs Chromium and sets ECOGRAPH_BROWSER_TESTS=required, so in CI these tests run
or fail; elsewhere they are skipped, with the reason, when Chromium or Playwright is missing.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import networkx as nx
import pytest

import ecograph
from ecograph.render import write_html

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"]

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - the test extra installs it
    sync_playwright = None

_missing = None
if sync_playwright is None:
    _missing = "playwright is not installed (pip install '.[test]')"
elif not Path(CHROMIUM).exists():
    _missing = "Chromium is not installed (apt-get install chromium; .ci/run does)"
if _missing:
    if os.environ.get("ECOGRAPH_BROWSER_TESTS") == "required":
        raise RuntimeError(f"browser tests are required here but {_missing}")
    pytest.skip(_missing, allow_module_level=True)


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


class Page:
    """A page opened from file:// with every other request blocked and recorded."""

    def __init__(self, browser, path: Path):
        self.page = browser.new_page()
        self.errors: list[str] = []
        self.blocked: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.route(lambda url: not url.startswith("file:"), self._block)
        self.page.goto(path.resolve().as_uri())
        self.page.wait_for_function("window.ecograph && window.ecograph.ready")

    def _block(self, route):
        self.blocked.append(route.request.url)
        route.abort()

    def visible(self):
        v = self.page.evaluate("window.ecograph.visible()")
        return sorted(v["nodes"]), sorted(v["edges"])

    def set_years(self, since, until):
        self.page.evaluate(
            """([a, b]) => { for (const [id, v] of [["since", a], ["until", b]]) {
                 const el = document.getElementById(id); el.value = v; el.dispatchEvent(new Event("input")); } }""",
            [since, until],
        )


@pytest.fixture(scope="module")
def G():
    return ecograph.load()


@pytest.fixture(scope="module")
def seed_page(browser, G, tmp_path_factory):
    path = write_html(G, tmp_path_factory.mktemp("map") / "ecosystem.html")
    page = Page(browser, path)
    yield page
    page.page.close()


def edge_ids(G, keep):
    return sorted(i for i, (u, v, d) in enumerate(G.edges(data=True)) if keep(u, v, d))


def test_opens_offline_with_no_request_and_no_error(seed_page, G):
    assert seed_page.blocked == []
    assert seed_page.errors == []
    nodes, edges = seed_page.visible()
    assert nodes == sorted(G.nodes) and len(edges) == G.number_of_edges()


@pytest.mark.parametrize("text", ["騰訊", "tencent", "腾讯", "Tencent Holdings"])
def test_search_focuses_the_entity(seed_page, text):
    seed_page.page.click("#reset")
    seed_page.page.fill("#search", text)
    seed_page.page.press("#search", "Enter")
    assert seed_page.page.evaluate("window.ecograph.network.getSelectedNodes()") == ["tencent"]
    assert seed_page.page.inner_text("#status") == "Tencent / 騰訊"


def test_a_kind_filter_hides_exactly_that_kind(seed_page, G):
    seed_page.page.click("#reset")
    seed_page.page.uncheck("input[data-kinds='Company']")
    nodes, edges = seed_page.visible()
    assert nodes == sorted(n for n, k in G.nodes(data="kind") if k != "Company")
    kinds = dict(G.nodes(data="kind"))
    assert edges == edge_ids(G, lambda u, v, d: "Company" not in (kinds[u], kinds[v]))


def test_a_relationship_filter_hides_exactly_that_type(seed_page, G):
    seed_page.page.click("#reset")
    seed_page.page.uncheck("input[data-types='USES_ENTRY_MODE']")
    _, edges = seed_page.visible()
    assert edges == edge_ids(G, lambda u, v, d: d["type"] != "USES_ENTRY_MODE")


def test_the_year_slider_hides_dated_ties_outside_the_range(seed_page, G):
    seed_page.page.click("#reset")
    seed_page.set_years(2014, 2014)
    _, edges = seed_page.visible()
    assert edges == edge_ids(G, lambda u, v, d: d.get("year") in (None, 2014))
    seed_page.page.click("#reset")
    assert len(seed_page.visible()[1]) == G.number_of_edges()


def test_clicking_a_node_fades_all_but_its_neighbourhood(seed_page, G):
    seed_page.page.click("#reset")
    seed_page.page.evaluate("""() => { const n = window.ecograph.network;
        n.selectNodes(["singapore-post"]); n.body.emitter.emit("click", {nodes: ["singapore-post"], edges: []}); }""")
    # What vis-network draws with: each node's effective options (defaults merged with its own).
    faded = seed_page.page.evaluate("""() => { const body = window.ecograph.network.body;
        return Object.keys(body.nodes).filter(id => body.nodes[id].options.opacity < 1).sort(); }""")
    near = set(nx.all_neighbors(G, "singapore-post")) | {"singapore-post"}
    assert faded == sorted(set(G) - near)
    seed_page.page.evaluate("""() => window.ecograph.network.body.emitter.emit("click", {nodes: [], edges: []})""")
    assert seed_page.page.evaluate("""() => { const body = window.ecograph.network.body;
        return Object.keys(body.nodes).filter(id => body.nodes[id].options.opacity < 1).length; }""") == 0


def test_a_hostile_name_shows_as_text_and_runs_nothing(browser, tmp_path):
    hostile = '<img src=x onerror=alert(1)><script>alert(2)</script>'
    g = nx.MultiDiGraph()
    g.add_node("x", kind="Company", name_en=hostile, name_zh="惡意", aliases=[], description=hostile)
    g.add_node("y", kind="Platform", name_en="Y", name_zh="乙", aliases=[])
    g.add_edge("x", "y", type="OWNS", description=hostile, source="s")
    page = Page(browser, write_html(g, tmp_path / "hostile.html", title=hostile))
    p = page.page
    x, y = p.evaluate("""() => { const n = window.ecograph.network; const pos = n.getPositions(["x"]).x;
        const d = n.canvasToDOM(pos); const r = document.getElementById("map").getBoundingClientRect();
        return [d.x + r.left, d.y + r.top]; }""")
    p.mouse.move(x, y)
    p.wait_for_selector("div.vis-tooltip", state="visible")
    assert hostile in p.inner_text("div.vis-tooltip")
    assert p.evaluate("document.querySelectorAll('img').length") == 0
    assert page.dialogs == [] and page.blocked == [] and page.errors == []
    assert p.title() == hostile
    page.page.close()
