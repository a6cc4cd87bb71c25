"""Several PostgreSQL connections reading one table at once, in the run's exported snapshot.

The table is cut into ranges of its primary key, each about :data:`RANGE_BATCHES` batches of
rows; ``readers`` threads, each on its own connection that joined the run's snapshot
(``SET TRANSACTION SNAPSHOT``, :meth:`SqlSource.reader`), read the ranges, and the frames are
handed on range after range — the order a single reader gives, so masking, the unique ledger
and loading see the same rows in the same order (docs/engine.md#reading-production).
Only PostgreSQL can share a snapshot between connections; a table whose primary key is not a
single orderable column, a subset's read and other databases keep one reader.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Protocol

import polars as pl
import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError

from sanitizer.errors import SourceError
from sanitizer.extract.reads import Slice, SourceTable, regroup
from sanitizer.stores.sql import psycopg_errors, reason

RANGE_BATCHES = 2  # batches of rows per key range: what one reader reads in one go
ORDERABLE = (sa.Integer, sa.String, sa.Date, sa.DateTime, sa.Uuid)


class SqlSource(Protocol):
    """What a parallel read needs of its source (extract.sql.SqlSource gives it)."""

    name: str
    dialect: str
    readers: int
    connection: sa.Connection

    @property
    def snapshot_id(self) -> str: ...

    def reads_only(self, table: sa.Table) -> bool: ...

    def reader(self) -> SqlSource: ...

    def read_range(
        self,
        source_table: SourceTable,
        batch_size: int,
        part: Slice,
        after: tuple | None = None,
    ) -> Iterator[pl.DataFrame]: ...

    def close(self) -> None: ...


def one_reader_reason(dialect: str) -> str | None:
    """Why a source's tables are read by one connection whatever ``readers:`` says, or None
    where readers can share the run's snapshot (PostgreSQL; docs/engine.md#reading-production)."""
    if dialect == "postgresql":
        return None
    if dialect in ("mysql", "mariadb"):
        return (
            "a consistent snapshot cannot be shared between MySQL/MariaDB connections "
            "(WITH CONSISTENT SNAPSHOT is per connection), so one connection reads every table"
        )
    return f"{dialect} cannot share a snapshot between connections; one connection reads"


def splittable(source: SqlSource, source_table: SourceTable) -> bool:
    """Whether ranges of the table's primary key can be read apart: PostgreSQL with an
    exported snapshot, and a single primary-key column of a type that orders as it binds."""
    if source.dialect != "postgresql" or not source.snapshot_id:
        return False
    columns = list(source_table.table.primary_key.columns)
    if len(columns) != 1:
        return False
    kind = columns[0].type
    return isinstance(kind, ORDERABLE) and not isinstance(kind, sa.Enum)


def boundaries(source: SqlSource, source_table: SourceTable, rows: int) -> list[tuple]:
    """Every ``rows``-th primary key in key order, read in the run's snapshot: each ends a
    range (one pass over the key's index, much less than reading the rows)."""
    table = source_table.table
    preparer = source.connection.dialect.identifier_preparer
    key = preparer.quote(table.primary_key.columns[0].name)
    only = "ONLY " if source.reads_only(table) else ""
    sql = (
        f"SELECT k FROM (SELECT {key} AS k, row_number() OVER (ORDER BY {key}) AS n "
        f"FROM {only}{preparer.format_table(table)}) AS r WHERE mod(n, {int(rows)}) = 0 ORDER BY k"
    )
    try:
        return [(k,) for k in source.connection.exec_driver_sql(sql).scalars()]
    except (SQLAlchemyError, psycopg_errors()) as exc:
        raise SourceError(
            f"source {source.name!r}: the key ranges of {source_table.info.name} cannot be "
            f"read: {reason(exc)}.",
            hint="check the connection, or write readers: 1 in sanitize.yaml. Staging was "
            "left as it was.",
            transient=True,
        ) from None


def read_in_parallel(
    source: SqlSource, source_table: SourceTable, batch_size: int
) -> Iterator[pl.DataFrame]:
    """The table's frames in primary-key order, its key ranges read by ``source.readers``
    connections at once; at most two ranges per reader are held in memory."""
    ends = boundaries(source, source_table, batch_size * RANGE_BATCHES)
    if not ends:  # one range: the run's own connection reads it
        yield from source.read_range(source_table, batch_size, Slice())
        return
    spans = iter(zip([None, *ends], [*ends, None], strict=True))
    pool = _Readers(source)
    threads = ThreadPoolExecutor(source.readers, thread_name_prefix="sanitizer-reader")
    pending: deque[Future[list[pl.DataFrame]]] = deque()

    def submit_next() -> None:
        span = next(spans, None)
        if span is not None:
            pending.append(threads.submit(pool.read, source_table, batch_size, *span))

    try:
        for _ in range(2 * source.readers):
            submit_next()
        while pending:
            frames = pending.popleft().result()
            submit_next()  # keep the readers busy while the oldest range is handed on
            yield from regroup(frames, batch_size)
    finally:
        threads.shutdown(wait=True, cancel_futures=True)
        pool.close()


class _Readers:
    """One reader connection per thread, opened on first use and closed together."""

    def __init__(self, source: SqlSource) -> None:
        self.source = source
        self.local = threading.local()
        self.opened: list[SqlSource] = []
        self.lock = threading.Lock()

    def read(
        self, source_table: SourceTable, batch_size: int, low: tuple | None, high: tuple | None
    ) -> list[pl.DataFrame]:
        reader = getattr(self.local, "reader", None)
        if reader is None:
            reader = self.local.reader = self.source.reader()
            with self.lock:
                self.opened.append(reader)
        return list(reader.read_range(source_table, batch_size, Slice(upto=high), low))

    def close(self) -> None:
        with self.lock:
            for reader in self.opened:
                reader.close()
            self.opened.clear()
