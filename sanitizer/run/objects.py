"""An object source's part of a run: open, plan (list + match), then extract → mask → load.

Planning lists every key and gives it its ``objects:`` rule (:mod:`sanitizer.plan.objects`).
Loading masks keys, metadata and tags, streams each object through its format's handler into
the target's run-scoped shadow — several objects at once, on threads or worker processes —
and counts everything for the receipt. The snapshot swaps the shadow in with the other
targets after verification, or discards it.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, as_completed, wait
from dataclasses import dataclass, field

from sanitizer.config.rules import SourceRules
from sanitizer.config.settings import Endpoint
from sanitizer.config.subset_follow import ObjectFollow
from sanitizer.errors import ConfigError, MaskingError, SourceError
from sanitizer.extract.objects import ObjectInfo, open_source
from sanitizer.load.objects import open_target, refuse_same_store
from sanitizer.mask.engine import ColumnStats, UniqueLedger
from sanitizer.mask.objects import ObjectContext
from sanitizer.mask.objects.keys import mask_keys
from sanitizer.plan.objects import (
    PlannedObject,
    SubsetCounts,
    follow_subset,
    json_reader,
    plan_objects,
)
from sanitizer.receipt import FieldReceipt, ObjectReceipt, Receipt
from sanitizer.run.context import RunContext
from sanitizer.run.object_pool import ObjectPool, process_count
from sanitizer.run.object_work import Outcome, mask_one
from sanitizer.verify.checks import add_entities, check_objects
from sanitizer.verify.fidelity.stores import ObjectProfile

log = logging.getLogger("sanitizer")

AUTO_PROCESS_BYTES = 16 * 1024 * 1024  # workers: auto starts processes from this much data
Counted = Callable[[PlannedObject, Outcome], None]


class ObjectPart:
    """One ``kind: objects`` source and its staging store during a run."""

    kind = "objects"  # the run's order of parts goes by kind (run/snapshot.py)

    def __init__(self, name: str, source: Endpoint, target: Endpoint) -> None:
        self.name = name
        self.source_url, self.target_url = source.url, target.url
        self.rules = SourceRules(name)
        self.planned: list[PlannedObject] = []

    def open(self, ctx: RunContext) -> None:
        """Nothing yet: the store is opened and listed when the plan is made."""

    def plan_run(self, ctx: RunContext, rules: SourceRules | None) -> None:
        """List the source and give every object its rule; unmatched keys fail the run."""
        refuse_same_store(self.name, self.source_url, self.target_url)
        self.source = open_source(self.name, self.source_url)
        self.target = open_target(self.name, self.target_url)
        self.rules = rules or SourceRules(self.name)
        plan_ctx = ObjectContext(ctx.keyring, ctx.settings.nlp, UniqueLedger())
        listed, subset = self._follow(ctx)
        self.planned = plan_objects(self.name, self.rules, listed, plan_ctx)
        ctx.receipt.sources[self.name] = {
            "kind": "objects",
            "url": self.source.describe(),
            "objects": len(self.planned),
        }
        if subset is not None:
            ctx.receipt.sources[self.name]["subset"] = subset.as_receipt()
        ctx.receipt.targets[self.name] = self.target.describe()

    def _follow(self, ctx: RunContext) -> tuple[Iterable[ObjectInfo], SubsetCounts | None]:
        """Every listed object, or — with a ``subset:`` entry — only those of kept rows
        (docs/subsetting_follow.md); objects left out need no rule and are never read."""
        follow = ctx.settings.follows.get(self.name)
        if not isinstance(follow, ObjectFollow):
            return self.source.list(), None
        assert ctx.kept is not None  # the SQL parts were planned first
        read = json_reader(self.source)
        listed, counts = follow_subset(follow, self.source.list(), ctx.kept, read)
        log.info(
            "objects follow the subset",
            extra={"source": self.name, "production": counts.production, "kept": counts.kept},
        )
        return listed, counts

    def uses_nlp(self) -> bool:
        return False  # objects are masked by their own workers, not the SQL pool

    def record_plan(self, ctx: RunContext) -> None:
        """A dry run's receipt: how many objects each rule would take, nothing read."""
        for rule in self.rules.objects:
            items = [p for p in self.planned if p.rule is rule]
            if items:
                ctx.receipt.objects[f"{self.name}:{rule.glob}"] = ObjectReceipt(
                    rule=rule.label(),
                    objects_in=len(items),
                    bytes_in=sum(p.info.size for p in items),
                    dropped=len(items) if rule.handler == "drop" else 0,
                )

    def load(self, ctx: RunContext) -> None:
        """Mask every planned object into the shadow; raise on a policy failure."""
        self.target.prepare(ctx.run_id)
        receipts = {r.glob: ObjectReceipt(rule=r.label()) for r in self.rules.objects}
        self._mask_keys(ObjectContext(ctx.keyring, ctx.settings.nlp, ctx.ledger), receipts)
        tally = _Tally(receipts)
        quarantine = ctx.settings.objects.on_malformed == "quarantine"
        stop = threading.Event()

        profile = self._profile_sources(ctx)

        def counted(item: PlannedObject, outcome: Outcome) -> None:
            tally.add(item, outcome)
            if outcome.written:  # staging's side: what landed, at the size it landed
                fmt = item.rule.format_for(item.info.key)
                profile[item.rule.glob].sides["staging"].add(fmt, outcome.bytes_out)
            elif outcome.malformed:  # production's messiness that staging will not have
                profile[item.rule.glob].sides["production"].malformed += 1
            if (outcome.malformed and not quarantine) or outcome.uncovered:
                stop.set()
            ctx.advance(f"{self.name} (objects)", 1)

        self._mask_all(ctx, stop, counted)
        tally.finish(self, ctx.receipt)
        self._check(tally, quarantine)

    def _profile_sources(self, ctx: RunContext) -> dict[str, ObjectProfile]:
        """Production's side of the fidelity profile, from the listing (docs/fidelity.md)."""
        assert ctx.fidelity is not None
        profiles = {}
        for item in self.planned:
            rule = item.rule
            profile = ctx.fidelity.object_rule(self.name, rule.glob, rule.label())
            profile.sides["production"].add(rule.format_for(item.info.key), item.info.size)
            profiles[rule.glob] = profile
        return profiles

    def _mask_all(self, ctx: RunContext, stop: threading.Event, counted: Counted) -> None:
        """In worker processes when there is enough to mask, else on threads here."""
        settings = ctx.settings
        todo = [item for item in self.planned if item.rule.handler != "drop"]
        processes = process_count(settings.workers, self.rules.objects)
        if settings.workers == 0 and sum(i.info.size for i in todo) < AUTO_PROCESS_BYTES:
            processes = 1  # auto: starting processes costs more than a small bucket takes
        if processes > 1 and ctx.engine.actors:
            processes = ctx.engine.actors  # engine: ray sizes its own pools (docs/engine.md)
        if processes > 1 and len(todo) > 1:
            init = (self.name, self.source_url, self.target_url, ctx.run_id, ctx.keyring)
            pool_init = (*init, settings.nlp)
            with ObjectPool(processes, settings.objects.concurrency, pool_init, ctx.engine) as pool:
                for item, outcome in pool.run(todo, stop):
                    counted(item, outcome)
        else:
            self._in_threads(ctx, todo, stop, counted)

    def _in_threads(
        self, ctx: RunContext, todo: list[PlannedObject], stop: threading.Event, counted: Counted
    ) -> None:
        """Objects on ``objects.concurrency`` threads of this process, a bounded window at once."""
        threads = ctx.settings.objects.concurrency
        args = (ctx.keyring, ctx.settings.nlp, ctx.ledger)
        with ThreadPoolExecutor(threads) as pool:
            pending: dict[Future[Outcome], PlannedObject] = {}
            try:
                for item in todo:
                    if stop.is_set():
                        break
                    pending[pool.submit(mask_one, self, item, *args)] = item
                    if len(pending) >= 4 * threads:
                        done, _ = wait(pending, return_when=FIRST_COMPLETED)
                        for future in done:
                            counted(pending.pop(future), future.result())
                for future in as_completed(list(pending)):
                    counted(pending.pop(future), future.result())
            except BaseException:
                stop.set()
                pool.shutdown(wait=True, cancel_futures=True)
                raise

    def _mask_keys(self, ctx: ObjectContext, receipts: dict[str, ObjectReceipt]) -> None:
        """Every written object's staging key; two keys masking to one stop the run."""
        for rule in self.rules.objects:
            items = [p for p in self.planned if p.rule is rule and rule.handler != "drop"]
            keys = [p.info.key for p in items]
            masked = mask_keys(keys, rule.keys, ctx) if rule.keys and keys else {k: k for k in keys}
            for item in items:
                item.key_out = masked[item.info.key]
            receipts[rule.glob].keys_changed = sum(1 for k, v in masked.items() if k != v)
        keys_out = Counter(p.key_out for p in self.planned if p.key_out)
        clashes = [k for k, n in keys_out.items() if n > 1]
        if clashes:
            raise MaskingError(
                f"source {self.name!r}: {len(clashes)} staging keys would be shared by different "
                f"objects after masking, e.g. {clashes[0]}.",
                hint="use keys: keep for that prefix if its keys hold nothing personal, or report "
                "it: pseudonyms should not collide.",
            )

    def _check(self, tally: _Tally, quarantine: bool) -> None:
        """Stop on uncovered columns or (policy fail) malformed objects; verify what landed."""
        if tally.uncovered:
            raise _uncovered_error(*tally.uncovered[0])
        malformed = tally.malformed
        if malformed and not quarantine:
            item, reason = malformed[0]
            more = f" ({len(malformed) - 1} more)" if len(malformed) > 1 else ""
            raise SourceError(
                f"source {self.name!r}: object {item.key_out} {reason}{more}.",
                hint="fix or remove it in production, or set objects: {on_malformed: quarantine} "
                "in sanitize.yaml to leave malformed objects out and list them in the receipt; "
                "staging was left as it was.",
            )
        for item, reason in malformed:
            log.warning(
                "object quarantined",
                extra={"source": self.name, "key": item.key_out, "why": reason},
            )
        check_objects(self.name, tally.written, self.target.shadow_keys(), tally.receipts)


def _uncovered_error(item: PlannedObject, columns: list[str]) -> ConfigError:
    snippet = "\n".join(f"      {c}: keep    # TODO: choose a rule" for c in columns)
    return ConfigError(
        f"{item.rule.where}: object {item.key_out} has columns its rule does not cover "
        f"(fail closed): {', '.join(columns)}.\nAdd them to the rule for "
        f'"{item.rule.glob}", e.g.:\n\n    columns:\n{snippet}\n',
        hint='give each column a rule, or add "*": keep for columns that hold nothing '
        "personal; staging was left as it was.",
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

    def finish(self, part: ObjectPart, receipt: Receipt) -> None:
        """Fill the receipt: per rule counts, bytes, fields and entities (no contents)."""
        for item in part.planned:
            counts = self.receipts[item.rule.glob]
            counts.objects_in += 1
            counts.bytes_in += item.info.size
            counts.dropped += item.rule.handler == "drop"
        for glob, fields in self.fields.items():
            self.receipts[glob].fields = FieldReceipt.of_all(fields)
            add_entities(receipt, self.receipts[glob].fields)
        for glob, counts in self.receipts.items():
            if counts.objects_in:
                receipt.objects[f"{part.name}:{glob}"] = counts
