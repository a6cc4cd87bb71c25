"""A PostgreSQL table with plain-inheritance children (not partitions) in a subset
(docs/subsetting.md): the run reads the parent ``ONLY``, so the subset's lookups do too, and
each child is subset as a table of its own — on a real PostgreSQL."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from helpers.snapshot_runs import pg_url

from sanitizer.config.settings import load_settings
from sanitizer.run.snapshot import run_snapshot

PROD = """
CREATE TABLE cities (id int PRIMARY KEY, name text NOT NULL);
CREATE TABLE capitals (state text NOT NULL) INHERITS (cities);
ALTER TABLE capitals ADD PRIMARY KEY (id);
CREATE TABLE people (id int PRIMARY KEY, city_id int NOT NULL REFERENCES cities (id));
CREATE TABLE visits (id int PRIMARY KEY, capital_id int NOT NULL REFERENCES capitals (id));
INSERT INTO cities SELECT g, 'city ' || g FROM generate_series(1, 10) g;
INSERT INTO capitals SELECT g, 'capital ' || g, 'state ' || g FROM generate_series(101, 105) g;
INSERT INTO people SELECT g, 1 + mod(g, 10) FROM generate_series(1, 30) g;
INSERT INTO visits SELECT g, 101 + mod(g, 5) FROM generate_series(1, 12) g;
"""

RULES = """source: app
tables:
  cities: {id: keep, name: keep}
  capitals: {id: keep, name: keep, state: keep}
  people: {id: keep, city_id: keep}
  visits: {id: keep, capital_id: keep}
"""

SUBSET = """subset:
  app:
    roots:
      - {table: cities, where: "id >= 8"}
      - {table: capitals, where: "id <= 102"}
    follow: [people.city_id, visits.capital_id]
"""


@pytest.fixture(scope="module")
def databases() -> Iterator[tuple[str, str]]:
    name = f"subset_inherit_{secrets.token_hex(3)}"
    server = sa.create_engine(pg_url("postgres", "postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        for db in (f"{name}_prod", f"{name}_staging"):
            conn.exec_driver_sql(f"CREATE DATABASE {db}")
    prod = sa.create_engine(pg_url("postgres", f"{name}_prod"))
    try:
        with prod.begin() as conn:
            for statement in PROD.split(";"):
                if statement.strip():
                    conn.exec_driver_sql(statement)
        yield pg_url("postgres", f"{name}_prod"), pg_url("postgres", f"{name}_staging")
    finally:
        prod.dispose()
        with server.connect() as conn:
            for db in (f"{name}_prod", f"{name}_staging"):
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
        server.dispose()


def ids(url: str, query: str) -> set[int]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return {row[0] for row in conn.exec_driver_sql(query)}
    finally:
        engine.dispose()


def test_an_inheritance_parent_and_its_child_are_each_subset(
    databases: tuple[str, str], tmp_path: Path
) -> None:
    prod, staging = databases
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "app.yaml").write_text(RULES)
    config = tmp_path / "sanitize.yaml"
    config.write_text(
        "rules: rules/\nkey: subset-inherit-key-0123456789abcdef\nreceipts: receipts\n"
        f'workers: 1\nsources:\n  app: {{kind: sql, url: "{prod}"}}\n'
        f'targets:\n  app: {{kind: sql, url: "{staging}"}}\n' + SUBSET
    )
    receipt = run_snapshot(load_settings(config), init=True)
    assert receipt.status == "succeeded"
    tables = receipt.subset["app"]["tables"]
    assert tables["cities"]["production_rows"] == 10  # its own rows, not its child's
    assert tables["cities"]["subset_rows"] == 3
    assert ids(staging, "SELECT id FROM ONLY cities") == {8, 9, 10}
    assert ids(staging, "SELECT id FROM capitals") == {101, 102}
    assert ids(staging, "SELECT city_id FROM people") == {8, 9, 10}
    assert ids(staging, "SELECT capital_id FROM visits") == {101, 102}
    assert len(ids(staging, "SELECT id FROM people")) == 9
