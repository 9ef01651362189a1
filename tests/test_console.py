"""The console: arguments a non-UTF-8 locale mis-decodes, and output safe on any console."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from ecograph.console import RecoveringGroup, SafeTextWriter, install_safe_streams, printable, recover_text

ROOT = Path(__file__).resolve().parents[1]

# Text a Cypher write can leave in the store: a title-setting OSC, a clear-screen CSI, a C1
# CSI (U+009B), DEL, VT, backspace, a lone carriage return; and a character beyond U+FFFF.
HOSTILE = "evil \x1b]0;pwned\x07 \x1b[2J \x9b31m red\x7f \x0b\x08 end\r 😀"
RAW_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


# --- the filter -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "char, shown",
    [("\x00", "\\u0000"), ("\x07", "\\u0007"), ("\x08", "\\u0008"), ("\x0b", "\\u000b"), ("\x0c", "\\u000c"),
     ("\r", "\\u000d"), ("\x1b", "\\u001b"), ("\x7f", "\\u007f"), ("\x85", "\\u0085"), ("\x9b", "\\u009b"),
     ("\udce9", "\\udce9"), ("\ud800", "\\ud800"),
     ("\n", "\n"), ("\t", "\t"), ("é", "é"), ("騰", "騰"), ("😀", "😀"), ("\\", "\\")],
)
def test_printable_escapes_controls_but_newline_and_tab(char, shown):
    assert printable(f"a{char}b") == f"a{shown}b"


def _written(encoding: str, text: str) -> bytes:
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding=encoding, errors="strict", newline="\n")
    SafeTextWriter(stream).write(text)
    stream.flush()
    return raw.getvalue()


@pytest.mark.parametrize(
    "encoding, shown",
    [
        ("utf-8", "Tencent / 騰訊 café 😀 \\u001b"),
        ("cp1252", "Tencent / \\u9a30\\u8a0a café \\ud83d\\ude00 \\u001b"),
        ("cp437", "Tencent / \\u9a30\\u8a0a café \\ud83d\\ude00 \\u001b"),
        ("ascii", "Tencent / \\u9a30\\u8a0a caf\\u00e9 \\ud83d\\ude00 \\u001b"),
    ],
)
def test_writer_escapes_what_the_encoding_cannot_hold(encoding, shown):
    assert _written(encoding, "Tencent / 騰訊 café 😀 \x1b").decode(encoding) == shown


@pytest.mark.parametrize("encoding", ["utf-8", "cp1252", "cp437", "ascii"])
def test_json_through_the_writer_stays_valid_and_reads_back_the_same(encoding):
    # json.dumps escapes C0 but leaves DEL, C1 (U+009B is a CSI) and non-ASCII text as they are.
    value = {"name_zh": "騰訊", "description": HOSTILE, "path": "C:\\data\\\x9b"}
    out = _written(encoding, json.dumps(value, ensure_ascii=False, indent=2))
    assert not RAW_CONTROL.search(out.decode(encoding).replace("\n", ""))
    assert json.loads(out.decode(encoding)) == value


def test_click_echo_writes_through_the_writer_even_on_an_ascii_stream(monkeypatch):
    # click reaches past an ASCII text stream to its bytes; the writer has none to reach for.
    raw = io.BytesIO()
    monkeypatch.setattr(sys, "stdout", SafeTextWriter(io.TextIOWrapper(raw, encoding="ascii", newline="\n")))
    click.echo("騰訊 \x9b")
    assert raw.getvalue() == b"\\u9a30\\u8a0a \\u009b\n"


def test_install_wraps_each_stream_once_and_leaves_absent_ones(monkeypatch):
    out = io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", None)
    install_safe_streams()
    install_safe_streams()
    assert isinstance(sys.stdout, SafeTextWriter) and sys.stdout.unfiltered is out
    assert sys.stderr is None


# --- arguments ------------------------------------------------------------------------------------


def test_recover_text_reads_escaped_bytes_as_utf8():
    assert recover_text(os.fsdecode("腾讯".encode())) == "腾讯"
    assert recover_text("\udce8\udc85\udcbe\udce8\udcae\udcaf") == "腾讯"  # as LANG=C decodes it
    assert recover_text("caf\udce9") == "caf\ufffd"  # Latin-1 bytes are not UTF-8
    assert recover_text("plain 騰訊") == "plain 騰訊"


def test_commands_recover_text_but_keep_paths_in_the_locales_form():
    seen = {}

    @click.group(cls=RecoveringGroup)
    def top():
        pass

    @top.group()
    def sub():
        pass

    @sub.command()
    @click.argument("text")
    @click.option("--many", multiple=True)
    @click.option("--folder", type=click.Path())
    @click.option("--from-env", envvar="ECOGRAPH_TEST_TEXT")
    def leaf(**params):
        seen.update(params)

    escaped = "\udce8\udc85\udcbe"  # 腾 as LANG=C hands it over
    result = CliRunner().invoke(top, ["sub", "leaf", escaped, "--many", escaped, "--folder", escaped],
                                env={"ECOGRAPH_TEST_TEXT": escaped})
    assert result.exit_code == 0, result.output
    assert seen == {"text": "腾", "many": ("腾",), "folder": escaped, "from_env": "腾"}


# --- every command, in a subprocess, on consoles that are not UTF-8 -------------------------------

SETTINGS = {
    "cp1252": ({"PYTHONIOENCODING": "cp1252"}, "cp1252"),
    "cp437": ({"PYTHONIOENCODING": "cp437"}, "cp437"),
    "LANG=C": ({"LANG": "C", "LC_ALL": "C", "PYTHONUTF8": "0"}, "ascii"),
}
ALIBABA = "Alibaba Group / \\u963f\\u91cc\\u5df4\\u5df4"


def _env(extra=None):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("LC_", "PYTHONIOENCODING", "PYTHONUTF8")) and k != "LANG"}
    env.update(extra or {})
    return env


def _ecograph(args, env=None, entry=("-m", "ecograph")):
    return subprocess.run([sys.executable, *entry, *args], cwd=ROOT, env=_env(env), capture_output=True,
                          check=False, timeout=300)


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory):
    """An embedded store of the seed in which a query wrote HOSTILE as Alibaba's description."""
    path = tmp_path_factory.mktemp("console-store") / "store"
    result = _ecograph(["query", "--db", str(path), "--write", "--param", "d=" + json.dumps(HOSTILE),
                        "MATCH (c:Company {id: 'alibaba'}) SET c.description = $d RETURN c.id AS id"])
    assert result.returncode == 0, result.stderr.decode()
    return str(path)


