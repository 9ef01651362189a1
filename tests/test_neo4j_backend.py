"""The Neo4j backend without a server: settings, error messages, push planning, value conversion.

Connection failures are produced for real: the driver dials a closed local port, or a local
socket that is not Neo4j (plain TCP, or TLS with a self-signed certificate). Nothing pretends to
be a Neo4j server; what needs one is in test_neo4j_live.py.
"""

from __future__ import annotations

import re
import shutil
import socket
import ssl
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from neo4j import exceptions as nx_exc

import ecograph
from ecograph.query import neo4j_backend as nb
from ecograph.query import rows
from ecograph.data import schema
from ecograph.errors import Neo4jError, QueryError
from ecograph.query.neo4j_backend import Neo4jSettings, connect, map_error, plan_push, push_statements
from ecograph.query.result import Node, Path as ResultPath, Relationship

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "Zebra-Pw-7f3c!secret"
LABELS = [*schema.KINDS, schema.ENTITY_MARKER_LABEL, schema.OBSERVATION_LABEL]
TYPES = [*schema.REL_TYPES, schema.OBSERVATION_REL]


@pytest.fixture(scope="module")
def G():
    return ecograph.load()


def server_error(code: str, message: str) -> nx_exc.Neo4jError:
    """A server error built the way the driver builds it from a Bolt FAILURE message."""
    hydrate = getattr(nx_exc.Neo4jError, "_hydrate_neo4j", None) or nx_exc.Neo4jError.hydrate  # driver 6 | 5
    return hydrate(code=code, message=message)


def chained(*excs: BaseException) -> BaseException:
    """``excs[0]`` raised from ``excs[1]`` raised from … (as the driver chains them)."""
    for outer, inner in zip(excs, excs[1:]):
        outer.__cause__ = inner
    return excs[0]


def assert_clean(message: str) -> None:
    assert "\n" not in message
    assert PASSWORD not in message


# --- settings ------------------------------------------------------------------------------------


@pytest.mark.parametrize("scheme", nb.SCHEMES)
def test_every_supported_scheme_is_accepted(scheme):
    s = Neo4jSettings(f"{scheme}://db.example.org:7687", user="alice", database="graph")
    assert (s.scheme, s.host, s.address, s.user, s.database) == (scheme, "db.example.org", "db.example.org:7687",
                                                                 "alice", "graph")


def test_settings_defaults():
    s = Neo4jSettings("neo4j://localhost")
    assert (s.user, s.database) == ("neo4j", None)
    assert "password" not in repr(s)


@pytest.mark.parametrize(
    ("uri", "message"),
    [
        ("http://localhost:7474",
         "unsupported Neo4j URI scheme 'http'; use one of bolt, bolt+s, bolt+ssc, neo4j, neo4j+s, neo4j+ssc "
         "(e.g. neo4j://localhost:7687)"),
        ("bolt+routing://localhost",
         "unsupported Neo4j URI scheme 'bolt+routing'; use one of bolt, bolt+s, bolt+ssc, neo4j, neo4j+s, "
         "neo4j+ssc (e.g. neo4j://localhost:7687)"),
        ("localhost:7687",
         "Neo4j URI 'localhost:7687' has no scheme; write it as scheme://host:port with a scheme from "
         "bolt, bolt+s, bolt+ssc, neo4j, neo4j+s, neo4j+ssc (e.g. neo4j://localhost:7687)"),
        ("bolt://:7687", "Neo4j URI 'bolt://:7687' names no host; write it as bolt://host:port"),
        (f"neo4j://neo4j:{PASSWORD}@localhost:7687",
         "the Neo4j URI must not hold a user name or password; give them separately"),
    ],
)
def test_unusable_uris_are_refused_in_one_line(uri, message):
    with pytest.raises(Neo4jError) as err:
        Neo4jSettings(uri)
    assert str(err.value) == message
    assert_clean(str(err.value))


# --- map_error with the driver's own exception classes -------------------------------------------

S = Neo4jSettings("neo4j://graph.example.org:7687", user="alice", database="alliances")
B = Neo4jSettings("bolt+s://graph.example.org:7687", user="alice")


def _cert_error() -> ssl.SSLCertVerificationError:
    e = ssl.SSLCertVerificationError(1, "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed")
    e.verify_message = "self-signed certificate"
    return e


