"""A synthetic ecosystem in graphdata's own format, for measuring ecograph as the work grows.

``write_synthetic(directory, nodes, relationships, seed)`` writes ``entities/synthetic.csv``
and ``relationships/synthetic.csv`` that pass ``ecograph validate``: the schema's kinds and
relationship types in proportions like the seed's, endpoints of the kinds each type allows,
heavy-tailed degrees (a few hubs, many leaves: endpoints are drawn with a Pareto rank; an owned
entity is a leaf, as a firm has one or two owners, not thousands), stakes
and years where the type takes them, bilingual names and a source on every tie. The same seed
gives the same files.

Places nest as validation wants them (:data:`ecograph.data.schema.COUNTRY_IDS`): every entity of a
kind that is somewhere gets one LOCATED_IN tie and the country of its place, so a firm is in a
city (a few cities are hubs), a city in a province or a country, a province in a country.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

from ecograph.data import schema
from ecograph.errors import EcographError
from ecograph.fileio import atomic_directory
from ecograph import progress as progress_steps
from ecograph.progress import Progress, no_progress

__all__ = ["write_synthetic", "SynthError", "KIND_WEIGHTS", "TYPE_WEIGHTS"]

# Roughly the seed's mix, with more firms and platforms (what users add most).
KIND_WEIGHTS = {
    "Company": 40, "Platform": 14, "PaymentService": 3, "FinancialService": 2, "Product": 5, "City": 8,
    "Province": 1, "Country": 0.3, "CityTier": 0.1, "LogisticsHub": 3, "GovernmentBody": 2, "Policy": 5,
    "BusinessModel": 1, "Market": 2, "Event": 1, "ResearchInstitute": 2, "Study": 4,
}
TYPE_WEIGHTS = {
    # LOCATED_IN is not drawn: each entity that is somewhere gets exactly one (about 7 % of ties).
    "PARTNERS_WITH": 22, "INVESTED_IN": 14, "OWNS": 8, "SELLS_ON": 10, "DELIVERS_FOR": 6,
    "ACTIVE_IN": 6, "PROCESSES_PAYMENTS_FOR": 4, "LENDS_TO": 2, "CO_DEVELOPS": 2, "COOPERATES_IN": 2,
    "USES_ENTRY_MODE": 2, "CONNECTS_TO": 1, "SERVES": 1, "LAUNCHED": 1, "ISSUED_BY": 2,
    "IMPLEMENTED_BY": 1, "APPLIES_IN": 1, "REGULATES": 1, "PILOT_CITY_OF": 1, "DESIGNATED_UNDER": 1,
    "SIGNED_BY": 0.5, "REVIEWED_BY": 0.5, "RELIES_ON": 0.5, "HOLDS": 0.5, "IN_TIER": 0.5, "PUBLISHED_BY": 1,
}
_OWNERSHIP = frozenset({"OWNS"})
_ZH_SYLLABLES = "華聯通達信興盛泰豐源恒安創新科技網購物商城易達快遞鑫隆凱瑞德寶利天宏遠"
_ZH_SUFFIX = {
    "Company": "公司", "Platform": "網", "PaymentService": "支付", "FinancialService": "小貸", "Product": "電視",
    "City": "市", "Province": "省", "Country": "國", "CityTier": "城市", "LogisticsHub": "物流園",
    "GovernmentBody": "局", "Policy": "辦法", "BusinessModel": "模式", "Market": "市場", "Event": "購物節",
    "ResearchInstitute": "研究院", "Study": "報告",
}
_REGIONS = ("Mainland China", "Mainland China", "Mainland China", "Taiwan", "Hong Kong", "United States", "Singapore")
# The countries, in the order the Country entities take them (the first ones are the hubs).
_COUNTRIES = tuple(dict.fromkeys(_REGIONS))
# Where each kind that is somewhere is put: the kinds of place, the first most often.
_PLACED_IN = {"Province": ("Country",), "City": ("Province", "Country")}
_PLACE_ORDER = ("Country", "Province", "City")  # a place's country is known before what lies in it


def _pick(rnd: random.Random, members: list[str], hub: bool) -> str:
    """A member: with ``hub``, drawn with a heavy tail (the first few are hubs); else uniformly
    (the many leaves a hub ties to)."""
    if hub:
        rank = int(rnd.paretovariate(1.1)) - 1
        return members[rank % len(members)]
    return members[rnd.randrange(len(members))]


def _locate(rnd: random.Random, entity_rows: list[list], by_kind: dict[str, list[str]], seed: int) -> list[tuple]:
    """Put every entity of a kind that is somewhere in a place, setting its country to the
    place's; returns the LOCATED_IN rows. Countries take the countries in turn."""
    row_of = {row[0]: row for row in entity_rows}
    for i, entity_id in enumerate(by_kind["Country"]):
        row_of[entity_id][5] = _COUNTRIES[i % len(_COUNTRIES)]
    located = [k for k in _PLACE_ORDER if k in schema.LOCATED_KINDS]
    located += [k for k in schema.LOCATED_KINDS if k not in located]
    rows = []
    for kind in located:
        places = _PLACED_IN.get(kind, ("City",))
        for entity_id in by_kind[kind]:
            # Mostly the first kind of place (a city in a province), heavy-tailed (hub cities).
            place_kind = places[0] if len(places) == 1 or rnd.random() < 0.8 else places[1]
            place = _pick(rnd, by_kind[place_kind], True)
            row_of[entity_id][5] = row_of[place][5]
            rows.append((entity_id, "LOCATED_IN", place, "", "", "Synthetic tie", f"synthetic seed {seed}"))
    return rows


