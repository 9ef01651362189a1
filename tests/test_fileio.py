"""ecograph never deletes, moves or replaces a file it did not write; writes are atomic."""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from ecograph.errors import OutputError, OutputExistsError
from ecograph import fileio
from ecograph.fileio import (
    FOLDER_MANIFEST,
    atomic_directory,
    atomic_write_text,
    check_output,
    foreign_entries,
    written_by_ecograph,
)

ROOT = Path(__file__).resolve().parents[1]
SMALL = ["--center", "alibaba", "--rels", "INVESTED_IN"]  # 4 entities: quick to draw
FILE_FORMATS = ["png", "svg", "pptx", "graphml", "gexf", "json", "html", "cypher"]
FOLDER_FORMATS = ["csv", "neo4j-admin"]


def export(fmt: str, out: Path, *extra: str):
    return CliRunner().invoke(main, ["export", fmt, "-o", str(out), *SMALL, *extra])


def user_folder(path: Path) -> dict[str, bytes]:
    """A folder of the user's own: a document and a subfolder with notes."""
    (path / "sub").mkdir(parents=True)
    (path / "thesis.docx").write_bytes(b"precious")
    (path / "sub" / "notes.txt").write_bytes(b"x")
    return snapshot(path)


def snapshot(path: Path) -> dict[str, bytes]:
    return {p.relative_to(path).as_posix(): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()}


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".ecograph-" in p.name)


# --- folders --------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FOLDER_FORMATS)
@pytest.mark.parametrize("force", [False, True])
def test_a_folder_holding_the_users_files_is_refused(fmt, force, tmp_path):
    before = user_folder(tmp_path / "mydocs")
    result = export(fmt, tmp_path / "mydocs", *(["--force"] if force else []))
    assert (result.exit_code, result.output) == (
        1, f"Error: {tmp_path / 'mydocs'} holds files ecograph did not write (sub/, thesis.docx); "
           "choose a new or empty folder\n")
    assert snapshot(tmp_path / "mydocs") == before
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("fmt", FOLDER_FORMATS)
def test_force_replaces_ecographs_own_folder_and_only_its_files(fmt, tmp_path):
    out = tmp_path / "out"
    assert export(fmt, out).exit_code == 0
    first = json.loads((out / FOLDER_MANIFEST).read_text(encoding="utf-8"))
    assert first["written_by"] == "ecograph" and sorted(first["files"]) == sorted(
        p.name for p in out.iterdir() if p.name != FOLDER_MANIFEST)
    again = export(fmt, out)
    assert (again.exit_code, again.output) == (1, f"Error: {out} exists; add --force to replace it\n")
    # A different selection writes different files: the old ones go, as ecograph wrote them.
    replaced = CliRunner().invoke(main, ["export", fmt, "-o", str(out), "--force", "--center", "jd", "--hops", "1"])
    assert replaced.exit_code == 0, replaced.output
    second = json.loads((out / FOLDER_MANIFEST).read_text(encoding="utf-8"))
    assert sorted(p.name for p in out.iterdir()) == sorted(second["files"] + [FOLDER_MANIFEST])
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("fmt", FOLDER_FORMATS)
def test_a_file_added_to_an_exported_folder_makes_it_the_users(fmt, tmp_path):
    out = tmp_path / "out"
    assert export(fmt, out).exit_code == 0
    (out / "my-notes.md").write_text("mine", encoding="utf-8")
    before = snapshot(out)
    result = export(fmt, out, "--force")
    assert result.exit_code == 1 and "holds files ecograph did not write (my-notes.md)" in result.output
    assert snapshot(out) == before


def test_an_empty_folder_is_written_into_without_force(tmp_path):
    (tmp_path / "empty").mkdir()
    assert export("csv", tmp_path / "empty").exit_code == 0
    assert (tmp_path / "empty" / "nodes.csv").exists()


def test_dot_dot_into_the_current_folder_is_refused_and_nothing_moves(tmp_path, monkeypatch):
    d = tmp_path / "d"
    before = user_folder(d)
    monkeypatch.chdir(d)
    result = export("csv", Path("../d"), "--force")
    assert result.exit_code == 1 and "holds files ecograph did not write" in result.output
    assert snapshot(d) == before and sorted(p.name for p in tmp_path.iterdir()) == ["d"]
    # Even a folder of ecograph's own is not swapped from under the shell working in it.
    own = tmp_path / "own"
    assert export("csv", own).exit_code == 0
    before = snapshot(own)
    monkeypatch.chdir(own)
    result = export("csv", Path("../own"), "--force")
    assert (result.exit_code, result.output) == (
        1, "Error: ../own is the current folder or holds it; write to a folder beside it\n")
    assert snapshot(own) == before and leftovers(tmp_path) == []


