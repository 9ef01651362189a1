"""Labels, types and properties the data does not have, on the embedded store, as Neo4j treats them.

Neo4j reads a label, relationship type or property that no node or relationship has as simply
absent: ``MATCH (n:Nope)`` gives no rows, ``n.nope`` is null. LadybugDB has a table per label and
a column per property, and refuses to bind a name it has no table or column for. So a read the
engine refuses for that reason is rewritten and run again, each time a name is missing:

- a node pattern with a missing label, ``(n:Nope {…})``, becomes one that matches no node,
  ``(n:Observation {id: $ecograph_no_id})`` (an id no node has);
- a relationship pattern with a missing type drops it from its alternatives (``[:A|Nope]``), or,
  when no type is left, becomes ``[r:T {source: $ecograph_no_id}]`` for a declared type ``T``
  (variable length: ``[:T*0..0]`` when it may have no hop, since only its empty paths match);
- ``v.nope`` becomes a null, ``CAST(NULL AS STRING)``.

Each rewrite comes with a warning naming the closest declared name (the caller shows it). A
write that names an undeclared label, type or property is refused with one line saying how to
declare it (:func:`write_message`), never rewritten: a write must not quietly do nothing.

Neo4j creates a node without any key (``CREATE (:Supplier {name: 'X'})``); here every entity is
found by its ``id``, the primary key of its label's table. So a node a CREATE makes with one
declared label and no ``id`` gets a generated one, its label in lower case and a random UUID
(``supplier-1b4e28ba-2fa1-11d2-883f-0016d3cca427``), which the query can return
(:func:`with_created_ids`). A MERGE cannot be given one (it would never match), and a node with
no label has no table: both are refused in one line saying what to add (:func:`create_message`).

The rewrites work on the query's tokens (names, strings, comments and backticked names kept
apart), and never touch strings or comments.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from ecograph.data import schema

__all__ = ["NO_ID", "Missing", "missing_name", "rewrite", "read_warning", "write_message", "with_created_ids",
           "create_message"]

# The parameter a rewritten pattern matches on: no node or relationship has an empty id or source.
NO_ID = "ecograph_no_id"

_TOKEN = re.compile(
    r"""(?P<ws>\s+)
      | (?P<comment>//[^\r\n]*|/\*.*?(?:\*/|\Z))
      | (?P<string>'(?:[^'\\]|\\.)*'?|"(?:[^"\\]|\\.)*"?)
      | (?P<backtick>`(?:[^`]|``)*`?)
      | (?P<param>\$\w+)
      | (?P<number>\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)
      | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
      | (?P<arrow><-|->)
      | (?P<punct>.)""",
    re.S | re.X,
)
_TABLE = re.compile(r"Binder exception: Table (\S+) does not exist\.")
_PROPERTY = re.compile(r"Binder exception: Cannot find property (\S+) for (\S*)\.")


@dataclass(frozen=True)
class Missing:
    """A name the engine found no table or column for: ``what`` is ``table`` or ``property``;
    ``variable`` is the variable a property was read from (may be empty)."""

    what: str
    name: str
    variable: str = ""


def missing_name(engine_message: str) -> Missing | None:
    """The missing label/type or property an engine error is about, or None."""
    first = engine_message.strip().splitlines()[0] if engine_message.strip() else ""
    table = _TABLE.match(first)
    if table:
        return Missing("table", table.group(1))
    prop = _PROPERTY.match(first)
    if prop:
        return Missing("property", prop.group(1), prop.group(2))
    return None


@dataclass
class _Token:
    kind: str
    text: str
    start: int

    @property
    def end(self) -> int:
        return self.start + len(self.text)

    @property
    def word(self) -> str:
        """A name as written, without backticks."""
        return self.text[1:-1].replace("``", "`") if self.kind == "backtick" else self.text


def _tokens(query: str) -> list[_Token]:
    out = []
    for m in _TOKEN.finditer(query):
        if m.lastgroup not in ("ws", "comment"):
            out.append(_Token(m.lastgroup or "punct", m.group(), m.start()))
    return out


