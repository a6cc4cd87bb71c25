"""One object source's part of a run: plan (list + match), then extract → mask → load.

Planning lists every key and matches it against the ``objects:`` rules (first match wins); a
key no rule matches stops the run before anything is written, named by its masked key with a
rule to paste. Loading masks keys, metadata and tags, streams each object through its
format's handler into the target's run-scoped shadow — several objects at once — and counts
everything for the receipt. The pipeline promotes the shadow with the other targets after
verification, or discards it.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, as_completed, wait
from dataclasses import dataclass, field

from sanitizer.config.object_rules import ObjectRule
from sanitizer.config.rules import SourceRules
from sanitizer.config.settings import Endpoint, Settings
from sanitizer.config.yamlfile import Location
from sanitizer.errors import ConfigError, LeakError, MaskingError, SourceError, TargetError
from sanitizer.extract.objects import ObjectSource, open_source
from sanitizer.load.objects import ObjectTarget, open_target, refuse_same_store
from sanitizer.mask.engine import ColumnStats, UniqueLedger
from sanitizer.mask.objects import ObjectContext
from sanitizer.mask.objects.keys import mask_keys
from sanitizer.mask.operators.detect import Detect
from sanitizer.mask.pseudonyms import Keyring
from sanitizer.objects_pool import ObjectPool, process_count
from sanitizer.objects_work import Outcome, PlannedObject, mask_one
from sanitizer.receipt import FieldReceipt, ObjectReceipt, Receipt

log = logging.getLogger("sanitizer")

Progress = Callable[[str, int], None]
AUTO_PROCESS_BYTES = 16 * 1024 * 1024  # workers: auto starts processes from this much data


@dataclass
class ObjectRun:
    """One ``kind: objects`` source and its target during a run."""

    name: str
    source: ObjectSource
    target: ObjectTarget
    rules: SourceRules
    planned: list[PlannedObject]
    source_url: str = ""
    target_url: str = ""


def plan_objects(
    name: str, source: Endpoint, target: Endpoint, rules: SourceRules | None, ctx: ObjectContext
) -> ObjectRun:
    """List the source and give every object its rule; unmatched keys fail the run here."""
    refuse_same_store(name, source.url, target.url)
    rules = rules or SourceRules(name)
    store = open_source(name, source.url)
    planned, unmatched = [], []
    fallback = default_rule(rules)
    for info in store.list():
        rule = next((r for r in rules.objects if r.matches(info.key)), fallback)
        if rule is None:
            unmatched.append(info.key)
        else:
            planned.append(PlannedObject(info, rule))
    if unmatched:
        raise _unmatched_error(name, rules, unmatched, ctx)
    return ObjectRun(
        name, store, open_target(name, target.url), rules, planned, source.url, target.url
    )


def default_rule(rules: SourceRules) -> ObjectRule | None:
    """What ``defaults.unknown`` gives a key no glob matches: detect (as text), or — for
    redact — drop (an object cannot be redacted in place); None under ``fail``."""
    if rules.unknown == "fail":
        return None
    where = rules.unknown_where or Location(rules.files[0] if rules.files else "rules", 1)
    if rules.unknown == "detect":
        rule = ObjectRule("defaults.unknown", where, "detect", operator=Detect(None, where))
    else:
        rule = ObjectRule("defaults.unknown", where, "drop")
    rule.keys = Detect(None, where)
    existing = [r for r in rules.objects if r.glob == rule.glob]
    if existing:
        return existing[0]
    rules.objects.append(rule)  # so receipts count it like any rule (it never matches a glob)
    return rule


def record_plan(run: ObjectRun, receipt: Receipt) -> None:
    """A dry run's receipt: how many objects each rule would take, nothing read."""
    for rule in run.rules.objects:
        items = [p for p in run.planned if p.rule is rule]
        if items:
            receipt.objects[f"{run.name}:{rule.glob}"] = ObjectReceipt(
                rule=rule.label(),
                objects_in=len(items),
                bytes_in=sum(p.info.size for p in items),
                dropped=len(items) if rule.handler == "drop" else 0,
            )


