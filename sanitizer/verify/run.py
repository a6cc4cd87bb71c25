"""The leak check inside a run: index production values, scan every shadow before the swap.

SQL values are indexed as they are read and the fakes made of them noted as they are written
(no second read of a large table). Object and vector sources are read again once everything is
loaded, by the plans the run loaded them with; then the SQL, object and vector shadows are all
scanned against the one index, so a value from any store is looked for in every store.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Protocol

import numpy as np
import polars as pl

from sanitizer.config.object_rules import ObjectRule
from sanitizer.extract.objects import ObjectSource
from sanitizer.extract.vectors.base import VectorSource
from sanitizer.load.objects import ObjectTarget
from sanitizer.load.vectors.base import VectorTarget
from sanitizer.mask.plans import CollectionPlan, SourcePlan, TablePlan
from sanitizer.mask.pseudonyms import Keyring
from sanitizer.mask.secrets import SecretsSettings
from sanitizer.plan.objects import PlannedObject
from sanitizer.verify.hosts import HostIndex
from sanitizer.verify.leaks import (
    HashMemo,
    IndexPart,
    LeakIndex,
    LeakReport,
    first_seen,
    verification_key,
)
from sanitizer.verify.objects import StoreScan, index_object, scan_store
from sanitizer.verify.pieces import PieceIndexer, masked_values
from sanitizer.verify.secrets import (
    Pending,
    Sweep,
    object_texts,
    production_texts,
    record_texts,
    sweep_collections,
    sweep_frames,
    sweep_objects,
    sweep_table,
    swept_columns,
)
from sanitizer.verify.sql import (
    scan_frames,
    scan_table,
    scanned_columns,
    shadow_frames,
)
from sanitizer.verify.tracker import Tracker
from sanitizer.verify.vectors import index_collections, scan_collections

if TYPE_CHECKING:
    from sanitizer.extract.sql import SourceTable, SqlSource
    from sanitizer.load.sql import SqlTarget


class SqlRun(Protocol):
    """A SQL source's part of a run, as the secrets sweep reads it."""

    name: str
    source: SqlSource
    target: SqlTarget
    tables: list[SourceTable]
    plan: SourcePlan | None


class ObjectRun(Protocol):
    """An object source's part of a run, as the leak check reads it."""

    name: str
    source: ObjectSource
    target: ObjectTarget
    planned: list[PlannedObject]


class VectorRun(Protocol):
    """A vector source's part of a run, as the leak check reads it."""

    name: str
    source: VectorSource
    target: VectorTarget
    plans: dict[str, CollectionPlan]


# (shadow, source name, plans); a string: SqlTarget is imported for type checking only
Tables = list[tuple["SqlTarget", str, list[TablePlan]]]


