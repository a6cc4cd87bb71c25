"""The subset's key-set closure, computed in the source's consistent snapshot (docs/subsetting.md).

Only primary keys travel to Python, never rows: roots (a WHERE condition, a keyed percentage,
a row limit) → upward, every reference of every kept row pulls its parent in, to a fixpoint →
downward, only the ``follow`` edges and only from rows that came in as roots or by following
(a row pulled in as a parent does not bring its other children: the classic over-growth), each
newly followed row closed upward again. Lookups go by key in chunks, so they use the source's
indexes and the cost grows with the subset. The source is read-only: no temporary tables.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from hashlib import blake2b, sha256
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError

from sanitizer.config.subset_settings import Root
from sanitizer.errors import ConfigError, SourceError
from sanitizer.extract.sql import SourceTable
from sanitizer.plan.subset_graph import Edge, SubsetGraph
from sanitizer.schema import INTEGER
from sanitizer.stores.sql import psycopg_errors, reason

ROOT_PAGE = 50_000  # a root's keys per query, in key order
CHUNK = 500  # keys per lookup: well under every engine's bind-parameter limit
ARRAY_CHUNK = 5000  # one-column keys per PostgreSQL lookup (a single array parameter)
HASH_BITS = 52  # a percent root's hash, as a number: exact in MySQL's doubles too
Key = tuple


@dataclass
class TableSubset:
    """One table's share: ``mode`` is ``keys`` (the rows of ``keys``), ``all`` or ``none``."""

    mode: str
    keys: set[Key] = field(default_factory=set)
    reasons: dict[str, int] = field(default_factory=dict)  # what pulled rows in → rows it added
    production_rows: int = 0
    nulled: frozenset[str] = frozenset()  # FK columns into excluded tables, loaded as NULL

    def add(self, keys: Iterable[Key], reason: str) -> set[Key]:
        """Keep ``keys``; returns those that are new, counted under ``reason``."""
        new = set(keys) - self.keys
        if new:
            self.keys |= new
            self.reasons[reason] = self.reasons.get(reason, 0) + len(new)
        return new

    def rows(self) -> int:
        if self.mode == "all":
            return self.production_rows
        return len(self.keys) if self.mode == "keys" else 0

    def path(self) -> str:
        """How the rows came in, e.g. ``root where …; parent of tickets.account_id``."""
        if self.mode != "keys":
            return "passthrough (whole table)" if self.mode == "all" else "excluded (no rows)"
        if not self.reasons:
            return "nothing refers to it (no rows)"
        return "; ".join(f"{why} ({n})" for why, n in self.reasons.items())


@dataclass
class SubsetPlan:
    """Every table's share of one source's subset."""

    source: str
    tables: dict[str, TableSubset]
    notes: list[str] = field(default_factory=list)

    def rows(self) -> int:
        return sum(share.rows() for share in self.tables.values())


def subset_receipt(plan: SubsetPlan) -> dict[str, Any]:
    """The receipt's and the dry run's view: per table production rows, kept rows and the
    edges that pulled them in (so a surprising size can be explained)."""
    return {
        "tables": {
            name: {
                "production_rows": share.production_rows,
                "subset_rows": share.rows(),
                "path": share.path(),
            }
            for name, share in plan.tables.items()
        },
        "notes": list(plan.notes),
    }


