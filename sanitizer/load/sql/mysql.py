"""MySQL / MariaDB staging: a shadow database, swapped in with one ``RENAME TABLE`` statement.

A multi-table ``RENAME TABLE`` is atomic in InnoDB: every live table moves to an "old"
database and every shadow table into the live one in a single step, foreign keys following
their tables. The staging role needs CREATE and DROP on databases named ``<db>__sz_*``.

The shadow is built from production's own ``SHOW CREATE`` statements (extract/ddl/mysql.py):
tables exactly as production declares them (indexes, FULLTEXT, SPATIAL, generated columns,
charsets, ``AUTO_INCREMENT`` position), loaded with foreign-key checks off, generated columns
left out of the INSERT (the server derives them again from the masked columns). Routines,
views, triggers and events are then created in the shadow, which proves every definition
against the masked tables before anything is swapped. Triggers cannot move between databases
with ``RENAME TABLE`` and routines cannot be renamed, so the swap drops yesterday's triggers,
renames the tables, and creates production's routines, views, triggers and events in the live
database, dropping the ones production no longer has (docs/stores.md: the short window without
triggers).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import polars as pl
import sqlalchemy as sa

from sanitizer.errors import ConfigError
from sanitizer.extract.ddl.mysql import Definition, MysqlSchema, rename_database
from sanitizer.extract.sql import SourceTable
from sanitizer.load.sql.base import SqlTarget
from sanitizer.load.sql.history import META_TABLES
from sanitizer.load.target import SHADOW_MARK


class MysqlTarget(SqlTarget):
    def __init__(self, name: str, url: sa.URL) -> None:
        super().__init__(name, url)
        if not url.database:
            raise ConfigError(
                f"targets.{name}: a MySQL target URL needs a database name.",
                hint="write mysql+pymysql://user@host/staging_db",
            )
        self.database: str = url.database
        self.shadow = ""
        self.schema: MysqlSchema | None = None  # production's definitions (prepare)

    def prepare(self, run_id: str, source_tables: list[SourceTable], schema: MysqlSchema) -> None:
        """The shadow's tables from production's SHOW CREATE TABLE."""
        self.run_id, self.schema = run_id, schema
        with self.errors("preparing the shadow copy"):
            self.create_shadow(schema)
            self.address(source_tables)
            with self._session(self.shadow) as conn:
                conn.exec_driver_sql("SET SESSION FOREIGN_KEY_CHECKS = 0")  # any order
                for source_table in source_tables:
                    ddl(conn, schema.tables[source_table.table.name])

    def create_shadow(self, schema: MysqlSchema) -> None:
        """With production's default charset and collation (routine parameters use them)."""
        self.shadow = f"{self.database}{SHADOW_MARK}{self.run_id}"[:64]
        with self.engine.begin() as conn:
            self._drop_leftovers(conn)
            conn.exec_driver_sql(
                f"CREATE DATABASE {self._q(self.shadow)} "
                f"CHARACTER SET {schema.charset} COLLATE {schema.collation}"
            )

    # -- loading -------------------------------------------------------------------------
    def insert_batch(self, table: sa.Table, batch: pl.DataFrame) -> None:
        """Generated columns are left out (the server derives them from the masked columns);
        with production's DDL the foreign keys exist already, so their checks are off."""
        with self.engine.begin() as conn:
            conn.exec_driver_sql("SET SESSION FOREIGN_KEY_CHECKS = 0")
            self.insert_rows(conn, table, batch)
            conn.exec_driver_sql("SET SESSION FOREIGN_KEY_CHECKS = 1")

    def finalize(self) -> None:
        """Production's routines, views, triggers and events, created in the shadow after
        the data (so triggers do not fire on loaded rows): every definition is proved on
        the masked tables before the swap; events are created DISABLED here."""
        assert self.schema is not None, "prepare comes first"
        for definition in self.schema.objects:
            sql = disabled(definition.sql) if definition.kind == "event" else definition.sql
            self._create(definition, self.shadow, sql)

    @contextmanager
    def _session(self, database: str) -> Iterator[sa.Connection]:
        """A connection of its own whose default database is ``database`` (unqualified names
        in production's DDL land there); thrown away afterwards, session settings and all."""
        with self.errors(f"connecting to {database}"):
            conn = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        try:
            conn.exec_driver_sql(f"USE {self._q(database)}")
            yield conn
        finally:
            conn.invalidate()
            conn.close()

    def _create(self, definition: Definition, database: str, sql: str) -> None:
        """One definition in ``database``, in a session of its own under the settings it was
        created with in production (its sql_mode, client charset, collation, time zone)."""
        assert self.schema is not None
        settings = [("sql_mode", definition.sql_mode), ("time_zone", definition.time_zone)]
        settings += [("collation_connection", definition.collation_connection)]
        if definition.charset_client and (
            definition.charset_client.startswith("utf8") or sql.isascii()
        ):  # the driver sends UTF-8: only then can the server be told another charset
            settings.append(("character_set_client", definition.charset_client))
        with self._session(database) as conn, self.errors(f"creating {definition.label}"):
            for name, value in settings:
                if value is not None:
                    conn.exec_driver_sql(f"SET SESSION {name} = %s", (value,))
            ddl(conn, rename_database(sql, self.schema.database, database, self.schema.names()))

    def shadow_names(self) -> dict[str, str] | None:
        return {self.shadow: self.database} if self.shadow else None

    def _drop_leftovers(self, conn: sa.Connection) -> None:
        """Shadow and old databases of runs that were killed before they could clean up."""
        pattern = f"{self.database}{SHADOW_MARK}".replace("_", "\\_") + "%"
        for (name,) in conn.exec_driver_sql("SHOW DATABASES LIKE %s", (pattern,)).all():
            conn.exec_driver_sql(f"DROP DATABASE {self._q(name)}")

    def copy_table(self, table: sa.Table, metadata: sa.MetaData) -> sa.Table:
        return table.to_metadata(metadata, schema=self.shadow)

    @contextmanager
    def lock(self, run_id: str = "", ttl: int = 0) -> Iterator[None]:
        """``GET_LOCK`` on its own connection: released by the server when the process dies,
        so a killed run never leaves a stale lock."""
        name = f"sanitizer:{self.database}"[:64]
        with self.errors("taking the staging lock"):
            conn = self.live_engine.connect()
        try:
            with self.errors("taking the staging lock"):
                got = conn.exec_driver_sql("SELECT GET_LOCK(%s, 0)", (name,)).scalar()
            if got != 1:
                raise self.locked()
            yield
        finally:
            conn.close()  # ends the session, which releases the lock

    def swap(self) -> None:
        old = f"{self.database}{SHADOW_MARK}old_{self.run_id}"[:64]
        incoming = [t.name for t in self.tables.values()]
        self._before_rename(incoming)
        with self.errors("swapping the shadow in"), self.engine.begin() as conn:
            live = (
                conn.exec_driver_sql(
                    "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = %s "
                    "AND TABLE_TYPE = 'BASE TABLE'",
                    (self.database,),
                )
                .scalars()
                .all()
            )
            conn.exec_driver_sql(f"CREATE DATABASE {self._q(old)}")
            moves = [
                f"{self._q(self.database)}.{self._q(t)} TO {self._q(old)}.{self._q(t)}"
                for t in live
                if t not in META_TABLES  # the marker and run history stay where they are
            ]
            moves += [
                f"{self._q(self.shadow)}.{self._q(t)} TO {self._q(self.database)}.{self._q(t)}"
                for t in incoming
            ]
            conn.exec_driver_sql("RENAME TABLE " + ", ".join(moves))
        self._after_rename()
        with self.errors("dropping yesterday's tables"), self.engine.begin() as conn:
            conn.exec_driver_sql("SET SESSION FOREIGN_KEY_CHECKS = 0")
            conn.exec_driver_sql(f"DROP DATABASE {self._q(old)}")
            conn.exec_driver_sql(f"DROP DATABASE {self._q(self.shadow)}")

    def _before_rename(self, incoming: list[str]) -> None:
        """A table with triggers cannot move to another database: the shadow's (proved
        already) and yesterday's live triggers go; so does a live view in the way of a table."""
        with self.errors("dropping triggers before the swap"), self.engine.begin() as conn:
            for database in (self.shadow, self.database):
                for name in self._live(conn, "trigger", database):
                    conn.exec_driver_sql(f"DROP TRIGGER {self._q(database)}.{self._q(name)}")
            for name in set(self._live(conn, "view", self.database)) & set(incoming):
                conn.exec_driver_sql(f"DROP VIEW {self._q(self.database)}.{self._q(name)}")

    def _after_rename(self) -> None:
        """Production's routines, views, triggers and events in the live database, replacing
        yesterday's; the ones production no longer has are dropped. Every definition was
        created in the shadow already, so this repeats what is known to work."""
        assert self.schema is not None
        live = self._q(self.database)
        with self.errors("setting staging's character set"), self.engine.begin() as conn:
            conn.exec_driver_sql(
                f"ALTER DATABASE {live} CHARACTER SET {self.schema.charset} "
                f"COLLATE {self.schema.collation}"
            )
        for definition in self.schema.objects:
            sql = definition.sql
            if definition.kind in ("procedure", "function", "event"):
                with self.errors(f"replacing {definition.label}"), self.engine.begin() as conn:
                    conn.exec_driver_sql(
                        f"DROP {definition.kind.upper()} IF EXISTS "
                        f"{live}.{self._q(definition.name)}"
                    )
            elif definition.kind == "view":
                sql = or_replace(sql)
            self._create(definition, self.database, sql)
        with self.errors("dropping objects production no longer has"), self.engine.begin() as conn:
            for kind in ("view", "procedure", "function", "event"):
                wanted = {d.name for d in self.schema.of_kind(kind)}
                for name in self._live(conn, kind, self.database):
                    if name not in wanted:
                        conn.exec_driver_sql(f"DROP {kind.upper()} {live}.{self._q(name)}")

    def _live(self, conn: sa.Connection, kind: str, database: str) -> list[str]:
        """The names of one kind of object in ``database``."""
        sql = {
            "trigger": "SELECT TRIGGER_NAME FROM information_schema.TRIGGERS "
            "WHERE TRIGGER_SCHEMA = %s",
            "view": "SELECT TABLE_NAME FROM information_schema.VIEWS WHERE TABLE_SCHEMA = %s",
            "procedure": "SELECT ROUTINE_NAME FROM information_schema.ROUTINES "
            "WHERE ROUTINE_SCHEMA = %s AND ROUTINE_TYPE = 'PROCEDURE'",
            "function": "SELECT ROUTINE_NAME FROM information_schema.ROUTINES "
            "WHERE ROUTINE_SCHEMA = %s AND ROUTINE_TYPE = 'FUNCTION'",
            "event": "SELECT EVENT_NAME FROM information_schema.EVENTS WHERE EVENT_SCHEMA = %s",
        }[kind]
        return list(conn.exec_driver_sql(sql, (database,)).scalars())

    def discard(self) -> None:
        if not self.shadow:
            return
        with self.errors("discarding the shadow"), self.engine.begin() as conn:
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {self._q(self.shadow)}")

    def _q(self, name: str) -> str:
        return self.engine.dialect.identifier_preparer.quote_identifier(name)


EVENT_STATUS = re.compile(
    r"(\bON\s+COMPLETION\s+(?:NOT\s+)?PRESERVE\s+)(ENABLE|DISABLE\s+ON\s+SLAVE|DISABLE)\b",
    re.IGNORECASE,
)


def disabled(sql: str) -> str:
    """SHOW CREATE EVENT's statement with DISABLE (the status comes before the body)."""
    return EVENT_STATUS.sub(r"\1DISABLE", sql, count=1)


CREATE_VIEW = re.compile(r"^\s*CREATE\s+(?!OR\s+REPLACE\b)", re.IGNORECASE)


def or_replace(sql: str) -> str:
    """``CREATE … VIEW`` as ``CREATE OR REPLACE … VIEW`` (yesterday's view is replaced)."""
    return CREATE_VIEW.sub("CREATE OR REPLACE ", sql, count=1)


def ddl(conn: sa.Connection, sql: str) -> None:
    """One statement as written: the driver formats ``%`` even without parameters."""
    conn.exec_driver_sql(sql.replace("%", "%%"))
