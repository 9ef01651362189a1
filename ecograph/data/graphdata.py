"""Read the ``graphdata/`` CSV files, check them against :mod:`ecograph.data.schema`, build the graph.

A data directory holds up to three folders of UTF-8 CSV files, one record per row, with the
header ``schema.columns(...)`` of its record type (any column order):

- ``entities/*.csv`` — entities, which become nodes;
- ``relationships/*.csv`` — relationships, which become typed, directed edges;
- ``tables/*.csv`` — observations (the report's figures), kept in ``G.graph["observations"]``.

:func:`read_graphdata` reads any number of directories as one data set, checks every record and
raises a single :class:`~ecograph.errors.DataError` listing every problem it found;
:func:`build_graph` turns the checked records into a :class:`networkx.MultiDiGraph`;
:func:`load` does both, starting from the data shipped with ecograph.

Example::

    G = load(["my-graphdata"])        # the shipped data plus the user's own files
    G.nodes["alibaba"]["name_zh"]
"""

from __future__ import annotations

import codecs
import csv
import datetime
import difflib
import io
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ecograph.data import schema
from ecograph.data.records import (
    ENTITIES,
    OBSERVATIONS,
    RECORD_TYPES,
    RELATIONSHIPS,
    Dataset,
    RecordType,
    Report,
    data_files,
    join_words,
    parse_list,
    record_types,
    shown_path,
    unlocated,
)
from ecograph.errors import DataError, Problem
from ecograph import progress as progress_steps
from ecograph.progress import Progress, no_progress

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["Dataset", "shipped_data_dir", "read_graphdata", "build_graph", "load", "data_dirs", "unlocated"]


_SAVE_AS_UTF8 = 'save the file as "CSV UTF-8"'
_WIDE_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)
_OTHER_DELIMITERS = ((";", "';'"), ("\t", "tabs"))

_GROUPED = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
_PERCENT = re.compile(r"^(.*?)\s*[%％]$")

_Entities = Mapping[str, dict[str, Any]]  # entity records by id

# Standard abbreviations of the control characters, for messages (unicodedata has no names
# for them).
_C0_NAMES = (
    "NUL SOH STX ETX EOT ENQ ACK BEL BS TAB LF VT FF CR SO SI "
    "DLE DC1 DC2 DC3 DC4 NAK SYN ETB CAN EM SUB ESC FS GS RS US"
).split()
_C1_NAMES = (
    "PAD HOP BPH NBH IND NEL SSA ESA HTS HTJ VTS PLD PLU RI SS2 SS3 "
    "DCS PU1 PU2 STS CCH MW SPA EPA SOS SGC SCI CSI ST OSC PM APC"
).split()
_CONTROL_NAMES = {
    **{chr(i): name for i, name in enumerate(_C0_NAMES)},
    "\x7f": "DEL",
    **{chr(0x80 + i): name for i, name in enumerate(_C1_NAMES)},
}


@dataclass
class _Row:
    """One data row: where it starts, its cells by column, and the values that parsed."""

    path: str
    line: int
    raw: dict[str, str]  # non-empty cells, stripped, by column name
    values: dict[str, Any] = field(default_factory=dict)  # typed values of the valid cells
    aligned: bool = True  # False when the row has more cells than the header has columns

    @property
    def origin(self) -> str:
        """Where the row starts, as ``path:line``."""
        return f"{self.path}:{self.line}"

    def record(self) -> dict[str, Any]:
        """The row as a dataset record: its typed values plus ``origin``."""
        return {**self.values, "origin": self.origin}


class _Invalid(ValueError):
    """A cell's value does not fit its field; the message says what was expected."""


# --- public API ----------------------------------------------------------------------------------


def shipped_data_dir() -> Path:
    """The ``graphdata`` directory shipped with ecograph (installed copy, else the checkout's)."""
    from ecograph.data import shipped_folder

    return shipped_folder("graphdata")