def _patterns(tokens: list[_Token]) -> list[tuple[int, int, str]]:
    """(open index, close index, "node" or "rel") of the node and relationship patterns: a
    ``(`` … ``)`` holding a label, and a ``[`` after ``-`` or ``<-``."""
    found = []
    stack: list[tuple[int, str]] = []
    for i, t in enumerate(tokens):
        if t.text in "([{" and t.kind == "punct":
            kind = "other"
            if t.text == "(":
                kind = "node"
            elif t.text == "[" and i > 0 and tokens[i - 1].text in ("-", "<-"):
                kind = "rel"
            stack.append((i, kind))
        elif t.text in ")]}" and t.kind == "punct" and stack:
            start, kind = stack.pop()
            if kind in ("node", "rel"):
                found.append((start, i, kind))
    return found


def _labels(tokens: list[_Token], start: int, end: int) -> tuple[str, list[int]]:
    """The variable of a pattern and the indexes of its label or type name tokens (directly
    inside it, not in a nested map or call)."""
    variable = ""
    names = []
    i = start + 1
    if i < end and tokens[i].kind in ("name", "backtick") and (i + 1 == end or tokens[i + 1].text in (":", ")", "]", "{", "*")):
        variable = tokens[i].word
        i += 1
    while i < end and tokens[i].text in (":", "|", "&"):
        j = i + 1
        if j < end and tokens[j].text == ":":  # [:A|:B]
            j += 1
        if j < end and tokens[j].kind in ("name", "backtick"):
            names.append(j)
            i = j + 1
        else:
            break
    return variable, names


def rewrite(query: str, missing: Missing, model: schema.Model) -> tuple[str, set[str]] | None:
    """``query`` read as Neo4j reads a graph without the missing name, and the variables of the
    patterns it made match nothing; None when this rewrite cannot say it (the caller then
    reports the name as unknown)."""
    tokens = _tokens(query)
    if missing.what == "property":
        rewritten = _without_property(query, tokens, missing)
        return None if rewritten is None else (rewritten, set())
    emptied: set[str] = set()
    rewritten = _without_label(query, tokens, missing.name, model, emptied)
    return None if rewritten is None else (rewritten, emptied)


def _splice(query: str, edits: list[tuple[int, int, str]]) -> str:
    for start, end, text in sorted(edits, reverse=True):
        query = query[:start] + text + query[end:]
    return query


def _without_property(query: str, tokens: list[_Token], missing: Missing) -> str | None:
    edits = []
    for i in range(len(tokens) - 2):
        var, dot, prop = tokens[i], tokens[i + 1], tokens[i + 2]
        if (var.kind in ("name", "backtick") and var.word == missing.variable and dot.text == "."
                and prop.kind in ("name", "backtick") and prop.word == missing.name
                and (i == 0 or tokens[i - 1].text != ".")):
            text = "CAST(NULL AS STRING)"  # typed: an untyped NULL cannot be collected or counted
            if _returned_as_is(tokens, i, i + 2):  # RETURN n.nope keeps its column name
                text += " AS `" + query[var.start:prop.end].replace("`", "``") + "`"
            edits.append((var.start, prop.end, text))
    return _splice(query, edits) if edits else None


_CLAUSE_ENDS = {"ORDER", "SKIP", "LIMIT", "UNION", ";", ")", "}"}


def _returned_as_is(tokens: list[_Token], first: int, last: int) -> bool:
    """Whether tokens[first:last + 1] are a whole unnamed item of a RETURN."""
    after = tokens[last + 1] if last + 1 < len(tokens) else None
    if after is not None and after.text != "," and after.text.upper() not in _CLAUSE_ENDS:
        return False
    depth = 0
    for t in reversed(tokens[:first]):
        if t.kind == "punct" and t.text in ")]}":
            depth += 1
        elif t.kind == "punct" and t.text in "([{":
            if depth == 0:
                return False
            depth -= 1
        elif depth == 0 and t.kind == "name" and t.text.upper() in ("WITH", "MATCH", "WHERE", "UNWIND"):
            return False
        elif depth == 0 and t.kind == "name" and t.text.upper() == "RETURN":
            before = tokens[tokens.index(t) + 1:first]
            return not before or before[-1].text == "," or before[-1].text.upper() == "DISTINCT"
    return False


