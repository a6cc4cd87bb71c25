"""``sanitize`` on broken setups: the documented exit code, one readable paragraph, no traceback,
and staging left exactly as it was.

Each case runs the installed ``sanitize`` script in a fresh project folder (config, rules and a
small SQLite production database made here), as a user or a cron job would.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa

from sanitizer.errors import ExitCode
from sanitizer.load.sql.history import History

SANITIZE = Path(sys.executable).with_name("sanitize")
KEY = "0123456789abcdef0123456789abcdef"
CONFIG = """\
rules: rules/
key: ${SANITIZE_KEY}
receipts: receipts
sources:
  app: {kind: sql, url: "${PROD_URL:-sqlite:///prod.db}"}
targets:
  app: {kind: sql, url: "${STAGING_URL:-sqlite:///staging/app.db}"}
"""
RULES = """\
source: app
tables:
  customers:
    id: keep
    email: {fake: email, unique: true}
    full_name: {fake: name}
    notes: redact
"""
PREVIOUS_STAGING = [(1, "masked@example.com", "Masked Name", None)]  # yesterday's data


@dataclass
class Result:
    code: int
    stdout: str
    stderr: str


@pytest.fixture
def project(tmp_path: Path) -> Path:
    conn = sqlite3.connect(tmp_path / "prod.db")
    conn.execute(
        "CREATE TABLE customers (id INTEGER PRIMARY KEY, email VARCHAR(100) NOT NULL UNIQUE, "
        "full_name TEXT, notes TEXT)"
    )
    conn.executemany(
        "INSERT INTO customers VALUES (?, ?, ?, ?)",
        [(1, "ana@corp.com", "Ana Souza", "VIP"), (2, "bo@corp.com", "Bo Li", None)],
    )
    conn.commit()
    conn.close()
    (tmp_path / "sanitize.yaml").write_text(CONFIG)
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "app.yaml").write_text(RULES)
    (tmp_path / "staging").mkdir()
    previous_staging(tmp_path / "staging" / "app.db")
    return tmp_path


def previous_staging(path: Path) -> None:
    """Yesterday's staging: a sanitizer-owned database (its marker) holding masked rows."""
    History(sa.create_engine(f"sqlite:///{path}"), None, "staging").create("yesterday", "0")
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE customers (id INTEGER, email TEXT, full_name TEXT, notes TEXT)")
    conn.executemany("INSERT INTO customers VALUES (?, ?, ?, ?)", PREVIOUS_STAGING)
    conn.commit()
    conn.close()


