"""A SQL source's part of a run: open, plan, then extract → mask → load into the shadow.

The source is read in one consistent, read-only snapshot; its live schema is checked
against the rules before anything is written (fail closed). Loading streams each table's
batches through the masker — in worker processes when the run has a pool — into the
target's shadow, noting production and masked values for the leak check as they pass.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterator
from pathlib import Path

import polars as pl
import sqlalchemy as sa

from sanitizer.config.rules import SourceRules
from sanitizer.errors import ConfigError, ConfigErrors
from sanitizer.extract.catalog import source_inventory
from sanitizer.extract.ddl.postgres import staging_roles
from sanitizer.extract.ranges import one_reader_reason
from sanitizer.extract.sql import KeptRows, SourceTable, SqlSource
from sanitizer.load.sql import SqlTarget, open_target
from sanitizer.mask.engine import TableMasker
from sanitizer.mask.plans import SourcePlan
from sanitizer.plan.grants import grant_rule_problems, grants_note, keep_grants
from sanitizer.plan.schema import SchemaPlan, plan_schema
from sanitizer.plan.sql import build_plan
from sanitizer.plan.subset import SubsetPlan, compute_subset, ordered, subset_receipt
from sanitizer.plan.subset_follow import ColumnRef
from sanitizer.plan.subset_graph import SubsetGraph, build_graph
from sanitizer.receipt import FieldReceipt, TableReceipt
from sanitizer.run.context import RunContext
from sanitizer.run.overlap import InOrder
from sanitizer.verify.fidelity.relations import relations

log = logging.getLogger("sanitizer")

DEFAULT_PORTS = {"postgresql": 5432, "mysql": 3306, "mariadb": 3306}


class SqlPart:
    """One ``kind: sql`` source and its staging database during a run."""

    kind = "sql"  # the run's order of parts goes by kind (run/snapshot.py)

    def __init__(self, name: str, source_url: str, target_url: str) -> None:
        self.name = name
        self.source = SqlSource(name, source_url)
        self.target: SqlTarget = open_target(name, target_url)
        self.tables: list[SourceTable] = []
        self.plan: SourcePlan | None = None
        self.schema = SchemaPlan()  # production's schema objects and those skipped
        self.ddl: object | None = None  # production's own definitions (schema_dump)
        self.graph: SubsetGraph | None = None  # this source's subset: edges to walk
        self.subset: SubsetPlan | None = None  # and every table's kept keys

    def open(self, ctx: RunContext) -> None:
        """Nothing connects to the target before it is known not to be the source."""
        ctx.stack.callback(self.target.close)
        refuse_same_database(self.source, self.target)
        target_dialect = self.target.url.get_backend_name()
        both_postgres = self.source.dialect == "postgresql" and target_dialect == "postgresql"
        self.source.copy_text = self.target.copy_text = both_postgres  # COPY text end to end
        self.source.readers = ctx.settings.engine.reader_count  # PostgreSQL: docs/engine.md
        refuse_other_engine(self.name, self.source.dialect, target_dialect)

    def plan_run(self, ctx: RunContext, rules: SourceRules | None) -> None:
        """Open the snapshot and check every live table and column against the rules, and
        every schema object: one staging cannot reproduce is refused unless skipped."""
        ctx.stack.enter_context(self.source.snapshot())
        self.tables = self.source.reflect()
        rules = rules or SourceRules(self.name)
        self.schema, problems = plan_schema(rules, source_inventory(self.source))
        problems += partition_rules(self.source, rules)
        problems += grant_rule_problems(rules, self.source.dialect)
        try:
            self.plan = build_plan(rules, [t.info for t in self.tables])
        except ConfigErrors as exc:
            problems += exc.errors
        problems += self._subset_graph(ctx)
        if problems:
            raise ConfigErrors(problems)
        self._compute_subset(ctx)
        ctx.receipt.schema[self.name] = self.schema.counts()
        # read in the plan step, so a definition the run cannot read fails a dry run too
        self.source.privileges = rules.grants.keep
        self.ddl = self.source.schema_dump()
        leave_out = getattr(self.ddl, "leave_out", None)
        if leave_out is not None:  # what schema: skip: names is not recreated either
            leave_out(self.schema.skipped)
        keep_grants(rules, self.ddl, self._staging_roles)  # every role staging must have
        ctx.receipt.sources[self.name] = {
            "kind": "sql",
            "url": self.source.describe(),
            "tables": len(self.tables),
        }
        note = grants_note(rules, self.source.dialect)
        if note is not None:
            ctx.receipt.sources[self.name]["grants"] = note
        self._note_readers(ctx)
        ctx.receipt.targets[self.name] = self.target.describe()

    def _note_readers(self, ctx: RunContext) -> None:
        """``readers:`` above 1 on a database that cannot share its snapshot: one reader
        reads, and the log and the receipt say so and why (docs/engine.md)."""
        asked = ctx.settings.engine.reader_count
        why = one_reader_reason(self.source.dialect)
        if asked <= 1 or why is None:
            return
        self.source.readers = 1
        ctx.receipt.sources[self.name]["readers"] = {"asked": asked, "used": 1, "why": why}
        log.info("one reader", extra={"source": self.name, "readers_asked": asked, "why": why})

    def _subset_graph(self, ctx: RunContext) -> list[ConfigError]:
        """The ``subset:`` entry of this source checked against the live schema."""
        config = ctx.settings.subset.sql.get(self.name)
        if config is None:
            return []
        try:
            self.graph = build_graph(config, [t.info for t in self.tables])
        except ConfigErrors as exc:
            return exc.errors
        return []

    def _compute_subset(self, ctx: RunContext) -> None:
        """The kept rows' keys, in the snapshot; the reads then take only those rows."""
        if self.graph is None:
            return
        key = ctx.keyring.subkey("subset")
        only = self.source.only_tables(self.tables)
        self.subset = compute_subset(self.source.connection, self.graph, self.tables, key, only)
        for name, share in self.subset.tables.items():
            if share.mode == "keys":
                keys = ordered(share.keys)
                self.source.filters[name] = KeptRows(keys, share.nulled)
            elif share.mode == "none":
                self.source.filters[name] = KeptRows([])
        ctx.receipt.subset[self.name] = subset_receipt(self.subset)
        log.info(
            "subset computed",
            extra={"run_id": ctx.run_id, "source": self.name, "rows": self.subset.rows()},
        )

    def kept_values(self, ref: ColumnRef) -> frozenset[str]:
        """ref.column's distinct values over the kept rows of ref.table (str(value)); every
        row's value when the table is not subset (passthrough or no subset for this source)."""
        by_name = {t.info.name: t for t in self.tables}
        table = by_name.get(ref.table)
        if table is None or ref.column not in table.info.columns:
            raise ConfigError(
                f"subset: {ref.source}.{ref.table}.{ref.column} is not a column of source "
                f"{self.name!r}.",
                hint="name TABLE.COLUMN of that source (see `sanitize rules check`).",
            )
        return self.source.kept_values(table, ref.column)

    def _staging_roles(self) -> tuple[set[str], set[str] | None]:
        """Staging's roles, read (nothing written) for ``schema: grants: keep``."""
        with self.target.errors("reading staging's roles"), self.target.engine.connect() as conn:
            return staging_roles(conn)

    def uses_nlp(self) -> bool:
        assert self.plan is not None
        return any(
            column.operator.uses_nlp
            for table in self.plan.tables.values()
            for column in table.columns.values()
        )

    def record_plan(self, ctx: RunContext) -> None:
        """A dry run's receipt: the operator each column would get, nothing read; production's
        DDL is tried on the target in a transaction that is rolled back."""
        assert self.plan is not None
        if self.ddl is not None and not self.target.fresh():
            self.target.check_schema(ctx.run_id, self.tables, self.ddl)
        for table in self.tables:
            columns = self.plan.tables[table.info.name].columns
            ctx.receipt.tables[self.key(table)] = TableReceipt(
                fields={
                    name: FieldReceipt(cp.operator.label(), cp.origin, 0, 0)
                    for name, cp in columns.items()
                }
            )

    def load(self, ctx: RunContext) -> None:
        """Every table masked into the shadow; indexes and keys after the data."""
        self.target.prepare(ctx.run_id, self.tables, self.ddl)
        if ctx.fidelity is not None and self.plan is not None:
            ctx.fidelity.relate(self.name, relations(self.plan.tables))
        for table in self.tables:
            self._load_table(ctx, table)
        self.target.finalize()
        for table in self.tables:
            ctx.receipt.tables[self.key(table)].rows_out = self.target.count(table.info.name)

    def _load_table(self, ctx: RunContext, table: SourceTable) -> None:
        assert self.plan is not None and ctx.leaks is not None and ctx.fidelity is not None
        plan, leaks = self.plan.tables[table.info.name], ctx.leaks
        masker = TableMasker(
            plan, ctx.keyring, ctx.settings.nlp, ctx.ledger, copy_text=self.source.copy_text
        )
        table_receipt = TableReceipt()
        profile = ctx.fidelity.table(self.name, plan, self.source.copy_text)  # both sides
        with InOrder(f"profile {table.info.name}") as beside:  # polars: beside the rest
            batches = self._read_counted(ctx, table, table_receipt)
            batches = (_beside(beside, profile.observe, "production", b) for b in batches)
            if ctx.pool:  # the workers index what they mask (docs/engine.md)
                indexer = leaks.indexer(plan, self.name, masker.ledger_columns)
                masked = ctx.pool.mask(masker, batches, (leaks, indexer))
            else:
                indexer = leaks.indexer(plan, self.name)
                masked = (leaks.observe(indexer, b, masker.mask(b)) for b in batches)
            masked = (_beside(beside, profile.observe, "staging", b) for b in masked)
            self.target.write(table, masked)
        table_receipt.fields = FieldReceipt.of_all(masker.stats)
        ctx.receipt.tables[self.key(table)] = table_receipt
        log.info(
            "table masked",
            extra={"run_id": ctx.run_id, "table": table.info.name, "rows": table_receipt.rows_in},
        )

    def _read_counted(
        self, ctx: RunContext, table: SourceTable, counts: TableReceipt
    ) -> Iterator[pl.DataFrame]:
        """Read one table lazily, counting rows in (the target streams it: bounded memory)."""
        for batch in self.source.batches(table, ctx.settings.batch_size):
            counts.rows_in += batch.height
            ctx.advance(self.key(table), batch.height)
            yield batch

    def key(self, table: SourceTable) -> str:
        return f"{self.name}.{table.info.name}"


