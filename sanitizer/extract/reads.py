"""What one read of a source table takes, and how its frames are joined into batches.

Shared by the single reader (:mod:`sanitizer.extract.sql`) and the parallel readers of key
ranges (:mod:`sanitizer.extract.ranges`, docs/engine.md#reading-production).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import polars as pl
import sqlalchemy as sa

from sanitizer.schema import TableInfo


@dataclass(frozen=True)
class KeptRows:
    """A subset's share of one table: the primary keys of its kept rows, in a stable order,
    and the columns read as NULL (keys into excluded tables)."""

    keys: list[tuple]
    nulled: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Slice:
    """What one read takes: every row (``keys`` None) or those of a chunk of keys; ``upto``:
    only rows up to that primary key, included (a parallel reader's key range,
    docs/engine.md#reading-production — its lower end is the read's resume point)."""

    keys: list[tuple] | None = None
    nulled: frozenset[str] = frozenset()
    upto: tuple | None = None

    def params(self, after: tuple | None) -> tuple | None:
        """The read's bind values: the keys of the chunk, the resume point, the range's end."""
        flat = [v for key in self.keys or () for v in key]
        flat += list(after or ())
        flat += list(self.upto or ())
        return tuple(flat) if flat else None


@dataclass
class SourceTable:
    """A reflected table: the SQLAlchemy object (for DDL) and its neutral description."""

    table: sa.Table
    info: TableInfo


def regroup(frames: Iterable[pl.DataFrame], batch_size: int) -> Iterator[pl.DataFrame]:
    """A subset's frames (one or more per chunk of keys) joined up to ``batch_size`` rows, so
    masking and loading see batches as large as a full run's; frames of different column
    types (a chunk typed otherwise by ``to_frame``) are never joined."""
    pending: list[pl.DataFrame] = []
    rows = 0
    for frame in frames:
        if pending and (rows + frame.height > batch_size or frame.schema != pending[0].schema):
            yield pl.concat(pending, rechunk=False) if len(pending) > 1 else pending[0]
            pending, rows = [], 0
        pending.append(frame)
        rows += frame.height
    if pending:
        yield pl.concat(pending, rechunk=False) if len(pending) > 1 else pending[0]
