"""Staging locks for object and vector targets, so two runs never write one store at once.

A folder (a local object target, LanceDB, a local Chroma) is locked with ``flock`` on a lock
file beside it: the kernel releases it with the process, so a killed run leaves no stale lock.
S3 and a Chroma server offer nothing like it, so there the lock is a record created only if
absent — an S3 object written with ``If-None-Match: *``, a Chroma collection (names are
unique) — holding the run id, host, process id and an expiry that a heartbeat renews. A lock
whose expiry passed, or whose run was on this host and is gone, is stale: the next run takes
it over (atomically on S3, with ``If-Match`` on the stale lock's ETag) and logs it.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import socket
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sanitizer.errors import LockedError
from sanitizer.stores.chroma import already_exists, not_found
from sanitizer.stores.s3 import condition_failed, missing_object

log = logging.getLogger("sanitizer")

LOCK_COLLECTION = "sanitizer-lock"  # Chroma: 3-512 characters, letters, digits, . _ -


def locked_error(name: str, where: str, holder: Holder | None = None) -> LockedError:
    """The one message a second run gets, naming the run that holds the lock when known."""
    by = ""
    if holder is not None:
        until = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(holder.expires))
        valid = f", lock valid until {until}" if holder.expires else ""
        by = f" (run {holder.run_id} on {holder.host}, pid {holder.pid}{valid})"
    return LockedError(
        f"target {name!r} ({where}) is being written by another run{by}.",
        hint="wait for it to finish; runs against the same staging never overlap. A killed "
        "run's lock is taken over once it expires (locks.ttl_seconds), or at once when that "
        "run was on this machine.",
    )


@contextlib.contextmanager
def file_lock(path: Path, name: str, where: str, run_id: str = "") -> Iterator[None]:
    """An exclusive ``flock`` on ``path`` (created if missing), held until the block ends.
    The file names the holding run, for the message a second run gets."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise locked_error(name, where, _holder_in(path)) from None
        holder = Holder(run_id, socket.gethostname(), os.getpid(), 0)
        os.ftruncate(handle, 0)
        os.pwrite(handle, json.dumps(asdict(holder)).encode(), 0)
        yield
    finally:
        os.close(handle)  # closing releases the lock


