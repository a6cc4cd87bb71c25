"""What every step of a run shares: settings, receipt, key, open resources and progress.

A run is one :class:`RunContext` passed through the steps of :mod:`sanitizer.run.snapshot`
and the per-store parts (:mod:`~sanitizer.run.sql`, :mod:`~sanitizer.run.objects`,
:mod:`~sanitizer.run.vectors`), so no step needs a long parameter list or an out-parameter.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sanitizer.config.settings import Settings
from sanitizer.engine import LOCAL, Engine
from sanitizer.mask.engine import UniqueLedger
from sanitizer.mask.pseudonyms import Keyring
from sanitizer.receipt import Receipt

if TYPE_CHECKING:
    from sanitizer.load.sql.history import History
    from sanitizer.mask.embed import Embedder
    from sanitizer.mask.parallel import MaskPool
    from sanitizer.plan.subset_follow import KeptValues
    from sanitizer.verify.fidelity.collect import RunFidelity
    from sanitizer.verify.run import RunLeakCheck

Progress = Callable[[str, int], None]  # (table, collection or source; items just loaded)


@dataclass
class RunContext:
    """One run's shared state. ``stack`` closes connections, locks and pools at the end."""

    settings: Settings
    receipt: Receipt
    keyring: Keyring
    stack: ExitStack
    dry_run: bool = False
    init: bool = False
    progress: Progress | None = None
    ledger: UniqueLedger = field(default_factory=UniqueLedger)  # unique fakes across stores
    histories: list[History] = field(default_factory=list)  # SQL targets' run history rows
    pool: MaskPool | None = None  # SQL masking processes, when more than one
    engine: Engine = LOCAL  # where the pools run: this machine or a Ray cluster
    known: dict[str, list[str]] = field(default_factory=dict)  # values detect finds again
    leaks: RunLeakCheck | None = None
    fidelity: RunFidelity | None = None  # both sides' profiles, fed as batches stream
    embedder: Embedder | None = None
    kept: KeptValues | None = None  # SQL subset values files and memories follow (after plan)

    @property
    def run_id(self) -> str:
        return self.receipt.run_id

    def advance(self, what: str, count: int) -> None:
        if self.progress:
            self.progress(what, count)
