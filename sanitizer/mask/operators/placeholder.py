"""``placeholder``: a binary value (a photo, a scanned document) becomes a stand-in of the
same type and size class.

Blobs cannot be faked field by field, and their bytes are the person (a face, a signature),
so the whole value is replaced. The stand-in keeps what applications rely on: a PNG or GIF
original becomes a valid 1×1 image of the same format (padded with zero bytes after its end,
which image readers ignore), anything else zero bytes; its length is the original's rounded
down to a power of two (so it fits wherever the original did, and its exact size does not
single out one record).
Empty stays empty.
"""

from __future__ import annotations

import base64
import struct
import zlib
from typing import Any

from sanitizer.mask.operators.base import MaskContext, Operator
from sanitizer.schema import BINARY


def _png() -> bytes:
    """A 1×1 grey PNG (8-bit greyscale), built chunk by chunk."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\x80"))
        + chunk(b"IEND", b"")
    )


# the smallest valid image of each format, by the magic bytes that start the original
_IMAGES = {
    b"\x89PNG\r\n\x1a\n": _png(),
    b"GIF8": base64.b64decode("R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw=="),
}


def placeholder_bytes(original: bytes) -> bytes:
    """The stand-in for one blob (see the module docstring)."""
    if not original:
        return original
    size = 1 << (len(original).bit_length() - 1)  # a power of two, never longer
    for magic, image in _IMAGES.items():
        if original.startswith(magic) and len(image) <= size:
            return image + bytes(size - len(image))
    return bytes(size)


class Placeholder(Operator):
    """For photos, avatars, scans: the application still finds a picture of the same format."""

    name = "placeholder"
    summary = (
        "Replace a binary value with a stand-in of the same type and size class (a PNG or GIF "
        "stays a valid image of its format; nothing of the original's bytes remains)."
    )
    example = "picture: placeholder"
    kinds = frozenset({BINARY})
    replaces_every_value = True

    def mask_values(self, values: list[Any], ctx: MaskContext) -> list[Any]:
        return [placeholder_bytes(v if isinstance(v, bytes) else bytes(v)) for v in values]
