"""The time between two dates, read through a duration's components, as Neo4j computes them.

LadybugDB has no duration that matches Neo4j's (its intervals count a month as 30 days), so a
duration as a whole value stays refused. But the components of ``duration.between(a, b)``,
``duration.inMonths(a, b)`` and ``duration.inDays(a, b)`` of two dates are integers, which is what
a strategist asks for ("how many days between the deal and the policy"), and they are computed
here as Neo4j does (Cypher manual, functions/temporal/duration and values-and-types/temporal,
"Components of durations"):

- ``between``: whole months from a to b, counted as Java's ``LocalDate.until(b, MONTHS)`` (towards
  zero, a day of month not yet reached does not count), then the days left: ``P30Y8M13D`` from
  1984-10-11 to 2015-06-24; ``inMonths`` the months only; ``inDays`` the days only;
- ``.years`` = months / 12, ``.quarters`` = months / 3, ``.months``, ``.monthsOfYear`` = months % 12,
  ``.monthsOfQuarter`` = months % 3, ``.quartersOfYear`` = months % 12 / 3, ``.weeks`` = days / 7,
  ``.days``, ``.daysOfWeek`` = days % 7 (Java's integer division and remainder, towards zero, as
  LadybugDB's); the time components of a duration between two dates are 0.

Both arguments must be written as ``date(…)`` (a DATE in LadybugDB); anything else is refused by
name, as is a duration used as a whole value.
"""

from __future__ import annotations

import datetime as dt

from ecograph.errors import UnsupportedCypherError
from ecograph.query.dialect.tokens import (
    Group,
    Item,
    Token,
    is_group,
    is_op,
    item_at,
    keyword_of,
    next_index,
    parse,
    prev_index,
    significant,
    split_items,
    text_of,
    unquote,
)

_FUNCTIONS = ("between", "inmonths", "indays")
_DATE_CALLS = ("date", "make_date", "current_date")
# accessor -> LadybugDB text from {m} (the months) and {d} (the days)
_COMPONENTS = {
    "years": "({m}) / 12",
    "quarters": "({m}) / 3",
    "months": "({m})",
    "monthsofyear": "({m}) % 12",
    "monthsofquarter": "({m}) % 3",
    "quartersofyear": "(({m}) % 12) / 3",
    "weeks": "({d}) / 7",
    "days": "({d})",
    "daysofweek": "({d}) % 7",
    **{name: "({d}) * 0" for name in (
        "hours", "minutes", "seconds", "milliseconds", "microseconds", "nanoseconds",
        "minutesofhour", "secondsofminute", "millisecondsofsecond", "microsecondsofsecond", "nanosecondsofsecond",
    )},
}


def months_between(start: str, end: str) -> int:
    """Whole months from ``start`` to ``end`` (ISO dates), as Java's ``LocalDate.until(end, MONTHS)``."""
    a, b = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    packed = (b.year * 12 + b.month) * 32 + b.day - ((a.year * 12 + a.month) * 32 + a.day)
    return packed // 32 if packed >= 0 else -(-packed // 32)


def days_after_months(start: str, end: str) -> int:
    """The days from ``start`` plus :func:`months_between` months to ``end`` (the day of month
    clamped to the month's last, as Java's ``plusMonths``)."""
    a, b = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    months = a.year * 12 + a.month - 1 + months_between(start, end)
    year, month = divmod(months, 12)
    month += 1
    last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return (b - dt.date(year, month, min(a.day, last))).days


def rewrite_durations(items: list[Item]) -> list[Item]:
    """``duration.between(a, b).days`` … -> integer arithmetic on LadybugDB; a duration used
    otherwise is refused by name."""
    out = list(items)
    i = len(out) - 1
    while i >= 0:
        if (keyword_of(out[i]) == "DURATION" and is_op(item_at(out, next_index(out, i)), ".")
                and not is_op(item_at(out, prev_index(out, i)), ".")):
            end, text = _component(out, i)
            out[i : end + 1] = parse(text)
        i -= 1
    return out


def _component(items: list[Item], i: int) -> tuple[int, str]:
    """(index of the last item, LadybugDB text) of ``duration.f(a, b).component`` at ``i``."""
    name_at = next_index(items, next_index(items, i))
    name, args = item_at(items, name_at), item_at(items, next_index(items, name_at))
    function = unquote(name).lower() if isinstance(name, Token) else ""
    spelled = f"function duration.{unquote(name) if isinstance(name, Token) else ''}()"
    if function not in _FUNCTIONS or not isinstance(args, Group) or not is_group(args, "("):
        raise UnsupportedCypherError(spelled)
    dot = next_index(items, next_index(items, name_at))
    component = item_at(items, next_index(items, dot))
    if not (is_op(item_at(items, dot), ".") and isinstance(component, Token)
            and unquote(component).lower() in _COMPONENTS):
        raise UnsupportedCypherError(f"{spelled} as a whole value (its .years, .months, .days … are supported)")
    parts = split_items(args.items)
    if len(parts) != 2 or not all(_is_date(part) for part in parts):
        raise UnsupportedCypherError(f"{spelled} of values not written as date(…)")
    a, b = (text_of(part) for part in parts)
    days = f"({b}) - ({a})"
    months = f"ecograph_months_between(cast({a} AS STRING), cast({b} AS STRING))"
    if function == "between":
        days = f"ecograph_days_after_months(cast({a} AS STRING), cast({b} AS STRING))"
    elif function == "inmonths":
        days = f"({months}) * 0"
    else:
        months = f"({days}) * 0"
    text = _COMPONENTS[unquote(component).lower()].format(m=months, d=days)
    return next_index(items, dot), f"({text})"


def _is_date(part: list[Item]) -> bool:
    """Is this argument a ``date(…)`` call (as the rewrites of ``date()`` leave it)?"""
    sig = significant(part)
    return (
        len(sig) == 2 and (keyword_of(part[sig[0]]) or "").lower() in _DATE_CALLS and is_group(part[sig[1]], "(")
    )
