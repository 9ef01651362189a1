"""Neo4j Cypher statements and the answers Neo4j's documentation gives for them (#19).

Built from the examples of the Cypher manual's function pages (mathematical, string, scalar,
list, aggregating, predicate, temporal) and clause pages (RETURN, WITH, UNWIND, ORDER BY,
SKIP/LIMIT, UNION, CASE, operators), written so that they need no graph of their own, plus a
few on ecograph's data whose answer does not depend on the data.

Each entry is one of:

- ``Answer(topic, query, columns, rows)``: Neo4j's answer: column names, values and types
  (``1`` is an INTEGER, ``1.0`` a FLOAT, dates come back as ISO text on both backends);
- ``Refused(topic, query, construct)``: the embedded engine cannot give Neo4j's answer and
  must say so in one line naming ``construct`` (and suggesting the Neo4j backend);
- ``Invalid(topic, query, message)``: Neo4j refuses the statement too; the embedded store must
  refuse it in one line containing ``message``.

tests/test_cypher_cases.py runs every entry on the embedded store; the README's list of what
works and what does not is generated from this table:

    python tests/cypher_cases.py --write-readme     # rewrite the README section
    python tests/cypher_cases.py                    # print the figures
"""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Answer:
    topic: str
    query: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]


@dataclass(frozen=True)
class Refused:
    topic: str
    query: str
    construct: str


@dataclass(frozen=True)
class Invalid:
    topic: str
    query: str
    message: str


Case = Answer | Refused | Invalid

NAN = float("nan")

# The parameters every statement is run with ($d …).
PARAMETERS = {"d": "2015-07-21"}


def value(topic: str, expression: str, answer: Any) -> Answer:
    """``RETURN expression``: one column named by the expression's text, one row."""
    return Answer(topic, f"RETURN {expression}", (expression,), ((answer,),))


def rows(topic: str, query: str, columns: tuple[str, ...] | str, *answer: Any) -> Answer:
    """A query and its rows; a single column may be given as a string and its rows as values."""
    if isinstance(columns, str):
        return Answer(topic, query, (columns,), tuple((v,) for v in answer))
    return Answer(topic, query, columns, tuple(tuple(r) for r in answer))


