"""Shared fixtures: tiny graphdata directories written into ``tmp_path``."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import pytest


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
