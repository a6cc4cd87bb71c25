"""Ownership of object and vector staging targets: a marker beside the store.

A run rewrites its staging stores wholesale — a folder or LanceDB directory is renamed over,
the objects of an S3 prefix the run did not write are deleted — so before anything is written
a target must be sanitizer's own: it carries the marker (written on first use), or is new, or
is an existing empty folder adopted with ``--init``. A store holding anything else is
refused, like a SQL database with foreign tables. The marker sits beside the store (a hidden
sibling file, an S3 key next to the prefix), so staging itself keeps the source's shape.
What a refused store holds is counted, never named: its keys may be anybody's data.
"""

from __future__ import annotations

import json
from itertools import islice
from pathlib import Path

from sanitizer.errors import ConfigError

MARKER_SUFFIX = ".sanitize.marker"
SHOWN = 100  # entries counted in a refusal ("100 or more")


def marker_body(run_id: str, version: str) -> bytes:
    """What the marker says: who wrote this store first, never anything of its data."""
    return json.dumps({"tool": "sanitizer", "version": version, "first_run": run_id}).encode()


def folder_marker(root: Path) -> Path:
    """The marker of a staging folder: a hidden sibling no leftover clean-up matches."""
    return root.parent / f".{root.name}{MARKER_SUFFIX}"


def foreign_store(name: str, where: str, entries: int, what: str = "entries") -> ConfigError:
    count = f"{entries} or more" if entries >= SHOWN else str(entries)
    return ConfigError(
        f"target {name!r} ({where}) holds {count} {what} sanitizer did not write; it is not "
        "a staging store sanitizer owns, so nothing was written.",
        hint="point the target at a dedicated, empty staging location (a run replaces "
        "everything there).",
    )


def unadopted_store(name: str, where: str) -> ConfigError:
    return ConfigError(
        f"target {name!r} ({where}) is an existing empty folder sanitizer has not written to yet.",
        hint="if it is meant to be staging, run once with `sanitize snapshot --init` to adopt "
        "it (it is empty, so nothing is lost).",
    )


def claim_folder(name: str, root: Path, run_id: str, version: str, init: bool, write: bool) -> None:
    """Own a staging folder (objects, LanceDB): marked, new, or empty and adopted."""
    marker = folder_marker(root)
    if marker.is_file():
        return
    if root.exists():
        entries = sum(1 for _ in islice(root.iterdir(), SHOWN)) if root.is_dir() else 1
        if entries:
            raise foreign_store(name, str(root), entries)
        if not init:
            raise unadopted_store(name, str(root))
    if write:
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.write_bytes(marker_body(run_id, version))