def read_graphdata(dirs: Sequence[str | Path], *, progress: Progress | None = None) -> Dataset:
    """Read and check the CSV files of ``dirs`` as one data set; never writes anything.

    Entities of every directory are read before any reference is checked, so a later directory
    may add relationships between entities of an earlier one. Raises :class:`DataError` listing
    every problem found in every file.

    Plain files (the common case) are checked a column at a time by :mod:`ecograph.data.columnar`;
    anything else, and every problem, goes through the row-by-row reader, which explains it.
    ``progress(stage, done, total)`` counts the bytes of CSV checked, a reader's pass at a time.
    """
    descriptions = read_descriptions(dirs)
    model = read_model(dirs)
    size = _csv_bytes(dirs)
    report = progress or no_progress
    report(_CHECKING, 0, size)
    dataset = None
    if size >= COLUMNAR_FROM_BYTES:
        from ecograph.data import columnar

        dataset = columnar.read(dirs, model)
    if dataset is None:
        dataset = _read_rows(dirs, model)
    report(_CHECKING, size, size)
    dataset.descriptions = descriptions
    dataset.model = model
    return dataset


def read_model(dirs: Sequence[str | Path]) -> schema.Model:
    """The vocabulary of data folders: the shipped one with each folder's ``schema.toml``
    (:mod:`ecograph.data.schemafile`) merged in, in order. A bad declaration raises
    :class:`DataError` naming the file and line."""
    from ecograph.data.schemafile import read_model as merged

    shipped = shipped_data_dir().resolve()
    return merged([(d, shown_path(Path(d), shipped)) for d in dirs])


def read_descriptions(dirs: Sequence[str | Path]) -> dict[str, dict[str, Any]]:
    """Each data directory's description of itself (its ``dataset.toml``), keyed by the name its
    files' origins start with; folders without one are left out. A bad description raises
    :class:`DataError` naming the file and line, like a bad row."""
    from ecograph.data.dataset import read_description

    shipped = shipped_data_dir().resolve()
    found = {}
    for d in dirs:
        label = shown_path(Path(d), shipped)
        description = read_description(d, label)
        if description is not None:
            found[label] = description.as_dict()
    return found


_CHECKING = "Checking the data"


# From this much CSV on, read_graphdata tries the columnar path first (below it, importing Arrow
# costs more than it saves).
COLUMNAR_FROM_BYTES = 1_000_000


def _csv_bytes(dirs: Sequence[str | Path]) -> int:
    """The size of the data directories' CSV files."""
    total = 0
    for d in dirs:
        for rtype in RECORD_TYPES:
            for path in Path(d, rtype.folder).glob("*.csv"):
                try:
                    total += path.stat().st_size
                except OSError:
                    pass  # the reader reports it
    return total


def _read_rows(dirs: Sequence[str | Path], model: schema.Model = schema.SHIPPED) -> Dataset:
    """:func:`read_graphdata`, row by row: slower, and the one that words every problem."""
    report = Report()
    shipped = shipped_data_dir().resolve()
    types = record_types(model)
    rows: dict[str, list[_Row]] = {t.folder: [] for t in types}
    for d in dirs:
        for rtype, path, shown in data_files(Path(d), shipped, report, types):
            rows[rtype.folder].extend(_read_file(path, shown, rtype, report))
    dataset = Dataset(dirs=[Path(d) for d in dirs], model=model)
    _add_entities(rows[ENTITIES.folder], dataset.entities, report)
    _check_relationships(rows[RELATIONSHIPS.folder], types[1], dataset.entities, report)
    _check_locations(rows[ENTITIES.folder], rows[RELATIONSHIPS.folder], dataset.entities, report, model)
    _check_references(rows[OBSERVATIONS.folder], types[2], dataset.entities, report)
    report.raise_if_any()
    dataset.relationships = [row.record() for row in rows[RELATIONSHIPS.folder]]
    dataset.observations = [row.record() for row in rows[OBSERVATIONS.folder]]
    return dataset


