"""The embedded store: built from the data, reused until it changes, crash-safe, read-only by default."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ecograph.errors import StoreError, WriteRefusedError
from ecograph.data.graphdata import load, read_graphdata, shipped_data_dir
from ecograph.query.result import Node, Path as ResultPath, Relationship
from ecograph.data.schema import COUNTRY_IDS
from ecograph.query.store import MANIFEST, data_fingerprint, open_store, read_manifest

ROOT = Path(__file__).resolve().parents[1]

TINY = {
    "entities/e.csv": (
        "id,kind,name_en,name_zh,aliases,country,description\n"
        "alibaba,Company,Alibaba Group,阿里巴巴,Alibaba|阿里,Mainland China,Group\n"
        "taobao,Platform,Taobao,淘寶,,Mainland China,Marketplace\n"
        "singapore-post,Company,Singapore Post,新加坡郵政,SingPost,Singapore,Post\n"
    ),
    "relationships/r.csv": (
        "from,type,to,stake,date,description,source\n"
        "alibaba,OWNS,taobao,,2003,Runs Taobao,貳.一\n"
        "alibaba,INVESTED_IN,singapore-post,0.1035,2014,Bought 10.35 %,貳.四\n"
    ),
    "tables/t.csv": (
        "subject,metric,period,value,unit,basis,source\n"
        "taobao,gmv,2013,100,CNY,actual,貳.一\n"
    ),
}


@pytest.fixture
def tiny(write_graphdata):
    return write_graphdata(TINY)


def _tree_digest(path: Path) -> str:
    h = hashlib.sha256()
    for f in sorted(p for p in path.rglob("*") if p.is_file()):
        h.update(str(f.relative_to(path)).encode() + f.read_bytes())
    return h.hexdigest()


# --- building and reuse --------------------------------------------------------------------------


def test_seed_store_holds_the_whole_dataset(seed_store):
    data = read_graphdata([shipped_data_dir()])
    entities, relationships, observations = len(data.entities), data.relationship_count, len(data.observations)
    counts = {"entities": entities, "relationships": relationships, "observations": observations}
    assert dict(seed_store.manifest.counts) == counts
    counted = seed_store.query("MATCH (n) WHERE NOT n:Observation RETURN count(n) AS n").rows
    assert counted == [[entities]]
    ties = seed_store.query("MATCH ()-[r]->() WHERE type(r) <> 'HAS_OBSERVATION' RETURN count(r)").rows
    assert ties == [[relationships]]
    assert seed_store.query("MATCH (o:Observation) RETURN count(o)").rows == [[observations]]


def test_companies_are_found_by_the_country_they_are_tied_to(seed_store):
    G = load()
    companies = [d["country"] for _, d in G.nodes(data=True) if d["kind"] == "Company"]
    direct = seed_store.query("MATCH (c:Company)-[:LOCATED_IN]->(:Country {id: 'taiwan'}) RETURN count(c)")
    assert direct.rows == [[companies.count("Taiwan")]] and companies.count("Taiwan") > 20
    # Through a place in it (美特好 in Shanxi), the chain finds every company of each country.
    for region, country in COUNTRY_IDS.items():
        chain = seed_store.query(
            "MATCH (c:Company)-[:LOCATED_IN*1..4]->(:Country {id: $id}) RETURN count(DISTINCT c)", {"id": country}
        )
        assert chain.rows == [[companies.count(region)]], region


def test_every_label_and_type_is_a_table_with_the_loaded_counts(seed_store, seed_counts):
    from ecograph.data.graphdata import load

    G = load()
    by_label: dict[str, int] = {}
    for _, kind in G.nodes(data="kind"):
        by_label[kind] = by_label.get(kind, 0) + 1
    rows = seed_store.query("MATCH (n) RETURN labels(n)[0] AS label, count(*) AS n ORDER BY label").rows
    assert {label: n for label, n in rows} == {**by_label, "Observation": seed_counts["observations"]}


def test_store_is_reused_until_a_data_file_changes(tiny, tmp_path):
    path = tmp_path / "store"
    first = open_store([tiny], path)
    assert first.built
    again = open_store([tiny], path)
    assert not again.built
    assert again.manifest.fingerprint == first.manifest.fingerprint
    rel = tiny / "relationships" / "r.csv"
    rel.write_text(rel.read_text(encoding="utf-8").replace("0.1035", "0.2"), encoding="utf-8")
    changed = open_store([tiny], path)
    assert changed.built
    assert changed.manifest.fingerprint != first.manifest.fingerprint
    assert changed.query("MATCH ()-[r:INVESTED_IN]->() RETURN r.stake").rows == [[0.2]]


def test_rebuild_forces_a_build(tiny, tmp_path):
    path = tmp_path / "store"
    open_store([tiny], path)
    assert open_store([tiny], path, rebuild=True).built


def test_fingerprint_depends_on_bytes_not_timestamps(tiny):
    before = data_fingerprint([tiny])
    f = tiny / "entities" / "e.csv"
    os.utime(f, (1, 1))
    assert data_fingerprint([tiny]) == before
    f.write_text(f.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert data_fingerprint([tiny]) != before


def test_a_folder_that_is_not_a_store_is_never_replaced(tiny, tmp_path):
    path = tmp_path / "mine"
    path.mkdir()
    (path / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(StoreError, match=r"mine exists and is not an ecograph store; choose another folder"):
        open_store([tiny], path)
    assert (path / "notes.txt").read_text(encoding="utf-8") == "keep me"


def test_invalid_data_builds_nothing(write_graphdata, tmp_path):
    from ecograph.errors import DataError

    bad = write_graphdata({**TINY, "relationships/r.csv": "from,type,to,description,source\nalibaba,OWNS,nobody,x,y\n"})
    with pytest.raises(DataError):
        open_store([bad], tmp_path / "store")
    assert not (tmp_path / "store").exists()


_KILL_SCRIPT = """
import sys, time
from pathlib import Path
from ecograph.data.graphdata import load
from ecograph.query.store import build_store
def pause():
    Path(sys.argv[2]).write_text("nodes copied")
    time.sleep(60)
