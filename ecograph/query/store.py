"""The embedded store: the graph in LadybugDB on disk, built once and reused.

A store is a directory holding ``graph.lbug`` (the LadybugDB database) and ``manifest.json``.
The manifest names the *fingerprint* of what the store was built from (the bytes of every data
file, the store layout and the LadybugDB version); a store is reused while the fingerprint
matches and rebuilt when a data file changes.

Building is crash-safe: the store is built in a temporary directory beside its final place, the
manifest is written last, and only then is the directory renamed into place. A build killed half
way (even ``kill -9``) leaves a ``.<name>.build-*`` directory that is never mistaken for a store
and is cleared by the next build.

Faults of the machine end in a :class:`~ecograph.errors.StoreError` of one line that says what
to do, never in an engine traceback, and leave nothing that the next run mistakes for a store:

- a folder that cannot be created or written raises :class:`~ecograph.errors.StoreLocationError`;
- before a build, the free space is checked against an estimate of what the build needs;
- builds, and queries that write, run in a forked child process where they can (POSIX, and no
  other LadybugDB database open in this process): when the disk fills LadybugDB may abort the
  whole process from C++ (exit 134), which Python cannot catch; in a child that abort is
  reported as an error, a half-built folder is cleared by the next build, and the log a torn
  write leaves is dropped (every write ends in a checkpoint, so it holds only that write);
- a finished store that no longer opens (damaged, truncated) is rebuilt by :func:`open_store`;
- a store another process is writing raises :class:`~ecograph.errors.StoreLockedError`.

Tables come from :mod:`ecograph.data.schema`: a node table per label (plus ``Observation``), a
relationship table per type with its FROM/TO pairs, and the rows of :mod:`ecograph.query.rows`, copied
in bulk from Arrow tables::

    store = open_store([shipped_data_dir()], Path("~/.cache/ecograph/seed").expanduser())
    result = store.query("MATCH (a:Company)-[r:INVESTED_IN]->(b) RETURN a, r, b")
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import pickle
import shutil
import signal
import tempfile
import uuid
import weakref
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ecograph.query import rows
from ecograph.data import schema
from ecograph.data.bulk import gc_paused
from ecograph.errors import (
    EcographError,
    MissingParameterError,
    QueryError,
    StoreError,
    StoreLocationError,
    StoreLockedError,
    WriteRefusedError,
)
from ecograph.fileio import process_alive
from ecograph.progress import Progress, no_progress
from ecograph.query.result import Node, Path as ResultPath, QueryResult, Relationship, ResultStream

if TYPE_CHECKING:
    import networkx as nx

    from ecograph.data.graphdata import Dataset

__all__ = [
    "EmbeddedStore", "open_store", "build_store", "data_fingerprint", "check_parameter", "STORE_FORMAT",
    "quote_name", "table_ddl",
]

# Bump when the layout of tables or the meaning of a stored value changes: old stores rebuild.
STORE_FORMAT = 1
DB_FILE = "graph.lbug"
MANIFEST = "manifest.json"
_DATA_FOLDERS = ("entities", "relationships", "tables")
# What a build needs on disk, from the data's size. Measured peaks (the write-ahead log and the
# database file both grow until the final checkpoint): the seed (64 kB of CSV) 11.8 MB, a synthetic
# 100,000 ties (10 MB of CSV) 70-85 MB, for a 57 MB store. 16 MiB + 8 x the data covers both.
_BUILD_BASE_BYTES = 16 * 2**20
_BUILD_BYTES_PER_DATA_BYTE = 8
# A write needs room for its log and the checkpoint that follows; with the disk full LadybugDB
# aborts the process while closing, so refuse to start one below this.
_WRITE_FREE_BYTES = 16 * 2**20
# Rows whose nodes and relationships are read together when the engine gave them as ids. Each
# batch costs a query per label and per type that it holds, and its rows' objects in memory: at a
# million (a, r, b) rows, 10,000-row batches peaked 65 MB above 2,000-row ones, no faster.
_ENTITY_BATCH = 2_000
# Nodes kept from one batch for the next (about 1 kB each), and at most this many ids of nodes
# met remembered as keys: together under 30 MB.
_RECENT_NODES = 10_000
_KNOWN_KEYS = 100_000


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
    """The store layout as text: any change to labels, types or stored properties changes it.
    A folder's own vocabulary changes it through its schema file (:func:`data_fingerprint`)."""
    return f"format={STORE_FORMAT}\n{schema.SHIPPED.signature()}"


