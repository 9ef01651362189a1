"""Neo4j as a store: connect, push the graph, run queries, with one-line errors.

The official ``neo4j`` driver is imported inside the functions that use it, so importing this
module is cheap. Nothing here prints or reads the environment: the URI, user and database come
in a :class:`Neo4jSettings`, the password as a separate argument that is never stored or shown.

    settings = Neo4jSettings("neo4j://localhost:7687", user="neo4j")
    driver = connect(settings, password)
    summary = push(G, driver, wipe=True)
    result = run_query(driver, "MATCH (c:Company) RETURN c.name AS name LIMIT 3", {})
    with stream_query(driver, "MATCH (a)-[r]->(b) RETURN a, r, b", {}) as rows:
        for row in rows: ...   # a batch of rows held at a time, not the whole answer

Everything pushed is built from :mod:`ecograph.query.rows`, the same rows the embedded store loads.
Labels and relationship types come only from :mod:`ecograph.data.schema`; values only travel as
``$parameters``. Every Cypher statement this module can send is listed by
:func:`push_statements` and :func:`query_statements`, so tests can lint them all.

Failures become :class:`~ecograph.errors.Neo4jError` (cannot reach or use the server; see
:func:`map_error`) or :class:`~ecograph.errors.QueryError` (the server rejected a query), each
one line, with the driver's exception chained as the cause.
"""

from __future__ import annotations

import logging
import re
import socket
import ssl
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ecograph.query import rows as _rows
from ecograph.data import schema
from ecograph.errors import Neo4jError, QueryError, WriteRefusedError
from ecograph.query.result import Node, Path, QueryResult, Relationship, ResultStream

if TYPE_CHECKING:
    import neo4j
    import networkx as nx

__all__ = [
    "SCHEMES",
    "Neo4jSettings",
    "PushSummary",
    "connect",
    "map_error",
    "run_query",
    "stream_query",
    "push",
    "plan_push",
    "push_groups",
    "schema_statements",
    "push_statements",
    "query_statements",
    "WIPE_STATEMENT",
    "PROBE_STATEMENT",
    "FETCH_NODES_STATEMENT",
]

SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")

MARKER = schema.ENTITY_MARKER_LABEL
OBSERVATION = schema.OBSERVATION_LABEL
HAS_OBSERVATION = schema.OBSERVATION_REL

# --- settings ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Neo4jSettings:
    """Where a Neo4j server is and who to log in as; the password is passed separately.

    ``uri`` is ``scheme://host[:port]`` with a scheme from :data:`SCHEMES`; ``database`` is
    ``None`` for the server's default database. Raises :class:`Neo4jError` for a URI ecograph
    cannot use (unknown scheme, no host, or credentials written into the URI).
    """

    uri: str
    user: str = "neo4j"
    database: str | None = None

    def __post_init__(self) -> None:
        scheme, sep, rest = self.uri.partition("://")
        if not sep:
            raise Neo4jError(
                f"Neo4j URI {self.uri!r} has no scheme; write it as scheme://host:port "
                f"with a scheme from {', '.join(SCHEMES)} (e.g. neo4j://localhost:7687)"
            )
        if scheme.lower() not in SCHEMES:
            raise Neo4jError(
                f"unsupported Neo4j URI scheme {scheme!r}; use one of {', '.join(SCHEMES)} "
                "(e.g. neo4j://localhost:7687)"
            )
        netloc = rest.split("/", 1)[0].split("?", 1)[0]
        if "@" in netloc:
            # The URI is left out of the message: what precedes '@' may be a password.
            error = Neo4jError("the Neo4j URI must not hold a user name or password; give them separately")
            error.field = "credentials"
            raise error
        if not netloc or netloc.startswith(":"):
            raise Neo4jError(f"Neo4j URI {self.uri!r} names no host; write it as {scheme}://host:port")

    @property
    def scheme(self) -> str:
        return self.uri.partition("://")[0].lower()

    @property
    def host(self) -> str:
        return urlsplit(self.uri).hostname or ""

    @property
    def address(self) -> str:
        """``host:port`` as written in the URI (the port may be absent)."""
        return urlsplit(self.uri).netloc


