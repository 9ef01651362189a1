"""The Neo4j backend against a real server; skipped unless NEO4J_URI is set.

    NEO4J_URI=neo4j://localhost:7687 NEO4J_USERNAME=neo4j NEO4J_PASSWORD=… \\
        pytest tests/test_neo4j_live.py

NEO4J_DATABASE picks a database (default: the server's). Use a throwaway server or database:
the tests push the seed graph and wipe every node labelled ``Ecograph`` in it. Nodes without
that label are left alone (one test checks exactly that).
"""

from __future__ import annotations

import os
import uuid

import pytest

URI = os.environ.get("NEO4J_URI")
if not URI:
    pytest.skip(
        "NEO4J_URI not set: live Neo4j tests need a server (set NEO4J_URI, NEO4J_USERNAME, "
        "NEO4J_PASSWORD and optionally NEO4J_DATABASE; Ecograph-labelled nodes there are replaced)",
        allow_module_level=True,
    )

import ecograph  # noqa: E402
from ecograph.query import rows  # noqa: E402
from ecograph.errors import Neo4jError, QueryError  # noqa: E402
from ecograph.data.graphdata import read_graphdata, shipped_data_dir  # noqa: E402
from ecograph.query.neo4j_backend import Neo4jSettings, connect, push, run_query  # noqa: E402
from ecograph.query.result import Node, Path  # noqa: E402

USER = os.environ.get("NEO4J_USERNAME", "neo4j")
PASSWORD = os.environ.get("NEO4J_PASSWORD", "")
DATABASE = os.environ.get("NEO4J_DATABASE") or None
_SHIPPED = read_graphdata([shipped_data_dir()])
ENTITIES, RELATIONSHIPS, OBSERVATIONS = len(_SHIPPED.entities), _SHIPPED.relationship_count, len(_SHIPPED.observations)
N_NODES, N_RELS = ENTITIES + OBSERVATIONS, RELATIONSHIPS + OBSERVATIONS


@pytest.fixture(scope="module")
def G():
    return ecograph.load()


@pytest.fixture(scope="module")
def driver():
    driver = connect(Neo4jSettings(URI, user=USER, database=DATABASE), PASSWORD)
    yield driver
    driver.close()


def count(driver, query: str, **params) -> int:
    records, _, _ = driver.execute_query(query, params, database_=DATABASE)
    return records[0][0]


def ecograph_counts(driver) -> tuple[int, int]:
    return (count(driver, "MATCH (n:Ecograph) RETURN count(n)"),
            count(driver, "MATCH (:Ecograph)-[r]->(:Ecograph) RETURN count(r)"))


def read(driver, query: str, **params):
    return run_query(driver, query, params, database=DATABASE)


@pytest.fixture(scope="module")
def pushed(G, driver):
    """The seed graph pushed on a wiped slate, once for the module."""
    done: list[int] = []
    summary = push(G, driver, database=DATABASE, wipe=True, batch_size=50, progress=done.append)
    return summary, done


def test_first_push_creates_the_whole_graph(pushed, driver):
    summary, done = pushed
    assert (summary.nodes_created, summary.relationships_created) == (N_NODES, N_RELS)
    assert (summary.entities, summary.relationships, summary.observations) == (ENTITIES, RELATIONSHIPS, OBSERVATIONS)
    assert sum(done) == N_NODES + N_RELS and max(done) <= 50
    assert ecograph_counts(driver) == (N_NODES, N_RELS)


def test_second_push_changes_nothing(pushed, G, driver):
    again = push(G, driver, database=DATABASE)
    assert (again.nodes_created, again.relationships_created, again.nodes_deleted) == (0, 0, 0)
    assert (again.constraints, again.indexes) == (0, 0)
    assert ecograph_counts(driver) == (N_NODES, N_RELS)


def test_push_replaces_properties_and_kind(pushed, G, driver):
    driver.execute_query("MATCH (n:Ecograph {id: 'alibaba'}) SET n.stale = 1", database_=DATABASE)
    H = G.copy()
    H.nodes["taobao"]["kind"] = "Company"
    push(H, driver, database=DATABASE)
    assert count(driver, "MATCH (n:Ecograph {id: 'alibaba'}) RETURN count(n.stale)") == 0
    records, _, _ = driver.execute_query("MATCH (n:Ecograph {id: 'taobao'}) RETURN labels(n)", database_=DATABASE)
    assert sorted(records[0][0]) == ["Company", "Ecograph"]
    push(G, driver, database=DATABASE)
    records, _, _ = driver.execute_query("MATCH (n:Ecograph {id: 'taobao'}) RETURN labels(n)", database_=DATABASE)
    assert sorted(records[0][0]) == ["Ecograph", "Platform"]
    assert ecograph_counts(driver) == (N_NODES, N_RELS)


def test_a_node_comes_back_with_every_property(pushed, G, driver):
    result = read(driver, "MATCH (c:Company {id: $id}) RETURN c", id="alibaba")
    assert result.columns == ["c"] and result.backend == "neo4j"
    (node,) = result.rows[0]
    row = next(r for r in rows.entity_rows(G)["Company"] if r["id"] == "alibaba")
    expected = {k: v for k, v in row.items() if v is not None}
    assert node == Node("alibaba", ("Company", "Ecograph"), expected, node.element_id)
    assert result.nodes == {"alibaba": node}