class SynthError(EcographError, ValueError):
    """The sizes asked for cannot make a synthetic ecosystem; ``field`` names the one at fault
    (``nodes`` or ``relationships``)."""

    def __init__(self, message: str, field: str | None = None) -> None:
        self.field = field
        super().__init__(message)

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (str(self), self.field))


def write_synthetic(directory: str | Path, nodes: int, relationships: int, seed: int = 1, *,
                    progress: Progress | None = None) -> tuple[int, int]:
    """Write a synthetic data folder (replacing ``directory``); returns (entities, relationships).

    Raises :class:`SynthError` (a ValueError) when ``relationships`` cannot fit between ``nodes`` entities, or are fewer
    than the entities that must be located somewhere (one LOCATED_IN tie each).
    ``progress(stage, done, total)`` counts the relationships placed (every
    :data:`ecograph.progress.EVERY`, 50,000), then the two files written.
    """
    report = progress or no_progress
    if nodes < len(KIND_WEIGHTS):
        raise SynthError(f"{nodes:,} entities are fewer than {len(KIND_WEIGHTS)} (one entity of each kind)", "nodes")
    if relationships > nodes * 50:
        raise SynthError(f"{relationships:,} relationships are more than 50 per entity ({nodes * 50:,} here)",
                         "relationships")
    rnd = random.Random(seed)
    total_weight = sum(KIND_WEIGHTS.values())
    counts = {k: max(1, round(nodes * w / total_weight)) for k, w in KIND_WEIGHTS.items()}
    counts["Company"] += nodes - sum(counts.values())
    by_kind: dict[str, list[str]] = {}
    entity_rows = []
    for kind, count in counts.items():
        ids = by_kind.setdefault(kind, [])
        prefix = kind.lower()
        for i in range(count):
            entity_id = f"syn-{prefix}-{i}"
            ids.append(entity_id)
            zh = "".join(rnd.choice(_ZH_SYLLABLES) for _ in range(2)) + str(i) + _ZH_SUFFIX[kind]
            entity_rows.append([entity_id, kind, f"Synthetic {kind} {i}", zh, "", rnd.choice(_REGIONS),
                                f"A synthetic {kind.lower()} (seed {seed})"])
    rel_rows = _locate(rnd, entity_rows, by_kind, seed)
    if relationships < len(rel_rows):
        raise SynthError(
            f"{relationships:,} relationships are fewer than the {len(rel_rows):,} needed here "
            "(one LOCATED_IN tie for each entity that is somewhere)", "relationships"
        )
    types = [t for t, w in TYPE_WEIGHTS.items() if w > 0 and t in schema.REL_TYPES]
    weights = [TYPE_WEIGHTS[t] for t in types]
    seen: set[tuple[str, str, str, str]] = {(s, t, p, "") for s, t, p, *_ in rel_rows}
    attempts = 0
    report(_PLACING, 0, relationships)
    every = progress_steps.EVERY
    next_report = every
    while len(rel_rows) < relationships:
        if len(rel_rows) >= next_report:
            report(_PLACING, len(rel_rows), relationships)
            next_report += every
        attempts += 1
        if attempts > relationships * 20:
            raise ValueError(f"could only place {len(rel_rows):,} distinct relationships; ask for fewer")
        rel_type = rnd.choices(types, weights)[0]
        rel = schema.REL_TYPES[rel_type]
        # One end a likely hub, the other mostly a leaf: heavy-tailed degrees, few repeated pairs.
        # Ownership runs from the hub: a group owns many firms, a firm has one or two owners.
        owned = rel_type in _OWNERSHIP
        hub_at_source = owned or rnd.random() < 0.5
        source = _pick(rnd, by_kind[rnd.choices(rel.sources, [counts[k] for k in rel.sources])[0]], hub_at_source)
        target = _pick(rnd, by_kind[rnd.choices(rel.targets, [counts[k] for k in rel.targets])[0]],
                       not owned and (not hub_at_source or rnd.random() < 0.2))
        if source == target:
            continue
        date = str(2000 + rnd.randrange(16)) if "date" in rel.properties else ""
        ends = tuple(sorted((source, target))) if rel.symmetric else (source, target)
        key = (ends[0], rel_type, ends[1], date)
        if key in seen:
            continue
        seen.add(key)
        stake = f"{rnd.uniform(0.01, 1):.4f}" if "stake" in rel.properties and rnd.random() < 0.7 else ""
        rel_rows.append((source, rel_type, target, stake, date, "Synthetic tie", f"synthetic seed {seed}"))
    report(_PLACING, len(rel_rows), relationships)
    report(_WRITING, 0, 2)
    with atomic_directory(directory) as tmp:
        (tmp / "entities").mkdir()
        (tmp / "relationships").mkdir()
        with open(tmp / "entities" / "synthetic.csv", "w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f, lineterminator="\n")
            writer.writerow(schema.columns(schema.ENTITY_FIELDS))
            writer.writerows(entity_rows)
        report(_WRITING, 1, 2)
        with open(tmp / "relationships" / "synthetic.csv", "w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f, lineterminator="\n")
            writer.writerow(["from", "type", "to", "stake", "date", "description", "source"])
            writer.writerows(rel_rows)
    report(_WRITING, 2, 2)
    return len(entity_rows), len(rel_rows)


_PLACING = "Placing relationships"
_WRITING = "Writing files"
