"""Fault injection across every store at once: one run covers PostgreSQL, S3 objects and a
LanceDB index; it is SIGKILLed at several points, loses a source mid-run, meets a target that
refuses writes, and rides out transient failures. Each time the previous staging must be
byte-identical in every store, and the next run must succeed and clean up what was left.
"""

from __future__ import annotations

import os
import signal
import time

import pytest
from helpers import fault_world as fw
from helpers.fault_proxy import Fault

from sanitizer.errors import ExitCode

PAUSED = "paused for the test"


def wait_logged(started: fw.Started, message: str, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while not started.logged(message):
        if started.proc.poll() is not None or time.monotonic() > deadline:
            run = kill(started) if started.proc.poll() is None else started.finish()
            raise AssertionError(f"never logged {message!r}\n{run.describe()}")
        time.sleep(0.05)


def kill(started: fw.Started) -> fw.Run:
    os.killpg(started.proc.pid, signal.SIGKILL)
    return started.finish()


def assert_recovers(world: fw.World, good: dict) -> fw.Run:
    """The next normal run succeeds, leaves nothing behind, and (same key, same production)
    stages the same data again."""
    result = world.run(world.config("main"))
    assert result.returncode == 0, result.describe()
    assert world.leftovers() == {"sql": [], "objects": [], "vectors": []}
    assert world.sql_dump() == good["sql"]
    assert world.objects() == good["objects"]
    return result


@pytest.fixture
def good(world: fw.World) -> dict:
    """Staging as the last good run left it, byte for byte, plus its vector records."""
    return {**world.state(), "records": world.lance_records()}


# The phases a run goes through, in order, and the log line that proves the earlier ones ran.
KILL_POINTS = [
    ("sql:notes:3", None),  # three batches of one table committed into the SQL shadow
    ("objects:5", "table masked"),  # SQL loaded; five objects in the S3 shadow
    ("vectors:1", "table masked"),  # objects loaded too; a batch in the LanceDB shadow
    ("swap", "collection masked and re-embedded"),  # everything verified, nothing swapped
]


def test_sigkill_at_each_phase_leaves_every_store_byte_identical(world: fw.World, good: dict):
    config = world.config("main")
    for point, earlier in KILL_POINTS:
        started = world.start(config, pause_at=point)
        try:
            wait_logged(started, PAUSED)
        finally:
            run = kill(started)
        assert run.returncode == -signal.SIGKILL
        if earlier:
            assert earlier in run.stderr, (point, run.describe())
        assert world.state() == {k: v for k, v in good.items() if k != "records"}, point
    assert any(world.leftovers().values())  # killed runs could not clean up: the next one must
    result = assert_recovers(world, good)
    assert world.lance_records() == good["records"]
    messages = result.messages()
    assert "a stale staging lock was taken over (its run was killed or lost its store)" in messages


def test_a_source_dropped_mid_run_fails_cleanly(world: fw.World, good: dict):
    """Source objects deleted, and a source table dropped, while the run is loading."""
    config = world.config("main")
    resume = world.tmp / "resume-dropped"
    started = world.start(config, pause_at="objects:3", resume_file=resume)
    deleted = list(range(10, fw.OBJECT_COUNT))
    try:
        wait_logged(started, PAUSED)
        for i in deleted:
            world.s3.delete_object(Bucket=fw.PROD_BUCKET, Key=f"files/tickets/t-{i:03}.json")
    finally:
        resume.touch()  # whatever happened, the paused run goes on (and ends)
        run = started.finish()
        fw.put_tickets(world.s3, deleted)
    assert run.returncode == ExitCode.SOURCE, run.describe()
    assert "is gone: it changed while the run read it" in run.stderr
    assert "Traceback" not in run.stderr
    assert world.state() == {k: v for k, v in good.items() if k != "records"}
    assert world.leftovers() == {"sql": [], "objects": [], "vectors": []}  # discarded

    resume = world.tmp / "resume-table"
    started = world.start(config, pause_at="sql:customers:1", resume_file=resume)
    try:
        wait_logged(started, PAUSED)
        world.execute(world.prod_admin, "SET lock_timeout = '5s'", "DROP TABLE z_audit")
    finally:
        resume.touch()
        run = started.finish()
        world.execute(world.prod_admin, *fw.Z_AUDIT)  # default privileges grant the reader
    assert run.returncode == ExitCode.SOURCE, run.describe()
    assert "z_audit" in run.stderr and "does not exist" in run.stderr
    assert "transient failure, retrying" not in run.messages()  # permanent: no retry
    assert world.state() == {k: v for k, v in good.items() if k != "records"}
    assert_recovers(world, good)


def test_a_target_refusing_writes_fails_fast_and_changes_nothing(world: fw.World, good: dict):
    config = world.config("main")
    # S3 staging refuses every upload into the run's shadow (after SQL has loaded its own)
    refused = world_fault(
        world, Fault("PUT", f"/{fw.STAGING_BUCKET}/snap.sanitize-2", 403, "AccessDenied")
    )
    try:
        run = world.run(config)
    finally:
        world_clear(world)
    assert refused.hits >= 1
    assert run.returncode == ExitCode.TARGET, run.describe()
    assert "AccessDenied" in run.stderr and "table masked" in run.stderr
    assert "transient failure, retrying" not in run.messages()
    assert world.state() == {k: v for k, v in good.items() if k != "records"}
    assert world.leftovers() == {"sql": [], "objects": [], "vectors": []}

    # PostgreSQL staging turned read-only for the staging role
    role = world.staging_role
    world.execute(
        world.staging_admin, f'ALTER ROLE "{role}" SET default_transaction_read_only = on'
    )
    try:
        run = world.run(config)
    finally:
        world.execute(
            world.staging_admin, f'ALTER ROLE "{role}" RESET default_transaction_read_only'
        )
    assert run.returncode == ExitCode.TARGET, run.describe()
    assert "read-only transaction" in run.stderr
    assert "transient failure, retrying" not in run.messages()
    assert world.state() == {k: v for k, v in good.items() if k != "records"}
    assert_recovers(world, good)


def test_transient_failures_are_retried_and_logged_and_the_run_succeeds(world: fw.World, good):
    # a table larger than the socket buffers, so cutting the connection mid-read is felt
    world.execute(world.prod_admin, *fw.BULK)
    prod_bulk = fw.table_digest(world.prod_admin, "bulk")
    resume = world.tmp / "resume-transient"
    started = None
    try:
        config = world.config("transient", app_rules=fw.APP_RULES + fw.BULK_RULES)
        # S3 answers 503 to the first three uploads: botocore's own retries ride it out
        fault = Fault("PUT", f"/{fw.STAGING_BUCKET}/snap.sanitize-2", 503, "SlowDown", times=3)
        flaky = world_fault(world, fault)
        # and mid-table, inside a batch's transaction, both connections are cut: the
        # production read resumes after the last key handed on, the staging batch is rolled
        # back and written again on a new connection
        started = world.start(config, pause_at="batch:bulk:3", resume_file=resume)
        wait_logged(started, PAUSED)
        cut = world.terminate(
            f"usename = '{world.reader_role}'",
            f"usename = '{world.staging_role}' AND state = 'idle in transaction'",
        )
        assert cut == 2, cut
        resume.touch()
        run = started.finish()
    finally:
        world_clear(world)
        if started is not None and started.proc.poll() is None:
            resume.touch()
            kill(started)
        world.execute(world.prod_admin, "SET lock_timeout = '10s'", "DROP TABLE bulk")
    assert run.returncode == 0, run.describe()
    assert flaky.hits == 3
    retries = [line for line in run.logs if line["message"] == "transient failure, retrying"]
    steps = {line["step"] for line in retries}
    assert "S3 PutObject" in steps, retries
    assert "reading app.bulk" in steps, retries  # cut mid-table: resumed after its last key
    assert "loading bulk" in steps, retries  # the batch whose COPY was cut, written again
    assert "source snapshot re-opened after a transient failure" in run.stderr
    assert all("@" not in str(line) for line in retries)  # no values in the log
    assert fw.table_digest(world.staging_admin, "bulk") == prod_bulk  # none twice, none skipped
    assert {k: v for k, v in world.sql_dump().items() if k != "bulk"} == good["sql"]
    assert world.objects() == good["objects"]
    assert world.leftovers() == {"sql": [], "objects": [], "vectors": []}


def test_two_concurrent_runs_against_the_same_stores_exactly_one_proceeds(world: fw.World, good):
    resume = world.tmp / "resume-concurrent"
    first = world.start(world.config("stores", sql=False), pause_at="objects:2", resume_file=resume)
    try:
        wait_logged(first, PAUSED)  # it holds the locks of the S3 and the LanceDB staging
        second = world.run(world.config("second", sql=False))  # (test_store_locks: each lock)
        assert second.returncode == ExitCode.LOCKED, second.describe()
        assert "is being written by another run (run 20" in second.stderr  # names the holder
        assert "Traceback" not in second.stderr
        assert world.keys("snap/") == sorted(good["objects"])  # it wrote nothing
    finally:
        resume.touch()
        done = first.finish()
    assert done.returncode == 0, done.describe()
    assert world.objects() == good["objects"] and world.lance_records() == good["records"]
    assert world.leftovers() == {"sql": [], "objects": [], "vectors": []}


def world_fault(world: fw.World, fault: Fault) -> Fault:
    return world.proxy.fail(fault)


def world_clear(world: fw.World) -> None:
    world.proxy.clear()
