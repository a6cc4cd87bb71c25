"""Guarantee 6, atomic: a failed or killed run leaves the previous staging snapshot intact.

Each test starts from the good snapshot the session's runs left, breaks a run, checks staging
is byte-identical (data and schema) and then runs normally again, which must succeed and leave
no shadow behind. Production is put back as it was in ``finally`` blocks.
"""

from __future__ import annotations

import sqlalchemy as sa
from helpers.snapshot_runs import (
    CliResult,
    Runs,
    World,
    kill_group,
    rows_being_loaded,
    text_diff,
    wait_for,
)
from test_leaks import finder, leaks_in_output, originals

from sanitizer.errors import ExitCode

BULK_ROWS = 60_000


def assert_staging_is(world: World, data: dict, schema: str) -> None:
    assert world.dump("staging") == data
    now = world.schema("staging")
    assert now == schema, text_diff(schema, now)


def assert_recovers(world: World, runs: Runs) -> CliResult:
    """The next normal run succeeds, cleans up every shadow and (same key) changes nothing."""
    result = world.run()
    assert result.returncode == 0, result.describe()
    assert world.shadows() == []
    assert world.dump("staging") == runs.staging_a
    return result


def test_a_run_failing_mid_load_leaves_staging_untouched(world: World, runs: Runs) -> None:
    data, schema = world.dump("staging"), world.schema("staging")
    assert data == runs.staging_a  # the good snapshot is in place
    # order_lines has CHECK (qty > 0): this rule makes the database reject its rows, after
    # the tables it depends on were already written to the shadow.
    assert world.rules.count("    qty: keep\n") == 1
    rules = world.rules.replace("    qty: keep\n", "    qty: {constant: 0}\n")
    result = world.run(world.write_config(world.tmp / "violates", rules=rules))

    assert result.returncode == ExitCode.TARGET, result.describe()
    assert "order_lines" in result.stderr
    assert result.receipt["status"] == "failed"
    loaded = {name: t["rows_in"] for name, t in result.receipt["tables"].items()}
    assert loaded.get("app.customers") == len(runs.prod["customers"]), loaded
    assert_staging_is(world, data, schema)
    assert world.shadows() == []  # the failed run discarded its shadow itself
    assert leaks_in_output(finder(originals(world, runs)), result) == []
    assert_recovers(world, runs)


def create_bulk_table(world: World, rows: int = BULK_ROWS) -> None:
    reader = sa.make_url(world.prod_url).username
    if world.dialect == "postgres":
        world.execute(
            "prod",
            "CREATE TABLE bulk_notes (id integer PRIMARY KEY, email varchar(254) NOT NULL, "
            "body text)",
            "INSERT INTO bulk_notes SELECT g, 'user' || g || '@bulk.example-corp.com', "
            f"repeat('x', 200) FROM generate_series(1, {rows}) g",
            f'GRANT SELECT ON bulk_notes TO "{reader}"',
        )
    else:
        world.execute(
            "prod",
            "CREATE TABLE bulk_notes (id int PRIMARY KEY, email varchar(254) NOT NULL, "
            "body text) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci",
            "INSERT INTO bulk_notes SELECT seq, CONCAT('user', seq, '@bulk.example-corp.com'), "
            f"REPEAT('x', 200) FROM seq_1_to_{rows}",
        )


def test_a_run_killed_mid_load_leaves_staging_untouched(world: World, runs: Runs) -> None:
    data, schema = world.dump("staging"), world.schema("staging")
    assert data == runs.staging_a
    rules = world.rules + "  bulk_notes:\n    id: keep\n    email: {fake: email}\n    body: keep\n"
    config = world.write_config(world.tmp / "killed", rules=rules, batch_size=500)
    create_bulk_table(world)
    try:
        proc = world.start(config)
        try:
            seen: list[int] = []

            def loading() -> bool:
                try:
                    seen.append(rows_being_loaded(world, "bulk_notes"))
                except sa.exc.DBAPIError:  # a shadow vanished between two queries
                    return False
                return seen[-1] > 0

            caught = wait_for(loading, timeout=120)
            alive = proc.poll() is None
        finally:
            kill_group(proc)
        assert caught and alive, "the run finished before it could be killed mid-load"
        assert 0 < seen[-1] < BULK_ROWS, seen[-1]  # partway through the big table
        assert proc.returncode == -9
        assert_staging_is(world, data, schema)
        assert world.shadows() != []  # killed: it could not clean up; the next run must
    finally:
        world.execute("prod", "DROP TABLE bulk_notes")
    assert_recovers(world, runs)


def same_database_urls(world: World) -> dict[str, str]:
    """The source's database, spelled as written and spelled differently."""
    source = sa.make_url(world.prod_url)
    staging_role = sa.make_url(world.staging_url)
    other_spelling = sa.URL.create(  # URL.set() cannot unset a port
        source.drivername,
        username=staging_role.username,
        password=staging_role.password,
        host="localhost",
        port=None,
        database=source.database,
        query=source.query,
    )
    assert other_spelling.port is None and source.port is not None
    return {
        "identical": world.prod_url,
        "localhost, default port, other role": other_spelling.render_as_string(hide_password=False),
    }


def test_a_target_that_is_the_source_is_refused(world: World, runs: Runs) -> None:
    before = world.dump("prod")
    prod_schema = world.schema("prod")
    for label, url in same_database_urls(world).items():
        config = world.write_config(world.tmp / "same", target_var="SZ_IT_TARGET_URL")
        result = world.run(config, extra_env={"SZ_IT_TARGET_URL": url})
        assert result.returncode == ExitCode.CONFIG, (label, result.describe())
        assert "same database as its source" in result.stderr, label
        assert world.shadows() == [], label
        assert world.dump("prod") == before, label
        assert world.schema("prod") == prod_schema, label
    assert world.dump("staging") == runs.staging_a
