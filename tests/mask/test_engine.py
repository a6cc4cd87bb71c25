"""The table masker: the DESIGN's invariants on whole batches, through plans built from rules.

Each test builds a real plan (rules YAML × schema) and masks polars frames with
``TableMasker``, the way a run does, with one ``UniqueLedger`` per simulated run.
"""

from __future__ import annotations

import re
import textwrap
from typing import Any

import polars as pl
import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from sanitizer.config.settings import NlpSettings
from sanitizer.errors import MaskingError
from sanitizer.mask.engine import TableMasker, UniqueLedger
from sanitizer.mask.fakes import EMAIL_DOMAINS
from sanitizer.mask.plans import SourcePlan
from sanitizer.mask.pseudonyms import Keyring
from sanitizer.plan.rules import rules_from_texts
from sanitizer.plan.sql import build_plan
from sanitizer.schema import ColumnInfo, ForeignKey, TableInfo

KEY = b"unit-test-key-0123456789abcdef"
RESERVED = tuple(f"@{d}" for d in EMAIL_DOMAINS)


def text_column(name: str, length: int | None = None, **kwargs: Any) -> ColumnInfo:
    sql_type = f"VARCHAR({length})" if length else "TEXT"
    return ColumnInfo(name, "string", sql_type, max_length=length, **kwargs)


ID = ColumnInfo("id", "integer", "INTEGER", nullable=False, unique=True)


def plan_for(rules_yaml: str, tables: list[TableInfo]) -> SourcePlan:
    text = "source: app\n" + textwrap.dedent(rules_yaml)
    rules = rules_from_texts({"rules/app.yaml": text}, ["app"])["app"]
    return build_plan(rules, tables)


def one_column_plan(rule: str, column: ColumnInfo) -> SourcePlan:
    table = TableInfo("t", {column.name: column})
    return plan_for(f"tables:\n  t:\n    {column.name}: {rule}\n", [table])


def run_masker(
    plan: SourcePlan,
    table: str,
    frame: pl.DataFrame,
    ledger: UniqueLedger | None = None,
    keyring: Keyring | None = None,
) -> pl.DataFrame:
    masker = TableMasker(
        plan.tables[table], keyring or Keyring(KEY), NlpSettings(), ledger or UniqueLedger()
    )
    return masker.mask(frame)


# -- NULL stays NULL, blanks stay blank ---------------------------------------------------------

SHAPE_RULES = [
    "{fake: email}",
    "{fake: name}",
    "{fake: phone}",
    "{fake: email, unique: true}",
    "{fake: iban}",
    "hash",
    "redact",
    "{format: preserve}",
    "{format: preserve, unique: true}",
    "{constant: '!staging-disabled'}",
    "{shift_date: {max_days: 30}}",
    '{json: {"$.email": {fake: email}, "$.**": redact}}',
]
blank = st.sampled_from(["", " ", "   ", "\t", "\n", " \r\n "])
cells = st.one_of(st.none(), blank, st.text(min_size=1, max_size=30))


@pytest.mark.parametrize("rule", SHAPE_RULES)
@given(values=st.lists(cells, min_size=1, max_size=25))
@settings(max_examples=50, deadline=None)
def test_null_stays_null_and_blanks_stay_as_they_are(rule, values):
    plan = one_column_plan(rule, text_column("c"))
    out = run_masker(plan, "t", pl.DataFrame({"c": values}, schema={"c": pl.String}))
    assert out.height == len(values)
    for before, after in zip(values, out["c"].to_list(), strict=True):
        if before is None or not before.strip():
            assert after == before
        else:
            assert after is not None and after.strip()


@pytest.mark.parametrize("rule", SHAPE_RULES)
@given(values=st.lists(cells, min_size=1, max_size=25))
@settings(max_examples=50, deadline=None)
def test_mask_series_keeps_nulls_blanks_length_and_dtype(mask_series_with, rule, values):
    series = pl.Series("c", values, dtype=pl.String)
    out = mask_series_with(yaml.safe_load(rule), series)
    assert out.dtype == pl.String and out.len() == series.len()
    blanks = [v is None or not v.strip() for v in values]
    assert [v for v, b in zip(out.to_list(), blanks, strict=True) if b] == [
        v for v, b in zip(values, blanks, strict=True) if b
    ]


