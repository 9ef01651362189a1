"""ORDER BY as Neo4j orders NaN: above every number, below null.

LadybugDB 0.22 sorts NaN among the numbers wherever its comparisons happen to put it
(``[3.0, NaN, 5.0, -1.0]`` came out ``-1.0, NaN, 3.0, 5.0``). Neo4j orders NaN above every
number and below null: last but null ascending, first after null descending. Each sort key
that may be a float gets a key before it, ``(x) <> (x)``: false for a number, true for NaN
(the one value not equal to itself), null for null, which LadybugDB sorts false, true, null
ascending and null, true, false descending: Neo4j's order. Keys whose kind the text tells
(a string, an integer, a property the data's schema types) are left as written.
"""

from __future__ import annotations

from ecograph.query.dialect.clauses import State, clause_word
from ecograph.query.dialect.semantics import literal_kind
from ecograph.query.dialect.tokens import (
    Item,
    Token,
    is_op,
    item_at,
    keyword_of,
    next_index,
    parse,
    render,
    significant,
    split_items,
    text_of,
    unquote,
)

_DIRECTIONS = ("ASC", "ASCENDING", "DESC", "DESCENDING")
# Kinds that are never NaN.
_NOT_NAN = ("string", "integer", "boolean", "null", "date", "list", "map")


def rewrite_order_keys(items: list[Item], st: State | None = None) -> list[Item]:
    """``ORDER BY x DESC`` -> ``ORDER BY (x) <> (x) DESC, x DESC`` for keys that may be NaN."""
    out = list(items)
    i = len(out) - 1
    while i >= 0:
        if clause_word(out, i) == "ORDER" and keyword_of(item_at(out, next_index(out, i))) == "BY":
            start = next_index(out, i) + 1
            end = start
            while end < len(out) and clause_word(out, end) is None and not is_op(out[end], ";"):
                end += 1
            aliases = _aliases(out, i)
            keys = [_nan_key(part, st, aliases) for part in split_items(out[start:end])]
            out[start:end] = parse(",".join(keys))
        i -= 1
    return out


def _aliases(items: list[Item], order: int) -> dict[str, list[Item]]:
    """``alias -> expression`` of the RETURN or WITH that the ORDER BY at ``order`` sorts."""
    j = order - 1
    while j >= 0 and clause_word(items, j) not in ("RETURN", "WITH"):
        j -= 1
    found: dict[str, list[Item]] = {}
    for part in split_items(items[j + 1 : order]) if j >= 0 else []:
        sig = significant(part)
        if len(sig) >= 3 and keyword_of(part[sig[-2]]) == "AS" and isinstance(part[sig[-1]], Token):
            found[unquote(part[sig[-1]])] = part[sig[0] : sig[-2]]  # type: ignore[arg-type]
    return found


def _kind(expression: list[Item], st: State | None, aliases: dict[str, list[Item]]) -> str | None:
    """The kind of a sort key, looking through an alias of the projection it sorts."""
    sig = significant(expression)
    if len(sig) == 1 and isinstance(expression[sig[0]], Token) and expression[sig[0]].kind in ("name", "quoted"):
        alias = aliases.get(unquote(expression[sig[0]]))  # type: ignore[arg-type]
        if alias is not None:
            return literal_kind(alias, st)
    return literal_kind(expression, st)


def _nan_key(part: list[Item], st: State | None, aliases: dict[str, list[Item]]) -> str:
    """One sort key, with a NaN key before it when its value may be a float."""
    sig = significant(part)
    if not sig:
        return render(part)
    direction = ""
    body = sig
    if keyword_of(part[sig[-1]]) in _DIRECTIONS:
        direction = " " + text_of([part[sig[-1]]])
        body = sig[:-1]
    if not body:
        return render(part)
    expression = part[body[0] : body[-1] + 1]
    if _kind(expression, st, aliases) in _NOT_NAN:
        return render(part)
    text = text_of(expression)
    lead = render(part[: body[0]])
    return f"{lead}({text}) <> ({text}){direction}, {render(part[body[0]:])}"
