"""Tokens and the bracket tree: the one tokenizer every part of the dialect reads queries with.

:func:`tokenize` cuts a query into names, strings, comments, backticked names, numbers,
parameters and punctuation; :func:`parse` folds brackets into a tree of :class:`Group`;
:func:`render` gives the text back byte for byte. The small helpers below walk one level of the
tree while skipping whitespace and comments (:func:`prev_index`, :func:`next_index`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ecograph.errors import QueryError
from ecograph.query.dialect.words import KEYWORDS, LADYBUG_RESERVED

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
class Token:
    kind: str  # ws, comment, string, quoted, param, number, name, op
    text: str


@dataclass
class Group:
    """A bracketed part of the query; ``kind`` says what it is once classified."""

    open: Token
    items: list[Item]
    close: Token | None
    kind: str = ""


Item = Token | Group


_CLOSER = {"(": ")", "[": "]", "{": "}"}


# Brackets nested deeper than this are refused: the rewrites recurse once per level and Python's
# stack ran out near 400 levels (LadybugDB itself reads at least 300).
MAX_NESTING = 200


def tokenize(query: str) -> list[Token]:
    """Cut ``query`` into tokens; joining their texts gives ``query`` back exactly."""
    return [Token(m.lastgroup or "op", m.group()) for m in _TOKEN_RE.finditer(query)]


def parse(query: str) -> list[Item]:
    """Tokenize and fold brackets into groups. An unmatched closer stays a plain token."""
    root: list[Item] = []
    stack: list[tuple[Token, list[Item]]] = []
    items = root
    for tok in tokenize(query):
        if tok.kind == "op" and tok.text in _CLOSER:
            if len(stack) == MAX_NESTING:
                raise QueryError(f"the query nests brackets more than {MAX_NESTING} levels deep")
            stack.append((tok, items))
            items = []
        elif tok.kind == "op" and stack and tok.text == _CLOSER[stack[-1][0].text]:
            opener, parent = stack.pop()
            parent.append(Group(opener, items, tok))
            items = parent
        else:
            items.append(tok)
    while stack:  # unclosed brackets: keep what was read, the engine will report the error
        opener, parent = stack.pop()
        parent.append(Group(opener, items, None))
        items = parent
    return root


def render(items: list[Item]) -> str:
    out: list[str] = []
    for it in items:
        if isinstance(it, Group):
            out.append(it.open.text + render(it.items) + (it.close.text if it.close else ""))
        else:
            out.append(it.text)
    return "".join(out)


def text_of(items: list[Item]) -> str:
    """The rendered items without surrounding whitespace (for building rewritten text)."""
    return render(items).strip()


def is_trivia(it: Item) -> bool:
    return isinstance(it, Token) and it.kind in _TRIVIA


def prev_index(items: list[Item], i: int) -> int:
    """Index of the significant item before ``i``, or -1."""
    i -= 1
    while i >= 0 and is_trivia(items[i]):
        i -= 1
    return i


def next_index(items: list[Item], i: int) -> int:
    """Index of the significant item after ``i``, or ``len(items)``."""
    i += 1
    while i < len(items) and is_trivia(items[i]):
        i += 1
    return i


def item_at(items: list[Item], i: int) -> Item | None:
    return items[i] if 0 <= i < len(items) else None


def significant(items: list[Item]) -> list[int]:
    return [i for i, it in enumerate(items) if not is_trivia(it)]


def keyword_of(it: Item | None) -> str | None:
    """The upper-cased text of a name token (keywords are case-insensitive), else None."""
    return it.text.upper() if isinstance(it, Token) and it.kind == "name" else None


def is_op(it: Item | None, *texts: str) -> bool:
    return isinstance(it, Token) and it.kind == "op" and it.text in texts


def is_group(it: Item | None, opener: str = "([{") -> bool:
    return isinstance(it, Group) and it.open.text in opener


def is_ident(it: Item | None) -> bool:
    """A name that is not a keyword, or a backticked name."""
    if isinstance(it, Token) and it.kind == "quoted":
        return True
    return keyword_of(it) is not None and keyword_of(it) not in KEYWORDS


def split_items(items: list[Item], sep: str = ",") -> list[list[Item]]:
    """Split a group's items at top-level separators (nested groups are single items)."""
    parts: list[list[Item]] = [[]]
    for it in items:
        if is_op(it, sep):
            parts.append([])
        else:
            parts[-1].append(it)
    return parts


def quote_name(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def unquote(it: Token) -> str:
    """The name a name or backticked-name token stands for."""
    if it.kind == "quoted":
        return it.text[1:-1].replace("``", "`")
    return it.text


def string_literal(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def dotted_name(items: list[Item], i: int) -> str:
    """The name ``a.b.c`` starting at ``items[i]``, or ""."""
    parts = []
    while isinstance(item_at(items, i), Token) and items[i].kind in ("name", "quoted"):
        parts.append(unquote(items[i]))  # type: ignore[arg-type]
        if not is_op(item_at(items, next_index(items, i)), "."):
            break
        i = next_index(items, next_index(items, i))
    return ".".join(parts)


def name_text(name: str | None) -> str:
    assert name is not None
    return name if re.fullmatch(r"[^\W\d]\w*", name) and name.lower() not in LADYBUG_RESERVED else quote_name(name)


_ESCAPES = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f"}


def string_value(literal: str) -> str:
    """The value of a Cypher string literal: ``\\n``, ``\\'``, ``\\u00e9`` … decoded."""

    def escape(m: re.Match[str]) -> str:
        if m.group(1):  # \uXXXX or \UXXXXXXXX
            return chr(int(m.group(1)[1:], 16))
        return _ESCAPES.get(m.group(2), m.group(2))

    return re.sub(r"\\(?:(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8})|(.))", escape, literal[1:-1], flags=re.DOTALL)

