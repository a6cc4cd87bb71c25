"""Points in the formats databases hand them over in, for ``fake: point``.

A point arrives as one of:

- PostgreSQL's ``point`` text: ``(x,y)``;
- WKT ``POINT(x y)`` (``POINT Z (x y z)``…), EWKT ``SRID=4326;POINT(x y)``;
- hex WKB or EWKB, as PostGIS prints a geometry/geography (``0101000020E6100000…``);
- bytes: MySQL/MariaDB's internal value (SRID as a little-endian uint32, then WKB), or WKB.

:func:`parse` reads any of them into a :class:`Point` that remembers its layout, and
:meth:`Point.moved` writes new coordinates back in exactly that layout (same format, byte
order, SRID, dimensions, case and decimal places), so the database takes the value as it took
the original.
"""

from __future__ import annotations

import math
import re
import struct
from dataclasses import dataclass, replace

# Geographic coordinate systems (longitude/latitude in degrees): fakes stay within range.
GEOGRAPHIC_SRIDS = frozenset({4326, 4269, 4258, 4267, 4283, 4617, 4674, 4755, 4490, 4019})
_EWKB_Z, _EWKB_M, _EWKB_SRID = 0x80000000, 0x40000000, 0x20000000
_NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
_PG_POINT = re.compile(rf"\(\s*({_NUMBER})\s*,\s*({_NUMBER})\s*\)")
_WKT = re.compile(
    rf"(?:SRID=(\d+);)?(POINT)(\s*(?:ZM|Z|M)?\s*)\(\s*((?:{_NUMBER}\s*){{2,4}})\)",
    re.IGNORECASE,
)
_HEX = re.compile(r"(?:[0-9a-fA-F]{2}){21,}")


class NotAPoint(ValueError):
    """The value is not a point in any format :func:`parse` knows (or another geometry)."""


@dataclass(frozen=True)
class Point:
    """A point's coordinates and everything needed to write it back the same way."""

    x: float
    y: float
    extra: tuple[float, ...] = ()  # Z and/or M, kept as they were
    srid: int = 0
    layout: str = "pg"  # pg | wkt | wkb-hex | wkb | mysql
    texts: tuple[str, ...] = ()  # the coordinates as written (text layouts), for decimals
    prefix: str = ""  # text before the coordinates: "SRID=4326;POINT(" …
    big_endian: bool = False
    wkb_type: int = 1  # the WKB geometry type word as read (flags and ISO codes kept)
    upper_hex: bool = True

    @property
    def identity(self) -> str:
        """What makes two values the same point, whatever their format."""
        return f"{self.srid};{self.x!r};{self.y!r}"

    @property
    def geographic(self) -> bool:
        return self.srid in GEOGRAPHIC_SRIDS

    def moved(self, x: float, y: float) -> str | bytes:
        """The same value with new coordinates, in the original's layout."""
        if self.layout in ("pg", "wkt"):
            xs, ys = _like(x, self.texts[0]), _like(y, self.texts[1])
            if self.layout == "pg":
                return f"({xs},{ys})"
            rest = " ".join(self.texts[2:])
            return f"{self.prefix}{xs} {ys}{' ' + rest if rest else ''})"
        order = ">" if self.big_endian else "<"
        body = struct.pack(f"{order}BI", 0 if self.big_endian else 1, self.wkb_type)
        if self.wkb_type & _EWKB_SRID:
            body += struct.pack(f"{order}I", self.srid)
        body += struct.pack(f"{order}{2 + len(self.extra)}d", x, y, *self.extra)
        if self.layout == "mysql":
            return struct.pack("<I", self.srid) + body
        if self.layout == "wkb":
            return body
        text = body.hex()
        return text.upper() if self.upper_hex else text


def parse(value: str | bytes | bytearray | memoryview) -> Point:
    """A point from any supported format; raises :class:`NotAPoint` naming what it found."""
    if isinstance(value, bytearray | memoryview):
        value = bytes(value)
    if isinstance(value, bytes):
        return _parse_bytes(value)
    text = value.strip()
    match = _PG_POINT.fullmatch(text)
    if match:
        x, y = match.groups()
        return Point(float(x), float(y), layout="pg", texts=(x, y))
    match = _WKT.fullmatch(text)
    if match:
        srid, word, dims, numbers = match.groups()
        parts = tuple(numbers.split())
        prefix = f"SRID={srid};" if srid else ""
        return Point(
            float(parts[0]),
            float(parts[1]),
            extra=tuple(float(p) for p in parts[2:]),
            srid=int(srid or 0),
            layout="wkt",
            texts=parts,
            prefix=f"{prefix}{word}{dims}(",
        )
    if _HEX.fullmatch(text):
        point = _parse_wkb(bytes.fromhex(text), 0)
        return replace(point, layout="wkb-hex", upper_hex=not any(c in "abcdef" for c in text))
    head = re.match(r"(?:SRID=\d+;)?\s*([A-Za-z]+)", text)
    raise NotAPoint(f"a {head.group(1).upper()}" if head else "text that is not a point")