build_store(load(), Path(sys.argv[1]), "new-fingerprint", _after_nodes=pause)
"""


@pytest.mark.parametrize("had_store", [False, True], ids=["first-build", "rebuild"])
def test_a_build_killed_half_way_is_never_taken_for_a_store(tmp_path, had_store):
    path = tmp_path / "store"
    if had_store:
        old = open_store([shipped_data_dir()], path)
        old_fingerprint = old.manifest.fingerprint
    ready = tmp_path / "ready"
    proc = subprocess.Popen([sys.executable, "-c", _KILL_SCRIPT, str(path), str(ready)], cwd=ROOT)
    try:
        deadline = time.monotonic() + 120
        while not ready.exists():
            assert proc.poll() is None, "the build exited before the kill"
            assert time.monotonic() < deadline, "the build never reached the pause"
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    leftovers = list(tmp_path.glob(".store.build-*"))
    assert len(leftovers) == 1 and not (leftovers[0] / MANIFEST).exists()
    manifest = read_manifest(path)
    if had_store:
        assert manifest is not None and manifest.fingerprint == old_fingerprint  # the old store, intact
    else:
        assert manifest is None and not path.exists()
    store = open_store([shipped_data_dir()], path)
    assert store.built == (not had_store)  # the intact old store still matches the data
    assert store.query("MATCH (c:Company {id: 'alibaba'}) RETURN c.name_zh").rows == [["阿里巴巴"]]
    assert not list(tmp_path.glob(".store.build-*")), "the next build clears what the killed one left"


# --- read-only by default ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query, clause",
    [
        ("CREATE (:Company {id: 'x'})", "CREATE"),
        ("MATCH (c:Company {id: 'alibaba'}) SET c.name_en = 'X'", "SET"),
        ("MATCH (c:Company {id: 'alibaba'}) DETACH DELETE c", "DETACH DELETE"),
    ],
)
def test_writing_is_refused_without_write(tiny, tmp_path, query, clause):
    store = open_store([tiny], tmp_path / "store")
    before = _tree_digest(tmp_path / "store")
    with pytest.raises(WriteRefusedError) as e:
        store.query(query)
    assert str(e.value) == (
        f"the query writes ({clause}) and queries are read-only unless writing is allowed "
        "(graphdata/ itself is never changed)"
    )
    assert _tree_digest(tmp_path / "store") == before
    assert store.query("MATCH (c:Company) RETURN c.name_en ORDER BY c.id").rows == [["Alibaba Group"], ["Singapore Post"]]


def test_write_changes_the_store_not_the_data(tiny, tmp_path):
    data_before = _tree_digest(tiny)
    store = open_store([tiny], tmp_path / "store")
    store.query("MATCH (c:Company {id: 'alibaba'}) SET c.name_en = 'Changed'", write=True)
    assert store.query("MATCH (c:Company {id: 'alibaba'}) RETURN c.name_en").rows == [["Changed"]]
    assert _tree_digest(tiny) == data_before
    reopened = open_store([tiny], tmp_path / "store")
    assert reopened.modified and not reopened.built
    assert json.loads((tmp_path / "store" / MANIFEST).read_text())["modified"] is True
    rebuilt = open_store([tiny], tmp_path / "store", rebuild=True)
    assert not rebuilt.modified
    assert rebuilt.query("MATCH (c:Company {id: 'alibaba'}) RETURN c.name_en").rows == [["Alibaba Group"]]


# --- results -------------------------------------------------------------------------------------


def test_nodes_relationships_and_paths_come_back_as_objects(tiny, tmp_path):
    store = open_store([tiny], tmp_path / "store")
    result = store.query(
        "MATCH p = (a:Company)-[r:INVESTED_IN]->(b) RETURN a, r, b, p, r.stake AS stake"
    )
    assert result.columns == ["a", "r", "b", "p", "stake"]
    a, r, b, p, stake = result.rows[0]
    assert isinstance(a, Node) and a.key == "alibaba" and a.labels == ("Company",)
    assert a.properties["aliases"] == ["Alibaba", "阿里"] and a.properties["name"] == "Alibaba Group"
    assert "stake" not in a.properties  # nulls are left out
    assert isinstance(r, Relationship)
    assert (r.type, r.start, r.end) == ("INVESTED_IN", "alibaba", "singapore-post")
    assert r.properties == {
        "stake": 0.1035,
        "date": "2014",
        "year": 2014,
        "description": "Bought 10.35 %",
        "source": "貳.四",
    }
    assert isinstance(p, ResultPath) and [n.key for n in p.nodes] == ["alibaba", "singapore-post"]
    assert p.relationships[0].start == "alibaba"
    assert stake == 0.1035


def test_a_relationship_alone_knows_its_ends_and_becomes_a_subgraph(tiny, tmp_path):
    store = open_store([tiny], tmp_path / "store")
    result = store.query("MATCH ()-[r:OWNS]->() RETURN r")
    (r,) = result.rows[0]
    assert (r.start, r.end) == ("alibaba", "taobao")
    G = result.subgraph()
    assert sorted(G.nodes) == ["alibaba", "taobao"]
    assert G.nodes["taobao"]["name_zh"] == "淘寶" and G.nodes["taobao"]["kind"] == "Platform"
    assert [(u, v, d["type"], d["date"]) for u, v, d in G.edges(data=True)] == [("alibaba", "taobao", "OWNS", "2003")]


def test_a_stream_gives_the_rows_of_query_in_batches_with_ends_resolved_across_them(seed_store):
    cypher = "MATCH ()-[r]->() RETURN r"
    whole = seed_store.query(cypher)
    batch_nodes = []
    with seed_store.stream(cypher, batch_size=7) as rows:
        assert rows.columns == ["r"]
        streamed = []
        for row in rows:
            streamed.append(row)
            batch_nodes.append(len(rows.nodes))
    assert sorted(map(repr, streamed)) == sorted(map(repr, whole.rows)) and len(streamed) > 100
    assert all(":" not in r.start and ":" not in r.end for (r,) in streamed if r.type != "HAS_OBSERVATION")
    assert max(batch_nodes) <= 14  # a batch's nodes only: at most two ends per relationship


# Queries whose order the query fixes: the lean stream must give them byte for byte.
_ORDERED = [
    "MATCH (a)-[r]->(b) RETURN a, r, b ORDER BY a.id, b.id, type(r), elementId(r)",
    "MATCH (a:Company)-[r:INVESTED_IN]->(b) RETURN a AS investor, r.stake, b ORDER BY a.id, b.id, elementId(r)",
    "MATCH (n) RETURN n ORDER BY n.id SKIP 3 LIMIT 40",
    "MATCH (a)-[r]->(b) WITH a, r, b ORDER BY b.id, a.id, elementId(r) LIMIT 40 "
    "RETURN b, r, a ORDER BY b.id, a.id, elementId(r)",
    "MATCH (a)-[r]->(b) WHERE a.id = $id RETURN a, a.name_en, r, r.stake, b.id ORDER BY b.id, elementId(r)",
]
# And some whose order it does not: the same rows, in an order the engine chooses.
_UNORDERED = [
    "MATCH (a)-[r]->(b) RETURN a, r, b",
    "MATCH ()-[r]->() RETURN r",
    "MATCH (a) OPTIONAL MATCH (a)-[r:OWNS]->(b) RETURN a, r, b",
    "MATCH (a)-[r]-(b) WHERE a.id = $id RETURN a, r, b",
    "MATCH p = (a)-[r]->(b) WHERE b.country = 'Singapore' RETURN p, a, r",  # LIMIT would pick any rows
    "MATCH (a)-[r*1..2]->(b) WHERE a.id = $id RETURN r, b",
    "MATCH (a)-[r]->(b)-[s]->(c) WHERE a.id = $id RETURN a, r, b, s, c",
]


def _outputs(store, query, *, lean, **kw):
    """Columns and the JSON, table and CSV text of a streamed query."""
    from ecograph.query.result import iter_csv, iter_json, iter_table

    with store.stream(query, {"id": "alibaba"}, lean=lean, **kw) as rows:
        columns, got = rows.columns, list(rows)
    return columns, [("".join(f(columns, got))) for f in (iter_json, iter_table, iter_csv)], got


@pytest.mark.parametrize("query", _ORDERED)
def test_a_lean_stream_gives_an_ordered_answer_exactly_as_the_whole_one(seed_store, query):
    from ecograph.query.dialect import entity_ids, translate

    assert entity_ids(translate(query)) is not None  # the query is one the lean stream rewrites
    columns, texts, got = _outputs(seed_store, query, lean=True)
    assert (columns, texts) == _outputs(seed_store, query, lean=False)[:2]
    assert got and any(isinstance(v, (Node, Relationship)) for row in got for v in row)


@pytest.mark.parametrize("query", _UNORDERED)
def test_a_lean_stream_gives_the_same_rows_as_the_whole_one(seed_store, query):
    lean = _outputs(seed_store, query, lean=True)
    whole = _outputs(seed_store, query, lean=False)
    assert lean[0] == whole[0] and lean[2]
    assert sorted(map(repr, lean[2])) == sorted(map(repr, whole[2]))


def test_a_lean_stream_of_a_synthetic_set_matches_the_whole_one_across_batches(tmp_path):
    """A thousand and more ties read in batches of 200: nodes and relationships looked up per batch,
    relationship types sharing offsets across their FROM/TO tables, ends resolved. (6,000 ties
    in batches of 500 took a minute on a loaded machine and covered nothing more.)"""
    from ecograph.data.synth import write_synthetic

    ties = 1_500
    write_synthetic(tmp_path / "synth", 300, ties, seed=5)
    store = open_store([tmp_path / "synth"], tmp_path / "store")
    query = "MATCH (a)-[r]->(b) RETURN a, r, b, r.date ORDER BY a.id, b.id, elementId(r)"
    with store:
        columns, texts, got = _outputs(store, query, lean=True, batch_size=200)
        assert (columns, texts) == _outputs(store, query, lean=False)[:2]
        assert len(got) == ties and len({r.element_id for _, r, _, _ in got}) == ties
        unordered = "MATCH (a)-[r]->(b) RETURN b, r, a"
        lean, whole = _outputs(store, unordered, lean=True)[2], _outputs(store, unordered, lean=False)[2]
        assert sorted(map(repr, lean)) == sorted(map(repr, whole)) and len(lean) == ties


def test_a_lean_stream_holds_one_batch_of_nodes(seed_store):
    sizes = []
    with seed_store.stream("MATCH (a)-[r]->(b) RETURN a, r, b", batch_size=7) as rows:
        for _ in rows:
            sizes.append(len(rows.nodes))
    assert len(sizes) > 100 and max(sizes) <= 14


def test_a_stream_closed_early_ends_the_query(seed_store):
    rows = seed_store.stream("MATCH (n) RETURN n.id", batch_size=5)
    first = next(iter(rows))
    rows.close()
    assert first and list(rows) == []
    assert seed_store.query("RETURN 1 AS one").rows == [[1]]  # the connection is still good


def test_a_build_reports_progress_in_rows_copied(tiny, tmp_path):
    calls = []
    open_store([tiny], tmp_path / "store", progress=lambda *call: calls.append(call))
    build = [c for c in calls if c[0] == "Building the store"]
    total = 3 + 2 + 1 + 1  # entities, relationships, observations, their links
    assert build[0] == ("Building the store", 0, total) and build[-1] == ("Building the store", total, total)
    assert [done for _, done, _ in build] == sorted(done for _, done, _ in build)
    checking = [c for c in calls if c[0] == "Checking the data"]
    assert checking[0][1] == 0 and checking[-1][1] == checking[-1][2] > 0
    calls.clear()
    open_store([tiny], tmp_path / "store", progress=lambda *call: calls.append(call))
    assert calls == []  # reused: nothing to report


def test_observations_hang_from_their_subject(tiny, tmp_path):
    store = open_store([tiny], tmp_path / "store")
    rows = store.query(
        "MATCH (p:Platform)-[:HAS_OBSERVATION]->(o:Observation) RETURN p.id, o.id, o.metric, o.value, o.unit, o.year"
    ).rows
    assert rows == [["taobao", "taobao/gmv/2013", "gmv", 100.0, "CNY", 2013]]


def test_id_is_an_integer_and_element_id_the_string_of_the_returned_entity(seed_store):
    # Neo4j: id() an INTEGER, elementId() a STRING; `id(n) = $id` finds the node again (#16).
    result = seed_store.query("MATCH (n:Company) RETURN n, id(n) AS i, elementId(n) AS e ORDER BY n.id LIMIT 5")
    for node, number, element_id in result.rows:
        assert type(number) is int and element_id == node.element_id
        again = seed_store.query("MATCH (n) WHERE id(n) = $id RETURN n.id AS id", {"id": number})
        assert again.rows == [[node.key]]
    rel = seed_store.query("MATCH ()-[r:OWNS]->() RETURN r, id(r) AS i, elementId(r) AS e LIMIT 1").rows[0]
    assert type(rel[1]) is int and rel[2] == rel[0].element_id
    found = seed_store.query("MATCH ()-[r]->() WHERE id(r) = $id RETURN elementId(r) AS e", {"id": rel[1]})
    assert found.rows == [[rel[2]]]


def test_integer_sums_come_back_as_int(seed_store):
    (total,) = seed_store.query("MATCH ()-[r]->() WHERE r.count IS NOT NULL RETURN sum(r.count) AS n").rows[0]
    assert type(total) is int and total > 100000


def test_a_parameter_the_query_uses_must_be_given(seed_store):
    from ecograph.errors import MissingParameterError

    with pytest.raises(MissingParameterError) as e:
        seed_store.query("MATCH (n {id: $id})-[r]->(m {id: $other}) RETURN n", {"id": "alibaba"})
    assert str(e.value) == "the query uses $other but no value was given"


_BUILD_SCRIPT = """
import sys
from pathlib import Path
from ecograph.data.graphdata import shipped_data_dir
from ecograph.query.store import open_store
store = open_store([shipped_data_dir()], Path(sys.argv[1]), rebuild=True)
print(store.query("MATCH (c:Company) RETURN count(c)").rows[0][0])
"""


def test_concurrent_builds_of_one_store_all_succeed(tmp_path, seed_counts):
    path = tmp_path / "store"
    procs = [subprocess.Popen([sys.executable, "-c", _BUILD_SCRIPT, str(path)], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(3)]
    outputs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], [err for _, err in outputs]
    assert [out.strip() for out, _ in outputs] == [str(seed_counts["Company"])] * 3
    assert read_manifest(path) is not None
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store"]  # nothing left beside it


@pytest.mark.parametrize(
    "query, warning",
    [
        ("MATCH (n:Compny) RETURN n",
         "no node in the data has the label 'Compny', so that pattern matches nothing (did you mean 'Company'?)"),
        ("MATCH ()-[r:OWN]->() RETURN r",
         "no relationship in the data has the type 'OWN', so that pattern matches nothing (did you mean 'OWNS'?)"),
    ],
)
def test_misspelt_labels_and_types_match_nothing_with_a_hint(seed_store, query, warning):
    # As Neo4j reads a graph without them: no rows, not an error (#18); the hint is a warning.
    result = seed_store.query(query)
    assert result.rows == [] and result.warnings == [warning]


def test_a_misspelt_property_reads_as_null_with_a_hint(seed_store):
    result = seed_store.query("MATCH (n:Company) WHERE n.id = 'alibaba' RETURN n.id, n.nme_en")
    assert result.columns == ["n.id", "n.nme_en"] and result.rows == [["alibaba", None]]
    assert result.warnings == ["no entity or relationship in the data has the property 'nme_en', so n.nme_en is "
                               "null (did you mean 'name_en'?)"]


# --- the same store from a graph, from checked records and from Arrow columns ----------------------


def _contents(store) -> tuple[list, list, list]:
    nodes = store.query("MATCH (n) RETURN labels(n)[0] AS label, properties(n) AS p ORDER BY n.id").rows
    rels = store.query(
        "MATCH (a)-[r]->(b) RETURN a.id, type(r), b.id, properties(r) AS p "
        "ORDER BY a.id, type(r), b.id, r.date"
    ).rows
    obs = store.query("MATCH (s)-[:HAS_OBSERVATION]->(o) RETURN s.id, properties(o) ORDER BY o.id").rows
    return nodes, rels, obs


# The shipped case reads through both readers too (the columnar one forced): the synthetic set,
# six store builds of 1,500 ties, runs with the slow checks, which CI runs.
@pytest.mark.parametrize("data", ["shipped", pytest.param("synthetic", marks=pytest.mark.slow)])
def test_a_store_from_the_data_set_equals_one_from_the_graph(tmp_path, monkeypatch, data):
    from ecograph.data import graphdata
    from ecograph.data.graphdata import build_graph, read_graphdata
    from ecograph.query.store import build_store
    from ecograph.data.synth import write_synthetic

    if data == "shipped":
        dirs = [shipped_data_dir()]
    else:
        write_synthetic(tmp_path / "s", 200, 1500, seed=3)
        dirs = [tmp_path / "s"]
    rows_read = read_graphdata(dirs)
    monkeypatch.setattr(graphdata, "COLUMNAR_FROM_BYTES", 0)
    columns_read = read_graphdata(dirs)
    assert rows_read.relationship_table is None and columns_read.relationship_table is not None
    stores = {}
    for name, source in (("graph", build_graph(rows_read)), ("records", rows_read), ("columns", columns_read)):
        build_store(source, tmp_path / name, data_fingerprint(dirs))
        with open_store(dirs, tmp_path / name, load=lambda: pytest.fail("the store was not reused")) as store:
            stores[name] = _contents(store)
    assert stores["records"] == stores["graph"]
    assert stores["columns"] == stores["graph"]
    nodes, rels, obs = stores["graph"]
    ties = [r for r in rels if r[1] != "HAS_OBSERVATION"]
    assert len(ties) == len(rows_read.relationships) and len(nodes) == len(rows_read.entities) + len(obs)
    # properties() lists only the properties set, as in Neo4j
    assert any(r[3].get("stake") is not None and r[3].get("year") is not None for r in ties)
