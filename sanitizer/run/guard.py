"""The nightly-job guard rails around a run's targets: lock, ownership, run history.

Before anything is written every target is locked — SQL, object and vector ones alike — so a
second run against the same staging stops with exit 8. Every target must be sanitizer's own
(its marker) or new: an existing empty one is adopted only with ``--init``. The run is then
recorded as ``running`` in each staging database's history, which also marks runs that were
killed before they could finish; at the end the row gets the outcome and the receipt's counts
(never values).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from contextlib import ExitStack
from typing import TYPE_CHECKING, Any

import sanitizer
from sanitizer.load.target import Target
from sanitizer.receipt import Receipt

if TYPE_CHECKING:
    from sanitizer.load.sql import SqlTarget
    from sanitizer.load.sql.history import History

log = logging.getLogger("sanitizer")


def lock_all(stack: ExitStack, targets: Sequence[Target], run_id: str, ttl: int) -> None:
    """Hold every target's lock until the run ends (in a stable order: no deadlock). A
    database or folder lock dies with the process; S3 and a Chroma server get a lock record
    with an expiry of ``ttl`` seconds, renewed while the run lasts."""
    for target in sorted(targets, key=lambda t: t.describe()):
        stack.enter_context(target.lock(run_id, ttl))


def claim_all(targets: Sequence[Target], receipt: Receipt, init: bool, dry_run: bool) -> None:
    """Check that every target is sanitizer's own (SQL: its marker table; objects and
    vectors: :mod:`sanitizer.load.ownership`), marking a new one; a dry run only checks."""
    for target in targets:
        target.claim(receipt.run_id, sanitizer.__version__, init, write=not dry_run)


def start_histories(targets: list[SqlTarget], receipt: Receipt, dry_run: bool) -> list[History]:
    """Start each SQL target's run-history row (which marks runs found killed)."""
    if dry_run:
        return []
    histories = []
    for target in targets:
        history = target.history
        with target.errors("recording the run"):
            stale = history.start(receipt.run_id, _info(receipt))
        for run_id in stale:
            log.warning(
                "a previous run was killed before it finished; its leftovers are cleaned up",
                extra={"run_id": receipt.run_id, "killed_run": run_id, "target": target.name},
            )
            receipt.killed_runs.append(run_id)
        histories.append(history)
    return histories


def finish_histories(histories: list[History], receipt: Receipt) -> None:
    """Record the outcome; a failure to record never hides the run's own outcome."""
    for history in histories:
        try:
            history.finish(receipt.run_id, receipt.status, summary(receipt), receipt.error)
        except Exception:
            log.exception("recording the run's outcome in %s failed", history.target)


def _info(receipt: Receipt) -> dict[str, Any]:
    return {
        "tool_version": receipt.tool_version,
        "rules_digest": receipt.rules_digest,
        "key_id": receipt.key_id,
    }


def summary(receipt: Receipt) -> dict[str, Any]:
    """What the history keeps of a run: counts and verification, as in the receipt."""
    return {
        "tables": len(receipt.tables),
        "rows_in": sum(t.rows_in for t in receipt.tables.values()),
        "rows_out": sum(t.rows_out for t in receipt.tables.values()),
        "entities": receipt.entities,
        "verification": receipt.verification,
        "duration_seconds": receipt.duration_seconds,
    }