def data_fingerprint(dirs: Sequence[str | Path]) -> str:
    """A hash of every file under the data folders of ``dirs`` (names and bytes), their schema
    files, the store layout and the LadybugDB version: equal fingerprints mean an equal store."""
    from ecograph.data.schemafile import FILE_NAME as SCHEMA_FILE

    h = hashlib.sha256()
    h.update(_layout_signature().encode())
    h.update(f"\nladybug={_ladybug_version()}\n".encode())
    for i, d in enumerate(dirs):
        d = Path(d)
        h.update(f"dir {i}\n".encode())
        if (d / SCHEMA_FILE).is_file():
            declared = (d / SCHEMA_FILE).read_bytes()
            h.update(f"{SCHEMA_FILE} {len(declared)}\n".encode())
            h.update(declared)
        for folder in _DATA_FOLDERS:
            base = d / folder
            if not base.is_dir():
                continue
            for f in sorted(p for p in base.rglob("*") if p.is_file()):
                # Read a piece at a time: a million ties is an 80 MB file, which read whole set
                # the peak memory of every query on them (119 MB before the store opened).
                with f.open("rb") as data:
                    h.update(f"{f.relative_to(d).as_posix()} {os.fstat(data.fileno()).st_size}\n".encode())
                    for piece in iter(lambda: data.read(1 << 20), b""):
                        h.update(piece)
    return h.hexdigest()


def data_size(dirs: Sequence[str | Path]) -> int:
    """Bytes of every file under the data folders of ``dirs`` (what a build reads)."""
    total = 0
    for d in dirs:
        for folder in _DATA_FOLDERS:
            base = Path(d) / folder
            if base.is_dir():
                total += sum(p.stat().st_size for p in base.rglob("*") if p.is_file())
    return total


def build_bytes_needed(data_bytes: int) -> int:
    """The free space a build of ``data_bytes`` of data files asks for (an estimate with margin)."""
    return _BUILD_BASE_BYTES + _BUILD_BYTES_PER_DATA_BYTE * data_bytes


def _mb(n: int) -> str:
    return f"{n / 1e6:,.0f} MB" if n >= 1e6 else f"{n / 1e3:,.0f} kB"


def _require_space(folder: Path, needed: int, doing: str) -> None:
    """Raise :class:`StoreError` if ``folder``'s file system has less than ``needed`` bytes free."""
    try:
        free = shutil.disk_usage(folder).free
    except OSError:
        return  # cannot tell: let the build try, its own errors are reported too
    if free < needed:
        raise StoreError(
            f"{doing} needs about {_mb(needed)} and only {_mb(free)} is free in {folder}: "
            "free disk space, or put the store on another disk"
        )


def _location_error(e: OSError, path: Path) -> StoreError:
    """An OSError met creating or writing the store's folder, as one line that says what to do."""
    if e.errno in (errno.ENOSPC, errno.EDQUOT):
        return StoreError(f"no space left on the device holding {path}: free disk space and try again")
    if e.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        why = "the file system is read-only" if e.errno == errno.EROFS else "permission denied"
        return StoreLocationError(f"cannot write the store at {path}: {why}; choose a writable folder")
    if e.errno in (errno.ENOTDIR, errno.EEXIST):
        return StoreLocationError(f"cannot create the store at {path}: a part of the path is a file; choose a folder")
    if e.errno == errno.ENOENT:
        return StoreLocationError(f"cannot create the store at {path}: {path.parent} does not take new files; "
                                  "choose another folder")
    return StoreLocationError(f"cannot create the store at {path}: {e.strerror or e}; choose another folder")


def _low_on_space(path: Path) -> bool:
    """True if the file system holding ``path`` has less free space than a write needs."""
    for folder in (path, *path.parents):
        if folder.is_dir():
            try:
                return shutil.disk_usage(folder).free < _WRITE_FREE_BYTES
            except OSError:
                return False
    return False


def _engine_store_error(e: Exception, path: Path, doing: str) -> StoreError:
    """A LadybugDB exception met building or opening the store at ``path``, as one line."""
    text = str(e)
    # A full disk also shows as a short read ("Cannot read from file ... numBytesRead: 0") of a
    # page whose write had failed: an IO exception with the disk (nearly) full is the disk.
    if "No space left on device" in text or ("IO exception" in text and _low_on_space(path)):
        return StoreError(f"{doing} the store at {path} ran out of disk space: free disk space and try again")
    if "Could not set lock" in text:
        return StoreLockedError(f"another write is running on the store at {path}: try again when it is done")
    if "Read-only file system" in text or "Permission denied" in text:
        why = "the file system is read-only" if "Read-only" in text else "permission denied"
        return StoreLocationError(f"cannot write the store at {path}: {why}; choose a writable folder")
    first = text.strip().splitlines()[0] if text.strip() else type(e).__name__
    return StoreError(f"{doing} the store at {path} failed: {first}")


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


