"""Applies a table's plan to a batch: every column through its operator, in one pass.

Masking is a pure function of (batch, plan, key) with one explicit exception: columns that must
stay unique share a :class:`UniqueLedger` for the run, so the rare collision between two
pseudonyms is re-drawn deterministically (attempt 1, 2, …) and distinct inputs always stay
distinct — including in foreign-key columns, which consult the same ledger through the same
pseudonym domain.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import polars as pl

from sanitizer.errors import MaskingError
from sanitizer.mask.codecs import TextCodec, escape, unescape
from sanitizer.mask.operators.base import (
    MaskContext,
    Operator,
    mask_series,
    mask_uniques,
    unique_values,
)
from sanitizer.mask.operators.fake import Fake
from sanitizer.mask.operators.null import Null
from sanitizer.mask.plans import ColumnPlan, TablePlan
from sanitizer.mask.pseudonyms import Keyring
from sanitizer.mask.sorted_arrays import insert_pairs, positions
from sanitizer.mask.text.known_values import PERSON_KINDS, people_by_text
from sanitizer.schema import ColumnInfo

MAX_ATTEMPTS = 64
MEMO_LIMIT = 100_000  # values remembered per column across batches (bounded memory)


class UniqueLedger:
    """Which input claimed which output, per pseudonym domain, for one run.

    Only 64-bit hashes are kept, in sorted numpy arrays (the output's hash and its owner's),
    16 bytes a claim: a unique column of 4M values costs 64 MB at most and its growth stays
    a small part of a run's memory (docs/design.md, "Bounded memory").
    """

    MERGE = 8  # batches of claims kept apart before they are merged into one sorted pair

    def __init__(self) -> None:
        self.claims: dict[str, list[tuple[np.ndarray, np.ndarray]]] = {}

    def claim(self, domain: str, value: Any, output: Any) -> bool:
        """Claim ``output`` for ``value``; False when another value already holds it."""
        return bool(self.claim_many(domain, [value], [output])[0])

    def claim_many(self, domain: str, values: list[Any], outputs: list[Any]) -> np.ndarray:
        """Claim each output for its value, in order, as :meth:`claim` one at a time would:
        an output already held, or taken by an earlier value of the same call, is refused
        to any other value."""
        outs = np.fromiter(map(hash, outputs), dtype=np.int64, count=len(outputs))
        owners = np.fromiter(map(hash, values), dtype=np.int64, count=len(values))
        held = np.zeros(len(outs), dtype=bool)
        holder = np.zeros(len(outs), dtype=np.int64)
        parts = self.claims.setdefault(domain, [])
        for keys, heads in parts:
            at, found = positions(keys, outs)
            hit = ~held & found
            holder[hit] = heads[at[hit]]
            held |= hit
        free = np.flatnonzero(~held)
        keys, first = np.unique(outs[free], return_index=True)  # the first claim wins
        heads = owners[free[first]]
        holder[free] = heads[np.searchsorted(keys, outs[free])]
        if len(keys):
            parts.append((keys, heads))
        if len(parts) >= self.MERGE:
            self.claims[domain] = [_merged(parts)]
        return holder == owners


def _merged(parts: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    """One sorted (keys, owners) pair of disjoint parts (a key is claimed in one part only):
    the small parts sorted together, then inserted into the largest, which is copied once
    (docs/design.md, "Bounded memory")."""
    largest = max(range(len(parts)), key=lambda i: len(parts[i][0]))
    rest = [part for i, part in enumerate(parts) if i != largest]
    keys = np.concatenate([k for k, _ in rest])
    owners = np.concatenate([o for _, o in rest])
    order = np.argsort(keys, kind="stable")
    main_keys, main_owners = parts[largest]
    return insert_pairs(main_keys, main_owners, keys[order], owners[order])


@dataclass
class ColumnStats:
    """Counts for the receipt — never values."""

    operator: str
    origin: str
    rows: int = 0
    masked: int = 0
    unchanged: int = 0  # non-blank values a masking rule left equal to the original
    details: Counter = field(default_factory=Counter)

    def merge(self, other: ColumnStats) -> None:
        """Add counts gathered elsewhere (another process) for the same column."""
        self.rows += other.rows
        self.masked += other.masked
        self.unchanged += other.unchanged
        self.details.update(other.details)


@dataclass
class TableMasker:
    """Masks every batch of one table."""

    plan: TablePlan
    keyring: Keyring
    nlp: Any
    ledger: UniqueLedger
    copy_text: bool = False  # batches hold PostgreSQL COPY text (see mask.codecs)
    stats: dict[str, ColumnStats] = field(default_factory=dict)
    memos: dict[str, dict[Any, Any]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.reset_stats()

    def reset_stats(self) -> None:
        """Start counting afresh (memo caches are kept: they are pure)."""
        for name, column_plan in self.plan.columns.items():
            self.stats[name] = ColumnStats(column_plan.operator.label(), column_plan.origin)

    @property
    def ledger_columns(self) -> set[str]:
        """Columns that must consult the run's unique ledger (so: in the main process)."""
        return {
            name
            for name, cp in self.plan.columns.items()
            if cp.unique and cp.operator.changes_values
        }

    def mask(self, batch: pl.DataFrame, only: set[str] | None = None) -> pl.DataFrame:
        """Mask every column, or just ``only`` (the rest pass through, uncounted)."""
        people = self._people(batch)
        columns = [
            self._mask_column(batch.get_column(name), people)
            if only is None or name in only
            else batch.get_column(name)
            for name in batch.columns
        ]
        return pl.DataFrame(columns)

    def _people(self, batch: pl.DataFrame) -> list[tuple[tuple[str, str], ...]] | None:
        """Per row, the (kind, value) of its person columns (``fake: name``, ``first_name``,
        ``last_name``), when a column of the table runs ``detect``: a ticket's body then knows
        its customer's given and family names (see mask.text.known_values)."""
        if not any(cp.operator.uses_nlp for cp in self.plan.columns.values()):
            return None
        columns = []
        for name, cp in self.plan.columns.items():
            op = cp.operator
            if isinstance(op, Fake) and op.kind in PERSON_KINDS and name in batch.columns:
                series = batch.get_column(name)
                if self.copy_text:
                    series = unescape(series)
                columns.append((op.kind, series.to_list()))
        if not columns:
            return None
        return [
            tuple((kind, v) for kind, v in zip(kinds, row, strict=True) if _named(v))
            for row in zip(*(values for _, values in columns), strict=True)
            for kinds in [[kind for kind, _ in columns]]
        ]

    def _mask_column(
        self, series: pl.Series, people: list[tuple[tuple[str, str], ...]] | None = None
    ) -> pl.Series:
        column_plan = self.plan.columns[series.name]
        op = column_plan.operator
        stats = self.stats[series.name]
        stats.rows += series.len()
        if not op.changes_values:
            return series
        ctx = MaskContext(self.keyring, column_plan.column, nlp=self.nlp)
        codec = TextCodec(column_plan.column.kind) if self.copy_text else None
        if codec is not None:
            series = unescape(series)
        if people is not None and op.uses_nlp:
            ctx.people = people_by_text(series.to_list(), people)
        if isinstance(op, Null):
            out = op.mask_whole(series)
        elif column_plan.unique:
            out = self._mask_unique(series, column_plan, ctx, codec)
        else:
            memo = self.memos.setdefault(series.name, {})
            if len(memo) > MEMO_LIMIT:
                memo.clear()
            # a text masked with its record's people may come out differently in another row
            out = mask_series(op, series, ctx, codec, None if ctx.people else memo)
        stats.details.update(ctx.stats)
        stats.masked += series.len() - series.null_count()
        if op.replaces_every_value:
            stats.unchanged += _unchanged(series, out, op, column_plan.column)
        return escape(out) if codec is not None else out

    def _mask_unique(
        self,
        series: pl.Series,
        column_plan: ColumnPlan,
        ctx: MaskContext,
        codec: TextCodec | None,
    ) -> pl.Series:
        """Mask with collision re-draws so distinct inputs give distinct outputs."""
        op, domain = column_plan.operator, column_plan.operator.domain()
        pending = unique_values(series)
        mapping: dict[Any, Any] = {}
        for attempt in range(MAX_ATTEMPTS):
            if not pending:
                break
            ctx.attempt = attempt
            inputs, outputs = mask_uniques(op, pending, ctx, codec)
            retry = []
            claimed = self.ledger.claim_many(domain, inputs, outputs).tolist()
            for value, output, won in zip(inputs, outputs, claimed, strict=True):
                if won:
                    mapping[value] = output
                else:
                    retry.append(value)
            if attempt:
                ctx.count("unique_redraws", len(pending) - len(retry))
            pending = retry
        if pending:
            raise MaskingError(
                f"{self.plan.table.name}.{series.name}: {len(pending)} values found no free "
                f"pseudonym after {MAX_ATTEMPTS} attempts with {op.label()}.",
                hint="the column is too short for unique values of this kind; use hash or "
                "format: preserve.",
            )
        if not mapping:
            return series
        keys = list(mapping)
        return series.replace(
            keys, pl.Series([mapping[k] for k in keys], dtype=series.dtype, strict=False)
        )


def _named(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _unchanged(before: pl.Series, after: pl.Series, op: Operator, column: ColumnInfo) -> int:
    """Non-blank values of 4+ characters a masking rule left equal to the original (but not
    those the rule keeps by design: an ``empty`` range holds nothing to shift)."""
    if before.dtype != pl.String or after.dtype != pl.String:
        return 0
    same = (before == after) & (before.str.strip_chars().str.len_chars() >= 4)
    count = int(same.sum() or 0)
    if count:
        counts = before.filter(same).value_counts()
        value, n = counts.columns
        count -= sum(
            times
            for text, times in zip(counts[value], counts[n], strict=True)
            if op.stays(text, column)
        )
    return count
