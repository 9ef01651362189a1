"""The schema is self-consistent and its Markdown rendering is the committed SCHEMA.md."""

from __future__ import annotations

from ecograph.data.graphdata import shipped_data_dir
from ecograph.data.schema import (
    CITABLE_KINDS, ENTITY_FIELDS, KINDS, OBSERVATION_FIELDS, REL_TYPES, RELATIONSHIP_FIELDS, data_model_markdown,
)


def test_schema_md_is_generated_from_the_schema():
    committed = (shipped_data_dir() / "SCHEMA.md").read_text(encoding="utf-8")
    assert committed == data_model_markdown(), "run: python cli.py schema > graphdata/SCHEMA.md"


def test_relationship_types_name_only_known_kinds_and_properties():
    property_names = {f.name for f in RELATIONSHIP_FIELDS}
    for r in REL_TYPES.values():
        assert set(r.sources) <= set(KINDS), r.name
        assert set(r.targets) <= set(KINDS), r.name
        assert set(r.properties) <= property_names, r.name
    assert set(CITABLE_KINDS) <= set(KINDS)


def test_required_relationship_types_exist():
    assert {"INVESTED_IN", "OWNS", "PARTNERS_WITH", "DELIVERS_FOR", "PROCESSES_PAYMENTS_FOR", "SELLS_ON",
            "CO_DEVELOPS", "LENDS_TO", "PILOT_CITY_OF", "ISSUED_BY", "LOCATED_IN"} <= set(REL_TYPES)


def test_every_field_is_documented():
    doc = data_model_markdown()
    for f in ENTITY_FIELDS + RELATIONSHIP_FIELDS + OBSERVATION_FIELDS:
        assert f"`{f.name}`" in doc
    for name in list(KINDS) + list(REL_TYPES):
        assert f"`{name}`" in doc
