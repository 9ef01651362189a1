"""A data folder's own vocabulary: ``schema.toml`` beside its CSV folders.

ecograph ships one vocabulary (:mod:`ecograph.data.schema`). A data folder may add to it, or
replace it, by declaring its own kinds, relationship types and properties; every part of ecograph
(validation, the stores, the exports, the map, the analyses) then follows the merged
:class:`~ecograph.data.schema.Model`. The file's shape (every key optional)::

    replace = false                 # true: start from no kinds and no types, only these
    regions = ["South Korea"]       # more values the `country` column may take
    currencies = ["KRW"]            # more currencies for `amount`
    [units]                         # more units for observations' `value`
    GWh = "gigawatt-hours"

    [kinds.Supplier]                # a kind: a node label
    description = "A maker of battery cells or their materials."
    color = "#1b9e77"               # optional: how the map draws it (else from the palette)
    shape = "dot"
    organisation = true             # ranked among the organisations (default true)
    citable = false                 # may be named in a `cited` column (default false)

    [relationships.SUPPLIES]        # a relationship type
    description = "The supplier delivers cells to the automaker."
    from = ["Supplier"]             # the kinds it may start at …
    to = ["Automaker"]              # … and end at
    group = "deal"                  # equity, deal or context (how a strategist reads it)
    verb = "supplies"               # the tie in words, from source to target
    symmetric = false
    properties = ["date", "volume_gwh"]   # the optional properties it takes

    [properties.volume_gwh]         # a property: a new column
    on = "relationships"            # entities or relationships
    type = "number"                 # text, number, int, fraction, date or list
    unit = "GWh"
    description = "Cells supplied per year."

A type declared again (a shipped ``LOCATED_IN`` that should also start at a ``Supplier``) is
extended: its ``from``, ``to`` and ``properties`` are added to. A shipped entity property other
than ``id``, ``kind`` and ``name_en`` may be declared again with ``required = false``.

A bad declaration is a :class:`~ecograph.errors.DataError` naming the file, the line and what was
expected, like a bad row of the data.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ecograph.data import schema
from ecograph.errors import DataError, Problem

__all__ = ["FILE_NAME", "read_model", "merge_declarations", "PROPERTY_TYPES", "SHAPES", "template"]

FILE_NAME = "schema.toml"

# The types a declared property may have (schema.Field types a cell parser reads).
PROPERTY_TYPES = {
    "text": "one line of text",
    "number": "a plain number (3000000000, 0.18)",
    "int": "a whole number",
    "fraction": "a share between 0 and 1",
    "date": "YYYY, YYYY-MM or YYYY-MM-DD",
    "list": "values separated by '|'",
}
# The node shapes vis-network draws (the map).
SHAPES = ("dot", "square", "diamond", "triangle", "triangleDown", "star", "hexagon", "ellipse", "box",
          "circle", "database", "text")
GROUPS = tuple(schema.TIE_GROUPS)

_KIND_NAME = re.compile(r"^[A-Z][A-Za-z0-9]*$")
_TYPE_NAME = re.compile(r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$")
_PROPERTY_NAME = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
# Names the stores and exports give a meaning of their own.
_RESERVED_PROPERTIES = {"id", "kind", "name", "origin", "label", "color", "r", "g", "b", "x", "y", "size", "key",
                        "year", "type", "from", "to", "rel_type", "viz", "labels", "properties", "subject"}
_RESERVED_LABELS = {schema.OBSERVATION_LABEL, schema.ENTITY_MARKER_LABEL}
_RESERVED_TYPES = {schema.OBSERVATION_REL}

_TOP = {"replace": bool, "regions": list, "currencies": list, "units": dict, "kinds": dict,
        "relationships": dict, "properties": dict}
_KIND = {"description": str, "color": str, "shape": str, "organisation": bool, "citable": bool}
_REL = {"description": str, "from": list, "to": list, "group": str, "verb": str, "symmetric": bool,
        "properties": list}
_PROPERTY = {"on": str, "type": str, "unit": str, "description": str, "required": bool}
_SHOWN_TYPES = {bool: "true or false", list: "a list in brackets", dict: "a table", str: "text in quotes"}


class _Lines:
    """Where each table and key of a TOML text is written, to point messages at a line."""

    _HEADER = re.compile(r'^\s*\[\s*([^\[\]]+?)\s*\]\s*(?:#.*)?$')
    _KEY = re.compile(r'^\s*("[^"]*"|[A-Za-z0-9_\-]+)\s*=')

    def __init__(self, text: str) -> None:
        self.at: dict[tuple[str, ...], int] = {}
        table: tuple[str, ...] = ()
        for number, line in enumerate(text.splitlines(), 1):
            header = self._HEADER.match(line)
            if header:
                table = tuple(part.strip().strip('"') for part in header.group(1).split("."))
                self.at.setdefault(table, number)
                continue
            key = self._KEY.match(line)
            if key:
                self.at.setdefault((*table, key.group(1).strip('"')), number)

    def line(self, *path: str) -> int | None:
        """The line of ``path`` (a table or a key), else of the closest enclosing table."""
        for end in range(len(path), 0, -1):
            if path[:end] in self.at:
                return self.at[path[:end]]
        return None


class _Reader:
    """Checks one schema file's declarations and merges them into a model."""

    def __init__(self, shown: str, text: str, before: str = "") -> None:
        self.shown = shown
        self.before = before  # the folders read before this one, for a message
        self.lines = _Lines(text)
        self.problems: list[Problem] = []

    def problem(self, path: tuple[str, ...], message: str) -> None:
        self.problems.append(Problem(self.shown, self.lines.line(*path), path[-1] if path else None, message))

    def check_keys(self, table: dict[str, Any], expected: dict[str, type], path: tuple[str, ...]) -> dict[str, Any]:
        """The entries of ``table`` that are known keys with values of the right kind."""
        good = {}
        where = ".".join(path)
        for key, value in table.items():
            if key not in expected:
                hint = _did_you_mean(key, expected) or f"; expected one of {', '.join(expected)}"
                self.problem((*path, key), f"{where + '.' if where else ''}{key} is not a known key{hint}")
            elif not isinstance(value, expected[key]) or (expected[key] is not bool and isinstance(value, bool)):
                self.problem((*path, key), f"{where + '.' if where else ''}{key} is {_shown(value)}; "
                                           f"expected {_SHOWN_TYPES[expected[key]]}")
            else:
                good[key] = value
        return good

    def texts(self, values: list[Any], path: tuple[str, ...]) -> list[str]:
        bad = [v for v in values if not isinstance(v, str) or not v.strip()]
        if bad:
            self.problem(path, f"{'.'.join(path)} holds {_shown(bad[0])}; expected a list of text in quotes")
        return [v.strip() for v in values if isinstance(v, str) and v.strip()]

    # --- merging ---------------------------------------------------------------------------------

    def merge(self, model: schema.Model, data: dict[str, Any]) -> schema.Model:
        top = self.check_keys(data, _TOP, ())
        kinds = dict(model.kinds)
        rel_types = dict(model.rel_types)
        citable = list(model.citable_kinds)
        organisations = list(model.organisation_kinds)
        styles = dict(model.styles)
        if top.get("replace") and self.before:
            self.problem(("replace",), f"replace = true sets aside the vocabulary {self.before} is written in; "
                                       "read this folder on its own, without the shipped data")
        if top.get("replace"):
            kinds, rel_types, citable, organisations, styles = {}, {}, [], [], {}
        regions = list(model.regions) + [r for r in self.texts(top.get("regions", []), ("regions",))
                                         if r not in model.regions]
        currencies = list(model.currencies) + [c for c in self.texts(top.get("currencies", []), ("currencies",))
                                               if c not in model.currencies]
        units = dict(model.units)
        for unit, meaning in top.get("units", {}).items():
            if not isinstance(meaning, str):
                self.problem(("units", unit), f"units.{unit} is {_shown(meaning)}; expected its meaning in quotes")
            else:
                units[unit] = meaning
        for name, raw in top.get("kinds", {}).items():
            self.merge_kind(name, raw, kinds, citable, organisations, styles)
        entity_fields, relationship_fields = self.merge_properties(model, top.get("properties", {}))
        declared_rel_props = {f.name for f in relationship_fields} - {"from", "to", "type"}
        for name, raw in top.get("relationships", {}).items():
            self.merge_type(name, raw, kinds, rel_types, declared_rel_props)
        for path, kind in self._kind_refs:
            if kind not in kinds:
                hint = _did_you_mean(kind, kinds) or (f"; declare it under [kinds.{kind}]" if _KIND_NAME.match(kind)
                                                      else "")
                self.problem(path, f"kind {kind!r} is not a known kind{hint}")
        return dataclasses.replace(
            model, kinds=kinds, rel_types=rel_types, entity_fields=entity_fields,
            relationship_fields=relationship_fields, regions=tuple(regions), units=units,
            currencies=tuple(currencies), citable_kinds=tuple(citable), organisation_kinds=tuple(organisations),
            styles=styles, sources=(*model.sources, self.shown),
        )

    _kind_refs: list[tuple[tuple[str, ...], str]]

    def declares(self, path: tuple[str, ...], raw: Any, what: str, pattern: re.Pattern[str], reserved: Any,
                 expected: str) -> bool:
        """True if ``raw`` declares the ``what`` named ``path[-1]``: a name of the right form that is
        not ecograph's own, given a table; else the problem is reported."""
        name = path[-1]
        if not pattern.match(name) or name in reserved:
            why = "is ecograph's own" if name in reserved else f"is not a {what} name; expected {expected}"
            self.problem(path, f"{what} {name!r} {why}")
            return False
        if not isinstance(raw, dict):
            section = ".".join(path)
            self.problem(path, f"{section} is {_shown(raw)}; expected a table: [{section}]")
            return False
        return True

    def merge_kind(self, name: str, raw: Any, kinds: dict[str, schema.Kind], citable: list[str],
                   organisations: list[str], styles: dict[str, tuple[str, str]]) -> None:
        path = ("kinds", name)
        if not self.declares(path, raw, "kind", _KIND_NAME, _RESERVED_LABELS,
                             "a capitalised word of ASCII letters and digits, such as 'Supplier'"):
            return
        decl = self.check_keys(raw, _KIND, path)
        known = kinds.get(name)
        if known is None and not decl.get("description"):
            self.problem(path, f"kind {name} has no description; add description = \"…\" (one line on what it is)")
        kinds[name] = schema.Kind(name, decl.get("description") or (known.description if known else ""))
        _mark(organisations, name, decl.get("organisation", True if known is None else None))
        _mark(citable, name, decl.get("citable"))
        colour, shape = decl.get("color"), decl.get("shape")
        if colour is not None and not _COLOUR.match(colour):
            self.problem((*path, "color"), f"color {colour!r} is not a colour; expected '#rrggbb', such as '#1b9e77'")
            colour = None
        if shape is not None and shape not in SHAPES:
            hint = _did_you_mean(shape, SHAPES) or f"; expected one of {', '.join(SHAPES)}"
            self.problem((*path, "shape"), f"shape {shape!r} is not a shape the map draws{hint}")
            shape = None
        if colour or shape:
            styles[name] = (colour or "", shape or "")

    def merge_type(self, name: str, raw: Any, kinds: dict[str, schema.Kind], rel_types: dict[str, schema.RelType],
                   rel_props: set[str]) -> None:
        path = ("relationships", name)
        if not self.declares(path, raw, "relationship type", _TYPE_NAME, _RESERVED_TYPES,
                             "upper-case words joined by '_', such as 'SUPPLIES'"):
            return
        decl = self.check_keys(raw, _REL, path)
        known = rel_types.get(name)
        ends = {}
        for end in ("from", "to"):
            listed = self.texts(decl.get(end, []), (*path, end))
            for kind in listed:
                self._kind_refs.append(((*path, end), kind))
            ends[end] = listed
            if known is None and not listed:
                self.problem((*path, end) if end in raw else path,
                             f"relationship type {name} has no '{end}' kinds; add {end} = [\"Kind\", …]")
        group = decl.get("group")
        if group is not None and group not in GROUPS:
            self.problem((*path, "group"), f"group {group!r} is not a tie group; expected one of {', '.join(GROUPS)}")
            group = None
        props = self.texts(decl.get("properties", []), (*path, "properties"))
        for p in props:
            if p not in rel_props or p in ("description", "source", "cited"):
                hint = _did_you_mean(p, rel_props) or f"; declare it under [properties.{p}] with on = \"relationships\""
                if p in ("description", "source", "cited"):
                    hint = "; every relationship takes it, list only optional properties"
                self.problem((*path, "properties"), f"property {p!r} is not an optional relationship property{hint}")
        props = [p for p in props if p in rel_props and p not in ("description", "source", "cited")]
        if known is None:
            if not decl.get("description"):
                self.problem(path, f"relationship type {name} has no description; add description = \"…\"")
            rel_types[name] = schema.RelType(
                name, decl.get("description", ""), tuple(ends["from"]), tuple(ends["to"]),
                symmetric=decl.get("symmetric", False), properties=tuple(props),
                group=group or "context", verb=decl.get("verb", ""),
            )
        else:
            rel_types[name] = dataclasses.replace(
                known,
                description=decl.get("description") or known.description,
                sources=_added(known.sources, ends["from"]), targets=_added(known.targets, ends["to"]),
                properties=_added(known.properties, props), group=group or known.group,
                verb=decl.get("verb") or known.verb, symmetric=decl.get("symmetric", known.symmetric),
            )

    def merge_properties(self, model: schema.Model, declared: dict[str, Any]
                         ) -> tuple[tuple[schema.Field, ...], tuple[schema.Field, ...]]:
        fields = {"entities": list(model.entity_fields), "relationships": list(model.relationship_fields)}
        for name, raw in declared.items():
            path = ("properties", name)
            if not isinstance(raw, dict):
                self.problem(path, f"properties.{name} is {_shown(raw)}; expected a table: [properties.{name}]")
                continue
            decl = self.check_keys(raw, _PROPERTY, path)
            on = decl.get("on", "entities")
            if on not in fields:
                self.problem((*path, "on"), f"on {on!r} is not a record type; expected entities or relationships")
                continue
            existing = next((i for i, f in enumerate(fields[on]) if f.name == name), None)
            if existing is not None:
                self.redeclare(path, decl, fields[on], existing, on)
                continue
            if not _PROPERTY_NAME.match(name) or name in _RESERVED_PROPERTIES:
                why = "is ecograph's own" if name in _RESERVED_PROPERTIES else \
                    "is not a property name; expected lower-case words joined by '_', such as 'volume_gwh'"
                self.problem(path, f"property {name!r} {why}")
                continue
            kind = decl.get("type", "text")
            if kind not in PROPERTY_TYPES:
                hint = _did_you_mean(kind, PROPERTY_TYPES) or f"; expected one of {', '.join(PROPERTY_TYPES)}"
                self.problem((*path, "type"), f"type {kind!r} is not a property type{hint}")
                continue
            if decl.get("required") and on == "relationships":
                self.problem((*path, "required"), "a relationship property is optional: it applies to the types "
                                                  "that list it; remove required")
            fields[on].append(schema.Field(name, kind, decl.get("description", ""),
                                           required=bool(decl.get("required")) and on == "entities",
                                           unit=decl.get("unit", "")))
        return tuple(fields["entities"]), tuple(fields["relationships"])

    def redeclare(self, path: tuple[str, ...], decl: dict[str, Any], fields: list[schema.Field], i: int,
                  on: str) -> None:
        """A shipped property declared again: only an entity property's ``required = false``."""
        f = fields[i]
        if on != "entities" or f.name in ("id", "kind", "name_en") or set(decl) - {"on", "required", "description"}:
            self.problem(path, f"property {f.name!r} is already part of the {on}; choose another name"
                         + ("" if on != "entities" or f.name in ("id", "kind", "name_en")
                            else " (only required = false may be declared for it)"))
            return
        fields[i] = dataclasses.replace(f, required=decl.get("required", f.required),
                                        description=decl.get("description") or f.description)