def test_the_null_operator_empties_blanks_too():
    plan = one_column_plan("null", text_column("c"))
    out = run_masker(plan, "t", pl.DataFrame({"c": ["a", "", " ", None]}))
    assert out["c"].to_list() == [None] * 4


def test_duplicates_stay_duplicates_and_row_order_is_kept():
    plan = one_column_plan("{fake: email}", text_column("c"))
    values = ["b@x.com", "a@x.com", "b@x.com", None, "a@x.com"]
    out = run_masker(plan, "t", pl.DataFrame({"c": values}))["c"].to_list()
    assert out[0] == out[2] and out[1] == out[4] and out[0] != out[1] and out[3] is None


# -- unique columns stay unique ---------------------------------------------------------------

UNIQUE_RULES = [
    "{fake: email, unique: true}",
    "{fake: username, unique: true}",
    "{fake: url, unique: true}",
    "{fake: uuid, unique: true}",
    "{fake: iban, unique: true}",
    "{fake: postcode, unique: true}",
    "{hash: {length: 12}, unique: true}",
    "{format: preserve, unique: true}",
]


def with_case_variants(values: list[str]) -> list[str]:
    """The values plus their lower/upper-case twins: distinct inputs with one identity."""
    return list(dict.fromkeys(v for value in values for v in (value, value.lower(), value.upper())))


@pytest.mark.parametrize("rule", UNIQUE_RULES)
@given(values=st.lists(st.text(min_size=1, max_size=20).filter(str.strip), min_size=1, max_size=20))
@example(values=["Maria@X.com", "maria@x.com", "MARIA@X.COM"])
@example(values=["É1 2AB", "T1 2AB"])  # non-ASCII letters fold onto ASCII ones
@example(values=["DE89 3704 0044 0532 0130 00", "de89 3704 0044 0532 0130 00"])
@settings(max_examples=50, deadline=None)
def test_unique_columns_give_distinct_outputs_for_distinct_inputs(rule, values):
    values = with_case_variants(values)
    plan = one_column_plan(rule, text_column("c", unique=True))
    out = run_masker(plan, "t", pl.DataFrame({"c": values}))["c"].to_list()
    assert len(set(out)) == len(values)


@given(
    values=st.lists(
        st.text(min_size=1, max_size=20).filter(str.strip), min_size=2, max_size=20, unique=True
    )
)
@settings(max_examples=50, deadline=None)
def test_uniqueness_holds_across_batches_and_tables_sharing_a_ledger(values):
    column = text_column("email", unique=True)
    tables = [TableInfo("a", {"email": column}), TableInfo("b", {"email": column})]
    plan = plan_for(
        "tables:\n  a: {email: {fake: email, unique: true}}\n"
        "  b: {email: {fake: email, unique: true}}\n",
        tables,
    )
    ledger = UniqueLedger()
    half = len(values) // 2
    masker = TableMasker(plan.tables["a"], Keyring(KEY), NlpSettings(), ledger)
    first = masker.mask(pl.DataFrame({"email": values[:half]}))["email"].to_list()
    second = masker.mask(pl.DataFrame({"email": values[half:]}))["email"].to_list()
    assert len(set(first + second)) == len(values)
    # the same values in another table with the same rule come out the same
    again = run_masker(plan, "b", pl.DataFrame({"email": values}), ledger)["email"].to_list()
    assert again == first + second


def test_a_unique_column_too_short_for_its_values_fails_with_a_clear_error():
    plan = one_column_plan("{fake: email, unique: true}", text_column("c", 2, unique=True))
    values = [f"user{i}@corp.com" for i in range(3000)]
    with pytest.raises(MaskingError, match=r"t\.c: \d+ values found no free pseudonym") as info:
        run_masker(plan, "t", pl.DataFrame({"c": values}))
    assert "user" not in str(info.value)  # no original values in messages


# -- consistency across columns, tables and runs ----------------------------------------------


