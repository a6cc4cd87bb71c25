"""Bounded, mergeable summaries a field profile is built from: none of them keeps a value.

A :class:`Distinct` sketch keeps the smallest 64-bit hashes it saw (k minimum values), which
counts exactly up to ``k`` distinct values and estimates beyond; a :class:`Reservoir` keeps a
uniform sample of numbers (in memory only: the receipt gets binned histograms of it); a
:class:`Capped` counter stops learning new categories once full and counts the rest as other.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable, Mapping

import numpy as np
import polars as pl

DISTINCT_K = 8192  # exact distinct counts up to this many values per field
RESERVOIR = 4096  # numbers sampled per field and side for histograms and KS
OTHER = "(other)"
MANY = 512  # distinct categories in a batch above which polars tells known from new


class Distinct:
    """A k-minimum-values sketch of a field's distinct non-NULL values (hashes, in memory)."""

    def __init__(self, k: int = DISTINCT_K) -> None:
        self.k = k
        self.smallest = np.empty(0, dtype=np.uint64)

    def add(self, hashes: pl.Series) -> None:
        if hashes.len() == 0:
            return
        values = hashes.to_numpy()
        if len(self.smallest) >= self.k:  # full: only a hash below the k-th can enter
            values = values[values < self.smallest[self.k - 1]]
            if not len(values):
                return
        fresh = np.unique(values)[: self.k]
        self.smallest = np.union1d(self.smallest, fresh)[: self.k]

    def estimate(self) -> int:
        """Exact below ``k``; above, the KMV estimate (k − 1) / (k-th smallest hash / 2⁶⁴)."""
        if len(self.smallest) < self.k:
            return len(self.smallest)
        kth = float(self.smallest[self.k - 1]) / 2.0**64
        return round((self.k - 1) / kth) if kth > 0 else len(self.smallest)


class Reservoir:
    """A uniform sample of a field's numbers (Algorithm R, vectorized per batch)."""

    def __init__(self, size: int = RESERVOIR, seed: int = 18) -> None:
        self.size = size
        self.sample = np.empty(0, dtype=np.float64)
        self.seen = 0
        self._rng = np.random.default_rng(seed)

    def add(self, values: np.ndarray) -> None:
        free = self.size - len(self.sample)
        if free > 0:
            head, values = values[:free], values[free:]
            self.sample = np.concatenate([self.sample, head])
            self.seen += len(head)
        if len(values) == 0:
            return
        index = self.seen + np.arange(1, len(values) + 1)  # 1-based position of each value
        slots = (self._rng.random(len(values)) * index).astype(np.int64)
        kept = slots < self.size
        self.sample[slots[kept]] = values[kept]
        self.seen += len(values)


class Capped:
    """Category counts that stop adding new categories at ``cap`` (the rest count as other)."""

    def __init__(self, cap: int = 1000) -> None:
        self.cap = cap
        self.counts: dict[str, int] = {}

    def add(self, pairs: Iterable[tuple[str, int]]) -> None:
        counts = self.counts
        for key, count in pairs:
            if key in counts or len(counts) < self.cap:
                counts[key] = counts.get(key, 0) + count
            else:
                counts[OTHER] = counts.get(OTHER, 0) + count

    def add_series(self, series: pl.Series) -> None:
        """Add the categories of a string series (NULLs left out), the largest first and ties
        by name: which of them still enter a nearly full counter must not depend on the
        order polars happens to count them in (a receipt's top values would change from run
        to run)."""
        counts = series.drop_nulls().value_counts()
        key, count = counts.columns
        counts = counts.sort([count, key], descending=[True, False])
        keys, numbers = counts.to_series(0), counts.to_series(1)
        if counts.height > MANY:
            self._add_many(keys, numbers)
        else:
            self.add_counts(keys.to_list(), numbers.to_list())

    def _add_many(self, keys: pl.Series, numbers: pl.Series) -> None:
        """:meth:`add_counts` of many distinct keys, told apart by polars: only the keys
        that enter become Python strings (a ``keep`` column of unique values brings a
        batch's every value; all but ``cap`` of them end up as other)."""
        have = self.counts
        known = keys.is_in(pl.Series(list(have), dtype=keys.dtype).implode()).to_numpy()
        new = np.flatnonzero(~known)
        free = max(0, self.cap - len(have))
        taken = pl.Series(np.sort(np.concatenate([np.flatnonzero(known), new[:free]])))
        self.add(zip(keys.gather(taken).to_list(), numbers.gather(taken).to_list(), strict=True))
        if len(new) > free:  # in add's order, the new ones after the first ``free``
            have[OTHER] = have.get(OTHER, 0) + int(numbers.gather(pl.Series(new[free:])).sum())

    def add_counts(self, keys: list[str], numbers: list[int]) -> None:
        """:meth:`add` of ``zip(keys, numbers)`` (distinct keys), with the categories that
        can no longer enter summed as other at once: a column of unique values brings a
        batch's every value, one pair each."""
        have = self.counts
        known = np.fromiter((k in have for k in keys), dtype=bool, count=len(keys))
        new = np.flatnonzero(~known)
        free = max(0, self.cap - len(have))
        taken = np.sort(np.concatenate([np.flatnonzero(known), new[:free]])).tolist()
        self.add((keys[i], numbers[i]) for i in taken)
        rest = new[free:].tolist()  # in add's order, the new ones after the first ``free``
        if rest:
            have[OTHER] = have.get(OTHER, 0) + sum(numbers[i] for i in rest)

    def top(self, n: int) -> dict[str, int]:
        """The ``n`` largest categories, the rest folded into other."""
        return top(self.counts, n)


def top(counts: Mapping[str, int], n: int) -> dict[str, int]:
    """The ``n`` largest (ties by name), in that order, the rest folded into other
    (``heapq.nsmallest`` is ``sorted(...)[:n]`` without sorting the rest)."""
    head = dict(heapq.nsmallest(n, counts.items(), key=lambda kv: (-kv[1], kv[0])))
    rest = sum(counts.values()) - sum(head.values())
    if rest:
        head[OTHER] = head.get(OTHER, 0) + rest
    return head


def bucket(expr: pl.Expr) -> pl.Expr:
    """Lengths and line counts into buckets: exact below 64, then powers of two (64–127…)."""
    power = (pl.lit(2.0).pow(expr.cast(pl.Float64).log(2).floor())).cast(pl.Int64)
    return pl.when(expr < 64).then(expr).otherwise(power)


def nice_step(span: float, bins: int) -> float:
    """A 1, 2 or 5 × 10ⁿ bin width giving about ``bins`` bins over ``span``."""
    if span <= 0 or not math.isfinite(span):
        return 1.0
    raw = span / bins
    power = 10.0 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
