"""A data set's description of itself (dataset.toml): read, checked, used to cite sources."""

from __future__ import annotations

import pytest

import ecograph
from ecograph.data.dataset import cite, read_description
from ecograph.errors import DataError
from ecograph.data.graphdata import shipped_data_dir


def test_the_shipped_report_describes_itself_and_every_section_it_cites():
    about = read_description(shipped_data_dir(), "graphdata")
    assert about.title == "China e-commerce alliance network"
    assert about.citation == "TIER 2015" and about.source["year"] == 2015
    assert about.source["title_zh"] == "中國大陸電子商務發展趨勢對臺商的啟示"
    G = ecograph.load()
    cited = {d["source"] for *_, d in G.edges(data=True)} | {o["source"] for o in G.graph["observations"]}
    assert sorted(c for c in cited if about.section(c) is None) == []  # every source cell has a title
    assert cite(about, "貳.四") == "§貳.四 Smart and cross-border logistics"
    assert cite(None, "Annual report 2016") == "Annual report 2016"


def test_section_titles_are_the_reports_own_headings():
    text = (shipped_data_dir().parent.parent / "shared" / "seed" / "000_93a12c7465cbf28a.txt")
    if not text.exists():
        pytest.skip("the seed report lives in ../shared beside the repository")
    report = "".join(text.read_text(encoding="utf-8").split())
    about = read_description(shipped_data_dir())
    for code, section in about.sections.items():
        if code not in ("卷首",):
            assert "".join(section.zh.split()) in report, code


def test_a_folder_without_a_description_has_none(tmp_path):
    assert read_description(tmp_path) is None


@pytest.mark.parametrize(("text", "message"), [
    ('title = "A"\nyear = 2024\n', "data/dataset.toml:2: 'year' is not a known key; expected one of title, title_zh, source, sections"),
    ('[source]\nyear = "2024"\n', "data/dataset.toml:2: source.year is '2024'; expected a whole number"),
    ('[sections]\n"2.1" = { en = "Cells", de = "Zellen" }\n', "data/dataset.toml:2: section '2.1': 'de' is not a known key; expected one of en, zh"),
    ('[sections]\n"2.1" = 3\n', "data/dataset.toml:2: section '2.1' is 3; expected { en = \"…\", zh = \"…\" }"),
    ('title = "unclosed\n', "data/dataset.toml:1: is not valid TOML"),
])
def test_a_bad_description_says_where_and_what_was_expected(tmp_path, monkeypatch, text, message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "dataset.toml").write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as e:
        read_description("data")
    assert str(e.value).startswith(message)
