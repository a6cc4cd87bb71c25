"""Staging's schema is production's, object for object — or the run says which object is not.

Each test builds its own production on the real server (PostgreSQL, MariaDB), runs the real
``sanitize`` command and looks at what it said, what the receipt counts and what landed:
an object staging cannot reproduce is refused in the plan step (nothing written, also under
``--dry-run`` and ``rules check --live``) until the rule file skips it; a shadow that lacks
an object of production (one view, trigger or index dropped from it by a broken target step,
the run made in-process) fails verification before the swap, leaving staging exactly as it
was; ``sanitize verify`` fails on a staging that lacks production's tables.
"""

from __future__ import annotations

import secrets
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from helpers.snapshot_runs import PG_HOST, PG_PORT, SANITIZE, cli_env, my_url, pg_url

KEY = "schema-objects-test-key-0123456789abcdef"

PG_TABLES = """
COMMENT ON SCHEMA public IS NULL;  -- the fixture's inventory is exactly what it declares
CREATE TABLE person (id integer PRIMARY KEY, email text UNIQUE, born integer CHECK (born > 1900));
CREATE TABLE payment (id serial PRIMARY KEY, person_id integer REFERENCES person (id),
                      amount numeric(8, 2));
CREATE INDEX payment_person ON payment (person_id);
INSERT INTO person VALUES (1, 'ann@example.com', 1950), (2, 'bob@example.com', 1960);
INSERT INTO payment (person_id, amount) VALUES (1, 9.5), (2, 3.25);
"""
MY_TABLES = [
    "CREATE TABLE person (id INT PRIMARY KEY, email VARCHAR(80) UNIQUE, born INT, "
    "CONSTRAINT born_check CHECK (born > 1900))",
    "CREATE TABLE payment (id INT AUTO_INCREMENT PRIMARY KEY, person_id INT, "
    "amount DECIMAL(8,2), KEY payment_person (person_id), "
    "CONSTRAINT payment_person_fk FOREIGN KEY (person_id) REFERENCES person (id))",
    "INSERT INTO person VALUES (1, 'ann@example.com', 1950), (2, 'bob@example.com', 1960)",
    "INSERT INTO payment (person_id, amount) VALUES (1, 9.5), (2, 3.25)",
]