def _added(values: Sequence[str], more: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys([*values, *more]))


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a table"
    return repr(value)


def _did_you_mean(value: str, options: Any) -> str:
    by_lower = {o.lower(): o for o in options}
    close = difflib.get_close_matches(str(value).lower(), list(by_lower), n=1, cutoff=0.6)
    return f" (did you mean {by_lower[close[0]]!r}?)" if close else ""


def merge_declarations(model: schema.Model, text: str, shown: str, before: str = "") -> schema.Model:
    """``model`` with the declarations of schema-file ``text`` merged in; ``shown`` names the
    file in messages, ``before`` the data folders read before it (``replace = true`` needs none).
    Raises :class:`DataError` listing every bad declaration."""
    import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        line = re.search(r"line (\d+)", str(e))
        raise DataError([Problem(shown, int(line.group(1)) if line else None, None,
                                 f"is not valid TOML: {str(e).split(' (at line')[0]}")]) from e
    reader = _Reader(shown, text, before)
    reader._kind_refs = []
    merged = reader.merge(model, data)
    if reader.problems:
        raise DataError(sorted(reader.problems, key=lambda p: p.line or 0))
    return merged


def read_model(dirs: Sequence[tuple[str | Path, str]], base: schema.Model = schema.SHIPPED) -> schema.Model:
    """The model of data folders: ``base`` with each folder's ``schema.toml`` merged in, in order.

    ``dirs`` are (folder, how messages name it). Folders without a schema file change nothing.
    """
    model = base
    before: list[str] = []
    for folder, shown in dirs:
        path = Path(folder) / FILE_NAME
        if not path.is_file():
            before.append(shown)
            continue
        shown_path = f"{shown}/{FILE_NAME}"
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as e:
            raise DataError([Problem(shown_path, None, None, f"is not UTF-8 ({e.reason} at byte {e.start})")]) from e
        except OSError as e:
            raise DataError([Problem(shown_path, None, None, f"cannot be read: {e.strerror}")]) from e
        model = merge_declarations(model, text, shown_path, ", ".join(before))
        before.append(shown)
    return model


