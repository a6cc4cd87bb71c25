"""Worker processes for masking: how many, and how they are started.

Masking is CPU-bound Python (fakes, parsing, detection), so a run spreads it over processes.
Both pools (SQL batches in :mod:`sanitizer.mask.parallel`, objects in
:mod:`sanitizer.run.object_pool`) start their workers here, the same way.

A run that detects can start the workers' server early (:func:`start_warm`): it loads the
detection stack once — imports, spaCy model, Presidio analyzer, first-use caches — while the
main process is still importing and planning, and every worker forked from it starts with all
of that instead of loading it again (see :mod:`sanitizer.mask.warm`).
"""

from __future__ import annotations

import dataclasses
import json
import multiprocessing
import os
import re
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import forkserver
from pathlib import Path
from typing import Any, Protocol

BLAS_THREADS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
WARM_ENV = "SANITIZER_WARM_NLP"  # the detection settings the server loads (JSON)
WARM_MODEL_ENV = "SANITIZER_WARM_MODEL"  # the local embedding model the server loads
WARM_MODULES = ("__main__", "sanitizer.mask.parallel", "sanitizer.mask.warm")
DETECT = re.compile(rb"\bdetect\b")


def core_count() -> int:
    """The cores this process may run on (its CPU affinity where the OS tells)."""
    cores = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else None
    return max(1, len(cores) if cores else os.cpu_count() or 1)


class Executor(Protocol):
    """The part of :class:`concurrent.futures.Executor` the pools use."""

    def submit(self, fn: Callable[..., Any], /, *args: Any) -> Any: ...
    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None: ...


class Engine(Protocol):
    """Where a run's workers execute (:mod:`sanitizer.engine`: this machine or a cluster)."""

    name: str
    actors: int  # workers per stage the engine decides (0: the local rules decide)

    def executor(
        self, workers: int, initializer: Callable[..., None], initargs: tuple[Any, ...]
    ) -> Executor: ...


def process_pool(
    workers: int, initializer: Callable[..., None], initargs: tuple[Any, ...]
) -> ProcessPoolExecutor:
    """A pool of ``workers`` forkserver processes, each set up by ``initializer``.

    One BLAS thread per worker: the workers already fill the cores, and OpenBLAS threads on
    spaCy's small matrices cost more than they give (8% slower measured, single process).
    The user's own setting wins. Forkserver, not fork: a worker never inherits the parent's
    open connections, threads or locks.
    """
    _one_blas_thread()
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("forkserver"),
        initializer=initializer,
        initargs=initargs,
    )


def _one_blas_thread() -> None:
    for variable in BLAS_THREADS:
        os.environ.setdefault(variable, "1")


def start_warm(nlp: Any, model: str | None = None) -> None:
    """Start the workers' forkserver now, loading detection for ``nlp`` (NlpSettings) in it,
    and the embedding ``model`` (a sentence-transformers name) when the workers will embed.

    Only the server's first start preloads: a server already running is left as it is. The
    settings travel in the server's environment and are removed from it again, there and
    here. Anything that goes wrong while warming is left for the workers to meet and report.
    """
    _one_blas_thread()  # before the server imports NumPy
    settings = json.dumps(dataclasses.asdict(nlp))
    os.environ[WARM_ENV] = settings
    if model is not None:
        os.environ[WARM_MODEL_ENV] = model
    try:
        multiprocessing.get_context("forkserver").set_forkserver_preload(list(WARM_MODULES))
        forkserver.ensure_running()
    finally:
        os.environ.pop(WARM_ENV, None)
        os.environ.pop(WARM_MODEL_ENV, None)


def detection_ahead(workers: int, rules_dir: Path) -> bool:
    """Whether a run will likely mask in a pool of detecting workers: more than one worker,
    and a rule file that says ``detect``. A guess made before the rules are parsed; when it
    is wrong, the server warmed for nothing and exits with the run."""
    if (workers or core_count()) < 2 or not rules_dir.is_dir():
        return False
    files = [
        path
        for path in rules_dir.iterdir()
        if path.suffix in (".yaml", ".yml") and not path.name.startswith(("_", "."))
    ]  # the rule files (config.rules.rule_files), read as bytes: no YAML parsed yet
    return any(DETECT.search(path.read_bytes()) for path in files if path.is_file())


def warm_model(settings: Any) -> str | None:
    """The local embedding model the forkserver should load for ``settings`` (Settings): in a
    run whose sources are all vector stores (their workers mask and embed from the start;
    SQL and object workers have no use for it), unless the model is behind a URL."""
    from sanitizer.config.settings import VECTOR_KINDS

    kinds = {source.kind for source in settings.sources.values()}
    if not kinds or not kinds <= set(VECTOR_KINDS) or settings.embeddings.url:
        return None
    return str(settings.embeddings.model)
