"""A map's view as the page keeps it in its link's fragment, checked against a graph.

The page (templates/map-url.js) writes its state after the ``#`` of its address, so a view built
in the page can be sent, or drawn again: ``render_html(G, view=...)`` opens at it. The page
drops what it cannot use without a word; a view given here must make sense for the graph, so
a typing slip is an error, not a silently different map::

    check_view("focus=alibaba&types=OWNS,INVESTED_IN&analysis=camps,alibaba,tencent", G)

Parts (each optional, ``&``-separated, values URI-encoded): ``focus`` an entity id; ``tie`` a
tie's number (its place in ``G.edges``); ``types``, ``kinds`` the relationship types and kinds
shown; ``since``, ``until`` years; ``lang`` en, zh or both; ``untied`` 1 or 0; ``analysis``
its name and arguments (``camps,A,B`` and ``path,A,B``: two entity ids; ``control,A``;
``whatif,A,GONE,…``: the entity measured against, then those taken away; ``diff,YEAR1,YEAR2``); ``pins``
``id:x:y`` entities placed by hand; ``view`` ``x,y,zoom`` the camera.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import unquote

from ecograph.errors import EcographError

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["ViewStateError", "ANALYSES", "check_view", "view_graph"]

# Each analysis the page runs, with what its arguments are (entity ids or years) and how many:
# at least, at most (None: no limit). whatif's are the entity measured against, then those taken away.
ANALYSES: dict[str, tuple[str, int, int | None]] = {
    "camps": ("entity", 2, 2), "diff": ("year", 2, 2),
    "path": ("entity", 2, 2), "control": ("entity", 1, 1), "whatif": ("entity", 2, None),
}
# The what-if pairs the page lists, and so marks (map-analysis-view.js: LISTED).
WHATIF_PAIRS_MARKED = 50
_KEYS = ("focus", "tie", "types", "kinds", "since", "until", "lang", "untied", "analysis", "pins", "view")


class ViewStateError(EcographError):
    """A map view (a link's fragment) names something the map does not have, or is malformed."""

    field = "view"


def _number(part: str, text: str, *, whole: bool = False) -> float:
    try:
        value = int(text) if whole else float(text)
    except ValueError:
        raise ViewStateError(f"view part {part!r}: {text!r} is not a {'whole ' if whole else ''}number") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise ViewStateError(f"view part {part!r}: {text!r} is not a number")
    return value


def _entity(G: nx.MultiDiGraph, part: str, node: str) -> None:
    if node not in G:
        raise ViewStateError(f"view part {part!r}: the map has no entity with id {node!r}")


def _names(G: nx.MultiDiGraph, part: str, key: str, names: list[str]) -> None:
    have = {d.get("kind", "") for _, d in G.nodes(data=True)} if key == "kinds" else {t for _, _, t in G.edges(data="type")}
    for name in names:
        if name not in have:
            what = "kind of entity" if key == "kinds" else "type of tie"
            raise ViewStateError(f"view part {part!r}: the map has no {what} {name!r}; it has {', '.join(sorted(have))}")


def _analysis(G: nx.MultiDiGraph, part: str, names: list[str]) -> None:
    if not names or names[0] not in ANALYSES:
        raise ViewStateError(f"view part {part!r}: no analysis {names[0] if names else ''!r}; "
                             f"expected one of {', '.join(ANALYSES)}")
    what, least, most = ANALYSES[names[0]]
    args = names[1:]
    if not least <= len(args) <= (most if most is not None else len(args)):
        count = f"{least}" if least == most else f"{least} or more"
        raise ViewStateError(f"view part {part!r}: {names[0]} takes {count} {'entities' if what == 'entity' else 'years'}, found {len(args)}")
    if what == "entity":
        for node in args:
            _entity(G, part, node)
        if len(set(args)) != len(args):
            raise ViewStateError(f"view part {part!r}: {names[0]} names an entity twice")
    else:
        first, second = (_number(part, a, whole=True) for a in args)
        if first >= second:
            raise ViewStateError(f"view part {part!r}: from {first} to {second}: the first year must come before the second")


def _check_part(G: nx.MultiDiGraph, key: str, value: str, part: str) -> None:
    names = [unquote(v) for v in value.split(",")] if value else []
    if key == "focus":
        _entity(G, part, unquote(value))
    elif key == "tie":
        i = _number(part, value, whole=True)
        if not 0 <= i < G.number_of_edges():
            raise ViewStateError(f"view part {part!r}: the map has ties 0 to {G.number_of_edges() - 1}")
    elif key in ("types", "kinds"):
        _names(G, part, key, names)
    elif key in ("since", "until"):
        _number(part, value, whole=True)
    elif key == "lang" and value not in ("en", "zh", "both"):
        raise ViewStateError(f"view part {part!r}: expected en, zh or both")
    elif key == "untied" and value not in ("0", "1"):
        raise ViewStateError(f"view part {part!r}: expected 1 or 0")
    elif key == "analysis":
        _analysis(G, part, names)
    elif key == "pins":
        for item in value.split(","):
            bits = item.split(":")
            if len(bits) != 3:
                raise ViewStateError(f"view part {part!r}: {unquote(item)!r} is not id:x:y")
            _entity(G, part, unquote(bits[0]))
            _number(part, bits[1]), _number(part, bits[2])
    elif key == "view":
        bits = value.split(",")
        if len(bits) != 3 or _number(part, bits[2]) <= 0:
            raise ViewStateError(f"view part {part!r}: expected x,y,zoom with a zoom above 0")
        _number(part, bits[0]), _number(part, bits[1])


def check_view(text: str, G: nx.MultiDiGraph) -> str:
    """The view ``text`` (a link's fragment, with or without its leading ``#``, or the whole
    link) checked against ``G``; returns the fragment without the ``#``. Raises
    :class:`ViewStateError` on the first part that names what ``G`` lacks or is malformed."""
    fragment = text.split("#", 1)[1] if "#" in text else text
    for part in fragment.split("&") if fragment else []:
        key, _, value = part.partition("=")
        if key not in _KEYS:
            raise ViewStateError(f"view part {part!r}: unknown; a view has {', '.join(_KEYS)}")
        _check_part(G, key, value, part)
    return fragment


def _parts(fragment: str) -> dict[str, str]:
    return {key: value for key, _, value in (p.partition("=") for p in fragment.split("&") if p)}


def _types_on(G: nx.MultiDiGraph, parts: dict[str, str]) -> set[str]:
    """The tie types a view shows: those it names, else the page's opening ones (alliances; every
    type when the graph has no alliance)."""
    from ecograph.data import schema

    present = {t for _, _, t in G.edges(data="type")}
    if "types" in parts:
        return {unquote(t) for t in parts["types"].split(",") if t}
    model = schema.model_of(G)
    alliances = {t for t in present if t in model.rel_types and model.rel_types[t].group != "context"}
    return alliances or present


def _ties_of(G: nx.MultiDiGraph, records: list[dict]) -> list[tuple[str, str, object]]:
    """The ties (u, v, key) an analysis lists as records (``analysis.common.tie_record``)."""
    from ecograph.analysis.common import tie_record

    return [(r["from"], r["to"], k) for r in records for k in G[r["from"]][r["to"]]
            if tie_record(G, r["from"], r["to"], k) == r]


def _camps_marked(G: nx.MultiDiGraph, args: list[str]) -> tuple[set[str], list[tuple[str, str, object]]]:
    from ecograph.analysis import compare

    answer = compare(G, args[0], args[1])
    camps = set(answer["a"]["camp"]) | set(answer["b"]["camp"])
    shared = {s["id"] for s in answer["shared"]}
    ties = [(u, v, k) for u, v, k in G.edges(keys=True)
            if (u in camps and (v in camps or v in shared)) or (v in camps and u in shared)]
    return camps | shared, ties


def _path_marked(G: nx.MultiDiGraph, args: list[str]) -> tuple[set[str], list[tuple[str, str, object]]]:
    from ecograph.analysis import paths

    hops = [hop for chain in paths(G, args[0], args[1]) for hop in chain]
    return set(args) | {h["to"] for h in hops}, _ties_of(G, [t for h in hops for t in h["ties"]])


def _control_marked(G: nx.MultiDiGraph, args: list[str]) -> tuple[set[str], list[tuple[str, str, object]]]:
    from ecograph.analysis import reach

    answer = reach(G, args[0])
    records = [t for e in answer["reached"] for c in e.get("chains") or [] for t in c["ties"]]
    return {args[0], *(e["id"] for e in answer["reached"]), *answer["ultimate_parents"]}, _ties_of(G, records)


def _whatif_marked(G: nx.MultiDiGraph, args: list[str]) -> tuple[set[str], list[tuple[str, str, object]]]:
    from ecograph.analysis import what_if

    answer = what_if(G, args[0], remove=args[1:])
    pairs = (answer["longer"] or [])[:WHATIF_PAIRS_MARKED]
    return set(args) | {e["id"] for e in answer["cut_off"]} | {n for p in pairs for n in (p["a"], p["b"])}, []


def _marked(G: nx.MultiDiGraph, parts: dict[str, str]) -> tuple[set[str], list[tuple[str, str, object]]]:
    """The entities and ties a view's analysis marks (the page shows them whatever the filters)."""
    from ecograph.analysis import timeline

    if "analysis" not in parts:
        return set(), []
    name, *args = [unquote(a) for a in parts["analysis"].split(",")]
    if name == "diff":
        first, second = int(args[0]), int(args[1])
        ties = [(u, v, k) for u, v, k, y in G.edges(keys=True, data="year") if y is not None and first < y <= second]
        return set(timeline(G, diff=(first, second))["entities"]), ties
    marked = {"camps": _camps_marked, "path": _path_marked, "control": _control_marked, "whatif": _whatif_marked}
    return marked[name](G, args)


def view_graph(G: nx.MultiDiGraph, view: str) -> nx.MultiDiGraph:
    """What the page opened at ``view`` shows (its fragment, checked by :func:`check_view`), as
    a subgraph of ``G``, the graph the page draws: ties of the types and kinds on and in the
    years, the entities they join (every entity of a kind on, with ``untied=1``), the focus
    with all its ties in the years, and what the analysis marks. Pins, the camera and the
    labels' language are the page's alone."""
    parts = _parts(check_view(view, G))
    types = _types_on(G, parts)
    kinds = {unquote(k) for k in parts["kinds"].split(",") if k} if "kinds" in parts else None
    since = int(parts["since"]) if "since" in parts else None
    until = int(parts["until"]) if "until" in parts else None
    focus = unquote(parts["focus"]) if "focus" in parts else None
    marked_nodes, marked_ties = _marked(G, parts)
    if "analysis" in parts and parts["analysis"].startswith("diff,"):
        since = None  # the diff shows the network up to its second year

    def in_years(y: int | None) -> bool:
        return y is None or ((since is None or y >= since) and (until is None or y <= until))

    def kind_on(n: str) -> bool:
        return kinds is None or G.nodes[n].get("kind", "") in kinds

    keep = {(u, v, k) for u, v, k, d in G.edges(keys=True, data=True)
            if d["type"] in types and in_years(d.get("year")) and kind_on(u) and kind_on(v)}
    nodes = {n for u, v, _ in keep for n in (u, v)}
    if parts.get("untied") == "1":
        nodes |= {n for n in G if kind_on(n)}
    if focus is not None:
        near = {(u, v, k) for u, v, k, y in G.edges(keys=True, data="year") if focus in (u, v) and in_years(y)}
        keep |= near
        nodes |= {focus} | {n for u, v, _ in near for n in (u, v)}
    keep |= set(marked_ties)
    nodes |= marked_nodes | {n for u, v, _ in marked_ties for n in (u, v)}
    H = G.subgraph(nodes).copy()
    H.remove_edges_from([e for e in list(H.edges(keys=True)) if e not in keep])
    return H
