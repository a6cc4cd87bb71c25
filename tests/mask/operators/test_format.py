"""``format: preserve``: digits→digits, letters→letters (same case), everything else kept."""

from __future__ import annotations

import re

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sanitizer.config.yamlfile import Location
from sanitizer.errors import ConfigError
from sanitizer.mask.operators import parse_rule
from sanitizer.schema import ColumnInfo

WHERE = Location("rules/app.yaml", 50)
BIGINT = ColumnInfo("id", "integer", "BIGINT", nullable=False, unique=True)
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1

SHAPES = [
    # (original, regex the output must fully match)
    ("123-45-6789", r"\d{3}-\d{2}-\d{4}"),
    ("DE123456789", r"[A-Z]{2}\d{9}"),
    ("GB123 4567 89", r"[A-Z]{2}\d{3} \d{4} \d{2}"),
    ("ab-12 CD.x", r"[a-z]{2}-\d{2} [A-Z]{2}\.[a-z]"),
    ("H2G 1A7", r"[A-Z]\d[A-Z] \d[A-Z]\d"),
    ("ÉTÉ-2024", r"[A-Z]{3}-\d{4}"),  # non-ASCII letters become ASCII letters of the same case
    ("...", r"\.\.\."),  # nothing to scramble
]


@pytest.mark.parametrize(("original", "shape"), SHAPES)
def test_format_keeps_the_shape(mask_one, original, shape):
    assert re.fullmatch(shape, mask_one({"format": "preserve"}, original))


@given(st.integers(min_value=INT64_MIN, max_value=INT64_MAX))
@settings(max_examples=200)
def test_format_on_integers_keeps_sign_and_digit_count(mask_one, number):
    out = mask_one({"format": "preserve"}, number, BIGINT)
    assert isinstance(out, int)
    assert (out < 0) == (number < 0)
    assert len(str(abs(out))) == len(str(abs(number)))


@given(st.lists(st.integers(min_value=INT64_MIN, max_value=INT64_MAX), min_size=1, unique=True))
def test_format_on_bigint_ids_stays_a_distinct_bigint(mask_series_with, ids):
    """Snowflake-style 19-digit ids must not overflow int64 (which polars turns into NULL)."""
    series = pl.Series("id", ids, dtype=pl.Int64)
    out = mask_series_with({"format": "preserve"}, series, BIGINT)
    assert out.dtype == pl.Int64
    assert out.null_count() == 0
    assert out.n_unique() == len(ids)


def test_format_on_large_snowflake_ids(mask_series_with):
    ids = pl.Series("id", [1_234_567_890_123_456_789 + i for i in range(200)], dtype=pl.Int64)
    out = mask_series_with({"format": "preserve"}, ids, BIGINT)
    assert out.null_count() == 0
    assert out.n_unique() == 200
    assert all(len(str(v)) == 19 for v in out.to_list())


def test_format_uses_the_attempt_to_redraw(mask):
    first, second = mask("format", ["AB-1234"]), mask("format", ["AB-1234"], attempt=1)
    assert first != second


@pytest.mark.parametrize("spec", ["format", {"format": "preserve"}, {"format": True}])
def test_format_spellings(spec):
    op = parse_rule(spec, WHERE)
    assert op.label() == "format: preserve"
    assert op.can_be_unique()


def test_format_rejects_unknown_modes():
    with pytest.raises(ConfigError, match=r"rules/app\.yaml:50: format: unknown mode 'scramble'"):
        parse_rule({"format": "scramble"}, WHERE)


@pytest.mark.parametrize("number", range(-9, 10))
def test_format_on_single_digits_keeps_the_sign(mask_one, number):
    """Hypothesis once found -7 → 0: a negative single digit must not become zero."""
    out = mask_one({"format": "preserve"}, number, BIGINT)
    assert (out < 0) == (number < 0)
    assert len(str(abs(out))) == 1
