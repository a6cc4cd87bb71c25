"""The vector target interface: build shadow collections, then swap them in together.

``write`` takes the masked batch (whose ``vectors`` is None) and the vectors computed from its
sanitized documents as separate arguments, so a source vector cannot reach a target.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np

from sanitizer.errors import TargetError
from sanitizer.extract.vectors.base import CollectionInfo, Collections, RecordBatch, VectorSource
from sanitizer.load.target import Target

MODEL_KEY = "sanitizer.embedding_model"
DIMENSION_KEY = "sanitizer.embedding_dimension"
METRIC_KEY = "sanitizer.metric"
RUN_KEY = "sanitizer.run_id"


class VectorTarget(Target):
    kind: str

    def __init__(self, name: str, url: str) -> None:
        self.name = name
        self.url = url
        self.run_id = ""
        self.managed: list[str] = []  # the source's collection names: what a run replaces

    def describe(self) -> str:
        return self.url

    @contextmanager
    def lock(self, run_id: str, ttl: int) -> Iterator[None]:
        """Hold the staging lock for the run; a second run gets a LockedError at once."""
        yield

    @abstractmethod
    def claim(self, run_id: str, version: str, init: bool, write: bool = True) -> None:
        """Refuse a store sanitizer does not own, before anything is cleaned or written."""

    @abstractmethod
    def prepare(self, run_id: str, managed: list[str]) -> None:
        """Start a run: clear a killed run's leftovers; ``managed`` are the source's names."""

    @abstractmethod
    def live_dimension(self, collection: str) -> int | None:
        """The vector dimension of the current staging copy, None when there is none."""

    @abstractmethod
    def create(self, collection: CollectionInfo, dimension: int, stamp: dict[str, str]) -> None:
        """Create the shadow of ``collection``; ``stamp`` records model and dimension on it."""

    @abstractmethod
    def write(self, collection: str, batch: RecordBatch, vectors: np.ndarray) -> None:
        """Append masked records with their new vectors to the shadow."""

    @abstractmethod
    def count(self, collection: str) -> int:
        """Records in the shadow (verification compares it with the source's count)."""

    @abstractmethod
    def shadow_reader(self) -> tuple[VectorSource, Collections]:
        """The run's shadow collections as a read-only source, each with its staging name
        (the caller closes the source)."""

    @abstractmethod
    def swap(self) -> None:
        """Replace the live staging collections with the shadows (and remove dropped ones)."""

    @abstractmethod
    def discard(self) -> None:
        """Remove the shadows; the live staging copy stays as it was."""

    def close(self) -> None:
        """Release the client (the default has nothing to release)."""


def check_batch(batch: RecordBatch, vectors: np.ndarray, dimension: int) -> None:
    """The guard every adapter's ``write`` runs first."""
    if batch.vectors is not None:
        raise ValueError("a batch still carrying source vectors reached a target")
    if vectors.shape != (len(batch), dimension):
        raise ValueError(f"expected {len(batch)}×{dimension} vectors, got {vectors.shape}")


@contextmanager
def target_errors(target: str, doing: str) -> Iterator[None]:
    """A store failure becomes a TargetError naming the target and step, never a value."""
    try:
        yield
    except TargetError:
        raise
    except Exception as exc:
        raise TargetError(
            f"targets.{target}: {doing} failed ({type(exc).__name__}).",
            hint="the previous staging copy was left as it was; check the store and run again "
            "(SANITIZE_DEBUG=1 shows the cause).",
        ) from exc
