"""Analytics at scale (issue #6): ``python benchmarks/bench_analysis.py [--nodes N --edges M]``.

Loads ``ecograph synth`` data (default 100k entities / 1M relationships), saves the graph once,
then runs each analysis in a fresh process and prints its wall time and the process's peak RSS
(which includes the graph itself, loaded from the pickle).
"""

from __future__ import annotations

import argparse
import pickle
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

OPERATIONS = {
    "rank --by degree": "rank(G, 'degree')",
    "rank --by betweenness (sampled)": "rank(G, 'betweenness')",
    "rank --by pagerank": "rank(G, 'pagerank')",
    "rank --by eigenvector": "rank(G, 'eigenvector')",
    "path (shortest chains)": "paths(G, {last!r}, {middle!r})",
    "communities": "communities(G)",
    "reach (default 4 hops, from the biggest hub)": "reach(G, {hub!r})",
}

_RUN = """
import pickle, resource, sys, time
sys.path.insert(0, {root!r})
from ecograph.analysis import rank, paths, communities, reach
with open({path!r}, "rb") as f:
    G = pickle.load(f)
t = time.perf_counter()
result = {expr}
print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--nodes", type=int, default=100_000)
    parser.add_argument("--edges", type=int, default=1_000_000)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from ecograph.data.graphdata import build_graph, read_graphdata
    from ecograph.data.synth import write_synthetic

    work = Path(tempfile.mkdtemp(prefix="ecograph-bench-analysis-"))
    t = time.perf_counter()
    write_synthetic(work / "synth", args.nodes, args.edges, seed=1)
    G = build_graph(read_graphdata([work / "synth"]))
    nodes = list(G)
    ids = {"last": nodes[-1], "middle": nodes[len(nodes) // 2], "hub": max(G.degree(), key=lambda nd: nd[1])[0]}
    path = work / "graph.pickle"
    with open(path, "wb") as f:
        pickle.dump(G, f, protocol=pickle.HIGHEST_PROTOCOL)
    print(f"(graph of {G.number_of_nodes():,} entities / {G.number_of_edges():,} ties made in "
          f"{time.perf_counter() - t:.1f} s)", file=sys.stderr)
    del G
    print(f"{'operation':<38} {'time':>8} {'peak RSS':>10}")
    for name, expr in OPERATIONS.items():
        code = _RUN.format(root=str(ROOT), path=str(path), expr=expr.format(**ids))
        out = subprocess.run([sys.executable, "-c", code],
                             check=True, capture_output=True, text=True).stdout.split()
        print(f"{name:<38} {float(out[0]):>7.2f}s {float(out[1]):>8.0f} MB")


if __name__ == "__main__":
    main()
