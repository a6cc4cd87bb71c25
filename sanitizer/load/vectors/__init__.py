"""Vector index targets: one adapter per store, all behind :class:`VectorTarget`."""

from __future__ import annotations

from sanitizer.errors import ConfigError
from sanitizer.load.vectors.base import VectorTarget


def open_vector_target(name: str, kind: str, url: str) -> VectorTarget:
    """The adapter for ``kind``; each store's client library is imported only when used."""
    if kind == "lancedb":
        from sanitizer.load.vectors.lancedb import LanceTarget

        return LanceTarget(name, url)
    if kind == "chroma":
        from sanitizer.load.vectors.chroma import ChromaTarget

        return ChromaTarget(name, url)
    raise ConfigError(f"targets.{name}: {kind!r} is not a vector store kind.")


__all__ = ["VectorTarget", "open_vector_target"]