def build_graph(dataset: Dataset, *, progress: Progress | None = None) -> nx.MultiDiGraph:
    """Build the graph of a checked data set: entities as nodes, relationships as edges.

    Node key is the entity id; edges get keys 0, 1, … per pair of ends, as networkx gives them,
    and a ``type`` attribute. The observations and the data directories are kept in ``G.graph``.
    ``progress(stage, done, total)`` counts the relationships added, every :data:`ecograph.progress.EVERY` (50,000).
    """
    import networkx as nx

    from ecograph.data.bulk import gc_paused

    G = nx.MultiDiGraph()
    with gc_paused():
        # networkx's adjacency (dicts of successors and predecessors sharing one dict of keyed
        # edges per pair), filled directly: add_edges_from spends 7 s of a 1M-tie load on
        # per-edge checks the validator has already made. networkx resets its views when these
        # are assigned; a test holds the result to add_edges_from's.
        fields = dataset.model.entity_fields
        nodes = {entity_id: _node_attrs(entity, fields) for entity_id, entity in dataset.entities.items()}
        succ: dict[str, dict[str, dict[int, dict[str, Any]]]] = {node: {} for node in nodes}
        pred: dict[str, dict[str, dict[int, dict[str, Any]]]] = {node: {} for node in nodes}
        own_id = {node: node for node in nodes}  # so each edge keeps the node's id string, not a copy
        total = dataset.relationship_count
        if progress is not None:
            progress(_BUILDING, 0, total)
        every = progress_steps.EVERY
        for i, (u, v, attrs) in enumerate(_edges(dataset), 1):
            if progress is not None and i % every == 0:
                progress(_BUILDING, i, total)
            u, v = own_id[u], own_id[v]
            keyed = succ[u].get(v)
            if keyed is None:
                succ[u][v] = pred[v][u] = {0: attrs}
            else:
                key = len(keyed)
                while key in keyed:
                    key += 1
                keyed[key] = attrs
        G._node, G._adj, G._pred = nodes, succ, pred
    if progress is not None:
        progress(_BUILDING, total, total)
    G.graph["observations"] = [dict(obs) for obs in dataset.observations]
    G.graph["data_dirs"] = [str(d) for d in dataset.dirs]
    G.graph["datasets"] = dict(dataset.descriptions)
    if not dataset.model.is_shipped:
        G.graph["model"] = dataset.model
    return G


_BUILDING = "Building the graph"


def _edges(dataset: Dataset) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(from, to, edge attributes) of every relationship: from the Arrow columns when the records
    were never made (saves making a million records only to copy them)."""
    if dataset._relationships is None and dataset.relationship_table is not None:
        from ecograph.data import columnar

        return columnar.edges(dataset.relationship_table, dataset.model)
    return ((rel["from"], rel["to"], _edge_attrs(rel)) for rel in dataset.relationships)


def load(data: Sequence[str | Path] = (), *, include_shipped: bool = True) -> nx.MultiDiGraph:
    """Read, check and build the graph of the shipped data plus the directories in ``data``.

    The extra directories extend the shipped data (new entities, relationships between shipped
    entities); with ``include_shipped=False`` they replace it. Example::

        G = load(["my-graphdata"])
    """
    return build_graph(read_graphdata(data_dirs(data, include_shipped=include_shipped)))


def data_dirs(data: Sequence[str | Path] = (), *, include_shipped: bool = True) -> list[Path]:
    """The data directories :func:`load` reads, in order: the shipped one (unless left out),
    then ``data``, without repeats."""
    if isinstance(data, (str, Path)):
        data = [data]
    dirs = ([shipped_data_dir()] if include_shipped else []) + [Path(d) for d in data]
    return _distinct(dirs)


# --- finding and reading files -------------------------------------------------------------------


def _distinct(dirs: Iterable[Path]) -> list[Path]:
    """The directories without repeats (the shipped directory passed again, say)."""
    seen: set[Path] = set()
    unique = []
    for d in dirs:
        try:
            real = d.resolve()
        except (OSError, RuntimeError) as e:  # a symlink loop: RuntimeError up to 3.12, OSError after
            raise DataError([Problem(str(d), None, None, "a symbolic link loop (the link points back to itself); "
                                     "point it at a data folder")]) from e
        if real not in seen:
            seen.add(real)
            unique.append(d)
    return unique


def _read_file(path: Path, shown: str, rtype: RecordType, report: Report) -> list[_Row]:
    """Read and check one CSV file's rows, field by field."""
    report.file(shown)
    try:
        data = path.read_bytes()
    except OSError as e:
        report.add(shown, None, None, f"cannot be read: {e.strerror}")
        return []
    text = _decode(data, shown, report)
    if text is None:
        return []
    records, complete = _csv_records(text, shown, report)
    if not any(any(c.strip() for c in cells) for _, cells in records):
        if complete:
            report.add(shown, None, None, f"file is empty; expected the header {_header(rtype)}")
        return []
    columns = _read_header(records[0][1], shown, rtype, report)
    if columns is None:
        return []
    width = len(records[0][1])
    rows = (_read_row(line, cells, columns, width, shown, rtype, report) for line, cells in records[1:])
    return [row for row in rows if row is not None]


