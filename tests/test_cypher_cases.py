"""Every statement of tests/cypher_cases.py on the embedded store, through the call the CLI
makes: Neo4j's answer (columns, values, types), or one line naming what is refused and
pointing to Neo4j (#19)."""

from __future__ import annotations

import math

import pytest

from ecograph.data.graphdata import shipped_data_dir
from ecograph.errors import QueryError, UnsupportedCypherError
from ecograph.query.store import open_store
from tests.cypher_cases import CASES, PARAMETERS, Answer, Invalid, Refused, readme_section


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return open_store([shipped_data_dir()], tmp_path_factory.mktemp("cases") / "store")


def same(got, expected) -> bool:
    """Equal values of the same types (1 is not 1.0, True is not 1), NaN equal to NaN."""
    if type(got) is not type(expected):
        return False
    if isinstance(expected, float):
        return got == expected or (math.isnan(got) and math.isnan(expected))
    if isinstance(expected, (list, tuple)):
        return len(got) == len(expected) and all(same(g, e) for g, e in zip(got, expected))
    if isinstance(expected, dict):
        return got.keys() == expected.keys() and all(same(got[k], expected[k]) for k in expected)
    return got == expected


def test_the_table_has_200_statements_without_repeats():
    queries = [case.query for case in CASES]
    assert len(queries) >= 200
    assert len(set(queries)) == len(queries)


@pytest.mark.parametrize("case", CASES, ids=[case.query[:70] for case in CASES])
def test_statement_gives_neo4js_answer_or_a_named_refusal(store, case):
    if isinstance(case, Answer):
        result = store.query(case.query, PARAMETERS)
        assert tuple(result.columns) == case.columns
        got = tuple(tuple(row) for row in result.rows)
        expected = case.rows
        if "ORDER BY" not in case.query.upper():  # without it Neo4j promises no order either
            got, expected = tuple(sorted(got, key=repr)), tuple(sorted(expected, key=repr))
        assert same(got, expected), f"{got!r} != {expected!r}"
        return
    with pytest.raises(QueryError) as info:
        store.query(case.query, PARAMETERS)
    message = str(info.value)
    assert "\n" not in message
    if isinstance(case, Refused):
        assert isinstance(info.value, UnsupportedCypherError)
        assert case.construct in message and "run this query on Neo4j" in message
    else:
        assert isinstance(case, Invalid)
        assert not isinstance(info.value, UnsupportedCypherError)
        assert case.message in message


def test_readme_lists_what_the_table_checks():
    from tests.cypher_cases import README

    assert readme_section() in README.read_text(encoding="utf-8"), (
        "the README's list of what works is stale: python tests/cypher_cases.py --write-readme"
    )


@pytest.mark.slow  # Neo4j's language service over ~290 statements: about 3 minutes uncached; CI runs it
def test_statements_with_an_answer_or_a_refusal_are_valid_neo4j_cypher(tmp_path, lint_lock):
    import shutil
    import subprocess
    from pathlib import Path

    from ecograph.data import schema

    lint = Path(__file__).resolve().parents[2] / "shared" / "tools" / "neo4j-cypher-lint" / "neo4j-cypher-lint"
    if not lint.exists() or shutil.which("node") is None:
        pytest.skip("neo4j-cypher-lint (../shared/tools) and Node.js are needed")
    path = tmp_path / "cases.cypher"
    path.write_text("".join(f"{c.query};\n" for c in CASES if not isinstance(c, Invalid)), encoding="utf-8")
    labels = ",".join([*schema.KINDS, schema.OBSERVATION_LABEL])
    types = ",".join([*schema.REL_TYPES, schema.OBSERVATION_REL])
    with lint_lock():
        result = subprocess.run([str(lint), "--strict", "--labels", labels, "--types", types, str(path)],
                                capture_output=True, text=True, timeout=900, check=False)
    # id() is deprecated in Neo4j 5 (elementId() replaces it) but still answered: the one warning allowed.
    findings = [line for line in result.stdout.splitlines() if ": error: " in line or ": warning: " in line]
    other = [line for line in findings if "Function id is deprecated" not in line and "('id' has been replaced" not in line]
    assert not other, result.stdout + result.stderr
    assert result.stdout.strip().endswith("in 1 file(s)") and " 0 error(s)" in " " + result.stdout.splitlines()[-1]


def test_keys_and_properties_of_the_data_leave_out_unset_properties(store):
    # LadybugDB lists every column of the table, set or not; Neo4j only the properties set.
    result = store.query("MATCH ()-[r]->() RETURN keys(r) AS k, properties(r) AS p, r LIMIT 200")
    assert any(len(row[1]) < 5 for row in result.rows)  # some relationships leave most unset
    for keys, props, rel in result.rows:
        assert None not in props.values()
        assert keys == list(props) and props == rel.properties
