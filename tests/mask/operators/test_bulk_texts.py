"""Bulk paths over COPY texts give exactly the one-value-at-a-time output (issue 16: speed
work changes no result), including on the values the bulk path hands back to that path."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sanitizer.config.yamlfile import Location
from sanitizer.mask.codecs import TextCodec
from sanitizer.mask.fakes import fake_email, refill
from sanitizer.mask.operators import parse_rule
from sanitizer.mask.operators.base import (
    MaskContext,
    _mask_each,
    decoded_uniques,
    mask_series,
    mask_uniques,
)
from sanitizer.mask.operators.fake import _generate, take_shape
from sanitizer.mask.operators.noise import _scaled
from sanitizer.mask.pseudonyms import Draw, Keyring, digits_of, normalize
from sanitizer.schema import ColumnInfo

WHERE = Location("rules/app.yaml", 3)
STAMPTZ = ColumnInfo("seen_at", "datetime", "TIMESTAMPTZ")
DAY = ColumnInfo("born", "date", "DATE")
SHIFT = {"shift_date": {"max_days": 400}}

# PostgreSQL's own texts and the odd ones the fast path must hand over (or get right)
STAMPS = [
    "2021-01-01 00:00:01+00",
    "2021-01-01 23:59:59.5-03",
    "2021-06-30 12:00:00.123456+05:30",
    "2021-06-30 12:00:00.000000+05:30",
    "2021-06-30 12:00:00.0+01",
    "2021-06-30 12:00:00-00",
    "2021-06-30 12:00:00+00:00:00",
    "2021-06-30 12:00:00+05:30:15",
    "2021-06-30T08:15:00",
    "2021-06-30 08:15:00",
    "2021-06-30",
    "2021-06-30 08:15",
    "2021-06-30 08:15:00.1234567+00",
    "2021-06-30 24:00:00+00",
    "2021-02-29 10:00:00+00",
    "0001-01-02 10:00:00+00",
    "9999-12-30 10:00:00+00",
    "2021-06-30 10:00:00+00 BC",
    "infinity",
    "-infinity",
    "",
    "   ",
    None,
]
DAYS = ["2021-01-01", "0001-01-01", "9999-12-31", "2021-02-29", "20210101", "infinity", None]


def _both(column: ColumnInfo, texts: list[str | None]) -> tuple[list, list]:
    op = parse_rule(SHIFT, WHERE)
    ctx = MaskContext(_keyring(), column)
    codec = TextCodec(column.kind)
    series = pl.Series(column.name, texts, dtype=pl.String)
    bulk = mask_series(op, series, ctx, codec, {})
    each = _mask_each(op, series, ctx, codec, {})
    return bulk.to_list(), each.to_list()


def _keyring() -> Keyring:
    return Keyring(b"bulk-texts-test-key")


@pytest.mark.parametrize(("column", "texts"), [(STAMPTZ, STAMPS), (DAY, DAYS)])
def test_shift_date_bulk_equals_one_at_a_time(column, texts):
    bulk, each = _both(column, texts)
    assert bulk == each
    assert bulk[0] != texts[0]  # it did shift


@pytest.mark.parametrize(("column", "texts"), [(STAMPTZ, STAMPS), (DAY, DAYS)])
def test_shift_date_bulk_uniques_equal_the_codec_path(column, texts):
    """The unique-column path (a list of distinct values) agrees too, order included."""
    op = parse_rule(SHIFT, WHERE)
    ctx = MaskContext(_keyring(), column)
    codec = TextCodec(column.kind)
    values = [t for t in texts if t and t.strip()]
    assert mask_uniques(op, values, ctx, codec) == decoded_uniques(op, values, ctx, codec)


@settings(max_examples=200, deadline=None)
@given(
    st.datetimes(
        min_value=dt.datetime(1, 1, 1),
        max_value=dt.datetime(9999, 12, 31),
        timezones=st.one_of(
            st.none(),
            st.timedeltas(min_value=-dt.timedelta(hours=23), max_value=dt.timedelta(hours=23))
            .map(lambda d: dt.timedelta(minutes=d // dt.timedelta(minutes=1)))
            .map(dt.timezone),
        ),
    ),
    st.sampled_from([" ", "T"]),
)
def test_shift_date_bulk_on_any_timestamp(moment, sep):
    text = moment.isoformat(sep=sep)
    short = text.replace(":00", "", 1) if text.endswith(":00") else text  # +05:00 -> +05
    bulk, each = _both(STAMPTZ, [text, short])
    assert bulk == each


EMAILS = [
    "user1@corp1.com",
    "Jane.Doe@Example.COM",
    "JANE@CORP.COM",
    "  padded@corp.com ",
    "no-at-sign",
    "jane@",
    "@corp.com",
    "a@b@corp.com",
    "jane@localhost",
    "Ünïcödé@bücher.de",
    "straße@corp.de",
    "line\nbreak@corp.com",
    "x" * 300 + "@corp.com",
]


def _emails_one_at_a_time(values: list[str], ctx: MaskContext) -> list[str]:
    """What fake: email made of each value before the bulk path (take_shape of _generate)."""
    texts = [str(v) for v in values]
    digests = ctx.keyring.digests("email", [normalize("email", t) for t in texts])
    key = ctx.keyring.subkey("format")
    return [
        take_shape(t, _generate(fake_email, t.strip(), d, key))
        for t, d in zip(texts, digests, strict=True)
    ]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(st.emails(), st.text(max_size=30)), max_size=30, unique=True))
def test_fake_email_bulk_equals_one_at_a_time(generated):
    column = ColumnInfo("email", "string", "TEXT")
    op = parse_rule({"fake": "email"}, WHERE)
    ctx = MaskContext(_keyring(), column)
    values = [v for v in dict.fromkeys(EMAILS + generated) if v.strip()]
    assert op.mask_values(values, ctx) == _emails_one_at_a_time(values, ctx)


@given(st.text(), st.text(alphabet="0123456789", max_size=20))
def test_refill_and_digits_of_read_digits_as_isdigit_does(original, digits):
    """The phone (and normalize) helpers agree with the per-character definitions, Unicode
    digits ('²', '٣') included."""
    new = iter(digits)
    assert refill(original, digits) == "".join(
        next(new, "0") if ch.isdigit() else ch for ch in original
    )
    assert digits_of(original) == "".join(ch for ch in original if ch.isdigit())
    ascii_text = original.encode("ascii", "ignore").decode()
    new = iter(digits)
    assert refill(ascii_text, digits) == "".join(
        next(new, "0") if ch.isdigit() else ch for ch in ascii_text
    )


@settings(max_examples=50, deadline=None)
@given(
    st.lists(
        st.decimals(min_value="-9999999999.99", max_value="9999999999.99", places=2),
        max_size=40,
    ),
    st.sampled_from([0.05, 0.1, 0.333, 0.9]),
)
def test_noise_factors_and_decimals_equal_one_draw_at_a_time(numbers, ratio):
    """noise's factors (numpy over the digests) and its Decimal loop give what a Draw per
    value and _scaled gave."""
    column = ColumnInfo("amount", "decimal", "NUMERIC(12,2)", precision=12, scale=2)
    op = parse_rule({"noise": {"ratio": ratio}}, WHERE)
    ctx = MaskContext(_keyring(), column)
    values = list(dict.fromkeys(numbers))
    texts = [str(v) for v in values]
    digests = ctx.keyring.digests(op.label(), texts)
    expected = [1 + op.ratio * (2 * Draw(d).unit() - 1) for d in digests]
    assert op.factors(texts, ctx) == expected
    limit = Decimal("9999999999.99")
    scaled = [_scaled(v, f, limit) for v, f in zip(values, expected, strict=True)]
    assert op.mask_values(values, ctx) == scaled
    assert [str(v) for v in op.mask_values(values, ctx)] == [str(v) for v in scaled]
