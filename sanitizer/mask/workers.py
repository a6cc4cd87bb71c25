"""Worker processes for masking: how many, and how they are started.

Masking is CPU-bound Python (fakes, parsing, detection), so a run spreads it over processes.
Both pools (SQL batches in :mod:`sanitizer.mask.parallel`, objects in
:mod:`sanitizer.run.object_pool`) start their workers here, the same way.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any

BLAS_THREADS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def core_count() -> int:
    """The cores this process may run on (its CPU affinity where the OS tells)."""
    cores = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else None
    return max(1, len(cores) if cores else os.cpu_count() or 1)


def process_pool(
    workers: int, initializer: Callable[..., None], initargs: tuple[Any, ...]
) -> ProcessPoolExecutor:
    """A pool of ``workers`` forkserver processes, each set up by ``initializer``.

    One BLAS thread per worker: the workers already fill the cores, and OpenBLAS threads on
    spaCy's small matrices cost more than they give (8% slower measured, single process).
    The user's own setting wins. Forkserver, not fork: a worker never inherits the parent's
    open connections, threads or locks.
    """
    for variable in BLAS_THREADS:
        os.environ.setdefault(variable, "1")
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("forkserver"),
        initializer=initializer,
        initargs=initargs,
    )
