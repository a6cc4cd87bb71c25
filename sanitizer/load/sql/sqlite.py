"""SQLite staging: build a shadow file beside the live one, then ``os.replace`` it in.

``os.replace`` is atomic on POSIX, so readers see yesterday's file or today's, never a mix.
The shadow is built from the statements production stored (``extract/ddl/sqlite.py``):
tables before the data, then indexes, views and triggers in production's order, so triggers
do not fire on the loaded rows. Generated columns are not written: SQLite derives them again
from the masked columns.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

from sanitizer.errors import ConfigError
from sanitizer.extract.ddl.sqlite import SqliteSchema
from sanitizer.extract.sql import SourceTable
from sanitizer.load.sql.base import SqlTarget
from sanitizer.load.sql.history import META_TABLES
from sanitizer.load.target import SHADOW_MARK


class SqliteTarget(SqlTarget):
    def __init__(self, name: str, url: sa.URL) -> None:
        super().__init__(name, url)
        database = url.database or ""
        if not database or database == ":memory:":
            raise ConfigError(
                f"targets.{name}: a SQLite target needs a file path.",
                hint="write sqlite:///path/to/staging.db",
            )
        self.path = Path(database).resolve()
        self.shadow_path = self.path
        self.live_engine = sa.create_engine(sa.URL.create("sqlite", database=str(self.path)))
        self.after_data: list[tuple[str, str, str]] = []  # production's (prepare)

    def prepare(self, run_id: str, source_tables: list[SourceTable], schema: SqliteSchema) -> None:
        """The tables production stored, before the data."""
        self.run_id = run_id
        self.after_data = schema.after_data
        with self.errors("preparing the shadow copy"):
            self.create_shadow()
            with self.engine.begin() as conn:
                for source_table in source_tables:
                    conn.exec_driver_sql(schema.tables[source_table.table.name])
        self.address(source_tables)

    def finalize(self) -> None:
        """Production's indexes, views and triggers, in its order, after the data."""
        with self.errors("creating indexes, views and triggers"), self.engine.begin() as conn:
            for _kind, _name, sql in self.after_data:
                conn.exec_driver_sql(sql)

    def create_shadow(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        for leftover in self.path.parent.glob(f"{self.path.name}{SHADOW_MARK}*"):
            leftover.unlink()  # a killed run's shadow: never live data
        self.shadow_path = self.path.with_name(f"{self.path.name}{SHADOW_MARK}{self.run_id}")
        self.engine.dispose()
        self.engine = sa.create_engine(sa.URL.create("sqlite", database=str(self.shadow_path)))

    def copy_table(self, table: sa.Table, metadata: sa.MetaData) -> sa.Table:
        return table.to_metadata(metadata)

    def fresh(self) -> bool:
        return not self.path.exists()

    @contextmanager
    def lock(self, run_id: str = "", ttl: int = 0) -> Iterator[None]:
        """An exclusive ``flock`` on the staging file's folder (no lock file is left behind):
        the kernel drops it with the process, so a killed run never leaves a stale lock."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = os.open(self.path.parent, os.O_RDONLY)
        try:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise self.locked() from None
            yield
        finally:
            os.close(handle)  # closing releases the lock

    def carry_history(self) -> None:
        """The marker and run history live in the file, so the new file takes them along."""
        if not self.path.exists():
            return
        autocommit = self.engine.execution_options(isolation_level="AUTOCOMMIT")
        with self.errors("carrying the run history over"), autocommit.connect() as conn:
            conn.exec_driver_sql("ATTACH DATABASE ? AS live", (str(self.path),))
            try:
                present = set(
                    conn.exec_driver_sql("SELECT name FROM live.sqlite_master WHERE type='table'")
                    .scalars()
                    .all()
                )
                for table in META_TABLES:
                    if table in present:
                        conn.exec_driver_sql(f'DROP TABLE IF EXISTS main."{table}"')
                        sql = conn.exec_driver_sql(
                            "SELECT sql FROM live.sqlite_master WHERE name = ?", (table,)
                        ).scalar_one()
                        conn.exec_driver_sql(sql)
                        conn.exec_driver_sql(
                            f'INSERT INTO main."{table}" SELECT * FROM live."{table}"'
                        )
            finally:
                conn.exec_driver_sql("DETACH DATABASE live")

    def swap(self) -> None:
        self.carry_history()
        self.engine.dispose()
        for suffix in ("-wal", "-shm", "-journal"):
            stale = self.path.with_name(self.path.name + suffix)
            if stale.exists():
                stale.unlink()  # belongs to yesterday's file; must not replay onto today's
        os.replace(self.shadow_path, self.path)

    def discard(self) -> None:
        self.engine.dispose()
        if self.shadow_path != self.path and self.shadow_path.exists():
            self.shadow_path.unlink()
