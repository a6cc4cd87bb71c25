"""SQLite schema objects, read from ``sqlite_master`` (read-only).

Tables, indexes, views and triggers by name (an index or trigger as ``name on table``).
SQLite's internal tables (``sqlite_*``) and the indexes it makes for UNIQUE and PRIMARY KEY
constraints (``sqlite_autoindex_*``) belong to their tables and are not listed.
"""

from __future__ import annotations

from sqlalchemy.engine import Connection

from sanitizer.schema import SchemaObject

KINDS = {"table": "table", "index": "index", "view": "view", "trigger": "trigger"}


def inventory(conn: Connection, leave_out: tuple[str, ...] = ()) -> list[SchemaObject]:
    """Every object of the main database; tables in ``leave_out`` and what belongs to them
    are not listed (sanitizer's own bookkeeping)."""
    rows = conn.exec_driver_sql(
        "SELECT type, name, tbl_name FROM sqlite_master "
        "WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
    ).all()
    found = set()
    for kind, name, table in rows:
        if kind not in KINDS or table in leave_out:
            continue
        named = name if kind in ("table", "view") else f"{name} on {table}"
        found.add(SchemaObject(KINDS[kind], named))
    return sorted(found)
