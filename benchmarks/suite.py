"""The benchmark suite: ``python -m benchmarks.suite [--sizes 1000,10000,100000] [--out DIR]``.

For each size (entities; 10 relationships each) it writes a synthetic data set with
``ecograph synth`` and times, in a fresh process per size: validate + load, the embedded store
build, a warm set of saved queries, a 2-hop ego subgraph in Cypher, the HTML page, PNG and
GraphML exports, and each analytics command. It also times the CLI's cold start on the seed
(``ecograph --help`` and ``ecograph query``). Prints a table (operation, size, median wall time,
peak RSS of the process so far) and writes ``bench.json`` and ``bench.md`` to ``--out`` so runs
can be compared. The browser timings live in ``benchmarks/bench_render.py`` (they need Chromium).

``--compare`` also runs the naive baselines in each size's process (row-by-row Cypher inserts
against the bulk COPY, default pyvis against ecograph's page in headless Chromium, networkx
against the compiled analytics; see :mod:`benchmarks.compare`) and adds a second table,
"Baselines", with each ratio (baseline / ecograph). ``bench.json`` is then an object,
``{"operations": [...], "compare": [...]}``, instead of the list of operations.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.timing import median_time

# The repository root: the suite runs each size as ``python -m benchmarks.suite`` from there.
_ROOT = Path(__file__).resolve().parents[1]

__all__ = ["main", "measure_size", "median_time"]


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure_size(size: int, work: Path, repeat: int, *, compare: bool = False,
                 stable_timeout: float = 60.0) -> tuple[list[dict], list[dict]]:
    """Every operation at one size, in this process; returns the rows of the table and, with
    ``compare``, the rows of the baselines (else an empty list). ``stable_timeout`` caps the wait
    for the default pyvis page to stabilise."""
    from ecograph.analysis import communities, paths, rank, reach, timeline
    from ecograph.analysis import compare as compare_camps
    from ecograph.export.graphml import write_graphml
    from ecograph.export.image import write_png
    from ecograph.data.graphdata import build_graph, read_graphdata
    from ecograph.view.map import write_html
    from ecograph.query.saved import list_saved_queries
    from ecograph.view.select import Selection, select
    from ecograph.query.store import build_store, data_fingerprint, open_store
    from ecograph.data.synth import write_synthetic

    import networkx as nx

    rows: list[dict] = []
    warm = nx.MultiDiGraph()  # imports and font caches, so no first run pays for them
    warm.add_node("a", kind="Company", name_en="A", name_zh="甲")
    warm.add_node("b", kind="Platform", name_en="B", name_zh="乙")
    warm.add_edge("a", "b", type="OWNS", source="warm-up")
    write_html(warm, work / "warm.html")
    write_png(warm, work / "warm.png")
    write_graphml(warm, work / "warm.graphml")
    rank(warm, "pagerank")

    def record(operation: str, seconds: float) -> None:
        rows.append({"operation": operation, "size": size, "seconds": round(seconds, 4), "peak_mb": round(_peak_mb())})

    data = work / f"synth-{size}"
    write_synthetic(data, size, size * 10, seed=1)
    dataset = G = None

    def check():
        nonlocal dataset
        dataset = read_graphdata([data])

    def load():
        nonlocal G
        G = build_graph(read_graphdata([data]))

    # In the order of the two ways in: a query needs the checked data and the store (no graph);
    # the map, exports and analytics need the graph. The RSS column is the process's peak so far.
    record("validate (no graph: ecograph validate)", median_time(check, 1))
    record("embedded store build (from the checked data)",
           median_time(lambda: build_store(dataset, work / f"store-{size}", data_fingerprint([data])), 1))
    dataset = None  # a process either queries or analyses: not both copies at once
    record("validate + load (the graph the analytics use)", median_time(load, 1))
    store = open_store([data], work / f"store-{size}")
    hub = max(G.degree(), key=lambda nd: nd[1])[0]
    saved = [q for q in list_saved_queries() if not q.parameters]
    store.query("RETURN 1")
    record(f"warm saved-query set ({len(saved)})", median_time(lambda: [store.query(q.text) for q in saved], repeat))
    # A typical entity: at the median degree (through its hubs, it reaches most of the graph).
    typical = sorted(G.degree(), key=lambda nd: (nd[1], nd[0]))[len(G) // 2][0]
    ego = "MATCH p = shortestPath((a {id: $id})-[*..2]-(b)) RETURN count(DISTINCT b)"
    record("2-hop ego count (Cypher, a median-degree entity)", median_time(lambda: store.query(ego, {"id": typical}), repeat))
    record("2-hop ego subgraph (render --center --hops 2 selection)",
           median_time(lambda: select(G, Selection(center=typical, hops=2)), repeat))
    store.close()
    if size <= 10_000:
        record("HTML render", median_time(lambda: write_html(G, work / "map.html"), 1))
        record("PNG export", median_time(lambda: write_png(G, work / "map.png"), 1))
    record("GraphML export", median_time(lambda: write_graphml(G, work / "map.graphml"), 1))
    for by in ("degree", "pagerank", "eigenvector", "betweenness"):
        record(f"rank --by {by}", median_time(lambda by=by: rank(G, by), 1))
    nodes = list(G)
    record("path", median_time(lambda: paths(G, nodes[-1], nodes[len(nodes) // 2]), 1))
    record("communities", median_time(lambda: communities(G), 1))
    record("reach (biggest hub)", median_time(lambda: reach(G, hub), 1))
    second = sorted(G.degree(), key=lambda nd: (-nd[1], nd[0]))[1][0]
    record("compare (the two biggest hubs)", median_time(lambda: compare_camps(G, hub, second), 1))
    record("timeline --diff 2005 2010", median_time(lambda: timeline(G, diff=(2005, 2010)), 1))
    baselines = []
    if compare:
        from benchmarks.compare import compare_size

        baselines = compare_size(G, work / f"compare-{size}", data=read_graphdata([data]), stable_timeout=stable_timeout)
    return rows, baselines


def _cold_start(repeat: int) -> list[dict]:
    rows = []
    for label, args in (("ecograph --help", ["--help"]), ("ecograph query (seed)", ["query", "RETURN 1 AS one"])):
        command = [sys.executable, "-m", "ecograph", *args]
        subprocess.run(command, check=True, capture_output=True)  # the store exists after this
        rows.append({"operation": f"cold {label}", "size": 0,
                     "seconds": round(median_time(lambda command=command: subprocess.run(command, check=True, capture_output=True),
                                                  repeat), 4),
                     "peak_mb": None})
    return rows


def _markdown(rows: list[dict]) -> str:
    lines = ["| operation | size | median | peak RSS |", "|---|---|---|---|"]
    for r in rows:
        peak = f"{r['peak_mb']} MB" if r["peak_mb"] is not None else ""
        lines.append(f"| {r['operation']} | {r['size'] or 'seed'} | {r['seconds']:.3f} s | {peak} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.suite", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000,100000", help="Comma-separated entity counts.")
    parser.add_argument("--repeat", type=int, default=5, help="Runs per timed operation (median).")
    parser.add_argument("--out", type=Path, default=Path("bench-results"), help="Where bench.json and bench.md go.")
    parser.add_argument("--compare", action="store_true", help="Also run the naive baselines and print the ratios.")
    parser.add_argument("--stable-timeout", type=float, default=60.0, metavar="SECONDS",
                        help="With --compare: how long to wait for the default pyvis page to stabilise.")
    parser.add_argument("--one-size", type=int, help=argparse.SUPPRESS)  # internal: measure one size here
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one_size:
        rows, baselines = measure_size(args.one_size, args.work, args.repeat, compare=args.compare,
                                       stable_timeout=args.stable_timeout)
        print(json.dumps({"operations": rows, "compare": baselines}))
        return 0
    rows: list[dict] = []
    baselines: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="ecograph-bench-") as work:
        for size in (int(s) for s in args.sizes.split(",") if s.strip()):
            command = [sys.executable, "-m", "benchmarks.suite", "--one-size", str(size), "--work", work,
                       "--repeat", str(args.repeat)]
            if args.compare:
                command += ["--compare", "--stable-timeout", str(args.stable_timeout)]
            out = subprocess.run(command, check=True, capture_output=True, text=True, cwd=_ROOT).stdout
            measured = json.loads(out.splitlines()[-1])
            rows += measured["operations"]
            baselines += measured["compare"]
    rows += _cold_start(args.repeat)
    markdown = _markdown(rows)
    result: list[dict] | dict = rows
    if args.compare:
        from benchmarks.compare import markdown_table

        markdown += "\n" + markdown_table(baselines)
        result = {"operations": rows, "compare": baselines}
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "bench.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    (args.out / "bench.md").write_text(markdown, encoding="utf-8")
    print(markdown, end="")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
