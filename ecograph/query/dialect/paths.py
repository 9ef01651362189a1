"""Relationship patterns: their parts (:func:`relationship`), variable-length
relationships as trails, ``shortestPath()`` and Neo4j 5 quantified relationships
(``-[:T]->{1,3}``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ecograph.errors import UnsupportedCypherError
from ecograph.query.dialect.clauses import regions_of
from ecograph.query.dialect.tokens import (
    Group,
    Item,
    Token,
    is_group,
    is_op,
    is_trivia,
    item_at,
    keyword_of,
    next_index,
    parse,
    prev_index,
    significant,
    text_of,
    unquote,
)
from ecograph.query.dialect.words import MAX_DEPTH


@dataclass
class _Relationship:
    """The parts of a relationship pattern ``[r:A|B*1..3 {…}]``."""

    var: str | None
    types: frozenset[str] | None  # None: any type
    star: int | None  # index of "*" in the group's items
    star_end: int | None  # index of the last item of the length spec
    low: str | None
    high: str | None
    ranged: bool  # "*a..b" rather than "*k"
    native: bool  # already LadybugDB syntax (* SHORTEST …, * TRAIL …)


def relationship(g: Group) -> _Relationship:
    items = g.items
    sig = significant(items)
    var = None
    types: set[str] | None = None
    pos = 0
    if sig and isinstance(items[sig[0]], Token) and items[sig[0]].kind in ("name", "quoted"):
        var = unquote(items[sig[0]])  # type: ignore[arg-type]
        pos = 1
    if pos < len(sig) and is_op(items[sig[pos]], ":"):
        types = set()
        pos += 1
        while pos < len(sig) and (isinstance(items[sig[pos]], Token) and items[sig[pos]].kind in ("name", "quoted") or is_op(items[sig[pos]], "|", ":")):
            if not is_op(items[sig[pos]], "|", ":"):
                types.add(unquote(items[sig[pos]]))  # type: ignore[arg-type]
            pos += 1
    rel = _Relationship(var, frozenset(types) if types is not None else None, None, None, None, None, False, False)
    if pos < len(sig) and is_op(items[sig[pos]], "*"):
        rel.star = rel.star_end = sig[pos]
        pos += 1
        if pos < len(sig) and keyword_of(items[sig[pos]]) is not None:
            rel.native = True
            return rel
        if pos < len(sig) and isinstance(items[sig[pos]], Token) and items[sig[pos]].kind == "number":
            rel.low = items[sig[pos]].text  # type: ignore[union-attr]
            rel.star_end = sig[pos]
            pos += 1
        if pos < len(sig) and is_op(items[sig[pos]], ".."):
            rel.ranged = True
            rel.star_end = sig[pos]
            pos += 1
            if pos < len(sig) and isinstance(items[sig[pos]], Token) and items[sig[pos]].kind == "number":
                rel.high = items[sig[pos]].text  # type: ignore[union-attr]
                rel.star_end = sig[pos]
    return rel


def _with_length(g: Group, spec: str) -> Group:
    """A copy of relationship group ``g`` with its ``*…`` length spec replaced by ``spec``."""
    rel = relationship(g)
    items = list(g.items)
    if rel.star is not None and rel.star_end is not None:
        items[rel.star : rel.star_end + 1] = parse(spec)
    else:  # no length yet: it goes after the variable and types, before a property map
        at = next((j for j, it in enumerate(items) if is_group(it, "{")), len(items))
        while at > 0 and is_trivia(items[at - 1]):
            at -= 1
        items[at:at] = parse(spec)
    return Group(g.open, items, g.close, g.kind)


def _bounds(rel: _Relationship) -> tuple[int, int]:
    """Neo4j's length bounds for ``*``, ``*k``, ``*a..``, ``*..b``, ``*a..b`` (no upper bound:
    LadybugDB's maximum, 30)."""
    if rel.star is None:
        return 1, 1
    if not rel.ranged:
        k = int(rel.low) if rel.low else None
        return (k, k) if k is not None else (1, MAX_DEPTH)
    return int(rel.low) if rel.low else 1, int(rel.high) if rel.high else MAX_DEPTH


