"""Objects masked in several processes: masking is CPU-bound Python (fakes, parsing,
detection), so threads alone overlap I/O but use one core.

Each worker process opens its own source and target (from their URLs) and attaches to the
shadow the main process prepared; it takes batches of objects and runs each batch on its own
threads, so I/O still overlaps inside a process. Outcomes (counts, never values) travel back
and are folded into the run's tally by the caller. The unique ledger cannot span processes,
so rules that need one run in the main process instead (see :func:`process_count`).
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sanitizer import retry
from sanitizer.config.object_rules import ObjectRule
from sanitizer.extract.objects import ObjectSource, open_source
from sanitizer.load.objects import ObjectTarget, open_target
from sanitizer.mask.engine import UniqueLedger
from sanitizer.mask.pseudonyms import Keyring
from sanitizer.mask.workers import core_count
from sanitizer.plan.objects import PlannedObject
from sanitizer.run.object_work import Outcome, mask_one

if TYPE_CHECKING:
    from sanitizer.engine import Engine

_WORKER: dict[str, Any] = {}
OBJECTS_PER_TASK = 32  # objects per task: enough to amortize the hop, small enough to balance


@dataclass
class _Stores:
    source: ObjectSource
    target: ObjectTarget


def process_count(setting: int, rules: list[ObjectRule]) -> int:
    """Worker processes for objects: the ``workers`` setting, or one per core for ``auto``;
    1 (threads in this process) when a rule needs the run's unique ledger."""
    needs_ledger = any(
        op.unique
        for rule in rules
        for op in [*rule.columns.values(), *rule.metadata.values(), *rule.tags.values()]
        if op is not None
    )
    if needs_ledger:
        return 1
    return setting or core_count()


def _init(
    retries: tuple[Any, str],
    name: str,
    source_url: str,
    target_url: str,
    run_id: str,
    keyring: Keyring,
    nlp: Any,
) -> None:
    retry.configure(*retries)  # the run's retry policy, before any S3 client is made
    target = open_target(name, target_url)
    target.attach(run_id)
    _WORKER.update(stores=_Stores(open_source(name, source_url), target), keyring=keyring, nlp=nlp)


def _batch(items: list[PlannedObject], threads: int) -> list[Outcome]:
    stores, keyring, nlp = _WORKER["stores"], _WORKER["keyring"], _WORKER["nlp"]
    ledger = UniqueLedger()  # unused: rules that need one never come here
    with ThreadPoolExecutor(threads) as pool:
        return list(pool.map(lambda item: mask_one(stores, item, keyring, nlp, ledger), items))


class ObjectPool:
    """Worker processes for one object source's run; use as a context manager."""

    def __init__(
        self,
        processes: int,
        threads: int,
        init: tuple[str, str, str, str, Keyring, Any],
        engine: Engine | None = None,
    ) -> None:
        from sanitizer.engine import LOCAL

        self.processes, self.threads = processes, threads
        # this machine's processes, or actors on a cluster (docs/engine.md)
        self._pool = (engine or LOCAL).executor(processes, _init, (retry.current(), *init))

    def __enter__(self) -> ObjectPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    def run(self, items: list[PlannedObject], stop: Any) -> Iterator[tuple[PlannedObject, Outcome]]:
        """Outcomes as batches finish, at most two batches per process in flight; nothing new
        is sent once ``stop`` is set."""
        size = max(1, min(OBJECTS_PER_TASK, len(items) // (4 * self.processes) or 1))
        batches = [items[i : i + size] for i in range(0, len(items), size)]
        pending = []
        for batch in batches:
            if stop.is_set():
                break
            pending.append((batch, self._pool.submit(_batch, batch, self.threads)))
            if len(pending) >= 2 * self.processes:
                done, future = pending.pop(0)
                yield from zip(done, future.result(), strict=True)
        for done, future in pending:
            yield from zip(done, future.result(), strict=True)
