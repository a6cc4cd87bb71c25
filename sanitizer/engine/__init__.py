"""Where a run's masking executes: the one seam between the run and its workers.

The masking pools (SQL batches in :mod:`sanitizer.mask.parallel`, objects in
:mod:`sanitizer.run.object_pool`) ask the run's engine for an executor — something with
``submit(fn, *args) -> future`` and ``shutdown()`` that runs ``initializer(*initargs)`` once in
every worker. :class:`LocalEngine` gives this machine's process pool; the Ray engine
(:mod:`sanitizer.engine.ray_pool`) gives actors on a cluster. Everything else — reading,
ordering, the unique ledger, loading, verification, the swap — stays in the driver, so both
engines write the same staging (docs/design.md, guarantee 13; docs/engine.md).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from contextlib import ExitStack
from typing import Any

from sanitizer.config.engine_settings import EngineSettings
from sanitizer.mask.workers import Engine, Executor, process_pool

SINGLE_NODE = "RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"  # "0": no other node will join
__all__ = ["LOCAL", "Engine", "Executor", "LocalEngine", "open_engine"]


class LocalEngine:
    """This machine's forkserver processes (:func:`sanitizer.mask.workers.process_pool`)."""

    name = "local"
    actors = 0

    def executor(
        self, workers: int, initializer: Callable[..., None], initargs: tuple[Any, ...]
    ) -> Executor:
        return process_pool(workers, initializer, initargs)


LOCAL = LocalEngine()


def open_engine(settings: EngineSettings, stack: ExitStack, temp_root: str | None = None) -> Engine:
    """The run's engine; a Ray connection is closed by ``stack`` when the run ends.
    ``engine: local`` never imports Ray."""
    if settings.kind == "local":
        return LOCAL
    if settings.ray.address == "local":
        # a one-machine cluster: Ray then binds its servers to loopback only, instead of the
        # address other machines would reach this one by (read when Ray is imported)
        os.environ.setdefault(SINGLE_NODE, "0")
    from sanitizer.engine.ray_pool import RayEngine

    return stack.enter_context(RayEngine(settings.ray, temp_root))
