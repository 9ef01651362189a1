"""Find entities by id, English or Chinese name, or alias.

Matching folds away the differences a user should not have to think about: letter case,
full-width vs half-width forms (``ＰＣＨＯＭＥ`` = ``PCHOME``), spacing, and Simplified vs
Traditional Chinese (``京东`` finds ``京東``, ``腾讯`` finds ``騰訊``), using OpenCC. A part of a
name matches where it starts a word, or inside one word; never letters straddling two words
(``ICP`` does not find "Electron-ic P-ayment"). Each Chinese character counts as a word.

Example::

    >>> G = ecograph.load()
    >>> resolve_entity(G, "腾讯")
    'tencent'
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import networkx as nx

from ecograph.errors import AmbiguousEntityError, EntityNotFoundError

__all__ = ["Match", "fold", "word_starts", "word_starts_many", "search_entities", "resolve_entity"]

# Ranks of how a query matched, best first.
_EXACT_ID, _EXACT_NAME, _PREFIX, _SUBSTRING = range(4)
_HOW = {_EXACT_ID: "id", _EXACT_NAME: "exact", _PREFIX: "prefix", _SUBSTRING: "substring"}


@dataclass(frozen=True)
class Match:
    """One search hit: the entity, the name it matched on and how."""

    id: str
    kind: str
    name_en: str
    name_zh: str
    matched: str
    how: str
    rank: int

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "kind": self.kind,
            "name_en": self.name_en,
            "name_zh": self.name_zh,
            "matched": self.matched,
            "how": self.how,
        }


@lru_cache(maxsize=1)
def _to_simplified():
    import opencc  # imported on first search only: keeps `ecograph --help` fast

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Normalise text for matching: NFKC, Simplified Chinese, case-folded, no spaces."""
    text = unicodedata.normalize("NFKC", text)
    text = _to_simplified().convert(text)
    return "".join(text.casefold().split())


@lru_cache(maxsize=65536)  # a name's characters repeat across names: look each up once
def _kind_of(ch: str) -> str:
    if ch.isspace():
        return "space"
    if unicodedata.east_asian_width(ch) in ("W", "F") and ch.isalpha():
        return "cjk"
    return "alnum" if ch.isalnum() else "other"


@lru_cache(maxsize=65536)
def word_starts(name: str, simplified: bool = True) -> tuple[str, frozenset[int]]:
    """``fold(name)`` and the positions in it where a word starts: after a space, where letters
    and digits meet punctuation, and at every Chinese character. With ``simplified=False`` the
    name keeps its script (the HTML map matches typed Traditional Chinese against it)."""
    text = unicodedata.normalize("NFKC", name)
    if simplified:
        text = _to_simplified().convert(text)
    return _starts(text.casefold())


def word_starts_many(names: list[str], simplified: bool = True) -> list[tuple[str, frozenset[int]]]:
    """:func:`word_starts` of each name, computed together: one OpenCC call for all of them
    (one call a name took 2.5 s for 100,000 Chinese names, one call for all 0.6 s), and names
    in ASCII split into words by a regular expression instead of a loop over characters. The
    same answers as :func:`word_starts`, name by name (a test holds it to it)."""
    texts = [unicodedata.normalize("NFKC", name) for name in names]
    if simplified:
        # No conversion phrase spans a line break: a name holding one is converted on its own.
        plain = [i for i, text in enumerate(texts) if "\n" not in text and not text.isascii()]
        converted = _to_simplified().convert("\n".join(texts[i] for i in plain)).split("\n") if plain else []
        if len(converted) != len(plain):  # cannot happen unless OpenCC writes line breaks itself
            converted = [_to_simplified().convert(texts[i]) for i in plain]
        for i, text in zip(plain, converted):
            texts[i] = text
        texts = [_to_simplified().convert(t) if "\n" in t else t for t in texts]
    return [_ascii_starts(text) if text.isascii() else _starts(text) for text in (t.casefold() for t in texts)]


