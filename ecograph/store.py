"""The embedded store: the graph in LadybugDB on disk, built once and reused.

A store is a directory holding ``graph.lbug`` (the LadybugDB database) and ``manifest.json``.
The manifest names the *fingerprint* of what the store was built from (the bytes of every data
file, the store layout and the LadybugDB version); a store is reused while the fingerprint
matches and rebuilt when a data file changes.

Building is crash-safe: the store is built in a temporary directory beside its final place, the
manifest is written last, and only then is the directory renamed into place. A build killed half
way (even ``kill -9``) leaves a ``.<name>.build-*`` directory that is never mistaken for a store
and is cleared by the next build.

Tables come from :mod:`ecograph.schema`: a node table per label (plus ``Observation``), a
relationship table per type with its FROM/TO pairs, and the rows of :mod:`ecograph.rows`, copied
in bulk from Arrow tables::

    store = open_store([shipped_data_dir()], Path("~/.cache/ecograph/seed").expanduser())
    result = store.query("MATCH (a:Company)-[r:INVESTED_IN]->(b) RETURN a, r, b")
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ecograph import rows, schema
from ecograph.bulk import gc_paused
from ecograph.errors import MissingParameterError, StoreError, WriteRefusedError
from ecograph.progress import Progress, no_progress
from ecograph.result import Node, Path as ResultPath, QueryResult, Relationship, ResultStream

if TYPE_CHECKING:
    import networkx as nx

    from ecograph.graphdata import Dataset

__all__ = ["EmbeddedStore", "open_store", "build_store", "data_fingerprint", "STORE_FORMAT"]

# Bump when the layout of tables or the meaning of a stored value changes: old stores rebuild.
STORE_FORMAT = 1
DB_FILE = "graph.lbug"
MANIFEST = "manifest.json"
_DATA_FOLDERS = ("entities", "relationships", "tables")


@dataclass(frozen=True)
class Manifest:
    """What a finished store was built from; present only once the build completed."""

    fingerprint: str
    counts: Mapping[str, int]
    built_at: str
    modified: bool = False

    def to_json(self) -> str:
        return json.dumps(
            {
                "format": STORE_FORMAT,
                "fingerprint": self.fingerprint,
                "counts": dict(self.counts),
                "built_at": self.built_at,
                "modified": self.modified,
            },
            indent=2,
        )


def _ladybug_version() -> str:
    import ladybug

    return str(getattr(ladybug, "__version__", "unknown"))


def _layout_signature() -> str:
    """The store layout as text: any change to labels, types or stored properties changes it."""
    parts = [f"format={STORE_FORMAT}"]
    parts += [f"node:{k}" for k in schema.KINDS]
    parts += [f"rel:{r.name}:{r.sources}:{r.targets}" for r in schema.REL_TYPES.values()]
    for group in (schema.NODE_PROPERTIES, schema.RELATIONSHIP_PROPERTIES, schema.OBSERVATION_PROPERTIES):
        parts += [f"prop:{p.name}:{p.ladybug}" for p in group]
    return "\n".join(parts)


def data_fingerprint(dirs: Sequence[str | Path]) -> str:
    """A hash of every file under the data folders of ``dirs`` (names and bytes), the store
    layout and the LadybugDB version: equal fingerprints mean an equal store."""
    h = hashlib.sha256()
    h.update(_layout_signature().encode())
    h.update(f"\nladybug={_ladybug_version()}\n".encode())
    for i, d in enumerate(dirs):
        d = Path(d)
        h.update(f"dir {i}\n".encode())
        for folder in _DATA_FOLDERS:
            base = d / folder
            if not base.is_dir():
                continue
            for f in sorted(p for p in base.rglob("*") if p.is_file()):
                data = f.read_bytes()
                h.update(f"{f.relative_to(d).as_posix()} {len(data)}\n".encode())
                h.update(data)
    return h.hexdigest()


def read_manifest(path: Path) -> Manifest | None:
    """The manifest of a finished store at ``path``, or None if there is no finished store."""
    try:
        raw = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if raw.get("format") != STORE_FORMAT or not (path / DB_FILE).is_file():
        return None
    try:
        return Manifest(raw["fingerprint"], raw["counts"], raw["built_at"], bool(raw.get("modified")))
    except (KeyError, TypeError):
        return None


def _is_ours(path: Path) -> bool:
    """True if ``path`` holds nothing but a store's files (so it may be replaced)."""
    if not path.exists():
        return True
    if not path.is_dir():
        return False
    names = {p.name for p in path.iterdir()}
    return all(n == MANIFEST or n.startswith(DB_FILE) for n in names)