MAPPED = [
    pytest.param(
        server_error("Neo.ClientError.Security.Unauthorized", "The client is unauthorized due to authentication failure."),
        S,
        "Neo4j at neo4j://graph.example.org:7687 refused the login for user 'alice': wrong username or "
        "password",
        id="auth-from-server",
    ),
    pytest.param(
        nx_exc.AuthError("authentication failed"),
        S,
        "Neo4j at neo4j://graph.example.org:7687 refused the login for user 'alice': wrong username or "
        "password",
        id="auth-class",
    ),
    pytest.param(
        server_error("Neo.ClientError.Security.AuthenticationRateLimit",
                     "The client has provided incorrect authentication details too many times in a row."),
        S,
        "Neo4j at neo4j://graph.example.org:7687 refused to log in: too many failed attempts; wait a while, "
        "then retry with the right user name and password",
        id="rate-limit",
    ),
    pytest.param(
        server_error("Neo.ClientError.Database.DatabaseNotFound",
                     "Database does not exist. Database name: 'alliances'."),
        S,
        "Neo4j at neo4j://graph.example.org:7687 has no database 'alliances'; name an existing one, "
        "or none for the server's default database",
        id="unknown-database",
    ),
    pytest.param(
        server_error("Neo.ClientError.Security.Forbidden", "Read operations are not allowed for user 'alice'.\nmore"),
        S,
        "Neo4j at neo4j://graph.example.org:7687 does not allow user 'alice' to do this: "
        "Read operations are not allowed for user 'alice'.",
        id="forbidden",
    ),
    pytest.param(
        chained(
            nx_exc.ServiceUnavailable("Couldn't connect to graph.example.org:7687 (resolved to ()):\nFailed"),
            nx_exc.ServiceUnavailable("Failed to establish connection (reason [Errno 111] Connection refused)"),
            ConnectionRefusedError(111, "Connection refused"),
        ),
        S,
        "cannot connect to Neo4j at neo4j://graph.example.org:7687: connection refused; is Neo4j running, "
        "and is the Bolt port right (default 7687)?",
        id="refused",
    ),
    pytest.param(
        chained(nx_exc.ServiceUnavailable("Unable to retrieve routing information"),
                ExceptionGroup("All routing table requests failed (1 sub-exception)",
                               [chained(nx_exc.ServiceUnavailable("x"), ConnectionRefusedError(111, "refused"))])),
        S,
        "cannot connect to Neo4j at neo4j://graph.example.org:7687: connection refused; is Neo4j running, "
        "and is the Bolt port right (default 7687)?",
        id="refused-behind-routing",
    ),
    pytest.param(
        chained(nx_exc.ServiceUnavailable("Failed to DNS resolve address graph.example.org:7687"),
                socket.gaierror(-2, "Name or service not known")),
        S,
        "cannot connect to Neo4j at neo4j://graph.example.org:7687: host 'graph.example.org' not found; "
        "check the host name in the URI",
        id="dns",
    ),
    pytest.param(
        chained(nx_exc.ServiceUnavailable("Couldn't connect:\n[SSLError] Connection Failed."),
                ssl.SSLError(1, "[SSL: WRONG_VERSION_NUMBER] wrong version number")),
        B,
        "cannot connect to Neo4j at bolt+s://graph.example.org:7687: the TLS handshake failed, the server "
        "does not seem to speak TLS on this port; use bolt:// instead of bolt+s://",
        id="tls-to-plain-server",
    ),
    pytest.param(
        chained(nx_exc.ServiceUnavailable("Couldn't connect:\n[SSLCertVerificationError] Connection Failed."),
                _cert_error()),
        B,
        "cannot connect to Neo4j at bolt+s://graph.example.org:7687: the server's TLS certificate could not be "
        "verified (self-signed certificate); for a self-signed certificate use bolt+ssc:// instead of "
        "bolt+s://, or install the certificate's CA on this machine",
        id="certificate",
    ),
    pytest.param(
        nx_exc.ServiceUnavailable("Couldn't connect to graph.example.org:7687:\n"
                                  "Connection to graph.example.org:7687 closed with incomplete handshake response"),
        Neo4jSettings("bolt://graph.example.org:7687"),
        "cannot connect to Neo4j at bolt://graph.example.org:7687: the server closed the connection during "
        "the Bolt handshake; if it requires encryption, use bolt+s:// (or bolt+ssc:// for a self-signed "
        "certificate)",
        id="plain-to-tls-server",
    ),
    pytest.param(
        chained(nx_exc.ServiceUnavailable("Unable to retrieve routing information"),
                ExceptionGroup("All routing table requests failed (1 sub-exception)", [
                    server_error("Neo.ClientError.Procedure.ProcedureNotFound",
                                 "There is no procedure with the name `dbms.routing.getRoutingTable`")])),
        S,
        "cannot get routing information from Neo4j at neo4j://graph.example.org:7687: the server does not "
        "offer routing (a single server without routing, or not a cluster member); try "
        "bolt://graph.example.org:7687 instead of neo4j://",
        id="routing",
    ),
    pytest.param(
        nx_exc.ServiceUnavailable("Couldn't connect:\nCannot to connect to Bolt service on x (looks like HTTP)"),
        Neo4jSettings("bolt://localhost:7474"),
        "cannot connect to Neo4j at bolt://localhost:7474: that port speaks HTTP, not Bolt; use the Bolt port "
        "(default 7687), not the browser's (7474)",
        id="http-port",
    ),
    pytest.param(
        chained(nx_exc.ServiceUnavailable("Couldn't connect to 10.0.0.9:7687:\nTimed out trying to establish"),
                TimeoutError("timed out")),
        Neo4jSettings("bolt://10.0.0.9:7687"),
        "cannot connect to Neo4j at bolt://10.0.0.9:7687: no answer (timed out); check the host and port, "
        "and that no firewall is in the way",
        id="timeout",
    ),
    pytest.param(
        server_error("Neo.DatabaseError.General.UnknownError", "Something broke\nstack"),
        S,
        "Neo4j at neo4j://graph.example.org:7687 failed: Neo.DatabaseError.General.UnknownError: Something broke",
        id="other-server-error",
    ),
]


