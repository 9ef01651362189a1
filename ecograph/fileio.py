"""Atomic file and directory writes: a reader sees the old content or the new, never half of it.

Every file ecograph writes goes through here. The new content is written to a temporary file (or
directory) beside the target, in the same directory so the final rename stays on one file
system, and then renamed over the target. If anything fails, the temporary copy is removed and
the target is left as it was. Whether an existing target may be replaced at all is the caller's
decision (the CLI asks for ``--force``)::

    atomic_write_text("out/graph.cypher", script)
    with atomic_directory("out/neo4j-import") as tmp:
        (tmp / "nodes.csv").write_text(...)
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from typing import BinaryIO
from pathlib import Path

__all__ = ["atomic_open", "atomic_write_text", "atomic_write_bytes", "atomic_directory", "spreadsheet_safe"]

# A spreadsheet runs a cell that starts with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(text: str) -> str:
    """``text`` for a CSV cell: a leading ``'`` when a spreadsheet would run it as a formula."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def _umask() -> int:
    """The process umask, read without changing it where the system allows (Linux)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)  # the portable way: set and restore
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_open(path: str | os.PathLike[str]) -> Iterator[BinaryIO]:
    """A binary file to write ``path`` through, atomically, creating parent directories: what
    the block writes appears at ``path`` when it ends without error, and a big export streams
    to disk instead of being held in memory first.

    The file gets ordinary permissions (``0o666`` less the umask), not the private ones of a
    temporary file. On any error the temporary file is removed and the error re-raised.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as tmp:
            yield tmp
            tmp.flush()
            os.fsync(tmp.fileno())
        os.chmod(tmp_name, 0o666 & ~_umask())
        os.replace(tmp_name, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (see :func:`atomic_open`)."""
    with atomic_open(path) as f:
        f.write(data)


def atomic_write_text(path: str | os.PathLike[str], text: str, *, encoding: str = "utf-8") -> None:
    """Write ``text`` to ``path`` atomically (UTF-8 by default); newlines are written as given."""
    atomic_write_bytes(path, text.encode(encoding))


@contextlib.contextmanager
def atomic_directory(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Build a directory in a temporary place beside ``path``, then put it at ``path``.

    Yields the temporary directory. When the block ends without error, an existing ``path``
    (directory or file) is moved aside, the new directory renamed into place and the old one
    deleted; if the rename fails, the old one is moved back. When the block raises, the
    temporary directory is removed and ``path`` is untouched.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"))
    try:
        yield tmp
        os.chmod(tmp, 0o777 & ~_umask())
        old = None
        if target.exists() or target.is_symlink():
            old = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.", suffix=".old"))
            aside = old / "previous"
            os.replace(target, aside)
        try:
            os.replace(tmp, target)
        except BaseException:
            if old is not None:
                os.replace(old / "previous", target)
                old.rmdir()
            raise
        if old is not None:
            shutil.rmtree(old)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
