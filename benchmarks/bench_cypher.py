"""Benchmarks for the Cypher layer (issue #3): rerun with ``python benchmarks/bench_cypher.py``.

Prints median wall times for:

- a warm query on the seed store (the store open, LadybugDB opened per query as the CLI does);
- a cold ``ecograph query`` end to end (a new process, store already built);
- building the embedded store from the seed graph;
- with ``--big``, building the embedded store of ``ecograph synth --nodes 100000
  --relationships 1000000`` from its checked data set, as ``open_store`` does (the reading and
  checking, timed apart, is #7's "validate").
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _median(fn, repeat: int) -> float:
    from benchmarks.timing import median_time

    return median_time(fn, repeat)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--big", action="store_true", help="also build a 100k-entity / 1M-relationship store")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    from ecograph.data.graphdata import load, shipped_data_dir
    from ecograph.query.store import build_store, open_store

    work = Path(tempfile.mkdtemp(prefix="ecograph-bench-"))
    rows = []
    try:
        G = load()
        rows.append(("seed store build", _median(lambda: build_store(G, work / "seed-build", "x"), 3)))
        store = open_store([shipped_data_dir()], work / "seed")
        simple = "MATCH (c:Company {id: $id})-[r]->(t) RETURN t.name_en, type(r) ORDER BY t.name_en"
        rows.append(("seed warm query (simple)", _median(lambda: store.query(simple, {"id": "alibaba"}), args.repeat)))
        chain = ("MATCH p = shortestPath((a {id: $a})-[*..6]-(b {id: $b})) "
                 "RETURN [n IN nodes(p) | n.name_en] AS chain")
        rows.append(("seed warm query (shortestPath)",
                     _median(lambda: store.query(chain, {"a": "tencent", "b": "singapore-post"}), args.repeat)))
        cold = [sys.executable, "-m", "ecograph", "query", "--db", str(work / "seed"),
                "MATCH (c:Company) RETURN count(c) AS companies"]
        subprocess.run(cold, check=True, capture_output=True, cwd=ROOT)  # make sure the store exists
        rows.append(("cold `ecograph query` (new process)",
                     _median(lambda: subprocess.run(cold, check=True, capture_output=True, cwd=ROOT), 5)))
        if args.big:
            from ecograph.data.graphdata import read_graphdata
            from ecograph.data.synth import write_synthetic

            write_synthetic(work / "synth", 100_000, 1_000_000, seed=1)
            data = read_graphdata([work / "synth"])
            rows.append(("store build 100k entities / 1M relationships",
                         _median(lambda: build_store(data, work / "big", "x"), 3)))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    width = max(len(name) for name, _ in rows)
    print(f"{'operation':<{width}}  median")
    for name, seconds in rows:
        shown = f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"
        print(f"{name:<{width}}  {shown}")


if __name__ == "__main__":
    main()
