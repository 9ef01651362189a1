"""The naive baselines of ``python -m benchmarks.suite --compare``, run in the same process as
ecograph's own path on the same graph, each giving a row with a ratio (baseline / ecograph):

- **store build**: one parameterised Cypher ``CREATE`` per entity and per tie into a fresh
  LadybugDB database with the store's own tables, against ``build_store``'s bulk COPY from Arrow.
  Row by row takes about a millisecond a row, so the first :data:`NAIVE_ROWS` entities and ties
  (a proportional share of each table) are timed and the time is extrapolated linearly;
- **the map in headless Chromium**: a page written by pyvis with its defaults (physics on) until
  vis-network's ``stabilized`` event, against ecograph's page (positions shipped, physics off)
  until its first drawn frame; both from navigation, on the biggest hub's neighbourhood of
  :data:`BROWSER_SMALL` and of at most :data:`BROWSER_MAX` entities. A pyvis page still moving
  after ``stable_timeout`` seconds gives a lower bound. Without Playwright or Chromium the rows
  say so and carry no times;
- **analytics**: networkx's betweenness (the same 256 seeded sources past 5,000 entities),
  PageRank, eigenvector centrality and Louvain on the same undirected simple graph, against
  ``rank`` and ``communities``. A networkx run past ``budget`` seconds is stopped, and one that
  does not converge gives up: both give lower bounds. Betweenness is timed on a few sources first and extrapolated when the full run would
  not fit.

Each row: ``baseline``, ``ecograph``, ``size`` (entities compared), ``baseline_seconds``,
``ecograph_seconds``, ``ratio``, ``lower_bound`` (the baseline did not finish: the ratio is at
least this) and ``note``.
"""

from __future__ import annotations

import math
import signal
import statistics
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from benchmarks.timing import median_time

if TYPE_CHECKING:
    import networkx as nx

    from ecograph.data.graphdata import Dataset

__all__ = [
    "CHROMIUM",
    "CHROMIUM_ARGS",
    "baseline_row",
    "capped",
    "compare_browser",
    "compare_size",
    "launch_chromium",
    "map_first_frame",
    "markdown_table",
    "neighbourhood",
    "row_shares",
    "pyvis_stable",
    "write_pyvis",
]

NAIVE_ROWS = 2_000  # entities and ties inserted one by one (each), before extrapolating
BROWSER_SMALL = 200  # the anchor: default pyvis took 27.4 s to settle at 200 entities
BROWSER_MAX = 2_000  # larger pyvis pages never settle: the browser rows stop here
STABLE_TIMEOUT = 60.0
NX_BUDGET = 120.0
BETWEENNESS_PILOT = 32  # sources timed first, to decide whether the full networkx run fits
ECOGRAPH_REPEAT = 3  # ecograph's side is quick and noisy: the median of this many runs

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run"]


def baseline_row(baseline: str, ecograph: str, size: int, baseline_s: float | None, ecograph_s: float | None,
         note: str = "", *, lower_bound: bool = False) -> dict[str, Any]:
    ratio = None
    if baseline_s is not None and ecograph_s is not None:
        baseline_s, ecograph_s = round(baseline_s, 6), max(round(ecograph_s, 6), 1e-6)
        ratio = round(baseline_s / ecograph_s, 2)
    return {"baseline": baseline, "ecograph": ecograph, "size": size, "baseline_seconds": baseline_s,
            "ecograph_seconds": ecograph_s, "ratio": ratio, "lower_bound": lower_bound, "note": note}


def compare_size(G: nx.MultiDiGraph, work: Path, *, data: Dataset | None = None,
                 stable_timeout: float = STABLE_TIMEOUT, budget: float = NX_BUDGET,
                 chromium: str = CHROMIUM) -> list[dict[str, Any]]:
    """Every baseline against ecograph on ``G`` (files go under ``work``); returns the rows.
    ``data``, the checked data set ``G`` was built from, is what ecograph's store build copies
    (as ``open_store`` does); without it the store is built from ``G``."""
    work = Path(work)
    work.mkdir(parents=True, exist_ok=True)
    rows = _compare_analytics(G, budget)  # first: the others start threads, and this sets alarms
    rows.append(_compare_store(G, work, G if data is None else data))
    rows += compare_browser(G, work, stable_timeout, chromium)
    return rows


# --- store: row-by-row CREATE against COPY -------------------------------------------------------