def _decode(data: bytes, shown: str, report: Report) -> str | None:
    """The file's text, or None after reporting why it is not UTF-8."""
    for bom, name in _WIDE_BOMS:
        if data.startswith(bom):
            report.add(shown, 1, None, f'file is {name} (byte-order mark found); save it as "CSV UTF-8"')
            return None
    data = data.removeprefix(codecs.BOM_UTF8)  # Excel's "CSV UTF-8" starts with one
    nul = data.find(b"\0")
    if nul >= 0:  # the sign of UTF-16 without a byte-order mark
        report.add(shown, data.count(b"\n", 0, nul) + 1, None, f"contains NUL bytes; {_SAVE_AS_UTF8}")
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        report.add(shown, line, None, f"not valid UTF-8 (byte 0x{data[e.start]:02X}); {_SAVE_AS_UTF8}")
        return None


def _csv_records(text: str, shown: str, report: Report) -> tuple[list[tuple[int, list[str]]], bool]:
    """The records of a CSV text with the line each starts on, and whether all could be read."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[tuple[int, list[str]]] = []
    end = 0
    try:
        for cells in reader:
            records.append((end + 1, cells))
            end = reader.line_num
    except csv.Error as e:
        report.add(shown, end + 1, None, _csv_error_message(e))
        return records, False
    return records, True


def _csv_error_message(error: csv.Error) -> str:
    """A message for a CSV syntax error that says how to fix it."""
    text = str(error)
    if "unexpected end of data" in text:
        return "a quoted value is never closed; a '\"' is missing from here on"
    if "expected after" in text:
        return (
            "text follows the closing '\"' of a quoted value; "
            "write a '\"' inside a quoted value as '\"\"'"
        )
    return f"cannot be read as CSV: {text}"


def _header(rtype: RecordType) -> str:
    """The expected header of a record type, as a CSV line."""
    return ",".join(schema.columns(rtype.fields))


def _read_header(
    header: list[str], shown: str, rtype: RecordType, report: Report
) -> dict[str, int] | None:
    """Map each known column to its index, reporting bad columns; None if unusable."""
    names = [cell.strip() for cell in header]
    if not any(names):
        report.add(shown, 1, None, f"header row is empty; expected {_header(rtype)}")
        return None
    if len(names) == 1:
        for delimiter, label in _OTHER_DELIMITERS:
            if delimiter in names[0]:
                report.add(shown, 1, None, f"header is separated by {label}, expected ','")
                return None
    expected = schema.columns(rtype.fields)
    columns: dict[str, int] = {}
    for i, name in enumerate(names):
        if name in columns:
            where = f"columns {columns[name] + 1} and {i + 1}"
            report.add(shown, 1, name, f"duplicate column '{name}' ({where})")
        elif name in expected:
            columns[name] = i
        else:
            report.add(shown, 1, name or None, _unknown_column(name, i, rtype, expected))
    for f in rtype.fields:
        if f.required and not f.derived and f.name not in columns:
            report.add(shown, 1, f.name, f"missing required column '{f.name}'")
    return columns


def _unknown_column(name: str, index: int, rtype: RecordType, expected: list[str]) -> str:
    """The message for a header cell that is not a column of the record type."""
    if not name:
        return f"column {index + 1} has no name; name it or delete the column"
    if any(f.derived and f.name == name for f in rtype.fields):
        return f"column '{name}' is computed by the loader; delete the column"
    hint = _did_you_mean(name, expected) or f"; expected columns: {', '.join(expected)}"
    return f"unknown column '{name}'{hint}"


def _read_row(
    line: int,
    cells: list[str],
    columns: Mapping[str, int],
    width: int,
    shown: str,
    rtype: RecordType,
    report: Report,
) -> _Row | None:
    """Parse and check one data row; None for a blank row."""
    values = [cell.strip() for cell in cells]
    if not any(values):
        return None
    raw = {name: values[i] for name, i in columns.items() if i < len(values) and values[i]}
    row = _Row(shown, line, raw)
    if len(cells) > width:
        report.row(
            row,
            None,
            f"row has {len(cells)} cells but the header has {width} columns; "
            "put values that contain ',' in double quotes",
        )
        # The cells are shifted, so their own problems would only be noise.
        row.aligned = False
    _parse_fields(row, columns, rtype, report if row.aligned else Report())
    return row


# --- checking one row ----------------------------------------------------------------------------


def _parse_fields(row: _Row, columns: Mapping[str, int], rtype: RecordType, report: Report) -> None:
    """Type each cell of the row by its field's schema type, then check the cross-field rules."""
    parsers = _parsers(rtype.model)
    for f in rtype.fields:
        if f.derived:
            continue
        text = row.raw.get(f.name)
        if text is None:
            if f.required and f.name in columns:  # a missing column is reported once, in the header
                report.row(row, f.name, f"{f.name} is missing; required for {rtype.noun}")
            continue
        forbidden = _forbidden_character(text, f)
        if forbidden is not None:
            report.row(row, f.name, forbidden)
            continue  # unparsed, so no second message quotes the same cell
        try:
            row.values[f.name] = parsers[f.type](text)
        except _Invalid as e:
            report.row(row, f.name, f"{f.name} '{text}' {e}")
    skip: set[str] = set()
    if rtype.folder == RELATIONSHIPS.folder:
        skip = _check_properties(row, rtype.model, report)
    elif rtype.folder == OBSERVATIONS.folder:
        _check_value_or_text(row, report)
    _check_pairs(row, rtype, skip, report)


