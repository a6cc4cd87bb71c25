"""``sanitize schema snapshot`` and ``sanitize rules check``: offline against the committed
snapshot (no credentials), live with drift, in three output formats, with distinct exit codes."""

from __future__ import annotations

import json
import sqlite3

import yaml
from helpers.review_project import SECRET_VALUES, sanitize

from sanitizer.errors import ExitCode

KEY = {"SANITIZE_KEY": "0123456789abcdef0123456789abcdef"}


def snapshot(project):
    result = sanitize(project, "schema", "snapshot", **KEY)
    assert result.code == 0, result.stderr
    return (project / "rules" / "_schema.yaml").read_text()


def test_the_snapshot_holds_structure_and_never_data(project):
    text = snapshot(project)
    document = yaml.safe_load(text)
    customers = document["sources"]["app"]["tables"]["customers"]
    assert customers["primary_key"] == ["id"]
    assert customers["columns"]["email"] == {
        "kind": "string", "sql_type": "VARCHAR(100)", "nullable": False, "max_length": 100,
        "unique": True,
    }  # fmt: skip
    orders = document["sources"]["app"]["tables"]["orders"]
    assert orders["foreign_keys"] == [
        {"columns": ["customer_id"], "references": "customers", "target_columns": ["id"]}
    ]
    for value in [*SECRET_VALUES, "free", "12.5", "call Zelda"]:
        assert value not in text


def test_check_passes_offline_without_any_secret(project):
    snapshot(project)
    result = sanitize(project, "rules", "check")  # no SANITIZE_KEY, no PROD_URL
    assert result.code == 0, result.stdout + result.stderr
    assert result.stdout.startswith("ok: 2 tables, 9 columns")


def test_a_deleted_rule_fails_the_check_naming_the_column(project):
    snapshot(project)
    rules = project / "rules" / "app.yaml"
    rules.write_text(rules.read_text().replace("    phone: {fake: phone}\n", ""))
    result = sanitize(project, "rules", "check")
    assert result.code == ExitCode.CONFIG
    assert "customers.phone" in result.stdout
    assert "phone: keep    # TODO VARCHAR(30): choose a rule" in result.stdout  # paste-ready


def test_json_and_github_formats(project):
    snapshot(project)
    rules = project / "rules" / "app.yaml"
    rules.write_text(rules.read_text().replace("full_name: {fake: name}", "full_name: {fak: x}"))
    result = sanitize(project, "rules", "check", "--format", "json")
    assert result.code == ExitCode.CONFIG
    report = json.loads(result.stdout)
    assert report["ok"] is False
    [problem] = report["problems"]
    assert problem["file"].endswith("rules/app.yaml") and problem["line"] == 6
    assert "did you mean 'fake'?" in problem["hint"]
    github = sanitize(project, "rules", "check", "--format", "github").stdout
    assert github.startswith("::error file=")
    assert ",line=6,title=sanitize rules check::" in github


def test_constraint_conflicts_are_problems(project):
    snapshot(project)
    rules = project / "rules" / "app.yaml"
    rules.write_text(
        rules.read_text().replace("plan: keep", 'plan: {constant: "disabled-in-staging"}')
    )
    result = sanitize(project, "rules", "check")
    assert result.code == ExitCode.CONFIG
    assert "the column holds 10" in result.stdout  # constant longer than VARCHAR(10)


def test_live_check_reports_drift_with_its_own_exit_code(project):
    snapshot(project)
    conn = sqlite3.connect(project / "prod.db")
    conn.execute("ALTER TABLE orders ADD COLUMN coupon TEXT")
    conn.commit()
    conn.close()
    result = sanitize(project, "rules", "check", "--live", **KEY)
    assert result.code == ExitCode.CONFIG  # the new column has no rule
    assert "orders.coupon" in result.stdout and "schema drift" in result.stdout
    rules = project / "rules" / "app.yaml"
    rules.write_text(rules.read_text() + "    coupon: keep\n")
    result = sanitize(project, "rules", "check", "--live", **KEY)
    assert result.code == ExitCode.DRIFT
    assert "schema drift: column app.orders.coupon is new." in result.stdout


def test_missing_snapshot_says_how_to_make_one(project):
    result = sanitize(project, "rules", "check")
    assert result.code == ExitCode.CONFIG
    assert "sanitize schema snapshot" in result.stderr


def test_foreign_keys_are_described_in_a_stable_order(tmp_path):
    """SQLAlchemy keeps a table's foreign keys in a set; described in its iteration order,
    the same schema looked drifted from one run to the next (exit 6 at random)."""
    import sqlalchemy as sa

    from sanitizer.schema import table_info

    meta = sa.MetaData()
    sa.Table("a", meta, sa.Column("id", sa.Integer, primary_key=True))
    sa.Table("b", meta, sa.Column("id", sa.Integer, primary_key=True))
    columns = [sa.Column(f"r{n}", sa.Integer, sa.ForeignKey("a.id" if n % 2 else "b.id"))
               for n in range(8)]  # fmt: skip
    table = sa.Table("c", meta, sa.Column("id", sa.Integer, primary_key=True), *columns)
    names = {t: t.name for t in meta.tables.values()}
    described = table_info(table, "c", names).foreign_keys
    assert [fk.columns for fk in described] == [(f"r{n}",) for n in range(8)]


def test_the_subset_is_checked_offline_against_the_snapshot(project):
    snapshot(project)
    config = project / "sanitize.yaml"
    good = (
        "subset:\n  app:\n    roots: [{table: orders, percent: 10}]\n"
        "    references: [{from: orders.total, to: customers.id}]\n"
    )
    config.write_text(config.read_text() + good)
    result = sanitize(project, "rules", "check")
    assert result.code == 0, result.stdout + result.stderr
    config.write_text(
        config.read_text().replace(good, "subset:\n  app:\n    roots: [{table: order, limit: 5}]\n")
    )
    result = sanitize(project, "rules", "check")
    assert result.code == ExitCode.CONFIG
    assert "table 'order' is not in source 'app'" in result.stdout
    assert "did you mean 'orders'?" in result.stdout
    assert "sanitize.yaml:" in result.stdout
