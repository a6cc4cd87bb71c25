"""SQL staging targets: the base class (``base.py``), one module per dialect, and the factory.

The dialect modules import only ``base.py``; this package's ``open_target`` picks one.
"""

from __future__ import annotations

from sanitizer.errors import ConfigError
from sanitizer.load.sql.base import SqlTarget, rows
from sanitizer.stores.sql import parse_url


def open_target(name: str, url: str) -> SqlTarget:
    """The adapter for a target URL's dialect."""
    parsed = parse_url(url, f"targets.{name}")
    dialect = parsed.get_backend_name()
    if dialect == "postgresql":
        from sanitizer.load.sql.postgres import PostgresTarget

        return PostgresTarget(name, parsed)
    if dialect in ("mysql", "mariadb"):
        from sanitizer.load.sql.mysql import MysqlTarget

        return MysqlTarget(name, parsed)
    if dialect == "sqlite":
        from sanitizer.load.sql.sqlite import SqliteTarget

        return SqliteTarget(name, parsed)
    raise ConfigError(
        f"targets.{name}: the {dialect!r} dialect is not supported as a target yet.",
        hint="use postgresql+psycopg, mysql+pymysql or sqlite.",
    )


__all__ = ["SqlTarget", "open_target", "rows"]