def _holder_in(path: Path) -> Holder | None:
    try:
        return Holder.parse(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return None


def lock_file_for(path: Path) -> Path:
    """The lock file of a staging folder: a hidden sibling no leftover clean-up matches."""
    return path.parent / f".{path.name}.sanitize.lock"


@dataclass
class Holder:
    """Who holds a store lock, and until when unless renewed."""

    run_id: str
    host: str
    pid: int
    expires: float  # seconds since the epoch

    @classmethod
    def mine(cls, run_id: str, ttl: int) -> Holder:
        return cls(run_id, socket.gethostname(), os.getpid(), time.time() + ttl)

    @classmethod
    def parse(cls, data: Any) -> Holder | None:
        try:
            return cls(
                str(data["run_id"]), str(data["host"]), int(data["pid"]), float(data["expires"])
            )
        except (KeyError, TypeError, ValueError):
            return None  # unreadable: treated as stale

    def stale(self) -> bool:
        if self.expires < time.time():
            return True
        return self.host == socket.gethostname() and not _alive(self.pid)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


class LeaseLock(ABC):
    """A lock held as a record in the store, renewed by a heartbeat thread while held."""

    def __init__(self, name: str, where: str, run_id: str, ttl: int) -> None:
        self.name, self.where, self.run_id, self.ttl = name, where, run_id, ttl
        self.holder = Holder.mine(run_id, ttl)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.lost = False  # another run took the lock over (this one stalled past its ttl)

    def check(self) -> None:
        """Before swapping: refuse when another run took the lock over meanwhile."""
        if self.lost:
            raise LockedError(
                f"target {self.name!r} ({self.where}): another run took the staging lock over "
                "while this one was stalled, so this run swaps nothing.",
                hint="check why the run stalled longer than locks.ttl_seconds (or raise it); "
                "the other run's staging stands.",
            )

    @contextlib.contextmanager
    def held(
        self, errors: Callable[[], AbstractContextManager[Any]] = contextlib.nullcontext
    ) -> Iterator[None]:
        """Hold the lock for the block; ``errors`` turns the store's errors into messages."""
        with errors():
            self.acquire()
        self._thread = threading.Thread(target=self._beat, name="lock-heartbeat", daemon=True)
        self._thread.start()
        try:
            yield
        finally:
            self._stop.set()
            self._thread.join(timeout=10)
            with contextlib.suppress(Exception):  # it expires anyway
                self.delete()

    def acquire(self) -> None:
        if self.create(self.holder):
            return
        found = self.read()
        if found is None:  # released between the two calls
            if self.create(self.holder):
                return
            raise locked_error(self.name, self.where)
        current, token = found
        if current is not None and not current.stale():
            raise locked_error(self.name, self.where, current)
        log.warning(
            "a stale staging lock was taken over (its run was killed or lost its store)",
            extra={
                "run_id": self.run_id,
                "target": self.name,
                "stale_run": current.run_id if current else "unreadable",
            },
        )
        if not self.replace(token, self.holder):
            raise locked_error(self.name, self.where)  # another run took it over first

    def _beat(self) -> None:
        while not self._stop.wait(self.ttl / 3):
            self.holder.expires = time.time() + self.ttl
            try:
                self.renew(self.holder)
            except Exception as exc:  # the next beat tries again; the lock lasts a ttl
                log.warning(
                    "renewing the staging lock failed",
                    extra={"run_id": self.run_id, "target": self.name, "error": type(exc).__name__},
                )

    @abstractmethod
    def create(self, holder: Holder) -> bool:
        """Write the lock only if there is none; False when one exists."""

    @abstractmethod
    def read(self) -> tuple[Holder | None, str] | None:
        """The current lock and a token that identifies this version of it; None if gone."""

    @abstractmethod
    def replace(self, token: str, holder: Holder) -> bool:
        """Overwrite the lock only if it is still the version ``token`` names."""

    @abstractmethod
    def renew(self, holder: Holder) -> None:
        """Push the expiry of our own lock forward."""

    @abstractmethod
    def delete(self) -> None:
        """Remove our own lock (not one another run took over)."""


class S3Lock(LeaseLock):
    """An object beside the staging prefix, written with conditional puts."""

    def __init__(self, client: Any, bucket: str, key: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.client, self.bucket, self.key = client, bucket, key
        self.etag = ""

    def _put(self, holder: Holder, **condition: str) -> bool:
        from botocore.exceptions import ClientError

        body = json.dumps(asdict(holder)).encode()
        try:
            answer = self.client.put_object(
                Bucket=self.bucket, Key=self.key, Body=body, ContentType="application/json",
                **condition,
            )  # fmt: skip
        except ClientError as exc:
            if condition_failed(exc):
                return False
            raise
        self.etag = answer["ETag"]
        return True

    def create(self, holder: Holder) -> bool:
        return self._put(holder, IfNoneMatch="*")

    def read(self) -> tuple[Holder | None, str] | None:
        from botocore.exceptions import ClientError

        try:
            answer = self.client.get_object(Bucket=self.bucket, Key=self.key)
        except ClientError as exc:
            if missing_object(exc):
                return None
            raise
        try:
            data = json.loads(answer["Body"].read())
        except ValueError:
            data = None
        return Holder.parse(data), answer["ETag"]

    def replace(self, token: str, holder: Holder) -> bool:
        return self._put(holder, IfMatch=token)

    def renew(self, holder: Holder) -> None:
        if not self._put(holder, IfMatch=self.etag):
            log.error(
                "the staging lock was taken over by another run while this one held it",
                extra={"run_id": self.run_id, "target": self.name},
            )
            self.lost = True
            self._stop.set()

    def delete(self) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self.key, IfMatch=self.etag)


class ChromaLock(LeaseLock):
    """A collection on the staging server whose metadata names the holder. Chroma has no
    compare-and-set, so a takeover deletes the stale lock only if it is still the same
    collection (by id) and then creates its own, which only one run can do."""

    def __init__(self, client: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.client = client
        self.id = ""

    def create(self, holder: Holder) -> bool:
        try:
            collection = self.client.create_collection(
                LOCK_COLLECTION, metadata=asdict(holder), embedding_function=None
            )
        except Exception as exc:
            if already_exists(exc):
                return False
            raise
        self.id = str(collection.id)
        return True

    def _current(self) -> Any | None:
        try:
            return self.client.get_collection(LOCK_COLLECTION, embedding_function=None)
        except Exception as exc:
            if not_found(exc):
                return None
            raise

    def read(self) -> tuple[Holder | None, str] | None:
        collection = self._current()
        if collection is None:
            return None
        return Holder.parse(collection.metadata or {}), str(collection.id)

    def replace(self, token: str, holder: Holder) -> bool:
        collection = self._current()
        if collection is not None:
            if str(collection.id) != token:
                return False
            self.client.delete_collection(LOCK_COLLECTION)
        return self.create(holder)

    def renew(self, holder: Holder) -> None:
        collection = self._current()
        if collection is None or str(collection.id) != self.id:
            log.error(
                "the staging lock was taken over by another run while this one held it",
                extra={"run_id": self.run_id, "target": self.name},
            )
            self.lost = True
            self._stop.set()
            return
        collection.modify(metadata=asdict(holder))

    def delete(self) -> None:
        collection = self._current()
        if collection is not None and str(collection.id) == self.id:
            self.client.delete_collection(LOCK_COLLECTION)
