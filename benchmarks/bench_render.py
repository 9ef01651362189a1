"""Browser benchmark for the HTML map (issue #4): ``python benchmarks/bench_render.py``.

For random power-law graphs of 2,000 and 10,000 entities (#7's generator will replace them),
prints the time to compute the layout and write the page, the page size, and in headless
Chromium (Debian's, software rendering) the time from navigation to the first drawn frame
(physics is off, so the map is still from then on) and the round trip of a click on the map
afterwards (responsiveness).
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

KINDS = ["Company", "Platform", "PaymentService", "City", "Policy"]
TYPES = {("Company", "Company"): "INVESTED_IN", ("Company", "Platform"): "OWNS"}


def graph(n: int, seed: int = 1) -> nx.MultiDiGraph:
    rnd = random.Random(seed)
    base = nx.barabasi_albert_graph(n, 2, seed=seed)
    G = nx.MultiDiGraph()
    for i in base:
        G.add_node(f"n{i}", kind=rnd.choice(KINDS[:2]), name_en=f"Entity {i}", name_zh=f"實體{i}", aliases=[])
    for u, v in base.edges():
        ku, kv = G.nodes[f"n{u}"]["kind"], G.nodes[f"n{v}"]["kind"]
        rel = TYPES.get((ku, kv), "PARTNERS_WITH")
        G.add_edge(f"n{u}", f"n{v}", type=rel, year=2005 + rnd.randrange(11), description="synthetic", source="synthetic")
    G.graph["observations"] = []
    return G


def main() -> None:
    from playwright.sync_api import sync_playwright

    from benchmarks.compare import launch_chromium, map_first_frame
    from ecograph.view.map import write_html

    work = Path(tempfile.mkdtemp(prefix="ecograph-bench-render-"))
    print(f"{'nodes':>6} {'edges':>6} {'write':>8} {'size':>9} {'first frame':>12} {'click':>8}")
    with sync_playwright() as p:
        browser = launch_chromium(p)
        for n in (2_000, 10_000):
            G = graph(n)
            t = time.perf_counter()
            path = write_html(G, work / f"map-{n}.html")
            write_s = time.perf_counter() - t
            frames, clicks = [], []
            for _ in range(3):
                page = browser.new_page(viewport={"width": 1280, "height": 800})
                frames.append(map_first_frame(page, path))
                t = time.perf_counter()
                page.mouse.click(400, 400)
                page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
                clicks.append(time.perf_counter() - t)
                page.close()
            size = path.stat().st_size / 1e6
            print(f"{n:>6} {G.number_of_edges():>6} {write_s:>7.2f}s {size:>7.1f}MB "
                  f"{statistics.median(frames):>11.2f}s {statistics.median(clicks) * 1000:>6.0f}ms")
        browser.close()


if __name__ == "__main__":
    main()
