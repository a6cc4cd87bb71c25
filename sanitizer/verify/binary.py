"""The text inside binary values: what the secrets sweep reads in a bytea/BLOB cell or a
binary object (docs/operations.md, "Secrets and production hosts").

A credential pasted into a config blob, a serialized session or a log archive stored as bytes
is still a credential. Like ``strings(1)``, the runs of printable text in the bytes — ASCII
and Latin-1 letters, digits, punctuation, spaces and tabs, at least ``MIN_RUN`` characters —
are taken, each on a line of its own, so a token ends where its run ends (the boundary
gitleaks' rules expect). UTF-8 text decodes as itself; other encodings' letters are dropped
from a run (UTF-16 text is out of scope: its every other byte is zero). Compressed or
encrypted data holds no readable text and yields none.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import BinaryIO

MIN_RUN = 8  # shorter runs of printable bytes occur by chance in any binary data
MAX_OBJECT_BYTES = 64 * 1024 * 1024  # a binary object read further is not swept past this
CHUNK = 1024 * 1024
PRINTABLE_RUN = re.compile(rb"[\t\x20-\x7e\xa0-\xff]{%d,}" % MIN_RUN)
PRINTABLE_BYTES = frozenset(b"\t" + bytes(range(0x20, 0x7F)) + bytes(range(0xA0, 0x100)))
BYTEA_HEX = re.compile(r"\\x(?:[0-9a-fA-F]{2})*")  # PostgreSQL's text form of bytea


def printable_runs(data: bytes) -> Iterator[str]:
    """The runs of printable text in ``data``, decoded: UTF-8 where it is (bytes that are not
    UTF-8 cut a run), Latin-1 for a run with no UTF-8 part of ``MIN_RUN`` characters."""
    for match in PRINTABLE_RUN.finditer(data):
        raw = match.group()
        parts = [p for p in raw.decode("utf-8", "replace").split("\ufffd") if len(p) >= MIN_RUN]
        yield from parts if parts else [raw.decode("latin-1")]


def as_bytes(value: object) -> bytes | None:
    """A binary cell as bytes: bytes, a memoryview, or PostgreSQL's ``\\x…`` hex text (how a
    bytea is read back as text, and how :func:`sanitizer.verify.sql.shadow_frames` hands
    every binary cell over)."""
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value)
    if isinstance(value, str) and BYTEA_HEX.fullmatch(value):
        return bytes.fromhex(value[2:])
    return None


def binary_text(value: object) -> str | None:
    """The printable runs of a binary cell, one per line; None when there are none."""
    data = as_bytes(value)
    if not data:
        return None
    runs = list(printable_runs(data))
    return "\n".join(runs) if runs else None


def object_runs(stream: BinaryIO, limit: int = MAX_OBJECT_BYTES) -> Iterator[str]:
    """The printable runs of a binary object, read in chunks (a run across two chunks is
    read whole: the printable tail of a chunk is carried into the next, up to a chunk)."""
    carry, read = b"", 0
    while read < limit:
        chunk = stream.read(min(CHUNK, limit - read))
        if not chunk:
            break
        read += len(chunk)
        data = carry + chunk
        tail = len(data)
        while tail > 0 and data[tail - 1] in PRINTABLE_BYTES and len(data) - tail < CHUNK:
            tail -= 1  # the printable bytes at the end may continue in the next chunk
        yield from printable_runs(data[:tail])
        carry = data[tail:]
    yield from printable_runs(carry)
