"""Suite-wide settings, and the fixtures tests in several folders share.

CI runs hypothesis derandomized (``HYPOTHESIS_PROFILE=ci`` in ``.ci/run``) so a landing never
depends on the luck of the draw; local runs stay random so new counterexamples keep turning up.
A counterexample found once becomes an explicit test case.

Real servers, real command (``run/``, ``load/sql/``, ``extract/``): per-session PostgreSQL and
MariaDB fixtures and CLI runs. Each session creates uniquely named prod and staging databases
with separate roles (an owner that builds prod, a reader the sanitizer reads prod with, a
staging role that owns staging), loads the messy fixture, and runs ``sanitize snapshot`` as a
subprocess a few times: key A, key B, key A again. Tests inspect those captured results; the
tests that need a failing or interrupted run make their own and put everything back. A server
that is down makes the tests error — never skip — since CI starts both servers.

The embedding model and an endpoint in front of it (``mask/``, ``load/vectors/``).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from helpers import fixture_db as fx
from helpers.embeddings import bundled_embedder, serve_embeddings
from helpers.snapshot_runs import (
    SHADOW_MARK,
    Runs,
    World,
    grant_pattern,
    my_url,
    pg_url,
    run_three,
)
from hypothesis import settings

settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
settings.register_profile("dev", print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")  # as sanitizer sets it


# -- the embedding model ------------------------------------------------------------------
@pytest.fixture(scope="session")
def embedder() -> Any:
    return bundled_embedder()


@pytest.fixture
def endpoint(embedder: Any) -> Iterator[tuple[str, list[dict], dict[str, int | None]]]:
    """An OpenAI-style /v1/embeddings on loopback: (url, requests seen, control).

    ``control["fail_after"] = N`` makes every request after the first N answer HTTP 500: a
    failure in the middle of a run.
    """
    yield from serve_embeddings(embedder)


# -- PostgreSQL -----------------------------------------------------------------------------
@pytest.fixture(scope="session")
def postgres_world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    prefix = f"sz_it_{secrets.token_hex(3)}"
    owner, reader, staging = f"{prefix}_owner", f"{prefix}_reader", f"{prefix}_staging"
    prod_db, staging_db = f"{prefix}_prod", f"{prefix}_staging"
    server = sa.create_engine(pg_url("postgres", "postgres"), isolation_level="AUTOCOMMIT")
    engines: list[sa.Engine] = [server]
    try:
        with server.connect() as conn:
            for role in (owner, reader, staging):
                conn.exec_driver_sql(f'CREATE ROLE "{role}" LOGIN')
            conn.exec_driver_sql(f'CREATE DATABASE "{prod_db}" OWNER "{owner}"')
            conn.exec_driver_sql(f'CREATE DATABASE "{staging_db}" OWNER "{staging}"')
        owner_engine = sa.create_engine(pg_url(owner, prod_db))
        engines.append(owner_engine)
        raw = owner_engine.raw_connection()
        try:
            cur = raw.cursor()
            for statement in fx.statements(fx.PG_DDL):
                cur.execute(statement)
            fx.load_rows(raw, "postgres")
            cur = raw.cursor()
            cur.execute(f'GRANT USAGE ON SCHEMA public, billing TO "{reader}"')
            cur.execute(f'GRANT SELECT ON ALL TABLES IN SCHEMA public, billing TO "{reader}"')
            raw.commit()
        finally:
            raw.close()
        prod_admin = sa.create_engine(pg_url("postgres", prod_db))
        staging_admin = sa.create_engine(pg_url("postgres", staging_db))
        engines += [prod_admin, staging_admin]
        yield World(
            dialect="postgres",
            tmp=tmp_path_factory.mktemp("postgres"),
            prod_db=prod_db,
            staging_db=staging_db,
            prod_url=pg_url(reader, prod_db),
            staging_url=pg_url(staging, staging_db),
            prod_owner_url=pg_url(owner, prod_db),
            prod_admin=prod_admin,
            staging_admin=staging_admin,
            rules=fx.rules_text("postgres"),
        )
    finally:
        for engine in engines[1:]:
            engine.dispose()
        with server.connect() as conn:
            for database in (prod_db, staging_db):
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
            for role in (owner, reader, staging):
                conn.exec_driver_sql(f'DROP ROLE IF EXISTS "{role}"')
        server.dispose()


@pytest.fixture(scope="session")
def postgres_runs(postgres_world: World) -> Runs:
    return run_three(postgres_world)


# -- MariaDB / MySQL ------------------------------------------------------------------------
@pytest.fixture(scope="session")
def mysql_world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    prefix = f"sz_it_{secrets.token_hex(3)}"
    password = secrets.token_urlsafe(12)
    owner, reader, staging = f"{prefix}_owner", f"{prefix}_reader", f"{prefix}_staging"
    prod_db, staging_db = f"{prefix}_prod", f"{prefix}_staging"
    hosts = ("127.0.0.1", "localhost")
    server = sa.create_engine(my_url("root", "", ""), isolation_level="AUTOCOMMIT")
    engines: list[sa.Engine] = [server]
    try:
        with server.connect() as conn:
            conn.exec_driver_sql(
                f"CREATE DATABASE `{prod_db}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
            )
            conn.exec_driver_sql(f"CREATE DATABASE `{staging_db}`")
            grants = {
                owner: [f"ALL ON `{grant_pattern(prod_db)}`.*"],
                reader: [f"SELECT ON `{grant_pattern(prod_db)}`.*"],
                staging: [
                    f"ALL ON `{grant_pattern(staging_db)}`.*",
                    f"ALL ON `{grant_pattern(staging_db + SHADOW_MARK)}%%`.*",
                ],
            }
            for user, privileges in grants.items():
                for host in hosts:
                    conn.exec_driver_sql(
                        f"CREATE USER '{user}'@'{host}' IDENTIFIED BY '{password}'"
                    )
                    for privilege in privileges:
                        conn.exec_driver_sql(f"GRANT {privilege} TO '{user}'@'{host}'")
        owner_engine = sa.create_engine(my_url(owner, password, prod_db))
        engines.append(owner_engine)
        raw = owner_engine.raw_connection()
        try:
            cur = raw.cursor()
            for statement in fx.statements(fx.MYSQL_DDL):
                cur.execute(statement)
            fx.load_rows(raw, "mysql")
        finally:
            raw.close()
        prod_admin = sa.create_engine(my_url("root", "", prod_db))
        staging_admin = sa.create_engine(my_url("root", "", staging_db))
        engines += [prod_admin, staging_admin]
        yield World(
            dialect="mysql",
            tmp=tmp_path_factory.mktemp("mysql"),
            prod_db=prod_db,
            staging_db=staging_db,
            prod_url=my_url(reader, password, prod_db),
            staging_url=my_url(staging, password, staging_db),
            prod_owner_url=my_url(owner, password, prod_db),
            prod_admin=prod_admin,
            staging_admin=staging_admin,
            rules=fx.rules_text("mysql"),
        )
    finally:
        for engine in engines[1:]:
            engine.dispose()
        with server.connect() as conn:
            leftovers = conn.exec_driver_sql(
                "SELECT schema_name FROM information_schema.schemata WHERE schema_name LIKE %s",
                (prefix.replace("_", "\\_") + "%",),
            ).scalars()
            for database in list(leftovers):
                conn.exec_driver_sql(f"DROP DATABASE `{database}`")
            for user in (owner, reader, staging):
                for host in hosts:
                    conn.exec_driver_sql(f"DROP USER IF EXISTS '{user}'@'{host}'")
        server.dispose()


@pytest.fixture(scope="session")
def mysql_runs(mysql_world: World) -> Runs:
    return run_three(mysql_world)


# -- dialect parametrization ------------------------------------------------------------------
DIALECTS = [
    pytest.param("postgres", marks=pytest.mark.postgres, id="postgres"),
    pytest.param("mysql", marks=pytest.mark.mysql, id="mysql"),
]


@pytest.fixture(params=DIALECTS)
def dialect(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def world(dialect: str, request: pytest.FixtureRequest) -> World:
    return request.getfixturevalue(f"{dialect}_world")


@pytest.fixture
def runs(dialect: str, request: pytest.FixtureRequest) -> Runs:
    return request.getfixturevalue(f"{dialect}_runs")