def test_a_symlinked_folder_is_written_through_and_the_link_stays(tmp_path):
    real = tmp_path / "real"
    assert export("csv", real).exit_code == 0
    link = tmp_path / "link"
    link.symlink_to(real, target_is_directory=True)
    result = export("neo4j-admin", link, "--force")
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and link.resolve() == real
    assert any(p.name.startswith("nodes_") for p in real.iterdir()) and not (real / "nodes.csv").exists()
    # A link to the user's folder is refused like the folder itself.
    before = user_folder(tmp_path / "mine")
    (tmp_path / "to-mine").symlink_to(tmp_path / "mine", target_is_directory=True)
    assert export("csv", tmp_path / "to-mine", "--force").exit_code == 1
    assert snapshot(tmp_path / "mine") == before and leftovers(tmp_path) == []


def test_a_symlink_inside_an_ecograph_folder_is_foreign_and_never_followed(tmp_path):
    out = tmp_path / "out"
    assert export("csv", out).exit_code == 0
    before = user_folder(tmp_path / "mine")
    (out / "shortcut").symlink_to(tmp_path / "mine", target_is_directory=True)
    assert foreign_entries(out) == ["shortcut/"]
    assert export("csv", out, "--force").exit_code == 1
    assert snapshot(tmp_path / "mine") == before


def test_a_failed_folder_write_leaves_the_target_as_it_was(tmp_path):
    out = tmp_path / "out"
    assert export("csv", out).exit_code == 0
    before = snapshot(out)
    with pytest.raises(RuntimeError), atomic_directory(out) as tmp:
        (tmp / "nodes.csv").write_text("half", encoding="utf-8")
        raise RuntimeError("disk gone")
    assert snapshot(out) == before and leftovers(tmp_path) == []


def test_synth_refuses_a_folder_of_the_users(tmp_path):
    before = user_folder(tmp_path / "mydocs")
    result = CliRunner().invoke(main, ["synth", "--nodes", "50", "--relationships", "100", "-o",
                                       str(tmp_path / "mydocs"), "--force"])
    assert result.exit_code == 1 and "holds files ecograph did not write (sub/, thesis.docx)" in result.output
    assert snapshot(tmp_path / "mydocs") == before


_KILL_SWAP = """
import os, sys, time
import ecograph.fileio as fileio
real = os.rename
ready = sys.argv[2]
def slow_rename(src, dst):
    real(src, dst)
    if str(dst).endswith("previous"):  # the old folder is aside, the new one not yet in place
        open(ready, "w").close()
        time.sleep(60)
fileio.os.rename = slow_rename
sys.argv = ["ecograph", "export", "csv", "-o", sys.argv[1], "--force"]
from cli import main
main(prog_name="ecograph")
"""


def test_a_folder_export_killed_mid_swap_is_put_back_by_the_next_write(tmp_path, paused):
    out = tmp_path / "out"
    assert export("csv", out).exit_code == 0
    before = snapshot(out)
    proc = paused(_KILL_SWAP, out, tmp_path / "ready")
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert not out.exists() and len(leftovers(tmp_path)) == 2  # killed between the two renames
    # The next look at the folder finds it where it was; nothing of the killed write remains.
    result = export("csv", out)
    assert (result.exit_code, result.output) == (1, f"Error: {out} exists; add --force to replace it\n")
    assert snapshot(out) == before and leftovers(tmp_path) == []


_KILL = """
import os, sys, time
import ecograph.fileio as fileio
real = os.replace
ready = sys.argv[2]
def slow_replace(src, dst):
    open(ready, "w").close()
    time.sleep(60)
    real(src, dst)
fileio.os.replace = slow_replace
sys.argv = ["ecograph", "export", "png", "-o", sys.argv[1], "--force", "--center", "alibaba", "--rels", "INVESTED_IN"]  # small: quick to draw
from cli import main
main(prog_name="ecograph")
"""


def test_an_export_killed_mid_write_leaves_the_old_file(tmp_path, paused):
    target = tmp_path / "map.png"
    target.write_bytes(b"old picture written by ecograph")
    proc = paused(_KILL, target, tmp_path / "ready")
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert target.read_bytes() == b"old picture written by ecograph"


