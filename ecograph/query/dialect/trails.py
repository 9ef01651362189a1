"""Neo4j's matching semantics over LadybugDB's: two relationships of one MATCH are kept
apart, and the variable of a variable-length relationship reads as a list of relationships.
"""

from __future__ import annotations

from collections.abc import Iterator

from ecograph.query.dialect.clauses import CLAUSE_REGIONS, State, clause_word
from ecograph.query.dialect.paths import relationship
from ecograph.query.dialect.tokens import (
    Group,
    Item,
    Token,
    is_group,
    is_op,
    item_at,
    keyword_of,
    name_text,
    next_index,
    parse,
    prev_index,
    render,
    significant,
    split_items,
    text_of,
    unquote,
)


def _match_clauses(items: list[Item]) -> Iterator[tuple[int, int, int | None, int]]:
    """Each MATCH clause at this level: (pattern start, pattern end, WHERE index, clause end)."""
    i = 0
    while i < len(items):
        if clause_word(items, i) == "MATCH":
            start = next_index(items, i)
            j = start
            while j < len(items) and clause_word(items, j) is None:
                j += 1
            pattern_end = prev_index(items, j)
            where = None
            end = pattern_end
            if j < len(items) and clause_word(items, j) == "WHERE":
                where = j
                k = next_index(items, j)
                while k < len(items) and clause_word(items, k) is None:
                    k += 1
                end = prev_index(items, k)
                j = k
            yield start, pattern_end, where, end
            i = j
        else:
            i += 1


