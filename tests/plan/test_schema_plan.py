"""``schema: skip:`` read with file:line, and production's objects × skips → refusal or plan."""

from __future__ import annotations

import re

import pytest

from sanitizer.errors import ConfigError, TargetError
from sanitizer.plan.rules import rules_from_texts
from sanitizer.plan.schema import plan_schema
from sanitizer.receipt import Receipt
from sanitizer.schema import SchemaObject
from sanitizer.verify.schema import check_schema

FOREIGN = SchemaObject("foreign table", "public.remote_orders", False, "points elsewhere")
TRIGGER = SchemaObject("event trigger", "ddl_log", False, "runs on DDL")
TABLE = SchemaObject("table", "public.orders")
VIEW = SchemaObject("view", "public.open_orders")


def rules(schema: str):
    text = f"source: app\n{schema}tables: {{}}\n"
    return rules_from_texts({"rules/app.yaml": text}, ["app"])["app"]


def test_skip_entries_are_read_with_their_line() -> None:
    read = rules("schema:\n  skip:\n    - foreign table  public.remote_orders\n")
    assert [(e.text, str(e.where)) for e in read.skip] == [
        ("foreign table public.remote_orders", "rules/app.yaml:3")
    ]


@pytest.mark.parametrize(
    ("schema", "fragment"),
    [
        ("schema:\n  skipp: []\n", "unknown key 'skipp' in schema"),
        ("schema:\n  skip: foreign table x\n", "schema.skip must be a list"),
        ("schema:\n  skip: [orders]\n", "is not a kind and a name"),
        ("schema: [x]\n", "schema: takes skip:"),
    ],
)
def test_a_wrong_schema_section_names_file_and_line(schema: str, fragment: str) -> None:
    with pytest.raises(ConfigError) as info:
        rules(schema)
    assert re.match(r"rules/app\.yaml:\d+: ", info.value.message)
    assert fragment in info.value.message


def test_unsupported_objects_are_refused_together_naming_the_setting() -> None:
    plan, problems = plan_schema(rules(""), [FOREIGN, TABLE, TRIGGER])
    assert plan.refused == [FOREIGN, TRIGGER]
    (refusal,) = problems
    message = str(refusal)
    assert "foreign table public.remote_orders (points elsewhere)" in message
    assert "event trigger ddl_log (runs on DDL)" in message
    assert "schema:\n  skip:\n    - foreign table public.remote_orders\n" in message
    assert "Nothing was written" in message


def test_skipped_objects_leave_the_expected_set_and_stale_entries_are_errors() -> None:
    read = rules(
        "schema:\n  skip:\n    - foreign table public.remote_orders\n"
        "    - event trigger ddl_log\n    - view public.open_order\n"
    )
    plan, problems = plan_schema(read, [FOREIGN, TABLE, TRIGGER, VIEW])
    assert plan.refused == [] and plan.expected == [TABLE, VIEW]
    (stale,) = problems
    assert "'view public.open_order' matches no object" in stale.message
    assert "did you mean 'view public.open_orders'" in str(stale.hint)
    assert plan.counts([TABLE, VIEW])["foreign table"] == {
        "production": 1,
        "staging": 0,
        "skipped": 1,
    }


def test_verification_names_what_the_shadow_lacks_and_what_it_adds() -> None:
    plan, _ = plan_schema(rules(""), [TABLE, VIEW])
    receipt = Receipt("run", "0", "now", "digest", "key", "fp")
    extra = SchemaObject("index", "public.orders_tmp")
    with pytest.raises(TargetError) as info:
        check_schema(receipt, "app", plan, [TABLE, extra], "target 'app'")
    message = info.value.message
    assert "lacks 1 of production's schema objects: view public.open_orders" in message
    assert "holds 1 objects production does not have: index public.orders_tmp" in message
    assert "the cause is in the tool" in message
    assert receipt.verification["schema_objects"]["app"]["missing"] == ["view public.open_orders"]
    assert receipt.schema["app"]["view"] == {"production": 1, "staging": 0, "skipped": 0}
