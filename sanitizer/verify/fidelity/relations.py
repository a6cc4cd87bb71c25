"""Broken references, counted on both sides: production's orphans are messiness worth keeping.

A relation is a declared foreign key, or an undeclared one guessed from names: a ``<name>_id``
column that no key declares, where a table ``<name>`` (or its plural) has a one-column primary
key (docs/fidelity.md, "Orphans"). While batches stream, each side keeps keyed 64-bit hashes of
the referenced keys and of the referencing values, in memory only; after the load, a value
whose hash is not among its parent's is an orphan. Nothing but the counts reaches the receipt.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import polars as pl

from sanitizer.mask.plans import TablePlan

MAX_HASHES = 20_000_000  # per key set and side (160 MB): beyond, the relation is not counted
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
    return present.select(pl.struct(pl.all()).hash(seed=18)).to_series().to_numpy()


@dataclass
class KeySet:
    """The hashes one side saw for one column set, batch by batch."""

    parts: list[np.ndarray] = field(default_factory=list)
    size: int = 0
    overflow: bool = False

    def add(self, hashes: np.ndarray) -> None:
        if self.overflow:
            return
        self.size += len(hashes)
        if self.size > MAX_HASHES:
            self.overflow, self.parts = True, []
            return
        self.parts.append(hashes)

    def values(self) -> np.ndarray:
        return np.concatenate(self.parts) if self.parts else np.empty(0, dtype=np.uint64)


def orphans(child: KeySet, parent: KeySet) -> dict[str, Any]:
    """References checked and those whose key is not in the parent (or why not counted)."""
    if child.overflow or parent.overflow:
        return {"references": child.size, "orphans": None}
    values = child.values()
    missing = np.isin(values, np.unique(parent.values()), invert=True)
    return {"references": len(values), "orphans": int(missing.sum())}


def relation_score(prod: Mapping[str, Any], stage: Mapping[str, Any]) -> float | None:
    """1 − the difference of orphan shares (production's broken references kept: 1)."""
    if prod["orphans"] is None or stage["orphans"] is None:
        return None
    share = [s["orphans"] / s["references"] if s["references"] else 0.0 for s in (prod, stage)]
    return round(1 - abs(share[0] - share[1]), 4)
