"""``sanitize verify``: look for production values in the live staging data, read-only.

The same check a run makes before its swap, run on demand against what staging holds now:
production is read (read-only snapshot) to index the values of every masked field — SQL
columns, object fields and vector fields — then every text cell of every staging table, every
staging object (key, metadata, contents) and every staging vector record is looked up. Both
sides are only read.
"""

from __future__ import annotations

from contextlib import ExitStack
from functools import partial
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from sanitizer.config.rules import SourceRules
from sanitizer.config.settings import VECTOR_KINDS, Settings
from sanitizer.errors import ConfigErrors, TargetError
from sanitizer.extract.catalog import source_inventory
from sanitizer.extract.objects import open_source as open_objects
from sanitizer.extract.sql import SourceTable, SqlSource, open_snapshots
from sanitizer.extract.vectors import open_source as open_vectors
from sanitizer.load.sql.history import META_TABLES
from sanitizer.mask.engine import TableMasker, UniqueLedger
from sanitizer.mask.operators import Operator
from sanitizer.mask.plans import SourcePlan, TablePlan
from sanitizer.mask.pseudonyms import Keyring
from sanitizer.plan.rules import load_rules
from sanitizer.plan.schema import plan_schema
from sanitizer.plan.sql import build_plan
from sanitizer.plan.vectors import build_collection_plans
from sanitizer.schema import BINARY
from sanitizer.stores.sql import reason
from sanitizer.verify.hosts import HostIndex
from sanitizer.verify.leaks import LeakIndex, LeakReport, verification_key
from sanitizer.verify.objects import index_source as index_objects
from sanitizer.verify.objects import rule_for, scan_store
from sanitizer.verify.pieces import index_batch, tracked_columns, tracked_json
from sanitizer.verify.schema import compare, schema_error, staging_inventory
from sanitizer.verify.secrets import (
    Sweep,
    frame_findings,
    object_texts,
    production_texts,
    record_texts,
    sweep_collections,
    sweep_objects,
)
from sanitizer.verify.sql import TEXT_KINDS, scan_frames
from sanitizer.verify.tracker import Tracker
from sanitizer.verify.vectors import index_collections, live_reader, scan_collections


def index_sources(
    settings: Settings, index: LeakIndex, fakes: list[str], hosts: HostIndex | None = None
) -> dict[str, SourcePlan]:
    """Index the masked columns of every SQL source, and add the fakes its rules make of
    them to ``fakes`` (and the hosts in them to ``hosts``); returns the plans it used."""
    rules = load_rules(settings.rules_dir, list(settings.sources))
    plans = {}
    with ExitStack() as stack:
        for name, source, tables in open_snapshots(stack, settings.sources):
            plan = build_plan(rules.get(name) or SourceRules(name), [t.info for t in tables])
            plans[name] = plan
            for table in tables:
                table_plan = plan.tables[table.info.name]
                _index_table(name, source, table, table_plan, settings, index, fakes, hosts)
    return plans


def _index_table(
    name: str,
    source: SqlSource,
    table: SourceTable,
    plan: TablePlan,
    settings: Settings,
    index: LeakIndex,
    fakes: list[str],
    hosts: HostIndex | None,
) -> None:
    """Index a table's tracked production values, and the fakes its rules make of them."""
    tracked = set(tracked_columns(plan))
    if not tracked and not tracked_json(plan):
        return
    keyring = Keyring(settings.key)
    masker = TableMasker(plan, keyring, settings.nlp, UniqueLedger())
    tracker = Tracker(index, keyring, fakes=True, hosts=hosts)  # JSON leaves: leaf by leaf
    for batch in source.batches(table, settings.batch_size):
        index_batch(tracker, plan, batch, source=name)
        if tracked:
            masked = masker.mask(batch, only=tracked)
            fakes.extend(v for n in tracked for v in masked[n].drop_nulls().unique().to_list())
    fakes.extend(tracker.fakes)


