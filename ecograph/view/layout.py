"""Where each entity goes on the map and in the pictures: deterministic positions for a seed,
with no two node-plus-label boxes overlapping (small maps), or camp by camp (big maps).

    pos = layout(G, seed=42)
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from ecograph.data import schema
from ecograph.view.style import label_box, measure, radii, styles_of

if TYPE_CHECKING:
    import networkx as nx


def degree_radii(G: nx.MultiDiGraph) -> dict[str, float]:
    return radii(measure(G, "degree"))


def layout(
    G: nx.MultiDiGraph, seed: int = 42, *, sizes: dict[str, float] | None = None
) -> dict[str, tuple[float, float]]:
    """Node positions in pixels, the same for the same graph and seed, where no two nodes'
    boxes (shape and label, see ``label_box``) overlap.

    The steps, in order:

    1. The alliance core (entities with an equity or deal tie) is placed by Fruchterman–Reingold
       from igraph on those ties alone (compiled: 10k nodes in about half a second, where
       networkx's pure-Python layout takes minutes), its random start drawn from a generator
       seeded with ``seed``, and scaled so a tie is about as long as a label is wide. The map
       opens on this core, so it has to be compact.
    2. Overlapping boxes of the core are pushed apart; any left after a few dozen rounds move to
       the nearest free spot. Each connected part of the core is laid out so on its own, and
       the parts are packed in rows, biggest first, in the shape of a screen (igraph leaves wide
       gaps between parts, which made the seed map open at a zoom too small to read).
    3. Entities tied only by context ties go round the core, towards the entities they are tied
       to, ring after ring by their distance from it, each at the nearest free spot (the core
       stays where it is); parts with no path to the core, below it.
    4. Entities with no tie at all line up in a grid under the map, out of the way.

    ``sizes`` are the node radii the page draws (default: by degree, as the page's default).
    """
    nodes = sorted(G.nodes)  # the same positions whatever order the graph holds its nodes in
    if not nodes:
        return {}
    sizes = sizes if sizes is not None else degree_radii(G)
    if len(nodes) > EXACT_LAYOUT_LIMIT:
        return camp_layout(G, seed, sizes=sizes)
    styles = styles_of(G)[0]  # the shapes of the graph's own kinds: a label inside a box widens it
    boxes = {n: label_box(G.nodes[n], n, sizes.get(n, 10.0), styles) for n in nodes}
    ties = sorted({tuple(sorted((u, v))) + (d.get("type", ""),) for u, v, d in G.edges(data=True) if u != v})
    alliance = set(schema.model_of(G).alliance_types)
    core_ties = {(u, v) for u, v, t in ties if t in alliance}
    all_ties = {(u, v) for u, v, _ in ties}
    if not core_ties:  # a map with no alliances lays out whatever ties it has as its core
        core_ties = all_ties
    core = sorted({n for pair in core_ties for n in pair})
    tied = {n for pair in all_ties for n in pair}
    pos: dict[str, list[float]] = {}
    mean_width = sum(boxes[n][2] - boxes[n][0] for n in nodes) / len(nodes)
    if core:
        pos.update(_packed_components(core, core_ties, boxes, seed, length=mean_width * 1.5))
    rest = [n for n in nodes if n in tied and n not in pos]
    if rest:
        _place_around(pos, rest, all_ties, boxes, seed, step=mean_width)
    alone = [n for n in nodes if n not in pos]
    if alone:
        _grid_below(pos, alone, boxes)
    return {n: (round(pos[n][0], 1), round(pos[n][1], 1)) for n in nodes}


# Above this many entities the page draws labels only when zoomed in (they cannot all be read
# at once), so the layout keeps shapes apart rather than labels, camp by camp: keeping 10,000
# labels apart took 40 s and spread the map over 30 screens.
EXACT_LAYOUT_LIMIT = 1_500
# Maps of more entities than this open grouped by camp (render's ``group_above``): nobody reads
# 10,000 dots, and vis-network cannot draw them fast (benchmarks/bench_render.py).
GROUP_ABOVE = 5_000


def camp_layout(
    G: nx.MultiDiGraph, seed: int = 42, *, sizes: dict[str, float] | None = None,
    camps: tuple[dict[str, int], dict[int, str]] | None = None,
) -> dict[str, tuple[float, float]]:
    """Positions for a big map, camp by camp, the same for the same graph and seed.

    1. The entities with a tie are split into camps (:func:`ecograph.analysis.camp_membership`,
       or ``camps`` when given).
    2. Each camp is laid out on its own ties by Fruchterman–Reingold (igraph), scaled so each
       entity has about ``_SPACING`` pixels square, and its shapes pushed apart.
    3. The camps, as discs of their size, are laid out on the ties between them and packed like
       the parts of a small map (:func:`_packed_components`): the camps spread over the canvas
       instead of one hairball, and the few unconnected ones sit in rows, not in a ring.
    4. Entities with no tie line up in a grid under the map.
    """
    import numpy as np

    from ecograph.analysis import camp_membership

    sizes = sizes if sizes is not None else degree_radii(G)
    camp_of, _ = camps if camps is not None else camp_membership(G, seed=seed)
    names, camp, inner, between = _camp_ties(G, camp_of)
    local: dict[int, tuple[Any, Any]] = {}  # camp -> (its members, their positions round its centre)
    discs: dict[str, tuple[float, float, float, float]] = {}
    half = np.array([sizes.get(n, 10.0) + 4 for n in names])
    for c, (members, pairs) in inner.items():
        xy = _force_coords(len(members), pairs, seed, length=_SPACING, area=_SPACING ** 2 * len(members),
                           iterations=_iterations(len(members))) if len(members) > 1 else np.zeros((1, 2))
        _push_apart(xy, half[members], rounds=12)  # 6 rounds left 12 % more shapes touching at 20,000
        xy -= xy.mean(axis=0)
        radius = float((np.hypot(xy[:, 0], xy[:, 1]) + half[members]).max())
        local[c] = (members, xy)
        discs[f"c{c}"] = (-radius, -radius, radius, radius)
    out: dict[str, list[float]] = {}
    if discs:
        placed = _packed_components(sorted(discs), between, discs, seed, length=_SPACING, gap=_SPACING)
        for c, (members, xy) in local.items():
            xy = xy + placed[f"c{c}"]  # a disc's position is its centre
            out.update(zip((names[i] for i in members), xy.tolist()))
    alone = [n for n in names if n not in out]
    if alone:
        boxes = {n: (-sizes.get(n, 10.0) - 4, -sizes.get(n, 10.0) - 4, sizes.get(n, 10.0) + 4, sizes.get(n, 10.0) + 30)
                 for n in G.nodes}
        _grid_below(out, alone, boxes, gap=_SPACING / 2)
    return {n: (round(p[0], 1), round(p[1], 1)) for n, p in out.items()}


def _camp_ties(G: nx.MultiDiGraph, camp_of: dict[str, int]) -> tuple[list[str], Any, dict[int, tuple[Any, Any]],
                                                                      set[tuple[str, str]]]:
    """The entities in id order, their camps, and for each camp with a tie inside or out its
    tied members (indexes into the entities, ascending) and the distinct ties between them
    (pairs of indexes into its members, sorted); and the pairs of camps tied (``("c1", "c4")``).
    Counted with numpy: a Python set of a million pairs of names took 6 s (issue #14)."""
    import numpy as np

    from ecograph.analysis.common import tie_ends

    nodes, ends = tie_ends(G)
    count = len(nodes)
    order = sorted(range(count), key=nodes.__getitem__)
    rank = np.empty(count, dtype=np.int64)
    rank[order] = np.arange(count)
    names = [nodes[i] for i in order]
    ends = rank[ends]
    low, high = ends.min(axis=1), ends.max(axis=1)
    keep = low != high
    pair = np.unique(low[keep] * count + high[keep])  # each tie once, in the order (low, high)
    low, high = pair // count, pair % count
    camp = np.array([camp_of[n] for n in names], dtype=np.int64)
    same = camp[low] == camp[high]
    a, b = camp[low[~same]], camp[high[~same]]
    between = {(f"c{x}", f"c{y}") for x, y in set(zip(np.minimum(a, b).tolist(), np.maximum(a, b).tolist()))}
    tied = np.zeros(count, dtype=bool)
    tied[low] = tied[high] = True
    members = np.flatnonzero(tied)
    by_camp = members[np.argsort(camp[members], kind="stable")]
    position = np.empty(count, dtype=np.int64)  # a member's index inside its camp
    starts = np.flatnonzero(np.r_[True, camp[by_camp[1:]] != camp[by_camp[:-1]]]) if len(by_camp) else by_camp
    bounds = [*starts.tolist(), len(by_camp)]
    groups = {}
    for s, e in zip(bounds, bounds[1:]):
        position[by_camp[s:e]] = np.arange(e - s)
        groups[int(camp[by_camp[s]])] = by_camp[s:e]
    inside = np.flatnonzero(same)
    inside = inside[np.argsort(camp[low[inside]], kind="stable")]
    cuts = np.searchsorted(camp[low[inside]], sorted(groups), side="left").tolist() + [len(inside)]
    inner = {}
    for (c, m), s, e in zip(sorted(groups.items()), cuts, cuts[1:]):
        chosen = inside[s:e]
        inner[c] = (m, np.column_stack((position[low[chosen]], position[high[chosen]])))
    return names, camp, inner, between


def _force_coords(count: int, pairs: Any, seed: int, length: float, area: float, iterations: int) -> Any:
    """:func:`_force_layout` for ``count`` nodes numbered from 0 and ``pairs`` of them (a numpy
    array, sorted), as a numpy array of positions: scaled so the median tie is ``length``
    pixels long and the whole spans at least ``area`` square pixels."""
    import random

    import igraph
    import numpy as np

    g = igraph.Graph(n=count, edges=pairs)
    previous = igraph.set_random_number_generator(random.Random(seed))
    try:
        coords = np.array(g.layout_fruchterman_reingold(niter=iterations, grid=True).coords, dtype=float)
    finally:
        igraph.set_random_number_generator(previous or random)
    lengths = np.sort(np.hypot(*(coords[pairs[:, 0]] - coords[pairs[:, 1]]).T)) if len(pairs) else [1.0]
    scale = length / (lengths[len(lengths) // 2] or 1.0)
    spread = float((coords.max(axis=0) - coords.min(axis=0)).max()) ** 2  # a square: a line of two has no area
    if spread > 0 and area > 0:  # crowded camps (a hub with hundreds of ties) get more room
        scale = max(scale, (area / spread) ** 0.5)
    return coords * scale


def _push_apart(xy: Any, half: Any, rounds: int) -> None:
    """Push apart overlapping squares (centres ``xy``, half sides ``half``) along the axis where
    they overlap least, half each, for up to ``rounds`` rounds: :func:`_separate` for a big map,
    every overlap of a round at once in numpy (the loop over pairs in Python took 10 s at
    100,000 entities). A few shapes may still touch after it, as with ``settle=False``."""
    import numpy as np

    count = len(xy)
    if count < 2:
        return
    cell = 2 * float(half.max())
    for _ in range(rounds):
        i, j = _near_pairs(xy, cell)
        d = xy[i] - xy[j]
        reach = (half[i] + half[j])[:, None]
        overlap = np.minimum(reach - np.abs(d), 2 * np.minimum(half[i], half[j])[:, None])
        hit = (overlap > 0).all(axis=1)
        if not hit.any():
            return
        i, j, d, overlap = i[hit], j[hit], d[hit], overlap[hit]
        axis = (overlap[:, 1] < overlap[:, 0]).astype(np.int64)  # x where it overlaps less or as much
        rows = np.arange(len(i))
        # the one further along the axis moves on (by index, which is id order, when level)
        sign = np.where((d[rows, axis] > 0) | ((d[rows, axis] == 0) & (i > j)), 1.0, -1.0)
        step = sign * overlap[rows, axis] / 2
        for k in (0, 1):
            moved = np.where(axis == k, step, 0.0)
            xy[:, k] += np.bincount(i, moved, count) - np.bincount(j, moved, count)


def _near_pairs(xy: Any, cell: float) -> tuple[Any, Any]:
    """Every pair (i < j where in one cell) of points in the same or touching cells of a grid of
    ``cell`` pixels: all pairs of squares that can overlap when no side is longer than ``cell``."""
    import numpy as np

    grid = np.floor(xy / cell).astype(np.int64)
    grid -= grid.min(axis=0)
    width = int(grid[:, 1].max()) + 3
    key = grid[:, 0] * width + grid[:, 1]
    order = np.argsort(key, kind="stable")
    sorted_keys = key[order]
    found_i, found_j = [], []
    for dx, dy in ((0, 0), (0, 1), (1, -1), (1, 0), (1, 1)):
        target = key + dx * width + dy
        start = np.searchsorted(sorted_keys, target, "left")
        many = np.searchsorted(sorted_keys, target, "right") - start
        i = np.repeat(np.arange(len(xy)), many)
        j = order[np.repeat(start - np.cumsum(many) + many, many) + np.arange(int(many.sum()))]
        if (dx, dy) == (0, 0):
            i, j = i[i < j], j[i < j]
        found_i.append(i)
        found_j.append(j)
    return np.concatenate(found_i), np.concatenate(found_j)


def _iterations(members: int) -> int:
    """Force layout rounds for a camp: 300, fewer from 2,000 members on (at least 150), so a
    camp's layout costs about what one of 2,000 does: the camps of a 100,000-entity map took
    10 s of force layout at 300 rounds each (issue #14)."""
    return 300 if members <= 2_000 else max(150, 600_000 // members)


# Room for one entity of a big map, in pixels square: about a short name wide.
_SPACING = 90.0


def _force_layout(nodes: list[str], pairs: set[tuple[str, str]], seed: int, length: float,
                  area: float = 0.0, iterations: int = 500, grid: bool | str = "auto") -> dict[str, list[float]]:
    """Fruchterman–Reingold positions for ``nodes`` on ``pairs``, scaled so the median tie is
    ``length`` pixels long, and the whole spans at least ``area`` square pixels."""
    import random

    from ecograph.compiled import igraph as compiled

    igraph = compiled()  # without its plotting: see ecograph.compiled

    index = {n: i for i, n in enumerate(nodes)}
    g = igraph.Graph(n=len(nodes), edges=sorted((index[u], index[v]) for u, v in pairs))
    previous = igraph.set_random_number_generator(random.Random(seed))
    try:
        coords = g.layout_fruchterman_reingold(niter=iterations, grid=grid).coords
    finally:
        igraph.set_random_number_generator(previous or random)
    lengths = sorted(math.dist(coords[index[u]], coords[index[v]]) for u, v in pairs)
    median = lengths[len(lengths) // 2] if lengths else 1.0
    scale = length / (median or 1.0)
    xs, ys = [c[0] for c in coords], [c[1] for c in coords]
    spread = max(max(xs) - min(xs), max(ys) - min(ys)) ** 2  # a square: a line of two nodes has no area
    if spread > 0 and area > 0:  # crowded graphs (a hub with hundreds of ties) get more room
        scale = max(scale, (area / spread) ** 0.5)
    return {n: [coords[i][0] * scale, coords[i][1] * scale] for n, i in index.items()}


# The least room a part of the map gets, as a multiple of its boxes' total area: below about
# twice, pushing boxes apart stalls in the crowd round a hub (a 2,000-entity map took minutes).
_ROOM = 2.5


def _packed_components(nodes: list[str], pairs: set[tuple[str, str]], boxes: dict[str, tuple[float, float, float, float]],
                       seed: int, length: float, gap: float = 48.0) -> dict[str, list[float]]:
    """Each connected part of ``nodes`` laid out and separated on its own, then packed in rows
    about 1.5 times as wide as they are tall."""
    neighbours: dict[str, set[str]] = {n: set() for n in nodes}
    for u, v in pairs:
        neighbours[u].add(v)
        neighbours[v].add(u)
    parts, seen = [], set()
    for n in nodes:  # sorted: the parts come out in the same order every time
        if n in seen:
            continue
        part, stack = [], [n]
        seen.add(n)
        while stack:
            m = stack.pop()
            part.append(m)
            for k in sorted(neighbours[m] - seen):
                seen.add(k)
                stack.append(k)
        parts.append(sorted(part))
    part_of = {n: i for i, part in enumerate(parts) for n in part}
    part_pairs: list[set[tuple[str, str]]] = [set() for _ in parts]
    for u, v in pairs:
        if u in part_of:
            part_pairs[part_of[u]].add((u, v))
    laid = []
    for part, inside in zip(parts, part_pairs):
        room = _ROOM * sum((boxes[n][2] - boxes[n][0] + 8) * (boxes[n][3] - boxes[n][1] + 8) for n in part)
        pos = _force_layout(part, inside, seed, length, room) if len(part) > 1 else {part[0]: [0.0, 0.0]}
        _separate(pos, boxes)
        left = min(p[0] + boxes[n][0] for n, p in pos.items())
        top = min(p[1] + boxes[n][1] for n, p in pos.items())
        right = max(p[0] + boxes[n][2] for n, p in pos.items())
        bottom = max(p[1] + boxes[n][3] for n, p in pos.items())
        laid.append((pos, right - left, bottom - top, left, top))
    laid.sort(key=lambda t: (-t[1] * t[2], min(t[0])))
    area = sum((w + gap) * (h + gap) for _, w, h, _, _ in laid)
    row_width = max(max(w for _, w, _, _, _ in laid), (area * 1.5) ** 0.5)
    out: dict[str, list[float]] = {}
    x = y = row_height = 0.0
    for pos, w, h, left, top in laid:
        if x > 0 and x + w > row_width:
            x, y, row_height = 0.0, y + row_height + gap, 0.0
        for n, p in pos.items():
            out[n] = [p[0] - left + x, p[1] - top + y]
        x += w + gap
        row_height = max(row_height, h)
    return out


def _place_around(pos: dict[str, list[float]], rest: list[str], pairs: set[tuple[str, str]],
                  boxes: dict[str, tuple[float, float, float, float]], seed: int, step: float) -> None:
    """Place ``rest`` outside the placed nodes: each in the direction of the placed entities it
    is tied to, one ring further out per step away from them, at the nearest free spot; parts
    with no path to the placed ones, laid out on their own below."""
    import random

    neighbours: dict[str, set[str]] = {}
    for u, v in pairs:
        neighbours.setdefault(u, set()).add(v)
        neighbours.setdefault(v, set()).add(u)
    xs = [p[0] for p in pos.values()] or [0.0]
    ys = [p[1] for p in pos.values()] or [0.0]
    cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    radius = max(max(xs) - min(xs), max(ys) - min(ys)) / 2 + step / 2 if pos else 0.0
    rng = random.Random(seed)
    free = _FreeSpace(boxes)
    for n, p in pos.items():
        free.add(n, p)
    todo = set(rest)
    ring = 0
    while todo:
        ring += 1
        reached = sorted(n for n in todo if neighbours.get(n, set()) & pos.keys())
        if not reached:
            break
        targets = {}
        for n in reached:
            near = sorted(neighbours[n] & pos.keys())
            bx = sum(pos[m][0] for m in near) / len(near)
            by = sum(pos[m][1] for m in near) / len(near)
            angle = math.atan2(by - cy, bx - cx) if (bx, by) != (cx, cy) else rng.uniform(-math.pi, math.pi)
            r = max(radius + step * (ring - 1), math.hypot(bx - cx, by - cy) + step / 2)
            targets[n] = (angle, r)
        for n in sorted(reached, key=lambda m: (targets[m][1], targets[m][0], m)):  # inside out
            angle, r = targets[n]
            pos[n] = free.nearest(n, [cx + r * math.cos(angle), cy + r * math.sin(angle)], outward=angle)
        todo -= set(reached)
    if todo:  # parts of the map with no path to the rest: laid out on their own, underneath
        own = _force_layout(sorted(todo), {(u, v) for u, v in pairs if u in todo}, seed, length=step * 1.1)
        top = max((p[1] + boxes[n][3] for n, p in pos.items()), default=0.0) + step
        oy = min(p[1] + boxes[n][1] for n, p in own.items())
        ox = sum(p[0] for p in own.values()) / len(own)
        for n in sorted(own, key=lambda m: (own[m][1], own[m][0], m)):
            pos[n] = free.nearest(n, [own[n][0] - ox + cx, own[n][1] - oy + top], outward=math.pi / 2)


class _FreeSpace:
    """The boxes placed so far, filed in a grid of cells, to find the free spot nearest a target."""

    def __init__(self, boxes: dict[str, tuple[float, float, float, float]], gap: float = 8.0, cell: float = 120.0):
        self.boxes, self.gap, self.cell = boxes, gap, cell
        self.grid: dict[tuple[int, int], list[tuple[float, float, float, float]]] = {}

    def _cells(self, r: tuple[float, float, float, float]):
        c = self.cell
        for gx in range(int(r[0] // c), int(r[2] // c) + 1):
            for gy in range(int(r[1] // c), int(r[3] // c) + 1):
                yield gx, gy

    def _rect(self, n: str, p: list[float]) -> tuple[float, float, float, float]:
        b, g = self.boxes[n], self.gap / 2
        return (p[0] + b[0] - g, p[1] + b[1] - g, p[0] + b[2] + g, p[1] + b[3] + g)

    def add(self, n: str, p: list[float]) -> None:
        r = self._rect(n, p)
        for key in self._cells(r):
            self.grid.setdefault(key, []).append(r)

    def fits(self, n: str, p: list[float]) -> bool:
        a = self._rect(n, p)
        return not any(a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
                       for key in self._cells(a) for b in self.grid.get(key, ()))

    def nearest(self, n: str, target: list[float], outward: float = 0.0) -> list[float]:
        """The free spot nearest ``target``, on a spiral round it starting ``outward``; taken."""
        spot = list(target)
        b = self.boxes[n]
        pitch = max(4.0, min(b[2] - b[0], b[3] - b[1]) / 4)  # steps in proportion to the box
        i = 0
        while not self.fits(n, spot):
            i += 1
            theta = 1.5 * i ** 0.5  # an Archimedean spiral walked in steps of equal arc
            r = pitch * theta
            spot = [target[0] + r * math.cos(outward + theta), target[1] + r * math.sin(outward + theta)]
        self.add(n, spot)
        return spot


def _separate(pos: dict[str, list[float]], boxes: dict[str, tuple[float, float, float, float]],
              gap: float = 8.0, rounds: int = 15, spreads: int = 6, settle: bool = True) -> None:
    """Push apart overlapping boxes (``gap`` pixels between any two) along the axis where they
    overlap least, which keeps the force layout's shape. When ``rounds`` rounds leave overlaps
    (a crowd round a hub), the whole part spreads out by a fifth and pushing starts again, up to
    ``spreads`` times; each box still overlapping after that moves to the nearest free spot.
    Neighbours are found through a grid of cells as big as the biggest box, so a round costs
    about one pass over the nodes."""
    names = sorted(pos)
    if len(names) < 2:
        return
    cell = max(max(b[2] - b[0], b[3] - b[1]) for b in (boxes[n] for n in names)) + gap
    for spread in range(spreads + 1):
        if spread:
            cx = sum(p[0] for p in pos.values()) / len(pos)
            cy = sum(p[1] for p in pos.values()) / len(pos)
            for p in pos.values():
                p[0], p[1] = cx + (p[0] - cx) * 1.2, cy + (p[1] - cy) * 1.2
        for _ in range(rounds):
            grid: dict[tuple[int, int], list[str]] = {}
            for n in names:
                b, p = boxes[n], pos[n]
                key = (int((p[0] + (b[0] + b[2]) / 2) // cell), int((p[1] + (b[1] + b[3]) / 2) // cell))
                grid.setdefault(key, []).append(n)
            moved = False
            for (gx, gy), members in sorted(grid.items()):
                others = [m for dx in (-1, 0, 1) for dy in (-1, 0, 1) for m in grid.get((gx + dx, gy + dy), ())]
                for a in members:
                    pa, A = pos[a], boxes[a]
                    for c in others:
                        if c <= a:
                            continue
                        pc, C = pos[c], boxes[c]  # most pairs are apart: test inline, push rarely
                        if (pc[0] + C[0] < pa[0] + A[2] + gap and pa[0] + A[0] < pc[0] + C[2] + gap
                                and pc[1] + C[1] < pa[1] + A[3] + gap and pa[1] + A[1] < pc[1] + C[3] + gap):
                            moved |= _push(pos, boxes, a, c, gap)
            if not moved:
                return
    if not settle:  # a big map: a few shapes still touching is better than a minute's search
        return
    free = _FreeSpace(boxes, gap)
    stay = [n for n in names if free.fits(n, pos[n]) and (free.add(n, pos[n]) or True)]
    for n in sorted(set(names) - set(stay)):
        pos[n] = free.nearest(n, pos[n])


def _push(pos: dict[str, list[float]], boxes: dict[str, tuple[float, float, float, float]], a: str, c: str,
          gap: float) -> bool:
    """Move ``a`` and ``c`` apart, half each, if their boxes (plus ``gap``) overlap."""
    A, C, pa, pc = boxes[a], boxes[c], pos[a], pos[c]
    ox = min(pa[0] + A[2], pc[0] + C[2]) - max(pa[0] + A[0], pc[0] + C[0]) + gap
    oy = min(pa[1] + A[3], pc[1] + C[3]) - max(pa[1] + A[1], pc[1] + C[1]) + gap
    if ox <= 0 or oy <= 0:
        return False
    axis, overlap = (0, ox) if ox <= oy else (1, oy)
    mid = 0 if axis == 0 else 1
    ca = pa[axis] + (A[mid] + A[mid + 2]) / 2
    cc = pc[axis] + (C[mid] + C[mid + 2]) / 2
    sign = 1.0 if (ca, a) >= (cc, c) else -1.0
    pa[axis] += sign * overlap / 2
    pc[axis] -= sign * overlap / 2
    return True


def _grid_below(pos: dict[str, list[float]], alone: list[str], boxes: dict[str, tuple[float, float, float, float]],
                gap: float = 12.0) -> None:
    """Line up ``alone`` in rows under everything placed, left-aligned with it."""
    left = min((p[0] + boxes[n][0] for n, p in pos.items()), default=0.0)
    top = max((p[1] + boxes[n][3] for n, p in pos.items()), default=0.0) + 6 * gap
    width = max(b[2] - b[0] for b in (boxes[n] for n in alone)) + gap
    height = max(b[3] - b[1] for b in (boxes[n] for n in alone)) + gap
    columns = max(1, round((len(alone) * 2) ** 0.5))
    for i, n in enumerate(alone):
        b = boxes[n]
        x = left + (i % columns) * width + width / 2
        y = top + (i // columns) * height - b[1]
        pos[n] = [x - (b[0] + b[2]) / 2, y]
