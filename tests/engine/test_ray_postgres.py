"""PostgreSQL → PostgreSQL (COPY text end to end) with ``engine: ray`` on the in-process Ray:
the same staging as the local engine's process pool, row for row in the server's text form —
also when several readers read key ranges in the run's exported snapshot (``readers:``,
docs/engine.md#reading-production), and while production changes under a paused run."""

from __future__ import annotations

import contextlib
import os
import secrets
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from helpers.ray_world import KEY, RULES, make_production
from helpers.snapshot_runs import pg_url

from sanitizer.config.settings import load_settings
from sanitizer.errors import ExitCode
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
    """r17_<hex>_prod filled from the SQLite production, r17_<hex>_moving a copy of it that a
    test changes, and empty staging databases."""
    prefix = f"r17_{secrets.token_hex(3)}"
    names = {
        which: f"{prefix}_{which}"
        for which in (
            "prod",
            "local",
            "ray",
            "local3",
            "moving",
            "paused",
            "before",
            "killed",
            "gone",
        )
    }
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
        with server.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE "{names["moving"]}"')
            conn.exec_driver_sql(f'CREATE DATABASE "{names["moving"]}" TEMPLATE "{names["prod"]}"')
        yield names
    finally:
        with server.connect() as conn:
            for name in names.values():
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            for which in ("killed_prod", "gone_prod"):  # copies some tests make
                name = f"{names['prod']}_{which}"
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        server.dispose()


BATCH = 50  # messages: 300 rows, key ranges of 100 (extract/ranges.py)


def write_config(
    folder: Path, source: str, target: str, engine: str, readers: int, batch: int = BATCH
) -> Path:
    (folder / "rules").mkdir(exist_ok=True)
    (folder / "rules" / "app.yaml").write_text(RULES, encoding="utf-8")
    config = folder / f"{target}.yaml"
    config.write_text(
        "rules: rules/\nkey: ${SANITIZE_KEY}\nreceipts: receipts\n"
        f"batch_size: {batch}\nworkers: 2\nreaders: {readers}\nengine: {engine}\n"
        "sources:\n"
        f"  app: {{kind: sql, url: '{pg_url('postgres', source)}'}}\n"
        "targets:\n"
        f"  app: {{kind: sql, url: '{pg_url('postgres', target)}'}}\n",
        encoding="utf-8",
    )
    return config


def snapshot(
    folder: Path, names: dict[str, str], which: str, engine: str, readers: int = 1
) -> None:
    config = write_config(folder, names["prod"], names[which], engine, readers)
    settings = load_settings(config, {"SANITIZE_KEY": KEY})
    assert settings.engine.reader_count == readers
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


@pytest.fixture(scope="module")
def local_staging(databases, tmp_path_factory) -> dict[str, list[str]]:
    """The local engine's staging with one reader: what every other run must equal."""
    snapshot(tmp_path_factory.mktemp("local"), databases, "local", "local", readers=1)
    out = dump(databases["local"])
    assert len(out["messages"]) == 300 and len(out["customers"]) == 120
    return out


def test_postgres_staging_on_ray_with_three_readers_equals_local(
    local_ray, databases, local_staging, tmp_path
):
    snapshot(tmp_path, databases, "ray", "ray", readers=3)
    assert dump(databases["ray"]) == local_staging


def test_three_readers_write_the_staging_one_reader_writes(databases, local_staging, tmp_path):
    snapshot(tmp_path, databases, "local3", "local", readers=3)
    assert dump(databases["local3"]) == local_staging


CHANGES = (
    "UPDATE messages SET body = 'CHANGED by a later commit, call Alice Smith' WHERE mod(id, 2) = 0",
    "DELETE FROM messages WHERE id > 250",
    "INSERT INTO messages VALUES (1000, 1, 'NEW after the snapshot')",
    "UPDATE customers SET name = 'Changed Later' WHERE id > 60",
)


def test_a_commit_during_a_paused_run_is_not_in_staging(databases, local_staging, tmp_path):
    """``sanitize snapshot`` with two readers is held after its first batch of messages (its
    readers inside the table); production commits changes to rows read and not yet read; the
    run resumes, and staging is the snapshot's state exactly."""
    config = write_config(tmp_path, databases["moving"], databases["paused"], "local", 2, 20)
    with paused_run(tmp_path, config) as (proc, resume, log):
        commit(databases["moving"], *CHANGES)
        resume.touch()
        assert proc.wait(300) == 0, log.read_text()[-3000:]
    assert dump(databases["paused"]) == local_staging


def test_a_reader_killed_mid_table_rejoins_the_snapshot(databases, tmp_path):
    """While the run is held inside messages, every parallel reader's connection is ended
    by the server (``pg_terminate_backend``) and production commits changes: each reader
    re-opens its connection, joins the run's exported snapshot again and resumes past its
    last key — staging is the snapshot's state exactly."""
    source = copy_of_production(databases, "killed_prod")
    (tmp_path / "before").mkdir()
    before = write_config(tmp_path / "before", source, databases["before"], "local", 1, 20)
    assert run_snapshot(load_settings(before, {"SANITIZE_KEY": KEY}), init=True).status
    config = write_config(tmp_path, source, databases["killed"], "local", 3, 20)
    with paused_run(tmp_path, config) as (proc, resume, log):
        _, *readers = backends(source)  # the run's own connection first
        assert readers, "the run should hold parallel readers inside messages"
        terminate(readers)
        commit(source, *CHANGES)
        resume.touch()
        assert proc.wait(300) == 0, log.read_text()[-3000:]
    assert "reader re-joined the run's snapshot" in log.read_text()  # it had more to read
    assert dump(databases["killed"]) == dump(databases["before"])


