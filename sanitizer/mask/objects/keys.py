"""Object keys: each path segment masked with ``detect``, consistently across the run.

``users/jane.doe@corp.com/avatar.png`` becomes ``users/<fake email>/avatar.png`` — the same
fake ``{fake: email}`` gives that address in a database column. A file name's extension is
kept apart (``.png`` is a format, not data; ``.md`` must not read as a domain). Distinct
segments are detected once per run in one batch.
"""

from __future__ import annotations

import re

from sanitizer.config.settings import NlpSettings
from sanitizer.mask.objects import ObjectContext
from sanitizer.mask.operators.base import Operator
from sanitizer.mask.operators.detect import Detect
from sanitizer.mask.text.detector import entities_for

_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,8}$")
# After an email address, only a known file suffix is one: jane@corp.com has no extension.
FILE_SUFFIXES = frozenset(
    "json ndjson jsonl csv tsv txt md html htm eml png jpg jpeg gif webp svg pdf parquet xml "
    "yaml yml gz zip log bin dat".split()
)


def split_name(segment: str) -> tuple[str, str]:
    """``avatar.png`` → (``avatar``, ``.png``); ``jane@corp.com`` has no extension to keep."""
    match = _EXTENSION.search(segment)
    if not match or match.start() == 0:
        return segment, ""
    if "@" in segment and match.group(0)[1:].lower() not in FILE_SUFFIXES:
        return segment, ""
    return segment[: match.start()], match.group(0)


MIN_CHARS = 4  # "cv", "T1", "eu": too short to hold personal data, too short for NER context
_SEPARATORS = re.compile(r"[_-]")


def _spaced(stem: str) -> str:
    """``jane_doe-2024`` → ``jane doe 2024``: NER reads words, not snake_case. Stems with
    ``@``, dots or ``+`` (emails, domains, phone numbers) go to the recognizers as they are."""
    if " " in stem or any(c in stem for c in "@.+"):
        return stem
    return _SEPARATORS.sub(" ", stem)


def _joined(original: str, masked: str) -> str:
    """Put the original's separator back between the words of a masked segment; a fake never
    adds a path level (a fake URL's ``/`` becomes ``_``)."""
    masked = masked.replace("/", "_")
    if masked == _spaced(original):
        return original
    if " " in original:
        return masked
    separator = next((c for c in original if c in "_-"), None)
    return masked.replace(" ", separator) if separator else masked


# What a bare ``detect`` does not look for in a key: ``c000.snappy`` or ``www.acme.com`` is a
# file or host name, not a personal link (emails are still found); ``2024/05``,
# ``2024-05-01.ndjson`` or ``v12`` is the store's layout — partitions and versions —, not a
# person's date or age; and a long bare number (``IMG_20240501_123456.jpg``) a time stamp or a
# partition, not an account.
NOT_IN_KEYS = frozenset({"URL", "DATE_TIME", "AGE", "US_BANK_NUMBER"})


def key_operator(op: Operator, nlp: NlpSettings) -> Operator:
    """A bare ``detect`` on keys looks for everything but :data:`NOT_IN_KEYS`."""
    if isinstance(op, Detect) and op.entities is None:
        entities = [e for e in entities_for(None, nlp) if e not in NOT_IN_KEYS]
        return Detect(entities, op.where)
    return op


def mask_keys(keys: list[str], op: Operator, ctx: ObjectContext) -> dict[str, str]:
    """Original key → masked key, for every key (unchanged where nothing was found)."""
    op = key_operator(op, ctx.nlp)
    pieces: list[list[tuple[str, str]]] = []
    for key in keys:
        segments = key.split("/")
        parts = [(s, "") for s in segments[:-1]] + [split_name(segments[-1])]
        pieces.append(parts)
    stems = {stem for parts in pieces for stem, _ in parts if len(stem.strip()) >= MIN_CHARS}
    uniques = sorted(stems)
    spaced = [_spaced(stem) for stem in uniques]
    masked = {
        stem: _joined(stem, out)
        for stem, out in zip(uniques, ctx.apply(op, spaced, "key", "key"), strict=True)
    }
    return {
        key: "/".join(masked.get(stem, stem) + ext for stem, ext in parts)
        for key, parts in zip(keys, pieces, strict=True)
    }
