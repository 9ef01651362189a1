"""Interactive speed on the seed (issue #16): ``python benchmarks/bench_interactive.py``.

Each line runs one ``ecograph`` command as its own process, once to warm up and then ``--runs``
times, and prints the median wall time and the median peak RSS (``os.wait4``'s ``ru_maxrss``, the
child alone). The last line builds a fresh store each run (``query --db`` in a new folder): the
first query a user makes. ``PYTHONDONTWRITEBYTECODE`` is unset for the children, so they run from
compiled bytecode as an installed ecograph does.

Targets (#16): warm ``query`` and ``show`` <= 0.3 s, ``render`` <= 1 s, the first query with the
store build <= 1 s and <= 300 MB, ``--help`` <= 0.2 s.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ECOGRAPH = [sys.executable, "-m", "ecograph"]


def measure(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and peak resident MB of one run of ``command`` as its own process."""
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, _, usage = os.wait4(child.pid, 0)
    return time.perf_counter() - start, usage.ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="Runs per line after the warm-up (median).")
    args = parser.parse_args(argv)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    work = Path(tempfile.mkdtemp(prefix="ecograph-bench-interactive-"))
    try:
        lines = [
            ("ecograph --help", ["--help"]),
            ("show alibaba", ["show", "alibaba"]),
            ("query (warm store)", ["query", "MATCH (c:Company)-[r:INVESTED_IN]->(t) RETURN c.name_en, t.name_en"]),
            ("render (whole seed)", ["render", "-o", str(work / "map.html")]),
        ]
        for label, rest in lines:
            measure(ECOGRAPH + rest, env)  # warm-up: bytecode, the default store
            runs = [measure(ECOGRAPH + rest, env) for _ in range(args.runs)]
            print(f"{label:32s} {statistics.median(w for w, _ in runs):6.2f} s {statistics.median(m for _, m in runs):6.0f} MB")
        runs = []
        for i in range(args.runs):
            runs.append(measure(ECOGRAPH + ["query", "--db", str(work / f"store{i}"), "RETURN 1 AS one"], env))
        print(f"{'first query, building the store':32s} {statistics.median(w for w, _ in runs):6.2f} s "
              f"{statistics.median(m for _, m in runs):6.0f} MB")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
