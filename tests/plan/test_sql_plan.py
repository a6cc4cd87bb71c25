"""Rules × schema → plan: fail closed, inherit through foreign keys, refuse rules that cannot work.

Schemas are built from ``TableInfo``/``ColumnInfo``/``ForeignKey`` directly; rules from YAML
text, so every error can be checked for its file and line.
"""

from __future__ import annotations

import re
import textwrap

import pytest
import yaml

from sanitizer.config.rules import SourceRules
from sanitizer.errors import ConfigError, ConfigErrors, ExitCode
from sanitizer.mask.operators.detect import Detect
from sanitizer.mask.operators.redact import Redact
from sanitizer.mask.plans import SourcePlan
from sanitizer.plan.rules import rules_from_texts
from sanitizer.plan.sql import build_plan
from sanitizer.schema import ColumnInfo, ForeignKey, TableInfo

FILE = "rules/app.yaml"


def col(name: str, kind: str = "string", **kwargs) -> ColumnInfo:
    sql_type = {"string": "VARCHAR(255)", "integer": "INTEGER", "date": "DATE", "json": "JSON"}
    length = 255 if kind == "string" else None
    return ColumnInfo(name, kind, sql_type.get(kind, kind.upper()), max_length=length, **kwargs)


def table(name: str, *columns: ColumnInfo, pk: tuple[str, ...] = (), fks=()) -> TableInfo:
    return TableInfo(name, {c.name: c for c in columns}, primary_key=pk, foreign_keys=list(fks))


CUSTOMERS = table(
    "customers",
    col("id", "integer", nullable=False, unique=True),
    col("email", nullable=False, unique=True),
    col("full_name"),
    col("birth_date", "date"),
    pk=("id",),
)
ORDERS = table(
    "orders",
    col("id", "integer", nullable=False, unique=True),
    col("customer_id", "integer", nullable=False),
    col("customer_email"),
    col("note"),
    pk=("id",),
    fks=[
        ForeignKey(("customer_id",), "customers", ("id",)),
        ForeignKey(("customer_email",), "customers", ("email",)),
    ],
)
SCHEMA = [CUSTOMERS, ORDERS]
RULES = """\
tables:
  customers:
    id: {format: preserve}
    email: {fake: email, unique: true}
    full_name: {fake: name}
    birth_date: {shift_date: {max_days: 90}}
  orders:
    id: keep
    note: detect
"""


def rules_for(text: str) -> SourceRules:
    return rules_from_texts({FILE: "source: app\n" + textwrap.dedent(text)}, ["app"])["app"]


def plan(text: str = RULES, schema: list[TableInfo] = SCHEMA) -> SourcePlan:
    return build_plan(rules_for(text), schema)


def plan_errors(text: str, schema: list[TableInfo] = SCHEMA) -> list[str]:
    """Every problem; each must name the rule file and a line."""
    with pytest.raises(ConfigErrors) as info:
        plan(text, schema)
    assert info.value.exit_code == ExitCode.CONFIG
    messages = [str(e) for e in info.value.errors]
    for message in messages:
        assert re.match(rf"{re.escape(FILE)}:\d+: ", message), f"no file:line: {message}"
    return messages


def test_a_complete_plan():
    result = plan()
    orders = result.tables["orders"].columns
    assert orders["customer_id"].operator.label() == "format: preserve"
    assert orders["customer_id"].origin == "inherited from customers.id"
    assert orders["customer_email"].operator.label() == "fake: email"
    assert orders["customer_email"].origin == "inherited from customers.email"
    assert orders["note"].origin == "rule"
    assert set(result.tables) == {"customers", "orders"}


def test_unique_follows_rules_and_constraints():
    result = plan()
    customers, orders = result.tables["customers"].columns, result.tables["orders"].columns
    assert customers["email"].unique  # unique: true
    assert customers["id"].unique  # primary key, and format changes values
    assert not customers["full_name"].unique
    assert not orders["id"].unique  # keep never collides
    # inherited keys use the same collision re-draws as the column they reference
    assert orders["customer_email"].unique and orders["customer_id"].unique


def test_rules_for_a_missing_table_or_column_suggest_the_nearest():
    text = RULES.replace("  orders:\n", "  order:\n") + "  customers_x: {id: keep}\n"
    text = text.replace("full_name:", "fullname:")
    messages = plan_errors(text)
    table_error = next(m for m in messages if "table 'order'" in m)
    assert table_error.startswith(f"{FILE}:8: table 'order' is not in source 'app'.")
    assert "did you mean 'orders'?" in table_error
    column_error = next(m for m in messages if "fullname" in m)
    assert column_error.startswith(f"{FILE}:6: column customers.fullname is unknown.")
    assert "did you mean 'full_name'?" in column_error


