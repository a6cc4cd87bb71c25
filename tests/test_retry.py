"""What counts as transient, the backoff, the log line, and the two places a batch is retried
in-process: a SQL target's batch (rolled back whole, never written twice) and a SQL source's
read (resumed after the last key handed on, never read twice or skipped)."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import polars as pl
import psycopg
import pymysql
import pytest
import sqlalchemy as sa

from sanitizer import retry
from sanitizer.config.run_settings import RetrySettings, lock_settings, retry_settings
from sanitizer.config.yamlfile import LocatedDict, Location
from sanitizer.errors import ConfigError, SourceError, TargetError
from sanitizer.extract.sql import SqlSource, copy_unescape
from sanitizer.load.sql import open_target

FAST = RetrySettings(attempts=3, initial_wait=0.0, max_wait=0.0)


@pytest.fixture(autouse=True)
def fast_policy():
    retry.configure(FAST, "run-test")
    yield
    retry.configure(RetrySettings())


def pg_error(sqlstate: str, message: str = "boom") -> psycopg.Error:
    cls = psycopg.errors.lookup(sqlstate)
    return cls(message)


@pytest.mark.parametrize(
    ("error", "transient"),
    [
        (pg_error("57P01"), True),  # admin_shutdown: pg_terminate_backend, a restart
        (pg_error("08006"), True),  # connection_failure
        (pg_error("40P01"), True),  # deadlock_detected
        (psycopg.OperationalError("consuming input failed: server closed the connection"), True),
        (psycopg.OperationalError("password authentication failed for user x"), False),
        (pg_error("42P01"), False),  # undefined_table
        (pg_error("42501"), False),  # insufficient_privilege
        (pg_error("23505"), False),  # unique_violation
        (pg_error("25006"), False),  # read_only_sql_transaction
        (pymysql.err.OperationalError(2013, "Lost connection to MySQL server"), True),
        (pymysql.err.OperationalError(2006, "MySQL server has gone away"), True),
        (pymysql.err.OperationalError(1045, "Access denied"), False),
        (pymysql.err.ProgrammingError(1146, "Table doesn't exist"), False),
        (ConnectionResetError(), True),
        (SourceError("x", transient=True), True),
        (TargetError("x"), False),
        (ValueError("x"), False),
    ],
)
def test_what_is_transient(error: BaseException, transient: bool) -> None:
    assert retry.is_transient(error) is transient
    wrapped = sa.exc.OperationalError("SELECT 1", {}, error)  # as SQLAlchemy raises it
    assert retry.is_transient(wrapped) is transient


def test_a_transient_failure_is_retried_and_logged_without_its_text(caplog) -> None:
    calls = []

    def flaky() -> str:
        calls.append(1)
        if len(calls) < 3:
            raise pg_error("57P01", "terminating connection: value jane@corp.example")
        return "ok"

    logger = logging.getLogger("sanitizer")
    if not logger.propagate:  # the CLI, run in-process by another test, stops propagation
        logger.addHandler(caplog.handler)
    try:
        assert retry.call(flaky, "loading notes") == "ok"
    finally:
        logger.removeHandler(caplog.handler)
    records = [r for r in caplog.records if r.getMessage() == "transient failure, retrying"]
    assert [(r.step, r.attempt, r.code) for r in records] == [
        ("loading notes", 1, "57P01"),
        ("loading notes", 2, "57P01"),
    ]
    assert "jane@" not in caplog.text


def test_a_permanent_failure_is_raised_at_once_and_attempts_are_bounded() -> None:
    calls = []

    def broken() -> None:
        calls.append(1)
        raise pg_error("42P01")

    with pytest.raises(psycopg.errors.UndefinedTable):
        retry.call(broken, "x")
    assert len(calls) == 1

    def down() -> None:
        calls.append(1)
        raise pg_error("08006")

    calls.clear()
    with pytest.raises(psycopg.OperationalError):
        retry.call(down, "x")
    assert len(calls) == FAST.attempts


def test_backoff_grows_and_is_capped() -> None:
    retry.configure(RetrySettings(attempts=9, initial_wait=1.0, max_wait=5.0))
    waits = [retry.wait_seconds(n) for n in range(1, 8)]
    assert 1.0 <= waits[0] <= 2.0 and all(w <= 5.0 for w in waits) and waits[-1] >= 4.0


def section(values: dict) -> LocatedDict:
    out = LocatedDict(values)
    out.where, out.key_lines = Location("sanitize.yaml", 3), {}
    return out


def test_settings_sections() -> None:
    where = Location("sanitize.yaml", 1)
    written = section({"attempts": "7", "initial_wait": 0.1, "s3_mode": "adaptive"})
    assert retry_settings(written, where) == RetrySettings(7, 0.1, 20.0, "adaptive")
    assert retry_settings(None, where) == RetrySettings()
    assert lock_settings(section({"ttl_seconds": 60}), where).ttl_seconds == 60
    for bad in ({"attempts": 0}, {"s3_mode": "legacy"}, {"tries": 3}):
        with pytest.raises(ConfigError, match=r"sanitize\.yaml:3"):
            retry_settings(section(bad), where)


def test_copy_text_escapes_are_undone() -> None:
    assert copy_unescape(r"a\tb\\c\nd") == "a\tb\\c\nd"


# -- in-process: the SQL source resumes, the SQL target retries a batch -----------------------
def sqlite_db(path: Path, rows: int) -> str:
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)")
        conn.executemany("INSERT INTO t VALUES (?, ?)", [(i, f"v{i}") for i in range(rows)])
    return f"sqlite:///{path}"


def test_a_read_cut_mid_table_resumes_after_the_last_key(tmp_path: Path, monkeypatch) -> None:
    source = SqlSource("app", sqlite_db(tmp_path / "prod.db", 95))
    original = SqlSource._read
    cuts = [3]  # cut once, after three batches were handed on

    def read(self, table, names, batch_size, after, *part):
        for n, frame in enumerate(original(self, table, names, batch_size, after, *part)):
            if cuts and n == cuts[0]:
                cuts.clear()
                raise sa.exc.OperationalError("SELECT", {}, pg_error("57P01"))
            yield frame

    monkeypatch.setattr(SqlSource, "_read", read)
    with source.snapshot():
        (table,) = source.reflect()
        ids = [i for frame in source.batches(table, 10) for i in frame["id"].to_list()]
    assert ids == list(range(95)) and not cuts


def test_a_read_of_a_table_without_key_is_not_resumed_midway(tmp_path: Path, monkeypatch):
    path = tmp_path / "nokey.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE t (v TEXT)")
        conn.executemany("INSERT INTO t VALUES (?)", [(f"v{i}",) for i in range(30)])
    source = SqlSource("app", f"sqlite:///{path}")
    original = SqlSource._read

    def read(self, table, names, batch_size, after, *part):
        for n, frame in enumerate(original(self, table, names, batch_size, after, *part)):
            if n == 1:
                raise sa.exc.OperationalError("SELECT", {}, pg_error("57P01"))
            yield frame

    monkeypatch.setattr(SqlSource, "_read", read)
    with source.snapshot(), pytest.raises(SourceError, match="reading t failed"):
        (table,) = source.reflect()
        list(source.batches(table, 10))


def test_a_target_batch_that_failed_is_retried_whole(tmp_path: Path, monkeypatch) -> None:
    source = SqlSource("app", sqlite_db(tmp_path / "prod.db", 25))
    target = open_target("app", f"sqlite:///{tmp_path / 'staging.db'}")
    original = type(target).insert_batch
    failures = [2]  # the second batch fails once, after half of it was inserted

    def insert_batch(self, table, batch: pl.DataFrame) -> None:
        if failures and failures[0] == 2 and batch["id"][0] == 10:
            failures.clear()
            with self.engine.begin() as conn:
                conn.exec_driver_sql(self.insert_sql(table, conn), list(batch.head(5).iter_rows()))
                raise sa.exc.OperationalError("INSERT", {}, pg_error("08006"))
        original(self, table, batch)

    monkeypatch.setattr(type(target), "insert_batch", insert_batch)
    with source.snapshot():
        tables = source.reflect()
        target.prepare("run1", tables, source.schema_dump())
        target.write(tables[0], source.batches(tables[0], 10))
        assert target.count("t") == 25 and not failures
    target.discard()
    target.close()