COMMANDS = [
    (["show", "alibaba"], 0, ALIBABA + "  [Company]  id: alibaba"),
    (["search", "腾讯"], 0, "Tencent / \\u9a30\\u8a0a  (exact: \\u9a30\\u8a0a)"),
    (["info"], 0, "Entities by label"),
    (["query", "--db", "{db}", "MATCH (c:Company {id: 'alibaba'}) RETURN c"], 0, ALIBABA + " (:Company)"),
    (["query", "--db", "{db}", "--format", "csv", "MATCH (c {name_zh: '阿里巴巴'}) RETURN c.name_zh AS zh"], 0,
     "zh\n\\u963f\\u91cc\\u5df4\\u5df4\n"),
    (["queries"], 0, "alibaba_stakes"),
    (["schema"], 0, "\\u8868\\u4e00"),  # 表一
    (["validate"], 0, "OK: "),
    (["rank", "--top", "3"], 0, "1. "),
    (["path", "alibaba", "騰訊", "--context"], 0, ALIBABA + " is active in "),  # a tie as a sentence
    (["reach", "阿里巴巴"], 0, ALIBABA + " reaches "),
    (["compare", "alibaba", "tencent"], 0, ALIBABA + " (camp of "),
    (["communities"], 0, "Camp 1: "),
    (["timeline", "--at", "2014"], 0, "As of 2014: "),
    (["show", "不存在的公司"], 1, "Error: no entity matches '\\u4e0d\\u5b58\\u5728\\u7684\\u516c\\u53f8'"),
]


# Each case is a process of its own (a second or more each). The default run takes every command
# under LANG=C (ASCII, the narrowest) and, under cp1252, one command of each way of writing: text
# (show), a table and csv (query), JSON-escaped names (search) and an error. The rest of cp1252,
# and all of cp437 (which fails the way cp1252 does: a single-byte code page without Chinese),
# are slow checks that CI runs (-m slow).
_CP1252_DEFAULT = {0, 1, 3, 4, len(COMMANDS) - 1}  # indexes in COMMANDS
MATRIX = [
    pytest.param(setting, *command, id=f"{' '.join(command[0][:2])}-{setting}",
                 marks=[] if setting == "LANG=C" or (setting == "cp1252" and i in _CP1252_DEFAULT)
                 else [pytest.mark.slow])
    for i, command in enumerate(COMMANDS) for setting in SETTINGS
]


@pytest.mark.parametrize(("setting", "args", "code", "expected"), MATRIX)
def test_every_command_runs_on_a_console_that_is_not_utf8(setting, args, code, expected, hostile_db):
    env, encoding = SETTINGS[setting]
    result = _ecograph([a.replace("{db}", hostile_db) for a in args], env)
    stdout, stderr = result.stdout.decode(encoding), result.stderr.decode(encoding)  # strict: nothing unencodable
    assert "Traceback" not in stderr, stderr
    assert result.returncode == code, stderr
    assert expected in (stdout if code == 0 else stderr)
    assert not RAW_CONTROL.search((stdout + stderr).replace("\n", "").replace("\t", ""))