def rewrite_var_length(items: list[Item]) -> list[Item]:
    """``-[:T*1..3]-`` -> ``-[:T* TRAIL 1..3]-``: Neo4j never uses a relationship twice in one
    match (a trail); LadybugDB matches walks unless told TRAIL, and without an upper bound it
    would enumerate every walk up to 30 hops."""
    out = list(items)
    for i, it in enumerate(out):
        if isinstance(it, Group) and it.kind == "rel":
            rel = relationship(it)
            if rel.star is not None and not rel.native:
                low, high = _bounds(rel)
                out[i] = _with_length(it, f"* TRAIL {low}..{high}")
    return out


def shortest_path(call: str, args: Group) -> str:
    """``shortestPath((a)-[:T*..5]-(b))`` -> ``(a)-[:T* SHORTEST 1..5]-(b)``."""
    rels = [j for j, it in enumerate(args.items) if isinstance(it, Group) and it.kind == "rel"]
    if len(rels) != 1:
        raise UnsupportedCypherError(f"{call}() over a pattern of {len(rels)} relationships")
    g = args.items[rels[0]]
    assert isinstance(g, Group)
    rel = relationship(g)
    low, high = _bounds(rel)
    # Neo4j allows a minimum of 0 or 1 only; a 0-length shortest path is a = b, which LadybugDB
    # cannot return (its minimum is 1).
    low = max(low, 1)
    selector = "ALL SHORTEST" if call.lower() == "allshortestpaths" else "SHORTEST"
    items = list(args.items)
    items[rels[0]] = _with_length(g, f"* {selector} {low}..{high}")
    return text_of(items)


def rewrite_quantified_relationships(items: list[Item], ctx: str) -> list[Item]:
    """``-[:T]->{1,3}`` (Neo4j 5 quantified relationship) -> ``-[:T*1..3]->``."""
    out = list(items)
    regions = regions_of(out, ctx)
    i = 0
    while i < len(out):
        it = out[i]
        quantifier = None
        if isinstance(it, Group) and it.kind == "quantifier":
            quantifier = text_of(it.items)
        elif (
            regions[i] == "pattern"
            and is_op(it, "+", "*")
            and is_op(item_at(out, prev_index(out, i)), "-", ">")
            and is_group(item_at(out, next_index(out, i)), "(")
        ):
            quantifier = it.text  # type: ignore[union-attr]
        if quantifier is None:
            i += 1
            continue
        low, high = _quantifier_bounds(quantifier)
        j = prev_index(out, i)
        if is_op(out[j], ">"):
            j = prev_index(out, j)
        k = prev_index(out, j)  # the relationship's bracket, or the first "-" of "--"
        target = item_at(out, k)
        if isinstance(target, Group) and target.kind == "rel":
            rel = relationship(target)
            if rel.var is not None:
                raise UnsupportedCypherError("quantified relationship with a variable -[r]->{m,n}")
            if rel.star is not None:
                raise UnsupportedCypherError("quantified variable-length relationship")
            out[k] = _with_length(target, f"*{low}..{high}")
        elif is_op(target, "-"):
            group = Group(Token("op", "["), parse(f"*{low}..{high}"), Token("op", "]"), "rel")
            out.insert(j, group)
            i += 1
        else:
            raise UnsupportedCypherError(f"quantifier {quantifier}")
        del out[i]
        regions = regions_of(out, ctx)
    return out


def _quantifier_bounds(q: str) -> tuple[int, int]:
    if q == "+":
        return 1, MAX_DEPTH
    if q == "*":
        return 0, MAX_DEPTH
    m = re.fullmatch(r"\s*(\d*)\s*(,?)\s*(\d*)\s*", q)
    if not m or not (m.group(1) or m.group(3)):
        raise UnsupportedCypherError(f"quantifier {{{q}}}")
    if not m.group(2):
        return int(m.group(1)), int(m.group(1))
    return int(m.group(1) or 0), int(m.group(3) or MAX_DEPTH)

