"""SQLite staging: build a shadow file beside the live one, then ``os.replace`` it in.

``os.replace`` is atomic on POSIX, so readers see yesterday's file or today's, never a mix.
"""

from __future__ import annotations

import os
from pathlib import Path

import sqlalchemy as sa

from sanitizer.errors import ConfigError
from sanitizer.load.sql import SHADOW_MARK, SqlTarget


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

    def create_shadow(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        for leftover in self.path.parent.glob(f"{self.path.name}{SHADOW_MARK}*"):
            leftover.unlink()  # a killed run's shadow: never live data
        self.shadow_path = self.path.with_name(f"{self.path.name}{SHADOW_MARK}{self.run_id}")
        self.engine.dispose()
        self.engine = sa.create_engine(sa.URL.create("sqlite", database=str(self.shadow_path)))

    def copy_table(self, table: sa.Table, metadata: sa.MetaData) -> sa.Table:
        return table.to_metadata(metadata)

    def inline_foreign_keys(self, table: sa.Table) -> list[sa.ForeignKeyConstraint]:
        return list(table.foreign_key_constraints)

    def swap(self) -> None:
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
