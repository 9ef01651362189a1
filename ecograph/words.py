"""Numbers and ties as a person reads them: ``10.35 %``, ``0.8 trillion CNY``, and a tie as a
sentence with its source, ``Alibaba Group / 阿里巴巴 invested in Singapore Post / 新加坡郵政
(10.35 %). Source: 貳.四.``

Everything a person reads (the command line's text, the map, the slides) says numbers and ties
through here; JSON keeps the raw values.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ecograph.data import schema

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["percent", "number", "amount", "amount_zh", "property_value", "measured", "tie_words", "kind_words", "entity_name",
           "tie_facts", "tie_sentence"]

# Short scales, largest first, each used from a tenth of its size: 8e11 reads "0.8 trillion" as
# the report's 0.8 兆 does, 2.5e9 "2.5 billion". Chinese counts in 萬 (1e4), 億 (1e8), 兆 (1e12).
_SCALES = ((1e11, 1e12, "trillion"), (1e9, 1e9, "billion"), (1e6, 1e6, "million"))
_SCALES_ZH = ((1e12, "兆"), (1e8, "億"), (1e4, "萬"))


def percent(fraction: float) -> str:
    """A fraction as a percentage with up to four significant digits: 0.1035 → ``10.35 %``."""
    return f"{fraction * 100:.4g} %"


def number(value: float) -> str:
    """A count or amount with thousands separators and no trailing ``.0``: 12000 → ``12,000``."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.4g}" if abs(value) < 1000 else f"{value:,.0f}"


def amount(value: float, unit: str = "") -> str:
    """A large amount on a short scale: ``amount(8e11, "CNY")`` → ``0.8 trillion CNY``; below a
    million, with thousands separators."""
    for start, size, word in _SCALES:
        if abs(value) >= start:
            return f"{value / size:.4g} {word} {unit}".strip()
    return f"{number(value)} {unit}".strip()


def amount_zh(value: float, unit: str = "") -> str:
    """The same amount as a Chinese reader counts it: ``amount_zh(8e11, "CNY")`` → ``8,000 億 CNY``."""
    for size, word in _SCALES_ZH:
        if abs(value) >= size:
            return f"{number(round(value / size, 4))} {word} {unit}".strip()
    return f"{number(value)} {unit}".strip()


def entity_name(G: nx.MultiDiGraph, node: str) -> str:
    """``English / 中文`` (or the one there is, or the id)."""
    attrs = G.nodes[node] if node in G else {}
    en, zh = attrs.get("name_en") or "", attrs.get("name_zh") or ""
    if en and zh and en != zh:
        return f"{en} / {zh}"
    return en or zh or node


def property_value(name: str, value: Any, properties: dict[str, Any] | None = None) -> str:
    """One property of a tie as a person reads it: a stake as a percentage, an amount on a short
    scale in its currency, a count with separators; anything else as it is."""
    properties = properties or {}
    if value is None:
        return ""
    if name in ("stake", "max_stake") and isinstance(value, (int, float)):
        return percent(value)
    if name == "amount" and isinstance(value, (int, float)):
        return amount(value, properties.get("currency") or "")
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    return number(value)


def measured(value: float | None, unit: str) -> str:
    """A figure with its unit as a person reads it: a fraction as a percentage, money on a
    short scale, other units after the number: ``measured(0.942, "fraction")`` → ``94.2 %``."""
    if value is None:
        return ""
    if unit == "fraction":
        return percent(value)
    if unit in ("CNY", "USD"):
        return amount(value, unit)
    if unit == "rank":
        return f"no. {number(value)}"
    return f"{number(value)} {_UNIT_WORDS.get(unit, unit)}".strip()


# Units said in words after a number (the rest are written as the data writes them).
_UNIT_WORDS = {"count": "", "m2": "m²", "mu": "畝 (mu)"}


def tie_words(rel_type: str, model: schema.Model | None = None) -> str:
    """A relationship type as a reader says it: ``INVESTED_IN`` → ``invested in`` (the verb of
    ``model``, default the shipped one; a type the model does not know, in lower case)."""
    rel = (model or schema.SHIPPED).rel_types.get(rel_type)
    return rel.words if rel is not None else rel_type.lower().replace("_", " ")


def tie_facts(properties: dict[str, Any]) -> list[str]:
    """A tie's stated figures in words: ``["10.35 %", "2014"]``."""
    facts = []
    if properties.get("stake") is not None:
        facts.append(percent(properties["stake"]))
    if properties.get("max_stake") is not None:
        facts.append(f"at most {percent(properties['max_stake'])}")
    if properties.get("amount") is not None:
        facts.append(amount(properties["amount"], properties.get("currency") or ""))
    if properties.get("count") is not None:
        facts.append(f"{number(properties['count'])} {properties.get('count_unit') or ''}".strip())
    if properties.get("date"):
        facts.append(str(properties["date"]))
    return facts


def tie_sentence(G: nx.MultiDiGraph, tie: dict[str, Any]) -> str:
    """A tie (``from``, ``to``, ``type``, ``properties``, ``source``, ``cited``) as one sentence
    with its source, written out where the data set describes it (``TIER 2015 §貳.四 Smart and
    cross-border logistics``), and the study it cites, by name."""
    verb = tie_words(tie["type"], schema.model_of(G))
    facts = tie_facts(tie.get("properties") or {})
    text = f"{entity_name(G, tie['from'])} {verb} {entity_name(G, tie['to'])}"
    if facts:
        text += f" ({', '.join(facts)})"
    where = []
    if tie.get("source"):
        from ecograph.data.dataset import cite_in

        where.append(f"source: {cite_in(G, tie['source'])}")
    if tie.get("cited"):
        where.append(f"citing {entity_name(G, tie['cited'])}")
    if not where:
        return text + "."
    note = "; ".join(where)
    return f"{text}. {note[0].upper()}{note[1:]}."


def kind_words(kind: str) -> str:
    """An entity kind as a reader says it: ``PaymentService`` → ``Payment service``."""
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", kind).split(" ")
    return " ".join([words[0]] + [w.lower() for w in words[1:]]) if kind else ""
