"""The synthetic generator: valid, deterministic, heavy-tailed."""

from __future__ import annotations

import hashlib

import pytest
from click.testing import CliRunner

from cli import main
from ecograph.data.graphdata import COLUMNAR_FROM_BYTES, build_graph, read_graphdata
from ecograph.data.schema import KINDS
from ecograph.data.synth import write_synthetic


def digest(folder):
    return hashlib.sha256(b"".join(p.read_bytes() for p in sorted(folder.rglob("*.csv")))).hexdigest()


def test_synthetic_data_validates_with_every_kind_and_heavy_tails(tmp_path):
    assert write_synthetic(tmp_path / "s", 2000, 12000, seed=7) == (2000, 12000)
    G = build_graph(read_graphdata([tmp_path / "s"]))
    assert (G.number_of_nodes(), G.number_of_edges()) == (2000, 12000)
    assert {k for _, k in G.nodes(data="kind")} == set(KINDS)
    degrees = sorted((d for _, d in G.degree()), reverse=True)
    assert degrees[0] > 20 * degrees[len(degrees) // 2]  # a few hubs, many leaves
    assert all(d.get("source") for _, _, d in G.edges(data=True))
    stakes = [d["stake"] for _, _, d in G.edges(data=True) if "stake" in d]
    assert stakes and all(0 <= s <= 1 for s in stakes)
    assert any(ord(ch) > 0x3400 for _, zh in G.nodes(data="name_zh") for ch in zh)
    # Ownership comes from hubs: a group owns many firms, a firm has a few owners.
    owners: dict[str, int] = {}
    owned: dict[str, int] = {}
    for u, v, t in G.edges(data="type"):
        if t == "OWNS":
            owners[v] = owners.get(v, 0) + 1
            owned[u] = owned.get(u, 0) + 1
    assert max(owners.values()) <= 6 < max(owned.values())


def test_the_same_seed_writes_the_same_files(tmp_path):
    write_synthetic(tmp_path / "a", 300, 1500, seed=3)
    write_synthetic(tmp_path / "b", 300, 1500, seed=3)
    write_synthetic(tmp_path / "c", 300, 1500, seed=4)
    assert digest(tmp_path / "a") == digest(tmp_path / "b") != digest(tmp_path / "c")


def test_synth_command_writes_a_folder_validate_accepts(tmp_path):
    out = tmp_path / "syn"
    result = CliRunner().invoke(main, ["synth", "--nodes", "200", "--relationships", "800", "-o", str(out)])
    assert result.exit_code == 0 and result.output.startswith(f"Wrote {out}/ (200 entities, 800 relationships) in ")
    check = CliRunner().invoke(main, ["validate", "--data", str(out), "--no-shipped-data"])
    assert check.exit_code == 0 and check.output.startswith("OK: 200 entities, 800 relationships")
    again = CliRunner().invoke(main, ["synth", "--nodes", "200", "--relationships", "800", "-o", str(out)])
    assert (again.exit_code, again.output) == (1, f"Error: {out} exists; add --force to replace it\n")
    too_many = CliRunner().invoke(main, ["synth", "--nodes", "20", "--relationships", "5000", "-o", str(tmp_path / "x")])
    assert (too_many.exit_code, too_many.output) == (1, "Error: --relationships: 5,000 relationships are more than 50 per entity (1,000 here)\n")


def test_every_entity_that_is_somewhere_has_one_place_in_its_country(tmp_path):
    from ecograph.data.schema import COUNTRY_IDS, LOCATED_KINDS

    write_synthetic(tmp_path / "s", 2000, 8000, seed=2)  # 6 Country entities: one of each country, and one more
    G = build_graph(read_graphdata([tmp_path / "s"]))
    places = {}
    for u, v, t in G.edges(data="type"):
        if t == "LOCATED_IN":
            assert u not in places
            places[u] = v
    assert set(places) == {n for n, k in G.nodes(data="kind") if k in LOCATED_KINDS}
    assert all(G.nodes[u]["country"] == G.nodes[v]["country"] for u, v in places.items())
    countries = {G.nodes[n]["country"] for n, k in G.nodes(data="kind") if k == "Country"}
    assert countries == set(COUNTRY_IDS)  # each country has a Country entity to be in
    firm = next(n for n, k in G.nodes(data="kind") if k == "Company")
    chain = [firm]
    while chain[-1] in places:
        chain.append(places[chain[-1]])
    assert G.nodes[chain[-1]]["kind"] == "Country" and [G.nodes[n]["kind"] for n in chain[1:-1]] in (
        ["City", "Province"], ["City"])


def test_fewer_ties_than_located_entities_are_refused(tmp_path):
    with pytest.raises(ValueError, match=r"^10 relationships are fewer than the [\d,]+ needed here \(one LOCATED_IN tie"):
        write_synthetic(tmp_path / "s", 100, 10)
def test_synth_reports_the_ties_placed_then_the_files_written(tmp_path, monkeypatch):
    from ecograph import progress

    # A report every 5,000 ties instead of 50,000: the same steps on a tenth of the data.
    monkeypatch.setattr(progress, "EVERY", 5_000)
    calls = []
    write_synthetic(tmp_path / "s", 2_000, 12_000, seed=3, progress=lambda *call: calls.append(call))
    placing = [c for c in calls if c[0] == "Placing relationships"]
    assert [done for _, done, _ in placing] == [0, 5_000, 10_000, 12_000]
    assert {total for _, _, total in placing} == {12_000}
    assert [c for c in calls if c[0] == "Writing files"] == [("Writing files", 0, 2), ("Writing files", 1, 2),
                                                            ("Writing files", 2, 2)]

    calls.clear()  # and reading it back: bytes checked, then ties added to the graph
    build_graph(read_graphdata([tmp_path / "s"], progress=lambda *call: calls.append(call)),
                progress=lambda *call: calls.append(call))
    size = sum(p.stat().st_size for p in (tmp_path / "s").rglob("*.csv"))
    assert size >= COLUMNAR_FROM_BYTES  # read by the columnar reader, as a big folder is
    assert calls == [("Checking the data", 0, size), ("Checking the data", size, size),
                     ("Building the graph", 0, 12_000), ("Building the graph", 5_000, 12_000),
                     ("Building the graph", 10_000, 12_000), ("Building the graph", 12_000, 12_000)]
