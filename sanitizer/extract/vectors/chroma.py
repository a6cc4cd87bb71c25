"""Chroma source: a server (``http://host:port``) or a local persistent path.

Chroma has no schema, so the metadata keys are found by reading every record's metadata once
before anything is written (fail closed needs them). Collections are always opened with
``embedding_function=None``: Chroma's default would download a model on first use.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sanitizer import retry
from sanitizer.extract.vectors.base import (
    CollectionInfo,
    Collections,
    RecordBatch,
    VectorSource,
    kinds_of,
)
from sanitizer.stores.chroma import connect

SCAN_BATCH = 1000


def metric_of(collection: Any) -> str:
    config = getattr(collection, "configuration", None) or {}
    for section in ("hnsw", "spann"):
        space = (config.get(section) or {}).get("space") if isinstance(config, dict) else None
        if space:
            return str(space)
    return str((collection.metadata or {}).get("hnsw:space", "l2"))


class ChromaSource(VectorSource):
    kind = "chroma"

    def __init__(self, name: str, url: str) -> None:
        super().__init__(name, url)
        self.client = connect(name, url)
        self.handles: dict[str, Any] = {}

    def collections(self) -> list[CollectionInfo]:
        infos = []
        for listed in sorted(self.client.list_collections(), key=lambda c: c.name):
            collection = self.client.get_collection(listed.name, embedding_function=None)
            self.handles[collection.name] = collection
            keys: dict[str, set[str]] = {}
            dimension = None
            offset, count = 0, collection.count()
            while offset < count:
                page = collection.get(
                    limit=SCAN_BATCH,
                    offset=offset,
                    include=["metadatas"] if dimension else ["metadatas", "embeddings"],
                )
                if dimension is None and page.get("embeddings") is not None:
                    dimension = len(page["embeddings"][0]) if len(page["embeddings"]) else None
                for meta in page["metadatas"] or []:
                    for key, value in (meta or {}).items():
                        keys.setdefault(key, set()).update(kinds_of(value))
                if not page["ids"]:
                    break
                offset += len(page["ids"])
            infos.append(
                CollectionInfo(
                    name=collection.name,
                    count=count,
                    dimension=dimension,
                    metric=metric_of(collection),
                    metadata_keys=tuple(sorted(keys)),
                    key_kinds={key: frozenset(kinds) for key, kinds in keys.items()},
                )
            )
        return infos

    def collection_names(self) -> list[str]:
        return [c.name for c in self.client.list_collections()]

    def open_collections(self, names: dict[str, str]) -> Collections:
        """Chroma collections opened by name: listing them all would first read every
        metadata of every collection on the server (to learn their keys), which a scan does
        not need."""
        found = []
        for name, shown in sorted(names.items()):
            handle = self.client.get_collection(name, embedding_function=None)
            self.handles[name] = handle  # what batches() reads through
            found.append((CollectionInfo(name, handle.count(), None, "cosine", ()), shown))
        return found

    def batches(self, collection: CollectionInfo, size: int) -> Iterator[RecordBatch]:
        handle = self.handles[collection.name]
        offset = 0
        include = ["documents", "metadatas", "embeddings"]
        while True:
            page = retry.call(
                lambda at=offset: handle.get(limit=size, offset=at, include=include),
                f"reading {self.name}.{collection.name}",
            )
            if not page["ids"]:
                return
            yield RecordBatch(
                ids=list(page["ids"]),
                documents=list(page["documents"]),
                metadatas=[dict(m or {}) for m in page["metadatas"]],
                vectors=[list(v) for v in page["embeddings"]],
            )
            offset += len(page["ids"])