# --- building ------------------------------------------------------------------------------------


def _q(name: str) -> str:
    """A label, type or property name quoted for Cypher; names come only from the schema."""
    if "`" in name:
        raise StoreError(f"invalid name in the schema: {name!r}")
    return f"`{name}`"


def _columns(props: Iterable[schema.StoreProperty]) -> str:
    return ", ".join(f"{_q(p.name)} {p.ladybug}" for p in props)


def _ddl() -> list[str]:
    """CREATE statements for every table, from the schema."""
    statements = []
    for kind in schema.KINDS:
        statements.append(
            f"CREATE NODE TABLE {_q(kind)}({_columns(schema.NODE_PROPERTIES)}, PRIMARY KEY (`id`))"
        )
    statements.append(
        f"CREATE NODE TABLE {_q(schema.OBSERVATION_LABEL)}"
        f"({_columns(schema.OBSERVATION_PROPERTIES)}, PRIMARY KEY (`id`))"
    )
    rel_columns = _columns(schema.RELATIONSHIP_PROPERTIES)
    for rel in schema.REL_TYPES.values():
        pairs = ", ".join(f"FROM {_q(s)} TO {_q(t)}" for s in rel.sources for t in rel.targets)
        statements.append(f"CREATE REL TABLE {_q(rel.name)}({pairs}, {rel_columns})")
    pairs = ", ".join(f"FROM {_q(k)} TO {_q(schema.OBSERVATION_LABEL)}" for k in schema.KINDS)
    statements.append(f"CREATE REL TABLE {_q(schema.OBSERVATION_REL)}({pairs})")
    return statements


def _arrow_table(columns: Mapping[str, list[Any]], types: Sequence[tuple[str, str]]) -> Any:
    import pyarrow as pa

    return pa.table({name: pa.array(columns[name], type=rows.arrow_type(t)) for name, t in types})


def _rows_as_columns(records: list[dict[str, Any]], names: Iterable[str]) -> dict[str, list[Any]]:
    return {name: [r.get(name) for r in records] for name in names}


def build_store(
    data: nx.MultiDiGraph | Dataset,
    path: str | Path,
    fingerprint: str,
    *,
    progress: Progress | None = None,
    _after_nodes: Callable[[], None] | None = None,
) -> Manifest:
    """Build a store of ``data`` (a checked data set, or a graph) at ``path``, replacing what is
    there, crash-safely. From a data set no graph is built: at a million relationships their
    columns go from Arrow to COPY without a Python object per cell.

    ``progress(stage, done, total)`` counts the rows copied in (entities, observations,
    relationships and their links), after each table.

    ``path`` must not exist, or hold only a store's files. The store is built in a temporary
    directory beside ``path`` and renamed into place once its manifest is written.
    """
    import ladybug as lb

    path = Path(path)
    if not _is_ours(path):
        raise StoreError(f"{path} exists and is not an ecograph store; choose another --db path")
    path.parent.mkdir(parents=True, exist_ok=True)
    _clear_stale_builds(path)
    tmp = path.parent / f".{path.name}.build-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    tmp.mkdir()
    try:
        with gc_paused():
            # One checkpoint at the end instead of one per COPY: the seed builds in 1 s, not 2.
            db = lb.Database(str(tmp / DB_FILE), auto_checkpoint=False)
            try:
                conn = lb.Connection(db)
                try:
                    counts = _load(conn, data, _after_nodes, progress or no_progress)
                    conn.execute("CHECKPOINT")
                finally:
                    conn.close()
            finally:
                db.close()
        manifest = Manifest(fingerprint, counts, datetime.now(timezone.utc).isoformat(timespec="seconds"))
        (tmp / MANIFEST).write_text(manifest.to_json(), encoding="utf-8")
        _move_into_place(tmp, path)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return manifest


_STAGE = "Building the store"