# --- errors --------------------------------------------------------------------------------------


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """``exc`` and everything behind it: causes, contexts and exception-group members."""
    seen: set[int] = set()
    todo = [exc]
    while todo:
        e = todo.pop(0)
        if id(e) in seen:
            continue
        seen.add(id(e))
        yield e
        if isinstance(e, BaseExceptionGroup):
            todo.extend(e.exceptions)
        for nxt in (e.__cause__, e.__context__):
            if nxt is not None:
                todo.append(nxt)


def _first_line(text: str) -> str:
    return next((line.strip() for line in str(text).splitlines() if line.strip()), "")


def _one_line(text: str) -> str:
    """All of a driver message on one line (its lines often each say something)."""
    return " ".join(str(text).split())


def _server_message(exc: BaseException) -> str:
    """The server's own message for a server error, else the exception text; first line only."""
    message = getattr(exc, "message", None)
    return _first_line(message if isinstance(message, str) and message else str(exc))


def _code(exc: BaseException) -> str:
    code = getattr(exc, "code", None)
    return code if isinstance(code, str) else ""


def _redact(text: str, password: str | None) -> str:
    if password:
        text = text.replace(password, "***")
    return text


def _plain(scheme: str) -> str:
    return scheme.split("+")[0]


def map_error(exc: BaseException, settings: Neo4jSettings | None = None, *, password: str | None = None) -> Neo4jError:
    """One-line :class:`Neo4jError` for a failure to reach or use Neo4j: what happened, what to try.

    ``exc`` is what the driver raised (its causes are looked at too); ``settings`` name the
    server in the message. Pass ``password`` and it is blanked out of any driver text quoted
    (the messages ecograph writes never contain it). Raise the result ``from exc``.

    The error's ``field`` is ``"database"`` when the database asked for is the trouble, and
    ``"credentials"`` when the login is (the caller says where user and password came from).
    """
    return _error(exc, settings, settings.database if settings else None, password)


def _error(exc: BaseException, settings: Neo4jSettings | None, database: str | None,
           password: str | None = None) -> Neo4jError:
    from neo4j import exceptions as nx_exc

    error = Neo4jError(_redact(_describe(exc, settings, database), password))
    chain = list(_chain(exc))
    codes = [_code(e) for e in chain]
    if ("Neo.ClientError.Database.DatabaseNotFound" in codes
            or any(isinstance(e, nx_exc.DatabaseUnavailable) for e in chain)):
        error.field = "database"  # the database asked for is the trouble
    elif (any(c in codes for c in ("Neo.ClientError.Security.AuthenticationRateLimit",
                                  "Neo.ClientError.Security.Unauthorized"))
          or any(isinstance(e, nx_exc.AuthError) for e in chain)):
        error.field = "credentials"
    return error


def _describe(exc: BaseException, settings: Neo4jSettings | None, database: str | None) -> str:
    where = f"Neo4j at {settings.uri}" if settings else "Neo4j"
    chain = list(_chain(exc))
    # Server answers first: they are the most specific; then the network; then the driver's word.
    return (_describe_server(chain, where, settings, database)
            or _describe_tls(exc, chain, where, settings)
            or _describe_network(exc, chain, where, settings)
            or _describe_driver(exc, where, settings))


def _describe_server(chain: list[BaseException], where: str, settings: Neo4jSettings | None,
                     database: str | None) -> str | None:
    """The message for a server's answer (login, database, permission), None for another failure."""
    from neo4j import exceptions as nx_exc

    codes = [_code(e) for e in chain]
    if "Neo.ClientError.Security.AuthenticationRateLimit" in codes:
        return (
            f"{where} refused to log in: too many failed attempts; wait a while, "
            "then retry with the right user name and password"
        )
    if any(isinstance(e, nx_exc.AuthError) for e in chain) or "Neo.ClientError.Security.Unauthorized" in codes:
        user = f" for user {settings.user!r}" if settings else ""
        return f"{where} refused the login{user}: wrong username or password"
    if "Neo.ClientError.Database.DatabaseNotFound" in codes:
        name = f" {database!r}" if database else ""
        return (
            f"{where} has no database{name}; name an existing one, "
            "or none for the server's default database"
        )
    if "Neo.ClientError.Security.Forbidden" in codes or any(isinstance(e, nx_exc.Forbidden) for e in chain):
        forbidden = next(e for e in chain if _code(e) == "Neo.ClientError.Security.Forbidden"
                         or isinstance(e, nx_exc.Forbidden))
        user = f"user {settings.user!r}" if settings else "this user"
        return f"{where} does not allow {user} to do this: {_server_message(forbidden)}"
    unavailable = next((e for e in chain if isinstance(e, nx_exc.DatabaseUnavailable)), None)
    if unavailable is not None:
        name = f" {database!r}" if database else ""
        return (
            f"{where}: the database{name} is unavailable (stopped, starting or offline): "
            f"{_server_message(unavailable)}; start it or use another database"
        )
    return None


