"""A local folder as an object target: the run writes a sibling shadow folder, then renames.

The swap is two renames on the same filesystem (current → old, shadow → current) and then
the old folder is removed, so readers see either the previous snapshot or the new one.
"""

from __future__ import annotations

import os
import posixpath
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from sanitizer.errors import TargetError
from sanitizer.extract.objects import ObjectAttributes, ObjectSource
from sanitizer.extract.objects.local import LocalSource
from sanitizer.load.locks import file_lock, lock_file_for
from sanitizer.load.objects.base import ObjectTarget
from sanitizer.load.ownership import claim_folder
from sanitizer.load.target import OBJECT_SHADOW_MARK

CHUNK = 1 << 20


class LocalTarget(ObjectTarget):
    """Writes objects below a folder (metadata and tags have no place on disk: not kept)."""

    def __init__(self, name: str, path: str) -> None:
        self.name = name
        self.root = Path(path)
        self.shadow: Path | None = None
        self.resolved: Path | None = None  # the shadow's real path, resolved once per run
        self.folders: set[Path] = set()  # shadow folders this run made (no mkdir per object)
        self.run_id = ""

    def describe(self) -> str:
        return str(self.root)

    @contextmanager
    def lock(self, run_id: str, ttl: int) -> Iterator[None]:
        """``flock`` on a lock file beside the folder: released with the process."""
        with file_lock(lock_file_for(self.root.resolve()), self.name, self.describe(), run_id):
            yield

    def claim(self, run_id: str, version: str, init: bool, write: bool = True) -> None:
        claim_folder(self.name, self.root, run_id, version, init, write)

    def attach(self, run_id: str) -> None:
        self.run_id = run_id
        self.shadow = self.root.parent / f".{self.root.name}{OBJECT_SHADOW_MARK}{run_id}"
        self.resolved = None
        self.folders = set()

    def prepare(self, run_id: str) -> None:
        self.attach(run_id)
        assert self.shadow is not None
        self._remove_leftovers()
        try:
            self.shadow.mkdir(parents=True)
        except OSError as exc:
            raise TargetError(
                f"target {self.name!r}: cannot create {self.shadow} ({type(exc).__name__}).",
                hint="check that the staging folder's parent exists and is writable.",
            ) from None

    def _remove_leftovers(self) -> None:
        """Shadows of runs that were killed (no chance to discard) go before a new one; a run
        killed between the swap's two renames left the previous copy aside: it goes back."""
        if not self.root.parent.is_dir():
            return
        aside = sorted(self.root.parent.glob(f".{self.root.name}.previous-*"))
        if not self.root.exists() and aside:
            os.rename(aside[-1], self.root)
        shadows = f".{self.root.name}{OBJECT_SHADOW_MARK}*"
        for pattern in (shadows, f".{self.root.name}.previous-*"):
            for stale in self.root.parent.glob(pattern):
                shutil.rmtree(stale, ignore_errors=True)

    def _path(self, key: str) -> Path:
        """Where ``key`` lands in the shadow; a key that would land outside it is refused.

        Checked on the key's text alone (``..`` folded, an absolute key outside): the shadow
        is a fresh folder holding only what the run wrote, files and folders, never a link,
        so no path inside it can lead out (``Path.resolve`` per object cost a system call per
        folder level, 7% of a run of small objects)."""
        assert self.shadow is not None, "prepare() first"
        if self.resolved is None:
            self.resolved = self.shadow.resolve()
        relative = posixpath.normpath(key)
        if key.endswith("/") or relative.startswith(("/", "../")) or relative in (".", ".."):
            raise TargetError(
                f"target {self.name!r}: object key {key!r} would land outside the staging folder.",
                hint="rename the object in production or drop it with a rule.",
            )
        return self.resolved / relative

    def put(self, key: str, data: BinaryIO, attributes: ObjectAttributes) -> None:
        """Written in place: the shadow is promoted whole, only after the run verified, and
        discarded on any failure, so no reader ever sees a half-written object."""
        path = self._path(key)
        try:
            self._folder(path.parent)
            with open(path, "wb") as out:
                shutil.copyfileobj(data, out, CHUNK)
        except OSError as exc:
            raise TargetError(
                f"target {self.name!r}: cannot write an object ({type(exc).__name__}: "
                f"{exc.strerror}).",
                hint="check free space and permissions; staging was left as it was.",
            ) from None

    def _folder(self, folder: Path) -> None:
        """Make ``folder`` once per run: a bucket of small objects shares a few folders, and
        ``mkdir`` per object (a call and a failure per existing folder) cost ~10% of a run of
        3,000 small JSON objects (docs/benchmarks.md). Only this run writes in its shadow, so
        a folder made once stays."""
        if folder not in self.folders:
            folder.mkdir(parents=True, exist_ok=True)
            self.folders.add(folder)

    def shadow_keys(self) -> set[str]:
        """The keys of the files in the shadow (``os.walk`` knows files from folders by the
        directory entries, without a ``stat`` per path)."""
        assert self.shadow is not None, "prepare() first"
        keys = set()
        for folder, _, files in os.walk(self.shadow):
            base = Path(folder).relative_to(self.shadow)
            keys.update((base / name).as_posix() for name in files)
        return keys

    def shadow_reader(self) -> ObjectSource:
        assert self.shadow is not None, "prepare() first"
        return LocalSource(self.name, str(self.shadow))

    def swap(self) -> None:
        assert self.shadow is not None, "prepare() first"
        old = self.root.parent / f".{self.root.name}.previous-{self.run_id}"
        try:
            if self.root.exists():
                os.rename(self.root, old)
            try:
                os.rename(self.shadow, self.root)
            except OSError:
                if old.exists():
                    os.rename(old, self.root)  # put the previous snapshot back
                raise
        except OSError as exc:
            raise TargetError(
                f"target {self.name!r}: cannot move the new objects into {self.root} "
                f"({type(exc).__name__}: {exc.strerror}).",
                hint="check permissions on the staging folder; the previous objects are there.",
            ) from None
        shutil.rmtree(old, ignore_errors=True)
        self.shadow = None

    def discard(self) -> None:
        if self.shadow is not None:
            shutil.rmtree(self.shadow, ignore_errors=True)
            self.shadow = None
