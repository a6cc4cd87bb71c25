"""Range columns through a real snapshot: shift_date and noise move bounds, PostgreSQL accepts them.

The test builds its own production with daterange, tstzrange, numrange, int4range and
datemultirange columns holding bounded, unbounded, infinite, inclusive and empty values, runs
the real ``sanitize snapshot`` (PostgreSQL to PostgreSQL: COPY text both ways), and compares
staging with production row by row in SQL: every value loaded as its type (so it is a valid
range), bounded sides moved, one offset per value, lengths kept for date ranges, lower ≤ upper
for numbers, and production's empties, unbounded sides and infinities kept. A rule that
cannot apply to a range column stops the run before anything is written.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

import pytest
from helpers import fixture_db as fx
from helpers.snapshot_runs import CliResult

from tests.load.sql.test_pg_schema_copy import PgWorld

DDL = """
CREATE TABLE public.booking (
    id integer PRIMARY KEY,
    check_in date,
    stay daterange,
    seen tstzrange NOT NULL,
    price numrange,
    rooms int4range,
    visits datemultirange,
    kept daterange,
    history daterange[]
);
"""

ROWS = """
INSERT INTO public.booking VALUES
    (1, '2024-03-10', '[2024-03-10,2024-03-17)', '["2024-03-10 14:00:00.25+00",
     "2024-03-17 10:30:00+00"]', '[99.90,149.50)', '[2,5)',
     '{[2024-03-10,2024-03-12),[2024-04-01,2024-04-03)}', '[2024-03-10,2024-03-17)',
     '{"[2024-03-10,2024-03-17)",empty,NULL,"(,2020-01-01)"}'),
    (2, '2023-12-31', '[2023-12-31,2024-01-01]', '(,"2024-01-01 00:00:00+00")', '(,100]',
     '[1000,)', '{}', 'empty', '{}'),
    (3, NULL, 'empty', 'empty', 'empty', 'empty', '{[2020-02-29,infinity)}', '(,)', NULL),
    (4, '2025-06-01', '[2025-06-01,)', '("2025-06-01 08:00:00+00",)', '[0.5,Infinity)',
     '(,0)', '{[2025-06-01,2025-06-02)}', NULL, NULL),
    (5, NULL, '(,2022-02-02)', '(,)', '[7,7]', '[-3,3)', NULL, '[-infinity,infinity]', NULL),
    (6, '1999-01-01', '[1999-01-01,infinity]', '["1999-01-01 00:00:00+00",infinity)', NULL,
     NULL, '{[1999-01-01,1999-01-02),[1999-01-03,1999-01-04),[1999-01-05,1999-01-06)}',
     '[1999-01-01,1999-01-02)', NULL);
"""

RULES = """
source: app
tables:
  booking:
    id: keep
    check_in: {shift_date: {max_days: 30}}
    stay: {shift_date: {max_days: 30}}
    seen: {shift_date: {max_days: 30}}
    price: {noise: {ratio: 0.2}}
    rooms: {noise: {ratio: 0.2}}
    visits: {shift_date: {max_days: 30}}
    kept: keep
    history: {each: {shift_date: {max_days: 30}}}
"""

# (id, column) → its text, in production and in staging
VALUES = "SELECT id, {column}::text FROM public.booking ORDER BY id"


@pytest.fixture(scope="module")
def ranges(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[PgWorld, CliResult]]:
    world = PgWorld(tmp_path_factory.mktemp("pg-ranges"), ddl=DDL, rows=ROWS, rules=RULES)
    try:
        result = world.run(fx.KEY_A)
        assert result.returncode == 0, result.describe()
        yield world, result
    finally:
        world.close()


def both(world: PgWorld, sql: str) -> list[tuple[tuple, tuple]]:
    """The same query's rows in production and staging, paired by the first column (id)."""
    prod, staging = world.query(world.prod, sql), world.query(world.stage, sql)
    assert [row[0] for row in prod] == [row[0] for row in staging]
    return list(zip(prod, staging, strict=True))


SHAPE = (
    "SELECT id, isempty({c}), lower_inc({c}), upper_inc({c}), lower_inf({c}), upper_inf({c}), "
    "lower({c})::text ILIKE '%%infinity', upper({c})::text ILIKE '%%infinity' "
    "FROM public.booking WHERE {c} IS NOT NULL ORDER BY id"
)


@pytest.mark.parametrize("column", ["stay", "seen", "price", "rooms"])
def test_empties_unbounded_sides_infinities_and_inclusivity_are_productions(ranges, column):
    world, _ = ranges
    for prod, staging in both(world, SHAPE.format(c=column)):
        assert staging == prod


