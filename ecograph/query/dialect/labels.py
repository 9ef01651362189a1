"""Label expressions: ``n:A``, ``n:A|B``, ``n:A&B`` in a WHERE become ``label(n)`` tests
(LadybugDB has no label predicate); the ones with no LadybugDB form are refused.
"""

from __future__ import annotations

from ecograph.errors import QueryError, UnsupportedCypherError
from ecograph.query.dialect.tokens import (
    Item,
    Token,
    is_group,
    is_ident,
    is_op,
    item_at,
    next_index,
    parse,
    prev_index,
    string_literal,
    text_of,
    unquote,
)


def label_expression_text(items: list[Item], start: int) -> str:
    """The text of the label expression starting at ``items[start]`` (for error messages)."""
    end = start
    j = start
    term = True  # a label, "!", "%" or a parenthesis may come next
    while j < len(items):
        it = items[j]
        if term and (is_op(it, "!") or is_group(it, "(")):
            term = not is_group(it, "(")
        elif term and ((isinstance(it, Token) and it.kind in ("name", "quoted")) or is_op(it, "%")):
            term = False
        elif not term and is_op(it, "|", ":", "&"):
            term = True
        else:
            break
        end = j
        j = next_index(items, j)
    return text_of(items[start : end + 1])


def label_expression(items: list[Item], start: int) -> tuple[list[str], list[str], int]:
    """Read ``A|B``, ``A:B`` or ``A&B`` from ``items[start]`` (the first label).

    Returns the labels, the operators between them and the index of the last label. Raises for
    the label expressions LadybugDB has no form for (``!A``, ``%``, parentheses).
    """
    labels: list[str] = []
    ops: list[str] = []
    i = start
    while True:
        it = item_at(items, i)
        if not (isinstance(it, Token) and it.kind in ("name", "quoted")):
            text = label_expression_text(items, start)
            if not text or text in ("|", ":", "&"):  # `(n:` or `n:|`: a mistake, not a construct
                found = f"'{text_of([it])}'" if it is not None else "the end of the query"
                raise QueryError(f"syntax error: a label or type is missing after ':' (found {found})")
            raise UnsupportedCypherError(f"label expression {text}")
        labels.append(unquote(it))
        last = i
        j = next_index(items, i)
        if not is_op(item_at(items, j), "|", ":", "&"):
            return labels, ops, last
        k = next_index(items, j)
        if items[j].text == "|" and is_op(item_at(items, k), ":"):  # old style -[:A|:B]-
            k = next_index(items, k)
        nxt = item_at(items, k)
        after = item_at(items, next_index(items, k))
        # `[x IN l WHERE x:A | x.name]`: the "|" ends the filter, it does not add a label.
        if not (isinstance(nxt, Token) and nxt.kind in ("name", "quoted")) or is_op(after, ".") or is_group(after, "(["):
            if is_op(nxt, "!", "%") or is_group(nxt, "("):
                raise UnsupportedCypherError(f"label expression {label_expression_text(items, start)}")
            return labels, ops, last
        ops.append(items[j].text)  # type: ignore[union-attr]
        i = k


def rewrite_label_predicates(items: list[Item], regions: list[str], ctx: str) -> list[Item]:
    """``n:Label`` -> ``(label(n) = 'Label')``, ``n:A|B`` -> ``(label(n) IN ['A', 'B'])``.
    LadybugDB's parser has no label predicate; a node has exactly one label there."""
    out = list(items)
    i = 0
    while i < len(out):
        if not (is_op(out[i], ":") and regions[min(i, len(regions) - 1)] == "expr"):
            i += 1
            continue
        p = prev_index(out, i)
        var = item_at(out, p)
        before = item_at(out, prev_index(out, p))
        if not (isinstance(var, Token) and var.kind in ("name", "quoted") and is_ident(var)):
            i += 1
            continue
        if ctx == "map" and (before is None or is_op(before, ",")):
            i += 1  # a map key
            continue
        if is_op(before, "."):
            i += 1
            continue
        first = next_index(out, i)
        if is_op(item_at(out, first), "!", "%") or is_group(item_at(out, first), "("):
            raise UnsupportedCypherError(f"label expression {label_expression_text(out, first)}")
        labels, ops, last = label_expression(out, first)
        v = text_of([var])
        if not ops or len(set(labels)) == 1:
            text = f"(label({v}) = {string_literal(labels[0])})"
        elif all(op == "|" for op in ops):
            text = f"(label({v}) IN [{', '.join(string_literal(x) for x in labels)}])"
        elif all(op in (":", "&") for op in ops):
            text = "(" + " AND ".join(f"label({v}) = {string_literal(x)}" for x in labels) + ")"
        else:
            raise UnsupportedCypherError(f"label expression {text_of(out[p : last + 1])}")
        new = parse(text)
        out[p : last + 1] = new
        regions = regions[:p] + ["expr"] * len(new) + regions[last + 1 :]
        i = p + len(new)
    return out