def quote_name(name: str) -> str:
    """A label, type or property name quoted for Cypher; names come only from the schema."""
    if "`" in name:
        raise StoreError(f"invalid name in the schema: {name!r}")
    return f"`{name}`"


def _columns(props: Iterable[schema.StoreProperty]) -> str:
    return ", ".join(f"{quote_name(p.name)} {p.ladybug}" for p in props)


def table_ddl(model: schema.Model = schema.SHIPPED) -> list[str]:
    """CREATE statements for every table, from the data's model (shipped or its own)."""
    statements = []
    for kind in model.kinds:
        statements.append(
            f"CREATE NODE TABLE {quote_name(kind)}({_columns(model.node_properties)}, PRIMARY KEY (`id`))"
        )
    statements.append(
        f"CREATE NODE TABLE {quote_name(schema.OBSERVATION_LABEL)}"
        f"({_columns(model.observation_properties)}, PRIMARY KEY (`id`))"
    )
    rel_columns = _columns(model.relationship_properties)
    for rel in model.rel_types.values():
        pairs = ", ".join(f"FROM {quote_name(s)} TO {quote_name(t)}" for s in rel.sources for t in rel.targets)
        statements.append(f"CREATE REL TABLE {quote_name(rel.name)}({pairs}, {rel_columns})")
    pairs = ", ".join(f"FROM {quote_name(k)} TO {quote_name(schema.OBSERVATION_LABEL)}" for k in model.kinds)
    statements.append(f"CREATE REL TABLE {quote_name(schema.OBSERVATION_REL)}({pairs})")
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
        raise StoreLocationError(f"{path} exists and is not an ecograph store; choose another folder")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _clear_stale_builds(path)
        tmp = path.parent / f".{path.name}.build-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        tmp.mkdir()
    except OSError as e:
        raise _location_error(e, path) from e
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
    except RuntimeError as e:
        shutil.rmtree(tmp, ignore_errors=True)
        raise _engine_store_error(e, path, "building") from e
    except OSError as e:
        shutil.rmtree(tmp, ignore_errors=True)
        raise _location_error(e, path) from e
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return manifest


def _can_fork() -> bool:
    """True if work on a store may run in a forked child: there is fork, and no LadybugDB
    database is open in this process (one does not survive a fork: the child aborted with
    "No such process" on its first statement)."""
    return hasattr(os, "fork") and not any(store._db is not None for store in _OPEN_STORES)


def _in_child(work: Callable[[], Any], path: Path, doing: str) -> Any:
    """``work()`` run in a forked child process, so that an abort inside LadybugDB (it aborts
    the process when the disk fills at the wrong moment) becomes a :class:`StoreError`; ``doing``
    says what for messages ("building the store").

    The child shares the parent's memory (fork copies nothing until written; builds pause the
    garbage collector), sends back the answer or the exception, and its native error output is
    read back instead of reaching the terminal. Call it only when :func:`_can_fork`.
    """
    with tempfile.TemporaryFile() as answer, tempfile.TemporaryFile() as stderr:
        terminal = os.dup(2)  # where Python's own stderr (a progress bar) keeps writing in the child
        pid = os.fork()
        if pid == 0:  # the child: never returns into the caller's code
            code = 0
            try:
                import faulthandler
                import io
                import sys

                faulthandler.disable()  # an abort here is reported by the parent, not dumped
                os.dup2(stderr.fileno(), 2)
                sys.stderr = io.TextIOWrapper(io.FileIO(terminal, "w", closefd=False), encoding="utf-8",
                                              errors="replace", line_buffering=True)
                try:
                    payload: tuple[bool, Any] = (True, work())
                except BaseException as e:  # noqa: BLE001 - handed to the parent
                    payload = (False, e if isinstance(e, EcographError) else StoreError(f"{doing} at {path} failed: {e}"))
                answer.write(pickle.dumps(payload))
                answer.flush()
            except BaseException:  # noqa: BLE001 - the parent reports a child without an answer
                code = 1
            finally:
                os._exit(code)
        os.close(terminal)
        _, status = os.waitpid(pid, 0)
        answer.seek(0)
        raw = answer.read()
        if raw:
            ok, value = pickle.loads(raw)
            if ok:
                return value
            raise value
        stderr.seek(0)
        native = stderr.read().decode("utf-8", "replace")
    reason = next((line.split("what():", 1)[1].strip() for line in native.splitlines() if "what():" in line), "")
    if "No space left on device" in native or _low_on_space(path):
        raise StoreError(f"{doing} at {path} ran out of disk space: free disk space and try again")
    if os.WIFSIGNALED(status):
        name = signal.Signals(os.WTERMSIG(status)).name
        raise StoreError(f"{doing} at {path} stopped ({name}{': ' + reason if reason else ''}); try again")
    raise StoreError(f"{doing} at {path} failed{': ' + reason if reason else ''}; try again")


