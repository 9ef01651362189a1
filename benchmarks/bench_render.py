"""Browser benchmark for the HTML map (issues #4, #14): ``python benchmarks/bench_render.py``.

For ``ecograph synth`` data of 2,000, 10,000 and 100,000 entities with ten ties each, it runs
the whole ``ecograph render --no-shipped-data --data DIR`` process (wall time and peak memory
from the operating system), then opens the page in headless Chromium (Debian's, 1600×1000,
software rendering, offline) and measures, as the median of ``--runs`` fresh pages:

- **first frame**: navigation to vis-network's first drawn frame;
- **click → focus**: a real mouse click on the most connected entity in view until the page
  has drawn two frames after it;
- **filter change**: unticking the most common entity kind in the legend until two frames;
- **zoom fps**: frames per second from ``requestAnimationFrame`` timestamps during a scripted
  zoom (20 mouse-wheel steps, one a frame, in then out);
- **expand** (grouped maps): clicking the biggest camp until two frames after its members show.

Where pyvis's default page can finish (``--pyvis-max`` entities), the same graph written by
pyvis with its defaults is timed to vis-network's ``stabilized`` event, as the baseline.

    python benchmarks/bench_render.py                   # 2k, 10k, 100k; the table on stdout
    python benchmarks/bench_render.py --sizes 2000 --runs 1 --out table.md
    python benchmarks/bench_render.py --sizes 100000 --render-only --render-runs 3   # #14: <= 60 s, <= 2 GB, <= 60 MB

``--render-only`` leaves the browser out and times ``--render-runs`` whole render processes
(median wall and CPU seconds, the highest peak): on a shared machine the CPU seconds (user +
system, from the operating system) say more than the wall clock, which other work stretches.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

VIEWPORT = {"width": 1600, "height": 1000}
TWO_FRAMES = "new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"

# The most connected entity inside the view, in page pixels (the click target).
HUB = """() => { const n = window.ecograph.network, box = document.getElementById("map").getBoundingClientRect();
  let best = null, degree = -1;
  for (const id of n.body.nodeIndices) {
    const node = n.body.nodes[id];
    if (node.options.hidden) continue;
    const c = n.canvasToDOM(n.getPosition(id));
    if (c.x < 20 || c.y < 20 || c.x > box.width - 20 || c.y > box.height - 20) continue;
    if (node.edges.length > degree) { degree = node.edges.length; best = {x: c.x + box.left, y: c.y + box.top, id}; }
  }
  return best; }"""

# The legend checkbox of the kind with the most entities.
TOP_KIND = """() => { const count = {};
  for (const n of window.ecograph.data.nodes) count[n.kind] = (count[n.kind] || 0) + 1;
  let top = null; for (const k in count) if (top === null || count[k] > count[top]) top = k;
  return top; }"""

# requestAnimationFrame timestamps while the wheel turns, one step a frame, in then out.
ZOOM = """async () => { const box = document.getElementById("map").getBoundingClientRect();
  const canvas = document.querySelector("#map canvas"), stamps = [];
  const x = box.left + box.width / 2, y = box.top + box.height / 2;
  for (let i = 0; i < 20; i++) {
    canvas.dispatchEvent(new WheelEvent("wheel", {deltaY: i < 10 ? -120 : 120, clientX: x, clientY: y, bubbles: true, cancelable: true}));
    stamps.push(await new Promise(r => requestAnimationFrame(r)));
  }
  const gaps = stamps.slice(1).map((t, i) => t - stamps[i]);
  return 1000 * gaps.length / gaps.reduce((a, b) => a + b, 0); }"""


# The camp with the most members.
BIGGEST_CAMP = """() => window.ecograph.groups().reduce((a, b) => (b.members > a.members ? b : a)).camp"""


def run_render(data: Path, out: Path, *extra: str) -> tuple[float, float, float]:
    """Run ``ecograph render`` as its own process: wall seconds, peak resident MB and CPU
    seconds (user + system)."""
    command = [sys.executable, "-m", "ecograph", "render", "--no-shipped-data", "--data", str(data),
               "--max-entities", "10000000", "-o", str(out), *extra]
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    if status != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({status})")
    return seconds, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime  # Linux reports kilobytes


def measure_page(browser, path: Path, timeout: float) -> dict[str, float | None]:
    """One fresh page: first frame, click → focus, filter change, zoom fps, expand (ms or fps)."""
    from benchmarks.compare import map_first_frame

    page = browser.new_page(viewport=VIEWPORT)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    out: dict[str, float | None] = {"first_frame_s": map_first_frame(page, path, timeout)}
    page.evaluate(TWO_FRAMES)
    out["shown"] = page.evaluate("window.ecograph.visible().nodes.length")
    hub = page.evaluate(HUB)
    if hub:
        t = time.perf_counter()
        page.mouse.click(hub["x"], hub["y"])
        page.evaluate(TWO_FRAMES)
        out["click_ms"] = (time.perf_counter() - t) * 1000
        page.evaluate("window.ecograph.focus(null)")
    kind = page.evaluate(TOP_KIND)
    box = page.locator(f'input[data-kinds="{kind}"]')
    t = time.perf_counter()
    box.click()
    page.evaluate(TWO_FRAMES)
    out["filter_ms"] = (time.perf_counter() - t) * 1000
    box.click()
    page.evaluate(TWO_FRAMES)
    out["zoom_fps"] = page.evaluate(ZOOM)
    if page.evaluate("!!(window.ecograph.groups && window.ecograph.groups().length)"):
        # The opening view again (the click may have opened a camp), then the biggest camp. expand()
        # takes the camp's number: given its node id ("camp:N") it opened nothing.
        page.evaluate("window.ecograph.reset()")
        page.evaluate(TWO_FRAMES)
        camp = page.evaluate(BIGGEST_CAMP)
        t = time.perf_counter()
        opened = page.evaluate("(camp) => window.ecograph.expand(camp)", camp)
        page.evaluate(TWO_FRAMES)
        out["expand_ms"] = (time.perf_counter() - t) * 1000 if opened else None
        # A big camp's members reach vis-network a slice a frame (drawn as dots till then).
        page.wait_for_function("!window.ecograph.waiting || window.ecograph.waiting() === 0", polling=10,
                               timeout=timeout * 1000)
        out["expand_all_ms"] = (time.perf_counter() - t) * 1000 if opened else None
    out["errors"] = len(errors)
    page.close()
    return out


def pyvis_baseline(browser, data: Path, work: Path, timeout: float) -> float | None:
    """Seconds for pyvis's default page of the same graph to stabilize (None: not in time)."""
    from benchmarks.compare import pyvis_stable, write_pyvis
    from ecograph.data.graphdata import build_graph, read_graphdata

    path = work / f"pyvis-{data.name}.html"
    write_pyvis(build_graph(read_graphdata([data])), path)
    page = browser.new_page(viewport=VIEWPORT)
    page.route(lambda url: not url.startswith("file:"), lambda route: route.abort())
    try:
        stable, _ = pyvis_stable(page, path, timeout)
    except Exception as e:  # noqa: BLE001 - a page so busy it cannot answer has not stabilized
        if type(e).__name__ != "TimeoutError":
            raise
        stable = None
    finally:
        page.close()
    return stable