def enforce_unique_relationships(items: list[Item], st: State) -> list[Item]:
    """Within one MATCH, Neo4j never binds two relationship patterns to the same relationship;
    LadybugDB does (``(a)--(b)--(c)`` finds c = a over one edge). Add ``id(r1) <> id(r2)`` for
    each pair of single relationships that could meet to the clause's WHERE.

    A variable-length relationship is a trail by itself (see paths.rewrite_var_length), but it is
    not kept apart from the others here: LadybugDB 0.22 returns wrong rels() for a
    variable-length relationship that follows another one, so the condition cannot be written.
    """
    for start, pattern_end, where, end in reversed(list(_match_clauses(items))):
        singles = [
            j
            for j in range(start, pattern_end + 1)
            if isinstance(items[j], Group) and items[j].kind == "rel" and relationship(items[j]).star is None  # type: ignore
        ]
        short = [] if st.star_projection else _abbreviated_relationships(items, start, pattern_end)
        if len(singles) + len(short) < 2:
            continue
        for j in reversed(short):  # (a)-->(b) -> (a)-[]->(b), to give it a variable
            items.insert(j, Group(Token("op", "["), [], Token("op", "]"), "rel"))
        pattern_end += len(short)
        end += len(short)
        where = where + len(short) if where is not None else None
        rels = {
            j: relationship(g)
            for j in range(start, pattern_end + 1)
            if isinstance(g := items[j], Group) and g.kind == "rel" and relationship(g).star is None
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
                assert isinstance(g, Group)
                items[j] = Group(g.open, [Token("name", rels[j].var), *g.items], g.close, g.kind)
        conditions = " AND ".join(f"id({name_text(rels[a].var)}) <> id({name_text(rels[b].var)})" for a, b in pairs)
        if where is None:
            items[pattern_end + 1 : pattern_end + 1] = parse(f" WHERE {conditions}")
        else:
            items[end + 1 : end + 1] = parse(")")
            first = next_index(items, where)
            items[first:first] = parse(f"{conditions} AND (")
    return items


def _abbreviated_relationships(items: list[Item], start: int, end: int) -> list[int]:
    """Where to put the brackets of each ``--`` (in ``-->``, ``<--``, ``--``) in a pattern span."""
    found = []
    j = start
    while j <= end:
        k = next_index(items, j)
        if is_op(items[j], "-") and k <= end and is_op(items[k], "-"):
            before = item_at(items, prev_index(items, j))
            if is_group(before, "(") or is_op(before, "<"):
                found.append(k)
                j = k + 1
                continue
        j += 1
    return found


def rewrite_var_length_references(items: list[Item]) -> list[Item]:
    """In Neo4j the variable of ``-[r*1..3]->`` is a list of relationships; in LadybugDB it is a
    path-like value that size(), subscripts and comprehensions refuse. Where the query uses it,
    read its relationships: ``size(r)`` -> ``size(rels(r))``, ``RETURN r`` -> ``RETURN rels(r)
    AS r``. ``length(r)`` works as it is. After a WITH the name is a list (or gone)."""
    tracked: set[str] = set()
    projected = False  # inside the ORDER BY/WHERE/SKIP/LIMIT of a WITH or RETURN
    out = list(items)
    i = 0
    while i < len(out):
        w = clause_word(out, i)
        if w is None:
            i += 1
            continue
        start = i + 1
        end = start
        while end < len(out) and clause_word(out, end) is None:
            end += 1
        if projected and w not in ("ORDER", "SKIP", "LIMIT", "WHERE"):
            tracked.clear()
            projected = False
        if w == "UNION":
            tracked.clear()
        elif CLAUSE_REGIONS[w] == "pattern":
            for it in out[start:end]:
                if isinstance(it, Group) and it.kind == "rel":
                    rel = relationship(it)
                    if rel.var and rel.star is not None:
                        tracked.add(rel.var)
        elif tracked and w in ("WITH", "RETURN"):
            j = next_index(out, i)
            star = is_op(item_at(out, j), "*") or (
                keyword_of(item_at(out, j)) == "DISTINCT" and is_op(item_at(out, next_index(out, j)), "*")
            )
            if not star:
                new, aliased = _rewrite_projection(out[start:end], tracked)
                out[start:end] = new
                end = start + len(new)
                tracked -= aliased  # ORDER BY r now means the list
                projected = True
        elif tracked and CLAUSE_REGIONS[w] in ("expr", "raw"):
            new = _replace_references(out[start:end], tracked)
            out[start:end] = new
            end = start + len(new)
        i = end
    return out


def _rewrite_projection(items: list[Item], names: set[str]) -> tuple[list[Item], set[str]]:
    """``RETURN r, a`` -> ``RETURN rels(r) AS r, a``; other uses of r become ``rels(r)``.
    Also returns the names projected under their own name."""
    rendered = []
    aliased = set()
    for part in split_items(items):
        sig = significant(part)
        k = sig[0] if sig else len(part)
        if k < len(part) and keyword_of(part[k]) == "DISTINCT":
            k = next_index(part, k)
        body = significant(part[k:])
        if len(body) == 1 and _is_name_in(part[k + body[0]], names):
            var = text_of([part[k + body[0]]])
            aliased.add(unquote(part[k + body[0]]))  # type: ignore[arg-type]
            rendered.append(render(part[:k]) + f"rels({var}) AS {var}" + render(part[k + body[0] + 1 :]))
        else:
            rendered.append(render(_replace_references(part, names)))
    return parse(",".join(rendered)), aliased


def _is_name_in(it: Item, names: set[str]) -> bool:
    return isinstance(it, Token) and it.kind in ("name", "quoted") and unquote(it) in names


def _replace_references(items: list[Item], names: set[str]) -> list[Item]:
    """Replace uses of ``names`` in ``items`` by ``rels(name)``, at any depth."""
    out: list[Item] = []
    for i, it in enumerate(items):
        prev, nxt = item_at(items, prev_index(items, i)), item_at(items, next_index(items, i))
        if isinstance(it, Group):
            sig = significant(it.items)
            if keyword_of(prev) == "LENGTH" and len(sig) == 1 and _is_name_in(it.items[sig[0]], names):
                out.append(it)
            else:
                out.append(Group(it.open, _replace_references(it.items, names), it.close, it.kind))
        elif (
            _is_name_in(it, names)
            and not is_op(prev, ".", ":")
            and not is_op(nxt, ":")  # a map key
            and not (is_op(nxt, "-") and is_op(item_at(items, next_index(items, next_index(items, i))), ">"))  # x -> …
        ):
            out.extend(parse(f"rels({it.text})"))  # type: ignore[union-attr]
        else:
            out.append(it)
    return out

