"""Indexing production values where a piece of a table is masked (docs/engine.md, "What
runs where"): which columns the leak check tracks, a batch's values into the index, and what
the rules made of them.

Apart from :mod:`sanitizer.verify.sql` so that a masking worker, which runs
:class:`PieceIndexer` on every piece, imports neither SQLAlchemy nor a database driver: its
start is on a detecting run's critical path.
"""

from __future__ import annotations

import copy
from collections.abc import Collection, Iterator
from dataclasses import dataclass

import polars as pl

from sanitizer.mask.operators.json import Json
from sanitizer.mask.plans import TablePlan
from sanitizer.mask.pseudonyms import Keyring
from sanitizer.schema import STRING
from sanitizer.verify.hosts import HostIndex
from sanitizer.verify.leaks import (
    HashMemo,
    IndexPart,
    LeakIndex,
    first_seen,
    verification_key,
)
from sanitizer.verify.tracker import Tracker, tracked_leaves, tracks


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


def tracked_json(plan: TablePlan) -> dict[str, Json]:
    """JSON columns (or JSON kept as text) with a path whose rule replaces every value."""
    return {
        name: cp.operator
        for name, cp in plan.columns.items()
        if isinstance(cp.operator, Json) and tracks(cp.operator)
    }


def index_batch(
    tracker: Tracker,
    plan: TablePlan,
    batch: pl.DataFrame,
    seen: set[int] | HashMemo | None = None,
    source: str = "",
) -> None:
    """Add a source batch's values of the tracked columns and JSON paths to the index
    (``seen``: hashes of values an earlier batch offered: each is tokenized once), and
    their hosts to the tracker's hosts (reported as ``source.table.column``)."""
    where = f"{source}.{plan.table.name}" if source else plan.table.name
    for name in tracked_columns(plan):
        if name in batch.columns:
            values = batch[name].drop_nulls().unique().to_list()
            if tracker.hosts is not None:  # every batch's: the field named is then the
                tracker.hosts.learn(values, f"{where}.{name}")  # same however cut (run.py)
            tracker.index.add_all(values if seen is None else first_seen(values, seen))
    for name, op in tracked_json(plan).items():
        if name in batch.columns:
            values = batch[name].drop_nulls().unique().to_list()
            tracker.field = f"{where}.{name}"
            tracker.documents(op, values if seen is None else first_seen(values, seen))


def masked_values(
    plan: TablePlan, batch: pl.DataFrame, columns: Collection[str] | None = None
) -> Iterator[str]:
    """What the rules made of the tracked values of a masked batch: the fakes to forget
    (of ``columns`` only, when given)."""
    for name in tracked_columns(plan):
        if name in batch.columns and (columns is None or name in columns):
            yield from (
                v for v in batch[name].drop_nulls().unique().to_list() if isinstance(v, str)
            )
    for name, op in tracked_json(plan).items():
        if name in batch.columns and (columns is None or name in columns):
            yield from tracked_leaves(op, batch[name].drop_nulls().unique().to_list())


@dataclass
class PieceIndexer:
    """Indexes a piece of a table where it is masked — a pool worker, a Ray actor, or the
    driver — so that the driver only merges digests (docs/engine.md, "What runs where").
    Picklable and keyless: a worker derives the verification key from the keyring it already
    holds. ``ledger``: columns the driver masks after the worker (unique ones); their fakes
    are noted by the driver, once it has masked them."""

    plan: TablePlan
    source: str
    hosts: HostIndex  # the run's settings, no hosts learned yet
    ledger: frozenset[str] = frozenset()

    def __call__(
        self,
        keyring: Keyring,
        production: pl.DataFrame,
        masked: pl.DataFrame,
        seen: HashMemo | None = None,
        seen_fakes: HashMemo | None = None,
    ) -> IndexPart:
        """The piece's index part: its tracked production values and hosts, and what the
        rules made of them (``seen``/``seen_fakes``: values an earlier piece offered, for a
        caller that keeps them; a worker does not)."""
        index = LeakIndex(verification_key(keyring))
        hosts = copy.copy(self.hosts)
        hosts.hosts = {}
        index_batch(Tracker(index, keyring, hosts=hosts), self.plan, production, seen, self.source)
        ledger = self.ledger
        done = [name for name in self.plan.columns if name not in ledger]
        fakes: list[object] = list(masked_values(self.plan, masked, done))
        if seen_fakes is not None:
            fakes = first_seen(fakes, seen_fakes)
        return index.part(fakes, hosts.hosts)