def _without_label(query: str, tokens: list[_Token], name: str, model: schema.Model, emptied: set[str]
                   ) -> str | None:
    edits = []
    for start, end, kind in _patterns(tokens):
        variable, names = _labels(tokens, start, end)
        hits = [j for j in names if tokens[j].word == name]
        if not hits:
            continue
        inside = (tokens[start].end, tokens[end].start)
        var = f"`{variable.replace('`', '``')}`" if variable else ""
        if kind == "node" or not [j for j in names if tokens[j].word != name]:
            emptied.add(variable)
        if kind == "node":
            edits.append((*inside, f"{var}:{schema.OBSERVATION_LABEL} {{id: ${NO_ID}}}"))
            continue
        kept = [tokens[j].word for j in names if tokens[j].word != name]
        if kept:
            # The other alternatives match as before; the missing one adds nothing.
            first, last = names[0], names[-1]
            edits.append((tokens[first - 1].start, tokens[last].end, ":" + "|".join(kept)))
            continue
        if not model.rel_types:
            return None
        some_type = next(iter(model.rel_types))
        star = next((k for k in range(names[-1] + 1, end) if tokens[k].text == "*"), None)
        if star is None:
            edits.append((*inside, f"{var}:{some_type} {{source: ${NO_ID}}}"))
            continue
        # A variable-length pattern over a missing type: only its zero-length paths match.
        brace = next((k for k in range(star, end) if tokens[k].text == "{"), end)
        hops = query[tokens[star].end:tokens[brace].start].strip()
        if hops.startswith("0"):
            edits.append((*inside, f"{var}:{some_type}*0..0"))
        else:
            edits.append((*inside, f"{var}:{some_type}*{hops} {{source: ${NO_ID}}}"))
    return _splice(query, edits) if edits else None


def _closest(name: str, options: list[str]) -> str:
    by_lower = {o.lower(): o for o in options}
    close = difflib.get_close_matches(name.lower(), list(by_lower), n=1, cutoff=0.5)
    if close:
        return f" (did you mean {by_lower[close[0]]!r}?)"
    return f" (declared: {', '.join(options[:8])}{', …' if len(options) > 8 else ''})" if options else ""


def read_warning(missing: Missing, model: schema.Model) -> str:
    """The warning for a read that names what the data does not have."""
    if missing.what == "property":
        shown = f"{missing.variable}.{missing.name}" if missing.variable else missing.name
        if missing.name in model.property_names():  # declared, but not where the query reads it
            return f"{missing.variable or 'that'} has no property {missing.name!r} there, so {shown} is null"
        return (f"no entity or relationship in the data has the property {missing.name!r}, so {shown} is null"
                f"{_closest(missing.name, model.property_names())}")
    if missing.name.isupper() or "_" in missing.name:
        return (f"no relationship in the data has the type {missing.name!r}, so that pattern matches nothing"
                f"{_closest(missing.name, list(model.types))}")
    return (f"no node in the data has the label {missing.name!r}, so that pattern matches nothing"
            f"{_closest(missing.name, list(model.labels))}")


def unknown_message(missing: Missing, model: schema.Model) -> str:
    """A read this module cannot rewrite: the name is unknown, with the closest declared one."""
    if missing.what == "property":
        return f"no property {missing.name!r} in the data{_closest(missing.name, model.property_names())}"
    return (f"no label or relationship type {missing.name!r} in the data"
            f"{_closest(missing.name, [*model.labels, *model.types])}")


