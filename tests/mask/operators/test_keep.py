"""``keep``: values pass through untouched, on every column kind."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import polars as pl
import pytest

from sanitizer.config.yamlfile import Location
from sanitizer.errors import ConfigError
from sanitizer.mask.operators import parse_rule
from sanitizer.mask.operators.base import ALL_KINDS
from sanitizer.mask.operators.keep import Keep

WHERE = Location("rules/app.yaml", 12)


@pytest.mark.parametrize(
    "value",
    ["jane@corp.com", "", "   ", 42, Decimal("1.10"), 2.5, True, dt.date(2001, 2, 3), {"a": 1}],
)
def test_keep_returns_values_unchanged(mask, value):
    assert mask("keep", [value]) == [value]


def test_keep_leaves_a_batch_column_as_it_is(mask_series_with):
    series = pl.Series("c", ["a", None, "", "  b  "])
    out = mask_series_with("keep", series)
    assert out.to_list() == ["a", None, "", "  b  "]
    assert out.dtype == series.dtype


def test_keep_declares_itself_a_pass_through():
    op = parse_rule("keep", WHERE)
    assert isinstance(op, Keep)
    assert not op.changes_values
    assert op.can_be_unique()
    assert op.kinds == ALL_KINDS
    assert op.label() == "keep"
    assert op.strength == 0


@pytest.mark.parametrize("spec", [{"keep": 2}, {"keep": "yes"}, {"keep": [1]}])
def test_keep_takes_no_argument(spec):
    with pytest.raises(ConfigError, match=r"rules/app\.yaml:12: keep: takes no argument"):
        parse_rule(spec, WHERE)


@pytest.mark.parametrize("spec", [{"keep": None}, {"keep": True}, {"keep": {}}])
def test_keep_accepts_an_empty_argument(spec):
    assert isinstance(parse_rule(spec, WHERE), Keep)
