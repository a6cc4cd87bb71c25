"""Guarantee 4, shape and messiness preserved: schema, row counts, kept columns, NULL/blank.

Everything here compares what prod held with what the first successful run left in staging,
both read back through a superuser connection as the server's own text form.
"""

from __future__ import annotations

from collections import Counter

from helpers import fixture_db as fx
from helpers.snapshot_runs import Runs, World, column, is_blank, pairs, text_diff


def test_schema_is_identical(world: World, runs: Runs) -> None:
    """Types, lengths, nullability, defaults, keys, checks, indexes, enums and sequences."""
    assert runs.staging_schema == runs.prod_schema, text_diff(runs.prod_schema, runs.staging_schema)
    # …and still after runs that replaced a snapshot (dropping yesterday's schema must not
    # take anything of today's with it, e.g. a default or key that pointed into it).
    last = runs.staging_schema_last
    assert last == runs.prod_schema, text_diff(runs.prod_schema, last)
    # The comparison is over something real: every kind of thing the fixture declares.
    needles = ["PRIMARY KEY", "FOREIGN KEY", "UNIQUE", "CHECK", "DEFAULT"]
    if world.dialect == "postgres":
        needles += ["CREATE INDEX", "CREATE TYPE", "billing.invoices", "text[]", "AS integer"]
        needles += ["GENERATED ALWAYS AS IDENTITY", "'active'::public.customer_status"]
    else:
        needles += ["KEY `ix_customers_name_postcode`", "json_valid(`profile`)", "enum("]
    for needle in needles:
        assert needle in runs.prod_schema, needle


def test_same_tables_and_columns(world: World, runs: Runs) -> None:
    assert world.columns("staging") == runs.columns
    assert set(runs.columns) == set(fx.column_rules(world.rules))


def test_row_counts_are_equal(runs: Runs) -> None:
    counts = {table: len(rows) for table, rows in runs.prod.items()}
    assert {table: len(rows) for table, rows in runs.staging_a.items()} == counts
    assert all(counts.values())
    receipt_counts = {
        name.removeprefix("app."): (table["rows_in"], table["rows_out"])
        for name, table in runs.first.receipt["tables"].items()
    }
    assert receipt_counts == {table: (n, n) for table, n in counts.items()}


def test_kept_columns_are_byte_identical(world: World, runs: Runs) -> None:
    checked = 0
    for table, kept in fx.kept_columns(world.rules).items():
        indexes = [runs.columns[table].index(c) for c in kept]
        prod = [tuple(row[i] for i in indexes) for row in runs.prod[table]]
        staging = [tuple(row[i] for i in indexes) for row in runs.staging_a[table]]
        if table == "events":  # no primary key: rows correspond only as a multiset
            prod, staging = sorted(prod, key=repr), sorted(staging, key=repr)
        assert staging == prod, table
        checked += len(kept)
    assert checked >= 20


def test_null_empty_and_whitespace_stay_where_they_were(world: World, runs: Runs) -> None:
    """In every non-kept column: NULL ↔ NULL, '' ↔ '', whitespace-only unchanged."""
    seen = Counter()
    for table, columns in fx.column_rules(world.rules).items():
        if table == "events":
            continue  # no primary key: checked as a multiset below
        for name, rule in columns.items():
            if rule == "keep":
                continue
            for before, after in pairs(runs, table, name):
                if before is None:
                    assert after is None, f"{table}.{name}: NULL became a value"
                    seen["null"] += 1
                elif is_blank(before):
                    assert after == before, f"{table}.{name}: {before!r} became {after!r}"
                    seen["empty" if before == "" else "whitespace"] += 1
                else:
                    assert after is not None and not is_blank(after), f"{table}.{name}"
    assert seen["null"] >= 10 and seen["empty"] >= 5 and seen["whitespace"] >= 5, seen


def test_rows_without_a_primary_key_keep_their_shape_and_duplicates(runs: Runs) -> None:
    def shape(row: tuple[str | None, ...]) -> tuple[str, ...]:
        return tuple("null" if v is None else repr(v) if is_blank(v) else "value" for v in row)

    prod, staging = runs.prod["events"], runs.staging_a["events"]
    assert Counter(map(shape, staging)) == Counter(map(shape, prod))
    duplicates = sorted(Counter(prod).values())
    assert duplicates[-1] > 1  # the fixture logs some events twice
    assert sorted(Counter(staging).values()) == duplicates


def test_duplicates_in_non_unique_columns_stay_duplicates(runs: Runs) -> None:
    """Two customers share a name, phone, postcode and address; their pseudonyms agree."""
    for name in ("full_name", "phone", "postcode", "address"):
        mapping: dict[str, set[str | None]] = {}
        for before, after in pairs(runs, "customers", name):
            mapping.setdefault(before, set()).add(after)
        assert all(len(v) == 1 for v in mapping.values()), name
        prod = column(runs, runs.prod, "customers", name)
        assert len(set(prod)) < len(prod), name  # the fixture really has duplicates here