def scan_staging(settings: Settings, index: LeakIndex, report: LeakReport) -> None:
    """Every text cell of every live staging table (SQL targets), looked up in the index."""
    with ExitStack() as stack:
        for name, staging, tables in open_snapshots(stack, settings.targets):  # read-only
            for table in tables:
                info = table.info
                if info.name in META_TABLES:
                    continue
                texts = [c for c, col in info.columns.items() if col.kind in TEXT_KINDS]
                keys = list(info.primary_key)
                if texts:
                    batches = staging.batches(table, settings.batch_size)
                    scan_frames(index, report, f"{name}.{info.name}", keys, texts, batches)


def index_stores(settings: Settings, tracker: Tracker) -> None:
    """Index the masked fields of every object and vector source (read-only)."""
    with tracker.holding():  # many small objects: their values indexed together
        _index_stores(settings, tracker)


def _index_stores(settings: Settings, tracker: Tracker) -> None:
    rules = load_rules(settings.rules_dir, list(settings.sources))
    for name, endpoint in settings.sources.items():
        if endpoint.kind == "objects":
            source_rules = rules.get(name) or SourceRules(name)
            index_objects(open_objects(name, endpoint.url), source_rules, tracker)
        elif endpoint.kind in VECTOR_KINDS:
            reader = open_vectors(name, endpoint.kind, endpoint.url)
            try:
                plans = build_collection_plans(
                    rules.get(name) or SourceRules(name), reader.collections()
                )
                index_collections(reader, plans, tracker, settings.batch_size)
            finally:
                reader.close()


def scan_stores(settings: Settings, index: LeakIndex, report: LeakReport) -> None:
    """Every live staging object and vector record, looked up in the index."""
    for name, endpoint in settings.targets.items():
        if endpoint.kind == "objects":
            if endpoint.url.startswith("s3://") or Path(endpoint.url).is_dir():  # else: no run yet
                scan_store(open_objects(name, endpoint.url), name, index, report)
        elif endpoint.kind in VECTOR_KINDS:
            reader, collections = live_reader(name, endpoint.kind, endpoint.url)
            try:
                scan_collections(reader, collections, name, index, report)
            finally:
                reader.close()


def verify_staging(settings: Settings) -> tuple[LeakIndex, LeakReport, Sweep]:
    """Index production, scan staging, then sweep staging for live credentials and the
    production hosts learned on the way. As in a run, the fakes of object and vector values
    are only made (and forgotten) when the first scan found something."""
    keyring = Keyring(settings.key)
    index = LeakIndex(verification_key(keyring))
    secrets = settings.secrets
    hosts = HostIndex(secrets.sinks.values(), secrets.allow)
    sql_fakes: list[str] = []
    plans = index_sources(settings, index, sql_fakes, hosts)
    tracker = Tracker(index, keyring, hosts=hosts)
    index_stores(settings, tracker)
    index.forget_within(sql_fakes)
    report = scan_all(settings, index)
    if report.total and tracker.added:
        with_fakes = Tracker(index, keyring, fakes=True)
        index_stores(settings, with_fakes)
        with_fakes.fakes += sql_fakes
        with_fakes.finish()
        report = scan_all(settings, index)
    sweep = Sweep(hosts, secrets, index.key, index)
    sweep_live(settings, sweep, plans)
    return index, report, sweep