def _compare_store(G: nx.MultiDiGraph, work: Path, source: nx.MultiDiGraph | Dataset) -> dict[str, Any]:
    import shutil

    import ladybug as lb

    from ecograph.query import rows
    from ecograph.data import schema
    from ecograph.query.store import build_store, quote_name, table_ddl

    n, m = G.number_of_nodes(), G.number_of_edges()
    store = work / "compare-store"
    shutil.rmtree(store, ignore_errors=True)
    copy_s = median_time(lambda: build_store(source, store, "compare"), 1)
    shutil.rmtree(store, ignore_errors=True)

    node_names = [p.name for p in schema.NODE_PROPERTIES]
    rel_names = [p.name for p in schema.RELATIONSHIP_PROPERTIES]

    def create_node(kind: str) -> str:
        return f"CREATE (:{quote_name(kind)} {{{', '.join(f'{quote_name(p)}: ${p}' for p in node_names)}}})"

    def create_rel(rel_type: str, source: str, target: str) -> str:
        props = ", ".join(f"{quote_name(p)}: ${p}" for p in rel_names)
        return (f"MATCH (a:{quote_name(source)} {{`id`: $from}}), (b:{quote_name(target)} {{`id`: $to}}) "
                f"CREATE (a)-[:{quote_name(rel_type)} {{{props}}}]->(b)")

    # A proportional share of each table (the first rows of each), so every table's cost counts.
    entities = rows.entity_columns(G)
    ties = rows.relationship_columns(G)
    node_shares = row_shares({kind: len(cols["id"]) for kind, cols in entities.items()}, NAIVE_ROWS)
    tie_shares = row_shares({group: len(cols["from"]) for group, cols in ties.items()}, NAIVE_ROWS)
    node_sample = [(kind, i) for kind, count in node_shares.items() for i in range(count)]
    tie_sample = [(group, i) for group, count in tie_shares.items() for i in range(count)]
    path = work / "compare-naive"
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir()
    db = lb.Database(str(path / "graph.lbug"))  # LadybugDB's defaults: what a first try uses
    try:
        conn = lb.Connection(db)
        try:
            t = time.perf_counter()
            for statement in table_ddl():
                conn.execute(statement)
            ddl_s = time.perf_counter() - t

            def insert_node(kind: str, i: int) -> None:
                conn.execute(create_node(kind), {p: entities[kind][p][i] for p in node_names})

            t = time.perf_counter()
            for kind, i in node_sample:
                insert_node(kind, i)
            nodes_s = time.perf_counter() - t
            # The ties' ends must exist for MATCH to find them: insert the missing ones, untimed.
            inserted = {entities[kind]["id"][i] for kind, i in node_sample}
            index = {node_id: (kind, i) for kind, cols in entities.items() for i, node_id in enumerate(cols["id"])}
            for group, i in tie_sample:
                for end in (ties[group]["from"][i], ties[group]["to"][i]):
                    if end not in inserted:
                        inserted.add(end)
                        insert_node(*index[end])
            t = time.perf_counter()
            for (rel_type, source, target), i in tie_sample:
                cols = ties[(rel_type, source, target)]
                conn.execute(create_rel(rel_type, source, target),
                             {p: cols[p][i] for p in ("from", "to", *rel_names)})
            ties_s = time.perf_counter() - t
        finally:
            conn.close()
    finally:
        db.close()
        shutil.rmtree(path, ignore_errors=True)
    naive_s = ddl_s + _per(nodes_s, len(node_sample)) * n + _per(ties_s, len(tie_sample)) * m
    if len(node_sample) == n and len(tie_sample) == m:
        note = f"all {n:,} entities and {m:,} ties inserted one by one"
    else:
        per_node, per_tie = _per(nodes_s, len(node_sample)) * 1000, _per(ties_s, len(tie_sample)) * 1000
        note = (f"extrapolated from {len(node_sample):,} entities and {len(tie_sample):,} ties "
                f"({per_node:.2f} and {per_tie:.2f} ms a row)")
    observations = len(G.graph.get("observations", ()))
    if observations:
        note += f"; the {observations:,} observations not inserted"
    return baseline_row("row-by-row Cypher CREATE (LadybugDB)", "store build: bulk COPY from Arrow", n, naive_s, copy_s, note)


def row_shares(sizes: dict[Any, int], limit: int) -> dict[Any, int]:
    """How many rows of each table to take: all if they total ``limit`` or fewer, else ``limit``
    shared in proportion to the tables' sizes (largest remainders round up)."""
    whole = sum(sizes.values())
    if whole <= limit:
        return dict(sizes)
    exact = {key: size * limit / whole for key, size in sizes.items()}
    shares = {key: math.floor(x) for key, x in exact.items()}
    for key in sorted(exact, key=lambda k: shares[k] - exact[k])[: limit - sum(shares.values())]:
        shares[key] += 1
    return shares


