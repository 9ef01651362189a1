"""The Python functions the rewrites call on LadybugDB (``ecograph_to_integer`` …):
Neo4j's conversions, split(), round() and exp() with Neo4j's results, and
:func:`register_functions`, which installs them on a connection.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from decimal import (
    ROUND_CEILING,
    ROUND_DOWN,
    ROUND_FLOOR,
    ROUND_HALF_DOWN,
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    ROUND_UP,
    Decimal,
    InvalidOperation,
)
from typing import Any

from ecograph.errors import QueryError
from ecograph.query.dialect.durations import days_after_months, months_between

_INTEGER_TYPES = frozenset(
    "INT8 INT16 INT32 INT64 INT128 UINT8 UINT16 UINT32 UINT64 UINT128 SERIAL".split()
)


_FLOAT_TYPES = frozenset({"DOUBLE", "FLOAT"})


_TEMPORAL_TYPES = ("DATE", "TIMESTAMP", "INTERVAL")


_LONG_RE = re.compile(r"[+-]?\d+")


_BIG_DECIMAL_RE = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


_JAVA_DOUBLE_RE = re.compile(r"[+-]?(?:NaN|Infinity|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)[fFdD]?")


_MIN_LONG, _MAX_LONG = -(2**63), 2**63 - 1


class ConversionError(ValueError):
    """A Neo4j conversion function was given a value of a type it does not take."""


def _kind(type_name: str) -> str:
    """Sort LadybugDB's typeof() names into what Neo4j's conversions distinguish."""
    if type_name in _INTEGER_TYPES:
        return "integer"
    if type_name in _FLOAT_TYPES:
        return "float"
    if type_name.startswith("DECIMAL"):
        return "decimal"
    if type_name == "BOOL":
        return "boolean"
    if type_name in ("STRING", "UUID"):
        return "string"
    if type_name.startswith(_TEMPORAL_TYPES):
        return "temporal"
    return "other"


def _java_trim(s: str) -> str:
    """Java's String.trim(): strips every character up to and including space."""
    return s.strip("".join(chr(c) for c in range(33)))


def _to_integer(type_name: str, text: str | None, number: float | None) -> int | None:
    """Neo4j toInteger(): floats truncate, strings parse as a long or else as a decimal."""
    if text is None:
        return None
    kind = _kind(type_name)
    if kind == "integer":
        return int(text)
    if kind == "float":
        assert number is not None
        if math.isnan(number):
            return 0
        if math.isinf(number):
            return _MAX_LONG if number > 0 else _MIN_LONG
        return max(_MIN_LONG, min(_MAX_LONG, int(number)))
    if kind == "decimal":
        return int(Decimal(text))
    if kind == "boolean":
        return 1 if text == "True" else 0
    if kind == "string":
        if _LONG_RE.fullmatch(text) and _MIN_LONG <= int(text) <= _MAX_LONG:
            return int(text)
        if not _BIG_DECIMAL_RE.fullmatch(text):
            return None
        value = Decimal(text)
        if not _MIN_LONG <= value <= _MAX_LONG:
            raise ConversionError(f"integer, {text}, is too large")
        return int(value)
    raise ConversionError(
        f"Invalid input for function 'toInteger()': Expected a String, Float, Integer or Boolean, got: {type_name}"
    )


def _to_float(type_name: str, text: str | None, number: float | None) -> float | None:
    """Neo4j toFloat(): numbers widen, strings parse as Java's Double.parseDouble does."""
    if text is None:
        return None
    kind = _kind(type_name)
    if kind == "float":
        return number
    if kind in ("integer", "decimal"):
        return float(Decimal(text))
    if kind == "string":
        s = _java_trim(text)
        if not _JAVA_DOUBLE_RE.fullmatch(s):
            return None
        return float(s.rstrip("fFdD").replace("Infinity", "inf"))
    raise ConversionError(
        f"Invalid input for function 'toFloat()': Expected a String, Float or Integer, got: {type_name}"
    )


def _to_boolean(type_name: str, text: str | None, number: float | None) -> bool | None:
    """Neo4j toBoolean(): 'true'/'false' in any case (trimmed), integers by being non-zero."""
    if text is None:
        return None
    kind = _kind(type_name)
    if kind == "boolean":
        return text == "True"
    if kind == "string":
        return {"true": True, "false": False}.get(_java_trim(text).lower())
    if kind == "integer":
        return int(text) != 0
    raise ConversionError(
        f"Invalid input for function 'toBoolean()': Expected a Boolean, Integer or String, got: {type_name}"
    )


