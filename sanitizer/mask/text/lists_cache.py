"""Detection's built word lists, kept on disk between runs (docs/operations.md, "The lists cache").

Detection builds its lists from pinned packages at first use: the names of every Faker
locale weighed against wordfreq's English words, CLDR's weekday and month names of every
language, Faker's place names. That is about 0.6 s of a detecting process's start, and it is
on the critical path of a run: the workers' server builds them before any worker can start.
They depend only on those packages, on Python's Unicode tables and on this package's code, so
each list is kept as JSON in a cache folder under a key of all of these, and read back in a
few milliseconds. The same lists either way: a test compares them with a fresh build.

JSON, not pickle: a file in a user's cache folder is never run as code. A file that is
missing, unreadable, malformed or of another key is built again and rewritten (atomically); a
folder that cannot be written leaves the run as it was without a cache. Only the newest few
versions of each list are kept. The folder is ``SANITIZER_CACHE_DIR``, else
``$XDG_CACHE_HOME/sanitizer``, else ``~/.cache/sanitizer``; ``SANITIZER_CACHE_DIR=off`` turns
the cache off.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
import tempfile
from collections.abc import Callable
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")
CACHE_ENV = "SANITIZER_CACHE_DIR"
KEPT_VERSIONS = 4  # files of one list kept (other code or package versions: other checkouts)
# The packages the lists are built from, and those whose Unicode tables shape them.
SOURCES = ("faker", "wordfreq", "babel", "regex")
_CODE = Path(__file__).resolve().parent  # the code that builds them: mask/text and below


def cached(
    name: str, build: Callable[[], T], encode: Callable[[T], Any], decode: Callable[[Any], T]
) -> T:
    """``build()``, or what an earlier process built under the same key. ``encode`` turns
    the value into JSON-able data, ``decode`` turns that back into an equal value."""
    folder = cache_folder()
    if folder is None:
        return build()
    path = folder / f"{name}-{key()}.json"
    try:
        return decode(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError, KeyError, IndexError):
        pass  # missing, unreadable or malformed: build it again
    value = build()
    _write(path, encode(value))
    _prune(folder, name)
    return value


def cache_folder() -> Path | None:
    """Where the lists are kept; None when the cache is turned off."""
    setting = os.environ.get(CACHE_ENV)
    if setting is not None:
        return None if setting.strip().lower() in ("", "off") else Path(setting)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "sanitizer"


@cache
def key() -> str:
    """A digest of what the lists depend on: the source packages' versions, Python's version
    (its Unicode tables) and the code of detection (any change to it builds them anew)."""
    digest = hashlib.sha256(sys.version.encode())
    for package in SOURCES:
        try:
            digest.update(f"{package}={metadata.version(package)};".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{package}=none;".encode())
    for source in sorted(_CODE.rglob("*.py")):
        digest.update(source.relative_to(_CODE).as_posix().encode())
        digest.update(source.read_bytes())
    return digest.hexdigest()[:20]


def _write(path: Path, data: Any) -> None:
    """Write ``data`` as JSON at ``path`` through a temporary file and a rename, so a reader
    never meets half a file; any failure leaves no file and is not an error of the run."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-")
    except OSError:
        return
    try:
        with open(handle, "w", encoding="utf-8") as file:
            json.dump(data, file, ensure_ascii=False, separators=(",", ":"))
        os.replace(temporary, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary)


def _prune(folder: Path, name: str) -> None:
    """Remove all but the :data:`KEPT_VERSIONS` newest files of one list, so upgrades do not
    pile files up; a few stay for other checkouts sharing the folder."""
    try:
        files = sorted(folder.glob(f"{name}-*.json"), key=lambda p: p.stat().st_mtime)
        for old in files[:-KEPT_VERSIONS]:
            old.unlink(missing_ok=True)
    except OSError:
        pass  # another process pruned first, or the folder is not ours to tidy


def word_list(value: frozenset[str]) -> list[str]:
    """A set of words as JSON: sorted, so the file is the same for the same set."""
    return sorted(value)
