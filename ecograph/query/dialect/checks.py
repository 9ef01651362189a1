"""Constructs that cannot be carried over to LadybugDB: each check raises
:class:`~ecograph.errors.UnsupportedCypherError` naming the construct.
"""

from __future__ import annotations

from ecograph.errors import UnsupportedCypherError
from ecograph.query.dialect.clauses import clause_word, mentions
from ecograph.query.dialect.labels import label_expression, label_expression_text
from ecograph.query.dialect.paths import relationship
from ecograph.query.dialect.tokens import (
    Group,
    Item,
    Token,
    dotted_name,
    is_group,
    is_op,
    is_trivia,
    item_at,
    keyword_of,
    next_index,
    prev_index,
    significant,
    split_items,
    text_of,
    unquote,
)
from ecograph.query.dialect.words import LAMBDA_FUNCTIONS


def check_clauses(items: list[Item]) -> None:
    """Refuse the clauses LadybugDB has no equivalent for."""
    for i, it in enumerate(items):
        w = clause_word(items, i) or keyword_of(it)
        if w is None or is_op(item_at(items, prev_index(items, i)), ".", ":"):
            continue
        nxt = item_at(items, next_index(items, i))
        if w == "FOREACH":
            raise UnsupportedCypherError("FOREACH")
        if w == "LOAD" and keyword_of(nxt) == "CSV":
            raise UnsupportedCypherError("LOAD CSV")
        if w == "FINISH" and (nxt is None or is_op(nxt, ";") or keyword_of(nxt) == "UNION"):
            raise UnsupportedCypherError("FINISH")
        if w == "SHOW" and next_index(items, -1) == i:
            raise UnsupportedCypherError(f"SHOW {nxt.text if isinstance(nxt, Token) else ''}".strip())
        if w == "CALL" and clause_word(items, i) == "CALL":
            if is_group(nxt, "{") or (
                is_group(nxt, "(") and is_group(item_at(items, next_index(items, next_index(items, i))), "{")
            ):
                raise UnsupportedCypherError("CALL { … } subquery")
            name = dotted_name(items, next_index(items, i))
            if name and "." in name:
                raise UnsupportedCypherError(f"procedure {name}()")


def check_pattern_syntax(items: list[Item], regions: list[str]) -> None:
    """Refuse GQL path selectors and match modes, which LadybugDB does not parse."""
    for i, it in enumerate(items):
        if regions[i] != "pattern":
            continue
        w = keyword_of(it)
        if w in ("ANY", "ALL", "SHORTEST") and not is_group(item_at(items, next_index(items, i)), "("):
            words = []
            j = i
            while j < len(items) and not is_group(items[j]):
                if not is_trivia(items[j]):
                    words.append(items[j].text)  # type: ignore[union-attr]
                j = next_index(items, j)
            raise UnsupportedCypherError(f"path selector {' '.join(words)}")
        if w in ("REPEATABLE", "DIFFERENT") and keyword_of(item_at(items, prev_index(items, i))) == "MATCH":
            raise UnsupportedCypherError(f"match mode {w} {item_at(items, next_index(items, i)).text}")  # type: ignore[union-attr]


def check_node_pattern(g: Group) -> None:
    """Refuse node patterns that LadybugDB would read differently (``:A:B`` means OR there)."""
    if any(keyword_of(it) == "WHERE" for it in g.items):
        raise UnsupportedCypherError("WHERE inside a node pattern")
    for i, it in enumerate(g.items):
        if is_op(it, ":"):
            first = next_index(g.items, i)
            if is_op(item_at(g.items, first), "!", "%") or is_group(item_at(g.items, first), "("):
                raise UnsupportedCypherError(f"label expression {label_expression_text(g.items, first)}")
            labels, ops, _ = label_expression(g.items, first)
            if any(op in (":", "&") for op in ops) and len(set(labels)) > 1:
                raise UnsupportedCypherError(f"node with several labels :{':'.join(labels)}")
            return


def check_relationship_pattern(g: Group) -> None:
    for it in g.items:
        if keyword_of(it) == "WHERE":
            raise UnsupportedCypherError("WHERE inside a relationship pattern")
        if is_op(it, "&", "!", "%"):
            raise UnsupportedCypherError(f"relationship type expression {text_of(g.items)}")


def check_shortest_path_filters(items: list[Item]) -> None:
    """Refuse a WHERE on a shortestPath() path: Neo4j applies it during the search (it finds
    the shortest path that passes), LadybugDB would filter the shortest paths afterwards."""
    for i, it in enumerate(items):
        if not (isinstance(it, Group) and it.kind == "shortest"):
            continue
        names = set()
        eq = prev_index(items, prev_index(items, i))
        path = item_at(items, prev_index(items, eq))
        if is_op(item_at(items, eq), "=") and isinstance(path, Token) and path.kind in ("name", "quoted"):
            names.add(unquote(path))
        for part in it.items:
            if isinstance(part, Group) and part.kind == "rel":
                var = relationship(part).var
                if var:
                    names.add(var)
        j = i
        while j < len(items) and clause_word(items, j) is None:
            j += 1
        if names and j < len(items) and clause_word(items, j) == "WHERE":
            end = j + 1
            while end < len(items) and clause_word(items, end) is None:
                end += 1
            if mentions(items[j + 1 : end], names):
                raise UnsupportedCypherError("WHERE condition on a shortestPath() path or relationship")


def check_lambda_scopes(items: list[Item], outer: list[str]) -> None:
    """Refuse a list comprehension or any()/all() inside another that uses the outer variable:
    LadybugDB fails with "Lambda paramName x cannot found"."""
    for i, it in enumerate(items):
        if not isinstance(it, Group):
            continue
        callee = item_at(items, prev_index(items, i))
        lam = _lambda_parts(it) if it.open.text == "(" and (keyword_of(callee) or "").lower() in LAMBDA_FUNCTIONS else None
        if lam is None:
            check_lambda_scopes(it.items, outer)
            continue
        var, source, body = lam
        check_lambda_scopes(source, outer)
        if outer and mentions(body, set(outer)):
            raise UnsupportedCypherError(
                "list comprehension or any()/all()/none()/single() inside another that uses its variable"
            )
        check_lambda_scopes(body, [*outer, var])


def _lambda_parts(g: Group) -> tuple[str, list[Item], list[Item]] | None:
    """``(list, x -> body)`` or ``(x IN list WHERE body)``: the variable, the list, the body."""
    parts = split_items(g.items)
    if len(parts) == 2:  # list_transform(list, x -> body)
        sig = significant(parts[1])
        if len(sig) >= 3 and is_op(parts[1][sig[1]], "-") and is_op(parts[1][sig[2]], ">"):
            return text_of([parts[1][sig[0]]]), parts[0], parts[1][sig[2] + 1 :]
    sig = significant(g.items)
    if len(sig) >= 2 and keyword_of(g.items[sig[1]]) == "IN":
        where = next((j for j in sig[2:] if keyword_of(g.items[j]) == "WHERE"), None)
        if where is not None:
            return text_of([g.items[sig[0]]]), g.items[sig[1] + 1 : where], g.items[where + 1 :]
    return None

