"""Subscripts and slices with Neo4j's meaning: ``l[i]`` 0-based and null out of
range, ``l[a..b]`` end excluded, ``m['key']`` as a property.
"""

from __future__ import annotations

import re

from ecograph.query.dialect.clauses import ends_expression
from ecograph.query.dialect.tokens import (
    Group,
    Item,
    Token,
    is_ident,
    is_op,
    item_at,
    name_text,
    parse,
    prev_index,
    significant,
    string_value,
    text_of,
)
from ecograph.query.dialect.words import TO_END


def _int_literal(items: list[Item]) -> int | None:
    text = text_of(items).replace(" ", "")
    return int(text) if re.fullmatch(r"-?\d+", text) else None


def plus_one(index: str) -> str:
    """A 0-based position as LadybugDB's 1-based one."""
    n = _int_literal(parse(index))
    return str(n + 1) if n is not None else f"({index}) + 1"


def index_text(operand: str, index: str) -> str:
    """Neo4j ``l[i]``: 0-based, negative from the end, null when out of range. LadybugDB's
    ``l[i]`` is 1-based and fails out of range (even in a CASE branch not taken), so take a
    one-element slice, append a null and read the first element. The null must have the
    element's type: a constant one would be an INT64, hence the never-true CASE."""
    n = _int_literal(parse(index))
    if n is not None:
        k = str(n + 1) if n >= 0 else str(n)
    else:
        k = f"CASE WHEN ({index}) >= 0 THEN ({index}) + 1 ELSE ({index}) END"
    typed_null = f"CASE WHEN size({operand}) < 0 THEN list_any_value({operand}) END"
    return f"list_extract(list_concat(list_slice({operand}, {k}, {k}), [{typed_null}]), 1)"


def _slice_text(operand: str, low: list[Item], high: list[Item]) -> str:
    """Neo4j ``l[a..b]`` (0-based, end excluded, negative from the end) as LadybugDB's
    ``list_slice(l, a', b')`` (1-based, end included, negative from the end)."""

    def bound(items: list[Item], is_start: bool) -> str:
        if not significant(items):
            return "1" if is_start else TO_END
        text = text_of(items)
        n = _int_literal(items)
        if n is not None:
            return str(n + 1 if is_start and n >= 0 else n - 1 if not is_start and n < 0 else n)
        if is_start:
            return f"CASE WHEN ({text}) >= 0 THEN ({text}) + 1 ELSE ({text}) END"
        return f"CASE WHEN ({text}) >= 0 THEN ({text}) ELSE ({text}) - 1 END"

    return f"list_slice({operand}, {bound(low, True)}, {bound(high, False)})"


def operand_start(items: list[Item], end: int) -> int:
    """Where the operand ending at ``items[end]`` starts: ``a.b``, ``f(x)``, ``l[0]``, ``$p``."""
    start = end
    j = end
    while j >= 0:
        it = items[j]
        if isinstance(it, Group) or (isinstance(it, Token) and (it.kind in ("quoted", "param", "string", "number") or is_ident(it))):
            start = j
            k = prev_index(items, j)
            if isinstance(it, Group) and it.open.text in "([" and (ends_expression(item_at(items, k))):
                j = k  # a call's name or the list being subscripted
                continue
            if is_op(item_at(items, k), "."):
                j = prev_index(items, k)
                continue
            return start
        return start
    return start


def rewrite_subscripts(items: list[Item]) -> list[Item]:
    """``l[i]``, ``l[a..b]`` and ``m['key']`` with Neo4j's meaning (see index_text)."""
    out = list(items)
    i = 0
    while i < len(out):
        g = out[i]
        if not (isinstance(g, Group) and g.kind == "subscript"):
            i += 1
            continue
        end = prev_index(out, i)
        start = operand_start(out, end)
        operand = text_of(out[start : end + 1])
        sig = significant(g.items)
        dots = [j for j in sig if is_op(g.items[j], "..")]
        if dots:
            text = _slice_text(operand, g.items[: dots[0]], g.items[dots[0] + 1 :])
        elif len(sig) == 1 and isinstance(g.items[sig[0]], Token) and g.items[sig[0]].kind == "string":  # type: ignore[union-attr]
            key = string_value(g.items[sig[0]].text)  # type: ignore[union-attr]
            base = operand if is_ident(out[end]) or (isinstance(out[end], Token) and out[end].kind == "param") else f"({operand})"  # type: ignore[union-attr]
            text = f"{base}.{name_text(key)}"
        else:
            text = index_text(operand, text_of(g.items))
        new = parse(text)
        out[start : i + 1] = new
        i = start + len(new)
    return out

