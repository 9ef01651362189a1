"""Saved queries: the ``cypher/*.cypher`` files, each a question with a header.

A saved query is plain Neo4j Cypher (it runs as is in Neo4j Browser or cypher-shell once its
parameters are set) whose leading ``//`` comment lines form a header::

    // Alibaba's equity ties: whom it owns or invested in, with the stake and the report section.
    // @param company = "alibaba"  Id of the investor
    // @param min_stake = 0  Smallest stake to list (fraction 0–1)
    MATCH (a {id: $company})-[r:OWNS|INVESTED_IN]->(t) ...

The name is the file name without ``.cypher``. The first comment lines are the description;
each ``@param NAME = DEFAULT  description`` line declares a parameter, its default written as
JSON (a string in double quotes, a number, ``true``, ``null``, a list).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ecograph.errors import SavedQueryError, SavedQueryNotFoundError

__all__ = [
    "SavedQuery",
    "Parameter",
    "saved_queries_dir",
    "list_saved_queries",
    "read_saved_query",
    "parse_saved_query",
    "parse_param_option",
    "read_params_file",
]

_PARAM = re.compile(r"^@param\s+([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.+?)(?:\s{2,}(.*))?$")


@dataclass(frozen=True)
class Parameter:
    """A declared parameter: name, default (JSON value) and what it means."""

    name: str
    default: Any
    description: str = ""


@dataclass(frozen=True)
class SavedQuery:
    """A saved query: its name, description, declared parameters and Cypher text."""

    name: str
    description: str
    parameters: tuple[Parameter, ...]
    text: str
    path: Path | None = None

    def defaults(self) -> dict[str, Any]:
        """The declared parameters with their defaults."""
        return {p.name: p.default for p in self.parameters}

    def bind(self, given: Mapping[str, Any]) -> dict[str, Any]:
        """The parameters to run with: defaults overridden by ``given``."""
        return {**self.defaults(), **given}


def saved_queries_dir() -> Path:
    """The ``cypher`` directory shipped with ecograph (installed copy, else the checkout's)."""
    from ecograph.data import shipped_folder

    return shipped_folder("cypher")


def parse_saved_query(text: str, name: str, path: Path | None = None) -> SavedQuery:
    """Parse a saved query's header; raises :class:`SavedQueryError` naming file and line."""
    shown = str(path) if path else name
    description: list[str] = []
    params: list[Parameter] = []
    for lineno, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("//"):
            break
        comment = stripped[2:].strip()
        if comment.startswith("@param"):
            params.append(_parse_param(comment, shown, lineno))
        elif comment and not params:
            description.append(comment)
    if not description:
        raise SavedQueryError(f"{shown}:1: a saved query starts with a '// description' line")
    return SavedQuery(name, " ".join(description), tuple(params), text, path)


def _parse_param(comment: str, shown: str, lineno: int) -> Parameter:
    m = _PARAM.match(comment)
    if not m:
        raise SavedQueryError(
            f"{shown}:{lineno}: @param line {comment!r} does not read as "
            "'@param NAME = DEFAULT  description' (DEFAULT as JSON)"
        )
    name, default_text, desc = m.group(1), m.group(2), m.group(3) or ""
    try:
        default = json.loads(default_text)
    except ValueError:
        raise SavedQueryError(
            f"{shown}:{lineno}: default of parameter {name!r} is {default_text!r}; expected JSON "
            '(a string in double quotes like "alibaba", a number, true/false, null or a list)'
        ) from None
    return Parameter(name, default, desc.strip())


def list_saved_queries(directory: Path | None = None) -> list[SavedQuery]:
    """Every saved query in ``directory`` (default: the shipped ones), by name."""
    directory = directory or saved_queries_dir()
    return [_read(p) for p in sorted(directory.glob("*.cypher"))]


def read_saved_query(name: str, directory: Path | None = None) -> SavedQuery:
    """The saved query called ``name`` (with or without ``.cypher``)."""
    directory = directory or saved_queries_dir()
    stem = name[: -len(".cypher")] if name.endswith(".cypher") else name
    path = directory / f"{stem}.cypher"
    if "/" in stem or "\\" in stem or not path.is_file():
        names = [q.stem for q in sorted(directory.glob("*.cypher"))]
        import difflib

        close = difflib.get_close_matches(stem, names, n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        raise SavedQueryNotFoundError(f"no saved query named {name!r}{hint}")
    return _read(path)


def _read(path: Path) -> SavedQuery:
    return parse_saved_query(path.read_text(encoding="utf-8"), path.stem, path)


def parse_param_option(text: str) -> tuple[str, Any]:
    """A parameter given as ``key=value`` text: the value as JSON where it parses, else the string."""
    key, sep, value = text.partition("=")
    key = key.strip()
    if not sep or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key):
        raise SavedQueryError(f"{text!r}: expected key=value with key a Cypher parameter name")
    try:
        return key, json.loads(value)
    except ValueError:
        return key, value
    except RecursionError as e:  # json recurses once per bracket
        raise SavedQueryError(f"parameter {key}: the value nests lists or maps too deeply to read") from e


def read_params_file(path: Path) -> dict[str, Any]:
    """Parameters from a file holding a JSON object."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise SavedQueryError(f"{path}: cannot read parameters file: {e.strerror}") from e
    except ValueError as e:
        raise SavedQueryError(f"{path}:{getattr(e, 'lineno', '?')}: not JSON: {getattr(e, 'msg', e)}") from e
    except RecursionError as e:  # json recurses once per bracket
        raise SavedQueryError(f"{path}: the parameters nest lists or maps too deeply to read") from e
    if not isinstance(data, dict):
        raise SavedQueryError(f"{path}: expected a JSON object of parameters, found {type(data).__name__}")
    return data

