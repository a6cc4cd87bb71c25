"""The object source interface and what it lists.

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
