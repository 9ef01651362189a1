"""Export benchmarks (issue #5): ``python benchmarks/bench_export.py``.

Median wall time of each export of the seed graph and of a 2,000-entity random power-law graph
(#7's generator will replace it), measured in-process after a warm-up (imports excluded), and
of a 6-view deck of the seed; plus one cold ``ecograph export png`` end to end.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))


def median_time(fn, repeat=3) -> float:
    from bench_cypher import _median

    fn()  # warm-up: imports, font cache
    return _median(fn, repeat)


def main() -> None:
    import ecograph
    from bench_render import graph
    from ecograph.export.csv_tables import write_csv
    from ecograph.export.gexf import write_gexf
    from ecograph.export.graphml import write_graphml
    from ecograph.export.image import write_png, write_svg
    from ecograph.export.json_graph import write_json
    from ecograph.export.pptx import write_pptx
    from ecograph.view.map import write_html
    from ecograph.view.select import Selection, select

    work = Path(tempfile.mkdtemp(prefix="ecograph-bench-export-"))
    writers = {"png": write_png, "svg": write_svg, "graphml": write_graphml, "gexf": write_gexf,
               "json": write_json, "csv": write_csv, "html": write_html}
    rows = []
    for label, G in (("seed (130)", ecograph.load()), ("2,000 entities", graph(2000))):
        for fmt, writer in writers.items():
            rows.append((label, fmt, median_time(lambda writer=writer, G=G, fmt=fmt: writer(G, work / f"out.{fmt}"))))
    seed = ecograph.load()
    views = [
        ("Alibaba", select(seed, Selection(center="alibaba"))),
        ("Tencent", select(seed, Selection(center="tencent", hops=2))),
        ("Equity", select(seed, Selection(rels=("OWNS", "INVESTED_IN")))),
        ("Logistics", select(seed, Selection(rels=("DELIVERS_FOR", "CONNECTS_TO", "SERVES")))),
        ("Up to 2013", select(seed, Selection(until=2013))),
        ("Whole network", seed),
    ]
    rows.append(("seed", "6-view deck", median_time(lambda: write_pptx(views, work / "deck.pptx"))))
    cold = [sys.executable, "-m", "ecograph", "export", "png", "-o", str(work / "cold.png"), "--force"]
    t = time.perf_counter()
    subprocess.run(cold, check=True, capture_output=True, cwd=ROOT)
    rows.append(("seed", "cold `ecograph export png` (new process)", time.perf_counter() - t))
    print(f"{'graph':<16} {'export':<42} median")
    for label, fmt, seconds in rows:
        print(f"{label:<16} {fmt:<42} {seconds:.2f} s")


if __name__ == "__main__":
    main()