CASES: list[Case] = [
    # --- mathematical functions: numeric ---------------------------------------------------
    value("abs()", "abs(-3)", 3),
    value("abs()", "abs(-3.5)", 3.5),
    value("abs()", "abs(null)", None),
    value("ceil()", "ceil(0.1)", 1.0),
    value("ceil()", "ceil(-0.1)", -0.0),
    value("floor()", "floor(0.9)", 0.0),
    value("floor()", "floor(-0.1)", -1.0),
    value("isNaN()", "isNaN(0/0.0)", True),
    value("isNaN()", "isNaN(1.5)", False),
    value("rand()", "rand() < 1.0", True),
    value("round()", "round(3.141592)", 3.0),
    value("round()", "round(-1.5)", -1.0),
    value("round()", "round(3.141592, 3)", 3.142),
    value("round()", "round(1.249, 1, 'UP')", 1.3),
    value("round()", "round(1.249, 1, 'DOWN')", 1.2),
    value("round()", "round(1.25, 1, 'HALF_EVEN')", 1.2),
    value("round()", "round(1.25, 1, 'HALF_UP')", 1.3),
    value("sign()", "sign(-17)", -1),
    value("sign()", "sign(0.1)", 1),
    value("sign()", "sign(0)", 0),
    # --- mathematical functions: logarithmic -------------------------------------------------
    value("e()", "e()", 2.718281828459045),
    value("exp()", "exp(2)", 7.38905609893065),
    value("log()", "log(27)", 3.295836866004329),
    value("log10()", "log10(27)", 1.4313637641589874),
    value("sqrt()", "sqrt(256)", 16.0),
    # --- mathematical functions: trigonometric -----------------------------------------------
    value("sin()", "sin(0.5)", 0.479425538604203),
    value("cos()", "cos(0.5)", 0.8775825618903728),
    value("tan()", "tan(0.5)", 0.5463024898437905),
    value("asin()", "asin(0.5)", 0.5235987755982989),
    value("acos()", "acos(0.5)", 1.0471975511965979),
    value("atan()", "atan(0.5)", 0.4636476090008061),
    value("atan2()", "atan2(0.5, 0.6)", 0.6947382761967033),
    value("cot()", "cot(0.5)", 1.830487721712452),
    value("degrees()", "degrees(3.14159)", 179.9998479605043),
    value("radians()", "radians(180)", 3.141592653589793),
    value("pi()", "pi()", 3.141592653589793),
    value("haversin()", "haversin(0.5)", 0.06120871905481362),
    # --- string functions --------------------------------------------------------------------
    value("left()", "left('hello', 3)", "hel"),
    value("right()", "right('hello', 3)", "llo"),
    value("ltrim()", "ltrim('   hello')", "hello"),
    value("rtrim()", "rtrim('hello   ')", "hello"),
    value("trim()", "trim('   hello   ')", "hello"),
    value("replace()", "replace('hello', 'l', 'w')", "hewwo"),
    value("reverse()", "reverse('anagram')", "margana"),
    value("split()", "split('one,two', ',')", ["one", "two"]),
    value("split()", "split('one,,two', ',')", ["one", "", "two"]),
    value("substring()", "substring('hello', 1, 3)", "ell"),
    value("substring()", "substring('hello', 2)", "llo"),
    value("toLower()", "toLower('HELLO')", "hello"),
    value("toUpper()", "toUpper('hello')", "HELLO"),
    value("lower()", "lower('HELLO')", "hello"),
    value("upper()", "upper('hello')", "HELLO"),
    value("size() of a string", "size('hello')", 5),
    value("toString()", "toString(11.5)", "11.5"),
    value("toString()", "toString('already a string')", "already a string"),
    value("toString()", "toString(true)", "true"),
    value("toString()", "toString(2.3)", "2.3"),
    value("toString()", "toString(1.0e20)", "1.0E20"),
    value("toString()", "toString(123)", "123"),
    value("toString()", "toString(null)", None),
    value("toStringOrNull()", "toStringOrNull(['A', 'B'])", None),
    value("toStringOrNull()", "toStringOrNull(3.5)", "3.5"),
    value("string concatenation +", "'Neo' + '4j'", "Neo4j"),
    value("string concatenation ||", "'Neo' || '4j'", "Neo4j"),
    Refused("string + number", "RETURN 'a' + 1", "operator +"),
    Refused("normalize()", "RETURN normalize('\\u212B')", "normalize()"),
    # --- string operators and predicates --------------------------------------------------
    value("STARTS WITH", "'hello' STARTS WITH 'he'", True),
    value("ENDS WITH", "'hello' ENDS WITH 'lo'", True),
    value("CONTAINS", "'hello' CONTAINS 'ell'", True),
    value("CONTAINS", "'hello' CONTAINS 'xyz'", False),
    value("STARTS WITH", "null STARTS WITH 'a'", None),
    value("=~ regular expression", "'hello' =~ 'h.*o'", True),
    value("=~ regular expression", "'hello' =~ 'ell'", False),
    # --- scalar functions --------------------------------------------------------------------
    value("coalesce()", "coalesce(null, 'a', 'b')", "a"),
    value("coalesce()", "coalesce(null, null)", None),
    value("head()", "head([1, 2, 3])", 1),
    value("head()", "head([])", None),
    value("last()", "last([1, 2, 3])", 3),
    value("size()", "size([1, 2, 3])", 3),
    value("size()", "size(null)", None),
    value("nullIf()", "nullIf(4, 4)", None),
    value("nullIf()", "nullIf('abc', 'def')", "abc"),
    value("randomUUID()", "size(randomUUID())", 36),
    value("timestamp()", "timestamp() > 1400000000000", True),
    value("toInteger()", "toInteger('42')", 42),
    value("toInteger()", "toInteger('not a number')", None),
    value("toInteger()", "toInteger(2.7)", 2),
    value("toInteger()", "toInteger(-2.7)", -2),
    value("toInteger()", "toInteger(true)", 1),
    value("toInteger()", "toInteger('2.9')", 2),
    value("toIntegerOrNull()", "toIntegerOrNull('hello')", None),
    value("toIntegerOrNull()", "toIntegerOrNull(['A'])", None),
    value("toFloat()", "toFloat('11.5')", 11.5),
    value("toFloat()", "toFloat('not a number')", None),
    value("toFloat()", "toFloat(1)", 1.0),
    value("toFloatOrNull()", "toFloatOrNull(true)", None),
    value("toBoolean()", "toBoolean('TRUE')", True),
    value("toBoolean()", "toBoolean('not a boolean')", None),
    value("toBoolean()", "toBoolean(0)", False),
    value("toBooleanOrNull()", "toBooleanOrNull(1.5)", None),
    Refused("valueType()", "RETURN valueType(1)", "valueType()"),
    Refused("toIntegerList()", "RETURN toIntegerList(['1', '2'])", "toIntegerList()"),
    # --- list functions and expressions -----------------------------------------------------
    value("range()", "range(0, 10)", list(range(0, 11))),
    value("range()", "range(2, 18, 3)", [2, 5, 8, 11, 14, 17]),
    value("range()", "range(10, 0, -3)", [10, 7, 4, 1]),
    value("reverse() of a list", "reverse([1, 2, 3])", [3, 2, 1]),
    value("tail()", "tail([1, 2, 3])", [2, 3]),
    value("keys() of a map", "keys({a: 1, b: 2})", ["a", "b"]),
    value("properties() of a map", "properties({a: 1})", {"a": 1}),
    Refused("reduce()", "RETURN reduce(total = 0, n IN [1, 2, 3] | total + n)", "reduce()"),
    value("list comprehension", "[x IN range(0, 10) WHERE x % 2 = 0 | x ^ 3]", [0.0, 8.0, 64.0, 216.0, 512.0, 1000.0]),
    value("list comprehension", "[x IN range(0, 10) WHERE x % 2 = 0]", [0, 2, 4, 6, 8, 10]),
    value("list comprehension", "[x IN [1, 2, 3] | x * 10]", [10, 20, 30]),
    value("list index", "[1, 2, 3][0]", 1),
    value("list index", "[1, 2, 3][-1]", 3),
    value("list index", "[1, 2, 3][5]", None),
    value("list slice", "[1, 2, 3, 4][1..3]", [2, 3]),
    value("list slice", "[1, 2, 3][..2]", [1, 2]),
    value("list slice", "[1, 2, 3][1..]", [2, 3]),
    value("list slice", "[1, 2, 3][-2..]", [2, 3]),
    value("list concatenation", "[1, 2] + [3, 4]", [1, 2, 3, 4]),
    value("IN", "1 IN [1, 2, 3]", True),
    value("IN", "4 IN [1, 2, 3]", False),
    value("IN with null", "null IN [1, 2]", None),
    value("IN with null", "1 IN [null, 2]", None),
    value("IN with null", "2 IN [null, 2]", True),
    value("IN with null", "null IN []", False),
    value("IN with null", "[1, 2] IN [[null, 2], [1, 3]]", None),
    value("IN with null", "[1, 2] IN [[1, 2], [null, 3]]", True),
    rows("IN with null", "WITH [1, null] AS l RETURN 3 IN l AS a, 1 IN l AS b", ("a", "b"), (None, True)),
    value("IN with null", "[1 IN [null]]", [None]),
    rows(
        "IN with null",
        "WITH [1, null] AS l UNWIND [1, 3] AS i RETURN i, NOT (i IN l) AS n ORDER BY i",
        ("i", "n"),
        (1, False),
        (3, None),
    ),
    rows(
        "CASE",
        "UNWIND [999, 1001] AS i RETURN CASE WHEN i > 1000 THEN 'later' ELSE 'x' END AS t ORDER BY i",
        "t",
        "x",
        "later",
    ),
    value("isEmpty()", "isEmpty([])", True),
    value("isEmpty()", "isEmpty([1])", False),
    value("isEmpty()", "isEmpty('')", True),
    Refused("list of mixed types", "RETURN [1, 'a']", "list mixing"),
    Refused("list of mixed types", "RETURN [1, 2.5]", "list mixing"),
    Refused("list of mixed types", "RETURN reverse([4923, 'abc', 521, null, 487])", "list mixing"),
    # --- predicate functions -----------------------------------------------------------------
    value("any()", "any(x IN [1, 2, 3] WHERE x > 2)", True),
    value("all()", "all(x IN [1, 2, 3] WHERE x > 0)", True),
    value("none()", "none(x IN [1, 2, 3] WHERE x > 3)", True),
    value("single()", "single(x IN [1, 2, 3] WHERE x = 2)", True),
    # --- aggregating functions -----------------------------------------------------------
    rows("sum()", "UNWIND [1, 2, 3] AS x RETURN sum(x)", "sum(x)", 6),
    rows("sum()", "UNWIND [1.5, 2.5] AS x RETURN sum(x)", "sum(x)", 4.0),
    rows("avg()", "UNWIND [1, 2, 3] AS x RETURN avg(x)", "avg(x)", 2.0),
    rows("min()", "UNWIND [3, 1, 2] AS x RETURN min(x)", "min(x)", 1),
    rows("max()", "UNWIND [3, 1, 2] AS x RETURN max(x)", "max(x)", 3),
    rows("min()", "UNWIND ['b', 'a'] AS x RETURN min(x)", "min(x)", "a"),
    rows("max()", "UNWIND [0.5, 0.2] AS x RETURN max(x)", "max(x)", 0.5),
    rows("count()", "UNWIND [1, null, 2] AS x RETURN count(x)", "count(x)", 2),
    rows("count()", "UNWIND [1, null, 2] AS x RETURN count(*)", "count(*)", 3),
    rows("count()", "UNWIND [1, 1, 2] AS x RETURN count(DISTINCT x)", "count(DISTINCT x)", 2),
    rows("collect()", "UNWIND [1, null, 2] AS x RETURN collect(x)", "collect(x)", [1, 2]),
    rows("collect()", "UNWIND [1, 1, 2] AS x RETURN collect(DISTINCT x) AS c", "c", [1, 2]),
    rows("collect()", "UNWIND [] AS x RETURN collect(x) AS c", "c", []),
    rows("sum()", "UNWIND [] AS x RETURN sum(x) AS s", "s", 0),
    rows("avg()", "UNWIND [] AS x RETURN avg(x) AS a", "a", None),
    rows("count()", "UNWIND [] AS x RETURN count(*) AS n", "n", 0),
    Refused("stDev()", "UNWIND [1, 2] AS x RETURN stDev(x)", "stDev()"),
    rows("percentileCont()", "UNWIND [1, 2] AS x RETURN percentileCont(x, 0.5)", "percentileCont(x, 0.5)", 1.5),
    rows("percentileDisc()", "UNWIND [1, 2] AS x RETURN percentileDisc(x, 0.5)", "percentileDisc(x, 0.5)", 1),
    Refused("min() of mixed types", "UNWIND [1, 'a', 0.2] AS x RETURN min(x)", "list mixing"),
    # --- arithmetic ----------------------------------------------------------------------------
    value("arithmetic", "1 + 2", 3),
    value("arithmetic", "2 * 3.0", 6.0),
    value("arithmetic", "7 / 2", 3),
    value("arithmetic", "-7 / 2", -3),
    value("arithmetic", "7.0 / 2", 3.5),
    value("arithmetic", "7 % 3", 1),
    value("arithmetic", "-7 % 3", -1),
    value("arithmetic", "2 ^ 3", 8.0),
    value("arithmetic", "-(3)", -3),
    Invalid("integer overflow", "RETURN 9223372036854775807 + 1", "long overflow"),
    Invalid("integer literal too large", "RETURN -9223372036854775809", "integer is too large"),
    Invalid("integer literal too large", "RETURN 9223372036854775808", "integer is too large"),
    value("integer limits", "-9223372036854775808", -9223372036854775808),
    value("integer limits", "9223372036854775807", 9223372036854775807),
    # --- comparison and boolean operators ----------------------------------------------------
    value("comparison", "1 = 1.0", True),
    value("comparison of string and number", "'1.0' = 1.0", False),
    value("comparison of string and number", "'1' = 1", False),
    value("comparison of string and number", "'1' <> 1", True),
    value("comparison of string and number", "'1' < 2", None),
    value("comparison of boolean and string", "true = 'true'", False),
    rows("comparison of string and number", "WITH '1.0' AS s RETURN s = 1.0 AS eq", "eq", False),
    rows("comparison of string and number", "UNWIND ['1', 'a'] AS s RETURN s = 1 AS eq", "eq", False, False),
    rows(
        "comparison of string and number",
        "WITH '1.0' AS s, 1.0 AS x RETURN s = x AS eq, s <> x AS ne, s < x AS lt",
        ("eq", "ne", "lt"),
        (False, True, None),
    ),
    rows("comparison", "UNWIND [1, 2] AS a WITH a, 2 AS b RETURN a = b AS eq ORDER BY a", "eq", False, True),
    value("comparison", "1 < 2", True),
    value("comparison", "'a' < 'b'", True),
    value("comparison", "1 <> 2", True),
    value("comparison", "[1, 2] = [1, 2]", True),
    value("comparison with null", "null = null", None),
    value("comparison with null", "1 < null", None),
    value("IS NULL", "null IS NULL", True),
    value("IS NOT NULL", "1 IS NOT NULL", True),
    value("NaN", "0.0 / 0.0 = 0.0 / 0.0", False),
    value("NaN", "0.0 / 0.0 < 1", False),
    value("NaN", "0.0 / 0.0 > 1", False),
    value("NaN", "0.0 / 0.0 <> 1", True),
    value("boolean operators", "true AND null", None),
    value("boolean operators", "false AND null", False),
    value("boolean operators", "true OR null", True),
    value("boolean operators", "NOT null", None),
    value("boolean operators", "true XOR false", True),
    value("boolean operators", "NOT (1 > 2)", True),
    # --- CASE ------------------------------------------------------------------------------------
    value("CASE", "CASE 2 WHEN 1 THEN 'one' WHEN 2 THEN 'two' ELSE 'other' END", "two"),
    value("CASE", "CASE WHEN 1 > 2 THEN 'a' ELSE 'b' END", "b"),
    value("CASE", "CASE WHEN 1 > 2 THEN 'a' END", None),
    # A CASE as a WHEN condition: true takes the branch, false and null fall through (Cypher
    # manual, "Conditional expressions (CASE)", expressions/conditional-expressions).
    rows(
        "CASE inside a CASE condition",
        "UNWIND [1, 2, 3] AS i RETURN CASE WHEN CASE WHEN i = 1 THEN true WHEN i = 2 THEN null ELSE false END "
        "THEN 'yes' ELSE 'no' END AS t ORDER BY i",
        "t", "yes", "no", "no",
    ),
    rows(
        "CASE inside a CASE condition",
        "UNWIND [1, 2] AS i RETURN CASE WHEN (CASE WHEN i = 1 THEN true ELSE false END) AND true "
        "THEN 'yes' ELSE 'no' END AS t ORDER BY i",
        "t", "yes", "no",
    ),
    rows(
        "CASE inside a CASE condition",
        "UNWIND [1, 2] AS i RETURN CASE WHEN NOT CASE i WHEN 1 THEN true ELSE false END "
        "THEN 'not one' ELSE 'one' END AS t ORDER BY i",
        "t", "one", "not one",
    ),
    # --- maps ------------------------------------------------------------------------------------
    value("map", "{a: 1, b: 'x'}", {"a": 1, "b": "x"}),
    value("map access", "{a: 1, b: 'x'}.a", 1),
    value("map access", "{a: {b: 2}}.a.b", 2),
    value("map access", "{a: 1}['a']", 1),
    Refused("map access to a missing key", "RETURN {a: 1}.missing", "reading key 'missing'"),
    rows("map access", "WITH {nestedMap: {name: {name2: 'x'}}} AS m RETURN m.nestedMap.name.name2", "m.nestedMap.name.name2", "x"),
    rows("map projection", "WITH {a: 1, b: 2} AS m RETURN m {.a} AS p", "p", {"a": 1}),
    rows("map projection", "WITH {a: 1, b: 2} AS m RETURN m {.a, c: 3} AS p", "p", {"a": 1, "c": 3}),
    Refused("map keys that differ in case", "RETURN {name: 'Mats', Name: 'Pontus'}.Name", "map with keys that differ only in case"),
    rows("keys() of a map", "WITH {k: 1, z: null} AS m RETURN keys(m) AS k", "k", ["k", "z"]),
    rows("properties() of a map", "WITH {k: 1, z: null} AS m RETURN properties(m) AS p", "p", {"k": 1, "z": None}),
    rows(
        "keys() and properties() of a node",
        "OPTIONAL MATCH (n:Company {id: 'no such company'}) RETURN keys(n), properties(n)",
        ("keys(n)", "properties(n)"),
        (None, None),
    ),
    Refused("keys() inside an expression", "MATCH (n:Company) RETURN size(keys(n)) AS k LIMIT 1", "keys() inside an expression"),
    # --- RETURN ------------------------------------------------------------------------------
    rows("RETURN", "RETURN 1 AS a, 'b' AS b", ("a", "b"), (1, "b")),
    rows("RETURN *", "WITH 1 AS a, 2 AS b RETURN *", ("a", "b"), (1, 2)),
    rows("RETURN DISTINCT", "UNWIND [1, 1, 2] AS x RETURN DISTINCT x ORDER BY x", "x", 1, 2),
    rows("RETURN", "RETURN 1 + 1", "1 + 1", 2),
    rows("RETURN", "RETURN 'x' AS `odd name`", "odd name", "x"),
    Invalid("duplicate column names", "RETURN 1 AS a, 2 AS a", "Multiple result columns with the same name"),
    Invalid("duplicate column names", "WITH 1 AS a, 2 AS a RETURN a", "Multiple result columns with the same name"),
    Invalid("variable not defined", "RETURN foo", "Variable `foo` not defined (line 1, column 8)"),
    Invalid("variable not defined", "WITH 1 AS a RETURN a, b", "Variable `b` not defined"),
    # --- UNWIND ------------------------------------------------------------------------------
    rows("UNWIND", "UNWIND [1, 2, 3, null] AS x RETURN x, 'val' AS y", ("x", "y"), (1, "val"), (2, "val"), (3, "val"), (None, "val")),
    rows(
        "UNWIND",
        "WITH [1, 1, 2, 2] AS coll UNWIND coll AS x WITH DISTINCT x RETURN collect(x) AS setOfVals",
        "setOfVals",
        [1, 2],
    ),
    rows("UNWIND", "UNWIND [] AS empty RETURN empty, 'literal_that_is_not_returned'", ("empty", "'literal_that_is_not_returned'")),
    rows("UNWIND", "UNWIND [1, 2] AS a UNWIND [3, 4] AS b RETURN a, b", ("a", "b"), (1, 3), (1, 4), (2, 3), (2, 4)),
    rows("UNWIND", "UNWIND range(1, 3) AS x RETURN x * 2 AS y", "y", 2, 4, 6),
    rows("UNWIND", "WITH [[1, 2], [3]] AS nested UNWIND nested AS x UNWIND x AS y RETURN y", "y", 1, 2, 3),
    Refused("UNWIND of mixed types", "WITH [[1, 2], [3, 4], 5] AS nested UNWIND nested AS x UNWIND x AS y RETURN y", "list mixing"),
    # --- WITH --------------------------------------------------------------------------------
    rows("WITH … WHERE", "UNWIND range(1, 5) AS x WITH x WHERE x > 3 RETURN collect(x) AS xs", "xs", [4, 5]),
    rows("WITH … ORDER BY", "UNWIND [3, 1, 2] AS x WITH x ORDER BY x DESC LIMIT 2 RETURN collect(x) AS xs", "xs", [3, 2]),
    rows("WITH", "WITH 2 AS a WITH a * 2 AS b RETURN b", "b", 4),
    rows(
        "aggregation with grouping",
        "UNWIND [{k: 'a', v: 1}, {k: 'a', v: 2}, {k: 'b', v: 3}] AS m RETURN m.k AS k, sum(m.v) AS s ORDER BY k",
        ("k", "s"),
        ("a", 3),
        ("b", 3),
    ),
    # --- ORDER BY, SKIP, LIMIT -------------------------------------------------------------------
    rows("ORDER BY", "UNWIND [3, 1, 2] AS x RETURN x ORDER BY x", "x", 1, 2, 3),
    rows("ORDER BY", "UNWIND [3, 1, 2] AS x RETURN x ORDER BY x DESC", "x", 3, 2, 1),
    rows("ORDER BY with null", "UNWIND [3, null, 1] AS x RETURN x ORDER BY x", "x", 1, 3, None),
    rows("ORDER BY with null", "UNWIND [3, null, 1] AS x RETURN x ORDER BY x DESC", "x", None, 3, 1),
    rows("ORDER BY", "UNWIND ['b', 'a', 'c'] AS x RETURN x ORDER BY x", "x", "a", "b", "c"),
    rows("SKIP and LIMIT", "UNWIND range(1, 5) AS x RETURN x ORDER BY x SKIP 1 LIMIT 2", "x", 2, 3),
    rows("LIMIT", "UNWIND range(1, 5) AS x RETURN x ORDER BY x LIMIT 0", "x"),
    rows("SKIP", "UNWIND range(1, 3) AS x RETURN x ORDER BY x SKIP 5", "x"),
    # NaN is ordered above every number (infinity too) and below null: last but null ascending,
    # first after null descending. Cypher manual, "Equality, ordering, and comparison of value
    # types" (values-and-types/ordering-equality-comparison) and clauses/order-by.
    rows("ORDER BY with NaN", "UNWIND [1.0, 0.0 / 0.0, -1.0, null] AS x RETURN x ORDER BY x", "x", -1.0, 1.0, NAN, None),
    rows("ORDER BY with NaN", "UNWIND [1.0, 0.0 / 0.0, -1.0, null] AS x RETURN x ORDER BY x DESC", "x", None, NAN, 1.0, -1.0),
    rows("ORDER BY with NaN", "UNWIND [1.0 / 0.0, 0.0 / 0.0, -1.0 / 0.0, 2.0] AS x RETURN x ORDER BY x", "x",
         -math.inf, 2.0, math.inf, NAN),
    rows("ORDER BY with NaN", "UNWIND [2.0, 0.0 / 0.0, 1.0] AS x WITH x ORDER BY x DESC RETURN collect(x) AS xs", "xs",
         [NAN, 2.0, 1.0]),
    rows("ORDER BY with NaN", "UNWIND [{k: 'a', v: 0.0 / 0.0}, {k: 'b', v: 1.0}] AS m RETURN m.k AS k ORDER BY m.v", "k",
         "b", "a"),
    # --- UNION -------------------------------------------------------------------------------
    rows("UNION", "RETURN 1 AS x UNION RETURN 1 AS x", "x", 1),
    rows("UNION ALL", "RETURN 1 AS x UNION ALL RETURN 1 AS x", "x", 1, 1),
    Invalid("UNION with other columns", "RETURN 1 AS a UNION RETURN 2 AS b", "same return column names"),
    # --- clauses the embedded engine does not have ---------------------------------------------
    Refused("CALL { … } subquery", "CALL () { RETURN 1 AS x } RETURN x", "CALL { … } subquery"),
    Refused("COLLECT { … } subquery", "RETURN COLLECT { UNWIND [1, 2] AS x RETURN x } AS xs", "COLLECT { … } subquery"),
    Refused("procedures", "CALL db.labels()", "procedure db.labels()"),
    Refused("SHOW", "SHOW FUNCTIONS", "SHOW FUNCTIONS"),
    Refused("type predicate IS ::", "RETURN 1 IS :: INTEGER", "type predicate"),
    Refused("pattern comprehension", "MATCH (c:Company) RETURN [(c)-->(x) | x.id] AS xs LIMIT 1", "pattern comprehension"),
    Refused("quantified path pattern", "MATCH ((a)-->(b)){1,2} RETURN a LIMIT 1", "quantified path pattern"),
    Refused("path selector", "MATCH ANY SHORTEST (a)-->(b) RETURN a LIMIT 1", "path selector"),
    # --- MATCH on ecograph's data (answers that do not depend on the data) --------------------
    rows("OPTIONAL MATCH", "OPTIONAL MATCH (n:Company {id: 'no such company'}) RETURN n", "n", None),
    rows("OPTIONAL MATCH", "OPTIONAL MATCH (n:Company {id: 'no such company'}) RETURN n.id, labels(n)", ("n.id", "labels(n)"), (None, None)),
    rows("MATCH … WHERE", "MATCH (n:Company) WHERE n.id = 'no such company' RETURN count(n) AS n", "n", 0),
    rows("COUNT { … } subquery", "RETURN COUNT { MATCH (n:Company) } > 0 AS found", "found", True),
    rows("EXISTS { … } subquery", "RETURN EXISTS { MATCH (n:Company) WHERE n.id = 'no such company' } AS e", "e", False),
    rows("label predicate", "MATCH (n:Company) WHERE n:Company RETURN count(*) > 0 AS ok", "ok", True),
    rows("type()", "MATCH (:Company)-[r:OWNS]->() RETURN DISTINCT type(r) AS t", "t", "OWNS"),
    # id() is an INTEGER (deprecated in Neo4j 5, still answered) and finds its node or
    # relationship again; elementId() a STRING (Cypher manual, functions/scalar: id(), elementId()).
    rows("id()", "MATCH (n:Company) WITH n LIMIT 1 RETURN toInteger(id(n)) = id(n) AS isInteger, id(n) >= 0 AS nonNegative",
         ("isInteger", "nonNegative"), (True, True)),
    rows("id()", "MATCH (n:Company) WITH id(n) AS i LIMIT 1 MATCH (m) WHERE id(m) = i RETURN count(m) AS found", "found", 1),
    rows("id()", "MATCH ()-[r:OWNS]->() WITH id(r) AS i LIMIT 1 MATCH ()-[s]->() WHERE id(s) = i RETURN count(s) AS found",
         "found", 1),
    rows("elementId()", "MATCH (n:Company) WITH n LIMIT 1 RETURN toString(elementId(n)) = elementId(n) AS isString",
         "isString", True),
    rows("elementId()", "MATCH (n:Company) WITH elementId(n) AS e LIMIT 1 MATCH (m) WHERE elementId(m) = e "
         "RETURN count(m) AS found", "found", 1),
    rows("id()", "OPTIONAL MATCH (n:Company {id: 'no such company'}) RETURN id(n), elementId(n)",
         ("id(n)", "elementId(n)"), (None, None)),
    rows("comparison on the data", "MATCH (n:Company) WHERE n.id = 1 RETURN count(*) AS n", "n", 0),
    rows("IN on the data", "MATCH (n:Company) WHERE n.id IN [null] RETURN count(*) AS n", "n", 0),
    # --- temporal: dates -----------------------------------------------------------------
    value("date()", "date('2015-07-21')", "2015-07-21"),
    value("date()", "date('20150721')", "2015-07-21"),
    value("date()", "date('2015-07')", "2015-07-01"),
    value("date()", "date('201507')", "2015-07-01"),
    value("date()", "date('2015-W30-2')", "2015-07-21"),
    value("date()", "date('2015W302')", "2015-07-21"),
    value("date()", "date('2015-W30')", "2015-07-20"),
    value("date()", "date('2015-202')", "2015-07-21"),
    value("date()", "date('2015')", "2015-01-01"),
    value("date()", "date({year: 1984, month: 10, day: 11})", "1984-10-11"),
    value("date()", "date({year: 1984})", "1984-01-01"),
    value("date()", "date(null)", None),
    value("date accessors", "date('2015-07-21').year", 2015),
    value("date accessors", "date('2015-07-21').month", 7),
    value("date accessors", "date('2015-07-21').day", 21),
    value("date accessors", "date('2015-07-21').quarter", 3),
    value("date accessors", "date('2015-07-21').week", 30),
    value("date accessors", "date('2015-07-21').dayOfWeek", 2),
    value("date accessors", "date('2015-07-19').dayOfWeek", 7),
    value("date comparison", "date('2015-07-21') < date('2016-01-01')", True),
    value("date comparison", "date('2015-07-21') = date('2015-07-21')", True),
    value("date comparison", "date('2015-07-21') = '2015-07-21'", False),
    rows("date()", "UNWIND ['2014', '2014-10', '2014-10-16'] AS d RETURN date(d) AS d", "d", "2014-01-01", "2014-10-01", "2014-10-16"),
    rows(
        "date() of the data",
        "MATCH ()-[r]->() WHERE r.year IS NOT NULL WITH r LIMIT 1 RETURN date({year: r.year}).year = r.year AS same",
        "same",
        True,
    ),
    rows(
        "date() of the data",
        "MATCH ()-[r]->() WHERE r.date IS NOT NULL WITH r LIMIT 1 "
        "RETURN date(r.date).year = toInteger(left(r.date, 4)) AS same",
        "same",
        True,
    ),
    rows("date() of a parameter", "RETURN date($d) AS d", "d", "2015-07-21"),
    Invalid("date()", "RETURN date('2015-13-45')", "Text cannot be parsed to a Date"),
    Refused("date()", "RETURN date({year: 1984, week: 10, dayOfWeek: 3})", "date() from a map"),
    Refused("date accessors", "WITH date('2015-07-21') AS d RETURN d.year", "accessor"),
    Refused("date accessors", "RETURN date('2015-07-21').ordinalDay", "date accessor .ordinalDay"),
    Refused("datetime()", "RETURN datetime('2015-07-21T21:40:32.142+01:00')", "datetime()"),
    Refused("datetime()", "RETURN datetime({year: 1984, month: 10, day: 11, hour: 12})", "datetime()"),
    Refused("localdatetime()", "RETURN localdatetime('2015-07-21T21:40:32.142')", "localdatetime()"),
    Refused("localtime()", "RETURN localtime('21:40:32')", "localtime()"),
    Refused("time()", "RETURN time('21:40:32+01:00')", "time()"),
    Refused("duration()", "RETURN duration('P14DT16H12M')", "duration()"),
    Refused("duration()", "RETURN duration({days: 14, hours: 16})", "duration()"),
    Refused("duration.between()", "RETURN duration.between(date('1984-10-11'), date('2015-06-24'))", "function duration.between()"),
    Refused("date arithmetic", "RETURN date('2015-07-21') + duration('P1M')", "duration()"),
    # Temporal operators take a DURATION beside an instant, nothing else (Cypher manual,
    # expressions/temporal-operators); Neo4j's type check: "Type mismatch: expected Duration but
    # was Date" (and "… but was Integer" for date + 1, date - 1).
    Invalid("date arithmetic", "RETURN date('2015-07-21') - date('2015-06-24')", "Type mismatch: expected Duration but was Date"),
    Invalid("date arithmetic", "RETURN date('2015-07-21') + 1", "Type mismatch: expected Duration"),
    Invalid("date arithmetic", "WITH date('2015-07-21') AS d RETURN d - 1 AS yesterday", "Type mismatch: expected Duration"),
    # The components of a duration between two dates (Cypher manual, functions/temporal/duration:
    # duration.between(date("1984-10-11"), date("1985-11-25")) is P1Y1M14D, the other way
    # P-1Y-1M-14D, duration.inMonths() P1Y1M, duration.inDays() P410D; values-and-types/temporal,
    # "Components of durations": years, months, weeks, days, monthsOfYear, daysOfWeek).
    rows(
        "duration.between()",
        "WITH duration.between(date('1984-10-11'), date('1985-11-25')).years AS y, "
        "duration.between(date('1984-10-11'), date('1985-11-25')).months AS m, "
        "duration.between(date('1984-10-11'), date('1985-11-25')).days AS d RETURN y, m, d",
        ("y", "m", "d"),
        (1, 13, 14),
    ),
    rows(
        "duration.between()",
        "RETURN duration.between(date('1985-11-25'), date('1984-10-11')).months AS m, "
        "duration.between(date('1985-11-25'), date('1984-10-11')).days AS d",
        ("m", "d"),
        (-13, -14),
    ),
    rows(
        "duration.between()",
        "RETURN duration.between(date('1984-10-11'), date('2015-06-24')).monthsOfYear AS m, "
        "duration.between(date('1984-10-11'), date('2015-06-24')).years AS y",
        ("m", "y"),
        (8, 30),
    ),
    value("duration.inMonths()", "duration.inMonths(date('1984-10-11'), date('1985-11-25')).months", 13),
    value("duration.inMonths()", "duration.inMonths(date('1984-10-11'), date('1985-11-25')).days", 0),
    value("duration.inDays()", "duration.inDays(date('1984-10-11'), date('1985-11-25')).days", 410),
    value("duration.inDays()", "duration.inDays(date('1984-10-11'), date('1985-11-25')).weeks", 58),
    value("duration.inDays()", "duration.inDays(date('1984-10-11'), date('1985-11-25')).daysOfWeek", 4),
    rows(
        "duration.inDays() of the data",
        "MATCH ()-[r]->() WHERE r.date IS NOT NULL WITH r LIMIT 1 "
        "RETURN duration.inDays(date(r.date), date(r.date)).days AS d",
        "d",
        0,
    ),
    Refused("duration.inDays()", "MATCH ()-[r]->() RETURN duration.inDays(r.date, date()).days LIMIT 1",
            "function duration.inDays() of values not written as date(…)"),
    Refused("localdatetime arithmetic", "RETURN localdatetime('2015-07-21T21:40:32') + duration('PT1H')", "duration()"),
    Refused("localdatetime arithmetic", "RETURN localdatetime({year: 1984, month: 10, day: 11, hour: 12}).year",
            "localdatetime()"),
]


