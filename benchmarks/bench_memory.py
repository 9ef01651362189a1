"""Peak memory of whole ``ecograph`` processes on a million ties (issue #12): ``python benchmarks/bench_memory.py``.

Each line runs one command in a fresh process and gives the median wall time and the median
peak RSS of that process (``os.wait4``'s ``ru_maxrss``, the child alone) over ``--runs`` runs:

- ``query --format json|csv|table "MATCH (a)-[r]->(b) RETURN a, r, b"``: a million rows
  streamed to stdout (``/dev/null``); LadybugDB is asked for the nodes and relationships as ids
  and ecograph reads them 2,000 rows at a time (``dialect.entity_ids``). Before streaming it
  peaked at 15.5 GB, streamed with the engine holding whole nodes at 1.48 GB;
- the same rows as ids only (``RETURN a.id, type(r), b.id``), and LadybugDB alone running the
  query ``query`` now hands it (ids) and the ``a, r, b`` query as written, reading the rows
  without converting them: the engine's own share (it holds a whole answer before the first
  row);
- ``render --center <the biggest hub> --hops 1``, refused by ``--max-entities`` (default 5,000)
  before any drawing; before the limit it took 3 minutes and 3.75 GB for a 278 MB page;
- ``render`` of everything, refused the same way.

The data is ``ecograph synth --nodes 100000 --relationships 1000000`` (or ``--data DIR``), its
store built once first (timed, one run; ``--reuse-store`` keeps one in ``--work``). Needs about
2 GB of free memory. ``--only TEXT`` runs the lines whose name holds TEXT.

A run on 2 shared cores (load ~5), ``--runs 3``, before the lean stream; peak RSS is the
median, times are wall::

    store build (one run, includes checking the data)            30.5 s   1341 MB
    query --format json: 1M rows of a, r, b, streamed            435.6 s  1476 MB
    query --format json: 1M rows of a.id, type(r), b.id           68.7 s   328 MB
    LadybugDB alone: 1M rows of a, r, b, read, not converted      82.6 s  1443 MB
    render --center syn-company-0 --hops 1 (253462 ties): refused 30.2 s  1628 MB
    render (everything): refused                                  22.4 s  1479 MB

With the lean stream, ``--runs 1`` (three formats at once on 2 cores shared with other work,
load 9 to 16, so the times are mostly waiting; the peak does not depend on the load; the
table ran alone afterwards, at load ~5, with 323 s of CPU, under ``/usr/bin/time -v``)::

    query --format json: 1M rows of a, r, b, streamed            2737.6 s   387 MB
    query --format csv: 1M rows of a, r, b, streamed             2400.7 s   389 MB
    query --format table: 1M rows of a, r, b, streamed            497.9 s   389 MB
    LadybugDB alone: 1M rows of a, r, b as ids (what query runs)   34.1 s   251 MB

LadybugDB alone reading the answer peaks at 0.25 GB (ids) instead of 1.44 GB; what remains is
LadybugDB's own (about 125 MB for an open database and 37 MB for its default buffer pool's
bookkeeping), the pages of the store read while the rows are read (at most the store, 92 MB),
one batch of rows and the last 10,000 nodes read.
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

ROOT = Path(__file__).resolve().parents[1]
ECOGRAPH = [sys.executable, str(ROOT / "cli.py")]

# LadybugDB alone: run the query, read every row, convert nothing.
_ENGINE_ONLY = """
import sys, ladybug
db = ladybug.Database(sys.argv[1], read_only=True)
conn = ladybug.Connection(db)
raw = conn.execute(sys.argv[2])
n = 0
while raw.has_next():
    raw.get_next()
    n += 1
