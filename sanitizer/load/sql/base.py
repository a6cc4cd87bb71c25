"""The SQL target base class, shared by the dialect adapters (postgres, mysql, sqlite).

A run calls ``prepare`` (the shadow from production's own DDL, the source's ``schema_dump``:
what the data needs first), ``write`` per batch, ``finalize`` (the rest of production's DDL,
after the data: indexes, keys, triggers…), then ``swap`` — one atomic step — or ``discard`` on
any failure, which leaves yesterday's staging untouched. Source and target are the same
engine (run/sql.py refuses any other pair), so each dialect has one way to build its shadow.
"""

from __future__ import annotations

import logging
from abc import abstractmethod
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import polars as pl
import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError

from sanitizer import retry
from sanitizer.errors import ConfigError, LockedError, TargetError
from sanitizer.extract.sql import SourceTable
from sanitizer.load.sql.history import META_TABLES, History
from sanitizer.load.target import SHADOW_MARK, Target
from sanitizer.stores.sql import create_engine, psycopg_errors, reason, safe_url

log = logging.getLogger(__name__)


class SqlTarget(Target):
    """A staging database. Subclasses own the dialect's shadow and swap mechanics."""

    def __init__(self, name: str, url: sa.URL) -> None:
        self.name = name
        self.url = url
        # pre-ping: a connection the server dropped is replaced before a batch is retried on it
        self.engine = create_engine(url, f"targets.{name}", pool_pre_ping=True)
        self.live_engine = self.engine  # the live data's engine (SQLite's moves to the shadow)
        self.run_id = ""
        self.tables: dict[str, sa.Table] = {}  # rule name → shadow table
        self.copy_text = False  # only PostgreSQL targets take COPY text batches

    def describe(self) -> str:
        return safe_url(self.url)

    # -- ownership, history and the lock --------------------------------------------------
    meta_schema: str | None = None  # where the marker and run history live (never swapped)

    @property
    def history(self) -> History:
        return History(self.live_engine, self.meta_schema, self.describe())

    def fresh(self) -> bool:
        """Whether the target does not exist yet (sanitizer will create it)."""
        return False

    def foreign_tables(self) -> list[str]:
        """Live tables that are not sanitizer's own bookkeeping."""
        with self.errors("reading the target"), self.live_engine.connect() as conn:
            names = sa.inspect(conn).get_table_names()
        return sorted(n for n in names if n not in META_TABLES and SHADOW_MARK not in n)

    def claim(self, run_id: str, version: str, init: bool, write: bool = True) -> None:
        """Refuse a target sanitizer does not own; adopt a new or (with ``init``) empty one.

        The marker is written on first use, so later runs know this is staging.
        """
        fresh = self.fresh()  # before anything connects (connecting may create it)
        with self.errors("checking the staging marker"):
            if not fresh and self.history.has_marker():
                return
        where = f"target {self.name!r} ({self.describe()})"
        foreign = [] if fresh else self.foreign_tables()
        if foreign:
            shown = ", ".join(foreign[:5]) + (", …" if len(foreign) > 5 else "")
            raise ConfigError(
                f"{where} holds {len(foreign)} table(s) sanitizer did not write ({shown}); "
                "it is not a staging database sanitizer owns, so nothing was written.",
                hint="point the target at a dedicated, empty staging database.",
            )
        if not fresh and not init:
            raise ConfigError(
                f"{where} is an existing database sanitizer has not written to yet.",
                hint="if it is meant to be staging, run once with `sanitize snapshot --init` "
                "to adopt it (it is empty, so nothing is lost).",
            )
        if write:
            with self.errors("writing the staging marker"):
                self.history.create(run_id, version)

    @contextmanager
    def lock(self, run_id: str = "", ttl: int = 0) -> Iterator[None]:
        """Hold the staging lock for the run; a second run gets a LockedError at once.
        A database lock dies with its session, so neither argument is needed here."""
        yield

    def locked(self) -> LockedError:
        running = [r["run_id"] for r in self._recent_quietly() if r["status"] == "running"]
        holder = f" (run {running[0]})" if running else ""
        return LockedError(
            f"target {self.name!r} ({self.describe()}) is being written by another run{holder}.",
            hint="wait for it to finish; runs against the same staging never overlap. A run "
            "that was killed releases the lock with its process.",
        )

    def _recent_quietly(self) -> list[dict]:
        try:
            return self.history.recent(5)
        except Exception:  # only for the message
            return []

    # -- the interface -------------------------------------------------------------------
    @abstractmethod
    def prepare(self, run_id: str, source_tables: list[SourceTable], schema: Any) -> None:
        """Create the shadow from ``schema``, production's own DDL as the source's engine
        states it (``extract/ddl``), up to what the data needs (see each dialect)."""

    def address(self, source_tables: list[SourceTable]) -> None:
        """The reflected tables, pointed at the shadow's (nothing is created from them): they
        name the tables the load writes, ``count`` counts and ``stream_rows`` reads back."""
        metadata = sa.MetaData()
        for source_table in source_tables:
            self.tables[source_table.info.name] = self.copy_table(source_table.table, metadata)

    def check_schema(self, run_id: str, source_tables: list[SourceTable], schema: Any) -> None:
        """``--dry-run``: try production's DDL on the target without keeping anything
        (PostgreSQL does; elsewhere a real run proves every definition in the shadow)."""

    def write(self, source_table: SourceTable, batches: Iterable[pl.DataFrame]) -> None:
        """Bulk-append a table's masked batches to its shadow table, streaming."""
        with self.errors(f"loading {source_table.info.name}"):
            self.bulk_insert(self.tables[source_table.info.name], batches)

    @abstractmethod
    def finalize(self) -> None:
        """The rest of production's DDL, after the data (faster, and triggers do not fire)."""

    def count(self, rule_name: str) -> int:
        table = self.tables[rule_name]
        with self.errors(f"counting {rule_name}"), self.engine.connect() as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())

    def stream_rows(self, rule_name: str, columns: list[str]) -> Iterator[tuple]:
        """Rows of a loaded shadow table (only ``columns``), streamed: verification reads back
        exactly what landed."""
        table = self.tables[rule_name]
        # as stored: a JSON column holding malformed text must read back, not be parsed
        query = sa.select(*(sa.type_coerce(table.c[name], sa.UnicodeText) for name in columns))
        with self.errors(f"reading back {rule_name}"), self.engine.connect() as conn:
            result = conn.execution_options(stream_results=True, yield_per=10_000).execute(query)
            yield from result

    @abstractmethod
    def copy_table(self, table: sa.Table, metadata: sa.MetaData) -> sa.Table:
        """A source table as its shadow table's address (see :meth:`address`)."""

    def bulk_insert(self, table: sa.Table, batches: Iterable[pl.DataFrame]) -> None:
        """One transaction per batch, retried on a transient failure: a failed batch rolled
        back, so trying it again adds no row twice."""
        for batch in batches:
            retry.call(lambda b=batch: self.insert_batch(table, b), f"loading {table.name}")

    def insert_batch(self, table: sa.Table, batch: pl.DataFrame) -> None:
        """Multi-row INSERTs in one transaction (PostgreSQL overrides with COPY)."""
        with self.engine.begin() as conn:
            self.insert_rows(conn, table, batch)

    def insert_rows(self, conn: sa.Connection, table: sa.Table, batch: pl.DataFrame) -> None:
        """The batch's stored columns as one multi-row INSERT on ``conn``."""
        rows_in = list(rows(batch.select(stored_columns(table))))
        conn.exec_driver_sql(self.insert_sql(table, conn), rows_in)

    @abstractmethod
    def swap(self) -> None:
        """Make the shadow the live staging data in one atomic step."""

    @abstractmethod
    def discard(self) -> None:
        """Remove the shadow after a failure; the live staging data is untouched."""

    def shadow_names(self) -> dict[str, str] | None:
        """The shadow's schemas or database → production's name for each, so the shadow's
        inventory reads as production's; None where the shadow is read as itself (SQLite's
        shadow file)."""
        return None

    def shadow_reader(self) -> SqlTarget:
        """The shadow tables are read back through the target itself (``tables``,
        ``stream_rows``, ``count``): verification reads exactly what landed."""
        return self

    def close(self) -> None:
        self.engine.dispose()
        self.live_engine.dispose()

    # -- helpers -------------------------------------------------------------------------
    @contextmanager
    def errors(self, doing: str) -> Iterator[None]:
        """Turn driver errors into a TargetError without SQL text or parameters."""
        try:
            yield
        except (SQLAlchemyError, psycopg_errors()) as exc:  # COPY errors come unwrapped
            transient = retry.is_transient(exc)
            raise TargetError(
                f"target {self.name!r} ({self.describe()}): {doing} failed: {reason(exc)}"
                + (" (the connection failed)" if transient else "")
                + ".",
                hint="the previous staging data is intact; fix the cause and run again"
                + (
                    " (each batch is retried on a lost connection: retries.attempts in "
                    "sanitize.yaml waits longer)."
                    if transient
                    else "."
                ),
                transient=transient,
            ) from None

    def insert_sql(self, table: sa.Table, conn: sa.Connection) -> str:
        preparer = conn.dialect.identifier_preparer
        columns = stored_columns(table)
        names = ", ".join(preparer.quote(name) for name in columns)
        marker = "?" if conn.dialect.paramstyle == "qmark" else "%s"
        marks = ", ".join([marker] * len(columns))
        return f"INSERT INTO {preparer.format_table(table)} ({names}) VALUES ({marks})"


def stored_columns(table: sa.Table) -> list[str]:
    """The columns a load writes. Generated columns are read (their rules count for coverage)
    but never written: the database derives them again from the masked columns
    (docs/stores.md)."""
    return [c.name for c in table.columns if c.computed is None]


def rows(batch: pl.DataFrame) -> Iterator[tuple]:
    """A batch as Python tuples for the driver (polars converts each column once)."""
    return batch.iter_rows()
