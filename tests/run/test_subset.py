"""Subsetting end to end (issue 15, docs/subsetting.md) on PostgreSQL, MariaDB and SQLite.

The production (tests/helpers/subset_world.py) has a cycle, a self-reference, two FKs to one
table, an FK to a unique non-primary key, a many-to-many table, composite keys, virtual,
JSON-path and polymorphic references. Staging must hold exactly the rows the independent
oracle works out, every reference must resolve, the root condition must hold, and the same
run twice must give the same staging.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from hashlib import blake2b, sha256
from pathlib import Path

import pytest
import sqlalchemy as sa
from helpers.subset_world import CUTOFF, KEY, RULES, SUBSET, SubsetWorld, expected, make_world

from sanitizer.config.settings import load_settings
from sanitizer.errors import ConfigError, TargetError
from sanitizer.extract.sql import KeptRows, SqlSource
from sanitizer.plan.subset import compute_subset, sort_key
from sanitizer.plan.subset_graph import build_graph
from sanitizer.receipt import Receipt
from sanitizer.report import print_summary
from sanitizer.run.snapshot import run_snapshot

DIALECTS = ["sqlite", "postgres", "mysql"]

PKS = {"shipments": ("region", "num"), "ticket_tags": ("ticket_id", "tag_id")}


@pytest.fixture(scope="module", params=DIALECTS)
def sworld(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator:
    yield from make_world(request.param, tmp_path_factory.mktemp(f"subset_{request.param}"))


def snapshot(world: SubsetWorld, config: Path, dry_run: bool = False) -> Receipt:
    return run_snapshot(load_settings(config), dry_run=dry_run, init=True)


def keys(rows: list[dict], table: str) -> set[tuple]:
    return {tuple(_plain(r[c]) for c in PKS.get(table, ("id",))) for r in rows}


def _plain(value: object) -> object:
    return value.strip() if isinstance(value, str) else value


def dangling(staging: dict[str, list[dict]]) -> list[str]:
    """Every reference of every staging row, checked in Python over what landed."""
    ids = {t: {r["id"] for r in rows} for t, rows in staging.items() if rows and "id" in rows[0]}
    ids.setdefault("tickets", set())
    ids.setdefault("users", set())
    emails = {r["email"] for r in staging["users"]}
    shipments = keys(staging["shipments"], "shipments")
    problems = []

    def need(ok: bool, what: str) -> None:
        if not ok:
            problems.append(what)

    for t in staging["tenants"]:
        need(t["owner_id"] is None or t["owner_id"] in ids["users"], f"tenant {t['id']} owner")
    for u in staging["users"]:
        need(u["tenant_id"] in ids.get("tenants", set()), f"user {u['id']} tenant")
        need(u["manager_id"] is None or u["manager_id"] in ids["users"], f"user {u['id']} mgr")
        need(u["plan_id"] is None or u["plan_id"] in ids["plans"], f"user {u['id']} plan")
    for t in staging["tickets"]:
        for col in ("requester_id", "assignee_id"):
            need(t[col] is None or t[col] in ids["users"], f"ticket {t['id']} {col}")
        need(t["tenant_id"] in ids["tenants"], f"ticket {t['id']} tenant")
        need(t["audit_id"] is None, f"ticket {t['id']} audit (excluded table)")
    for m in staging["messages"]:
        need(m["ticket_id"] in ids["tickets"], f"message {m['id']} ticket")
        need(m["author_email"] is None or m["author_email"] in emails, f"message {m['id']} email")
    for tt in staging["ticket_tags"]:
        need(tt["ticket_id"] in ids["tickets"], "ticket_tags ticket")
        need(tt["tag_id"] in ids.get("tags", set()), "ticket_tags tag")
    for s in staging["shipments"]:
        need(s["ticket_id"] is None or s["ticket_id"] in ids["tickets"], "shipment ticket")
    for i in staging["shipment_items"]:
        need((i["region"], i["num"]) in shipments, f"shipment item {i['id']}")
    for e in staging["events"]:
        need(e["ticket_ref"] is None or e["ticket_ref"] in ids["tickets"], f"event {e['id']}")
        payload = e["payload"] if isinstance(e["payload"], dict) else json.loads(e["payload"])
        need(payload["user"]["id"] in ids["users"], f"event {e['id']} payload user")
    for c in staging["comments"]:
        pool = ids["tickets"] if c["subject_type"] == "ticket" else ids["users"]
        need(c["subject_id"] in pool, f"comment {c['id']}")
    return problems


def test_subset_is_exactly_the_closure_and_complete(sworld: SubsetWorld) -> None:
    receipt = snapshot(sworld, sworld.config())
    assert receipt.status == "succeeded"
    staging = sworld.staging()
    want = expected(sworld.data)
    for table, kept in want.items():
        assert keys(staging[table], table) == kept, table
    assert len(staging["plans"]) == len(sworld.data["plans"])  # passthrough: whole
    assert staging["audit_log"] == []  # excluded: schema only
    assert dangling(staging) == []
    # the root condition holds, and nothing came in as a child of a parent-only row
    assert all(_date(t["created_at"]) >= CUTOFF for t in staging["tickets"])
    assert 0 < len(staging["tickets"]) < len(sworld.data["tickets"])
    # the receipt explains the size
    tables = receipt.subset["app"]["tables"]
    assert tables["tickets"]["production_rows"] == 60
    assert tables["tickets"]["subset_rows"] == len(staging["tickets"])
    assert "root where" in tables["tickets"]["path"]
    assert "follow messages.ticket_id" in tables["messages"]["path"]
    assert "parent of tickets.requester_id" in tables["users"]["path"]
    assert tables["plans"]["path"].startswith("passthrough")
    assert receipt.subset["app"]["notes"] == [
        "tickets.audit_id points into an excluded table: loaded as NULL"
    ]
    assert receipt.verification["subset"]["app"]["dangling"] == {}


def _date(value: object) -> object:
    import datetime as dt

    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def test_the_same_run_twice_gives_identical_staging(sworld: SubsetWorld) -> None:
    snapshot(sworld, sworld.config())
    first = sworld.staging()
    snapshot(sworld, sworld.config())
    assert sworld.staging() == first


def test_percent_is_stable_per_key_and_changes_with_the_key(sworld: SubsetWorld) -> None:
    subset = SUBSET.replace(
        """- {table: tickets, where: "created_at >= '2026-03-01'"}""",
        "- {table: tickets, percent: 30}",
    )
    picked = []
    for key in (KEY, KEY, "another-subset-key-fedcba9876543210"):
        snapshot(sworld, sworld.config(subset, key=key))
        staging = sworld.staging()
        assert dangling(staging) == []
        roots = {r["id"] for r in staging["tickets"]}  # no kept row pulls another ticket in
        for table, kept in expected(sworld.data, roots).items():
            assert keys(staging[table], table) == kept, table
        picked.append(roots)
    assert picked[0] == picked[1]
    assert picked[0] != picked[2]
    assert 5 < len(picked[0]) < 40  # about 30% of 60


def test_dry_run_prints_the_plan_and_writes_nothing(
    sworld: SubsetWorld, capsys: pytest.CaptureFixture[str]
) -> None:
    before = sworld.staging() if sworld.runs else None
    receipt = snapshot(sworld, sworld.config(), dry_run=True)
    print_summary(receipt, sworld.tmp)
    out = capsys.readouterr().out
    assert "subset of app:" in out
    assert "root where created_at >= '2026-03-01'" in out
    assert "excluded (no rows)" in out
    assert "note: tickets.audit_id points into an excluded table: loaded as NULL" in out
    assert receipt.status == "dry-run"
    want = expected(sworld.data)
    tables = receipt.subset["app"]["tables"]
    assert {t: v["subset_rows"] for t, v in tables.items() if t in want} == {
        t: len(k) for t, k in want.items()
    }
    if before is not None:
        assert sworld.staging() == before


def test_a_bad_root_condition_names_the_line(sworld: SubsetWorld) -> None:
    subset = SUBSET.replace("created_at >= '2026-03-01'", "no_such_column = 1")
    with pytest.raises(ConfigError) as caught:
        snapshot(sworld, sworld.config(subset))
    assert "sanitize.yaml:" in caught.value.message
    assert "subset root tickets" in caught.value.message


def test_a_reference_that_does_not_join_in_staging_fails_closed(sworld: SubsetWorld) -> None:
    """events.ticket_ref is a virtual key: nothing makes its rule follow tickets.id, so a
    rule that changes it breaks the reference — the run must refuse to swap."""
    snapshot(sworld, sworld.config())
    before = sworld.staging()
    rules = RULES.replace("ticket_ref: keep", "ticket_ref: {constant: 999999}")
    with pytest.raises(TargetError) as caught:
        snapshot(sworld, sworld.config(rules=rules))
    assert "not referentially complete" in caught.value.message
    assert "events.ticket_ref" in caught.value.message
    assert sworld.staging() == before  # the shadow was discarded


def test_kept_values_are_the_kept_rows_values(sworld: SubsetWorld) -> None:
    """What objects and vectors follow (SqlPart.kept_values): a subset table's values over
    its kept rows only; a passthrough table's over all rows."""
    settings = load_settings(sworld.config())
    source = SqlSource("app", sworld.prod_url)
    with source.snapshot():
        tables = source.reflect()
        graph = build_graph(settings.subset.sql["app"], [t.info for t in tables])
        plan = compute_subset(source.connection, graph, tables, b"k" * 32)
        for name, share in plan.tables.items():
            if share.mode != "all":
                source.filters[name] = KeptRows(sorted(share.keys, key=sort_key))
        by_name = {t.info.name: t for t in tables}
        emails = source.kept_values(by_name["users"], "email")
        plans = source.kept_values(by_name["plans"], "name")
    want = expected(sworld.data)["users"]
    assert emails == {u["email"] for u in sworld.data["users"] if (u["id"],) in want}
    assert plans == {"plan1", "plan2", "plan3"}