print(n)
"""


def _engine_text(query: str) -> str:
    """The text ``ecograph query`` hands LadybugDB for ``query``: nodes and relationships as ids."""
    sys.path.insert(0, str(ROOT))
    from ecograph.query import dialect

    translated = dialect.translate(query)
    slim = dialect.entity_ids(translated)
    return slim.text if slim is not None else translated


def run(command: list[str], *, expect: int = 0, stdout=subprocess.DEVNULL) -> tuple[float, float, bytes]:
    """Run ``command``; return (seconds, peak RSS in MB of that process, stderr)."""
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=stdout, stderr=subprocess.PIPE, cwd=ROOT)
    err = child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != expect:
        raise SystemExit(f"{' '.join(command)}: exit {child.returncode}, expected {expect}\n{err.decode()}")
    return seconds, usage.ru_maxrss / 1024, err


def measure(name: str, command: list[str], runs: int, *, expect: int = 0) -> dict:
    seconds, peaks = [], []
    for _ in range(runs):
        s, mb, err = run(command, expect=expect)
        seconds.append(s)
        peaks.append(mb)
    row = {"operation": name, "runs": runs, "seconds": statistics.median(seconds), "peak_mb": statistics.median(peaks),
           "peaks_mb": [round(p) for p in peaks]}
    if expect:
        row["message"] = err.decode().strip().splitlines()[-1]
    print(f"{name:<62} {row['seconds']:>8.1f} s {row['peak_mb']:>8.0f} MB  (runs: {row['peaks_mb']})", flush=True)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, help="a synth folder to reuse (default: write one)")
    parser.add_argument("--runs", type=int, default=3, help="runs per line (median)")
    parser.add_argument("--work", type=Path, help="where the store goes (default: a temporary folder)")
    parser.add_argument("--reuse-store", action="store_true", help="reuse a store already in --work/store")
    parser.add_argument("--only", action="append", metavar="TEXT",
                        help="run only the lines whose name holds TEXT (repeatable), e.g. 'query --format'")
    args = parser.parse_args()

    work = args.work or Path(tempfile.mkdtemp(prefix="ecograph-bench-memory-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        data = args.data
        if data is None:
            data = work / "synth"
            s, mb, _ = run([*ECOGRAPH, "synth", "--nodes", "100000", "--relationships", "1000000", "-o", str(data),
                            "--force"])
            print(f"{'synth 100k entities / 1M relationships (one run)':<62} {s:>8.1f} s {mb:>8.0f} MB", flush=True)
        source = ["--data", str(data), "--no-shipped-data"]
        db = work / "store"
        if args.reuse_store and (db / "manifest.json").exists():
            print(f"reusing the store at {db} (rebuilt if the data changed)", flush=True)
        else:
            s, mb, _ = run([*ECOGRAPH, "query", *source, "--db", str(db), "--rebuild", "RETURN 1 AS one"])
            print(f"{'store build (one run, includes checking the data)':<62} {s:>8.1f} s {mb:>8.0f} MB", flush=True)
        out = subprocess.run([*ECOGRAPH, "query", *source, "--db", str(db), "--format", "csv",
                              "MATCH (a)-[r]-() RETURN a.id AS id, count(r) AS d ORDER BY d DESC LIMIT 1"],
                             check=True, capture_output=True, text=True, cwd=ROOT).stdout
        hub, degree = out.splitlines()[1].split(",")
        query = [*ECOGRAPH, "query", *source, "--db", str(db)]
        whole = "MATCH (a)-[r]->(b) RETURN a, r, b"
        lines = [(f"query --format {fmt}: 1M rows of a, r, b, streamed",
                  [*query, "--format", fmt, whole], 0) for fmt in ("json", "csv", "table")]
        lines += [
            ("query --format json: 1M rows of a.id, type(r), b.id",
             [*query, "--format", "json", "MATCH (a)-[r]->(b) RETURN a.id, type(r), b.id"], 0),
            ("LadybugDB alone: 1M rows of a, r, b as ids (what query runs)",
             [sys.executable, "-c", _ENGINE_ONLY, str(db / "graph.lbug"), _engine_text(whole)], 0),
            ("LadybugDB alone: 1M rows of a, r, b, read, not converted",
             [sys.executable, "-c", _ENGINE_ONLY, str(db / "graph.lbug"), whole], 0),
        ]
        render = [*ECOGRAPH, "render", *source, "-o", str(work / "map.html")]
        lines += [(f"render --center {hub} --hops 1 ({degree} ties): refused",
                   [*render, "--center", hub, "--hops", "1"], 1),
                  ("render (everything): refused", render, 1)]
        for name, command, expect in lines:
            if args.only and not any(word in name for word in args.only):
                continue
            row = measure(name, command, args.runs, expect=expect)
            if expect:
                print(f"  {row['message']}")
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
