"""The production values the leak-index tests track, and an index holding them."""

from __future__ import annotations

from sanitizer.verify.leaks import LeakIndex

TRACKED = ["jane.doe@corp-mail.com", "Okonkwo Adebayo-Smith", "DE89 3704 0044 0532 0130 00"]


def index_holding(key: bytes, values: list[str] = TRACKED) -> LeakIndex:
    """A leak index under ``key`` that took every one of ``values``."""
    index = LeakIndex(key)
    for value in values:
        assert index.add(value)
    return index
