"""Numbers and ties in words, as the command line, the map and the slides say them."""

from __future__ import annotations

import networkx as nx
import pytest

from ecograph.data import schema
from ecograph.words import amount, amount_zh, entity_name, number, percent, tie_facts, tie_sentence


@pytest.mark.parametrize(("value", "en", "zh"), [
    (8e11, "0.8 trillion CNY", "8,000 億 CNY"),  # 表二's 2012 market: the report's 0.8 兆
    (1.74e12, "1.74 trillion CNY", "1.74 兆 CNY"),
    (2.5e9, "2.5 billion CNY", "25 億 CNY"),
    (3e7, "30 million CNY", "3,000 萬 CNY"),
    (12000, "12,000 CNY", "1.2 萬 CNY"),
    (950.5, "950.5 CNY", "950.5 CNY"),
])
def test_amounts_on_a_short_scale(value, en, zh):
    assert (amount(value, "CNY"), amount_zh(value, "CNY")) == (en, zh)


def test_percent_and_number():
    assert (percent(0.1035), percent(0.942), percent(0.18)) == ("10.35 %", "94.2 %", "18 %")
    assert (number(1234567), number(10.0), number(2.25)) == ("1,234,567", "10", "2.25")


def test_every_type_reads_as_words():
    words = [r.words for r in schema.REL_TYPES.values()]
    assert all(w and w == w.lower() and "_" not in w for w in words)
    assert schema.REL_TYPES["INVESTED_IN"].words == "invested in"


def test_a_tie_as_a_sentence_with_its_source_and_the_study_by_name():
    G = nx.MultiDiGraph()
    G.add_node("a", name_en="Alibaba Group", name_zh="阿里巴巴")
    G.add_node("s", name_en="Singapore Post", name_zh="新加坡郵政")
    G.add_node("m", name_en="McKinsey Global Institute", name_zh="")
    tie = {"from": "a", "to": "s", "type": "INVESTED_IN", "properties": {"stake": 0.1035, "date": "2014"},
           "source": "貳.四", "cited": "m"}
    assert tie_sentence(G, tie) == ("Alibaba Group / 阿里巴巴 invested in Singapore Post / 新加坡郵政 "
                                    "(10.35 %, 2014). Source: 貳.四; citing McKinsey Global Institute.")
    assert tie_sentence(G, {**tie, "properties": {}, "source": "", "cited": None}) == (
        "Alibaba Group / 阿里巴巴 invested in Singapore Post / 新加坡郵政.")
    assert entity_name(G, "m") == "McKinsey Global Institute" and entity_name(G, "zz") == "zz"
    assert tie_facts({"amount": 8e11, "currency": "CNY", "count": 10, "count_unit": "products", "max_stake": 0.49}) == [
        "at most 49 %", "0.8 trillion CNY", "10 products"]
