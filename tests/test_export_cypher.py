"""Exports for Neo4j: the Cypher script, the neo4j-admin CSVs, and the atomic writes under both.

The script is read back with a small Cypher-literal parser written here, independently of the
serializer, so hostile text (quotes, backslashes, newlines, ``*/``, HTML, emoji, CJK) must
come back exactly as it went in; and it is linted with Neo4j's own parser.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shlex
import unicodedata
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

import ecograph
from ecograph import fileio
from ecograph.query import neo4j_backend, rows
from ecograph.export.cypher import CHUNK_ROWS, cypher_literal, cypher_script_statements, write_cypher
from ecograph.export.neo4j_admin import write_neo4j_admin


HOSTILE = [
    "it's",
    "back\\slash\\",
    "new\nline",
    "tab\there\r\n",
    "*/ closes a comment /* and // starts one",
    "<img src=x onerror=alert(1)>",
    "emoji 😀🎉",
    "中文 阿里巴巴集團",
    "semi; colon;",
    "nul\x00 bell\x07 esc\x1b[31m del\x7f",
    "separators\u2028\u2029 bidi\u202e reversed",
    'double "quotes"',
    "`backticks` and $param {brace}",
    "\\'",
    "",
]


@pytest.fixture(scope="module")
def G():
    return ecograph.load()


# --- an independent reader for the literals the script holds -------------------------------------


class LiteralReader:
    """Reads Cypher literals (null, booleans, numbers, strings, lists, maps) from ``text``."""

    ESCAPES = {"\\": "\\", "'": "'", '"': '"', "n": "\n", "r": "\r", "t": "\t", "b": "\b", "f": "\f"}
    NUMBER = re.compile(r"-?\d+(\.\d+)?([eE]-?\d+)?")
    IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")

    def __init__(self, text: str, pos: int = 0) -> None:
        self.text, self.pos = text, pos

    def skip(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos] in " \n":
            self.pos += 1

    def expect(self, token: str, *, skip: bool = True) -> None:
        if skip:
            self.skip()
        assert self.text.startswith(token, self.pos), (token, self.text[self.pos:self.pos + 40])
        self.pos += len(token)

    def value(self) -> Any:
        self.skip()
        t, c = self.text, self.text[self.pos]
        for word, val in (("null", None), ("true", True), ("false", False)):
            if t.startswith(word, self.pos):
                self.pos += len(word)
                return val
        if c == "'":
            return self.string()
        if c == "[":
            return self.sequence("[", "]", self.value)
        if c == "{":
            return dict(self.sequence("{", "}", self.entry))
        m = self.NUMBER.match(t, self.pos)
        assert m, t[self.pos:self.pos + 40]
        self.pos = m.end()
        return float(m.group()) if m.group(1) or m.group(2) else int(m.group())

    def sequence(self, open_: str, close: str, item) -> list[Any]:
        self.expect(open_)
        out: list[Any] = []
        self.skip()
        if self.text.startswith(close, self.pos):
            self.pos += 1
            return out
        while True:
            out.append(item())
            self.skip()
            if self.text.startswith(close, self.pos):
                self.pos += 1
                return out
            self.expect(",")

    def entry(self) -> tuple[str, Any]:
        self.skip()
        if self.text[self.pos] == "`":
            end = self.pos + 1
            while True:
                end = self.text.index("`", end)
                if self.text.startswith("``", end):
                    end += 2
                    continue
                break
            key = self.text[self.pos + 1:end].replace("``", "`")
            self.pos = end + 1
        else:
            m = self.IDENT.match(self.text, self.pos)
            assert m
            key, self.pos = m.group(), m.end()
        self.expect(":")
        return key, self.value()

    def string(self) -> str:
        self.expect("'")
        out = []
        t = self.text
        while True:
            c = t[self.pos]
            assert unicodedata.category(c) != "Cc", f"raw control character {c!r} in a string"
            if c == "'":
                self.pos += 1
                return "".join(out)
            if c == "\\":
                e = t[self.pos + 1]
                if e in self.ESCAPES:
                    out.append(self.ESCAPES[e])
                    self.pos += 2
                elif e == "u":
                    out.append(chr(int(t[self.pos + 2:self.pos + 6], 16)))
                    self.pos += 6
                elif e == "U":
                    out.append(chr(int(t[self.pos + 2:self.pos + 10], 16)))
                    self.pos += 10
                else:
                    raise AssertionError(f"unknown escape \\{e}")
            else:
                out.append(c)
                self.pos += 1


def read_literal(text: str) -> Any:
    reader = LiteralReader(text)
    value = reader.value()
    assert reader.pos == len(text), text[reader.pos:]
    return value


def read_script(text: str) -> tuple[list[str], list[str], list[tuple[str, list[Any]]]]:
    """(header comment lines, schema statements, data statements as (body, rows)) of a script."""
    lines = text.split("\n")
    header = []
    while lines[0].startswith("//"):
        header.append(lines.pop(0))
    rest = "\n".join(lines)
    reader = LiteralReader(rest)
    schema_statements, data = [], []
    while True:
        reader.skip()
        if reader.pos == len(rest):
            break
        if rest.startswith("UNWIND ", reader.pos):
            reader.pos += len("UNWIND ")
            batch = reader.value()
            reader.expect(" AS row\n", skip=False)
            end = rest.index(";\n", reader.pos)
            data.append((rest[reader.pos:end], batch))
        else:
            end = rest.index(";\n", reader.pos)
            schema_statements.append(rest[reader.pos:end])
        reader.pos = end + 2
    return header, schema_statements, data


def test_the_reader_can_tell_a_wrong_escape():
    assert read_literal(r"'a\'b\\c\nd\u00e9\U0001F600'") == "a'b\\c\ndé😀"
    with pytest.raises(AssertionError):
        read_literal("'raw\nnewline'")
    with pytest.raises(AssertionError):
        read_literal("'unclosed' trailing")


# --- cypher_literal ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "literal"),
    [
        (None, "null"),
        (True, "true"),
        (False, "false"),
        (0, "0"),
        (-42, "-42"),
        (2**63 - 1, "9223372036854775807"),
        (0.1035, "0.1035"),
        (3000000000.0, "3000000000.0"),
        (1e16, "1e16"),
        (1.5e-7, "1.5e-07"),
        (-0.0, "-0.0"),
        ("", "''"),
        ("it's", r"'it\'s'"),
        ("a\\b", r"'a\\b'"),
        ("l1\nl2\tx\r", r"'l1\nl2\tx\r'"),
        ('say "hi"', "'say \"hi\"'"),
        ("\x00\x07\x1b\x7f\x85", r"'\u0000\u0007\u001B\u007F\u0085'"),
        ("a;b", r"'a\u003Bb'"),
        ("\u2028\u202e\ufeff", r"'\u2028\u202E\uFEFF'"),
        ("中文 😀 */ <b>", "'中文 😀 */ <b>'"),
        ([1, [2.5, "x"], []], "[1, [2.5, 'x'], []]"),
        ((1, 2), "[1, 2]"),
        ({"id": "a", "a b": 1, "x`y": None, "_k9": {}}, "{id: 'a', `a b`: 1, `x``y`: null, _k9: {}}"),
    ],
)
def test_cypher_literal_exact(value, literal):
    assert cypher_literal(value) == literal
    assert repr(read_literal(literal)) == repr(list(value) if isinstance(value, tuple) else value)


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_strings_round_trip(text):
    literal = cypher_literal({"k": [text]})
    assert "\n" not in literal and "\r" not in literal and ";" not in literal
    assert read_literal(literal) == {"k": [text]}


@pytest.mark.parametrize(
    ("value", "error", "message"),
    [
        (float("nan"), ValueError, "Cypher has no literal for the float nan"),
        (float("inf"), ValueError, "Cypher has no literal for the float inf"),
        ([float("-inf")], ValueError, "Cypher has no literal for the float -inf"),
        (2**63, ValueError, "integer 9223372036854775808 does not fit in Cypher's 64-bit integers"),
        ({1: "x"}, TypeError, "map keys must be strings, not int: 1"),
        ({"": 1}, ValueError, "map key '' cannot be written as a Cypher identifier"),
        ({"a\nb": 1}, ValueError, "map key 'a\\nb' cannot be written as a Cypher identifier"),
        ({1, 2}, TypeError, "no Cypher literal for a set: {1, 2}"),
        (b"x", TypeError, "no Cypher literal for a bytes: b'x'"),
    ],
)
def test_cypher_literal_refuses_what_it_cannot_write(value, error, message):
    with pytest.raises(error) as err:
        cypher_literal(value)
    assert str(err.value) == message


# --- the script ----------------------------------------------------------------------------------


def lint(cypher_lint, path: Path) -> None:
    result = cypher_lint(path.name, cwd=path.parent)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().endswith("0 error(s), 0 warning(s) in 1 file(s)")


def expected_data(G: nx.MultiDiGraph, chunk: int = CHUNK_ROWS) -> list[tuple[str, list[Any]]]:
    return [(body, group[i:i + chunk]) for body, group in neo4j_backend.push_groups(G)
            for i in range(0, len(group), chunk)]


@pytest.mark.slow  # Neo4j's parser over the whole generated script: about a minute uncached; CI runs it
def test_script_of_the_seed_graph_reads_back_and_lints_clean(G, tmp_path, cypher_lint):
    path = tmp_path / "out" / "graph.cypher"
    write_cypher(G, path)
    text = path.read_text(encoding="utf-8")
    assert text.endswith(";\n")
    header, schema_part, data = read_script(text)
    assert header[0] == "// ecograph: the business-alliance graph as Cypher, for Neo4j 5."
    labels = sorted(rows.entity_rows(G)) + ["Observation"]
    assert schema_part == neo4j_backend.schema_statements(labels)
    assert len(schema_part) == 1 + len(labels)  # the id constraint, an index per label
    assert repr(data) == repr(expected_data(G))
    observation_rows = rows.observation_rows(G)
    links = rows.observation_links(G, observation_rows)
    assert len(data) == len(rows.entity_rows(G)) + 1 + len(rows.relationship_rows(G)) + len(links)
    observations = len(G.graph["observations"])
    assert sum(len(batch) for _, batch in data) == G.number_of_nodes() + observations + G.number_of_edges() + observations
    lint(cypher_lint, path)


def test_script_statements_are_the_file_statements(G, tmp_path):
    path = tmp_path / "graph.cypher"
    write_cypher(G, path)
    statements = cypher_script_statements(G)
    text = path.read_text(encoding="utf-8")
    kinds = len(rows.entity_rows(G))  # the kinds the graph holds
    assert text.count(";\n") == len(statements) == 1 + kinds + 1 + len(expected_data(G))
    for statement in statements:
        assert statement + ";\n" in text


def test_script_chunks_rows(G):
    statements = cypher_script_statements(G, chunk_rows=10)
    data = [s for s in statements if s.startswith("UNWIND")]
    assert len(data) == len(expected_data(G, 10))
    assert max(s.count("\n  {") for s in data) == 10


def hostile_graph() -> nx.MultiDiGraph:
    G = nx.MultiDiGraph()
    G.add_node("acme", kind="Company", name_en=HOSTILE[0], name_zh=HOSTILE[7], aliases=HOSTILE[:6],
               country="Taiwan", description="\n".join(HOSTILE))
    G.add_node("shop", kind="Platform", name_en=HOSTILE[5], name_zh="商城", aliases=[],
               country="Mainland China", description=HOSTILE[4])
    G.add_edge("acme", "shop", type="OWNS", stake=1.5e-7, amount=1e16, currency="USD", date="2014-05",
               year=2014, count=3, count_unit=HOSTILE[9], description=HOSTILE[10], source=HOSTILE[2],
               cited=None)
    G.graph["observations"] = [
        {"subject": "shop", "metric": "gmv", "period": "2014-H1", "value": 0.25, "unit": "fraction",
         "text": HOSTILE[11], "basis": "actual", "table": "表一", "source": HOSTILE[12], "cited": None,
         "note": HOSTILE[13]},
        {"subject": "shop", "metric": "gmv", "period": "2014-H1", "value": 1e-300, "unit": "fraction",
         "text": None, "basis": "estimate", "table": None, "source": HOSTILE[3], "cited": None, "note": ""},
    ]
    return G


def test_hostile_values_come_back_exactly(tmp_path, cypher_lint):
    H = hostile_graph()
    path = tmp_path / "hostile.cypher"
    write_cypher(H, path)
    text = path.read_text(encoding="utf-8")
    header, _, data = read_script(text)
    assert repr(data) == repr(expected_data(H))
    # The values as the graph holds them, not only as push_groups gives them:
    company = data[0][1][0]["props"]
    assert company["description"] == "\n".join(HOSTILE)
    assert company["aliases"] == HOSTILE[:6]
    tie = next(batch[0] for body, batch in data if ":OWNS" in body)
    assert (tie["props"]["stake"], tie["props"]["amount"], tie["props"]["count"]) == (1.5e-7, 1e16, 3)
    assert "中文 阿里巴巴集團" in text and "😀🎉" in text  # kept readable, not escaped
    assert "<img src=x onerror=alert(1)>" not in "\n".join(header)
    for line in text.split("\n"):  # no data broke out of its line
        assert line == "" or line.startswith(("//", "  {", "UNWIND [", "] AS row", "CREATE ", "MERGE ",
                                              "MATCH ", "SET ", "REMOVE ")), line
    lint(cypher_lint, path)


def test_write_cypher_replaces_its_own_file_atomically(tmp_path):
    path = tmp_path / "graph.cypher"
    write_cypher(G_small := hostile_graph(), path)
    assert fileio.OUTPUT_MARK in path.read_text(encoding="utf-8").splitlines()[5]
    write_cypher(G_small, path)
    assert path.read_text(encoding="utf-8").startswith("// ecograph")
    assert os.listdir(tmp_path) == ["graph.cypher"]


# --- neo4j-admin CSVs ----------------------------------------------------------------------------


def read_csvs(directory: Path) -> dict[str, list[list[str]]]:
    out = {}
    for path in sorted(directory.iterdir()):
        if path.name == fileio.FOLDER_MANIFEST:
            continue
        with path.open(encoding="utf-8", newline="") as f:
            out[path.name] = list(csv.reader(f))
    return out


ENTITY_HEADER = ["id:ID(Ecograph)", ":LABEL", "name:string", "name_en:string", "name_zh:string",
                 "aliases:string[]", "country:string", "description:string"]
OBSERVATION_HEADER = ["id:ID(Ecograph)", ":LABEL", "name:string", "subject:string", "metric:string",
                      "period:string", "value:double", "unit:string", "text:string", "basis:string",
                      "table:string", "source:string", "cited:string", "note:string", "year:long"]
TIE_HEADER = [":START_ID(Ecograph)", ":END_ID(Ecograph)", ":TYPE", "key:string", "stake:double",
              "max_stake:double", "date:string", "year:long", "amount:double", "currency:string",
              "count:long", "count_unit:string", "description:string", "source:string", "cited:string"]
LINK_HEADER = [":START_ID(Ecograph)", ":END_ID(Ecograph)", ":TYPE"]


def test_neo4j_admin_files_hold_the_whole_graph(G, tmp_path):
    directory = tmp_path / "import"
    command = write_neo4j_admin(G, directory)
    files = read_csvs(directory)

    node_files = {n: f for n, f in files.items() if n.startswith("nodes_")}
    rel_files = {n: f for n, f in files.items() if n.startswith("relationships_")}
    assert set(files) == set(node_files) | set(rel_files)
    kinds = sorted({k for _, k in G.nodes(data="kind")})
    assert sorted(node_files) == sorted([f"nodes_{k}.csv" for k in kinds] + ["nodes_Observation.csv"])
    types = sorted({t for _, _, t in G.edges(data="type")})
    assert sorted(rel_files) == sorted([f"relationships_{t}.csv" for t in types] + ["relationships_HAS_OBSERVATION.csv"])

    for name, table in node_files.items():
        label = name[len("nodes_"):-len(".csv")]
        assert table[0] == (OBSERVATION_HEADER if label == "Observation" else ENTITY_HEADER)
        assert {row[1] for row in table[1:]} == {f"{label}|Ecograph"}
        assert all(len(row) == len(table[0]) for row in table)
    for name, table in rel_files.items():
        rel_type = name[len("relationships_"):-len(".csv")]
        assert table[0] == (LINK_HEADER if rel_type == "HAS_OBSERVATION" else TIE_HEADER)
        assert {row[2] for row in table[1:]} == {rel_type}

    entity_ids = [row[0] for n, t in node_files.items() if n != "nodes_Observation.csv" for row in t[1:]]
    observation_ids = [row[0] for row in node_files["nodes_Observation.csv"][1:]]
    assert (len(entity_ids), len(observation_ids)) == (G.number_of_nodes(), len(G.graph["observations"]))
    assert sorted(entity_ids) == sorted(G.nodes)
    assert len(set(entity_ids + observation_ids)) == len(entity_ids) + len(observation_ids)
    ties = [row for n, t in rel_files.items() if n != "relationships_HAS_OBSERVATION.csv" for row in t[1:]]
    links = rel_files["relationships_HAS_OBSERVATION.csv"][1:]
    assert (len(ties), len(links)) == (G.number_of_edges(), len(G.graph["observations"]))
    ids = set(entity_ids) | set(observation_ids)
    assert all(row[0] in ids and row[1] in ids for row in ties + links)
    assert sorted((row[0], row[2], row[1]) for row in ties) == sorted((u, t, v) for u, v, t in G.edges(data="type"))

    # Typed values read back as the graph holds them.
    by_id = {row[0]: dict(zip(ENTITY_HEADER, row)) for n, t in node_files.items()
             if n != "nodes_Observation.csv" for row in t[1:]}
    for node, attrs in G.nodes(data=True):
        cell = by_id[node]["aliases:string[]"]
        assert (cell.split("|") if cell else []) == list(attrs.get("aliases") or [])
        assert by_id[node]["name_zh:string"] == attrs["name_zh"]
    tie_rows = {row[3]: dict(zip(TIE_HEADER, row)) for row in ties}
    for u, v, attrs in G.edges(data=True):
        row = tie_rows[rows.relationship_key(u, attrs["type"], v, attrs.get("date"))]
        for prop, cast in (("stake:double", float), ("amount:double", float), ("year:long", int)):
            name = prop.split(":")[0]
            assert (cast(row[prop]) if row[prop] else None) == attrs.get(name)

    assert command.startswith('neo4j-admin database import full --array-delimiter="|" --multiline-fields=true --nodes=')
    assert command.endswith(" neo4j")
    args = shlex.split(command)
    assert args[4] == "--array-delimiter=|"
    named = [a.split("=", 1)[1] for a in args if a.startswith(("--nodes=", "--relationships="))]
    assert sorted(named) == sorted(files)
    assert [a for a in args if a.startswith("--nodes=")] == [f"--nodes={n}" for n in named if n.startswith("nodes_")]


def test_neo4j_admin_hostile_text_survives_csv(tmp_path):
    H = hostile_graph()
    write_neo4j_admin(H, tmp_path / "import")
    files = read_csvs(tmp_path / "import")
    company = dict(zip(ENTITY_HEADER, files["nodes_Company.csv"][1]))
    assert company["description:string"] == "\n".join(HOSTILE)
    assert company["aliases:string[]"].split("|") == HOSTILE[:6]
    tie = dict(zip(TIE_HEADER, files["relationships_OWNS.csv"][1]))
    assert (float(tie["stake:double"]), float(tie["amount:double"]), tie["count:long"]) == (1.5e-7, 1e16, "3")
    observations = files["nodes_Observation.csv"]
    assert [row[0] for row in observations[1:]] == ["shop/gmv/2014-H1", "shop/gmv/2014-H1/2"]
    assert float(dict(zip(OBSERVATION_HEADER, observations[2]))["value:double"]) == 1e-300


def test_neo4j_admin_refuses_a_list_item_holding_the_delimiter(tmp_path):
    H = hostile_graph()
    H.nodes["shop"]["aliases"] = ["a|b"]
    with pytest.raises(ValueError) as err:
        write_neo4j_admin(H, tmp_path / "import")
    assert str(err.value) == "list item contains the array delimiter '|': ['a|b']"
    assert os.listdir(tmp_path) == []


def test_neo4j_admin_replaces_its_own_directory_as_a_whole(G, tmp_path):
    directory = tmp_path / "import"
    write_neo4j_admin(G, directory)
    assert "nodes_Policy.csv" in os.listdir(directory)
    write_neo4j_admin(hostile_graph(), directory)  # no policies: the old file goes
    manifest = json.loads((directory / fileio.FOLDER_MANIFEST).read_text(encoding="utf-8"))
    assert sorted(os.listdir(directory)) == sorted(manifest["files"] + [fileio.FOLDER_MANIFEST])
    assert "nodes_Policy.csv" not in manifest["files"]
    assert os.listdir(tmp_path) == ["import"]