def sweep_live(settings: Settings, sweep: Sweep, plans: dict[str, SourcePlan]) -> None:
    """The secrets sweep over live staging: every SQL text column (kept ones too), object
    and vector record; what it flags is confirmed against production, read-only."""
    rules = load_rules(settings.rules_dir, list(settings.sources))
    with ExitStack() as stack:
        production = {
            name: (source, {t.info.name: t for t in tables})
            for name, source, tables in open_snapshots(stack, settings.sources)
        }
        for name, staging, tables in open_snapshots(stack, settings.targets):
            source_plan = plans.get(name)
            for table in tables:
                info = table.info
                if info.name in META_TABLES:
                    continue
                kinds = (*TEXT_KINDS, BINARY)
                texts = [c for c, col in info.columns.items() if col.kind in kinds]
                binary = frozenset(c for c in texts if info.columns[c].kind == BINARY)
                plan = source_plan.tables.get(info.name) if source_plan else None
                columns = {c: _operator(plan, c) for c in texts}
                pending = sweep.pending()
                batches = staging.batches(table, settings.batch_size)
                where = f"{name}.{info.name}"
                keys = list(info.primary_key)
                frame_findings(sweep, where, keys, columns, batches, pending, binary)
                source, source_tables = production.get(name, (None, {}))
                if pending and source is not None and info.name in source_tables:
                    frames = source.batches(source_tables[info.name], settings.batch_size)
                    sweep.confirm(pending, production_texts(frames, source.copy_text))
    for name, endpoint in settings.targets.items():
        source_endpoint = settings.sources.get(name)
        if source_endpoint is None:
            continue
        source_rules = rules.get(name) or SourceRules(name)
        if endpoint.kind == "objects":
            if not (endpoint.url.startswith("s3://") or Path(endpoint.url).is_dir()):
                continue  # no run yet
            pending = sweep.pending()
            reader = open_objects(name, endpoint.url)
            sweep_objects(sweep, reader, name, partial(rule_for, source_rules), pending)
            sweep.confirm(pending, object_texts(open_objects(name, source_endpoint.url)))
        elif endpoint.kind in VECTOR_KINDS:
            _sweep_vectors(
                sweep, name, endpoint.kind, endpoint.url, source_endpoint.url, source_rules
            )


def _operator(plan: TablePlan | None, column: str) -> Operator | None:
    cp = plan.columns.get(column) if plan is not None else None
    return cp.operator if cp is not None else None


def _sweep_vectors(
    sweep: Sweep, name: str, kind: str, url: str, source_url: str, rules: SourceRules
) -> None:
    production = open_vectors(name, kind, source_url)
    try:
        infos = production.collections()
        plans = build_collection_plans(rules, infos)
        pending = sweep.pending()
        reader, collections = live_reader(name, kind, url)
        try:
            sweep_collections(sweep, reader, collections, name, plans, pending)
        finally:
            reader.close()
        kept = [info for info in infos if not (info.name in plans and plans[info.name].drop)]
        sweep.confirm(pending, record_texts(production, kept))
    finally:
        production.close()


def scan_all(settings: Settings, index: LeakIndex) -> LeakReport:
    report = LeakReport()
    scan_staging(settings, index, report)
    scan_stores(settings, index, report)
    return report


def verify_schemas(settings: Settings) -> int:
    """Every schema object of each SQL source (minus what its rule file skips) is in its live
    staging database, and staging holds no other; returns how many objects were compared.
    Raises a TargetError naming what differs (a staging without production's tables too)."""
    rules = load_rules(settings.rules_dir, list(settings.sources))
    errors: list[TargetError] = []
    compared = 0
    for name, endpoint in settings.sources.items():
        target = settings.targets.get(name)
        if endpoint.kind != "sql" or target is None or target.kind != "sql":
            continue
        source = SqlSource(name, endpoint.url)
        with source.snapshot():
            source_rules = rules.get(name) or SourceRules(name)
            plan, problems = plan_schema(source_rules, source_inventory(source))
        stale = problems[1:] if plan.refused else problems  # refused: reported as missing
        if stale:
            raise ConfigErrors(stale)
        staging = SqlSource(name, target.url)
        with staging.snapshot():
            try:
                objects = staging_inventory(staging.connection)
            except SQLAlchemyError as exc:
                raise TargetError(
                    f"target {name!r} ({staging.describe()}): listing its schema objects "
                    f"failed: {reason(exc)}.",
                    hint="the staging role needs to read the catalog.",
                ) from None
        missing, extra = compare(plan.expected, objects)
        compared += len(plan.expected)
        if missing or extra:
            where = f"target {name!r} ({staging.describe()})"
            errors.append(schema_error(name, where, missing, extra, in_run=False))
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise TargetError("\n\n".join(e.message for e in errors), hint=errors[0].hint)
    return compared