def _to_string(type_name: str, text: str | None, number: float | None) -> str | None:
    """Neo4j toString(): floats as Java prints a double (1.0, 1.0E20), booleans lower-case."""
    if text is None:
        return None
    kind = _kind(type_name)
    if kind == "float":
        assert number is not None
        return java_double_to_string(number)
    if kind == "boolean":
        return "true" if text == "True" else "false"
    if kind in ("integer", "decimal", "string", "temporal"):
        return text
    raise ConversionError(
        "Invalid input for function 'toString()': "
        f"Expected a String, Float, Integer, Boolean, Temporal or Duration, got: {type_name}"
    )


def java_double_to_string(x: float) -> str:
    """Java's Double.toString(x): plain between 10^-3 and 10^7, else d.dddE±n."""
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    if x == 0:
        return "-0.0" if math.copysign(1.0, x) < 0 else "0.0"
    sign = "-" if x < 0 else ""
    _, digit_tuple, exponent = Decimal(repr(abs(x))).as_tuple()
    digits = "".join(map(str, digit_tuple)).rstrip("0") or "0"
    assert isinstance(exponent, int)
    point = len(digit_tuple) + exponent  # digits before the decimal point
    if 1e-3 <= abs(x) < 1e7:
        if point <= 0:
            return f"{sign}0.{'0' * -point}{digits}"
        whole = digits[:point].ljust(point, "0")
        return f"{sign}{whole}.{digits[point:] or '0'}"
    return f"{sign}{digits[0]}.{digits[1:] or '0'}E{point - 1}"


def _or_null(convert: Callable[[str, str | None, float | None], Any]) -> Callable[..., Any]:
    """The ``…OrNull`` variant of a conversion: null instead of an error."""

    def convert_or_null(type_name: str, text: str | None, number: float | None) -> Any:
        try:
            return convert(type_name, text, number)
        except ConversionError:
            return None

    return convert_or_null


def _split_text(text: str, delimiter: str) -> list[str]:
    """Neo4j split(): keeps empty parts (LadybugDB's string_split drops them)."""
    return list(text) if delimiter == "" else text.split(delimiter)


_ROUNDING = {
    "UP": ROUND_UP,
    "DOWN": ROUND_DOWN,
    "CEILING": ROUND_CEILING,
    "FLOOR": ROUND_FLOOR,
    "HALF_UP": ROUND_HALF_UP,
    "HALF_DOWN": ROUND_HALF_DOWN,
    "HALF_EVEN": ROUND_HALF_EVEN,
}


def _round(x: float) -> float:
    """Neo4j round(x): to the nearest integer, ties towards positive infinity (Java Math.round)."""
    if not math.isfinite(x):
        return x
    return float((Decimal(x) + Decimal("0.5")).to_integral_value(rounding=ROUND_FLOOR))


def _round_to(x: float, precision: int, mode: str) -> float:
    """Neo4j round(x, precision[, mode]): the decimal form of x rounded, HALF_UP by default."""
    if not math.isfinite(x):
        return x
    if mode == "" and precision == 0:
        return _round(x)
    mode = mode.upper() or "HALF_UP"
    value = Decimal(repr(float(x)))
    quantum = Decimal(1).scaleb(-precision)
    if mode == "UNNECESSARY":
        rounded = value.quantize(quantum, rounding=ROUND_DOWN)
        if rounded != value:
            raise ValueError("Rounding necessary")
        return float(rounded)
    if mode not in _ROUNDING:
        raise ValueError(f"Unknown rounding mode: {mode}")
    try:
        return float(value.quantize(quantum, rounding=_ROUNDING[mode]))
    except InvalidOperation:
        return x


def _exp(x: float) -> float:
    """Neo4j exp(): e to the x, infinity when too large (Python raises)."""
    try:
        return math.exp(x)
    except OverflowError:
        return math.inf