@dataclass
class Project:
    """A production and a staging database of one dialect, and a project folder for them."""

    dialect: str
    folder: Path
    prod: sa.Engine  # an admin engine on production (the test builds it)
    staging: sa.Engine  # an admin engine on staging (the test inspects it)
    prod_url: str
    staging_url: str

    def write(self, rules_extra: str = "") -> None:
        """sanitize.yaml and a rule file keeping every column of production."""
        (self.folder / "rules").mkdir(parents=True, exist_ok=True)
        (self.folder / "sanitize.yaml").write_text(
            f"rules: rules/\nkey: ${{SANITIZE_KEY}}\nreceipts: receipts\n"
            f'sources:\n  app: {{kind: sql, url: "{self.prod_url}"}}\n'
            f'targets:\n  app: {{kind: sql, url: "{self.staging_url}"}}\n'
        )
        lines = ["source: app", "tables:"]
        with self.prod.connect() as conn:
            inspector = sa.inspect(conn)
            for table in inspector.get_table_names():
                lines.append(f"  {table}:")
                lines += [f"    {c['name']}: keep" for c in inspector.get_columns(table)]
        (self.folder / "rules" / "app.yaml").write_text("\n".join(lines) + "\n" + rules_extra)

    def sanitize(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(SANITIZE), *args, "--config", str(self.folder / "sanitize.yaml")],
            cwd=self.folder,
            env=cli_env(KEY),
            capture_output=True,
            text=True,
            timeout=240,
        )

    def snapshot(self, *flags: str) -> subprocess.CompletedProcess[str]:
        return self.sanitize("snapshot", "--init", *flags)

    def receipts(self) -> list[Path]:
        """Oldest first, by when each was written (two runs' ids can share a second)."""
        return sorted((self.folder / "receipts").glob("*.json"), key=lambda p: p.stat().st_mtime_ns)

    def staging_tables(self) -> list[str]:
        with self.staging.connect() as conn:
            if self.dialect == "postgres":
                sql = (
                    "SELECT table_schema || '.' || table_name FROM information_schema.tables "
                    "WHERE table_schema NOT IN ('pg_catalog', 'information_schema')"
                )
            else:
                sql = (
                    "SELECT CONCAT(TABLE_SCHEMA, '.', TABLE_NAME) FROM information_schema.TABLES "
                    f"WHERE TABLE_SCHEMA LIKE '{self.staging.url.database}%%'"
                )
            return sorted(conn.exec_driver_sql(sql).scalars())

    def state(self) -> str:
        """Staging as text: every object's definition and every row (PostgreSQL: pg_dump), and
        any shadow or old copy beside it; the run history's rows are left out (each run adds
        one). Equal text means staging was left exactly as it was."""
        database = self.staging.url.database
        assert database
        if self.dialect == "postgres":
            dump = subprocess.run(
                ["pg_dump", "-h", PG_HOST, "-p", str(PG_PORT), "-U", "postgres",
                 "--exclude-table-data=sanitizer_meta.sanitizer_runs", database],
                capture_output=True, text=True, check=True, timeout=60,
            ).stdout  # fmt: skip
            # pg_dump's \restrict line carries a random key, different in every dump
            return "\n".join(line for line in dump.splitlines() if "restrict " not in line)
        parts = []
        with self.staging.connect() as conn:
            run = conn.exec_driver_sql
            pattern = database.replace("_", "\\_") + "%"
            parts += [f"database {n}" for (n,) in run("SHOW DATABASES LIKE %s", (pattern,))]
            objects = run(
                "SELECT 'TABLE', TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = %s "
                "UNION ALL SELECT 'TRIGGER', TRIGGER_NAME FROM information_schema.TRIGGERS "
                "WHERE TRIGGER_SCHEMA = %s UNION ALL SELECT ROUTINE_TYPE, ROUTINE_NAME "
                "FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = %s UNION ALL "
                "SELECT 'EVENT', EVENT_NAME FROM information_schema.EVENTS WHERE EVENT_SCHEMA = %s "
                "ORDER BY 1, 2",
                (database,) * 4,
            ).all()
            for kind, name in objects:
                parts += [str(tuple(run(f"SHOW CREATE {kind} `{name}`").one()))]
            tables = run(
                "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = %s "
                "AND TABLE_TYPE = 'BASE TABLE' AND TABLE_NAME <> 'sanitizer_runs' ORDER BY 1",
                (database,),
            ).scalars()
            for table in list(tables):
                parts += [f"{table}: {r}" for r in run(f"SELECT * FROM `{table}` ORDER BY 1")]
        return "\n".join(parts)

    def lock_is_free(self) -> bool:
        """Nobody holds the staging lock (docs/operations.md: an advisory lock / GET_LOCK)."""
        with self.staging.connect() as conn:
            if self.dialect == "postgres":
                held = conn.exec_driver_sql(
                    "SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database "
                    "WHERE l.locktype = 'advisory' AND d.datname = current_database()"
                ).scalar()
                return held == 0
            name = f"sanitizer:{self.staging.url.database}"[:64]
            return conn.exec_driver_sql("SELECT IS_FREE_LOCK(%s)", (name,)).scalar() == 1

    def history(self) -> list[tuple[str, str, str]]:
        """The run history in staging: (run id, status, error), oldest first."""
        table = "sanitizer_meta.sanitizer_runs" if self.dialect == "postgres" else "sanitizer_runs"
        with self.staging.connect() as conn:
            rows = conn.exec_driver_sql(
                f"SELECT run_id, status, COALESCE(error, '') FROM {table} "
                "ORDER BY started_at, finished_at"
            ).all()
        return [tuple(row) for row in rows]  # type: ignore[misc]


