"""Atomic file and directory writes: a reader sees the old content or the new, never half of it.

Every file ecograph writes goes through here. The new content is written to a temporary file (or
directory) beside the target, in the same directory so the final rename stays on one file
system, and then renamed over the target. If anything fails, the temporary copy is removed and
the target is left as it was. Whether an existing target may be replaced at all is the caller's
decision (the CLI asks for ``--force``)::

    atomic_write_text("out/graph.cypher", script)
    with atomic_directory("out/neo4j-import") as tmp:
        (tmp / "nodes.csv").write_text(...)

ecograph never replaces what it did not write. Every file it writes carries a mark
(:data:`OUTPUT_MARK`: in a comment, a metadata field or PowerPoint's "last modified by"), and
every folder a manifest (:data:`FOLDER_MANIFEST`) listing the files in it. The atomic writers
refuse to replace a file without the mark, or a folder holding anything its manifest does not
list, before they write anything (:class:`~ecograph.errors.OutputError`).
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from ecograph import __version__
from ecograph.errors import OutputError, OutputExistsError

__all__ = [
    "OUTPUT_MARK",
    "FOLDER_MANIFEST",
    "output_mark",
    "written_by_ecograph",
    "foreign_entries",
    "check_output",
    "clear_leftovers",
    "process_alive",
    "current_umask",
    "atomic_open",
    "atomic_write_text",
    "atomic_write_bytes",
    "atomic_directory",
    "spreadsheet_safe",
]

# The words every file ecograph writes carries near its start (a comment, a metadata field),
# so that a later export may replace it and nothing else.
OUTPUT_MARK = "written by ecograph"
# The manifest in every folder ecograph writes: the files it put there, relative to the folder.
FOLDER_MANIFEST = ".ecograph-output.json"
# How far into a file the mark is looked for: PNG, SVG, GraphML and GEXF carry it in their
# first kilobytes, before any data.
_MARK_WITHIN = 64 * 1024

# A spreadsheet runs a cell that starts with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(text: str) -> str:
    """``text`` for a CSV cell: a leading ``'`` when a spreadsheet would run it as a formula."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def output_mark() -> str:
    """The mark with the version: ``written by ecograph 0.1.0``."""
    return f"{OUTPUT_MARK} {__version__}"


