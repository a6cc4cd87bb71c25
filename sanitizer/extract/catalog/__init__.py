"""Schema-object inventories of SQL databases, one module per dialect (docs/stores.md).

:func:`read_inventory` lists every schema object of a database read-only — production inside
its snapshot, a shadow or live staging through the target — as :class:`SchemaObject`s named
as production names them, so the two sides compare object for object.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError

from sanitizer.errors import SourceError
from sanitizer.extract.catalog import mysql, postgres, sqlite
from sanitizer.extract.sql import SYSTEM_SCHEMAS, SqlSource
from sanitizer.schema import SchemaObject
from sanitizer.stores.sql import reason


def read_inventory(
    conn: Connection,
    schemas: Mapping[str, str] | None = None,
    *,
    whole_database: bool = True,
    leave_out: tuple[str, ...] = (),
) -> list[SchemaObject]:
    """Every schema object, sorted by kind and name.

    ``schemas`` maps the catalog's schema (PostgreSQL) or database (MySQL/MariaDB) to the name
    production gives it — a shadow read back is named as production; None reads the
    connection's own: every user schema on PostgreSQL but those in ``leave_out``, the current
    database on MySQL. On MySQL and SQLite ``leave_out`` names tables that are not listed
    (sanitizer's bookkeeping). ``whole_database`` adds PostgreSQL's database-wide objects that
    staging cannot reproduce (foreign servers, event triggers, publications…).
    """
    dialect = conn.dialect.name
    if dialect == "postgresql":
        if schemas is None:
            schemas = {s: s for s in user_schemas(conn) if s not in leave_out}
        found = postgres.inventory(conn, list(schemas), whole_database)
        renamed = {k: v for k, v in schemas.items() if k != v}
        if renamed:
            quoted = postgres.quote(conn, [*renamed, *renamed.values()])
            found = postgres.rename_schemas(
                found, {quoted[k]: quoted[v] for k, v in renamed.items()}
            )
        return found
    if dialect in ("mysql", "mariadb"):
        database = (
            next(iter(schemas)) if schemas else conn.exec_driver_sql("SELECT DATABASE()").scalar()
        )
        return mysql.inventory(conn, str(database), leave_out)
    if dialect == "sqlite":
        return sqlite.inventory(conn, leave_out)
    return []  # a dialect without an inventory: only its tables are checked (row counts)


def user_schemas(conn: Connection) -> list[str]:
    """PostgreSQL's user schemas, as the source reflects them."""
    names = conn.exec_driver_sql("SELECT nspname FROM pg_namespace ORDER BY nspname").scalars()
    return [s for s in names if s not in SYSTEM_SCHEMAS and not s.startswith("pg_")]


def source_inventory(source: SqlSource) -> list[SchemaObject]:
    """Production's schema objects, read inside the source's snapshot."""
    try:
        return read_inventory(source.connection)
    except SQLAlchemyError as exc:
        raise SourceError(
            f"source {source.name!r}: the schema objects cannot be listed: {reason(exc)}.",
            hint="the role needs to read the catalog (pg_catalog or information_schema).",
        ) from None


def counts(objects: list[SchemaObject]) -> dict[str, int]:
    """How many objects of each kind."""
    result: dict[str, int] = {}
    for obj in objects:
        result[obj.kind] = result.get(obj.kind, 0) + 1
    return dict(sorted(result.items()))


__all__ = ["SchemaObject", "counts", "read_inventory", "source_inventory", "user_schemas"]
