"""``noise``: numbers times a keyed factor in [1-ratio, 1+ratio]; type, scale and zero kept."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sanitizer.config.yamlfile import Location
from sanitizer.errors import ConfigError
from sanitizer.mask.operators import parse_rule
from sanitizer.schema import ColumnInfo

WHERE = Location("rules/app.yaml", 70)
RULE = {"noise": {"ratio": 0.1}}
INTEGER = ColumnInfo("n", "integer", "INTEGER")
FLOAT = ColumnInfo("f", "float", "DOUBLE PRECISION")
MONEY = ColumnInfo("amount", "decimal", "NUMERIC(6,2)", precision=6, scale=2)


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_integers_stay_integers_within_the_ratio(mask_one, number):
    out = mask_one(RULE, number, INTEGER)
    assert isinstance(out, int)
    assert abs(out - number) <= abs(number) * 0.1 + 0.5
    if number:
        assert (out > 0) == (number > 0)


@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False))
def test_floats_stay_within_the_ratio(mask_one, number):
    out = mask_one(RULE, number, FLOAT)
    assert isinstance(out, float)
    assert abs(out - number) <= abs(number) * 0.1 + 1e-9


@given(st.decimals(min_value=-9999, max_value=9999, places=2, allow_nan=False))
def test_decimals_keep_scale_and_fit_precision(mask_one, amount):
    out = mask_one(RULE, amount, MONEY)
    assert isinstance(out, Decimal)
    assert out.as_tuple().exponent == amount.as_tuple().exponent
    assert abs(out) <= Decimal("9999.99")


def test_decimals_at_the_precision_limit_are_clamped(mask_one):
    big = Decimal("9999.99")
    outs = {
        mask_one({"noise": {"ratio": 0.5}}, big + Decimal(i) / 100 - 1, MONEY) for i in range(50)
    }
    assert all(abs(o) <= Decimal("9999.99") for o in outs)


def test_zero_stays_zero(mask):
    assert mask(RULE, [0], INTEGER) == [0]
    assert mask(RULE, [Decimal("0.00")], MONEY) == [Decimal("0.00")]


def test_noise_is_keyed_and_consistent(mask):
    values = list(range(1000, 1100))
    first = mask(RULE, values, INTEGER)
    assert first == mask(RULE, values, INTEGER)
    assert first != mask(RULE, values, INTEGER, key=b"a-rotated-staging-key-000000000")
    assert first != values


@pytest.mark.parametrize(
    "argument",
    [
        None,
        0.1,
        {"ratio": 0},
        {"ratio": 1},
        {"ratio": 1.5},
        {"ratio": "10%"},
        {"ratio": 0.1, "seed": 3},
    ],
)
def test_noise_needs_a_ratio_between_0_and_1(argument):
    with pytest.raises(ConfigError, match=r"rules/app\.yaml:70: noise: needs ratio"):
        parse_rule({"noise": argument}, WHERE)


def test_noise_applies_to_numbers_only():
    # and to ranges of numbers (tests/mask/operators/test_ranges.py)
    assert parse_rule(RULE, WHERE).kinds == {"integer", "decimal", "float", "range"}
    assert parse_rule(RULE, WHERE).label() == "noise: 0.1"
