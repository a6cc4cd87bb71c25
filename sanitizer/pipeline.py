"""The one place that wires extract → mask → load → verify → receipt.

Order of a run: read and validate every config and rule file (no connection yet); lock the
SQL targets (see :mod:`sanitizer.guard`); open each source's read-only snapshot and check the
rules against its live schema, objects and collections (still nothing written); lock the
object and vector targets; claim every target (sanitizer's own, or new) and record the run;
then load every shadow (SQL, objects, vectors), verify row counts,
that no masked value survived and that no production value of a masked field is anywhere in
the shadows (tables, objects, vector records), and only then swap all targets in. Any failure
discards every shadow, so the previous staging data stays as it was.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field

import polars as pl

import sanitizer
from sanitizer import retry
from sanitizer.config.plan import SourcePlan, build_plan
from sanitizer.config.rules import SourceRules, load_rules, rule_files
from sanitizer.config.settings import VECTOR_KINDS, Settings
from sanitizer.errors import ConfigError, LeakError, SanitizerError, TargetError
from sanitizer.extract.known import collect_known
from sanitizer.extract.sql import SourceTable, SqlSource
from sanitizer.guard import claim_all, finish_histories, lock_all, start_histories
from sanitizer.load.sql import SqlTarget, open_target
from sanitizer.load.sql.history import History
from sanitizer.mask.engine import TableMasker, UniqueLedger
from sanitizer.mask.objects import ObjectContext
from sanitizer.mask.parallel import MaskPool, worker_count
from sanitizer.mask.pseudonyms import Keyring
from sanitizer.mask.text.known import set_known
from sanitizer.objects_run import ObjectRun, load_objects, plan_objects, record_plan
from sanitizer.receipt import FieldReceipt, Receipt, TableReceipt
from sanitizer.vector_run import (
    VectorRun,
    check_rule_sections,
    load_vector_run,
    open_vector_run,
    planned,
    prepare_embedder,
)
from sanitizer.verify.run import RunLeakCheck

log = logging.getLogger("sanitizer")

Progress = Callable[[str, int], None]  # (table, rows just loaded)


@dataclass
class SourceRun:
    """One source's snapshot, plan and target during a run."""

    source: SqlSource
    target: SqlTarget
    tables: list[SourceTable]
    plan: SourcePlan
    selected: list[SourceTable] = field(default_factory=list)


def new_run_id() -> str:
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    return f"{stamp}-{uuid.uuid4().hex[:6]}"


def rules_digest(settings: Settings) -> str:
    digest = hashlib.sha256()
    for path in rule_files(settings.rules_dir):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def run_snapshot(
    settings: Settings,
    *,
    only: tuple[str, ...] = (),
    dry_run: bool = False,
    init: bool = False,
    progress: Progress | None = None,
) -> Receipt:
    """Run the whole snapshot; returns the receipt (also written to the receipts folder).

    ``init`` adopts an existing, empty staging database that sanitizer has not written to.
    """
    started = time.monotonic()
    receipt = Receipt(
        run_id=new_run_id(),
        tool_version=sanitizer.__version__,
        started_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        rules_digest=rules_digest(settings),
        key_id=settings.key_id,
        key_fingerprint=settings.key_fingerprint,
        dry_run=dry_run,
    )
    histories: list[History] = []
    try:
        _run(settings, receipt, only, dry_run, init, progress, histories)
        receipt.status = "dry-run" if dry_run else "succeeded"
    except SanitizerError as exc:
        receipt.status = "failed"
        receipt.error = f"{type(exc).__name__}: {exc.message}"
        raise
    except BaseException as exc:  # interrupted, or a bug: recorded without its message
        receipt.status = "failed"
        receipt.error = type(exc).__name__
        raise
    finally:
        receipt.finished_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        receipt.duration_seconds = round(time.monotonic() - started, 3)
        finish_histories(histories, receipt)
        if not dry_run:
            path = receipt.write(settings.receipts_dir)
            log.info("receipt written", extra={"path": str(path), "run_id": receipt.run_id})
    return receipt


