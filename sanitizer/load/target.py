"""The one interface every staging target implements: SQL databases, object stores, vectors.

A run drives each target through the same verbs: ``lock`` (no second run writes the store),
``claim`` (the store is sanitizer's own, or new), ``prepare`` (an empty shadow beside the live
data), writes into that shadow, ``shadow_reader`` (verification reads the shadow back,
read-only), then ``swap`` (the shadow becomes staging) or ``discard`` (the shadow goes, staging
stays as it was), and ``close``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from contextlib import AbstractContextManager
from typing import Any

SHADOW_MARK = "__sz_"  # in the name of every SQL and vector shadow (and of its leftovers)
OBJECT_SHADOW_MARK = ".sanitize-"  # object stores: the shadow folder's or prefix's suffix


class Target(ABC):
    """A staging store written through a shadow and swapped in only after verification."""

    name: str

    @abstractmethod
    def describe(self) -> str:
        """Where staging is, without credentials (for receipts and messages)."""

    @abstractmethod
    def lock(self, run_id: str, ttl: int) -> AbstractContextManager[None]:
        """Hold the staging lock for the run; a second run gets a LockedError at once.
        ``ttl``: how long a lock record lives unless renewed (where the store needs one)."""

    @abstractmethod
    def claim(self, run_id: str, version: str, init: bool, write: bool = True) -> None:
        """Refuse a store sanitizer does not own; mark a new (or, with ``init``, an adopted
        empty) one as sanitizer's, unless ``write`` is False (a dry run only checks)."""

    @abstractmethod
    def prepare(self, run_id: str, *args: Any) -> None:
        """Create the run's empty shadow, clearing a killed run's leftovers first. The
        store-specific arguments say what the shadow holds (SQL: the source tables; vectors:
        the source's collection names)."""

    @abstractmethod
    def shadow_reader(self) -> Any:
        """The shadow as a read-only source, in the form verification reads that kind of
        store (see each target)."""

    @abstractmethod
    def swap(self) -> None:
        """Make the shadow the staging copy, in one step where the store allows it."""

    @abstractmethod
    def discard(self) -> None:
        """Remove the shadow after a failure; the live staging data is untouched."""

    def close(self) -> None:
        """Release connections and clients (the default has nothing to release)."""