def _describe_tls(exc: BaseException, chain: list[BaseException], where: str,
                  settings: Neo4jSettings | None) -> str | None:
    """The message for a failed TLS connection, None for another failure."""
    scheme = settings.scheme if settings else ""
    cert = next((e for e in chain if isinstance(e, ssl.SSLCertVerificationError)), None)
    if cert is not None:
        reason = getattr(cert, "verify_message", "") or _first_line(str(cert))
        base = scheme.split("+")[0] or "bolt"
        return (
            f"cannot connect to {where}: the server's TLS certificate could not be verified ({reason}); "
            f"for a self-signed certificate use {base}+ssc:// instead of {scheme or base + '+s'}://, "
            "or install the certificate's CA on this machine"
        )
    if any(isinstance(e, ssl.SSLError) or type(e).__name__ == "BoltSecurityError" for e in chain):
        if scheme and "+" in scheme:
            return (
                f"cannot connect to {where}: the TLS handshake failed, the server does not seem to "
                f"speak TLS on this port; use {_plain(scheme)}:// instead of {scheme}://"
            )
        return f"cannot connect to {where}: the TLS handshake failed ({_one_line(str(exc))})"
    return None


def _describe_network(exc: BaseException, chain: list[BaseException], where: str,
                      settings: Neo4jSettings | None) -> str | None:
    """The message for a refused or unreachable address or a port that is not Bolt, None for
    another failure."""
    scheme = settings.scheme if settings else ""
    if any(isinstance(e, ConnectionRefusedError) for e in chain):
        return (
            f"cannot connect to {where}: connection refused; is Neo4j running, and is "
            "the Bolt port right (default 7687)?"
        )
    texts = [str(e) for e in chain]
    if any(isinstance(e, socket.gaierror) for e in chain) or any("Failed to DNS resolve" in t for t in texts):
        host = f" {settings.host!r}" if settings else ""
        return f"cannot connect to {where}: host{host} not found; check the host name in the URI"
    if any("looks like HTTP" in t for t in texts):
        return (
            f"cannot connect to {where}: that port speaks HTTP, not Bolt; use the Bolt port "
            "(default 7687), not the browser's (7474)"
        )
    if any(isinstance(e, TimeoutError) for e in chain) or any("timed out" in t.lower() for t in texts):
        return (
            f"cannot connect to {where}: no answer (timed out); check the host and port, "
            "and that no firewall is in the way"
        )
    if any("handshake" in t.lower() for t in texts):
        if scheme and "+" not in scheme:
            return (
                f"cannot connect to {where}: the server closed the connection during the Bolt handshake; "
                f"if it requires encryption, use {scheme}+s:// (or {scheme}+ssc:// for a self-signed certificate)"
            )
        return f"cannot connect to {where}: the Bolt handshake failed ({_one_line(str(exc))})"
    return None


def _describe_driver(exc: BaseException, where: str, settings: Neo4jSettings | None) -> str:
    """The message for what the driver itself raised: routing, service, server or configuration."""
    from neo4j import exceptions as nx_exc

    scheme = settings.scheme if settings else ""
    if isinstance(exc, nx_exc.ServiceUnavailable) and (
        isinstance(exc, nx_exc.RoutingServiceUnavailable) or "routing" in str(exc).lower()
    ):
        suggestion = (f"try bolt{scheme[len('neo4j'):]}://{settings.address} instead of {scheme}://"
                      if settings and scheme.startswith("neo4j") else "try a bolt:// URI")
        return (
            f"cannot get routing information from {where}: the server does not offer routing "
            f"(a single server without routing, or not a cluster member); {suggestion}"
        )
    if isinstance(exc, (nx_exc.ServiceUnavailable, nx_exc.SessionExpired)):
        return f"cannot connect to {where}: {_one_line(str(exc))}"
    if isinstance(exc, nx_exc.Neo4jError):
        return f"{where} failed: {_code(exc)}: {_server_message(exc)}"
    if isinstance(exc, nx_exc.ConfigurationError):
        return f"cannot use {where}: {_one_line(str(exc))}"
    return f"{where} failed: {type(exc).__name__}: {_one_line(str(exc))}"


