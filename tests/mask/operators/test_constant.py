"""``constant``: one fixed value for every non-NULL row."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from sanitizer.config.yamlfile import Location
from sanitizer.errors import ConfigError
from sanitizer.mask.operators import parse_rule
from sanitizer.schema import ColumnInfo

WHERE = Location("rules/app.yaml", 21)
INTEGER = ColumnInfo("n", "integer", "INTEGER")
DATE = ColumnInfo("d", "date", "DATE")

CASES = [
    # (rule, column, input series, expected)
    (
        {"constant": "!staging-disabled"},
        None,
        pl.Series("c", ["$2b$12$abc", None, "", "other"]),
        ["!staging-disabled", None, "", "!staging-disabled"],
    ),
    ({"constant": 0}, INTEGER, pl.Series("n", [5, None, 7]), [0, None, 0]),
    (
        {"constant": dt.date(2000, 1, 1)},
        DATE,
        pl.Series("d", [dt.date(1980, 5, 4), None]),
        [dt.date(2000, 1, 1), None],
    ),
    ({"constant": 0}, None, pl.Series("c", ["a", "b"]), ["0", "0"]),
]


@pytest.mark.parametrize(("rule", "column", "series", "expected"), CASES)
def test_constant_replaces_every_non_null_value(mask_series_with, rule, column, series, expected):
    args = (rule, series) if column is None else (rule, series, column)
    out = mask_series_with(*args)
    assert out.to_list() == expected
    assert out.dtype == series.dtype


@pytest.mark.parametrize("argument", [None, [1], {"value": 1}])
def test_constant_needs_a_scalar_value(argument):
    with pytest.raises(ConfigError, match=r"rules/app\.yaml:21: constant: needs a value"):
        parse_rule({"constant": argument}, WHERE)


def test_constant_label_shows_the_value():
    assert parse_rule({"constant": "x"}, WHERE).label() == "constant: 'x'"
    assert parse_rule({"constant": 0}, WHERE).label() == "constant: 0"


def test_constant_cannot_be_unique():
    with pytest.raises(ConfigError, match="cannot guarantee distinct outputs"):
        parse_rule({"constant": "x", "unique": True}, WHERE)
