"""Broken references, counted on both sides: production's orphans are messiness worth keeping.

A relation is a declared foreign key, or an undeclared one guessed from names: a ``<name>_id``
column that no key declares, where a table ``<name>`` (or its plural) has a one-column primary
key (docs/fidelity.md, "Orphans"). While batches stream, each side keeps 64-bit hashes of the
referenced keys and of the referencing values (a short buffer in memory, the rest in the run's
temporary files); after the load, a value whose hash is not among its parent's is an orphan.
Nothing but the counts reaches the receipt.
"""

from __future__ import annotations

import re
import secrets
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from sanitizer.mask.plans import TablePlan

MAX_HASHES = 20_000_000  # per key set and side (160 MB of files): beyond, it is not counted
# keys are hashed with a seed drawn per process: the spilled files mean nothing outside it
SEED = secrets.randbits(63)
_ID = re.compile(r"(?P<stem>\w+?)_id\Z")


@dataclass(frozen=True)
class Relation:
    child: str
    columns: tuple[str, ...]
    parent: str
    parent_columns: tuple[str, ...]
    declared: bool

    def describe(self) -> str:
        return (
            f"{self.child}({', '.join(self.columns)}) → "
            f"{self.parent}({', '.join(self.parent_columns)})"
        )


def relations(plans: Mapping[str, TablePlan]) -> list[Relation]:
    """Declared foreign keys between planned tables, then undeclared ``<name>_id`` columns."""
    found = []
    for name, plan in plans.items():
        declared = set()
        for fk in plan.table.foreign_keys:
            if fk.target in plans:
                found.append(Relation(name, fk.columns, fk.target, fk.target_columns, True))
                declared.add(fk.columns)
        for column in plan.columns:
            parent = _guessed_parent(name, column, plans)
            if parent is not None and (column,) not in declared:
                key = plans[parent].table.primary_key
                found.append(Relation(name, (column,), parent, key, False))
    return found


def _guessed_parent(table: str, column: str, plans: Mapping[str, TablePlan]) -> str | None:
    match = _ID.match(column)
    if match is None:
        return None
    stem = match["stem"]
    prefix = table.rsplit(".", 1)[0] + "." if "." in table else ""
    plurals = (stem, f"{stem}s", f"{stem}es", f"{stem[:-1]}ies" if stem.endswith("y") else stem)
    for candidate in (prefix + p for p in plurals):
        plan = plans.get(candidate)
        if plan is not None and len(plan.table.primary_key) == 1:
            return None if candidate == table else candidate
    return None


def key_hashes(columns: list[pl.Series]) -> np.ndarray:
    """Hashes of the rows whose key columns are all present (NULL references nothing)."""
    frame = pl.DataFrame({f"k{i}": column for i, column in enumerate(columns)})
    present = frame.filter(pl.all_horizontal(pl.all().is_not_null()))
    if present.height == 0:
        return np.empty(0, dtype=np.uint64)
    return present.select(pl.struct(pl.all()).hash(seed=SEED)).to_series().to_numpy()


class KeySet:
    """The hashes one side saw for one column set: a short buffer in memory, the rest
    appended to files in a temporary folder of the run's own (removed when the set is),
    split by the hash's top bits so the orphan count reads one part at a time: memory stays
    flat however many keys a table has (docs/fidelity.md, "Orphans"). Only hashes are
    written, never a key value."""

    BUFFER = 1 << 16  # hashes held before they are written out (512 KiB)

    def __init__(self) -> None:
        self.size = 0
        self.overflow = False
        self._buffer: list[np.ndarray] = []
        self._held = 0
        self._folder: tempfile.TemporaryDirectory[str] | None = None

    def add(self, hashes: np.ndarray) -> None:
        if self.overflow:
            return
        self.size += len(hashes)
        if self.size > MAX_HASHES:
            self.overflow, self._buffer = True, []
            return
        self._buffer.append(hashes.astype(np.uint64, copy=False))
        self._held += len(hashes)
        if self._held >= self.BUFFER:
            self._spill()

    def parts(self) -> Iterator[np.ndarray]:
        """The hashes, one part (a range of the top bits) at a time, every part in order."""
        if self._folder is None:
            held = _joined(self._buffer)
            bucket = held >> SHIFT
            for part in range(PARTS):
                yield held[bucket == part]
            return
        self._spill()
        for part in range(PARTS):
            path = Path(self._folder.name) / f"{part}.u64"
            yield np.fromfile(path, dtype=np.uint64) if path.exists() else _joined([])

    def _spill(self) -> None:
        """Append the buffer to the part files (made on first use)."""
        if not self._held:
            return
        if self._folder is None:
            self._folder = tempfile.TemporaryDirectory(prefix="sz-keys-")
        held = _joined(self._buffer)
        self._buffer, self._held = [], 0
        held = held[np.argsort(held >> SHIFT, kind="stable")]
        edges = np.searchsorted(held >> SHIFT, np.arange(PARTS + 1, dtype=np.uint64))
        for part in range(PARTS):
            if edges[part] < edges[part + 1]:
                with open(Path(self._folder.name) / f"{part}.u64", "ab") as out:
                    out.write(held[edges[part] : edges[part + 1]].tobytes())


PARTS = 64  # files a spilled key set is split into (by the hash's top 6 bits)
SHIFT = np.uint64(58)


def _joined(arrays: list[np.ndarray]) -> np.ndarray:
    return np.concatenate(arrays) if arrays else np.empty(0, dtype=np.uint64)


def orphans(child: KeySet, parent: KeySet) -> dict[str, Any]:
    """References checked and those whose key is not in the parent (or why not counted),
    compared one part of the hashes at a time."""
    if child.overflow or parent.overflow:
        return {"references": child.size, "orphans": None}
    count = 0
    for values, keys in zip(child.parts(), parent.parts(), strict=True):
        count += int(np.isin(values, np.unique(keys), invert=True).sum())
    return {"references": child.size, "orphans": count}


def relation_score(prod: Mapping[str, Any], stage: Mapping[str, Any]) -> float | None:
    """1 − the difference of orphan shares (production's broken references kept: 1)."""
    if prod["orphans"] is None or stage["orphans"] is None:
        return None
    share = [s["orphans"] / s["references"] if s["references"] else 0.0 for s in (prod, stage)]
    return round(1 - abs(share[0] - share[1]), 4)
