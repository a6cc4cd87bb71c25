"""The object target interface.

Objects are written under a run-scoped shadow location; :meth:`ObjectTarget.swap` makes them
the staging copy only after the whole run succeeded, and :meth:`ObjectTarget.discard` removes
the shadow after a failure, so the previous staging objects stay as they were.
"""

from __future__ import annotations

from abc import abstractmethod
from typing import BinaryIO

from sanitizer.extract.objects import ObjectAttributes, ObjectSource
from sanitizer.load.target import Target


class ObjectTarget(Target):
    """A folder or bucket prefix of staging objects (see :class:`sanitizer.load.target.Target`;
    ownership: :mod:`sanitizer.load.ownership`)."""

    @abstractmethod
    def prepare(self, run_id: str) -> None:
        """Create the run's empty shadow location."""

    @abstractmethod
    def attach(self, run_id: str) -> None:
        """Write into a shadow another process prepared (worker processes)."""

    @abstractmethod
    def put(self, key: str, data: BinaryIO, attributes: ObjectAttributes) -> None:
        """Write one object into the shadow (streamed from ``data``)."""

    @abstractmethod
    def shadow_keys(self) -> set[str]:
        """The keys in the shadow, as the store lists them (for verification)."""

    @abstractmethod
    def shadow_reader(self) -> ObjectSource:
        """The shadow as a read-only object source (keys as they will be in staging)."""

    @abstractmethod
    def swap(self) -> None:
        """Make the shadow the staging copy; objects staging had and the run did not are gone."""
