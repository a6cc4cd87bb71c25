"""PostgreSQL staging: one shadow schema per source schema, swapped in by renaming.

Tables are bulk-loaded with ``COPY … FROM STDIN``, one transaction per batch (retried whole
on a transient failure). The swap renames each live schema aside and each shadow schema into
its place inside one transaction — PostgreSQL's DDL is transactional, so readers see
yesterday's schema or today's, never a mix — then drops the old ones.
Sequences (``serial``) are recreated inside the shadow and identities set past the max.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from contextlib import contextmanager

import polars as pl
import sqlalchemy as sa

from sanitizer.extract.sql import SourceTable
from sanitizer.load.sql.base import SqlTarget, rows
from sanitizer.load.target import SHADOW_MARK

NEXTVAL = re.compile(r"nextval\('(?:\"?([^.'\"]+)\"?\.)?\"?([^'\"]+)\"?'(?:::regclass)?\)")


SYSTEM_SCHEMAS = ("information_schema", "pg_catalog", "pg_toast")


class PostgresTarget(SqlTarget):
    meta_schema = "sanitizer_meta"  # outside the swapped schemas, so the history stays put

    def __init__(self, name: str, url: sa.URL) -> None:
        super().__init__(name, url)
        self.shadows: dict[str | None, str] = {}  # source schema (None = default) → shadow
        self.default_schema = "public"
        self.sequences: list[tuple[str, str, str]] = []  # (schema, sequence, table.column)

    # -- ownership and the lock ------------------------------------------------------------
    def foreign_tables(self) -> list[str]:
        with self.errors("reading the target"), self.live_engine.connect() as conn:
            inspector = sa.inspect(conn)
            schemas = [
                s
                for s in inspector.get_schema_names()
                if s not in SYSTEM_SCHEMAS
                and not s.startswith("pg_")
                and s != self.meta_schema
                and SHADOW_MARK not in s
            ]
            return sorted(f"{s}.{t}" for s in schemas for t in inspector.get_table_names(s))

    @contextmanager
    def lock(self, run_id: str = "", ttl: int = 0) -> Iterator[None]:
        """A session-level advisory lock on its own connection: released by the server when
        the process dies, so a killed run never leaves a stale lock."""
        digest = hashlib.blake2b(f"sanitizer:{self.url.database}".encode(), digest_size=8).digest()
        key = int.from_bytes(digest, "big", signed=True)
        with self.errors("taking the staging lock"):
            conn = self.live_engine.connect()
        try:
            with self.errors("taking the staging lock"):
                got = conn.exec_driver_sql("SELECT pg_try_advisory_lock(%s)", (key,)).scalar()
                conn.commit()
            if not got:
                raise self.locked()
            yield
        finally:
            conn.close()  # ends the session, which releases the lock

    # -- shadow ----------------------------------------------------------------------------
    def prepare(
        self, run_id: str, source_tables: list[SourceTable], schema: object | None = None
    ) -> None:
        schemas = {st.table.schema for st in source_tables}
        schemas |= {
            c.type.schema
            for st in source_tables
            for c in st.table.columns
            if isinstance(c.type, sa.Enum) and c.type.name
        }
        with self.errors("reading the target"), self.engine.connect() as conn:
            self.default_schema = sa.inspect(conn).default_schema_name or "public"
        self.shadows = {s: f"{s or self.default_schema}{SHADOW_MARK}{run_id}"[:63] for s in schemas}
        super().prepare(run_id, source_tables)

    def create_shadow(self) -> None:
        with self.engine.begin() as conn:
            self._drop_leftovers(conn)
            for shadow in self.shadows.values():
                conn.exec_driver_sql(f"CREATE SCHEMA {self._q(shadow)}")

    def _drop_leftovers(self, conn: sa.Connection) -> None:
        """Shadow and old schemas of runs that were killed before they could clean up."""
        names = (
            conn.exec_driver_sql(
                "SELECT nspname FROM pg_namespace WHERE nspname LIKE %(pattern)s",
                {"pattern": f"%{SHADOW_MARK}%"},
            )
            .scalars()
            .all()
        )
        for name in names:
            conn.exec_driver_sql(f"DROP SCHEMA {self._q(name)} CASCADE")

    def copy_table(self, table: sa.Table, metadata: sa.MetaData) -> sa.Table:
        shadow = self.shadows[table.schema]
        copy = table.to_metadata(
            metadata,
            schema=shadow,
            referred_schema_fn=lambda _t, _s, _c, referred: self.shadows.get(referred, referred),
        )
        for column in copy.columns:
            if isinstance(column.type, sa.Enum) and column.type.name:
                self._own_enum(column, table.c[column.name].type.schema)
            self._own_sequence(copy, column, shadow, metadata)
        return copy

    def _own_enum(self, column: sa.Column, source_schema: str | None) -> None:
        """An enum type lives in its own schema: recreate it in that schema's shadow."""
        column.type = column.type.copy()
        column.type.schema = self.shadows[source_schema]
        with self.engine.begin() as conn:
            column.type.create(conn, checkfirst=True)
        # A default such as 'active'::status names the live type: point it at the shadow's,
        # or it fails on a first run and is dropped with yesterday's schema on the next.
        default = column.server_default
        text = str(getattr(default, "arg", "")) if default is not None else ""
        live = re.escape(source_schema or self.default_schema)
        cast = re.compile(rf'::(?:"?{live}"?\.)?"?{re.escape(column.type.name)}"?(?![\w"])')
        if cast.search(text):
            shadow_type = f"::{self._q(column.type.schema)}.{self._q(column.type.name)}"
            column.server_default = sa.DefaultClause(
                sa.text(cast.sub(lambda _m: shadow_type, text))
            )

    def _own_sequence(
        self, table: sa.Table, column: sa.Column, shadow: str, metadata: sa.MetaData
    ) -> None:
        """A ``serial`` default names a sequence in the live schema: recreate it in the shadow."""
        default = column.server_default
        text = str(getattr(default, "arg", "")) if default is not None else ""
        match = NEXTVAL.search(text)
        if not match:
            return
        # serial/smallserial/bigserial make their sequence AS the column's type, not bigint
        data_type = column.type if isinstance(column.type, sa.Integer) else None
        sequence = sa.Sequence(
            match.group(2), schema=shadow, metadata=metadata, data_type=data_type
        )
        column.autoincrement = False  # else the DDL says SERIAL and makes a second sequence
        column.server_default = sa.DefaultClause(
            sa.text(f"nextval('{self._q(shadow)}.{self._q(match.group(2))}'::regclass)")
        )
        self.sequences.append((shadow, match.group(2), f"{table.name}.{column.name}"))
        with self.engine.begin() as conn:
            conn.execute(sa.schema.CreateSequence(sequence))

    def insert_batch(self, table: sa.Table, batch: pl.DataFrame) -> None:
        """One ``COPY`` per batch in its own transaction, so a batch whose connection dropped
        is rolled back whole and retried (see :meth:`SqlTarget.bulk_insert`)."""
        names = ", ".join(self._q(c.name) for c in table.columns)
        target = f"{self._q(table.schema)}.{self._q(table.name)}"
        with self.engine.begin() as conn:
            # Only the swap's commit must be durable; a crash before it discards the shadow.
            conn.exec_driver_sql("SET LOCAL synchronous_commit TO off")
            raw = conn.connection.dbapi_connection
            with raw.cursor() as cursor, cursor.copy(f"COPY {target} ({names}) FROM STDIN") as cp:
                if self.copy_text:  # the batch already is COPY text: send it as it is
                    text = batch.write_csv(
                        include_header=False, separator="\t", quote_style="never"
                    )
                    cp.write(text.encode())
                else:
                    for row in rows(batch):
                        cp.write_row(row)

    def after_load(self, conn: sa.Connection) -> None:
        """Sequences and identities continue after the largest loaded value."""
        for shadow, sequence, owner in self.sequences:
            table, column = owner.split(".", 1)
            conn.exec_driver_sql(
                f"ALTER SEQUENCE {self._q(shadow)}.{self._q(sequence)} OWNED BY "
                f"{self._q(shadow)}.{self._q(table)}.{self._q(column)}"
            )
        for table in self.tables.values():
            for column in table.columns:
                if column.identity is None and not any(
                    s == table.schema and o == f"{table.name}.{column.name}"
                    for s, _, o in self.sequences
                ):
                    continue
                qualified = f"{self._q(table.schema)}.{self._q(table.name)}"
                conn.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence(%(t)s, %(c)s), "
                    f"coalesce(max({self._q(column.name)}), 1), "
                    f"max({self._q(column.name)}) IS NOT NULL) FROM {qualified}",
                    {"t": qualified, "c": column.name},
                )

    # -- swap ------------------------------------------------------------------------------
    def swap(self) -> None:
        old = {}
        with self.errors("swapping the shadow in"), self.engine.begin() as conn:
            existing = set(conn.exec_driver_sql("SELECT nspname FROM pg_namespace").scalars())
            for schema, shadow in self.shadows.items():
                live = schema or self.default_schema
                if live in existing:
                    old[live] = f"{live}{SHADOW_MARK}old_{self.run_id}"[:63]
                    conn.exec_driver_sql(
                        f"ALTER SCHEMA {self._q(live)} RENAME TO {self._q(old[live])}"
                    )
                conn.exec_driver_sql(f"ALTER SCHEMA {self._q(shadow)} RENAME TO {self._q(live)}")
        with self.errors("dropping yesterday's schemas"), self.engine.begin() as conn:
            for name in old.values():
                conn.exec_driver_sql(f"DROP SCHEMA {self._q(name)} CASCADE")

    def discard(self) -> None:
        with self.errors("discarding the shadow"), self.engine.begin() as conn:
            for shadow in self.shadows.values():
                conn.exec_driver_sql(f"DROP SCHEMA IF EXISTS {self._q(shadow)} CASCADE")

    def _q(self, name: str | None) -> str:
        return self.engine.dialect.identifier_preparer.quote_identifier(name or "")
