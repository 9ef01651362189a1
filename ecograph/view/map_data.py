"""What the map's page is given: the graph as the page's JSON, nodes with positions, labels in
each language, styles, tooltips, the panel's words and sources, search keys; a big map's in
columns and grouped by camp.

    data = graph_data(G, lang="both")
"""

from __future__ import annotations

import json
import math
from typing import TYPE_CHECKING, Any

from ecograph.data import schema
from ecograph.progress import Progress, no_progress as _no_progress
from ecograph.view.layout import EXACT_LAYOUT_LIMIT, GROUP_ABOVE, camp_layout, layout
from ecograph.view.style import (
    FONT_SIZE,
    GROUP_WIDTH,
    LABEL_INSIDE,
    PALETTE,
    labels,
    measure,
    radii,
    styles_of,
    text_colour,
)

if TYPE_CHECKING:
    import networkx as nx



def _node_tooltip(node: str, attrs: dict[str, Any]) -> str:
    lines = [f"{attrs.get('name_en', node)} / {attrs.get('name_zh', '')}", f"{attrs.get('kind', '')} · {node}"]
    if attrs.get("aliases"):
        lines.append("Aliases: " + ", ".join(attrs["aliases"]))
    if attrs.get("country"):
        lines.append(attrs["country"])
    if attrs.get("description"):
        lines.append(attrs["description"])
    return "\n".join(lines)


