"""The one place that runs a snapshot, as a short sequence of named steps.

``open`` reads and validates every config and rule file and sets up each store's part of the
run (SQL, objects, vectors) without writing; ``lock`` locks every target before anything is
cleaned or written (databases before their snapshots open, object and vector stores once their
sources are listed); ``plan`` checks each part against its live source (schema, objects,
collections: fail closed); ``claim`` makes sure every target is sanitizer's own and records
the run in each staging database's history; ``load_model`` loads the embedding model for the
vector parts; ``load`` masks every source into its target's
shadow; ``verify`` checks counts, unchanged values and leaks across all shadows; ``swap``
makes every shadow live; the ``receipt`` is written whatever happened. Any failure discards
every shadow, so the previous staging data stays as it was (docs/design.md, guarantee 6).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from typing import TYPE_CHECKING, Protocol, TypeVar

import sanitizer
from sanitizer import retry
from sanitizer.config.rules import SourceRules, rule_files
from sanitizer.config.settings import VECTOR_KINDS, Settings
from sanitizer.engine import open_engine
from sanitizer.engine.warm import warm_ahead
from sanitizer.errors import SanitizerError
from sanitizer.load.target import Target
from sanitizer.mask.parallel import MaskPool, worker_count
from sanitizer.mask.pseudonyms import Keyring
from sanitizer.mask.text.known_values import set_known
from sanitizer.plan.rules import load_rules
from sanitizer.plan.subset_follow import KeptSource, kept_values_of
from sanitizer.receipt import Receipt
from sanitizer.run.context import Progress, RunContext
from sanitizer.run.faked_values import collect_known
from sanitizer.run.guard import claim_all, finish_histories, lock_all, start_histories
from sanitizer.run.objects import ObjectPart
from sanitizer.run.vectors import VectorPart, check_rule_sections, prepare_embedder
from sanitizer.verify.checks import check_counts, record_leaks, record_secrets
from sanitizer.verify.fidelity.check import check_fidelity
from sanitizer.verify.fidelity.collect import RunFidelity
from sanitizer.verify.run import RunLeakCheck

if TYPE_CHECKING:  # SQL's modules load SQLAlchemy: a run without SQL never imports them
    from sanitizer.run.sql import SqlPart

log = logging.getLogger("sanitizer")
P = TypeVar("P")
LOAD_ORDER = ("sql", "objects", "vectors")
SWAP_ORDER = ("objects", "sql", "vectors")  # objects first: an S3 swap can fail midway
CLAIM_ORDER = ("objects", "vectors", "sql")  # stores, then databases with their history


class Part(Protocol):
    """A store's part of a run: the same verbs for SQL, objects and vectors."""

    name: str
    kind: str  # "sql", "objects" or "vectors"
    target: Target

    def open(self, ctx: RunContext) -> None: ...
    def plan_run(self, ctx: RunContext, rules: SourceRules | None) -> None: ...
    def uses_nlp(self) -> bool: ...
    def record_plan(self, ctx: RunContext) -> None: ...
    def load(self, ctx: RunContext) -> None: ...


def run_snapshot(
    settings: Settings,
    *,
    dry_run: bool = False,
    init: bool = False,
    progress: Progress | None = None,
) -> Receipt:
    """Run the whole snapshot; returns the receipt (also written to the receipts folder).

    ``init`` adopts an existing, empty staging database that sanitizer has not written to.
    """
    started = time.monotonic()
    receipt = new_receipt(settings, dry_run)
    ctx = RunContext(settings, receipt, Keyring(settings.key), ExitStack(), dry_run, init, progress)
    try:
        with ctx.stack:  # locks, connections and pools are released before the outcome is kept
            _run(ctx)
        receipt.status = "dry-run" if dry_run else "succeeded"
    except SanitizerError as exc:
        receipt.status, receipt.error = "failed", f"{type(exc).__name__}: {exc.message}"
        raise
    except BaseException as exc:  # interrupted, or a bug: recorded without its message
        receipt.status, receipt.error = "failed", type(exc).__name__
        raise
    finally:
        _write_receipt(ctx, started)
    return receipt


def _run(ctx: RunContext) -> None:
    parts, rules = open_parts(ctx)
    if not ctx.dry_run:  # a cluster's actors start and load detection while the run plans
        ctx.engine = open_engine(ctx.settings.engine, ctx.stack)
        warm_ahead(ctx.engine, ctx.settings, VECTOR_KINDS)  # docs/engine.md, "Start-up"
    databases = sql_parts(parts)
    stores = [part for part in parts if part.kind != "sql"]
    lock(ctx, databases)  # before their sources' snapshots are opened
    with stage(ctx, "plan"):
        plan(ctx, parts, rules)
    lock(ctx, stores)  # after their sources are listed: an unreachable source is its own fault
    claim(ctx, parts)
    load_model(ctx, parts)
    if ctx.dry_run:
        for part in parts:
            part.record_plan(ctx)
        return
    _start_masking(ctx, parts)
    try:
        with stage(ctx, "load"):
            load(ctx, parts)
        with stage(ctx, "verify"):
            verify(ctx, parts)
        with stage(ctx, "swap"):
            swap(parts)
    except BaseException:
        discard(parts)
        raise
    ctx.receipt.verification["swapped"] = True


