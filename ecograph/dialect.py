"""Run Neo4j-flavoured Cypher on the embedded engine (LadybugDB, the maintained fork of Kùzu).

Users paste queries written for Neo4j. LadybugDB speaks openCypher too, but some Neo4j
constructs fail there (``type(r)`` does not exist, ``WHERE n:Label`` does not parse) and, worse,
some run and quietly give another answer (``labels(n)`` is a string, lists are 1-based,
``toInteger(2.7)`` is 3, patterns match walks where Neo4j matches trails). :func:`translate`
rewrites a Neo4j query into one that gives Neo4j's answer on LadybugDB, or raises
:class:`~ecograph.errors.UnsupportedCypherError` naming the construct it cannot carry over.

How it works: one small tokenizer (:func:`_tokenize`) cuts the query into names, strings,
comments, backticked names, numbers, parameters and punctuation; brackets are folded into a tree
of groups (:func:`_parse`). Each group is classified by where it stands: a node or relationship
pattern, call arguments, a list, a map, a subquery... That is what tells ``(n:Label)`` in a
pattern from ``n:Label`` in a WHERE, or ``[x IN l | x.id]`` from ``-[r:T]->``. The rewrites then
run bottom-up, one function each, on the groups; they never look inside strings, comments or
backticks, and everything they do not rewrite comes out byte for byte, whitespace included.
Beyond functions and syntax, some rewrites restore Neo4j's semantics: variable-length patterns
match trails (``* TRAIL``) and two relationships of one MATCH are kept apart, unnamed RETURN
columns are named by their Neo4j text, and ``WITH … ORDER BY`` keeps its order for collect().

:func:`writing_clause` reads the same tokens to find the first clause that writes (for both
backends); :func:`register_functions` installs the Python functions the rewrites call
(``ecograph_to_integer`` ...) on a LadybugDB connection; :func:`engine_error` turns a LadybugDB
exception into one line.

Still different from Neo4j (no cheap fix): ``keys()``/``properties()`` list unset (null)
properties too; ``id()`` is a ``{table, offset}`` pair; a variable-length relationship may reuse
a relationship that another pattern of the same MATCH matched; ``reverse()`` of a value not
known to be a string is taken as a list; conversions of booleans, dates or lists that are not
literals cannot be bound; ``shortestPath`` never returns a 0-length path.

Example::

    >>> translate("MATCH (a)-[r]->(b) WHERE a:Company RETURN type(r), labels(b)")
    "MATCH (a)-[r]->(b) WHERE (label(a) = 'Company') RETURN label(r), (CASE WHEN b IS NULL THEN NULL ELSE [label(b)] END)"
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from decimal import (
    ROUND_CEILING,
    ROUND_DOWN,
    ROUND_FLOOR,
    ROUND_HALF_DOWN,
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    ROUND_UP,
    Decimal,
    InvalidOperation,
)
from typing import Any

from ecograph.errors import EcographError, QueryError, UnsupportedCypherError

__all__ = [
    "translate",
    "writing_clause",
    "parameter_names",
    "missing_parameters",
    "register_functions",
    "engine_error",
    "entity_ids",
    "EntityIds",
]

# LadybugDB's default (and maximum) depth of a variable-length relationship.
_MAX_DEPTH = 30
# Upper bound for "to the end" in list_slice/substring: LadybugDB clips it.
_TO_END = "9223372036854775807"

# ---------------------------------------------------------------------------------------------
# Tokens and the bracket tree
# ---------------------------------------------------------------------------------------------

_TOKEN_RE = re.compile(
    r"""
      (?P<ws>\s+)
    | (?P<comment>//[^\r\n]*|/\*.*?(?:\*/|\Z))
    | (?P<string>'(?:[^'\\]|\\.)*(?:'|\Z)|"(?:[^"\\]|\\.)*(?:"|\Z))
    | (?P<quoted>`(?:[^`]|``)*(?:`|\Z))
    | (?P<param>\$(?:[^\W\d]\w*|\d+|`(?:[^`]|``)*`?))
    | (?P<number>0[xX][0-9a-fA-F]+|0o[0-7]+|\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)
    | (?P<name>[^\W\d]\w*)
    | (?P<op><>|<=|>=|=~|\.\.|\+=|::|.)
    """,
    re.DOTALL | re.VERBOSE,
)
_TRIVIA = ("ws", "comment")


@dataclass(frozen=True)
class _Token:
    kind: str  # ws, comment, string, quoted, param, number, name, op
    text: str


@dataclass
class _Group:
    """A bracketed part of the query; ``kind`` says what it is once classified."""

    open: _Token
    items: list[_Item]
    close: _Token | None
    kind: str = ""


_Item = _Token | _Group
_CLOSER = {"(": ")", "[": "]", "{": "}"}
# Brackets nested deeper than this are refused: the rewrites recurse once per level and Python's
# stack ran out near 400 levels (LadybugDB itself reads at least 300).
MAX_NESTING = 200


def _tokenize(query: str) -> list[_Token]:
    """Cut ``query`` into tokens; joining their texts gives ``query`` back exactly."""
    return [_Token(m.lastgroup or "op", m.group()) for m in _TOKEN_RE.finditer(query)]


def _parse(query: str) -> list[_Item]:
    """Tokenize and fold brackets into groups. An unmatched closer stays a plain token."""
    root: list[_Item] = []
    stack: list[tuple[_Token, list[_Item]]] = []
    items = root
    for tok in _tokenize(query):
        if tok.kind == "op" and tok.text in _CLOSER:
            if len(stack) == MAX_NESTING:
                raise QueryError(f"the query nests brackets more than {MAX_NESTING} levels deep")
            stack.append((tok, items))
            items = []
        elif tok.kind == "op" and stack and tok.text == _CLOSER[stack[-1][0].text]:
            opener, parent = stack.pop()
            parent.append(_Group(opener, items, tok))
            items = parent
        else:
            items.append(tok)
    while stack:  # unclosed brackets: keep what was read, the engine will report the error
        opener, parent = stack.pop()
        parent.append(_Group(opener, items, None))
        items = parent
    return root


def _render(items: list[_Item]) -> str:
    out: list[str] = []
    for it in items:
        if isinstance(it, _Group):
            out.append(it.open.text + _render(it.items) + (it.close.text if it.close else ""))
        else:
            out.append(it.text)
    return "".join(out)


def _text(items: list[_Item]) -> str:
    """The rendered items without surrounding whitespace (for building rewritten text)."""
    return _render(items).strip()


def _is_trivia(it: _Item) -> bool:
    return isinstance(it, _Token) and it.kind in _TRIVIA


def _prev(items: list[_Item], i: int) -> int:
    """Index of the significant item before ``i``, or -1."""
    i -= 1
    while i >= 0 and _is_trivia(items[i]):
        i -= 1
    return i


def _next(items: list[_Item], i: int) -> int:
    """Index of the significant item after ``i``, or ``len(items)``."""
    i += 1
    while i < len(items) and _is_trivia(items[i]):
        i += 1
    return i


def _at(items: list[_Item], i: int) -> _Item | None:
    return items[i] if 0 <= i < len(items) else None


def _sig(items: list[_Item]) -> list[int]:
    return [i for i, it in enumerate(items) if not _is_trivia(it)]


def _word(it: _Item | None) -> str | None:
    """The upper-cased text of a name token (keywords are case-insensitive), else None."""
    return it.text.upper() if isinstance(it, _Token) and it.kind == "name" else None


def _is_op(it: _Item | None, *texts: str) -> bool:
    return isinstance(it, _Token) and it.kind == "op" and it.text in texts


def _is_group(it: _Item | None, opener: str = "([{") -> bool:
    return isinstance(it, _Group) and it.open.text in opener


def _is_ident(it: _Item | None) -> bool:
    """A name that is not a keyword, or a backticked name."""
    if isinstance(it, _Token) and it.kind == "quoted":
        return True
    return _word(it) is not None and _word(it) not in _KEYWORDS


def _split(items: list[_Item], sep: str = ",") -> list[list[_Item]]:
    """Split a group's items at top-level separators (nested groups are single items)."""
    parts: list[list[_Item]] = [[]]
    for it in items:
        if _is_op(it, sep):
            parts.append([])
        else:
            parts[-1].append(it)
    return parts


def _quote_name(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def _unquote(it: _Token) -> str:
    """The name a name or backticked-name token stands for."""
    if it.kind == "quoted":
        return it.text[1:-1].replace("``", "`")
    return it.text


def _string_literal(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


# ---------------------------------------------------------------------------------------------
# Word lists
# ---------------------------------------------------------------------------------------------

# Words that are keywords where a Neo4j query uses them: never an operand, never a callee.
_KEYWORDS = frozenset(
    """
    ALL AND ANY AS ASC ASCENDING BY CALL CASE CONTAINS CREATE DELETE DESC DESCENDING DETACH
    DISTINCT ELSE END ENDS EXISTS FALSE FOREACH IN IS LIMIT LOAD MATCH MERGE NONE NOT NULL ON
    OPTIONAL OR ORDER REMOVE RETURN SET SKIP STARTS THEN TRUE UNION UNWIND USE WHEN WHERE WITH
    XOR YIELD SINGLE COUNT
    """.split()
)
# Keywords that may be followed by "(" as a function call.
_CALLABLE_KEYWORDS = frozenset({"ALL", "ANY", "NONE", "SINGLE", "EXISTS", "COUNT"})

# Words LadybugDB's parser refuses as a property key, map key, variable or label (probed on
# 0.22.0 with `o.word`, `{word: 1}`, `WITH 1 AS word`, `(n:Word)`); backticks make them legal.
_LADYBUG_RESERVED = frozenset(
    """
    acyclic all and any asc ascending case cast column commit_skip_checkpoint create csr dbtype
    default desc descending distinct else end ends exists false for glob group headers hint index
    in install join macro multi_join none not null on only optional options or order primary
    profile rollback_skip_checkpoint shortest single sorted starts table then trail true union
    unwind when where with wshortest xor
    """.split()
)
# Of those, the ones that are not Cypher keywords in Neo4j: wherever a Neo4j query has them,
# they name something (a variable, label or alias), so they can be backticked anywhere.
_LADYBUG_ONLY_RESERVED = frozenset(
    """
    acyclic cast column commit_skip_checkpoint csr dbtype default glob group headers hint index
    install join macro multi_join only options primary profile rollback_skip_checkpoint sorted
    table trail wshortest
    """.split()
)

# Neo4j's built-in functions, lower-case -> spelling, to tell "not supported here" from a typo.
_NEO4J_FUNCTIONS = {
    name.lower(): name
    for name in """
    abs acos all allReduce any asin atan atan2 avg btrim ceil char_length character_length
    coalesce collect cos cosh cot coth count date datetime degrees distance duration e elementId
    endNode exists exp file floor graph.names haversin head id isEmpty isNaN keys labels last left
    length linenumber localdatetime localtime log log10 lower ltrim max min nodes none normalize
    nullIf percentileCont percentileDisc pi point radians rand randomUUID range reduce
    relationships replace reverse right round rtrim sign sin single sinh size split sqrt
    startNode stDev stDevP substring sum tail tan tanh time timestamp toBoolean toBooleanList
    toBooleanOrNull toFloat toFloatList toFloatOrNull toInteger toIntegerList toIntegerOrNull
    toLower toString toStringList toStringOrNull toUpper trim type upper valueType
    """.split()
}

# A Neo4j conversion (toInteger(x) …) becomes a call to a Python function that gets x three ways:
# its engine type, its text (exact for integers, booleans, strings, dates) and, when it is a
# DOUBLE, the number itself (cast to STRING keeps only 6 decimals). The CASE keeps the cast to
# DOUBLE from running on strings: LadybugDB evaluates only the branch taken, except when it folds
# a constant, which is why literal arguments are converted here instead (_fold_conversion).
# (A cast to UNION(d DOUBLE, s STRING) would bind for every type, but in LadybugDB 0.22 it gives
# wrong values when another column is projected next to it.)
_CONVERSION_ARGS = (
    "typeof({x}), cast({x} AS STRING), CASE WHEN typeof({x}) IN ['DOUBLE', 'FLOAT'] THEN cast({x} AS DOUBLE) END"
)
_CONVERSIONS = {
    "tointeger": "ecograph_to_integer",
    "tointegerornull": "ecograph_to_integer_or_null",
    "tofloat": "ecograph_to_float",
    "tofloatornull": "ecograph_to_float_or_null",
    "tostring": "ecograph_to_string",
    "tostringornull": "ecograph_to_string_or_null",
    "toboolean": "ecograph_to_boolean",
    "tobooleanornull": "ecograph_to_boolean_or_null",
}
# Calls whose result is a string, to keep reverse() for reverse(toUpper(x)) and the like.
_STRING_FUNCTIONS = frozenset(
    """
    toupper tolower upper lower trim ltrim rtrim substring replace left right tostring
    tostringornull ecograph_to_string ecograph_to_string_or_null lpad rpad concat reverse
    """.split()
)
# Functions taking a lambda (x -> …) or a filter (x IN l WHERE …) in LadybugDB.
_LAMBDA_FUNCTIONS = frozenset({"list_transform", "list_filter", "any", "all", "none", "single"})


# ---------------------------------------------------------------------------------------------
# translate()
# ---------------------------------------------------------------------------------------------


@dataclass
class _State:
    """What one translation shares across the tree."""

    fresh: int = 0
    star_projection: bool = False  # RETURN * / WITH *: invented variables would show up

    def fresh_name(self, prefix: str = "_ecograph_r") -> str:
        self.fresh += 1
        return f"{prefix}{self.fresh}"


def translate(query: str) -> str:
    """Neo4j Cypher -> LadybugDB Cypher.

    Raises ``UnsupportedCypherError(construct)`` for constructs with no equivalent (construct is
    a short human name, e.g. ``"pattern comprehension"``, ``"CALL { … } subquery"``,
    ``"procedure db.labels()"``, ``"LOAD CSV"``, ``"FOREACH"``).

    Example::

        >>> translate("MATCH (a)-[r]->(b) WHERE b:Platform RETURN type(r)")
        "MATCH (a)-[r]->(b) WHERE (label(b) = 'Platform') RETURN label(r)"
    """
    items = _parse(query)
    state = _State(star_projection=_has_star_projection(items))
    items = _translate_seq(items, "query", state)
    _check_lambda_scopes(items, [])
    return _render(items)


def _translate_seq(items: list[_Item], ctx: str, st: _State) -> list[_Item]:
    """Translate one level of the tree; ``ctx`` is what the level is.

    ctx is one of ``query`` (a query or subquery body), ``shortest`` (the pattern inside
    shortestPath()), ``expr`` (an expression list), ``map``, ``node``, ``rel``.
    """
    if ctx == "query":
        _check_clauses(items)
        items = _name_return_columns(items)
        items = _order_with_clauses(items, st)
    regions = _regions(items, ctx)
    if ctx in ("query", "shortest"):
        _check_pattern_syntax(items, regions)
    out: list[_Item] = []
    for i, it in enumerate(items):
        if isinstance(it, _Group):
            it.kind = _classify(items, i, ctx, regions[i])
            out.extend(_translate_group(it, st))
        else:
            if _is_op(it, "::"):
                raise UnsupportedCypherError("type predicate or cast with ::")
            out.append(it)
    items = out
    if ctx in ("query", "shortest"):
        items = _rewrite_quantified_relationships(items, ctx)
    if ctx != "shortest":
        items = _rewrite_var_length(items)
    if ctx == "query":
        _check_shortest_path_filters(items)
    items = _rewrite_calls(items, _regions(items, ctx))
    items = _rewrite_subscripts(items)
    if ctx not in ("node", "rel"):
        items = _rewrite_label_predicates(items, _regions(items, ctx), ctx)
    items = _rewrite_map_projections(items)
    items = _backtick_reserved(items, ctx)
    if ctx == "query":
        items = _rewrite_var_length_references(items)
        items = _enforce_unique_relationships(items, st)
    return items


def _translate_group(g: _Group, st: _State) -> list[_Item]:
    """Translate a classified group; returns what replaces it (usually the group itself)."""
    inner = {
        "shortest": "shortest",
        "node": "node",
        "rel": "rel",
        "map": "map",
        "projection": "map",
        "subquery": "query",
    }.get(g.kind, "expr")
    if g.kind == "quantifier":
        return [g]
    g.items = _translate_seq(g.items, inner, st)
    if g.kind == "node":
        _check_node_pattern(g)
    elif g.kind == "rel":
        _check_relationship_pattern(g)
    elif g.kind == "list":
        return _rewrite_list(g)
    elif g.kind == "subquery":
        _add_match_to_pattern_subquery(g)
    return [g]


# --- clauses -------------------------------------------------------------------------------


def _clause_spans(items: list[_Item], word: str) -> Iterator[tuple[int, int]]:
    """(keyword index, end) of each ``word`` clause at this level; ``end`` is where the next
    clause starts."""
    i = 0
    while i < len(items):
        if _clause_word(items, i) == word:
            end = i + 1
            while end < len(items) and _clause_word(items, end) is None:
                end += 1
            yield i, end
            i = end
        else:
            i += 1


def _name_return_columns(items: list[_Item]) -> list[_Item]:
    """``RETURN type(r)`` -> ``RETURN type(r) AS `type(r)```: Neo4j names a column by the text
    of its expression, LadybugDB by the rewritten one (``LABEL(r)``, ``COUNT_STAR()``). Plain
    ``n`` and ``n.name`` are named the same by both and stay as they are."""
    out = list(items)
    for start, end in reversed(list(_clause_spans(out, "RETURN"))):
        parts = _split(out[start + 1 : end])
        rendered = []
        for part in parts:
            sig = _sig(part)
            body = sig[1:] if sig and _word(part[sig[0]]) == "DISTINCT" else sig
            plain = all(
                (k % 2 == 0 and isinstance(part[j], _Token) and part[j].kind == "name")  # type: ignore[union-attr]
                or (k % 2 == 1 and _is_op(part[j], "."))
                for k, j in enumerate(body)
            ) and len(body) % 2 == 1
            if not body or plain or _is_op(part[body[0]], "*") or any(_word(part[j]) == "AS" for j in body):
                rendered.append(_render(part))
            else:
                last = body[-1] + 1
                alias = _quote_name(_text(part[body[0] : last]))
                rendered.append(_render(part[:last]) + f" AS {alias}" + _render(part[last:]))
        out[start + 1 : end] = _parse(",".join(rendered))
    return out


def _order_with_clauses(items: list[_Item], st: _State) -> list[_Item]:
    """Make ``WITH … ORDER BY`` mean what it means in Neo4j.

    LadybugDB wants SKIP or LIMIT after ORDER BY in a WITH (``SKIP 0`` is added), and when the
    next clause aggregates without grouping keys (``RETURN collect(x)``, ``count(*)``) it drops
    the ORDER BY, so the collected list is unordered and a ``LIMIT`` keeps arbitrary rows
    (LadybugDB 0.22). An ``UNWIND [1] AS _ecograph_uN`` in between keeps the order.
    """
    out = list(items)
    for _start, end in reversed(list(_clause_spans(out, "WITH"))):
        order = skip = where = None
        j = end
        while j < len(out) and _clause_word(out, j) in ("ORDER", "SKIP", "LIMIT", "WHERE"):
            w = _clause_word(out, j)
            if w == "ORDER":
                order = j
            elif w in ("SKIP", "LIMIT"):
                skip = j
            elif w == "WHERE":
                where = j
            j += 1
            while j < len(out) and _clause_word(out, j) is None:
                j += 1
        if order is None:
            continue
        nxt = _clause_word(out, j) if j < len(out) else None
        after = _next(out, j)
        if nxt in ("RETURN", "WITH") and not _is_op(_at(out, after), "*"):
            out[_prev(out, j) + 1 : _prev(out, j) + 1] = _parse(f" UNWIND [1] AS {st.fresh_name('_ecograph_u')}")
        if skip is None:
            order_end = (where if where is not None and where > order else j)
            at = _prev(out, order_end) + 1
            out[at:at] = _parse(" SKIP 0")
    return out


# --- where am I? ---------------------------------------------------------------------------


def _clause_word(items: list[_Item], i: int) -> str | None:
    """The clause keyword at ``i`` (MATCH, WHERE, WITH, …), or None."""
    w = _word(items[i])
    if w is None or _is_op(_at(items, _prev(items, i)), ".") or _is_op(_at(items, _next(items, i)), ":"):
        return None
    before = _word(_at(items, _prev(items, i)))
    if w == "WITH" and before in ("STARTS", "ENDS"):
        return None
    if w in ("MATCH", "CREATE") and before == "ON":  # MERGE … ON MATCH SET / ON CREATE SET
        return None
    if w in _CLAUSE_REGIONS:
        return w
    return None


_CLAUSE_REGIONS = {
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


def _regions(items: list[_Item], ctx: str) -> list[str]:
    """For each item of a level: ``pattern``, ``expr``, ``raw`` (SET/REMOVE), ``node`` or ``rel``."""
    if ctx != "query":
        region = {"shortest": "pattern", "node": "node", "rel": "rel"}.get(ctx, "expr")
        return [region] * len(items)
    first = _next(items, -1)
    # A subquery body may be a bare pattern: EXISTS { (a)-->(b) }.
    region = "pattern" if _is_group(_at(items, first), "(") else "expr"
    out = []
    for i in range(len(items)):
        w = _clause_word(items, i)
        if w is not None:
            region = _CLAUSE_REGIONS[w]
        out.append(region)
    return out


def _ends_expression(it: _Item | None) -> bool:
    """Can ``it`` be the end of an operand (so a following ``[`` is a subscript)?"""
    if isinstance(it, _Group):
        return True
    return isinstance(it, _Token) and (it.kind in ("quoted", "param") or _is_ident(it))


def _is_callee(it: _Item | None) -> bool:
    w = _word(it)
    return w is not None and (w not in _KEYWORDS or w in _CALLABLE_KEYWORDS)


def _adjacent_to_relationship(items: list[_Item], i: int) -> bool:
    """Does the group at ``i`` touch a relationship (``)-[``, ``)--``, ``->(``, ``]-(``…)?"""
    p = _prev(items, i)
    pp = _prev(items, p) if p >= 0 else -1
    if _is_op(_at(items, p), ">") and _is_op(_at(items, pp), "-"):
        return True
    if _is_op(_at(items, p), "-") and (_is_op(_at(items, pp), "-") or _is_group(_at(items, pp), "[")):
        return True
    n = _next(items, i)
    nn = _next(items, n)
    if _is_op(_at(items, n), "-") and (_is_op(_at(items, nn), "-", ">") or _is_group(_at(items, nn), "[")):
        return True
    return _is_op(_at(items, n), "<") and _is_op(_at(items, nn), "-")


def _classify(items: list[_Item], i: int, ctx: str, region: str) -> str:
    """Say what the group at ``items[i]`` is, from its bracket and its neighbours."""
    g = items[i]
    assert isinstance(g, _Group)
    prev = _at(items, _prev(items, i))
    nxt = _at(items, _next(items, i))
    pattern = region == "pattern"
    if g.open.text == "(":
        if ctx in ("node", "rel"):
            return "paren"
        if _is_callee(prev):
            if _word(prev) in ("SHORTESTPATH", "ALLSHORTESTPATHS"):
                return "shortest"
            return "call"
        if pattern or _adjacent_to_relationship(items, i):
            first = _at(g.items, _next(g.items, -1))
            if _is_group(first, "("):
                raise UnsupportedCypherError("quantified path pattern ((…)){m,n}")
            return "node"
        return "paren"
    if g.open.text == "[":
        if _is_op(prev, "-") and _is_op(nxt, "-"):
            return "rel"
        if _ends_expression(prev) and ctx not in ("node", "rel"):
            return "subscript"
        return "list"
    # "{"
    if _word(prev) in ("EXISTS", "COUNT", "COLLECT", "CALL"):
        if _word(prev) == "COLLECT":
            raise UnsupportedCypherError("COLLECT { … } subquery")
        if _word(prev) == "CALL":
            raise UnsupportedCypherError("CALL { … } subquery")
        return "subquery"
    if ctx in ("node", "rel"):
        return "map"
    if pattern and _is_op(prev, "-", ">"):
        return "quantifier"
    if region == "expr" and _is_ident(prev):
        return "projection"
    return "map"


# --- constructs that cannot be carried over ------------------------------------------------


def _check_clauses(items: list[_Item]) -> None:
    """Refuse the clauses LadybugDB has no equivalent for."""
    for i, it in enumerate(items):
        w = _clause_word(items, i) or _word(it)
        if w is None or _is_op(_at(items, _prev(items, i)), ".", ":"):
            continue
        nxt = _at(items, _next(items, i))
        if w == "FOREACH":
            raise UnsupportedCypherError("FOREACH")
        if w == "LOAD" and _word(nxt) == "CSV":
            raise UnsupportedCypherError("LOAD CSV")
        if w == "FINISH" and (nxt is None or _is_op(nxt, ";") or _word(nxt) == "UNION"):
            raise UnsupportedCypherError("FINISH")
        if w == "SHOW" and _next(items, -1) == i:
            raise UnsupportedCypherError(f"SHOW {nxt.text if isinstance(nxt, _Token) else ''}".strip())
        if w == "CALL" and _clause_word(items, i) == "CALL":
            if _is_group(nxt, "{") or (
                _is_group(nxt, "(") and _is_group(_at(items, _next(items, _next(items, i))), "{")
            ):
                raise UnsupportedCypherError("CALL { … } subquery")
            name = _dotted_name(items, _next(items, i))
            if name and "." in name:
                raise UnsupportedCypherError(f"procedure {name}()")


def _dotted_name(items: list[_Item], i: int) -> str:
    """The name ``a.b.c`` starting at ``items[i]``, or ""."""
    parts = []
    while isinstance(_at(items, i), _Token) and items[i].kind in ("name", "quoted"):
        parts.append(_unquote(items[i]))  # type: ignore[arg-type]
        if not _is_op(_at(items, _next(items, i)), "."):
            break
        i = _next(items, _next(items, i))
    return ".".join(parts)


def _check_pattern_syntax(items: list[_Item], regions: list[str]) -> None:
    """Refuse GQL path selectors and match modes, which LadybugDB does not parse."""
    for i, it in enumerate(items):
        if regions[i] != "pattern":
            continue
        w = _word(it)
        if w in ("ANY", "ALL", "SHORTEST") and not _is_group(_at(items, _next(items, i)), "("):
            words = []
            j = i
            while j < len(items) and not _is_group(items[j]):
                if not _is_trivia(items[j]):
                    words.append(items[j].text)  # type: ignore[union-attr]
                j = _next(items, j)
            raise UnsupportedCypherError(f"path selector {' '.join(words)}")
        if w in ("REPEATABLE", "DIFFERENT") and _word(_at(items, _prev(items, i))) == "MATCH":
            raise UnsupportedCypherError(f"match mode {w} {_at(items, _next(items, i)).text}")  # type: ignore[union-attr]


def _label_expression_text(items: list[_Item], start: int) -> str:
    """The text of the label expression starting at ``items[start]`` (for error messages)."""
    end = start
    j = start
    term = True  # a label, "!", "%" or a parenthesis may come next
    while j < len(items):
        it = items[j]
        if term and (_is_op(it, "!") or _is_group(it, "(")):
            term = not _is_group(it, "(")
        elif term and ((isinstance(it, _Token) and it.kind in ("name", "quoted")) or _is_op(it, "%")):
            term = False
        elif not term and _is_op(it, "|", ":", "&"):
            term = True
        else:
            break
        end = j
        j = _next(items, j)
    return _text(items[start : end + 1])


def _label_expression(items: list[_Item], start: int) -> tuple[list[str], list[str], int]:
    """Read ``A|B``, ``A:B`` or ``A&B`` from ``items[start]`` (the first label).

    Returns the labels, the operators between them and the index of the last label. Raises for
    the label expressions LadybugDB has no form for (``!A``, ``%``, parentheses).
    """
    labels: list[str] = []
    ops: list[str] = []
    i = start
    while True:
        it = _at(items, i)
        if not (isinstance(it, _Token) and it.kind in ("name", "quoted")):
            text = _label_expression_text(items, start)
            if not text or text in ("|", ":", "&"):  # `(n:` or `n:|`: a mistake, not a construct
                found = f"'{_text([it])}'" if it is not None else "the end of the query"
                raise QueryError(f"syntax error: a label or type is missing after ':' (found {found})")
            raise UnsupportedCypherError(f"label expression {text}")
        labels.append(_unquote(it))
        last = i
        j = _next(items, i)
        if not _is_op(_at(items, j), "|", ":", "&"):
            return labels, ops, last
        k = _next(items, j)
        if items[j].text == "|" and _is_op(_at(items, k), ":"):  # old style -[:A|:B]-
            k = _next(items, k)
        nxt = _at(items, k)
        after = _at(items, _next(items, k))
        # `[x IN l WHERE x:A | x.name]`: the "|" ends the filter, it does not add a label.
        if not (isinstance(nxt, _Token) and nxt.kind in ("name", "quoted")) or _is_op(after, ".") or _is_group(after, "(["):
            if _is_op(nxt, "!", "%") or _is_group(nxt, "("):
                raise UnsupportedCypherError(f"label expression {_label_expression_text(items, start)}")
            return labels, ops, last
        ops.append(items[j].text)  # type: ignore[union-attr]
        i = k


def _check_node_pattern(g: _Group) -> None:
    """Refuse node patterns that LadybugDB would read differently (``:A:B`` means OR there)."""
    if any(_word(it) == "WHERE" for it in g.items):
        raise UnsupportedCypherError("WHERE inside a node pattern")
    for i, it in enumerate(g.items):
        if _is_op(it, ":"):
            first = _next(g.items, i)
            if _is_op(_at(g.items, first), "!", "%") or _is_group(_at(g.items, first), "("):
                raise UnsupportedCypherError(f"label expression {_label_expression_text(g.items, first)}")
            labels, ops, _ = _label_expression(g.items, first)
            if any(op in (":", "&") for op in ops) and len(set(labels)) > 1:
                raise UnsupportedCypherError(f"node with several labels :{':'.join(labels)}")
            return


def _check_relationship_pattern(g: _Group) -> None:
    for it in g.items:
        if _word(it) == "WHERE":
            raise UnsupportedCypherError("WHERE inside a relationship pattern")
        if _is_op(it, "&", "!", "%"):
            raise UnsupportedCypherError(f"relationship type expression {_text(g.items)}")


def _check_shortest_path_filters(items: list[_Item]) -> None:
    """Refuse a WHERE on a shortestPath() path: Neo4j applies it during the search (it finds
    the shortest path that passes), LadybugDB would filter the shortest paths afterwards."""
    for i, it in enumerate(items):
        if not (isinstance(it, _Group) and it.kind == "shortest"):
            continue
        names = set()
        eq = _prev(items, _prev(items, i))
        path = _at(items, _prev(items, eq))
        if _is_op(_at(items, eq), "=") and isinstance(path, _Token) and path.kind in ("name", "quoted"):
            names.add(_unquote(path))
        for part in it.items:
            if isinstance(part, _Group) and part.kind == "rel":
                var = _relationship(part).var
                if var:
                    names.add(var)
        j = i
        while j < len(items) and _clause_word(items, j) is None:
            j += 1
        if names and j < len(items) and _clause_word(items, j) == "WHERE":
            end = j + 1
            while end < len(items) and _clause_word(items, end) is None:
                end += 1
            if _mentions(items[j + 1 : end], names):
                raise UnsupportedCypherError("WHERE condition on a shortestPath() path or relationship")


def _check_lambda_scopes(items: list[_Item], outer: list[str]) -> None:
    """Refuse a list comprehension or any()/all() inside another that uses the outer variable:
    LadybugDB fails with "Lambda paramName x cannot found"."""
    for i, it in enumerate(items):
        if not isinstance(it, _Group):
            continue
        callee = _at(items, _prev(items, i))
        lam = _lambda_parts(it) if it.open.text == "(" and (_word(callee) or "").lower() in _LAMBDA_FUNCTIONS else None
        if lam is None:
            _check_lambda_scopes(it.items, outer)
            continue
        var, source, body = lam
        _check_lambda_scopes(source, outer)
        if outer and _mentions(body, set(outer)):
            raise UnsupportedCypherError(
                "list comprehension or any()/all()/none()/single() inside another that uses its variable"
            )
        _check_lambda_scopes(body, [*outer, var])


def _lambda_parts(g: _Group) -> tuple[str, list[_Item], list[_Item]] | None:
    """``(list, x -> body)`` or ``(x IN list WHERE body)``: the variable, the list, the body."""
    parts = _split(g.items)
    if len(parts) == 2:  # list_transform(list, x -> body)
        sig = _sig(parts[1])
        if len(sig) >= 3 and _is_op(parts[1][sig[1]], "-") and _is_op(parts[1][sig[2]], ">"):
            return _text([parts[1][sig[0]]]), parts[0], parts[1][sig[2] + 1 :]
    sig = _sig(g.items)
    if len(sig) >= 2 and _word(g.items[sig[1]]) == "IN":
        where = next((j for j in sig[2:] if _word(g.items[j]) == "WHERE"), None)
        if where is not None:
            return _text([g.items[sig[0]]]), g.items[sig[1] + 1 : where], g.items[where + 1 :]
    return None


def _mentions(items: list[_Item], names: set[str]) -> bool:
    """Is one of ``names`` used as a variable anywhere in ``items``?"""
    for i, it in enumerate(items):
        if isinstance(it, _Group):
            if _mentions(it.items, names):
                return True
        elif it.kind in ("name", "quoted") and _unquote(it) in names and not _is_op(_at(items, _prev(items, i)), "."):
            return True
    return False


def _has_star_projection(items: list[_Item]) -> bool:
    """Does the query (or a subquery) have RETURN * or WITH *?"""
    for i, it in enumerate(items):
        if isinstance(it, _Group):
            if _has_star_projection(it.items):
                return True
        elif _word(it) in ("RETURN", "WITH"):
            j = _next(items, i)
            if _word(_at(items, j)) == "DISTINCT":
                j = _next(items, j)
            if _is_op(_at(items, j), "*"):
                return True
    return False


# --- relationships: shortest paths, quantifiers, trails --------------------------------------


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


def _relationship(g: _Group) -> _Relationship:
    items = g.items
    sig = _sig(items)
    var = None
    types: set[str] | None = None
    pos = 0
    if sig and isinstance(items[sig[0]], _Token) and items[sig[0]].kind in ("name", "quoted"):
        var = _unquote(items[sig[0]])  # type: ignore[arg-type]
        pos = 1
    if pos < len(sig) and _is_op(items[sig[pos]], ":"):
        types = set()
        pos += 1
        while pos < len(sig) and (isinstance(items[sig[pos]], _Token) and items[sig[pos]].kind in ("name", "quoted") or _is_op(items[sig[pos]], "|", ":")):
            if not _is_op(items[sig[pos]], "|", ":"):
                types.add(_unquote(items[sig[pos]]))  # type: ignore[arg-type]
            pos += 1
    rel = _Relationship(var, frozenset(types) if types is not None else None, None, None, None, None, False, False)
    if pos < len(sig) and _is_op(items[sig[pos]], "*"):
        rel.star = rel.star_end = sig[pos]
        pos += 1
        if pos < len(sig) and _word(items[sig[pos]]) is not None:
            rel.native = True
            return rel
        if pos < len(sig) and isinstance(items[sig[pos]], _Token) and items[sig[pos]].kind == "number":
            rel.low = items[sig[pos]].text  # type: ignore[union-attr]
            rel.star_end = sig[pos]
            pos += 1
        if pos < len(sig) and _is_op(items[sig[pos]], ".."):
            rel.ranged = True
            rel.star_end = sig[pos]
            pos += 1
            if pos < len(sig) and isinstance(items[sig[pos]], _Token) and items[sig[pos]].kind == "number":
                rel.high = items[sig[pos]].text  # type: ignore[union-attr]
                rel.star_end = sig[pos]
    return rel


def _with_length(g: _Group, spec: str) -> _Group:
    """A copy of relationship group ``g`` with its ``*…`` length spec replaced by ``spec``."""
    rel = _relationship(g)
    items = list(g.items)
    if rel.star is not None and rel.star_end is not None:
        items[rel.star : rel.star_end + 1] = _parse(spec)
    else:  # no length yet: it goes after the variable and types, before a property map
        at = next((j for j, it in enumerate(items) if _is_group(it, "{")), len(items))
        while at > 0 and _is_trivia(items[at - 1]):
            at -= 1
        items[at:at] = _parse(spec)
    return _Group(g.open, items, g.close, g.kind)


def _bounds(rel: _Relationship) -> tuple[int, int]:
    """Neo4j's length bounds for ``*``, ``*k``, ``*a..``, ``*..b``, ``*a..b`` (no upper bound:
    LadybugDB's maximum, 30)."""
    if rel.star is None:
        return 1, 1
    if not rel.ranged:
        k = int(rel.low) if rel.low else None
        return (k, k) if k is not None else (1, _MAX_DEPTH)
    return int(rel.low) if rel.low else 1, int(rel.high) if rel.high else _MAX_DEPTH


def _rewrite_var_length(items: list[_Item]) -> list[_Item]:
    """``-[:T*1..3]-`` -> ``-[:T* TRAIL 1..3]-``: Neo4j never uses a relationship twice in one
    match (a trail); LadybugDB matches walks unless told TRAIL, and without an upper bound it
    would enumerate every walk up to 30 hops."""
    out = list(items)
    for i, it in enumerate(out):
        if isinstance(it, _Group) and it.kind == "rel":
            rel = _relationship(it)
            if rel.star is not None and not rel.native:
                low, high = _bounds(rel)
                out[i] = _with_length(it, f"* TRAIL {low}..{high}")
    return out


def _shortest_path(call: str, args: _Group) -> str:
    """``shortestPath((a)-[:T*..5]-(b))`` -> ``(a)-[:T* SHORTEST 1..5]-(b)``."""
    rels = [j for j, it in enumerate(args.items) if isinstance(it, _Group) and it.kind == "rel"]
    if len(rels) != 1:
        raise UnsupportedCypherError(f"{call}() over a pattern of {len(rels)} relationships")
    g = args.items[rels[0]]
    assert isinstance(g, _Group)
    rel = _relationship(g)
    low, high = _bounds(rel)
    # Neo4j allows a minimum of 0 or 1 only; a 0-length shortest path is a = b, which LadybugDB
    # cannot return (its minimum is 1).
    low = max(low, 1)
    selector = "ALL SHORTEST" if call.lower() == "allshortestpaths" else "SHORTEST"
    items = list(args.items)
    items[rels[0]] = _with_length(g, f"* {selector} {low}..{high}")
    return _text(items)


def _rewrite_quantified_relationships(items: list[_Item], ctx: str) -> list[_Item]:
    """``-[:T]->{1,3}`` (Neo4j 5 quantified relationship) -> ``-[:T*1..3]->``."""
    out = list(items)
    regions = _regions(out, ctx)
    i = 0
    while i < len(out):
        it = out[i]
        quantifier = None
        if isinstance(it, _Group) and it.kind == "quantifier":
            quantifier = _text(it.items)
        elif (
            regions[i] == "pattern"
            and _is_op(it, "+", "*")
            and _is_op(_at(out, _prev(out, i)), "-", ">")
            and _is_group(_at(out, _next(out, i)), "(")
        ):
            quantifier = it.text  # type: ignore[union-attr]
        if quantifier is None:
            i += 1
            continue
        low, high = _quantifier_bounds(quantifier)
        j = _prev(out, i)
        if _is_op(out[j], ">"):
            j = _prev(out, j)
        k = _prev(out, j)  # the relationship's bracket, or the first "-" of "--"
        target = _at(out, k)
        if isinstance(target, _Group) and target.kind == "rel":
            rel = _relationship(target)
            if rel.var is not None:
                raise UnsupportedCypherError("quantified relationship with a variable -[r]->{m,n}")
            if rel.star is not None:
                raise UnsupportedCypherError("quantified variable-length relationship")
            out[k] = _with_length(target, f"*{low}..{high}")
        elif _is_op(target, "-"):
            group = _Group(_Token("op", "["), _parse(f"*{low}..{high}"), _Token("op", "]"), "rel")
            out.insert(j, group)
            i += 1
        else:
            raise UnsupportedCypherError(f"quantifier {quantifier}")
        del out[i]
        regions = _regions(out, ctx)
    return out


def _quantifier_bounds(q: str) -> tuple[int, int]:
    if q == "+":
        return 1, _MAX_DEPTH
    if q == "*":
        return 0, _MAX_DEPTH
    m = re.fullmatch(r"\s*(\d*)\s*(,?)\s*(\d*)\s*", q)
    if not m or not (m.group(1) or m.group(3)):
        raise UnsupportedCypherError(f"quantifier {{{q}}}")
    if not m.group(2):
        return int(m.group(1)), int(m.group(1))
    return int(m.group(1) or 0), int(m.group(3) or _MAX_DEPTH)


def _match_clauses(items: list[_Item]) -> Iterator[tuple[int, int, int | None, int]]:
    """Each MATCH clause at this level: (pattern start, pattern end, WHERE index, clause end)."""
    i = 0
    while i < len(items):
        if _clause_word(items, i) == "MATCH":
            start = _next(items, i)
            j = start
            while j < len(items) and _clause_word(items, j) is None:
                j += 1
            pattern_end = _prev(items, j)
            where = None
            end = pattern_end
            if j < len(items) and _clause_word(items, j) == "WHERE":
                where = j
                k = _next(items, j)
                while k < len(items) and _clause_word(items, k) is None:
                    k += 1
                end = _prev(items, k)
                j = k
            yield start, pattern_end, where, end
            i = j
        else:
            i += 1


def _enforce_unique_relationships(items: list[_Item], st: _State) -> list[_Item]:
    """Within one MATCH, Neo4j never binds two relationship patterns to the same relationship;
    LadybugDB does (``(a)--(b)--(c)`` finds c = a over one edge). Add ``id(r1) <> id(r2)`` for
    each pair of single relationships that could meet to the clause's WHERE.

    A variable-length relationship is a trail by itself (see _rewrite_var_length), but it is
    not kept apart from the others here: LadybugDB 0.22 returns wrong rels() for a
    variable-length relationship that follows another one, so the condition cannot be written.
    """
    for start, pattern_end, where, end in reversed(list(_match_clauses(items))):
        singles = [
            j
            for j in range(start, pattern_end + 1)
            if isinstance(items[j], _Group) and items[j].kind == "rel" and _relationship(items[j]).star is None  # type: ignore
        ]
        short = [] if st.star_projection else _abbreviated_relationships(items, start, pattern_end)
        if len(singles) + len(short) < 2:
            continue
        for j in reversed(short):  # (a)-->(b) -> (a)-[]->(b), to give it a variable
            items.insert(j, _Group(_Token("op", "["), [], _Token("op", "]"), "rel"))
        pattern_end += len(short)
        end += len(short)
        where = where + len(short) if where is not None else None
        rels = {
            j: _relationship(g)
            for j in range(start, pattern_end + 1)
            if isinstance(g := items[j], _Group) and g.kind == "rel" and _relationship(g).star is None
        }
        pairs = [
            (a, b)
            for a in rels
            for b in rels
            if a < b
            and (rels[a].var is None or rels[a].var != rels[b].var)
            and (rels[a].types is None or rels[b].types is None or rels[a].types & rels[b].types)
        ]
        if st.star_projection:  # a made-up variable would become a column of RETURN *
            pairs = [(a, b) for a, b in pairs if rels[a].var and rels[b].var]
        if not pairs:
            continue
        for j in sorted({j for pair in pairs for j in pair}):
            if rels[j].var is None:
                rels[j].var = st.fresh_name()
                g = items[j]
                assert isinstance(g, _Group)
                items[j] = _Group(g.open, [_Token("name", rels[j].var), *g.items], g.close, g.kind)
        conditions = " AND ".join(f"id({_name_text(rels[a].var)}) <> id({_name_text(rels[b].var)})" for a, b in pairs)
        if where is None:
            items[pattern_end + 1 : pattern_end + 1] = _parse(f" WHERE {conditions}")
        else:
            items[end + 1 : end + 1] = _parse(")")
            first = _next(items, where)
            items[first:first] = _parse(f"{conditions} AND (")
    return items


def _abbreviated_relationships(items: list[_Item], start: int, end: int) -> list[int]:
    """Where to put the brackets of each ``--`` (in ``-->``, ``<--``, ``--``) in a pattern span."""
    found = []
    j = start
    while j <= end:
        k = _next(items, j)
        if _is_op(items[j], "-") and k <= end and _is_op(items[k], "-"):
            before = _at(items, _prev(items, j))
            if _is_group(before, "(") or _is_op(before, "<"):
                found.append(k)
                j = k + 1
                continue
        j += 1
    return found


def _name_text(name: str | None) -> str:
    assert name is not None
    return name if re.fullmatch(r"[^\W\d]\w*", name) and name.lower() not in _LADYBUG_RESERVED else _quote_name(name)


def _rewrite_var_length_references(items: list[_Item]) -> list[_Item]:
    """In Neo4j the variable of ``-[r*1..3]->`` is a list of relationships; in LadybugDB it is a
    path-like value that size(), subscripts and comprehensions refuse. Where the query uses it,
    read its relationships: ``size(r)`` -> ``size(rels(r))``, ``RETURN r`` -> ``RETURN rels(r)
    AS r``. ``length(r)`` works as it is. After a WITH the name is a list (or gone)."""
    tracked: set[str] = set()
    projected = False  # inside the ORDER BY/WHERE/SKIP/LIMIT of a WITH or RETURN
    out = list(items)
    i = 0
    while i < len(out):
        w = _clause_word(out, i)
        if w is None:
            i += 1
            continue
        start = i + 1
        end = start
        while end < len(out) and _clause_word(out, end) is None:
            end += 1
        if projected and w not in ("ORDER", "SKIP", "LIMIT", "WHERE"):
            tracked.clear()
            projected = False
        if w == "UNION":
            tracked.clear()
        elif _CLAUSE_REGIONS[w] == "pattern":
            for it in out[start:end]:
                if isinstance(it, _Group) and it.kind == "rel":
                    rel = _relationship(it)
                    if rel.var and rel.star is not None:
                        tracked.add(rel.var)
        elif tracked and w in ("WITH", "RETURN"):
            j = _next(out, i)
            star = _is_op(_at(out, j), "*") or (
                _word(_at(out, j)) == "DISTINCT" and _is_op(_at(out, _next(out, j)), "*")
            )
            if not star:
                new, aliased = _rewrite_projection(out[start:end], tracked)
                out[start:end] = new
                end = start + len(new)
                tracked -= aliased  # ORDER BY r now means the list
                projected = True
        elif tracked and _CLAUSE_REGIONS[w] in ("expr", "raw"):
            new = _replace_references(out[start:end], tracked)
            out[start:end] = new
            end = start + len(new)
        i = end
    return out


def _rewrite_projection(items: list[_Item], names: set[str]) -> tuple[list[_Item], set[str]]:
    """``RETURN r, a`` -> ``RETURN rels(r) AS r, a``; other uses of r become ``rels(r)``.
    Also returns the names projected under their own name."""
    rendered = []
    aliased = set()
    for part in _split(items):
        sig = _sig(part)
        k = sig[0] if sig else len(part)
        if k < len(part) and _word(part[k]) == "DISTINCT":
            k = _next(part, k)
        body = _sig(part[k:])
        if len(body) == 1 and _is_name_in(part[k + body[0]], names):
            var = _text([part[k + body[0]]])
            aliased.add(_unquote(part[k + body[0]]))  # type: ignore[arg-type]
            rendered.append(_render(part[:k]) + f"rels({var}) AS {var}" + _render(part[k + body[0] + 1 :]))
        else:
            rendered.append(_render(_replace_references(part, names)))
    return _parse(",".join(rendered)), aliased


def _is_name_in(it: _Item, names: set[str]) -> bool:
    return isinstance(it, _Token) and it.kind in ("name", "quoted") and _unquote(it) in names


def _replace_references(items: list[_Item], names: set[str]) -> list[_Item]:
    """Replace uses of ``names`` in ``items`` by ``rels(name)``, at any depth."""
    out: list[_Item] = []
    for i, it in enumerate(items):
        prev, nxt = _at(items, _prev(items, i)), _at(items, _next(items, i))
        if isinstance(it, _Group):
            sig = _sig(it.items)
            if _word(prev) == "LENGTH" and len(sig) == 1 and _is_name_in(it.items[sig[0]], names):
                out.append(it)
            else:
                out.append(_Group(it.open, _replace_references(it.items, names), it.close, it.kind))
        elif (
            _is_name_in(it, names)
            and not _is_op(prev, ".", ":")
            and not _is_op(nxt, ":")  # a map key
            and not (_is_op(nxt, "-") and _is_op(_at(items, _next(items, _next(items, i))), ">"))  # x -> …
        ):
            out.extend(_parse(f"rels({it.text})"))  # type: ignore[union-attr]
        else:
            out.append(it)
    return out


# --- function calls ------------------------------------------------------------------------


def _rewrite_calls(items: list[_Item], regions: list[str]) -> list[_Item]:
    """Rewrite Neo4j function calls that LadybugDB lacks or computes differently."""
    out = list(items)
    i = len(out) - 1
    while i >= 0:
        g = out[i]
        if isinstance(g, _Group) and g.kind in ("call", "shortest"):
            f = _prev(out, i)
            callee = out[f]
            assert isinstance(callee, _Token)
            if _is_op(_at(out, _prev(out, f)), "."):
                start = f
                while _is_op(_at(out, _prev(out, start)), ".") and _at(out, _prev(out, _prev(out, start))) is not None:
                    start = _prev(out, _prev(out, start))
                raise UnsupportedCypherError(f"function {_dotted_name(out, start)}()")
            name = _unquote(callee).lower()
            args = [part for part in _split(g.items)]
            if len(args) == 1 and not _sig(args[0]):
                args = []
            replacement = _call_rewrite(name, callee.text, args, g, regions[i] if i < len(regions) else "expr")
            if replacement is not None:
                out[f : i + 1] = _parse(replacement)
            i = f - 1
            continue
        i -= 1
    return out


def _call_rewrite(name: str, spelled: str, args: list[list[_Item]], g: _Group, region: str) -> str | None:
    """The LadybugDB text for the Neo4j call ``name(args)``, or None to leave it as it is."""
    a = [_text(arg) for arg in args]
    x = a[0] if a else ""
    if name in ("shortestpath", "allshortestpaths"):
        if region != "pattern":
            raise UnsupportedCypherError(f"{spelled}() outside MATCH")
        return _shortest_path(name, g)
    if name == "type" and len(a) == 1:
        return f"label({x})"
    if name == "labels" and len(a) == 1:
        # LadybugDB's labels() is a string; a node has exactly one label there.
        return f"(CASE WHEN {x} IS NULL THEN NULL ELSE [label({x})] END)"
    if name == "elementid" and len(a) == 1:
        return f"cast(id({x}) AS STRING)"
    if name in ("startnode", "endnode") and len(a) == 1:
        # start_node() of a null relationship (OPTIONAL MATCH) returns a node in LadybugDB.
        fn = "start_node" if name == "startnode" else "end_node"
        return f"(CASE WHEN {x} IS NULL THEN NULL ELSE {fn}({x}) END)"
    if name in _CONVERSIONS and len(a) == 1:
        literal = _literal(args[0])
        if literal is not None:
            return _fold_conversion(name, *literal)
        return f"{_CONVERSIONS[name]}({_CONVERSION_ARGS.format(x=x)})"
    if name == "head" and len(a) == 1:
        return _index_text(x, "0")
    if name == "last" and len(a) == 1:
        return _index_text(x, "-1")
    if name == "tail" and len(a) == 1:
        return f"list_slice({x}, 2, {_TO_END})"
    if name == "split" and len(a) == 2:
        return f"ecograph_split({a[0]}, {a[1]})"
    if name == "substring" and len(a) in (2, 3):
        length = a[2] if len(a) == 3 else _TO_END
        return f"substring({a[0]}, {_plus_one(a[1])}, {length})"
    if name == "round" and len(a) == 1:
        return f"ecograph_round({x})"
    if name == "round" and len(a) in (2, 3):
        mode = a[2] if len(a) == 3 else "''"
        return f"ecograph_round_to({a[0]}, {a[1]}, {mode})"
    if name == "exists" and len(a) == 1:
        if _is_pattern(args[0]):
            return f"EXISTS {{ MATCH {x} }}"
        return f"({x} IS NOT NULL)"
    if name == "size" and len(a) == 1 and _is_pattern(args[0]):
        return f"COUNT {{ MATCH {x} }}"
    if name == "isempty" and len(a) == 1:
        return f"(size({x}) = 0)"
    if name == "rand" and not a:
        return "random()"
    if name == "e" and not a:
        return repr(math.e)
    if name == "exp" and len(a) == 1:
        return f"ecograph_exp({x})"
    if name == "log" and len(a) == 1:  # Neo4j's log() is the natural logarithm
        return f"ln({x})"
    if name == "randomuuid" and not a:
        return "cast(gen_random_uuid() AS STRING)"
    if name == "timestamp" and not a:
        return "to_epoch_ms(current_timestamp())"
    if name == "date" and not a:
        return "current_date()"
    if name == "reverse" and len(a) == 1 and not _is_string(args[0]):
        # LadybugDB's reverse() turns a list into its text and reverses that: unless the
        # argument is surely a string, use list_reverse(), which refuses a string loudly.
        return f"list_reverse({x})"
    if name == "reduce":
        raise UnsupportedCypherError("reduce()")
    return None


def _is_pattern(items: list[_Item]) -> bool:
    """Is this argument a pattern, as in ``exists((a)-->(b))``?"""
    return any(isinstance(it, _Group) and it.kind in ("node", "rel") for it in items)


def _is_string(items: list[_Item]) -> bool:
    """Is this argument certainly a string (a string literal or a string-valued call)?"""
    sig = _sig(items)
    if len(sig) == 1 and isinstance(items[sig[0]], _Token) and items[sig[0]].kind == "string":  # type: ignore[union-attr]
        return True
    return (
        len(sig) == 2
        and _is_group(items[sig[1]], "(")
        and (_word(items[sig[0]]) or "").lower() in _STRING_FUNCTIONS
    )


def _literal(items: list[_Item]) -> tuple[str, str | None, float | None] | None:
    """A literal argument as (engine type, text, number), the way the engine would pass it
    to a conversion function; None when the argument is not a literal."""
    sig = _sig(items)
    toks = [items[j] for j in sig]
    if len(toks) == 1 and _is_group(toks[0], "[{"):
        return ("LIST" if _is_group(toks[0], "[") else "MAP"), "", None
    if not all(isinstance(t, _Token) for t in toks):
        return None
    texts = "".join(t.text for t in toks)  # type: ignore[union-attr]
    if len(toks) == 1 and toks[0].kind == "string":  # type: ignore[union-attr]
        return "STRING", _string_value(toks[0].text), None  # type: ignore[union-attr]
    if len(toks) == 1 and _word(toks[0]) in ("TRUE", "FALSE"):
        return "BOOL", "True" if _word(toks[0]) == "TRUE" else "False", None
    if len(toks) == 1 and _word(toks[0]) == "NULL":
        return "NULL", None, None
    if re.fullmatch(r"-?\d+", texts):
        return "INT64", str(int(texts)), None
    if re.fullmatch(r"-?(?:\d+\.\d+(?:[eE][+-]?\d+)?|\d+[eE][+-]?\d+|\.\d+(?:[eE][+-]?\d+)?)", texts):
        return "DOUBLE", texts, float(texts)
    return None


def _fold_conversion(name: str, type_name: str, text: str | None, number: float | None) -> str:
    """Convert a literal here, as Neo4j would, and write the result as a literal."""
    convert, result_type = _FOLDS[name.removesuffix("ornull")]
    try:
        result = convert(type_name, text, number)
    except _ConversionError as e:
        if name.endswith("ornull"):
            result = None
        else:
            raise QueryError(str(e)) from e
    if result is None:
        return f"CAST(NULL AS {result_type})"
    if isinstance(result, bool):
        return "true" if result else "false"
    if isinstance(result, float):
        if not math.isfinite(result):
            return f"CAST({_string_literal(_java_double_to_string(result).lower())} AS DOUBLE)"
        return repr(result).replace("e+", "e")
    if isinstance(result, int):
        return str(result)
    return _string_literal(result)


def _int_literal(items: list[_Item]) -> int | None:
    text = _text(items).replace(" ", "")
    return int(text) if re.fullmatch(r"-?\d+", text) else None


def _plus_one(index: str) -> str:
    """A 0-based position as LadybugDB's 1-based one."""
    n = _int_literal(_parse(index))
    return str(n + 1) if n is not None else f"({index}) + 1"


def _index_text(operand: str, index: str) -> str:
    """Neo4j ``l[i]``: 0-based, negative from the end, null when out of range. LadybugDB's
    ``l[i]`` is 1-based and fails out of range (even in a CASE branch not taken), so take a
    one-element slice, append a null and read the first element. The null must have the
    element's type: a constant one would be an INT64, hence the never-true CASE."""
    n = _int_literal(_parse(index))
    if n is not None:
        k = str(n + 1) if n >= 0 else str(n)
    else:
        k = f"CASE WHEN ({index}) >= 0 THEN ({index}) + 1 ELSE ({index}) END"
    typed_null = f"CASE WHEN size({operand}) < 0 THEN list_any_value({operand}) END"
    return f"list_extract(list_concat(list_slice({operand}, {k}, {k}), [{typed_null}]), 1)"


def _slice_text(operand: str, low: list[_Item], high: list[_Item]) -> str:
    """Neo4j ``l[a..b]`` (0-based, end excluded, negative from the end) as LadybugDB's
    ``list_slice(l, a', b')`` (1-based, end included, negative from the end)."""

    def bound(items: list[_Item], is_start: bool) -> str:
        if not _sig(items):
            return "1" if is_start else _TO_END
        text = _text(items)
        n = _int_literal(items)
        if n is not None:
            return str(n + 1 if is_start and n >= 0 else n - 1 if not is_start and n < 0 else n)
        if is_start:
            return f"CASE WHEN ({text}) >= 0 THEN ({text}) + 1 ELSE ({text}) END"
        return f"CASE WHEN ({text}) >= 0 THEN ({text}) ELSE ({text}) - 1 END"

    return f"list_slice({operand}, {bound(low, True)}, {bound(high, False)})"


# --- subscripts, label predicates, map projections, comprehensions --------------------------


def _operand_start(items: list[_Item], end: int) -> int:
    """Where the operand ending at ``items[end]`` starts: ``a.b``, ``f(x)``, ``l[0]``, ``$p``."""
    start = end
    j = end
    while j >= 0:
        it = items[j]
        if isinstance(it, _Group) or (isinstance(it, _Token) and (it.kind in ("quoted", "param", "string", "number") or _is_ident(it))):
            start = j
            k = _prev(items, j)
            if isinstance(it, _Group) and it.open.text in "([" and (_ends_expression(_at(items, k))):
                j = k  # a call's name or the list being subscripted
                continue
            if _is_op(_at(items, k), "."):
                j = _prev(items, k)
                continue
            return start
        return start
    return start


def _rewrite_subscripts(items: list[_Item]) -> list[_Item]:
    """``l[i]``, ``l[a..b]`` and ``m['key']`` with Neo4j's meaning (see _index_text)."""
    out = list(items)
    i = 0
    while i < len(out):
        g = out[i]
        if not (isinstance(g, _Group) and g.kind == "subscript"):
            i += 1
            continue
        end = _prev(out, i)
        start = _operand_start(out, end)
        operand = _text(out[start : end + 1])
        sig = _sig(g.items)
        dots = [j for j in sig if _is_op(g.items[j], "..")]
        if dots:
            text = _slice_text(operand, g.items[: dots[0]], g.items[dots[0] + 1 :])
        elif len(sig) == 1 and isinstance(g.items[sig[0]], _Token) and g.items[sig[0]].kind == "string":  # type: ignore[union-attr]
            key = _string_value(g.items[sig[0]].text)  # type: ignore[union-attr]
            base = operand if _is_ident(out[end]) or (isinstance(out[end], _Token) and out[end].kind == "param") else f"({operand})"  # type: ignore[union-attr]
            text = f"{base}.{_name_text(key)}"
        else:
            text = _index_text(operand, _text(g.items))
        new = _parse(text)
        out[start : i + 1] = new
        i = start + len(new)
    return out


_ESCAPES = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f"}


def _string_value(literal: str) -> str:
    """The value of a Cypher string literal: ``\\n``, ``\\'``, ``\\u00e9`` … decoded."""

    def escape(m: re.Match[str]) -> str:
        if m.group(1):  # \uXXXX or \UXXXXXXXX
            return chr(int(m.group(1)[1:], 16))
        return _ESCAPES.get(m.group(2), m.group(2))

    return re.sub(r"\\(?:(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8})|(.))", escape, literal[1:-1], flags=re.DOTALL)


def _rewrite_label_predicates(items: list[_Item], regions: list[str], ctx: str) -> list[_Item]:
    """``n:Label`` -> ``(label(n) = 'Label')``, ``n:A|B`` -> ``(label(n) IN ['A', 'B'])``.
    LadybugDB's parser has no label predicate; a node has exactly one label there."""
    out = list(items)
    i = 0
    while i < len(out):
        if not (_is_op(out[i], ":") and regions[min(i, len(regions) - 1)] == "expr"):
            i += 1
            continue
        p = _prev(out, i)
        var = _at(out, p)
        before = _at(out, _prev(out, p))
        if not (isinstance(var, _Token) and var.kind in ("name", "quoted") and _is_ident(var)):
            i += 1
            continue
        if ctx == "map" and (before is None or _is_op(before, ",")):
            i += 1  # a map key
            continue
        if _is_op(before, "."):
            i += 1
            continue
        first = _next(out, i)
        if _is_op(_at(out, first), "!", "%") or _is_group(_at(out, first), "("):
            raise UnsupportedCypherError(f"label expression {_label_expression_text(out, first)}")
        labels, ops, last = _label_expression(out, first)
        v = _text([var])
        if not ops or len(set(labels)) == 1:
            text = f"(label({v}) = {_string_literal(labels[0])})"
        elif all(op == "|" for op in ops):
            text = f"(label({v}) IN [{', '.join(_string_literal(x) for x in labels)}])"
        elif all(op in (":", "&") for op in ops):
            text = "(" + " AND ".join(f"label({v}) = {_string_literal(x)}" for x in labels) + ")"
        else:
            raise UnsupportedCypherError(f"label expression {_text(out[p : last + 1])}")
        new = _parse(text)
        out[p : last + 1] = new
        regions = regions[:p] + ["expr"] * len(new) + regions[last + 1 :]
        i = p + len(new)
    return out


def _rewrite_map_projections(items: list[_Item]) -> list[_Item]:
    """``n{.a, .b, k: x, v}`` -> ``{a: n.a, b: n.b, k: x, v: v}`` (null when n is null)."""
    out = list(items)
    i = len(out)
    while i > 0:
        i -= 1
        g = out[i]
        if not (isinstance(g, _Group) and g.kind == "projection"):
            continue
        p = _prev(out, i)
        var = _text([out[p]])
        entries = []
        for part in _split(g.items):
            sig = _sig(part)
            if not sig:
                continue
            if _is_op(part[sig[0]], "."):
                if len(sig) == 2 and _is_op(part[sig[1]], "*"):
                    raise UnsupportedCypherError(f"map projection {var}{{.*}}")
                key = _text(part[sig[1] :])
                entries.append(f"{key}: {var}.{key}")
            elif len(sig) == 1:
                entries.append(f"{_text(part)}: {_text(part)}")
            else:
                entries.append(_text(part))
        # The rewrite is shorter than what it replaces: carry on left of it, not at i - 1.
        out[p : i + 1] = _parse(f"(CASE WHEN {var} IS NULL THEN NULL ELSE {{{', '.join(entries)}}} END)")
        i = p
    return out


def _rewrite_list(g: _Group) -> list[_Item]:
    """List comprehensions -> list_filter()/list_transform(); pattern comprehensions refused."""
    sig = _sig(g.items)
    if not sig:
        return [g]
    first = g.items[sig[0]]
    second = g.items[sig[1]] if len(sig) > 1 else None
    if (isinstance(first, _Group) and first.kind == "node") or (
        _is_ident(first) and _is_op(second, "=") and len(sig) > 2 and _is_group(g.items[sig[2]], "(")
    ):
        raise UnsupportedCypherError("pattern comprehension")
    if not (_is_ident(first) and _word(second) == "IN"):
        return [g]
    var = _text([first])
    rest = g.items[sig[1] + 1 :]
    where = next((j for j, it in enumerate(rest) if _word(it) == "WHERE"), None)
    bar = next((j for j, it in enumerate(rest) if _is_op(it, "|") and (where is None or j > where)), None)
    source = _text(rest[: where if where is not None else bar])
    condition = _text(rest[where + 1 : bar]) if where is not None else None
    projection = _text(rest[bar + 1 :]) if bar is not None else None
    text = source
    if condition is not None:
        text = f"list_filter({text}, {var} -> {condition})"
    if projection is not None or condition is None:
        text = f"list_transform({text}, {var} -> {projection if projection is not None else var})"
    return _parse(text)


def _add_match_to_pattern_subquery(g: _Group) -> None:
    """``EXISTS { (a)-->(b) }`` -> ``EXISTS { MATCH (a)-->(b) }`` (LadybugDB wants the MATCH)."""
    first = _next(g.items, -1)
    if _is_group(_at(g.items, first), "("):
        g.items[first:first] = [_Token("name", "MATCH"), _Token("ws", " ")]


# --- reserved words ------------------------------------------------------------------------


def _backtick_reserved(items: list[_Item], ctx: str) -> list[_Item]:
    """Backtick names LadybugDB reserves: property keys (``o.table``), map keys
    (``{order: 1}``), and names that are keywords only in LadybugDB (``group``, ``table``)."""
    out = list(items)
    for i, it in enumerate(out):
        if not (isinstance(it, _Token) and it.kind == "name"):
            continue
        low = it.text.lower()
        if low not in _LADYBUG_RESERVED:
            continue
        prev = _at(out, _prev(out, i))
        nxt = _at(out, _next(out, i))
        property_key = _is_op(prev, ".")
        map_key = ctx == "map" and _is_op(nxt, ":") and (prev is None or _is_op(prev, ","))
        label = ctx in ("node", "rel") and _is_op(prev, ":", "|")
        identifier = low in _LADYBUG_ONLY_RESERVED and not _is_group(nxt, "(") and not (
            low == "profile" and prev is None and ctx == "query"
        )
        if property_key or map_key or label or identifier:
            out[i] = _Token("quoted", _quote_name(it.text))
    return out


# ---------------------------------------------------------------------------------------------
# writing_clause()
# ---------------------------------------------------------------------------------------------

_WRITING_WORDS = frozenset(
    """
    CREATE MERGE SET DELETE DETACH REMOVE DROP ALTER COPY FOREACH INSTALL UNINSTALL ATTACH
    CHECKPOINT IMPORT EXPORT LOAD GRANT DENY REVOKE COMMENT
    """.split()
)
# Procedure name parts that mean the procedure writes (apoc.create.node, gds.pageRank.write,
# LadybugDB's create_fts_index, …).
_WRITING_PROCEDURE = re.compile(
    r"^(create|merge|delete|set|remove|drop|add|refactor|periodic|rename|import|clear|truncate)"
    r"|^(write|mutate|dowhen|doit|runwrite)$",
    re.IGNORECASE,
)


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
    items = _parse(translated)
    if _has_star_projection(items) or any(_clause_word(items, i) == "UNION" for i in range(len(items))):
        return None
    try:
        kinds = _variable_kinds(items)
    except EcographError:
        return None
    spans = list(_clause_spans(items, "RETURN"))
    if not kinds or not spans:
        return None
    start, end = spans[-1]
    tail = items[end:]  # ORDER BY, SKIP, LIMIT
    parts = _split(items[start + 1 : end])
    if _word(_at(items, _next(items, start))) == "DISTINCT" or any(
        _is_group(it, "(") and _is_callee(_at(part, _prev(part, j)))
        and _word(_at(part, _prev(part, j))) in _AGGREGATES
        for part in parts for j, it in enumerate(part)
    ):
        # Grouped rows come out in the order of their hashed keys, which ids would change.
        return None
    rendered: list[str] = []
    columns: list[str | None] = []
    for k, part in enumerate(parts, 1):
        sig = _sig(part)
        lead = sig[:1] if sig and _word(part[sig[0]]) == "DISTINCT" else []
        body = sig[len(lead):]
        var = alias = None
        if len(body) == 1 or (len(body) == 3 and _word(part[body[1]]) == "AS"):
            if _is_ident(part[body[0]]) and (len(body) == 1 or _is_ident(part[body[-1]])):
                var, alias = part[body[0]], part[body[-1]]
        kind = kinds.get(_unquote(var)) if isinstance(var, _Token) else None  # type: ignore[arg-type]
        if kind is not None:
            assert isinstance(alias, _Token)
            named = {_unquote(var), _unquote(alias)}  # type: ignore[arg-type]
            # ORDER BY a.name still sees the node behind ``id(a) AS a``, not behind another alias.
            if _mentions(tail, named) and _unquote(alias) != _unquote(var):  # type: ignore[arg-type]
                kind = None
        if kind is None:
            rendered.append(_render(part))
            columns.append(None)
            continue
        head = _render(part[: body[0]])
        name, shown = _render([var]), _render([alias])  # type: ignore[list-item]
        text = f"{head}id({name}) AS {shown}"
        columns.append(kind)
        if kind == "rel":
            text += f", label({name}) AS _ecograph_type{k}"
            columns.append("type")
        rendered.append(text + _render(part[body[-1] + 1 :]))
    if all(c is None for c in columns):
        return None
    text = _render(items[: start + 1]) + ",".join(rendered) + _render(tail)
    return EntityIds(text, tuple(columns))


_AGGREGATES = frozenset({"COUNT", "COLLECT", "SUM", "AVG", "MIN", "MAX", "STDEV", "STDEVP", "PERCENTILECONT",
                         "PERCENTILEDISC", "COUNT_STAR"})


def _variable_kinds(items: list[_Item]) -> dict[str, str]:
    """The query's top-level variables that are surely one node (``"node"``) or one
    relationship (``"rel"``) wherever they stand."""
    regions = _regions(items, "query")
    found: dict[str, set[str]] = {}
    for i, it in enumerate(items):
        if isinstance(it, _Group):
            kind = _classify(items, i, "query", regions[i])
            first = _at(it.items, _next(it.items, -1))
            if kind in ("node", "rel") and _is_ident(first):
                assert isinstance(first, _Token)
                if kind == "rel" and any(_is_op(x, "*") for x in it.items):
                    kind = "rels"  # a variable-length relationship is a list
                found.setdefault(_unquote(first), set()).add(kind)
        elif _word(it) in ("AS", "YIELD") or _is_op(it, "="):
            # AS a / YIELD a rebind a; a = (…) binds a path.
            j = _next(items, i) if not _is_op(it, "=") else _prev(items, i)
            other = _at(items, j)
            if _is_ident(other):
                found.setdefault(_unquote(other), set()).add("other")  # type: ignore[arg-type]
            if _word(it) == "YIELD":
                found["*yield"] = {"other"}
    if "*yield" in found:  # YIELD a, b: every name after it may be rebound
        return {}
    return {name: next(iter(k)) for name, k in found.items() if k in ({"node"}, {"rel"})}


def parameter_names(query: str) -> list[str]:
    """The ``$parameters`` a query uses, in order of first use (strings and comments ignored).

    Example::

        >>> parameter_names("MATCH (n {id: $id}) WHERE n.name <> '$x' RETURN n, $id, $`odd name`")
        ['id', 'odd name']
    """
    names: list[str] = []
    for tok in _tokenize(query):
        if tok.kind == "param":
            name = tok.text[1:]
            if name.startswith("`"):
                name = name.strip("`").replace("``", "`")
            if name not in names:
                names.append(name)
    return names


def missing_parameters(query: str, parameters: Mapping[str, Any]) -> list[str]:
    """The parameters ``query`` uses that ``parameters`` does not set (Neo4j refuses to run then)."""
    return [name for name in parameter_names(query) if name not in parameters]


def writing_clause(query: str) -> str | None:
    """The first clause that writes, or None for a read-only query.

    Answers e.g. ``"CREATE"``, ``"MERGE"``, ``"SET"``, ``"DETACH DELETE"``, ``"CREATE
    CONSTRAINT"``, ``"LOAD CSV"``, ``"CALL … IN TRANSACTIONS"``, ``"CALL apoc.create.node"``, or
    LadybugDB's ``"COPY"``, ``"INSTALL"``, ``"LOAD EXTENSION"``, ``"ATTACH"``, ``"CHECKPOINT"``,
    ``"IMPORT DATABASE"``, ``"EXPORT DATABASE"``. Keywords count only as real clause tokens: not
    inside strings, comments or backticks, not a property name after ``.``, not a map key
    (``{set: 1}``), not a label or an alias. Used for both backends.

    Example::

        >>> writing_clause("MATCH (n) RETURN n.set // DELETE")
        >>> writing_clause("MATCH (n) DETACH DELETE n")
        'DETACH DELETE'
    """
    return _writing_clause(_parse(query))


def _writing_clause(items: list[_Item]) -> str | None:
    for i, it in enumerate(items):
        if isinstance(it, _Group):
            found = _writing_clause(it.items)
            if found:
                return found
            continue
        w = _word(it)
        if w is None:
            continue
        prev = _at(items, _prev(items, i))
        nxt_i = _next(items, i)
        nxt = _at(items, nxt_i)
        if _is_op(prev, ".", ":") or _word(prev) == "AS" or _is_op(nxt, ":", "."):
            continue  # a property, label, alias, map key or variable
        if w == "CALL":
            if _is_group(nxt, "{"):
                after = _next(items, nxt_i)
                if _word(_at(items, after)) == "IN" and _word(_at(items, _next(items, after))) in ("TRANSACTIONS", "CONCURRENT"):
                    return "CALL … IN TRANSACTIONS"
                continue
            name = _dotted_name(items, nxt_i)  # a Neo4j procedure or a LadybugDB table function
            if any(_WRITING_PROCEDURE.search(part) for part in name.split(".")):
                return f"CALL {name}"
            continue
        if w not in _WRITING_WORDS:
            continue
        after = _word(nxt)
        if w == "CREATE" and after in ("CONSTRAINT", "INDEX", "FULLTEXT", "TEXT", "RANGE", "POINT", "LOOKUP", "VECTOR"):
            return "CREATE CONSTRAINT" if after == "CONSTRAINT" else "CREATE INDEX"
        if w == "DETACH":
            return "DETACH DELETE" if after == "DELETE" else "DETACH"
        if w == "LOAD":
            if after == "CSV":
                return "LOAD CSV"
            if after in ("FROM", "WITH"):
                continue  # LadybugDB's LOAD FROM reads a file
            return "LOAD EXTENSION"
        if w in ("IMPORT", "EXPORT"):
            return f"{w} DATABASE"
        if w == "COMMENT":
            if after != "ON":
                continue
            return "COMMENT ON"
        return w
    return None


# ---------------------------------------------------------------------------------------------
# register_functions(): the Python functions translate() calls
# ---------------------------------------------------------------------------------------------

_INTEGER_TYPES = frozenset(
    "INT8 INT16 INT32 INT64 INT128 UINT8 UINT16 UINT32 UINT64 UINT128 SERIAL".split()
)
_FLOAT_TYPES = frozenset({"DOUBLE", "FLOAT"})
_TEMPORAL_TYPES = ("DATE", "TIMESTAMP", "INTERVAL")
_LONG_RE = re.compile(r"[+-]?\d+")
_BIG_DECIMAL_RE = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_JAVA_DOUBLE_RE = re.compile(r"[+-]?(?:NaN|Infinity|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)[fFdD]?")
_MIN_LONG, _MAX_LONG = -(2**63), 2**63 - 1


class _ConversionError(ValueError):
    """A Neo4j conversion function was given a value of a type it does not take."""


def _kind(type_name: str) -> str:
    """Sort LadybugDB's typeof() names into what Neo4j's conversions distinguish."""
    if type_name in _INTEGER_TYPES:
        return "integer"
    if type_name in _FLOAT_TYPES:
        return "float"
    if type_name.startswith("DECIMAL"):
        return "decimal"
    if type_name == "BOOL":
        return "boolean"
    if type_name in ("STRING", "UUID"):
        return "string"
    if type_name.startswith(_TEMPORAL_TYPES):
        return "temporal"
    return "other"


def _java_trim(s: str) -> str:
    """Java's String.trim(): strips every character up to and including space."""
    return s.strip("".join(chr(c) for c in range(33)))


def _to_integer(type_name: str, text: str | None, number: float | None) -> int | None:
    """Neo4j toInteger(): floats truncate, strings parse as a long or else as a decimal."""
    if text is None:
        return None
    kind = _kind(type_name)
    if kind == "integer":
        return int(text)
    if kind == "float":
        assert number is not None
        if math.isnan(number):
            return 0
        if math.isinf(number):
            return _MAX_LONG if number > 0 else _MIN_LONG
        return max(_MIN_LONG, min(_MAX_LONG, int(number)))
    if kind == "decimal":
        return int(Decimal(text))
    if kind == "boolean":
        return 1 if text == "True" else 0
    if kind == "string":
        if _LONG_RE.fullmatch(text) and _MIN_LONG <= int(text) <= _MAX_LONG:
            return int(text)
        if not _BIG_DECIMAL_RE.fullmatch(text):
            return None
        value = Decimal(text)
        if not _MIN_LONG <= value <= _MAX_LONG:
            raise _ConversionError(f"integer, {text}, is too large")
        return int(value)
    raise _ConversionError(
        f"Invalid input for function 'toInteger()': Expected a String, Float, Integer or Boolean, got: {type_name}"
    )


def _to_float(type_name: str, text: str | None, number: float | None) -> float | None:
    """Neo4j toFloat(): numbers widen, strings parse as Java's Double.parseDouble does."""
    if text is None:
        return None
    kind = _kind(type_name)
    if kind == "float":
        return number
    if kind in ("integer", "decimal"):
        return float(Decimal(text))
    if kind == "string":
        s = _java_trim(text)
        if not _JAVA_DOUBLE_RE.fullmatch(s):
            return None
        return float(s.rstrip("fFdD").replace("Infinity", "inf"))
    raise _ConversionError(
        f"Invalid input for function 'toFloat()': Expected a String, Float or Integer, got: {type_name}"
    )


def _to_boolean(type_name: str, text: str | None, number: float | None) -> bool | None:
    """Neo4j toBoolean(): 'true'/'false' in any case (trimmed), integers by being non-zero."""
    if text is None:
        return None
    kind = _kind(type_name)
    if kind == "boolean":
        return text == "True"
    if kind == "string":
        return {"true": True, "false": False}.get(_java_trim(text).lower())
    if kind == "integer":
        return int(text) != 0
    raise _ConversionError(
        f"Invalid input for function 'toBoolean()': Expected a Boolean, Integer or String, got: {type_name}"
    )


def _to_string(type_name: str, text: str | None, number: float | None) -> str | None:
    """Neo4j toString(): floats as Java prints a double (1.0, 1.0E20), booleans lower-case."""
    if text is None:
        return None
    kind = _kind(type_name)
    if kind == "float":
        assert number is not None
        return _java_double_to_string(number)
    if kind == "boolean":
        return "true" if text == "True" else "false"
    if kind in ("integer", "decimal", "string", "temporal"):
        return text
    raise _ConversionError(
        "Invalid input for function 'toString()': "
        f"Expected a String, Float, Integer, Boolean, Temporal or Duration, got: {type_name}"
    )


def _java_double_to_string(x: float) -> str:
    """Java's Double.toString(x): plain between 10^-3 and 10^7, else d.dddE±n."""
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    if x == 0:
        return "-0.0" if math.copysign(1.0, x) < 0 else "0.0"
    sign = "-" if x < 0 else ""
    _, digit_tuple, exponent = Decimal(repr(abs(x))).as_tuple()
    digits = "".join(map(str, digit_tuple)).rstrip("0") or "0"
    assert isinstance(exponent, int)
    point = len(digit_tuple) + exponent  # digits before the decimal point
    if 1e-3 <= abs(x) < 1e7:
        if point <= 0:
            return f"{sign}0.{'0' * -point}{digits}"
        whole = digits[:point].ljust(point, "0")
        return f"{sign}{whole}.{digits[point:] or '0'}"
    return f"{sign}{digits[0]}.{digits[1:] or '0'}E{point - 1}"


def _or_null(convert: Callable[[str, str | None, float | None], Any]) -> Callable[..., Any]:
    """The ``…OrNull`` variant of a conversion: null instead of an error."""

    def convert_or_null(type_name: str, text: str | None, number: float | None) -> Any:
        try:
            return convert(type_name, text, number)
        except _ConversionError:
            return None

    return convert_or_null


def _split_text(text: str, delimiter: str) -> list[str]:
    """Neo4j split(): keeps empty parts (LadybugDB's string_split drops them)."""
    return list(text) if delimiter == "" else text.split(delimiter)


_ROUNDING = {
    "UP": ROUND_UP,
    "DOWN": ROUND_DOWN,
    "CEILING": ROUND_CEILING,
    "FLOOR": ROUND_FLOOR,
    "HALF_UP": ROUND_HALF_UP,
    "HALF_DOWN": ROUND_HALF_DOWN,
    "HALF_EVEN": ROUND_HALF_EVEN,
}


def _round(x: float) -> float:
    """Neo4j round(x): to the nearest integer, ties towards positive infinity (Java Math.round)."""
    if not math.isfinite(x):
        return x
    return float((Decimal(x) + Decimal("0.5")).to_integral_value(rounding=ROUND_FLOOR))


def _round_to(x: float, precision: int, mode: str) -> float:
    """Neo4j round(x, precision[, mode]): the decimal form of x rounded, HALF_UP by default."""
    if not math.isfinite(x):
        return x
    if mode == "" and precision == 0:
        return _round(x)
    mode = mode.upper() or "HALF_UP"
    value = Decimal(repr(float(x)))
    quantum = Decimal(1).scaleb(-precision)
    if mode == "UNNECESSARY":
        rounded = value.quantize(quantum, rounding=ROUND_DOWN)
        if rounded != value:
            raise ValueError("Rounding necessary")
        return float(rounded)
    if mode not in _ROUNDING:
        raise ValueError(f"Unknown rounding mode: {mode}")
    try:
        return float(value.quantize(quantum, rounding=_ROUNDING[mode]))
    except InvalidOperation:
        return x


def _exp(x: float) -> float:
    """Neo4j exp(): e to the x, infinity when too large (Python raises)."""
    try:
        return math.exp(x)
    except OverflowError:
        return math.inf


# What translate() uses to convert a literal argument itself (see _fold_conversion).
_FOLDS: dict[str, tuple[Callable[[str, str | None, float | None], Any], str]] = {
    "tointeger": (_to_integer, "INT64"),
    "tofloat": (_to_float, "DOUBLE"),
    "tostring": (_to_string, "STRING"),
    "toboolean": (_to_boolean, "BOOL"),
}

# name, function, parameter types, return type, null in -> null out
_FUNCTIONS: list[tuple[str, Callable[..., Any], list[str], str, bool]] = [
    ("ecograph_to_integer", _to_integer, ["STRING", "STRING", "DOUBLE"], "INT64", False),
    ("ecograph_to_integer_or_null", _or_null(_to_integer), ["STRING", "STRING", "DOUBLE"], "INT64", False),
    ("ecograph_to_float", _to_float, ["STRING", "STRING", "DOUBLE"], "DOUBLE", False),
    ("ecograph_to_float_or_null", _or_null(_to_float), ["STRING", "STRING", "DOUBLE"], "DOUBLE", False),
    ("ecograph_to_string", _to_string, ["STRING", "STRING", "DOUBLE"], "STRING", False),
    ("ecograph_to_string_or_null", _or_null(_to_string), ["STRING", "STRING", "DOUBLE"], "STRING", False),
    ("ecograph_to_boolean", _to_boolean, ["STRING", "STRING", "DOUBLE"], "BOOL", False),
    ("ecograph_to_boolean_or_null", _or_null(_to_boolean), ["STRING", "STRING", "DOUBLE"], "BOOL", False),
    ("ecograph_split", _split_text, ["STRING", "STRING"], "STRING[]", True),
    ("ecograph_round", _round, ["DOUBLE"], "DOUBLE", True),
    ("ecograph_round_to", _round_to, ["DOUBLE", "INT64", "STRING"], "DOUBLE", True),
    ("ecograph_exp", _exp, ["DOUBLE"], "DOUBLE", True),
]


def _bare(fn: Callable[..., Any], arity: int) -> Callable[..., Any]:
    """``fn`` without annotations: ladybug reads them even when the types are given, refuses
    ``int | None``, and wants exactly as many parameters as types."""
    wrappers = {
        1: lambda a: fn(a),
        2: lambda a, b: fn(a, b),
        3: lambda a, b, c: fn(a, b, c),
    }
    return wrappers[arity]


def register_functions(conn: Any) -> None:
    """Register on a ladybug ``Connection`` the Python functions translate() relies on.

    Call it once per connection. LadybugDB keeps the functions per database, so calling it again
    for another connection to the same database is harmless.
    """
    for name, fn, params, returns, null_in_null_out in _FUNCTIONS:
        try:
            conn.create_function(name, _bare(fn, len(params)), params, returns, default_null_handling=null_in_null_out)
        except RuntimeError as e:
            if "already exists" not in str(e):
                raise


# ---------------------------------------------------------------------------------------------
# engine_error()
# ---------------------------------------------------------------------------------------------

_ENGINE_PREFIX = re.compile(r"^(?:[A-Z][a-z]+ )+exception: ")
_PYTHON_PREFIX = re.compile(r"^_?[A-Z]\w*(?:Error|Exception): ")


def engine_error(exc: Exception, query: str) -> QueryError:
    """Turn a ladybug exception into one ``QueryError`` line (the exception becomes its cause).

    - ``function FOO does not exist`` -> ``UnsupportedCypherError("function foo()")`` when foo is
      a Neo4j function, else ``QueryError("unknown function foo()")``;
    - parser exceptions -> ``QueryError("syntax error at line L, column C: unexpected 'X'")``;
    - anything else -> its first line, without the engine's ``Binder exception:`` prefix.

    ``query`` is the query as the user wrote it (or as translated): it gives a function's
    spelling and the column of a syntax error in the user's text.
    """
    if isinstance(exc, QueryError):
        return exc
    text = str(exc).strip()
    lines = text.splitlines() or [type(exc).__name__]
    missing = re.match(r"Catalog exception: function (\S+) does not exist", lines[0])
    err: QueryError
    uncastable = re.match(r"Conversion exception: Unsupported casting function from (\S+) to DOUBLE", lines[0])
    if missing:
        err = _missing_function(missing.group(1), query)
    elif uncastable and (conversion := _unconvertible(uncastable.group(1), query)):
        err = conversion
    elif lines[0].startswith("Parser exception:"):
        err = QueryError(_syntax_message(lines, query))
    elif unknown := re.match(r"Binder exception: Table (\S+) does not exist\.", lines[0]):
        err = QueryError(_unknown_name(unknown.group(1)))
    elif unknown := re.match(r"Binder exception: Cannot find property (\S+) for (\S+)\.", lines[0]):
        err = QueryError(_unknown_property(unknown.group(1), unknown.group(2)))
    else:
        err = QueryError(_engine_message(lines))
    err.__cause__ = exc
    return err


def _did_you_mean(name: str, options: list[str]) -> str:
    import difflib

    by_lower = {o.lower(): o for o in options}
    close = difflib.get_close_matches(name.lower(), list(by_lower), n=1, cutoff=0.6)
    return f" (did you mean {by_lower[close[0]]!r}?)" if close else ""


def _unknown_name(name: str) -> str:
    """The data has no such label or type (LadybugDB calls both tables)."""
    from ecograph import schema

    labels = [*schema.KINDS, schema.OBSERVATION_LABEL]
    types = [*schema.REL_TYPES, schema.OBSERVATION_REL]
    return f"no label or relationship type {name!r} in the data{_did_you_mean(name, labels + types)}; `ecograph schema` lists them"


def _unknown_property(name: str, variable: str) -> str:
    """No node or relationship ``variable`` can be has that property."""
    from ecograph import schema

    known = sorted({p.name for group in (schema.NODE_PROPERTIES, schema.RELATIONSHIP_PROPERTIES,
                                         schema.OBSERVATION_PROPERTIES) for p in group})
    return f"{variable} has no property {name!r}{_did_you_mean(name, known)}; `ecograph schema` lists the properties"


def _missing_function(name: str, query: str) -> QueryError:
    neo4j = _NEO4J_FUNCTIONS.get(name.lower())
    if neo4j:
        return UnsupportedCypherError(f"function {neo4j}()")
    if name.lower().startswith("ecograph_"):
        return QueryError(
            f"function {name.lower()}() is not registered; call ecograph.dialect.register_functions(conn)"
        )
    spelled = next(
        (t.text for t in _tokenize(query) if t.kind == "name" and t.text.lower() == name.lower()), name.lower()
    )
    return QueryError(f"unknown function {spelled}()")


def _unconvertible(type_name: str, query: str) -> QueryError | None:
    """A conversion (toInteger(x) …) of a list, map, boolean or date: the cast to DOUBLE that
    the rewrite adds does not bind for those. Say what Neo4j would say, or that it cannot be run
    (None if the query converts nothing)."""
    if "ecograph_to_" not in query:  # given the query as the user wrote it
        try:
            query = translate(query)
        except QueryError:
            pass
    used = set(re.findall(r"ecograph_to_(integer|float|string|boolean)(_or_null)?\b", query))
    if not used:
        return None
    if len(used) > 1:
        return UnsupportedCypherError(f"conversion of a {type_name} value")
    target, or_null = used.pop()
    neo4j = f"to{target.capitalize()}{'OrNull' if or_null else ''}"
    if not or_null:
        convert, _ = _FOLDS[neo4j.lower()]
        try:
            convert(type_name, "", None)
        except _ConversionError as e:
            return QueryError(str(e))
    return UnsupportedCypherError(f"{neo4j}() of a {type_name} value")


def _syntax_message(lines: list[str], query: str) -> str:
    """``Parser exception: … (line: 1, offset: 17)`` + the line + a caret line -> one line.

    The engine's column is in the text it ran. When ``query`` is the text the user wrote, the
    column is moved to the place there whose surroundings match best.
    """
    where = re.search(r"\(line: (\d+), offset: (\d+)\)", lines[0])
    line, column = (int(where.group(1)), int(where.group(2)) + 1) if where else (1, 1)
    found = ""
    carets = next((k for k, s in enumerate(lines) if s.strip() and set(s.strip()) == {"^"}), None)
    ran = ""
    if carets is not None and carets > 0:
        ran = lines[carets - 1][1:-1]  # the engine quotes the line
        start = lines[carets].index("^") - 1
        found = ran[start : start + lines[carets].count("^")].strip()
    if not found:
        quoted = re.search(r"input '(.*?)'", lines[0])
        found = quoted.group(1) if quoted else ""
    if found in ("", "<EOF>"):
        return f"syntax error at line {line}, column {column}: unexpected end of input"
    written = query.splitlines()[line - 1] if 0 < line <= len(query.splitlines()) else ""
    candidates = [m.start() for m in re.finditer(re.escape(found), written)]
    if ran and candidates:
        column = 1 + max(candidates, key=lambda at: _shared_context(written, at, ran, column - 1))
    return f"syntax error at line {line}, column {column}: unexpected {found!r}"


def _shared_context(a: str, i: int, b: str, j: int) -> int:
    """How many characters around ``a[i]`` and ``b[j]`` agree (before and after)."""
    before = 0
    while before < min(i, j) and a[i - before - 1] == b[j - before - 1]:
        before += 1
    after = 0
    while i + after < len(a) and j + after < len(b) and a[i + after] == b[j + after]:
        after += 1
    return before + after


def _engine_message(lines: list[str]) -> str:
    """The first line without the engine's prefix; an argument mismatch keeps its two lines
    (``Actual: …``/``Expected: …``) folded in, a list of supported inputs is dropped."""
    first = _PYTHON_PREFIX.sub("", _ENGINE_PREFIX.sub("", lines[0]))
    first = first.replace(". Supported inputs are", ".").rstrip()
    if first.endswith(":"):
        detail = []
        for line in lines[1:]:
            s = " ".join(line.split())
            if not s or s.startswith("At:"):
                break
            detail.append(s)
        first = f"{first} {'; '.join(detail)}" if detail else first.rstrip(":")
    return " ".join(first.split())
