"""The fast path of :func:`ecograph.data.graphdata.read_graphdata`: whole columns checked with Arrow.

Checking a million relationships row by row in Python takes half a minute; reading them with
Arrow's CSV reader and checking each column with its compute kernels takes about a second.
This path only ever *accepts*: :func:`read` returns the checked :class:`~ecograph.data.records.Dataset`
when every file is plain (UTF-8, one record per line, cells without surrounding spaces, a known
header, no control characters but tabs in free text) and every check passes, and ``None``
otherwise.
On ``None`` the row-by-row reader runs and writes its ``path:line: field: …`` messages, so a
problem is always described by one piece of code, and this path can be stricter than the rules
but never looser.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ecograph.data import records, schema, shipped_folder
from ecograph.data.bulk import gc_paused

if TYPE_CHECKING:
    import pyarrow as pa

    from ecograph.data.records import Dataset

__all__ = ["read"]


class _Fallback(Exception):
    """The data is not plain enough, or not valid: let the row-by-row reader say why."""


# Every character Python's str.strip() removes (str.isspace(); a test holds this to it): a cell
# starting or ending with one is stripped by the row-by-row reader, so it is left to it.
SPACES = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
# A line holding a quote must be strict CSV with each quoted value closed on the same line.
_STRICT_LINE = re.compile(rb'(?:[^",\r\n]*|"(?:[^"\r\n]|"")*")(?:,(?:[^",\r\n]*|"(?:[^"\r\n]|"")*"))*\r?')
_QUOTED_LINE = re.compile(rb'[^\n]*"[^\n]*')
# Characters no field may hold (schema.FORBIDDEN_CHARACTERS) are looked for in a file's bytes,
# whatever the column, and send the file to the row-by-row reader. Tabs and line ends are let
# through, as free-text fields may hold them: a line break inside a value goes to the row reader
# anyway (line numbers), and a tab is looked for in the other columns when the file holds one.
# Ordinary bytes: all but the other C0 controls and DEL (bytes.translate finds one of those in
# 0.07 s per 100 MB).
_ORDINARY_BYTES = b"\t\n\r" + bytes(range(0x20, 0x7F)) + bytes(range(0x80, 0x100))
# The C1 controls and U+FFFE/U+FFFF in UTF-8: one search each, as re finds a pattern with a
# literal prefix at memory speed (0.1 s for 100 MB) but a choice of prefixes 20 times slower.
_C1_BYTES = re.compile(rb"\xc2[\x80-\x9f]")
_NONCHARACTER_BYTES = re.compile(rb"\xef\xbf[\xbe\xbf]")

_CHOICES = {
    "kind": schema.KINDS, "reltype": schema.REL_TYPES, "region": schema.REGIONS,
    "currency": schema.CURRENCIES, "unit": schema.UNITS, "basis": schema.BASES,
}
_PATTERNS = {
    "id": schema.ID_PATTERN.pattern, "metric": schema.METRIC_PATTERN.pattern,
    "date": schema.DATE_PATTERN.pattern, "period": schema.PERIOD_PATTERN.pattern,
    "number": schema.NUMBER_PATTERN.pattern, "fraction": schema.NUMBER_PATTERN.pattern,
    "int": schema.INT_PATTERN.pattern,
}


def read(dirs: Sequence[str | Path], model: schema.Model = schema.SHIPPED) -> Dataset | None:
    """The checked data set of ``dirs`` in the vocabulary of ``model``, or None when the
    row-by-row reader must decide."""
    try:
        with gc_paused():
            return _read(dirs, model)
    except _Fallback:
        return None


def _choices(model: schema.Model) -> dict[str, Any]:
    """The values each choice field may take in ``model``."""
    if model is schema.SHIPPED:
        return _CHOICES
    return {**_CHOICES, "kind": model.kinds, "reltype": model.rel_types, "region": model.regions,
            "currency": model.currencies, "unit": model.units}


def _read(dirs: Sequence[str | Path], model: schema.Model) -> Dataset:
    entity_type, rel_type, obs_type = types = records.record_types(model)
    tables: dict[str, list] = {t.folder: [] for t in types}  # Arrow tables, by folder
    shipped = shipped_folder("graphdata").resolve()
    report = records.Report()
    for d in dirs:
        for rtype, path, shown in records.data_files(Path(d), shipped, report, types):
            tables[rtype.folder].append(_read_file(path, shown, rtype))
    if report.problems:
        raise _Fallback
    choices = _choices(model)
    columns = {rtype.folder: _typed(tables[rtype.folder], rtype, choices) for rtype in types}
    entities = columns["entities"]
    ids, kinds = entities["id"], entities["kind"]
    if len(ids) and _compute().count_distinct(ids).as_py() != len(ids):
        raise _Fallback  # an id defined twice
    end_kinds = _check_relationships(columns["relationships"], ids, kinds, rel_type)
    _check_locations(entities, columns["relationships"], model)
    _check_references(columns["tables"], obs_type, ids, kinds)
    observations = columns["tables"]
    _require(_all(_compute().xor(_valid(observations["value"]), _valid(observations["text"]))))

    dataset = records.Dataset(dirs=[Path(d) for d in dirs], model=model)
    dataset.entities = {record["id"]: record for record in records.from_columns(entities, entity_type)}
    dataset.relationship_table = _relationship_table(columns["relationships"], end_kinds)
    dataset.observations = records.from_columns(columns["tables"], obs_type)
    return dataset


def _compute():
    import pyarrow.compute as pc

    return pc


# --- reading one file ----------------------------------------------------------------------------


def _read_file(path: Path, shown: str, rtype: Any) -> pa.Table:
    """One plain CSV file as a table of non-empty strings (null for an empty cell) plus
    ``origin``; raises _Fallback for anything the row-by-row reader should look at."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pcsv

    try:
        data = path.read_bytes()
    except OSError:
        raise _Fallback from None
    data = data.removeprefix(codecs.BOM_UTF8)
    if b"\0" in data or data.count(b"\r") != data.count(b"\r\n"):
        raise _Fallback  # UTF-16 or old Mac line ends
    if has_control_characters(data):
        raise _Fallback
    tabs = b"\t" in data
    header_end = data.find(b"\n")
    if header_end < 0:
        raise _Fallback
    try:
        names = next(csv.reader([data[:header_end].decode("utf-8").rstrip("\r")]))
    except (UnicodeDecodeError, csv.Error, StopIteration):
        raise _Fallback from None
    expected = schema.columns(rtype.fields)
    required = {f.name for f in rtype.fields if f.required and not f.derived}
    if len(set(names)) != len(names) or not set(names) <= set(expected) or not required <= set(names):
        raise _Fallback
    if b'"' in data and not all(_STRICT_LINE.fullmatch(m.group()) for m in _QUOTED_LINE.finditer(data)):
        raise _Fallback
    try:
        table = pcsv.read_csv(
            io.BytesIO(data),
            read_options=pcsv.ReadOptions(column_names=names, skip_rows=1),
            parse_options=pcsv.ParseOptions(newlines_in_values=False),
            convert_options=pcsv.ConvertOptions(
                column_types={n: pa.string() for n in names},
                strings_can_be_null=False, quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        raise _Fallback from None
    lines = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    if lines != table.num_rows + 1:
        raise _Fallback  # blank lines or values over several lines: line numbers need the slow path
    cells = []
    blank = None
    one_line = {f.name for f in rtype.fields if not f.free_text}
    for name in names:
        column = table[name]
        _require(pc.all(pc.equal(pc.utf8_trim(column, characters=SPACES), column)).as_py() is not False)
        if tabs and name in one_line:
            _require(not pc.any(pc.match_substring(column, "\t")).as_py())
        empty = pc.equal(column, "")
        blank = empty if blank is None else pc.and_(blank, empty)
        cells.append(pc.if_else(empty, pa.scalar(None, pa.string()), column))
    if blank is not None and table.num_rows:
        _require(not pc.any(blank).as_py())  # a row of empty cells is skipped by the row reader
    origin = pc.binary_join_element_wise(
        shown + ":", pc.cast(pa.array(range(2, table.num_rows + 2), pa.int64()), pa.string()), ""
    )
    return pa.table([*cells, origin], names=[*names, "origin"])


def has_control_characters(data: bytes) -> bool:
    """Whether UTF-8 ``data`` holds a character of schema.FORBIDDEN_CHARACTERS other than the
    tab and line ends, which free-text fields may hold."""
    return bool(data.translate(None, _ORDINARY_BYTES) or _C1_BYTES.search(data) or _NONCHARACTER_BYTES.search(data))


# --- checking columns ----------------------------------------------------------------------------


def _typed(tables: list[pa.Table], rtype: Any, choices: dict[str, Any] = _CHOICES) -> dict[str, pa.ChunkedArray]:
    """Every field of the record type as a typed column (null where not set), checked cell by
    cell by the field's schema type, plus ``origin``."""
    import pyarrow as pa
    import pyarrow.compute as pc

    rows = sum(t.num_rows for t in tables)
    out: dict[str, pa.ChunkedArray] = {}
    for f in rtype.fields:
        if f.derived:
            continue
        column = _concat([t[f.name] if f.name in t.column_names else pa.nulls(t.num_rows, pa.string()) for t in tables])
        if f.required:
            _require(column.null_count == 0)
        out[f.name] = _parse(f.type, column, choices) if rows else column
    out["origin"] = _concat([t["origin"] for t in tables])
    for a, b in rtype.pairs:
        _require(pc.all(pc.equal(_valid(out[a]), _valid(out[b]))).as_py() is not False)
    return out


def _concat(parts: list[pa.Array | pa.ChunkedArray]) -> pa.ChunkedArray:
    """The parts as one chunked string column, without copying them."""
    import pyarrow as pa

    chunks = [c for part in parts for c in (part.chunks if isinstance(part, pa.ChunkedArray) else [part])]
    return pa.chunked_array(chunks, pa.string())


def _parse(kind: str, column: pa.ChunkedArray, choices: dict[str, Any] = _CHOICES) -> pa.ChunkedArray:
    import pyarrow as pa
    import pyarrow.compute as pc

    if kind in _PATTERNS:
        _require(_all(pc.match_substring_regex(column, _PATTERNS[kind])))
    if kind in choices:
        _require(_all_in(column, pa.array(list(choices[kind]), pa.string())))
    try:
        if kind in ("number", "fraction"):
            column = pc.cast(column, pa.float64())
            if kind == "fraction":
                _require(_all(pc.and_(pc.greater_equal(column, 0), pc.less_equal(column, 1))))
        elif kind == "int":
            column = pc.cast(column, pa.int64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        raise _Fallback from None
    if kind in ("date", "period"):
        for text in pc.unique(column).to_pylist():
            if text is not None and len(text) == len("YYYY-MM-DD"):
                try:
                    datetime.date.fromisoformat(text)
                except ValueError:
                    raise _Fallback from None
    return column


def _check_relationships(
    rels: dict[str, pa.ChunkedArray], ids: pa.ChunkedArray, kinds: pa.ChunkedArray, rtype: Any
) -> dict[str, pa.ChunkedArray]:
    """References, endpoint kinds, properties the type takes, and no tie stated twice; returns
    the kinds at the ends (``from_kind``, ``to_kind``)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    _check_references(rels, rtype, ids, kinds)
    model = rtype.model
    ends = {}
    types = rels["type"]
    for end, allowed in (("from", "sources"), ("to", "targets")):
        kind = ends[f"{end}_kind"] = _concat([pc.take(kinds, pc.index_in(rels[end], value_set=_array(ids)))])
        if not len(types):
            continue
        pairs = [f"{t.name}\x1f{k}" for t in model.rel_types.values() for k in getattr(t, allowed)]
        _require(_all_in(pc.binary_join_element_wise(types, kind, "\x1f"), pa.array(pairs, pa.string())))
    for name in sorted(model.optional_properties):
        taking = pa.array([t.name for t in model.rel_types.values() if name in t.properties], pa.string())
        set_on = _valid(rels[name])
        _require(_all(pc.or_(pc.invert(set_on), pc.is_in(types, value_set=taking))))
    symmetric = pc.is_in(types, value_set=pa.array([t.name for t in model.rel_types.values() if t.symmetric], pa.string()))
    swap = pc.and_(symmetric, pc.greater(rels["from"], rels["to"]))
    low, high = pc.if_else(swap, rels["to"], rels["from"]), pc.if_else(swap, rels["from"], rels["to"])
    key = pc.binary_join_element_wise(low, types, high, pc.fill_null(rels["date"], ""), "\x1f")
    _require(pc.count_distinct(key).as_py() == len(key))
    return ends


def _check_locations(entities: dict[str, pa.ChunkedArray], rels: dict[str, pa.ChunkedArray],
                     model: schema.Model = schema.SHIPPED) -> None:
    """Every LOCATED_IN tie joins two entities of the same country, and every entity that must be
    somewhere is (the rule of :func:`ecograph.data.records.unlocated`)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    located = pc.equal(rels["type"], "LOCATED_IN")
    sources, places = pc.filter(rels["from"], located), pc.filter(rels["to"], located)
    ids, kinds, countries = _array(entities["id"]), entities["kind"], entities["country"]
    stated = pc.take(countries, pc.index_in(sources, value_set=ids))
    actual = pc.take(countries, pc.index_in(places, value_set=ids))
    _require(_all(pc.equal(stated, actual)))
    # Every tie now stays in one country, so what reaches a Country entity is in its country:
    # walk back from the countries a level at a time. For the 75,000 LOCATED_IN ties of a
    # million-tie synthetic set this whole check took 0.3 s, where records.unlocated's walk in
    # Python took 0.9 s (both on a busy 2-core machine).
    reached = pc.filter(ids, pc.equal(_array(kinds), "Country"))
    frontier = reached
    for _ in range(_LOCATION_LEVELS):
        found = pc.unique(pc.filter(sources, pc.is_in(places, value_set=frontier)))
        frontier = pc.filter(found, pc.invert(pc.is_in(found, value_set=reached)))
        if not len(frontier):
            break
        reached = pa.concat_arrays([reached, frontier])
    else:  # places nested deeper than any real ones: let the one walk decide
        everyone = zip(ids.to_pylist(), kinds.to_pylist(), countries.to_pylist())
        _require(not records.unlocated(everyone, zip(sources.to_pylist(), places.to_pylist()), model))
        return
    defined = pc.unique(pc.filter(countries, pc.equal(kinds, "Country")))  # countries with an entity
    one_country = pc.filter(defined, pc.is_in(defined, value_set=pa.array(list(model.country_ids), pa.string())))
    must = pc.and_(
        pc.is_in(kinds, value_set=pa.array(model.located_kinds, pa.string())),
        pc.is_in(countries, value_set=one_country),
    )
    _require(_all(pc.is_in(pc.filter(ids, _array(must)), value_set=reached)))


# How many levels of places (a firm in a city in a province in a country: 3) the columnar walk
# follows before handing over to records.unlocated.
_LOCATION_LEVELS = 16


def _check_references(records: dict[str, pa.ChunkedArray], rtype: Any, ids: pa.ChunkedArray, kinds: pa.ChunkedArray) -> None:
    """Every reference names a known entity; ``cited`` a citable one."""
    import pyarrow as pa
    import pyarrow.compute as pc

    for f in rtype.fields:
        if f.type != "ref" or not len(records[f.name]):
            continue
        column = records[f.name]
        _require(_all_in(column, _array(ids)))
        if f.name == "cited":
            cited = pc.take(kinds, pc.index_in(column, value_set=_array(ids)))
            _require(_all_in(cited, pa.array(list(rtype.model.citable_kinds), pa.string())))


# --- records -------------------------------------------------------------------------------------


def _relationship_table(rels: dict[str, pa.ChunkedArray], ends: dict[str, pa.ChunkedArray]) -> pa.Table:
    """The checked relationship columns as one table, with ``year`` and the end kinds."""
    import pyarrow as pa
    import pyarrow.compute as pc

    year = pc.cast(pc.utf8_slice_codeunits(rels["date"], 0, 4), pa.int64())
    return pa.table({**rels, "year": year, **ends})


def edges(table: pa.Table, model: schema.Model = schema.SHIPPED) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(from, to, edge attributes) per row of a relationship table, the attributes as
    :func:`ecograph.data.graphdata.build_graph` gives them (type, the set fields in schema order with
    year after date, origin), made straight from the columns without a record in between."""
    names = ["type"]
    for f in model.relationship_fields:
        if f.name not in ("from", "to", "type") and table[f.name].null_count < table.num_rows:
            names.append(f.name)
    names.append("origin")
    for batch in table.select(["from", "to", *names]).to_batches(max_chunksize=65_536):  # bounded memory
        *columns, origins = batch.columns
        froms, tos, *columns = (_shared_values(column) for column in columns)
        for u, v, row in zip(froms, tos, zip(*columns, origins.to_pylist())):
            yield u, v, {k: value for k, value in zip(names, row) if value is not None}


def _shared_values(column: pa.Array) -> list[Any]:
    """``column.to_pylist()``, but equal values are one Python object: a type, a source, a date
    or a year repeats over thousands of ties, and one string or number per tie made a
    million-tie graph hundreds of MB bigger (issue #14). Arrow's dictionary keeps -0.0 and 0.0,
    and NaNs, apart as to_pylist does."""
    pc = _compute()
    encoded = pc.dictionary_encode(column)
    values = [*encoded.dictionary.to_pylist(), None]
    return list(map(values.__getitem__, pc.fill_null(encoded.indices, len(values) - 1).to_pylist()))


def _valid(column: pa.ChunkedArray) -> pa.ChunkedArray:
    return _compute().is_valid(column)


def _array(column: pa.ChunkedArray) -> pa.Array:
    return column.combine_chunks()


def _all(mask: pa.ChunkedArray) -> bool:
    """True when no non-null entry of ``mask`` is false (nulls are unset cells)."""
    return _compute().all(mask).as_py() is not False


def _all_in(column: pa.ChunkedArray, values: pa.Array) -> bool:
    """True when every set (non-null) entry of ``column`` is one of ``values``."""
    pc = _compute()
    return _all(pc.or_(pc.is_null(column), pc.is_in(column, value_set=values)))


def _require(condition: bool) -> None:
    if not condition:
        raise _Fallback
