"""Parallel PostgreSQL readers of key ranges (extract/ranges.py, docs/engine.md#reading-production)
against the real server: the same frames as one reader, in the run's exported snapshot."""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Iterator

import polars as pl
import pytest
import sqlalchemy as sa
from helpers.snapshot_runs import pg_url

from sanitizer.errors import SourceError
from sanitizer.extract.sql import SourceTable, SqlSource

pytestmark = pytest.mark.postgres
ROWS = 2300  # batch 100 → ranges of 200 keys: 12 ranges
BATCH = 100
DDL = (
    "CREATE TABLE notes (id integer PRIMARY KEY, body text, score numeric, tags text[],"
    " seen timestamptz)",
    "CREATE TABLE words (word text PRIMARY KEY, n integer)",  # a text key
    "CREATE TABLE pairs (a integer, b integer, note text, PRIMARY KEY (a, b))",  # one reader
)


def fill(conn: sa.Connection) -> None:
    """Awkward text (tabs, newlines, backslashes, accents) and gaps in the keys."""
    rows = [
        {
            "id": i * 3 + (i % 7),
            "body": f"note {i}\twith tab\nline two \\ back é {'x' * (i % 50)}",
            "score": f"{i}.{i % 10}0",
            "tags": [f"t{i % 5}", "b"],
            "seen": f"2026-01-{1 + i % 28:02d} 10:{i % 60:02d}:00+00",
        }
        for i in range(ROWS)
    ]
    conn.execute(
        sa.text(
            "INSERT INTO notes VALUES (:id, :body, CAST(:score AS numeric), :tags, "
            "CAST(:seen AS timestamptz))"
        ),
        rows,
    )
    words = [{"w": f"w{i:05d}-{'ä' if i % 3 else 'a'}", "n": i} for i in range(900)]
    conn.execute(sa.text("INSERT INTO words VALUES (:w, :n)"), words)
    pairs = [{"a": i // 10, "b": i % 10, "t": f"p{i}"} for i in range(500)]
    conn.execute(sa.text("INSERT INTO pairs VALUES (:a, :b, :t)"), pairs)


@pytest.fixture(scope="module")
def database() -> Iterator[str]:
    name = f"r17_{secrets.token_hex(3)}_readers"
    server = sa.create_engine(pg_url("postgres", "postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        prod = sa.create_engine(pg_url("postgres", name))
        with prod.begin() as conn:
            for statement in DDL:
                conn.exec_driver_sql(statement)
            fill(conn)
        prod.dispose()
        yield name
    finally:
        with server.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        server.dispose()


def read_all(database: str, table: str, readers: int, copy_text: bool) -> pl.DataFrame:
    source = SqlSource("app", pg_url("postgres", database))
    source.copy_text, source.readers = copy_text, readers
    with source.snapshot():
        frames = list(source.batches(by_name(source, table), BATCH))
    assert all(f.height > 0 for f in frames)
    return pl.concat(frames)


def by_name(source: SqlSource, name: str) -> SourceTable:
    return next(t for t in source.reflect() if t.info.name == name)


def same(a: pl.DataFrame, b: pl.DataFrame) -> bool:
    return a.schema == b.schema and a.rows() == b.rows()


@pytest.mark.parametrize("copy_text", [True, False], ids=["copy-text", "typed"])
@pytest.mark.parametrize("table", ["notes", "words", "pairs"])
def test_several_readers_give_one_readers_rows_in_its_order(database, table, copy_text):
    one = read_all(database, table, 1, copy_text)
    three = read_all(database, table, 3, copy_text)
    assert one.height == {"notes": ROWS, "words": 900, "pairs": 500}[table]
    assert same(one, three)


def sessions(database: str) -> int:
    """Client sessions open on the database, this check's own left out."""
    admin = sa.create_engine(pg_url("postgres", "postgres"))
    with admin.connect() as conn:
        count = conn.exec_driver_sql(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            (database,),
        ).scalar_one()
    admin.dispose()
    return int(count)


def write(database: str, *statements: str) -> None:
    """Committed by another client: what a busy production does during the run."""
    engine = sa.create_engine(pg_url("postgres", database))
    with engine.begin() as conn:
        for statement in statements:
            conn.exec_driver_sql(statement)
    engine.dispose()


CHANGES = (
    "UPDATE notes SET body = 'CHANGED' WHERE mod(id, 2) = 0",
    "DELETE FROM notes WHERE id > 5000",
    "INSERT INTO notes (id, body) VALUES (100000, 'NEW'), (-1, 'NEW')",
)


@pytest.fixture
def restore(database) -> Iterator[None]:
    """Tests that write production put the table back as :func:`fill` made it."""
    yield
    engine = sa.create_engine(pg_url("postgres", database))
    with engine.begin() as conn:
        conn.exec_driver_sql("TRUNCATE notes, words, pairs")
        fill(conn)
    engine.dispose()


def test_readers_join_the_runs_exported_snapshot(database, restore):
    """Production changes after the snapshot was taken but before any reader connected: the
    readers (each a connection of its own) still see the snapshot's rows, none of the change."""
    before = read_all(database, "notes", 1, True)
    source = SqlSource("app", pg_url("postgres", database))
    source.copy_text, source.readers = True, 3
    with source.snapshot():
        table = by_name(source, "notes")
        write(database, *CHANGES)
        frames = source.batches(table, BATCH)
        first = next(frames)  # the readers connect now, after the commit
        deadline = time.monotonic() + 10
        while sessions(database) < 4 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert sessions(database) >= 4  # the run's connection and three readers
        got = pl.concat([first, *frames])
    assert same(got, before)
    assert "CHANGED" not in got["body"].to_list()
    after = read_all(database, "notes", 3, True)  # a new snapshot sees the change
    assert "CHANGED" in after["body"].to_list() and after.height != before.height


def test_a_commit_while_the_readers_are_mid_read_is_not_seen(database, restore):
    before = read_all(database, "notes", 1, False)
    source = SqlSource("app", pg_url("postgres", database))
    source.readers = 2
    with source.snapshot():
        frames = source.batches(by_name(source, "notes"), BATCH)
        got = [next(frames), next(frames)]  # the readers are inside the table
        done = threading.Event()
        writer = threading.Thread(target=lambda: (write(database, *CHANGES), done.set()))
        writer.start()
        writer.join(30)
        assert done.is_set()  # the readers hold no lock a writer waits for
        got += list(frames)
    assert same(pl.concat(got), before)


def test_a_reader_that_cannot_join_fails_with_a_located_error(database):
    """The snapshot is gone (the run's transaction ended): one paragraph, not a traceback."""
    source = SqlSource("app", pg_url("postgres", database))
    source.readers = 2
    with source.snapshot():
        table = by_name(source, "notes")
        source.connection.rollback()  # the exported snapshot ends with its transaction
        with pytest.raises(SourceError) as caught:
            list(source.batches(table, BATCH))
    message = caught.value.message
    assert "source 'app'" in message and "snapshot" in message
    assert "readers: 1" in (caught.value.hint or "")


def test_closing_the_source_mid_read_stops_and_closes_its_readers(database):
    """A run that fails mid-table closes its snapshot: the readers' threads and connections
    end with it, nothing left open on the server."""
    source = SqlSource("app", pg_url("postgres", database))
    source.copy_text, source.readers = True, 3
    with source.snapshot():
        frames = source.batches(by_name(source, "notes"), BATCH)
        next(frames)
        assert sessions(database) >= 2
    deadline = time.monotonic() + 10
    while sessions(database) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert sessions(database) == 0
    assert not [t for t in threading.enumerate() if t.name.startswith("sanitizer-reader")]
