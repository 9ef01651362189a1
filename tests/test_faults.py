"""Faults of the machine and of the input end in one ``Error: …`` line, exit 1, and a usable store.

Each test injects one fault: a read-only or impossible store folder, a full disk (a small tmpfs
where the sandbox lets us mount one), an engine abort during a build, a held write lock, a
damaged store file, a ``--data`` symlink loop, malformed queries and parameters the embedded
engine cannot bind.
"""

from __future__ import annotations

import math
import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner

from ecograph.query import store as store_module
from ecograph.errors import EcographError, QueryError, StoreError, StoreLocationError, StoreLockedError
from ecograph.data.graphdata import shipped_data_dir
from ecograph.query.store import DB_FILE, check_parameter, open_store, read_manifest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
import cli  # noqa: E402

SEED = [shipped_data_dir()]
COUNT = "MATCH (c:Company) RETURN count(c)"


def _cli(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(cli.main, list(args), env=env)


def _one_error_line(result) -> str:
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.output.startswith("Error: "), result.output
    assert result.output.count("\n") == 1, result.output
    return result.output


# --- mounts: a read-only folder and a small disk, which bind root too -----------------------------


def _mount_tmpfs(where: Path, options: str) -> None:
    where.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(where)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root and mount rights): {done.stderr.strip()}")


@pytest.fixture
def mount(tmp_path):
    """``mount(options)`` -> a fresh tmpfs folder mounted with ``options``, unmounted afterwards."""
    mounted: list[Path] = []

    def make(options: str) -> Path:
        where = tmp_path / f"mnt-{uuid.uuid4().hex[:6]}"
        _mount_tmpfs(where, options)
        mounted.append(where)
        return where

    yield make
    for where in reversed(mounted):
        subprocess.run(["umount", "-l", str(where)], check=False)


def test_a_read_only_cache_folder_is_one_line_naming_a_way_out(mount):
    cache = mount("ro,size=1m")
    result = _cli("query", COUNT, env={"XDG_CACHE_HOME": str(cache), "ECOGRAPH_DB": ""})
    out = _one_error_line(result)
    assert "read-only" in out and "--db" in out


def test_a_read_only_store_still_answers_reads_and_refuses_writes_in_one_line(mount, seed_counts):
    disk = mount("size=40m")
    assert _cli("query", "--db", str(disk / "s"), COUNT).exit_code == 0
    subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
    assert _cli("query", "--db", str(disk / "s"), COUNT).output.splitlines()[2] == str(seed_counts["Company"])
    out = _one_error_line(_cli("query", "--write", "--db", str(disk / "s"), "CREATE (:Company {id: 'q'})"))
    assert "read-only" in out


@pytest.mark.parametrize("where", ["file", "proc"])
def test_a_db_path_that_cannot_exist_is_one_line(tmp_path, where):
    if where == "file":
        (tmp_path / "f").write_text("x")
        db = tmp_path / "f" / "store"
    else:
        if not Path("/proc/self").exists():
            pytest.skip("no /proc here")
        db = Path("/proc/ecograph-store")
    out = _one_error_line(_cli("query", "--db", str(db), COUNT))
    assert str(db) in out and "--db" in out
    with pytest.raises(StoreLocationError):
        open_store(SEED, db)


def test_a_disk_too_small_for_the_build_is_refused_before_building(mount):
    disk = mount("size=4m")
    out = _one_error_line(_cli("query", "--db", str(disk / "s"), COUNT))
    assert "free disk space" in out
    assert sorted(p.name for p in disk.iterdir()) == []


def test_a_disk_filling_during_the_build_is_one_line_and_the_next_run_builds(mount, monkeypatch, tmp_path, seed_counts):
    disk = mount("size=6m")  # the seed's store needs about 12 MB at its peak
    monkeypatch.setattr(store_module, "_BUILD_BASE_BYTES", 0)  # let the build start: no pre-flight refusal
    with pytest.raises(StoreError, match="ran out of disk space: free disk space"):
        open_store(SEED, disk / "s")
    assert list(disk.iterdir()) == [], "nothing half-built is left"
    monkeypatch.undo()
    subprocess.run(["mount", "-o", "remount,size=40m", str(disk)], check=True)  # space freed
    with open_store(SEED, disk / "s") as store:
        assert store.built and store.query(COUNT).rows == [[seed_counts["Company"]]]


