"""Engine errors in ecograph's words: :func:`engine_error` turns a LadybugDB exception
into one line (a position in the user's query, the construct, a suggestion).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ecograph.errors import QueryError, UnsupportedCypherError
from ecograph.query.dialect.conversions import FOLDS, ConversionError
from ecograph.query.dialect.tokens import tokenize
from ecograph.query.dialect.translate import translate
from ecograph.query.dialect.words import NEO4J_FUNCTIONS

_ENGINE_PREFIX = re.compile(r"^(?:[A-Z][a-z]+ )+exception: ")


_PYTHON_PREFIX = re.compile(r"^_?[A-Z]\w*(?:Error|Exception): ")


def engine_error(exc: Exception, query: str, model: Any = None) -> QueryError:
    """Turn a ladybug exception into one ``QueryError`` line (the exception becomes its cause).

    - ``function FOO does not exist`` -> ``UnsupportedCypherError("function foo()")`` when foo is
      a Neo4j function, else ``QueryError("unknown function foo()")``;
    - parser exceptions -> ``QueryError("syntax error at line L, column C: unexpected 'X'")``;
    - an unknown variable -> Neo4j's ``Variable `x` not defined (line L, column C)``;
    - the others :data:`_MESSAGES` knows -> ecograph's words, naming the construct;
    - anything else -> its first line, prefixed ``the embedded engine (LadybugDB) says:``.

    ``query`` is the query as the user wrote it (or as translated): it gives a function's
    spelling and the column of a syntax error in the user's text. ``model`` is the data's model
    (the shipped one when None): an unknown name is matched against its labels, types and properties.
    """
    if isinstance(exc, QueryError):
        return exc
    text = str(exc).strip()
    lines = text.splitlines() or [type(exc).__name__]
    err: QueryError | None = _unknown(lines[0], model)
    for pattern, handle in [] if err is not None else _MESSAGES:
        found = re.match(pattern, lines[0])
        if found and (err := handle(found, lines, query)) is not None:
            break
    if err is None:
        err = QueryError(f"the embedded engine (LadybugDB) says: {_engine_message(lines)}")
    err.__cause__ = exc
    return err


def _position(name: str, query: str) -> str:
    """``line L, column C`` of the first use of variable ``name`` in ``query``."""
    line, column = 1, 1
    previous = ""
    for tok in tokenize(query):
        if tok.kind in ("name", "quoted") and previous != "." and (tok.text == name or tok.text.strip("`") == name):
            return f"line {line}, column {column}"
        if tok.kind not in ("ws", "comment"):
            previous = tok.text
        newlines = tok.text.count("\n")
        line += newlines
        column = len(tok.text) - tok.text.rfind("\n") if newlines else column + len(tok.text)
    return "line 1, column 1"


def _not_in_scope(m: re.Match[str], lines: list[str], query: str) -> QueryError:
    return QueryError(f"Variable `{m.group(1)}` not defined ({_position(m.group(1), query)})")


def _wrong_arguments(m: re.Match[str], lines: list[str], query: str) -> QueryError | None:
    """keys()/properties() of a map that is not a literal, and the like."""
    name, actual = m.group(1).lower(), " ".join(" ".join(lines[1:3]).split())
    kind = re.search(r"Actual: \((\w+)", actual)
    if name in ("keys", "properties") and kind and kind.group(1) == "STRUCT":
        return UnsupportedCypherError(f"{name}() of a map value that is not written out in the query")
    return None


def _overflow(m: re.Match[str], lines: list[str], query: str) -> QueryError:
    return QueryError(f"long overflow: {m.group(1)} does not fit in a 64-bit integer")


def _property_of_value(m: re.Match[str], lines: list[str], query: str) -> QueryError:
    kind = m.group(2)
    if kind in ("DATE", "TIMESTAMP", "INTERVAL", "TIMESTAMP_TZ"):
        return UnsupportedCypherError(f"accessor (.year, .month …) on a {kind} value that is not written out in the query")
    return QueryError(f"{m.group(1)} is a {kind} value, which has no properties")


def _mixed_types(m: re.Match[str], lines: list[str], query: str) -> QueryError:
    return UnsupportedCypherError(f"mixing {m.group(1)} and {m.group(2)} values in one list or operation")


def _operator_types(m: re.Match[str], lines: list[str], query: str) -> QueryError:
    return UnsupportedCypherError(f"operator {m.group(1)} on {m.group(2).replace(',', ' and ')} values")


def _cast_failed(m: re.Match[str], lines: list[str], query: str) -> QueryError:
    return UnsupportedCypherError(f"comparing or combining the text {m.group(1)} with a {m.group(2)} value")


def _unparsed(m: re.Match[str], lines: list[str], query: str) -> QueryError:
    what = {"interval": "duration", "timestamp": "datetime"}.get(m.group(1), m.group(1))
    return UnsupportedCypherError(f"{what}() of the text {m.group(2)!r} (the embedded engine reads only YYYY-MM-DD dates)")


def _missing_key(m: re.Match[str], lines: list[str], query: str) -> QueryError:
    return UnsupportedCypherError(f"reading key {m.group(1)!r}, which the map does not have")


def _from_python(m: re.Match[str], lines: list[str], query: str) -> QueryError:
    """An ecograph function the rewrites call refused a value: its message is already ours."""
    return QueryError(_engine_message(lines))


def _missing(m: re.Match[str], lines: list[str], query: str) -> QueryError:
    return _missing_function(m.group(1), query)


def _uncastable(m: re.Match[str], lines: list[str], query: str) -> QueryError | None:
    return _unconvertible(m.group(1), query)


def _syntax(m: re.Match[str], lines: list[str], query: str) -> QueryError:
    return QueryError(_syntax_message(lines, query))


def _unknown(first_line: str, model: Any) -> QueryError | None:
    """A label, type or property the data's model does not have, or None for another error."""
    table = re.match(r"Binder exception: Table (\S+) does not exist\.", first_line)
    if table:
        return QueryError(_unknown_name(table.group(1), model))
    prop = re.match(r"Binder exception: Cannot find property (\S+) for (\S+)\.", first_line)
    return QueryError(_unknown_property(prop.group(1), prop.group(2), model)) if prop else None


