"""The records of a data set and the folders they come from, shared by both readers.

:mod:`ecograph.data.graphdata` (row by row) and :mod:`ecograph.data.columnar` (whole columns)
read the same folders into the same :class:`Dataset`: this module holds what they share, so
neither reaches into the other. The record types and their folders (``entities/``,
``relationships/``, ``tables/``), the files of a data directory in reading order, the report
that collects every problem, and records made from Arrow columns.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ecograph.data import schema
from ecograph.data.bulk import gc_paused
from ecograph.errors import DataError, Problem

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = [
    "RecordType", "record_types", "ENTITIES", "RELATIONSHIPS", "OBSERVATIONS", "RECORD_TYPES", "PROPERTIES",
    "Dataset", "Report", "data_files", "shown_path", "parse_list", "escaped", "join_words",
    "from_table", "from_columns", "unlocated",
]


@dataclass(frozen=True)
class RecordType:
    """One kind of data file: its folder, its fields, and the rules that span fields."""

    folder: str
    fields: tuple[schema.Field, ...]
    noun: str  # "a relationship", for messages
    pairs: tuple[tuple[str, str], ...] = ()  # fields that are set together or not at all
    model: schema.Model = schema.SHIPPED  # the vocabulary the fields' values are checked against


def record_types(model: schema.Model) -> tuple[RecordType, RecordType, RecordType]:
    """The entity, relationship and observation record types of a model."""
    return (
        RecordType("entities", model.entity_fields, "an entity", model=model),
        RecordType("relationships", model.relationship_fields, "a relationship",
                   pairs=(("amount", "currency"), ("count", "count_unit")), model=model),
        RecordType("tables", model.observation_fields, "an observation", pairs=(("value", "unit"),), model=model),
    )


# The shipped vocabulary's record types.
ENTITIES, RELATIONSHIPS, OBSERVATIONS = RECORD_TYPES = record_types(schema.SHIPPED)

# Optional relationship properties of the shipped vocabulary: the fields some type lists in
# RelType.properties (a data folder's own: ``Model.optional_properties``). Every other
# relationship field (from, type, to, description, source, cited) applies to every type.
PROPERTIES = schema.SHIPPED.optional_properties

# What a message must not show raw: the forbidden characters, tabs and line breaks included.
_UNPRINTABLE = schema.FORBIDDEN_CHARACTERS


@dataclass
class Dataset:
    """The checked records of one or more data directories, values already typed.

    Each record is a dict of the fields that were set (empty cells are left out) plus
    ``origin``, the ``"path:line"`` of the row it came from. ``entities`` is keyed by id.

    When the columnar reader checked the data, ``relationship_table`` holds the relationships
    as Arrow columns (the fields, ``origin``, ``year`` and the kinds at both ends, ``from_kind``
    and ``to_kind``); the store copies them from there, and ``relationships`` is made from them
    on first use.
    """

    entities: dict[str, dict[str, Any]] = field(default_factory=dict)
    observations: list[dict[str, Any]] = field(default_factory=list)
    dirs: list[Path] = field(default_factory=list)
    relationship_table: Any = field(default=None, repr=False, compare=False)
    # Each directory's dataset.toml, by the name its origins start with (ecograph.data.dataset).
    descriptions: dict[str, dict[str, Any]] = field(default_factory=dict, compare=False)
    # The vocabulary the data was checked against: shipped, or merged with the folders' schema.toml.
    model: schema.Model = field(default=schema.SHIPPED, compare=False)
    _relationships: list[dict[str, Any]] | None = field(default=None, repr=False, compare=False)

    @property
    def relationships(self) -> list[dict[str, Any]]:
        """The relationship records, in file order."""
        if self._relationships is None:
            table = self.relationship_table
            self._relationships = [] if table is None else from_table(table, record_types(self.model)[1])
        return self._relationships

    @property
    def relationship_count(self) -> int:
        """How many relationships there are (without making their records)."""
        if self._relationships is None and self.relationship_table is not None:
            return self.relationship_table.num_rows
        return len(self.relationships)

    @relationships.setter
    def relationships(self, records: list[dict[str, Any]]) -> None:
        self._relationships = records


class Report:
    """Collects problems from every file, to raise them together in file order."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self._order: dict[str, int] = {}

    def file(self, path: str) -> None:
        """Note that ``path`` is read next, so its problems sort after earlier files'."""
        self._order.setdefault(path, len(self._order))

    def add(self, path: str, line: int | None, field_name: str | None, message: str) -> None:
        """Record one problem; control characters a message quotes from the data are escaped
        (``\\x1b``), so a message stays on one line and cannot drive the terminal."""
        self.file(path)
        message = _UNPRINTABLE.sub(lambda m: escaped(m.group()), message)
        self.problems.append(Problem(path, line, field_name, message))

    def row(self, row: Any, field_name: str | None, message: str) -> None:
        """Record one problem in a data row (anything with a ``path`` and a ``line``)."""
        self.add(row.path, row.line, field_name, message)

    def raise_if_any(self) -> None:
        """Raise one DataError with every problem, sorted by file then line."""
        if self.problems:
            ordered = sorted(self.problems, key=lambda p: (self._order[p.path], p.line or 0))
            raise DataError(ordered)


