"""A local folder as an object source: keys are paths below it, with ``/`` separators."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from sanitizer.errors import SourceError
from sanitizer.extract.objects.base import ObjectAttributes, ObjectInfo


class LocalSource:
    """Reads a folder tree; files have no metadata or tags here."""

    def __init__(self, name: str, path: str) -> None:
        self.name = name
        self.root = Path(path)

    def describe(self) -> str:
        return str(self.root)

    def list(self) -> Iterator[ObjectInfo]:
        if not self.root.is_dir():
            raise SourceError(
                f"source {self.name!r}: {self.root} is not a folder.",
                hint="create it, or point sources." + self.name + ".url at the production files.",
            )
        found = []
        for folder, dirs, files in os.walk(self.root):
            dirs.sort()
            for file in files:
                path = Path(folder, file)
                key = path.relative_to(self.root).as_posix()
                found.append(ObjectInfo(key, path.stat().st_size))
        yield from sorted(found, key=lambda info: info.key)

    def open(self, key: str) -> BinaryIO:
        """The object's bytes (``os.path.join``, not ``Path``: a run opens each object two
        or three times, and pathlib's joining was ~8% of the samples of a run of 3,000
        small JSON objects; docs/benchmarks.md)."""
        try:
            return open(os.path.join(self.root, key), "rb")
        except OSError as exc:
            raise SourceError(
                f"source {self.name!r}: cannot read an object ({type(exc).__name__}).",
                hint="check the folder's permissions; nothing was written to staging.",
            ) from None

    def attributes(self, key: str) -> ObjectAttributes:
        return ObjectAttributes()