def _cell(value: float | None, fmt: str) -> str:
    return "—" if value is None else format(value, fmt)


def synth_data(work: Path, n: int, ties: int) -> Path:
    """The ``ecograph synth`` folder of ``n`` entities and ``n * ties`` ties under ``work`` (made once)."""
    data = work / f"synth-{n}"
    if not data.exists():
        subprocess.run([sys.executable, "-m", "ecograph", "synth", "--nodes", str(n), "--relationships",
                        str(n * ties), "-o", str(data)], check=True, stdout=subprocess.DEVNULL)
    return data


def render_only(args: argparse.Namespace) -> None:
    """The render command's own figures: median wall and CPU seconds, highest peak, page size."""
    work = args.work or Path(tempfile.mkdtemp(prefix="ecograph-bench-render-"))
    work.mkdir(parents=True, exist_ok=True)
    lines = ["| entities / ties | runs | render (median wall) | CPU (median, user + system) | peak RSS (highest) | HTML |",
             "|---|---|---|---|---|---|"]
    for n in args.sizes:
        data = synth_data(work, n, args.ties)
        page_path = work / f"map-{n}.html"
        runs = [run_render(data, page_path, *args.render_option) for _ in range(args.render_runs)]
        print(json.dumps({"entities": n, "runs": runs}), file=sys.stderr, flush=True)
        lines.append(f"| {n:,} / {n * args.ties:,} | {len(runs)} | {statistics.median(r[0] for r in runs):.1f} s "
                     f"| {statistics.median(r[2] for r in runs):.1f} s | {max(r[1] for r in runs):.0f} MB "
                     f"| {page_path.stat().st_size / 1e6:.1f} MB |")
    table = "\n".join(lines)
    print(table)
    if args.out:
        args.out.write_text(table + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2_000, 10_000, 100_000])
    parser.add_argument("--ties", type=int, default=10, help="ties per entity")
    parser.add_argument("--runs", type=int, default=3, help="fresh pages per size (median)")
    parser.add_argument("--pyvis-max", type=int, default=2_000, help="largest size to time pyvis's page at")
    parser.add_argument("--timeout", type=float, default=180.0)
    parser.add_argument("--render-option", action="append", default=[], help="passed to ecograph render")
    parser.add_argument("--work", type=Path, help="folder for data and pages (default: a temporary one)")
    parser.add_argument("--out", type=Path, help="also write the table (Markdown) here")
    parser.add_argument("--render-runs", type=int, default=1, help="render processes per size (median)")
    parser.add_argument("--render-only", action="store_true", help="time the render command alone, no browser")
    args = parser.parse_args()
    if args.render_only:
        return render_only(args)

    from playwright.sync_api import sync_playwright

    from benchmarks.compare import launch_chromium

    work = args.work or Path(tempfile.mkdtemp(prefix="ecograph-bench-render-"))
    work.mkdir(parents=True, exist_ok=True)
    rows = []
    with sync_playwright() as p:
        browser = launch_chromium(p)
        for n in args.sizes:
            data = synth_data(work, n, args.ties)
            page_path = work / f"map-{n}.html"
            renders = [run_render(data, page_path, *args.render_option) for _ in range(args.render_runs)]
            render_s, peak_mb = statistics.median(r[0] for r in renders), max(r[1] for r in renders)
            runs = [measure_page(browser, page_path, args.timeout) for _ in range(args.runs)]

            def median(key: str, runs=runs) -> float | None:
                values = [r[key] for r in runs if r.get(key) is not None]
                return statistics.median(values) if values else None

            row = {"entities": n, "ties": n * args.ties, "render_s": render_s, "peak_mb": peak_mb,
                   "html_mb": page_path.stat().st_size / 1e6, "shown": median("shown"),
                   "first_frame_s": median("first_frame_s"), "click_ms": median("click_ms"),
                   "filter_ms": median("filter_ms"), "zoom_fps": median("zoom_fps"),
                   "expand_ms": median("expand_ms"), "expand_all_ms": median("expand_all_ms"), "errors": max(r["errors"] for r in runs),
                   "pyvis_s": pyvis_baseline(browser, data, work, args.timeout) if n <= args.pyvis_max else None}
            rows.append(row)
            print(json.dumps(row), file=sys.stderr, flush=True)
        browser.close()
    lines = ["| entities / ties | render | peak | HTML | shown at open | first frame | click → focus | filter change "
             "| zoom | expand | script errors | pyvis default page |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        pyvis = "not timed" if r["entities"] > args.pyvis_max else (
            f"> {args.timeout:.0f} s (never stabilized)" if r["pyvis_s"] is None else f"{r['pyvis_s']:.1f} s to stabilize")
        settled = "" if r["expand_all_ms"] is None else f" (all in {r['expand_all_ms']:.0f} ms)"
        lines.append(
            f"| {r['entities']:,} / {r['ties']:,} | {r['render_s']:.1f} s | {r['peak_mb']:.0f} MB | {r['html_mb']:.1f} MB "
            f"| {_cell(r['shown'], '.0f')} | {_cell(r['first_frame_s'], '.2f')} s | {_cell(r['click_ms'], '.0f')} ms "
            f"| {_cell(r['filter_ms'], '.0f')} ms | {_cell(r['zoom_fps'], '.0f')} fps | {_cell(r['expand_ms'], '.0f')} ms{settled} "
            f"| {r['errors']} | {pyvis} |")
    table = "\n".join(lines)
    print(table)
    if args.out:
        args.out.write_text(table + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
