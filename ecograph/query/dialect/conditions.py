"""CASE conditions that hold a CASE, written so LadybugDB takes them.

LadybugDB 0.22 goes to ELSE whenever a WHEN condition is itself a CASE expression, also with
``AND true`` or ``OR false`` around it (the engine folds those away):
``CASE WHEN (CASE WHEN i = 1 THEN true ELSE false END) THEN 'a' ELSE 'b' END`` is ``'b'`` for
every ``i``. Compared with true, ``(cond) = true``, the condition is read right. That keeps
Neo4j's meaning: true stays true, false and null (``null = true`` is null) both fall through
to the next WHEN or ELSE, as a null condition does in Neo4j.

:func:`guard_case_conditions` runs last, over the whole translated tree, so it also reaches
CASE expressions that other rewrites wrote (``labels()``, map projections, ``typeof()`` tests).
"""

from __future__ import annotations

from ecograph.query.dialect.tokens import Group, Item, is_op, is_trivia, keyword_of, next_index, parse, render

_PARTS = ("WHEN", "THEN", "ELSE")


def guard_case_conditions(items: list[Item]) -> list[Item]:
    """Every ``WHEN cond THEN`` of a searched CASE whose ``cond`` holds a CASE becomes
    ``WHEN (cond) = true THEN``, at every level of the tree."""
    out: list[Item] = []
    i = 0
    while i < len(items):
        it = items[i]
        if isinstance(it, Group):
            it.items = guard_case_conditions(it.items)
            out.append(it)
        elif keyword_of(it) == "CASE":
            end = _case_end(items, i)
            if end is None:  # no END: left for the engine to report
                return [*out, it, *guard_case_conditions(items[i + 1 :])]
            out.extend(_guard_case(items[i : end + 1]))
            i = end
        else:
            out.append(it)
        i += 1
    return out


def _case_end(items: list[Item], i: int) -> int | None:
    """Index of the END that closes the CASE at ``items[i]`` (nested CASEs counted)."""
    depth = 0
    for j in range(i, len(items)):
        word = keyword_of(items[j])
        if word == "CASE":
            depth += 1
        elif word == "END":
            depth -= 1
            if depth == 0:
                return j
    return None


def _guard_case(case: list[Item]) -> list[Item]:
    """One CASE … END (``case[0]`` is CASE, ``case[-1]`` END), its parts guarded."""
    searched = keyword_of(case[next_index(case, 0)]) == "WHEN"
    out: list[Item] = [case[0]]
    part: list[Item] = []
    opener: str | None = None  # the keyword that started ``part``
    depth = 0
    for it in case[1:-1]:
        word = keyword_of(it)
        depth += (word == "CASE") - (word == "END")
        if depth == 0 and word in _PARTS:
            out.extend(_finish_part(part, searched and opener == "WHEN"))
            out.append(it)
            part, opener = [], word
        else:
            part.append(it)
    out.extend(_finish_part(part, searched and opener == "WHEN"))
    out.append(case[-1])
    return out


def _finish_part(part: list[Item], condition: bool) -> list[Item]:
    """A part of a CASE, guarded inside; a condition holding a CASE compared with true."""
    part = guard_case_conditions(part)
    if not (condition and _holds_case(part)) or _compared_with_true(part):
        return part
    lead = 0
    while lead < len(part) and is_trivia(part[lead]):
        lead += 1
    tail = len(part)
    while tail > lead and is_trivia(part[tail - 1]):
        tail -= 1
    return [*part[:lead], *parse(f"({render(part[lead:tail])}) = true"), *part[tail:]]


def _compared_with_true(items: list[Item]) -> bool:
    """Does the condition already end in ``= true`` (as the dialect's own rewrites write it)?"""
    sig = [it for it in items if not is_trivia(it)]
    return len(sig) >= 3 and keyword_of(sig[-1]) == "TRUE" and is_op(sig[-2], "=") and not _holds_bool_op(sig)


def _holds_bool_op(sig: list[Item]) -> bool:
    """An AND, OR, XOR or NOT at the top of the condition: ``= true`` binds only its last operand."""
    return any(keyword_of(it) in ("AND", "OR", "XOR", "NOT") for it in sig)


def _holds_case(items: list[Item]) -> bool:
    return any(
        _holds_case(it.items) if isinstance(it, Group) else keyword_of(it) == "CASE" for it in items
    )
