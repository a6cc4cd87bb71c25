"""``null``: every row becomes NULL (blanks included); only for nullable columns."""

from __future__ import annotations

import polars as pl
import pytest

from sanitizer.config.yamlfile import Location
from sanitizer.errors import ConfigError
from sanitizer.mask.operators import parse_rule
from sanitizer.mask.operators.null import Null

WHERE = Location("rules/app.yaml", 4)


@pytest.mark.parametrize(
    ("values", "dtype"),
    [
        (["a", "", "  ", None], pl.String),
        ([1, 2, None], pl.Int64),
        ([1.5, None], pl.Float64),
        ([True, False], pl.Boolean),
        ([], pl.String),
    ],
)
def test_null_empties_every_row_and_keeps_the_dtype(values, dtype):
    op = parse_rule("null", WHERE)
    series = pl.Series("legacy", values, dtype=dtype)
    out = op.mask_whole(series)
    assert out.name == "legacy"
    assert out.dtype == dtype
    assert out.len() == len(values)
    assert out.null_count() == len(values)


def test_null_mask_values_gives_none_for_each_value(mask):
    assert mask("null", ["x", 3]) == [None, None]


def test_null_is_parsed_from_its_name():
    op = parse_rule("null", WHERE)
    assert isinstance(op, Null)
    assert op.changes_values
    assert not op.can_be_unique()
    assert op.label() == "null"


def test_null_takes_no_argument():
    with pytest.raises(ConfigError, match=r"rules/app\.yaml:4: null: takes no argument"):
        parse_rule({"null": "please"}, WHERE)
