"""Shared fixtures: the shipped data counted, tiny graphdata directories written into ``tmp_path``."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

SHIPPED = Path(__file__).resolve().parents[1] / "graphdata"


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