# --- files ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FILE_FORMATS)
def test_every_file_format_carries_the_mark_and_replaces_only_its_own(fmt, tmp_path):
    out = tmp_path / f"view.{fmt}"
    assert export(fmt, out).exit_code == 0
    assert written_by_ecograph(out)
    assert export(fmt, out, "--force").exit_code == 0
    mine = tmp_path / f"mine.{fmt}"
    mine.write_bytes(b"the user's own " + fmt.encode())
    result = export(fmt, mine, "--force")
    assert (result.exit_code, result.output) == (
        1, f"Error: {mine} exists and ecograph did not write it; choose another file name "
           "(ecograph replaces only files it wrote)\n")
    assert mine.read_bytes() == b"the user's own " + fmt.encode()
    assert leftovers(tmp_path) == []


def test_a_deck_saved_again_by_powerpoint_is_the_users(tmp_path):
    from pptx import Presentation

    out = tmp_path / "deck.pptx"
    assert export("pptx", out).exit_code == 0
    deck = Presentation(str(out))
    deck.core_properties.last_modified_by = "A. Strategist"  # what PowerPoint writes on save
    deck.save(str(out))
    assert not written_by_ecograph(out)
    assert export("pptx", out, "--force").exit_code == 1


def test_render_redraws_its_own_page_but_never_a_users_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    run = CliRunner()
    assert run.invoke(main, ["render", *SMALL]).exit_code == 0
    assert run.invoke(main, ["render", *SMALL]).exit_code == 0  # the usual edit-and-redraw loop
    Path("notes.html").write_text("<p>my notes</p>", encoding="utf-8")
    for command in (["render", "-o", "notes.html"], ["timeline", "--at", "2013", "-o", "notes.html"],
                    ["query", "--export", "notes.html", "--force", "MATCH p = ({id: 'jd'})--() RETURN p"]):
        result = run.invoke(main, command)
        assert result.exit_code == 1 and "notes.html exists and ecograph did not write it" in result.output, command
    assert Path("notes.html").read_text(encoding="utf-8") == "<p>my notes</p>"


def test_a_file_written_through_a_symlink_keeps_the_link(tmp_path):
    real = tmp_path / "real.json"
    assert export("json", real).exit_code == 0
    (tmp_path / "link.json").symlink_to(real)
    assert export("json", tmp_path / "link.json", "--force").exit_code == 0
    assert (tmp_path / "link.json").is_symlink() and json.loads(real.read_text(encoding="utf-8"))["generator"]


def test_check_output_rules(tmp_path):
    check_output(tmp_path / "new.json", replace=False)  # nothing there
    (tmp_path / "empty.json").touch()
    check_output(tmp_path / "empty.json", replace=False)  # nothing to lose
    atomic_write_text(tmp_path / "ours.cypher", "// written by ecograph 0.1.0\nRETURN 1;\n")
    with pytest.raises(OutputExistsError):
        check_output(tmp_path / "ours.cypher", replace=False)
    check_output(tmp_path / "ours.cypher", replace=True)
    with pytest.raises(OutputError, match="is a folder; choose a file name"):
        check_output(tmp_path, replace=True)
    with pytest.raises(OutputError, match="is a file, not a folder"):
        check_output(tmp_path / "ours.cypher", replace=True, folder=True)
    with pytest.raises(OutputError, match="did not write it"):
        atomic_write_text(tmp_path / "theirs.txt", "x") if (tmp_path / "theirs.txt").write_text("mine") else None
    assert (tmp_path / "theirs.txt").read_text() == "mine"


_SLOW_WRITE = """
import sys, time
import ecograph.fileio as fileio
real = fileio._write_manifest
ready = sys.argv[2]
def slow(folder):
    real(folder)
    open(ready, "w").close()
    time.sleep(60)
fileio._write_manifest = slow
sys.argv = ["ecograph", "export", "csv", "-o", sys.argv[1], "--force"]
from cli import main
main(prog_name="ecograph")
"""


def test_a_terminated_export_removes_its_temporary_folder(tmp_path, paused):
    out = tmp_path / "out"
    assert export("csv", out).exit_code == 0
    before = snapshot(out)
    proc = paused(_SLOW_WRITE, out, tmp_path / "ready", stderr=subprocess.PIPE, text=True)
    assert len(leftovers(tmp_path)) == 1  # the new folder, being written
    proc.terminate()
    _, err = proc.communicate(timeout=60)
    assert proc.returncode != 0 and "Traceback" not in err
    assert snapshot(out) == before and leftovers(tmp_path) == []


# --- the atomic writers -------------------------------------------------------------------------------------