CYCLE_RULES = (
    RULES + "  stores: {id: keep, manager_id: keep}\n  staff: {id: keep, store_id: keep}\n"
)


def add_not_null_cycle(world: SubsetWorld) -> None:
    """stores.manager_id → staff and staff.store_id → stores, both NOT NULL (Pagila's
    store ↔ staff): the keys go on after the rows, as a dump would restore them."""
    sqlite = world.dialect == "sqlite"
    forward = " REFERENCES staff (id)" if sqlite else ""
    with world.prod.begin() as conn:
        conn.exec_driver_sql(
            f"CREATE TABLE stores (id INT PRIMARY KEY, manager_id INT NOT NULL{forward})"
        )
        back = " REFERENCES stores (id)" if sqlite else ""
        conn.exec_driver_sql(
            f"CREATE TABLE staff (id INT PRIMARY KEY, store_id INT NOT NULL{back})"
        )
        for store in range(1, 5):
            conn.exec_driver_sql(f"INSERT INTO stores VALUES ({store}, {store * 10})")
        for staff in range(1, 41):
            conn.exec_driver_sql(f"INSERT INTO staff VALUES ({staff}, {1 + staff % 4})")
        if not sqlite:
            conn.exec_driver_sql(
                "ALTER TABLE stores ADD FOREIGN KEY (manager_id) REFERENCES staff (id)"
            )
            conn.exec_driver_sql(
                "ALTER TABLE staff ADD FOREIGN KEY (store_id) REFERENCES stores (id)"
            )