class Closure:
    """Runs the closure of one graph on the source's snapshot connection."""

    def __init__(
        self,
        conn: Connection,
        graph: SubsetGraph,
        tables: list[SourceTable],
        key: bytes,
        only: frozenset[str] = frozenset(),
    ) -> None:
        self.conn = conn
        self.graph = graph
        self.sa_tables = {t.info.name: t.table for t in tables}
        self.only_tables = {t.table for t in tables if t.info.name in only}
        self.dialect = conn.dialect.name
        self.key = key  # the run's subset subkey: never in SQL text, logs or errors
        self.state: dict[str, TableSubset] = {}
        self.pending_up: dict[str, set[Key]] = {}
        self.pending_down: dict[str, set[Key]] = {}
        self.followed: dict[str, set[Key]] = {}

    # -- the walk ------------------------------------------------------------------------
    def run(self) -> SubsetPlan:
        graph = self.graph
        for name in graph.tables:
            mode = (
                "all" if name in graph.passthrough else "none" if name in graph.exclude else "keys"
            )
            nulled = frozenset(graph.nulled.get(name, ()))
            self.state[name] = TableSubset(mode, nulled=nulled)
            self.pending_up[name], self.pending_down[name] = set(), set()
            self.followed[name] = set()
        for name, roots in graph.roots.items():
            for root in roots:
                new = self.state[name].add(self._root_keys(name, root), root.describe())
                self.pending_up[name] |= new
                self.pending_down[name] |= new
        for name in sorted(graph.passthrough):
            for edge in graph.up(name):
                self._pull_parents(edge, self._all_values(edge))
        while any(self.pending_up.values()) or any(self.pending_down.values()):
            for name in sorted(graph.tables):
                up, self.pending_up[name] = self.pending_up[name], set()
                if up:
                    self._close_up(name, up)
                down, self.pending_down[name] = self.pending_down[name], set()
                if down:
                    self._follow(name, down)
        for name, share in self.state.items():
            share.production_rows = self._count(name)
        notes = [
            f"{t}.{c} points into an excluded table: loaded as NULL"
            for t, cols in sorted(graph.nulled.items())
            for c in sorted(cols)
        ]
        return SubsetPlan(graph.config.source, self.state, notes)

    def _close_up(self, name: str, keys: set[Key]) -> None:
        """Every parent of these rows, by every edge (declared or virtual)."""
        edges = self.graph.up(name)
        if not edges:
            return
        table = self.sa_tables[name]
        exprs = [expr for e in edges for expr in self._edge_expr(table, e)]
        values: list[set[Key]] = [set() for _ in edges]
        for row in self._by_keys(table, keys, exprs):
            at = 0
            for i, edge in enumerate(edges):
                width = len(edge.columns)
                value = tuple(row[at : at + width])
                at += width
                if all(v is not None for v in value):
                    values[i].add(value)
        for edge, found in zip(edges, values, strict=True):
            self._pull_parents(edge, found)

    def _pull_parents(self, edge: Edge, values: set[Key]) -> None:
        """The parent rows these values name join the subset (and are closed upward)."""
        parent = self.state[edge.parent]
        if parent.mode != "keys" or not values:
            return
        values = {self._typed(edge, v) for v in values} - {None}
        pk = self.graph.tables[edge.parent].primary_key
        if tuple(edge.parent_columns) == pk:
            values = {v for v in values if v not in parent.keys}
        if not values:
            return
        found = self._lookup(edge.parent, edge.parent_columns, values)
        new = parent.add(found, f"parent of {edge.label()}")
        self.pending_up[edge.parent] |= new

    def _follow(self, name: str, keys: set[Key]) -> None:
        """Children of followed rows, by the ``follow`` edges only."""
        keys = keys - self.followed[name]
        self.followed[name] |= keys
        table = self.sa_tables[name]
        for edge in self.graph.down(name):
            child = self.state[edge.child]
            if child.mode != "keys":
                continue
            pk = self.graph.tables[name].primary_key
            if tuple(edge.parent_columns) == pk:
                values = set(keys)
            else:
                cols = [table.c[c] for c in edge.parent_columns]
                values = {tuple(r) for r in self._by_keys(table, keys, cols)}
                values = {v for v in values if all(x is not None for x in v)}
            found = self._lookup(edge.child, edge.columns, values, edge.when, edge.limit, edge.path)
            new = child.add(found, f"follow {edge.label()}")
            self.pending_up[edge.child] |= new
            self.pending_down[edge.child] |= found - self.followed[edge.child]

    # -- roots ---------------------------------------------------------------------------
    def _root_keys(self, name: str, root: Root) -> list[Key]:
        table = self.sa_tables[name]
        pk = [table.c[c] for c in self.graph.tables[name].primary_key]
        query = self._select(table, pk)
        if root.where_sql is not None:
            query = query.where(sa.literal_column(f"({root.where_sql})"))
        if root.percent is not None:
            query = query.where(self._chosen(name, pk, root.percent))
        query = query.order_by(*pk)
        if root.limit is not None:
            query = query.limit(root.limit)
        keys: list[Key] = []
        for page in self._root_pages(query, pk, root):
            keys += page
        return keys

    def _root_pages(self, query: sa.Select, pk: list[sa.Column], root: Root) -> Iterator[list[Key]]:
        """A root's primary keys in key order, a page at a time (keyset), so no single
        result holds more than a page."""
        if root.limit is not None:
            yield list(self._stream(query, f"root {root.table}", root))
            return
        after: Key | None = None
        while True:
            page = query if after is None else query.where(sa.tuple_(*pk) > sa.tuple_(*after))
            rows = list(self._stream(page.limit(ROOT_PAGE), f"root {root.table}", root))
            yield rows
            if len(rows) < ROOT_PAGE:
                return
            after = rows[-1]

    def _chosen(self, name: str, pk: list[sa.Column], percent: float) -> sa.ColumnElement:
        """The SQL condition of a ``percent`` root: a hash (``subset_hash``) of a salt and
        the primary key falls under ``percent`` of 2**52. The salt is derived one way from
        the run's key (keyed BLAKE2b of the table's name), so the same key chooses the same
        rows on every run and another key other rows, while the key itself never reaches
        SQL, logs or receipts (docs/subsetting.md). The database hashes its own keys: only
        the chosen ones travel."""
        salt = blake2b(name.encode(), key=self.key, digest_size=16).hexdigest()
        text: sa.ColumnElement = sa.literal(salt, sa.String)
        for column in pk:
            text = text + sa.literal("/", sa.String) + sa.cast(column, sa.String)
        below = sa.literal(int(percent / 100 * 2**HASH_BITS), sa.BigInteger)
        return subset_hash(self.conn, text) < below

    # -- queries -------------------------------------------------------------------------
    def _edge_expr(self, table: sa.Table, edge: Edge) -> list[sa.ColumnElement]:
        return edge_values(self.conn.dialect.name, table, edge)

    def _all_values(self, edge: Edge) -> set[Key]:
        """A passthrough table's distinct values for an edge (every row is kept)."""
        table = self.sa_tables[edge.child]
        query = self._select(table, self._edge_expr(table, edge)).distinct()
        rows = self._stream(query, f"reading {edge.label()}")
        return {tuple(r) for r in rows if all(v is not None for v in r)}

    def _by_keys(
        self, table: sa.Table, keys: set[Key], exprs: list[sa.ColumnElement]
    ) -> Iterator[tuple]:
        """``exprs`` for the rows of these primary keys, a chunk of keys per query."""
        pk = [table.c[c.name] for c in table.primary_key.columns]
        for chunk in chunks(ordered(keys), self._chunk(pk)):
            query = self._select(table, exprs).where(in_keys(self.dialect, pk, chunk))
            yield from self._stream(query, f"reading {table.name}")

    def _lookup(
        self,
        name: str,
        columns: tuple[str, ...],
        values: set[Key],
        when: str | None = None,
        limit: int | None = None,
        path: str | None = None,
    ) -> set[Key]:
        """Primary keys of ``name``'s rows whose ``columns`` hold one of ``values``; with
        ``limit``, only the first that many per value, in primary-key order; with ``path``,
        the text at that JSON path of the one column, compared with the values as text (no
        index serves it: each chunk of values scans the table)."""
        table = self.sa_tables[name]
        pk = [table.c[c] for c in self.graph.tables[name].primary_key]
        cols: list[sa.ColumnElement] = [table.c[c] for c in columns]
        if path is not None:
            cols = [sa.cast(json_path(self.dialect, cols[0], path), sa.String)]
            values = {(str(v[0]),) for v in values}
        found: set[Key] = set()
        for chunk in chunks(ordered(values), self._chunk(cols)):
            query = self._select(table, pk).where(in_keys(self.dialect, cols, chunk))
            if when is not None:
                query = query.where(sa.literal_column(f"({when})"))
            if limit is not None:
                query = first_per_parent(query, pk, cols, limit)
            found |= {tuple(r) for r in self._stream(query, f"looking up {name}")}
        return found

    def _chunk(self, columns: list) -> int:
        """Keys per lookup: on PostgreSQL one column's keys go as one array parameter
        (``in_keys``), so a chunk can be ten times larger and take a tenth of the trips."""
        return ARRAY_CHUNK if self.dialect == "postgresql" and len(columns) == 1 else CHUNK

    def _select(self, table: sa.Table, columns: list[sa.ColumnElement]) -> sa.Select:
        """``SELECT columns FROM table``; ``FROM ONLY`` for a PostgreSQL inheritance parent,
        whose children are tables of their own (the run reads it ``ONLY`` too)."""
        query = sa.select(*columns).select_from(table)
        if table in self.only_tables:
            query = query.with_hint(table, "ONLY", "postgresql")
        return query

    def _typed(self, edge: Edge, value: Key) -> Key | None:
        """A value from a JSON path is text: as the parent column's type (None if not one)."""
        if edge.path is None:
            return value
        column = self.graph.tables[edge.parent].columns[edge.parent_columns[0]]
        text = str(value[0])
        if column.kind == INTEGER:
            try:
                return (int(text),)
            except ValueError:
                return None
        return (text,)

    def _count(self, name: str) -> int:
        query = self._select(self.sa_tables[name], [sa.func.count()])
        return int(next(iter(self._stream(query, f"counting {name}")))[0])

    def _stream(self, query: sa.Select, doing: str, root: Root | None = None) -> Iterator[tuple]:
        """Run one read (keys only, one chunk: held in memory), on PostgreSQL in a savepoint so
        a failing statement does not end the snapshot."""
        try:
            if self.conn.dialect.name == "postgresql":
                with self.conn.begin_nested():  # a failed statement must not end the snapshot
                    rows = _fetch(self.conn, query)
            else:
                rows = _fetch(self.conn, query)
        except (SQLAlchemyError, psycopg_errors()) as exc:
            raise self._failed(exc, doing, root) from None
        yield from rows

    def _failed(self, exc: Exception, doing: str, root: Root | None) -> ConfigError | SourceError:
        """A root's own condition failing is the config's fault, said so with its line."""
        if root is not None and root.where_sql is not None:
            return ConfigError(
                f"{root.where}: subset root {root.table}: the condition fails on the "
                f"source: {reason(exc)}.",
                hint="write where: as a SQL condition on that table's columns, in the "
                "source database's dialect.",
            )
        return SourceError(
            f"subset of source {self.graph.config.source!r}: {doing} failed: {reason(exc)}.",
            hint="check the references: and when: conditions of the subset, and the "
            "role's SELECT privilege.",
        )


