"""Saved-query headers, --param values and parameter files."""

from __future__ import annotations

from pathlib import Path

import pytest

from ecograph.errors import SavedQueryError
from ecograph.query.saved import (
    Parameter,
    parse_param_option,
    parse_saved_query,
    read_params_file,
    read_saved_query,
)


def test_header_gives_description_and_parameters():
    q = parse_saved_query(
        "// Equity ties of a company,\n"
        "// with stakes.\n"
        '// @param company = "alibaba"  Id of the investor\n'
        "// @param min_stake = 0.1\n"
        "// @param types = [\"OWNS\", \"INVESTED_IN\"]  Types to follow\n"
        "MATCH (a {id: $company}) RETURN a\n",
        "stakes",
    )
    assert q.name == "stakes"
    assert q.description == "Equity ties of a company, with stakes."
    assert q.parameters == (
        Parameter("company", "alibaba", "Id of the investor"),
        Parameter("min_stake", 0.1, ""),
        Parameter("types", ["OWNS", "INVESTED_IN"], "Types to follow"),
    )
    assert q.bind({"company": "tencent"}) == {"company": "tencent", "min_stake": 0.1, "types": ["OWNS", "INVESTED_IN"]}


def test_a_default_that_is_not_json_names_file_and_line():
    with pytest.raises(SavedQueryError) as e:
        parse_saved_query("// d\n// @param company = alibaba  Id\nRETURN 1\n", "x", Path("cypher/x.cypher"))
    assert str(e.value) == (
        "cypher/x.cypher:2: default of parameter 'company' is 'alibaba'; expected JSON "
        '(a string in double quotes like "alibaba", a number, true/false, null or a list)'
    )


def test_a_malformed_param_line_names_file_and_line():
    with pytest.raises(SavedQueryError, match=r"^cypher/x.cypher:3: @param line '@param 1x' does not read as"):
        parse_saved_query("// d\n\n// @param 1x\nRETURN 1\n", "x", Path("cypher/x.cypher"))


def test_a_query_needs_a_description():
    with pytest.raises(SavedQueryError, match=r"^x:1: a saved query starts with a '// description' line$"):
        parse_saved_query("MATCH (n) RETURN n\n", "x")


def test_unknown_saved_query_suggests_the_closest(tmp_path):
    (tmp_path / "alibaba_stakes.cypher").write_text("// d\nRETURN 1\n", encoding="utf-8")
    with pytest.raises(SavedQueryError) as e:
        read_saved_query("alibaba_stake", tmp_path)
    assert str(e.value) == (
        "no saved query named 'alibaba_stake' (did you mean 'alibaba_stakes'?)"
    )
    with pytest.raises(SavedQueryError, match="no saved query named '../secrets'"):
        read_saved_query("../secrets", tmp_path)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("company=tencent", ("company", "tencent")),
        ('company="tencent"', ("company", "tencent")),
        ("hops=2", ("hops", 2)),
        ("stake=0.5", ("stake", 0.5)),
        ("flag=true", ("flag", True)),
        ('ids=["a","b"]', ("ids", ["a", "b"])),
        ("name=騰訊", ("name", "騰訊")),
        ("expr=a=b", ("expr", "a=b")),
        ("empty=", ("empty", "")),
    ],
)
def test_param_values_are_json_where_they_parse(text, expected):
    assert parse_param_option(text) == expected


@pytest.mark.parametrize("text", ["novalue", "1x=2", "a b=1", "=3"])
def test_a_bad_param_option_is_refused(text):
    with pytest.raises(SavedQueryError, match=r"expected key=value with key a Cypher parameter name$"):
        parse_param_option(text)


def test_params_file(tmp_path):
    good = tmp_path / "p.json"
    good.write_text('{"company": "jd", "hops": 2}', encoding="utf-8")
    assert read_params_file(good) == {"company": "jd", "hops": 2}
    bad = tmp_path / "bad.json"
    bad.write_text('{"company": }', encoding="utf-8")
    with pytest.raises(SavedQueryError, match=r"bad.json:1: not JSON: Expecting value$"):
        read_params_file(bad)
    listed = tmp_path / "list.json"
    listed.write_text("[1]", encoding="utf-8")
    with pytest.raises(SavedQueryError, match=r"list.json: expected a JSON object of parameters, found list$"):
        read_params_file(listed)
