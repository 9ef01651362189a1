"""Dates as Neo4j writes them, on LadybugDB's DATE.

``date('2015-07-21')`` runs as it is; Neo4j's other text forms (``'20150721'``, ``'2015-07'``,
``'2015-W30-2'``, ``'2015-202'``, ``'2015'``) are read here and written as ``YYYY-MM-DD``, which
is the only form LadybugDB parses; ``date({year: …, month: …, day: …})`` becomes ``make_date()``;
the accessors ``.year``, ``.month``, ``.day``, ``.quarter``, ``.week``, ``.dayOfWeek`` of a
``date(…)`` call become ``date_part()``. LadybugDB has no time zones, no local times and
intervals that Neo4j's durations do not match (months are 30 days there), so ``datetime()``,
``localdatetime()``, ``time()``, ``localtime()`` and ``duration()`` are refused by name.
"""

from __future__ import annotations

from ecograph.errors import UnsupportedCypherError
from ecograph.query.dialect.conversions import date_text
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
    string_literal,
    string_value,
    text_of,
    unquote,
)

# Neo4j's accessor -> date_part()'s specifier.
_ACCESSORS = {"year": "year", "month": "month", "day": "day", "quarter": "quarter", "week": "week"}
_DATE_FUNCTIONS = ("date", "make_date")


def date_call(args: list[list[Item]]) -> str | None:
    """``date('…')`` or ``date({year: …})`` for LadybugDB; None to leave the call as it is."""
    sig = significant(args[0])
    arg = args[0][sig[0]] if len(sig) == 1 else None
    if isinstance(arg, Token) and arg.kind == "string":
        return f"date({string_literal(date_text(string_value(arg.text)))})"
    if is_group(arg, "{"):
        assert isinstance(arg, Group)
        fields: dict[str, str] = {}
        for part in split_items(arg.items):
            psig = significant(part)
            if len(psig) >= 3 and is_op(part[psig[1]], ":") and isinstance(part[psig[0]], Token):
                fields[unquote(part[psig[0]]).lower()] = text_of(part[psig[2] :])  # type: ignore[arg-type]
        if not fields or set(fields) - {"year", "month", "day"} or "year" not in fields:
            raise UnsupportedCypherError(f"date() from a map with {', '.join(sorted(fields)) or 'no'} fields")
        return f"make_date({fields['year']}, {fields.get('month', '1')}, {fields.get('day', '1')})"
    # Data dates may be '2014' or '2014-10': read them as Neo4j does.
    return f"date(ecograph_date_text({text_of(args[0])}))"


def rewrite_accessors(items: list[Item]) -> list[Item]:
    """``date(…).year`` -> ``date_part('year', date(…))`` (LadybugDB has no accessors)."""
    out = list(items)
    i = len(out) - 1
    while i >= 0:
        g = out[i]
        callee = item_at(out, prev_index(out, i))
        dot = next_index(out, i)
        name = item_at(out, next_index(out, dot))
        if not (
            is_group(g, "(") and (keyword_of(callee) or "").lower() in _DATE_FUNCTIONS and is_op(item_at(out, dot), ".")
            and isinstance(name, Token) and name.kind in ("name", "quoted")
        ):
            i -= 1
            continue
        f = prev_index(out, i)
        call = text_of(out[f : i + 1])
        accessor = unquote(name)
        if accessor.lower() in _ACCESSORS:
            text = f"date_part('{_ACCESSORS[accessor.lower()]}', {call})"
        elif accessor.lower() == "dayofweek":
            text = f"(CASE date_part('dow', {call}) WHEN 0 THEN 7 ELSE date_part('dow', {call}) END)"
        else:
            raise UnsupportedCypherError(f"date accessor .{accessor}")
        end = next_index(out, dot)
        out[f : end + 1] = parse(text)
        i = f - 1
    return out
