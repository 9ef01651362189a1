"""RETURN and WITH as Neo4j means them: columns named by their Neo4j text, and
``WITH … ORDER BY`` keeping its order for the next clause.
"""

from __future__ import annotations

from ecograph.errors import QueryError
from ecograph.query.dialect.clauses import State, clause_spans, clause_word
from ecograph.query.dialect.tokens import (
    Item,
    Token,
    is_op,
    item_at,
    keyword_of,
    next_index,
    parse,
    prev_index,
    quote_name,
    render,
    significant,
    split_items,
    text_of,
    unquote,
)


def column_name(part: list[Item]) -> str:
    """The name Neo4j gives the column of one projection item: its alias, else its text."""
    sig = significant(part)
    body = sig[1:] if sig and keyword_of(part[sig[0]]) == "DISTINCT" else sig
    as_at = [k for k, j in enumerate(body) if keyword_of(part[j]) == "AS"]
    if as_at and as_at[-1] + 1 < len(body):
        alias = part[body[as_at[-1] + 1]]
        return unquote(alias) if isinstance(alias, Token) else text_of([alias])
    return text_of(part[body[0] : body[-1] + 1]) if body else ""


def _check_projection(items: list[Item], word: str) -> list[str]:
    """The column names of each RETURN or WITH ``word`` clause; Neo4j refuses a name twice."""
    names: list[str] = []
    for start, end in clause_spans(items, word):
        parts = split_items(items[start + 1 : _projection_end(items, start, end)])
        names = [column_name(part) for part in parts]
        if "*" in names:
            continue
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise QueryError(
                f"Multiple result columns with the same name are not supported ({word} has {twice[0]!r} twice)"
            )
    return names


def _projection_end(items: list[Item], start: int, end: int) -> int:
    """Where the items of a projection end: before ORDER BY, SKIP, LIMIT or WHERE."""
    j = start + 1
    while j < end and keyword_of(items[j]) not in ("ORDER", "SKIP", "LIMIT", "WHERE"):
        j += 1
    return j


def check_columns(items: list[Item]) -> None:
    """Refuse what Neo4j refuses and LadybugDB runs anyway: a column name used twice in one
    RETURN or WITH, and UNION parts whose columns differ (LadybugDB keeps the first part's)."""
    _check_projection(items, "WITH")
    parts: list[list[Item]] = [[]]
    for i, it in enumerate(items):
        if clause_word(items, i) == "UNION":
            parts.append([])
        else:
            parts[-1].append(it)
    returned = [_check_projection(part, "RETURN") for part in parts]
    if len(parts) > 1 and any(names != returned[0] for names in returned):
        raise QueryError("All sub queries in an UNION must have the same return column names")


def name_return_columns(items: list[Item]) -> list[Item]:
    """``RETURN type(r)`` -> ``RETURN type(r) AS `type(r)```: Neo4j names a column by the text
    of its expression, LadybugDB by the rewritten one (``LABEL(r)``, ``COUNT_STAR()``,
    ``STRUCT_EXTRACT(…)``). Plain ``n`` and ``n.name`` are named the same by both and stay as
    they are."""
    out = list(items)
    for start, end in reversed(list(clause_spans(out, "RETURN"))):
        parts = split_items(out[start + 1 : end])
        rendered = []
        for part in parts:
            sig = significant(part)
            body = sig[1:] if sig and keyword_of(part[sig[0]]) == "DISTINCT" else sig
            plain = all(
                (k % 2 == 0 and isinstance(part[j], Token) and part[j].kind == "name")  # type: ignore[union-attr]
                or (k % 2 == 1 and is_op(part[j], "."))
                for k, j in enumerate(body)
            ) and len(body) in (1, 3)
            if not body or plain or is_op(part[body[0]], "*") or any(keyword_of(part[j]) == "AS" for j in body):
                rendered.append(render(part))
            else:
                last = body[-1] + 1
                alias = quote_name(text_of(part[body[0] : last]))
                rendered.append(render(part[:last]) + f" AS {alias}" + render(part[last:]))
        out[start + 1 : end] = parse(",".join(rendered))
    return out


def order_with_clauses(items: list[Item], st: State) -> list[Item]:
    """Make ``WITH … ORDER BY`` mean what it means in Neo4j.

    LadybugDB wants SKIP or LIMIT after ORDER BY in a WITH (``SKIP 0`` is added), and when the
    next clause aggregates without grouping keys (``RETURN collect(x)``, ``count(*)``) it drops
    the ORDER BY, so the collected list is unordered and a ``LIMIT`` keeps arbitrary rows
    (LadybugDB 0.22). An ``UNWIND [1] AS _ecograph_uN`` in between keeps the order.
    """
    out = list(items)
    for _start, end in reversed(list(clause_spans(out, "WITH"))):
        order = skip = where = None
        j = end
        while j < len(out) and clause_word(out, j) in ("ORDER", "SKIP", "LIMIT", "WHERE"):
            w = clause_word(out, j)
            if w == "ORDER":
                order = j
            elif w in ("SKIP", "LIMIT"):
                skip = j
            elif w == "WHERE":
                where = j
            j += 1
            while j < len(out) and clause_word(out, j) is None:
                j += 1
        if order is None:
            continue
        nxt = clause_word(out, j) if j < len(out) else None
        after = next_index(out, j)
        if nxt in ("RETURN", "WITH") and not is_op(item_at(out, after), "*"):
            out[prev_index(out, j) + 1 : prev_index(out, j) + 1] = parse(f" UNWIND [1] AS {st.fresh_name('_ecograph_u')}")
        if skip is None:
            order_end = (where if where is not None and where > order else j)
            at = prev_index(out, order_end) + 1
            out[at:at] = parse(" SKIP 0")
    return out

