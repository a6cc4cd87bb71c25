"""Sorted int64 arrays merged in place (mask/sorted_arrays.py): the same arrays as numpy's
set routines and the concatenate-then-sort they replace (docs/design.md, "Bounded memory")."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sanitizer.mask.sorted_arrays import (
    SORT_FROM,
    held,
    insert_pairs,
    positions,
    union_sorted,
    without,
)

INT64 = st.integers(-(2**63), 2**63 - 1)
SMALL = st.integers(-50, 50)  # many repeats and overlaps
HASHES = st.lists(st.one_of(SMALL, INT64), max_size=60)


def _array(values: list[int]) -> np.ndarray:
    return np.array(values, dtype=np.int64)


@given(HASHES, HASHES)
@settings(max_examples=300, deadline=None)
def test_union_is_numpys_union1d(table, hashes):
    table_ = np.unique(_array(table))
    got = union_sorted(table_, _array(hashes))
    assert got.dtype == np.int64
    assert np.array_equal(got, np.union1d(table_, _array(hashes)))


@given(HASHES, HASHES)
@settings(max_examples=300, deadline=None)
def test_held_and_without_are_isin_and_setdiff1d(table, hashes):
    table_, hashes_ = np.unique(_array(table)), _array(hashes)
    assert np.array_equal(held(table_, hashes_), np.isin(hashes_, table_))
    assert np.array_equal(without(table_, hashes_), np.setdiff1d(table_, hashes_))


@given(HASHES, st.lists(st.one_of(SMALL, INT64), min_size=SORT_FROM, max_size=3 * SORT_FROM))
@settings(max_examples=100, deadline=None)
def test_many_hashes_sought_in_sorted_order_land_where_searchsorted_puts_them(table, hashes):
    table_ = np.unique(_array([*table, 0]))
    for hashes_ in (_array(hashes), np.sort(_array(hashes))):  # at random, and ascending
        at, found = positions(table_, hashes_)
        expected = np.minimum(np.searchsorted(table_, hashes_), len(table_) - 1)
        assert np.array_equal(at, expected)
        assert np.array_equal(found, np.isin(hashes_, table_))


@given(st.lists(st.tuples(st.one_of(SMALL, INT64), INT64), max_size=80), st.data())
@settings(max_examples=300, deadline=None)
def test_pairs_move_with_their_keys_as_a_stable_sort_would(pairs, data):
    distinct = list(dict(pairs).items())  # disjoint keys, as the ledger's parts are
    cut = data.draw(st.integers(0, len(distinct)))
    old, new = sorted(distinct[:cut]), sorted(distinct[cut:])
    keys, owners = insert_pairs(
        _array([k for k, _ in old]),
        _array([v for _, v in old]),
        _array([k for k, _ in new]),
        _array([v for _, v in new]),
    )
    assert list(zip(keys.tolist(), owners.tolist(), strict=True)) == sorted(distinct)