# --- connect -------------------------------------------------------------------------------------


def _quiet_driver_logging() -> None:
    """Keep the driver's log records off stderr unless the application configured logging.

    The driver logs connection failures and retries at WARNING and ERROR; with no logging set
    up, Python would print them beside ecograph's own one-line message. A NullHandler stops
    only that last-resort printing: handlers an application sets up still get every record.
    """
    driver_log = logging.getLogger("neo4j")
    if not any(isinstance(h, logging.NullHandler) for h in driver_log.handlers):
        driver_log.addHandler(logging.NullHandler())


PROBE_STATEMENT = "RETURN 1 AS ok"


def connect(settings: Neo4jSettings, password: str, *, connection_timeout: float = 15.0) -> neo4j.Driver:
    """A driver connected to the server, login and database checked; close it when done.

    Checks connectivity and, when ``settings.database`` names one, that the database exists (by
    running ``RETURN 1`` in it). Raises a one-line :class:`Neo4jError` (see :func:`map_error`).
    """
    from neo4j import READ_ACCESS, GraphDatabase

    _quiet_driver_logging()
    try:
        driver = GraphDatabase.driver(
            settings.uri, auth=(settings.user, password), connection_timeout=connection_timeout
        )
    except Exception as e:  # a malformed URI or option: the driver says which
        raise map_error(e, settings, password=password) from e
    try:
        driver.verify_connectivity()
        if settings.database:
            with driver.session(database=settings.database, default_access_mode=READ_ACCESS) as session:
                session.run(PROBE_STATEMENT).consume()
    except Exception as e:
        driver.close()
        raise map_error(e, settings, password=password) from e
    return driver


# --- queries -------------------------------------------------------------------------------------

# A relationship's end nodes arrive as bare element ids unless the query also returned them;
# this fetches their labels and properties in the same transaction (element ids are only
# guaranteed stable within one).
FETCH_NODES_STATEMENT = (
    "MATCH (n) WHERE elementId(n) IN $ids "
    "RETURN elementId(n) AS element_id, labels(n) AS labels, properties(n) AS properties"
)


def query_statements() -> list[str]:
    """Every Cypher statement :func:`connect` and :func:`run_query` send besides the user's own."""
    return [PROBE_STATEMENT, FETCH_NODES_STATEMENT]


def _is_connection_error(exc: BaseException) -> bool:
    """Errors about the server, the login or the database, not about the query itself."""
    from neo4j import exceptions as nx_exc

    if isinstance(exc, nx_exc.DriverError):
        return True
    code = _code(exc)
    return (
        isinstance(exc, (nx_exc.AuthError, nx_exc.Forbidden, nx_exc.DatabaseUnavailable))
        or code.startswith("Neo.ClientError.Security.")
        or code == "Neo.ClientError.Database.DatabaseNotFound"
    )


def run_query(
    driver: neo4j.Driver,
    query: str,
    parameters: Mapping[str, Any] | None = None,
    *,
    database: str | None = None,
    write: bool = False,
) -> QueryResult:
    """Run one Cypher query and return its answer as a backend-neutral :class:`QueryResult`.

    Queries are read-only unless ``write`` is true: a query with a writing clause is refused
    before it is sent (:class:`WriteRefusedError`), and reads run in a READ transaction, so the
    server refuses any write the check missed. Nodes are keyed by their ``id`` property (else
    their element id); temporal values become ISO 8601 text, points text, byte arrays hex.
    Raises :class:`QueryError` when the server rejects the query, :class:`Neo4jError` when the
    server, login or database cannot be used.
    """
    import neo4j
    from neo4j import exceptions as nx_exc

    if not write:
        from ecograph.query.dialect.writes import writing_clause

        clause = writing_clause(query)
        if clause:
            raise WriteRefusedError(clause)

    params = dict(parameters or {})
    _quiet_driver_logging()

    def work(tx: neo4j.ManagedTransaction) -> tuple[list[str], list[list[Any]], dict[str, Any]]:
        result = tx.run(query, params)
        columns = list(result.keys())
        values = [list(record.values()) for record in result]
        bare = sorted({n.element_id for n in _bare_end_nodes(values)})
        fetched: dict[str, Any] = {}
        if bare:
            for record in tx.run(FETCH_NODES_STATEMENT, ids=bare):
                fetched[record["element_id"]] = (record["labels"], record["properties"])
        return columns, values, fetched

    mode = neo4j.WRITE_ACCESS if write else neo4j.READ_ACCESS
    try:
        with driver.session(database=database, default_access_mode=mode) as session:
            columns, values, fetched = (session.execute_write if write else session.execute_read)(work)
    except (nx_exc.Neo4jError, nx_exc.DriverError) as e:
        raise _failure(e, database) from e
    return _to_result(columns, values, fetched)


