"""Guarantee 2, production is read-only: the source session itself refuses writes.

The source is opened with the prod *owner's* URL — a role that may write — so a refusal can
only come from the session the sanitizer opens, not from missing privileges. Each statement
gets a fresh snapshot (a refused statement aborts the transaction).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa
from helpers.snapshot_runs import Runs, World

from sanitizer.extract.sql import SqlSource

READ_ONLY = r"(?i)read-only|read only|readonly"
WRITES = {
    "insert": "INSERT INTO products (sku, region, name) VALUES ('RO-1', 'EU', 'sneaky')",
    "update": "UPDATE customers SET full_name = 'overwritten' WHERE id = 1",
    "delete": "DELETE FROM events",
    "create": "CREATE TABLE sneaky (id integer)",
}


def tables_of(world: World) -> set[str]:
    return set(world.tables("prod"))


@pytest.mark.parametrize("statement", list(WRITES))
def test_source_session_refuses_writes(world: World, runs: Runs, statement: str) -> None:
    before = world.dump("prod")
    source = SqlSource("app", world.prod_owner_url)
    with source.snapshot(), pytest.raises(sa.exc.DBAPIError, match=READ_ONLY):
        source.connection.exec_driver_sql(WRITES[statement])
    assert "sneaky" not in tables_of(world)
    assert world.dump("prod") == before


@pytest.mark.parametrize("end", ["commit", "rollback"])
def test_source_session_stays_read_only_after_its_transaction(
    world: World, runs: Runs, end: str
) -> None:
    """Read-only at session level: a bug that ends the snapshot still cannot write."""
    before = world.dump("prod")
    source = SqlSource("app", world.prod_owner_url)
    with source.snapshot():
        getattr(source.connection, end)()
        for statement in (WRITES["create"], WRITES["insert"]):
            with pytest.raises(sa.exc.DBAPIError, match=READ_ONLY):
                source.connection.exec_driver_sql(statement)
            source.connection.rollback()
    assert "sneaky" not in tables_of(world)
    assert world.dump("prod") == before


def test_the_owner_role_could_write(world: World, runs: Runs) -> None:
    """The control: the same role, outside the sanitizer's session, may write prod."""
    engine = sa.create_engine(world.prod_owner_url)
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql(WRITES["insert"])
            assert (
                conn.exec_driver_sql("SELECT count(*) FROM products").scalar_one()
                == len(runs.prod["products"]) + 1
            )
            conn.rollback()
    finally:
        engine.dispose()
    assert world.dump("prod")["products"] == runs.prod["products"]


@pytest.mark.parametrize("statement", list(WRITES))
def test_sqlite_source_refuses_writes(tmp_path: Path, statement: str) -> None:
    path = tmp_path / "prod.db"
    with sqlite3.connect(path) as conn:
        conn.executescript(
            "CREATE TABLE products (sku TEXT, region TEXT, name TEXT);"
            "CREATE TABLE customers (id INTEGER PRIMARY KEY, full_name TEXT);"
            "CREATE TABLE events (at TEXT);"
            "INSERT INTO customers VALUES (1, 'Ana'); INSERT INTO events VALUES ('x');"
        )
    before = path.read_bytes()
    source = SqlSource("app", f"sqlite:///{path}")
    with source.snapshot():
        with pytest.raises(sa.exc.DBAPIError, match=READ_ONLY):
            source.connection.exec_driver_sql(WRITES[statement])
        source.connection.exec_driver_sql("COMMIT")
        with pytest.raises(sa.exc.DBAPIError, match=READ_ONLY):
            source.connection.exec_driver_sql(WRITES[statement])
    assert path.read_bytes() == before
