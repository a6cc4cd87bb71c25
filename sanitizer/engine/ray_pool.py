"""The Ray engine: masking stages as actor pools on a Ray cluster (docs/engine.md).

A run starts its actors once and its stages (SQL batches, objects, vector records) take turns
on them. An actor is one long-lived worker process: each stage's ``initializer`` runs in it
once, then it runs the tasks the stage sends, one at a time; its detector and models load on
first use and stay loaded for the later stages. The pool
behaves like the local process pool (``submit`` → future, ``shutdown``), so
:class:`~sanitizer.mask.parallel.MaskPool` keeps its order, ledger and counts unchanged.

The key (inside the stage's ``initargs``) travels in a method call to each actor: such calls
go straight from the driver to the actor's process, so the key is never part of the actor's
definition kept by the cluster's control store, of job metadata, or of the dashboard.

An actor that dies mid-run (its process killed, its node lost) is replaced by a fresh one and
its unfinished tasks are sent again — masking is a pure function of (batch, rules, key), so a
second try gives the same result; after ``ray.task_retries`` failed tries the run fails as any
other failure does: shadows discarded, staging untouched (docs/design.md, guarantee 6).
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import ray
import ray.exceptions

from sanitizer.config.engine_settings import RaySettings
from sanitizer.errors import ConfigError, ExitCode, SanitizerError

log = logging.getLogger("sanitizer")


class EngineError(SanitizerError):
    """The cluster lost a worker for good, or could not run the stage: nothing was swapped."""

    exit_code = ExitCode.TARGET


class MaskActor:
    """One worker process of a stage: set up once, then runs the stage's tasks."""

    def setup(self, initializer: Callable[..., None], initargs: tuple[Any, ...]) -> int:
        """Start a stage as a fresh local worker process would: the run's known values of
        an earlier stage are forgotten (a stage that needs them sets them again)."""
        from sanitizer.mask.text.known_values import set_known

        set_known({})
        initializer(*initargs)
        return os.getpid()

    def run(self, fn: Callable[..., Any], args: tuple[Any, ...]) -> Any:
        return fn(*args)

    def warm(self, nlp: Any, embeddings: Any) -> bool:
        """Load detection and the embedding model before the first stage (no key here)."""
        from sanitizer.engine.warm import load_ahead

        return load_ahead(nlp, embeddings)