def _per(seconds: float, count: int) -> float:
    return seconds / count if count else 0.0


# --- analytics: networkx against igraph ----------------------------------------------------------


class _OverBudgetError(Exception):
    """A networkx baseline ran past its budget."""


def capped(fn: Callable[[], Any], budget: float) -> tuple[float, bool]:
    """The wall time of ``fn`` and whether it finished within ``budget`` seconds.

    networkx is pure Python, so an alarm stops it between two bytecodes. Outside the main thread
    (or without SIGALRM) ``fn`` runs to the end.
    """
    if not hasattr(signal, "SIGALRM") or threading.current_thread() is not threading.main_thread():
        return median_time(fn, 1), True

    def stop(signum: int, frame: Any) -> None:
        raise _OverBudgetError

    previous = signal.signal(signal.SIGALRM, stop)
    t = time.perf_counter()
    try:
        signal.setitimer(signal.ITIMER_REAL, budget)
        try:
            fn()
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        return time.perf_counter() - t, True
    except _OverBudgetError:
        return time.perf_counter() - t, False
    finally:
        signal.signal(signal.SIGALRM, previous)


def _undirected(G: nx.MultiDiGraph) -> nx.Graph:
    """The graph ecograph's analytics read: undirected, simple, no self-ties, in G's node order."""
    import networkx as nx

    H = nx.Graph()
    H.add_nodes_from(G)
    H.add_edges_from((u, v) for u, v in G.edges() if u != v)
    return H


def _nx_pagerank() -> tuple[Callable[[nx.Graph], Any], str]:
    import networkx as nx

    try:
        import scipy  # noqa: F401  (networkx's pagerank needs it)
    except ImportError:
        from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python

        return _pagerank_python, "networkx's pure-Python PageRank (scipy is not installed)"
    return nx.pagerank, ""


def _compare_analytics(G: nx.MultiDiGraph, budget: float) -> list[dict[str, Any]]:
    import networkx as nx

    from ecograph.analysis import BETWEENNESS_SAMPLE, betweenness_is_sampled, communities, rank

    pagerank, pagerank_note = _nx_pagerank()
    # (networkx's function on the undirected simple graph, ecograph's on G, their names, a note)
    pairs: list[tuple[Callable[[nx.Graph], Any], Callable[[nx.MultiDiGraph], Any], str, str, str]] = [
        (pagerank, lambda g: rank(g, "pagerank"), "networkx pagerank", "rank --by pagerank (igraph)", pagerank_note),
        (lambda H: nx.eigenvector_centrality(H, max_iter=10_000), lambda g: rank(g, "eigenvector"),
         "networkx eigenvector_centrality", "rank --by eigenvector (igraph)", ""),
        (lambda H: nx.community.louvain_communities(H, seed=42), communities,
         "networkx louvain_communities", "communities (igraph multilevel)", ""),
    ]
    warm = G.subgraph(list(G)[:50])  # the first calls pay for imports and caches: none is timed
    for baseline, ours, *_ in pairs:
        baseline(_undirected(warm))
        ours(warm)
    rank(warm, "betweenness")

    n = G.number_of_nodes()
    ecograph_s = median_time(lambda: rank(G, "betweenness"), ECOGRAPH_REPEAT)
    nx_s, note, finished = _nx_betweenness(G, BETWEENNESS_SAMPLE if betweenness_is_sampled(G) else n, budget)
    rows = [baseline_row("networkx betweenness_centrality", "rank --by betweenness (igraph)", n, nx_s, ecograph_s, note,
                 lower_bound=not finished)]
    for baseline, ours, baseline_label, ours_label, note in pairs:
        ecograph_s = median_time(lambda ours=ours: ours(G), ECOGRAPH_REPEAT)
        failed: list[str] = []

        def run(baseline=baseline, failed=failed) -> None:  # bound now: called before the loop moves on
            try:
                baseline(_undirected(G))
            except nx.PowerIterationFailedConvergence as e:  # time spent, no answer: a lower bound
                failed.append(f"did not converge ({e})")

        nx_s, finished = capped(run, budget)
        if not finished:
            failed.append(f"stopped after {budget:.0f} s")
        rows.append(baseline_row(baseline_label, ours_label, n, nx_s, ecograph_s, "; ".join(filter(None, [note, *failed])),
                         lower_bound=bool(failed)))
    return rows


