"""A batch added to a sketch at once counts as the same batch added pair by pair."""

from __future__ import annotations

import random

import numpy as np
import polars as pl

from sanitizer.verify.fidelity.sketch import OTHER, Capped, Distinct


def test_a_full_counter_sums_new_categories_as_other_as_the_loop_does() -> None:
    rng = random.Random(16)
    pool = ["x", "y", OTHER, *map(str, range(80))]
    for cap in (1, 3, 10, 50):
        one, bulk = Capped(cap), Capped(cap)
        for _ in range(30):
            keys = rng.sample(pool, rng.randrange(0, 30))  # distinct, as value counts are
            numbers = [rng.randrange(1, 9) for _ in keys]
            one.add(zip(keys, numbers, strict=True))
            bulk.add_counts(keys, numbers)
        assert one.counts == bulk.counts
        assert OTHER in one.counts  # the cap was reached


def test_a_series_is_added_by_its_value_counts() -> None:
    capped = Capped(2)
    capped.add_series(pl.Series(["a", "b", "a", None, "c", "c", "c"]))
    assert sum(capped.counts.values()) == 6 and len(capped.counts) == 3


def test_a_full_distinct_sketch_keeps_the_same_smallest_hashes() -> None:
    rng = np.random.default_rng(16)
    plain, sketch = np.empty(0, dtype=np.uint64), Distinct(64)
    for _ in range(20):
        hashes = rng.integers(0, 2**63, 500, dtype=np.uint64) // np.uint64(rng.integers(1, 99))
        plain = np.union1d(plain, np.unique(hashes)[:64])[:64]
        sketch.add(pl.Series(hashes))
    assert (sketch.smallest == plain).all() and len(plain) == 64
