"""Guarantee 10 on SQLite: staging is built from the statements production stored.

The test writes its own production file with a generated column, a partial and an
expression index, a view and a trigger, runs the real command twice (the second run swaps
over the first) and compares ``sqlite_master`` statement for statement.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
from pathlib import Path

from helpers.review_project import SANITIZE

from sanitizer.load.sql.history import META_TABLES

PRODUCTION = """
CREATE TABLE customers (
  id INTEGER PRIMARY KEY,
  email VARCHAR(254) NOT NULL UNIQUE COLLATE NOCASE,
  first_name TEXT,
  last_name TEXT,
  full_name TEXT GENERATED ALWAYS AS (first_name || ' ' || last_name) STORED,
  touched TEXT,
  CHECK (length(email) > 3)
);
CREATE TABLE notes (
  id INTEGER PRIMARY KEY,
  customer_id INTEGER REFERENCES customers(id) ON DELETE CASCADE,
  body TEXT
);
CREATE INDEX notes_by_customer ON notes (customer_id) WHERE body IS NOT NULL;
CREATE INDEX customers_by_last ON customers (lower(last_name));
CREATE VIEW customer_names AS SELECT id, full_name FROM customers;
CREATE TRIGGER customers_touch AFTER UPDATE OF email ON customers
BEGIN UPDATE customers SET touched = 'yes' WHERE id = NEW.id; END;
INSERT INTO customers (id, email, first_name, last_name) VALUES
  (1, 'ada.lovelace@analytical.org', 'Ada', 'Lovelace'),
  (2, 'grace.hopper@navy.mil', 'Grace', 'Hopper');
INSERT INTO notes VALUES (1, 1, 'met at the engine'), (2, 2, NULL);
"""

RULES = """source: app
tables:
  customers:
    id: keep
    email: {fake: email, unique: true}
    first_name: {fake: first_name}
    last_name: {fake: last_name}
    full_name: keep          # generated: derived again from the masked names
    touched: keep
  notes:
    id: keep
    customer_id: keep
    body: keep
"""


def statements(path: Path) -> list[tuple[str, str, str]]:
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT type, name, sql FROM sqlite_master ORDER BY rowid").fetchall()
    return [r for r in rows if r[1] not in META_TABLES and not r[1].startswith("sqlite_")]


def test_staging_has_production_statements_and_derives_again(tmp_path: Path) -> None:
    prod, staging = tmp_path / "prod.db", tmp_path / "staging.db"
    with sqlite3.connect(prod) as conn:
        conn.executescript(PRODUCTION)
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "app.yaml").write_text(RULES)
    (tmp_path / "sanitize.yaml").write_text(
        "rules: rules/\nkey: test-key-0123456789abcdef\nreceipts: receipts\nsources:\n"
        f"  app: {{kind: sql, url: 'sqlite:///{prod}'}}\n"
        f"targets:\n  app: {{kind: sql, url: 'sqlite:///{staging}'}}\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("SANITIZE")}
    for _ in range(2):  # the second run replaces the first
        proc = subprocess.run(
            [str(SANITIZE), "snapshot"], cwd=tmp_path, env=env, capture_output=True, text=True
        )
        assert proc.returncode == 0, proc.stdout + proc.stderr

    assert statements(staging) == statements(prod)
    with sqlite3.connect(staging) as conn:
        rows = conn.execute("SELECT first_name, last_name, full_name FROM customers").fetchall()
        assert all(full == f"{first} {last}" for first, last, full in rows)  # derived again
        assert not {"Lovelace", "Hopper"} & {word for r in rows for word in r[2].split()}
        assert conn.execute("SELECT count(*) FROM customer_names").fetchone() == (2,)
        conn.execute("UPDATE customers SET email = 'x@example.com' WHERE id = 1")
        assert conn.execute("SELECT touched FROM customers WHERE id = 1").fetchone() == ("yes",)
