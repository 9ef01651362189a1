"""``MATCH (n) WHERE id(n) = $id`` on the embedded store (#16): rerun with
``python benchmarks/bench_id_lookup.py [--nodes 200000]``.

id() is Neo4j's integer, ``table * 2^40 + offset`` (ecograph.query.dialect.calls). Prints the
median wall time of one lookup, in one warm process (the store open), three ways: through the
dialect (an integer parameter is sought as LadybugDB's {table, offset} pair,
ecograph.query.dialect.id_lookups), through the dialect with the id as an expression (``$id + 0``,
which computes every node's number), and LadybugDB's own ``internal_id()`` seek as the floor.
Measured on 2 cores, 200,000 nodes, median of 5: 0.12 s, 0.82 s, 0.10 s.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    from benchmarks.timing import median_time
    from ecograph.data.synth import write_synthetic
    from ecograph.query.store import open_store

    parser = argparse.ArgumentParser()
    parser.add_argument("--nodes", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        write_synthetic(Path(tmp) / "data", args.nodes, args.nodes * 2)
        store = open_store([Path(tmp) / "data"], Path(tmp) / "store")
        (number,) = store.query("MATCH (n) RETURN id(n) AS i ORDER BY i DESC LIMIT 1").rows[0]
        store.close()
        import ladybug as lb

        from ecograph.query.dialect import register_functions
        from ecograph.query.store import DB_FILE

        db = lb.Database(str(Path(tmp) / "store" / DB_FILE), read_only=True)  # the engine itself, for the floor
        conn = lb.Connection(db)
        register_functions(conn)

        def engine() -> None:
            raw = conn.execute("MATCH (n) WHERE id(n) = internal_id($id / 1099511627776, $id % 1099511627776) "
                               "RETURN n.id", {"id": number})
            assert raw.has_next()

        ways = {
            "id(n) = $id (sought)": lambda: store.query("MATCH (n) WHERE id(n) = $id RETURN n.id", {"id": number}),
            "id(n) = $id + 0 (every number)": lambda: store.query("MATCH (n) WHERE id(n) = $id + 0 RETURN n.id",
                                                                  {"id": number}),
            "internal_id() seek (engine)": engine,
        }
        for name, fn in ways.items():
            fn()  # warm
            print(f"{name:34} {median_time(fn, args.repeat):.3f} s")
        store.close()
        conn.close()
        db.close()


if __name__ == "__main__":
    main()