def _fetch(conn: Connection, query: sa.Select) -> list[tuple]:
    """The driver's own tuples: keys need no result processing, and skipping it halves the
    time a page of keys takes."""
    with conn.execute(query) as result:
        return list(result.cursor.fetchall()) if result.cursor is not None else []


def compute_subset(
    conn: Connection,
    graph: SubsetGraph,
    tables: list[SourceTable],
    key: bytes,
    only: frozenset[str] = frozenset(),
) -> SubsetPlan:
    """The subset of one source: every table's kept primary keys (see the module doc);
    ``only``: the tables read without their inheritance children (``SqlSource.only_tables``)."""
    return Closure(conn, graph, tables, key, only).run()


def edge_values(
    dialect: str, table: sa.Table, edge: Edge, when: bool = True
) -> list[sa.ColumnElement]:
    """The edge's value columns for a row of ``table``: JSON path extracted, ``when``
    applied (NULL where it does not hold) unless the caller applies it itself."""
    exprs: list[sa.ColumnElement] = [table.c[c] for c in edge.columns]
    if edge.path is not None:
        exprs = [json_path(dialect, table.c[edge.columns[0]], edge.path)]
    if when and edge.when is not None:
        condition = sa.literal_column(f"({edge.when})")
        exprs = [sa.case((condition, e), else_=sa.null()) for e in exprs]
    return exprs