def shown_path(d: Path, shipped: Path, relative: Path | None = None) -> str:
    """How a path under data directory ``d`` is named in messages."""
    if d.resolve() == shipped:
        base = Path(shipped.name)
        return (base / relative if relative else base).as_posix()
    return str(d / relative if relative else d)


def data_files(d: Path, shipped: Path, report: Report, types: Sequence[RecordType] = RECORD_TYPES
               ) -> Iterator[tuple[RecordType, Path, str]]:
    """The CSV files of data directory ``d``, folder by folder (those of ``types``), sorted by name."""
    shown = shown_path(d, shipped)
    if not d.is_dir():
        report.add(shown, None, None, "is not a directory" if d.exists() else "directory not found")
        return
    folders = [t for t in types if (d / t.folder).is_dir()]
    if not folders:
        expected = join_words([f"{t.folder}/" for t in types])
        report.add(shown, None, None, f"no {expected} folder; expected a graphdata directory")
        return
    for rtype in folders:
        for path in sorted((d / rtype.folder).glob("*.csv")):
            if path.is_file():
                yield rtype, path, shown_path(d, shipped, Path(rtype.folder, path.name))


def parse_list(text: str) -> list[str]:
    """A list of items separated by ``schema.LIST_SEPARATOR``, each stripped."""
    return [item.strip() for item in text.split(schema.LIST_SEPARATOR) if item.strip()]


def escaped(ch: str) -> str:
    """A character as Python writes it in a string literal: ``\\x1b``, ``\\n``, ``\\uffff``."""
    return repr(ch)[1:-1]


def join_words(words: Iterable[str], last: str = "or") -> str:
    """``a, b or c``."""
    items = list(words)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {last} {items[-1]}"


def from_table(table: pa.Table, rtype: RecordType) -> list[dict[str, Any]]:
    """The rows of a columnar table as dataset records: the set fields in schema order, then
    ``origin``."""
    with gc_paused():
        return from_columns({name: table[name] for name in table.column_names}, rtype)


def from_columns(columns: dict[str, pa.ChunkedArray], rtype: RecordType) -> list[dict[str, Any]]:
    """Arrow columns (by field name, with ``origin``) as dataset records, lists split."""
    names = [f.name for f in rtype.fields if not f.derived and columns[f.name].null_count < len(columns[f.name])]
    names.append("origin")
    values = [columns[name].to_pylist() for name in names]
    for f in rtype.fields:
        if f.type == "list" and f.name in names:
            i = names.index(f.name)
            values[i] = [None if text is None else parse_list(text) for text in values[i]]
    return [{k: v for k, v in zip(names, row) if v is not None} for row in zip(*values)]


def unlocated(entities: Iterable[tuple[str, str, str]], located_in: Iterable[tuple[str, str]],
              model: schema.Model = schema.SHIPPED) -> set[str]:
    """The ids of the entities that must be somewhere and are not (the rule is in
    :data:`ecograph.data.schema.COUNTRY_IDS`).

    ``entities`` are (id, kind, country), ``located_in`` the (from, to) of every LOCATED_IN tie.
    An entity of ``model.located_kinds`` whose country is one of ``model.country_ids``, when
    the data holds a Country entity of that country, must reach one through LOCATED_IN ties,
    each joining two entities of that country. One walk back from the countries,
    O(entities + ties); the columnar reader walks the same way a level at a time.
    """
    country: dict[str, str] = {}
    needs: list[str] = []
    countries: list[str] = []
    for entity_id, kind, region in entities:
        country[entity_id] = region
        if kind == "Country":
            countries.append(entity_id)
        elif kind in model.located_kinds and region in model.country_ids:
            needs.append(entity_id)
    defined = {country[c] for c in countries}
    needs = [entity_id for entity_id in needs if country[entity_id] in defined]
    if not needs:
        return set()
    inside: dict[str, list[str]] = {}
    for source, place in located_in:
        inside.setdefault(place, []).append(source)
    placed = set(countries)
    stack = list(countries)
    while stack:
        place = stack.pop()
        for source in inside.get(place, ()):
            # Only through places of the same country: a chain that changes country is reported
            # at the tie that changes it, and does not place what lies behind it.
            if source not in placed and country.get(source) == country[place]:
                placed.add(source)
                stack.append(source)
    return {entity_id for entity_id in needs if entity_id not in placed}
