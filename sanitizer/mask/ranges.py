"""PostgreSQL range and multirange values in their text form, and moving their bounds.

Range columns (``int4range``, ``numrange``, ``daterange``, ``tstzrange``…, and their
multiranges) reach masking as PostgreSQL writes them: ``[2024-01-01,2024-02-01)``,
``["2024-01-01 10:00:00+00",)``, ``(,5]``, ``empty``, ``{[1,3),[7,9)}``. This module parses
that text into bounds and writes it back, and moves the bounds of a value together:

- :func:`shift_dates` (``shift_date`` on date and timestamp ranges) moves every bound of a
  value by one keyed offset, so the value keeps its length and gaps, lower ≤ upper, and each
  bound's text form (time of day, fraction, zone offset);
- :func:`scale_numbers` (``noise`` on integer and numeric ranges) multiplies every bound of a
  value by one keyed factor, so lower ≤ upper holds (and a non-empty range stays non-empty).

Inclusivity, unbounded sides, ``empty``, and ``infinity`` bounds are kept. The key of a value
is its first bound that moves (the lower one, else the upper): a range starting on the same
day as a date column shifts exactly like that date (docs/operators.md).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from sanitizer.errors import MaskingError
from sanitizer.schema import DATE, DATETIME, DECIMAL, INTEGER, RANGE, ColumnInfo

# the kind of a range's bounds, by its SQL type
SUBTYPES = {
    "INT4RANGE": INTEGER,
    "INT8RANGE": INTEGER,
    "NUMRANGE": DECIMAL,
    "DATERANGE": DATE,
    "TSRANGE": DATETIME,
    "TSTZRANGE": DATETIME,
}
INTEGER_LIMITS = {"INT4": 2**31, "INT8": 2**63}  # bounds lie in [-limit, limit)
_DAY = re.compile(r"(\d{4})-(\d\d)-(\d\d)(?![\d])(.*)", re.DOTALL)
# bounds that hold no moment or number to move; kept as they are
INFINITY = frozenset({"infinity", "-infinity", "+infinity"})
_MUST_QUOTE = re.compile(r'[\s"\\,()\[\]]')


class NotARange(ValueError):
    """The text is not PostgreSQL's range or multirange output."""


@dataclass(frozen=True)
class Range:
    """One range: its bounds' text (None: unbounded) and inclusivity, or empty."""

    lower: str | None = None
    upper: str | None = None
    lower_inc: bool = False
    upper_inc: bool = False
    empty: bool = False


EMPTY = Range(empty=True)


def base_type(column: ColumnInfo) -> str:
    """``INT4MULTIRANGE`` → ``INT4RANGE``: the range type of a range or multirange column."""
    return column.sql_type.upper().replace("MULTIRANGE", "RANGE")


def subtype(column: ColumnInfo) -> str | None:
    """The kind of a range column's bounds (date, datetime, integer, decimal), else None."""
    return SUBTYPES.get(base_type(column)) if column.kind == RANGE else None


def is_multi(column: ColumnInfo) -> bool:
    return "MULTIRANGE" in column.sql_type.upper()


# -- text form ---------------------------------------------------------------------------
def parse(text: str, multi: bool = False) -> list[Range]:
    """The ranges of a value: one for a range, any number for a multirange."""
    text = text.strip()
    if not multi:
        found, end = _range_at(text, 0)
        if text[end:].strip():
            raise NotARange("text after the range's end")
        return [found]
    if not text.startswith("{"):
        raise NotARange("a multirange starts with {")
    pos, out = _skip(text, 1), []
    if text[pos : pos + 1] == "}":
        pos += 1
    else:
        while True:
            found, pos = _range_at(text, pos)
            out.append(found)
            pos = _skip(text, pos)
            if text[pos : pos + 1] == "}":
                pos += 1
                break
            if text[pos : pos + 1] != ",":
                raise NotARange("ranges of a multirange are separated by commas")
            pos = _skip(text, pos + 1)
    if text[pos:].strip():
        raise NotARange("text after the multirange's end")
    return out


def _skip(text: str, pos: int) -> int:
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos


