"""MySQL/MariaDB schema objects of one database, read from information_schema (read-only).

Names are plain (a source is one database): ``film``, a trigger as ``name on film``, an index
or constraint as ``name on film``, a partition as ``p1 of film``. Tables of engines that read
another server (FEDERATED, CONNECT, SPIDER) are listed as not supported: staging would query
production's destination through them.
"""

from __future__ import annotations

from sqlalchemy.engine import Connection

from sanitizer.schema import SchemaObject

REMOTE_ENGINES = {"FEDERATED", "CONNECT", "SPIDER"}

TABLES = """
SELECT TABLE_NAME, TABLE_TYPE, COALESCE(ENGINE, '') FROM information_schema.TABLES
 WHERE TABLE_SCHEMA = %s
"""
INDEXES = """
SELECT TABLE_NAME, INDEX_NAME, MIN(NON_UNIQUE), MIN(INDEX_TYPE)
  FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = %s
 GROUP BY TABLE_NAME, INDEX_NAME
"""
# KEY_COLUMN_USAGE and CHECK_CONSTRAINTS are visible to a role with SELECT only, where
# TABLE_CONSTRAINTS and REFERENTIAL_CONSTRAINTS show such a role nothing (MariaDB).
FOREIGN_KEYS = """
SELECT DISTINCT TABLE_NAME, CONSTRAINT_NAME FROM information_schema.KEY_COLUMN_USAGE
 WHERE CONSTRAINT_SCHEMA = %s AND REFERENCED_TABLE_NAME IS NOT NULL
"""
CHECKS = """
SELECT TABLE_NAME, CONSTRAINT_NAME FROM information_schema.CHECK_CONSTRAINTS
 WHERE CONSTRAINT_SCHEMA = %s
"""
MYSQL_CHECKS = """
SELECT TABLE_NAME, CONSTRAINT_NAME FROM information_schema.TABLE_CONSTRAINTS
 WHERE CONSTRAINT_SCHEMA = %s AND CONSTRAINT_TYPE = 'CHECK'
"""
PARTITIONS = """
SELECT TABLE_NAME, PARTITION_NAME, SUBPARTITION_NAME FROM information_schema.PARTITIONS
 WHERE TABLE_SCHEMA = %s AND PARTITION_NAME IS NOT NULL
"""
TRIGGERS = """
SELECT TRIGGER_NAME, EVENT_OBJECT_TABLE FROM information_schema.TRIGGERS
 WHERE TRIGGER_SCHEMA = %s
"""
ROUTINES = """
SELECT ROUTINE_TYPE, ROUTINE_NAME FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = %s
"""
EVENTS = "SELECT EVENT_NAME FROM information_schema.EVENTS WHERE EVENT_SCHEMA = %s"

TABLE_TYPES = {
    "BASE TABLE": "table",
    "SYSTEM VERSIONED": "table",
    "VIEW": "view",
    "SYSTEM VIEW": "view",
    "SEQUENCE": "sequence",
}
INDEX_KINDS = {"FULLTEXT": "fulltext index", "SPATIAL": "spatial index"}


def inventory(
    conn: Connection, database: str, leave_out: tuple[str, ...] = ()
) -> list[SchemaObject]:
    """Every object of ``database``; tables named in ``leave_out`` (and their indexes,
    constraints, partitions and triggers) are not listed (sanitizer's own bookkeeping)."""
    found: set[SchemaObject] = set()

    def rows(sql: str) -> list:
        return conn.exec_driver_sql(sql, (database,)).all()

    for table, table_type, engine in rows(TABLES):
        if table not in leave_out:
            found.add(table_object(table, table_type, engine))
    for table, index, non_unique, index_type in rows(INDEXES):
        if index == "PRIMARY":
            kind = "primary key"
        else:
            default = "index" if int(non_unique) else "unique index"
            kind = INDEX_KINDS.get(str(index_type).upper(), default)
        found.add(SchemaObject(kind, f"{index} on {table}"))
    for table, name in rows(FOREIGN_KEYS):
        found.add(SchemaObject("foreign key", f"{name} on {table}"))
    mariadb = getattr(conn.dialect, "is_mariadb", False)  # MySQL's CHECK_CONSTRAINTS: no table
    for table, name in rows(CHECKS if mariadb else MYSQL_CHECKS):
        found.add(SchemaObject("check constraint", f"{name} on {table}"))
    for table, partition, sub in rows(PARTITIONS):
        found.add(SchemaObject("partition", f"{sub or partition} of {table}"))
    for name, table in rows(TRIGGERS):
        found.add(SchemaObject("trigger", f"{name} on {table}"))
    for routine_type, name in rows(ROUTINES):
        found.add(SchemaObject(str(routine_type).lower(), name))
    for (name,) in rows(EVENTS):
        found.add(SchemaObject("event", name))
    return sorted(o for o in found if _table_of(o) not in leave_out)


def table_object(table: str, table_type: str, engine: str) -> SchemaObject:
    """A table, view or sequence; a table of a remote engine is not supported."""
    if engine.upper() in REMOTE_ENGINES:
        why = f"a {engine} table reads another server, which staging would then query"
        return SchemaObject("remote table", table, supported=False, why=why)
    return SchemaObject(TABLE_TYPES.get(table_type, "table"), table)


def _table_of(obj: SchemaObject) -> str:
    for joint in (" on ", " of "):
        if joint in obj.name:
            return obj.name.rsplit(joint, 1)[1]
    return obj.name if obj.kind == "table" else ""
