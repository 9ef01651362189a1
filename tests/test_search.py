"""Entity lookup: case, width, spacing and Simplified/Traditional folding; ambiguity."""

from __future__ import annotations

import pytest

import ecograph
from ecograph.errors import AmbiguousEntityError, EntityNotFoundError
from ecograph.data.search import fold, resolve_entity, search_entities


@pytest.fixture(scope="module")
def G():
    return ecograph.load()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("alibaba", "alibaba"),
        ("ALIBABA GROUP", "alibaba"),
        ("阿里巴巴集團", "alibaba"),
        ("阿里巴巴集团", "alibaba"),
        ("阿里", "alibaba"),
        ("京东", "jd"),
        ("京東", "jd"),
        ("腾讯", "tencent"),
        ("Tencent", "tencent"),
        ("Singapore Post", "singapore-post"),
        ("新加坡邮政", "singapore-post"),
        ("Singapore", "singapore"),
        ("weibo", "sina-weibo"),
        ("１号店", "yihaodian"),
        ("ＰＣＨＯＭＥ全球购", "pchome-global"),
        ("FamilyMart", "familymart-china"),
        ("义乌购直通车", "yiwu-go-express"),
    ],
)
def test_resolve(G, text, expected):
    assert resolve_entity(G, text) == expected


def test_fold():
    assert fold("ＰＣＨＯＭＥ 全球購") == fold("pchome全球购") == "pchome全球购"


def test_search_orders_exact_before_prefix_before_substring(G):
    hits = search_entities(G, "阿里")
    assert [(h.id, h.how) for h in hits] == [
        ("alibaba", "exact"),
        ("alibaba-b2b", "prefix"),
        ("ali-small-micro-loan", "prefix"),
    ]


def test_search_finds_nothing(G):
    assert search_entities(G, "zzz-no-such") == []
    assert search_entities(G, "   ") == []


def test_ambiguous_name_lists_candidates(G):
    with pytest.raises(AmbiguousEntityError) as e:
        resolve_entity(G, "Yiwu G")
    assert [c["id"] for c in e.value.candidates] == ["yiwu-go", "yiwu-go-express"]
    assert str(e.value) == (
        "'Yiwu G' matches 2 entities; use one of these ids:\n"
        "  yiwu-go  (Platform) Yiwu Go / 義烏購\n"
        "  yiwu-go-express  (Platform) Yiwu Go Express / 義烏購直通車"
    )


def test_unknown_name_suggests(G):
    with pytest.raises(EntityNotFoundError) as e:
        resolve_entity(G, "alibabba")
    assert str(e.value) == (
        "no entity matches 'alibabba' (did you mean 'alibaba' or 'alibaba-b2b'?)"
    )


@pytest.mark.parametrize(("text", "found", "not_found"), [
    ("ICP", "icp-licence", "e-payment-act"),  # not "Electron-ic P-ayment": letters across two words
    ("nic pay", None, "e-payment-act"),
    ("payment inst", "e-payment-act", None),  # from the start of a word on, across words
    ("ronic", "e-payment-act", None),  # inside one word
    ("runner", "shoprunner", None),
    ("巴巴", "alibaba", None),  # every Chinese character starts a word
])
def test_parts_of_names_match_from_a_word_start_or_inside_one_word(G, text, found, not_found):
    ids = [m.id for m in search_entities(G, text)]
    if found:
        assert found in ids
    if not_found:
        assert not_found not in ids


def test_word_starts_of_many_names_are_each_names_own(G):
    # The map folds every name at once (#14); the answers must be word_starts' name by name,
    # whatever the names hold: Traditional Chinese, full-width forms, combining marks, the odd
    # spaces str.split knows, line breaks, punctuation between letters.
    import random

    from ecograph.data.search import word_starts, word_starts_many

    names = [name for n, a in G.nodes(data=True) for name in (n, a.get("name_en", ""), a.get("name_zh", ""),
                                                                *a.get("aliases", ()))]
    rng = random.Random(1)
    alphabet = "aZ9 -_.&\t\u3000騰訊臺灣ＰＣＨＯＭＥé\u0301ﬁßİ·，。（）\n\u00a0Ⅻ①\x1c\x1f"
    names += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12))) for _ in range(3_000)]
    for simplified in (True, False):
        assert word_starts_many(names, simplified) == [word_starts(n, simplified) for n in names]