def test_a_write_on_a_full_disk_is_refused_in_one_line_and_the_store_still_answers(mount, seed_counts):
    disk = mount("size=24m")  # the seed's store takes 9 MB, its build asks for 17
    assert _cli("query", "--db", str(disk / "s"), COUNT).exit_code == 0
    (disk / "fill").write_bytes(b"\0" * (shutil.disk_usage(disk).free - 1_000_000))
    out = _one_error_line(_cli("query", "--write", "--db", str(disk / "s"), "CREATE (:Company {id: 'q'})"))
    assert "free disk space" in out
    assert _cli("query", "--db", str(disk / "s"), COUNT).output.splitlines()[2] == str(seed_counts["Company"])


@pytest.mark.skipif(not hasattr(os, "fork"), reason="writes run in a child only where there is fork")
def test_a_write_that_fills_the_disk_is_one_line_and_only_that_write_is_lost(mount, seed_counts):
    disk = mount("size=40m")
    db = str(disk / "s")
    assert _cli("query", "--db", db, COUNT).exit_code == 0
    assert _cli("query", "--write", "--db", db, "CREATE (:Company {id: 'kept', name_en: 'Kept'})").exit_code == 0
    (disk / "fill").write_bytes(b"\0" * (shutil.disk_usage(disk).free - 18 * 2**20))  # passes the pre-flight
    big = "UNWIND range(1, 40000) AS i CREATE (:Company {id: 'x' + toString(i), name_en: $pad + toString(i)})"
    out = _one_error_line(_cli("query", "--write", "--db", db, "--param", f"pad={'p' * 1000}", big))  # aborts: in the child
    assert "ran out of disk space: free disk space" in out
    assert _cli("query", "--db", db, COUNT).output.splitlines()[2] == str(seed_counts["Company"] + 1)  # + kept, not rebuilt
    (disk / "fill").unlink()
    assert _cli("query", "--write", "--db", db, "CREATE (:Company {id: 'after', name_en: 'After'})").exit_code == 0
    assert _cli("query", "--db", db, COUNT).output.splitlines()[2] == "40"


def test_the_pre_flight_check_compares_free_space_with_the_estimate(tmp_path, monkeypatch):
    """Labelled: shutil.disk_usage is faked here, for machines where no tmpfs can be mounted."""
    monkeypatch.setattr(store_module.shutil, "disk_usage", lambda _p: type("U", (), {"free": 1_000_000})())
    with pytest.raises(StoreError, match=r"needs about 17 MB and only 1 MB is free"):
        open_store(SEED, tmp_path / "s")
    assert not (tmp_path / "s").exists()


_ABORT = (
    "terminate called after throwing an instance of 'lbug::common::IOException'\n"
    "  what():  IO exception: Cannot write to file. path: x.wal Error: No space left on device\n"
)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="builds run in a child only where there is fork")
def test_an_engine_abort_in_the_build_is_one_error_and_the_next_run_builds(tmp_path, monkeypatch, seed_counts):
    """The abort is simulated (LadybugDB's own message on stderr, then abort()): a real one
    needs the disk to fill in a window of milliseconds."""
    real_build = store_module.build_store

    def aborting_build(data, path, fingerprint, **options):
        def abort():
            os.write(2, _ABORT.encode())
            os.abort()

        return real_build(data, path, fingerprint, _after_nodes=abort, **options)

    monkeypatch.setattr(store_module, "build_store", aborting_build)
    with pytest.raises(StoreError, match="ran out of disk space: free disk space and try again"):
        open_store(SEED, tmp_path / "s")
    assert read_manifest(tmp_path / "s") is None
    assert len(list(tmp_path.glob(".s.build-*"))) == 1  # the aborted child's folder...
    monkeypatch.undo()
    with open_store(SEED, tmp_path / "s") as store:
        assert store.built and store.query(COUNT).rows == [[seed_counts["Company"]]]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s"]  # ...cleared by the next build


