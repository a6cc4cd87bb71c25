"""Read any SQLAlchemy source read-only, as one consistent snapshot, in bounded batches.

The session is read-only *at the database level*, so a bug cannot write to production:
PostgreSQL runs a ``REPEATABLE READ, READ ONLY`` transaction on a connection whose
``default_transaction_read_only`` is on; MySQL/MariaDB a ``START TRANSACTION READ ONLY, WITH
CONSISTENT SNAPSHOT``; SQLite opens the file with ``mode=ro`` and ``PRAGMA query_only``. One
connection and one transaction cover every table, so all tables come from the same instant.
Rows stream through server-side cursors, ``batch_size`` at a time, as polars frames.
"""

from __future__ import annotations

import contextlib
import copy
import logging
import re
from collections.abc import Generator, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import polars as pl
import psycopg
import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError

from sanitizer import retry
from sanitizer.errors import SourceError
from sanitizer.extract import types  # importing it names PostgreSQL's geometric types
from sanitizer.extract.ddl import mysql as mysql_ddl
from sanitizer.extract.ddl import postgres as pg_ddl
from sanitizer.extract.ddl import sqlite as sqlite_ddl
from sanitizer.extract.reads import KeptRows, Slice, SourceTable, regroup
from sanitizer.schema import table_info
from sanitizer.stores.pg_copy import copy_out
from sanitizer.stores.sql import create_engine, parse_url, psycopg_errors, reason, safe_url

log = logging.getLogger(__name__)

SYSTEM_SCHEMAS = {"information_schema", "pg_catalog", "pg_toast"}
# PostgreSQL types read as text: their text form round-trips exactly through COPY, and polars
# has no faithful type for them (json, arrays, ranges, inet, unconstrained numeric…).
PG_NATIVE = (
    sa.Integer,
    sa.Float,
    sa.Boolean,
    sa.Date,
    sa.DateTime,
    sa.Time,
    sa.String,
    sa.LargeBinary,
    sa.Interval,
)


KEY_CHUNK = 1000  # primary keys per query when reading a subset's kept rows


def _in_list(columns: list[str], count: int, mark: str) -> str:
    """``(a, b) IN ((?, ?), …)`` for ``count`` keys (``a IN (?, …)`` for one column)."""
    if len(columns) == 1:
        return f"{columns[0]} IN ({', '.join([mark] * count)})"
    one = f"({', '.join([mark] * len(columns))})"
    return f"({', '.join(columns)}) IN ({', '.join([one] * count)})"


def _keys_in(columns: list[sa.ColumnElement], keys: list[tuple]) -> sa.ColumnElement:
    if len(columns) == 1:
        return columns[0].in_([k[0] for k in keys])
    return sa.tuple_(*columns).in_(keys)