# cp437 fails the way cp1252 does: with the slow checks (CI runs them).
SLOW_CP437 = [pytest.param(s, marks=pytest.mark.slow) if s == "cp437" else s for s in SETTINGS]


@pytest.mark.parametrize("setting", SLOW_CP437)
def test_json_reads_back_the_same_text_on_any_console(setting):
    env, encoding = SETTINGS[setting]
    result = _ecograph(["show", "阿里巴巴", "--json"], env)
    assert result.returncode == 0, result.stderr.decode(encoding)
    assert json.loads(result.stdout.decode(encoding))["entity"]["name_zh"] == "阿里巴巴"


@pytest.mark.parametrize("setting", SLOW_CP437)
def test_cli_py_behaves_like_the_module(setting):
    env, _ = SETTINGS[setting]
    checkout = _ecograph(["search", "腾讯"], env, entry=(str(ROOT / "cli.py"),))
    as_module = _ecograph(["search", "腾讯"], env)
    assert (checkout.returncode, checkout.stdout, checkout.stderr) == (
        as_module.returncode, as_module.stdout, as_module.stderr)
    assert checkout.stdout.startswith(b"tencent ")


def test_a_data_folder_with_a_chinese_name_opens_under_lang_c(tmp_path):
    folder = tmp_path / "我的數據"
    (folder / "entities").mkdir(parents=True)
    (folder / "entities" / "mine.csv").write_text(
        "id,kind,name_en,name_zh,country,description\nacme,Company,Acme Trading,愛克米,Taiwan,A firm\n", encoding="utf-8")
    (folder / "relationships").mkdir()
    (folder / "relationships" / "where.csv").write_text(
        "from,type,to,description,source\nacme,LOCATED_IN,taiwan,Registered in Taipei,Annual report\n", encoding="utf-8")
    env, _ = SETTINGS["LANG=C"]
    result = _ecograph(["show", "愛克米", "--data", str(folder)], env)
    assert result.returncode == 0, result.stderr.decode("ascii")
    assert result.stdout.decode("ascii").startswith("Acme Trading / \\u611b\\u514b\\u7c73  [Company]  id: acme\n")


# --- control characters from the data never reach the terminal raw -------------------------------

_DESCRIPTION = "MATCH (c:Company {id: 'alibaba'}) RETURN c.description AS d"
SHOWN = "evil \\u001b]0;pwned\\u0007 \\u001b[2J \\u009b31m red\\u007f \\u000b\\u0008 end\\u000d 😀"  # on UTF-8


@pytest.mark.parametrize("fmt", ["table", "csv"])
def test_query_text_output_shows_control_characters_as_escapes(fmt, hostile_db):
    result = _ecograph(["query", "--db", hostile_db, "--format", fmt, _DESCRIPTION])
    assert result.returncode == 0, result.stderr.decode()
    stdout = result.stdout.decode("utf-8")
    # click itself drops ANSI codes (ESC [ … letter) from output that is not a terminal.
    assert stdout.splitlines()[-1 if fmt == "csv" else 2] == SHOWN.replace("\\u001b[2J", "")
    assert not RAW_CONTROL.search(stdout.replace("\n", ""))


def test_query_json_output_escapes_c1_and_reads_back_the_same(hostile_db):
    result = _ecograph(["query", "--db", hostile_db, "--format", "json", _DESCRIPTION])
    assert result.returncode == 0, result.stderr.decode()
    assert not RAW_CONTROL.search(result.stdout.decode("utf-8").replace("\n", ""))
    assert json.loads(result.stdout) == [{"d": HOSTILE}]


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_a_terminal_gets_no_escape_sequence_from_the_data(hostile_db):
    # On a terminal click keeps ANSI codes (it strips them only from pipes): only the filter is left.
    import pty

    def on_terminal(args):
        leader, follower = pty.openpty()
        with subprocess.Popen([sys.executable, "-m", "ecograph", *args], cwd=ROOT, env=_env(),
                              stdout=follower, stderr=follower) as process:
            os.close(follower)
            out = b""
            while True:
                try:
                    chunk = os.read(leader, 65536)
                except OSError:  # the child closed the terminal
                    break
                if not chunk:
                    break
                out += chunk
            process.wait(timeout=300)
        os.close(leader)
        return out.decode("utf-8")

    table = on_terminal(["query", "--db", hostile_db, _DESCRIPTION])
    assert SHOWN in table
    error = on_terminal(["show", "\x1b[2J\x1b]0;pwned\x07"])
    assert "Error: no entity matches '\\x1b[2J\\x1b]0;pwned\\x07'" in error
    for out in (table, error):  # the terminal turns \n into \r\n itself
        assert not RAW_CONTROL.search(out.replace("\r\n", ""))