def _forbidden_character(text: str, f: schema.Field) -> str | None:
    """The message for the first character of a cell its field may not hold, or None."""
    for match in schema.FORBIDDEN_CHARACTERS.finditer(text):
        ch = match.group()
        if f.free_text and ch in schema.FREE_TEXT_CHARACTERS:
            continue
        code = f"U+{ord(ch):04X}"
        if ch not in _CONTROL_NAMES:
            return f"{f.name} contains {code}, which is not a character; remove it"
        found = f"{f.name} contains the control character {code} ({_CONTROL_NAMES[ch]})"
        if ch in "\n\r":
            return f"{found}; keep {f.name} on one line"
        if ch == "\t":
            return f"{found}; write a space instead"
        return f"{found}; remove it"
    return None


def _check_properties(row: _Row, model: schema.Model, report: Report) -> set[str]:
    """Report optional properties the relationship's type does not take; return their names."""
    rel = model.rel_types.get(row.values.get("type", ""))
    if rel is None:
        return set()
    takes = "which takes no optional properties"
    if rel.properties:
        takes = f"which takes only {join_words(rel.properties, 'and')}"
    misplaced = set()
    optional = model.optional_properties
    for f in model.relationship_fields:
        if f.name in optional and f.name in row.raw and f.name not in rel.properties:
            message = f"{f.name} '{row.raw[f.name]}' does not apply to {rel.name}, {takes}"
            report.row(row, f.name, message)
            misplaced.add(f.name)
    return misplaced


def _check_value_or_text(row: _Row, report: Report) -> None:
    """An observation has exactly one of value and text."""
    value, text = row.raw.get("value"), row.raw.get("text")
    if value is not None and text is not None:
        report.row(row, "text", f"value '{value}' and text '{text}' are both set; set only one of them")
    elif value is None and text is None:
        report.row(row, "value", "value and text are both empty; set one of them")


def _check_pairs(row: _Row, rtype: RecordType, skip: set[str], report: Report) -> None:
    """Fields that go together (amount and currency, ...) are set together or not at all."""
    for a, b in rtype.pairs:
        if a in skip or b in skip:
            continue
        for this, other in ((a, b), (b, a)):
            if this in row.raw and other not in row.raw:
                message = f"{this} '{row.raw[this]}' is set but {other} is empty; set both or neither"
                report.row(row, other, message)


# --- checks across rows and files ----------------------------------------------------------------


def _add_entities(rows: list[_Row], entities: dict[str, dict[str, Any]], report: Report) -> None:
    """Collect the entities by id, reporting ids defined twice."""
    for row in rows:
        entity_id = row.raw.get("id")
        if entity_id is None:
            continue
        first = entities.get(entity_id)
        if first is None:
            entities[entity_id] = row.record()
        elif row.aligned:
            report.row(row, "id", f"id '{entity_id}' is already defined at {first['origin']}")


def _check_relationships(rows: list[_Row], rtype: RecordType, entities: _Entities, report: Report) -> None:
    """Check the relationships' references, endpoint kinds and duplicates."""
    _check_references(rows, rtype, entities, report)
    for row in rows:
        if row.aligned:
            _check_endpoints(row, rtype.model, entities, report)
    _check_duplicates(rows, rtype.model, report)