def stream_query(
    driver: neo4j.Driver,
    query: str,
    parameters: Mapping[str, Any] | None = None,
    *,
    database: str | None = None,
    write: bool = False,
    batch_size: int = 1000,
) -> ResultStream:
    """Run one Cypher query and give its rows as the server sends them, ``batch_size`` at a time.

    As :func:`run_query`, but only one batch is held: the driver fetches records as they are
    read (it asks the server for 1,000 at a time), and the ends of returned relationships that
    came bare are fetched per batch in a second session. A read runs in one explicit READ
    transaction, so it is not retried: rows already read cannot be taken back. A query that
    writes (``write``) runs as :func:`run_query` does, in a managed transaction the driver may
    retry, which must read its whole answer; it comes back as one batch. Errors the server
    reports while rows arrive raise from the iteration, as :class:`QueryError` or
    :class:`Neo4jError`.
    """
    if write:
        result = run_query(driver, query, parameters, database=database, write=True)
        return ResultStream(result.columns, iter([(result.rows, result.nodes)]), backend="neo4j")

    import neo4j
    from neo4j import exceptions as nx_exc

    from ecograph.query.dialect.writes import writing_clause

    clause = writing_clause(query)
    if clause:
        raise WriteRefusedError(clause)
    _quiet_driver_logging()
    opened: list[Any] = []  # sessions and the transaction, closed last opened first

    def close() -> None:
        while opened:
            try:
                opened.pop().close()
            except (nx_exc.Neo4jError, nx_exc.DriverError):
                pass  # closing a read we gave up on: nothing to save

    try:
        session = driver.session(database=database, default_access_mode=neo4j.READ_ACCESS)
        opened.append(session)
        tx = session.begin_transaction()
        opened.append(tx)
        result = tx.run(query, dict(parameters or {}))
        columns = list(result.keys())
    except (nx_exc.Neo4jError, nx_exc.DriverError) as e:
        close()
        raise _failure(e, database) from e

    def fetch(ids: list[str]) -> dict[str, Any]:
        # Another query in the same transaction would make the driver buffer the rest of this
        # answer first; a second session reads the same committed data without that.
        if len(opened) < 3:
            opened.append(driver.session(database=database, default_access_mode=neo4j.READ_ACCESS))
        return {r["element_id"]: (r["labels"], r["properties"]) for r in opened[2].run(FETCH_NODES_STATEMENT, ids=ids)}

    def batches() -> Iterator[tuple[list[list[Any]], dict[str, Node]]]:
        records = iter(result)
        try:
            while True:
                # range first: zip stops on it without taking (and losing) one more record
                values = [list(record.values()) for _, record in zip(range(batch_size), records)]
                if not values:
                    return
                bare = sorted({n.element_id for n in _bare_end_nodes(values)})
                convert = _Converter(fetch(bare) if bare else {})
                yield [[convert.value(v) for v in row] for row in values], convert.nodes
        except (nx_exc.Neo4jError, nx_exc.DriverError) as e:
            raise _failure(e, database) from e

    return ResultStream(columns, batches(), backend="neo4j", close=close)


def _failure(exc: BaseException, database: str | None, prefix: str = "") -> Neo4jError | QueryError:
    """The ecograph error for a driver error raised while running statements.

    Problems with the server, the login or the database become :class:`Neo4jError`; the
    server's rejection of a statement becomes :class:`QueryError` (``code: first line``).
    """
    if _is_connection_error(exc):
        return _error(exc, None, database)
    return QueryError(f"{prefix}{_code(exc)}: {_server_message(exc)}")


def _walk(value: Any) -> Iterator[Any]:
    from neo4j import graph

    if isinstance(value, graph.Path):
        yield from value.nodes
        yield from value.relationships
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _walk(v)
    elif isinstance(value, dict):
        for v in value.values():
            yield from _walk(v)
    else:
        yield value


