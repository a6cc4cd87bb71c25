"""The checks a run makes before it swaps anything in (docs/design.md, guarantees 6 and 7).

Each raises — so the run discards every shadow — when staging would not be what the receipt
says: rows or objects missing, a masked value that came through unchanged, a production value
found anywhere in the shadows, or a vector copied from production. Messages name fields and
counts, never values.
"""

from __future__ import annotations

from collections.abc import Mapping

from sanitizer.errors import LeakError, TargetError
from sanitizer.receipt import FieldReceipt, ObjectReceipt, Receipt
from sanitizer.verify.leaks import LeakReport
from sanitizer.verify.secrets import Sweep


def check_counts(receipt: Receipt) -> None:
    """Every row arrived, and no masked value came through unchanged; entity counts are
    summed into the receipt."""
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
        add_entities(receipt, t.fields)
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


def add_entities(receipt: Receipt, fields: Mapping[str, FieldReceipt]) -> None:
    """Add the entities ``detect`` found in ``fields`` to the run's totals by type."""
    for f in fields.values():
        for entity, count in f.detected.items():
            receipt.entities[entity] = receipt.entities.get(entity, 0) + count


def record_secrets(receipt: Receipt, sweep: Sweep) -> None:
    """The secrets sweep's outcome in the receipt: places and detector rules, no value."""
    receipt.verification["secrets_check"] = {
        "production_hosts_learned": len(sweep.hosts),
        "staging_values_scanned": sweep.scanned,
        "hits": sweep.total,
        "where": [p.summary() for p in sweep.places.values()],
    }
    if sweep.total:
        receipt.verification["passed"] = False


def record_leaks(
    receipt: Receipt, report: LeakReport, tracked: int, sweep: Sweep | None = None
) -> None:
    """The leak check's outcome in the receipt; raise when any shadow holds a value of a
    masked production field, or (``sweep``) a live credential or a production host."""
    receipt.verification["leak_check"] = {
        "values_tracked": tracked,
        "staging_values_scanned": report.scanned,
        "hits": report.total,
        "where": [f"{h.where} ({h.key})" for h in report.hits],
    }
    if report.total:
        receipt.verification["passed"] = False
    secrets = sweep is not None and sweep.total > 0
    if report.total and not secrets:
        raise LeakError(
            report.describe() + ".",
            hint="the staging copy was discarded; add or tighten the rules for the fields "
            "that hold them (e.g. detect on that text column), then run again.",
        )
    if secrets:
        assert sweep is not None
        leaks = f" Also, {report.describe()}." if report.total else ""
        raise LeakError(
            sweep.describe() + "." + leaks,
            hint="the staging copy was discarded; change the rules named above (a public test "
            "value may instead go on `secrets.allow` in sanitize.yaml, exactly), then run again.",
        )


def check_objects(
    name: str, written: set[str], landed: set[str], receipts: Mapping[str, ObjectReceipt]
) -> None:
    """The shadow holds exactly the objects that were masked, and no masked object field
    kept an original value."""
    if landed != written:
        raise TargetError(
            f"target {name!r}: {len(written ^ landed)} objects differ between what was "
            "masked and what landed in the shadow.",
            hint="the shadow was discarded; run again.",
        )
    unchanged = [
        f"{glob} {field}"
        for glob, counts in receipts.items()
        for field, f in counts.fields.items()
        if f.unchanged_values
    ]
    if unchanged:
        raise LeakError(
            f"source {name!r}: masked object fields still hold original values: "
            f"{', '.join(unchanged)}.",
            hint="the staging copy was discarded; tighten those rules.",
        )


def check_reembedded(collection: str, copied: int) -> None:
    """No staging vector of a changed document equals its production vector
    (docs/design.md, guarantee 8)."""
    if copied:
        raise LeakError(
            f"{collection}: {copied} staging vectors equal their production vectors although "
            "the document changed.",
            hint="the staging copy was discarded; report this as a bug.",
        )