def _nx_betweenness(G: nx.MultiDiGraph, sources: int, budget: float) -> tuple[float, str, bool]:
    """networkx's betweenness from ``sources`` sources (all of them: exact), or its time
    extrapolated from :data:`BETWEENNESS_PILOT` sources when the full run would not fit ``budget``:
    Brandes' algorithm costs the same for each source. Returns (seconds, note, finished)."""
    import networkx as nx

    exact = sources >= G.number_of_nodes()
    kind = "exact" if exact else f"{sources} sampled sources, seed 42"
    t = time.perf_counter()
    H = _undirected(G)
    project_s = time.perf_counter() - t
    pilot = min(BETWEENNESS_PILOT, sources)
    pilot_s = median_time(lambda: nx.betweenness_centrality(H, k=pilot, seed=42), 1)
    projected = project_s + pilot_s * sources / pilot
    if pilot == sources:
        return project_s + pilot_s, kind, True
    if projected > budget:
        return projected, f"{kind}; extrapolated from {pilot} sources (the full run would pass {budget:.0f} s)", True
    seconds, finished = capped(lambda: nx.betweenness_centrality(_undirected(G), k=None if exact else sources,
                                                                  seed=42), budget)
    return seconds, kind if finished else f"{kind}; stopped after {budget:.0f} s", finished


# --- the map in a browser: default pyvis against ecograph's page --------------------------------


def launch_chromium(playwright: Any, executable: str = CHROMIUM) -> Any:
    """Headless Chromium (Debian's, software rendering) from a started Playwright."""
    return playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)


def map_first_frame(page: Any, path: Path, timeout: float = 120.0) -> float:
    """Open ecograph's page at ``path`` in ``page``; seconds from navigation to the first drawn
    frame (the page's physics is off, so the map is still from then on)."""
    page.goto(Path(path).resolve().as_uri())
    page.wait_for_function("window.ecograph && window.ecograph.drawnAt() !== null", timeout=timeout * 1000)
    return page.evaluate("window.ecograph.drawnAt()") / 1000


# pyvis assigns its vis.Network to the global `network` in an inline script; a setter hooks the
# events as the network is made, before its first stabilization batch runs (a later timer).
_PYVIS_HOOK = """
(() => {
  const marks = window.__ecographBench = {stabilized: null, iterationsDone: null};
  let network;
  Object.defineProperty(window, "network", {configurable: true, get() { return network; }, set(value) {
    network = value;
    value.once("stabilizationIterationsDone", () => { marks.iterationsDone = performance.now(); });
    value.once("stabilized", () => { marks.stabilized = performance.now(); });
  }});
})();
"""


def pyvis_stable(page: Any, path: Path, timeout: float) -> tuple[float | None, float | None]:
    """Open the pyvis page at ``path``; seconds from navigation to vis-network's ``stabilized``
    event (None if it did not come within ``timeout``) and to the end of the hidden
    stabilization iterations (None if they did not end either)."""
    page.add_init_script(_PYVIS_HOOK)
    page.goto(Path(path).resolve().as_uri(), wait_until="commit")
    page.wait_for_function(f"window.__ecographBench.stabilized !== null || performance.now() > {timeout * 1000}",
                           polling=100, timeout=(timeout + 60) * 1000)
    marks = page.evaluate("window.__ecographBench")
    stable, done = (marks[k] / 1000 if marks[k] is not None and marks[k] <= timeout * 1000 else None
                    for k in ("stabilized", "iterationsDone"))
    return stable, done


def neighbourhood(G: nx.MultiDiGraph, size: int) -> nx.MultiDiGraph:
    """The biggest hub (most ties, then smallest id) and the entities nearest it, breadth first
    with neighbours in id order, up to ``size`` entities, with every tie among them: the kind of
    map a user renders, and the same one every run."""
    if size >= G.number_of_nodes():
        return G.copy()
    hub = min(G, key=lambda v: (-G.degree(v), v))
    order, seen = [hub], {hub}
    for node in order:
        if len(order) >= size:
            break
        for other in sorted(set(G.successors(node)) | set(G.predecessors(node))):
            if other not in seen and len(order) < size:
                seen.add(other)
                order.append(other)
    # A graph of many components can leave the hub's short of size: top up in id order.
    order += sorted(set(G) - seen)[: size - len(order)]
    return G.subgraph(order).copy()


