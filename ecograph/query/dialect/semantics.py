"""Neo4j's value semantics where LadybugDB's differ and would give another answer silently.

LadybugDB casts a string to a number (or a boolean) to compare them (``'1.0' = 1.0`` is true;
in Neo4j a string never equals a number), drops three-valued logic in ``IN`` (``1 IN [null, 2]``
is false; Neo4j says null), orders NaN below every number (``0.0/0.0 < 1`` is true; in Neo4j
every ordering comparison with NaN is false), widens ``[1, 2.5]`` to floats, reads map keys
case-insensitively and lets an integer literal run past 64 bits.

Each operand is given a static kind where the text tells it (a literal, a parameter's value, a
property whose type the data's schema fixes, a call whose result type is known). A comparison
of two known kinds that Neo4j never finds equal becomes its constant answer; one where a kind is
unknown gets a ``typeof()`` test; ``IN`` over a list that may hold null gets Neo4j's
three-valued answer. Literals LadybugDB would change are refused by name.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import Any

from ecograph.errors import QueryError, UnsupportedCypherError
from ecograph.query.dialect.clauses import CLAUSE_REGIONS, State
from ecograph.query.dialect.tokens import (
    Group,
    Item,
    Token,
    is_op,
    item_at,
    keyword_of,
    next_index,
    parse,
    prev_index,
    significant,
    split_items,
    string_value,
    text_of,
    unquote,
)
from ecograph.query.dialect.words import STRING_FUNCTIONS

_MAX_LONG = 2**63 - 1
_COMPARISONS = ("=", "<>", "<", ">", "<=", ">=")
# What may stand right before or after an operand whose extent is then certain.
_BOUNDARY_WORDS = frozenset(
    "AND OR XOR NOT WHERE RETURN WITH WHEN THEN ELSE END AS ORDER BY ASC DESC ASCENDING DESCENDING "
    "SKIP LIMIT UNWIND CASE DISTINCT".split()
)
_NUMBER_KINDS = ("integer", "float")
_INTEGER_FUNCTIONS = frozenset("size length count tointeger tointegerornull sign".split())
_FLOAT_FUNCTIONS = frozenset(
    "tofloat tofloatornull sqrt log log10 exp sin cos tan asin acos atan atan2 cot degrees radians "
    "haversin pi e rand avg".split()
)
# Calls that can give NaN: an ordering comparison with one of them is guarded.
_NAN_FUNCTIONS = frozenset("sqrt log log10 asin acos tofloat tofloatornull".split())
_ORDERING_MISMATCH = "CAST(NULL AS BOOL)"
_KNOWN = ("string", "integer", "float", "boolean")


def _kind_of_value(v: Any) -> str | None:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, int):
        return "integer"
    if isinstance(v, float):
        return "float"
    if isinstance(v, str):
        return "string"
    return "list" if isinstance(v, (list, tuple)) else "map" if isinstance(v, Mapping) else None


def _property_kinds(model: Any = None) -> dict[str, str]:
    """Property name -> kind, for the properties whose type is the same wherever they occur in
    ``model`` (the data's merged model; the shipped one when None)."""
    from ecograph.data import schema

    model = model if model is not None else schema.SHIPPED
    groups = (model.node_properties, model.relationship_properties, model.observation_properties)
    return _kinds_of(tuple((p.name, p.ladybug) for group in groups for p in group))


@functools.lru_cache(maxsize=8)
def _kinds_of(properties: tuple[tuple[str, str], ...]) -> dict[str, str]:
    kinds: dict[str, set[str]] = {}
    for name, ladybug in properties:
        kinds.setdefault(name, set()).add({"STRING": "string", "DOUBLE": "float", "INT64": "integer"}.get(ladybug, "list"))
    return {name: next(iter(k)) for name, k in kinds.items() if len(k) == 1}


def literal_kind(items: list[Item], st: State | None = None) -> str | None:
    """The kind of value an operand has, when its text tells it: ``string``, ``integer``,
    ``float``, ``boolean``, ``null``, ``list``, ``map``; None when only the engine knows."""
    sig = significant(items)
    toks = [items[j] for j in sig]
    if len(toks) == 2 and is_op(toks[0], "-", "+"):
        toks = toks[1:]
    if len(toks) == 1:
        return _single_kind(toks[0], st)
    if any(is_op(t, *_ARITHMETIC) for t in toks):
        return _arithmetic_kind(items, st)
    if len(toks) == 2 and isinstance(toks[1], Group) and toks[1].open.text == "(":
        name = (keyword_of(toks[0]) or "").lower()
        if name in STRING_FUNCTIONS:
            return "string"
        if name in ("date", "make_date"):
            return "date"
        if name in _INTEGER_FUNCTIONS:
            return "integer"
        return "float" if name in _FLOAT_FUNCTIONS else None
    if len(toks) == 3 and is_op(toks[1], ".") and isinstance(toks[2], Token) and st is not None:
        if isinstance(toks[0], Token) and toks[0].kind in ("name", "quoted"):
            return st.property_kinds.get(unquote(toks[2]))
    return None


def _single_kind(it: Item, st: State | None) -> str | None:
    if isinstance(it, Group):
        return {"[": "list", "{": "map"}.get(it.open.text) if it.kind in ("list", "map", "") else None
    if it.kind == "string":
        return "string"
    if it.kind == "number":
        return "float" if re.search(r"[.eE]", it.text) and not it.text.lower().startswith("0x") else "integer"
    if it.kind == "param" and st is not None and st.parameters is not None:
        name = it.text[1:].strip("`")
        return _kind_of_value(st.parameters.get(name)) if name in st.parameters else None
    return {"TRUE": "boolean", "FALSE": "boolean", "NULL": "null"}.get(keyword_of(it) or "")


def _mismatch(a: str | None, b: str | None) -> bool:
    """Do values of kinds ``a`` and ``b`` never compare equal in Neo4j (while LadybugDB may cast)?"""
    if a is None or b is None or "null" in (a, b):
        return False
    group = {"integer": "number", "float": "number"}
    return group.get(a, a) != group.get(b, b)


def _mismatch_answer(op: str) -> str:
    return {"=": "false", "<>": "true"}.get(op, _ORDERING_MISMATCH)


# --- operands --------------------------------------------------------------------------------


_STOP_WORDS = frozenset("IN IS CONTAINS STARTS ENDS".split())
_ARITHMETIC = ("+", "-", "*", "/", "%", "^")


def _is_boundary(it: Item | None) -> bool:
    """Does ``it`` end an operand of a comparison (nothing binds looser than it inside one)?"""
    if it is None or is_op(it, ",", ";", "|", *_COMPARISONS, "=~"):
        return True
    w = keyword_of(it)
    return w is not None and (w in _BOUNDARY_WORDS or w in _STOP_WORDS or w in CLAUSE_REGIONS)


def _operands(items: list[Item], i: int) -> tuple[int, int] | None:
    """(start of the left operand, end of the right one) of the comparison at ``items[i]``:
    everything up to the nearest item that binds looser (AND, a comma, a clause…)."""
    start = prev_index(items, i)
    if start < 0 or _is_boundary(items[start]):
        return None
    while not _is_boundary(item_at(items, prev_index(items, start))):
        start = prev_index(items, start)
    end = next_index(items, i)
    if end >= len(items) or _is_boundary(items[end]):
        return None
    while not _is_boundary(item_at(items, next_index(items, end))):
        end = next_index(items, end)
    if _is_arrow_part(items, start, end) or _touches_arrow(items, start, end):
        return None
    return start, end


def _touches_arrow(items: list[Item], start: int, end: int) -> bool:
    """Does a pattern arrow (``-->``, ``<--``) stand right before or after the span?"""
    after, before = next_index(items, end), prev_index(items, start)
    return (after < len(items) and is_op(items[after], "<", ">") and _is_arrow(items, after)) or (
        before >= 0 and is_op(items[before], "<", ">") and _is_arrow(items, before)
    )


def _is_arrow_part(items: list[Item], start: int, end: int) -> bool:
    """Is a pattern (``(a)-->(b)``) or a lambda (``x -> …``) part of the span?"""
    return any(_is_arrow(items, j) for j in range(start, end + 1) if is_op(items[j], "<", ">"))


def _arithmetic_kind(items: list[Item], st: State | None) -> str | None:
    """The kind of ``a + b * c`` when every term's kind is known."""
    terms: list[list[Item]] = [[]]
    for j, it in enumerate(items):
        unary = is_op(it, "-", "+") and (not terms[-1] or not significant(terms[-1]))
        if is_op(it, *_ARITHMETIC) and not unary and j > 0:
            terms.append([])
        else:
            terms[-1].append(it)
    if len(terms) < 2:
        return None
    kinds = {literal_kind(term, st) for term in terms}
    if kinds <= {"integer"}:
        return "integer"
    return "float" if kinds <= {"integer", "float"} else None


def _may_be_nan(items: list[Item]) -> bool:
    for i, it in enumerate(items):
        if is_op(it, "/"):
            return True
        if isinstance(it, Group):
            if it.open.text == "(" and (keyword_of(item_at(items, prev_index(items, i))) or "").lower() in _NAN_FUNCTIONS:
                return True
            if _may_be_nan(it.items):
                return True
    return False


# --- comparisons -----------------------------------------------------------------------------


def _comparison_text(left: list[Item], op: str, right: list[Item], st: State) -> str | None:
    """Neo4j's ``left op right`` for LadybugDB, or None when LadybugDB's answer is the same."""
    kl, kr = literal_kind(left, st), literal_kind(right, st)
    a, b = text_of(left), text_of(right)
    if a in st.entity_names or b in st.entity_names:
        return None  # nodes and relationships compare as they are
    if _mismatch(kl, kr):
        return _mismatch_answer(op)
    if op not in ("=", "<>") and (_may_be_nan(left) or _may_be_nan(right)):
        return f"(CASE WHEN ({a}) <> ({a}) OR ({b}) <> ({b}) THEN false ELSE {a} {op} {b} END)"
    if kl is None and kr in _KNOWN:
        known, unknown = kr, a
    elif kr is None and kl in _KNOWN:
        known, unknown = kl, b
    elif kl is None and kr is None:
        return _unknown_kinds(a, op, b)
    else:
        return None
    mismatch = _mismatch_answer(op)
    if known == "string":
        text = f"cast({a} AS STRING) {op} cast({b} AS STRING)"
        return f"(CASE WHEN typeof({unknown}) IN ['STRING', 'NULL'] THEN {text} ELSE {mismatch} END)"
    same = "['BOOL']" if known == "boolean" else "['STRING', 'BOOL']"
    test = "NOT IN" if known == "boolean" else "IN"
    return (
        f"(CASE WHEN ({unknown}) IS NULL THEN NULL WHEN typeof({unknown}) {test} {same} "
        f"THEN {mismatch} ELSE {a} {op} {b} END)"
    )


def _unknown_kinds(a: str, op: str, b: str) -> str:
    """``a op b`` when only the engine knows either kind: a string or a boolean never compares
    with another kind in Neo4j, where LadybugDB would cast it."""
    differ = (
        f"(typeof({a}) = 'STRING') <> (typeof({b}) = 'STRING') OR (typeof({a}) = 'BOOL') <> (typeof({b}) = 'BOOL')"
    )
    return (
        f"(CASE WHEN ({a}) IS NULL OR ({b}) IS NULL THEN NULL WHEN {differ} THEN {_mismatch_answer(op)} "
        f"ELSE {a} {op} {b} END)"
    )


def _as_condition(text: str) -> str:
    """Parenthesized, and a CASE compared with true: LadybugDB 0.22 evaluates a CASE that is
    itself the condition of another CASE's WHEN wrongly (always the ELSE branch)."""
    return f"({text} = true)" if text.startswith("(CASE") else f"({text})" if not text.startswith("(") else text


def rewrite_comparisons(items: list[Item], regions: list[str], st: State) -> list[Item]:
    """``a = b``, ``a < b`` … with Neo4j's answer when the kinds differ or NaN may take part."""
    out = list(items)
    i = len(out) - 1
    while i >= 0:
        it = out[i]
        if not (is_op(it, *_COMPARISONS) and regions[min(i, len(regions) - 1)] == "expr"):
            i -= 1
            continue
        if _is_arrow(out, i):
            i -= 1
            continue
        span = _operands(out, i)
        if span is None:
            i -= 1
            continue
        start, end = span
        text = _comparison_text(out[start:i], it.text, out[i + 1 : end + 1], st)  # type: ignore[union-attr]
        if text is not None:
            new = parse(_as_condition(text))
            out[start : end + 1] = new
            regions = regions[:start] + ["expr"] * len(new) + regions[end + 1 :]
        i = start - 1
    return out


def _is_arrow(items: list[Item], i: int) -> bool:
    """``-->``, ``<--``, ``x -> …``: not a comparison."""
    return (is_op(items[i], ">") and is_op(item_at(items, prev_index(items, i)), "-")) or (
        is_op(items[i], "<") and is_op(item_at(items, next_index(items, i)), "-")
    )


# --- IN --------------------------------------------------------------------------------------


def _literal_value(items: list[Item]) -> tuple[bool, Any]:
    """(True, value) for a literal made of numbers, strings, booleans, null and lists of them."""
    sig = significant(items)
    toks = [items[j] for j in sig]
    neg = bool(toks) and is_op(toks[0], "-") and len(toks) == 2
    toks = toks[1:] if neg else toks
    if len(toks) != 1:
        return False, None
    it = toks[0]
    if isinstance(it, Group):
        if it.open.text != "[" or it.kind not in ("list", ""):
            return False, None
        values = []
        for part in split_items(it.items):
            if not significant(part) and len(split_items(it.items)) == 1:
                return True, []
            ok, v = _literal_value(part)
            if not ok:
                return False, None
            values.append(v)
        return True, values
    if it.kind == "number" and not neg:
        return True, float(it.text) if re.search(r"[.eE]", it.text) else int(it.text, 0)
    if it.kind == "number":
        return True, -float(it.text) if re.search(r"[.eE]", it.text) else -int(it.text, 0)
    if it.kind == "string":
        return True, string_value(it.text)
    word = keyword_of(it)
    if word in ("TRUE", "FALSE", "NULL"):
        return True, {"TRUE": True, "FALSE": False, "NULL": None}[word]
    return False, None


def _equals(a: Any, b: Any) -> bool | None:
    """Neo4j's ``a = b`` on literal values: null when a null decides it."""
    if a is None or b is None:
        return None
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return False
        results = [_equals(x, y) for x, y in zip(a, b)]
        return False if False in results else None if None in results else True
    if isinstance(a, bool) != isinstance(b, bool) or isinstance(a, str) != isinstance(b, str):
        return False
    return a == b


def _in_answer(value: Any, values: list[Any]) -> bool | None:
    results = [_equals(value, v) for v in values]
    return True if True in results else None if None in results else False


def _has_null(value: Any) -> bool:
    return value is None or (isinstance(value, list) and any(_has_null(v) for v in value))


def _in_text(left: list[Item], right: list[Item], st: State) -> str | None:
    """Neo4j's ``left IN right`` for LadybugDB, or None when LadybugDB's answer is the same."""
    ok_l, value = _literal_value(left)
    ok_r, values = _literal_value(right)
    if ok_l and ok_r and isinstance(values, list) and (_has_null(values) or _has_null(value)):
        answer = _in_answer(value, values)
        return "CAST(NULL AS BOOL)" if answer is None else str(answer).lower()
    if ok_r and isinstance(values, list) and values and all(v is None for v in values):
        return "CAST(NULL AS BOOL)"  # [null] has no type to compare with
    sig = significant(right)
    param = right[sig[0]] if len(sig) == 1 else None
    if ok_r and isinstance(values, list):
        may_hold_null = _has_null(values)
    elif isinstance(param, Token) and param.kind == "param" and st.parameters is not None:
        may_hold_null = _has_null(st.parameters.get(param.text[1:].strip("`")))
    elif isinstance(param, Token) and param.kind in ("name", "quoted"):
        may_hold_null = True  # a variable: any list
    else:
        return None  # a list the data or a function gives: it holds no null in ecograph's data
    if not may_hold_null:
        return None
    a, b = text_of(left), text_of(right)
    if ok_r and any(isinstance(v, list) for v in values):
        raise UnsupportedCypherError("IN over a list of lists that hold null")
    e = st.fresh_name("_ecograph_e")
    return (
        f"(CASE WHEN list_contains({b}, {a}) THEN true WHEN size({b}) = 0 THEN false "
        f"WHEN ({a}) IS NULL OR size(list_filter({b}, {e} -> {e} IS NULL)) > 0 THEN CAST(NULL AS BOOL) "
        "ELSE false END)"
    )


def rewrite_in(items: list[Item], regions: list[str], ctx: str, st: State) -> list[Item]:
    """``x IN list`` with Neo4j's three-valued answer when the list may hold null."""
    out = list(items)
    i = len(out) - 1
    while i >= 0:
        it = out[i]
        if not (keyword_of(it) == "IN" and regions[min(i, len(regions) - 1)] == "expr"):
            i -= 1
            continue
        span = _operands(out, i)
        comprehension = (
            span is not None and ctx == "comprehension" and prev_index(out, span[0]) < 0
            and next_index(out, span[0]) == i and isinstance(out[span[0]], Token) and out[span[0]].kind == "name"
        )
        if span is None or comprehension:
            i -= 1
            continue
        start, end = span
        text = _in_text(out[start:i], out[i + 1 : end + 1], st)
        if text is not None:
            new = parse(_as_condition(text))
            out[start : end + 1] = new
            regions = regions[:start] + ["expr"] * len(new) + regions[end + 1 :]
        i = start - 1
    return out


# --- literals --------------------------------------------------------------------------------


def check_integer_literals(items: list[Item]) -> None:
    """Refuse an integer literal past 64 bits, as Neo4j does (LadybugDB widens it)."""
    for i, it in enumerate(items):
        if isinstance(it, Token) and it.kind == "number" and not re.search(r"[.eE]", it.text):
            value = int(it.text, 0) if not it.text.startswith("0o") else int(it.text[2:], 8)
            negative = is_op(item_at(items, prev_index(items, i)), "-")
            if value > _MAX_LONG + (1 if negative else 0):
                raise QueryError(f"integer is too large: {'-' if negative else ''}{it.text}")


def check_list_literal(g: Group) -> None:
    """Refuse a list literal mixing kinds: LadybugDB widens ``[1, 2.5]`` to floats and refuses
    ``[1, 'a']``, where Neo4j keeps each element as it is."""
    kinds = set()
    for part in split_items(g.items):
        ok, value = _literal_value(part)
        if ok and value is not None:
            kinds.add("list" if isinstance(value, list) else _kind_of_value(value))
    if len(kinds) > 1:
        raise UnsupportedCypherError(f"list mixing {' and '.join(sorted(kinds))} values")


def check_map_literal(g: Group) -> None:
    """Refuse a map literal whose keys differ only in case: LadybugDB reads keys
    case-insensitively, so ``{name: 'a', Name: 'b'}.Name`` would be ``'a'``."""
    seen: dict[str, str] = {}
    for part in split_items(g.items):
        sig = significant(part)
        if len(sig) >= 2 and is_op(part[sig[1]], ":") and isinstance(part[sig[0]], Token):
            key = unquote(part[sig[0]])  # type: ignore[arg-type]
            if key.lower() in seen and seen[key.lower()] != key:
                raise UnsupportedCypherError(f"map with keys that differ only in case ({seen[key.lower()]}, {key})")
            seen[key.lower()] = key


def rewrite_concatenation(items: list[Item]) -> list[Item]:
    """``a || b`` (Neo4j 5 string and list concatenation) -> ``a + b``."""
    out = list(items)
    for i in range(len(out) - 1, 0, -1):
        if is_op(out[i], "|") and is_op(out[i - 1], "|"):
            out[i - 1 : i + 1] = [Token("op", "+")]
    return out


def parameter_state(parameters: Mapping[str, Any] | None, model: Any = None) -> dict[str, Any]:
    """What State keeps of the parameters and the data's model (shipped when None) for the rewrites above."""
    return {"parameters": dict(parameters) if parameters is not None else None,
            "property_kinds": _property_kinds(model)}