def _run(
    settings: Settings,
    receipt: Receipt,
    only: tuple[str, ...],
    dry_run: bool,
    init: bool,
    progress: Progress | None,
    histories: list[History],
) -> None:
    retry.configure(settings.retries, receipt.run_id)
    rules = load_rules(settings.rules_dir, list(settings.sources))
    check_rule_sections(settings.sources, rules)
    keyring = Keyring(settings.key)
    with ExitStack() as stack:
        sql = [name for name, endpoint in settings.sources.items() if endpoint.kind == "sql"]
        sources = {name: SqlSource(name, settings.sources[name].url) for name in sql}
        targets = {name: open_target(name, settings.targets[name].url) for name in sql}
        for name, target in targets.items():
            stack.callback(target.close)
            refuse_same_database(sources[name], target)  # before anything connects to it
        if not dry_run:
            ttl = settings.locks.ttl_seconds  # before anything is cleaned or written:
            lock_all(stack, list(targets.values()), receipt.run_id, ttl)
        runs = []
        object_runs: list[ObjectRun] = []
        vector_runs: list[VectorRun] = []
        for name, endpoint in settings.sources.items():
            if endpoint.kind == "objects":
                object_runs.append(_plan_objects(name, settings, rules, keyring, receipt))
                continue
            if endpoint.kind in VECTOR_KINDS:
                target_endpoint = settings.targets[name]
                vector_runs.append(
                    open_vector_run(name, endpoint, target_endpoint, rules.get(name), stack)
                )
                receipt.sources[name] = {"kind": endpoint.kind, "url": endpoint.url}
                receipt.targets[name] = target_endpoint.url
                continue
            source, target = sources[name], targets[name]
            source.copy_text = target.copy_text = (
                source.dialect == "postgresql" and target.url.get_backend_name() == "postgresql"
            )
            stack.enter_context(source.snapshot())
            tables = source.reflect()
            plan = build_plan(rules.get(name) or SourceRules(name), [t.info for t in tables])
            runs.append(SourceRun(source, target, tables, plan))
            receipt.sources[name] = {"kind": "sql", "url": source.describe(), "tables": len(tables)}
            receipt.targets[name] = target.describe()
        _select(runs, only)
        stores = [r.target for r in [*object_runs, *vector_runs]]
        if not dry_run:  # object and vector targets: locked before any is cleaned or written
            lock_all(stack, stores, receipt.run_id, settings.locks.ttl_seconds)
        claim_all(stores, receipt, init, dry_run)
        claim_all([run.target for run in runs], receipt, init, dry_run)
        histories += start_histories([run.target for run in runs], receipt, dry_run)
        embedder = prepare_embedder(vector_runs, settings.embeddings)
        log.info(
            "plan checked",
            extra={"run_id": receipt.run_id, "tables": sum(len(r.selected) for r in runs)},
        )
        if dry_run:
            for run in runs:
                for table in run.selected:
                    receipt.tables[f"{run.source.name}.{table.info.name}"] = _planned(run, table)
            for object_run in object_runs:
                record_plan(object_run, receipt)
            for vector_run in vector_runs:
                receipt.collections.update(planned(vector_run))
            return
        uses_nlp = any(
            cp.operator.uses_nlp
            for run in runs
            for tp in run.plan.tables.values()
            for cp in tp.columns.values()
        )
        known = _known_values(runs) if uses_nlp else {}
        workers = worker_count(settings.workers, uses_nlp)
        pool = (
            stack.enter_context(MaskPool(workers, keyring, settings.nlp, known))
            if workers > 1
            else None
        )
        leaks = RunLeakCheck(keyring, settings.batch_size)
        try:
            ledger = UniqueLedger()
            for run in runs:
                _load_source(run, settings, keyring, ledger, receipt, progress, pool, leaks)
            for object_run in object_runs:
                load_objects(object_run, settings, keyring, ledger, receipt, progress)
            for vector_run in vector_runs:
                load_vector_run(vector_run, settings, keyring, embedder, receipt, progress)
            _verify(receipt)
            _check_leaks(leaks, runs, object_runs, vector_runs, receipt)
            for object_run in object_runs:  # first: an S3 swap can fail midway
                object_run.target.swap()
            for run in runs:
                run.target.swap()
            for vector_run in vector_runs:
                vector_run.target.swap()
        except BaseException:
            for target in [r.target for r in [*runs, *object_runs, *vector_runs]]:
                try:
                    target.discard()
                except Exception:  # the original failure matters more
                    log.exception("discarding the shadow of %s failed", target.name)
            raise
        receipt.verification["swapped"] = True


