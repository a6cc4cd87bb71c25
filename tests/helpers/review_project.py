"""A small project (config, rules, SQLite production database) inside a scratch git repository,
and a helper that runs the installed ``sanitize`` script in it as a reviewer or CI would."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

SANITIZE = Path(sys.executable).with_name("sanitize")
CONFIG = """\
rules: rules/
key: ${SANITIZE_KEY}
sources:
  app: {kind: sql, url: "${PROD_URL:-sqlite:///prod.db}"}
targets:
  app: {kind: sql, url: "${STAGING_URL:-sqlite:///staging.db}"}
"""
RULES = """\
source: app
tables:
  customers:
    id: keep
    email: {fake: email, unique: true}
    full_name: {fake: name}
    phone: {fake: phone}
    notes: {detect: [PERSON, EMAIL_ADDRESS, PHONE_NUMBER]}
    plan: keep
  orders:
    id: keep
    customer_id: keep
    total: keep
"""
# Values that must never appear in a schema snapshot, a report or a scan's output.
SECRET_VALUES = ["zelda.quux@corp-secret.com", "Zelda Quuxington", "+1 415 555 0199"]


@dataclass
class Result:
    code: int
    stdout: str
    stderr: str


@pytest.fixture
def project(tmp_path: Path) -> Path:
    conn = sqlite3.connect(tmp_path / "prod.db")
    conn.executescript(
        """
        CREATE TABLE customers (id INTEGER PRIMARY KEY, email VARCHAR(100) NOT NULL UNIQUE,
            full_name TEXT, phone VARCHAR(30), notes TEXT, plan VARCHAR(10) DEFAULT 'free');
        CREATE TABLE orders (id INTEGER PRIMARY KEY,
            customer_id INTEGER REFERENCES customers(id), total NUMERIC(10, 2));
        """
    )
    conn.execute(
        "INSERT INTO customers VALUES (1, ?, ?, ?, 'call Zelda Quuxington', 'pro')",
        SECRET_VALUES,
    )
    conn.execute("INSERT INTO orders VALUES (1, 1, 12.50)")
    conn.commit()
    conn.close()
    (tmp_path / "sanitize.yaml").write_text(CONFIG)
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "app.yaml").write_text(RULES)
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "sanitize.yaml", "rules")
    git(tmp_path, "commit", "-q", "-m", "rules")
    return tmp_path


def git(cwd: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}  # fmt: skip
    return subprocess.run(
        ["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True
    ).stdout


def sanitize(project: Path, *args: str, **env: str) -> Result:
    """Run ``sanitize ARGS`` in the project with no SANITIZE_*/PROD_* variables unless given."""
    environ = {
        k: v for k, v in os.environ.items() if not k.startswith(("SANITIZE", "PROD_", "STAGING_"))
    }
    environ.update(env)
    proc = subprocess.run(
        [str(SANITIZE), *args], cwd=project, env=environ, capture_output=True, text=True,
        timeout=300,
    )  # fmt: skip
    assert "Traceback" not in proc.stderr, proc.stderr
    return Result(proc.returncode, proc.stdout, proc.stderr)
