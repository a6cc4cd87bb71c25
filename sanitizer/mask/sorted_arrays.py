"""Sorted int64 arrays merged in place of ``np.union1d`` and concatenate-then-sort.

A run keeps its hashes (the leak index, the unique ledger) in sorted numpy arrays that grow
with the rows. ``np.union1d`` concatenates both arrays and then sorts or hashes the copy, so a
merge briefly holds about four times the array; at 4M rows that transient came on top of the
run's peak (docs/design.md, "Bounded memory"). Inserting the few new values at their
positions holds the old array, the new one and a byte a slot: about twice the array.
"""

from __future__ import annotations

import numpy as np

SORT_FROM = 256  # hashes sought at once from which sorting them first pays


def positions(table: np.ndarray, hashes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each of ``hashes`` stands in the sorted ``table`` (its slot, kept inside the
    table), and whether it is there (a boolean mask)."""
    if not len(table):
        return np.zeros(len(hashes), dtype=np.intp), np.zeros(len(hashes), dtype=bool)
    at = slots_of(table, hashes)
    np.minimum(at, len(table) - 1, out=at)
    return at, table[at] == hashes


def slots_of(table: np.ndarray, hashes: np.ndarray) -> np.ndarray:
    """``np.searchsorted(table, hashes)``; many hashes are sought in their sorted order and
    the slots put back in theirs: ascending keys walk a large table in memory order instead
    of at random (3–7 times faster for 50k hashes in 0.1–4M, docs/benchmarks.md). Hashes
    already ascending (a memo's distinct ones) are sought as they are."""
    if len(hashes) < SORT_FROM or not (hashes[1:] < hashes[:-1]).any():
        return np.searchsorted(table, hashes)
    order = np.argsort(hashes)
    at = np.empty(len(hashes), dtype=np.intp)
    at[order] = np.searchsorted(table, hashes[order])
    return at


def held(table: np.ndarray, hashes: np.ndarray) -> np.ndarray:
    """Which of ``hashes`` are in the sorted ``table`` (a boolean mask)."""
    return positions(table, hashes)[1]


def insert_sorted(table: np.ndarray, fresh: np.ndarray) -> np.ndarray:
    """``table`` with ``fresh`` inserted, still sorted: both sorted, no value in both."""
    if not len(fresh):
        return table
    return _placed(table, fresh, *_slots(table, fresh))


def insert_pairs(
    keys: np.ndarray, values: np.ndarray, fresh: np.ndarray, fresh_values: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`insert_sorted` for sorted ``keys`` with aligned ``values`` (the ledger's
    owners), which move with their keys."""
    if not len(fresh):
        return keys, values
    slots, rest = _slots(keys, fresh)
    return _placed(keys, fresh, slots, rest), _placed(values, fresh_values, slots, rest)


def _slots(table: np.ndarray, fresh: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each of ``fresh`` lands in the merged array, and which slots keep ``table``."""
    slots = np.searchsorted(table, fresh)
    slots += np.arange(len(fresh))
    rest = np.ones(len(table) + len(fresh), dtype=bool)
    rest[slots] = False
    return slots, rest


def _placed(
    table: np.ndarray, fresh: np.ndarray, slots: np.ndarray, rest: np.ndarray
) -> np.ndarray:
    merged = np.empty(len(rest), dtype=table.dtype)
    merged[slots] = fresh
    merged[rest] = table
    return merged


def union_sorted(table: np.ndarray, hashes: np.ndarray) -> np.ndarray:
    """The sorted distinct union of a sorted distinct ``table`` and any ``hashes`` (equal to
    ``np.union1d(table, hashes)``), without copying ``table`` more than once."""
    fresh = np.unique(hashes)
    return insert_sorted(table, fresh[~held(table, fresh)])


def without(table: np.ndarray, hashes: np.ndarray) -> np.ndarray:
    """A sorted distinct ``table`` less ``hashes`` (any order, repeats and strangers allowed)."""
    if not len(table) or not len(hashes):
        return table
    at, found = positions(table, hashes)
    at = at[found]
    if not len(at):
        return table
    keep = np.ones(len(table), dtype=bool)
    keep[at] = False
    return table[keep]
