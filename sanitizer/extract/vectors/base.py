"""The vector source interface and the records it yields.

A record is (id, document, metadata, vector). Metadata is a flat mapping of key → value; a
nested value (a LanceDB struct) is a dict, a list stays a list. Sources read production only:
no adapter method writes.
"""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sanitizer.schema import BOOLEAN, DATE, DATETIME, FLOAT, INTEGER, JSON, STRING


@dataclass(frozen=True)
class CollectionInfo:
    """One collection (Chroma) or table (LanceDB) as the source reports it."""

    name: str
    count: int
    dimension: int | None  # None: no vectors stored yet
    metric: str  # "cosine", "l2", "ip"
    metadata_keys: tuple[str, ...]
    has_documents: bool = True  # False: a LanceDB table without a text column
    # the value kinds each metadata key holds (list elements count as their own kind), so
    # rules that cannot take them are refused before anything is written
    key_kinds: dict[str, frozenset[str]] = field(default_factory=dict, compare=False)
    details: dict[str, Any] = field(default_factory=dict, compare=False)  # store-specific


Collections = list[tuple[CollectionInfo, str]]  # what to read, and the name to report


@dataclass
class RecordBatch:
    """A batch of records; ``vectors`` is None once the batch has been masked.

    Only :mod:`sanitizer.mask.embed` fills vectors in again, from sanitized documents, so a source
    vector has no path to a target.
    """

    ids: list[str]
    documents: list[str | None]
    metadatas: list[dict[str, Any]]
    vectors: list[list[float]] | None = None

    def __len__(self) -> int:
        return len(self.ids)


def value_kind(value: Any) -> str:
    """The operator kind of one metadata value (a dict is nested: JSON)."""
    if isinstance(value, bool):
        return BOOLEAN
    if isinstance(value, int):
        return INTEGER
    if isinstance(value, float):
        return FLOAT
    if isinstance(value, dict):
        return JSON
    if isinstance(value, dt.datetime):
        return DATETIME
    if isinstance(value, dt.date):
        return DATE
    return STRING


def kinds_of(value: Any) -> set[str]:
    """Kinds of a value, looking inside lists (their elements are masked one by one)."""
    if value is None:
        return set()
    if isinstance(value, list | tuple):
        return {kind for item in value for kind in kinds_of(item)}
    return {value_kind(value)}


class VectorSource(ABC):
    """Reads every collection of one vector store, read-only, in bounded batches."""

    kind: str

    def __init__(self, name: str, url: str) -> None:
        self.name = name
        self.url = url

    def describe(self) -> str:
        """Where the source is, without credentials (for receipts and messages)."""
        return self.url

    @abstractmethod
    def collections(self) -> list[CollectionInfo]:
        """Every collection with its count, dimension, metric and metadata keys."""

    @abstractmethod
    def batches(self, collection: CollectionInfo, size: int) -> Iterator[RecordBatch]:
        """Every record of ``collection``, ``size`` at a time, vectors included."""

    def collection_names(self) -> list[str]:
        """The names of every collection, without reading them."""
        return [c.name for c in self.collections()]

    def open_collections(self, names: dict[str, str]) -> Collections:
        """The collections named in ``names`` (store name → the name to report), ready for
        :meth:`batches`; only what reading them needs is learnt."""
        return [(c, names[c.name]) for c in self.collections() if c.name in names]

    def close(self) -> None:
        """Release the client (the default has nothing to release)."""
