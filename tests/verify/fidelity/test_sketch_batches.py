"""A batch added to a sketch at once counts as the same batch added pair by pair."""

from __future__ import annotations

import random

import numpy as np
import polars as pl

from sanitizer.verify.fidelity.sketch import MANY, OTHER, Capped, Distinct, top


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


def test_many_categories_told_apart_by_polars_count_as_the_loop_does() -> None:
    rng = random.Random(16)
    pool = ["x", "y", OTHER, *map(str, range(3000))]
    for cap in (1, 10, 700, 2000):
        one, bulk = Capped(cap), Capped(cap)
        for _ in range(12):
            keys = rng.sample(pool, rng.randrange(MANY + 1, 1500))  # distinct, many
            numbers = [rng.randrange(1, 9) for _ in keys]
            one.add(zip(keys, numbers, strict=True))
            bulk._add_many(pl.Series(keys), pl.Series(numbers))
            assert list(one.counts.items()) == list(bulk.counts.items())  # order too
        assert OTHER in one.counts


def test_the_top_categories_are_the_sorted_head_and_the_rest_is_other() -> None:
    rng = random.Random(16)
    counts = {str(i): rng.randrange(1, 20) for i in range(500)} | {OTHER: 7}
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    for n in (1, 10, 250, 600):
        head = dict(ranked[:n])
        rest = sum(c for _, c in ranked[n:])
        if rest:
            head[OTHER] = head.get(OTHER, 0) + rest
        assert list(top(counts, n).items()) == list(head.items())


def test_a_series_is_added_by_its_value_counts() -> None:
    capped = Capped(2)
    capped.add_series(pl.Series(["a", "b", "a", None, "c", "c", "c"]))
    assert sum(capped.counts.values()) == 6 and len(capped.counts) == 3


def test_the_categories_that_enter_a_full_counter_are_the_largest_then_by_name() -> None:
    rng = random.Random(16)
    values = [v for i in range(3000) for v in [f"k{i:04d}"] * (1 + i % 7)]
    rng.shuffle(values)
    capped = Capped(10)
    capped.add_series(pl.Series(values))
    largest = [f"k{i:04d}" for i in range(3000) if i % 7 == 6][:10]  # count 7, by name
    assert [k for k in capped.counts if k != OTHER] == largest
    assert capped.counts[OTHER] == len(values) - 70


def test_a_full_distinct_sketch_keeps_the_same_smallest_hashes() -> None:
    rng = np.random.default_rng(16)
    plain, sketch = np.empty(0, dtype=np.uint64), Distinct(64)
    for _ in range(20):
        hashes = rng.integers(0, 2**63, 500, dtype=np.uint64) // np.uint64(rng.integers(1, 99))
        plain = np.union1d(plain, np.unique(hashes)[:64])[:64]
        sketch.add(pl.Series(hashes))
    assert (sketch.smallest == plain).all() and len(plain) == 64
