"""The nightly job's guard rails on real servers: one run at a time, killed runs detected,
staging only where sanitizer owns it, the run history, and ``sanitize verify``.
"""

from __future__ import annotations

import subprocess
import sys

from helpers import fixture_db as fx
from helpers.snapshot_runs import SANITIZE, Runs, World, column, kill_group, wait_for
from test_atomic import assert_recovers, create_bulk_table, rows_being_loaded

from sanitizer.errors import ExitCode

KILLED_RUN_ROWS = 400_000  # 60,000 rows loaded before a second run had started and stopped
HOLD_LOCK = """
import sys, time
from sanitizer.load.sql import open_target
target = open_target("app", sys.argv[1])
with target.lock():
    print("locked", flush=True)
    time.sleep(600)
"""


def cli(world: World, *args: str, key: str | None = None) -> subprocess.CompletedProcess[str]:
    """Another ``sanitize`` command against the world's main config."""
    env = world.env(key) if key else world.env("unused-key-0123456789abcdef")
    return subprocess.run(
        [str(SANITIZE), *args, "--config", str(world.config)],
        cwd=world.config.parent, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def test_a_second_run_waits_for_no_one_it_stops_with_its_own_exit_code(world: World, runs: Runs):
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, world.staging_url],
        stdout=subprocess.PIPE, text=True, start_new_session=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        result = world.run()
        assert result.returncode == ExitCode.LOCKED, result.describe()
        assert "is being written by another run" in result.stderr
        assert world.dump("staging") == runs.staging_a
    finally:
        kill_group(holder)  # SIGKILL: the server releases the lock with the session
    assert_recovers(world, runs)


def test_a_killed_run_is_detected_and_recorded_by_the_next(world: World, runs: Runs):
    rules = world.rules + "  bulk_notes:\n    id: keep\n    email: {fake: email}\n    body: keep\n"
    config = world.write_config(world.tmp / "killed-history", rules=rules, batch_size=500)
    # big enough that the run is still loading after a second run has started and stopped
    create_bulk_table(world, rows=KILLED_RUN_ROWS)
    try:
        proc = world.start(config)
        try:
            assert wait_for(lambda: rows_being_loaded(world, "bulk_notes") > 0, timeout=120)
            concurrent = world.run(config)  # while the first one is loading
            assert concurrent.returncode == ExitCode.LOCKED, concurrent.describe()
        finally:
            kill_group(proc)
        assert proc.returncode == -9
    finally:
        world.execute("prod", "DROP TABLE bulk_notes")
    result = assert_recovers(world, runs)
    assert result.receipt is not None and len(result.receipt["killed_runs"]) == 1
    listed = cli(world, "runs")
    assert listed.returncode == 0, listed.stderr
    statuses = [line.split()[1] for line in listed.stdout.splitlines()[1:]]
    assert statuses[0] == "succeeded" and "killed" in statuses


def test_verify_finds_a_production_value_planted_in_staging(world: World, runs: Runs):
    clean = cli(world, "verify", key=fx.KEY_A)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert clean.stdout.startswith("ok: ")
    email = column(runs, runs.prod, "customers", "email")[0]
    order_id = column(runs, runs.staging_a, "orders", "id")[0]
    note = column(runs, runs.staging_a, "orders", "note")[0]
    table = "orders" if world.dialect == "mysql" else "public.orders"
    world.execute("staging", f"UPDATE {table} SET note = 'ask {email}' WHERE id = {order_id}")
    try:
        result = cli(world, "verify", key=fx.KEY_A)
        assert result.returncode == ExitCode.LEAK, result.stdout + result.stderr
        assert (
            f"1 staging value(s) hold a production value: app.orders.note (id={order_id})"
            in result.stderr
        )
        assert email not in result.stdout + result.stderr
    finally:
        restore = "NULL" if note is None else "'" + note.replace("'", "''") + "'"
        world.execute("staging", f"UPDATE {table} SET note = {restore} WHERE id = {order_id}")
    assert world.dump("staging") == runs.staging_a
