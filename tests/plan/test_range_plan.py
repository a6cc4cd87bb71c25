"""Range columns: their value kind, and the rule error when an operator cannot apply to one.

PostgreSQL checks a range's text on load, so an operator that writes anything else (redact,
format, fake…) is refused in the plan, naming the column, its type and the operators that do
apply (keep, null, constant, and shift_date or noise as the bounds allow).
"""

from __future__ import annotations

import pytest
from sqlalchemy.dialects import postgresql as pg

from sanitizer.schema import RANGE, ColumnInfo, value_kind
from tests.plan.test_sql_plan import col, plan, plan_errors, table

BOOKINGS = table(
    "bookings",
    col("id", "integer", nullable=False, unique=True),
    ColumnInfo("stay", RANGE, "DATERANGE"),
    ColumnInfo("visits", RANGE, "TSTZMULTIRANGE", nullable=False),
    ColumnInfo("price_band", RANGE, "NUMRANGE"),
    ColumnInfo("rooms", RANGE, "INT4RANGE"),
    pk=("id",),
)
GOOD = {
    "id": "keep",
    "stay": "{shift_date: {max_days: 30}}",
    "visits": "{shift_date: {max_days: 30}}",
    "price_band": "{noise: {ratio: 0.1}}",
    "rooms": "keep",
}


def rules(**changes: str) -> str:
    written = {**GOOD, **changes}
    return "tables:\n  bookings:\n" + "".join(f"    {k}: {v}\n" for k, v in written.items())


@pytest.mark.parametrize(
    "sql_type",
    [
        pg.INT4RANGE(),
        pg.INT8RANGE(),
        pg.NUMRANGE(),
        pg.DATERANGE(),
        pg.TSRANGE(),
        pg.TSTZRANGE(),
        pg.INT4MULTIRANGE(),
        pg.INT8MULTIRANGE(),
        pg.NUMMULTIRANGE(),
        pg.DATEMULTIRANGE(),
        pg.TSMULTIRANGE(),
        pg.TSTZMULTIRANGE(),
    ],
)
def test_postgresql_range_types_are_ranges(sql_type):
    assert value_kind(sql_type) == RANGE


def test_shift_date_and_noise_fit_the_ranges_they_can_move():
    columns = plan(rules(), [BOOKINGS]).tables["bookings"].columns
    assert columns["stay"].operator.label() == "shift_date: 30"
    assert columns["price_band"].operator.label() == "noise: 0.1"


@pytest.mark.parametrize(
    ("column", "rule", "fragments"),
    [
        (
            "stay",
            "redact",
            [
                "redact cannot apply to bookings.stay, a DATERANGE column (range values)",
                "operators for it: keep, null, constant, shift_date (see",
                'a constant must be PostgreSQL\'s text for a DATERANGE value, e.g. "empty"',
            ],
        ),
        (
            "visits",
            "{fake: date}",
            [
                "fake: date cannot apply to bookings.visits, a TSTZMULTIRANGE column",
                "operators for it: keep, null, constant, shift_date (see",
                'e.g. "{}"',
            ],
        ),
        (
            "price_band",
            "{shift_date: {max_days: 5}}",
            ["shift_date: 5 cannot apply to bookings.price_band, a NUMRANGE column",
             "operators for it: keep, null, constant, noise (see"],
        ),
        (
            "rooms",
            "{format: preserve}",
            ["format: preserve cannot apply to bookings.rooms, a INT4RANGE column",
             "operators for it: keep, null, constant, noise (see"],
        ),
        ("stay", "{constant: '2024-01-01'}", ["cannot apply to bookings.stay"]),
        ("stay", "{noise: {ratio: 0.1}}", ["noise: 0.1 cannot apply to bookings.stay"]),
    ],
)  # fmt: skip
def test_an_operator_that_cannot_apply_names_the_column_type_and_what_applies(
    column, rule, fragments
):
    messages = plan_errors(rules(**{column: rule}), [BOOKINGS])
    [message] = [m for m in messages if f"bookings.{column}" in m]
    for fragment in fragments:
        assert fragment in message, message


def test_a_constant_in_the_ranges_text_fits():
    text = rules(stay="{constant: '[2000-01-01,2000-01-02)'}", visits="{constant: '{}'}")
    columns = plan(text, [BOOKINGS]).tables["bookings"].columns
    assert columns["stay"].operator.label() == "constant: '[2000-01-01,2000-01-02)'"
