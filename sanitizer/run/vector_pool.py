"""Vector records masked and re-embedded by the engine's workers: Ray actors (``engine:
ray``), or this machine's forkserver processes when a run detects on more than one core
(docs/engine.md, docs/operations.md "Vector runs"). Each holds the detector and the model.

A record batch goes to a worker and comes back masked, with its new vectors and the counts
for the receipt; batches come back in source order, so the driver profiles and writes them
exactly as when it masks them itself. :class:`~sanitizer.mask.vectors.RecordMasker` needs no
ledger — a batch's result depends on the batch, the rules and the key only — and each read
is embedded whole, in one model call as the driver makes it, so staging is the driver's
(docs/design.md, guarantee 13): documents and metadata byte for byte, and the vectors too
unless the CPU sums a call in another order with one PyTorch thread than with the driver's,
~1e-7 apart (docs/operations.md, "Vector runs").
"""

from __future__ import annotations

import contextlib
from collections import deque
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from sanitizer.config.settings import EmbeddingSettings
from sanitizer.extract.vectors.base import RecordBatch
from sanitizer.mask.embed import Embedder, load_embedder, one_thread
from sanitizer.mask.engine import ColumnStats
from sanitizer.mask.plans import CollectionPlan
from sanitizer.mask.pseudonyms import Keyring
from sanitizer.mask.text.known_values import set_known
from sanitizer.mask.vectors import RecordMasker

if TYPE_CHECKING:
    from sanitizer.engine import Engine

_WORKER: dict[str, Any] = {}
Masked = tuple[RecordBatch, RecordBatch, np.ndarray]  # (production batch, masked, vectors)


def _init(
    keyring: Keyring, nlp: Any, embeddings: EmbeddingSettings, known: dict[str, list[str]]
) -> None:
    _WORKER.update(keyring=keyring, nlp=nlp, embeddings=embeddings, embedder=None)
    set_known(known)  # detect finds the run's known values here too


def _init_local(
    keyring: Keyring, nlp: Any, embeddings: EmbeddingSettings, known: dict[str, list[str]]
) -> None:
    """A local worker: one PyTorch thread (the workers fill the cores: two processes on two
    cores, each detecting and embedding, beat detection beside a two-thread PyTorch), and the
    model loaded now, while the run plans (from the forkserver's copy when it preloaded one).
    A model that cannot load is left for the first batch to meet and report."""
    _init(keyring, nlp, embeddings, known)
    if embeddings.url is None:
        one_thread()
    with contextlib.suppress(Exception):
        _embedder()


def _describe() -> tuple[str, int]:
    embedder = _embedder()
    return embedder.name, embedder.dimension


def _embed(texts: list[str]) -> np.ndarray:
    return _embedder().embed(texts)


def _embedder() -> Embedder:
    if _WORKER["embedder"] is None:  # loaded once per worker, on its first batch
        _WORKER["embedder"] = load_embedder(_WORKER["embeddings"])
    return _WORKER["embedder"]


def _mask_and_embed(
    plan: CollectionPlan, batch: RecordBatch
) -> tuple[RecordBatch, np.ndarray, dict[str, ColumnStats]]:
    masker = RecordMasker(plan, _WORKER["keyring"], _WORKER["nlp"])  # counts of this batch
    masked = masker.mask(batch)
    vectors = _embedder().embed([doc or "" for doc in masked.documents])
    return masked, vectors, masker.stats


class VectorPool:
    """The engine's workers for one vector source's run; use as a context manager.
    ``local``: this machine's processes, one PyTorch thread each, the model loaded at once."""

    def __init__(
        self,
        engine: Engine,
        workers: int,
        init: tuple[Keyring, Any, EmbeddingSettings, dict[str, list[str]]],
        local: bool = False,
    ) -> None:
        self.workers = workers
        self._pool = engine.executor(workers, _init_local if local else _init, init)

    def embedder(self) -> Embedder:
        """The workers' model, seen from the driver: its name and dimension (a worker loads
        it, and raises its error if it cannot), and texts embedded by a worker."""
        name, dimension = self._pool.submit(_describe).result()
        return PooledEmbedder(self, name, dimension)

    def __enter__(self) -> VectorPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop the workers (again is harmless)."""
        self._pool.shutdown(wait=True, cancel_futures=True)

    def run(
        self, plan: CollectionPlan, masker: RecordMasker, batches: Iterator[RecordBatch]
    ) -> Iterator[Masked]:
        """Masked batches in source order, two per worker in flight; their counts are
        merged into ``masker``'s."""
        pending: deque[tuple[RecordBatch, Any]] = deque()
        for batch in batches:
            # the production vectors stay here: a worker never needs them (guarantee 8)
            bare = RecordBatch(ids=batch.ids, documents=batch.documents, metadatas=batch.metadatas)
            pending.append((batch, self._pool.submit(_mask_and_embed, plan, bare)))
            if len(pending) >= 2 * self.workers:
                yield self._finish(masker, *pending.popleft())
        while pending:
            yield self._finish(masker, *pending.popleft())

    @staticmethod
    def _finish(masker: RecordMasker, batch: RecordBatch, future: Any) -> Masked:
        masked, vectors, stats = future.result()
        for name, delta in stats.items():
            masker.stats[name].merge(delta)
        return batch, masked, vectors


class PooledEmbedder(Embedder):
    """The model the pool's workers hold; the driver loads none (docs/operations.md)."""

    def __init__(self, pool: VectorPool, name: str, dimension: int) -> None:
        self.pool, self.name, self.dimension = pool, name, dimension

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        return self.pool._pool.submit(_embed, list(texts)).result()
