"""The fidelity report of real runs on PostgreSQL: its production and staging numbers match
independent SQL, kept fields score 1, a rule that nulls a field scores low and fails the run
before the swap, and no production value of a masked field reaches the receipt, the HTML page
or the logs (tests/helpers/fidelity_world.py plants the messiness)."""

from __future__ import annotations

import html
import json
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from helpers import fidelity_world as fw
from helpers.browser import open_page
from helpers.snapshot_runs import SANITIZE, CliResult, cli_env

from sanitizer.review import fidelity_diff
from sanitizer.review.diff import CHANGED, Change

THRESHOLDS = "fidelity:\n  min_score: 0.2\n  overrides: {app.accounts.segment: 0}\n"
COLUMNS = ("name", "email", "phone", "segment", "status", "payload", "notes")


@pytest.fixture(scope="module", params=["postgres", "mysql"])
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[fw.FidelityWorld]:
    yield from fw.create_world(tmp_path_factory.mktemp("fidelity"), request.param)


@pytest.fixture(scope="module")
def first(world: fw.FidelityWorld) -> CliResult:
    result = world.run(world.config("good", fidelity=THRESHOLDS))
    assert result.returncode == 0, result.describe()
    return result


def fields(receipt: dict[str, Any], table: str) -> dict[str, Any]:
    return receipt["fidelity"]["stores"]["app"]["tables"][table]["fields"]


def sql_counts(world: fw.FidelityWorld, engine: sa.Engine, table: str, column: str) -> dict:
    """The same counts, asked of the database itself (distinct values byte for byte: MySQL's
    default collations would equate "a" with "A" and "a " with "a")."""
    if world.dialect == "postgres":
        text, blank, distinct = f"{column}::text", f"{column}::text ~ '^\\s+$'", column
    else:
        text, blank = f"CAST({column} AS CHAR)", f"{column} REGEXP '^[[:space:]]+$'"
        distinct = f"CAST({column} AS BINARY)"
    query = f"""
        SELECT count(*), count(*) - count({column}),
               sum(CASE WHEN char_length({text}) = 0 THEN 1 ELSE 0 END),
               sum(CASE WHEN char_length({text}) > 0 AND {blank} THEN 1 ELSE 0 END),
               count(DISTINCT {distinct})
        FROM {table}"""
    with engine.connect() as conn:
        row = conn.exec_driver_sql(query).one()
    return dict(zip(("rows", "nulls", "empty", "blank", "distinct"), map(int, row), strict=True))


@pytest.mark.parametrize("side", ["production", "staging"])
def test_counts_match_independent_queries(
    world: fw.FidelityWorld, first: CliResult, side: str
) -> None:
    engine = world.prod if side == "production" else world.staging
    assert first.receipt is not None
    for table, columns in (
        ("accounts", (*COLUMNS, "id", "signup", "balance", "call_at")),
        ("orders", ("account_id", "total")),
    ):
        profiled = fields(first.receipt, table)
        for column in columns:
            expected = sql_counts(world, engine, table, column)
            got = {k: profiled[column][side][k] for k in expected}
            assert got == expected, f"{side} {table}.{column}"


def test_planted_messiness_is_seen(world: fw.FidelityWorld, first: CliResult) -> None:
    """Orphans of the undeclared relation, JSON that does not parse, several scripts."""
    assert first.receipt is not None
    tables = first.receipt["fidelity"]["stores"]["app"]["tables"]
    with world.prod.connect() as conn:
        orphans = conn.exec_driver_sql(
            "SELECT count(*) FROM orders o WHERE NOT EXISTS "
            "(SELECT 1 FROM accounts a WHERE a.id = o.account_id)"
        ).scalar_one()
        payloads = conn.exec_driver_sql("SELECT payload FROM accounts").scalars()
        invalid = sum(1 for p in payloads if p is not None and p.strip() and not _parses(p))
    assert orphans == fw.ORPHAN_ORDERS
    (relation,) = [r for r in tables["orders"]["relations"] if "account_id" in r["relation"]]
    assert relation["declared"] is False
    assert relation["production"] == {"references": fw.ORDERS, "orphans": orphans}
    assert relation["staging"] == relation["production"]  # kept: the orphans stay
    (lines,) = tables["order_lines"]["relations"]
    assert lines["declared"] is True and lines["production"]["orphans"] == 0
    payload = fields(first.receipt, "accounts")["payload"]
    assert payload["production"]["json"]["invalid"] == invalid > 0
    assert payload["staging"]["json"]["invalid"] == invalid  # still broken in staging
    assert payload["metrics"]["json_keys"] == 1.0
    scripts = fields(first.receipt, "accounts")["name"]["production"]["scripts"]
    assert {"cyrillic", "cjk", "latin"} <= set(scripts)


