"""Deck specs: several views in one deck, from a small YAML or JSON file.

    title: Alibaba and Tencent
    views:
      - title: Alibaba's equity ties
        center: alibaba
        hops: 1
        rels: [OWNS, INVESTED_IN]
      - title: The 2014 network
        until: 2014
      - title: Tencent to Singapore Post
        query: "MATCH p = shortestPath((a {id: $a})-[*..6]-(b {id: $b})) RETURN p"
        params: {a: tencent, b: singapore-post}

Each view takes the selectors of ``ecograph render`` (``center``, ``hops``, ``kinds``,
``rels``, ``since``, ``until``, ``exclude``) and optionally ``query`` or ``saved`` with
``params``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ecograph.errors import EcographError

__all__ = ["DeckSpecError", "ViewSpec", "DeckSpec", "read_deck_spec"]

_VIEW_KEYS = {"title": str, "center": str, "hops": int, "kinds": list, "rels": list, "since": int, "until": int,
              "exclude": list, "query": str, "saved": str, "params": dict}


class DeckSpecError(EcographError):
    """The deck spec cannot be read or does not say what a deck needs."""


@dataclass(frozen=True)
class ViewSpec:
    title: str
    options: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class DeckSpec:
    title: str
    views: tuple[ViewSpec, ...]


def read_deck_spec(path: str | Path) -> DeckSpec:
    """Read and check a YAML or JSON deck spec; errors name the file, the view and the key."""
    import yaml

    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise DeckSpecError(f"{path}: cannot read: {e.strerror}") from e
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise DeckSpecError(f"{where}: not YAML or JSON: {getattr(e, 'problem', e)}") from e
    if not isinstance(raw, dict) or not isinstance(raw.get("views"), list) or not raw["views"]:
        raise DeckSpecError(f"{path}: expected a mapping with 'views', a list of at least one view")
    unknown = sorted(set(raw) - {"title", "views"})
    if unknown:
        raise DeckSpecError(f"{path}: unknown key {unknown[0]!r}; a deck has 'title' and 'views'")
    views = []
    for i, view in enumerate(raw["views"], 1):
        if not isinstance(view, dict):
            raise DeckSpecError(f"{path}: view {i} is {type(view).__name__}; expected a mapping with a 'title'")
        for key, value in view.items():
            if key not in _VIEW_KEYS:
                raise DeckSpecError(
                    f"{path}: view {i}: unknown key {key!r}; expected one of {', '.join(_VIEW_KEYS)}"
                )
            if not isinstance(value, _VIEW_KEYS[key]) or isinstance(value, bool):
                raise DeckSpecError(
                    f"{path}: view {i}: {key} is {value!r}; expected {_VIEW_KEYS[key].__name__}"
                )
        if "title" not in view:
            raise DeckSpecError(f"{path}: view {i} has no 'title'")
        if "query" in view and "saved" in view:
            raise DeckSpecError(f"{path}: view {i}: give 'query' or 'saved', not both")
        views.append(ViewSpec(view["title"], {k: v for k, v in view.items() if k != "title"}))
    return DeckSpec(str(raw.get("title", "China e-commerce alliance network")), tuple(views))
