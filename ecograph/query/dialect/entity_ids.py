"""Returned nodes and relationships as internal ids, read a batch at a time by the store.

LadybugDB holds a whole answer before giving its first row; returned as ids, a million rows of
``(a, r, b)`` take a sixth of the memory (see :func:`entity_ids`).
"""

from __future__ import annotations

from dataclasses import dataclass

from ecograph.errors import EcographError
from ecograph.query.dialect.clauses import (
    classify, clause_spans, clause_word, has_star_projection, is_callee, mentions, regions_of,
)
from ecograph.query.dialect.tokens import (
    Group, Item, Token, is_group, is_ident, is_op, item_at, keyword_of, next_index, parse, prev_index, render,
    significant, split_items, unquote,
)

__all__ = ["EntityIds", "entity_ids"]


@dataclass(frozen=True)
class EntityIds:
    """A translated query whose returned nodes and relationships come back as internal ids.

    ``text`` runs on LadybugDB; ``columns`` says, for each column it returns, ``"node"`` (an
    internal id in place of the node), ``"rel"`` (an internal id in place of the relationship;
    the next column holds its type and is marked ``"type"``), or None (a value as asked).
    """

    text: str
    columns: tuple[str | None, ...]


def entity_ids(translated: str) -> EntityIds | None:
    """Rewrite a translated read query so that its final RETURN gives nodes and relationships
    as internal ids, to be read a batch at a time; None when nothing can be rewritten safely.

    LadybugDB holds a whole answer before its first row, every returned node with all its
    properties: a million ``(a, r, b)`` rows took 1.44 GB in the engine, against 0.06 GB as
    ids. Only a bare variable is rewritten (``a``, ``DISTINCT a``, ``a AS x``), and only one
    that the query binds in a node pattern ``(a)`` or a single relationship pattern ``[r]``
    and never rebinds (``AS a``, ``YIELD a``, ``a = path``); ``RETURN *``, UNION and an
    ORDER BY that needs the entity itself leave the query as it is (grouped rows would come in
    the order of other keys). An ordered answer is the same; so is the order of a single pattern
    such as ``(a)-[r]->(b)`` (a million rows, one thread). Where the plan joins parts (OPTIONAL
    MATCH, two MATCH clauses) rows the query does not order may come in another order, one
    that with more than one thread already changes from run to run::

        >>> entity_ids("MATCH (a)-[r]->(b) RETURN a, r, b.id").text
        'MATCH (a)-[r]->(b) RETURN id(a) AS a, id(r) AS r, label(r) AS _ecograph_type1, b.id'
    """
    items = parse(translated)
    if has_star_projection(items) or any(clause_word(items, i) == "UNION" for i in range(len(items))):
        return None
    try:
        kinds = variable_kinds(items)
    except EcographError:
        return None
    spans = list(clause_spans(items, "RETURN"))
    if not kinds or not spans:
        return None
    start, end = spans[-1]
    tail = items[end:]  # ORDER BY, SKIP, LIMIT
    parts = split_items(items[start + 1 : end])
    if _grouped(items, start, parts):
        return None  # grouped rows come out in the order of their hashed keys, which ids would change
    rendered: list[str] = []
    columns: list[str | None] = []
    for k, part in enumerate(parts, 1):
        text, kinds_out = _column(part, k, kinds, tail)
        rendered.append(text)
        columns += kinds_out
    if all(c is None for c in columns):
        return None
    text = render(items[: start + 1]) + ",".join(rendered) + render(tail)
    return EntityIds(text, tuple(columns))


def _grouped(items: list[Item], start: int, parts: list[list[Item]]) -> bool:
    """True if the RETURN at ``start`` is DISTINCT or aggregates."""
    return keyword_of(item_at(items, next_index(items, start))) == "DISTINCT" or any(
        is_group(it, "(") and is_callee(item_at(part, prev_index(part, j)))
        and keyword_of(item_at(part, prev_index(part, j))) in AGGREGATES
        for part in parts for j, it in enumerate(part)
    )


def _column(part: list[Item], k: int, kinds: dict[str, str], tail: list[Item]) -> tuple[str, list[str | None]]:
    """One RETURN item rewritten to ids where it is a bare node or relationship variable: its
    text and what each column it now gives holds (see :class:`EntityIds`)."""
    sig = significant(part)
    lead = sig[:1] if sig and keyword_of(part[sig[0]]) == "DISTINCT" else []
    body = sig[len(lead):]
    var = alias = None
    if len(body) == 1 or (len(body) == 3 and keyword_of(part[body[1]]) == "AS"):
        if is_ident(part[body[0]]) and (len(body) == 1 or is_ident(part[body[-1]])):
            var, alias = part[body[0]], part[body[-1]]
    kind = kinds.get(unquote(var)) if isinstance(var, Token) else None
    if kind is not None:
        assert isinstance(var, Token) and isinstance(alias, Token)
        # ORDER BY a.name still sees the node behind ``id(a) AS a``, not behind another alias.
        if mentions(tail, {unquote(var), unquote(alias)}) and unquote(alias) != unquote(var):
            kind = None
    if kind is None:
        return render(part), [None]
    head = render(part[: body[0]])
    name, shown = render([var]), render([alias])  # type: ignore[list-item]
    text = f"{head}id({name}) AS {shown}"
    if kind == "rel":
        return text + f", label({name}) AS _ecograph_type{k}" + render(part[body[-1] + 1 :]), ["rel", "type"]
    return text + render(part[body[-1] + 1 :]), [kind]


AGGREGATES = frozenset({"COUNT", "COLLECT", "SUM", "AVG", "MIN", "MAX", "STDEV", "STDEVP", "PERCENTILECONT",
                         "PERCENTILEDISC", "COUNT_STAR"})


def variable_kinds(items: list[Item]) -> dict[str, str]:
    """The query's top-level variables that are surely one node (``"node"``) or one
    relationship (``"rel"``) wherever they stand."""
    regions = regions_of(items, "query")
    found: dict[str, set[str]] = {}
    for i, it in enumerate(items):
        if isinstance(it, Group):
            kind = classify(items, i, "query", regions[i])
            first = item_at(it.items, next_index(it.items, -1))
            if kind in ("node", "rel") and is_ident(first):
                assert isinstance(first, Token)
                if kind == "rel" and any(is_op(x, "*") for x in it.items):
                    kind = "rels"  # a variable-length relationship is a list
                found.setdefault(unquote(first), set()).add(kind)
        elif keyword_of(it) in ("AS", "YIELD") or is_op(it, "="):
            # AS a / YIELD a rebind a; a = (…) binds a path.
            j = next_index(items, i) if not is_op(it, "=") else prev_index(items, i)
            other = item_at(items, j)
            if is_ident(other):
                found.setdefault(unquote(other), set()).add("other")  # type: ignore[arg-type]
            if keyword_of(it) == "YIELD":
                found["*yield"] = {"other"}
    if "*yield" in found:  # YIELD a, b: every name after it may be rebound
        return {}
    return {name: next(iter(k)) for name, k in found.items() if k in ({"node"}, {"rel"})}
