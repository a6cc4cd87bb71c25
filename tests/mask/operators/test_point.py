"""``fake: point``: a keyed point in the original's format and SRID (PostgreSQL ``point``
text, WKT/EWKT, hex (E)WKB as PostGIS prints it, MySQL/MariaDB's internal bytes)."""

from __future__ import annotations

import re
import struct

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sanitizer.errors import ConfigError, MaskingError
from sanitizer.mask import geometry
from sanitizer.mask.operators import parse_rule
from sanitizer.schema import BINARY, GEOMETRY, STRING, ColumnInfo
from tests.mask.conftest import OTHER_KEY, WHERE

POINT = {"fake": "point"}
PG_POINT = ColumnInfo("home", GEOMETRY, "POINT")
MY_GEOMETRY = ColumnInfo("location", GEOMETRY, "GEOMETRY")


def mysql_point(x: float, y: float, srid: int = 0) -> bytes:
    """MySQL/MariaDB's internal value: SRID (uint32 LE), then little-endian WKB."""
    return struct.pack("<IBIdd", srid, 1, 1, x, y)


def ewkb_hex(x: float, y: float, srid: int = 4326) -> str:
    return struct.pack("<BIIdd", 1, 1 | 0x20000000, srid, x, y).hex().upper()


def test_postgres_point_text_keeps_its_format(mask_one):
    fake = mask_one(POINT, "(-73.5673,45.5017)", PG_POINT)
    assert re.fullmatch(r"\(-?\d+\.\d{4},-?\d+\.\d{4}\)", fake)
    assert fake != "(-73.5673,45.5017)"


def test_wkt_and_ewkt(mask_one):
    wkt = mask_one(POINT, "POINT(-73.5673 45.5017)", PG_POINT)
    assert re.fullmatch(r"POINT\(-?\d+\.\d{4} -?\d+\.\d{4}\)", wkt)
    ewkt = mask_one(POINT, "SRID=4326;POINT Z (2.35 48.85 35)", PG_POINT)
    assert re.fullmatch(r"SRID=4326;POINT Z \(-?\d+\.\d\d -?\d+\.\d\d 35\)", ewkt)  # Z kept


def test_hex_ewkb_keeps_srid_case_and_layout(mask_one):
    original = ewkb_hex(-73.5673, 45.5017)
    fake = mask_one(POINT, original, PG_POINT)
    assert fake != original and len(fake) == len(original)
    assert fake == fake.upper()
    point = geometry.parse(fake)
    assert point.srid == 4326 and point.layout == "wkb-hex"
    assert -180 <= point.x <= 180 and -90 <= point.y <= 90
    lower = mask_one(POINT, original.lower(), PG_POINT)
    assert lower == lower.lower() and lower.upper() == fake  # same point, same case as given


def test_mysql_internal_bytes(mask_one):
    original = mysql_point(-73.5673, 45.5017, srid=4326)
    fake = mask_one(POINT, original, MY_GEOMETRY)
    assert isinstance(fake, bytes) and len(fake) == len(original) and fake != original
    assert fake[:4] == original[:4]  # the SRID
    srid, order, kind, x, y = struct.unpack("<IBIdd", fake)
    assert (srid, order, kind) == (4326, 1, 1)
    assert -85 <= x <= 85 and -85 <= y <= 85  # valid in either axis order


def test_mysql_srid_zero_projected_coordinates_keep_their_size(mask_one):
    fake = mask_one(POINT, mysql_point(512345.5, 5412345.25), MY_GEOMETRY)
    _, _, _, x, y = struct.unpack("<IBIdd", fake)
    assert 100_000 <= x < 1_000_000 and 1_000_000 <= y < 10_000_000


def test_same_place_same_fake_in_every_format(mask):
    text = mask(POINT, ["SRID=4326;POINT(-73.5673 45.5017)"], PG_POINT)[0]
    hexed = mask(POINT, [ewkb_hex(-73.5673, 45.5017)], PG_POINT)[0]
    a, b = geometry.parse(text), geometry.parse(hexed)
    assert (a.x, a.y) == pytest.approx((b.x, b.y), abs=1e-4)


def test_keyed_and_deterministic(mask):
    values = ["(1.5,2.5)", mysql_point(1.5, 2.5)]
    assert mask(POINT, values, MY_GEOMETRY) == mask(POINT, values, MY_GEOMETRY)
    assert mask(POINT, values, MY_GEOMETRY) != mask(POINT, values, MY_GEOMETRY, key=OTHER_KEY)


@given(
    st.floats(-180, 180, allow_nan=False),
    st.floats(-90, 90, allow_nan=False),
    st.sampled_from([0, 4326, 3857]),
)
@settings(max_examples=200, deadline=None)
def test_any_mysql_point_gives_a_valid_point_of_the_same_srid(mask_one, x, y, srid):
    fake = geometry.parse(mask_one(POINT, mysql_point(x, y, srid), MY_GEOMETRY))
    assert fake.srid == srid and fake.layout == "mysql"
    assert abs(fake.x) <= 180 and abs(fake.y) <= 90


def test_other_geometries_are_a_clear_error(mask_one):
    line = struct.pack("<IBII4d", 0, 1, 2, 2, 0.0, 0.0, 1.0, 1.0)
    with pytest.raises(MaskingError, match="a value is a LINESTRING, not a point"):
        mask_one(POINT, line, MY_GEOMETRY)
    with pytest.raises(MaskingError, match="use null for other geometries"):
        mask_one(POINT, "POLYGON((0 0,1 0,1 1,0 0))", PG_POINT)


def test_point_empty_stays_empty(mask_one):
    empty = struct.pack("<IBIdd", 0, 1, 1, float("nan"), float("nan"))
    assert mask_one(POINT, empty, MY_GEOMETRY) == empty


def test_binary_series_through_mask_series(mask_series_with):
    series = pl.Series("location", [mysql_point(1, 2), None, mysql_point(1, 2)])
    out = mask_series_with(POINT, series, MY_GEOMETRY)
    assert out.dtype == pl.Binary and out[1] is None and out[0] == out[2] != series[0]


def test_applies_to_points_not_other_shapes_nor_text_kinds():
    op = parse_rule(POINT, WHERE)
    assert op.applies_to(PG_POINT) and op.applies_to(MY_GEOMETRY)
    assert op.applies_to(ColumnInfo("blob", BINARY, "BLOB"))  # a point stored as WKB bytes
    assert not op.applies_to(ColumnInfo("b", GEOMETRY, "BOX"))
    email = parse_rule({"fake": "email"}, WHERE)
    assert not email.applies_to(PG_POINT) and not email.applies_to(ColumnInfo("b", BINARY, "X"))
    assert email.applies_to(ColumnInfo("e", STRING, "TEXT"))


def test_point_can_be_unique():
    assert parse_rule({"fake": "point", "unique": True}, WHERE).unique


def test_unknown_point_kind_suggests():
    with pytest.raises(ConfigError, match="did you mean"):
        parse_rule({"fake": "pointt"}, WHERE)
