"""Parallel PostgreSQL readers of key ranges (extract/ranges.py, docs/engine.md#reading-production)
against the real server: the same frames as one reader, in the run's exported snapshot."""

from __future__ import annotations

import logging
import secrets
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest
import sqlalchemy as sa
from helpers.ray_world import KEY, RULES, make_production
from helpers.snapshot_runs import my_url, pg_url

from sanitizer.config.settings import load_settings
from sanitizer.errors import SourceError
from sanitizer.extract.sql import SourceTable, SqlSource
from sanitizer.receipt import Receipt
from sanitizer.run.snapshot import run_snapshot

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


@pytest.fixture(scope="module")
def mariadb(tmp_path_factory) -> Iterator[str]:
    """r17_<hex>_my: the Ray tests' small production (customers, messages) on MariaDB."""
    name = f"r17_{secrets.token_hex(3)}_my"
    server = sa.create_engine(my_url("root", "", "mysql"), isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        conn.exec_driver_sql(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4")
    try:
        lite = sqlite3.connect(make_production(tmp_path_factory.mktemp("my"), 40, 80))
        prod = sa.create_engine(my_url("root", "", name))
        with prod.begin() as conn:
            conn.exec_driver_sql(
                "CREATE TABLE customers (id integer PRIMARY KEY, email varchar(200) NOT NULL"
                " UNIQUE, name varchar(200) NOT NULL, phone varchar(80))"
            )
            conn.exec_driver_sql(
                "CREATE TABLE messages (id integer PRIMARY KEY, customer_id integer NOT NULL"
                " REFERENCES customers (id), body text NOT NULL)"
            )
            for table, marks in (("customers", "%s, %s, %s, %s"), ("messages", "%s, %s, %s")):
                rows = lite.execute(f"SELECT * FROM {table} ORDER BY id").fetchall()
                conn.exec_driver_sql(f"INSERT INTO {table} VALUES ({marks})", rows)
        lite.close()
        prod.dispose()
        yield name
    finally:
        with server.connect() as conn:
            for database in (name, f"{name}_one", f"{name}_three"):
                conn.exec_driver_sql(f"DROP DATABASE IF EXISTS `{database}`")
        server.dispose()


def my_dump(database: str) -> dict[str, list[tuple]]:
    engine = sa.create_engine(my_url("root", "", database))
    with engine.connect() as conn:
        out = {
            t: [tuple(r) for r in conn.exec_driver_sql(f"SELECT * FROM {t} ORDER BY 1")]
            for t in ("customers", "messages")
        }
    engine.dispose()
    return out


def my_snapshot(
    folder: Path, database: str, readers: int, tag: str
) -> tuple[Receipt, dict[str, list[tuple]]]:
    staging = f"{database}_{tag}"
    server = sa.create_engine(my_url("root", "", "mysql"), isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        conn.exec_driver_sql(f"CREATE DATABASE `{staging}` CHARACTER SET utf8mb4")
    server.dispose()
    (folder / "rules").mkdir(parents=True)
    (folder / "rules" / "app.yaml").write_text(RULES, encoding="utf-8")
    config = folder / "sanitize.yaml"
    config.write_text(
        f"rules: rules/\nkey: ${{SANITIZE_KEY}}\nreceipts: {folder / 'receipts'}\n"
        f"batch_size: 20\nworkers: 1\nreaders: {readers}\n"
        f"sources:\n  app: {{kind: sql, url: '{my_url('root', '', database)}'}}\n"
        f"targets:\n  app: {{kind: sql, url: '{my_url('root', '', staging)}'}}\n",
        encoding="utf-8",
    )
    receipt = run_snapshot(load_settings(config, {"SANITIZE_KEY": KEY}), init=True)
    assert receipt.status == "succeeded"
    return receipt, my_dump(staging)


@pytest.mark.mysql
def test_mariadb_with_three_readers_reads_with_one_and_says_why(mariadb, tmp_path, caplog):
    """MySQL and MariaDB cannot share a consistent snapshot between connections: ``readers:
    3`` runs with one reader, writes the staging one reader writes, and the log and the
    receipt say that one reader read, and why (docs/engine.md#reading-production)."""
    one, one_staging = my_snapshot(tmp_path / "one", mariadb, 1, "one")
    with caplog.at_level(logging.INFO, logger="sanitizer"):
        three, three_staging = my_snapshot(tmp_path / "three", mariadb, 3, "three")
    assert three_staging == one_staging
    assert len(one_staging["messages"]) == 80
    note = three.sources["app"]["readers"]
    assert note["asked"] == 3 and note["used"] == 1
    assert "cannot be shared" in note["why"] and "WITH CONSISTENT SNAPSHOT" in note["why"]
    assert "readers" not in one.sources["app"]
    (said,) = [r for r in caplog.records if r.getMessage() == "one reader"]
    assert said.readers_asked == 3 and said.why == note["why"]


def test_a_copy_read_left_after_one_frame_leaves_the_snapshot_readable(database):
    """The run stops reading a table early (an error elsewhere, a dry look): the rest of the
    COPY is drained where the read is closed, and the same connection reads on."""
    source = SqlSource("app", pg_url("postgres", database))
    source.copy_text = True
    with source.snapshot():
        notes, words = by_name(source, "notes"), by_name(source, "words")
        connection = source.connection
        first = source.batches(notes, BATCH)
        assert next(first).height == BATCH
        first.close()
        assert sum(f.height for f in source.batches(words, BATCH)) == 900
        assert pl.concat(list(source.batches(notes, BATCH))).height == ROWS
        assert source.connection is connection  # read on, not re-opened after an error