def _check_references(
    rows: list[_Row], rtype: RecordType, entities: _Entities, report: Report
) -> None:
    """Every ``ref`` cell names a known entity; ``cited`` names a citable one."""
    refs = [f.name for f in rtype.fields if f.type == "ref"]
    for row in rows:
        if not row.aligned:
            continue
        for name in refs:
            if name in row.values:  # not a cell already reported for a control character
                _check_reference(row, name, entities, report, rtype.model.citable_kinds)


def _check_reference(row: _Row, name: str, entities: _Entities, report: Report,
                     citable: Sequence[str] = schema.CITABLE_KINDS) -> None:
    """Check one reference cell."""
    value = row.raw[name]
    entity = entities.get(value)
    if entity is None:
        hint = _did_you_mean(value, entities) or "; define it in an entities/ file"
        report.row(row, name, f"{name} '{value}' is not a known entity{hint}")
        return
    kind = entity.get("kind")
    if name == "cited" and kind is not None and kind not in citable:
        must = f"cited must be a {join_words(citable)}" if citable else "no kind is citable"
        report.row(row, name, f"cited '{value}' ({kind}) cannot be cited; {must}")


def _check_endpoints(row: _Row, model: schema.Model, entities: _Entities, report: Report) -> None:
    """The kinds at both ends are ones the relationship type allows."""
    rel = model.rel_types.get(row.values.get("type", ""))
    if rel is None:
        return
    for name, verb, allowed in (("from", "start at", rel.sources), ("to", "end at", rel.targets)):
        value = row.raw.get(name, "")
        kind = entities.get(value, {}).get("kind")
        if kind is not None and kind not in allowed:
            report.row(
                row,
                name,
                f"{rel.name} cannot {verb} '{value}' ({kind}); "
                f"{rel.name} goes from {join_words(rel.sources)} to {join_words(rel.targets)}",
            )


def _check_duplicates(rows: list[_Row], model: schema.Model, report: Report) -> None:
    """No (from, type, to, date) twice; for symmetric types, in either direction."""
    seen: dict[tuple[Any, ...], _Row] = {}
    for row in rows:
        key = _relationship_key(row, model)
        if key is None:
            continue
        first = seen.setdefault(key, row)
        if first is not row:
            report.row(row, None, _duplicate_message(row, first))


def _relationship_key(row: _Row, model: schema.Model) -> tuple[Any, ...] | None:
    """What makes a relationship unique, or None if the row is too broken to tell."""
    v = row.values
    if not row.aligned or not all(k in v for k in ("from", "type", "to")):
        return None
    if "date" in row.raw and "date" not in v:  # an invalid date cannot be compared
        return None
    ends = (v["from"], v["to"])
    if model.rel_types[v["type"]].symmetric:
        ends = tuple(sorted(ends))
    return (ends, v["type"], v.get("date"))


def _duplicate_message(row: _Row, first: _Row) -> str:
    """The message for a relationship stated twice."""
    v, f = row.values, first.values
    dated = f" dated {v['date']}" if "date" in v else ""
    message = f"relationship {v['from']} {v['type']} {v['to']}{dated} is already defined at {first.origin}"
    if (f["from"], f["to"]) != (v["from"], v["to"]):
        message += f" as {f['from']} {f['type']} {f['to']} ({v['type']} is symmetric)"
    return message


def _check_locations(entity_rows: list[_Row], rel_rows: list[_Row], entities: _Entities, report: Report,
                     model: schema.Model = schema.SHIPPED) -> None:
    """Every entity that is somewhere has the LOCATED_IN tie its country states, and every
    LOCATED_IN tie joins two entities of the same country."""
    ties = []
    for row in rel_rows:
        v = row.values
        if not row.aligned or v.get("type") != "LOCATED_IN" or "from" not in v or "to" not in v:
            continue
        source, place = entities.get(v["from"]), entities.get(v["to"])
        if source is None or place is None:
            continue  # reported as an unknown entity
        ties.append((v["from"], v["to"]))
        stated, actual = source.get("country"), place.get("country")
        if stated is not None and actual is not None and stated != actual:
            report.row(
                row,
                "to",
                f"to '{v['to']}' is in {actual}, but the country of {v['from']} is '{stated}' "
                f"({source['origin']}); tie it to a place in {stated} or correct its country",
            )
    missing = unlocated(
        ((entity_id, e.get("kind"), e.get("country")) for entity_id, e in entities.items()), ties, model
    )
    # The Country entity a message names: the shipped one, else the first the data defines.
    country_of: dict[str, str] = {}
    for entity_id, e in entities.items():
        region = e.get("country")
        if e.get("kind") == "Country" and region in model.country_ids:
            if entity_id == model.country_ids[region] or region not in country_of:
                country_of[region] = entity_id
    for row in entity_rows:
        entity_id = row.values.get("id")
        if entity_id not in missing or entities[entity_id]["origin"] != row.origin:
            continue  # placed, or a second definition of the id (reported as such)
        region = row.values["country"]
        report.row(
            row,
            "country",
            f"country '{region}' has no LOCATED_IN tie to {country_of[region]} (or to a place in it); "
            "add one in relationships/",
        )