def _known_values(runs: list[SourceRun]) -> dict[str, list[str]]:
    """Values of fake/format columns, for ``detect`` to find again in free text."""
    known = collect_known([(run.source, run.selected, run.plan) for run in runs])
    count = set_known(known)
    log.info("known values collected", extra={"values": count})
    return known


def _plan_objects(
    name: str, settings: Settings, rules: dict[str, SourceRules], keyring: Keyring, receipt: Receipt
) -> ObjectRun:
    """An object source's plan (see :mod:`sanitizer.objects_run`); checked before any write."""
    ctx = ObjectContext(keyring, settings.nlp, UniqueLedger())
    run = plan_objects(name, settings.sources[name], settings.targets[name], rules.get(name), ctx)
    receipt.sources[name] = {
        "kind": "objects",
        "url": run.source.describe(),
        "objects": len(run.planned),
    }
    receipt.targets[name] = run.target.describe()
    return run


def _select(runs: list[SourceRun], only: tuple[str, ...]) -> None:
    """Resolve ``--only source.table``; a partial run still reloads whole targets."""
    if only:
        raise ConfigError(
            "--only is not supported for SQL targets in this version: a staging database is "
            "swapped in whole so its foreign keys always hold.",
            hint="run without --only.",
        )
    for run in runs:
        run.selected = list(run.tables)


def _planned(run: SourceRun, table: SourceTable) -> TableReceipt:
    table_plan = run.plan.tables[table.info.name]
    return TableReceipt(
        fields={
            name: FieldReceipt(cp.operator.label(), cp.origin, 0, 0)
            for name, cp in table_plan.columns.items()
        }
    )


def _load_source(
    run: SourceRun,
    settings: Settings,
    keyring: Keyring,
    ledger: UniqueLedger,
    receipt: Receipt,
    progress: Progress | None,
    pool: MaskPool | None,
    leaks: RunLeakCheck,
) -> None:
    run.target.prepare(receipt.run_id, run.selected)
    for table in run.selected:
        masker = TableMasker(
            run.plan.tables[table.info.name],
            keyring,
            settings.nlp,
            ledger,
            copy_text=run.source.copy_text,
        )
        table_receipt = TableReceipt()

        table_plan = run.plan.tables[table.info.name]
        batches = _read_counted(run, table, table_receipt, settings.batch_size, progress)
        batches = (leaks.observe_source(table_plan, b) or b for b in batches)
        masked = (
            (masker.mask(batch) for batch in batches)
            if pool is None
            else pool.mask(masker, batches)
        )
        run.target.write(table, (leaks.observe_masked(table_plan, b) for b in masked))
        table_receipt.fields = {
            name: FieldReceipt(
                s.operator,
                s.origin,
                s.masked,
                s.unchanged,
                {k.split(":", 1)[1]: v for k, v in s.details.items() if k.startswith("entity:")},
            )
            for name, s in masker.stats.items()
        }
        receipt.tables[f"{run.source.name}.{table.info.name}"] = table_receipt
        log.info(
            "table masked",
            extra={
                "run_id": receipt.run_id,
                "table": table.info.name,
                "rows": table_receipt.rows_in,
            },
        )
    run.target.finalize()
    for table in run.selected:
        key = f"{run.source.name}.{table.info.name}"
        receipt.tables[key].rows_out = run.target.count(table.info.name)