_STAGE = "Building the store"


def _load(conn: Any, data: nx.MultiDiGraph | Dataset, after_nodes: Callable[[], None] | None,
          progress: Progress) -> dict[str, int]:
    from ecograph.data.graphdata import Dataset

    model = data.model if isinstance(data, Dataset) else schema.model_of(data)
    for statement in table_ddl(model):
        conn.execute(statement)
    tables = _tables(data)
    observations = tables.observations
    total = (sum(len(columns["id"]) for columns in tables.entities.values()) + len(observations)
             + (data.relationship_count if isinstance(data, Dataset) else data.number_of_edges())
             + sum(len(links) for links in tables.links.values()))
    done = 0
    progress(_STAGE, done, total)
    node_types = [(p.name, p.ladybug) for p in model.node_properties]
    n_entities = 0
    for kind, columns in tables.entities.items():
        conn.execute(f"COPY {quote_name(kind)} FROM $rows", {"rows": _arrow_table(columns, node_types)})
        n_entities += len(columns["id"])
        done += len(columns["id"])
        progress(_STAGE, done, total)
    if observations:
        obs_types = [(p.name, p.ladybug) for p in model.observation_properties]
        table = _arrow_table(_rows_as_columns(observations, [n for n, _ in obs_types]), obs_types)
        conn.execute(f"COPY {quote_name(schema.OBSERVATION_LABEL)} FROM $rows", {"rows": table})
        done += len(observations)
        progress(_STAGE, done, total)
    if after_nodes is not None:
        after_nodes()
    n_rels = 0
    for (rel_type, source, target), table in tables.relationships:
        conn.execute(f"COPY {quote_name(rel_type)} FROM $rows (from={_str(source)}, to={_str(target)})", {"rows": table})
        n_rels += table.num_rows
        done += table.num_rows
        progress(_STAGE, done, total)
    link_types = [("from", "STRING"), ("to", "STRING")]
    for kind, links in tables.links.items():
        conn.execute(
            f"COPY {quote_name(schema.OBSERVATION_REL)} FROM $rows (from={_str(kind)}, to={_str(schema.OBSERVATION_LABEL)})",
            {"rows": _arrow_table(_rows_as_columns(links, ["from", "to"]), link_types)},
        )
        done += len(links)
        progress(_STAGE, done, total)
    return {"entities": n_entities, "relationships": n_rels, "observations": len(observations)}


def _tables(data: nx.MultiDiGraph | Dataset) -> rows.StoreTables:
    """What the store copies: from a checked data set directly, or from a graph."""
    from ecograph.data.graphdata import Dataset

    if isinstance(data, Dataset):
        return rows.dataset_tables(data)
    rel_types = [("from", "STRING"), ("to", "STRING")]
    rel_types += [(p.name, p.ladybug) for p in schema.model_of(data).relationship_properties]
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
        if not process_alive(pid):
            shutil.rmtree(d, ignore_errors=True)


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
    from ecograph.data.graphdata import read_model

    path = Path(path)
    _clear_stale_builds(path)
    fingerprint = data_fingerprint(dirs)
    model = read_model(dirs)
    manifest = None if rebuild else read_manifest(path)
    if manifest is not None and manifest.fingerprint == fingerprint:
        store = EmbeddedStore(path, manifest, model=model)
        try:
            store.check()
            return store
        except StoreLockedError:
            raise
        except StoreError:
            store.close()
            if _discard_broken_log(path):
                return open_store(dirs, path, load=load)
            # damaged (a truncated or overwritten file): build it again below
    if not _is_ours(path):
        raise StoreLocationError(f"{path} exists and is not an ecograph store; choose another folder")
    if load is None:
        from ecograph.data.graphdata import read_graphdata

        def load() -> Dataset:
            return read_graphdata(dirs, progress=progress)

    _check_writable(path)
    data = load()
    _require_space(path.parent, build_bytes_needed(data_size(dirs)), "building the store")
    if _can_fork():
        manifest = _in_child(lambda: build_store(data, path, fingerprint, progress=progress), path,
                             "building the store")
    else:
        manifest = build_store(data, path, fingerprint, progress=progress)
    return EmbeddedStore(path, manifest, built=True, model=model)


