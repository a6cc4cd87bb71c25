"""The ``engine:`` and ``ray:`` sections of sanitize.yaml: where masking runs (docs/engine.md).

``engine: local`` (the default) masks in this machine's processes and never imports Ray;
``engine: ray`` masks in actor pools on a Ray cluster — ``ray.address`` names it (``auto``:
the cluster this machine belongs to, ``ray://host:10001``: a remote one, ``local``: a private
single-machine cluster started for the run, inside the run's own temporary folder).
The top-level ``readers:`` says how many connections read a PostgreSQL table at once, in the
run's one snapshot (docs/engine.md#reading-production).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sanitizer.config.keys import check_keys
from sanitizer.config.run_settings import number_setting
from sanitizer.config.yamlfile import LocatedDict, Location
from sanitizer.errors import ConfigError

ENGINES = ("local", "ray")
AUTO_READERS = 4  # readers: auto under engine: ray (at most; never more than the cores)
RAY_KEYS = (
    "address",
    "actors",
    "cpus_per_actor",
    "gpus_per_actor",
    "task_retries",
    "startup_timeout",
    "object_store_memory",
)


@dataclass(frozen=True)
class RaySettings:
    """The cluster and how much of it one stage (SQL batches, objects) takes."""

    address: str = "auto"
    actors: int = 0  # actors per stage; 0 = the cluster's CPUs / cpus_per_actor
    cpus_per_actor: float = 1.0
    gpus_per_actor: float = 0.0
    task_retries: int = 2  # a task whose actor died is sent to a fresh actor this often
    startup_timeout: float = 300.0  # seconds for the actors to be placed and ready
    object_store_memory: int = 0  # bytes, address: local only; 0 = Ray's default


@dataclass(frozen=True)
class EngineSettings:
    """``engine: local | ray`` and, for ray, the cluster settings."""

    kind: str = "local"
    ray: RaySettings = RaySettings()
    readers: int = 0  # PostgreSQL connections reading one table's key ranges; 0 = auto

    @property
    def reader_count(self) -> int:
        """``readers: auto`` (0) is 1 under ``engine: local`` (the cores mask) and up to
        :data:`AUTO_READERS` under ``engine: ray`` (the driver only reads, orders and loads)."""
        if self.readers:
            return self.readers
        return 1 if self.kind == "local" else max(1, min(AUTO_READERS, os.cpu_count() or 1))


def engine_settings(
    kind: Any,
    raw_ray: Any,
    where: Location,
    environ: Mapping[str, str] | None = None,
    conf: LocatedDict | None = None,
) -> EngineSettings:
    """Validated engine settings; ``ray.address`` falls back to RAY_ADDRESS, then ``auto``;
    ``conf``: the whole file, for its top-level ``readers``."""
    kind = "local" if kind is None else str(kind)
    if kind not in ENGINES:
        raise ConfigError(
            f"{where}: engine is {kind!r}.",
            hint="write engine: local (this machine) or engine: ray (a Ray cluster).",
        )
    env = os.environ if environ is None else environ
    ray = _ray(raw_ray, where, env.get("RAY_ADDRESS") or "auto")
    return EngineSettings(kind, ray, readers_setting(conf))


def readers_setting(conf: LocatedDict | None) -> int:
    """``readers: auto | N`` (auto: 0, see :attr:`EngineSettings.reader_count`)."""
    if conf is None or conf.get("readers", "auto") == "auto":
        return 0
    return int(
        number_setting(
            conf,
            "readers",
            1,
            integer=True,
            minimum=1,
            hint="write readers: auto, or a number of connections such as readers: 4 "
            "(PostgreSQL sources; other databases read with one).",
        )
    )


def _ray(raw: Any, where: Location, default_address: str) -> RaySettings:
    if raw is None:
        return RaySettings(address=default_address)
    if not isinstance(raw, LocatedDict):
        raise ConfigError(f"{where}: ray must be a mapping.", hint="write ray: {address: auto}")
    check_keys(raw, RAY_KEYS, "ray")
    address = str(raw.get("address") or default_address)
    return RaySettings(
        address=address,
        actors=int(_number(raw, "actors", 0, integer=True)),
        cpus_per_actor=_number(raw, "cpus_per_actor", 1.0, minimum=0.01),
        gpus_per_actor=_number(raw, "gpus_per_actor", 0.0),
        task_retries=int(_number(raw, "task_retries", 2, integer=True)),
        startup_timeout=_number(raw, "startup_timeout", 300.0, minimum=1),
        object_store_memory=int(_number(raw, "object_store_memory", 0, integer=True)),
    )


def _number(
    section: LocatedDict, key: str, default: float, *, integer: bool = False, minimum: float = 0
) -> float:
    value = number_setting(
        section,
        key,
        default,
        integer=integer,
        minimum=minimum,
        prefix="ray.",
        hint=f"write ray: {{{key}: {default!r}}} or leave it out for the default.",
    )
    return float(value) if not integer else value
