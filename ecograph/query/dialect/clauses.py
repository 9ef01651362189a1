"""Where am I? Clause keywords, the region each item of a level stands in (pattern,
expression, SET/REMOVE text) and what each bracketed group is (:func:`classify`): a node or
relationship pattern, call arguments, a list, a map, a subscript, a subquery…
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ecograph.errors import UnsupportedCypherError
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
    unquote,
)
from ecograph.query.dialect.words import CALLABLE_KEYWORDS, KEYWORDS


@dataclass
class State:
    """What one translation shares across the tree."""

    fresh: int = 0
    star_projection: bool = False  # RETURN * / WITH *: invented variables would show up
    parameters: dict[str, Any] | None = None  # the values, when known: their kinds are known
    property_kinds: dict[str, str] = field(default_factory=dict)  # property -> kind, from the schema
    entity_names: set[str] = field(default_factory=set)  # variables of node and relationship patterns

    def fresh_name(self, prefix: str = "_ecograph_r") -> str:
        self.fresh += 1
        return f"{prefix}{self.fresh}"


def clause_spans(items: list[Item], word: str) -> Iterator[tuple[int, int]]:
    """(keyword index, end) of each ``word`` clause at this level; ``end`` is where the next
    clause starts."""
    i = 0
    while i < len(items):
        if clause_word(items, i) == word:
            end = i + 1
            while end < len(items) and clause_word(items, end) is None:
                end += 1
            yield i, end
            i = end
        else:
            i += 1


def clause_word(items: list[Item], i: int) -> str | None:
    """The clause keyword at ``i`` (MATCH, WHERE, WITH, …), or None."""
    w = keyword_of(items[i])
    if w is None or is_op(item_at(items, prev_index(items, i)), ".") or is_op(item_at(items, next_index(items, i)), ":"):
        return None
    before = keyword_of(item_at(items, prev_index(items, i)))
    if w == "WITH" and before in ("STARTS", "ENDS"):
        return None
    if w in ("MATCH", "CREATE") and before == "ON":  # MERGE … ON MATCH SET / ON CREATE SET
        return None
    if w in CLAUSE_REGIONS:
        return w
    return None


CLAUSE_REGIONS = {
    "MATCH": "pattern",
    "MERGE": "pattern",
    "CREATE": "pattern",
    "WHERE": "expr",
    "RETURN": "expr",
    "WITH": "expr",
    "UNWIND": "expr",
    "ORDER": "expr",
    "SKIP": "expr",
    "LIMIT": "expr",
    "YIELD": "expr",
    "DELETE": "expr",
    "DETACH": "expr",
    "UNION": "expr",
    "CALL": "expr",
    "ON": "expr",
    "SET": "raw",
    "REMOVE": "raw",
    "FOREACH": "raw",
    "LOAD": "raw",
    "USE": "raw",
}


def regions_of(items: list[Item], ctx: str) -> list[str]:
    """For each item of a level: ``pattern``, ``expr``, ``raw`` (SET/REMOVE), ``node`` or ``rel``."""
    if ctx != "query":
        region = {"shortest": "pattern", "node": "node", "rel": "rel"}.get(ctx, "expr")
        return [region] * len(items)
    first = next_index(items, -1)
    # A subquery body may be a bare pattern: EXISTS { (a)-->(b) }.
    region = "pattern" if is_group(item_at(items, first), "(") else "expr"
    out = []
    for i in range(len(items)):
        w = clause_word(items, i)
        if w is not None:
            region = CLAUSE_REGIONS[w]
        out.append(region)
    return out


def ends_expression(it: Item | None) -> bool:
    """Can ``it`` be the end of an operand (so a following ``[`` is a subscript)?"""
    if isinstance(it, Group):
        return True
    return isinstance(it, Token) and (it.kind in ("quoted", "param") or is_ident(it))


def is_callee(it: Item | None) -> bool:
    w = keyword_of(it)
    return w is not None and (w not in KEYWORDS or w in CALLABLE_KEYWORDS)


def _adjacent_to_relationship(items: list[Item], i: int) -> bool:
    """Does the group at ``i`` touch a relationship (``)-[``, ``)--``, ``->(``, ``]-(``…)?"""
    p = prev_index(items, i)
    pp = prev_index(items, p) if p >= 0 else -1
    if is_op(item_at(items, p), ">") and is_op(item_at(items, pp), "-"):
        return True
    if is_op(item_at(items, p), "-") and (is_op(item_at(items, pp), "-") or is_group(item_at(items, pp), "[")):
        return True
    n = next_index(items, i)
    nn = next_index(items, n)
    if is_op(item_at(items, n), "-") and (is_op(item_at(items, nn), "-", ">") or is_group(item_at(items, nn), "[")):
        return True
    return is_op(item_at(items, n), "<") and is_op(item_at(items, nn), "-")


def classify(items: list[Item], i: int, ctx: str, region: str) -> str:
    """Say what the group at ``items[i]`` is, from its bracket and its neighbours."""
    g = items[i]
    assert isinstance(g, Group)
    if g.open.text == "(":
        return _classify_paren(items, i, ctx, region)
    prev = item_at(items, prev_index(items, i))
    if g.open.text == "[":
        if is_op(prev, "-") and is_op(item_at(items, next_index(items, i)), "-"):
            return "rel"
        if ends_expression(prev) and ctx not in ("node", "rel"):
            return "subscript"
        return "list"
    return _classify_brace(prev, ctx, region)


def _classify_paren(items: list[Item], i: int, ctx: str, region: str) -> str:
    """``(…)``: call arguments, shortestPath()'s pattern, a node pattern or a parenthesis."""
    g = items[i]
    assert isinstance(g, Group)
    prev = item_at(items, prev_index(items, i))
    if ctx in ("node", "rel"):
        return "paren"
    if is_callee(prev):
        if keyword_of(prev) in ("SHORTESTPATH", "ALLSHORTESTPATHS"):
            return "shortest"
        return "call"
    if region == "pattern" or _adjacent_to_relationship(items, i):
        first = item_at(g.items, next_index(g.items, -1))
        if is_group(first, "("):
            raise UnsupportedCypherError("quantified path pattern ((…)){m,n}")
        return "node"
    return "paren"


def _classify_brace(prev: Item | None, ctx: str, region: str) -> str:
    """``{…}``: a subquery, a map, a map projection or a quantifier."""
    if keyword_of(prev) == "COLLECT":
        raise UnsupportedCypherError("COLLECT { … } subquery")
    if keyword_of(prev) == "CALL":
        raise UnsupportedCypherError("CALL { … } subquery")
    if keyword_of(prev) in ("EXISTS", "COUNT"):
        return "subquery"
    if ctx in ("node", "rel"):
        return "map"
    if region == "pattern" and is_op(prev, "-", ">"):
        return "quantifier"
    if region == "expr" and is_ident(prev):
        return "projection"
    return "map"


def mentions(items: list[Item], names: set[str]) -> bool:
    """Is one of ``names`` used as a variable anywhere in ``items``?"""
    for i, it in enumerate(items):
        if isinstance(it, Group):
            if mentions(it.items, names):
                return True
        elif it.kind in ("name", "quoted") and unquote(it) in names and not is_op(item_at(items, prev_index(items, i)), "."):
            return True
    return False


def has_star_projection(items: list[Item]) -> bool:
    """Does the query (or a subquery) have RETURN * or WITH *?"""
    for i, it in enumerate(items):
        if isinstance(it, Group):
            if has_star_projection(it.items):
                return True
        elif keyword_of(it) in ("RETURN", "WITH"):
            j = next_index(items, i)
            if keyword_of(item_at(items, j)) == "DISTINCT":
                j = next_index(items, j)
            if is_op(item_at(items, j), "*"):
                return True
    return False