def _bare_end_nodes(values: list[list[Any]]) -> list[Any]:
    """End nodes of returned relationships that came without labels or properties."""
    from neo4j import graph

    bare = []
    for row in values:
        for v in _walk(row):
            if isinstance(v, graph.Relationship):
                bare += [n for n in v.nodes if n is not None and not n.labels and not len(n)]
    return bare


class _Converter:
    """Turns driver values into :mod:`ecograph.query.result` values, remembering every node by key."""

    def __init__(self, fetched: Mapping[str, tuple[list[str], Mapping[str, Any]]]) -> None:
        self.fetched = fetched
        self.nodes: dict[str, Node] = {}
        self._by_element: dict[str, Node] = {}

    def node(self, n: Any) -> Node:
        known = self._by_element.get(n.element_id)
        if known is not None:
            return known
        labels, props = set(n.labels), dict(n.items())
        if not labels and not props and n.element_id in self.fetched:
            fetched_labels, fetched_props = self.fetched[n.element_id]
            labels, props = set(fetched_labels), dict(fetched_props)
        node = Node(
            key=str(props["id"]) if props.get("id") is not None else n.element_id,
            labels=_ordered_labels(labels),
            properties={k: self.value(v) for k, v in props.items() if v is not None},
            element_id=n.element_id,
        )
        self._by_element[n.element_id] = node
        self.nodes.setdefault(node.key, node)
        return node

    def relationship(self, r: Any) -> Relationship:
        start, end = (self.node(n).key if n is not None else "" for n in r.nodes)
        return Relationship(
            type=r.type,
            start=start,
            end=end,
            properties={k: self.value(v) for k, v in r.items() if v is not None},
            element_id=r.element_id,
        )

    def value(self, v: Any) -> Any:
        from neo4j import graph, spatial
        from neo4j import time as ntime

        if v is None or isinstance(v, (bool, int, float, str)):
            return v
        if isinstance(v, graph.Node):
            return self.node(v)
        if isinstance(v, graph.Relationship):
            return self.relationship(v)
        if isinstance(v, graph.Path):
            return Path(tuple(self.node(n) for n in v.nodes), tuple(self.relationship(r) for r in v.relationships))
        # Before lists: durations and points are tuples.
        if isinstance(v, (ntime.Date, ntime.DateTime, ntime.Time, ntime.Duration)):
            return v.iso_format()
        if isinstance(v, spatial.Point):
            return str(v)
        if isinstance(v, (list, tuple)):
            return [self.value(x) for x in v]
        if isinstance(v, dict):
            return {str(k): self.value(x) for k, x in v.items()}
        if hasattr(v, "isoformat"):  # datetime, date, time from the standard library
            return v.isoformat()
        if isinstance(v, (bytes, bytearray)):
            return bytes(v).hex()
        to_native = getattr(v, "to_native", None)  # neo4j.vector.Vector
        if callable(to_native):
            return list(to_native())
        return str(v)


def _ordered_labels(labels: set[str]) -> tuple[str, ...]:
    """Labels sorted, ecograph's marker last, so the kind comes first."""
    return tuple(sorted(labels, key=lambda lb: (lb == MARKER, lb)))


def _to_result(columns: list[str], values: list[list[Any]], fetched: Mapping[str, Any]) -> QueryResult:
    convert = _Converter(fetched)
    out_rows = [[convert.value(v) for v in row] for row in values]
    return QueryResult(columns=columns, rows=out_rows, backend="neo4j", nodes=convert.nodes)


# --- push ----------------------------------------------------------------------------------------

CONSTRAINT_STATEMENT = f"CREATE CONSTRAINT ecograph_id IF NOT EXISTS FOR (n:{MARKER}) REQUIRE n.id IS UNIQUE"

WIPE_STATEMENT = f"MATCH (n:{MARKER}) WITH n LIMIT $limit DETACH DELETE n RETURN count(*) AS deleted"

_UNWIND = "UNWIND $rows AS row"
_COUNT = "RETURN count(*) AS rows"
_IDENT = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


def _label(name: str, model: schema.Model = schema.SHIPPED) -> str:
    """A node label, only ever one of the model's (spliced into Cypher, so checked here)."""
    if name not in model.kinds and name not in (MARKER, OBSERVATION):
        raise ValueError(f"not a label of the schema: {name!r}")
    assert _IDENT.match(name)
    return name


