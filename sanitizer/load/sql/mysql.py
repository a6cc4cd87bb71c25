"""MySQL / MariaDB staging: a shadow database, swapped in with one ``RENAME TABLE`` statement.

A multi-table ``RENAME TABLE`` is atomic in InnoDB: every live table moves to an "old"
database and every shadow table into the live one in a single step, foreign keys following
their tables. The staging role needs CREATE and DROP on databases named ``<db>__sz_*``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa

from sanitizer.errors import ConfigError
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

    def create_shadow(self) -> None:
        self.shadow = f"{self.database}{SHADOW_MARK}{self.run_id}"[:64]
        with self.engine.begin() as conn:
            self._drop_leftovers(conn)
            charset = conn.exec_driver_sql(
                "SELECT DEFAULT_CHARACTER_SET_NAME, DEFAULT_COLLATION_NAME "
                "FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = %s",
                (self.database,),
            ).first()
            options = f" CHARACTER SET {charset[0]} COLLATE {charset[1]}" if charset else ""
            conn.exec_driver_sql(f"CREATE DATABASE {self._q(self.shadow)}{options}")

    def _drop_leftovers(self, conn: sa.Connection) -> None:
        """Shadow and old databases of runs that were killed before they could clean up."""
        pattern = f"{self.database}{SHADOW_MARK}".replace("_", "\\_") + "%"
        for (name,) in conn.exec_driver_sql("SHOW DATABASES LIKE %s", (pattern,)).all():
            conn.exec_driver_sql(f"DROP DATABASE {self._q(name)}")

    def copy_table(self, table: sa.Table, metadata: sa.MetaData) -> sa.Table:
        return table.to_metadata(
            metadata, schema=self.shadow, referred_schema_fn=lambda *_: self.shadow
        )

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
                f"{self._q(self.shadow)}.{self._q(t.name)} TO "
                f"{self._q(self.database)}.{self._q(t.name)}"
                for t in self.tables.values()
            ]
            conn.exec_driver_sql("RENAME TABLE " + ", ".join(moves))
        with self.errors("dropping yesterday's tables"), self.engine.begin() as conn:
            conn.exec_driver_sql("SET SESSION FOREIGN_KEY_CHECKS = 0")
            conn.exec_driver_sql(f"DROP DATABASE {self._q(old)}")
            conn.exec_driver_sql(f"DROP DATABASE {self._q(self.shadow)}")

    def discard(self) -> None:
        if not self.shadow:
            return
        with self.errors("discarding the shadow"), self.engine.begin() as conn:
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {self._q(self.shadow)}")

    def _q(self, name: str) -> str:
        return self.engine.dialect.identifier_preparer.quote_identifier(name)