@given(values=st.lists(st.one_of(st.none(), st.text(max_size=25)), min_size=1, max_size=20))
@settings(max_examples=50, deadline=None)
def test_same_value_same_rule_same_output_in_every_table_and_run(values):
    tables = [
        TableInfo("customers", {"email": text_column("email")}),
        TableInfo("tickets", {"requester": text_column("requester")}),
    ]
    plan = plan_for(
        "tables:\n  customers: {email: {fake: email}}\n  tickets: {requester: {fake: email}}\n",
        tables,
    )
    a = run_masker(plan, "customers", pl.DataFrame({"email": values}, schema={"email": pl.String}))
    b = run_masker(
        plan, "tickets", pl.DataFrame({"requester": values}, schema={"requester": pl.String})
    )
    assert a["email"].to_list() == b["requester"].to_list()
    rerun = run_masker(
        plan,
        "customers",
        pl.DataFrame({"email": values}, schema={"email": pl.String}),
        keyring=Keyring(KEY),
    )
    assert rerun["email"].to_list() == a["email"].to_list()


def test_rotating_the_key_changes_every_pseudonym():
    plan = one_column_plan("{fake: email}", text_column("c"))
    frame = pl.DataFrame({"c": [f"user{i}@corp.com" for i in range(50)]})
    before = run_masker(plan, "t", frame)["c"].to_list()
    after = run_masker(plan, "t", frame, keyring=Keyring(b"rotated-key-rotated-key-rotated"))["c"]
    assert all(x != y for x, y in zip(before, after.to_list(), strict=True))


# -- foreign keys still join ------------------------------------------------------------------


def fk_schema(parent_unique_by_rule: bool) -> tuple[str, list[TableInfo]]:
    customers = TableInfo(
        "customers",
        {"id": ID, "email": text_column("email", 255, nullable=False, unique=True)},
        primary_key=("id",),
    )
    orders = TableInfo(
        "orders",
        {"id": ID, "customer_email": text_column("customer_email", 255)},
        primary_key=("id",),
        foreign_keys=[ForeignKey(("customer_email",), "customers", ("email",))],
    )
    unique = ", unique: true" if parent_unique_by_rule else ""
    rules = (
        "tables:\n"
        f"  customers: {{id: keep, email: {{fake: email{unique}}}}}\n"
        "  orders: {id: keep}\n"
    )
    return rules, [customers, orders]


@pytest.mark.parametrize("parent_unique_by_rule", [True, False])
@pytest.mark.parametrize("child_first", [False, True])
def test_foreign_keys_join_after_masking_even_after_unique_redraws(
    parent_unique_by_rule, child_first
):
    rules, tables = fk_schema(parent_unique_by_rule)
    plan = plan_for(rules, tables)
    emails = ["Maria@X.com", "maria@x.com", "MARIA@X.COM", "jane@corp.com"]
    parent = pl.DataFrame({"id": [1, 2, 3, 4], "email": emails})
    child = pl.DataFrame({"id": [10, 11, 12, 13], "customer_email": emails[::-1]})
    ledger = UniqueLedger()
    if child_first:
        masked_child = run_masker(plan, "orders", child, ledger)
        masked_parent = run_masker(plan, "customers", parent, ledger)
    else:
        masked_parent = run_masker(plan, "customers", parent, ledger)
        masked_child = run_masker(plan, "orders", child, ledger)
    assert masked_parent["email"].n_unique() == 4
    by_original = dict(zip(emails, masked_parent["email"].to_list(), strict=True))
    for original, masked in zip(
        child["customer_email"], masked_child["customer_email"], strict=True
    ):
        assert masked == by_original[original]


# -- values fit their columns, and stay undeliverable when cut --------------------------------

FIT_RULES = [
    "{fake: email}",
    "{fake: address}",
    "{fake: company}",
    "{fake: url}",
    "{fake: name}",
    "{hash: {length: 40}}",
    '{json: {"$.**": {fake: email}}}',
]


