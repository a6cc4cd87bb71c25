"""Masking spread over processes: batches go to a pool, results come back in order.

Masking is a pure function of (batch, plan, key), so each worker holds its own maskers (and
memo caches) and any worker can take any batch. Columns that must stay unique are the one
exception: they need the run's single :class:`UniqueLedger`, so the main process masks them
after the worker returns the rest of the batch. Counts for the receipt travel back with each
batch and are merged, and so does the piece's share of the leak index: the worker digests the
piece's tracked values where it masks them, and the main process only merges int64 arrays
(docs/engine.md, "What runs where").
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any, Protocol

import polars as pl

from sanitizer.mask.engine import ColumnStats, TableMasker, UniqueLedger
from sanitizer.mask.plans import TablePlan
from sanitizer.mask.pseudonyms import Keyring
from sanitizer.mask.text.known_values import set_known
from sanitizer.mask.workers import core_count, process_pool

if TYPE_CHECKING:
    from sanitizer.mask.workers import Engine

# What the run's leak check lends the pool (verify/pieces.PieceIndexer): called where a piece is
# masked, with (keyring, source piece, masked piece), it returns the piece's share of the
# index — int64 digests only — which the main process hands to the check's ``merge``.
Indexer = Callable[[Keyring, pl.DataFrame, pl.DataFrame], Any]


class IndexSink(Protocol):
    """The run's leak check (verify/run.RunLeakCheck), seen from the pool."""

    def merge(
        self,
        part: Any,
        masked: pl.DataFrame | None = None,
        plan: TablePlan | None = None,
        ledger: Iterable[str] = (),
    ) -> None: ...


Leaks = tuple[IndexSink, Indexer]

_WORKER: dict[str, Any] = {}
MIN_PIECE_ROWS = 100  # smaller pieces cost more in transfer than they gain in balance
MAX_PIECE_ROWS = 500  # at the end of a table, one worker waits for the other's last piece
MIN_TAIL_ROWS = 25  # the last pieces of a table shrink down to this (see MaskPool.mask)
TAIL_FLOOR = 8  # … or to an eighth of the table's piece size, whichever is larger


def _init_worker(keyring: Keyring, nlp: Any, known: dict[str, list[str]]) -> None:
    _WORKER.update(keyring=keyring, nlp=nlp, maskers={})
    set_known(known)  # detect finds the run's known values in every process


def _mask_in_worker(
    plan: TablePlan,
    copy_text: bool,
    batch: pl.DataFrame,
    indexer: Indexer | None = None,
) -> tuple[pl.DataFrame, dict[str, ColumnStats], Any]:
    """Mask every column that needs no ledger; return the batch, this batch's counts and,
    with an ``indexer``, the piece's share of the leak index."""
    maskers: dict[str, TableMasker] = _WORKER["maskers"]
    masker = maskers.get(plan.table.name)
    if masker is None:
        masker = TableMasker(
            plan, _WORKER["keyring"], _WORKER["nlp"], UniqueLedger(), copy_text=copy_text
        )
        maskers[plan.table.name] = masker
    shared = set(plan.columns) - masker.ledger_columns
    masker.reset_stats()  # counts travel back per batch
    masked = masker.mask(batch, shared)
    part = None if indexer is None else indexer(_WORKER["keyring"], batch, masked)
    return masked, {name: masker.stats[name] for name in shared}, part


def worker_count(setting: int | None, uses_nlp: bool) -> int:
    """Masking processes: the setting, or — for ``auto`` — one per core when a rule runs
    ``detect`` (NLP dominates the run), else 1.

    Measured on 2 cores with structured rules only, a pool was slower (10.2 s vs 8.4 s for
    1M rows): the database servers and the COPY streams need those cores more.
    """
    if setting:
        return setting
    return core_count() if uses_nlp else 1


