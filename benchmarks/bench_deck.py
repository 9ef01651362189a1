"""A deck of ten views of the seed, end to end (issue #15: ≤ 10 s): ``python benchmarks/bench_deck.py``.

Each run is a whole new process, ``ecograph deck views.yaml -o deck.pptx --force``, as a person
runs it: start-up, loading the seed (from its cache after the first run), selecting each view,
laying it out and writing the shapes, tables and appendices. Prints each run and the median
(``--repeat``, default 5) of wall and CPU time, then the same for ``--as-picture`` (each view a
PNG instead).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Ten views, small to whole, as a strategist's deck holds them.
SPEC = """\
title: Ten views of the seed
views:
  - {title: "Alibaba's equity ties", center: alibaba, rels: [OWNS, INVESTED_IN]}
  - {title: Alibaba within two ties, center: alibaba, hops: 2}
  - {title: "The whole network, as drawn from the 2015 report"}
  - {title: Tencent, center: tencent, hops: 2}
  - {title: Yiwu, center: yiwu, hops: 2}
  - {title: JD.com, center: jd}
  - {title: Up to 2013, until: 2013}
  - {title: Companies and platforms, kinds: [Company, Platform]}
  - {title: Policies, kinds: [Policy, GovernmentBody, City]}
  - title: Tencent to Singapore Post
    query: "MATCH p = shortestPath((a {id: $a})-[*..6]-(b {id: $b})) RETURN p"
    params: {a: tencent, b: singapore-post}
"""


def run(spec: Path, out: Path, *extra: str) -> tuple[float, float]:
    """Wall time and CPU time (user + system, the process and its children) of one run: on a
    shared machine the CPU time says what the deck costs when the wall time says how busy it was."""
    command = [sys.executable, "-m", "ecograph", "deck", str(spec), "-o", str(out), "--force", *extra]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, cwd=ROOT)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="ecograph-bench-deck-"))
    spec = work / "views.yaml"
    spec.write_text(SPEC, encoding="utf-8")
    run(spec, work / "warm.pptx")  # the seed's cache, fonts: what a second run finds
    for label, extra in (("10-view deck (shapes)", ()), ("10-view deck (--as-picture)", ("--as-picture",))):
        runs = [run(spec, work / "deck.pptx", *extra) for _ in range(args.repeat)]
        walls, cpus = [w for w, _ in runs], [c for _, c in runs]
        print(f"{label:<30} median wall {statistics.median(walls):.2f} s, CPU {statistics.median(cpus):.2f} s "
              f"(wall: {', '.join(f'{t:.2f}' for t in walls)}; load average {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()