MULTIRANGE = {"stay": "stay::datemultirange", "seen": "seen::tstzmultirange", "visits": "visits"}
# every finite bound of each value (each range of a multirange), as epoch seconds, in order
BOUNDS = """
SELECT id, array_agg(extract(epoch FROM b) ORDER BY n) FROM public.booking
CROSS JOIN LATERAL (
    SELECT lower(r)::timestamptz, 2 * o - 1 FROM unnest({mr}) WITH ORDINALITY AS u(r, o)
    UNION ALL
    SELECT upper(r)::timestamptz, 2 * o FROM unnest({mr}) WITH ORDINALITY AS u(r, o)
) AS bounds(b, n)
WHERE b IS NOT NULL AND isfinite(b) GROUP BY id ORDER BY id
"""


@pytest.mark.parametrize("column", ["stay", "seen", "visits"])
def test_every_bounded_date_value_moved_by_one_offset_of_1_to_30_days(ranges, column):
    world, _ = ranges
    moved = 0
    for (_, before), (_, after) in both(world, BOUNDS.format(mr=MULTIRANGE[column])):
        shifts = {after[i] - before[i] for i in range(len(before))}
        assert len(shifts) == 1, (before, after)  # one offset: lengths and gaps kept
        days = abs(shifts.pop()) / 86400
        assert days == int(days) and 1 <= days <= 30
        moved += 1
    assert moved >= 3


def test_a_range_shifts_like_its_first_day_in_a_date_column(ranges):
    world, _ = ranges
    sql = "SELECT id FROM public.booking WHERE check_in = lower(stay) ORDER BY id"
    assert world.query(world.prod, sql) == [(1,), (2,), (4,), (6,)]
    assert world.query(world.stage, sql) == [(1,), (2,), (4,), (6,)]
    moved = "SELECT id, check_in FROM public.booking WHERE check_in IS NOT NULL ORDER BY id"
    assert all(p != s for p, s in both(world, moved))


def test_numeric_bounds_keep_their_order_and_a_non_empty_range_stays_so(ranges):
    world, _ = ranges
    sql = (
        "SELECT id, lower(price), upper(price), lower(rooms), upper(rooms) "
        "FROM public.booking ORDER BY id"
    )
    changed = 0
    for prod, staging in both(world, sql):
        for i in (1, 3):  # price, rooms: (lower, upper)
            lo, hi, new_lo, new_hi = prod[i], prod[i + 1], staging[i], staging[i + 1]
            if lo is not None and hi is not None:
                assert (new_lo < new_hi) if lo < hi else (new_lo == new_hi)
            for old, new in ((lo, new_lo), (hi, new_hi)):
                if old is None or not math.isfinite(old):
                    assert new == old  # unbounded and infinite sides are kept
                    continue
                # ratio 0.2, and integers round to the nearest (or one past the lower bound)
                assert abs(float(new) - float(old)) <= 0.2 * abs(float(old)) + 1
                changed += old != new
    assert changed >= 4
    types = world.query(world.stage, "SELECT pg_typeof(lower(rooms))::text FROM public.booking")
    assert {t for (t,) in types} == {"integer"}


def test_each_shifts_the_ranges_of_a_daterange_array(ranges):
    world, _ = ranges
    sql = (
        "SELECT id, array_length(history, 1), isempty(history[2]), history[3] IS NULL, "
        "upper(history[1]) - lower(history[1]), lower(history[1]), upper(history[4]) "
        "FROM public.booking WHERE history <> '{}' ORDER BY id"
    )
    [(prod, staging)] = both(world, sql)
    assert staging[:5] == prod[:5] == (1, 4, True, True, 7)
    assert staging[5] != prod[5] and staging[6] != prod[6]  # each element shifted


def test_kept_ranges_are_productions_text(ranges):
    world, _ = ranges
    for prod, staging in both(world, VALUES.format(column="kept")):
        assert staging == prod


def test_a_rule_that_cannot_apply_to_a_range_stops_the_run_before_writing(ranges):
    world, _ = ranges
    rules = world.config.parent / "rules" / "app.yaml"
    before = world.query(world.stage, VALUES.format(column="stay"))
    try:
        rules.write_text(RULES.replace("stay: {shift_date: {max_days: 30}}", "stay: redact"))
        result = world.run(fx.KEY_B)
    finally:
        rules.write_text(RULES)
    assert result.returncode != 0
    message = result.stderr + result.stdout
    assert "redact cannot apply to booking.stay, a DATERANGE column (range values)" in message
    assert "keep, null, constant, shift_date" in message
    assert "Traceback" not in message
    assert world.query(world.stage, VALUES.format(column="stay")) == before
