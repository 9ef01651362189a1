"""Function calls: the Neo4j functions LadybugDB lacks or computes differently, each
rewritten by one entry of a table (:data:`CALL_REWRITES`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass

from ecograph.errors import QueryError, UnsupportedCypherError
from ecograph.query.dialect.clauses import clause_word
from ecograph.query.dialect.conversions import FOLDS, ConversionError, java_double_to_string
from ecograph.query.dialect.paths import shortest_path
from ecograph.query.dialect.subscripts import index_text, plus_one
from ecograph.query.dialect.temporal import date_call
from ecograph.query.dialect.tokens import (
    Group,
    Item,
    Token,
    dotted_name,
    is_group,
    is_op,
    item_at,
    keyword_of,
    next_index,
    parse,
    prev_index,
    significant,
    split_items,
    string_literal,
    string_value,
    text_of,
    unquote,
)
from ecograph.query.dialect.words import STRING_FUNCTIONS, TO_END

# A Neo4j conversion (toInteger(x) …) becomes a call to a Python function that gets x three ways:
# its engine type, its text (exact for integers, booleans, strings, dates) and, when it is a
# DOUBLE, the number itself (cast to STRING keeps only 6 decimals). The CASE keeps the cast to
# DOUBLE from running on strings: LadybugDB evaluates only the branch taken, except when it folds
# a constant, which is why literal arguments are converted here instead (_fold_conversion).
# (A cast to UNION(d DOUBLE, s STRING) would bind for every type, but in LadybugDB 0.22 it gives
# wrong values when another column is projected next to it.)
_CONVERSION_ARGS = (
    "typeof({x}), cast({x} AS STRING), CASE WHEN typeof({x}) IN ['DOUBLE', 'FLOAT'] THEN cast({x} AS DOUBLE) END"
)


_CONVERSIONS = {
    "tointeger": "ecograph_to_integer",
    "tointegerornull": "ecograph_to_integer_or_null",
    "tofloat": "ecograph_to_float",
    "tofloatornull": "ecograph_to_float_or_null",
    "tostring": "ecograph_to_string",
    "tostringornull": "ecograph_to_string_or_null",
    "toboolean": "ecograph_to_boolean",
    "tobooleanornull": "ecograph_to_boolean_or_null",
}


def rewrite_calls(items: list[Item], regions: list[str]) -> list[Item]:
    """Rewrite Neo4j function calls that LadybugDB lacks or computes differently."""
    out = list(items)
    i = len(out) - 1
    while i >= 0:
        g = out[i]
        if isinstance(g, Group) and g.kind in ("call", "shortest"):
            f = prev_index(out, i)
            callee = out[f]
            assert isinstance(callee, Token)
            if is_op(item_at(out, prev_index(out, f)), "."):
                start = f
                while is_op(item_at(out, prev_index(out, start)), ".") and item_at(out, prev_index(out, prev_index(out, start))) is not None:
                    start = prev_index(out, prev_index(out, start))
                raise UnsupportedCypherError(f"function {dotted_name(out, start)}()")
            name = unquote(callee).lower()
            args = [part for part in split_items(g.items)]
            if len(args) == 1 and not significant(args[0]):
                args = []
            region = regions[i] if i < len(regions) else "expr"
            call = Call(name, callee.text, args, [text_of(arg) for arg in args], g, region, _is_column(out, f, i))
            replacement = _call_rewrite(call)
            if replacement is not None:
                out[f : i + 1] = parse(replacement)
            i = f - 1
            continue
        i -= 1
    return out


@dataclass(frozen=True)
class Call:
    """One Neo4j function call as the rewrites see it."""

    name: str  # lower-case
    spelled: str  # as written
    args: list[list[Item]]  # each argument's items
    texts: list[str]  # each argument's text
    group: Group  # the argument brackets
    region: str  # pattern, expr, …
    column: bool = False  # the whole of a RETURN column


def _shortest(call: Call) -> str:
    if call.region != "pattern":
        raise UnsupportedCypherError(f"{call.spelled}() outside MATCH")
    return shortest_path(call.name, call.group)


def _conversion(call: Call) -> str:
    literal = _literal(call.args[0])
    if literal is not None:
        return _fold_conversion(call.name, *literal)
    return f"{_CONVERSIONS[call.name]}({_CONVERSION_ARGS.format(x=call.texts[0])})"


def _substring(call: Call) -> str:
    a = call.texts
    length = a[2] if len(a) == 3 else TO_END
    return f"substring({a[0]}, {plus_one(a[1])}, {length})"


def _exists(call: Call) -> str:
    if _is_pattern(call.args[0]):
        return f"EXISTS {{ MATCH {call.texts[0]} }}"
    return f"({call.texts[0]} IS NOT NULL)"


def _size(call: Call) -> str | None:
    return f"COUNT {{ MATCH {call.texts[0]} }}" if _is_pattern(call.args[0]) else None


def _reverse(call: Call) -> str | None:
    # LadybugDB's reverse() turns a list into its text and reverses that: unless the argument is
    # surely a string, use list_reverse(), which refuses a string loudly.
    return None if _is_string(call.args[0]) else f"list_reverse({call.texts[0]})"


def _map_literal(call: Call) -> Group | None:
    sig = significant(call.args[0])
    arg = call.args[0][sig[0]] if len(sig) == 1 else None
    return arg if isinstance(arg, Group) and arg.open.text == "{" else None


# keys()/properties() of a node or relationship list unset properties too in LadybugDB (as null).
# As a whole RETURN column the properties go out under this marker key, and the store's result
# converter drops the unset ones (ecograph.query.store); inside an expression they are refused.
PROPERTIES_MARKERS = {"keys": "_ecograph_keys", "properties": "_ecograph_properties", "of": "_ecograph_of"}


def _of_entity(call: Call) -> str:
    if not call.column:
        raise UnsupportedCypherError(f"{call.spelled}() inside an expression (the embedded engine lists unset properties)")
    x = call.texts[0]
    return f"{{{PROPERTIES_MARKERS[call.name]}: properties({x}), {PROPERTIES_MARKERS['of']}: typeof({x})}}"


def _keys(call: Call) -> str | None:
    """keys() of a map written out: its keys (LadybugDB's keys() takes nodes and relationships)."""
    m = _map_literal(call)
    if m is None:
        return _of_entity(call)
    keys = [unquote(part[significant(part)[0]]) for part in split_items(m.items) if significant(part)]  # type: ignore[arg-type]
    return f"CAST([{', '.join(string_literal(k) for k in keys)}] AS STRING[])"


def _properties(call: Call) -> str | None:
    """properties() of a map written out is the map."""
    return call.texts[0] if _map_literal(call) is not None else _of_entity(call)


def _refuse(call: Call) -> str:
    raise UnsupportedCypherError(f"{call.spelled}()")


# id() on the embedded store: the table's number times 2^40 plus the row's offset in its table,
# so 0, 1, 2 … for the first node table's rows, 2^40 … for the second's. It is unique among nodes
# (and among relationships, which count in their own tables, as Neo4j's relationship ids count
# apart from node ids) and stays the same as long as the store is not rebuilt: like Neo4j's id(),
# a handle within one database, not a key to keep. A table holds fewer than 2^40 rows.
ID_TABLE_SHIFT = 2**40


# (lower-case name, number of arguments or None for any) -> the LadybugDB text: a template
# filled with the arguments' texts ({0}, {1}, …), or a function of the Call that may answer None
# to leave the call as it is.
CALL_REWRITES: dict[tuple[str, int | None], str | Callable[[Call], str | None]] = {
    ("shortestpath", None): _shortest,
    ("allshortestpaths", None): _shortest,
    ("type", 1): "label({0})",
    # LadybugDB's labels() is a string; a node has exactly one label there.
    ("labels", 1): "(CASE WHEN {0} IS NULL THEN NULL ELSE [label({0})] END)",
    # LadybugDB's id() is a {table, offset} pair; Neo4j's an integer (see ID_TABLE_SHIFT).
    ("id", 1): "(CAST(split_part(CAST(id({0}) AS STRING), ':', 1) AS INT64) * " + str(ID_TABLE_SHIFT) + " + offset(id({0})))",
    ("elementid", 1): "cast(id({0}) AS STRING)",
    # start_node() of a null relationship (OPTIONAL MATCH) returns a node in LadybugDB.
    ("startnode", 1): "(CASE WHEN {0} IS NULL THEN NULL ELSE start_node({0}) END)",
    ("endnode", 1): "(CASE WHEN {0} IS NULL THEN NULL ELSE end_node({0}) END)",
    **{(name, 1): _conversion for name in _CONVERSIONS},
    ("head", 1): lambda call: index_text(call.texts[0], "0"),
    ("last", 1): lambda call: index_text(call.texts[0], "-1"),
    ("tail", 1): "list_slice({0}, 2, " + TO_END + ")",
    ("split", 2): "ecograph_split({0}, {1})",
    ("substring", 2): _substring,
    ("substring", 3): _substring,
    ("round", 1): "ecograph_round({0})",
    ("round", 2): "ecograph_round_to({0}, {1}, '')",
    ("round", 3): "ecograph_round_to({0}, {1}, {2})",
    ("exists", 1): _exists,
    ("size", 1): _size,
    ("isempty", 1): "(size({0}) = 0)",
    ("rand", 0): "random()",
    ("e", 0): repr(math.e),
    ("exp", 1): "ecograph_exp({0})",
    ("log", 1): "ln({0})",  # Neo4j's log() is the natural logarithm
    ("randomuuid", 0): "cast(gen_random_uuid() AS STRING)",
    ("timestamp", 0): "to_epoch_ms(current_timestamp())",
    ("date", 0): "current_date()",
    ("date", 1): lambda call: date_call(call.args),
    # LadybugDB has no zones or local times, and its intervals count a month as 30 days.
    **{(name, None): _refuse for name in ("datetime", "localdatetime", "time", "localtime", "duration")},
    ("reverse", 1): _reverse,
    ("reduce", None): _refuse,
    ("isnan", 1): "(({0}) <> ({0}))",  # NaN is the one value not equal to itself
    ("haversin", 1): "((1 - cos({0})) / 2)",
    # Java's Math.toDegrees/toRadians multiply by a constant; x * 180 / pi differs in the last digit.
    ("degrees", 1): "(({0}) * 57.29577951308232)",
    ("radians", 1): "(({0}) * 0.017453292519943295)",
    ("sum", 1): "coalesce(sum({0}), 0)",  # Neo4j's sum of no rows is 0, LadybugDB's null
    ("keys", 1): _keys,
    ("properties", 1): _properties,
}


def _is_column(items: list[Item], f: int, i: int) -> bool:
    """Is the call ``items[f..i]`` a whole column of a RETURN at this level?"""
    before = item_at(items, prev_index(items, f))
    after = item_at(items, next_index(items, i))
    if not (is_op(after, ",", ";") or after is None or keyword_of(after) in ("AS", "ORDER", "SKIP", "LIMIT", "UNION")):
        return False
    if not (is_op(before, ",") or keyword_of(before) in ("RETURN", "DISTINCT")):
        return False
    j = f
    while j >= 0 and clause_word(items, j) is None:
        j -= 1
    return j >= 0 and clause_word(items, j) == "RETURN"


def _call_rewrite(call: Call) -> str | None:
    """The LadybugDB text for the Neo4j call, or None to leave it as it is."""
    rule = CALL_REWRITES.get((call.name, len(call.texts)), CALL_REWRITES.get((call.name, None)))
    if rule is None:
        return None
    if isinstance(rule, str):
        return rule.format(*call.texts)
    return rule(call)


def _is_pattern(items: list[Item]) -> bool:
    """Is this argument a pattern, as in ``exists((a)-->(b))``?"""
    return any(isinstance(it, Group) and it.kind in ("node", "rel") for it in items)


def _is_string(items: list[Item]) -> bool:
    """Is this argument certainly a string (a string literal or a string-valued call)?"""
    sig = significant(items)
    if len(sig) == 1 and isinstance(items[sig[0]], Token) and items[sig[0]].kind == "string":  # type: ignore[union-attr]
        return True
    return (
        len(sig) == 2
        and is_group(items[sig[1]], "(")
        and (keyword_of(items[sig[0]]) or "").lower() in STRING_FUNCTIONS
    )


def _literal(items: list[Item]) -> tuple[str, str | None, float | None] | None:
    """A literal argument as (engine type, text, number), the way the engine would pass it
    to a conversion function; None when the argument is not a literal."""
    sig = significant(items)
    toks = [items[j] for j in sig]
    if len(toks) == 1 and is_group(toks[0], "[{"):
        return ("LIST" if is_group(toks[0], "[") else "MAP"), "", None
    if not all(isinstance(t, Token) for t in toks):
        return None
    texts = "".join(t.text for t in toks)  # type: ignore[union-attr]
    if len(toks) == 1 and toks[0].kind == "string":  # type: ignore[union-attr]
        return "STRING", string_value(toks[0].text), None  # type: ignore[union-attr]
    if len(toks) == 1 and keyword_of(toks[0]) in ("TRUE", "FALSE"):
        return "BOOL", "True" if keyword_of(toks[0]) == "TRUE" else "False", None
    if len(toks) == 1 and keyword_of(toks[0]) == "NULL":
        return "NULL", None, None
    if re.fullmatch(r"-?\d+", texts):
        return "INT64", str(int(texts)), None
    if re.fullmatch(r"-?(?:\d+\.\d+(?:[eE][+-]?\d+)?|\d+[eE][+-]?\d+|\.\d+(?:[eE][+-]?\d+)?)", texts):
        return "DOUBLE", texts, float(texts)
    return None


def _fold_conversion(name: str, type_name: str, text: str | None, number: float | None) -> str:
    """Convert a literal here, as Neo4j would, and write the result as a literal."""
    convert, result_type = FOLDS[name.removesuffix("ornull")]
    try:
        result = convert(type_name, text, number)
    except ConversionError as e:
        if name.endswith("ornull"):
            result = None
        else:
            raise QueryError(str(e)) from e
    if result is None:
        return f"CAST(NULL AS {result_type})"
    if isinstance(result, bool):
        return "true" if result else "false"
    if isinstance(result, float):
        if not math.isfinite(result):
            return f"CAST({string_literal(java_double_to_string(result).lower())} AS DOUBLE)"
        return repr(result).replace("e+", "e")
    if isinstance(result, int):
        return str(result)
    return string_literal(result)

