"""Arithmetic on dates, which Neo4j refuses and LadybugDB computes, and date or time parameters.

Neo4j's temporal operators (Cypher manual, "Temporal operators") add a DURATION to a temporal
instant or subtract one from it, add and subtract durations, and multiply or divide a duration
by a number; nothing else. ``date('2015-07-21') - date('2015-06-24')`` and ``date(…) + 1`` are
type errors there, while LadybugDB answers them (27 days, the next day). Durations are refused
by name on the embedded engine (:mod:`ecograph.query.dialect.temporal`), so in a query that
names no duration an arithmetic operator beside a date is one Neo4j refuses too: :func:`check_date_arithmetic` refuses it the
same way, before any rewrite, in the user's own words.

A date, datetime, time or duration *parameter* would reach LadybugDB as its own DATE,
TIMESTAMP or INTERVAL, which compare with text and add up by LadybugDB's rules (a datetime
minus a datetime is an interval, no Neo4j duration): refused by name; dates travel as text,
``date($d)``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from ecograph.errors import QueryError, UnsupportedCypherError
from ecograph.query.dialect.tokens import (
    Group,
    Item,
    Token,
    is_group,
    is_ident,
    is_op,
    item_at,
    keyword_of,
    next_index,
    prev_index,
    render,
    significant,
    split_items,
    unquote,
)

_ARITHMETIC = ("+", "-", "*", "/", "%", "^")
_TEMPORAL_VALUES = (dt.date, dt.time, dt.timedelta)  # dt.datetime is a dt.date


def check_temporal_parameters(used: list[str], parameters: Mapping[str, Any] | None) -> None:
    """Refuse a date, datetime, time or duration value as a parameter the query uses."""
    for name in used:
        value = (parameters or {}).get(name)
        if isinstance(value, _TEMPORAL_VALUES) or type(value).__module__.startswith("neo4j.time"):
            raise UnsupportedCypherError(
                f"a {type(value).__name__} value as parameter ${name} (pass a date as text and write date(${name}))"
            )


def check_date_arithmetic(items: list[Item]) -> None:
    """Raise :class:`QueryError` where an arithmetic operator has a date beside it.

    A query that calls ``duration(…)`` is left to the refusal of durations: beside a
    date, a variable or an expression may then be a duration, which Neo4j would add."""
    if not _names_duration(items):
        _check_level(items, _date_variables(items, {}))


def _names_duration(items: list[Item]) -> bool:
    """Does the query call ``duration(…)``? (``duration.between(…).days`` is an integer.)"""
    return any(
        _names_duration(it.items) if isinstance(it, Group)
        else keyword_of(it) == "DURATION" and is_group(item_at(items, next_index(items, i)), "(")
        for i, it in enumerate(items)
    )


def _check_level(items: list[Item], dates: dict[str, bool]) -> None:
    for k, it in enumerate(items):
        if isinstance(it, Group):
            _check_level(it.items, dates)
        elif is_op(it, *_ARITHMETIC) and not _is_pattern_arrow(items, k):
            left, right = _left_date(items, k, dates), _right_date(items, k, dates)
            if left is not None and right is not None:
                raise QueryError(
                    f"Type mismatch: expected Duration but was Date ({left} {it.text} {right}; the time "
                    "between two dates is duration.between(a, b) or duration.inDays(a, b))"
                )
            if left is not None or right is not None:
                raise QueryError(
                    f"Type mismatch: expected Duration beside the Date {left or right} (operator {it.text} "
                    "takes a Date only with a Duration)"
                )


def _is_pattern_arrow(items: list[Item], k: int) -> bool:
    """A ``-`` of a relationship pattern: ``)-[``, ``]-(``, ``)--(``, ``->``, ``<-``."""
    before, after = item_at(items, prev_index(items, k)), item_at(items, next_index(items, k))
    return is_op(before, "-", "<") or is_op(after, "-", ">") or is_group(after, "[") or is_group(before, "[")


def _date_call_at(items: list[Item], callee: int) -> bool:
    """Is ``items[callee]`` the name of a ``date(…)`` call whose value is used as a date
    (not ``date(…).year``, not ``x.date(…)``)?"""
    it, args = item_at(items, callee), item_at(items, next_index(items, callee))
    if not (isinstance(it, Token) and it.kind == "name" and it.text.lower() == "date" and is_group(args, "(")):
        return False
    if is_op(item_at(items, prev_index(items, callee)), "."):
        return False
    return not is_op(item_at(items, next_index(items, next_index(items, callee))), ".")


def _left_date(items: list[Item], k: int, dates: dict[str, bool]) -> str | None:
    """The text of the date just left of the operator at ``k``, if there is one."""
    j = prev_index(items, k)
    it = item_at(items, j)
    if is_group(it, "(") and _date_call_at(items, prev_index(items, j)):
        return render(items[prev_index(items, j) : j + 1])
    if is_ident(it) and dates.get(unquote(it)) and not is_op(item_at(items, prev_index(items, j)), "."):  # type: ignore[arg-type]
        return render([it])  # type: ignore[list-item]
    return None


def _right_date(items: list[Item], k: int, dates: dict[str, bool]) -> str | None:
    """The text of the date just right of the operator at ``k``, if there is one."""
    j = next_index(items, k)
    if is_op(item_at(items, j), "-", "+"):  # a sign: date('…') - -date('…')
        j = next_index(items, j)
    it = item_at(items, j)
    if _date_call_at(items, j):
        return render(items[j : next_index(items, j) + 1])
    after = item_at(items, next_index(items, j))
    if is_ident(it) and dates.get(unquote(it)) and not is_op(after, ".") and not is_group(after, "(["):  # type: ignore[arg-type]
        return render([it])  # type: ignore[list-item]
    return None


def _date_variables(items: list[Item], found: dict[str, bool]) -> dict[str, bool]:
    """Names that hold a date wherever they are bound (True), or not always (False): bound by
    ``date(…) AS d``, or by ``UNWIND x AS d`` over dates: a list written out of ``date(…)``
    calls, or a name bound by ``collect(date(…)) AS x`` or ``[date(…), …] AS x``."""
    _bind_names(items, found, {})  # a name is bound before the text uses it
    return found


def _bind_names(items: list[Item], found: dict[str, bool], lists: dict[str, bool]) -> None:
    for i, it in enumerate(items):
        if isinstance(it, Group):
            _bind_names(it.items, found, lists)
        elif keyword_of(it) == "AS" and is_ident(item_at(items, next_index(items, i))):
            key = unquote(items[next_index(items, i)])  # type: ignore[arg-type]
            j = prev_index(items, i)
            start = _expression_start(items, j)
            unwound = keyword_of(item_at(items, prev_index(items, start))) == "UNWIND"
            kind = _value_kind(items, start, j, lists)
            if unwound:
                found[key] = found.get(key, True) and kind == "dates"
            else:
                found[key] = found.get(key, True) and kind == "date"
                lists[key] = lists.get(key, True) and kind == "dates"


def _expression_start(items: list[Item], j: int) -> int:
    """The index where the one- or two-item expression ending at ``j`` starts (``x``, ``f(…)``)."""
    before = prev_index(items, j)
    return before if is_group(items[j], "(") and is_ident(item_at(items, before)) else j


def _value_kind(items: list[Item], start: int, end: int, lists: dict[str, bool]) -> str | None:
    """``"date"``, ``"dates"`` (a list of dates) or None for the expression ``items[start..end]``."""
    first, last = items[start], items[end]
    if start != end:
        if _date_call_at(items, start):
            return "date"
        inner = last.items if isinstance(last, Group) else []
        sig = significant(inner)
        if keyword_of(first) == "COLLECT" and len(sig) == 2 and _date_call_at(inner, sig[0]):
            return "dates"
        return None
    if is_group(first, "["):
        parts = split_items(first.items)  # type: ignore[union-attr]
        if parts and all(len(significant(p)) == 2 and _date_call_at(p, significant(p)[0]) for p in parts):
            return "dates"
        return None
    if is_ident(first) and lists.get(unquote(first)):  # type: ignore[arg-type]
        return "dates"
    return None