def _unmatched_error(
    name: str, rules: SourceRules, keys: list[str], ctx: ObjectContext
) -> ConfigError:
    """Name the keys (masked: a key can hold an email) and a rule to paste for each prefix."""
    shown = mask_keys(keys[:20], Detect(None, None), ctx)  # type: ignore[arg-type]
    globs = []
    for key in shown.values():
        head, slash, rest = key.partition("/")
        extension = rest.rsplit(".", 1)[-1] if "." in rest.rsplit("/", 1)[-1] else ""
        glob = f"{head}/**" + (f"/*.{extension}" if extension else "") if slash else key
        globs.append(glob)
    snippet = "\n".join(
        f'  "{g}": drop    # TODO: keep, drop, detect, {{json: ...}} or {{columns: ...}}'
        for g in dict.fromkeys(globs)
    )
    where = f"{rules.files[0]}:1" if rules.files else "rules/"
    listed = ", ".join(list(shown.values())[:5]) + (", …" if len(keys) > 5 else "")
    return ConfigError(
        f"{where}: {len(keys)} object{'s' if len(keys) != 1 else ''} of source {name!r} "
        f"match{'es' if len(keys) == 1 else ''} no objects: rule (keys shown masked): {listed}.\n"
        f"Add rules for them (first match wins), e.g.:\n\nobjects:\n{snippet}\n",
        hint="give every key a rule (keep only what holds nothing personal), then run again; "
        "nothing was written.",
    )


def load_objects(
    run: ObjectRun,
    settings: Settings,
    keyring: Keyring,
    ledger: UniqueLedger,
    receipt: Receipt,
    progress: Progress | None = None,
) -> None:
    """Mask every planned object into the target's shadow; raise on a policy failure."""
    run.target.prepare(receipt.run_id)
    ctx = ObjectContext(keyring, settings.nlp, ledger)
    receipts = {r.glob: ObjectReceipt(rule=r.label()) for r in run.rules.objects}
    _mask_keys(run, ctx, receipts)
    stop = threading.Event()
    quarantine = settings.objects.on_malformed == "quarantine"

    def counted(item: PlannedObject, outcome: Outcome) -> None:
        tally.add(item, outcome)
        if (outcome.malformed and not quarantine) or outcome.uncovered:
            stop.set()
        if progress:
            progress(f"{run.name} (objects)", 1)

    tally = _Tally(receipts)
    todo = [item for item in run.planned if item.rule.handler != "drop"]
    processes = process_count(settings.workers, run.rules.objects)
    if settings.workers == 0 and sum(i.info.size for i in todo) < AUTO_PROCESS_BYTES:
        processes = 1  # auto: starting processes costs more than a small bucket takes
    if processes > 1 and len(todo) > 1:
        init = (run.name, run.source_url, run.target_url, receipt.run_id, keyring, settings.nlp)
        with ObjectPool(processes, settings.objects.concurrency, init) as pool:
            for item, outcome in pool.run(todo, stop):
                counted(item, outcome)
    else:
        _in_threads(run, todo, settings, keyring, ledger, stop, counted)
    tally.finish(run, receipt)
    _check(run, tally, quarantine)


def _in_threads(
    run: ObjectRun,
    todo: list[PlannedObject],
    settings: Settings,
    keyring: Keyring,
    ledger: UniqueLedger,
    stop: threading.Event,
    counted: Callable[[PlannedObject, Outcome], None],
) -> None:
    """Objects on ``objects.concurrency`` threads of this process, a bounded window at once."""
    window = 4 * settings.objects.concurrency
    with ThreadPoolExecutor(settings.objects.concurrency) as pool:
        pending: dict[Future[Outcome], PlannedObject] = {}
        try:
            for item in todo:
                if stop.is_set():
                    break
                pending[pool.submit(mask_one, run, item, keyring, settings.nlp, ledger)] = item
                if len(pending) >= window:
                    done, _ = wait(pending, return_when=FIRST_COMPLETED)
                    for future in done:
                        counted(pending.pop(future), future.result())
            for future in as_completed(list(pending)):
                counted(pending.pop(future), future.result())
        except BaseException:
            stop.set()
            pool.shutdown(wait=True, cancel_futures=True)
            raise


def _mask_keys(run: ObjectRun, ctx: ObjectContext, receipts: dict[str, ObjectReceipt]) -> None:
    """Every written object's staging key; two keys masking to one stop the run."""
    for rule in run.rules.objects:
        items = [p for p in run.planned if p.rule is rule and rule.handler != "drop"]
        keys = [p.info.key for p in items]
        masked = mask_keys(keys, rule.keys, ctx) if rule.keys and keys else {k: k for k in keys}
        for item in items:
            item.key_out = masked[item.info.key]
        receipts[rule.glob].keys_changed = sum(1 for k, v in masked.items() if k != v)
    clashes = [k for k, n in Counter(p.key_out for p in run.planned if p.key_out).items() if n > 1]
    if clashes:
        raise MaskingError(
            f"source {run.name!r}: {len(clashes)} staging keys would be shared by different "
            f"objects after masking, e.g. {clashes[0]}.",
            hint="use keys: keep for that prefix if its keys hold nothing personal, or report "
            "it: pseudonyms should not collide.",
        )


