"""Chroma source: a server (``http://host:port``) or a local persistent path.

Chroma has no schema, so the metadata keys are found by reading every record's metadata once
before anything is written (fail closed needs them). Collections are always opened with
``embedding_function=None``: Chroma's default would download a model on first use.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlparse

from sanitizer import retry
from sanitizer.errors import ConfigError, SourceError
from sanitizer.extract.vectors.base import CollectionInfo, RecordBatch, VectorSource, kinds_of

SCAN_BATCH = 1000


def connect(name: str, url: str, section: str = "sources") -> Any:
    """A Chroma client for a server URL or a local path; a clear error when unreachable."""
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")  # no phoning home from a snapshot
    import chromadb

    server = url.startswith(("http://", "https://"))
    try:
        if server:
            parsed = urlparse(url)
            if not parsed.hostname:
                raise ConfigError(f"{section}.{name}: {url!r} names no host.")
            client = chromadb.HttpClient(
                host=parsed.hostname,
                port=parsed.port or (443 if parsed.scheme == "https" else 8000),
                ssl=parsed.scheme == "https",
            )
            client.heartbeat()
            return client
        return chromadb.PersistentClient(path=url)
    except ConfigError:
        raise
    except Exception as exc:
        error = SourceError if section == "sources" else _target_error()
        if server:
            raise error(
                f"{section}.{name}: cannot reach the Chroma server at {url} "
                f"({type(exc).__name__}).",
                hint="start it (e.g. chroma run --path DIR --host 127.0.0.1 --port 8000) or fix "
                "the url in sanitize.yaml.",
                transient=True,
            ) from None
        raise error(
            f"{section}.{name}: cannot open the local Chroma directory {url} "
            f"({type(exc).__name__}).",
            hint="check the path in sanitize.yaml and that no other program holds it open.",
        ) from None


def _target_error() -> type:
    from sanitizer.errors import TargetError

    return TargetError


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
