"""One object through extract → mask → load: the unit of work, in a thread or a process.

Kept apart from the run's planning so a worker process imports only what it needs, and so
the same function serves the thread pool and the process pool.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from typing import Protocol

from sanitizer.extract.objects import ObjectAttributes, ObjectSource
from sanitizer.load.objects import ObjectTarget
from sanitizer.mask.engine import ColumnStats, UniqueLedger
from sanitizer.mask.objects import MalformedObject, ObjectContext, UncoveredFields
from sanitizer.mask.objects.fields import mask_fields
from sanitizer.mask.objects.handlers import HANDLERS
from sanitizer.mask.pseudonyms import Keyring
from sanitizer.plan.objects import PlannedObject

SPOOL_BYTES = 8 * 1024 * 1024  # a masked object larger than this is buffered on disk


class Stores(Protocol):
    source: ObjectSource
    target: ObjectTarget


@dataclass
class Outcome:
    """What happened to one object (counts only)."""

    bytes_out: int = 0
    written: bool = False
    malformed: str | None = None
    uncovered: list[str] = field(default_factory=list)
    metadata_dropped: int = 0
    stats: dict[str, ColumnStats] = field(default_factory=dict)


def mask_one(
    run: Stores, item: PlannedObject, keyring: Keyring, nlp: object, ledger: UniqueLedger
) -> Outcome:
    """Extract, mask and load one object; a malformed one comes back as an outcome."""
    ctx = ObjectContext(keyring, nlp, ledger)
    rule, outcome = item.rule, Outcome()
    original = run.source.attributes(item.info.key)
    metadata, dropped_m = mask_fields(rule.metadata, original.metadata, ctx, "metadata")
    tags, dropped_t = mask_fields(rule.tags, original.tags, ctx, "tags")
    outcome.metadata_dropped = dropped_m + dropped_t
    attributes = ObjectAttributes(metadata, tags, original.headers)
    handler = HANDLERS[rule.format_for(item.info.key)]
    with (
        run.source.open(item.info.key) as stream,
        tempfile.SpooledTemporaryFile(SPOOL_BYTES) as sink,
    ):
        try:
            handler(rule, stream, sink, ctx)  # type: ignore[arg-type]
        except MalformedObject as exc:
            outcome.malformed = str(exc)
            return outcome
        except UncoveredFields as exc:
            outcome.uncovered = exc.fields
            return outcome
        outcome.bytes_out = sink.tell()
        sink.seek(0)
        run.target.put(item.key_out, sink, attributes)  # type: ignore[arg-type]
    outcome.written = True
    outcome.stats = ctx.stats
    return outcome