def date_text(text: str) -> str:
    """A Neo4j date string as ``YYYY-MM-DD``; raises QueryError as Neo4j does if it is none."""
    s = text.strip()
    forms = [
        (r"(\d{4})-?(\d{2})-?(\d{2})", lambda y, m, d: dt.date(int(y), int(m), int(d))),
        (r"(\d{4})-?(\d{2})", lambda y, m: dt.date(int(y), int(m), 1)),
        (r"(\d{4})", lambda y: dt.date(int(y), 1, 1)),
        (r"(\d{4})-?W(\d{2})-?(\d)", lambda y, w, d: dt.date.fromisocalendar(int(y), int(w), int(d))),
        (r"(\d{4})-?W(\d{2})", lambda y, w: dt.date.fromisocalendar(int(y), int(w), 1)),
        (r"(\d{4})-?(\d{3})", lambda y, n: dt.date(int(y), 1, 1) + dt.timedelta(days=int(n) - 1)),
    ]
    for pattern, build in forms:
        m = re.fullmatch(pattern, s)
        if m:
            try:
                return build(*m.groups()).isoformat()
            except ValueError:
                break
    raise QueryError(f"Text cannot be parsed to a Date: {text!r}")



# What translate() uses to convert a literal argument itself (see calls.fold_conversion).
FOLDS: dict[str, tuple[Callable[[str, str | None, float | None], Any], str]] = {
    "tointeger": (_to_integer, "INT64"),
    "tofloat": (_to_float, "DOUBLE"),
    "tostring": (_to_string, "STRING"),
    "toboolean": (_to_boolean, "BOOL"),
}


# name, function, parameter types, return type, null in -> null out
_FUNCTIONS: list[tuple[str, Callable[..., Any], list[str], str, bool]] = [
    ("ecograph_to_integer", _to_integer, ["STRING", "STRING", "DOUBLE"], "INT64", False),
    ("ecograph_to_integer_or_null", _or_null(_to_integer), ["STRING", "STRING", "DOUBLE"], "INT64", False),
    ("ecograph_to_float", _to_float, ["STRING", "STRING", "DOUBLE"], "DOUBLE", False),
    ("ecograph_to_float_or_null", _or_null(_to_float), ["STRING", "STRING", "DOUBLE"], "DOUBLE", False),
    ("ecograph_to_string", _to_string, ["STRING", "STRING", "DOUBLE"], "STRING", False),
    ("ecograph_to_string_or_null", _or_null(_to_string), ["STRING", "STRING", "DOUBLE"], "STRING", False),
    ("ecograph_to_boolean", _to_boolean, ["STRING", "STRING", "DOUBLE"], "BOOL", False),
    ("ecograph_to_boolean_or_null", _or_null(_to_boolean), ["STRING", "STRING", "DOUBLE"], "BOOL", False),
    ("ecograph_split", _split_text, ["STRING", "STRING"], "STRING[]", True),
    ("ecograph_round", _round, ["DOUBLE"], "DOUBLE", True),
    ("ecograph_round_to", _round_to, ["DOUBLE", "INT64", "STRING"], "DOUBLE", True),
    ("ecograph_exp", _exp, ["DOUBLE"], "DOUBLE", True),
    ("ecograph_date_text", date_text, ["STRING"], "STRING", True),
    ("ecograph_months_between", months_between, ["STRING", "STRING"], "INT64", True),
    ("ecograph_days_after_months", days_after_months, ["STRING", "STRING"], "INT64", True),
]


def _bare(fn: Callable[..., Any], arity: int) -> Callable[..., Any]:
    """``fn`` without annotations: ladybug reads them even when the types are given, refuses
    ``int | None``, and wants exactly as many parameters as types."""
    wrappers = {
        1: lambda a: fn(a),
        2: lambda a, b: fn(a, b),
        3: lambda a, b, c: fn(a, b, c),
    }
    return wrappers[arity]


def register_functions(conn: Any) -> None:
    """Register on a ladybug ``Connection`` the Python functions translate() relies on.

    Call it once per connection. LadybugDB keeps the functions per database, so calling it again
    for another connection to the same database is harmless.
    """
    for name, fn, params, returns, null_in_null_out in _FUNCTIONS:
        try:
            conn.create_function(name, _bare(fn, len(params)), params, returns, default_null_handling=null_in_null_out)
        except RuntimeError as e:
            if "already exists" not in str(e):
                raise

