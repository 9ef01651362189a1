"""What a data folder says about itself: ``dataset.toml`` beside its CSV folders.

Titles, slide footers, the map's panel and ``ecograph info`` name a data set by its own
description, never by the shipped report's. The file is optional; without it a folder's ties
cite their ``source`` cells as written. Its shape (every key optional)::

    title = "EV battery suppliers"           # the data set, as a title
    title_zh = "電動車電池供應鏈"
    [source]                                 # the work the data is drawn from
    title = "Battery supply chains 2024"
    authors = "A. Analyst"
    publisher = "Example Research"
    year = 2024
    short = "Example (2024)"                 # how a footer cites it
    [sections]                               # what a `source` cell names
    "2.1" = { en = "Cell makers", zh = "電芯廠" }

A file that is not TOML, or holds a key or a value of the wrong kind, is a
:class:`~ecograph.errors.DataError` naming the file, the line where it can, and what was
expected.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ecograph.errors import DataError, Problem

__all__ = ["FILE_NAME", "Section", "Description", "read_description", "cite", "descriptions_of", "cite_in",
           "graph_title"]

FILE_NAME = "dataset.toml"

_TOP = {"title": str, "title_zh": str, "source": dict, "sections": dict}
_SOURCE = {"title": str, "title_zh": str, "authors": str, "publisher": str, "year": int, "short": str, "url": str}
_SECTION = {"en": str, "zh": str}


@dataclass(frozen=True)
class Section:
    """A part of the source a ``source`` cell can name: its code and its titles."""

    code: str
    en: str = ""
    zh: str = ""


@dataclass(frozen=True)
class Description:
    """A data set's description of itself (all fields may be empty)."""

    path: str
    title: str = ""
    title_zh: str = ""
    source: dict[str, Any] = field(default_factory=dict)
    sections: dict[str, Section] = field(default_factory=dict)

    @property
    def citation(self) -> str:
        """How a footer cites the source: its short form, else its title, else nothing."""
        return str(self.source.get("short") or self.source.get("title") or "")

    def section(self, code: str) -> Section | None:
        return self.sections.get(code)

    def as_dict(self) -> dict[str, Any]:
        return {"path": self.path, "title": self.title, "title_zh": self.title_zh, "source": dict(self.source),
                "sections": {c: {"en": s.en, "zh": s.zh} for c, s in self.sections.items()}}


def _line_of(text: str, key: str) -> int | None:
    """The line where ``key`` is first set (bare or quoted), to point a message at it."""
    pattern = re.compile(rf'^\s*(?:"{re.escape(key)}"|{re.escape(key)})\s*=', re.M)
    m = pattern.search(text)
    return text.count("\n", 0, m.start()) + 1 if m else None


def _check(shown: str, text: str, table: dict[str, Any], expected: dict[str, type], where: str,
           problems: list[Problem], at: str | None = None) -> None:
    """Report keys ``table`` should not hold and values of the wrong kind; ``at`` is the key
    whose line a message points to when the table is written inline."""
    for key, value in table.items():
        line = _line_of(text, at or key)
        if key not in expected:
            problems.append(Problem(shown, line, key,
                                    f"{where}{key!r} is not a known key; expected one of {', '.join(expected)}"))
        elif not isinstance(value, expected[key]) or isinstance(value, bool):
            kind = {str: "text in quotes", int: "a whole number", dict: "a table"}[expected[key]]
            problems.append(Problem(shown, line, key, f"{where}{key} is {value!r}; expected {kind}"))


def read_description(directory: str | Path, shown: str | None = None) -> Description | None:
    """The description in ``directory/dataset.toml``, or None when there is none. ``shown`` is
    how messages name the folder (default: the path as given)."""
    import tomllib

    path = Path(directory) / FILE_NAME
    if not path.is_file():
        return None
    shown_path = f"{shown if shown is not None else directory}/{FILE_NAME}"
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as e:
        raise DataError([Problem(shown_path, None, None, f"is not UTF-8 ({e.reason} at byte {e.start})")]) from e
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        line = re.search(r"line (\d+)", str(e))
        raise DataError([Problem(shown_path, int(line.group(1)) if line else None, None,
                                 f"is not valid TOML: {str(e).split(' (at line')[0]}")]) from e
    problems: list[Problem] = []
    _check(shown_path, text, data, _TOP, "", problems)
    source = data.get("source") if isinstance(data.get("source"), dict) else {}
    _check(shown_path, text, source, _SOURCE, "source.", problems)
    sections: dict[str, Section] = {}
    raw_sections = data.get("sections") if isinstance(data.get("sections"), dict) else {}
    for code, value in raw_sections.items():
        if isinstance(value, str):
            value = {"en": value}
        if not isinstance(value, dict):
            problems.append(Problem(shown_path, _line_of(text, code), code,
                                    f"section {code!r} is {value!r}; expected {{ en = \"…\", zh = \"…\" }}"))
            continue
        _check(shown_path, text, value, _SECTION, f"section {code!r}: ", problems, at=code)
        sections[code] = Section(code, str(value.get("en", "")), str(value.get("zh", "")))
    if problems:
        raise DataError(problems)
    return Description(shown_path.rsplit("/", 1)[0], str(data.get("title", "")), str(data.get("title_zh", "")),
                       dict(source), sections)