@pytest.mark.parametrize(("exc", "settings", "message"), MAPPED)
def test_map_error_gives_one_line_saying_what_to_try(exc, settings, message):
    err = map_error(exc, settings, password=PASSWORD)
    assert isinstance(err, Neo4jError)
    assert str(err) == message
    assert_clean(str(err))


def test_map_error_blanks_the_password_out_of_quoted_driver_text():
    exc = nx_exc.ConfigurationError(f"bad auth token ('neo4j', '{PASSWORD}')\nsecond line")
    message = str(map_error(exc, S, password=PASSWORD))
    assert message == "cannot use Neo4j at neo4j://graph.example.org:7687: bad auth token ('neo4j', '***') second line"
    assert_clean(message)


def test_map_error_without_settings_names_no_server():
    exc = server_error("Neo.ClientError.Database.DatabaseNotFound", "Database does not exist.")
    assert str(map_error(exc)) == (
        "Neo4j has no database; name an existing one, or none for the server's default database"
    )
    assert map_error(exc).field == "database"  # the CLI names its --database option


@pytest.mark.parametrize("exc", [p.values[0] for p in MAPPED if p.id in ("auth-from-server", "auth-class", "rate-limit")])
def test_a_refused_login_names_no_setting_but_marks_the_credentials(exc):
    err = map_error(exc, S)
    assert err.field == "credentials"  # the CLI says where user and password come from
    assert "NEO4J" not in str(err) and "--" not in str(err)


@pytest.mark.parametrize(
    ("exc", "kind", "message"),
    [
        (server_error("Neo.ClientError.Statement.SyntaxError", "Invalid input 'RETRUN'\n\"RETRUN 1\"\n ^"),
         QueryError, "Neo.ClientError.Statement.SyntaxError: Invalid input 'RETRUN'"),
        (server_error("Neo.ClientError.Statement.AccessMode", "Writing in read access mode not allowed."),
         QueryError, "Neo.ClientError.Statement.AccessMode: Writing in read access mode not allowed."),
        (server_error("Neo.ClientError.Schema.ConstraintValidationFailed", "Node(1) already exists\nx"),
         QueryError, "Neo.ClientError.Schema.ConstraintValidationFailed: Node(1) already exists"),
        (server_error("Neo.ClientError.Database.DatabaseNotFound", "Database does not exist."),
         Neo4jError, "Neo4j has no database 'other'; name an existing one, "
                     "or none for the server's default database"),
        (server_error("Neo.ClientError.Security.Unauthorized", "The client is unauthorized."),
         Neo4jError, "Neo4j refused the login: wrong username or password"),
        (nx_exc.SessionExpired("Connection to the server was lost"),
         Neo4jError, "cannot connect to Neo4j: Connection to the server was lost"),
    ],
)
def test_failures_while_running_a_query(exc, kind, message):
    err = nb._failure(exc, "other")
    assert type(err) is kind
    assert str(err) == message


