"""Guarantee 10's comparison itself (verify/schema.py): the shadow's inventory, named back as
production names it, against production's minus what the rule file skips — object for object.

The run-level tests (tests/run/test_schema_objects.py) break a real shadow; these pin the
comparison down on inventories the test writes.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sanitizer.errors import ExitCode, TargetError
from sanitizer.extract.catalog.postgres import rename_schemas
from sanitizer.load.sql import open_target
from sanitizer.load.sql.mysql import MysqlTarget
from sanitizer.load.sql.postgres import PostgresTarget
from sanitizer.plan.rules import rules_from_texts
from sanitizer.plan.schema import SchemaPlan, plan_schema
from sanitizer.receipt import Receipt
from sanitizer.schema import SchemaObject
from sanitizer.verify.schema import SHOWN, check_schema, compare, schema_error

TABLE = SchemaObject("table", "public.orders")
VIEW = SchemaObject("view", "public.open_orders")
INDEX = SchemaObject("index", "public.orders_placed")
TRIGGER = SchemaObject("trigger", "orders_touch on public.orders")
FOREIGN = SchemaObject("foreign table", "public.remote_orders", False, "points elsewhere")
CITEXT = SchemaObject("extension", "citext")
WHERE = "target 'app' (postgresql://staging)"


def receipt() -> Receipt:
    return Receipt("run", "0", "now", "digest", "key", "fp")


def plan(objects: list[SchemaObject], skip: list[SchemaObject] | None = None) -> SchemaPlan:
    text = "source: app\n"
    if skip:
        text += "schema:\n  skip:\n" + "".join(f"    - {o}\n" for o in skip)
    rules = rules_from_texts({"rules/app.yaml": text + "tables: {}\n"}, ["app"])["app"]
    planned, problems = plan_schema(rules, objects)
    assert problems == []
    return planned


# -- compare: missing and unexpected ----------------------------------------------------------
def test_an_identical_shadow_has_nothing_missing_or_unexpected() -> None:
    assert compare([TABLE, VIEW, INDEX], [INDEX, TABLE, VIEW]) == ([], [])


def test_missing_and_unexpected_objects_are_listed_sorted() -> None:
    extra = [SchemaObject("index", "public.orders_tmp"), SchemaObject("view", "public.a_view")]
    missing, unexpected = compare([TABLE, VIEW, TRIGGER, INDEX], [TABLE, *extra])
    assert missing == [INDEX, TRIGGER, VIEW]  # by kind, then name
    assert unexpected == sorted(extra)


def test_same_name_of_another_kind_is_not_the_same_object() -> None:
    as_table = SchemaObject("table", "public.open_orders")
    assert compare([VIEW], [as_table]) == ([VIEW], [as_table])


def test_an_extension_only_staging_has_is_tolerated_but_a_missing_one_is_not() -> None:
    """Extensions belong to the database, not to the copied schemas: staging may have more."""
    assert compare([TABLE], [TABLE, CITEXT]) == ([], [])
    assert compare([TABLE, CITEXT], [TABLE]) == ([CITEXT], [])


# -- check_schema: the receipt and the error ---------------------------------------------------
def test_a_matching_shadow_passes_and_is_counted() -> None:
    got = receipt()
    check_schema(got, "app", plan([TABLE, VIEW]), [TABLE, VIEW], WHERE)
    assert got.verification["schema_objects"]["app"] == {
        "match": True,
        "missing": [],
        "unexpected": [],
    }
    assert "passed" not in got.verification  # only a difference sets it
    assert got.schema["app"]["view"] == {"production": 1, "staging": 1, "skipped": 0}


def test_a_missing_object_fails_naming_it_and_blaming_the_tool() -> None:
    got = receipt()
    with pytest.raises(TargetError) as info:
        check_schema(got, "app", plan([TABLE, TRIGGER, VIEW]), [TABLE, VIEW], WHERE)
    error = info.value
    assert error.exit_code == ExitCode.TARGET
    assert error.message.startswith(f"{WHERE}: the shadow copy of source 'app' lacks 1 of")
    assert "production's schema objects: trigger orders_touch on public.orders." in error.message
    assert "the cause is in the tool" in error.message
    assert "The shadow was discarded; staging was left as it was." in error.message
    assert "schema: skip:" in str(error.hint)
    assert got.verification["passed"] is False
    assert got.verification["schema_objects"]["app"]["missing"] == [str(TRIGGER)]
    assert got.schema["app"]["trigger"] == {"production": 1, "staging": 0, "skipped": 0}


def test_skipped_objects_are_not_expected_and_are_counted_as_skipped() -> None:
    planned = plan([TABLE, FOREIGN, VIEW], skip=[FOREIGN])
    got = receipt()
    check_schema(got, "app", planned, [TABLE, VIEW], WHERE)
    assert got.verification["schema_objects"]["app"]["match"] is True
    assert got.schema["app"]["foreign table"] == {"production": 1, "staging": 0, "skipped": 1}


def test_a_skipped_object_that_shows_up_in_the_shadow_is_unexpected() -> None:
    """Skipped means left out: the tool copying it anyway is a difference too."""
    got = receipt()
    with pytest.raises(TargetError) as info:
        check_schema(got, "app", plan([TABLE, FOREIGN], skip=[FOREIGN]), [TABLE, FOREIGN], WHERE)
    assert "holds 1 objects production does not have: foreign table public.remote_orders" in (
        info.value.message
    )
    assert got.verification["schema_objects"]["app"]["unexpected"] == [str(FOREIGN)]


def test_a_long_list_is_cut_in_the_message_but_whole_in_the_receipt() -> None:
    views = [SchemaObject("view", f"public.v{i:03}") for i in range(SHOWN + 5)]
    got = receipt()
    with pytest.raises(TargetError) as info:
        check_schema(got, "app", plan([TABLE, *views]), [TABLE], WHERE)
    assert f"lacks {SHOWN + 5} of production's" in info.value.message
    assert "(and 5 more; the receipt lists them all)" in info.value.message
    assert str(views[SHOWN]) not in info.value.message
    assert got.verification["schema_objects"]["app"]["missing"] == [str(v) for v in views]


def test_sanitize_verify_says_staging_differs_without_blaming_a_run() -> None:
    error = schema_error("app", WHERE, [VIEW], [], in_run=False)
    assert "staging of source 'app' lacks 1 of production's schema objects" in error.message
    assert "cause is in the tool" not in error.message
    assert "sanitize snapshot" in str(error.hint)


# -- shadow names mapped back to production's ---------------------------------------------------
def test_a_postgres_targets_shadow_schemas_map_back_to_productions() -> None:
    target = open_target("app", "postgresql+psycopg://staging@127.0.0.1/staging")
    assert isinstance(target, PostgresTarget)
    target.shadows = {"public": "public__sz_r1", "My Shop": "My Shop__sz_r1"}
    assert target.shadow_names() == {"public__sz_r1": "public", "My Shop__sz_r1": "My Shop"}
    target.shadows = {None: "public__sz_r1"}  # the target's default schema
    assert target.shadow_names() == {"public__sz_r1": "public"}


def test_a_mysql_targets_shadow_database_maps_back_to_staging() -> None:
    target = open_target("app", "mysql+pymysql://root@127.0.0.1/staging")
    assert isinstance(target, MysqlTarget)
    target.shadow = "staging__sz_r1"
    assert target.shadow_names() == {"staging__sz_r1": "staging"}


def test_sqlite_reads_its_shadow_through_the_target_itself(tmp_path: Path) -> None:
    target = open_target("app", f"sqlite:///{tmp_path / 'staging.db'}")
    assert target.shadow_names() is None


def test_names_read_in_a_shadow_schema_are_renamed_where_they_name_the_schema() -> None:
    read = [
        SchemaObject("view", "public__sz_r1.open_orders"),
        SchemaObject("trigger", 'touch on "My Shop__sz_r1".orders'),
        SchemaObject("function", "public__sz_r1.total(public__sz_r1.mood, integer)"),
        SchemaObject("table", "public__sz_r1.public__sz_r1_log"),  # a table so named stays
        SchemaObject("table", "other.orders"),
    ]
    quoted = {"public__sz_r1": "public", '"My Shop__sz_r1"': '"My Shop"'}
    assert [str(o) for o in rename_schemas(read, quoted)] == [
        "function public.total(public.mood, integer)",
        "table other.orders",
        "table public.public__sz_r1_log",
        'trigger touch on "My Shop".orders',
        "view public.open_orders",
    ]
