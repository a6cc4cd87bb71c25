"""PostgreSQL → PostgreSQL (COPY text end to end) with ``engine: ray`` on the in-process Ray:
the same staging as the local engine's process pool, row for row in the server's text form."""

from __future__ import annotations

import secrets
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from helpers.ray_world import KEY, RULES, make_production
from helpers.snapshot_runs import pg_url

from sanitizer.config.settings import load_settings
from sanitizer.run.snapshot import run_snapshot

pytestmark = pytest.mark.postgres
DDL = (
    "CREATE TABLE customers (id integer PRIMARY KEY, email text NOT NULL UNIQUE,"
    " name text NOT NULL, phone text)",
    "CREATE TABLE messages (id integer PRIMARY KEY,"
    " customer_id integer NOT NULL REFERENCES customers (id), body text NOT NULL)",
)


@pytest.fixture(scope="module")
def databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """r17_<hex>_prod filled from the SQLite production, and two empty staging databases."""
    prefix = f"r17_{secrets.token_hex(3)}"
    names = {"prod": f"{prefix}_prod", "local": f"{prefix}_local", "ray": f"{prefix}_ray"}
    server = sa.create_engine(pg_url("postgres", "postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        for name in names.values():
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        source = make_production(tmp_path_factory.mktemp("pg-prod"), messages=300)
        prod = sa.create_engine(pg_url("postgres", names["prod"]))
        with sqlite3.connect(source) as lite, prod.begin() as conn:
            for statement in DDL:
                conn.exec_driver_sql(statement)
            for table, marks in (("customers", "%s, %s, %s, %s"), ("messages", "%s, %s, %s")):
                rows = lite.execute(f"SELECT * FROM {table} ORDER BY id").fetchall()
                conn.exec_driver_sql(f"INSERT INTO {table} VALUES ({marks})", rows)
        lite.close()
        prod.dispose()
        yield names
    finally:
        with server.connect() as conn:
            for name in names.values():
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        server.dispose()


def snapshot(folder: Path, names: dict[str, str], which: str, engine: str) -> None:
    (folder / "rules").mkdir(exist_ok=True)
    (folder / "rules" / "app.yaml").write_text(RULES, encoding="utf-8")
    config = folder / f"{which}.yaml"
    config.write_text(
        "rules: rules/\nkey: ${SANITIZE_KEY}\nreceipts: receipts\nbatch_size: 100\nworkers: 2\n"
        f"engine: {engine}\n"
        "sources:\n"
        f"  app: {{kind: sql, url: '{pg_url('postgres', names['prod'])}'}}\n"
        "targets:\n"
        f"  app: {{kind: sql, url: '{pg_url('postgres', names[which])}'}}\n",
        encoding="utf-8",
    )
    settings = load_settings(config, {"SANITIZE_KEY": KEY})
    assert run_snapshot(settings, init=True).status == "succeeded"


def dump(database: str) -> dict[str, list[str]]:
    engine = sa.create_engine(pg_url("postgres", database))
    with engine.connect() as conn:
        out = {
            t: list(conn.exec_driver_sql(f"SELECT x::text FROM {t} x ORDER BY 1").scalars())
            for t in ("customers", "messages")
        }
    engine.dispose()
    return out


def test_postgres_staging_on_ray_equals_local(local_ray, databases, tmp_path):
    snapshot(tmp_path, databases, "local", "local")
    snapshot(tmp_path, databases, "ray", "ray")
    local, ray = dump(databases["local"]), dump(databases["ray"])
    assert len(local["messages"]) == 300
    assert ray == local
