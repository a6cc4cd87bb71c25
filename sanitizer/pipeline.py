"""The one place that wires extract → mask → load → verify → receipt.

Order of a run: read and validate every config and rule file (no connection yet); open each
source's read-only snapshot and check the rules against its live schema (still nothing
written); then load every target's shadow, verify row counts and that no masked value survived,
and only then swap all targets in. Any failure discards every shadow, so the previous staging
data stays as it was.
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
from sanitizer.config.plan import SourcePlan, build_plan
from sanitizer.config.rules import SourceRules, load_rules, rule_files
from sanitizer.config.settings import VECTOR_KINDS, Settings
from sanitizer.errors import ConfigError, LeakError, SanitizerError, TargetError
from sanitizer.extract.sql import SourceTable, SqlSource
from sanitizer.load.sql import SqlTarget, open_target
from sanitizer.mask.engine import TableMasker, UniqueLedger
from sanitizer.mask.parallel import MaskPool, worker_count
from sanitizer.mask.pseudonyms import Keyring
from sanitizer.receipt import FieldReceipt, Receipt, TableReceipt
from sanitizer.vector_run import (
    VectorRun,
    check_rule_sections,
    load_vector_run,
    open_vector_run,
    planned,
    prepare_embedder,
)

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
    progress: Progress | None = None,
) -> Receipt:
    """Run the whole snapshot; returns the receipt (also written to the receipts folder)."""
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
    try:
        _run(settings, receipt, only, dry_run, progress)
        receipt.status = "dry-run" if dry_run else "succeeded"
    except SanitizerError as exc:
        receipt.status = "failed"
        receipt.error = f"{type(exc).__name__}: {exc.message}"
        raise
    finally:
        receipt.finished_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        receipt.duration_seconds = round(time.monotonic() - started, 3)
        if not dry_run:
            path = receipt.write(settings.receipts_dir)
            log.info("receipt written", extra={"path": str(path), "run_id": receipt.run_id})
    return receipt


def _run(
    settings: Settings,
    receipt: Receipt,
    only: tuple[str, ...],
    dry_run: bool,
    progress: Progress | None,
) -> None:
    rules = load_rules(settings.rules_dir, list(settings.sources))
    check_rule_sections(settings.sources, rules)
    keyring = Keyring(settings.key)
    with ExitStack() as stack:
        runs = []
        vector_runs: list[VectorRun] = []
        for name, endpoint in settings.sources.items():
            if endpoint.kind in VECTOR_KINDS:
                target_endpoint = settings.targets[name]
                vector_runs.append(
                    open_vector_run(name, endpoint, target_endpoint, rules.get(name), stack)
                )
                receipt.sources[name] = {"kind": endpoint.kind, "url": endpoint.url}
                receipt.targets[name] = target_endpoint.url
                continue
            source = SqlSource(name, endpoint.url)
            target = open_target(name, settings.targets[name].url)
            stack.callback(target.dispose)
            refuse_same_database(source, target)
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
        embedder = prepare_embedder(vector_runs, settings.embeddings)
        log.info(
            "plan checked",
            extra={"run_id": receipt.run_id, "tables": sum(len(r.selected) for r in runs)},
        )
        if dry_run:
            for run in runs:
                for table in run.selected:
                    receipt.tables[f"{run.source.name}.{table.info.name}"] = _planned(run, table)
            for vector_run in vector_runs:
                receipt.collections.update(planned(vector_run))
            return
        uses_nlp = any(
            cp.operator.uses_nlp
            for run in runs
            for tp in run.plan.tables.values()
            for cp in tp.columns.values()
        )
        workers = worker_count(settings.workers, uses_nlp)
        pool = (
            stack.enter_context(MaskPool(workers, keyring, settings.nlp)) if workers > 1 else None
        )
        try:
            ledger = UniqueLedger()
            for run in runs:
                _load_source(run, settings, keyring, ledger, receipt, progress, pool)
            for vector_run in vector_runs:
                load_vector_run(vector_run, settings, keyring, embedder, receipt, progress)
            _verify(receipt)
            for run in runs:
                run.target.swap()
            for vector_run in vector_runs:
                vector_run.target.swap()
        except BaseException:
            for target in [r.target for r in runs] + [v.target for v in vector_runs]:
                try:
                    target.discard()
                except Exception:  # the original failure matters more
                    log.exception("discarding the shadow of %s failed", target.name)
            raise
        receipt.verification["swapped"] = True


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

        batches = _read_counted(run, table, table_receipt, settings.batch_size, progress)
        if pool is None:
            run.target.write(table, (masker.mask(batch) for batch in batches))
        else:
            run.target.write(table, pool.mask(masker, batches))
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