# In ASCII, a word is a run of letters and digits (one start) and any other character that is
# not a space is a word of its own, as _kind_of says.
_ASCII_WORD = re.compile(r"[0-9A-Za-z]+|\S")


def _ascii_starts(text: str) -> tuple[str, frozenset[int]]:
    starts = []
    at = 0
    for m in _ASCII_WORD.finditer(text):
        starts.append(at)
        at += m.end() - m.start()
    return "".join(text.split()), frozenset(starts)


def _starts(text: str) -> tuple[str, frozenset[int]]:
    """The folded text and word starts of ``text`` (normalised, converted, case-folded)."""
    chars: list[str] = []
    starts: set[int] = set()
    previous = "space"
    for ch in text:
        kind = _kind_of(ch)
        if kind != "space":
            if kind != previous or kind in ("cjk", "other"):
                starts.add(len(chars))
            chars.append(ch)
        previous = kind
    return "".join(chars), frozenset(starts)


def _matches_inside(query: str, name: str) -> bool:
    """Whether ``query`` (folded) occurs in ``name`` starting a word, or within one word."""
    folded, starts = word_starts(name)
    at = folded.find(query)
    while at >= 0:
        if at in starts or not any(at < b < at + len(query) for b in starts):
            return True
        at = folded.find(query, at + 1)
    return False


def _names(node_id: str, attrs: dict) -> list[str]:
    return [attrs.get("name_en", ""), attrs.get("name_zh", ""), *attrs.get("aliases", ())]


def _best_rank(query: str, node_id: str, attrs: dict) -> tuple[int, str] | None:
    if query == fold(node_id):
        return _EXACT_ID, node_id
    best: tuple[int, str] | None = None
    for name in [node_id, *_names(node_id, attrs)]:
        folded = fold(name)
        if not folded:
            continue
        if folded == query:
            rank = _EXACT_NAME
        elif folded.startswith(query):
            rank = _PREFIX
        elif query in folded and _matches_inside(query, name):
            rank = _SUBSTRING
        else:
            continue
        if best is None or rank < best[0]:
            best = (rank, name)
    return best


def search_entities(G: nx.MultiDiGraph, text: str) -> list[Match]:
    """All entities whose id, names or aliases contain ``text``, best matches first.

    Exact id and exact name matches come before prefix matches, which come before
    substring matches; ties are ordered by English name.
    """
    query = fold(text)
    if not query:
        return []
    hits = []
    for node_id, attrs in G.nodes(data=True):
        found = _best_rank(query, node_id, attrs)
        if found:
            rank, name = found
            hits.append(
                Match(node_id, attrs["kind"], attrs["name_en"], attrs.get("name_zh", ""), name, _HOW[rank], rank)
            )
    hits.sort(key=lambda m: (m.rank, m.name_en.casefold(), m.id))
    return hits


def resolve_entity(G: nx.MultiDiGraph, text: str) -> str:
    """The id of the one entity ``text`` names (an id, a name or an alias).

    Raises :class:`EntityNotFoundError` when nothing matches and
    :class:`AmbiguousEntityError` when several entities match equally well.
    """
    if text in G:
        return text
    hits = search_entities(G, text)
    if not hits:
        close = difflib.get_close_matches(text, list(G.nodes), n=3, cutoff=0.6)
        hint = f" (did you mean {' or '.join(repr(c) for c in close)}?)" if close else ""
        raise EntityNotFoundError(f"no entity matches {text!r}{hint}")
    best = [h for h in hits if h.rank == hits[0].rank]
    if len(best) == 1:
        return best[0].id
    lines = [f"  {h.id}  ({h.kind}) {h.name_en} / {h.name_zh}" for h in best]
    raise AmbiguousEntityError(
        f"{text!r} matches {len(best)} entities; use one of these ids:\n" + "\n".join(lines),
        [h.as_dict() for h in best],
    )