class RayEngine:
    """The run's connection to a cluster; a context manager (the run's stack closes it)."""

    name = "ray"

    def __init__(self, settings: RaySettings, temp_root: str | None = None) -> None:
        self.settings = settings
        self.temp_root = temp_root
        self.actors = settings.actors
        self._temp: str | None = None  # the private cluster's folder (address: local)
        self._connected = False
        self._slots: list[_Slot] = []  # the run's actors, shared by its stages

    def __enter__(self) -> RayEngine:
        os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
        if not ray.is_initialized():
            try:
                self._connect()
            except BaseException:
                self.__exit__()  # a private cluster's folder goes with the failure
                raise
            self._connected = True
        if not self.actors:
            cpus = ray.cluster_resources().get("CPU", 1.0)
            self.actors = max(1, int(cpus // self.settings.cpus_per_actor))
        log.info("ray engine", extra={"actors_per_stage": self.actors})
        return self

    def __exit__(self, *exc: object) -> None:
        for slot in self._slots:
            if slot.actor is not None:
                ray.kill(slot.actor)
        if self._connected:
            ray.shutdown()
        if self._temp is not None:
            shutil.rmtree(self._temp, ignore_errors=True)  # spilled batches go with it

    def _connect(self) -> None:
        common: dict[str, Any] = {
            "log_to_driver": False,  # workers' output stays in the cluster's own logs
            "logging_level": logging.WARNING,
            "namespace": "sanitizer",
        }
        address = self.settings.address
        try:
            if address == "local":
                ray.init(address="local", **common, **self._private_cluster())
            else:
                ray.init(address=address, **common)
        except (ConnectionError, RuntimeError, ValueError, ray.exceptions.RayError) as exc:
            first = str(exc).splitlines()[0] if str(exc) else ""
            raise ConfigError(
                f"engine: ray could not reach a Ray cluster at ray.address {address!r} "
                f"({type(exc).__name__}: {first[:300]}).",
                hint="start one (`ray start --head`), set ray.address / RAY_ADDRESS to it "
                "(ray://host:10001 or host:6379), or use ray: {address: local} for a private "
                "cluster on this machine. A cluster with token authentication needs "
                "RAY_AUTH_MODE=token and its token (RAY_AUTH_TOKEN or RAY_AUTH_TOKEN_PATH) "
                "here too.",
            ) from None
        except OSError as exc:  # a socket path too long for the temporary folder, mostly
            raise ConfigError(
                f"engine: ray could not start a private Ray cluster in {self._temp}: {exc}.",
                hint="point TMPDIR at a short path (Unix socket paths are limited to 107 "
                "bytes), or use a running cluster (ray.address).",
            ) from None

    def _private_cluster(self) -> dict[str, Any]:
        """A one-run cluster on loopback whose session files and spilled objects stay in a
        folder of the run's own, removed when the run ends."""
        self._temp = tempfile.mkdtemp(prefix="sz-ray-", dir=self.temp_root)
        # a token of the run's own (Ray's token authentication): nothing written to ~/.ray
        os.environ.setdefault("RAY_AUTH_MODE", "token")
        if os.environ["RAY_AUTH_MODE"] == "token":
            os.environ.setdefault("RAY_AUTH_TOKEN", secrets.token_hex(32))
        spill = {"type": "filesystem", "params": {"directory_path": f"{self._temp}/spill"}}
        options: dict[str, Any] = {
            "include_dashboard": False,
            "_temp_dir": self._temp,
            "_node_ip_address": "127.0.0.1",
            "_system_config": {"object_spilling_config": json.dumps(spill)},
        }
        if self.settings.object_store_memory:
            options["object_store_memory"] = self.settings.object_store_memory
        return options

    def warm(self, nlp: Any, embeddings: Any) -> None:
        """Start the run's actors now and have each load detection and the embedding model
        while the driver plans (docs/engine.md, "Start-up"): the stages' set-up calls queue
        behind it. Nothing is awaited here; a failure shows when the first stage sets up."""
        if not self._slots:
            self._slots = [_Slot() for _ in range(max(1, self.actors))]
        remote = actor_class(self.settings)
        for slot in self._slots:
            if slot.actor is None:
                slot.actor = remote.remote()
            slot.actor.warm.remote(nlp, embeddings)
        log.info("ray actors warming", extra={"actors": len(self._slots)})

    def executor(
        self, workers: int, initializer: Callable[..., None], initargs: tuple[Any, ...]
    ) -> RayExecutor:
        """The run's actors, set up for one more stage: they live from the first stage to
        the end of the run, so a detector or model an actor loaded for the SQL batches is
        still loaded for the objects and the vector records (one stage runs at a time)."""
        if not self._slots:
            self._slots = [_Slot() for _ in range(max(1, self.actors or workers))]
        return RayExecutor(len(self._slots), initializer, initargs, self.settings, self._slots)


def actor_class(settings: RaySettings) -> Any:
    """:class:`MaskActor` as a Ray actor of the configured resources."""
    return ray.remote(
        num_cpus=settings.cpus_per_actor,
        num_gpus=settings.gpus_per_actor,
        max_restarts=0,  # a fresh actor is set up instead (its key, its stage)
    )(MaskActor)


@dataclass
class _Slot:
    """One place in the pool: its current actor (replaced when it dies) and its load."""

    actor: Any = None
    pid: int = 0
    load: int = 0


class RayExecutor:
    """A pool of :class:`MaskActor`; ``submit`` gives futures whose ``result`` blocks."""

    def __init__(
        self,
        actors: int,
        initializer: Callable[..., None],
        initargs: tuple[Any, ...],
        settings: RaySettings,
        shared: list[_Slot] | None = None,
    ) -> None:
        self.settings = settings
        self._setup = (initializer, initargs)
        self._remote = actor_class(settings)
        self._owned = shared is None  # shared actors outlive this stage (RayEngine ends them)
        self._slots = shared if shared is not None else [_Slot() for _ in range(max(1, actors))]
        ready = [self._prepare(slot) for slot in self._slots]
        self._wait_ready(ready)

    def _prepare(self, slot: _Slot) -> Any:
        """Set up this stage on the slot's actor, starting one if it has none yet."""
        if slot.actor is None:
            slot.actor = self._remote.remote()
        slot.load = 0
        return slot.actor.setup.remote(*self._setup)

    def _start(self, slot: _Slot) -> Any:
        slot.actor = self._remote.remote()
        return slot.actor.setup.remote(*self._setup)

    def _wait_ready(self, ready: list[Any]) -> None:
        timeout = self.settings.startup_timeout
        try:
            pids = ray.get(ready, timeout=timeout)
        except ray.exceptions.GetTimeoutError:
            self.shutdown()
            raise EngineError(
                f"engine: ray: {len(self._slots)} actors of {self.settings.cpus_per_actor:g} "
                f"CPU and {self.settings.gpus_per_actor:g} GPU each were not ready within "
                f"{timeout:g} s; the cluster has {ray.available_resources()} free.",
                hint="lower ray.actors or ray.cpus_per_actor/gpus_per_actor, or add nodes.",
            ) from None
        except ray.exceptions.RayTaskError as exc:
            self.shutdown()
            raise _cause(exc) from None
        except ray.exceptions.RayActorError as exc:
            self.shutdown()
            raise EngineError(
                f"engine: ray: a masking actor died while it started ({type(exc).__name__}); "
                "nothing was written.",
                hint="check that every node has sanitizer and its models installed, and "
                "enough memory; then run again.",
            ) from None
        for slot, pid in zip(self._slots, pids, strict=True):
            slot.pid = pid

    def pids(self) -> list[int]:
        """The actors' process ids (for operators, and the fault tests)."""
        return [slot.pid for slot in self._slots]

    def submit(self, fn: Callable[..., Any], /, *args: Any) -> RayTask:
        return RayTask(self, fn, args)

    def send(self, fn: Callable[..., Any], args: tuple[Any, ...]) -> tuple[_Slot, Any, Any]:
        """The task to the least busy actor: (slot, the actor it went to, result ref)."""
        slot = min(self._slots, key=lambda s: s.load)
        slot.load += 1
        return slot, slot.actor, slot.actor.run.remote(fn, args)

    def replace(self, slot: _Slot, dead: Any) -> None:
        """A fresh actor in the place of ``dead`` (once, however many of its tasks ask)."""
        if slot.actor is dead:
            log.warning("ray actor lost; starting a fresh one", extra={"pid": slot.pid})
            self._start(slot)
            slot.pid = 0

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """End the stage: its own actors are killed; shared ones wait for the next stage."""
        if not self._owned:
            return
        for slot in self._slots:
            if slot.actor is not None:
                ray.kill(slot.actor)
                slot.actor = None


class RayTask:
    """One submitted task; ``result`` retries it on a fresh actor when its actor died."""

    def __init__(self, pool: RayExecutor, fn: Callable[..., Any], args: tuple[Any, ...]) -> None:
        self.pool, self.fn, self.args = pool, fn, args
        self.failures = 0
        self.slot, self.actor, self.ref = pool.send(fn, args)

    def result(self) -> Any:
        while True:
            try:
                value = ray.get(self.ref)
            except ray.exceptions.RayActorError as exc:
                self.slot.load -= 1
                self._retry(exc)
                continue
            except ray.exceptions.RayTaskError as exc:
                self.slot.load -= 1
                raise _cause(exc) from None
            self.slot.load -= 1
            return value

    def _retry(self, exc: Exception) -> None:
        self.failures += 1
        if self.failures > self.pool.settings.task_retries:
            raise EngineError(
                f"engine: ray: a masking actor died {self.failures} time(s) running the same "
                f"task ({type(exc).__name__}); the run stopped and staging was left as it was.",
                hint="check the cluster's nodes (memory, preemption) and run again; raise "
                "ray.task_retries to ride out more losses.",
            ) from None
        self.pool.replace(self.slot, self.actor)
        self.slot, self.actor, self.ref = self.pool.send(self.fn, self.args)


def _cause(exc: ray.exceptions.RayTaskError) -> BaseException:
    """The exception the task raised, as the local pool would re-raise it."""
    cause = getattr(exc, "cause", None)
    return cause if isinstance(cause, BaseException) else exc