# The engine's first line -> ecograph's words (a handler answering None passes it on).
_MESSAGES: list[tuple[str, Callable[[re.Match[str], list[str], str], QueryError | None]]] = [
    (r"Runtime exception: _?[A-Z]\w*(?:Error|Exception): ", _from_python),
    (r"Catalog exception: function (\S+) does not exist", _missing),
    (r"Conversion exception: Unsupported casting function from (\S+) to DOUBLE", _uncastable),
    (r"Parser exception:", _syntax),
    (r"Binder exception: Variable (\S+) is not in scope", _not_in_scope),
    (r"Binder exception: Function (\w+) did not receive correct arguments", _wrong_arguments),
    (r"Overflow exception: Value (.*) is not within INT64 range", _overflow),
    (r"Binder exception: (.*) has data type (\w+) but \(NODE,REL,STRUCT,ANY\) was expected", _property_of_value),
    (r"Binder exception: Expression .* has data type (\w+) but expected (\w+)\. Implicit cast", _mixed_types),
    (r"Binder exception: Cannot match a built-in function for given function (\S+)\((.*)\)\.", _operator_types),
    (r"Binder exception: Invalid struct field name: (\S+?)\.?$", _missing_key),
    (r'Conversion exception: Error occurred during parsing (\w+)\. Given: "(.*?)"', _unparsed),
    (r"Conversion exception: Cast failed\. Could not convert (\S+) to (\w+)", _cast_failed),
]


def _did_you_mean(name: str, options: list[str]) -> str:
    import difflib

    by_lower = {o.lower(): o for o in options}
    close = difflib.get_close_matches(name.lower(), list(by_lower), n=1, cutoff=0.6)
    return f" (did you mean {by_lower[close[0]]!r}?)" if close else ""


def _unknown_name(name: str, model: Any = None) -> str:
    """The data has no such label or type (LadybugDB calls both tables)."""
    from ecograph.data import schema

    model = model if model is not None else schema.SHIPPED
    labels, types = list(model.labels), list(model.types)
    return f"no label or relationship type {name!r} in the data{_did_you_mean(name, labels + types)}; `ecograph schema` lists them"


def _unknown_property(name: str, variable: str, model: Any = None) -> str:
    """No node or relationship ``variable`` can be has that property."""
    from ecograph.data import schema

    known = (model if model is not None else schema.SHIPPED).property_names()
    return f"{variable} has no property {name!r}{_did_you_mean(name, known)}; `ecograph schema` lists the properties"