def test_columns_without_rules_are_one_error_with_a_paste_ready_snippet():
    text = RULES.replace("    full_name: {fake: name}\n", "").replace("    note: detect\n", "")
    messages = plan_errors(text)
    assert len(messages) == 1
    [message] = messages
    assert message.startswith(f"{FILE}:3: 2 columns of source 'app' have no rule")
    assert "customers.full_name, orders.note" in message
    snippet = message.split("e.g.:\n\n", 1)[1].split("\n  fix:", 1)[0]
    pasted = yaml.safe_load(snippet)
    assert pasted == {"tables": {"customers": {"full_name": "keep"}, "orders": {"note": "keep"}}}
    assert "TODO VARCHAR(255)" in snippet


def test_the_snippet_completes_the_rules_when_pasted():
    text = RULES.replace("    full_name: {fake: name}\n", "")
    [message] = plan_errors(text)
    snippet = message.split("e.g.:\n\n", 1)[1].split("\n  fix:", 1)[0]
    pasted = yaml.safe_load(snippet)["tables"]["customers"]
    fixed = text.replace(
        "    email:", "".join(f"    {k}: {v}\n" for k, v in pasted.items()) + "    email:"
    )
    assert plan(fixed).tables["customers"].columns["full_name"].operator.label() == "keep"


def test_a_table_with_no_rules_at_all_is_listed_too():
    schema = [*SCHEMA, table("audit", col("actor"), col("at", "date"))]
    [message] = plan_errors(RULES, schema)
    assert message.startswith(f"{FILE}:1: 2 columns")
    assert "audit.actor, audit.at" in message


def test_null_on_a_not_null_column():
    [message] = plan_errors(RULES.replace("email: {fake: email, unique: true}", "email: null"))
    assert message.startswith(f"{FILE}:5: null on customers.email, which is NOT NULL")


def test_null_on_a_nullable_column_is_fine():
    result = plan(RULES.replace("full_name: {fake: name}", "full_name: null"))
    assert result.tables["customers"].columns["full_name"].operator.label() == "null"


def test_a_unique_column_with_an_operator_that_cannot_keep_it_unique():
    [message] = plan_errors(
        RULES.replace("email: {fake: email, unique: true}", "email: {fake: phone}")
    )
    assert message.startswith(f"{FILE}:5: customers.email has a unique constraint")
    assert "fake: phone cannot keep distinct values distinct" in message


def test_unique_true_on_fake_phone_is_refused_where_it_is_written():
    with pytest.raises(ConfigErrors) as info:
        plan(RULES.replace("full_name: {fake: name}", "full_name: {fake: phone, unique: true}"))
    [message] = [str(e) for e in info.value.errors]
    assert message.startswith(f"{FILE}:6: fake: phone cannot guarantee distinct outputs")


@pytest.mark.parametrize(
    ("edit", "fragment"),
    [
        (
            ("birth_date: {shift_date: {max_days: 90}}", "birth_date: {fake: email}"),
            "fake: email cannot apply to customers.birth_date, a DATE column",
        ),
        (
            ("birth_date: {shift_date: {max_days: 90}}", "birth_date: {noise: {ratio: 0.1}}"),
            "noise: 0.1 cannot apply to customers.birth_date",
        ),
        (
            ("birth_date: {shift_date: {max_days: 90}}", "birth_date: redact"),
            "redact cannot apply to customers.birth_date",
        ),
        (("id: {format: preserve}", "id: {constant: 'n/a'}"), "customers.id"),
        (
            ("birth_date: {shift_date: {max_days: 90}}", "birth_date: {constant: 5}"),
            "customers.birth_date",
        ),
    ],
)
def test_rules_that_cannot_apply_to_the_column_type(edit, fragment):
    old, new = edit
    messages = plan_errors(RULES.replace(old, new))
    assert any(fragment in m for m in messages), messages


def test_a_constant_of_the_right_type_is_fine():
    result = plan(
        RULES.replace(
            "birth_date: {shift_date: {max_days: 90}}", "birth_date: {constant: 2000-01-01}"
        )
    )
    assert result.tables["customers"].columns["birth_date"].operator.label().startswith("constant:")


# -- foreign keys -----------------------------------------------------------------------------


def test_a_foreign_key_with_a_different_rule_is_refused():
    text = RULES + "    customer_email: {fake: username}\n"
    [message] = plan_errors(text)
    assert message.startswith(f"{FILE}:11: orders.customer_email references customers.email")
    assert "masked with fake: email, but this rule says fake: username" in message
    assert "would no longer join" in message


def test_writing_the_parents_rule_on_a_foreign_key_is_accepted():
    """The error's own hint says 'write the same' — doing so must not be an error."""
    text = RULES + "    customer_email: {fake: email}\n    customer_id: {format: preserve}\n"
    orders = plan(text).tables["orders"].columns
    assert orders["customer_email"].operator.label() == "fake: email"
    assert orders["customer_email"].unique


