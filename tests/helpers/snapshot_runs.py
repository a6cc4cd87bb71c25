"""The integration harness: run ``sanitize snapshot`` as a subprocess and look at what landed.

:class:`World` is one dialect's prod and staging databases, with the URLs of the roles the
sanitizer uses and superuser engines the tests inspect through. Dumps are rows as the server's
own text form, so "byte-identical" means identical text, not "equal after driver decoding".
"""

from __future__ import annotations

import difflib
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from helpers import fixture_db as fx

SANITIZE = Path(sys.executable).with_name("sanitize")
PG_HOST, PG_PORT = "127.0.0.1", 5432
MY_HOST, MY_PORT = "127.0.0.1", 3306
TEXT_TYPES = {
    # PostgreSQL information_schema data_type values
    "character varying",
    "character",
    "text",
    "json",
    "jsonb",
    "ARRAY",
    "USER-DEFINED",
    # MariaDB
    "varchar",
    "char",
    "tinytext",
    "mediumtext",
    "longtext",
    "enum",
    "set",
}
SHADOW_MARK = "__sz_"
META_TABLES = ("sanitizer_marker", "sanitizer_runs")  # sanitizer's own, in staging


def cli_env(key: str, extra: dict[str, str] | None = None) -> dict[str, str]:
    """This process's environment without anything that could steer the CLI, plus ``extra``."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SANITIZE_", "SZ_IT_", "PROD_", "STAGING_"))
    }
    env.update(SANITIZE_KEY=key, PYTHONUNBUFFERED="1")
    env.update(extra or {})
    return env


def command(config: Path) -> list[str]:
    """The run, adopting the session's freshly created (empty) staging databases."""
    return [str(SANITIZE), "snapshot", "--config", str(config), "--log-format", "json", "--init"]