@pytest.fixture
def pg(tmp_path: Path) -> Iterator[Project]:
    names = [f"inventory_{secrets.token_hex(3)}_{side}" for side in ("prod", "staging")]
    server = sa.create_engine(pg_url("postgres", "postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        for name in names:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    engines = [sa.create_engine(pg_url("postgres", name)) for name in names]
    with engines[0].begin() as conn:
        conn.exec_driver_sql(PG_TABLES)
    try:
        yield Project("postgres", tmp_path, *engines, *(pg_url("postgres", n) for n in names))
    finally:
        for engine in engines:
            engine.dispose()
        with server.connect() as conn:
            for name in names:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        server.dispose()


@pytest.fixture
def my(tmp_path: Path) -> Iterator[Project]:
    names = [f"inventory_{secrets.token_hex(3)}_{side}" for side in ("prod", "staging")]
    server = sa.create_engine(my_url("root", "", ""), isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        for name in names:
            conn.exec_driver_sql(f"CREATE DATABASE `{name}`")
    engines = [sa.create_engine(my_url("root", "", name)) for name in names]
    with engines[0].begin() as conn:
        for statement in MY_TABLES:
            conn.exec_driver_sql(statement)
    try:
        yield Project("mysql", tmp_path, *engines, *(my_url("root", "", n) for n in names))
    finally:
        for engine in engines:
            engine.dispose()
        with server.connect() as conn:
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS `{names[0]}`")
            pattern = names[1].replace("_", "\\_") + "%"
            for (name,) in conn.exec_driver_sql("SHOW DATABASES LIKE %s", (pattern,)).all():
                conn.exec_driver_sql(f"DROP DATABASE `{name}`")
        server.dispose()


def _receipt(project: Project) -> dict:
    import json

    return json.loads(project.receipts()[-1].read_text())


# -- tables, keys, indexes, checks --------------------------------------------------------------
@pytest.mark.parametrize("name", ["pg", "my"])
def test_tables_keys_and_indexes_verify_and_are_counted(
    name: str, request: pytest.FixtureRequest
) -> None:
    project: Project = request.getfixturevalue(name)
    project.write()
    result = project.snapshot()
    assert result.returncode == 0, result.stderr
    receipt = _receipt(project)
    schema = receipt["schema"]["app"]
    assert schema["table"] == {"production": 2, "staging": 2, "skipped": 0}
    assert schema["foreign key"]["staging"] == 1
    assert all(k["production"] == k["staging"] for k in schema.values()), schema
    assert receipt["verification"]["schema_objects"]["app"]["match"] is True
    ok = project.sanitize("verify")
    assert ok.returncode == 0, ok.stderr


# -- a shadow that lacks one of production's objects: the run fails before the swap --------
# Today's shadow reproduces views, triggers and indexes, so a test cannot wait for one to be
# missing: the run is made in-process and the target step is broken on purpose — right after
# the target created production's objects in the shadow, one of them is dropped from it
# (fault injection, as in tests/run/faults). Guarantee 10's check must then stop the run.
PG_OBJECTS = [
    "CREATE VIEW adults AS SELECT id FROM person WHERE born < 2000",
    "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$",
    "CREATE TRIGGER person_touch BEFORE UPDATE ON person FOR EACH ROW EXECUTE FUNCTION touch()",
]
MY_OBJECTS = [
    "CREATE VIEW adults AS SELECT id FROM person WHERE born < 2000",
    "CREATE TRIGGER person_born BEFORE INSERT ON person FOR EACH ROW SET NEW.born = 1901",
    "CREATE INDEX person_born_year ON person (born)",
]
DROPPED = [  # fixture, what the fault drops from the shadow, how the run names it, its DDL
    ("pg", 'DROP VIEW "{shadow}".adults', "view public.adults", "CREATE VIEW public.adults "),
    (
        "pg",
        'DROP TRIGGER person_touch ON "{shadow}".person',
        "trigger person_touch on public.person",
        "CREATE TRIGGER person_touch ",
    ),
    (
        "pg",
        'DROP INDEX "{shadow}".payment_person',
        "index public.payment_person",
        "CREATE INDEX payment_person ",
    ),
    ("my", "DROP VIEW `{shadow}`.adults", "view adults", " VIEW `adults` AS "),
    (
        "my",
        "DROP TRIGGER `{shadow}`.person_born",
        "trigger person_born on person",
        " TRIGGER person_born BEFORE ",
    ),
    (
        "my",
        "DROP INDEX person_born_year ON `{shadow}`.person",
        "index person_born_year on person",
        "KEY `person_born_year` ",
    ),
]


def drop_from_the_shadow(
    monkeypatch: pytest.MonkeyPatch, project: Project, statement: str
) -> list[str]:
    """Break the target step: once the target has created production's objects in its shadow
    (``finalize``: PostgreSQL's post-data, MySQL's views and triggers), run ``statement`` there."""
    from sanitizer.load.sql.mysql import MysqlTarget
    from sanitizer.load.sql.postgres import PostgresTarget

    owner = PostgresTarget if project.dialect == "postgres" else MysqlTarget
    original = owner.finalize
    dropped: list[str] = []

    def finalize(self: Any) -> None:
        original(self)
        shadow = self.shadow_of(None) if project.dialect == "postgres" else self.shadow
        with project.staging.begin() as conn:
            conn.exec_driver_sql(statement.format(shadow=shadow))
        dropped.append(shadow)

    monkeypatch.setattr(owner, "finalize", finalize)
    return dropped


@pytest.fixture
def in_process() -> Iterator[None]:
    """The CLI's logging set up in-process goes to CliRunner's stream: put it back after."""
    import logging

    logger = logging.getLogger("sanitizer")
    saved = (logger.handlers[:], logger.level, logger.propagate)
    try:
        yield
    finally:
        logger.handlers[:], logger.level, logger.propagate = saved[0], saved[1], saved[2]


@pytest.mark.parametrize(("name", "statement", "missing", "created"), DROPPED)
def test_a_shadow_missing_an_object_fails_before_the_swap(
    name: str,
    statement: str,
    missing: str,
    created: str,
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
    in_process: None,
) -> None:
    from click.testing import CliRunner

    from sanitizer.cli import main

    project: Project = request.getfixturevalue(name)
    with project.prod.begin() as conn:
        for ddl in PG_OBJECTS if name == "pg" else MY_OBJECTS:
            conn.exec_driver_sql(ddl)
    project.write()
    first = project.snapshot()
    assert first.returncode == 0, first.stderr
    assert _receipt(project)["verification"]["schema_objects"]["app"]["match"] is True
    with project.prod.begin() as conn:  # tonight's production differs from last night's
        conn.exec_driver_sql("UPDATE person SET email = 'carl@example.com' WHERE id = 2")
    before = project.state()
    assert created in before  # last night's staging has the object

    dropped = drop_from_the_shadow(monkeypatch, project, statement)  # the shadows it broke
    monkeypatch.chdir(project.folder)
    config = str(project.folder / "sanitize.yaml")
    result = CliRunner().invoke(
        main,
        ["snapshot", "--init", "--log-format", "json", "--config", config],
        env={"SANITIZE_KEY": KEY, "SANITIZE_DEBUG": None},
    )
    monkeypatch.undo()  # the fault was for that run only

    assert dropped, "the fault never ran: the target step changed"
    assert result.exit_code == 4, result.output + result.stderr
    (error,) = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert f"lacks 1 of production's schema objects: {missing}." in error
    assert "the cause is in the tool" in error
    assert "staging was left as it was" in error
    receipt = _receipt(project)
    assert receipt["status"] == "failed"
    assert receipt["verification"]["schema_objects"]["app"] == {
        "match": False,
        "missing": [missing],
        "unexpected": [],
    }
    assert "swapped" not in receipt["verification"]
    # staging exactly as last night's run left it (the shadow is gone too)...
    assert project.state() == before
    with project.staging.connect() as conn:
        emails = conn.exec_driver_sql("SELECT email FROM person ORDER BY id").scalars().all()
    assert emails == ["ann@example.com", "bob@example.com"]
    # ...its lock released, and its history says what happened
    assert project.lock_is_free()
    # (both runs may start in the same second, which MariaDB's DATETIME cannot order)
    runs = {run_id: (status, error) for run_id, status, error in project.history()}
    assert sorted(status for status, _ in runs.values()) == ["failed", "succeeded"]
    status, error = runs[receipt["run_id"]]
    assert status == "failed" and missing in error

    again = project.snapshot()  # a run in another process takes the lock and succeeds
    assert again.returncode == 0, again.stderr
    with project.staging.connect() as conn:
        emails = conn.exec_driver_sql("SELECT email FROM person ORDER BY id").scalars().all()
    assert emails == ["ann@example.com", "carl@example.com"]
    assert created in project.state()


def test_sanitize_verify_fails_on_a_staging_without_productions_tables(pg: Project) -> None:
    pg.write()
    assert pg.snapshot().returncode == 0
    with pg.staging.begin() as conn:
        conn.exec_driver_sql("DROP TABLE payment")
    result = pg.sanitize("verify")
    assert result.returncode == 4, result.stdout + result.stderr
    assert "table public.payment" in result.stderr
    assert "ok" not in result.stdout


def test_sanitize_verify_fails_on_an_empty_staging(my: Project) -> None:
    my.write()
    result = my.sanitize("verify")
    assert result.returncode == 4, result.stdout + result.stderr
    assert "table person" in result.stderr and "table payment" in result.stderr


# -- refusal: an object staging cannot reproduce stops the run before anything is written ----
PG_FOREIGN = [
    "CREATE EXTENSION IF NOT EXISTS postgres_fdw",
    "CREATE SERVER orders_db FOREIGN DATA WRAPPER postgres_fdw "
    "OPTIONS (host '127.0.0.1', dbname 'postgres')",
    "CREATE USER MAPPING FOR postgres SERVER orders_db",
    "CREATE FOREIGN TABLE remote_orders (id integer) SERVER orders_db",
]
REFUSED = [
    "foreign table public.remote_orders",
    "foreign server orders_db",
    "user mapping postgres on server orders_db",
]


def test_unsupported_objects_are_refused_by_name_before_anything_is_written(pg: Project) -> None:
    with pg.prod.begin() as conn:
        for statement in PG_FOREIGN:
            conn.exec_driver_sql(statement)
    pg.write()
    for args in (
        ("snapshot", "--init", "--dry-run"),
        ("snapshot", "--init"),
        ("rules", "check", "--live"),
    ):
        result = pg.sanitize(*args)
        assert result.returncode == 2, (args, result.stdout, result.stderr)
        said = result.stdout + result.stderr
        for obj in REFUSED:
            assert obj in said, (args, said)
        assert "schema:" in said and "skip:" in said
    assert pg.staging_tables() == []  # no shadow, no marker, no history
    assert pg.receipts() == [] or _receipt(pg)["status"] == "failed"


def test_skipped_objects_run_and_are_counted(pg: Project) -> None:
    with pg.prod.begin() as conn:
        for statement in PG_FOREIGN:
            conn.exec_driver_sql(statement)
    # postgres_fdw is there only for the foreign server: staging leaves it out too
    skipped = [*REFUSED, "extension postgres_fdw"]
    pg.write("schema:\n  skip:\n" + "".join(f"    - {obj}\n" for obj in skipped))
    dry = pg.snapshot("--dry-run")
    assert dry.returncode == 0, dry.stderr
    result = pg.snapshot()
    assert result.returncode == 0, result.stderr
    counts = _receipt(pg)["schema"]["app"]
    assert counts["foreign table"] == {"production": 1, "staging": 0, "skipped": 1}
    assert counts["foreign server"] == {"production": 1, "staging": 0, "skipped": 1}
    assert counts["table"] == {"production": 2, "staging": 2, "skipped": 0}
    assert "public.remote_orders" not in pg.staging_tables()
    ok = pg.sanitize("verify")
    assert ok.returncode == 0, ok.stderr


def test_a_skip_entry_that_matches_nothing_is_an_error(pg: Project) -> None:
    pg.write("schema:\n  skip:\n    - foreign table public.remote_order\n")
    result = pg.snapshot("--dry-run")
    assert result.returncode == 2
    assert "rules/app.yaml" in result.stderr
    assert "'foreign table public.remote_order' matches no object" in result.stderr
