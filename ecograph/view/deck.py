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
``params``, and ``view``, a view made in the map (its link's fragment: ``focus=alibaba&types=OWNS``,
see :mod:`ecograph.view.viewstate`), which narrows the slide to what the page shows there;
:func:`deck_views` builds each with :func:`ecograph.view.build.build_view`, as the
command line builds its views, and an error in one names it ("view 3 of views.yaml (title): …").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ecograph.errors import (
    AmbiguousEntityError,
    EcographError,
    EntityNotFoundError,
    QueryError,
    SavedQueryError,
)
from ecograph.view.select import SelectionError
from ecograph.view.viewstate import ViewStateError

if TYPE_CHECKING:
    from collections.abc import Callable

    import networkx as nx

    from ecograph.progress import Progress

__all__ = ["DeckSpecError", "DeckViewError", "ViewSpec", "DeckSpec", "read_deck_spec", "deck_views"]

_VIEW_KEYS = {"title": str, "center": str, "hops": int, "kinds": list, "rels": list, "since": int, "until": int,
              "exclude": list, "query": str, "saved": str, "params": dict, "view": str}


class DeckSpecError(EcographError):
    """The deck spec cannot be read or does not say what a deck needs."""


class DeckViewError(DeckSpecError):
    """A view of the deck cannot be built; ``where`` names it ("view 3 of views.yaml (title)")
    and the cause (what the view asks for that cannot be) is chained."""

    def __init__(self, where: str, message: str) -> None:
        self.where = where
        super().__init__(f"{where}: {message}")

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.where, str(self)[len(self.where) + 2:]))


@dataclass(frozen=True)
class ViewSpec:
    title: str
    options: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class DeckSpec:
    title: str
    views: tuple[ViewSpec, ...]
    path: Path | None = None


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
    return DeckSpec(str(raw.get("title", "China e-commerce alliance network")), tuple(views), path)


# What a view asks for that cannot be: named with the view. Other errors (a store that cannot
# be built) are not the view's and pass unchanged.
_VIEW_ERRORS = (SelectionError, QueryError, SavedQueryError, EntityNotFoundError, AmbiguousEntityError, ViewStateError)


def deck_views(
    G: nx.MultiDiGraph,
    deck: DeckSpec,
    *,
    store_path: str | Path | None = None,
    max_entities: int | None = None,
    progress: Progress | None = None,
    warn: Callable[[str], None] | None = None,
) -> list[tuple[str, nx.MultiDiGraph]]:
    """Each view of ``deck`` as ``(title, graph)``, built by :func:`~ecograph.view.build.build_view`
    (``store_path``, ``max_entities`` and ``warn`` as there). A view that cannot be built, or selects
    nothing, raises :class:`DeckViewError` naming it."""
    from ecograph.view.build import ViewRequest, build_view
    from ecograph.view.viewstate import view_graph

    shown = deck.path if deck.path is not None else "the deck"
    views = []
    for i, view in enumerate(deck.views, 1):
        where = f"view {i} of {shown} ({view.title})"
        options = {k: v for k, v in view.options.items() if k != "view"}
        try:
            sub = build_view(G, ViewRequest(**options), store_path=store_path, max_entities=max_entities,
                             progress=progress, warn=warn)
            if "view" in view.options:  # what the map shows at that view, on the slide
                sub = view_graph(sub, view.options["view"])
        except _VIEW_ERRORS as e:
            raise DeckViewError(where, str(e)) from e
        if sub.number_of_nodes() == 0:
            raise DeckViewError(where, "it selects nothing")
        views.append((view.title, sub))
    return views