# ---------------------------------------------------------------------------------------------
# The README's list, generated from the table
# ---------------------------------------------------------------------------------------------

README = Path(__file__).resolve().parent.parent / "README.md"
BEGIN = "<!-- cypher-cases:begin (generated by python tests/cypher_cases.py --write-readme) -->"
END = "<!-- cypher-cases:end -->"


def readme_section() -> str:
    """What works and what does not on the embedded store, one list per outcome, from CASES."""
    import textwrap

    topics: dict[type, dict[str, None]] = {Answer: {}, Invalid: {}, Refused: {}}
    for case in CASES:
        topics[type(case)].setdefault(case.topic, None)
    answered, refused = topics[Answer], topics[Refused]

    def item(title: str, names: list[str]) -> str:
        text = f"- **{title}:** " + ", ".join(f"`{n}`" for n in names) + "."
        return textwrap.fill(text, width=100, subsequent_indent="  ", break_on_hyphens=False)

    return "\n".join(
        [
            BEGIN,
            textwrap.fill(
                f"Checked by `tests/test_cypher_cases.py` on {len(CASES)} statements built from Neo4j's Cypher "
                "manual: each gives Neo4j's answer (values, types, column names), or fails in one line.",
                width=100,
            ),
            "",
            item("Neo4j's answer", [t for t in answered if t not in refused]),
            item("Neo4j's answer in part, the rest refused by name", [t for t in answered if t in refused]),
            item("Refused as Neo4j refuses them", list(topics[Invalid])),
            item("Refused by name (use the Neo4j backend)", [t for t in refused if t not in answered]),
            END,
        ]
    )


def write_readme() -> None:
    text = README.read_text(encoding="utf-8")
    start, end = text.index(BEGIN), text.index(END) + len(END)
    README.write_text(text[:start] + readme_section() + text[end:], encoding="utf-8")


if __name__ == "__main__":
    if sys.argv[1:] == ["--write-readme"]:
        write_readme()
    else:
        answers = sum(isinstance(c, Answer) for c in CASES)
        print(f"{len(CASES)} statements: {answers} answers, "
              f"{sum(isinstance(c, Refused) for c in CASES)} refused by name, "
              f"{sum(isinstance(c, Invalid) for c in CASES)} invalid in Neo4j too")