def _parse_bytes(data: bytes) -> Point:
    """MySQL's internal value (4-byte SRID + WKB), or plain WKB."""
    if len(data) >= 25 and data[4] in (0, 1):
        try:
            point = _parse_wkb(data, 4)
            srid = struct.unpack_from("<I", data)[0]
            return replace(point, srid=srid, layout="mysql")
        except NotAPoint as exc:
            if data[0] not in (0, 1) or str(exc).startswith("a "):
                raise  # not plain WKB, or a recognised geometry that is no point
    return _parse_wkb(data, 0)


def _parse_wkb(data: bytes, start: int) -> Point:
    if len(data) < start + 21 or data[start] not in (0, 1):
        raise NotAPoint("bytes that are not WKB")
    order = "<" if data[start] == 1 else ">"
    (word,) = struct.unpack_from(f"{order}I", data, start + 1)
    offset, srid = start + 5, 0
    if word & _EWKB_SRID:
        (srid,) = struct.unpack_from(f"{order}I", data, offset)
        offset += 4
    base = word & 0x0FFFFFFF
    dims = 2 + bool(word & _EWKB_Z) + bool(word & _EWKB_M)
    if base > 1000:  # ISO WKB: 1001 (Z), 2001 (M), 3001 (ZM)
        dims = 2 + {1: 1, 2: 1, 3: 2}.get(base // 1000, 0)
        base %= 1000
    if base != 1:
        names = {2: "LINESTRING", 3: "POLYGON", 4: "MULTIPOINT", 5: "MULTILINESTRING"}
        names |= {6: "MULTIPOLYGON", 7: "GEOMETRYCOLLECTION"}
        raise NotAPoint(f"a {names.get(base, 'geometry')}")
    if len(data) != offset + 8 * dims:
        raise NotAPoint("bytes that are not a WKB point")
    coords = struct.unpack_from(f"{order}{dims}d", data, offset)
    return Point(
        coords[0],
        coords[1],
        extra=tuple(coords[2:]),
        srid=srid,
        layout="wkb",
        big_endian=order == ">",
        wkb_type=word,
    )


def _like(value: float, original: str) -> str:
    """``value`` written with as many decimals as ``original`` (an integer stays an integer)."""
    if "e" in original.lower():
        return repr(value)
    decimals = len(original.split(".", 1)[1]) if "." in original else 0
    return f"{value:.{decimals}f}"


def fake_coordinates(point: Point, unit: float, unit2: float) -> tuple[float, float]:
    """New (x, y) from two keyed numbers in [0, 1), valid for the point's system.

    Geographic systems get a longitude in [-180, 180) and a latitude in [-85, 85]; MySQL's
    internal values of a geographic SRID keep both within ±85, valid in either axis order. An
    SRID-less point that looks like longitude/latitude stays within those ranges; other
    coordinates keep their sign and number of integer digits (a projected easting stays one).
    """
    if point.layout == "mysql" and point.geographic:
        return _round(170 * unit - 85, point), _round(170 * unit2 - 85, point)
    if point.geographic or (abs(point.x) <= 180 and abs(point.y) <= 90):
        return _round(360 * unit - 180, point), _round(170 * unit2 - 85, point)
    return _round(_same_size(point.x, unit), point), _round(_same_size(point.y, unit2), point)


def _same_size(value: float, unit: float) -> float:
    size = abs(value)
    if not math.isfinite(size) or size < 1:
        return unit
    digits = len(str(int(size)))
    low = 10 ** (digits - 1) if digits > 1 else 0
    return math.copysign(low + (10**digits - low) * unit, value)


def _round(value: float, point: Point) -> float:
    """Six decimals (about 0.1 m in degrees) unless the original was written with fewer."""
    if point.texts:
        return value  # text layouts are written with the original's decimals
    return round(value, 6)