def _range_at(text: str, pos: int) -> tuple[Range, int]:
    pos = _skip(text, pos)
    if text[pos : pos + 5].lower() == "empty":
        return EMPTY, pos + 5
    if text[pos : pos + 1] not in ("[", "("):
        raise NotARange("a range starts with [ or (")
    lower_inc = text[pos] == "["
    lower, pos = _bound_at(text, pos + 1)
    if text[pos : pos + 1] != ",":
        raise NotARange("a range's bounds are separated by a comma")
    upper, pos = _bound_at(text, pos + 1)
    if text[pos : pos + 1] not in ("]", ")"):
        raise NotARange("a range ends with ] or )")
    upper_inc = text[pos] == "]"
    # PostgreSQL writes an unbounded side as exclusive
    return Range(lower, upper, lower_inc and lower is not None, upper_inc and upper is not None), (
        pos + 1
    )


def _bound_at(text: str, pos: int) -> tuple[str | None, int]:
    """One bound (quoted or not; None when there is none) and the position after it."""
    chars: list[str] = []
    quoted = in_quote = False
    while pos < len(text):
        ch = text[pos]
        if ch == "\\":
            if pos + 1 >= len(text):
                raise NotARange("a backslash at the end")
            chars.append(text[pos + 1])
            pos += 2
            continue
        if ch == '"':
            if in_quote and text[pos + 1 : pos + 2] == '"':  # "" inside quotes: a quote
                chars.append('"')
                pos += 2
                continue
            in_quote, quoted = not in_quote, True
        elif not in_quote and ch in ",)]":
            break
        else:
            chars.append(ch)
        pos += 1
    if in_quote:
        raise NotARange("an unclosed quote")
    if not chars and not quoted:
        return None, pos
    return "".join(chars).strip() if not quoted else "".join(chars), pos


def format_value(ranges: list[Range], multi: bool = False) -> str:
    """PostgreSQL's text for ``ranges`` (the inverse of :func:`parse`)."""
    if multi:
        return "{" + ",".join(_format(r) for r in ranges) + "}"
    return _format(ranges[0])


def _format(r: Range) -> str:
    if r.empty:
        return "empty"
    return (
        ("[" if r.lower_inc and r.lower is not None else "(")
        + _quote(r.lower)
        + ","
        + _quote(r.upper)
        + ("]" if r.upper_inc and r.upper is not None else ")")
    )


def _quote(bound: str | None) -> str:
    if bound is None:
        return ""
    if bound == "" or _MUST_QUOTE.search(bound):
        return '"' + bound.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return bound


def is_range_text(text: Any, column: ColumnInfo) -> bool:
    """Whether ``text`` is a value of ``column``'s range type (a constant rule's value)."""
    if not isinstance(text, str):
        return False
    kind = subtype(column)
    try:
        for bound in _bounds(parse(text, is_multi(column))):
            if kind in (DATE, DATETIME):
                _day(bound, column, "constant")
            elif kind is not None:
                _number(bound, kind == INTEGER, column)
    except (NotARange, MaskingError):
        return False
    return True


def nothing_to_move(text: str, column: ColumnInfo) -> bool:
    """Whether a value has no bound to move (``empty``, ``(,)``, ``[-infinity,infinity]``):
    such a value stays as it is, and holds nothing of anyone."""
    kind = subtype(column)
    try:
        bounds = _bounds(parse(text, is_multi(column)))
        if kind in (DATE, DATETIME):
            return all(_day(b, column, "shift_date") is None for b in bounds)
        return all(_number(b, kind == INTEGER, column) is None for b in bounds)
    except (NotARange, MaskingError):
        return False


# -- moving bounds -----------------------------------------------------------------------
def _parse_all(values: list[Any], column: ColumnInfo, operator: str) -> list[list[Range]]:
    multi, out = is_multi(column), []
    for value in values:
        try:
            out.append(parse(str(value), multi))
        except NotARange as exc:
            raise MaskingError(
                f"{operator} cannot mask column {column.name!r} ({column.sql_type}): a value "
                f"is not a range in PostgreSQL's text form ({exc}).",
                hint="the tool reads range columns as PostgreSQL writes them; this is a "
                "problem in the tool, please report it.",
            ) from None
    return out


def _bounds(ranges: list[Range]) -> list[str]:
    return [b for r in ranges for b in (r.lower, r.upper) if b is not None]