def json_path(dialect: str, column: sa.ColumnElement, path: str) -> sa.ColumnElement:
    """The text at ``path`` ("$.a.b", field names only) inside a JSON column, per engine."""
    if dialect == "postgresql":
        as_jsonb = sa.cast(sa.cast(column, sa.Text), postgresql.JSONB)
        return sa.func.jsonb_extract_path_text(as_jsonb, *path.split(".")[1:])
    if dialect in ("mysql", "mariadb"):
        return sa.func.json_unquote(sa.func.json_extract(column, path))
    return sa.func.json_extract(column, path)


def in_keys(dialect: str, columns: list[sa.ColumnElement], chunk: list[Key]) -> sa.ColumnElement:
    """``(a, b) IN ((…), …)``; one column as a plain ``a IN (…)``, on PostgreSQL as
    ``a = ANY(array)``: one parameter, so the statement is planned once (both use the index)."""
    if len(columns) == 1:
        column, values = columns[0], [k[0] for k in chunk]
        if dialect == "postgresql" and not isinstance(column.type, sa.types.NullType):
            array = sa.bindparam(None, values, type_=postgresql.ARRAY(column.type))
            return column == sa.any_(array)
        return column.in_(values)
    return sa.tuple_(*columns).in_(chunk)


def first_per_parent(
    query: sa.Select, pk: list[sa.Column], parent: list[sa.Column], limit: int
) -> sa.Select:
    """``query``'s rows, at most ``limit`` per value of ``parent``, the first in primary-key
    order (a window function: PostgreSQL, MySQL 8/MariaDB 10.2, SQLite 3.25 have it)."""
    number = sa.func.row_number().over(partition_by=parent, order_by=pk).label("sz_n")
    ranked = query.add_columns(number).subquery("sz_ranked")
    return sa.select(*[ranked.c[c.name] for c in pk]).where(ranked.c.sz_n <= limit)


