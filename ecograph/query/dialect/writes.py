"""What a query writes and which parameters it needs (both backends): :func:`writing_clause`,
:func:`parameter_names`, :func:`missing_parameters`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ecograph.query.dialect.tokens import (
    Group,
    Item,
    dotted_name,
    is_group,
    is_op,
    item_at,
    keyword_of,
    next_index,
    parse,
    prev_index,
    tokenize,
)

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


def parameter_names(query: str) -> list[str]:
    """The ``$parameters`` a query uses, in order of first use (strings and comments ignored).

    Example::

        >>> parameter_names("MATCH (n {id: $id}) WHERE n.name <> '$x' RETURN n, $id, $`odd name`")
        ['id', 'odd name']
    """
    names: list[str] = []
    for tok in tokenize(query):
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
    return _writing_clause(parse(query))


def _writing_clause(items: list[Item]) -> str | None:
    for i, it in enumerate(items):
        if isinstance(it, Group):
            found = _writing_clause(it.items)
        else:
            found = _writing_word(items, i)
        if found:
            return found
    return None


def _writing_word(items: list[Item], i: int) -> str | None:
    """The writing clause that the word at ``items[i]`` starts, if it is a clause keyword."""
    w = keyword_of(items[i])
    if w is None:
        return None
    prev = item_at(items, prev_index(items, i))
    nxt_i = next_index(items, i)
    nxt = item_at(items, nxt_i)
    if is_op(prev, ".", ":") or keyword_of(prev) == "AS" or is_op(nxt, ":", "."):
        return None  # a property, label, alias, map key or variable
    if w == "CALL":
        return _writing_call(items, nxt_i)
    if w not in _WRITING_WORDS:
        return None
    return _writing_keyword(w, keyword_of(nxt))


def _writing_call(items: list[Item], nxt_i: int) -> str | None:
    """``CALL { … } IN TRANSACTIONS`` or a procedure that writes."""
    nxt = item_at(items, nxt_i)
    if is_group(nxt, "{"):
        after = next_index(items, nxt_i)
        if keyword_of(item_at(items, after)) == "IN" and keyword_of(
            item_at(items, next_index(items, after))
        ) in ("TRANSACTIONS", "CONCURRENT"):
            return "CALL … IN TRANSACTIONS"
        return None
    name = dotted_name(items, nxt_i)  # a Neo4j procedure or a LadybugDB table function
    if any(_WRITING_PROCEDURE.search(part) for part in name.split(".")):
        return f"CALL {name}"
    return None


def _writing_keyword(w: str, after: str | None) -> str | None:
    """The name of the writing clause keyword ``w`` starts, given the word after it."""
    if w == "CREATE" and after in ("CONSTRAINT", "INDEX", "FULLTEXT", "TEXT", "RANGE", "POINT", "LOOKUP", "VECTOR"):
        return "CREATE CONSTRAINT" if after == "CONSTRAINT" else "CREATE INDEX"
    if w == "DETACH":
        return "DETACH DELETE" if after == "DELETE" else "DETACH"
    if w == "LOAD":
        if after == "CSV":
            return "LOAD CSV"
        return None if after in ("FROM", "WITH") else "LOAD EXTENSION"  # LOAD FROM reads a file
    if w in ("IMPORT", "EXPORT"):
        return f"{w} DATABASE"
    if w == "COMMENT":
        return "COMMENT ON" if after == "ON" else None
    return w
