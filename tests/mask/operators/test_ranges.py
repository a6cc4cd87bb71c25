"""PostgreSQL ranges and multiranges: ``shift_date`` and ``noise`` move a value's bounds together.

Values are PostgreSQL's text form, as masking receives them. The invariants (one offset or
factor per value, lower ≤ upper, inclusivity, unbounded sides, ``infinity`` and ``empty``
kept, integers stay integers) are checked with hypothesis on generated ranges.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sanitizer.config.yamlfile import Location
from sanitizer.errors import MaskingError
from sanitizer.mask import ranges
from sanitizer.mask.engine import _unchanged
from sanitizer.mask.operators import operators_for, parse_rule
from sanitizer.mask.operators.base import MaskContext
from sanitizer.mask.ranges import Range
from sanitizer.schema import RANGE, ColumnInfo

WHERE = Location("rules/app.yaml", 9)
SHIFT = {"shift_date": {"max_days": 90}}
NOISE = {"noise": {"ratio": 0.2}}
DATE_COLUMN = ColumnInfo("born", "date", "DATE")


def column(sql_type: str) -> ColumnInfo:
    return ColumnInfo("during", RANGE, sql_type)


DATERANGE, TSRANGE, TSTZRANGE = column("DATERANGE"), column("TSRANGE"), column("TSTZRANGE")
INT4RANGE, INT8RANGE, NUMRANGE = column("INT4RANGE"), column("INT8RANGE"), column("NUMRANGE")
DATEMULTI, INT4MULTI = column("DATEMULTIRANGE"), column("INT4MULTIRANGE")


# -- the text form -----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "multi", "parsed"),
    [
        ("[2024-01-01,2024-02-01)", False, [Range("2024-01-01", "2024-02-01", True, False)]),
        ("empty", False, [ranges.EMPTY]),
        ("(,5]", False, [Range(None, "5", False, True)]),
        ("(,)", False, [Range()]),
        ("[2024-01-01,infinity]", False, [Range("2024-01-01", "infinity", True, True)]),
        (
            '["2024-01-01 10:00:00+00",)',
            False,
            [Range("2024-01-01 10:00:00+00", None, True, False)],
        ),
        ('["a\\"b","c""d")', False, [Range('a"b', 'c"d', True, False)]),
        ("{}", True, []),
        ("{[1,3),[7,9)}", True, [Range("1", "3", True, False), Range("7", "9", True, False)]),
        ("{[1,3), empty}", True, [Range("1", "3", True, False), ranges.EMPTY]),
    ],
)
def test_parse_reads_postgresql_text(text, multi, parsed):
    assert ranges.parse(text, multi) == parsed


@pytest.mark.parametrize(
    ("text", "multi"), [("2024-01-01", False), ("[1,2", False), ("[1,2) x", False), ("[1,2)", True)]
)
def test_parse_refuses_what_is_not_a_range(text, multi):
    with pytest.raises(ranges.NotARange):
        ranges.parse(text, multi)


BOUND = st.one_of(
    st.none(), st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=8)
)


@given(
    st.lists(
        st.one_of(
            st.just(ranges.EMPTY), st.builds(Range, BOUND, BOUND, st.booleans(), st.booleans())
        ).map(
            lambda r: (
                r
                if r.empty
                else Range(
                    r.lower,
                    r.upper,
                    r.lower_inc and r.lower is not None,
                    r.upper_inc and r.upper is not None,
                )
            )
        ),
        max_size=4,
    )
)
def test_format_and_parse_round_trip(items):
    assert ranges.parse(ranges.format_value(items, multi=True), multi=True) == items


# -- which operators a range column takes --------------------------------------------------
@pytest.mark.parametrize(
    ("col", "expected"),
    [
        (DATERANGE, ["keep", "null", "constant", "shift_date"]),
        (TSTZRANGE, ["keep", "null", "constant", "shift_date"]),
        (DATEMULTI, ["keep", "null", "constant", "shift_date"]),
        (INT4RANGE, ["keep", "null", "constant", "noise"]),
        (NUMRANGE, ["keep", "null", "constant", "noise"]),
        (INT4MULTI, ["keep", "null", "constant", "noise"]),
    ],
)
def test_range_columns_take_keep_null_constant_and_their_subtypes_operator(col, expected):
    assert operators_for(col) == expected


@pytest.mark.parametrize(
    ("rule", "col", "applies"),
    [
        (SHIFT, DATERANGE, True),
        (SHIFT, INT4RANGE, False),
        (NOISE, NUMRANGE, True),
        (NOISE, TSRANGE, False),
        ("redact", DATERANGE, False),
        ({"format": "preserve"}, INT4RANGE, False),
        ({"fake": "date"}, DATERANGE, False),
        ({"constant": "empty"}, DATERANGE, True),
        ({"constant": "[2024-01-01,)"}, DATERANGE, True),
        ({"constant": "[1,5)"}, DATERANGE, False),  # not dates
        ({"constant": "{[1,5)}"}, INT4MULTI, True),
        ({"constant": "[1,5)"}, INT4MULTI, False),  # a range is not a multirange
        ({"constant": "x"}, NUMRANGE, False),
        ({"constant": 5}, INT4RANGE, False),
    ],
)
def test_rules_apply_to_range_columns_only_where_they_fit(rule, col, applies):
    assert parse_rule(rule, WHERE).applies_to(col) is applies


# -- shift_date ----------------------------------------------------------------------------
DAYS = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 1, 1))


def _shift(mask, values, col):
    return mask(SHIFT, values, col)


@st.composite
def date_ranges(draw):
    lower = draw(st.one_of(st.none(), DAYS, st.just("-infinity")))
    upper = draw(st.one_of(st.none(), DAYS, st.just("infinity")))
    if isinstance(lower, dt.date) and isinstance(upper, dt.date) and upper <= lower:
        lower, upper = upper, lower + dt.timedelta(days=1)
    text = lambda b: b.isoformat() if isinstance(b, dt.date) else b  # noqa: E731
    return Range(
        None if lower is None else text(lower),
        None if upper is None else text(upper),
        lower is not None and draw(st.booleans()),
        upper is not None and draw(st.booleans()),
    )


def _day(bound):
    return dt.date.fromisoformat(bound[:10])


@given(date_ranges())
def test_shift_date_moves_both_bounds_by_one_offset(mask, before):
    [text] = _shift(mask, [ranges.format_value([before])], DATERANGE)
    [after] = ranges.parse(text)
    assert (after.lower_inc, after.upper_inc) == (before.lower_inc, before.upper_inc)
    offsets = set()
    for old, new in ((before.lower, after.lower), (before.upper, after.upper)):
        if old is None or "infinity" in old:
            assert new == old  # unbounded and infinite sides are kept
        else:
            offsets.add((_day(new) - _day(old)).days)
    assert len(offsets) <= 1
    if offsets:
        assert 1 <= abs(offsets.pop()) <= 90
    if after.lower and after.upper and "infinity" not in after.lower + after.upper:
        assert _day(after.lower) < _day(after.upper)


@given(DAYS, st.integers(min_value=1, max_value=400))
def test_a_range_shifts_like_its_first_day_does_in_a_date_column(mask, start, length):
    end = start + dt.timedelta(days=length)
    [shifted_day] = mask(SHIFT, [start], DATE_COLUMN)
    [text] = _shift(mask, [f"[{start},{end})"], DATERANGE)
    assert text == f"[{shifted_day},{end + (shifted_day - start)})"


@pytest.mark.parametrize(
    ("text", "col"),
    [
        ('["2024-01-01 04:30:00.5+00","2024-01-03 00:00:00+05:30")', TSTZRANGE),
        ('["2024-01-01 10:00:00",)', TSRANGE),
        ('(,"2024-01-01 10:00:00-03:30:12"]', TSTZRANGE),
    ],
)
def test_timestamp_bounds_keep_time_of_day_fraction_and_offset(mask, text, col):
    [out] = _shift(mask, [text], col)
    before, after = ranges.parse(text)[0], ranges.parse(out)[0]
    for old, new in ((before.lower, after.lower), (before.upper, after.upper)):
        if old is None:
            assert new is None
        else:
            assert new[10:] == old[10:] and new[:10] != old[:10]


def test_empty_unbounded_infinite_and_bc_values_are_kept(mask):
    values = ["empty", "(,)", "[-infinity,infinity]", '["0044-03-15 BC","0001-01-01 BC")']
    assert _shift(mask, values, DATERANGE) == values
    assert _shift(mask, ["{}"], DATEMULTI) == ["{}"]


def test_a_multirange_moves_as_one_so_its_gaps_are_kept(mask):
    [out] = _shift(mask, ["{[2024-01-01,2024-01-05),[2024-02-01,2024-03-01)}"], DATEMULTI)
    parts = ranges.parse(out, multi=True)
    starts = [_day(p.lower) for p in parts]
    ends = [_day(p.upper) for p in parts]
    assert [e - s for s, e in zip(starts, ends, strict=True)] == [
        dt.timedelta(days=4),
        dt.timedelta(days=29),
    ]
    assert starts[1] - ends[0] == dt.timedelta(days=27)
    assert starts[0] != dt.date(2024, 1, 1)


def test_a_shift_off_the_calendar_goes_the_other_way(mask):
    [out] = mask({"shift_date": {"max_days": 3}}, ["[9999-12-30,9999-12-31]"], DATERANGE)
    after = ranges.parse(out)[0]
    assert after.lower < "9999-12-30" and _day(after.upper) - _day(after.lower) == dt.timedelta(1)


def test_shift_date_is_keyed(mask):
    text = "[2024-01-01,2024-02-01)"
    assert mask(SHIFT, [text], DATERANGE) == mask(SHIFT, [text], DATERANGE)
    others = {mask(SHIFT, [text], DATERANGE, key=bytes([i]) * 32)[0] for i in range(8)}
    assert len(others) > 1


@pytest.mark.parametrize("text", ["[01/02/2024,03/04/2024)", "[not a range"])
def test_what_shift_date_cannot_read_stops_the_run(mask, text):
    with pytest.raises(MaskingError, match="'during'"):
        _shift(mask, [text], DATERANGE)


# -- noise ---------------------------------------------------------------------------------
INT4 = st.integers(min_value=-(2**31), max_value=2**31 - 1)


@st.composite
def int_ranges(draw):
    lower, upper = draw(st.one_of(st.none(), INT4)), draw(st.one_of(st.none(), INT4))
    if lower is not None and upper is not None:
        lower, upper = min(lower, upper), max(lower, upper)
        if lower == upper:
            return "empty"
    return ranges.format_value(
        [Range(None if lower is None else str(lower), None if upper is None else str(upper),
               lower is not None, False)]
    )  # fmt: skip


@given(int_ranges())
def test_noise_on_integer_ranges_keeps_integers_order_and_limits(mask, text):
    [out] = mask(NOISE, [text], INT4RANGE)
    before, after = ranges.parse(text)[0], ranges.parse(out)[0]
    if before.empty:
        assert after.empty
        return
    assert (after.lower is None, after.upper is None) == (
        before.lower is None,
        before.upper is None,
    )
    assert after.lower_inc == (after.lower is not None) and not after.upper_inc  # canonical
    bounds = [int(b) for b in (after.lower, after.upper) if b is not None]
    assert all(-(2**31) <= b < 2**31 for b in bounds)
    if len(bounds) == 2:
        assert bounds[0] < bounds[1]  # a non-empty range stays non-empty


@given(st.integers(min_value=1, max_value=10**6), st.integers(min_value=1, max_value=10**6))
def test_noise_multiplies_both_bounds_by_the_lower_bounds_factor(mask, keyring, lower, width):
    upper = lower + width
    [scaled_lower] = mask(NOISE, [lower], ColumnInfo("n", "integer", "INTEGER"))
    [out] = mask(NOISE, [f"[{lower},{upper})"], INT4RANGE)
    after = ranges.parse(out)[0]
    assert int(after.lower) == scaled_lower  # as noise gives the number in an integer column
    [factor] = parse_rule(NOISE, WHERE).factors([str(lower)], MaskContext(keyring, INT4RANGE))
    assert int(after.upper) == max(round(upper * factor), scaled_lower + 1)


NUMBERS = st.decimals(min_value=-(10**6), max_value=10**6, places=3, allow_nan=False)


@given(NUMBERS, NUMBERS, st.booleans(), st.booleans(), st.integers(min_value=0, max_value=3))
def test_noise_on_numeric_ranges_keeps_order_and_non_emptiness(mask, a, b, li, ui, places):
    lower, upper = sorted((a, b.quantize(Decimal(1).scaleb(-places))))
    text = ranges.format_value([Range(str(lower), str(upper), li, ui)])
    [out] = mask(NOISE, [text], NUMRANGE)
    after = ranges.parse(out)[0]
    assert (after.lower_inc, after.upper_inc) == (li, ui)
    new_lower, new_upper = Decimal(after.lower), Decimal(after.upper)
    if lower < upper:
        assert new_lower < new_upper
    else:
        assert new_lower == new_upper


def test_noise_keeps_infinite_unbounded_and_empty(mask):
    values = ["empty", "(,)", "[-Infinity,Infinity]"]
    assert mask(NOISE, values, NUMRANGE) == values
    [out] = mask(NOISE, ["[1.5,Infinity)"], NUMRANGE)
    assert out.endswith(",Infinity)") and out != "[1.5,Infinity)"


def test_noise_on_a_multirange_scales_every_range_by_one_factor(mask):
    [out] = mask({"noise": {"ratio": 0.5}}, ["{[100,200),[1000,2000)}"], INT4MULTI)
    parts = ranges.parse(out, multi=True)
    lows = [int(p.lower) for p in parts]
    assert lows[0] != 100
    factor = lows[0] / 100
    assert abs(lows[1] - 1000 * factor) <= 10  # one factor (rounding aside)


def test_noise_on_int8_ranges_may_go_past_int4(mask):
    big = 2**40
    [out] = mask({"noise": {"ratio": 0.5}}, [f"[{big},{big * 2})"], INT8RANGE)
    assert int(ranges.parse(out)[0].lower) > 2**31


# -- what may come out unchanged -----------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "col", "stays"),
    [
        ("empty", DATERANGE, True),
        ("(,)", TSTZRANGE, True),
        ("[-infinity,infinity]", DATERANGE, True),
        ("{}", DATEMULTI, True),
        ("[2024-01-01,)", DATERANGE, False),
        ("{[2024-01-01,2024-01-02)}", DATEMULTI, False),
        ("not a range", DATERANGE, False),
        ("infinity", DATE_COLUMN, True),  # PostgreSQL's infinite date, in a date column
        ("2024-01-01", DATE_COLUMN, False),
    ],
)
def test_shift_date_lets_values_with_no_day_through_unchanged(value, col, stays):
    assert parse_rule(SHIFT, WHERE).stays(value, col) is stays


def test_the_unchanged_count_leaves_out_what_holds_nothing_to_shift():
    before = pl.Series(["empty", "(,)", "[2024-01-01,2024-01-05)", "empty", None])
    after = pl.Series(["empty", "(,)", "[2024-01-01,2024-01-05)", "empty", None])
    assert _unchanged(before, after, parse_rule(SHIFT, WHERE), DATERANGE) == 1


def test_each_masks_an_array_of_ranges_as_ranges(mask):
    col = ColumnInfo("stays", "other", "DATERANGE[]")
    assert not parse_rule({"each": "redact"}, WHERE).applies_to(col)
    rule = {"each": SHIFT}
    assert parse_rule(rule, WHERE).applies_to(col)
    [out] = mask(rule, ['{"[2024-01-01,2024-01-05)",empty,NULL}'], col)
    [shifted] = _shift(mask, ["[2024-01-01,2024-01-05)"], DATERANGE)
    assert out == '{"' + shifted + '",empty,NULL}'