# --- connect() with the real driver against local sockets ----------------------------------------


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def listener() -> Iterator[callable]:
    """Start local TCP listeners that are not Neo4j: ``listen(tls_context_or_None) -> port``."""
    sockets: list[socket.socket] = []

    def listen(context: ssl.SSLContext | None = None) -> int:
        srv = socket.socket()
        srv.bind(("127.0.0.1", 0))
        srv.listen(8)
        sockets.append(srv)

        def serve() -> None:
            while True:
                try:
                    conn, _ = srv.accept()
                except OSError:
                    return
                try:
                    if context is not None:
                        conn = context.wrap_socket(conn, server_side=True)
                    else:
                        conn.recv(64)  # read the client's first bytes, then hang up
                except (OSError, ssl.SSLError):
                    pass
                finally:
                    conn.close()

        threading.Thread(target=serve, daemon=True).start()
        return srv.getsockname()[1]

    yield listen
    for srv in sockets:
        srv.close()


def _connect_error(uri: str) -> Neo4jError:
    with pytest.raises(Neo4jError) as err:
        connect(Neo4jSettings(uri), PASSWORD, connection_timeout=5)
    assert isinstance(err.value.__cause__, nx_exc.DriverError)  # the driver's error stays chained
    assert_clean(str(err.value))
    assert PASSWORD not in str(err.value.__cause__)
    return err.value


@pytest.mark.parametrize("scheme", ["bolt", "neo4j"])
def test_connect_to_a_closed_port_says_connection_refused(scheme):
    port = _closed_port()
    assert str(_connect_error(f"{scheme}://127.0.0.1:{port}")) == (
        f"cannot connect to Neo4j at {scheme}://127.0.0.1:{port}: connection refused; is Neo4j running, "
        "and is the Bolt port right (default 7687)?"
    )


@pytest.mark.parametrize("scheme", ["bolt+s", "bolt+ssc", "neo4j+s"])
def test_connect_with_tls_to_a_plain_socket_says_tls_mismatch(listener, scheme):
    port = listener()
    plain = scheme.split("+")[0]
    assert str(_connect_error(f"{scheme}://127.0.0.1:{port}")) == (
        f"cannot connect to Neo4j at {scheme}://127.0.0.1:{port}: the TLS handshake failed, the server does "
        f"not seem to speak TLS on this port; use {plain}:// instead of {scheme}://"
    )


@pytest.fixture(scope="module")
def self_signed(tmp_path_factory) -> ssl.SSLContext:
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a self-signed certificate")
    d = tmp_path_factory.mktemp("tls")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(d / "key.pem"),
         "-out", str(d / "cert.pem"), "-days", "1", "-subj", "/CN=localhost"],
        check=True, capture_output=True, timeout=60,
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(d / "cert.pem", d / "key.pem")
    return context


def test_connect_with_tls_to_a_self_signed_certificate_suggests_ssc(listener, self_signed):
    port = listener(self_signed)
    assert str(_connect_error(f"bolt+s://localhost:{port}")) == (
        f"cannot connect to Neo4j at bolt+s://localhost:{port}: the server's TLS certificate could not be "
        "verified (self-signed certificate); for a self-signed certificate use bolt+ssc:// instead of "
        "bolt+s://, or install the certificate's CA on this machine"
    )


def test_connect_without_tls_to_a_tls_socket_suggests_s(listener, self_signed):
    port = listener(self_signed)
    assert str(_connect_error(f"bolt://localhost:{port}")) == (
        f"cannot connect to Neo4j at bolt://localhost:{port}: the server closed the connection during the "
        "Bolt handshake; if it requires encryption, use bolt+s:// (or bolt+ssc:// for a self-signed certificate)"
    )


