"""Object sources: one small interface, one module per store (``local.py``, ``s3.py``).

A source lists keys (relative to its prefix) and opens each object as a byte stream, so a
large object is read as it is masked, never loaded whole. Sources only ever read.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO, Protocol


@dataclass(frozen=True)
class ObjectInfo:
    """One object as listed: its key below the source's prefix and its size in bytes."""

    key: str
    size: int


@dataclass
class ObjectAttributes:
    """What travels with an object besides its bytes: user metadata, tags, content headers."""

    metadata: dict[str, str] = field(default_factory=dict)
    tags: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)  # ContentType, ContentEncoding…


class ObjectSource(Protocol):
    name: str

    def describe(self) -> str:
        """Where the objects come from, without credentials."""

    def list(self) -> Iterator[ObjectInfo]:
        """Every object below the prefix, in key order."""

    def open(self, key: str) -> BinaryIO:
        """A readable byte stream of one object (the caller closes it)."""

    def attributes(self, key: str) -> ObjectAttributes:
        """The object's metadata and tags (empty where the store has none)."""


def open_source(name: str, url: str) -> ObjectSource:
    """The source for a ``kind: objects`` url: ``s3://bucket/prefix`` or a local folder."""
    if url.startswith("s3://"):
        from sanitizer.extract.objects.s3 import S3Source

        return S3Source(name, url)
    from sanitizer.extract.objects.local import LocalSource

    return LocalSource(name, url)