@dataclass
class _Tally:
    """Outcomes folded in as objects finish, so memory does not grow with every object's
    counts: per rule totals, merged field counts, and the keys that were written."""

    receipts: dict[str, ObjectReceipt]
    fields: dict[str, dict[str, ColumnStats]] = field(default_factory=dict)
    written: set[str] = field(default_factory=set)
    malformed: list[tuple[PlannedObject, str]] = field(default_factory=list)
    uncovered: list[tuple[PlannedObject, list[str]]] = field(default_factory=list)

    def add(self, item: PlannedObject, outcome: Outcome) -> None:
        counts = self.receipts[item.rule.glob]
        counts.objects_out += outcome.written
        counts.bytes_out += outcome.bytes_out
        counts.metadata_dropped += outcome.metadata_dropped
        if outcome.written:
            self.written.add(item.key_out)
        if outcome.malformed:
            self.malformed.append((item, outcome.malformed))
            counts.quarantined.append({"key": item.key_out, "reason": outcome.malformed})
        if outcome.uncovered:
            self.uncovered.append((item, outcome.uncovered))
        fields = self.fields.setdefault(item.rule.glob, {})
        for name, stats in outcome.stats.items():
            fields.setdefault(name, ColumnStats(stats.operator, stats.origin)).merge(stats)

    def finish(self, run: ObjectRun, receipt: Receipt) -> None:
        """Fill the receipt: per rule counts, bytes, fields and entities (no contents)."""
        for item in run.planned:
            counts = self.receipts[item.rule.glob]
            counts.objects_in += 1
            counts.bytes_in += item.info.size
            counts.dropped += item.rule.handler == "drop"
        for glob, fields in self.fields.items():
            self.receipts[glob].fields = {
                name: FieldReceipt(s.operator, s.origin, s.masked, s.unchanged, _entities(s))
                for name, s in fields.items()
            }
            for s in fields.values():
                for entity, count in _entities(s).items():
                    receipt.entities[entity] = receipt.entities.get(entity, 0) + count
        for glob, counts in self.receipts.items():
            if counts.objects_in:
                receipt.objects[f"{run.name}:{glob}"] = counts


def _entities(stats: ColumnStats) -> dict[str, int]:
    return {k.split(":", 1)[1]: v for k, v in stats.details.items() if k.startswith("entity:")}


def _check(run: ObjectRun, tally: _Tally, quarantine: bool) -> None:
    """Stop on uncovered columns or (policy fail) malformed objects; verify what landed."""
    if tally.uncovered:
        item, columns = tally.uncovered[0]
        snippet = "\n".join(f"      {c}: keep    # TODO: choose a rule" for c in columns)
        raise ConfigError(
            f"{item.rule.where}: object {item.key_out} has columns its rule does not cover "
            f"(fail closed): {', '.join(columns)}.\nAdd them to the rule for "
            f'"{item.rule.glob}", e.g.:\n\n    columns:\n{snippet}\n',
            hint='give each column a rule, or add "*": keep for columns that hold nothing '
            "personal; staging was left as it was.",
        )
    malformed = tally.malformed
    if malformed and not quarantine:
        item, reason = malformed[0]
        more = f" ({len(malformed) - 1} more)" if len(malformed) > 1 else ""
        raise SourceError(
            f"source {run.name!r}: object {item.key_out} {reason}{more}.",
            hint="fix or remove it in production, or set objects: {on_malformed: quarantine} "
            "in sanitize.yaml to leave malformed objects out and list them in the receipt; "
            "staging was left as it was.",
        )
    for item, reason in malformed:
        log.warning(
            "object quarantined", extra={"source": run.name, "key": item.key_out, "why": reason}
        )
    expected = tally.written
    landed = run.target.shadow_keys()
    if landed != expected:
        raise TargetError(
            f"target {run.name!r}: {len(expected ^ landed)} objects differ between what was "
            "masked and what landed in the shadow.",
            hint="the shadow was discarded; run again.",
        )
    unchanged = [
        f"{glob} {name}"
        for glob, counts in tally.receipts.items()
        for name, f in counts.fields.items()
        if f.unchanged_values
    ]
    if unchanged:
        raise LeakError(
            f"source {run.name!r}: masked object fields still hold original values: "
            f"{', '.join(unchanged)}.",
            hint="the staging copy was discarded; tighten those rules.",
        )