def written_by_ecograph(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is a file ecograph may replace: empty, or carrying :data:`OUTPUT_MARK`.

    A PowerPoint file carries it as "last modified by" in its properties, so a deck saved again
    from PowerPoint (with a person's edits) no longer counts as ecograph's.
    """
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            return False
        if info.st_size == 0:
            return True
        with open(path, "rb") as f:
            head = f.read(_MARK_WITHIN)
    except OSError:
        return False
    mark = OUTPUT_MARK.encode()
    if head.startswith(b"PK\x03\x04"):  # a zip: an Office file's properties are in one member
        import zipfile

        try:
            with zipfile.ZipFile(path) as z:
                return mark in z.read("docProps/core.xml")
        except (OSError, KeyError, zipfile.BadZipFile):
            return False
    return mark in head


def foreign_entries(path: str | os.PathLike[str]) -> list[str]:
    """What the folder ``path`` holds that ecograph did not write there, sorted, folders with a
    trailing ``/``: everything but the files its manifest lists (all of it when it has none)."""
    root = Path(path)
    listed = _manifest_files(root)
    allowed_dirs = {str(Path(f).parent) for f in listed} | {"."}
    for f in listed:  # every ancestor of a listed file is ecograph's too
        allowed_dirs.update(str(p) for p in Path(f).parents)
    foreign = []
    for dirpath, dirnames, filenames in os.walk(root):
        rel = Path(dirpath).relative_to(root)
        for d in list(dirnames):
            relative = (rel / d).as_posix()
            if relative not in allowed_dirs or Path(dirpath, d).is_symlink():
                foreign.append(relative + "/")
                dirnames.remove(d)  # do not look inside a folder that is not ours
        for name in filenames:
            relative = (rel / name).as_posix()
            if relative != FOLDER_MANIFEST and relative not in listed:
                foreign.append(relative)
    return sorted(foreign)


def _manifest_files(root: Path) -> set[str]:
    try:
        manifest = json.loads((root / FOLDER_MANIFEST).read_text(encoding="utf-8"))
        return {str(f) for f in manifest["files"]} if manifest.get("written_by") == "ecograph" else set()
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return set()


def check_output(path: str | os.PathLike[str], *, replace: bool, folder: bool = False) -> None:
    """Raise unless ecograph may write ``path`` (a file, or a folder when ``folder``).

    A path that does not exist, an empty file and an empty folder may always be written. An
    output ecograph wrote may be replaced only when ``replace`` is true
    (:class:`~ecograph.errors.OutputExistsError` otherwise). Anything else is refused whatever
    ``replace`` says (:class:`~ecograph.errors.OutputError`, naming what is there). What a
    killed write left beside ``path`` is tidied first (:func:`clear_leftovers`).
    """
    target = Path(path)
    clear_leftovers(target)
    if not os.path.lexists(target):
        return
    if folder:
        if not target.is_dir():
            raise OutputError(f"{path} is a file, not a folder; choose a folder name", str(path))
        if not any(target.iterdir()):
            return
        foreign = foreign_entries(target)
        if foreign:
            shown = ", ".join(foreign[:5]) + (f" and {len(foreign) - 5:,} more" if len(foreign) > 5 else "")
            raise OutputError(f"{path} holds files ecograph did not write ({shown}); "
                              "choose a new or empty folder", str(path))
    else:
        if target.is_dir():
            raise OutputError(f"{path} is a folder; choose a file name", str(path))
        if not written_by_ecograph(target):
            raise OutputError(f"{path} exists and ecograph did not write it; choose another file name "
                              "(ecograph replaces only files it wrote)", str(path))
        if target.stat().st_size == 0:
            return
    if not replace:
        raise OutputExistsError(f"{path} exists", str(path))


def _prefix(target: Path) -> str:
    """Temporary names beside ``target`` carry the writer's process id, so a later write can
    tell what a killed process left from what a running one is writing."""
    return f".{target.name}.ecograph-{os.getpid()}-"


def process_alive(pid: int) -> bool:
    """Whether a process with this id runs (one of another user counts as running)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clear_leftovers(target: str | os.PathLike[str]) -> None:
    """Tidy what a killed write of ``target`` left beside it (a kill -9 leaves its temporary
    file or folder): temporary copies are removed; a folder that was moved aside to be
    replaced goes back to ``target`` if nothing took its place, and is removed otherwise.
    Leftovers of writers still running are not touched."""
    import re

    target = _resolved(target)
    pattern = re.compile(re.escape(f".{target.name}.ecograph-") + r"(\d+)-[^/]*\.(tmp|old)$")
    try:
        siblings = list(target.parent.iterdir())
    except OSError:
        return
    for p in siblings:
        m = pattern.match(p.name)
        if m is None or process_alive(int(m.group(1))):
            continue
        with contextlib.suppress(OSError):
            if m.group(2) == "tmp":
                _remove_tree(p) if p.is_dir() else os.unlink(p)
                continue
            previous = p / "previous"
            if previous.exists() and not os.path.lexists(target):
                os.rename(previous, target)
            elif previous.exists() and not foreign_entries(previous):
                _remove_tree(previous)
            p.rmdir()


def _resolved(path: str | os.PathLike[str]) -> Path:
    """``path`` absolute, with ``..`` and symbolic links followed; a loop of links raises the
    OSError (ELOOP) that opening it would (Python 3.11's ``resolve`` raises RuntimeError)."""
    try:
        return Path(path).resolve()
    except RuntimeError as e:
        raise OSError(errno.ELOOP, os.strerror(errno.ELOOP), str(path)) from e


def _make_parent(target: Path) -> None:
    """Create ``target``'s folder and those above it; a file in the way is "Not a directory"
    (``mkdir`` says "File exists", which reads as if the output were there)."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except FileExistsError as e:
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), e.filename) from e


def current_umask() -> int:
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
    temporary file. On any error the temporary file is removed and the error re-raised. A file
    at ``path`` that ecograph did not write is never replaced: that raises
    :class:`~ecograph.errors.OutputError` before anything is written. A symbolic link at
    ``path`` is written through: the file it points to is replaced and the link stays.
    """
    target = _resolved(path)
    check_output(target, replace=True)
    _make_parent(target)
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=_prefix(target), suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as tmp:
            yield tmp
            tmp.flush()
            os.fsync(tmp.fileno())
        os.chmod(tmp_name, 0o666 & ~current_umask())
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
    """Build a folder in a temporary place beside ``path``, then put it at ``path``.

    Yields the temporary folder. When the block ends without error, the manifest
    (:data:`FOLDER_MANIFEST`, listing every file written) is added and the folder renamed into
    place; an existing ``path`` (empty, or ecograph's own output) is moved aside first and the
    files ecograph wrote in it deleted. A folder at ``path`` holding anything else is never
    touched: that raises :class:`~ecograph.errors.OutputError` before the block runs, and again
    (racing another process) before the swap. When anything raises, the temporary folder is
    removed and ``path`` is as it was. ``path`` is resolved first: ``..`` and symbolic links
    lead to the real folder, which is replaced while the link stays.
    """
    target = _resolved(path)
    check_output(target, replace=True, folder=True)
    with contextlib.suppress(OSError):
        if Path.cwd().is_relative_to(target) and target.exists():
            raise OutputError(f"{path} is the current folder or holds it; write to a folder beside it", str(path))
    _make_parent(target)
    tmp = Path(tempfile.mkdtemp(dir=target.parent, prefix=_prefix(target), suffix=".tmp"))
    try:
        yield tmp
        _write_manifest(tmp)
        os.chmod(tmp, 0o777 & ~current_umask())
        if os.path.lexists(target):
            check_output(target, replace=True, folder=True)
            _swap(tmp, target)
        else:
            os.rename(tmp, target)
    except BaseException:
        _remove_tree(tmp)
        raise


def _write_manifest(folder: Path) -> None:
    files = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    manifest = {"written_by": "ecograph", "version": __version__, "files": files}
    (folder / FOLDER_MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def _swap(new: Path, target: Path) -> None:
    """Put the folder ``new`` at ``target``; the old ``target`` (checked to be ecograph's) is
    moved aside, then only the files its manifest lists are deleted."""
    aside = Path(tempfile.mkdtemp(dir=target.parent, prefix=_prefix(target), suffix=".old"))
    previous = aside / "previous"
    os.rename(target, previous)
    try:
        os.rename(new, target)
    except BaseException:
        os.rename(previous, target)
        aside.rmdir()
        raise
    if foreign_entries(previous):  # another process wrote into it in the meantime: keep it all
        raise OutputError(f"{target} was written to while ecograph replaced it; its previous content "
                          f"is kept in {previous}", str(target))
    _remove_tree(previous)
    aside.rmdir()


def _remove_tree(folder: Path) -> None:
    """Delete a folder ecograph made or checked: its files, then its now-empty folders. A
    symbolic link inside is removed as a link; what it points to is never followed."""
    for dirpath, dirnames, filenames in os.walk(folder, topdown=False):
        for name in filenames:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(os.path.join(dirpath, name))
        for name in dirnames:
            p = os.path.join(dirpath, name)
            with contextlib.suppress(FileNotFoundError):
                os.unlink(p) if os.path.islink(p) else os.rmdir(p)
    with contextlib.suppress(FileNotFoundError):
        os.rmdir(folder)
