"""The ``objects:`` section of sanitize.yaml and ``kind: objects`` URLs.

An object store is a local folder (relative paths are relative to sanitize.yaml) or
``s3://bucket/prefix``, with the endpoint and credentials from the usual AWS environment
variables, so no secret ever sits in the file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sanitizer.config.keys import check_keys
from sanitizer.config.yamlfile import LocatedDict, Location
from sanitizer.errors import ConfigError

ON_MALFORMED = ("fail", "quarantine")
OBJECT_KEYS = ("on_malformed", "concurrency")
URL_SCHEMES = ("s3://",)


@dataclass(frozen=True)
class ObjectSettings:
    """How object runs behave: what a malformed object does, and how many run at once."""

    on_malformed: str = "fail"  # fail: stop the run; quarantine: leave it out and report it
    concurrency: int = 8  # objects in flight at once (I/O-bound: threads)


def check_objects_url(url: str, where: Location, what: str) -> None:
    """A local path or ``s3://bucket[/prefix]``; anything else names the fix."""
    if "://" not in url:
        return
    if not url.startswith(URL_SCHEMES):
        raise ConfigError(
            f"{where}: {what} has url {url!r}, an object store this version cannot reach.",
            hint="use a local folder or s3://bucket/prefix (endpoint and credentials come "
            "from AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY).",
        )
    bucket = url[len("s3://") :].split("/", 1)[0]
    if not bucket:
        raise ConfigError(
            f"{where}: {what} has url {url!r} with no bucket.", hint="write s3://bucket/prefix."
        )


def resolve_objects_url(url: str, base: Path) -> str:
    """A relative folder is relative to sanitize.yaml; S3 URLs stay as written."""
    if "://" in url:
        return url
    return str((base / url).resolve())


def object_settings(raw: Any, where: Location) -> ObjectSettings:
    """The ``objects:`` section; absent means the defaults (fail on malformed objects)."""
    if raw is None:
        return ObjectSettings()
    if not isinstance(raw, LocatedDict):
        raise ConfigError(
            f"{where}: objects must be a mapping.", hint="write objects: {on_malformed: fail}"
        )
    check_keys(raw, OBJECT_KEYS, "objects")
    policy = raw.get("on_malformed", "fail")
    if policy not in ON_MALFORMED:
        raise ConfigError(
            f"{raw.at('on_malformed')}: objects.on_malformed is {policy!r}.",
            hint="use fail (stop the run) or quarantine (leave the object out and report it).",
        )
    concurrency = raw.get("concurrency", ObjectSettings.concurrency)
    if isinstance(concurrency, str) and concurrency.strip().isdigit():
        concurrency = int(concurrency)
    if isinstance(concurrency, bool) or not isinstance(concurrency, int) or concurrency < 1:
        raise ConfigError(
            f"{raw.at('concurrency')}: objects.concurrency must be a positive integer, "
            f"not {concurrency!r}.",
            hint="write concurrency: 8",
        )
    return ObjectSettings(on_malformed=policy, concurrency=concurrency)
