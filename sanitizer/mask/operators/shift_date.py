"""``shift_date``: move a date or timestamp by a keyed number of days within ±max_days.

The shift is derived from the value, so the same birth date shifts the same way in every table
and run; the time of day and the text format of a date stored as text are kept. On PostgreSQL
date and timestamp ranges (and multiranges) every bound of a value moves by the offset of its
first bound's day (sanitizer/mask/ranges.py).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import polars as pl

from sanitizer.mask import ranges
from sanitizer.mask.codecs import TextCodec
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

ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# the day the time of day of a timestamp's text is parsed with (see ShiftDate.mask_texts)
ANY_DAY = dt.date(2000, 1, 1)


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

    def mask_texts(self, texts: pl.Series, ctx: MaskContext, codec: TextCodec) -> pl.Series | None:
        """COPY texts of dates and timestamps (``2021-03-04 10:00:01+00``) in bulk.

        A shifted timestamp's text is its new day's text followed by its time of day as
        Python writes it, so the day part (a few distinct days) is shifted once per day and
        the time part rewritten in polars. A value this cannot read exactly like the codec
        (another layout, ``infinity``, a BC year) is NULL here and masked one at a time, so
        the output is the same text either way.
        """
        kind = ctx.column.kind
        decoders = {DATE: dt.date.fromisoformat, DATETIME: dt.datetime.fromisoformat}
        if kind not in decoders or codec.decoder != decoders[kind]:
            return None
        days, rests = texts.str.slice(0, 10), texts.str.slice(10)
        new_days = self._shifted_days(days.drop_nulls().unique().to_list(), ctx)
        shifted = days.replace_strict(new_days, default=None, return_dtype=pl.String)
        return (shifted + _time_texts(rests, kind)).alias(texts.name)

    def _shifted_days(self, days: list[str], ctx: MaskContext) -> dict[str, str | None]:
        """Each ``YYYY-MM-DD`` text's shifted day (None: not a day the fast path reads)."""
        parsed: dict[str, dt.date] = {}
        for text in days:
            if text is not None and ISO_DAY.fullmatch(text):
                try:
                    parsed[text] = dt.date.fromisoformat(text)
                except ValueError:
                    continue
        offsets = self.offsets([day.toordinal() for day in parsed.values()], ctx)
        shifted: dict[str, str | None] = dict.fromkeys(days)
        for text, day in parsed.items():
            shifted[text] = _add(day, offsets[day.toordinal()]).isoformat()
        return shifted

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


# PostgreSQL's text of a time of day with an optional fraction and UTC offset
# (`` 10:00:01.25+05:30``), fields in range: the layout _time_texts writes in polars.
PG_TIME = re.compile(
    r"^[ T]((?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9])(?:\.([0-9]{1,6}))?"
    r"(?:([+-])([01][0-9]|2[0-3])(?::([0-5][0-9]))?)?$"
)


def _time_texts(rests: pl.Series, kind: str) -> pl.Series:
    """:func:`_time_text` of every text: PostgreSQL's usual layout written in polars (a
    fraction padded to microseconds, dropped when zero; ``+05`` → ``+05:00``, a zero offset
    → ``+00:00``), anything else through Python once per distinct text."""
    if kind == DATE:
        return pl.select(pl.when(rests == "").then(pl.lit("")).alias("t")).to_series()
    parts = rests.str.extract_groups(PG_TIME.pattern).struct.unnest()
    clock, fraction, sign, hours, minutes = (parts.get_column(str(i)) for i in range(1, 6))
    micros = fraction.str.pad_end(6, "0")
    minutes = minutes.fill_null("00")
    frame = pl.DataFrame({"c": clock, "m": micros, "s": sign, "h": hours, "n": minutes})
    fast = frame.select(
        pl.when(pl.col("c").is_null())
        .then(None)
        .otherwise(
            pl.lit(" ")
            + pl.col("c")
            + pl.when(pl.col("m").is_null() | (pl.col("m") == "000000"))
            .then(pl.lit(""))
            .otherwise("." + pl.col("m"))
            + pl.when(pl.col("s").is_null())
            .then(pl.lit(""))
            .when((pl.col("h") == "00") & (pl.col("n") == "00"))
            .then(pl.lit("+00:00"))
            .otherwise(pl.col("s") + pl.col("h") + ":" + pl.col("n"))
        )
        .alias("t")
    ).to_series()
    missing = rests.filter(fast.is_null()).drop_nulls().unique().to_list()
    if not missing:
        return fast
    slow = {rest: _time_text(rest, kind) for rest in missing}
    return fast.fill_null(rests.replace_strict(slow, default=None, return_dtype=pl.String))


def _time_text(rest: str, kind: str) -> str | None:
    """What follows the day in a shifted value's text, written as the codec writes it back
    (``" 10:00:01+00:00"``; nothing for a date); None when the codec would not read it."""
    if kind == DATE:
        return "" if rest == "" else None
    try:
        moment = dt.datetime.fromisoformat(ANY_DAY.isoformat() + rest)
    except ValueError:
        return None
    if moment.date() != ANY_DAY:  # the time of day moved the day: leave it to the codec
        return None
    return moment.isoformat(sep=" ")[10:]


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