def _type(name: str, model: schema.Model = schema.SHIPPED) -> str:
    """A relationship type, only ever one of the model's."""
    if name not in model.rel_types and name != HAS_OBSERVATION:
        raise ValueError(f"not a relationship type of the schema: {name!r}")
    assert _IDENT.match(name)
    return name


def _index_statement(label: str, model: schema.Model) -> str:
    label = _label(label, model)
    return f"CREATE INDEX ecograph_{label}_id IF NOT EXISTS FOR (n:{label}) ON (n.id)"


def schema_statements(labels: list[str] | tuple[str, ...] | None = None,
                      model: schema.Model = schema.SHIPPED) -> list[str]:
    """The id uniqueness constraint (all ecograph nodes), then a range index on ``id`` per label.

    ``labels`` defaults to every entity kind of ``model`` and ``Observation``.
    """
    labels = list(model.kinds) + [OBSERVATION] if labels is None else labels
    return [CONSTRAINT_STATEMENT] + [_index_statement(lb, model) for lb in labels]


def _entity_body(label: str, model: schema.Model = schema.SHIPPED) -> str:
    # MERGE on the marker label alone, so the id constraint finds the node; SET n = props
    # replaces every property (stale ones vanish, id is among props); other kind labels go, so
    # an entity whose kind changed in the data does not keep the old one.
    others = ":".join(_label(k, model) for k in model.kinds if k != label)
    return (
        f"MERGE (n:{MARKER} {{id: row.id}})\n"
        f"SET n = row.props, n:{_label(label, model)}"
        + (f"\nREMOVE n:{others}" if others else "")
    )


def _observation_body() -> str:
    return f"MERGE (n:{MARKER} {{id: row.id}})\nSET n = row.props, n:{OBSERVATION}"


def _relationship_body(rel_type: str, model: schema.Model = schema.SHIPPED) -> str:
    return (
        f"MATCH (a:{MARKER} {{id: row.from}})\n"
        f"MATCH (b:{MARKER} {{id: row.to}})\n"
        f"MERGE (a)-[r:{_type(rel_type, model)} {{key: row.key}}]->(b)\n"
        "SET r = row.props"
    )


def _link_body() -> str:
    return (
        f"MATCH (a:{MARKER} {{id: row.from}})\n"
        f"MATCH (b:{MARKER} {{id: row.to}})\n"
        f"MERGE (a)-[:{_type(HAS_OBSERVATION)}]->(b)"
    )


def _props(row: Mapping[str, Any], drop: tuple[str, ...] = ()) -> dict[str, Any]:
    """A row's properties without nulls (Neo4j stores no nulls; absent reads as null)."""
    return {k: v for k, v in row.items() if v is not None and k not in drop}


def push_groups(G: nx.MultiDiGraph) -> list[tuple[str, list[dict[str, Any]]]]:
    """What to push, as ``(body, rows)`` pairs in push order; ``body`` is the Cypher after ``UNWIND … AS row``.

    Entities (one body per label), observations, ties (one per relationship group of
    :func:`ecograph.query.rows.relationship_rows`), then ``HAS_OBSERVATION`` links. Each row is a map:
    ``{id, props}`` for nodes, ``{from, to, key, props}`` for ties (``props`` holds ``key``),
    ``{from, to}`` for links. Used by :func:`plan_push` and the Cypher script export.
    """
    groups: list[tuple[str, list[dict[str, Any]]]] = []
    model = schema.model_of(G)
    for label, entity_rows in _rows.entity_rows(G).items():
        groups.append((_entity_body(label, model), [{"id": r["id"], "props": _props(r)} for r in entity_rows]))
    observations = _rows.observation_rows(G)
    if observations:
        groups.append((_observation_body(), [{"id": r["id"], "props": _props(r)} for r in observations]))
    for (rel_type, _source, _target), rel_rows in _rows.relationship_rows(G).items():
        groups.append((
            _relationship_body(rel_type, model),
            [{"from": r["from"], "to": r["to"], "key": r["key"], "props": _props(r, drop=("from", "to"))}
             for r in rel_rows],
        ))
    for _label_name, links in _rows.observation_links(G, observations).items():
        groups.append((_link_body(), [{"from": link["from"], "to": link["to"]} for link in links]))
    return groups


def _push_statement(body: str) -> str:
    return f"{_UNWIND}\n{body}\n{_COUNT}"


