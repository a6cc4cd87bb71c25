"""A SQLite source's schema: the statements SQLite itself stored (``sqlite_master.sql``).

SQLite keeps every table, index, view and trigger as the exact ``CREATE`` statement that made
it, so staging is built from those statements, not from reflection: declared types, inline
constraints, collations, generated columns, views and triggers come through as written
(docs/stores.md, "Schema objects").
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.engine import Connection


@dataclass
class SqliteSchema:
    """Tables by name, then what goes in after the data (indexes, views, triggers), in order."""

    tables: dict[str, str] = field(default_factory=dict)
    after_data: list[tuple[str, str, str]] = field(default_factory=list)  # (type, name, sql)


def dump(conn: Connection) -> SqliteSchema:
    """Read ``sqlite_master`` in creation order. Automatic indexes (UNIQUE and PRIMARY KEY
    constraints) have no statement: their table's statement makes them."""
    schema = SqliteSchema()
    rows = conn.exec_driver_sql(
        "SELECT type, name, sql FROM sqlite_master "
        "WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY rowid"
    ).all()
    for kind, name, sql in rows:
        if kind == "table":
            schema.tables[name] = sql
        else:
            schema.after_data.append((kind, name, sql))
    return schema
