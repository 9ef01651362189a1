"""Expression rewrites: map projections, list and pattern comprehensions, pattern
subqueries, and names LadybugDB reserves.
"""

from __future__ import annotations

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
    parse,
    prev_index,
    quote_name,
    significant,
    split_items,
    text_of,
)
from ecograph.query.dialect.words import LADYBUG_ONLY_RESERVED, LADYBUG_RESERVED


def rewrite_map_projections(items: list[Item]) -> list[Item]:
    """``n{.a, .b, k: x, v}`` -> ``{a: n.a, b: n.b, k: x, v: v}`` (null when n is null)."""
    out = list(items)
    i = len(out)
    while i > 0:
        i -= 1
        g = out[i]
        if not (isinstance(g, Group) and g.kind == "projection"):
            continue
        p = prev_index(out, i)
        var = text_of([out[p]])
        entries = []
        for part in split_items(g.items):
            sig = significant(part)
            if not sig:
                continue
            if is_op(part[sig[0]], "."):
                if len(sig) == 2 and is_op(part[sig[1]], "*"):
                    raise UnsupportedCypherError(f"map projection {var}{{.*}}")
                key = text_of(part[sig[1] :])
                entries.append(f"{key}: {var}.{key}")
            elif len(sig) == 1:
                entries.append(f"{text_of(part)}: {text_of(part)}")
            else:
                entries.append(text_of(part))
        # The rewrite is shorter than what it replaces: carry on left of it, not at i - 1.
        out[p : i + 1] = parse(f"(CASE WHEN {var} IS NULL THEN NULL ELSE {{{', '.join(entries)}}} END)")
        i = p
    return out


def rewrite_list(g: Group) -> list[Item]:
    """List comprehensions -> list_filter()/list_transform(); pattern comprehensions refused."""
    sig = significant(g.items)
    if not sig:
        return [g]
    first = g.items[sig[0]]
    second = g.items[sig[1]] if len(sig) > 1 else None
    if (isinstance(first, Group) and first.kind == "node") or (
        is_ident(first) and is_op(second, "=") and len(sig) > 2 and is_group(g.items[sig[2]], "(")
    ):
        raise UnsupportedCypherError("pattern comprehension")
    if not (is_ident(first) and keyword_of(second) == "IN"):
        return [g]
    var = text_of([first])
    rest = g.items[sig[1] + 1 :]
    where = next((j for j, it in enumerate(rest) if keyword_of(it) == "WHERE"), None)
    bar = next((j for j, it in enumerate(rest) if is_op(it, "|") and (where is None or j > where)), None)
    source = text_of(rest[: where if where is not None else bar])
    condition = text_of(rest[where + 1 : bar]) if where is not None else None
    projection = text_of(rest[bar + 1 :]) if bar is not None else None
    text = source
    if condition is not None:
        text = f"list_filter({text}, {var} -> {condition})"
    if projection is not None or condition is None:
        text = f"list_transform({text}, {var} -> {projection if projection is not None else var})"
    return parse(text)


def add_match_to_pattern_subquery(g: Group) -> None:
    """``EXISTS { (a)-->(b) }`` -> ``EXISTS { MATCH (a)-->(b) }`` (LadybugDB wants the MATCH)."""
    first = next_index(g.items, -1)
    if is_group(item_at(g.items, first), "("):
        g.items[first:first] = [Token("name", "MATCH"), Token("ws", " ")]


def backtick_reserved(items: list[Item], ctx: str) -> list[Item]:
    """Backtick names LadybugDB reserves: property keys (``o.table``), map keys
    (``{order: 1}``), and names that are keywords only in LadybugDB (``group``, ``table``)."""
    out = list(items)
    for i, it in enumerate(out):
        if not (isinstance(it, Token) and it.kind == "name"):
            continue
        low = it.text.lower()
        if low not in LADYBUG_RESERVED:
            continue
        prev = item_at(out, prev_index(out, i))
        nxt = item_at(out, next_index(out, i))
        property_key = is_op(prev, ".")
        map_key = ctx == "map" and is_op(nxt, ":") and (prev is None or is_op(prev, ","))
        label = ctx in ("node", "rel") and is_op(prev, ":", "|")
        identifier = low in LADYBUG_ONLY_RESERVED and not is_group(nxt, "(") and not (
            low == "profile" and prev is None and ctx == "query"
        )
        if property_key or map_key or label or identifier:
            out[i] = Token("quoted", quote_name(it.text))
    return out