def run_cli(config: Path, env: dict[str, str]) -> CliResult:
    """Run ``sanitize snapshot`` to completion; the receipt is the one it wrote, if any."""
    receipts = config.parent / "receipts"
    before = set(receipts.glob("*.json")) if receipts.exists() else set()
    proc = subprocess.run(
        command(config),
        cwd=config.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    new = sorted(set(receipts.glob("*.json")) - before) if receipts.exists() else []
    text = new[-1].read_text(encoding="utf-8") if new else ""
    return CliResult(proc.returncode, proc.stdout, proc.stderr, json.loads(text or "null"), text)


@dataclass
class CliResult:
    """One ``sanitize snapshot`` process: exit code, output and the receipt it wrote."""

    returncode: int
    stdout: str
    stderr: str
    receipt: dict[str, Any] | None
    receipt_text: str = ""

    def describe(self) -> str:
        return f"exit {self.returncode}\n--- stdout\n{self.stdout}\n--- stderr\n{self.stderr}"


@dataclass
class Table:
    name: str  # rule name: schema.table outside the default schema
    qualified: str  # quoted, for SQL
    columns: list[str]
    types: dict[str, str]
    primary_key: list[str]

    @property
    def text_columns(self) -> list[str]:
        return [c for c in self.columns if self.types[c] in TEXT_TYPES]


Dump = dict[str, list[tuple[str | None, ...]]]


@dataclass
class World:
    """One dialect's prod and staging databases, and how to run the CLI against them."""

    dialect: str  # "postgres" | "mysql"
    tmp: Path
    prod_db: str
    staging_db: str
    prod_url: str  # the reader role: what sanitize.yaml uses
    staging_url: str  # the staging role
    prod_owner_url: str  # a role that *can* write prod (to prove the source session cannot)
    prod_admin: sa.Engine
    staging_admin: sa.Engine
    rules: str
    config: Path = field(init=False)

    def __post_init__(self) -> None:
        self.config = self.write_config(self.tmp / "main")

    # -- config and runs -----------------------------------------------------------------
    def write_config(
        self,
        folder: Path,
        *,
        rules: str | None = None,
        batch_size: int = 16,
        target_var: str = "SZ_IT_STAGING_URL",
    ) -> Path:
        """A sanitize.yaml (URLs and key from the environment) and its rules directory."""
        (folder / "rules").mkdir(parents=True, exist_ok=True)
        (folder / "rules" / "app.yaml").write_text(rules or self.rules, encoding="utf-8")
        config = folder / "sanitize.yaml"
        config.write_text(
            "rules: rules/\n"
            "key: ${SANITIZE_KEY}\n"
            "key_id: integration\n"
            "receipts: receipts\n"
            f"batch_size: {batch_size}\n"
            "sources:\n"
            '  app: {kind: sql, url: "${SZ_IT_PROD_URL}"}\n'
            "targets:\n"
            f'  app: {{kind: sql, url: "${{{target_var}}}"}}\n',
            encoding="utf-8",
        )
        return config

    def env(self, key: str, extra: dict[str, str] | None = None) -> dict[str, str]:
        urls = {"SZ_IT_PROD_URL": self.prod_url, "SZ_IT_STAGING_URL": self.staging_url}
        return cli_env(key, {**urls, **(extra or {})})

    def run(
        self,
        config: Path | None = None,
        key: str = fx.KEY_A,
        extra_env: dict[str, str] | None = None,
    ) -> CliResult:
        return run_cli(config or self.config, self.env(key, extra_env))

    def start(self, config: Path, key: str = fx.KEY_A) -> subprocess.Popen[bytes]:
        """Start a run in the background (for the kill test)."""
        return subprocess.Popen(
            command(config),
            cwd=config.parent,
            env=self.env(key),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )

    # -- inspection ------------------------------------------------------------------------
    def engine(self, which: str) -> sa.Engine:
        return {"prod": self.prod_admin, "staging": self.staging_admin}[which]

    def tables(self, which: str) -> dict[str, Table]:
        """Every base table of a database, with its columns, data types and primary key."""
        engine = self.engine(which)
        with engine.connect() as conn:
            if self.dialect == "postgres":
                where = (  # live schemas only: shadows are looked for by shadows()
                    "c.table_schema NOT IN ('pg_catalog', 'information_schema') "
                    f"AND position('{SHADOW_MARK}' in c.table_schema) = 0"
                )
            else:
                where = "c.table_schema = DATABASE()"
            rows = conn.exec_driver_sql(
                "SELECT c.table_schema, c.table_name, c.column_name, c.data_type "
                "FROM information_schema.columns c JOIN information_schema.tables t "
                "ON t.table_schema = c.table_schema AND t.table_name = c.table_name "
                f"WHERE t.table_type = 'BASE TABLE' AND {where} "
                "ORDER BY c.table_schema, c.table_name, c.ordinal_position"
            ).all()
            keys = conn.exec_driver_sql(
                "SELECT k.table_schema, k.table_name, k.column_name "
                "FROM information_schema.table_constraints tc "
                "JOIN information_schema.key_column_usage k "
                "ON k.constraint_name = tc.constraint_name AND k.table_schema = tc.table_schema "
                "AND k.table_name = tc.table_name "
                "WHERE tc.constraint_type = 'PRIMARY KEY' ORDER BY k.ordinal_position"
            ).all()
        quote = engine.dialect.identifier_preparer.quote
        tables: dict[str, Table] = {}
        for schema, table, column, data_type in rows:
            if table in META_TABLES:
                continue  # sanitizer's own marker and run history, not a copy of production
            name = self.rule_name(schema, table)
            entry = tables.setdefault(
                name, Table(name, f"{quote(schema)}.{quote(table)}", [], {}, [])
            )
            entry.columns.append(column)
            entry.types[column] = data_type
        for schema, table, column in keys:
            name = self.rule_name(schema, table)
            if name in tables:
                tables[name].primary_key.append(column)
        return tables

    def rule_name(self, schema: str, table: str) -> str:
        """How rules and receipts name a table: schema-qualified outside the default one."""
        if self.dialect == "mysql" or schema == "public":
            return table
        return f"{schema}.{table}"

    def as_text(self, column: str) -> str:
        quoted = self.engine("prod").dialect.identifier_preparer.quote(column)
        return f"{quoted}::text" if self.dialect == "postgres" else f"CAST({quoted} AS CHAR)"

    def dump(self, which: str) -> Dump:
        """Every table's rows as text tuples (column order), ordered by primary key.

        Tables without a primary key come back sorted, so they compare as multisets.
        """
        out: Dump = {}
        engine = self.engine(which)
        quote = engine.dialect.identifier_preparer.quote
        with engine.connect() as conn:
            for name, table in sorted(self.tables(which).items()):
                select = ", ".join(self.as_text(c) for c in table.columns)
                sql = f"SELECT {select} FROM {table.qualified}"
                if table.primary_key:
                    sql += " ORDER BY " + ", ".join(quote(c) for c in table.primary_key)
                rows = [tuple(r) for r in conn.exec_driver_sql(sql).all()]
                if not table.primary_key:
                    rows.sort(key=lambda r: tuple((v is None, v or "") for v in r))
                out[name] = rows
        return out

    def columns(self, which: str) -> dict[str, list[str]]:
        return {name: t.columns for name, t in self.tables(which).items()}

    def schema(self, which: str) -> str:
        """The database's schema as comparable text (names of databases and roles removed)."""
        if self.dialect == "postgres":
            return pg_schema(self.prod_db if which == "prod" else self.staging_db)
        engine = self.engine(which)
        parts = []
        with engine.connect() as conn:
            names = conn.exec_driver_sql(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE' ORDER BY 1"
            ).scalars()
            for name in [n for n in names if n not in META_TABLES]:
                create = conn.exec_driver_sql(f"SHOW CREATE TABLE `{name}`").one()[1]
                parts.append(mysql_create(create))
        return "\n\n".join(parts)

    def shadows(self) -> list[str]:
        """Leftover shadow or old-copy schemas/databases, anywhere this world can see."""
        found = []
        if self.dialect == "postgres":
            for engine in (self.prod_admin, self.staging_admin):
                with engine.connect() as conn:
                    found += conn.exec_driver_sql(
                        "SELECT nspname FROM pg_namespace WHERE position(%(m)s in nspname) > 0",
                        {"m": SHADOW_MARK},
                    ).scalars()
        else:
            with self.staging_admin.connect() as conn:
                found += conn.exec_driver_sql(
                    "SELECT schema_name FROM information_schema.schemata "
                    "WHERE schema_name LIKE %s OR schema_name LIKE %s",
                    (like_prefix(self.staging_db), like_prefix(self.prod_db)),
                ).scalars()
        return found

    def execute(self, which: str, *statements: str) -> None:
        with self.engine(which).begin() as conn:
            for statement in statements:
                conn.exec_driver_sql(statement)


INDEX_LINE = re.compile(r"\s+(UNIQUE |FULLTEXT |SPATIAL )?KEY ")


def mysql_create(create: str) -> str:
    """SHOW CREATE TABLE, comparable: no AUTO_INCREMENT counter, secondary indexes sorted.

    The counter is checked on its own (see test_sequences); the order indexes are listed in
    follows creation order, which has no meaning.
    """
    lines = [line.rstrip(",") for line in re.sub(r" AUTO_INCREMENT=\d+", "", create).splitlines()]
    indexes = sorted(line for line in lines if INDEX_LINE.match(line))
    out, placed = [], False
    for line in lines:
        if not INDEX_LINE.match(line):
            out.append(line)
        elif not placed:
            out += indexes
            placed = True
    return "\n".join(out)


def like_prefix(database: str) -> str:
    return (database + SHADOW_MARK).replace("_", "\\_") + "%"


def pg_schema(database: str) -> str:
    """``pg_dump --schema-only``, minus the lines that name the dump, its session or roles."""
    out = subprocess.run(
        [
            "pg_dump",
            "--schema-only",
            "--no-owner",
            "--no-privileges",
            f"--exclude-schema=*{SHADOW_MARK}*",  # live schemas only, as in World.tables
            "--exclude-schema=sanitizer_meta",  # sanitizer's marker and run history
            "-h",
            PG_HOST,
            "-p",
            str(PG_PORT),
            "-U",
            "postgres",
            database,
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    lines = []
    for line in out.splitlines():
        if not line.strip() or line.startswith(("--", "\\restrict", "\\unrestrict", "SET ")):
            continue
        if line.startswith("SELECT pg_catalog.set_config"):
            continue
        # The public schema itself belongs to the database, not to the data: staging's is the
        # renamed shadow, so pg_dump spells out its (empty) comment. Its tables still compare.
        if line.startswith(("CREATE SCHEMA public;", "COMMENT ON SCHEMA public ")):
            continue
        lines.append(line)
    return "\n".join(lines)


@dataclass
class Runs:
    """The session's three successful runs (key A, key B, key A again) and what they left."""

    prod: Dump
    columns: dict[str, list[str]]  # prod's, per table; staging's are checked to be the same
    first: CliResult
    staging_a: Dump
    staging_b: Dump
    staging_a_again: Dump
    prod_schema: str
    staging_schema: str  # after the first run (into an empty staging database)
    staging_schema_last: str  # after the third, which replaced a previous snapshot
    results: list[CliResult]


def run_three(world: World) -> Runs:
    """Run A, B, A; staging is left holding run A's data."""
    prod = world.dump("prod")
    columns = world.columns("prod")
    first = world.run(key=fx.KEY_A)
    assert first.returncode == 0, first.describe()
    staging_a = world.dump("staging")
    prod_schema, staging_schema = world.schema("prod"), world.schema("staging")
    second = world.run(key=fx.KEY_B)
    assert second.returncode == 0, second.describe()
    staging_b = world.dump("staging")
    third = world.run(key=fx.KEY_A)
    assert third.returncode == 0, third.describe()
    staging_a_again = world.dump("staging")
    staging_schema_last = world.schema("staging")
    return Runs(
        prod,
        columns,
        first,
        staging_a,
        staging_b,
        staging_a_again,
        prod_schema,
        staging_schema,
        staging_schema_last,
        [first, second, third],
    )


def kill_group(proc: subprocess.Popen[bytes]) -> None:
    """SIGKILL a background run started by :meth:`World.start` (its own process group)."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)


def wait_for(predicate: Any, timeout: float, interval: float = 0.01) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False


def pg_url(user: str, database: str, driver: str = "postgresql+psycopg") -> str:
    return f"{driver}://{user}@{PG_HOST}:{PG_PORT}/{database}"


def my_url(user: str, password: str, database: str) -> str:
    auth = f"{user}:{password}" if password else user
    return f"mysql+pymysql://{auth}@{MY_HOST}:{MY_PORT}/{database}?charset=utf8mb4"


def grant_pattern(database: str) -> str:
    """A database name as a GRANT pattern that matches only itself (``_`` is a wildcard)."""
    return database.replace("_", "\\_")


def column(runs: Runs, dump: Dump, table: str, name: str) -> list[str | None]:
    """One column of a dumped table, in primary-key order."""
    index = runs.columns[table].index(name)
    return [row[index] for row in dump[table]]


def pairs(runs: Runs, table: str, name: str, dump: Dump | None = None) -> list[tuple[Any, Any]]:
    """(prod, staging) values of one column, row by row (tables with a primary key)."""
    staging = runs.staging_a if dump is None else dump
    prod_values = column(runs, runs.prod, table, name)
    staging_values = column(runs, staging, table, name)
    assert len(prod_values) == len(staging_values), f"{table}: row counts differ"
    return list(zip(prod_values, staging_values, strict=True))


def is_blank(value: str | None) -> bool:
    return value is not None and not value.strip()


def text_diff(expected: str, actual: str) -> str:
    """A unified diff for assertion messages."""
    lines = difflib.unified_diff(
        expected.splitlines(), actual.splitlines(), "prod", "staging", lineterm="", n=2
    )
    return "\n".join(lines)


def json_path(text: str | None, *path: str) -> Any:
    if text is None:
        return None
    node: Any = json.loads(text)
    for key in path:
        if not isinstance(node, dict) or key not in node:
            return None
        node = node[key]
    return node


def rows_being_loaded(world: World, table: str) -> int:
    """Rows of ``table`` a run is loading into a staging shadow right now (0 if none yet).

    Counts both rows already committed into a shadow copy and rows inside an open load
    (a COPY in progress, an InnoDB transaction), whichever the adapter happens to use.
    """
    with world.staging_admin.connect() as conn:
        if world.dialect == "postgres":
            copying = conn.exec_driver_sql(
                "SELECT coalesce(sum(p.tuples_processed), 0) FROM pg_stat_progress_copy p "
                "JOIN pg_class c ON c.oid = p.relid "
                "WHERE p.datname = current_database() AND c.relname = %(t)s",
                {"t": table},
            ).scalar_one()
            shadows = conn.exec_driver_sql(
                "SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE c.relname = %(t)s AND position(%(m)s in n.nspname) > 0",
                {"t": table, "m": SHADOW_MARK},
            ).scalars()
            quote = conn.dialect.identifier_preparer.quote
            committed = sum(
                conn.exec_driver_sql(f"SELECT count(*) FROM {quote(s)}.{quote(table)}").scalar_one()
                for s in list(shadows)
            )
            return int(copying) + int(committed)
        open_rows = conn.exec_driver_sql(
            "SELECT coalesce(max(t.trx_rows_modified), 0) FROM information_schema.INNODB_TRX t "
            "JOIN information_schema.PROCESSLIST p ON p.ID = t.trx_mysql_thread_id "
            "WHERE p.USER = %s",
            (sa.make_url(world.staging_url).username,),
        ).scalar_one()
        shadows = conn.exec_driver_sql(
            "SELECT table_schema FROM information_schema.tables "
            "WHERE table_name = %s AND table_schema LIKE %s",
            (table, like_prefix(world.staging_db)),
        ).scalars()
        committed = sum(
            conn.exec_driver_sql(f"SELECT count(*) FROM `{s}`.`{table}`").scalar_one()
            for s in list(shadows)
        )
        return int(open_rows) + int(committed)


# The demo production cut to a tenth of its tickets and what hangs off them (every table,
# rule and kind of mess is still there; the Presidio-heavy free text stays quick)
DEMO_TENTH = """
DELETE FROM tickets WHERE id % 10 != 0;
DELETE FROM messages WHERE ticket_id NOT IN (SELECT id FROM tickets);
DELETE FROM agent_runs WHERE ticket_id NOT IN (SELECT id FROM tickets)
    OR (ticket_id IS NULL AND id % 10 != 0);
DELETE FROM retry_queue WHERE run_id NOT IN (SELECT id FROM agent_runs);
DELETE FROM audit_log WHERE rowid % 10 != 0;
DELETE FROM dead_letters WHERE id % 5 != 0;
"""


def trimmed_demo_production(folder: Path, trim: str) -> Path:
    """The demo's production database generated in ``folder/prod``, cut down by the SQL
    ``trim`` (which must leave every foreign key resolving)."""
    prod = folder / "prod" / "app.db"
    subprocess.run(
        [sys.executable, "-m", "sanitizer.demo.generate", str(prod)],
        cwd=folder,
        check=True,
        capture_output=True,
        timeout=120,
    )
    with sqlite3.connect(prod) as conn:
        conn.executescript(trim)
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    conn.close()
    return prod


def write_demo_config(folder: Path, settings: str = "") -> Path:
    """``folder/sanitize.yaml``: the repository's rules for the demo's three stores (SQLite,
    a folder bucket, LanceDB memories) from ``folder/prod`` into ``folder/staging``, with
    ``settings`` (YAML lines) added."""
    root = Path(__file__).resolve().parents[2]
    rules = folder / "rules"
    rules.mkdir(exist_ok=True)
    for name in ("app.yaml", "files.yaml", "memory.yaml"):
        (rules / name).symlink_to(root / "rules" / name)
    config = folder / "sanitize.yaml"
    config.write_text(
        f"rules: {rules}\n"
        "key: ${SANITIZE_KEY}\n"
        "receipts: receipts\n"
        "objects: {on_malformed: quarantine}\n"
        f"{settings}"
        "sources:\n"
        '  app: {kind: sql, url: "sqlite:///prod/app.db"}\n'
        "  files: {kind: objects, url: prod/files}\n"
        "  memory: {kind: lancedb, url: prod/memory}\n"
        "targets:\n"
        '  app: {kind: sql, url: "sqlite:///staging/app.db"}\n'
        "  files: {kind: objects, url: staging/files}\n"
        "  memory: {kind: lancedb, url: staging/memory}\n",
        encoding="utf-8",
    )
    return config