def _missing_function(name: str, query: str) -> QueryError:
    neo4j = NEO4J_FUNCTIONS.get(name.lower())
    if neo4j:
        return UnsupportedCypherError(f"function {neo4j}()")
    if name.lower().startswith("ecograph_"):
        return QueryError(
            f"function {name.lower()}() is not registered; call ecograph.query.dialect.register_functions(conn)"
        )
    spelled = next(
        (t.text for t in tokenize(query) if t.kind == "name" and t.text.lower() == name.lower()), name.lower()
    )
    return QueryError(f"unknown function {spelled}()")


def _unconvertible(type_name: str, query: str) -> QueryError | None:
    """A conversion (toInteger(x) …) of a list, map, boolean or date: the cast to DOUBLE that
    the rewrite adds does not bind for those. Say what Neo4j would say, or that it cannot be run
    (None if the query converts nothing)."""
    if "ecograph_to_" not in query:  # given the query as the user wrote it
        try:
            query = translate(query)
        except QueryError:
            pass
    used = set(re.findall(r"ecograph_to_(integer|float|string|boolean)(_or_null)?\b", query))
    if not used:
        return None
    if len(used) > 1:
        return UnsupportedCypherError(f"conversion of a {type_name} value")
    target, or_null = used.pop()
    neo4j = f"to{target.capitalize()}{'OrNull' if or_null else ''}"
    if not or_null:
        convert, _ = FOLDS[neo4j.lower()]
        try:
            convert(type_name, "", None)
        except ConversionError as e:
            return QueryError(str(e))
    return UnsupportedCypherError(f"{neo4j}() of a {type_name} value")


def _syntax_message(lines: list[str], query: str) -> str:
    """``Parser exception: … (line: 1, offset: 17)`` + the line + a caret line -> one line.

    The engine's column is in the text it ran. When ``query`` is the text the user wrote, the
    column is moved to the place there whose surroundings match best.
    """
    where = re.search(r"\(line: (\d+), offset: (\d+)\)", lines[0])
    line, column = (int(where.group(1)), int(where.group(2)) + 1) if where else (1, 1)
    found = ""
    carets = next((k for k, s in enumerate(lines) if s.strip() and set(s.strip()) == {"^"}), None)
    ran = ""
    if carets is not None and carets > 0:
        ran = lines[carets - 1][1:-1]  # the engine quotes the line
        start = lines[carets].index("^") - 1
        found = ran[start : start + lines[carets].count("^")].strip()
    if not found:
        quoted = re.search(r"input '(.*?)'", lines[0])
        found = quoted.group(1) if quoted else ""
    if found in ("", "<EOF>"):
        return f"syntax error at line {line}, column {column}: unexpected end of input"
    written = query.splitlines()[line - 1] if 0 < line <= len(query.splitlines()) else ""
    candidates = [m.start() for m in re.finditer(re.escape(found), written)]
    if ran and candidates:
        column = 1 + max(candidates, key=lambda at: _shared_context(written, at, ran, column - 1))
    return f"syntax error at line {line}, column {column}: unexpected {found!r}"


def _shared_context(a: str, i: int, b: str, j: int) -> int:
    """How many characters around ``a[i]`` and ``b[j]`` agree (before and after)."""
    before = 0
    while before < min(i, j) and a[i - before - 1] == b[j - before - 1]:
        before += 1
    after = 0
    while i + after < len(a) and j + after < len(b) and a[i + after] == b[j + after]:
        after += 1
    return before + after


def _engine_message(lines: list[str]) -> str:
    """The first line without the engine's prefix; an argument mismatch keeps its two lines
    (``Actual: …``/``Expected: …``) folded in, a list of supported inputs is dropped."""
    first = _PYTHON_PREFIX.sub("", _ENGINE_PREFIX.sub("", lines[0]))
    first = first.replace(". Supported inputs are", ".").rstrip()
    if first.endswith(":"):
        detail = []
        for line in lines[1:]:
            s = " ".join(line.split())
            if not s or s.startswith("At:"):
                break
            detail.append(s)
        first = f"{first} {'; '.join(detail)}" if detail else first.rstrip(":")
    return " ".join(first.split())