@pytest.fixture(scope="module", params=DIALECTS)
def cycle_world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator:
    worlds = make_world(request.param, tmp_path_factory.mktemp(f"cycle_{request.param}"))
    world = next(worlds)
    add_not_null_cycle(world)
    yield world
    next(worlds, None)


def test_a_cycle_of_not_null_keys_loads_whole(cycle_world: SubsetWorld) -> None:
    subset = "subset:\n  app:\n    roots: [{table: staff, where: 'id = 7'}]\n"
    receipt = snapshot(cycle_world, cycle_world.config(subset, rules=CYCLE_RULES))
    assert receipt.status == "succeeded"
    engine = sa.create_engine(cycle_world.staging_url)
    with engine.connect() as conn:
        stores = dict(conn.exec_driver_sql("SELECT id, manager_id FROM stores").all())
        staff = dict(conn.exec_driver_sql("SELECT id, store_id FROM staff").all())
        tickets = conn.exec_driver_sql("SELECT count(*) FROM tickets").scalar_one()
    engine.dispose()
    # 7 → store 4 → manager 40 → store 1 → manager 10 → store 3 → manager 30 (→ store 3)
    assert staff == {7: 4, 40: 1, 10: 3, 30: 3}
    assert stores == {4: 40, 1: 10, 3: 30}
    assert tickets == 0  # nothing roots or follows into the rest


