"""Chroma staging: shadow collections on the staging server, renamed in when all are loaded.

Each collection is built as ``NAME__sz_RUN``; the swap renames the live one aside, renames the
shadow in and deletes the old one, per collection, only after every collection of every target
has loaded and verified. Collections are created with ``embedding_function=None`` and always
given vectors: Chroma's default embedding function would download a model. The collection's
metadata records the embedding model, dimension and the source's metric.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from sanitizer import retry
from sanitizer.errors import TargetError
from sanitizer.extract.vectors.base import CollectionInfo, Collections, RecordBatch, VectorSource
from sanitizer.extract.vectors.chroma import ChromaSource
from sanitizer.load.locks import ChromaLock, file_lock, lock_file_for
from sanitizer.load.ownership import foreign_store
from sanitizer.load.target import SHADOW_MARK
from sanitizer.load.vectors.base import RUN_KEY, VectorTarget, check_batch, target_errors
from sanitizer.stores.chroma import connect, is_server


class ChromaTarget(VectorTarget):
    kind = "chroma"

    def __init__(self, name: str, url: str) -> None:
        super().__init__(name, url)
        self.client = connect(name, url, section="targets")
        self.shadows: dict[str, tuple[Any, int]] = {}
        self.lease: ChromaLock | None = None

    @contextlib.contextmanager
    def lock(self, run_id: str, ttl: int) -> Iterator[None]:
        """A server: a lock collection with an expiry; a local directory: ``flock``."""
        if not is_server(self.url):
            with file_lock(lock_file_for(Path(self.url).resolve()), self.name, self.url, run_id):
                yield
            return
        lease = ChromaLock(self.client, name=self.name, where=self.url, run_id=run_id, ttl=ttl)
        self.lease = lease
        with lease.held(lambda: target_errors(self.name, "taking the staging lock")):
            yield

    def claim(self, run_id: str, version: str, init: bool, write: bool = True) -> None:
        """A collection the run would replace must carry sanitizer's stamp (every collection
        it writes does); other collections on the server are never touched."""
        with target_errors(self.name, "checking the collections it would replace"):
            live = {c.name: c.metadata or {} for c in self.client.list_collections()}
        foreign = [n for n in self.managed if n in live and RUN_KEY not in live[n]]
        if foreign:
            raise foreign_store(self.name, self.describe(), len(foreign), "collection(s)")

    def prepare(self, run_id: str, managed: list[str]) -> None:
        self.run_id, self.managed = run_id, list(managed)
        for name in self._names():
            base = name.split(SHADOW_MARK, 1)[0]
            if SHADOW_MARK in name and base in self.managed:
                self.client.delete_collection(name)  # a killed run's shadow: never live data

    def _names(self) -> list[str]:
        return [c.name for c in self.client.list_collections()]

    def live_dimension(self, collection: str) -> int | None:
        if collection not in self._names():
            return None
        live = self.client.get_collection(collection, embedding_function=None)
        stamped = (live.metadata or {}).get("sanitizer.embedding_dimension")
        if stamped is not None:
            return int(stamped)
        page = live.get(limit=1, include=["embeddings"])
        embeddings = page.get("embeddings")
        return len(embeddings[0]) if embeddings is not None and len(embeddings) else None

    def create(self, collection: CollectionInfo, dimension: int, stamp: dict[str, str]) -> None:
        name = f"{collection.name}{SHADOW_MARK}{self.run_id}"
        with target_errors(self.name, f"creating {collection.name}"):
            shadow = self.client.create_collection(
                name,
                metadata=dict(stamp),
                configuration={"hnsw": {"space": collection.metric}},
                embedding_function=None,
            )
        self.shadows[collection.name] = (shadow, dimension)

    def write(self, collection: str, batch: RecordBatch, vectors: np.ndarray) -> None:
        shadow, dimension = self.shadows[collection]
        check_batch(batch, vectors, dimension)
        metadatas = [  # Chroma stores no None values: an absent key is its null
            {k: v for k, v in meta.items() if v is not None} or None for meta in batch.metadatas
        ]
        with target_errors(self.name, f"writing {collection}"):
            # upsert: a batch retried after a dropped connection replaces, never duplicates
            retry.call(
                lambda: shadow.upsert(
                    ids=batch.ids,
                    documents=batch.documents,
                    metadatas=metadatas,
                    embeddings=vectors.astype(np.float32),
                ),
                f"writing {self.name}.{collection}",
            )

    def count(self, collection: str) -> int:
        return self.shadows[collection][0].count()

    def shadow_reader(self) -> tuple[VectorSource, Collections]:
        """The shadow collections on the staging server, opened by name."""
        reader = ChromaSource(self.name, self.url)
        shadows = {handle.name: name for name, (handle, _) in self.shadows.items()}
        return reader, reader.open_collections(shadows)

    def swap(self) -> None:
        if self.lease is not None:
            self.lease.check()
        live = set(self._names())
        moved: list[tuple[str, str]] = []  # (live name, its old name) renamed aside so far
        try:
            for name in self.managed:
                old = f"{name}{SHADOW_MARK}old_{self.run_id}"
                if name in live:  # replaced below, or dropped by the rules
                    self.client.get_collection(name, embedding_function=None).modify(name=old)
                    moved.append((name, old))
                if name in self.shadows:
                    self.shadows.pop(name)[0].modify(name=name)
        except Exception as exc:
            self._restore(moved)
            raise TargetError(
                f"targets.{self.name}: swapping in the new collections failed "
                f"({type(exc).__name__}).",
                hint="collections not yet swapped were restored; check the server and run again.",
            ) from exc
        for _, old in moved:
            self.client.delete_collection(old)

    def _restore(self, moved: list[tuple[str, str]]) -> None:
        """Best effort after a failed swap: put each renamed-aside collection back."""
        names = set(self._names())
        for name, old in moved:
            if name not in names and old in names:
                with contextlib.suppress(Exception):
                    self.client.get_collection(old, embedding_function=None).modify(name=name)

    def discard(self) -> None:
        for shadow, _ in self.shadows.values():
            with contextlib.suppress(Exception):  # already gone: nothing to discard
                self.client.delete_collection(shadow.name)
        self.shadows.clear()