def _format(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _tie_about(G: nx.MultiDiGraph, u: str, v: str, attrs: dict[str, Any], known: Any = None, *,
               says: bool = True) -> dict[str, Any]:
    """A tie as the page's panel says it: ``says`` (names, verb and figures, as one sentence),
    ``source`` (the report's section number and title, from the data set's description of
    itself), ``cited`` (the study it cites, by name), ``facts`` (its year and what else it
    states, as "Name: value" lines) and ``description``; empty parts left out. ``known``:
    the model's relationship properties, when the caller has them (building them for each of
    100,000 ties took a quarter of the tooltips' time); ``says=False`` leaves the sentence out."""
    from ecograph.data.dataset import cite_in
    from ecograph.words import entity_name, property_value, tie_facts, tie_sentence

    skip = {"type", "description", "source", "cited", "origin"}
    properties = {k: val for k, val in attrs.items() if k not in skip and val is not None}
    about: dict[str, Any] = {}
    if says:
        about["says"] = tie_sentence(G, {"from": u, "to": v, "type": attrs["type"], "properties": properties})
    if attrs.get("source"):
        about["source"] = cite_in(G, attrs["source"])
    if attrs.get("cited"):
        about["cited"] = entity_name(G, attrs["cited"])
    said = set(tie_facts(properties))
    facts = []
    for p in known if known is not None else schema.model_of(G).relationship_properties:
        if p.name in skip or attrs.get(p.name) is None:
            continue
        text = str(attrs[p.name]) if p.name == "year" else property_value(p.name, attrs[p.name], attrs)
        if not any(text in fact for fact in said) and p.name not in ("currency", "count_unit"):  # said once
            facts.append(f"{p.name.replace('_', ' ').capitalize()}: {text}")
    if facts:
        about["facts"] = facts
    if attrs.get("description"):
        about["description"] = attrs["description"]
    return about


def _edge_tooltip(G: nx.MultiDiGraph, u: str, v: str, attrs: dict[str, Any],
                  about: dict[str, Any] | None = None) -> str:
    """A tie as a person reads it: the sentence of ``ecograph.words`` (names, verb, figures,
    source, the study cited), then its year, what else it states, and its description."""
    from ecograph.words import tie_sentence

    about = about if about is not None else _tie_about(G, u, v, attrs, says=False)
    skip = {"type", "description", "source", "cited", "origin"}
    properties = {k: val for k, val in attrs.items() if k not in skip and val is not None}
    lines = [tie_sentence(G, {"from": u, "to": v, "type": attrs["type"], "properties": properties,
                              "source": attrs.get("source"), "cited": attrs.get("cited")})]
    lines += about.get("facts", [])
    if about.get("description"):
        lines.append(about["description"])
    return "\n".join(lines)


def _search_keys(G: nx.MultiDiGraph) -> dict[str, list[list[Any]]]:
    """The names the page's search matches, for each node of ``G``, each as ``[folded, word
    starts]``: folded like ``ecograph search`` (NFKC, case, no spaces) once in Simplified Chinese
    and once in the script it is written in, since the page cannot convert scripts. The page
    folds what is typed the same way and, like ``ecograph search``, matches a part of a name only
    from a word start or inside one word. All names are folded in one go
    (:func:`ecograph.data.search.word_starts_many`): one at a time took 14 s of 100,000 entities."""
    from ecograph.data.search import word_starts_many

    names = {n: [n, attrs.get("name_en", ""), attrs.get("name_zh", ""), *attrs.get("aliases", ())]
             for n, attrs in G.nodes(data=True)}
    every = [name for listed in names.values() for name in listed]
    own = word_starts_many(every, False)
    simplified = list(own)  # the same for a name in ASCII: NFKC and OpenCC leave it as it is
    other = [i for i, name in enumerate(every) if not name.isascii()]
    for i, found in zip(other, word_starts_many([every[i] for i in other], True)):
        simplified[i] = found
    simplified, own = iter(simplified), iter(own)
    out: dict[str, list[list[Any]]] = {}
    for n, listed in names.items():
        keys: list[list[Any]] = []
        seen: set[str] = set()
        for _ in listed:
            for folded, starts in (next(simplified), next(own)):
                if folded and folded not in seen:
                    seen.add(folded)
                    keys.append([folded, sorted(starts)])
        out[n] = keys
    return out


# The steps of drawing a map, for a progress callback: layout, sizes, nodes, edges, the page.
STEPS = 5
STAGE = "Drawing the map"


def graph_data(
    G: nx.MultiDiGraph,
    *,
    lang: str = "both",
    size_by: str = "degree",
    color_by: str = "kind",
    seed: int = 42,
    group_above: int | None = GROUP_ABOVE,
    compact: bool | None = None,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """The nodes, edges and legend the page draws, as JSON-ready data.

    A big map (above ``EXACT_LAYOUT_LIMIT`` entities, or ``compact=True``) carries its ties
    as ``ties`` (see :func:`_compact_ties`) instead of one object each in ``edges``: the page
    rebuilds the edges, and each tie's tooltip, from those columns when it opens.

    Above ``group_above`` entities (None: never) the map is grouped: each camp of
    :func:`ecograph.analysis.camp_membership` becomes one node labelled by its centre, which
    the page opens in place; the data then carries ``groups`` and ``groupTies`` (see
    :func:`_groups`) and each member's ``camp``.

    ``size_by`` is ``degree``, another measure of ``ecograph.analysis`` or a numeric property;
    ``color_by`` is ``kind`` or ``community`` (Louvain camps, same seed as the layout). Both
    values show in the tooltips. Each edge carries its schema group (equity, deal, context):
    the page opens on the alliances, context ties one click away. ``progress(stage, done,
    total)`` is called after each step.
    """
    from ecograph.words import kind_words, tie_words

    report = progress or _no_progress
    report(STAGE, 0, STEPS)
    model = schema.model_of(G)
    values = measure(G, size_by)
    sizes = radii(values)
    grouped = group_above is not None and G.number_of_nodes() > group_above
    camps = None
    if grouped or color_by == "community":
        from ecograph.analysis import camp_membership

        camps = camp_membership(G, seed=seed)
    if G.number_of_nodes() > EXACT_LAYOUT_LIMIT:
        pos = camp_layout(G, seed, sizes=sizes, camps=camps)
    else:
        pos = layout(G, seed, sizes=sizes)
    report(STAGE, 1, STEPS)
    camp: dict[str, int] = camps[0] if camps is not None and color_by == "community" else {}
    report(STAGE, 2, STEPS)
    nodes = []
    kind_style, rel_style = styles_of(G)
    search = _search_keys(G)
    for n, attrs in G.nodes(data=True):
        color, shape = kind_style.get(attrs.get("kind", ""), ("#999999", "dot"))
        if camp:
            color = PALETTE[(camp[n] - 1) % len(PALETTE)]
        tooltip = _node_tooltip(n, attrs) + f"\n{size_by}: {_format(round(values[n], 4))}"
        if camp:
            tooltip += f"\ncamp: {camp[n]}"
        x, y = pos[n]
        names = labels(attrs, n)
        node = {
            "id": n, "label": names[lang if lang in names else "both"], "labels": names, "title": tooltip, "kind": attrs.get("kind", ""),
            "name_en": attrs.get("name_en", n), "name_zh": attrs.get("name_zh", ""), "aliases": attrs.get("aliases", []),
            "color": color, "shape": shape, "size": round(sizes[n], 1), "x": x, "y": y,
            "search": search[n],
        }
        for key in ("description", "country"):  # for the side panel
            if attrs.get(key):
                node[key] = attrs[key]
        if shape in LABEL_INSIDE:  # written on the fill: the colour that reads on it
            node["font"] = {"color": text_colour(color)}
        nodes.append(node)
    report(STAGE, 3, STEPS)
    big = grouped or len(nodes) > EXACT_LAYOUT_LIMIT
    ties = None
    if compact if compact is not None else big:
        ties = _compact_ties(G, nodes, rel_style, model)
        edges: list[dict[str, Any]] = []
        types_seen = set(ties["types"])
    else:
        edges = _edge_objects(G, rel_style, model)
        types_seen = {e["type"] for e in edges}
    report(STAGE, 4, STEPS)
    kinds = sorted({nd["kind"] for nd in nodes})
    types = sorted(types_seen, key=lambda t: (_GROUP_ORDER.get(_group(t, model), 3), t))
    legend = {
        "kinds": [{"kind": k, "words": kind_words(k), "color": kind_style.get(k, ("#999999", ""))[0],
                   "shape": kind_style.get(k, ("", "dot"))[1]}
                  for k in kinds],
        "types": [{"type": t, "group": _group(t, model), "words": tie_words(t, model),
                   "color": rel_style.get(t, ("#999999", False))[0], "dashes": rel_style.get(t, ("", False))[1],
                   "width": GROUP_WIDTH[_group(t, model)]} for t in types],
        "groups": [{"group": g, "meaning": meaning} for g, meaning in schema.TIE_GROUPS.items()],
    }
    data = {"nodes": nodes, "edges": edges, "legend": legend, "lang": lang, "fontSize": FONT_SIZE,
            "minLabelPx": MIN_LABEL_PX, "big": big, "labelThreshold": MIN_LABEL_PX, "analysisLimits": _analysis_limits()}
    if ties is not None:
        data["ties"] = ties
    if grouped and camps is not None:
        data.update(_groups(G, nodes, camps, pos, lang))
    if ties is not None:
        data["entities"] = _compact_nodes(G, nodes)
        data["nodes"] = []
    return data


def _edge_objects(G: nx.MultiDiGraph, rel_style: dict[str, Any], model: schema.Model) -> list[dict[str, Any]]:
    """A small map's ties, one object each, with their tooltip and the side panel's words."""
    from ecograph.words import percent

    edges = []
    for i, (u, v, attrs) in enumerate(G.edges(data=True)):
        color, dashes = rel_style.get(attrs["type"], ("#999999", False))
        group = _group(attrs["type"], model)
        stake = attrs.get("stake")
        about = _tie_about(G, u, v, attrs)  # the side panel's words; the tooltip says the same
        edge = {
            "id": i, "from": u, "to": v, "type": attrs["type"], "group": group, "year": attrs.get("year"),
            "title": _edge_tooltip(G, u, v, attrs, about), "about": about,
            "color": {"color": color, "highlight": color, "hover": color},
            "width": GROUP_WIDTH[group] + (4 * stake if stake is not None else 0),
        }
        if dashes:  # only what differs from the page's defaults (arrows to, solid, no label)
            edge["dashes"] = dashes
        if stake is not None:  # the page's reach multiplies stakes (map-analysis.js)
            edge["stake"] = stake
        if stake is not None and group == "equity":
            edge["label"] = percent(stake)
        edges.append(edge)
    return edges


def _compact_nodes(G: nx.MultiDiGraph, nodes: list[dict[str, Any]]) -> dict[str, Any]:
    """A big map's nodes as parallel columns, in the order of ``nodes``, which the page turns
    back into the same objects (map-data.js): ``id``; ``en`` and ``zh`` (the wrapped labels,
    from which ``labels`` and ``label`` follow); ``nameEn``/``nameZh`` (null where the same as
    the label); ``aliases`` (null for none); ``look`` (index into ``looks``: kind, colour,
    shape, font); ``size``, ``x``, ``y``, ``search``; ``camp`` on a grouped map; and the
    tooltip as ``name_en / name_zh``, ``kind · id``, ``tips[tip]`` (aliases, country,
    description: shared) and ``tail`` (the measure, the camp)."""
    looks: list[dict[str, Any]] = []
    look_of: dict[tuple[str, str, str, Any], int] = {}
    tips: list[str] = []
    tip_of: dict[str, int] = {}
    cols: dict[str, list[Any]] = {k: [] for k in ("id", "en", "zh", "nameEn", "nameZh", "aliases", "look", "size", "x",
                                                  "y", "search", "tip", "tail")}
    grouped = any("camp" in n for n in nodes)
    if grouped:
        cols["camp"] = []
    for n in nodes:
        en, zh = n["labels"]["en"], n["labels"]["zh"] if n["labels"]["both"] != n["labels"]["en"] else ""
        if {"en": en, "zh": zh or en, "both": f"{en}\n{zh}" if zh else en} != n["labels"]:
            raise AssertionError(f"labels of {n['id']} do not follow from en and zh")
        font = n.get("font", {}).get("color")
        key = (n["kind"], n["color"], n["shape"], font)
        k = look_of.get(key)
        if k is None:
            k = look_of[key] = len(looks)
            look = {"kind": n["kind"], "color": n["color"], "shape": n["shape"]}
            if font is not None:
                look["font"] = {"color": font}
            looks.append(look)
        base = _node_tooltip(n["id"], G.nodes[n["id"]])
        head = f"{n['name_en']} / {n['name_zh']}\n{n['kind']} · {n['id']}"
        if not (base.startswith(head) and n["title"].startswith(base)):  # cannot happen while _node_tooltip starts so
            raise AssertionError(f"tooltip of {n['id']} does not start with {head!r}")
        t = tip_of.get(base[len(head):])
        if t is None:
            t = tip_of[base[len(head):]] = len(tips)
            tips.append(base[len(head):])
        for col, value in (("id", n["id"]), ("en", en), ("zh", zh), ("nameEn", None if n["name_en"] == en else n["name_en"]),
                           ("nameZh", None if n["name_zh"] == zh else n["name_zh"]), ("aliases", n["aliases"] or None),
                           ("look", k), ("size", n["size"]), ("x", n["x"]), ("y", n["y"]), ("search", n["search"]),
                           ("tip", t), ("tail", n["title"][len(base):])):
            cols[col].append(value)
        if grouped:
            cols["camp"].append(n.get("camp"))
    return {**cols, "looks": looks, "tips": tips}


def _compact_ties(G: nx.MultiDiGraph, nodes: list[dict[str, Any]], rel_style: dict[str, Any],
                  model: schema.Model) -> dict[str, Any]:
    """A big map's ties as parallel columns, one entry per tie in ``G.edges`` order (a tie's
    id is its position): ``from`` and ``to`` (indexes into the page's nodes), ``style`` (index
    into ``styles``: type, group, colour, dashes, width, the type's words), ``stake`` (0 for
    none, else 1 + index into ``stakes``: [stake, its label]; the width grows by 4 × stake, and
    an equity tie is labelled by it), ``year`` (or null) and ``tip`` (index into ``tips``).

    A tie's tooltip is ``name(from) + " " + verb + " " + name(to) + tips[tip]``: the verb is
    the type's words, the names :func:`ecograph.words.entity_name` (worked out in the page from
    name_en and name_zh, see :func:`_say_name`; ``names`` holds the exceptions), and the rest of the text
    (figures, source, year, description) depends on the tie's properties alone, so ties that
    say the same share one entry. One JSON object and one sentence per tie made the page of
    100,000 entities and 1,000,000 ties 448 MB and its render 19 minutes (issue #14); columns
    of numbers make it a few bytes a tie, and the page writes a sentence only when asked.
    """
    from ecograph.words import entity_name, percent, tie_words

    index = {n["id"]: i for i, n in enumerate(nodes)}
    known = model.relationship_properties
    names = [entity_name(G, n["id"]) for n in nodes]
    # The name a sentence uses follows from the node's name_en and name_zh (map-data.js
    # `sayName`); only the few where it does not (a missing English name) travel, by index.
    said_as = {str(i): name for i, (n, name) in enumerate(zip(nodes, names)) if _say_name(n) != name}
    styles: list[dict[str, Any]] = []
    style_of: dict[str, int] = {}
    stakes: list[list[Any]] = []
    stake_of: dict[Any, int] = {}
    stake_col: list[int] = []
    tips: list[str] = []
    tip_of: dict[Any, int] = {}
    froms: list[int] = []
    tos: list[int] = []
    style_col: list[int] = []
    years: list[Any] = []
    tip_col: list[int] = []
    for u, v, attrs in G.edges(data=True):
        rel_type = attrs["type"]
        s = style_of.get(rel_type)
        if s is None:
            color, dashes = rel_style.get(rel_type, ("#999999", False))
            group = _group(rel_type, model)
            style = {"type": rel_type, "group": group, "color": color, "words": tie_words(rel_type, model),
                     "width": GROUP_WIDTH[group]}
            if dashes:
                style["dashes"] = dashes
            s = style_of[rel_type] = len(styles)
            styles.append(style)
        stake = attrs.get("stake")
        k = 0
        if stake is not None:
            k = stake_of.get(stake, 0)
            if not k:
                k = stake_of[stake] = len(stakes) + 1
                stakes.append([stake, percent(stake)])
        try:
            # Where the tie was read ("origin", a file and line) is in no tooltip: left out,
            # ties that say the same share their text. Not sorted (half the time at a million
            # ties): ties read from one file list their properties in one order, and two orders
            # only make two entries of one text.
            said = dict(attrs)
            said.pop("origin", None)
            tip_key: Any = tuple(said.items())
            hash(tip_key)
        except TypeError:  # a list or dict among the properties: compare them as text
            tip_key = json.dumps({k: val for k, val in attrs.items() if k != "origin"}, sort_keys=True, default=str)
        t = tip_of.get(tip_key)
        if t is None:
            text = _edge_tooltip(G, u, v, attrs, _tie_about(G, u, v, attrs, known, says=False))
            head = f"{names[index[u]]} {styles[s]['words']} {names[index[v]]}"
            if not text.startswith(head):  # cannot happen while tie_sentence starts so
                raise AssertionError(f"tooltip of {u} -> {v} does not start with {head!r}")
            t = tip_of[tip_key] = len(tips)
            tips.append(text[len(head):])
        froms.append(index[u])
        tos.append(index[v])
        style_col.append(s)
        stake_col.append(k)
        years.append(attrs.get("year"))
        tip_col.append(t)
    return {"from": froms, "to": tos, "style": style_col, "stake": stake_col, "year": years, "tip": tip_col,
            "styles": styles, "stakes": stakes, "tips": tips, "names": said_as, "types": [st["type"] for st in styles]}


def _say_name(node: dict[str, Any]) -> str:
    """:func:`ecograph.words.entity_name` as the page works it out from a node's fields."""
    en, zh = node["name_en"], node["name_zh"]
    return f"{en} / {zh}" if en and zh and en != zh else (en or zh or node["id"])


# A grouped map draws, for each camp, its ties to the camps it has most ties with, at most
# this many: at 100,000 entities every camp has ties to nearly every other, an unreadable mesh.
_GROUP_TIES = 3


def _groups(G: nx.MultiDiGraph, nodes: list[dict[str, Any]], camps: tuple[dict[str, int], dict[int, str]],
            pos: dict[str, tuple[float, float]], lang: str) -> dict[str, Any]:
    """The camps of a grouped map: ``groups`` (one for each camp of two or more entities: id
    ``camp:N``, the camp number, its centre, label, size and place, at its members' mean) and
    ``groupTies`` ([camp, camp, ties between them], each camp's strongest ``_GROUP_TIES``);
    each member node gets its ``camp``."""
    camp_of, centres = camps
    members: dict[int, list[str]] = {}
    for n, c in camp_of.items():
        members.setdefault(c, []).append(n)
    grouped = {c for c, names in members.items() if len(names) > 1}
    for node in nodes:
        c = camp_of[node["id"]]
        node["camp"] = c if c in grouped else None
    counts: dict[tuple[int, int], int] = {}
    for u, v in G.edges():
        cu, cv = camp_of[u], camp_of[v]
        if cu != cv and cu in grouped and cv in grouped:
            key = (cu, cv) if cu < cv else (cv, cu)
            counts[key] = counts.get(key, 0) + 1
    strongest: dict[int, list[tuple[int, tuple[int, int]]]] = {}
    for key, count in counts.items():
        for c in key:
            strongest.setdefault(c, []).append((count, key))
    kept = set()
    for ties in strongest.values():
        kept.update(key for _, key in sorted(ties, key=lambda t: (-t[0], t[1]))[:_GROUP_TIES])
    groups = []
    for c in sorted(grouped):
        names = members[c]
        centre = centres[c]
        name = labels(G.nodes[centre], centre)[lang if lang in ("en", "zh", "both") else "both"]
        x = sum(pos[n][0] for n in names) / len(names)
        y = sum(pos[n][1] for n in names) / len(names)
        radius = max(math.hypot(pos[n][0] - x, pos[n][1] - y) for n in names)
        # Drawn at half the camp's own size, its name a third of that: both read from the zoom
        # that shows the whole map, for the big camps first.
        groups.append({
            "id": f"camp:{c}", "camp": c, "centre": centre, "members": len(names),
            "label": f"{name}\n+ {len(names) - 1:,} more", "size": round(max(20.0, radius / 2), 1),
            "fontSize": round(max(28.0, radius / 6), 1), "x": round(x, 1), "y": round(y, 1),
        })
    return {"groups": groups, "groupTies": [[a, b, counts[(a, b)]] for a, b in sorted(kept)]}


# The smallest label the page draws, in pixels on screen: a big map draws labels only from the
# zoom where they reach it.
MIN_LABEL_PX = 12


_GROUP_ORDER = {"equity": 0, "deal": 1, "context": 2}


def _analysis_limits() -> dict[str, int]:
    """The library's limits, which the page's analyses keep to so both answer the same."""
    from ecograph.analysis import chains, ownership, whatif

    return {"maxChainsListed": chains.MAX_CHAINS_LISTED, "maxChains": ownership.MAX_CHAINS,
            "maxPairEntities": whatif.MAX_PAIR_ENTITIES}


def _group(rel_type: str, model: schema.Model = schema.SHIPPED) -> str:
    rel = model.rel_types.get(rel_type)
    return rel.group if rel is not None else "context"