def test_atomic_write_text_creates_parents_and_writes_utf8(tmp_path):
    path = tmp_path / "a" / "b" / "out.txt"
    fileio.atomic_write_text(path, "中文\r\nline\n")
    assert path.read_bytes() == "中文\r\nline\n".encode()
    assert os.listdir(path.parent) == ["out.txt"]
    assert path.stat().st_mode & 0o777 == 0o666 & ~fileio.current_umask()


def test_atomic_write_keeps_the_old_file_when_the_rename_fails(tmp_path, monkeypatch):
    path = tmp_path / "out.txt"
    path.write_text("old, written by ecograph", encoding="utf-8")

    def fail(*_args):
        raise OSError("disk full")

    monkeypatch.setattr(fileio.os, "replace", fail)
    with pytest.raises(OSError, match="disk full"):
        fileio.atomic_write_text(path, "new")
    assert path.read_text(encoding="utf-8") == "old, written by ecograph"
    assert os.listdir(tmp_path) == ["out.txt"]


def test_atomic_open_streams_and_keeps_the_old_file_when_the_writer_fails(tmp_path):
    path = tmp_path / "graph.graphml"
    path.write_text("old, written by ecograph", encoding="utf-8")
    with pytest.raises(ValueError, match="half way"):
        with fileio.atomic_open(path) as f:
            f.write(b"<graphml>")
            raise ValueError("half way")
    assert path.read_text(encoding="utf-8") == "old, written by ecograph"
    assert os.listdir(tmp_path) == ["graph.graphml"]
    with fileio.atomic_open(path) as f:
        f.write(b"<graphml>")
        f.write(b"</graphml>")
        assert path.read_text(encoding="utf-8") == "old, written by ecograph"  # nothing shows until the block ends
    assert path.read_bytes() == b"<graphml></graphml>"


def test_atomic_directory_replaces_on_success_and_keeps_the_old_on_failure(tmp_path):
    target = tmp_path / "dir"
    with fileio.atomic_directory(target) as tmp:
        (tmp / "old.txt").write_text("old", encoding="utf-8")

    with pytest.raises(RuntimeError):
        with fileio.atomic_directory(target) as tmp:
            (tmp / "new.txt").write_text("new", encoding="utf-8")
            raise RuntimeError("half way")
    assert sorted(os.listdir(target)) == [fileio.FOLDER_MANIFEST, "old.txt"]
    assert os.listdir(tmp_path) == ["dir"]

    with fileio.atomic_directory(target) as tmp:
        assert tmp.parent == tmp_path and tmp != target
        (tmp / "new.txt").write_text("new", encoding="utf-8")
    assert sorted(os.listdir(target)) == [fileio.FOLDER_MANIFEST, "new.txt"]
    assert os.listdir(tmp_path) == ["dir"]
    assert target.stat().st_mode & 0o777 == 0o777 & ~fileio.current_umask()


def test_atomic_directory_refuses_a_file_and_creates_parents(tmp_path):
    target = tmp_path / "x" / "out"
    target.parent.mkdir()
    target.write_text("a file", encoding="utf-8")
    with pytest.raises(OutputError, match="is a file, not a folder"):
        with fileio.atomic_directory(target) as tmp:
            (tmp / "f").write_text("1", encoding="utf-8")
    assert target.read_text(encoding="utf-8") == "a file" and os.listdir(target.parent) == ["out"]
    with fileio.atomic_directory(tmp_path / "new" / "deep") as tmp:
        (tmp / "g").write_text("2", encoding="utf-8")
    assert (tmp_path / "new" / "deep" / "g").read_text(encoding="utf-8") == "2"


def test_a_loop_of_links_is_the_os_error_opening_it_would_be(tmp_path):
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    with pytest.raises(OSError) as e:
        check_output(tmp_path / "loop" / "x.png", replace=True)
    assert e.value.errno == errno.ELOOP
    with pytest.raises(OSError) as e:
        atomic_write_text(tmp_path / "loop" / "x.txt", "x")
    assert e.value.errno == errno.ELOOP


def test_a_file_where_the_folder_should_be_is_not_a_directory(tmp_path):
    (tmp_path / "a-file").write_text("in the way", encoding="utf-8")
    for write in (lambda p: atomic_write_text(p, "x"), lambda p: atomic_directory(p).__enter__()):
        with pytest.raises(NotADirectoryError):
            write(tmp_path / "a-file" / "sub" / "out")
        with pytest.raises(NotADirectoryError):
            write(tmp_path / "a-file" / "out")
    assert (tmp_path / "a-file").read_text(encoding="utf-8") == "in the way"