def _read_counted(
    run: SourceRun,
    table: SourceTable,
    table_receipt: TableReceipt,
    batch_size: int,
    progress: Progress | None,
) -> Iterator[pl.DataFrame]:
    """Read one table lazily, counting rows in (the target streams it: bounded memory)."""
    for batch in run.source.batches(table, batch_size):
        table_receipt.rows_in += batch.height
        if progress:
            progress(f"{run.source.name}.{table.info.name}", batch.height)
        yield batch


def _check_leaks(
    leaks: RunLeakCheck,
    runs: list[SourceRun],
    object_runs: list[ObjectRun],
    vector_runs: list[VectorRun],
    receipt: Receipt,
) -> None:
    """Before the swap: no production value of a masked field anywhere in the shadows."""
    tables = [
        (run.target, run.source.name, [run.plan.tables[t.info.name] for t in run.selected])
        for run in runs
    ]
    leaks.check(tables, object_runs, vector_runs)  # SQL values were indexed as they were read
    report = leaks.report
    receipt.verification["leak_check"] = {
        "values_tracked": len(leaks.index),
        "staging_values_scanned": report.scanned,
        "hits": report.total,
        "where": [f"{h.where} ({h.key})" for h in report.hits],
    }
    if report.total:
        receipt.verification["passed"] = False
        raise LeakError(
            report.describe() + ".",
            hint="the staging copy was discarded; add or tighten the rules for the fields "
            "that hold them (e.g. detect on that text column), then run again.",
        )


def _verify(receipt: Receipt) -> None:
    """Before the swap: every row arrived, and no masked value came through unchanged."""
    loaded = {**receipt.tables, **receipt.collections}  # a dropped collection loads nothing
    loaded = {k: t for k, t in loaded.items() if not getattr(t, "dropped", False)}
    count_mismatch = [name for name, t in loaded.items() if t.rows_in != t.rows_out]
    unchanged = {
        f"{table}.{name}": f.unchanged_values
        for table, t in loaded.items()
        for name, f in t.fields.items()
        if f.unchanged_values
    }
    for t in loaded.values():
        for f in t.fields.values():
            for entity, count in f.detected.items():
                receipt.entities[entity] = receipt.entities.get(entity, 0) + count
    receipt.verification = {
        "row_counts_match": not count_mismatch,
        "unchanged_masked_values": unchanged,
        "passed": not count_mismatch and not unchanged,
    }
    if count_mismatch:
        raise TargetError(
            f"row counts differ between source and staging for {', '.join(count_mismatch)}.",
            hint="the staging copy was discarded; check the target's constraints and run again.",
        )
    if unchanged:
        fields = ", ".join(f"{k} ({v} values)" for k, v in unchanged.items())
        raise LeakError(
            f"masked fields still hold original values: {fields}.",
            hint="the staging copy was discarded; tighten those rules (e.g. hash or fake "
            "instead of format on very short values).",
        )


DEFAULT_PORTS = {"postgresql": 5432, "mysql": 3306, "mariadb": 3306}


def refuse_same_database(source: SqlSource, target: SqlTarget) -> None:
    """A target on the same server and database as its source would overwrite production."""
    src, dst = source.url, target.url
    if src.get_backend_name() != dst.get_backend_name():
        return
    if src.get_backend_name() == "sqlite":
        from pathlib import Path

        same = Path(src.database or "").resolve() == Path(dst.database or "").resolve()
    else:
        port = DEFAULT_PORTS.get(src.get_backend_name(), 0)  # "no port" means this one
        same = (_host(src.host), src.port or port, src.database) == (
            _host(dst.host),
            dst.port or port,
            dst.database,
        )
    if same:
        raise ConfigError(
            f"target {target.name!r} ({target.describe()}) is the same database as its source.",
            hint="point the target at a separate staging database.",
        )


def _host(host: str | None) -> str:
    return "localhost" if host in (None, "", "127.0.0.1", "::1", "localhost") else host
