"""Small-size smoke runs of the benchmark suite (seconds): it runs end to end and writes its
files; with ``--compare`` it adds the baselines, each with its ratio."""

from __future__ import annotations

import json
import os
import time

import networkx as nx
import pytest

from benchmarks.suite import main, measure_size
from benchmarks.compare import capped, baseline_row, markdown_table, neighbourhood


@pytest.mark.slow  # an end-to-end run of the suite: CI runs it with -m slow
def test_bench_smoke_run_writes_json_and_markdown(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert main(["--sizes", "300", "--repeat", "1", "--out", str(tmp_path / "out")]) == 0
    rows = json.loads((tmp_path / "out" / "bench.json").read_text(encoding="utf-8"))
    assert isinstance(rows, list)  # without --compare, the list of operations as before
    operations = [r["operation"] for r in rows]
    for expected in ("validate (no graph: ecograph validate)", "validate + load (the graph the analytics use)",
                     "embedded store build (from the checked data)", "2-hop ego count (Cypher, a median-degree entity)",
                     "2-hop ego subgraph (render --center --hops 2 selection)",
                     "HTML render", "PNG export", "GraphML export", "rank --by pagerank", "communities",
                     "reach (biggest hub)", "rank --by eigenvector", "compare (the two biggest hubs)",
                     "timeline --diff 2005 2010", "cold ecograph --help", "cold ecograph query (seed)"):
        assert expected in operations
    assert all(r["seconds"] >= 0 for r in rows)
    assert all(r["size"] == 300 for r in rows if not r["operation"].startswith("cold"))
    markdown = (tmp_path / "out" / "bench.md").read_text(encoding="utf-8")
    assert markdown.startswith("| operation | size | median | peak RSS |")
    assert "Baselines" not in markdown
    assert capsys.readouterr().out == markdown


BASELINES = {
    "networkx betweenness_centrality": "rank --by betweenness (igraph)",
    "networkx pagerank": "rank --by pagerank (igraph)",
    "networkx eigenvector_centrality": "rank --by eigenvector (igraph)",
    "networkx louvain_communities": "communities (igraph multilevel)",
    "row-by-row Cypher CREATE (LadybugDB)": "store build: bulk COPY from Arrow",
    "pyvis defaults (physics on): to stabilized": "ecograph page: to first frame",
}


@pytest.mark.slow  # an end-to-end run of the suite: CI runs it with -m slow
def test_bench_compare_adds_baselines_with_their_ratios(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert main(["--sizes", "40", "--repeat", "1", "--compare", "--stable-timeout", "2",
                 "--out", str(tmp_path / "out")]) == 0
    result = json.loads((tmp_path / "out" / "bench.json").read_text(encoding="utf-8"))
    assert set(result) == {"operations", "compare"}
    assert "embedded store build (from the checked data)" in [r["operation"] for r in result["operations"]]
    compare = result["compare"]
    # 40 entities: every baseline once, the browser's on the whole graph (under 200 entities).
    assert sorted((r["baseline"], r["ecograph"], r["size"]) for r in compare) == sorted(
        (b, e, 40) for b, e in BASELINES.items())
    browser_required = os.environ.get("ECOGRAPH_BROWSER_TESTS") == "required"
    for r in compare:
        if r["baseline"].startswith("pyvis") and not browser_required and r["note"].startswith("skipped: "):
            assert r["baseline_seconds"] is r["ecograph_seconds"] is r["ratio"] is None
            continue
        assert r["baseline_seconds"] > 0 and r["ecograph_seconds"] > 0
        assert r["ratio"] == pytest.approx(r["baseline_seconds"] / r["ecograph_seconds"], abs=0.006)
    store = next(r for r in compare if r["baseline"].startswith("row-by-row"))
    assert store["note"] == "all 40 entities and 400 ties inserted one by one" and not store["lower_bound"]
    browser = next(r for r in compare if r["baseline"].startswith("pyvis"))
    if browser["ratio"] is not None and browser["lower_bound"]:  # still moving after the 2 s cap
        assert browser["baseline_seconds"] == 2 and "did not stabilise within 2 s" in browser["note"]
    markdown = (tmp_path / "out" / "bench.md").read_text(encoding="utf-8")
    assert markdown.startswith("| operation | size | median | peak RSS |")
    operations, baselines = markdown.split("\n\n## Baselines\n\n")
    lines = baselines.splitlines()
    assert lines[0] == "| baseline | ecograph | size | baseline time | ecograph time | ratio | note |"
    assert sorted(line.split(" | ")[:3] for line in lines[2:]) == sorted(
        [f"| {b}", e, "40"] for b, e in BASELINES.items())
    assert capsys.readouterr().out == markdown


def test_compare_markdown_marks_lower_bounds_and_skips():
    rows = [
        baseline_row("pyvis defaults (physics on): to stabilized", "ecograph page: to first frame", 200, 60.0, 0.4,
             "did not stabilise within 60 s", lower_bound=True),
        baseline_row("networkx pagerank", "rank --by pagerank (igraph)", 1000, 0.25, 0.0005),
        baseline_row("pyvis defaults (physics on): to stabilized", "ecograph page: to first frame", 2000, None, None,
             "skipped: playwright is not installed"),
    ]
    assert rows[0]["ratio"] == 150.0 and rows[1]["ratio"] == 500.0
    assert markdown_table(rows).splitlines()[4:] == [
        "| pyvis defaults (physics on): to stabilized | ecograph page: to first frame | 200 | > 60.000 s | 0.400 s "
        "| ≥ 150× | did not stabilise within 60 s |",
        "| networkx pagerank | rank --by pagerank (igraph) | 1000 | 0.250 s | 0.50 ms | 500× |  |",
        "| pyvis defaults (physics on): to stabilized | ecograph page: to first frame | 2000 | — | — | — "
        "| skipped: playwright is not installed |",
    ]


def test_a_baseline_past_its_budget_is_stopped():
    def forever():
        while True:
            pass

    t = time.perf_counter()
    seconds, finished = capped(forever, 0.2)
    assert not finished and 0.2 <= seconds < 1 and time.perf_counter() - t < 1
    assert capped(lambda: None, 0.2)[1]


def test_neighbourhood_is_the_biggest_hub_and_its_nearest_entities():
    G = nx.MultiDiGraph()
    G.add_edges_from([("hub", "b"), ("c", "hub"), ("hub", "a"), ("a", "d"), ("b", "e"), ("x", "y")])
    G.add_edge("hub", "a")  # a second tie: the hub has the most
    sub = neighbourhood(G, 4)
    assert set(sub) == {"hub", "a", "b", "c"} and sub.number_of_edges() == 4  # neighbours in id order
    assert set(neighbourhood(G, 5)) == {"hub", "a", "b", "c", "d"}  # then theirs, breadth first
    assert set(neighbourhood(G, 7)) == {"hub", "a", "b", "c", "d", "e", "x"}  # then topped up in id order
    assert neighbourhood(G, 100).number_of_edges() == G.number_of_edges()


def test_browser_rows_without_chromium_are_skipped_with_a_note(tmp_path):
    from benchmarks.compare import compare_browser

    G = nx.MultiDiGraph([("a", "b")])
    assert compare_browser(G, tmp_path, 1.0, str(tmp_path / "no-chromium")) == [
        baseline_row("pyvis defaults (physics on): to stabilized", "ecograph page: to first frame", 2, None, None,
             f"skipped: no Chromium at {tmp_path / 'no-chromium'}")
    ]


def test_row_by_row_sample_shares_the_rows_among_tables_in_proportion():
    from benchmarks.compare import row_shares

    assert row_shares({"Company": 5, "City": 3}, 2_000) == {"Company": 5, "City": 3}  # all when they fit
    shares = row_shares({"Company": 7_000, "City": 2_999, "Policy": 1}, 2_000)
    assert shares == {"Company": 1_400, "City": 600, "Policy": 0}
    assert sum(row_shares({i: 7 * i + 1 for i in range(27)}, 2_000).values()) == 2_000


@pytest.mark.slow  # an end-to-end run of the suite: CI runs it with -m slow
def test_without_compare_no_baseline_runs(tmp_path, monkeypatch):
    import benchmarks.compare

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(benchmarks.compare, "compare_size", lambda *a, **k: pytest.fail("baselines ran"))
    operations, baselines = measure_size(40, tmp_path, 1)
    assert baselines == [] and len(operations) > 10
