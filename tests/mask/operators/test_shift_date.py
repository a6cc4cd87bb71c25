"""``shift_date``: a keyed, non-zero shift within ±max_days; time of day and text format kept."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sanitizer.config.yamlfile import Location
from sanitizer.errors import ConfigError
from sanitizer.mask.operators import parse_rule
from sanitizer.schema import ColumnInfo

WHERE = Location("rules/app.yaml", 60)
DATE = ColumnInfo("birth_date", "date", "DATE")
STAMP = ColumnInfo("seen_at", "datetime", "TIMESTAMP")
RULE = {"shift_date": {"max_days": 180}}


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 1, 1)))
def test_dates_move_by_one_to_max_days(mask_one, day):
    out = mask_one(RULE, day, DATE)
    assert isinstance(out, dt.date)
    assert 1 <= abs((out - day).days) <= 180


@given(st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2100, 1, 1)))
def test_timestamps_keep_their_time_of_day(mask_one, stamp):
    out = mask_one(RULE, stamp, STAMP)
    assert out.time() == stamp.time()
    assert 1 <= abs((out.date() - stamp.date()).days) <= 180


@pytest.mark.parametrize(
    ("text", "fmt"),
    [
        ("1984-07-12", "%Y-%m-%d"),
        ("1984-07-12 08:30:00", "%Y-%m-%d %H:%M:%S"),
        ("1984-07-12T08:30:00.123456", "%Y-%m-%dT%H:%M:%S.%f"),
        ("12/07/1984", "%d/%m/%Y"),
        ("1984/07/12", "%Y/%m/%d"),
    ],
)
def test_dates_stored_as_text_keep_their_format(mask_one, text, fmt):
    out = mask_one(RULE, text)
    before, after = dt.datetime.strptime(text, fmt), dt.datetime.strptime(out, fmt)
    assert after.time() == before.time()
    assert 1 <= abs((after - before).days) <= 180


def test_unparseable_text_is_scrambled_not_kept(mask_one):
    out = mask_one(RULE, "31/31/1984")
    assert out != "31/31/1984"
    assert len(out) == len("31/31/1984")
    assert out[2] == out[5] == "/"


def test_same_date_shifts_the_same_way_everywhere(mask):
    day = dt.date(1984, 7, 12)
    assert mask(RULE, [day], DATE) == mask(RULE, [day, dt.date(2000, 1, 1)], DATE)[:1]


@pytest.mark.parametrize("day", [dt.date.min, dt.date.max])
def test_calendar_edges_do_not_overflow(mask_one, day):
    out = mask_one(RULE, day, DATE)
    assert 1 <= abs((out - day).days) <= 180


def test_a_date_column_keeps_nulls_and_dtype(mask_series_with):
    series = pl.Series("birth_date", [dt.date(1984, 7, 12), None])
    out = mask_series_with(RULE, series, DATE)
    assert out.dtype == pl.Date
    assert out[1] is None
    assert out[0] != series[0]


@pytest.mark.parametrize(
    "argument",
    [
        None,
        30,
        {"max_days": 0},
        {"max_days": -3},
        {"max_days": "30"},
        {"max_days": True},
        {"max_days": 30, "min_days": 1},
    ],
)
def test_shift_date_needs_positive_max_days(argument):
    with pytest.raises(ConfigError, match=r"rules/app\.yaml:60: shift_date: needs max_days"):
        parse_rule({"shift_date": argument}, WHERE)