def _load(conn: Any, data: nx.MultiDiGraph | Dataset, after_nodes: Callable[[], None] | None,
          progress: Progress) -> dict[str, int]:
    from ecograph.graphdata import Dataset

    for statement in _ddl():
        conn.execute(statement)
    tables = _tables(data)
    observations = tables.observations
    total = (sum(len(columns["id"]) for columns in tables.entities.values()) + len(observations)
             + (data.relationship_count if isinstance(data, Dataset) else data.number_of_edges())
             + sum(len(links) for links in tables.links.values()))
    done = 0
    progress(_STAGE, done, total)
    node_types = [(p.name, p.ladybug) for p in schema.NODE_PROPERTIES]
    n_entities = 0
    for kind, columns in tables.entities.items():
        conn.execute(f"COPY {_q(kind)} FROM $rows", {"rows": _arrow_table(columns, node_types)})
        n_entities += len(columns["id"])
        done += len(columns["id"])
        progress(_STAGE, done, total)
    if observations:
        obs_types = [(p.name, p.ladybug) for p in schema.OBSERVATION_PROPERTIES]
        table = _arrow_table(_rows_as_columns(observations, [n for n, _ in obs_types]), obs_types)
        conn.execute(f"COPY {_q(schema.OBSERVATION_LABEL)} FROM $rows", {"rows": table})
        done += len(observations)
        progress(_STAGE, done, total)
    if after_nodes is not None:
        after_nodes()
    n_rels = 0
    for (rel_type, source, target), table in tables.relationships:
        conn.execute(f"COPY {_q(rel_type)} FROM $rows (from={_str(source)}, to={_str(target)})", {"rows": table})
        n_rels += table.num_rows
        done += table.num_rows
        progress(_STAGE, done, total)
    link_types = [("from", "STRING"), ("to", "STRING")]
    for kind, links in tables.links.items():
        conn.execute(
            f"COPY {_q(schema.OBSERVATION_REL)} FROM $rows (from={_str(kind)}, to={_str(schema.OBSERVATION_LABEL)})",
            {"rows": _arrow_table(_rows_as_columns(links, ["from", "to"]), link_types)},
        )
        done += len(links)
        progress(_STAGE, done, total)
    return {"entities": n_entities, "relationships": n_rels, "observations": len(observations)}


def _tables(data: nx.MultiDiGraph | Dataset) -> rows.StoreTables:
    """What the store copies: from a checked data set directly, or from a graph."""
    from ecograph.graphdata import Dataset

    if isinstance(data, Dataset):
        return rows.dataset_tables(data)
    rel_types = [("from", "STRING"), ("to", "STRING")] + [(p.name, p.ladybug) for p in schema.RELATIONSHIP_PROPERTIES]
    observations = rows.observation_rows(data)
    return rows.StoreTables(
        entities=rows.entity_columns(data),
        observations=observations,
        links=rows.observation_links(data, observations),
        relationships=(
            (group, _arrow_table(columns, rel_types)) for group, columns in rows.relationship_columns(data).items()
        ),
    )


def _str(name: str) -> str:
    """A table name as a COPY option string; names come only from the schema."""
    if not name.isidentifier():
        raise StoreError(f"invalid name in the schema: {name!r}")
    return f"'{name}'"


def _clear_stale_builds(path: Path) -> None:
    """Remove build directories left by killed builds of ``path`` (their process is gone), and
    old stores a replacing build moved aside but did not get to delete."""
    for d in path.parent.glob(f".{path.name}.old-*"):
        shutil.rmtree(d, ignore_errors=True)
    for d in path.parent.glob(f".{path.name}.build-*"):
        try:
            pid = int(d.name.rsplit("-", 2)[1])
        except (IndexError, ValueError):
            continue
        if not _alive(pid):
            shutil.rmtree(d, ignore_errors=True)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _move_into_place(tmp: Path, path: Path) -> None:
    """Rename the finished build to ``path``; an old store there is moved aside, then removed."""
    old = None
    if path.exists():
        old = path.parent / f".{path.name}.old-{uuid.uuid4().hex[:8]}"
        try:
            os.replace(path, old)
        except FileNotFoundError:  # a concurrent build moved it first
            old = None
    try:
        os.replace(tmp, path)
    except OSError:
        if read_manifest(path) is None:  # not a concurrent build that won the race
            raise
        shutil.rmtree(tmp, ignore_errors=True)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


# --- opening and querying ------------------------------------------------------------------------