def cite(description: Description | None, code: str) -> str:
    """A ``source`` cell in words: ``§貳.四 Smart and cross-border logistics`` when the data set
    describes that section, else the cell as written."""
    section = description.section(code) if description is not None else None
    if section is None:
        return code
    return f"§{code} {section.en or section.zh}".strip()


def _from_dict(data: dict[str, Any]) -> Description:
    sections = {c: Section(c, v.get("en", ""), v.get("zh", "")) for c, v in data.get("sections", {}).items()}
    return Description(data.get("path", ""), data.get("title", ""), data.get("title_zh", ""),
                       dict(data.get("source", {})), sections)


def descriptions_of(G: Any) -> list[Description]:
    """The descriptions of the data sets a graph was loaded from (``G.graph["datasets"]``)."""
    return [_from_dict(d) for d in (G.graph.get("datasets") or {}).values()]


def cite_in(G: Any, code: str) -> str:
    """A ``source`` cell in words, from the first data set of ``G`` that describes that
    section: ``TIER (2015) §貳.四 Smart and cross-border logistics``; else the cell as written."""
    # Straight from the stored dicts: the map says this once per tie, so nothing is rebuilt here.
    for about in (G.graph.get("datasets") or {}).values():
        section = about.get("sections", {}).get(code)
        if section is not None:
            source = about.get("source", {})
            citation = str(source.get("short") or source.get("title") or "")
            return f"{citation} §{code} {section.get('en') or section.get('zh', '')}".strip()
    return code


def graph_title(G: Any, fallback: str = "Alliance network") -> str:
    """A title for a picture of ``G``: its data set's own (with the source's short citation),
    the data sets' titles joined when several describe themselves, else ``fallback``."""
    titled = [d for d in descriptions_of(G) if d.title]
    if not titled:
        return fallback
    first = titled[0]
    title = " + ".join(d.title for d in titled)
    return f"{title} ({first.citation})" if len(titled) == 1 and first.citation else title


def sources_by_work(G: Any, names: Any, *, short: bool = False) -> tuple[dict[str, list[str]], list[str]]:
    """The ``source`` codes of ``G``'s ties, in the order the data gives them (chapter by
    chapter, not by code point: 六 < 四): per described work (its citation and title, from the
    data sets ``names`` or ``G`` describe) its sections written out, and the codes no data set
    describes, as written. ``short``: per citation alone, each section by its number (``§貳.四``)."""
    described = descriptions_of(names) or descriptions_of(G)
    by_set: dict[str, list[str]] = {}
    others: list[str] = []
    for code in dict.fromkeys(d["source"] for _, _, d in G.edges(data=True) if d.get("source")):
        owner = next((s for s in described if s.section(code) is not None), None)
        if owner is None:
            others.append(code)
        elif short:
            by_set.setdefault(owner.citation, []).append(f"§{code}")
        else:
            work = owner.citation + (f", {owner.source['title']}" if owner.source.get("title") else "")
            by_set.setdefault(work, []).append(cite(owner, code))
    return by_set, others


def sources(G: Any, names: Any = None) -> str:
    """The sources of the view's ties, as one footer line: for each data set that describes
    itself (its ``dataset.toml``), its citation and the sections cited, written out; the
    ``source`` cells of other data as written; and the studies they cite, by name (looked up in
    ``names``, the whole graph, when the view lacks them)."""
    names = names if names is not None else G
    by_set, others = sources_by_work(G, names)
    parts = [f"{citation}: {'; '.join(sections)}" for citation, sections in by_set.items()] + others
    cited = list(dict.fromkeys(d["cited"] for _, _, d in G.edges(data=True) if d.get("cited")))
    text = "Sources: " + ("; ".join(parts) or "—")
    if cited:
        text += ". Citing " + "; ".join(names.nodes[c].get("name_en", c) if c in names else c for c in cited)
    return text
