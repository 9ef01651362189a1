"""Two or more map pages measured turn about (issue #14): ``python benchmarks/compare_pages.py A.html B.html``.

The figures of ``bench_render.py`` (first frame, click → focus, filter change, zoom fps, camp
opening) for each page given, one fresh page of each in turn per round and the median of
``--runs`` rounds: on a machine shared with other work, the load changes by the minute, and
pages measured in turn see the same load. Use it for a before/after of the page's script on
the same data (render the same folder with each version).

    python benchmarks/compare_pages.py /tmp/main-10000.html /tmp/branch-10000.html --runs 3
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.bench_render import measure_page  # noqa: E402

KEYS = ("first_frame_s", "click_ms", "filter_ms", "zoom_fps", "expand_ms", "expand_all_ms", "shown", "errors")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pages", type=Path, nargs="+")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=180.0)
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    from benchmarks.compare import launch_chromium

    runs: dict[Path, list[dict]] = {page: [] for page in args.pages}
    with sync_playwright() as p:
        browser = launch_chromium(p)
        for _ in range(args.runs):
            for page in args.pages:
                runs[page].append(measure_page(browser, page, args.timeout))
                print(page.name, json.dumps(runs[page][-1]), file=sys.stderr, flush=True)
        browser.close()
    print("| page | " + " | ".join(KEYS) + " |")
    print("|---" * (len(KEYS) + 1) + "|")
    for page, measured in runs.items():
        cells = []
        for key in KEYS:
            values = [r[key] for r in measured if r.get(key) is not None]
            cells.append("—" if not values else f"{statistics.median(values):.2f}" if key == "first_frame_s"
                         else f"{statistics.median(values):.0f}")
        print(f"| {page.name} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