# Each damage is a rebuild of the seed store; an emptied or overwritten file takes the path a
# truncated one does (the store no longer opens), so those two run with the slow checks.
@pytest.mark.parametrize("damage", ["truncated", pytest.param("emptied", marks=pytest.mark.slow),
                                    pytest.param("garbage", marks=pytest.mark.slow), "broken-log"])
def test_a_damaged_store_is_rebuilt_by_the_next_run(tmp_path, damage, seed_counts, seed_cache):
    path = tmp_path / "s"
    (built,) = (seed_cache / "ecograph" / "stores").iterdir()
    shutil.copytree(built, path)  # the run's finished seed store (conftest), copied: no build of its own
    with open_store(SEED, path) as store:
        assert not store.built  # whole and up to date, as a build leaves it
    db = path / DB_FILE
    if damage == "truncated":
        os.truncate(db, db.stat().st_size // 2)
    elif damage == "emptied":
        db.write_bytes(b"")
    elif damage == "garbage":
        with open(db, "r+b") as f:
            f.write(os.urandom(3 * 4096))
    else:
        (path / f"{DB_FILE}.wal").write_bytes(os.urandom(10_000))
    with open_store(SEED, path) as store:
        assert store.built == (damage != "broken-log")  # a torn log is dropped: no rebuild needed
        assert store.query(COUNT).rows == [[seed_counts["Company"]]]


# --- two writers -----------------------------------------------------------------------------------

# A long write, as LadybugDB sees it: the database open for writing (its lock held) for 30 s.
_HOLD = """
import sys, time
from pathlib import Path
import ladybug as lb
db = lb.Database(str(Path(sys.argv[1]) / "graph.lbug"))
conn = lb.Connection(db)
conn.execute("CREATE (:Company {id: 'holder', name_en: 'Holder'})")
Path(sys.argv[2]).write_text("writing")
time.sleep(30)
"""


def test_a_second_writer_is_told_to_try_again_and_readers_still_read(tmp_path, seed_cache):
    path = tmp_path / "s"
    (built,) = (seed_cache / "ecograph" / "stores").iterdir()
    shutil.copytree(built, path)  # the run's finished seed store (conftest), copied: no build of its own
    ready = tmp_path / "ready"
    holder = subprocess.Popen([sys.executable, "-c", _HOLD, str(path), str(ready)], cwd=ROOT)
    try:
        deadline = time.monotonic() + 60
        while not ready.exists():
            assert holder.poll() is None and time.monotonic() < deadline, "the holder never started writing"
            time.sleep(0.05)
        out = _one_error_line(_cli("query", "--write", "--db", str(path), "CREATE (:Company {id: 'second'})"))
        assert out.startswith("Error: another write is running on the store at") and "try again" in out
        with open_store(SEED, path) as store:
            with pytest.raises(StoreLockedError):
                store.query("CREATE (:Company {id: 'second'})", write=True)
            assert store.query("MATCH (c:Company) WHERE c.id = 'alibaba' RETURN c.id").rows == [["alibaba"]]
    finally:
        holder.kill()
        holder.wait()
    with open_store(SEED, path) as store:  # once the holder is gone, the same write succeeds
        store.query("CREATE (:Company {id: 'second'})", write=True)
        assert store.query("MATCH (c:Company {id: 'second'}) RETURN count(c)").rows == [[1]]


# --- --data through a symlink loop ------------------------------------------------------------------


@pytest.mark.parametrize("command", [["validate"], ["info"], ["query", COUNT]])
def test_a_data_symlink_loop_is_one_line_naming_the_path(tmp_path, command):
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    out = _one_error_line(_cli(*command, "--data", str(loop), "--no-shipped-data"))
    assert str(loop) in out and "symbolic link loop" in out


# --- malformed queries ---------------------------------------------------------------------------

BROKEN = [
    "x {a:1}", "{a:1}", "{", "}", "(", ")", "[", "]", "(((", ")))", "MATCH", "MATCH (", "MATCH (n", "MATCH (n:",
    "MATCH (n)-[", "MATCH (n)-[r", "MATCH (n)-[r:", "MATCH (n)-[r]-", "MATCH (n)-->", "MATCH (n) RETURN", "RETURN",
    "RETURN ,", "RETURN 1,", "RETURN (", "RETURN [1,", "RETURN {a:", "RETURN {a 1}", "RETURN {:1}",
    "RETURN 'unterminated", 'RETURN "unterminated', "RETURN `unterminated", "RETURN /* unterminated", "RETURN 1 +",
    "RETURN $", "MATCH (n) WHERE RETURN n", "MATCH (n) RETURN n ORDER BY", "MATCH (n) RETURN n SKIP",
    "MATCH (n) RETURN n LIMIT", "WITH", "WITH 1 AS", "UNWIND", "UNWIND [1] AS", "UNWIND [1,2] x RETURN x", "CALL",
    "CALL (", "CALL {", "OPTIONAL", "OPTIONAL MATCH", "MATCH (n) RETURN n.", "MATCH (n) RETURN n.`", "RETURN ::",
    "MATCH p=", "MATCH p = shortestPath(", "RETURN count(", "RETURN count(*", "RETURN [x IN", "RETURN [x IN [1] |",
    "RETURN CASE", "RETURN CASE WHEN", "RETURN reduce(", "RETURN n{", "RETURN n{.", "MATCH (n:Company {id:}) RETURN n",
    "MATCH (n {:}) RETURN n", "MATCH (a)-[*]->(b", "MATCH (a)-[*1..x]->(b) RETURN a", "MATCH (a)-->{", "MATCH (a)-->{1,",
    "MATCH ((a)-->(b)){", "MATCH (a) WHERE a:", "MATCH (a) WHERE a:|", "RETURN [1,2][", "RETURN 'a'[", "x", "1", ";",
    "RETURN 1;;", "\\", "@", "RETURN 1 RETURN 2", "UNION", "RETURN 1 UNION", "EXISTS {", "RETURN EXISTS {",
    "RETURN COLLECT {", "SHOW", "USE", "USE x", "RETURN toInteger(", "RETURN toInteger()", "RETURN size()",
    "RETURN coalesce()", "MATCH (a)-[r:|X]->(b) RETURN a", "MATCH (a:`Company) RETURN a", "RETURN {a:1}.",
    "MATCH (n) RETURN n{.*,", "RETURN [x IN range(1,3) | ]", "RETURN 1 IS", "RETURN NOT", "RETURN -", "MATCH (a), RETURN a",
    "MATCH ,", "RETURN 1 AS 2", "RETURN DISTINCT", "RETURN \u0000", "RETURN '\\", "RETURN 0x", "RETURN 1e", "RETURN 1.2.3",
    "RETURN toInteger('99999999999999999999999')",
    "RETURN " + "[" * 500 + "]" * 500,
    "RETURN " + "(" * 500 + "1" + ")" * 500,
    "RETURN " + "{a:" * 300 + "1" + "}" * 300,
]


@pytest.mark.parametrize("query", BROKEN)
def test_a_malformed_query_is_one_query_error_line(seed_store, query):
    """The same call the CLI makes: EmbeddedStore.query; never IndexError, RecursionError..."""
    with pytest.raises(EcographError) as caught:
        seed_store.query(query, {})
    assert "\n" not in str(caught.value)
    assert str(caught.value)


def test_there_are_at_least_fifty_broken_queries():
    assert len(set(BROKEN)) >= 50


@pytest.mark.parametrize("query", ["x {a:1}", "MATCH (n:", "RETURN " + "(" * 500 + "1" + ")" * 500, "RETURN count("])
def test_a_malformed_query_through_the_cli_is_error_exit_1(seed_store, query):
    _one_error_line(_cli("query", "--db", str(seed_store.path), query))


def test_nesting_is_refused_with_its_limit(seed_store):
    with pytest.raises(QueryError, match="nests brackets more than 200 levels deep"):
        seed_store.query("RETURN " + "[" * 201 + "]" * 201)
    assert seed_store.query("RETURN " + "[" * 100 + "1" + "]" * 100 + " AS v").columns == ["v"]


# --- parameters ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, message",
    [
        (99999999999999999999999, "does not fit in a 64-bit integer"),
        (-(2**63) - 1, "does not fit in a 64-bit integer"),
        (2**63, "does not fit in a 64-bit integer"),
        ([1, 2**64], "does not fit in a 64-bit integer"),
        ({"a": {"b": 2**70}}, "does not fit in a 64-bit integer"),
        ([], "an empty list"),
        ([None, None], "an empty list"),
        ({"a": 1, "c": None}, "an empty list"),
        ([[]], "an empty list"),
        ([1, "a"], "a list mixes number and text"),
        ([[1], ["a"]], "a list mixes number and text"),
        ([[1], {"a": 1}], "a list mixes list of number and map of a"),
        ([{"a": 1}, {"b": "x"}], "a list mixes map of a and map of b"),
        # LadybugDB would quietly bind this as the text '[1, {"b": null}]', not as a list
        ({"a": [1, {"b": None}]}, "a list mixes number and map of b"),
        ("60 levels", "nested more than 50 levels deep"),
    ],
)
def test_a_parameter_the_engine_cannot_bind_is_refused_by_name(seed_store, value, message):
    if value == "60 levels":
        value = [1]
        for _ in range(60):
            value = [value]
    with pytest.raises(QueryError, match=rf"^parameter \$x: .*{message}"):
        seed_store.query("RETURN $x AS v", {"x": value})