def test_a_stream_gives_the_rows_a_batch_at_a_time_with_their_ends(pushed, G, driver):
    from ecograph.query.neo4j_backend import stream_query

    query = "MATCH (:Ecograph)-[r]->(b) WHERE NOT b:Observation RETURN r"
    whole = read(driver, query)
    ends = set()
    with stream_query(driver, query, {}, database=DATABASE, batch_size=10) as stream:
        streamed = []
        for row in stream:
            streamed.append(row)
            (r,) = row
            assert stream.nodes[r.start].kind == G.nodes[r.start]["kind"]
            ends.add(r.end)
    assert sorted(map(repr, streamed)) == sorted(map(repr, whole.rows))
    assert len(streamed) == G.number_of_edges()


def test_relationships_alone_bring_their_end_nodes(pushed, G, driver):
    result = read(driver, "MATCH (:Ecograph {id: $id})-[r]->(b) WHERE NOT b:Observation RETURN r", id="alibaba")
    got = sorted((r.start, r.type, r.end) for (r,) in result.rows)
    assert got == sorted((u, t, v) for u, v, t in G.out_edges("alibaba", data="type"))
    for _, _, end in got:
        assert result.nodes[end].kind == G.nodes[end]["kind"]
        assert result.nodes[end].properties["name_zh"] == G.nodes[end]["name_zh"]


def test_the_whole_graph_comes_back_as_loaded(pushed, G, driver):
    result = read(driver, "MATCH (a:Ecograph)-[r]->(b:Ecograph) WHERE NOT b:Observation RETURN a, r, b")
    H = result.subgraph()
    assert sorted(H.edges(data="type")) == sorted(G.edges(data="type"))
    assert {n: k for n, k in H.nodes(data="kind")} == {n: k for n, k in G.nodes(data="kind")}


def test_observations_paths_and_scalars(pushed, G, driver):
    subject = G.graph["observations"][0]["subject"]
    result = read(driver, "MATCH (:Ecograph {id: $id})-[:HAS_OBSERVATION]->(o:Observation) RETURN o ORDER BY o.id",
                  id=subject)
    expected = sorted((r for r in rows.observation_rows(G) if r["subject"] == subject), key=lambda r: r["id"])
    assert [o.properties for (o,) in result.rows] == [{k: v for k, v in r.items() if v is not None}
                                                      for r in expected]

    result = read(driver, "MATCH p = (:Company {id: 'alibaba'})-[:OWNS]->(:Platform {id: 'taobao'}) RETURN p")
    (path,) = result.rows[0]
    assert isinstance(path, Path)
    assert [n.key for n in path.nodes] == ["alibaba", "taobao"]
    assert [(r.start, r.type, r.end) for r in path.relationships] == [("alibaba", "OWNS", "taobao")]

    result = read(driver, "MATCH (n:Ecograph) RETURN count(n) AS n, date('2015-06-01') AS d, "
                          "duration('P2D') AS s, [1, 'x', null] AS l")
    assert result.rows == [[N_NODES, "2015-06-01", "P2D", [1, "x", None]]]


def test_a_bad_query_is_a_query_error(pushed, driver):
    with pytest.raises(QueryError) as err:
        read(driver, "MATCH (n) RETRUN n")
    assert str(err.value).startswith("Neo.ClientError.Statement.SyntaxError: ")
    assert "\n" not in str(err.value)


def test_wipe_removes_only_ecograph_nodes(pushed, G, driver):
    tag = f"ecograph-live-{uuid.uuid4()}"
    created = run_query(driver, "CREATE (n:EcographLiveTestForeign {tag: $tag}) RETURN n", {"tag": tag},
                        database=DATABASE, write=True)
    (node,) = created.rows[0]
    assert node.labels == ("EcographLiveTestForeign",) and node.key == node.element_id
    try:
        summary = push(G, driver, database=DATABASE, wipe=True, batch_size=100)
        assert (summary.nodes_deleted, summary.nodes_created, summary.relationships_created) == (
            N_NODES, N_NODES, N_RELS)
        assert count(driver, "MATCH (n:EcographLiveTestForeign {tag: $tag}) RETURN count(n)", tag=tag) == 1
        assert ecograph_counts(driver) == (N_NODES, N_RELS)
    finally:
        driver.execute_query("MATCH (n:EcographLiveTestForeign {tag: $tag}) DETACH DELETE n", {"tag": tag},
                             database_=DATABASE)


def test_wrong_password_is_named(driver):
    wrong = PASSWORD + "-Wrong-Zebra-91"
    with pytest.raises(Neo4jError) as err:
        connect(Neo4jSettings(URI, user=USER, database=DATABASE), wrong)
    assert str(err.value) == (
        f"Neo4j at {URI} refused the login for user {USER!r}: wrong username or password"
    )
    assert err.value.field == "credentials"
    assert wrong not in str(err.value)


def test_unknown_database_is_named(driver):
    with pytest.raises(Neo4jError) as err:
        connect(Neo4jSettings(URI, user=USER, database="ecograph-no-such-database"), PASSWORD)
    assert str(err.value) == (
        f"Neo4j at {URI} has no database 'ecograph-no-such-database'; name an existing one, "
        "or none for the server's default database"
    )
    if PASSWORD:
        assert PASSWORD not in str(err.value)
