"""The one "unknown key … did you mean" check every YAML section uses.

A typo in a key must stop the run with the file and line and the nearest known name, never be
silently ignored (an ignored ``uniqe: true`` would quietly weaken a rule).
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from typing import Any

from sanitizer.config.yamlfile import LocatedDict
from sanitizer.errors import ConfigError


def closest(name: Any, known: Sequence[str]) -> str | None:
    """The known name nearest to ``name`` (a likely typo), or None."""
    close = difflib.get_close_matches(str(name), list(known), n=1)
    return close[0] if close else None


def did_you_mean(name: Any, known: Sequence[str], otherwise: str) -> str:
    """A hint: ``did you mean 'x'?`` when a known name is close, else ``otherwise``."""
    close = closest(name, known)
    return f"did you mean {close!r}?" if close else otherwise


def check_keys(
    mapping: LocatedDict,
    allowed: Sequence[str],
    place: str,
    otherwise: str | None = None,
    kind: str = "key",
) -> None:
    """Raise at the first key not in ``allowed``: ``FILE:LINE: unknown key 'k' in PLACE.``

    ``place`` may be empty (then the sentence ends after the key); ``otherwise`` is the hint
    when no known key is close (default: ``use a, b, c.``).
    """
    for key in mapping:
        if key not in allowed:
            where = f" in {place}" if place else ""
            raise ConfigError(
                f"{mapping.at(key)}: unknown {kind} {key!r}{where}.",
                hint=did_you_mean(key, allowed, otherwise or f"use {', '.join(allowed)}."),
            )