class SqlSource:
    """One production database, opened read-only for the duration of a ``with`` block."""

    def __init__(self, name: str, url: str) -> None:
        self.name = name
        self.url = parse_url(url, f"sources.{name}")
        self.dialect = self.url.get_backend_name()
        self._conn: Connection | None = None
        self._engine: sa.Engine | None = None
        # A read left suspended (its consumer failed) still holds the driver's connection
        # lock inside its COPY: it is closed before the connection is, or that would wait.
        self._reads: list[Generator[pl.DataFrame, None, None]] = []
        self._parallel: list[Generator[pl.DataFrame, None, None]] = []  # readers' threads
        # PostgreSQL → PostgreSQL: stream COPY text, so kept columns are never re-encoded.
        self.copy_text = False
        self._snapshot_id = ""  # PostgreSQL: the exported snapshot pg_dump reads in
        self._imports = ""  # a parallel reader: the exported snapshot it reads in (else its own)
        self._owns_engine = True  # a parallel reader borrows its source's engine
        self.readers = 1  # PostgreSQL: connections reading key ranges of a table at once
        self._schema_dump: object | None = None
        self.privileges = False  # PostgreSQL: owners and grants too (schema.grants: keep)
        # PostgreSQL: partitions (read through their parent) and inheritance parents (ONLY)
        self.partitions: dict[str, str] = {}  # partition's rule name → its parent's
        self._only: set[tuple[str, str]] = set()
        self.filters: dict[str, KeptRows] = {}  # a subset's kept rows by table (else all)

    def describe(self) -> str:
        return safe_url(self.url)

    @contextmanager
    def snapshot(self) -> Iterator[SqlSource]:
        """Open the read-only, consistent snapshot; close it (rolling back) on exit."""
        try:
            self._engine = self._make_engine()
            self._conn = self._engine.connect()
            self._begin_snapshot(self._conn)
        except SQLAlchemyError as exc:
            self.close()
            raise SourceError(
                f"source {self.name!r} ({self.describe()}) cannot be opened: {reason(exc)}.",
                hint="check the URL, that the server is running and that the role may connect.",
            ) from None
        try:
            yield self
        finally:
            self.close()

    def close(self) -> None:
        for read in list(self._parallel):  # its readers stop and close before the engine
            read.close()
        self._end_reads()
        if self._conn is not None:
            try:
                self._conn.rollback()
                self._conn.close()
            except SQLAlchemyError:
                pass
            self._conn = None
        if self._engine is not None:
            if self._owns_engine:
                self._engine.dispose()
            self._engine = None

    def reader(self) -> SqlSource:
        """Another connection reading in this source's exported snapshot (PostgreSQL), for a
        parallel reader of key ranges (docs/engine.md#reading-production); close it after."""
        if not self._snapshot_id or self._engine is None:
            raise RuntimeError("only an open PostgreSQL snapshot can be shared")
        other = copy.copy(self)
        other._conn, other._reads, other._parallel, other._schema_dump = None, [], [], None
        other._imports, other._owns_engine, other.readers = self._snapshot_id, False, 1
        try:
            other._conn = self._engine.connect()
            other._begin_snapshot(other._conn)
        except SQLAlchemyError as exc:
            other.close()
            raise SourceError(
                f"source {self.name!r} ({self.describe()}): a parallel reader cannot join the "
                f"run's snapshot: {reason(exc)}.",
                hint="check that the role may open more connections (max_connections), or "
                "write readers: 1 in sanitize.yaml. Staging was left as it was.",
            ) from None
        return other

    @property
    def connection(self) -> Connection:
        if self._conn is None:
            raise RuntimeError("use SqlSource.snapshot() first")
        return self._conn

    # -- opening -------------------------------------------------------------------------
    def _make_engine(self) -> sa.Engine:
        where = f"sources.{self.name}"
        if self.dialect == "sqlite":
            path = self.url.database or ""
            if not path or path == ":memory:" or not Path(path).exists():
                raise SourceError(
                    f"source {self.name!r}: the SQLite file {path!r} does not exist.",
                    hint="check the path (make demo builds the demo database).",
                )
            url = sa.URL.create(
                "sqlite",
                database=f"file:{Path(path).resolve()}",
                query={"mode": "ro", "uri": "true"},
            )
            return create_engine(url, where)
        if self.dialect == "postgresql":
            return create_engine(
                self.url,
                where,
                connect_args={"options": "-c default_transaction_read_only=on"},
            )
        return create_engine(self.url, where)

    def _begin_snapshot(self, conn: Connection) -> None:
        if self.dialect == "postgresql":
            conn.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
            conn.begin()
            if self._imports:  # a parallel reader: the run's snapshot, not one of its own
                conn.exec_driver_sql(f"SET TRANSACTION SNAPSHOT '{self._imports}'")
                return
            # Take the snapshot now, and export it: pg_dump and the parallel readers read in it.
            self._snapshot_id = conn.exec_driver_sql("SELECT pg_export_snapshot()").scalar_one()
        elif self.dialect in ("mysql", "mariadb"):
            conn.exec_driver_sql("SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            # Session-wide too: DDL implicitly commits a READ ONLY transaction and would then
            # run outside it, and so would anything after a commit or rollback.
            conn.exec_driver_sql("SET SESSION TRANSACTION READ ONLY")
            conn.exec_driver_sql("START TRANSACTION READ ONLY, WITH CONSISTENT SNAPSHOT")
        elif self.dialect == "sqlite":
            conn.execution_options(isolation_level="AUTOCOMMIT")
            conn.exec_driver_sql("PRAGMA query_only = ON")
            conn.exec_driver_sql("BEGIN")
            conn.exec_driver_sql("SELECT count(*) FROM sqlite_master")  # hold the read snapshot
        else:
            log.warning(
                "source %s: dialect %s has no read-only snapshot support; reading "
                "in one transaction",
                self.name,
                self.dialect,
            )
            conn.begin()

    # -- schema --------------------------------------------------------------------------
    def reflect(self) -> list[SourceTable]:
        """Every table of every user schema, with types, keys, indexes and defaults."""
        try:
            return self._reflect()
        except SQLAlchemyError as exc:
            raise SourceError(
                f"source {self.name!r}: the schema cannot be read: {reason(exc)}.",
                hint="the role needs to read the catalog (information_schema).",
            ) from None

    def _reflect(self) -> list[SourceTable]:
        conn = self.connection
        inspector = sa.inspect(conn)
        default = inspector.default_schema_name
        schemas = [default]
        skip: set[tuple[str, str]] = set()
        if self.dialect == "postgresql":
            schemas = [
                s
                for s in inspector.get_schema_names()
                if s not in SYSTEM_SCHEMAS and not s.startswith("pg_")
            ]
            # A partition's rows are read once, through its partitioned parent (and masked by
            # the parent's rule); a plain inheritance parent is read without its children.
            parts = pg_ddl.partitions(conn)
            skip = set(parts)
            rule_name = lambda s, t: t if s == default else f"{s}.{t}"  # noqa: E731
            self.partitions = {rule_name(*p): rule_name(*parent) for p, parent in parts.items()}
            self._only = pg_ddl.inheritance_parents(conn)
        metadata = sa.MetaData()
        for schema in schemas:
            metadata.reflect(
                bind=conn,
                schema=None if schema == default else schema,
                resolve_fks=True,
                views=False,
                only=lambda name, _md, s=schema: (s, name) not in skip,
            )
        if conn.dialect.name == "mysql" and getattr(conn.dialect, "is_mariadb", False):
            _mariadb_json(conn, metadata)
        if conn.dialect.name == "mysql":
            _mysql_geometry(conn, metadata)
        if self.dialect == "sqlite":
            _sqlite_uniques(conn, metadata)
        tables = [t for t in metadata.sorted_tables]
        names = {
            t: t.name if t.schema in (None, default) else f"{t.schema}.{t.name}" for t in tables
        }
        return [SourceTable(t, table_info(t, names[t], names, default)) for t in tables]

    def schema_dump(self) -> object | None:
        """Production's schema in its own database's terms, read in the snapshot, for a staging
        database of the same dialect (docs/stores.md): MySQL/MariaDB from SHOW CREATE …
        (extract/ddl/mysql.py), PostgreSQL from pg_dump's sections (extract/ddl/postgres.py),
        SQLite from sqlite_master (extract/ddl/sqlite.py); None for other dialects."""
        if self.dialect == "postgresql":
            return self._pg_schema()
        try:
            if self.dialect in ("mysql", "mariadb"):
                return mysql_ddl.read_schema(self.connection, self.name)
            if self.dialect == "sqlite":
                return sqlite_ddl.dump(self.connection)
        except SQLAlchemyError as exc:
            raise SourceError(
                f"source {self.name!r}: the schema definitions cannot be read: {reason(exc)}.",
                hint="the source role needs SELECT, SHOW VIEW, TRIGGER and EVENT on the "
                "database (see docs/stores.md).",
            ) from None
        return None

    def _pg_schema(self) -> object:
        """pg_dump's pre- and post-data in this snapshot (read once per run)."""
        if self._schema_dump is None:
            conn = self.connection
            try:
                schemas = pg_ddl.user_schemas(conn)
                self._schema_dump = pg_ddl.read_schema(
                    conn, self.url, self._snapshot_id, self.name, schemas, self.privileges
                )
            except SQLAlchemyError as exc:
                raise SourceError(
                    f"source {self.name!r}: the schema cannot be read: {reason(exc)}.",
                    hint="the role needs to read the catalog and its sequences.",
                ) from None
        return self._schema_dump

    # -- rows ----------------------------------------------------------------------------
    def batches(self, source_table: SourceTable, batch_size: int) -> Iterator[pl.DataFrame]:
        """Stream a table in primary-key order, ``batch_size`` rows per polars frame; with a
        subset (``filters``), only the kept rows, a chunk of primary keys per query, and a
        key into an excluded table read as NULL (docs/subsetting.md).

        A transient failure (connection lost, server restart) re-opens the snapshot and
        resumes after the last primary key handed out (keyset), so no row is read twice or
        skipped; the rest of the table then comes from the newer snapshot. A table without a
        primary key can only be restarted before its first batch.

        With ``readers`` above 1 (PostgreSQL), ranges of a single-column primary key are read
        by that many connections in the run's exported snapshot and handed on in key order:
        the same rows, in the same order (extract/ranges.py, docs/engine.md).
        """
        from sanitizer.extract import ranges  # it reads through this class: imported late

        kept = self.filters.get(source_table.info.name)
        if kept is None and self.readers > 1 and ranges.splittable(self, source_table):
            read = ranges.read_in_parallel(self, source_table, batch_size)
            self._parallel.append(read)
            try:
                yield from read
            finally:
                self._parallel.remove(read)
            return
        if kept is None:
            yield from self.read_range(source_table, batch_size, Slice())
            return
        frames = (
            frame
            for start in range(0, len(kept.keys), KEY_CHUNK)
            for frame in self.read_range(
                source_table, batch_size, Slice(kept.keys[start : start + KEY_CHUNK], kept.nulled)
            )
        )
        yield from regroup(frames, batch_size)

    @property
    def snapshot_id(self) -> str:
        """PostgreSQL: the run's exported snapshot ("" elsewhere)."""
        return self._snapshot_id

    def reads_only(self, table: sa.Table) -> bool:
        """Whether the table is read without its inheritance children (``ONLY``)."""
        return (table.schema or self._default(), table.name) in self._only

    def read_range(
        self,
        source_table: SourceTable,
        batch_size: int,
        part: Slice,
        after: tuple | None = None,
    ) -> Iterator[pl.DataFrame]:
        """One read of the table — every row, a chunk of kept keys, or a key range (rows
        past ``after``, up to ``part.upto``) — resumed past its last key after a transient
        failure."""
        table = source_table.table
        names = [c.name for c in table.columns]
        keys = [names.index(c.name) for c in table.primary_key.columns]
        budget = retry.Budget(f"reading {self.name}.{source_table.info.name}")
        # ``after`` then follows the primary key of the last row handed out
        while True:
            try:
                for frame in self._read(table, names, batch_size, after, part):
                    if keys and frame.height:
                        after = self._last_key(frame, keys)
                    elif frame.height:
                        after = ()  # read something, but cannot resume from it
                    budget.failures = 0  # progress: the next batch gets every attempt again
                    yield frame
                return
            except (SQLAlchemyError, psycopg_errors()) as exc:
                resumable = after is None or bool(keys)
                if not budget.spend(exc, resumable):
                    raise self._read_error(source_table, exc, budget.failures) from None
                self._reopen(source_table, budget)

    def _end_reads(self) -> None:
        for read in self._reads:
            with contextlib.suppress(Exception):  # the connection may be gone already
                read.close()
        self._reads.clear()

    def _read(
        self,
        table: sa.Table,
        names: list[str],
        batch_size: int,
        after: tuple | None,
        part: Slice,
    ) -> Iterator[pl.DataFrame]:
        params = part.params(after)
        if self.copy_text:
            self._end_reads()  # the previous table's read is finished (or abandoned)
            read = self._copy_batches(table, names, batch_size, after, part)
            self._reads.append(read)
            yield from read
            return
        result = self.connection.execution_options(
            stream_results=True, yield_per=batch_size
        ).exec_driver_sql(self._select_sql(table, after=after, part=part), params)
        for rows in result.partitions(batch_size):
            yield to_frame(names, rows)

    def _last_key(self, frame: pl.DataFrame, keys: list[int]) -> tuple:
        row = frame.row(frame.height - 1)
        if self.copy_text:  # COPY text: undo its escapes to get the value back
            return tuple(copy_unescape(row[i]) for i in keys)
        return tuple(row[i] for i in keys)

    def _reopen(self, source_table: SourceTable, budget: retry.Budget) -> None:
        """A new connection and snapshot after a transient failure (itself retried)."""
        while True:
            try:
                self.close_connection()
                assert self._engine is not None
                self._conn = self._engine.connect()
                if self._imports:  # the run's snapshot again: nothing changes
                    self._rejoin(self._conn, source_table)
                    return
                self._begin_snapshot(self._conn)
                log.warning(
                    "source snapshot re-opened after a transient failure; the rest of the "
                    "table comes from a newer snapshot",
                    extra={"source": self.name, "table": source_table.info.name},
                )
                return
            except SQLAlchemyError as exc:
                if not budget.spend(exc):
                    raise self._read_error(source_table, exc, budget.failures) from None

    def _rejoin(self, conn: Connection, source_table: SourceTable) -> None:
        """A parallel reader's new connection joins the run's exported snapshot again; if
        that snapshot is gone (it ends with the run's own transaction), the run cannot go
        on in one snapshot and fails (docs/engine.md#reading-production)."""
        try:
            self._begin_snapshot(conn)
        except SQLAlchemyError as exc:
            if self._engine is not None and not retry.is_transient(exc):
                raise SourceError(
                    f"source {self.name!r}: a parallel reader of {source_table.info.name} lost "
                    "its connection and cannot join the run's snapshot again: the run's own "
                    f"connection, which holds the snapshot, is gone too ({reason(exc)}).",
                    hint="run again: nothing was swapped in and staging was left as it was. "
                    "If connections to production drop often, write readers: 1 in "
                    "sanitize.yaml (one reader resumes in a newer snapshot instead).",
                ) from None
            raise
        log.info(
            "parallel reader re-joined the run's snapshot after a transient failure",
            extra={"source": self.name, "table": source_table.info.name},
        )

    def close_connection(self) -> None:
        """Drop the current connection (it may be dead already) without failing."""
        self._end_reads()
        if self._conn is not None:
            try:
                self._conn.invalidate()
                self._conn.close()
            except SQLAlchemyError:
                pass
            self._conn = None

    def _read_error(self, source_table: SourceTable, exc: Exception, tries: int) -> SourceError:
        transient = retry.is_transient(exc)
        tried = f" (gave up after {tries} attempts)" if transient and tries > 1 else ""
        return SourceError(
            f"source {self.name!r}: reading {source_table.info.name} failed: {reason(exc)}{tried}.",
            hint="check the connection and the role's SELECT privilege"
            + ("; raise retries.attempts in sanitize.yaml to wait longer" if transient else "")
            + ". Staging was left as it was.",
            transient=transient,
        )

    def distinct_values(self, source_table: SourceTable, column: str, limit: int) -> list[str]:
        """Up to ``limit`` distinct non-NULL values of one text column (known values)."""
        table = source_table.table
        col = table.c[column]
        query = sa.select(sa.distinct(col)).where(col.is_not(None)).limit(limit)
        try:
            return [v for v in self.connection.execute(query).scalars() if isinstance(v, str)]
        except (SQLAlchemyError, psycopg_errors()) as exc:
            raise self._column_error(source_table, column, exc) from None

    def _column_error(self, source_table: SourceTable, column: str, exc: Exception) -> SourceError:
        return SourceError(
            f"source {self.name!r}: reading {source_table.info.name}.{column} failed: "
            f"{reason(exc)}.",
            hint="check the connection and the role's SELECT privilege.",
            transient=True,
        )

    def only_tables(self, tables: list[SourceTable]) -> frozenset[str]:
        """The tables read without their inheritance children (PostgreSQL ``ONLY``): a
        subset looks their keys up the same way (docs/subsetting.md)."""
        default = self._default() if self.dialect == "postgresql" else ""
        return frozenset(
            t.info.name for t in tables if (t.table.schema or default, t.table.name) in self._only
        )

    def kept_values(self, source_table: SourceTable, column: str) -> frozenset[str]:
        """One column's distinct values over the rows a run reads (a subset's kept rows, or
        all), as text: what objects and vectors follow (docs/subsetting.md)."""
        table = source_table.table
        col = table.c[column]
        kept = self.filters.get(source_table.info.name)
        select = sa.select(col).select_from(table)
        if (table.schema or self._default(), table.name) in self._only:
            select = select.with_hint(table, "ONLY", "postgresql")  # as the run reads it
        queries = [select.distinct()]
        if kept is not None:
            pk = [table.c[c.name] for c in table.primary_key.columns]
            queries = [
                select.where(_keys_in(pk, kept.keys[at : at + KEY_CHUNK]))
                for at in range(0, len(kept.keys), KEY_CHUNK)
            ]
        values: set[str] = set()
        try:
            for query in queries:
                values |= {
                    str(v) for v in self.connection.execute(query).scalars() if v is not None
                }
        except (SQLAlchemyError, psycopg_errors()) as exc:
            raise self._column_error(source_table, column, exc) from None
        if kept is not None and column in kept.nulled:
            return frozenset()
        return frozenset(values)

    def _copy_batches(
        self,
        table: sa.Table,
        names: list[str],
        batch_size: int,
        after: tuple | None = None,
        part: Slice | None = None,
    ) -> Iterator[pl.DataFrame]:
        """PostgreSQL ``COPY (SELECT …) TO STDOUT`` text, ``batch_size`` rows a frame.

        Read straight from libpq (stores/pg_copy.py), one row a block into one buffer: COPY
        text escapes newlines inside values, so every block is one line and one row. The
        bind values are merged into the statement client-side, as psycopg's COPY does.
        """
        part = part or Slice()
        select = self._select_sql(table, cast_text=False, after=after, part=part)
        driver = self.connection.connection.driver_connection
        statement, params = f"COPY ({select}) TO STDOUT", part.params(after)
        if params:
            statement = psycopg.ClientCursor(driver).mogrify(statement, params)
        pending = bytearray()
        lines = 0
        # closed at once when the read is left early: the rows not read are drained then
        with contextlib.closing(copy_out(driver, statement)) as rows:
            for row in rows:
                pending += row
                lines += 1
                if lines >= batch_size:
                    yield copy_frame(names, bytes(pending))
                    pending.clear()
                    lines = 0
        if pending:
            yield copy_frame(names, bytes(pending))

    def _select_sql(
        self,
        table: sa.Table,
        cast_text: bool = True,
        after: tuple | None = None,
        part: Slice | None = None,
    ) -> str:
        """The table's rows in key order; ``after``: only those past that key (resuming);
        ``part``: only the rows of its primary keys (a subset), some columns as NULL."""
        part = part or Slice()
        dialect = self.connection.dialect
        preparer = dialect.identifier_preparer
        columns = []
        for column in table.columns:
            quoted = preparer.quote(column.name)
            if column.name in part.nulled:
                columns.append(f"NULL AS {quoted}")
            elif cast_text and self.dialect == "postgresql" and _read_as_text(column.type):
                columns.append(f"{quoted}::text AS {quoted}")
            else:
                columns.append(quoted)
        only = "ONLY " if self.reads_only(table) else ""
        sql = f"SELECT {', '.join(columns)} FROM {only}{preparer.format_table(table)}"
        order = [preparer.quote(c.name) for c in table.primary_key.columns]
        mark = "?" if dialect.paramstyle == "qmark" else "%s"
        conditions = []
        if part.keys is not None:  # the same order as Slice.params
            conditions.append(_in_list(order, len(part.keys), mark))
        if after and order:
            conditions.append(f"({', '.join(order)}) > ({', '.join([mark] * len(order))})")
        if part.upto and order:
            conditions.append(f"({', '.join(order)}) <= ({', '.join([mark] * len(order))})")
        if conditions:
            sql += " WHERE " + " AND ".join(conditions)
        return f"{sql} ORDER BY {', '.join(order)}" if order else sql

    def _default(self) -> str:
        return self.connection.dialect.default_schema_name or "public"


TEXT_TYPE_NAMES = {
    "UUID",
    "INET",
    "CIDR",
    "MACADDR",
    "MACADDR8",
    "MONEY",
    "TSVECTOR",
    "BIT",
    "XML",
    "OID",
    "REGCLASS",
}


def _mariadb_json(conn: Connection, metadata: sa.MetaData) -> None:
    """MariaDB's JSON is LONGTEXT plus a column CHECK (json_valid(col)), which reflection
    drops: type those columns JSON again, so staging gets the same column and check."""
    rows = conn.exec_driver_sql(
        "SELECT TABLE_NAME, CONSTRAINT_NAME FROM information_schema.CHECK_CONSTRAINTS "
        "WHERE CONSTRAINT_SCHEMA = DATABASE() AND LEVEL = 'Column' "
        "AND CHECK_CLAUSE = CONCAT('json_valid(`', CONSTRAINT_NAME, '`)')"
    ).all()
    for table_name, column_name in rows:
        table = metadata.tables.get(table_name)
        if table is not None and column_name in table.c:
            table.c[column_name].type = sa.JSON()


def _mysql_geometry(conn: Connection, metadata: sa.MetaData) -> None:
    """Spatial columns reflect as NullType (no DDL, no kind): type them as what they are."""
    for (table_name, column_name), data_type in mysql_ddl.geometry_columns(conn).items():
        table = metadata.tables.get(table_name)
        if table is not None and column_name in table.c:
            table.c[column_name].type = types.named(data_type.upper())()


def _sqlite_uniques(conn: Connection, metadata: sa.MetaData) -> None:
    """Reflection misses SQLite's inline ``col VARCHAR(32) UNIQUE`` (the type's parentheses
    defeat its parser); the constraint's auto-index says what is unique, so add it from there."""
    quote = conn.dialect.identifier_preparer.quote
    for table in metadata.tables.values():
        known = {
            tuple(c.name for c in constraint.columns)
            for constraint in table.constraints
            if isinstance(constraint, sa.UniqueConstraint)
        }
        indexes = conn.exec_driver_sql(f"PRAGMA index_list({quote(table.name)})").all()
        for _, index, _, origin, _ in indexes:
            if origin != "u":  # "u": made by a UNIQUE constraint (not CREATE INDEX, not the PK)
                continue
            info = conn.exec_driver_sql(f"PRAGMA index_info({quote(index)})").all()
            columns = tuple(name for _, _, name in info)
            if columns not in known and all(name in table.c for name in columns):
                table.append_constraint(sa.UniqueConstraint(*columns))


def _read_as_text(sql_type: sa.types.TypeEngine) -> bool:
    """Whether PostgreSQL should send this column as text (see PG_NATIVE)."""
    if isinstance(sql_type, sa.JSON | sa.Enum | sa.ARRAY):
        return True
    if isinstance(sql_type, sa.Numeric) and not isinstance(sql_type, sa.Float):
        return sql_type.scale is None  # unconstrained numeric keeps each value's own scale
    if type(sql_type).__name__ in TEXT_TYPE_NAMES:
        return True
    if isinstance(sql_type, sa.Time) and sql_type.timezone:
        return True
    return not isinstance(sql_type, PG_NATIVE)


def to_frame(names: list[str], rows: list[Any]) -> pl.DataFrame:
    """Rows → a polars frame, each column typed strictly; mixed columns stay Python objects.

    Strict typing never coerces (a text value in an INTEGER column of SQLite would otherwise
    turn into NULL): a column polars cannot type exactly is carried as objects, unchanged.
    """
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(names)
    series = []
    for name, values in zip(names, columns, strict=True):
        try:
            series.append(pl.Series(name, values, strict=True))
        except (TypeError, ValueError, OverflowError, pl.exceptions.PolarsError):
            series.append(pl.Series(name, values, dtype=pl.Object))
    return pl.DataFrame(series)


def copy_frame(names: list[str], data: bytes) -> pl.DataFrame:
    """COPY text lines → a frame of strings exactly as PostgreSQL wrote them.

    An empty field is the empty string (NULL is the two characters ``\\N``); nothing is
    unescaped here, so kept columns go back out unchanged.
    """
    frame = pl.read_csv(
        data,
        has_header=False,
        separator="\t",
        quote_char=None,
        infer_schema=False,
        new_columns=names,
        raise_if_empty=False,
        truncate_ragged_lines=False,
    )
    return frame.with_columns(pl.all().fill_null(""))


COPY_ESCAPES = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}


def copy_unescape(text: str) -> str:
    """A COPY text field back to its value (PostgreSQL writes only these escapes)."""
    return re.sub(r"\\(.)", lambda m: COPY_ESCAPES.get(m.group(1), m.group(1)), text)


def open_snapshots(
    stack: ExitStack, endpoints: Mapping[str, Any]
) -> Iterator[tuple[str, SqlSource, list[SourceTable]]]:
    """Each ``kind: sql`` endpoint opened in its read-only snapshot (held by ``stack``) and
    reflected — for the commands that read sources or staging without a run."""
    for name, endpoint in endpoints.items():
        if endpoint.kind != "sql":
            continue
        source = SqlSource(name, endpoint.url)
        stack.enter_context(source.snapshot())
        yield name, source, source.reflect()
