"""NDJSON: per-line rules, line endings and blank lines kept, streamed with bounded memory."""

from __future__ import annotations

import io
import json
import tracemalloc

import pytest
from helpers.object_handlers import context, mask, rule

from sanitizer.mask.objects import MalformedObject
from sanitizer.mask.objects.ndjson import mask_ndjson

LINES = rule("*.ndjson", '{json: {"$.email": {fake: email}, "$.**": keep}}')


def test_each_line_masked_with_its_ending() -> None:
    data = b'{"email": "a@corp.com", "n": 1}\r\n\n{"email":"b@corp.com"}\n  \n{"n": 2}'
    out = mask(LINES, "x.ndjson", data).decode()
    lines = out.split("\n")
    assert lines[0].endswith("\r") and lines[1] == "" and lines[3] == "  "
    assert json.loads(lines[0])["email"].endswith((".com", ".org", ".net", ".invalid"))
    assert json.loads(lines[0])["email"] != "a@corp.com"
    assert lines[2].startswith('{"email":"') and "b@corp.com" not in out
    assert lines[4] == '{"n": 2}'  # no final newline, none added


def test_same_value_on_many_lines_gets_one_pseudonym() -> None:
    data = b'{"email": "a@corp.com"}\n' * 3
    out = [json.loads(line)["email"] for line in mask(LINES, "x.jsonl", data).splitlines()]
    assert len(set(out)) == 1 and out[0] != "a@corp.com"


def test_bom_is_kept() -> None:
    out = mask(LINES, "x.ndjson", b'\xef\xbb\xbf{"email": "a@corp.com"}\n')
    assert out.startswith(b'\xef\xbb\xbf{"email": "') and b"a@corp.com" not in out


def test_malformed_line_is_named_by_number() -> None:
    data = b'{"email": "a@corp.com"}\n' * 2500 + b'{"email": "secret@corp.com"\n'
    with pytest.raises(MalformedObject, match="line 2501") as caught:
        mask(LINES, "x.ndjson", data)
    assert "secret" not in str(caught.value)


class _Generated(io.RawIOBase):
    """``lines`` NDJSON lines made on demand: the object exists only as a stream."""

    def __init__(self, lines: int) -> None:
        self.left, self.buffer = lines, b""

    def readable(self) -> bool:
        return True

    def readinto(self, out) -> int:
        while len(self.buffer) < len(out) and self.left:
            self.left -= 1
            n = self.left
            self.buffer += b'{"email": "user%d@corp.com", "body": "%s"}\n' % (n % 500, b"x" * 60)
        size = min(len(out), len(self.buffer))
        out[:size], self.buffer = self.buffer[:size], self.buffer[size:]
        return size


class _Counting(io.RawIOBase):
    def __init__(self) -> None:
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.size += len(data)
        return len(data)


def _peak(lines: int) -> tuple[int, int]:
    """(peak traced bytes, object size) for masking a generated object of ``lines`` lines."""
    sink = _Counting()
    tracemalloc.start()
    try:
        mask_ndjson(LINES, io.BufferedReader(_Generated(lines)), sink, context())  # type: ignore[arg-type]
        return tracemalloc.get_traced_memory()[1], sink.size
    finally:
        tracemalloc.stop()


def test_a_large_object_streams_in_bounded_memory() -> None:
    """Memory does not grow with the object: 4x the lines, about the same peak."""
    _peak(2_000)  # warm up caches that are allocated once
    small_peak, small_size = _peak(10_000)
    large_peak, large_size = _peak(40_000)
    assert large_size > 4 * small_size - 100_000
    assert large_peak < small_peak * 1.5, (small_peak, large_peak)
    assert large_peak < large_size, (
        f"peak {large_peak / 1e6:.1f} MB, object {large_size / 1e6:.1f} MB"
    )