def test_a_percent_root_chooses_by_the_documented_hash_and_keeps_the_key_out_of_sql(
    sworld: SubsetWorld,
) -> None:
    """The database hashes its own keys (docs/subsetting.md): SHA-256 of a salt derived from
    the key and the primary key; the key itself is in no statement or parameter."""
    subset = SUBSET.replace(
        """- {table: tickets, where: "created_at >= '2026-03-01'"}""",
        "- {table: tickets, percent: 30}",
    )
    settings = load_settings(sworld.config(subset))
    key = b"subset-test-key-0123456789abcdef"
    statements: list[str] = []
    source = SqlSource("app", sworld.prod_url)
    with source.snapshot():
        sa.event.listen(
            source.connection, "before_cursor_execute", lambda *a: statements.append(repr(a[2:4]))
        )
        tables = source.reflect()
        graph = build_graph(settings.subset.sql["app"], [t.info for t in tables])
        plan = compute_subset(source.connection, graph, tables, key)
    salt = blake2b(b"tickets", key=key, digest_size=16).hexdigest()
    numbers = {
        t["id"]: documented_hash(sworld, f"{salt}/{t['id']}") for t in sworld.data["tickets"]
    }
    chosen = {(i,) for i, number in numbers.items() if number < 0.3 * 2**52}
    assert plan.tables["tickets"].reasons["root 30%"] == len(chosen) > 0
    assert chosen <= plan.tables["tickets"].keys
    assert statements and not any(key.hex() in s or key.decode() in s for s in statements)


def documented_hash(world: SubsetWorld, text: str) -> int:
    """docs/subsetting.md's percent hash: PostgreSQL's hashtextextended (asked of the
    server), else the first 52 bits of SHA-256."""
    if world.dialect == "postgres":
        with world.prod.connect() as conn:
            query = sa.text("SELECT hashtextextended(:t, 0) & (2 ^ 52 - 1)::bigint")
            return int(conn.execute(query, {"t": text}).scalar_one())
    return int(sha256(text.encode()).hexdigest()[:13], 16)


def test_a_follow_limit_keeps_the_first_children_per_parent(sworld: SubsetWorld) -> None:
    """``{edge: …, limit: N}``: at most N children per parent row, the first in key order
    (a composite key too), every reference still resolving."""
    subset = SUBSET.replace(
        "follow: [messages.ticket_id, ticket_tags.ticket_id,",
        "follow: [{edge: messages.ticket_id, limit: 1}, {edge: ticket_tags.ticket_id, limit: 1},",
    )
    receipt = snapshot(sworld, sworld.config(subset))
    assert receipt.status == "succeeded"
    staging = sworld.staging()
    assert dangling(staging) == []
    limits = {("messages", "ticket_id"): 1, ("ticket_tags", "ticket_id"): 1}
    want = expected(sworld.data, limits=limits)
    for table, kept in want.items():
        assert keys(staging[table], table) == kept, table
    assert len(want["messages"]) < len(expected(sworld.data)["messages"])
    path = receipt.subset["app"]["tables"]["messages"]["path"]
    assert "follow messages.ticket_id (at most 1 per parent)" in path


def test_a_json_path_reference_is_followed_downward(sworld: SubsetWorld) -> None:
    """``follow: [events.payload]`` with ``{from: events.payload, path: "$.user.id", to:
    users.id}``: the events whose payload names a followed user come in, and only those."""
    subset = SUBSET.replace(
        """- {table: tickets, where: "created_at >= '2026-03-01'"}""",
        """- {table: users, where: "id <= 3"}""",
    ).replace("follow: [messages.ticket_id,", "follow: [events.payload, messages.ticket_id,")
    receipt = snapshot(sworld, sworld.config(subset))
    assert receipt.status == "succeeded"
    staging = sworld.staging()
    assert dangling(staging) == []
    want = {e["id"] for e in sworld.data["events"] if json.loads(e["payload"])["user"]["id"] <= 3}
    assert want and {e["id"] for e in staging["events"]} == want
    path = receipt.subset["app"]["tables"]["events"]["path"]
    assert path.startswith("follow events.payload $.user.id (")