def subset_hash(conn: Connection, text: sa.ColumnElement) -> sa.ColumnElement:
    """A 52-bit number from ``text``, computed by the database: PostgreSQL's own
    ``hashtextextended`` (the one hash partitioning relies on, stable across versions; a
    sixth of SHA-256's cost there), the first 52 bits of SHA-256 on MySQL/MariaDB and
    SQLite (for which the tool supplies it)."""
    dialect = conn.dialect.name
    hex_digits = HASH_BITS // 4
    if dialect == "postgresql":
        hashed = sa.func.hashtextextended(text, 0, type_=sa.BigInteger)
        return hashed.op("&")(sa.literal(2**HASH_BITS - 1, sa.BigInteger))
    if dialect in ("mysql", "mariadb"):
        head = sa.func.left(sa.func.sha2(text, 256), hex_digits)
        return sa.cast(sa.func.conv(head, 16, 10), sa.BigInteger)
    conn.connection.driver_connection.create_function(
        "sz_subset_hash", 1, _sqlite_subset_hash, deterministic=True
    )
    return sa.func.sz_subset_hash(text, type_=sa.BigInteger)


def _sqlite_subset_hash(text: str | None) -> int | None:
    """SQLite has no SHA-256 of its own: the same number, computed for it by the tool."""
    if text is None:
        return None
    return int.from_bytes(sha256(text.encode("utf-8", "surrogatepass")).digest()[:7], "big") >> (
        56 - HASH_BITS
    )


def chunks(keys: list[Key], size: int = CHUNK) -> Iterator[list[Key]]:
    for start in range(0, len(keys), size):
        yield keys[start : start + size]


def ordered(keys: Iterable[Key]) -> list[Key]:
    """Keys in ``sort_key`` order: the plain tuple order when the keys compare (one type per
    column: the same order, without building a sort key per key), else ``sort_key``'s."""
    keys = list(keys)
    try:
        return sorted(keys)
    except TypeError:
        return sorted(keys, key=sort_key)


def sort_key(key: Key) -> tuple:
    """A total order over keys of mixed types (stable chunks: the same run reads the same)."""
    return tuple((v is None, type(v).__name__, v) for v in key)
