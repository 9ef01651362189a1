"""A small-size smoke run of the benchmark suite (seconds): it runs end to end and writes its files."""

from __future__ import annotations

import json

from ecograph.bench import main


def test_bench_smoke_run_writes_json_and_markdown(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert main(["--sizes", "300", "--repeat", "1", "--out", str(tmp_path / "out")]) == 0
    rows = json.loads((tmp_path / "out" / "bench.json").read_text(encoding="utf-8"))
    operations = [r["operation"] for r in rows]
    for expected in ("validate + load", "embedded store build", "2-hop ego count (Cypher, a small entity)",
                     "HTML render", "PNG export", "GraphML export", "rank --by pagerank", "communities",
                     "reach (biggest hub)", "cold ecograph --help", "cold ecograph query (seed)"):
        assert expected in operations
    assert all(r["seconds"] >= 0 for r in rows)
    assert all(r["size"] == 300 for r in rows if not r["operation"].startswith("cold"))
    markdown = (tmp_path / "out" / "bench.md").read_text(encoding="utf-8")
    assert markdown.startswith("| operation | size | median | peak RSS |")
    assert capsys.readouterr().out == markdown