def test_a_lost_snapshot_fails_the_run_cleanly_and_the_next_run_succeeds(databases, tmp_path):
    """The run's own connection — which exported the snapshot — and its readers are ended
    mid-table: a reader cannot join a snapshot whose transaction is gone, so the run fails
    with the source's exit code and a message saying so; the previous staging stays, the
    lock is released, the run history says ``failed``, and the next run succeeds."""
    source = copy_of_production(databases, "gone_prod")
    staging = databases["gone"]
    config = write_config(tmp_path, source, staging, "local", 3, 20)
    settings = load_settings(config, {"SANITIZE_KEY": KEY})
    assert run_snapshot(settings, init=True).status == "succeeded"  # last night's snapshot
    last_night = dump(staging)
    with paused_run(tmp_path, config, init=False) as (proc, resume, log):
        terminate(backends(source))
        resume.touch()
        assert proc.wait(300) == ExitCode.SOURCE, log.read_text()[-3000:]
    output = log.read_text()
    assert "Traceback" not in output
    assert "cannot join the run's snapshot again" in output, output[-3000:]
    assert "readers: 1" in output
    assert dump(staging) == last_night  # untouched
    assert run_history(staging)[:2] == ["failed", "succeeded"]
    assert run_snapshot(settings).status == "succeeded"  # the lock was released
    assert run_history(staging)[0] == "succeeded"
    assert dump(staging) == last_night


MORE = 900  # messages added to a copy: ranges left to read when the run is held


def copy_of_production(databases: dict[str, str], which: str) -> str:
    """A fresh copy of the production database with :data:`MORE` messages, for a test that
    changes or breaks it while the readers still have ranges to read."""
    name = databases[which] = f"{databases['prod']}_{which}"
    server = sa.create_engine(pg_url("postgres", "postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}" TEMPLATE "{databases["prod"]}"')
    server.dispose()
    commit(
        name,
        "INSERT INTO messages SELECT 1000 + n, 1 + mod(n, 120), 'Note ' || n || ' for Jane Roe'"
        f" FROM generate_series(1, {MORE}) AS n",
    )
    return name


def backends(database: str) -> list[int]:
    """The client sessions on ``database``, oldest first: the run's own connection (which
    exported the snapshot) opened before its parallel readers."""
    server = sa.create_engine(pg_url("postgres", "postgres"))
    with server.connect() as conn:
        pids = conn.exec_driver_sql(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()"
            " ORDER BY backend_start",
            (database,),
        ).scalars()
        out = list(pids)
    server.dispose()
    return out


def terminate(pids: list[int]) -> None:
    server = sa.create_engine(pg_url("postgres", "postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        for pid in pids:
            assert conn.exec_driver_sql("SELECT pg_terminate_backend(%s)", (pid,)).scalar()
    server.dispose()


def commit(database: str, *statements: str) -> None:
    """Committed by another client: what a busy production does during the run."""
    prod = sa.create_engine(pg_url("postgres", database))
    with prod.begin() as conn:
        for statement in statements:
            conn.exec_driver_sql(statement)
    prod.dispose()


def run_history(database: str) -> list[str]:
    engine = sa.create_engine(pg_url("postgres", database))
    with engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT status FROM sanitizer_meta.sanitizer_runs ORDER BY started_at DESC"
        ).scalars()
        out = list(rows)
    engine.dispose()
    return out


@contextlib.contextmanager
def paused_run(
    folder: Path, config: Path, init: bool = True
) -> Iterator[tuple[subprocess.Popen, Path, Path]]:
    """``sanitize snapshot`` held after its first batch of messages (tests/helpers/
    paused_run.py): the process, the file that resumes it, and its log."""
    resume, log = folder / "resume", folder / "run.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SANITIZE_", "FAULT_"))}
    env.update(
        SANITIZE_KEY=KEY,
        FAULT_PAUSE_AT="sql:messages:1",
        FAULT_RESUME_FILE=str(resume),
        PYTHONPATH=os.pathsep.join([str(HELPERS.parent.parent), str(HELPERS.parent)]),
    )
    command = [sys.executable, str(HELPERS / "paused_run.py"), "snapshot", "--config",
               str(config), "--log-format", "json", *(["--init"] if init else [])]  # fmt: skip
    with log.open("w") as out:
        proc = subprocess.Popen(command, cwd=folder, env=env, stdout=out, stderr=out)
        try:
            wait_for(log, "paused for the test", proc)
            yield proc, resume, log
        finally:
            if proc.poll() is None:
                proc.kill()


HELPERS = Path(__file__).parent.parent / "helpers"


def wait_for(log: Path, words: str, proc: subprocess.Popen, seconds: float = 240) -> None:
    deadline = time.monotonic() + seconds
    while words not in log.read_text() and time.monotonic() < deadline:
        assert proc.poll() is None, log.read_text()[-3000:]
        time.sleep(0.1)
    assert words in log.read_text(), log.read_text()[-3000:]
