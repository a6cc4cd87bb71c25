"""The SQL leak check on PostgreSQL, read back through COPY: a production value a rule let
through — of a column or of a JSON path — is found even inside multi-line text (COPY escapes
newlines and tabs), the run fails
with the leak exit code before the swap, and the message names table, column and row key —
or the row number where there is no key — never the value."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest
import sqlalchemy as sa
from helpers import leak_world as lh

from sanitizer.errors import ExitCode
from sanitizer.verify.leaks import LeakIndex, LeakReport
from sanitizer.verify.sql import _copy_frame, scan_frames

pytestmark = pytest.mark.postgres
SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"
EMAIL = lh.JANE_EMAIL
SCHEMA = """
CREATE TABLE people (id int PRIMARY KEY, email text NOT NULL, notes text, profile jsonb);
CREATE TABLE journal (line text);
INSERT INTO people VALUES (1, 'omar.haddad@acme-widgets.com', 'nothing here', NULL),
  (2, %(email)s, E'first line\\n\\tcall ' || %(email)s || E' \\\\ later', NULL),
  (3, 'x@y.org', 'backup: priya.raman@sunmail.in', '{"contact": "priya.raman@sunmail.in"}');
INSERT INTO journal VALUES ('a'), (E'tab\\t' || %(email)s);
"""
RULES = """source: app
tables:
  people:
    id: keep
    email: {fake: email}
    notes: keep
    profile: {json: {"$.contact": {fake: email}, "$.**": keep}}
  journal: {line: keep}
"""


@pytest.fixture
def databases() -> Iterator[tuple[str, str]]:
    prefix = f"sz_leak_{secrets.token_hex(3)}"
    server = sa.create_engine(f"{SERVER}/postgres", isolation_level="AUTOCOMMIT")
    try:
        with server.connect() as conn:
            for name in ("prod", "staging"):
                conn.exec_driver_sql(f'CREATE DATABASE "{prefix}_{name}"')
        prod = sa.create_engine(f"{SERVER}/{prefix}_prod")
        with prod.begin() as conn:
            for statement in SCHEMA.split(";")[:-1]:
                conn.exec_driver_sql(statement, {"email": EMAIL})
        prod.dispose()
        yield f"{SERVER}/{prefix}_prod", f"{SERVER}/{prefix}_staging"
    finally:
        with server.connect() as conn:
            for name in ("prod", "staging"):
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{prefix}_{name}" WITH (FORCE)')
        server.dispose()


def test_a_value_in_multi_line_text_fails_the_run_named_by_key_or_row(
    databases: tuple[str, str], tmp_path: Path
) -> None:
    prod, staging = databases
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "app.yaml").write_text(RULES)
    config = tmp_path / "sanitize.yaml"
    config.write_text(
        "rules: rules/\nkey: ${SANITIZE_KEY}\nreceipts: receipts\n"
        f"sources:\n  app: {{kind: sql, url: '{prod}'}}\n"
        f"targets:\n  app: {{kind: sql, url: '{staging}'}}\n"
    )
    result = lh.sanitize(config, "snapshot", {}, "--init")
    assert result.returncode == ExitCode.LEAK, result.describe()
    assert "3 staging value(s) hold a production value" in result.stderr, result.describe()
    assert "app.people.notes (id=2)" in result.stderr
    assert "app.people.notes (id=3)" in result.stderr  # a value of a masked JSON path
    assert "app.journal.line (row 2)" in result.stderr
    assert EMAIL not in result.output and "priya" not in result.output
    with sa.create_engine(staging).connect() as conn:  # nothing was swapped in
        assert sa.inspect(conn).get_table_names("public") == []


def test_copy_text_is_unescaped_before_the_lookup() -> None:
    data = b"1\tfirst\\nJane Okonkwo-Berg\\\\x\n2\t\\N\n"
    frame = _copy_frame(data, ["id", "notes"])
    assert frame.get_column("notes").to_list() == ["first\nJane Okonkwo-Berg\\x", None]
    index = LeakIndex(b"k" * 32)
    index.add(lh.JANE)
    report = LeakReport()
    scan_frames(index, report, "app.people", ["id"], ["notes"], [frame, pl.DataFrame(frame)])
    assert [(h.where, h.key) for h in report.hits] == [("app.people.notes", "id=1")] * 2
    assert report.scanned == 2


def test_copy_out_reads_every_row_stops_early_and_leaves_the_connection_usable() -> None:
    import psycopg

    from sanitizer.stores.pg_copy import copy_out

    with psycopg.connect("host=127.0.0.1 user=postgres dbname=postgres") as conn:
        sql = "COPY (SELECT g, E'a\\tb' FROM generate_series(1, 5000) g) TO STDOUT"
        rows = list(copy_out(conn, sql))
        assert len(rows) == 5000 and rows[0] == b"1\ta\\tb\n"  # COPY's own escape
        first = copy_out(conn, sql)
        assert next(first) == b"1\ta\\tb\n"
        first.close()  # stopped early: the rest is drained
        assert conn.execute("SELECT 41 + 1").fetchone() == (42,)
        with pytest.raises(psycopg.errors.UndefinedTable):
            list(copy_out(conn, "COPY no_such_table_s16 TO STDOUT"))
        conn.rollback()
        assert conn.execute("SELECT 2").fetchone() == (2,)