class MaskPool:
    """A process pool for the run's masking; use as a context manager."""

    def __init__(
        self,
        workers: int,
        keyring: Keyring,
        nlp: Any,
        known: dict[str, list[str]] | None = None,
        engine: Engine | None = None,
    ) -> None:
        self.workers = workers
        # this machine's processes, or actors on a cluster (docs/engine.md)
        initargs = (keyring, nlp, known or {})
        if engine is None:
            self._pool = process_pool(workers, _init_worker, initargs)
        else:
            self._pool = engine.executor(workers, _init_worker, initargs)

    def __enter__(self) -> MaskPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop the workers (again is harmless)."""
        self._pool.shutdown(wait=True, cancel_futures=True)

    def mask(
        self,
        masker: TableMasker,
        batches: Iterator[pl.DataFrame],
        leaks: Leaks | None = None,
    ) -> Iterator[pl.DataFrame]:
        """Masked batches in source order, keeping about two pieces per worker in flight;
        with ``leaks``, each worker also indexes its pieces and the run's check merges them.

        Each batch is cut into pieces so every worker has work even when a table is a
        single batch (NLP-heavy tables often are), and no piece is so large that one worker
        finishes the table long after the others. A batch's last rows are held back until
        the next batch is read: after the table's last batch they go out in shrinking pieces,
        so the workers finish together instead of one idling through the other's last piece.
        """
        flight = _Flight(masker, leaks)
        held, held_size = None, MIN_PIECE_ROWS
        for batch in batches:
            if held is not None:
                yield from self._send(flight, _pieces(held, held_size), held_size)
            held_size = self._piece_rows(batch.height)
            cut = max(0, batch.height - 2 * self.workers * held_size)
            held = batch.slice(cut)
            yield from self._send(flight, _pieces(batch.slice(0, cut), held_size), held_size)
        if held is not None:
            tail = _shrinking(held, held_size, 2 * self.workers)
            yield from self._send(flight, tail, held_size)
        while flight.pending:
            yield flight.finish_oldest()

    def _piece_rows(self, height: int) -> int:
        return max(MIN_PIECE_ROWS, min(MAX_PIECE_ROWS, -(-height // (2 * self.workers))))

    def _send(
        self, flight: _Flight, pieces: Iterator[pl.DataFrame], size: int
    ) -> Iterator[pl.DataFrame]:
        """Submit the pieces; while two pieces of ``size`` per worker are in flight, yield
        the oldest result first (counted in rows: small last pieces do not starve a worker)."""
        for piece in pieces:
            flight.submit(self._pool, piece)
            while flight.rows >= 2 * self.workers * size:
                yield flight.finish_oldest()


class _Flight:
    """One table's pieces in the pool, oldest first, and how many rows they hold."""

    def __init__(self, masker: TableMasker, leaks: Leaks | None = None) -> None:
        self.masker = masker
        self.leaks = leaks
        self.pending: deque[tuple[Future, int]] = deque()
        self.rows = 0

    def submit(self, pool: Any, piece: pl.DataFrame) -> None:
        masker = self.masker
        indexer = None if self.leaks is None else self.leaks[1]
        future = pool.submit(_mask_in_worker, masker.plan, masker.copy_text, piece, indexer)
        self.pending.append((future, piece.height))
        self.rows += piece.height

    def finish_oldest(self) -> pl.DataFrame:
        """The oldest piece masked, its counts merged and its ledger columns masked here."""
        future, rows = self.pending.popleft()
        self.rows -= rows
        batch, stats, part = future.result()
        masker = self.masker
        for name, delta in stats.items():
            masker.stats[name].merge(delta)
        ledger_columns = masker.ledger_columns
        batch = masker.mask(batch, ledger_columns) if ledger_columns else batch
        if self.leaks is not None and part is not None:
            self.leaks[0].merge(part, batch, masker.plan, ledger_columns)
        return batch


def _pieces(batch: pl.DataFrame, size: int) -> Iterator[pl.DataFrame]:
    for start in range(0, batch.height, size):
        yield batch.slice(start, size)


def _shrinking(rows: pl.DataFrame, size: int, share: int) -> Iterator[pl.DataFrame]:
    """Pieces of at most ``size`` rows, each a ``share``-th of what is left (but not below
    :data:`MIN_TAIL_ROWS` or ``size / TAIL_FLOOR``): large while much is left, small at the
    very end."""
    floor = max(MIN_TAIL_ROWS, size // TAIL_FLOOR)
    start = 0
    while start < rows.height:
        step = max(floor, min(size, -(-(rows.height - start) // share)))
        yield rows.slice(start, step)
        start += step