def test_composite_foreign_keys_inherit_column_by_column():
    parent = table(
        "accounts",
        col("tenant", "integer", nullable=False),
        col("login", nullable=False),
        pk=("tenant", "login"),
    )
    child = table(
        "sessions",
        col("id", "integer", unique=True),
        col("tenant", "integer"),
        col("login"),
        fks=[ForeignKey(("tenant", "login"), "accounts", ("tenant", "login"))],
    )
    text = "tables:\n  accounts: {tenant: keep, login: {fake: username}}\n  sessions: {id: keep}\n"
    sessions = plan(text, [parent, child]).tables["sessions"].columns
    assert sessions["tenant"].operator.label() == "keep"
    assert sessions["login"].operator.label() == "fake: username"
    assert sessions["login"].origin == "inherited from accounts.login"
    assert not sessions["login"].unique  # neither side is unique on its own


def test_self_referencing_foreign_keys_inherit():
    employees = table(
        "employees",
        col("id", "integer", nullable=False, unique=True),
        col("manager_id", "integer"),
        col("badge", unique=True),
        col("mentor_badge"),
        pk=("id",),
        fks=[
            ForeignKey(("manager_id",), "employees", ("id",)),
            ForeignKey(("mentor_badge",), "employees", ("badge",)),
        ],
    )
    text = "tables:\n  employees: {id: {format: preserve}, badge: hash}\n"
    columns = plan(text, [employees]).tables["employees"].columns
    assert columns["manager_id"].operator.label() == "format: preserve"
    assert columns["manager_id"].origin == "inherited from employees.id"
    assert columns["mentor_badge"].operator.label() == "hash"


def test_inheritance_follows_chains_and_survives_cycles():
    a = table("a", col("x", unique=True), fks=[ForeignKey(("x",), "b", ("y",))])
    b = table("b", col("y", unique=True), fks=[ForeignKey(("y",), "c", ("z",))])
    c = table("c", col("z", unique=True), fks=[ForeignKey(("z",), "a", ("x",))])
    result = plan("tables:\n  c: {z: hash}\n", [a, b, c])
    assert result.tables["a"].columns["x"].operator.label() == "hash"
    assert result.tables["a"].columns["x"].origin == "inherited from b.y"
    assert result.tables["b"].columns["y"].origin == "inherited from c.z"
    assert result.tables["c"].columns["z"].origin == "rule"


def test_a_foreign_key_to_an_unruled_parent_is_missing_not_guessed():
    text = "tables:\n  orders: {id: keep, note: keep}\n"
    [message] = plan_errors(text)
    assert "customers.id" in message and "orders.customer_id" in message


# -- defaults.unknown -------------------------------------------------------------------------


@pytest.mark.parametrize(("policy", "operator"), [("redact", Redact), ("detect", Detect)])
def test_defaults_cover_unruled_text_columns(policy, operator):
    text = f"defaults:\n  unknown: {policy}\n" + RULES.replace("    note: detect\n", "").replace(
        "    full_name: {fake: name}\n", ""
    )
    result = plan(text)
    note = result.tables["orders"].columns["note"]
    assert isinstance(note.operator, operator) and note.origin == "default"
    assert str(note.operator.where) == f"{FILE}:3"
    assert isinstance(result.tables["customers"].columns["full_name"].operator, operator)


def test_defaults_do_not_cover_columns_they_cannot_mask():
    text = "defaults:\n  unknown: redact\n" + RULES.replace(
        "    birth_date: {shift_date: {max_days: 90}}\n", ""
    )
    [message] = plan_errors(text)
    assert "customers.birth_date" in message
    assert "defaults.unknown is redact" in message


def test_no_rule_file_for_the_source_fails_closed():
    with pytest.raises(ConfigError, match="have no rule"):
        build_plan(SourceRules("app"), SCHEMA)


STAFF = table(
    "staff",
    col("id", "integer", nullable=False, unique=True),
    ColumnInfo("picture", "binary", "BYTEA"),
    ColumnInfo("home", "geometry", "POINT"),
    pk=("id",),
)


@pytest.mark.parametrize(
    ("rule", "fragment"),
    [
        (
            "picture: {fake: email}",
            "fake: email cannot apply to staff.picture, a BYTEA column (binary values)",
        ),
        ("picture: redact", "operators for it: keep, null, placeholder, constant, fake: point"),
        ("home: {fake: address}", "fake: address cannot apply to staff.home, a POINT column"),
        ("home: detect", "operators for it: keep, null, constant, fake: point"),
    ],
)
def test_binary_and_geometry_columns_name_the_operators_that_apply(rule, fragment):
    rules = {"id": "keep", "picture": "placeholder", "home": "{fake: point}"}
    name, _, written = rule.partition(": ")
    rules[name] = written
    text = "tables:\n  staff:\n" + "".join(f"    {k}: {v}\n" for k, v in rules.items())
    messages = plan_errors(text, [STAFF])
    assert any(fragment in m for m in messages), messages


def test_placeholder_and_point_fit_binary_and_geometry_columns():
    rules = "tables:\n  staff:\n    id: keep\n    picture: placeholder\n    home: {fake: point}\n"
    result = plan(rules, [STAFF]).tables["staff"].columns
    assert result["picture"].operator.label() == "placeholder"
    assert result["home"].operator.label() == "fake: point"