def write_message(missing: Missing, model: schema.Model) -> str:
    """A write that names an undeclared label, type or property: one line on how to declare it."""
    if missing.what == "property":
        return (f"no property {missing.name!r} in the data{_closest(missing.name, model.property_names())}; "
                f"to write it, declare it in the data folder's schema.toml: [properties.{missing.name}] with "
                "on = \"entities\" or \"relationships\" and its type")
    section = "relationships" if missing.name.isupper() or "_" in missing.name else "kinds"
    return (f"no label or relationship type {missing.name!r} in the data"
            f"{_closest(missing.name, [*model.labels, *model.types])}; to write it, declare it in the data "
            f"folder's schema.toml under [{section}.{missing.name}]")


# Clause keywords: the last one before a node pattern says whether the pattern creates a node.
_CLAUSES = frozenset("CREATE MERGE MATCH OPTIONAL WITH RETURN WHERE UNWIND SET DELETE REMOVE CALL FOREACH".split())


def _clause_before(tokens: list[_Token], index: int) -> str:
    for i in range(index - 1, -1, -1):
        t = tokens[i]
        if t.kind != "name" or t.text.upper() not in _CLAUSES:
            continue
        if (i > 0 and tokens[i - 1].text in (".", ":")) or (i + 1 < len(tokens) and tokens[i + 1].text == ":"):
            continue  # a property, a label or a map key
        return t.text.upper()
    return ""


def _map_keys(tokens: list[_Token], open_brace: int) -> tuple[set[str], int]:
    """The keys of the map literal opening at ``open_brace`` and the index of its ``}``."""
    keys: set[str] = set()
    depth = 0
    for i in range(open_brace, len(tokens)):
        t = tokens[i]
        if t.kind == "punct" and t.text in "([{":
            depth += 1
        elif t.kind == "punct" and t.text in ")]}":
            depth -= 1
            if depth == 0:
                return keys, i
        elif (depth == 1 and t.kind in ("name", "backtick") and i + 1 < len(tokens) and tokens[i + 1].text == ":"
              and tokens[i - 1].text in ("{", ",")):
            keys.add(t.word)
    return keys, len(tokens) - 1


def with_created_ids(query: str, model: schema.Model) -> str:
    """``query`` with a generated ``id`` for each node a CREATE makes with one declared label
    and no id of its own, as Neo4j makes a node without any key.

    Example::

        >>> with_created_ids("CREATE (n:Company {name_en: 'X'}) RETURN n.id", schema.SHIPPED)
        "CREATE (n:Company {id: 'company-' + randomUUID(), name_en: 'X'}) RETURN n.id"
    """
    tokens = _tokens(query)
    edits = []
    for start, end, kind in _patterns(tokens):
        if kind != "node" or _clause_before(tokens, start) != "CREATE":
            continue
        _, names = _labels(tokens, start, end)
        if len(names) != 1 or tokens[names[0]].word not in model.labels:
            continue
        prefix = re.sub(r"[^a-z0-9]+", "-", tokens[names[0]].word.lower()).strip("-") or "node"
        new_id = f"id: '{prefix}-' + randomUUID()"
        after = names[0] + 1
        if after == end:  # (n:Label)
            edits.append((tokens[end].start, tokens[end].start, f" {{{new_id}}}"))
        elif tokens[after].text == "{":
            keys, close = _map_keys(tokens, after)
            if "id" not in keys:
                glue = "" if close == after + 1 else ", "
                edits.append((tokens[after].end, tokens[after].end, new_id + glue))
    return _splice(query, edits) if edits else query


def create_message(engine_message: str, model: schema.Model) -> str | None:
    """One line on what to add to a node the engine cannot create, or None for another error."""
    first = engine_message.strip().splitlines()[0] if engine_message.strip() else ""
    labels = ", ".join(model.labels)
    if "requires exactly one label" in first:
        return ("each node the query creates needs one label, its kind, and the embedded store keeps it in that "
                f"kind's table: write e.g. CREATE (n:{model.labels[0]} {{…}}) (declared: {labels})")
    if "expects primary key id" in first:
        return ("each node a MERGE may create needs its id, the key every entity is found by: write e.g. "
                f"MERGE (n:{model.labels[0]} {{id: 'x'}}) and SET the other properties")
    return None