def write_pyvis(G: nx.MultiDiGraph, path: Path) -> None:
    from pyvis.network import Network

    net = Network(cdn_resources="in_line")  # every other default kept: physics on
    for node, name in G.nodes(data="name_en"):
        net.add_node(node, label=name or node)
    for u, v in G.edges():
        net.add_edge(u, v)
    net.write_html(str(path))


def compare_browser(G: nx.MultiDiGraph, work: Path, timeout: float, chromium: str) -> list[dict[str, Any]]:
    from ecograph.view.map import write_html

    baseline, ours = "pyvis defaults (physics on): to stabilized", "ecograph page: to first frame"
    sizes = sorted({min(BROWSER_SMALL, G.number_of_nodes()), min(BROWSER_MAX, G.number_of_nodes())})
    if not Path(chromium).exists():
        return [baseline_row(baseline, ours, s, None, None, f"skipped: no Chromium at {chromium}") for s in sizes]
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return [baseline_row(baseline, ours, s, None, None, "skipped: playwright is not installed") for s in sizes]
    rows = []
    try:
        with sync_playwright() as p:
            browser = launch_chromium(p, chromium)
            try:
                for size in sizes:
                    rows.append(_browser_row(browser, G, size, work, timeout, write_html, baseline, ours))
            finally:
                browser.close()
    except Exception as e:  # a broken browser skips these rows, never the rest of the suite
        done = {r["size"] for r in rows}
        rows += [baseline_row(baseline, ours, s, None, None, f"skipped: the browser failed: {str(e).splitlines()[0]}")
                 for s in sizes if s not in done]
    return rows


def _browser_row(browser: Any, G: nx.MultiDiGraph, size: int, work: Path, timeout: float,
                 write_html: Callable[..., Any], baseline: str, ours: str) -> dict[str, Any]:
    sub = neighbourhood(G, size)
    pyvis_path, our_path = work / f"pyvis-{size}.html", work / f"ecograph-{size}.html"
    write_pyvis(sub, pyvis_path)
    write_html(sub, our_path)

    def fresh_page() -> Any:
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        # pyvis links Bootstrap from a CDN even with in_line resources: offline, as here, fail fast.
        page.route(lambda url: not url.startswith("file:"), lambda route: route.abort())
        return page

    def first_frame() -> float:
        page = fresh_page()
        try:
            return map_first_frame(page, our_path)
        finally:
            page.close()

    first_frame()  # the browser's first page pays for its caches
    ours_s = statistics.median(first_frame() for _ in range(ECOGRAPH_REPEAT))
    page = fresh_page()
    try:
        stable, iterations_done = pyvis_stable(page, pyvis_path, timeout)
    finally:
        page.close()
    where = ("the whole graph" if size == G.number_of_nodes()
             else f"the biggest hub's neighbourhood in {G.number_of_nodes():,}")
    note = f"{where}: {size:,} entities, {sub.number_of_edges():,} ties"
    if stable is None:
        hidden = (f"its hidden stabilization iterations ended at {iterations_done:.1f} s" if iterations_done is not None
                  else "its hidden stabilization iterations had not ended")
        return baseline_row(baseline, ours, size, timeout, ours_s,
                    f"{note}; did not stabilise within {timeout:g} s ({hidden})", lower_bound=True)
    return baseline_row(baseline, ours, size, stable, ours_s, note)


# --- output --------------------------------------------------------------------------------------


def _time(seconds: float | None, lower_bound: bool = False) -> str:
    if seconds is None:
        return "—"
    text = f"{seconds:.3f} s" if seconds >= 0.1 else f"{seconds * 1000:.2f} ms"  # igraph: often < 1 ms
    return f"> {text}" if lower_bound else text


def _ratio(row: dict[str, Any]) -> str:
    r = row["ratio"]
    if r is None:
        return "—"
    text = f"{r:,.0f}×" if r >= 100 else f"{r:.1f}×" if r >= 1 else f"{r:.2f}×"
    return f"≥ {text}" if row["lower_bound"] else text


def markdown_table(rows: list[dict[str, Any]]) -> str:
    """The baselines as a Markdown table, under a ``## Baselines`` heading."""
    lines = ["## Baselines", "", "| baseline | ecograph | size | baseline time | ecograph time | ratio | note |",
             "|---|---|---|---|---|---|---|"]
    for r in rows:
        times = f"{_time(r['baseline_seconds'], r['lower_bound'])} | {_time(r['ecograph_seconds'])}"
        lines.append(f"| {r['baseline']} | {r['ecograph']} | {r['size']} | {times} | {_ratio(r)} | {r['note']} |")
    return "\n".join(lines) + "\n"
