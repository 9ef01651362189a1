"""``WHERE id(n) = $id`` as a lookup LadybugDB answers without computing every node's number.

``id()`` gives LadybugDB's ``{table, offset}`` pair as the integer ``table * 2^40 + offset``
(:data:`ecograph.query.dialect.calls.ID_TABLE_SHIFT`). Compared as that integer, every node's
number is computed: 0.82 s for one lookup among 200,000 nodes. Compared as a pair,
``id(n) = internal_id($id / 2^40, $id % 2^40)``, LadybugDB seeks it: 0.12 s
(``benchmarks/bench_id_lookup.py``, median of 5 in one warm process).
Only an integer literal or a parameter whose value is an integer is rewritten so: any other
value (a string, null, an expression) keeps the general form, with Neo4j's answer.
"""

from __future__ import annotations

import re

from ecograph.query.dialect.calls import ID_TABLE_SHIFT
from ecograph.query.dialect.clauses import State
from ecograph.query.dialect.tokens import (
    Group,
    Item,
    Token,
    is_ident,
    is_op,
    item_at,
    keyword_of,
    next_index,
    parse,
    prev_index,
    significant,
    text_of,
)

# What may stand on either side of ``id(n) = x`` for the comparison to be a whole operand.
_BOUNDARY_WORDS = frozenset("AND OR XOR NOT WHERE WHEN THEN ELSE RETURN WITH ORDER SKIP LIMIT UNION AS".split())


def rewrite_id_lookups(items: list[Item], st: State) -> list[Item]:
    """``id(n) = 5`` and ``$id = id(n)`` -> ``(id(n) = internal_id(…))`` (see the module)."""
    out = list(items)
    i = len(out) - 1
    while i >= 0:
        span = _lookup_at(out, i, st)
        if span is not None:
            start, end, variable, value = span
            shift = ID_TABLE_SHIFT
            out[start : end + 1] = parse(f"(id({variable}) = internal_id({value} / {shift}, {value} % {shift}))")
            i = start
        i -= 1
    return out


def _lookup_at(items: list[Item], i: int, st: State) -> tuple[int, int, str, str] | None:
    """(first index, last index, variable, value) of a lookup whose ``=`` is at ``i``."""
    if not is_op(items[i], "="):
        return None
    left, right = prev_index(items, i), next_index(items, i)
    if _is_id_call(items, left) and _is_integer(item_at(items, right), st):
        start, end, value = prev_index(items, left), right, items[right]
        variable = _argument(items[left])
    elif _is_integer(item_at(items, left), st) and _is_id_call(items, next_index(items, right)):
        start, end, value = left, next_index(items, right), items[left]
        variable = _argument(items[end])
    else:
        return None
    if not (_is_boundary(item_at(items, prev_index(items, start))) and _is_boundary(item_at(items, next_index(items, end)))):
        return None
    return start, end, variable, text_of([value])


def _is_id_call(items: list[Item], j: int) -> bool:
    """Is ``items[j]`` the argument group of ``id(variable)``?"""
    g = item_at(items, j)
    callee = item_at(items, prev_index(items, j))
    return (
        isinstance(g, Group) and g.kind == "call" and keyword_of(callee) == "ID"
        and not is_op(item_at(items, prev_index(items, prev_index(items, j))), ".")
        and len(significant(g.items)) == 1 and is_ident(g.items[significant(g.items)[0]])
    )


def _argument(g: Item) -> str:
    assert isinstance(g, Group)
    return text_of(g.items)


def _is_integer(it: Item | None, st: State) -> bool:
    """An integer literal, or a parameter whose value is an integer (not a boolean)."""
    if not isinstance(it, Token):
        return False
    if it.kind == "number":
        return re.fullmatch(r"\d+", it.text) is not None
    if it.kind == "param" and st.parameters is not None:
        value = st.parameters.get(it.text[1:].strip("`"))
        return isinstance(value, int) and not isinstance(value, bool)
    return False


def _is_boundary(it: Item | None) -> bool:
    return it is None or is_op(it, ",", ";") or keyword_of(it) in _BOUNDARY_WORDS