# --- cell parsers, one per schema field type -----------------------------------------------------


def _parse_id(text: str) -> str:
    """An entity id: lower-case ASCII words joined by '-'."""
    if schema.ID_PATTERN.match(text):
        return text
    example = _example(text, "-")
    raise _Invalid(f"is not a valid id; expected lower-case ASCII words joined by '-', such as {example}")


def _parse_metric(text: str) -> str:
    """A metric name in snake_case."""
    if schema.METRIC_PATTERN.match(text):
        return text
    example = _example(text, "_")
    raise _Invalid(f"is not snake_case; expected lower-case ASCII words joined by '_', such as {example}")


def _example(text: str, joiner: str) -> str:
    """The text made into a valid identifier, as an example, or a stock example."""
    candidate = re.sub(r"[^a-z0-9]+", joiner, text.lower()).strip(joiner)
    if candidate and candidate[0].isalpha():
        return f"'{candidate}'"
    return "'singapore-post'" if joiner == "-" else "'market_size'"


def _parse_number(text: str) -> float:
    """A plain decimal number."""
    if schema.NUMBER_PATTERN.match(text):
        return float(text)
    percent = _PERCENT.match(text)
    if percent and schema.NUMBER_PATTERN.match(percent.group(1)):
        hint = f"write {percent.group(1)} % as {_hundredth(percent.group(1))}"
    elif _GROUPED.match(text):
        hint = f"write it without separators: {text.replace(',', '')}"
    else:
        hint = "expected a plain number such as 3000000000 or 0.18"
    raise _Invalid(f"is not a number; {hint}")


def _parse_fraction(text: str) -> float:
    """A fraction between 0 and 1 (a stake)."""
    percent = _PERCENT.match(text)
    if percent and schema.NUMBER_PATTERN.match(percent.group(1)):
        number = percent.group(1)
        raise _Invalid(f"is not a fraction between 0 and 1; write {number} % as {_hundredth(number)}")
    if not schema.NUMBER_PATTERN.match(text):
        raise _Invalid("is not a fraction between 0 and 1; expected a number such as 0.1035 (10.35 %)")
    value = float(text)
    if 0 <= value <= 1:
        return value
    hint = f"; write {text} % as {_hundredth(text)}" if 1 < value <= 100 else ""
    raise _Invalid(f"is not a fraction between 0 and 1{hint}")


def _hundredth(number: str) -> str:
    """A percentage written as a fraction, exactly (10.35 → 0.1035)."""
    return format(Decimal(number) / 100, "f")


def _parse_int(text: str) -> int:
    """A whole number written in digits only."""
    if schema.INT_PATTERN.match(text):
        return int(text)
    plain = text.replace(",", "")
    if schema.NUMBER_PATTERN.match(plain):
        number = Decimal(plain)
        if number == number.to_integral_value():
            raise _Invalid(f"is not a whole number in digits only; write it as {int(number)}")
        raise _Invalid("is not a whole number")
    raise _Invalid("is not a whole number; expected digits only, such as 15 or 100000")


def _parse_date(text: str) -> str:
    """A date: YYYY, YYYY-MM or YYYY-MM-DD, and a real one."""
    if not schema.DATE_PATTERN.match(text):
        raise _Invalid("is not a date; expected YYYY, YYYY-MM or YYYY-MM-DD")
    return _real_date(text)