@pytest.mark.parametrize("rule", FIT_RULES)
@given(
    length=st.integers(min_value=1, max_value=40),
    values=st.lists(st.text(min_size=1, max_size=40), min_size=1, max_size=10),
)
@settings(max_examples=50, deadline=None)
def test_values_fit_varchar_n(rule, length, values):
    values = [v[:length] for v in values]  # production data fits its own column
    plan = one_column_plan(rule, text_column("c", length))
    out = run_masker(plan, "t", pl.DataFrame({"c": values}))["c"].to_list()
    assert all(v is None or len(v) <= length for v in out)


@given(
    length=st.integers(min_value=1, max_value=60),
    locals_=st.lists(st.from_regex(r"[a-z]{1,12}", fullmatch=True), min_size=1, max_size=30),
)
@example(length=30, locals_=[f"user{i}" for i in range(300)])
@example(length=12, locals_=["a", "b"])
@settings(max_examples=80, deadline=None)
def test_emails_cut_to_fit_stay_undeliverable(length, locals_):
    """A cut must never turn example.com into example.co (registered) or example.ne (Niger)."""
    values = [f"{local}@corp.com"[:length] for local in locals_]
    rules = ["{fake: email}", "{fake: email, unique: true}"] if length >= 16 else ["{fake: email}"]
    for rule in rules:
        plan = one_column_plan(rule, text_column("c", length, unique="unique" in rule))
        out = run_masker(plan, "t", pl.DataFrame({"c": values}))["c"].to_list()
        for before, after in zip(values, out, strict=True):
            assert len(after) <= length
            assert not re.search(r"example\.[a-z]{1,2}$", after, re.IGNORECASE), after
            if before.endswith("@corp.com") and length >= len("x@example.com"):
                assert after.endswith(RESERVED), after  # still a well-formed, reserved address


def test_free_text_cut_to_fit_never_ends_in_a_real_domain(keyring_free=None):
    """Masked text grows (fakes are longer); the cut must not leave ``example.co``."""
    for length in range(20, 60):
        plan = one_column_plan(
            "{json: {'$.**': {fake: email}}, on_invalid: keep}", text_column("c", length)
        )
        values = [f'["{n}@corp.com"]'[:length] for n in ("ann", "bob", "cy", "dee", "eve", "flo")]
        out = run_masker(plan, "t", pl.DataFrame({"c": values}))["c"].to_list()
        for text in out:
            assert not re.search(r"example\.[a-z]{1,2}$", text, re.IGNORECASE), text


# -- receipts' counts -------------------------------------------------------------------------


def test_stats_count_rows_and_masked_values_never_values():
    plan = one_column_plan("{fake: email}", text_column("c"))
    masker = TableMasker(plan.tables["t"], Keyring(KEY), NlpSettings(), UniqueLedger())
    masker.mask(pl.DataFrame({"c": ["a@x.com", None, "b@x.com", ""]}))
    stats = masker.stats["c"]
    assert (stats.rows, stats.masked, stats.unchanged) == (4, 3, 0)
    assert stats.operator == "fake: email" and stats.origin == "rule"
    assert "a@x.com" not in repr(stats)


def test_a_rows_text_knows_the_given_and_family_names_of_its_person_columns():
    """'さゆり was frustrated' in the row of '山口 さゆり' takes the given name of that name's
    fake; another row's 'さゆり' is not this person's part (but still a name)."""
    columns = {c.name: c for c in (ID, text_column("full_name"), text_column("body"))}
    plan = plan_for(
        "tables:\n  tickets:\n    id: keep\n    full_name: {fake: name}\n    body: detect\n",
        [TableInfo("tickets", columns)],
    )
    frame = pl.DataFrame(
        {
            "id": [1, 2],
            "full_name": ["山口 さゆり", "Victoria Lindqvist"],
            "body": ["さゆり was frustrated about the outage", "Ask Lindqvist; Victoria was upset"],
        }
    )
    out = run_masker(plan, "tickets", frame)
    sayuri, victoria = out["full_name"].to_list()
    first, second = out["body"].to_list()
    assert first == f"{sayuri.split()[0]} was frustrated about the outage"
    assert second == f"Ask {victoria.split()[-1]}; {victoria.split()[0]} was upset"