def test_importing_the_backend_and_exports_does_not_import_the_driver():
    code = ("import sys, ecograph.query.neo4j_backend, ecograph.export.cypher, ecograph.export.neo4j_admin; "
            "print('neo4j' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "False"


# --- push planning -------------------------------------------------------------------------------

ENTITY_COMPANY = (
    "UNWIND $rows AS row\n"
    "MERGE (n:Ecograph {id: row.id})\n"
    "SET n = row.props, n:Company\n"
    "REMOVE n:" + ":".join(k for k in schema.KINDS if k != "Company") + "\n"
    "RETURN count(*) AS rows"
)
OBSERVATIONS = (
    "UNWIND $rows AS row\n"
    "MERGE (n:Ecograph {id: row.id})\n"
    "SET n = row.props, n:Observation\n"
    "RETURN count(*) AS rows"
)
TIES_OWNS = (
    "UNWIND $rows AS row\n"
    "MATCH (a:Ecograph {id: row.from})\n"
    "MATCH (b:Ecograph {id: row.to})\n"
    "MERGE (a)-[r:OWNS {key: row.key}]->(b)\n"
    "SET r = row.props\n"
    "RETURN count(*) AS rows"
)
LINKS = (
    "UNWIND $rows AS row\n"
    "MATCH (a:Ecograph {id: row.from})\n"
    "MATCH (b:Ecograph {id: row.to})\n"
    "MERGE (a)-[:HAS_OBSERVATION]->(b)\n"
    "RETURN count(*) AS rows"
)


def test_push_statements_are_exactly_these():
    statements = push_statements()
    kinds, types = len(schema.KINDS), len(schema.REL_TYPES)
    # the id constraint, an index per label (kinds and Observation), the wipe, then a push per
    # kind, one for observations, one per relationship type and one for the observation links
    assert len(statements) == len(set(statements)) == 1 + (kinds + 1) + 1 + kinds + 1 + types + 1
    assert statements[0] == "CREATE CONSTRAINT ecograph_id IF NOT EXISTS FOR (n:Ecograph) REQUIRE n.id IS UNIQUE"
    assert statements[1] == "CREATE INDEX ecograph_Company_id IF NOT EXISTS FOR (n:Company) ON (n.id)"
    assert statements[kinds + 1] == "CREATE INDEX ecograph_Observation_id IF NOT EXISTS FOR (n:Observation) ON (n.id)"
    assert statements[kinds + 2] == "MATCH (n:Ecograph) WITH n LIMIT $limit DETACH DELETE n RETURN count(*) AS deleted"
    for expected in (ENTITY_COMPANY, OBSERVATIONS, TIES_OWNS, LINKS):
        assert expected in statements


def test_plan_push_batches_every_row_exactly_once(G, seed_counts):
    plan = plan_push(G, batch_size=10)
    entity_rows = rows.entity_rows(G)
    rel_rows = rows.relationship_rows(G)
    obs_rows = rows.observation_rows(G)
    links = rows.observation_links(G, obs_rows)

    def sizes(n: int) -> list[int]:
        return [10] * (n // 10) + ([n % 10] if n % 10 else [])

    expected = []
    for group in entity_rows.values():
        expected += sizes(len(group))
    expected += sizes(len(obs_rows))
    for group in rel_rows.values():
        expected += sizes(len(group))
    for group in links.values():
        expected += sizes(len(group))
    assert [len(batch) for _, batch in plan] == expected
    observations = len(G.graph["observations"])
    assert sum(expected) == G.number_of_nodes() + observations + G.number_of_edges() + observations

    node_ids = Counter(r["id"] for s, batch in plan for r in batch if "id" in r)
    assert set(node_ids.values()) == {1}
    assert set(node_ids) == set(G.nodes) | {o["id"] for o in obs_rows}
    keys = Counter(r["key"] for _, batch in plan for r in batch if "key" in r)
    assert set(keys.values()) == {1}
    assert set(keys) == {r["key"] for group in rel_rows.values() for r in group}
    link_pairs = Counter((r["from"], r["to"]) for s, batch in plan for r in batch if s == LINKS)
    assert sum(link_pairs.values()) == seed_counts["observations"] and set(link_pairs.values()) == {1}


def test_plan_push_statement_per_group_and_rows_in_order(G):
    plan = plan_push(G)  # default batch size: one batch per group
    assert len(plan) == len(nb.push_groups(G))  # labels, observations, tie groups, observation links
    statement, batch = plan[0]
    assert statement == ENTITY_COMPANY
    first = rows.entity_rows(G)["Company"][0]
    assert batch[0] == {"id": "alibaba", "props": {k: v for k, v in first.items() if v is not None}}
    assert batch[0]["props"] == {
        "id": "alibaba", "name": "Alibaba Group", "name_en": "Alibaba Group", "name_zh": "阿里巴巴",
        "aliases": ["Alibaba", "阿里巴巴集團", "阿里"], "country": "Mainland China",
        "description": first["description"],
    }
    owns = [b for s, b in plan if s == TIES_OWNS]
    assert owns and owns[0][0]["props"]["key"] == owns[0][0]["key"]
    assert {"from", "to"}.isdisjoint(owns[0][0]["props"])
    assert all(len(b) == 1 for b in (plan_push(G, batch_size=1)[i][1] for i in range(5)))


def test_plan_push_rejects_a_batch_size_below_one(G):
    with pytest.raises(ValueError, match="batch_size must be at least 1, not 0"):
        plan_push(G, batch_size=0)


def test_statements_hold_no_values_and_only_schema_names(G):
    statements = push_statements() + nb.query_statements() + sorted({s for s, _ in plan_push(G)})
    values = set(G.nodes) | {a.get("name_en") for _, a in G.nodes(data=True)} | {
        a.get("name_zh") for _, a in G.nodes(data=True)}
    for statement in statements:
        assert "'" not in statement and '"' not in statement  # no string literal at all
        for value in filter(None, values):
            assert not re.search(rf"(?<![\w-]){re.escape(value)}(?![\w-])", statement), (value, statement)
        for label in re.findall(r":(\w+)", statement):
            assert label in LABELS or label in TYPES, label
        assert "CREATE (" not in statement and "CREATE ()" not in statement  # data is MERGEd
    data = sorted({s for s, _ in plan_push(G)})
    assert all(s.startswith("UNWIND $rows AS row\nM") and "MERGE (" in s for s in data)


def test_labels_and_types_outside_the_schema_are_refused():
    with pytest.raises(ValueError) as err:
        nb.schema_statements(["Company) DETACH DELETE n //"])
    assert str(err.value) == "not a label of the schema: 'Company) DETACH DELETE n //'"
    with pytest.raises(ValueError) as err:
        nb._relationship_body("KNOWS")
    assert str(err.value) == "not a relationship type of the schema: 'KNOWS'"


# --- all generated Cypher passes Neo4j's parser --------------------------------------------------




@pytest.mark.slow  # Neo4j's parser over the whole generated script: about a minute uncached; CI runs it
def test_every_generated_statement_passes_neo4j_lint(tmp_path, cypher_lint):
    statements = push_statements() + nb.query_statements()
    path = tmp_path / "generated.cypher"
    path.write_text("".join(s + ";\n" for s in statements), encoding="utf-8")
    result = cypher_lint(path.name, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().endswith("0 error(s), 0 warning(s) in 1 file(s)")


def test_the_linter_catches_a_broken_statement(tmp_path, cypher_lint):
    # Proves the lint test above can fail: a misspelt label and an unclosed string.
    path = tmp_path / "broken.cypher"
    path.write_text("MATCH (n:Compnay) RETURN n;\nRETURN 'open;\n", encoding="utf-8")
    result = cypher_lint(path.name, cwd=tmp_path)
    assert result.returncode == 1
    assert "Label Compnay is not present in the database" in result.stdout


# --- driver values into ecograph results ---------------------------------------------------------


@pytest.fixture
def hydrate():
    """The driver's own Bolt hydrator, which builds graph values from what a server sends.

    Private to the driver, and kept on purpose: its public ``neo4j.graph`` classes build a node,
    but a relationship's ends and a path's hops are set only by the hydrator, and no Neo4j server
    exists here to send real ones. Where the internals move, these tests skip, saying so, and
    test_neo4j_live covers the conversion against a server."""
    import importlib

    for module in ("neo4j._codec.hydration.bolt.v1.hydration_handler",  # driver 6
                   "neo4j._codec.hydration.v1.hydration_handler"):  # driver 5
        try:
            return importlib.import_module(module)._GraphHydrator()
        except (ImportError, AttributeError):
            continue
    # Driver internals moved: conversion is still covered by the live suite.
    pytest.skip("neo4j driver hydration internals not found")


def test_nodes_relationships_and_paths_become_result_values(hydrate):
    from neo4j import time as ntime
    from neo4j.spatial import WGS84Point

    alibaba = hydrate.hydrate_node(1, ["Ecograph", "Company"], {"id": "alibaba", "name": "Alibaba Group",
                                                                "aliases": ["阿里"]}, "4:db:1")
    owns = hydrate.hydrate_relationship(9, 1, 2, "OWNS", {"key": "alibaba|OWNS|taobao|", "stake": 0.5},
                                        "5:db:9", "4:db:1", "4:db:2")
    foreign = hydrate.hydrate_node(3, ["Other"], {"title": "x"}, "4:db:3")
    values = [[alibaba, owns, foreign,
               {"when": ntime.DateTime(2024, 1, 2, 3, 4, 5), "day": ntime.Date(2015, 6, 1),
                "span": ntime.Duration(days=2), "where": WGS84Point((121.5, 31.2)), "raw": b"\x01\xff"},
               [1, 2.5, None, "t"]]]
    assert [n.element_id for n in nb._bare_end_nodes(values)] == ["4:db:2"]

    fetched = {"4:db:2": (["Platform", "Ecograph"], {"id": "taobao", "name": "Taobao"})}
    result = nb._to_result(["a", "r", "f", "m", "l"], values, fetched)

    a, r, f, m, lst = result.rows[0]
    assert a == Node("alibaba", ("Company", "Ecograph"), {"id": "alibaba", "name": "Alibaba Group",
                                                          "aliases": ["阿里"]}, "4:db:1")
    assert r == Relationship("OWNS", "alibaba", "taobao", {"key": "alibaba|OWNS|taobao|", "stake": 0.5}, "5:db:9")
    assert f == Node("4:db:3", ("Other",), {"title": "x"}, "4:db:3")  # no id property: keyed by element id
    assert m == {"when": "2024-01-02T03:04:05.000000000", "day": "2015-06-01", "span": "P2D",
                 "where": "WGS84Point(121.5, 31.2)", "raw": "01ff"}
    assert lst == [1, 2.5, None, "t"]
    assert result.backend == "neo4j"
    assert result.columns == ["a", "r", "f", "m", "l"]
    assert result.nodes == {
        "alibaba": a,
        "taobao": Node("taobao", ("Platform", "Ecograph"), {"id": "taobao", "name": "Taobao"}, "4:db:2"),
        "4:db:3": f,
    }
    assert sorted(result.subgraph().edges(data="type")) == [("alibaba", "taobao", "OWNS")]


def test_a_path_keeps_its_order_and_directions(hydrate):
    a = hydrate.hydrate_node(1, ["Company", "Ecograph"], {"id": "alibaba"}, "4:db:1")
    b = hydrate.hydrate_node(2, ["Platform", "Ecograph"], {"id": "taobao"}, "4:db:2")
    c = hydrate.hydrate_node(3, ["PaymentService", "Ecograph"], {"id": "alipay"}, "4:db:3")
    owns = hydrate.hydrate_unbound_relationship(7, "OWNS", {"key": "k1"}, "5:db:7")
    pays = hydrate.hydrate_unbound_relationship(8, "PROCESSES_PAYMENTS_FOR", {"key": "k2"}, "5:db:8")
    path = hydrate.hydrate_path([a, b, c], [owns, pays], [1, 1, -2, 2])  # a-[owns]->b<-[pays]-c
    assert nb._bare_end_nodes([[path]]) == []
    result = nb._to_result(["p"], [[path]], {})
    (p,) = result.rows[0]
    assert isinstance(p, ResultPath)
    assert [n.key for n in p.nodes] == ["alibaba", "taobao", "alipay"]
    assert [(x.type, x.start, x.end) for x in p.relationships] == [
        ("OWNS", "alibaba", "taobao"), ("PROCESSES_PAYMENTS_FOR", "alipay", "taobao")]
    assert set(result.nodes) == {"alibaba", "taobao", "alipay"}


def test_an_end_node_not_found_again_keeps_its_element_id(hydrate):
    r = hydrate.hydrate_relationship(9, 1, 2, "OWNS", {}, "5:db:9", "4:db:1", "4:db:2")
    result = nb._to_result(["r"], [[r]], {})
    assert result.rows[0][0] == Relationship("OWNS", "4:db:1", "4:db:2", {}, "5:db:9")
    assert result.nodes == {"4:db:1": Node("4:db:1", (), {}, "4:db:1"), "4:db:2": Node("4:db:2", (), {}, "4:db:2")}


# --- run_query's checks before anything is sent -------------------------------------------------


@pytest.fixture
def unreachable_driver():
    from neo4j import GraphDatabase

    # No retries: a managed transaction would otherwise retry the refused connection for 30 s.
    driver = GraphDatabase.driver(f"bolt://127.0.0.1:{_closed_port()}", auth=("neo4j", PASSWORD),
                                  connection_timeout=5, max_transaction_retry_time=0)
    yield driver
    driver.close()


def test_run_query_refuses_a_write_before_connecting(unreachable_driver):
    from ecograph.errors import WriteRefusedError

    with pytest.raises(WriteRefusedError) as err:
        nb.run_query(unreachable_driver, "MATCH (n:Company) SET n.x = 1 RETURN n", {})
    assert err.value.clause == "SET"


def test_run_query_against_no_server_raises_neo4j_error(unreachable_driver):
    with pytest.raises(Neo4jError) as err:
        nb.run_query(unreachable_driver, "MATCH (n) RETURN count(n) AS n", {})
    assert str(err.value) == (
        "cannot connect to Neo4j: connection refused; is Neo4j running, and is the Bolt port right (default 7687)?"
    )
    assert isinstance(err.value.__cause__, nx_exc.ServiceUnavailable)


# --- streaming -----------------------------------------------------------------------------------


class _StandInResult:
    """What stream_query reads of the driver's Result: keys(), then records as they are pulled."""

    def __init__(self, keys, records):
        self._keys, self._records, self.pulled = keys, records, 0

    def keys(self):
        return self._keys

    def __iter__(self):
        for record in self._records:
            self.pulled += 1
            yield record


class _StandInDriver:
    """The driver calls stream_query makes (session, begin_transaction, run), recorded; no server."""

    def __init__(self, result, fetched):
        self.result, self.fetched, self.fetches, self.closed = result, fetched, [], []

    def session(self, **config):
        driver = self

        class Session:
            def begin_transaction(self):
                class Tx:
                    def run(self, query, params):
                        return driver.result

                    def close(self):
                        driver.closed.append("tx")

                return Tx()

            def run(self, query, ids):
                import neo4j

                assert query == nb.FETCH_NODES_STATEMENT
                driver.fetches.append(list(ids))
                return [neo4j.Record(zip(["element_id", "labels", "properties"], [i, *driver.fetched[i]]))
                        for i in ids]

            def close(self):
                driver.closed.append("session")

        return Session()


def test_stream_query_pulls_a_batch_at_a_time_and_fetches_bare_ends_per_batch(hydrate):
    import neo4j

    def owns(i):
        return hydrate.hydrate_relationship(i, i, 1000 + i, "OWNS", {"key": f"k{i}"}, f"5:db:{i}", f"4:db:{i}",
                                            f"4:db:{1000 + i}")

    records = [neo4j.Record(zip(["r"], [owns(i)])) for i in range(5)]
    fetched = {f"4:db:{n}": (["Company", "Ecograph"], {"id": f"c{n}"}) for i in range(5) for n in (i, 1000 + i)}
    driver = _StandInDriver(_StandInResult(["r"], records), fetched)
    stream = nb.stream_query(driver, "MATCH ()-[r]->() RETURN r", {}, batch_size=2)
    assert stream.columns == ["r"] and driver.result.pulled == 0
    rows = iter(stream)
    (first,) = next(rows)
    assert driver.result.pulled == 2  # one batch, not the whole answer
    assert (first.start, first.end) == ("c0", "c1000")
    assert set(stream.nodes) == {"c0", "c1000", "c1", "c1001"}
    rest = [r for (r,) in rows]
    assert [(r.start, r.end) for r in rest] == [(f"c{i}", f"c{1000 + i}") for i in range(1, 5)]
    assert driver.fetches == [["4:db:0", "4:db:1", "4:db:1000", "4:db:1001"],
                              ["4:db:1002", "4:db:1003", "4:db:2", "4:db:3"], ["4:db:1004", "4:db:4"]]
    assert driver.closed == ["session", "tx", "session"]  # the fetching session, the read, its session


def test_stream_query_refuses_a_write_before_connecting(unreachable_driver):
    from ecograph.errors import WriteRefusedError

    with pytest.raises(WriteRefusedError):
        nb.stream_query(unreachable_driver, "MATCH (n:Company) DETACH DELETE n", {})


def test_stream_query_against_no_server_raises_neo4j_error(unreachable_driver):
    with pytest.raises(Neo4jError) as err:
        nb.stream_query(unreachable_driver, "MATCH (n) RETURN n", {})
    assert str(err.value).startswith("cannot connect to Neo4j: connection refused")