def plan_push(G: nx.MultiDiGraph, batch_size: int = 10_000) -> list[tuple[str, list[dict[str, Any]]]]:
    """The data batches :func:`push` sends: ``(statement, rows)``, at most ``batch_size`` rows each.

    Pure: needs no server. Schema statements and the wipe are not included (see
    :func:`schema_statements`, :data:`WIPE_STATEMENT`).
    """
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, not {batch_size}")
    plan = []
    for body, group_rows in push_groups(G):
        statement = _push_statement(body)
        for start in range(0, len(group_rows), batch_size):
            plan.append((statement, group_rows[start:start + batch_size]))
    return plan


def push_statements(model: schema.Model = schema.SHIPPED) -> list[str]:
    """Every distinct Cypher statement :func:`push` can run on data of ``model``, for linting."""
    bodies = [_entity_body(k, model) for k in model.kinds] + [_observation_body()]
    bodies += [_relationship_body(t, model) for t in model.rel_types] + [_link_body()]
    return schema_statements(model=model) + [WIPE_STATEMENT] + [_push_statement(b) for b in bodies]


@dataclass(frozen=True)
class PushSummary:
    """What :func:`push` did.

    The first six are the server's own counters summed over every statement; ``entities``,
    ``relationships`` (ties, without ``HAS_OBSERVATION``) and ``observations`` count the rows sent.
    """

    nodes_created: int
    relationships_created: int
    properties_set: int
    nodes_deleted: int
    constraints: int  # constraints added (0 when they already existed)
    indexes: int  # indexes added
    entities: int
    relationships: int
    observations: int


def push(
    G: nx.MultiDiGraph,
    driver: neo4j.Driver,
    *,
    database: str | None = None,
    wipe: bool = False,
    batch_size: int = 10_000,
    progress: Callable[[int], None] | None = None,
) -> PushSummary:
    """Write the graph to Neo4j; pushing again leaves the same graph (everything is MERGEd).

    Creates the id constraint and indexes first; with ``wipe``, then deletes every node labelled
    ``Ecograph`` (only ecograph's own data, in batches). Data goes in managed write
    transactions of at most ``batch_size`` rows; ``progress(n)`` is called after each with
    the number of rows it wrote. Entities or ties removed from the data stay in Neo4j unless
    ``wipe`` is given. Raises :class:`Neo4jError` or :class:`QueryError` (one line).
    """
    from neo4j import exceptions as nx_exc

    plan = plan_push(G, batch_size)
    _quiet_driver_logging()
    labels = sorted(_rows.entity_rows(G))
    if G.graph.get("observations"):
        labels.append(OBSERVATION)
    totals = {"nodes_created": 0, "relationships_created": 0, "properties_set": 0, "nodes_deleted": 0,
              "constraints_added": 0, "indexes_added": 0}

    def add(counters: Any) -> None:
        for name in totals:
            totals[name] += getattr(counters, name)

    def run(tx: Any, statement: str, **params: Any) -> tuple[Any, list[Any]]:
        result = tx.run(statement, params)
        values = [record[0] for record in result]
        return result.consume().counters, values

    try:
        with driver.session(database=database) as session:
            for statement in schema_statements(labels, schema.model_of(G)):
                counters, _ = session.execute_write(run, statement)
                add(counters)
            if wipe:
                while True:
                    counters, (deleted,) = session.execute_write(run, WIPE_STATEMENT, limit=batch_size)
                    add(counters)
                    if deleted < batch_size:
                        break
            for statement, batch in plan:
                counters, (written,) = session.execute_write(run, statement, rows=batch)
                add(counters)
                if written != len(batch):
                    raise Neo4jError(
                        f"Neo4j wrote {written} of {len(batch)} rows of a batch: some ends of ties "
                        "are missing (was data deleted during the push?); push again, wiping ecograph's data first"
                    )
                if progress is not None:
                    progress(len(batch))
    except (nx_exc.Neo4jError, nx_exc.DriverError) as e:
        raise _failure(e, database, prefix="push failed: ") from e

    observations = len(G.graph.get("observations", ()))
    return PushSummary(
        nodes_created=totals["nodes_created"],
        relationships_created=totals["relationships_created"],
        properties_set=totals["properties_set"],
        nodes_deleted=totals["nodes_deleted"],
        constraints=totals["constraints_added"],
        indexes=totals["indexes_added"],
        entities=G.number_of_nodes(),
        relationships=G.number_of_edges(),
        observations=observations,
    )