class RunLeakCheck:
    """One run's leak index and report, and its secrets sweep (``secrets``: sanitize.yaml's
    ``secrets:`` section). (PostgreSQL COPY batches hold escaped text; a value with a tab,
    newline or backslash is then compared escaped, so such values go unchecked.)"""

    def __init__(
        self, keyring: Keyring, batch_size: int, secrets: SecretsSettings | None = None
    ) -> None:
        self.keyring = keyring
        self.index = LeakIndex(verification_key(keyring))
        self.batch_size = batch_size
        secrets = secrets or SecretsSettings()
        self.sinks, self.allow = list(secrets.sinks.values()), secrets.allow
        self.hosts = HostIndex(self.sinks, self.allow)  # learned as batches pass
        self.secrets = Sweep(self.hosts, secrets, self.index.key, self.index)
        self.swept: set[str] = set()  # SQL sources the scan has swept too (one read)
        self.fakes = HashMemo()  # digests of whole masked values (dense ids collide)
        self.seen = HashMemo()  # hashes of source values offered to the index
        self.seen_fakes = HashMemo()
        self.report = LeakReport()

    def indexer(self, plan: TablePlan, source: str, ledger: Iterable[str] = ()) -> PieceIndexer:
        """What indexes a table's pieces where they are masked (``ledger``: the columns the
        driver masks after the workers; docs/engine.md)."""
        return PieceIndexer(plan, source, HostIndex(self.sinks, self.allow), frozenset(ledger))

    def observe(
        self, indexer: PieceIndexer, production: pl.DataFrame, masked: pl.DataFrame
    ) -> pl.DataFrame:
        """Index a batch masked in this process (each value once while ``seen`` holds it)."""
        self.merge(indexer(self.keyring, production, masked, self.seen, self.seen_fakes))
        return masked

    def merge(
        self,
        part: IndexPart,
        masked: pl.DataFrame | None = None,
        plan: TablePlan | None = None,
        ledger: Iterable[str] = (),
    ) -> None:
        """Add a piece's part, made here or by a worker; with ``masked``, also note the fakes
        of its ``ledger`` columns, which were masked here. A host learned from several fields
        is named by the first of them in name order, so the report does not depend on how
        the batches were cut."""
        self.index.merge(part)
        self.fakes.extend(part.fakes)
        hosts = self.hosts.hosts
        for host, where in part.hosts.items():
            if host not in hosts or where < hosts[host]:
                hosts[host] = where
        columns = list(ledger)
        if masked is not None and plan is not None and columns:
            values = first_seen(list(masked_values(plan, masked, columns)), self.seen_fakes)
            self.fakes.extend(np.array([self.index.digest(v) for v in values], dtype=np.int64))  # type: ignore[arg-type]

    def check(
        self,
        tables: Tables,
        objects: list[ObjectRun],
        vectors: list[VectorRun],
        sql: list[SqlRun] | None = None,
    ) -> None:
        """Index the object and vector sources, then scan every shadow. A hit may be a fake
        of a store's value: then the stores are indexed again with their fakes, which are
        forgotten, and everything is scanned again — a clean run never pays for fakes.
        With ``sql`` (the parts of ``tables``), each SQL shadow table and each object of an
        object shadow is read once for the scan and the secrets sweep together (see
        :meth:`scan_and_sweep` and :meth:`scan_and_sweep_objects`)."""
        tracker = self.index_stores(objects, vectors, fakes=False)
        self.scan(tables, objects, vectors, sql)
        if self.report.total and tracker.added:
            self.index_stores(objects, vectors, fakes=True).finish()
            self.report = LeakReport()
            if self.swept:  # swept with the index before it forgot: sweep afresh
                self.secrets = Sweep(self.hosts, self.secrets.settings, self.index.key, self.index)
                self.swept.clear()
            self.scan(tables, objects, vectors, sql)

    def index_stores(
        self, objects: list[ObjectRun], vectors: list[VectorRun], fakes: bool
    ) -> Tracker:
        """Index the masked fields of every object and vector source (read again)."""
        tracker = Tracker(self.index, self.keyring, fakes, self.hosts)
        with tracker.holding():  # many small objects: their values indexed together
            for run in objects:
                for item in run.planned:
                    index_object(run.source, item.info, item.rule, tracker)
            for vector_run in vectors:
                index_collections(vector_run.source, vector_run.plans, tracker, self.batch_size)
        return tracker

    def scan(
        self,
        tables: Tables,
        objects: list[ObjectRun],
        vectors: list[VectorRun],
        sql: list[SqlRun] | None = None,
    ) -> None:
        """Look for indexed values in every SQL, object and vector shadow (and sweep the SQL
        parts of ``sql`` and, when ``sql`` is given, the object shadows in the same read)."""
        self.index.forget(self.fakes.values())  # masked SQL values equal to production's
        parts = {(part.name, id(part.target)): part for part in sql or []}
        for target, source, plans in tables:
            part = parts.get((source, id(target)))
            if part is not None:
                self.scan_and_sweep(part, plans)
            elif len(self.index):
                shadow = target.shadow_reader()
                for plan in plans:
                    scan_table(shadow, source, plan, self.index, self.report)
        for run in objects:
            if sql is None:
                scan_store(run.target.shadow_reader(), run.name, self.index, self.report)
            else:
                self.scan_and_sweep_objects(run)
        for vector_run in vectors:
            if all(plan.drop for plan in vector_run.plans.values()):
                continue  # nothing was loaded, so there is no shadow to read
            reader, collections = vector_run.target.shadow_reader()
            try:
                scan_collections(reader, collections, vector_run.name, self.index, self.report)
            finally:
                reader.close()

    def scan_and_sweep(self, part: SqlRun, plans: list[TablePlan]) -> None:
        """The leak scan and the secrets sweep of one SQL part's shadow tables, each table
        read once when both want the same columns (no binary column: those only the sweep
        reads, so frames would be cut elsewhere); production is read again only to confirm
        a flagged value, as :meth:`sweep` does."""
        shadow, sweep = part.target.shadow_reader(), self.secrets
        self.swept.add(part.name)
        for table, plan in zip(part.tables, plans, strict=True):
            pending = sweep.pending()
            texts = scanned_columns(plan) if len(self.index) else []
            if texts and texts == swept_columns(plan):
                self._scan_and_sweep_table(shadow, part.name, plan, texts, pending)
            else:
                if texts:
                    scan_table(shadow, part.name, plan, self.index, self.report)
                sweep_table(sweep, shadow, part.name, plan, pending)
            frames = part.source.batches(table, self.batch_size)
            sweep.confirm(pending, production_texts(frames, part.source.copy_text))

    def scan_and_sweep_objects(self, run: ObjectRun) -> None:
        """The leak scan and the secrets sweep of an object source's shadow, each object
        read once for both (the sweep tells the scan what it reads); production is read
        again only to confirm a flagged value, as :meth:`sweep` does."""
        sweep, reader = self.secrets, run.target.shadow_reader()
        self.swept.add(run.name)
        scan = StoreScan(run.name, self.index, self.report) if len(self.index) else None
        pending = sweep.pending()
        sweep_objects(sweep, reader, run.name, _rules_of(run).get, pending, scan)
        if scan is not None:
            scan.finish()
        sweep.confirm(pending, object_texts(run.source))

    def _scan_and_sweep_table(
        self, shadow: SqlTarget, source: str, plan: TablePlan, texts: list[str], pending: Pending
    ) -> None:
        keys, name = list(plan.table.primary_key), plan.table.name
        first, clean, swept = 1, dict[str, HashMemo](), dict[str, HashMemo]()
        where = f"{source}.{name}"
        for frame in shadow_frames(shadow, name, keys, texts):
            scan_frames(self.index, self.report, where, keys, texts, [frame], first, clean)
            sweep_frames(self.secrets, source, plan, [frame], pending, first, swept)
            first += frame.height

    def sweep(self, sql: list[SqlRun], objects: list[ObjectRun], vectors: list[VectorRun]) -> None:
        """The secrets sweep over every shadow (after :meth:`check`, which learned the object
        and vector sources' hosts): what it flags is confirmed against the same store's
        production data, read again only when something was flagged."""
        sweep = self.secrets
        for part in sql:
            if part.plan is None or part.name in self.swept:
                continue
            shadow = part.target.shadow_reader()
            for table in part.tables:
                pending = sweep.pending()
                sweep_table(sweep, shadow, part.name, part.plan.tables[table.info.name], pending)
                frames = part.source.batches(table, self.batch_size)
                sweep.confirm(pending, production_texts(frames, part.source.copy_text))
        for run in objects:
            if run.name in self.swept:
                continue
            pending = sweep.pending()
            sweep_objects(sweep, run.target.shadow_reader(), run.name, _rules_of(run).get, pending)
            sweep.confirm(pending, object_texts(run.source))
        for vector_run in vectors:
            kept = [plan.collection for plan in vector_run.plans.values() if not plan.drop]
            if not kept:
                continue  # nothing was loaded, so there is no shadow to read
            reader, collections = vector_run.target.shadow_reader()
            pending = sweep.pending()
            try:
                sweep_collections(
                    sweep, reader, collections, vector_run.name, vector_run.plans, pending
                )
            finally:
                reader.close()
            sweep.confirm(pending, record_texts(vector_run.source, kept))


def _rules_of(run: ObjectRun) -> dict[str, ObjectRule]:
    """Each staging key's rule (a masked key's, by the key it was written under)."""
    return {item.key_out or item.info.key: item.rule for item in run.planned}