def sanitize(project: Path, *args: str, **env: str) -> Result:
    environ = {
        k: v for k, v in os.environ.items() if not k.startswith(("SANITIZE", "PROD_", "STAGING_"))
    }
    environ.update({"SANITIZE_KEY": KEY, **env})
    environ = {k: v for k, v in environ.items() if v is not None and v != "<unset>"}
    proc = subprocess.run(
        [str(SANITIZE), *(args or ("snapshot",)), "--config", "sanitize.yaml"],
        cwd=project,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


def error_paragraph(result: Result) -> str:
    """The user-facing error: starts a line with 'error:', one paragraph, nothing after it."""
    output = result.stdout + result.stderr
    assert "Traceback" not in output
    lines = result.stderr.splitlines()
    starts = [i for i, line in enumerate(lines) if line.startswith("error:")]
    assert len(starts) == 1, result.stderr
    paragraph = lines[starts[0] :]
    assert all(line.strip() for line in paragraph), f"not one paragraph:\n{result.stderr}"
    return "\n".join(paragraph)


def assert_staging_untouched(project: Path) -> None:
    staging = project / "staging"
    assert sorted(p.name for p in staging.iterdir()) == ["app.db"], "a shadow or new file was left"
    conn = sqlite3.connect(staging / "app.db")
    assert conn.execute("SELECT * FROM customers").fetchall() == PREVIOUS_STAGING
    conn.close()


def test_the_setup_itself_succeeds(project):
    """Guards the cases below: each breaks exactly one thing of a working setup."""
    (project / "staging" / "app.db").unlink()
    result = sanitize(project)
    assert result.code == ExitCode.OK, result.stderr
    staged = sqlite3.connect(project / "staging" / "app.db")
    emails = [row[0] for row in staged.execute("SELECT email FROM customers ORDER BY id")]
    staged.close()
    assert len(emails) == 2 and all(
        e.endswith(("example.com", "example.org", "example.net")) for e in emails
    )


def test_malformed_rule_file(project):
    (project / "rules" / "app.yaml").write_text(RULES.replace("    email:", "   email:"))
    result = sanitize(project)
    assert result.code == ExitCode.CONFIG
    message = error_paragraph(result)
    assert "app.yaml:5: not valid YAML" in message
    assert_staging_untouched(project)


def test_unknown_operator(project):
    (project / "rules" / "app.yaml").write_text(RULES.replace("id: keep", "id: kep"))
    result = sanitize(project)
    assert result.code == ExitCode.CONFIG
    message = error_paragraph(result)
    assert "app.yaml:4: unknown operator 'kep'." in message
    assert "did you mean 'keep'?" in message
    assert_staging_untouched(project)


def test_missing_environment_variable(project):
    result = sanitize(project, SANITIZE_KEY="<unset>")
    assert result.code == ExitCode.CONFIG
    message = error_paragraph(result)
    assert "sanitize.yaml:2: the environment variable SANITIZE_KEY is not set." in message
    assert_staging_untouched(project)


def test_unreachable_source_server(project):
    # staging must be the same engine: the real server's maintenance database, which the run
    # only locks (an advisory lock) before the source fails
    result = sanitize(
        project,
        PROD_URL="postgresql+psycopg://nobody@127.0.0.1:1/x",
        STAGING_URL="postgresql+psycopg://postgres@127.0.0.1:5432/postgres",
    )
    assert result.code == ExitCode.SOURCE
    message = error_paragraph(result)
    assert "source 'app'" in message and "127.0.0.1" in message
    assert_staging_untouched(project)


def test_unreachable_target_server(project):
    # the target is locked before the source is read, so an unreachable source (port 2) is
    # never reached; both PostgreSQL, as staging must be production's engine
    result = sanitize(
        project,
        PROD_URL="postgresql+psycopg://nobody@127.0.0.1:2/x",
        STAGING_URL="postgresql+psycopg://nobody@127.0.0.1:1/x",
    )
    assert result.code == ExitCode.TARGET
    message = error_paragraph(result)
    assert "target 'app'" in message
    assert "ana@corp.com" not in result.stdout + result.stderr


def test_missing_rules_directory(project):
    (project / "rules" / "app.yaml").unlink()
    (project / "rules").rmdir()
    result = sanitize(project)
    assert result.code == ExitCode.CONFIG
    message = error_paragraph(result)
    assert "the rules directory does not exist" in message and str(project / "rules") in message
    assert_staging_untouched(project)


def test_a_column_without_a_rule(project):
    (project / "rules" / "app.yaml").write_text(RULES.replace("    notes: redact\n", ""))
    result = sanitize(project)
    assert result.code == ExitCode.CONFIG
    assert "Traceback" not in result.stderr
    assert "customers.notes" in result.stderr and "notes: keep" in result.stderr
    assert_staging_untouched(project)


def test_a_leak_found_by_verification_discards_staging(project):
    """``redact`` leaves '****' as it was: verification must catch it and keep yesterday."""
    conn = sqlite3.connect(project / "prod.db")
    conn.execute("UPDATE customers SET notes = '****' WHERE id = 1")
    conn.commit()
    conn.close()
    result = sanitize(project)
    assert result.code == ExitCode.LEAK
    message = error_paragraph(result)
    assert "customers.notes" in message
    assert "****" not in message
    assert_staging_untouched(project)


def test_rules_check_reports_the_same_problems(project):
    (project / "rules" / "app.yaml").write_text(RULES.replace("id: keep", "id: kep"))
    result = sanitize(project, "rules", "check", "--live")
    assert result.code == ExitCode.CONFIG
    assert "rules/app.yaml:4: keep-like 'kep'" not in result.stdout
    assert "did you mean 'keep'?" in result.stdout  # the report lists it with file and line
    assert "Traceback" not in result.stdout + result.stderr


def test_a_target_holding_someone_elses_tables_is_refused(project):
    """The credentials boundary: a database sanitizer did not write is never replaced."""
    staging = project / "staging" / "app.db"
    staging.unlink()
    conn = sqlite3.connect(staging)
    conn.execute("CREATE TABLE payroll (id INTEGER, salary INTEGER)")
    conn.commit()
    conn.close()
    before = staging.read_bytes()
    for args in (("snapshot",), ("snapshot", "--init")):
        result = sanitize(project, *args)
        assert result.code == ExitCode.CONFIG
        assert "holds 1 table(s) sanitizer did not write (payroll)" in error_paragraph(result)
        assert staging.read_bytes() == before


def test_an_existing_empty_target_is_adopted_only_with_init(project):
    staging = project / "staging" / "app.db"
    staging.unlink()
    sqlite3.connect(staging).close()  # an empty database someone created for staging
    result = sanitize(project)
    assert result.code == ExitCode.CONFIG
    assert "sanitize snapshot --init" in error_paragraph(result)
    assert sanitize(project, "snapshot", "--init").code == 0
    assert sanitize(project).code == 0  # adopted: the marker is there now
    runs = sanitize(project, "runs")
    assert runs.code == 0
    assert [line.split()[1] for line in runs.stdout.splitlines()[1:]] == [
        "succeeded",
        "succeeded",
    ]


def test_a_production_value_in_a_kept_column_fails_the_run_before_the_swap(project):
    """The leak check scans everything staged: an email masked in one column but copied
    verbatim into a kept one is a leak, named by field and row key, never by value."""
    conn = sqlite3.connect(project / "prod.db")
    conn.execute("UPDATE customers SET notes = 'escalated by ana@corp.com' WHERE id = 2")
    conn.commit()
    conn.close()
    rules = project / "rules" / "app.yaml"
    rules.write_text(RULES.replace("notes: redact", "notes: keep"))
    result = sanitize(project)
    assert result.code == ExitCode.LEAK
    message = error_paragraph(result)
    assert "app.customers.notes (id=2)" in message
    assert "ana@corp.com" not in result.stdout + result.stderr
    assert_staging_untouched(project)


def test_commands_start_without_loading_presidio_or_spacy():
    """Presidio and spaCy take seconds to import; only detection loads them (lazily), so
    `rules check`, `runs` and a run without `detect` start fast."""
    code = (
        "import sys, sanitizer.cli, sanitizer.run.snapshot, sanitizer.mask.operators; "
        "print(sorted(m for m in ('presidio_analyzer', 'spacy') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