def _discard_broken_log(path: Path) -> bool:
    """Delete the store's write-ahead log if LadybugDB finds it torn; True if it did.

    A write that fails part way (the disk filled) leaves its records in the log with no commit
    and a bad checksum, and LadybugDB then refuses to open the store at all. Every write here
    ends with a checkpoint (the database checkpoints on close), so such a log holds only the
    failed write: without it the store is as it was before that write.
    """
    import ladybug as lb

    wal = path / f"{DB_FILE}.wal"
    if not wal.is_file():
        return False
    try:
        # Opened for writing, so that LadybugDB's lock also tells whether a write is running:
        # the log of a write under way is never taken for a torn one.
        db = lb.Database(str(path / DB_FILE))
        lb.Connection(db).close()
        db.close()
        return False
    except RuntimeError as e:
        if "Could not set lock" in str(e):
            raise _engine_store_error(e, path, "opening") from e
        if "WAL file is corrupted" not in str(e):
            return False
    try:
        wal.unlink()
    except OSError:
        return False
    return True


def _check_writable(path: Path) -> None:
    """Create ``path``'s folder and a file in it, or raise :class:`StoreLocationError`: checked
    before the data is loaded, and by trying, since permission bits do not bind root."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{path.name}.probe-"):
            pass
    except OSError as e:
        raise _location_error(e, path) from e


# How many missing names a read may have rewritten (each is one more try of the query).
_MAX_REWRITES = 8

# Stores of this process whose database is open: while there is one, builds and writes do not fork.
_OPEN_STORES: weakref.WeakSet[EmbeddedStore] = weakref.WeakSet()


class EmbeddedStore:
    """A finished store on disk. The database opens on the first query, read-only unless a
    query writes, and stays open for the next ones; :meth:`close` (or ``with``) releases it."""

    def __init__(self, path: Path, manifest: Manifest, *, built: bool = False,
                 model: schema.Model = schema.SHIPPED) -> None:
        self.path = path
        self.manifest = manifest
        self.model = model  # the vocabulary of the data it holds: its tables, its warnings
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
        _OPEN_STORES.discard(self)

    def _connection(self, writable: bool) -> Any:
        import ladybug as lb

        from ecograph.query import dialect

        if self._conn is None or (writable and not self._writable):
            self.close()
            try:
                self._db = lb.Database(str(self.path / DB_FILE), read_only=not writable)
                self._conn = lb.Connection(self._db)
            except RuntimeError as e:
                self._db = self._conn = None
                raise _engine_store_error(e, self.path, "opening") from e
            _OPEN_STORES.add(self)
            self._writable = writable
            dialect.register_functions(self._conn)
        return self._conn

    def check(self) -> None:
        """Open the store read-only and check it holds every table: raises :class:`StoreError`
        if it is damaged (the database stays open for the first query)."""
        conn = self._connection(writable=False)
        try:
            raw = conn.execute("CALL show_tables() RETURN count(*)")
            tables = raw.get_next()[0]
        except RuntimeError as e:
            raise _engine_store_error(e, self.path, "reading") from e
        expected = len(table_ddl(self.model))
        if tables != expected:
            raise StoreError(f"the store at {self.path} holds {tables} tables, not {expected}: it is damaged")

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
        batch_size: int | None = None,
        lean: bool = True,
    ) -> ResultStream:
        """Run Neo4j-style Cypher and give its rows as they are converted, ``batch_size`` at a time
        (by default 1,000, or 10,000 when nodes and relationships are read by id, as below).

        Errors in the query itself raise here (:class:`QueryError`), before any row. Only one
        batch of converted rows is held at a time. LadybugDB itself holds the whole answer
        until the stream ends (it has no cursor), every returned node with all its properties:
        a process that only reads a million ``(a, r, b)`` rows peaks at 1.44 GB. So with
        ``lean`` (the default) a read query's returned nodes and relationships come from the
        engine as internal ids (:func:`ecograph.query.dialect.entity_ids`) and their properties are
        read a batch of rows at a time; the rows are the same, in the same order
        (``benchmarks/bench_memory.py`` has the figures). ``lean=False`` asks the engine for
        them whole.
        """
        from ecograph.query import dialect, vocabulary

        clause = dialect.writing_clause(query)
        if clause is not None and not write:
            raise WriteRefusedError(clause)
        missing = dialect.missing_parameters(query, parameters or {})
        if missing:
            raise MissingParameterError(missing)
        if clause is not None:
            query = vocabulary.with_created_ids(query, self.model)
        translated = dialect.translate(query, parameters or {}, self.model)
        values = dict(parameters or {})
        for name, value in values.items():
            check_parameter(name, value)
        if clause is None:
            return self._read(query, translated, values, batch_size, lean)
        _require_space(self.path, _WRITE_FREE_BYTES, "writing to the store")
        self.close()

        def write() -> QueryResult:
            # A write's answer is held (it is small, and a child process hands it back whole).
            try:
                return self._execute(query, translated, values, writable=True, batch_size=batch_size).collect()
            finally:
                self.close()

        if _can_fork():
            # With the disk full LadybugDB fails the write, then aborts the process while closing
            # (it checkpoints on close): write in a child that closes before it answers.
            try:
                result = _in_child(write, self.path, "writing to the store")
            except StoreError:
                _discard_broken_log(self.path)  # a write torn by a full disk: the store answers again
                raise
        else:
            result = write()
        try:
            self._mark_modified()
        except OSError as e:
            raise _location_error(e, self.path) from e
        return ResultStream(result.columns, iter([(result.rows, result.nodes)]), backend="embedded")

    def _read(self, query: str, translated: str, values: dict[str, Any], batch_size: int | None,
              lean: bool = True) -> ResultStream:
        """Run a read; a label, type or property the data does not have reads as Neo4j reads it
        (no match, null), with a warning each (:mod:`ecograph.query.vocabulary`)."""
        from ecograph.query import dialect, vocabulary

        warnings: list[str] = []
        emptied: set[str] = set()  # variables of patterns that now match nothing: their properties are null
        original = query
        for _ in range(_MAX_REWRITES):
            try:
                stream = self._execute(query, translated, values, writable=False, batch_size=batch_size, lean=lean)
            except QueryError as e:
                missing = vocabulary.missing_name(str(e.__cause__ or ""))
                if missing is None:
                    raise
                rewritten = vocabulary.rewrite(query, missing, self.model)
                if rewritten is None or rewritten[0] == query:
                    raise QueryError(vocabulary.unknown_message(missing, self.model)) from e
                if missing.what != "property" or missing.variable not in emptied:
                    warnings.append(vocabulary.read_warning(missing, self.model))
                query, more = rewritten
                emptied |= more
                translated = dialect.translate(query, None, self.model)
                values = {**values, vocabulary.NO_ID: ""}
                continue
            stream.warnings = warnings
            return stream
        raise QueryError(f"the query names more than {_MAX_REWRITES} labels, types or properties the data "
                         f"does not have: {original[:60]}")

    def _execute(self, query: str, translated: str, values: dict[str, Any], *, writable: bool,
                 batch_size: int | None, lean: bool = True) -> ResultStream:
        from ecograph.query import dialect, vocabulary

        conn = self._connection(writable=writable)
        slim = dialect.entity_ids(translated) if lean and not writable else None
        try:
            raw = conn.execute(slim.text if slim is not None else translated, values)
        except RuntimeError as e:
            if "No space left on device" in str(e):
                raise StoreError(f"writing to the store at {self.path} ran out of disk space: free disk space "
                                 "and try again") from e
            missing = vocabulary.missing_name(str(e)) if writable else None
            if missing is not None:
                raise QueryError(vocabulary.write_message(missing, self.model)) from e
            message = vocabulary.create_message(str(e), self.model) if writable else None
            if message is not None:
                raise QueryError(message) from e
            raise dialect.engine_error(e, query, self.model) from e
        except (ValueError, TypeError, OverflowError) as e:  # the engine's Python side converting a value
            raise QueryError(f"a parameter cannot be passed to the embedded engine: {e}") from e
        if isinstance(raw, list):
            raw = raw[-1]
        if slim is not None:
            columns = [c for c, kind in zip(raw.get_column_names(), slim.columns) if kind != "type"]
            batches = _Converter(conn).entity_batches(raw, batch_size or _ENTITY_BATCH, slim.columns)
            return ResultStream(columns, batches, backend="embedded", close=raw.close)
        return ResultStream(list(raw.get_column_names()), _Converter(conn).batches(raw, batch_size or 1000),
                            backend="embedded", close=raw.close)

    def _mark_modified(self) -> None:
        if not self.manifest.modified:
            self.manifest = Manifest(self.manifest.fingerprint, self.manifest.counts, self.manifest.built_at, True)
            tmp = self.path / f".{MANIFEST}.tmp"
            tmp.write_text(self.manifest.to_json(), encoding="utf-8")
            os.replace(tmp, self.path / MANIFEST)


# --- parameters ----------------------------------------------------------------------------------

_INT64 = (-(2**63), 2**63 - 1)
_MAX_PARAMETER_DEPTH = 50


class _Unbindable(Exception):
    """Why a parameter's value cannot be bound; :func:`check_parameter` names the parameter."""


