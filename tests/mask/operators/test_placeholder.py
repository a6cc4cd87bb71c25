"""``placeholder``: binary values become a stand-in of the same type and size class."""

from __future__ import annotations

import struct
import zlib

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from sanitizer.mask.codecs import TextCodec
from sanitizer.mask.operators import parse_rule
from sanitizer.mask.operators.placeholder import placeholder_bytes
from sanitizer.schema import BINARY, STRING, ColumnInfo
from tests.mask.conftest import WHERE

BLOB = ColumnInfo("picture", BINARY, "BYTEA")
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20


def png_chunks_are_valid(data: bytes) -> bool:
    pos, kinds = 8, []
    while pos + 12 <= len(data):
        (size,) = struct.unpack_from(">I", data, pos)
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + size]
        (crc,) = struct.unpack_from(">I", data, pos + 8 + size)
        if zlib.crc32(kind + body) != crc:
            return False
        kinds.append(kind)
        pos += 12 + size
        if kind == b"IEND":
            break
    return kinds == [b"IHDR", b"IDAT", b"IEND"] and not any(data[pos:])


def test_a_png_photo_becomes_a_valid_png_of_its_size_class(mask_one):
    out = mask_one("placeholder", PNG, BLOB)
    assert out.startswith(b"\x89PNG\r\n\x1a\n") and png_chunks_are_valid(out)
    assert len(out) == 4096 <= len(PNG)  # rounded down to a power of two
    assert PNG[8:100] not in out


def test_a_gif_stays_a_gif_other_blobs_become_zeros(mask_one):
    assert mask_one("placeholder", b"GIF89a" + bytes(200), BLOB).startswith(b"GIF89a")
    assert mask_one("placeholder", b"%PDF-1.7 secret", BLOB) == bytes(8)
    assert mask_one("placeholder", b"", BLOB) == b""


@given(st.binary(max_size=5000))
@settings(max_examples=200, deadline=None)
def test_never_longer_and_nothing_of_the_original(data):
    out = placeholder_bytes(data)
    assert len(out) <= len(data) and (len(out) * 2 > len(data) or not data)
    assert set(out) <= set(placeholder_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))) | {0}


def test_binary_series_and_copy_text(mask_series_with):
    series = pl.Series("picture", [PNG, None, b"abc"])
    out = mask_series_with("placeholder", series, BLOB)
    assert out.dtype == pl.Binary and out[1] is None and out[2] == bytes(2)
    codec = TextCodec(BINARY)  # PostgreSQL COPY text: bytea as \x hex
    typed, ok = codec.decode(["\\x616263", "not hex"])
    assert typed == [b"abc"] and ok == [0]
    assert codec.encode([b"\x00\x00"]) == ["\\x0000"]


def test_applies_to_binary_only():
    op = parse_rule("placeholder", WHERE)
    assert op.applies_to(BLOB) and not op.applies_to(ColumnInfo("t", STRING, "TEXT"))