def _rebuild(ranges: list[Range], moved: dict[str, str]) -> list[Range]:
    return [
        r
        if r.empty
        else Range(
            moved.get(r.lower, r.lower) if r.lower is not None else None,
            moved.get(r.upper, r.upper) if r.upper is not None else None,
            r.lower_inc,
            r.upper_inc,
        )
        for r in ranges
    ]


def _bad_bound(column: ColumnInfo, operator: str, what: str) -> MaskingError:
    return MaskingError(
        f"{operator} cannot mask column {column.name!r} ({column.sql_type}): a bound is not "
        f"{what}.",
        hint="production's DateStyle must be ISO (PostgreSQL's default) for date and "
        "timestamp ranges; otherwise keep or null the column.",
    )


def _day(bound: str, column: ColumnInfo, operator: str) -> tuple[dt.date, str] | None:
    """(the calendar day, the rest of the text) of a date/timestamp bound; None for one that
    holds no day the calendar has (``infinity``, a BC date, a year past 9999)."""
    if bound.strip().lower() in INFINITY or bound.rstrip().upper().endswith(" BC"):
        return None
    match = _DAY.fullmatch(bound)
    if match is None:
        if re.fullmatch(r"\d{5,}-.*", bound, re.DOTALL):  # a year past 9999
            return None
        raise _bad_bound(column, operator, "an ISO date or timestamp")
    year, month, day, rest = match.groups()
    try:
        return dt.date(int(year), int(month), int(day)), rest
    except ValueError:
        raise _bad_bound(column, operator, "a valid date") from None


def shift_dates(
    values: list[Any],
    column: ColumnInfo,
    offsets: Callable[[list[int]], dict[int, dt.timedelta]],
) -> list[str]:
    """Date/timestamp ranges with every bound of a value moved by one keyed offset.

    ``offsets`` maps calendar days (ordinals) to the keyed offset ``shift_date`` gives a
    value on that day; a value's offset is its first bound's. Where the offset would take a
    bound off the calendar (year 1 or 9999), the value moves the other way (as single values
    do); a value whose bounds fit neither way (it spans the calendar) stays as it is.
    """
    parsed = _parse_all(values, column, "shift_date")
    days = [[(b, _day(b, column, "shift_date")) for b in _bounds(ranges)] for ranges in parsed]
    anchors = [next((d[0].toordinal() for _, d in bounds if d), None) for bounds in days]
    offset_of = offsets(sorted({a for a in anchors if a is not None}))
    out = []
    for ranges, bounds, anchor in zip(parsed, days, anchors, strict=True):
        if anchor is None:  # nothing to move: empty, unbounded, infinity
            out.append(format_value(ranges, is_multi(column)))
            continue
        moved = _shifted(bounds, offset_of[anchor])
        out.append(format_value(_rebuild(ranges, moved), is_multi(column)))
    return out


def _shifted(
    bounds: list[tuple[str, tuple[dt.date, str] | None]], offset: dt.timedelta
) -> dict[str, str]:
    for step in (offset, -offset):
        try:
            return {b: (d[0] + step).isoformat() + d[1] for b, d in bounds if d is not None}
        except OverflowError:
            continue
    return {}


def scale_numbers(
    values: list[Any],
    column: ColumnInfo,
    factors: Callable[[list[str]], list[float]],
    scaled: Callable[[Any, float], Any],
) -> list[str]:
    """Integer/numeric ranges with every bound of a value multiplied by one keyed factor.

    ``factors`` gives the keyed factor ``noise`` uses for a number's text, ``scaled`` applies
    one (integers stay integers, decimals keep their scale); a value's factor is its first
    bound's. The factor is positive, so the bounds keep their order; where rounding would
    join two different bounds (or part two equal ones), both are rounded at the finer scale
    and the upper one moved by one step, so a non-empty range never becomes empty.
    Integer ranges come out in PostgreSQL's canonical ``[lower,upper)`` form, within their
    type's limits.
    """
    integer = subtype(column) == INTEGER
    parsed = _parse_all(values, column, "noise")
    if integer:
        parsed = [[_canonical(r, column) for r in ranges] for ranges in parsed]
    numbers = [[_number(b, integer, column) for b in _bounds(ranges)] for ranges in parsed]
    anchors = [
        next((b for b, n in zip(_bounds(r), ns, strict=True) if n is not None), None)
        for r, ns in zip(parsed, numbers, strict=True)
    ]
    todo = sorted({a for a in anchors if a is not None})
    factor_of = dict(zip(todo, factors(todo), strict=True))
    out = []
    for ranges, anchor in zip(parsed, anchors, strict=True):
        if anchor is not None:
            ranges = [_scale(r, factor_of[anchor], integer, column, scaled) for r in ranges]
        out.append(format_value(ranges, is_multi(column)))
    return out