def open_parts(ctx: RunContext) -> tuple[list[Part], dict[str, SourceRules]]:
    """Read every rule file, then set up each source's part (nothing connects yet)."""
    settings = ctx.settings
    retry.configure(settings.retries, ctx.run_id)
    rules = load_rules(settings.rules_dir, list(settings.sources), settings.secrets)
    check_rule_sections(settings.sources, rules)
    parts: list[Part] = []
    for name, source in settings.sources.items():
        target = settings.targets[name]
        if source.kind == "objects":
            parts.append(ObjectPart(name, source, target))
        elif source.kind in VECTOR_KINDS:
            parts.append(VectorPart(name, source, target))
        else:
            from sanitizer.run.sql import SqlPart  # only for SQL sources (start-up)

            parts.append(SqlPart(name, source.url, target.url))
    for part in parts:
        part.open(ctx)
    return parts, rules


def lock(ctx: RunContext, parts: Sequence[Part]) -> None:
    """Lock the parts' targets until the run ends, before anything is cleaned or written;
    a dry run writes nothing, so it takes no lock."""
    if not ctx.dry_run:
        targets = [part.target for part in parts]
        lock_all(ctx.stack, targets, ctx.run_id, ctx.settings.locks.ttl_seconds)


def plan(ctx: RunContext, parts: list[Part], rules: dict[str, SourceRules]) -> None:
    """Every part checked against its live source (fail closed: docs/design.md, guarantee 1);
    nothing is written. SQL first: files and memories follow its kept rows
    (docs/subsetting_follow.md)."""
    databases = sql_parts(parts)
    for part in databases:
        part.plan_run(ctx, rules.get(part.name))
    ctx.kept = kept_values_of(
        {p.name: KeptSource([t.info for t in p.tables], p.kept_values) for p in databases},
        {name: source.kind for name, source in ctx.settings.sources.items()},
    )
    for part in parts:
        if part.kind != "sql":
            part.plan_run(ctx, rules.get(part.name))


def claim(ctx: RunContext, parts: list[Part]) -> None:
    """Every target is sanitizer's own (or new, or adopted with --init); the run is recorded
    in each staging database's history."""
    claimed = [part.target for part in in_order(parts, CLAIM_ORDER)]
    claim_all(claimed, ctx.receipt, ctx.init, ctx.dry_run)
    databases = [part.target for part in sql_parts(parts)]
    ctx.histories += start_histories(databases, ctx.receipt, ctx.dry_run)


def load_model(ctx: RunContext, parts: list[Part]) -> None:
    """The embedding model, checked against every kept collection's dimension — after the
    claim, so a store that is not sanitizer's is refused before a model is loaded."""
    ctx.embedder = prepare_embedder(of_kind(parts, VectorPart), ctx.settings.embeddings)
    tables = sum(len(part.tables) for part in sql_parts(parts))
    log.info("plan checked", extra={"run_id": ctx.run_id, "tables": tables})


def _start_masking(ctx: RunContext, parts: list[Part]) -> None:
    """The SQL masking pool on the run's engine (when detection needs the cores, or always on
    a cluster: docs/engine.md) and the run's leak index."""
    settings = ctx.settings  # ctx.engine: opened before planning (_run)
    uses_nlp = any(part.uses_nlp() for part in parts)
    known = ctx.known = _known_values(parts) if uses_nlp else {}
    workers = ctx.engine.actors or worker_count(settings.workers, uses_nlp)
    if workers > 1 or ctx.engine.actors:
        pool = MaskPool(workers, ctx.keyring, settings.nlp, known, ctx.engine)
        ctx.pool = ctx.stack.enter_context(pool)
    ctx.leaks = RunLeakCheck(ctx.keyring, settings.batch_size, settings.secrets)
    ctx.fidelity = RunFidelity()


def _known_values(parts: list[Part]) -> dict[str, list[str]]:
    """Values of fake/format columns, for ``detect`` to find again in free text."""
    sql = sql_parts(parts)
    known = collect_known([(part.source, part.tables, part.plan) for part in sql])
    log.info("known values collected", extra={"values": set_known(known)})
    return known


def load(ctx: RunContext, parts: list[Part]) -> None:
    """Every source into its target's shadow: SQL first, then objects, then vectors. The SQL
    pool is closed once the databases are loaded: its workers (on a cluster, actors holding
    CPUs) make room for the objects' pool (docs/engine.md)."""
    for part in in_order(parts, LOAD_ORDER):
        if ctx.pool is not None and part.kind != "sql":
            ctx.pool.close()
            ctx.pool = None
        part.load(ctx)