def check_parameter(name: str, value: Any) -> None:
    """Raise :class:`QueryError` if the embedded engine cannot take ``value`` as ``$name``.

    LadybugDB types a parameter from its value, so it refuses (with a C++ message) an integer
    beyond 64 bits, and a list or map field with no value to type it by (``[]``, ``[null]``,
    ``{a: null}``); and it quietly binds a list that mixes kinds (``[1, "a"]``) as the *text*
    ``'[1, "a"]'``. All of those are refused here, by name, as is nesting deeper than 50 levels.
    """
    try:
        t = _value_type(value, 0)
        if t != ("null",) and _untyped(t):
            raise _Unbindable("an empty list, or a list or map field that is only null, has no type the embedded "
                              "engine can bind; give at least one value, or leave it out of the query")
    except _Unbindable as e:
        raise QueryError(f"parameter ${name}: {e}") from None


def _value_type(v: Any, depth: int) -> tuple[Any, ...]:
    """The engine's type of ``v`` as a nested tuple: ``("number",)``, ``("list", item)``,
    ``("map", ((key, type), ...))``; ``("null",)`` where nothing types it."""
    if depth > _MAX_PARAMETER_DEPTH:
        raise _Unbindable(f"lists or maps nested more than {_MAX_PARAMETER_DEPTH} levels deep")
    if v is None:
        return ("null",)
    if isinstance(v, bool):
        return ("boolean",)
    if isinstance(v, int):
        if not _INT64[0] <= v <= _INT64[1]:
            raise _Unbindable(f"{v} does not fit in a 64-bit integer (-2^63 to 2^63-1); pass it as a string or a float")
        return ("number",)
    if isinstance(v, float):
        return ("number",)
    if isinstance(v, str):
        return ("text",)
    if isinstance(v, (list, tuple)):
        item: tuple[Any, ...] = ("null",)
        for x in v:
            item = _unify(item, _value_type(x, depth + 1))
        return ("list", item)
    if isinstance(v, Mapping):
        return ("map", tuple(sorted((str(k), _value_type(x, depth + 1)) for k, x in v.items())))
    return (type(v).__name__,)