def _number(bound: str, integer: bool, column: ColumnInfo) -> int | Decimal | None:
    try:
        if integer:
            return int(bound)
        number = Decimal(bound)
    except (ValueError, InvalidOperation):
        raise _bad_bound(column, "noise", "a number") from None
    return number if number.is_finite() else None  # ±Infinity stays


def _limit(column: ColumnInfo) -> int:
    return INTEGER_LIMITS["INT8" if base_type(column).startswith("INT8") else "INT4"]


def _canonical(r: Range, column: ColumnInfo) -> Range:
    """An integer range as ``[lower,upper)`` (how PostgreSQL writes it anyway)."""
    if r.empty:
        return r
    lower = r.lower if r.lower is None or r.lower_inc else str(_number(r.lower, True, column) + 1)
    upper = (
        r.upper if r.upper is None or not r.upper_inc else str(_number(r.upper, True, column) + 1)
    )
    if lower is not None and upper is not None and int(lower) >= int(upper):
        return EMPTY
    return Range(lower, upper, lower is not None, False)


def _scale(
    r: Range,
    factor: float,
    integer: bool,
    column: ColumnInfo,
    scaled: Callable[[Any, float], Any],
) -> Range:
    if r.empty:
        return r
    lo = _number(r.lower, integer, column) if r.lower is not None else None
    hi = _number(r.upper, integer, column) if r.upper is not None else None
    new_lo = scaled(lo, factor) if lo is not None else None
    new_hi = scaled(hi, factor) if hi is not None else None
    if integer:
        new_lo, new_hi = _fit_integers(lo, hi, new_lo, new_hi, _limit(column))
    elif lo is not None and hi is not None and new_lo is not None and new_hi is not None:
        assert isinstance(lo, Decimal) and isinstance(hi, Decimal)
        new_lo, new_hi = _fit_decimals(lo, hi, new_lo, new_hi, factor)
    return Range(
        r.lower if new_lo is None else _text(new_lo),
        r.upper if new_hi is None else _text(new_hi),
        r.lower_inc,
        r.upper_inc,
    )


def _fit_integers(
    lo: Any, hi: Any, new_lo: Any, new_hi: Any, limit: int
) -> tuple[int | None, int | None]:
    """Keep ``[lower,upper)`` non-empty and within the type's limits."""
    if new_lo is not None:
        new_lo = max(-limit, min(new_lo, limit - 2 if hi is not None else limit - 1))
    if new_hi is not None:
        new_hi = max(-limit + 1 if lo is not None else -limit, min(new_hi, limit - 1))
    if new_lo is not None and new_hi is not None and new_hi <= new_lo:
        new_hi = new_lo + 1  # lo < hi in a canonical non-empty range
    return new_lo, new_hi


def _fit_decimals(
    lo: Decimal, hi: Decimal, new_lo: Decimal, new_hi: Decimal, factor: float
) -> tuple[Decimal, Decimal]:
    """Bounds rounded each at its own scale can meet or cross: round both at the finer one."""
    if (lo < hi and new_lo < new_hi) or (lo == hi and new_lo == new_hi):
        return new_lo, new_hi
    exponent = min(int(lo.as_tuple().exponent), int(hi.as_tuple().exponent))
    step = Decimal(1).scaleb(exponent)
    multiplier = Decimal(repr(factor))
    new_lo = (lo * multiplier).quantize(step)
    new_hi = new_lo if lo == hi else max((hi * multiplier).quantize(step), new_lo + step)
    return new_lo, new_hi


def _text(number: Any) -> str:
    return format(number, "f") if isinstance(number, Decimal) else str(number)
