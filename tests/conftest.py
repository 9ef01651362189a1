"""Shared fixtures: the shipped data counted, tiny graphdata directories written into ``tmp_path``."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "graphdata"
LINT = ROOT.parent / "shared" / "tools" / "neo4j-cypher-lint" / "neo4j-cypher-lint"


@pytest.fixture(scope="session")
def seed_cache(tmp_path_factory) -> Path:
    """A cache folder (for ``XDG_CACHE_HOME``) holding the embedded store of the shipped data,
    built once for the whole run by the CLI itself, where the CLI looks for it. A store build
    takes seconds: the tests that only read the seed share this one (``monkeypatch.setenv(
    "XDG_CACHE_HOME", str(seed_cache))``); a test that writes builds its own."""
    from click.testing import CliRunner

    from cli import main

    cache = tmp_path_factory.mktemp("seed-cache")
    result = CliRunner().invoke(main, ["query", "RETURN 1"], env={"XDG_CACHE_HOME": str(cache), "ECOGRAPH_DB": None})
    assert result.exit_code == 0, result.output
    return cache


@pytest.fixture(scope="module")
def seed_store(seed_cache):
    """The embedded store of :func:`seed_cache`, open for one test module (opening finds it built
    and up to date). Not for the whole run: while a database is open in the process, builds do not
    fork (ecograph.query.store._can_fork), and the fault tests need them to."""
    from ecograph.query.store import open_store

    (path,) = (seed_cache / "ecograph" / "stores").iterdir()
    with open_store([SHIPPED], path) as store:
        assert not store.built, "the seed cache's store was built again"
        yield store


@pytest.fixture(scope="session")
def lint_lock():
    """A context manager held while neo4j-cypher-lint runs: one lint at a time on this machine.

    The tool copies its script into its cache on every call, so two lints at once (two test
    workers under pytest-xdist, or two checkouts) can read it half written."""
    import contextlib
    import fcntl
    import tempfile

    @contextlib.contextmanager
    def held():
        with open(Path(tempfile.gettempdir()) / "neo4j-cypher-lint.lock", "a") as f:
            fcntl.flock(f, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(f, fcntl.LOCK_UN)

    return held


@pytest.fixture(scope="session")
def cypher_lint(lint_lock):
    """Neo4j's own parser (``../shared/tools/neo4j-cypher-lint``), strict, given the schema's labels
    and types: ``cypher_lint(*names, cwd=folder)`` lints the files ``names`` inside ``folder``.

    Name files relative to ``cwd``: the tool keeps each result by the files' text and its
    arguments, so a relative name finds a text already linted (in this checkout or any other, or
    an earlier run's temporary folder) at once, where an absolute one would lint it all again."""
    import shutil
    import subprocess

    from ecograph.data import schema

    if not LINT.exists():
        pytest.skip("neo4j-cypher-lint lives in ../shared/tools beside the repository")
    if shutil.which("node") is None:
        pytest.skip("neo4j-cypher-lint needs Node.js")
    labels = [*schema.KINDS, schema.ENTITY_MARKER_LABEL, schema.OBSERVATION_LABEL]
    types = [*schema.REL_TYPES, schema.OBSERVATION_REL]

    def lint(*names: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
        assert all(not Path(name).is_absolute() for name in names), "name files relative to cwd"
        with lint_lock():
            return subprocess.run(
                [str(LINT), "--strict", "--labels", ",".join(labels), "--types", ",".join(types), *map(str, names)],
                cwd=cwd, capture_output=True, text=True, timeout=600, check=False,
            )

    return lint


@pytest.fixture(scope="session")
def seed_rows() -> dict[str, list[dict[str, str]]]:
    """The rows of the shipped ``graphdata/`` CSV files by folder (``entities``,
    ``relationships``, ``tables``), read with the csv module, not ecograph's reader: what a test
    expects of the seed (how many companies, which observations) is counted here, never typed in."""
    import csv

    rows: dict[str, list[dict[str, str]]] = {}
    for folder in ("entities", "relationships", "tables"):
        rows[folder] = []
        for path in sorted((SHIPPED / folder).glob("*.csv")):
            with path.open(encoding="utf-8-sig", newline="") as f:
                rows[folder] += [{k: v.strip() for k, v in row.items() if v and v.strip()} for row in csv.DictReader(f)]
    return rows


@pytest.fixture(scope="session")
def seed_counts(seed_rows) -> dict[str, int]:
    """How many entities, relationships and observations the shipped data holds, and how many
    entities of each kind (keyed by kind, e.g. ``"Company"``)."""
    from collections import Counter

    return {"entities": len(seed_rows["entities"]), "relationships": len(seed_rows["relationships"]),
            "observations": len(seed_rows["tables"]), **Counter(e["kind"] for e in seed_rows["entities"])}


@pytest.fixture
def write_graphdata(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Path]:
    """Write a data directory from ``{relative path: content}`` and return its path.

    The working directory is ``tmp_path``, so the returned path is relative (``data``) and
    messages name files as ``data/relationships/r.csv``. ``str`` content is written as UTF-8
    exactly as given (no newline translation); ``bytes`` content byte for byte.
    """
    monkeypatch.chdir(tmp_path)

    def write(files: Mapping[str, str | bytes], name: str = "data") -> Path:
        root = Path(name)
        root.mkdir(parents=True, exist_ok=True)
        for relative, content in files.items():
            path = root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8", newline="")
        return root

    return write


@pytest.fixture
def paused():
    """Start ``python -c code target ready`` from the repository and return the process once it
    has written the file ``ready`` (the code pauses there): a write caught half way, to kill."""
    import subprocess
    import sys
    import time

    started = []

    def start(code: str, target: Path, ready: Path, **popen) -> subprocess.Popen:
        proc = subprocess.Popen([sys.executable, "-c", code, str(target), str(ready)],
                                cwd=Path(__file__).resolve().parents[1], **popen)
        started.append(proc)
        deadline = time.monotonic() + 120
        while not ready.exists():
            assert proc.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
        return proc

    yield start
    for proc in started:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
