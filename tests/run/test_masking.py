"""Guarantees 3–5 on real servers: undeliverable, shape-keeping, consistent, keyed pseudonyms."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from helpers import fixture_db as fx
from helpers.snapshot_runs import Runs, World, column, is_blank, json_path, pairs

RESERVED = ("example.com", "example.org", "example.net", "invalid")


def assert_undeliverable_email(before: str, after: str, where: str) -> None:
    """A reserved domain, or no domain at all when the original had none (malformed stays so)."""
    value = after.strip()
    assert after != before, where
    assert ("@" in value) == ("@" in before.strip()), f"{where}: {before!r} → {after!r}"
    if before.strip().endswith("@"):
        assert value.endswith("@"), f"{where}: {after!r}"
    if before.strip().startswith("@"):
        assert value.startswith("@"), f"{where}: {after!r}"
    domain = value.rpartition("@")[2].lower() if "@" in value else ""
    if domain:
        assert any(domain == d or domain.endswith("." + d) for d in RESERVED), (where, after)


def email_pairs(world: World, runs: Runs) -> list[tuple[str, str, str]]:
    """(where, prod, staging) for every non-blank value of every column faked as an email."""
    out = []
    for table, columns in fx.column_rules(world.rules).items():
        for name, rule in columns.items():
            if isinstance(rule, dict) and rule.get("fake") == "email":
                # events has no primary key: its rows pair up through their kept columns
                found = event_pairs(runs, name) if table == "events" else pairs(runs, table, name)
                out += [(f"{table}.{name}", b, a) for b, a in found if b and b.strip()]
    for before, after in pairs(runs, "customers", "profile"):
        old, new = json_path(before, "contact", "email"), json_path(after, "contact", "email")
        if isinstance(old, str) and old.strip():
            out.append(("customers.profile $.contact.email", old, new))
    return out


def event_pairs(runs: Runs, name: str) -> list[tuple[Any, Any]]:
    """events has no key, but (at, action) plus the row's multiplicity orders it stably."""
    at, action = runs.columns["events"].index("at"), runs.columns["events"].index("action")
    index = runs.columns["events"].index(name)

    def ordered(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
        return sorted(rows, key=lambda r: (r[at], r[action] or ""))

    prod, staging = ordered(runs.prod["events"]), ordered(runs.staging_a["events"])
    # Only rows whose (at, action) is unique pair up unambiguously.
    keys = [(r[at], r[action]) for r in prod]
    return [
        (p[index], s[index])
        for p, s in zip(prod, staging, strict=True)
        if keys.count((p[at], p[action])) == 1
    ]


def test_emails_are_on_reserved_domains_or_malformed(world: World, runs: Runs) -> None:
    found = email_pairs(world, runs)
    for where, before, after in found:
        assert_undeliverable_email(before, after, where)
    malformed = [b for _, b, _ in found if "@" not in b or b.strip().startswith("@")]
    assert len(found) >= 60 and len(malformed) >= 3, (len(found), malformed)


def test_unique_emails_stay_unique(runs: Runs) -> None:
    before = column(runs, runs.prod, "customers", "email")
    after = column(runs, runs.staging_a, "customers", "email")
    assert len(set(before)) == len(before)
    assert len(set(after)) == len(after)
    assert not set(before) & set(after) - {""}


def same_shape(before: str, after: str) -> bool:
    """Digits→digits, letters→letters of the same case, everything else in place."""
    if len(before) != len(after):
        return False
    for b, a in zip(before, after, strict=True):
        if b.isdigit() != a.isdigit() or b.isalpha() != a.isalpha():
            return False
        if b.isalpha() and b.isupper() != a.isupper():
            return False
        if not b.isalnum() and a != b:
            return False
    return True


def test_phones_postcodes_and_tax_ids_keep_their_format(runs: Runs) -> None:
    checked = 0
    for name in ("phone", "postcode", "tax_id"):
        for before, after in pairs(runs, "customers", name):
            if before is None or is_blank(before):
                continue
            assert same_shape(before, after), f"customers.{name}: {before!r} → {after!r}"
            assert after != before, f"customers.{name}: {before!r} unchanged"
            checked += 1
    assert checked >= 90


def test_long_values_are_scrambled_all_the_way_through(runs: Runs) -> None:
    """format: preserve on long text: the shape stays, and no stretch of the original does."""
    checked = 0
    for before, after in pairs(runs, "orders", "gift_message"):
        if before is None or is_blank(before) or len(before) < 40:
            continue
        assert len(after) == len(before)
        kept = [b for b, a in zip(before, after, strict=True) if b.isalnum() and a == b]
        letters = sum(ch.isalnum() for ch in before)
        # chance alone keeps about one letter in 26 and one digit in 10
        assert len(kept) <= 0.2 * letters, (before, after)
        words = {w for w in re.findall(r"\w{4,}", before)}
        assert not words & set(re.findall(r"\w{4,}", after)), (before, after)
        checked += 1
    assert checked >= 10


def test_international_formats_are_kept(runs: Runs) -> None:
    phones = dict(pairs(runs, "customers", "phone"))
    postcodes = dict(pairs(runs, "customers", "postcode"))
    assert phones["+55 (12) 3923-5555"].startswith("+55 (")
    assert phones["+44 20 7946 0958"].startswith("+44 ")
    for code in ("H2G 1A7", "SW1A 1AA", "10115"):
        assert same_shape(code, postcodes[code]) and postcodes[code] != code


def test_dates_shift_within_max_days_and_never_stay(runs: Runs) -> None:
    shifted = 0
    for before, after in pairs(runs, "customers", "birth_date"):
        if before is None:
            assert after is None
            continue
        days = (dt.date.fromisoformat(after) - dt.date.fromisoformat(before)).days
        assert 1 <= abs(days) <= 90, (before, after)
        shifted += 1
    assert shifted >= 30


def test_same_address_is_masked_the_same_in_both_tables(world: World, runs: Runs) -> None:
    """customers.address and orders.shipping_address share a rule, so they share pseudonyms."""
    customer_ids = column(runs, runs.prod, "customers", "id")
    addresses = dict(zip(customer_ids, pairs(runs, "customers", "address"), strict=True))
    order_customers = column(runs, runs.prod, "orders", "customer_id")
    same = upper = 0
    for customer, (before, after) in zip(
        order_customers, pairs(runs, "orders", "shipping_address"), strict=True
    ):
        address_before, address_after = addresses[customer]
        if before is None or is_blank(before) or address_before is None:
            continue
        if before == address_before:
            assert after == address_after, (before, after, address_after)
            same += 1
        elif before == address_before.upper() != address_before:
            assert after == address_after.upper(), (before, after, address_after)
            upper += 1
        else:
            assert after != address_after
    assert same >= 10 and upper >= 3, (same, upper)


def test_same_email_is_masked_the_same_in_columns_json_and_free_text(runs: Runs) -> None:
    emails = dict(pairs(runs, "customers", "email"))
    profile_hits = note_hits = 0
    for before, after in pairs(runs, "customers", "profile"):
        old, new = json_path(before, "contact", "email"), json_path(after, "contact", "email")
        if isinstance(old, str) and old in emails:
            assert new == emails[old], (old, new)
            profile_hits += 1
        elif isinstance(old, str) and old.lower() in {e.lower() for e in emails}:
            original = next(e for e in emails if e.lower() == old.lower())
            assert new.lower() == emails[original].lower(), (old, new)
            profile_hits += 1
    for before, after in pairs(runs, "customers", "notes"):
        for original, masked in emails.items():
            if original.strip() and before and original.strip() in before:
                assert masked.strip() in after, (before, after)
                assert original.strip() not in after
                note_hits += 1
    assert profile_hits >= 10 and note_hits >= 5, (profile_hits, note_hits)
    # A person's name found in free text gets the name column's pseudonym too.
    names = dict(pairs(runs, "customers", "full_name"))
    mentioned = [
        (before, after, name)
        for before, after in pairs(runs, "customers", "notes")
        for name in names
        if before and name and len(name.split()) > 1 and name in before
    ]
    assert mentioned, "the fixture mentions a customer's name in notes"
    for before, after, name in mentioned:
        assert names[name] in after and name not in after, (before, after)


JOINS = {
    "orders → customers": "SELECT count(*) FROM orders o JOIN customers c ON o.customer_id = c.id",
    "order_lines → orders, products": (
        "SELECT count(*) FROM order_lines l JOIN orders o ON l.order_id = o.id "
        "JOIN products p ON p.sku = l.sku AND p.region = l.region"
    ),
    "customers → customers": (
        "SELECT count(*) FROM customers c JOIN customers r ON c.referred_by = r.id"
    ),
    "invoices → customers": (
        "SELECT count(*) FROM {invoices} i JOIN customers c ON i.customer_id = c.id"
    ),
}


def test_foreign_keys_still_join(world: World, runs: Runs) -> None:
    for name, sql in JOINS.items():
        sql = sql.format(invoices=fx.INVOICES[world.dialect])
        counts = []
        for which in ("prod", "staging"):
            with world.engine(which).connect() as conn:
                counts.append(conn.exec_driver_sql(sql).scalar_one())
        assert counts[0] > 0 and counts[1] == counts[0], (name, counts)


def keyed_columns(world: World) -> list[tuple[str, str]]:
    """Columns whose masked values depend on the key (constant and redact do not)."""
    out = []
    for table, columns in fx.column_rules(world.rules).items():
        for name, rule in columns.items():
            if table != "events" and isinstance(rule, dict) and set(rule) & {"fake", "format"}:
                out.append((table, name))
    return out


def test_second_run_with_the_same_key_is_byte_identical(runs: Runs) -> None:
    assert runs.staging_a_again == runs.staging_a
    assert runs.staging_a != runs.prod


def test_a_different_key_changes_every_pseudonym(world: World, runs: Runs) -> None:
    changed = 0
    for table, name in keyed_columns(world):
        a = column(runs, runs.staging_a, table, name)
        b = column(runs, runs.staging_b, table, name)
        for before, x, y in zip(column(runs, runs.prod, table, name), a, b, strict=True):
            if before is None or is_blank(before):
                assert x == y == before
            else:
                assert x != y, f"{table}.{name}: {before!r} masked to {x!r} under both keys"
                changed += 1
    profiles = zip(
        column(runs, runs.prod, "customers", "profile"),
        column(runs, runs.staging_a, "customers", "profile"),
        column(runs, runs.staging_b, "customers", "profile"),
        strict=True,
    )
    for before, x, y in profiles:
        if isinstance(json_path(before, "contact", "email"), str):
            assert json_path(x, "contact", "email") != json_path(y, "contact", "email")
            changed += 1
    # A shift of at most 90 days has 180 possible values, so two keys agree on about one
    # date in 180; the dates as a whole must still move.
    dates = pairs(runs, "customers", "birth_date", runs.staging_b)
    same = sum(
        1
        for (_, b), a in zip(
            dates, column(runs, runs.staging_a, "customers", "birth_date"), strict=True
        )
        if b is not None and a == b
    )
    assert same <= 2, same
    assert changed >= 150, changed
