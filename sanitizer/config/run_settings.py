"""The ``retries:`` and ``locks:`` sections of sanitize.yaml: how a nightly run rides out
transient failures and how long a lock outlives a run that was killed on another machine."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Any

from sanitizer.config.keys import check_keys
from sanitizer.config.yamlfile import LocatedDict, Location
from sanitizer.errors import ConfigError

RETRY_KEYS = ("attempts", "initial_wait", "max_wait", "s3_mode")
LOCK_KEYS = ("ttl_seconds",)
S3_MODES = ("standard", "adaptive")


@dataclass(frozen=True)
class RetrySettings:
    """Tries per batch (the first included) and the exponential backoff between them."""

    attempts: int = 5
    initial_wait: float = 0.5  # seconds before the first retry; doubles, with jitter
    max_wait: float = 20.0
    s3_mode: str = "standard"  # botocore's own retry mode: standard or adaptive


@dataclass(frozen=True)
class LockSettings:
    """A lock that lives in a store (S3, Chroma) expires unless its run renews it."""

    ttl_seconds: int = 300


def retry_settings(raw: Any, where: Location) -> RetrySettings:
    section = _section(raw, where, "retries", RETRY_KEYS)
    if section is None:
        return RetrySettings()
    default = RetrySettings()
    attempts = number_setting(section, "attempts", default.attempts, integer=True, minimum=1)
    initial = number_setting(section, "initial_wait", default.initial_wait, minimum=0)
    maximum = number_setting(section, "max_wait", default.max_wait, minimum=0)
    mode = section.get("s3_mode", default.s3_mode)
    if mode not in S3_MODES:
        raise ConfigError(
            f"{section.at('s3_mode')}: retries.s3_mode is {mode!r}.",
            hint="use standard or adaptive (botocore's retry modes).",
        )
    return RetrySettings(int(attempts), float(initial), float(max(maximum, initial)), mode)


def lock_settings(raw: Any, where: Location) -> LockSettings:
    section = _section(raw, where, "locks", LOCK_KEYS)
    if section is None:
        return LockSettings()
    ttl = number_setting(section, "ttl_seconds", LockSettings.ttl_seconds, integer=True, minimum=10)
    return LockSettings(int(ttl))


def _section(raw: Any, where: Location, name: str, keys: tuple[str, ...]) -> LocatedDict | None:
    if raw is None:
        return None
    if not isinstance(raw, LocatedDict):
        raise ConfigError(f"{where}: {name} must be a mapping.", hint=f"write {name}: {{...}}")
    check_keys(raw, keys, name)
    return raw


def number_setting(
    section: LocatedDict,
    key: str,
    default: float,
    *,
    integer: bool = False,
    minimum: float = 0,
    prefix: str = "",
    hint: str | None = None,
) -> float:
    """A number setting of ``section`` (text such as "5" or "0.5" read as one), at least
    ``minimum``; ``prefix`` names its section in the message ('ray.')."""
    value = section.get(key, default)
    if isinstance(value, str):
        with contextlib.suppress(ValueError):
            value = float(value) if "." in value else int(value)
    wrong = isinstance(value, bool) or not isinstance(value, int | float)
    if wrong or (integer and not isinstance(value, int)) or value < minimum:
        kind = "a whole number" if integer else "a number"
        raise ConfigError(
            f"{section.at(key)}: {prefix}{key} must be {kind} of at least {minimum:g}, "
            f"not {value!r}.",
            hint=hint or f"write {key}: {default}",
        )
    return value