def template(*, from_shipped: bool = False) -> str:
    """A commented ``schema.toml`` to start from: an example vocabulary of its own (replacing
    the shipped one), or with ``from_shipped`` one that extends the shipped vocabulary."""
    if from_shipped:
        head = (
            "# The vocabulary of this data folder, on top of ecograph's own (`ecograph schema` lists it).\n"
            "# Declare new kinds, relationship types and properties below; a shipped relationship type\n"
            "# declared again is extended (its from/to/properties are added to).\n"
            "replace = false\n"
        )
        body = (
            "\n[kinds.Fund]\n"
            'description = "An investment fund."\n'
            "\n[relationships.BACKS]\n"
            'description = "The fund holds a stake in the company."\n'
            'from = ["Fund"]\n'
            'to = ["Company", "Platform"]\n'
            'group = "equity"          # equity, deal or context\n'
            'verb = "backs"\n'
            'properties = ["stake", "date", "amount", "currency"]\n'
        )
        return head + body
    return (
        "# The vocabulary of this data folder (ecograph reads it before the CSV files).\n"
        "# replace = true: only the kinds and relationship types declared here; false adds them to\n"
        "# ecograph's own (`ecograph schema` lists those). Every key is explained in the README,\n"
        '# "Map your own ecosystem".\n'
        "replace = true\n"
        "\n"
        "# More values the entities' `country` column may take (ecograph knows Mainland China,\n"
        "# Taiwan, Hong Kong, United States, Singapore, Asia-Pacific, North America, Global).\n"
        'regions = ["South Korea", "Japan", "Germany"]\n'
        "\n"
        "# An entity kind is a node label: a capitalised word. color/shape are optional (else the\n"
        "# map picks a distinct one); organisation = false keeps a kind out of broker rankings.\n"
        "[kinds.Supplier]\n"
        'description = "A maker of battery cells or their materials."\n'
        "\n"
        "[kinds.Automaker]\n"
        'description = "A maker of electric vehicles."\n'
        "\n"
        "[kinds.Fund]\n"
        'description = "An investment fund."\n'
        'shape = "star"\n'
        "\n"
        "# A relationship type: upper-case words joined by '_'. from/to list the kinds it joins;\n"
        "# group is equity, deal or context; verb is how a sentence says it; properties lists the\n"
        "# optional properties it takes (date, stake, amount, currency, count, count_unit or your own).\n"
        "[relationships.SUPPLIES]\n"
        'description = "The supplier delivers cells or materials to the buyer."\n'
        'from = ["Supplier"]\n'
        'to = ["Automaker", "Supplier"]\n'
        'group = "deal"\n'
        'verb = "supplies"\n'
        'properties = ["date", "volume_gwh"]\n'
        "\n"
        "[relationships.BACKS]\n"
        'description = "The fund holds a stake in the company."\n'
        'from = ["Fund"]\n'
        'to = ["Supplier", "Automaker"]\n'
        'group = "equity"\n'
        'verb = "backs"\n'
        'properties = ["stake", "date", "amount", "currency"]\n'
        "\n"
        "# A property is a new column: on entities (every entity may set it) or on relationships\n"
        "# (the types that list it). type: text, number, int, fraction, date or list.\n"
        "[properties.volume_gwh]\n"
        'on = "relationships"\n'
        'type = "number"\n'
        'unit = "GWh"\n'
        'description = "Cells supplied per year."\n'
        "\n"
        "[properties.capacity_gwh]\n"
        'on = "entities"\n'
        'type = "number"\n'
        'unit = "GWh"\n'
        'description = "Yearly production capacity."\n'
        "\n"
        "# Chinese names are optional here.\n"
        "[properties.name_zh]\n"
        "required = false\n"
    )


def _mark(names: list[str], name: str, flag: bool | None) -> None:
    """Add ``name`` to ``names`` when ``flag`` is true, remove it when false, leave it when None."""
    if flag and name not in names:
        names.append(name)
    elif flag is False and name in names:
        names.remove(name)
