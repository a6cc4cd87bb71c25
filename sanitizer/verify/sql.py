"""The leak check for SQL: index masked production columns, scan every text cell in staging."""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from sanitizer.config.plan import TablePlan
from sanitizer.load.sql import SqlTarget
from sanitizer.schema import JSON, OTHER, STRING
from sanitizer.verify.leaks import LeakIndex, LeakReport

TEXT_KINDS = (STRING, JSON, OTHER)


def tracked_columns(plan: TablePlan) -> list[str]:
    """Text columns whose rule replaces every value: their production values must not
    reach staging anywhere (``detect`` texts are checked through the values they share)."""
    return [
        name
        for name, cp in plan.columns.items()
        if cp.column.kind == STRING
        and cp.operator.changes_values
        and cp.operator.replaces_every_value
    ]


def index_batch(index: LeakIndex, plan: TablePlan, batch: pl.DataFrame) -> None:
    """Add a source batch's values of the tracked columns to the index."""
    for name in tracked_columns(plan):
        if name in batch.columns:
            index.add_all(batch[name].drop_nulls().unique().to_list())


def scan_target(
    target: SqlTarget,
    source: str,
    plans: Iterable[TablePlan],
    index: LeakIndex,
    report: LeakReport,
) -> None:
    """Look for indexed values in every text cell of every loaded shadow table."""
    if not len(index):
        return
    for plan in plans:
        table = plan.table
        texts = [name for name, column in table.columns.items() if column.kind in TEXT_KINDS]
        if not texts:
            continue
        keys = list(table.primary_key)
        rows = target.stream_rows(table.name, keys + texts)
        scan_rows(index, report, f"{source}.{table.name}", keys, texts, rows)


def scan_rows(
    index: LeakIndex,
    report: LeakReport,
    where: str,
    keys: list[str],
    texts: list[str],
    rows: Iterable[tuple],
) -> None:
    """Look up each text cell of ``rows`` (key values, then text values); a hit is recorded
    as ``where.column`` and the row's key values (or its number), never the value."""
    for number, row in enumerate(rows, start=1):
        for name, value in zip(texts, row[len(keys) :], strict=True):
            if value is None:
                continue
            report.scanned += 1
            if index.found_in(value if isinstance(value, str) else str(value)):
                key = ", ".join(f"{k}={v}" for k, v in zip(keys, row, strict=False))
                report.record(f"{where}.{name}", key or f"row {number}")