def open_store(
    dirs: Sequence[str | Path],
    path: str | Path,
    *,
    rebuild: bool = False,
    load: Callable[[], nx.MultiDiGraph | Dataset] | None = None,
    progress: Progress | None = None,
) -> EmbeddedStore:
    """The store for the data in ``dirs`` at ``path``: reused if built from the same data, else built.

    ``load`` reads and validates the data (default: ``read_graphdata`` of ``dirs``; a graph
    already loaded from them does too); it is called only when the store must be built, so a
    warm start skips validation. ``progress`` follows the checking (default ``load``) and the
    build, as :func:`build_store` says.
    """
    path = Path(path)
    _clear_stale_builds(path)
    fingerprint = data_fingerprint(dirs)
    manifest = None if rebuild else read_manifest(path)
    built = False
    if manifest is None or manifest.fingerprint != fingerprint:
        if load is None:
            from ecograph.graphdata import read_graphdata

            def load() -> Dataset:
                return read_graphdata(dirs, progress=progress)

        manifest = build_store(load(), path, fingerprint, progress=progress)
        built = True
    return EmbeddedStore(path, manifest, built=built)


class EmbeddedStore:
    """A finished store on disk. The database opens on the first query, read-only unless a
    query writes, and stays open for the next ones; :meth:`close` (or ``with``) releases it."""

    def __init__(self, path: Path, manifest: Manifest, *, built: bool = False) -> None:
        self.path = path
        self.manifest = manifest
        self.built = built  # True if this open built (or rebuilt) the store
        self._db: Any = None
        self._conn: Any = None
        self._writable = False

    @property
    def modified(self) -> bool:
        """True if ``--write`` queries have changed the store since it was built."""
        return self.manifest.modified

    def __enter__(self) -> EmbeddedStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the database if it is open."""
        if self._conn is not None:
            self._conn.close()
        if self._db is not None:
            self._db.close()
        self._db = self._conn = None

    def _connection(self, writable: bool) -> Any:
        import ladybug as lb

        from ecograph import dialect

        if self._conn is None or (writable and not self._writable):
            self.close()
            self._db = lb.Database(str(self.path / DB_FILE), read_only=not writable)
            self._conn = lb.Connection(self._db)
            self._writable = writable
            dialect.register_functions(self._conn)
        return self._conn

    def query(self, query: str, parameters: Mapping[str, Any] | None = None, *, write: bool = False) -> QueryResult:
        """Run Neo4j-style Cypher; read-only unless ``write``. Raises :class:`QueryError`.

        Holds every row; :meth:`stream` gives them as they come.
        """
        return self.stream(query, parameters, write=write).collect()

    def stream(
        self,
        query: str,
        parameters: Mapping[str, Any] | None = None,
        *,
        write: bool = False,
        batch_size: int = 1000,
    ) -> ResultStream:
        """Run Neo4j-style Cypher and give its rows as they are converted, ``batch_size`` at a time.

        Errors in the query itself raise here (:class:`QueryError`), before any row. Only one
        batch of converted rows is held at a time. LadybugDB itself still holds the whole answer
        until the stream ends (it has no cursor): a process that only reads a million
        ``(a, r, b)`` rows peaks at 1.44 GB, and ``query --format json`` of them at 1.48 GB,
        against 15.5 GB when Python held them all too (``benchmarks/bench_memory.py``).
        """
        from ecograph import dialect

        clause = dialect.writing_clause(query)
        if clause is not None and not write:
            raise WriteRefusedError(clause)
        missing = dialect.missing_parameters(query, parameters or {})
        if missing:
            raise MissingParameterError(missing)
        translated = dialect.translate(query)
        conn = self._connection(writable=clause is not None)
        try:
            raw = conn.execute(translated, dict(parameters or {}))
        except RuntimeError as e:
            raise dialect.engine_error(e, query) from e
        if isinstance(raw, list):
            raw = raw[-1]
        if clause is not None:
            self._mark_modified()
        converter = _Converter(conn)
        return ResultStream(list(raw.get_column_names()), converter.batches(raw, batch_size),
                            backend="embedded", close=raw.close)

    def _mark_modified(self) -> None:
        if not self.manifest.modified:
            self.manifest = Manifest(self.manifest.fingerprint, self.manifest.counts, self.manifest.built_at, True)
            tmp = self.path / f".{MANIFEST}.tmp"
            tmp.write_text(self.manifest.to_json(), encoding="utf-8")
            os.replace(tmp, self.path / MANIFEST)


# --- LadybugDB values -> result objects -----------------------------------------------------------


def _internal_id(value: Mapping[str, Any]) -> str:
    return f"{value['table']}:{value['offset']}"


def _is_internal_id(value: Any) -> bool:
    return isinstance(value, dict) and set(value) == {"offset", "table"}


class _Converter:
    """Turns LadybugDB's dict-shaped nodes, relationships and paths into result objects, a batch
    of rows at a time."""

    def __init__(self, conn: Any) -> None:
        self.conn = conn
        self.key_of: dict[str, str] = {}  # internal id -> key, every node met (a short string each)
        self.nodes: dict[str, Node] = {}  # this batch's nodes, by key
        self.rels: list[Relationship] = []  # this batch's relationships, ends still internal ids
        self._labels: dict[int, str] | None = None

    def batches(self, raw: Any, size: int) -> Iterator[tuple[list[list[Any]], dict[str, Node]]]:
        """``(rows, nodes)`` pairs of at most ``size`` rows, relationships' ends made keys."""
        while raw.has_next():
            self.nodes, self.rels = {}, []
            rows = []
            while len(rows) < size and raw.has_next():
                rows.append([self.value(v) for v in raw.get_next()])
            self._resolve_ends()
            yield [[self._finish(v) for v in row] for row in rows], self.nodes

    def value(self, v: Any) -> Any:
        if isinstance(v, dict):
            if "_NODES" in v and "_RELS" in v:
                nodes = tuple(self.value(n) for n in v["_NODES"])
                rels = tuple(self.value(r) for r in v["_RELS"])
                return ResultPath(nodes, rels)
            if "_SRC" in v and "_DST" in v:
                rel = Relationship(
                    type=v["_LABEL"],
                    start=_internal_id(v["_SRC"]),  # internal ids until _finish() makes them keys
                    end=_internal_id(v["_DST"]),
                    properties=_props(v),
                    element_id=_internal_id(v["_ID"]),
                )
                self.rels.append(rel)
                return rel
            if "_LABEL" in v and "_ID" in v:
                props = _props(v)
                element_id = _internal_id(v["_ID"])
                node = Node(str(props.get("id", element_id)), (v["_LABEL"],), props, element_id)
                self.nodes.setdefault(node.key, node)
                self.key_of[element_id] = node.key
                return node
            if _is_internal_id(v):
                return _internal_id(v)
            return {k: self.value(x) for k, x in v.items()}
        if isinstance(v, list):
            return [self.value(x) for x in v]
        if hasattr(v, "isoformat"):
            return v.isoformat()
        if isinstance(v, Decimal):  # LadybugDB sums integers as INT128, which arrives as Decimal
            return int(v) if v == v.to_integral_value() else float(v)
        return v

    def _resolve_ends(self) -> None:
        """Look up the nodes at the ends of relationships whose ends the result did not hold."""
        missing: dict[str, list[int]] = {}
        for rel in self.rels:
            for end in (rel.start, rel.end):
                if end not in self.key_of:
                    table, offset = end.split(":")
                    missing.setdefault(table, []).append(int(offset))
        if not missing:
            return
        if self._labels is None:
            self._labels = self._table_names()
        labels = self._labels
        for table, offsets in missing.items():
            label = labels[int(table)]
            raw = self.conn.execute(
                f"MATCH (n:{_q(label)}) WHERE offset(id(n)) IN $offsets RETURN n", {"offsets": sorted(set(offsets))}
            )
            while raw.has_next():
                self.value(raw.get_next()[0])

    def _table_names(self) -> dict[int, str]:
        raw = self.conn.execute("CALL show_tables() RETURN id, name")
        names = {}
        while raw.has_next():
            table_id, name = raw.get_next()
            names[int(table_id)] = name
        return names

    def _finish(self, v: Any) -> Any:
        if isinstance(v, Relationship):
            return Relationship(v.type, self.key_of.get(v.start, v.start), self.key_of.get(v.end, v.end),
                                v.properties, v.element_id)
        if isinstance(v, ResultPath):
            return ResultPath(v.nodes, tuple(self._finish(r) for r in v.relationships))
        if isinstance(v, list):
            return [self._finish(x) for x in v]
        if isinstance(v, dict):
            return {k: self._finish(x) for k, x in v.items()}
        return v


def _props(v: Mapping[str, Any]) -> dict[str, Any]:
    return {k: x for k, x in v.items() if not k.startswith("_") and x is not None}