def _parse_period(text: str) -> str:
    """A period: YYYY, YYYY-MM, YYYY-MM-DD, a half year or a quarter."""
    if not schema.PERIOD_PATTERN.match(text):
        raise _Invalid(
            "is not a period; expected YYYY, YYYY-MM, YYYY-MM-DD, YYYY-H1, YYYY-H2 or YYYY-Q1 to YYYY-Q4"
        )
    return _real_date(text)


def _real_date(text: str) -> str:
    """The text, after checking that a full YYYY-MM-DD date exists in the calendar."""
    if len(text) == len("YYYY-MM-DD"):
        try:
            datetime.date.fromisoformat(text)
        except ValueError:
            raise _Invalid("is not a real calendar date") from None
    return text


def _one_of(what: str, choices: Iterable[str]) -> Callable[[str], str]:
    """A parser accepting exactly the given names (kinds, types, regions, …)."""
    options = list(choices)

    def parse(text: str) -> str:
        if text in options:
            return text
        hint = _did_you_mean(text, options) or f"; expected one of {', '.join(options)}"
        raise _Invalid(f"is not a known {what}{hint}")

    return parse


def _parsers(model: schema.Model) -> dict[str, Callable[[str], Any]]:
    """The cell parsers for a model: the shipped ones, or with its own vocabularies."""
    if model is schema.SHIPPED:
        return _PARSERS
    cached = _MODEL_PARSERS.get(id(model))
    if cached is None or cached[0] is not model:
        parsers = dict(_PARSERS)
        parsers.update({
            "kind": _one_of("kind", model.kinds),
            "reltype": _one_of("relationship type", model.rel_types),
            "region": _one_of("region", model.regions),
            "currency": _one_of("currency", model.currencies),
            "unit": _one_of("unit", model.units),
        })
        cached = _MODEL_PARSERS[id(model)] = (model, parsers)
    return cached[1]


_MODEL_PARSERS: dict[int, tuple[schema.Model, dict[str, Callable[[str], Any]]]] = {}


_PARSERS: dict[str, Callable[[str], Any]] = {
    "id": _parse_id,
    "text": str,
    "list": parse_list,
    "kind": _one_of("kind", schema.KINDS),
    "reltype": _one_of("relationship type", schema.REL_TYPES),
    "ref": str,  # checked against the entities once all are read
    "region": _one_of("region", schema.REGIONS),
    "fraction": _parse_fraction,
    "number": _parse_number,
    "int": _parse_int,
    "date": _parse_date,
    "period": _parse_period,
    "currency": _one_of("currency", schema.CURRENCIES),
    "unit": _one_of("unit", schema.UNITS),
    "basis": _one_of("basis", schema.BASES),
    "metric": _parse_metric,
}


# --- building the graph --------------------------------------------------------------------------

# How the loader computes each derived field of a relationship from its record.
DERIVED: dict[str, Callable[[Mapping[str, Any]], Any]] = {
    "year": lambda rel: int(rel["date"][:4]) if "date" in rel else None,
}
_NOT_EDGE_ATTRS = frozenset({"from", "to", "type", "origin"})


def _node_attrs(entity: Mapping[str, Any], fields: Sequence[schema.Field] = schema.ENTITY_FIELDS) -> dict[str, Any]:
    """Node attributes of an entity: its fields but the id, lists always present, and origin."""
    attrs: dict[str, Any] = {}
    for f in fields:
        if f.type == "id":
            continue
        if f.name in entity:
            value = entity[f.name]
            attrs[f.name] = list(value) if isinstance(value, list) else value
        elif f.type == "list":
            attrs[f.name] = []
    attrs["origin"] = entity["origin"]
    return attrs


def _edge_attrs(rel: Mapping[str, Any]) -> dict[str, Any]:
    """Edge attributes of a relationship: type, the fields set (in the record's order, which is
    the schema's), derived fields, origin."""
    attrs: dict[str, Any] = {"type": rel["type"]}
    for name, value in rel.items():
        if name in _NOT_EDGE_ATTRS:
            continue
        attrs[name] = value
        if name == "date":
            attrs["year"] = DERIVED["year"](rel)
    attrs["origin"] = rel["origin"]
    return attrs


# --- message helpers -----------------------------------------------------------------------------


def _did_you_mean(value: str, options: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest option, ignoring case; empty if none is close."""
    by_lower = {option.lower(): option for option in options}
    match = difflib.get_close_matches(value.lower(), list(by_lower), n=1, cutoff=0.6)
    return f" (did you mean '{by_lower[match[0]]}'?)" if match else ""
