"""``shift_date``: move a date or timestamp by a keyed number of days within ±max_days.

The shift is derived from the value, so the same birth date shifts the same way in every table
and run; the time of day and the text format of a date stored as text are kept. On PostgreSQL
date and timestamp ranges (and multiranges) every bound of a value moves by the offset of its
first bound's day (sanitizer/mask/ranges.py).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sanitizer.mask import ranges
from sanitizer.mask.fpe import scramble
from sanitizer.mask.operators.base import MaskContext, Operator
from sanitizer.mask.pseudonyms import Draw
from sanitizer.schema import DATE, DATETIME, OTHER, RANGE, STRING, ColumnInfo

TEXT_FORMATS = (
    "%Y-%m-%d",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%dT%H:%M:%S.%f",
    "%d/%m/%Y",
    "%m/%d/%Y",
    "%Y/%m/%d",
)


class ShiftDate(Operator):
    """Time of day and text formats are kept. On date/timestamp ranges and multiranges
    (``daterange``, ``tstzrange``…) all bounds of a value move by one offset (its first
    bound's), so lengths, inclusivity, unbounded sides, ``infinity`` and ``empty`` are kept.
    Each value has its own offset: two adjacent ranges may overlap afterwards, so a range column
    under an exclusion constraint (``EXCLUDE USING gist (room WITH =, during WITH &&)``) can fail
    when the constraint is recreated after the data; keep such a column."""

    name = "shift_date"
    summary = "Shift dates/timestamps by a keyed, non-zero number of days within ±max_days."
    example = "birth_date: {shift_date: {max_days: 180}}"
    replaces_every_value = True
    kinds = frozenset({DATE, DATETIME, STRING, OTHER, RANGE})
    strength = 1

    @classmethod
    def takes(cls, column: ColumnInfo) -> bool:
        """Ranges of dates and timestamps; not of numbers."""
        if column.kind == RANGE:
            return ranges.subtype(column) in (DATE, DATETIME)
        return super().takes(column)

    def configure(self, argument: Any) -> None:
        days = argument.get("max_days") if isinstance(argument, dict) else None
        extra = set(argument) - {"max_days"} if isinstance(argument, dict) else set()
        if extra or not isinstance(days, int) or isinstance(days, bool) or days < 1:
            raise self.invalid(
                "needs max_days, a positive number of days", "write {shift_date: {max_days: 180}}"
            )
        self.max_days: int = days

    def label(self) -> str:
        return f"shift_date: {self.max_days}"

    def stays(self, value: str, column: ColumnInfo) -> bool:
        """PostgreSQL's ``infinity`` dates, and ranges with no day to move (``empty``, ``(,)``)."""
        if column.kind == RANGE:
            return ranges.nothing_to_move(value, column)
        return value.strip().lower() in ranges.INFINITY

    def offset(self, digest: bytes) -> dt.timedelta:
        draw = Draw(digest)
        days = 1 + draw.below(self.max_days)
        return dt.timedelta(days=days if draw.below(2) else -days)

    def offsets(self, days: list[int], ctx: MaskContext) -> dict[int, dt.timedelta]:
        """The keyed offset of each calendar day (an ordinal), one digest per distinct day."""
        unique = sorted(set(days))
        names = [dt.date.fromordinal(day).isoformat() for day in unique]
        digests = ctx.keyring.digests(self.label(), names, ctx.attempt)
        return {day: self.offset(d) for day, d in zip(unique, digests, strict=True)}

    def mask_values(self, values: list[Any], ctx: MaskContext) -> list[Any]:
        """Every value on the same calendar day moves by the same keyed offset.

        Keying on the day keeps same-day events in order and their time of day, and makes
        the cost one digest per distinct day rather than per timestamp.
        """
        if ctx.column.kind == RANGE:
            return ranges.shift_dates(values, ctx.column, lambda days: self.offsets(days, ctx))
        key = ctx.keyring.subkey("format")
        parsed = [_parse(value) for value in values]
        offsets = self.offsets([moment.toordinal() for moment, _ in parsed if moment], ctx)
        out = []
        for value, (moment, fmt) in zip(values, parsed, strict=True):
            if moment is None:  # unparseable: malformed-looking, nothing kept
                out.append(scramble(str(value), key, "shift_date"))
                continue
            shifted = _add(moment, offsets[moment.toordinal()])
            out.append(shifted.strftime(fmt) if fmt else shifted)
        return out


def _parse(value: Any) -> tuple[dt.date | None, str | None]:
    """(the moment, the text format it came in — None for real date/datetime values)."""
    if isinstance(value, dt.date):
        return value, None
    text = str(value)
    for fmt in TEXT_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt), fmt
        except ValueError:
            continue
    return None, None


def _add(moment: dt.date, offset: dt.timedelta) -> dt.date:
    try:
        return moment + offset
    except OverflowError:  # year 1 or 9999: shift the other way
        return moment - offset