def _beside(
    beside: InOrder, observe: Callable[[str, pl.DataFrame], None], side: str, batch: pl.DataFrame
) -> pl.DataFrame:
    """``batch``, once ``observe(side, batch)`` is queued on ``beside`` (frames are not
    changed in place, so the profile and the load can share one)."""
    beside.submit(functools.partial(observe, side, batch))
    return batch


def partition_rules(source: SqlSource, rules: SourceRules) -> list[ConfigError]:
    """A partition's rows are read and masked through its partitioned parent, so a rule for
    the partition itself would never apply: say so instead of ignoring it."""
    errors = []
    for name, table_rules in rules.tables.items():
        parent = source.partitions.get(name)
        if parent is not None:
            errors.append(
                ConfigError(
                    f"{table_rules.where}: table {name!r} is a partition of {parent!r}; its rows "
                    f"are read once through {parent!r} and masked by that table's rules.",
                    hint=f"move these rules to {parent!r} and remove the section for {name!r}.",
                )
            )
    return errors


def refuse_same_database(source: SqlSource, target: SqlTarget) -> None:
    """A target on the same server and database as its source would overwrite production
    (docs/design.md, guarantee 2)."""
    if _identity(source.url) == _identity(target.url):
        raise ConfigError(
            f"target {target.name!r} ({target.describe()}) is the same database as its source.",
            hint="point the target at a separate staging database.",
        )


def refuse_other_engine(name: str, source: str, target: str) -> None:
    """Staging's schema is production's own DDL (docs/stores.md, guarantee 10), which only the
    same engine can replay: a PostgreSQL production needs a PostgreSQL staging, and so on."""
    engines = {source, target}
    if source == target or engines <= {"mysql", "mariadb"}:
        return
    raise ConfigError(
        f"target {name!r} is a {target} database but its source is {source}: staging keeps "
        "production's schema object for object (tables, views, triggers, functions…), which "
        "only the same database engine can reproduce, so nothing was written.",
        hint=f"point targets.{name} at a {source} database.",
    )


def _identity(url: sa.URL) -> tuple[object, ...]:
    backend = url.get_backend_name()
    if backend == "sqlite":
        return (backend, Path(url.database or "").resolve())
    port = url.port or DEFAULT_PORTS.get(backend, 0)  # "no port" means the default one
    host = "localhost" if url.host in (None, "", "127.0.0.1", "::1", "localhost") else url.host
    return (backend, host, port, url.database)