@pytest.mark.parametrize(
    "value, expected",
    [(2**63 - 1, 2**63 - 1), (-(2**63), -(2**63)), ([1, 2.5], [1, 2.5]), ([[1], [2, 3]], [[1], [2, 3]]),
     ([1, None], [1, None]), ({"a": [1, 2], "b": {"c": 1}}, {"a": [1, 2], "b": {"c": 1}}),
     ([[1], []], [[1], []]), ([{"a": 1}, {"a": None}], [{"a": 1}, {"a": None}]), ({}, {}), (None, None)],
)
def test_parameters_at_the_edge_still_bind(seed_store, value, expected):
    check_parameter("x", value)
    assert seed_store.query("RETURN $x AS v", {"x": value}).rows == [[expected]]


@pytest.mark.parametrize("text", ["NaN", "Infinity", "-Infinity", "1e400"])
def test_non_finite_json_numbers_bind_as_floats(seed_store, text):
    import json

    value = json.loads(text)
    [[got]] = seed_store.query("RETURN $x AS v", {"x": value}).rows
    assert math.isnan(got) if math.isnan(value) else got == value


@pytest.mark.parametrize(
    "param",
    ["x=99999999999999999999999", "x=-99999999999999999999999", "x=[]", 'x=[1,"a"]', 'x=[[1],["a"]]',
     "x=" + "[" * 60 + "1" + "]" * 60],
)
def test_out_of_range_parameters_through_the_cli_are_error_exit_1(seed_store, param):
    _one_error_line(_cli("query", "--db", str(seed_store.path), "--param", param, "RETURN $x AS v"))


def test_a_parameter_too_deep_to_read_is_a_bad_option_value(seed_store):
    """It cannot be read at all: refused as ``--param`` is parsed (a usage error, exit 2), no traceback."""
    result = _cli("query", "--db", str(seed_store.path), "--param", "x=" + "[" * 5000 + "]" * 5000, "RETURN $x AS v")
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit)
    assert result.output.endswith(
        "Error: Invalid value for '--param': parameter x: the value nests lists or maps too deeply to read\n")