def _unify(a: tuple[Any, ...], b: tuple[Any, ...]) -> tuple[Any, ...]:
    """The one type that both list items ``a`` and ``b`` have (null takes the other's)."""
    if a == ("null",):
        return b
    if b == ("null",) or a == b:
        return a
    if a[0] == b[0] == "list":
        return ("list", _unify(a[1], b[1]))
    if a[0] == b[0] == "map" and [k for k, _ in a[1]] == [k for k, _ in b[1]]:
        return ("map", tuple((k, _unify(x, y)) for (k, x), (_, y) in zip(a[1], b[1])))
    raise _Unbindable(f"a list mixes {_shown(a)} and {_shown(b)}; the embedded engine needs one kind per list")


def _shown(t: tuple[Any, ...]) -> str:
    if t[0] == "list":
        return "list" if t[1] == ("null",) else f"list of {_shown(t[1])}"
    if t[0] == "map":
        return f"map of {', '.join(k for k, _ in t[1])}" if t[1] else "map"
    return t[0]


def _untyped(t: tuple[Any, ...]) -> bool:
    if t == ("null",):
        return True
    if t[0] == "list":
        return _untyped(t[1])
    if t[0] == "map":
        return any(_untyped(x) for _, x in t[1])
    return False


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
        # The nodes read last, by internal id: a heavy-tailed graph's hubs are in most batches.
        self._recent: OrderedDict[str, Node] = OrderedDict()

    def batches(self, raw: Any, size: int) -> Iterator[tuple[list[list[Any]], dict[str, Node]]]:
        """``(rows, nodes)`` pairs of at most ``size`` rows, relationships' ends made keys."""
        while raw.has_next():
            self.nodes, self.rels = {}, []
            rows = []
            while len(rows) < size and raw.has_next():
                rows.append([self.value(v) for v in raw.get_next()])
            self._resolve_ends()
            yield [[self._finish(v) for v in row] for row in rows], self.nodes

    def entity_batches(self, raw: Any, size: int, kinds: Sequence[str | None]
                       ) -> Iterator[tuple[list[list[Any]], dict[str, Node]]]:
        """:meth:`batches` of a query rewritten by :func:`ecograph.query.dialect.entity_ids`: its
        ``"node"`` and ``"rel"`` columns hold internal ids, whose nodes and relationships are
        read here a batch at a time; the ``"type"`` columns are dropped."""
        while raw.has_next():
            self.nodes, self.rels = {}, []
            if len(self.key_of) > _KNOWN_KEYS:  # it only saves looking up ends again
                self.key_of.clear()
            got = []
            while len(got) < size and raw.has_next():
                got.append(raw.get_next())
            found = self._fetch(got, kinds)
            rows = []
            for values in got:
                row = []
                for v, kind in zip(values, kinds):
                    if kind == "type":
                        continue
                    if kind in ("node", "rel") and v is not None:
                        row.append(found[_internal_id(v)])
                    else:
                        row.append(self.value(v))
                rows.append(row)
            self._resolve_ends()
            yield [[self._finish(v) for v in row] for row in rows], self.nodes

    def _fetch(self, got: list[list[Any]], kinds: Sequence[str | None]) -> dict[str, Any]:
        """The nodes and relationships ``got``'s id columns name, by internal id: one query per
        label and per relationship type."""
        nodes: dict[int, set[int]] = {}
        rels: dict[str, set[str]] = {}
        for values in got:
            for i, (v, kind) in enumerate(zip(values, kinds)):
                if v is None:
                    continue
                if kind == "node":
                    nodes.setdefault(int(v["table"]), set()).add(int(v["offset"]))
                elif kind == "rel":
                    rels.setdefault(values[i + 1], set()).add(_internal_id(v))
        if self._labels is None:
            self._labels = self._table_names()
        found: dict[str, Any] = {}
        for table, offsets in nodes.items():
            self._fetch_nodes(self._labels[table], table, offsets, found)
        while len(self._recent) > _RECENT_NODES:
            self._recent.popitem(last=False)
        types = set(self._labels.values())
        for rel_type, ids in rels.items():
            if rel_type not in types:
                raise QueryError(f"the embedded store has no relationship type {rel_type!r}")
            self._fetch_rels(rel_type, ids, found)
        return found

    def _fetch_nodes(self, label: str, table: int, offsets: set[int], found: dict[str, Any]) -> None:
        """Put the nodes of ``table`` (label ``label``) at ``offsets`` in ``found``: from the recent
        ones where they are there, the others with one query."""
        cache = self._recent
        wanted = []
        for offset in offsets:
            node = cache.get(f"{table}:{offset}")
            if node is None:
                wanted.append(offset)
                continue
            cache.move_to_end(node.element_id)
            self.nodes.setdefault(node.key, node)
            found[node.element_id] = node
        if not wanted:
            return
        query = f"MATCH (n:{quote_name(label)}) WHERE offset(id(n)) IN $offsets RETURN n"
        for (v,) in self._rows(query, {"offsets": sorted(wanted)}):
            node = self.value(v)
            found[node.element_id] = cache[node.element_id] = node

    def _fetch_rels(self, rel_type: str, ids: set[str], found: dict[str, Any]) -> None:
        """Put the relationships of type ``rel_type`` with internal ids ``ids`` in ``found``."""
        # A type's offsets count within each of its FROM/TO tables: the others' are not wanted
        # (skipped here so that their ends are not looked up).
        offsets = sorted({int(i.split(":")[1]) for i in ids})
        query = f"MATCH ()-[r:{quote_name(rel_type)}]->() WHERE offset(id(r)) IN $offsets RETURN r"
        for (v,) in self._rows(query, {"offsets": offsets}):
            element_id = _internal_id(v["_ID"])
            if element_id in ids:
                found[element_id] = self.value(v)

    def _rows(self, query: str, parameters: Mapping[str, Any]) -> Iterator[list[Any]]:
        raw = self.conn.execute(query, parameters)
        try:
            while raw.has_next():
                yield raw.get_next()
        finally:
            raw.close()

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
            if _is_marked(v):
                return self.value(_unset_dropped(v))
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
                f"MATCH (n:{quote_name(label)}) WHERE offset(id(n)) IN $offsets RETURN n", {"offsets": sorted(set(offsets))}
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


def _is_marked(v: Mapping[str, Any]) -> bool:
    from ecograph.query.dialect.calls import PROPERTIES_MARKERS

    keys = list(v)
    return len(keys) == 2 and keys[1] == PROPERTIES_MARKERS["of"] and keys[0] in PROPERTIES_MARKERS.values()


def _unset_dropped(v: Mapping[str, Any]) -> Any:
    """keys()/properties() of a node or relationship, which the dialect sends marked (see
    dialect.calls.PROPERTIES_MARKERS): without the unset (null) properties, as Neo4j has them."""
    from ecograph.query.dialect.calls import PROPERTIES_MARKERS

    (key, inner), (_, of) = v.items()
    if inner is None:
        return None
    # A map keeps its null values in Neo4j; a node or relationship has no unset properties.
    props = _props(inner) if of in ("NODE", "REL") else {k: x for k, x in inner.items() if not k.startswith("_")}
    return list(props) if key == PROPERTIES_MARKERS["keys"] else props


def _props(v: Mapping[str, Any]) -> dict[str, Any]:
    return {k: x for k, x in v.items() if not k.startswith("_") and x is not None}
