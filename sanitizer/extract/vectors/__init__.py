"""Vector index sources: one adapter per store, all behind :class:`VectorSource`."""

from __future__ import annotations

from sanitizer.errors import ConfigError
from sanitizer.extract.vectors.base import CollectionInfo, RecordBatch, VectorSource


def open_source(name: str, kind: str, url: str) -> VectorSource:
    """The adapter for ``kind``; each store's client library is imported only when used."""
    if kind == "lancedb":
        from sanitizer.extract.vectors.lancedb import LanceSource

        return LanceSource(name, url)
    if kind == "chroma":
        from sanitizer.extract.vectors.chroma import ChromaSource

        return ChromaSource(name, url)
    raise ConfigError(f"sources.{name}: {kind!r} is not a vector store kind.")


__all__ = ["CollectionInfo", "RecordBatch", "VectorSource", "open_source"]
