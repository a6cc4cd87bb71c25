"""PostgreSQL staging: one shadow schema per source schema, swapped in by renaming.

Tables are bulk-loaded with ``COPY … FROM STDIN``, one transaction per batch (retried whole
on a transient failure). The swap renames each live schema aside and each shadow schema into
its place inside one transaction — PostgreSQL's DDL is transactional, so readers see
yesterday's schema or today's, never a mix — then drops the old ones.

The shadow is production's own DDL (``pg_dump``'s pre-data before the data, post-data after
it; see sanitizer/extract/ddl/postgres.py and docs/stores.md): every schema-qualified name is
pointed at the shadow, extensions move into the shadow with the schema that holds them,
sequences continue at production's position, materialized views are refreshed from the
masked rows and trigger-maintained tsvectors are derived from them again.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator
from contextlib import contextmanager

import polars as pl
import sqlalchemy as sa

from sanitizer.errors import TargetError
from sanitizer.extract.ddl.postgres import Entry, PgSchema, quote, rewrite
from sanitizer.extract.sql import SourceTable
from sanitizer.load.sql.base import SqlTarget, rows, stored_columns
from sanitizer.load.target import SHADOW_MARK

SYSTEM_SCHEMAS = ("information_schema", "pg_catalog", "pg_toast")
# pg_dump's own session settings: names are schema-qualified, function bodies checked when run
DUMP_SESSION = (
    "SELECT pg_catalog.set_config('search_path', '', true)",
    "SET LOCAL check_function_bodies = false",
    "SET LOCAL xmloption = content",
    "SET LOCAL client_min_messages = warning",
    "SET LOCAL row_security = off",
    "SET LOCAL standard_conforming_strings = on",
)
SKIPPED = ("SCHEMA", "EXTENSION")  # the target makes its own shadow schemas and extensions
DERIVE_TRIGGER = "sanitizer_derive_{}"  # a tsvector derived from the masked rows as they load
log = logging.getLogger(__name__)


class PostgresTarget(SqlTarget):
    meta_schema = "sanitizer_meta"  # outside the swapped schemas, so the history stays put

    def __init__(self, name: str, url: sa.URL) -> None:
        super().__init__(name, url)
        self.shadows: dict[str, str] = {}  # production's schema → its shadow
        self.default_schema = "public"
        self.dump: PgSchema | None = None  # production's DDL (prepare)
        self.moved: set[str] = set()  # extensions moved from live staging into the shadow

    # -- ownership and the lock ------------------------------------------------------------
    def foreign_tables(self) -> list[str]:
        with self.errors("reading the target"), self.live_engine.connect() as conn:
            inspector = sa.inspect(conn)
            schemas = [
                s
                for s in inspector.get_schema_names()
                if s not in SYSTEM_SCHEMAS
                and not s.startswith("pg_")
                and s != self.meta_schema
                and SHADOW_MARK not in s
            ]
            return sorted(f"{s}.{t}" for s in schemas for t in inspector.get_table_names(s))

    @contextmanager
    def lock(self, run_id: str = "", ttl: int = 0) -> Iterator[None]:
        """A session-level advisory lock on its own connection: released by the server when
        the process dies, so a killed run never leaves a stale lock."""
        digest = hashlib.blake2b(f"sanitizer:{self.url.database}".encode(), digest_size=8).digest()
        key = int.from_bytes(digest, "big", signed=True)
        with self.errors("taking the staging lock"):
            conn = self.live_engine.connect()
        try:
            with self.errors("taking the staging lock"):
                got = conn.exec_driver_sql("SELECT pg_try_advisory_lock(%s)", (key,)).scalar()
                conn.commit()
            if not got:
                raise self.locked()
            yield
        finally:
            conn.close()  # ends the session, which releases the lock

    # -- shadow ----------------------------------------------------------------------------
    def prepare(self, run_id: str, source_tables: list[SourceTable], schema: PgSchema) -> None:
        """pg_dump's pre-data in the shadow (extensions first); the tables to load are the
        reflected ones, pointed at the shadow (nothing is created from reflection)."""
        self.run_id, self.dump = run_id, schema
        with self.errors("reading the target"):
            self._name_shadows(run_id, source_tables, schema)
        with self.errors("preparing the shadow copy"):
            self.create_shadow()
            with self.engine.begin() as conn:
                self._extensions(conn, schema)
        self._replay([e for e in schema.pre if e.kind not in SKIPPED])
        with self.errors("preparing the shadow copy"), self.engine.begin() as conn:
            for i, (table, call) in enumerate(schema.tsvector_triggers()):
                conn.exec_driver_sql(
                    f"CREATE TRIGGER {DERIVE_TRIGGER.format(i)} BEFORE INSERT ON "
                    f"{self._names(table)} FOR EACH ROW EXECUTE FUNCTION pg_catalog.{call}"
                )
        self.address(source_tables)

    def check_schema(self, run_id: str, source_tables: list[SourceTable], schema: PgSchema) -> None:
        """``--dry-run``: production's DDL applied to the target in a transaction that is
        rolled back, so DDL the tool cannot reproduce fails the dry run, not the real one."""
        with self.errors("checking production's schema on the target"):
            self._name_shadows(run_id, source_tables, schema)
            with self.engine.connect() as conn:
                conn.begin()
                try:
                    for shadow in self.shadows.values():
                        conn.exec_driver_sql(f"CREATE SCHEMA {self._q(shadow)}")
                    self._extensions(conn, schema)
                    self._run_entries(conn, [e for e in schema.pre if e.kind not in SKIPPED])
                    self._run_entries(conn, schema.post)
                    self._run_entries(conn, schema.grants)  # schema.grants: keep
                finally:
                    conn.rollback()

    def _name_shadows(
        self, run_id: str, source_tables: list[SourceTable], schema: PgSchema
    ) -> None:
        """A shadow for every schema production's users made (and each loaded table's)."""
        with self.engine.connect() as conn:
            self.default_schema = sa.inspect(conn).default_schema_name or "public"
        names = {st.table.schema or self.default_schema for st in source_tables}
        names |= set(schema.schemas)
        self.shadows = {s: f"{s}{SHADOW_MARK}{run_id}"[:63] for s in sorted(names)}

    def shadow_of(self, schema: str | None) -> str:
        return self.shadows[schema or self.default_schema]

    def shadow_names(self) -> dict[str, str]:
        return {shadow: schema or self.default_schema for schema, shadow in self.shadows.items()}

    def _names(self, sql: str) -> str:
        """Production's DDL with each user schema's name replaced by its shadow's."""
        return rewrite(sql, self.shadows)

    def _replay(self, entries: list[Entry]) -> None:
        """Entries run in dump order in one transaction, as pg_dump's session would run them.

        A failure names the object: production accepted this DDL, so the cause is in
        sanitizer's copy of it, not in the data or the rules.
        """
        with self.errors("preparing the shadow copy"), self.engine.begin() as conn:
            self._run_entries(conn, entries)

    def _run_entries(self, conn: sa.Connection, entries: list[Entry]) -> None:
        for setting in DUMP_SESSION:
            conn.exec_driver_sql(setting)
        cursor = conn.connection.dbapi_connection.cursor()
        for entry in entries:
            try:
                cursor.execute(self._names(entry.sql))
            except Exception as exc:  # the driver's error: named, without the SQL text
                raise self._replay_error(entry, exc) from None

    def _replay_error(self, entry: Entry, exc: Exception) -> TargetError:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:300]
        return TargetError(
            f"target {self.name!r} ({self.describe()}): recreating production's "
            f"{entry.describe()} in the shadow failed: {first}. The cause is in sanitizer's "
            "copy of production's schema, not in the data or the rules.",
            hint="report this message; the previous staging data is intact and nothing of "
            "this run was made live.",
        )

    def _extensions(self, conn: sa.Connection, dump: PgSchema) -> None:
        """Each extension production's schemas hold is made (or moved) into the shadow of its
        schema, so the shadow's DDL finds it and the swap takes it along (docs/stores.md)."""
        here = {
            name: (schema, bool(relocatable))
            for name, schema, relocatable in conn.exec_driver_sql(
                "SELECT e.extname, n.nspname, e.extrelocatable FROM pg_catalog.pg_extension e "
                "JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace"
            )
        }
        for extension in dump.extensions:
            shadow = self.shadows[extension.schema]
            where, relocatable = here.get(extension.name, (None, extension.relocatable))
            if where == shadow:
                continue
            if not relocatable:
                raise TargetError(
                    f"target {self.name!r} ({self.describe()}): production's extension "
                    f"{extension.name!r} lives in schema {extension.schema!r} and cannot be "
                    "moved between schemas (it is not relocatable), so it cannot follow the "
                    "schema through the swap. The cause is a limit of sanitizer, not the data.",
                    hint="install the extension in a schema of its own in production (one "
                    "the rules do not cover), or skip it in the rule file's schema.skip.",
                )
            if where is None:
                conn.exec_driver_sql(
                    f"CREATE EXTENSION IF NOT EXISTS {quote(extension.name)} "
                    f"WITH SCHEMA {quote(shadow)} CASCADE"
                )
            else:
                self._move_extension(conn, extension.name, extension.schema, shadow)

    def _move_extension(self, conn: sa.Connection, name: str, schema: str, shadow: str) -> None:
        """Staging's copy of the extension goes into the shadow, so it survives the swap.

        PostgreSQL lets only the owner of the extension's objects move it: a trusted
        extension installed by a non-superuser has a superuser's objects (docs/stores.md).
        """
        try:
            with conn.begin_nested():
                conn.exec_driver_sql(f"ALTER EXTENSION {quote(name)} SET SCHEMA {quote(shadow)}")
            self.moved.add(name)
        except sa.exc.ProgrammingError as exc:
            if "must be owner" not in str(exc.orig):
                raise
            raise TargetError(
                f"target {self.name!r} ({self.describe()}): production's extension {name!r} "
                f"lives in schema {schema!r}, so staging's copy of it must move into the new "
                f"copy of {schema!r} at each run, and the staging role may not move it: its "
                "objects belong to the superuser that installed it. Nothing was made live.",
                hint="run staging as a role that owns the extension's objects (e.g. a "
                "superuser of the staging server), or install the extension in a schema of its "
                "own in production.",
            ) from None

    def _rescue_extensions(
        self, conn: sa.Connection, schemas: list[str], only: set[str] | None = None
    ) -> None:
        """Extensions in a shadow about to be dropped go back to its live schema first: live
        staging's columns may use their types, and a cascading drop would take them along.
        ``only``: the ones this run moved (one it created goes with its shadow)."""
        existing = set(conn.exec_driver_sql("SELECT nspname FROM pg_namespace").scalars())
        found = conn.exec_driver_sql(
            "SELECT e.extname, n.nspname FROM pg_catalog.pg_extension e "
            "JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace "
            "WHERE n.nspname = ANY(%(s)s)",
            {"s": schemas},
        ).all()
        for name, schema in found:
            if only is not None and name not in only:
                continue
            live = schema.split(SHADOW_MARK)[0]
            if f"{SHADOW_MARK}old_" not in schema and live in existing:
                conn.exec_driver_sql(f"ALTER EXTENSION {quote(name)} SET SCHEMA {quote(live)}")

    def finalize(self) -> None:
        """pg_dump's post-data after the data; then sequences at production's position and
        populated materialized views refreshed from the masked rows."""
        dump = self.dump
        assert dump is not None, "prepare comes first"
        with self.errors("creating indexes and constraints"), self.engine.begin() as conn:
            for i, (table, _call) in enumerate(dump.tsvector_triggers()):
                conn.exec_driver_sql(
                    f"DROP TRIGGER {DERIVE_TRIGGER.format(i)} ON {self._names(table)}"
                )
        self._replay(dump.post)
        with self.errors("setting sequences and refreshing views"), self.engine.begin() as conn:
            for setting in DUMP_SESSION:
                conn.exec_driver_sql(setting)
            self._sequence_positions(conn, dump)
            for entry in dump.pre:
                populated = (entry.schema, entry.name) in dump.populated
                if entry.kind == "MATERIALIZED VIEW" and populated:
                    shadow = self.shadow_of(entry.schema)
                    conn.exec_driver_sql(
                        f"REFRESH MATERIALIZED VIEW {quote(shadow)}.{quote(entry.name)}"
                    )
        self._replay(dump.grants)  # owners and grants last (schema.grants: keep)

    def _sequence_positions(self, conn: sa.Connection, dump: PgSchema) -> None:
        """Each sequence continues where production's does; one the source role may not read
        continues past the largest value of the column that owns it."""
        for (schema, name), position in dump.sequences.items():
            sequence = f"{quote(self.shadow_of(schema))}.{quote(name)}"
            if position is not None:
                conn.exec_driver_sql(
                    "SELECT pg_catalog.setval(%(s)s::regclass, %(v)s, %(c)s)",
                    {"s": sequence, "v": position[0], "c": position[1]},
                )
                continue
            owner = conn.exec_driver_sql(
                "SELECT n.nspname, c.relname, a.attname FROM pg_catalog.pg_depend d "
                "JOIN pg_catalog.pg_class c ON c.oid = d.refobjid "
                "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                "JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid "
                "AND a.attnum = d.refobjsubid "
                "WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = %(s)s::regclass "
                "AND d.refclassid = 'pg_catalog.pg_class'::regclass AND d.deptype IN ('a', 'i')",
                {"s": sequence},
            ).first()
            log.warning(
                "sequence position not readable by the source role; continuing past the max",
                extra={"sequence": f"{schema}.{name}"},
            )
            if owner is not None:
                table, column = f"{quote(owner[0])}.{quote(owner[1])}", quote(owner[2])
                conn.exec_driver_sql(
                    f"SELECT pg_catalog.setval(%(s)s::regclass, coalesce(max({column}), 1), "
                    f"max({column}) IS NOT NULL) FROM {table}",
                    {"s": sequence},
                )

    def create_shadow(self) -> None:
        with self.engine.begin() as conn:
            self._drop_leftovers(conn)
            for shadow in self.shadows.values():
                conn.exec_driver_sql(f"CREATE SCHEMA {self._q(shadow)}")

    def _drop_leftovers(self, conn: sa.Connection) -> None:
        """Shadow and old schemas of runs that were killed before they could clean up."""
        names = (
            conn.exec_driver_sql(
                "SELECT nspname FROM pg_namespace WHERE nspname LIKE %(pattern)s",
                {"pattern": f"%{SHADOW_MARK}%"},
            )
            .scalars()
            .all()
        )
        self._rescue_extensions(conn, list(names))
        for name in names:
            conn.exec_driver_sql(f"DROP SCHEMA {self._q(name)} CASCADE")

    def copy_table(self, table: sa.Table, metadata: sa.MetaData) -> sa.Table:
        return table.to_metadata(metadata, schema=self.shadow_of(table.schema))

    def insert_batch(self, table: sa.Table, batch: pl.DataFrame) -> None:
        """One ``COPY`` per batch in its own transaction, so a batch whose connection dropped
        is rolled back whole and retried (see :meth:`SqlTarget.bulk_insert`)."""
        columns = stored_columns(table)
        if len(columns) < len(table.columns):
            batch = batch.select(columns)
        names = ", ".join(self._q(c) for c in columns)
        target = f"{self._q(table.schema)}.{self._q(table.name)}"
        with self.engine.begin() as conn:
            # Only the swap's commit must be durable; a crash before it discards the shadow.
            conn.exec_driver_sql("SET LOCAL synchronous_commit TO off")
            raw = conn.connection.dbapi_connection
            with raw.cursor() as cursor, cursor.copy(f"COPY {target} ({names}) FROM STDIN") as cp:
                if self.copy_text:  # the batch already is COPY text: send it as it is
                    text = batch.write_csv(
                        include_header=False, separator="\t", quote_style="never"
                    )
                    cp.write(text.encode())
                else:
                    for row in rows(batch):
                        cp.write_row(row)

    def count(self, rule_name: str) -> int:
        """Rows of a shadow table; a plain table is counted ``ONLY``: an inheritance parent's
        children are tables of their own (a partitioned table counts its partitions)."""
        table = self.tables[rule_name]
        name = f"{self._q(table.schema)}.{self._q(table.name)}"
        with self.errors(f"counting {rule_name}"), self.engine.connect() as conn:
            kind = conn.exec_driver_sql(
                "SELECT relkind FROM pg_catalog.pg_class WHERE oid = %(t)s::regclass", {"t": name}
            ).scalar_one()
            only = "ONLY " if kind == "r" else ""
            return int(conn.exec_driver_sql(f"SELECT count(*) FROM {only}{name}").scalar_one())

    # -- swap ------------------------------------------------------------------------------
    def swap(self) -> None:
        old = {}
        with self.errors("swapping the shadow in"), self.engine.begin() as conn:
            existing = set(conn.exec_driver_sql("SELECT nspname FROM pg_namespace").scalars())
            for schema, shadow in self.shadows.items():
                live = schema or self.default_schema
                if live in existing:
                    old[live] = f"{live}{SHADOW_MARK}old_{self.run_id}"[:63]
                    conn.exec_driver_sql(
                        f"ALTER SCHEMA {self._q(live)} RENAME TO {self._q(old[live])}"
                    )
                conn.exec_driver_sql(f"ALTER SCHEMA {self._q(shadow)} RENAME TO {self._q(live)}")
        with self.errors("dropping yesterday's schemas"), self.engine.begin() as conn:
            for name in old.values():
                conn.exec_driver_sql(f"DROP SCHEMA {self._q(name)} CASCADE")

    def discard(self) -> None:
        with self.errors("discarding the shadow"), self.engine.begin() as conn:
            self._rescue_extensions(conn, list(self.shadows.values()), self.moved)
            for shadow in self.shadows.values():
                conn.exec_driver_sql(f"DROP SCHEMA IF EXISTS {self._q(shadow)} CASCADE")

    def _q(self, name: str | None) -> str:
        return self.engine.dialect.identifier_preparer.quote_identifier(name or "")
