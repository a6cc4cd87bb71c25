"""Object targets: one small interface, one module per store (``local.py``, ``s3.py``).

Objects are written under a run-scoped shadow location; :meth:`ObjectTarget.promote` makes
them the staging copy only after the whole run succeeded, and :meth:`ObjectTarget.discard`
removes the shadow after a failure, so the previous staging objects stay as they were.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from pathlib import Path
from typing import BinaryIO, Protocol

from sanitizer.errors import ConfigError
from sanitizer.extract.objects import ObjectAttributes


class ObjectTarget(Protocol):
    name: str

    def describe(self) -> str:
        """Where staging objects go, without credentials."""

    def lock(self, run_id: str, ttl: int) -> AbstractContextManager[None]:
        """Hold the staging lock for the run; a second run gets a LockedError at once."""

    def claim(self, run_id: str, version: str, init: bool, write: bool = True) -> None:
        """Refuse a store sanitizer does not own (see :mod:`sanitizer.load.ownership`)."""

    def prepare(self, run_id: str) -> None:
        """Create the run's empty shadow location."""

    def attach(self, run_id: str) -> None:
        """Write into a shadow another process prepared (worker processes)."""

    def put(self, key: str, data: BinaryIO, attributes: ObjectAttributes) -> None:
        """Write one object into the shadow (streamed from ``data``)."""

    def shadow_keys(self) -> set[str]:
        """The keys in the shadow, as the store lists them (for verification)."""

    def promote(self) -> None:
        """Make the shadow the staging copy; objects staging had and the run did not are gone."""

    def discard(self) -> None:
        """Remove the shadow; staging keeps its previous objects."""


def open_target(name: str, url: str) -> ObjectTarget:
    """The target for a ``kind: objects`` url: ``s3://bucket/prefix`` or a local folder."""
    if url.startswith("s3://"):
        from sanitizer.load.objects.s3 import S3Target

        return S3Target(name, url)
    from sanitizer.load.objects.local import LocalTarget

    return LocalTarget(name, url)


def refuse_same_store(name: str, source_url: str, target_url: str) -> None:
    """A target that overlaps its source would overwrite production (guarantee 2)."""
    if source_url.startswith("s3://") != target_url.startswith("s3://"):
        return
    if source_url.startswith("s3://"):
        src, dst = source_url.rstrip("/") + "/", target_url.rstrip("/") + "/"
    else:
        src, dst = f"{Path(source_url).resolve()}/", f"{Path(target_url).resolve()}/"
    if src.startswith(dst) or dst.startswith(src):
        raise ConfigError(
            f"target {name!r} ({target_url}) overlaps its source ({source_url}).",
            hint="point targets." + name + ".url at a separate staging folder or bucket prefix.",
        )