def verify(ctx: RunContext, parts: list[Part]) -> None:
    """Before the swap: counts and unchanged values, every schema object of production in
    the shadow (docs/stores.md), then no production value of a masked field anywhere in the
    shadows and no live credential or production host in any field, kept ones too
    (docs/design.md, guarantees 4, 7 and 11)."""
    assert ctx.leaks is not None and ctx.fidelity is not None
    ctx.receipt.fidelity = ctx.fidelity.report()  # in the receipt whatever the checks find
    check_counts(ctx.receipt)
    sql = sql_parts(parts)
    if sql:
        _check_schemas(ctx.receipt, sql)
    tables = [
        (part.target, part.name, [part.plan.tables[t.info.name] for t in part.tables])
        for part in sql
        if part.plan is not None
    ]
    # SQL values were indexed as they were read; objects and vectors are read again
    objects, vectors = of_kind(parts, ObjectPart), of_kind(parts, VectorPart)
    # every text of every shadow, kept fields too: no live credential, no production host
    # (a SQL shadow table is read once for both the leak scan and this sweep)
    ctx.leaks.check(tables, objects, vectors, sql)
    ctx.leaks.sweep(sql, objects, vectors)
    record_secrets(ctx.receipt, ctx.leaks.secrets)
    record_leaks(ctx.receipt, ctx.leaks.report, len(ctx.leaks.index), ctx.leaks.secrets)
    # no leak: now whether staging kept production's shape (docs/fidelity.md, "Thresholds")
    check_fidelity(ctx.receipt.fidelity, ctx.settings.fidelity)


@contextmanager
def stage(ctx: RunContext, name: str) -> Iterator[None]:
    """Time one step of the run into the receipt (the report's run section shows them)."""
    started = time.monotonic()
    try:
        yield
    finally:
        ctx.receipt.stages[name] = round(time.monotonic() - started, 3)


def swap(parts: list[Part]) -> None:
    """Every shadow made live, objects first."""
    for part in in_order(parts, SWAP_ORDER):
        part.target.swap()


def discard(parts: list[Part]) -> None:
    """Remove every shadow after a failure; the live staging data is untouched."""
    for part in in_order(parts, LOAD_ORDER):
        try:
            part.target.discard()
        except Exception:  # the original failure matters more
            log.exception("discarding the shadow of %s failed", part.target.name)


def _check_schemas(receipt: Receipt, sql: list[SqlPart]) -> None:
    """Production's schema in each staging database, object for object, and a subset's
    foreign keys whole (guarantee 12); SQL's modules, imported only for SQL sources."""
    from sanitizer.verify.schema import check_schema, shadow_inventory
    from sanitizer.verify.subset import check_subset

    for part in sql:
        staging = shadow_inventory(part.target)
        where = f"target {part.target.name!r} ({part.target.describe()})"
        check_schema(receipt, part.name, part.schema, staging, where)
        if part.graph is not None and part.subset is not None:
            check_subset(receipt, part.name, part.target, part.graph, part.subset)


def of_kind(parts: list[Part], kind: type[P]) -> list[P]:
    """The parts of one store kind, in sanitize.yaml's order."""
    return [part for part in parts if isinstance(part, kind)]


def sql_parts(parts: list[Part]) -> list[SqlPart]:
    """The SQL parts, in sanitize.yaml's order (by kind: their class is imported only when
    the run has SQL sources)."""
    return [part for part in parts if part.kind == "sql"]  # type: ignore[misc]


def in_order(parts: list[Part], kinds: tuple[str, ...]) -> list[Part]:
    """The parts, kind by kind in ``kinds``' order, each kind in sanitize.yaml's order."""
    return [part for kind in kinds for part in parts if part.kind == kind]


def new_receipt(settings: Settings, dry_run: bool) -> Receipt:
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    return Receipt(
        run_id=f"{stamp}-{uuid.uuid4().hex[:6]}",
        tool_version=sanitizer.__version__,
        started_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        rules_digest=rules_digest(settings),
        key_id=settings.key_id,
        key_fingerprint=settings.key_fingerprint,
        dry_run=dry_run,
    )


def rules_digest(settings: Settings) -> str:
    digest = hashlib.sha256()
    for path in rule_files(settings.rules_dir):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _write_receipt(ctx: RunContext, started: float) -> None:
    """Finish the receipt and the run history; a dry run writes neither."""
    receipt = ctx.receipt
    receipt.finished_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    receipt.duration_seconds = round(time.monotonic() - started, 3)
    receipt.retries = retry.retries()
    finish_histories(ctx.histories, receipt)
    if not ctx.dry_run:
        path = receipt.write(ctx.settings.receipts_dir)
        log.info("receipt written", extra={"path": str(path), "run_id": receipt.run_id})