def _parses(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


def test_scores_and_order(first: CliResult) -> None:
    assert first.receipt is not None
    accounts = fields(first.receipt, "accounts")
    for name in ("status", "notes", "balance", "id"):
        assert accounts[name]["score"] == 1.0, name
    scores = [f["score"] for f in accounts.values()]
    assert scores == sorted(scores)  # largest drift first
    assert all(0 <= s <= 1 for s in scores)
    assert accounts["phone"]["metrics"]["shape"] == 1.0  # format: preserve keeps layouts
    assert first.receipt["fidelity"]["check"]["failed"] == []


def test_no_masked_value_leaves_in_the_report(world: fw.FidelityWorld, first: CliResult) -> None:
    """Every production value of a masked field, and the masked category values, are absent
    from the receipt, the page and the logs; a kept category is in the page (the check works)."""
    page = report(first.receipt, world)
    texts = {"receipt": first.receipt_text, "page": page, "logs": first.stdout + first.stderr}
    values = set(fw.SEGMENTS)
    for row in fw.accounts():
        values |= {row["name"], row["email"], row["phone"], row["signup"]}
        values |= set(_leaves(row["payload"]))
    values = {v for v in values if isinstance(v, str) and len(v.strip()) >= 6}
    assert len(values) > 500
    for where, text in texts.items():
        for value in values:
            for form in (value, html.escape(value), json.dumps(value)[1:-1]):
                assert form not in text, f"a production value of a masked field is in the {where}"
    assert "suspended" in page and "LEGACY" in page  # top values of a kept field are shown


def _leaves(payload: str | None) -> list[str]:
    if not payload:
        return []
    try:
        document = json.loads(payload)
    except ValueError:
        return [payload]
    return [str(v) for v in (document.values() if isinstance(document, dict) else [])]


def report(receipt: dict[str, Any] | None, world: fw.FidelityWorld) -> str:
    assert receipt is not None
    config = world.tmp / "good" / "sanitize.yaml"
    proc = subprocess.run(
        [str(SANITIZE), "report", receipt["run_id"], "--config", str(config)],
        cwd=config.parent,
        env=cli_env(fw.KEY),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    path = config.parent / proc.stdout.strip()
    assert path == config.parent / "receipts" / f"{receipt['run_id']}.html"
    return path.read_text(encoding="utf-8")


def test_report_of_an_unknown_run(world: fw.FidelityWorld, first: CliResult) -> None:
    config = world.tmp / "good" / "sanitize.yaml"
    proc = subprocess.run(
        [str(SANITIZE), "report", "20990101T000000Z-000000", "--config", str(config)],
        env=cli_env(fw.KEY),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2
    assert "no receipt for run '20990101T000000Z-000000'" in proc.stderr
    assert "Traceback" not in proc.stderr


def dump(engine: sa.Engine) -> list[tuple[Any, ...]]:
    with engine.connect() as conn:
        return list(conn.exec_driver_sql("SELECT * FROM accounts ORDER BY id"))


@pytest.fixture(scope="module")
def nulled(world: fw.FidelityWorld, first: CliResult) -> tuple[CliResult, list[Any], list[Any]]:
    """A run whose rules null every email: (its result, staging before, staging after)."""
    before = dump(world.staging)
    result = world.run(world.config("nulled", email_rule="null", fidelity=THRESHOLDS))
    return result, before, dump(world.staging)


def test_a_rule_that_nulls_everything_scores_low_and_fails_before_the_swap(
    nulled: tuple[CliResult, list[Any], list[Any]],
) -> None:
    result, before, after = nulled
    assert result.returncode == 9, result.describe()
    assert "app.accounts.email scores 0." in result.stderr
    assert "worst metric: " in result.stderr and "Traceback" not in result.stderr
    assert "fidelity.overrides.app.accounts.email" in result.stderr
    assert after == before  # nothing swapped in
    assert result.receipt is not None and result.receipt["status"] == "failed"
    email = fields(result.receipt, "accounts")["email"]
    assert email["score"] < 0.2
    assert email["metrics"]["completeness"] < 0.1
    assert result.receipt["fidelity"]["check"]["failed"] == ["app.accounts.email"]


def test_receipt_has_stages_and_retries(first: CliResult) -> None:
    assert first.receipt is not None
    assert set(first.receipt["stages"]) == {"plan", "load", "verify", "swap"}
    assert first.receipt["retries"] == {}


def test_the_page_renders_offline_in_a_real_browser(
    world: fw.FidelityWorld, first: CliResult, tmp_path: Path
) -> None:
    """Chromium lays out every chart with a size and the page makes no request; a canary page
    with one outside image shows the proxy would have seen it."""
    page = report(first.receipt, world)
    assert "<script" not in page and " src=" not in page
    opened = open_page(world.tmp / "good" / "receipts" / f"{first.receipt['run_id']}.html")
    result = opened.result
    assert result["charts"] > 50 and result["sized"] == result["charts"]
    assert result["bars"] > 100
    assert result["loaded"] == [] and opened.page_requests() == []
    canary = tmp_path / "canary.html"
    canary.write_text(
        "<html><body><svg class='chart' width='9' height='9'><rect width='5' height='5'/>"
        "</svg><img src='http://fidelity-canary.invalid/x.png'></body></html>"
    )
    seen = open_page(canary)
    assert seen.page_requests() == ["GET http://fidelity-canary.invalid/x.png HTTP/1.1"]


def test_rules_diff_attaches_the_fidelity_change(
    first: CliResult, nulled: tuple[CliResult, list[Any], list[Any]]
) -> None:
    """The base rules' run, then the head rules' (email: null): the change is shown."""
    changes = [Change("app.accounts.email", None, None, CHANGED, "operator changed", "a → b")]
    assert first.receipt is not None and nulled[0].receipt is not None
    section = fidelity_diff.render(changes, [first.receipt, nulled[0].receipt])
    before = fields(first.receipt, "accounts")["email"]["score"]
    after = fields(nulled[0].receipt, "accounts")["email"]["score"]
    assert (
        f"| app.accounts.email | {before:.2f} | {after:.2f} | {after - before:+.2f} **drift** |"
        in (section)
    )
    one = fidelity_diff.render(changes, [first.receipt])
    assert f"| app.accounts.email | {before:.2f} | " in one
