""":func:`translate`: the rewrites in order, bottom-up over the bracket tree."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ecograph.errors import UnsupportedCypherError
from ecograph.query.dialect.calls import rewrite_calls
from ecograph.query.dialect.checks import (
    check_clauses,
    check_lambda_scopes,
    check_node_pattern,
    check_pattern_syntax,
    check_relationship_pattern,
    check_shortest_path_filters,
)
from ecograph.query.dialect.clauses import State, classify, has_star_projection, regions_of
from ecograph.query.dialect.conditions import guard_case_conditions
from ecograph.query.dialect.durations import rewrite_durations
from ecograph.query.dialect.date_arithmetic import check_date_arithmetic, check_temporal_parameters
from ecograph.query.dialect.columns import check_columns, name_return_columns, order_with_clauses
from ecograph.query.dialect.expressions import (
    add_match_to_pattern_subquery,
    backtick_reserved,
    rewrite_list,
    rewrite_map_projections,
)
from ecograph.query.dialect.id_lookups import rewrite_id_lookups
from ecograph.query.dialect.labels import rewrite_label_predicates
from ecograph.query.dialect.ordering import rewrite_order_keys
from ecograph.query.dialect.paths import rewrite_quantified_relationships, rewrite_var_length
from ecograph.query.dialect.semantics import (
    check_integer_literals,
    check_list_literal,
    check_map_literal,
    parameter_state,
    rewrite_comparisons,
    rewrite_concatenation,
    rewrite_in,
)
from ecograph.query.dialect.subscripts import rewrite_subscripts
from ecograph.query.dialect.temporal import rewrite_accessors
from ecograph.query.dialect.tokens import (
    Group,
    Item,
    Token,
    is_op,
    item_at,
    keyword_of,
    next_index,
    parse,
    prev_index,
    render,
)
from ecograph.query.dialect.trails import enforce_unique_relationships, rewrite_var_length_references
from ecograph.query.dialect.writes import parameter_names


def translate(query: str, parameters: Mapping[str, Any] | None = None, model: Any = None) -> str:
    """Neo4j Cypher -> LadybugDB Cypher.

    Raises ``UnsupportedCypherError(construct)`` for constructs with no equivalent (construct is
    a short human name, e.g. ``"pattern comprehension"``, ``"CALL { … } subquery"``,
    ``"procedure db.labels()"``, ``"LOAD CSV"``, ``"FOREACH"``). ``parameters``, when given,
    are the values the query will run with: their kinds decide how comparisons and ``IN`` are
    written (see :mod:`ecograph.query.dialect.semantics`). ``model`` is the data's model
    (:class:`ecograph.data.schema.Model`, the shipped one when None): the types of its properties
    type the comparisons.

    Example::

        >>> translate("MATCH (a)-[r]->(b) WHERE b:Platform RETURN type(r)")
        "MATCH (a)-[r]->(b) WHERE (label(b) = 'Platform') RETURN label(r)"
    """
    items = parse(query)
    check_temporal_parameters(parameter_names(query), parameters)
    check_date_arithmetic(items)
    state = State(star_projection=has_star_projection(items), **parameter_state(parameters, model))
    items = _translate_seq(items, "query", state)
    check_lambda_scopes(items, [])
    items = guard_case_conditions(items)
    return render(items)


def _translate_seq(items: list[Item], ctx: str, st: State) -> list[Item]:
    """Translate one level of the tree; ``ctx`` is what the level is.

    ctx is one of ``query`` (a query or subquery body), ``shortest`` (the pattern inside
    shortestPath()), ``expr`` (an expression list), ``map``, ``node``, ``rel``.
    """
    if ctx == "query":
        check_clauses(items)
        check_columns(items)
        items = name_return_columns(items)
        items = order_with_clauses(items, st)
    regions = regions_of(items, ctx)
    if ctx in ("query", "shortest"):
        check_pattern_syntax(items, regions)
    out: list[Item] = []
    for i, it in enumerate(items):
        if isinstance(it, Group):
            it.kind = classify(items, i, ctx, regions[i])
            if it.kind in ("node", "rel"):
                first = item_at(it.items, next_index(it.items, -1))
                if isinstance(first, Token) and first.kind in ("name", "quoted"):
                    st.entity_names.add(first.text)
            lambda_call = it.kind == "call" and keyword_of(item_at(items, prev_index(items, i))) in _LAMBDA_CALLS
            out.extend(_translate_group(it, st, lambda_call))
        else:
            if is_op(it, "::"):
                raise UnsupportedCypherError("type predicate or cast with ::")
            out.append(it)
    items = out
    if ctx in ("query", "shortest"):
        items = rewrite_quantified_relationships(items, ctx)
    if ctx != "shortest":
        items = rewrite_var_length(items)
    if ctx == "query":
        check_shortest_path_filters(items)
    if ctx not in ("node", "rel"):
        items = rewrite_id_lookups(items, st)
    items = rewrite_durations(items)
    items = rewrite_calls(items, regions_of(items, ctx))
    items = rewrite_accessors(items)
    items = rewrite_subscripts(items)
    if ctx not in ("node", "rel"):
        items = rewrite_label_predicates(items, regions_of(items, ctx), ctx)
    items = rewrite_map_projections(items)
    items = backtick_reserved(items, ctx)
    if ctx not in ("node", "rel"):
        check_integer_literals(items)
        items = rewrite_concatenation(items)
        items = rewrite_in(items, regions_of(items, ctx), ctx, st)
        items = rewrite_comparisons(items, regions_of(items, ctx), st)
    if ctx == "query":
        items = rewrite_order_keys(items, st)
        items = rewrite_var_length_references(items)
        items = enforce_unique_relationships(items, st)
    return items


# Calls whose arguments may be ``x IN list WHERE …``: the IN there is no predicate.
_LAMBDA_CALLS = ("ANY", "ALL", "NONE", "SINGLE")


def _translate_group(g: Group, st: State, lambda_call: bool = False) -> list[Item]:
    """Translate a classified group; returns what replaces it (usually the group itself).
    ``lambda_call``: the group holds the arguments of any()/all()/none()/single()."""
    inner = {
        "shortest": "shortest",
        "node": "node",
        "rel": "rel",
        "map": "map",
        "projection": "map",
        "subquery": "query",
        "list": "comprehension",  # [x IN l …] may be a list comprehension
    }.get(g.kind, "comprehension" if lambda_call else "expr")
    if g.kind == "quantifier":
        return [g]
    g.items = _translate_seq(g.items, inner, st)
    if g.kind == "node":
        check_node_pattern(g)
    elif g.kind == "rel":
        check_relationship_pattern(g)
    elif g.kind == "list":
        check_list_literal(g)
        return rewrite_list(g)
    elif g.kind == "map":
        check_map_literal(g)
    elif g.kind == "subquery":
        add_match_to_pattern_subquery(g)
    return [g]

