"""Where the map page's time goes (issue #14): ``python benchmarks/profile_map.py PAGE.html``.

Opens an ecograph page in headless Chromium (as ``bench_render.py`` does: Debian's, 1600×1000,
offline) with the DevTools CPU profiler running, and prints, for each step a reader takes
(opening, a click on the most connected entity in view, unticking the commonest kind, a
scripted zoom, opening the biggest camp), the wall time and the functions that took it: self
time (the function's own code) and total time (with what it called), from the profiler's
samples. The page's own ``window.ecograph.timings`` (when each step of opening ended) is
printed too.

    python benchmarks/profile_map.py /tmp/map-10000.html --top 15
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.bench_render import BIGGEST_CAMP, HUB, TOP_KIND, TWO_FRAMES, VIEWPORT, ZOOM  # noqa: E402


def summarize(profile: dict[str, Any], top: int) -> list[str]:
    """The ``top`` functions by self and by total time (ms) of a CDP ``Profiler.Profile``."""
    nodes = {n["id"]: n for n in profile["nodes"]}
    parent = {c: n["id"] for n in profile["nodes"] for c in n.get("children", [])}
    deltas = profile.get("timeDeltas", [])
    self_ms: dict[int, float] = collections.Counter()
    for sample, delta in zip(profile.get("samples", []), deltas[1:] + [0]):
        self_ms[sample] += delta / 1000

    def name(node_id: int) -> str:
        f = nodes[node_id]["callFrame"]
        where = f["url"].rsplit("/", 1)[-1][:20]
        return f"{f['functionName'] or '(anonymous)'} {where}:{f['lineNumber'] + 1}:{f['columnNumber'] + 1}"

    by_self: dict[str, float] = collections.Counter()
    by_total: dict[str, float] = collections.Counter()
    for node_id, ms in self_ms.items():
        by_self[name(node_id)] += ms
        seen = set()
        at: int | None = node_id
        while at is not None:  # every frame on the stack gets the sample once (recursion too)
            label = name(at)
            if label not in seen:
                seen.add(label)
                by_total[label] += ms
            at = parent.get(at)
    lines = [f"  sampled {sum(self_ms.values()):.0f} ms"]
    lines += [f"  self  {ms:8.1f} ms  {label}" for label, ms in by_self.most_common(top)]
    lines += [f"  total {ms:8.1f} ms  {label}" for label, ms in by_total.most_common(top)
              if not label.startswith(("(root)", "(program)"))]
    return lines


class Profiled:
    """A CDP session on ``page`` whose profiler records one step at a time."""

    def __init__(self, page: Any) -> None:
        self.cdp = page.context.new_cdp_session(page)
        self.cdp.send("Profiler.enable")
        self.cdp.send("Profiler.setSamplingInterval", {"interval": 200})

    def step(self, title: str, action: Any, top: int) -> Any:
        self.cdp.send("Profiler.start")
        t = time.perf_counter()
        result = action()
        wall = (time.perf_counter() - t) * 1000
        profile = self.cdp.send("Profiler.stop")["profile"]
        print(f"{title}: {wall:.0f} ms wall")
        print("\n".join(summarize(profile, top)))
        return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("page", type=Path)
    parser.add_argument("--top", type=int, default=12)
    parser.add_argument("--timeout", type=float, default=180.0)
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    from benchmarks.compare import launch_chromium

    with sync_playwright() as p:
        browser = launch_chromium(p)
        page = browser.new_page(viewport=VIEWPORT)
        page.route(lambda url: not url.startswith("file:"), lambda route: route.abort())
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        run = Profiled(page)

        def open_page() -> None:
            page.goto(args.page.resolve().as_uri())
            page.wait_for_function("window.ecograph && window.ecograph.drawnAt() !== null", timeout=args.timeout * 1000)
            page.evaluate(TWO_FRAMES)

        run.step("open", open_page, args.top)
        timings = page.evaluate("window.ecograph.timings")
        print("timings (ms from navigation):", json.dumps({k: round(v) for k, v in timings.items()}))
        print("drawn at", round(page.evaluate("window.ecograph.drawnAt()")), "ms; shown",
              page.evaluate("window.ecograph.visible().nodes.length"))
        hub = page.evaluate(HUB)
        if hub:
            def click() -> None:
                page.mouse.click(hub["x"], hub["y"])
                page.evaluate(TWO_FRAMES)
            run.step(f"click {hub['id']}", click, args.top)
            page.evaluate("window.ecograph.focus(null)")
            page.evaluate(TWO_FRAMES)
        kind = page.evaluate(TOP_KIND)
        box = page.locator(f'input[data-kinds="{kind}"]')

        def untick() -> None:
            box.click()
            page.evaluate(TWO_FRAMES)
        run.step(f"filter {kind}", untick, args.top)
        box.click()
        page.evaluate(TWO_FRAMES)
        fps = run.step("zoom", lambda: page.evaluate(ZOOM), args.top)
        print(f"  zoom {fps:.1f} fps")
        if page.evaluate("!!(window.ecograph.groups && window.ecograph.groups().length)"):
            page.evaluate("window.ecograph.reset()")
            page.evaluate(TWO_FRAMES)
            camp = page.evaluate(BIGGEST_CAMP)
            members = page.evaluate("(c) => window.ecograph.groups().find(g => g.camp === c).members", camp)

            def expand() -> None:
                page.evaluate("(camp) => window.ecograph.expand(camp)", camp)
                page.evaluate(TWO_FRAMES)
            run.step(f"expand camp {camp} ({members} members)", expand, args.top)
        print("errors:", errors)
        browser.close()


if __name__ == "__main__":
    main()
