"""``fake: KIND``: a keyed, consistent fake of the same kind, in the original's shape.

The table below is the reference: each row is (kind, original, the fake's exact shape).
"""

from __future__ import annotations

import datetime as dt
import re
import uuid

import polars as pl
import pytest

from sanitizer.config.yamlfile import Location
from sanitizer.errors import ConfigError
from sanitizer.mask.fakes import FAKES, TEST_CARDS, UNIQUE_KINDS, _pool
from sanitizer.mask.operators import parse_rule
from sanitizer.schema import ColumnInfo

WHERE = Location("rules/app.yaml", 40)
OTHER_KEY = b"a-rotated-staging-key-000000000"
WORD = r"[A-Za-z]+"
LOWER_EMAIL = r"[a-z]+\.[a-z]+\.[a-z0-9]{8}"
DOMAIN = r"example\.(?:com|org|net)"
NANP = r"[2-9]\d\d"
DOC_V4 = r"(?:192\.0\.2|198\.51\.100|203\.0\.113)\.\d{1,3}"

SHAPES = [
    # emails: reserved domains; malformed stays malformed-looking; case and padding kept
    ("email", "jane.doe@corp.com", rf"{LOWER_EMAIL}@{DOMAIN}"),
    ("email", "JANE.DOE@CORP.COM", rf"{LOWER_EMAIL.upper()}@{DOMAIN.upper()}"),
    ("email", "  jane@corp.com \t", rf"  {LOWER_EMAIL}@{DOMAIN} \t"),
    ("email", "not-an-email", LOWER_EMAIL),
    ("email", "jane@", rf"{LOWER_EMAIL}@"),
    ("email", "@corp.com", rf"@[a-z0-9]{{8}}\.{DOMAIN}"),  # the tag goes below the domain
    ("email", "jane@localhost", rf"{LOWER_EMAIL}@invalid"),
    # names: as many parts as the original, any script in, ASCII Faker names out
    ("name", "Ana Maria Souza", rf"{WORD} {WORD} {WORD}"),
    ("name", "José Müller", rf"{WORD} {WORD}"),
    ("name", "山田 太郎", rf"{WORD} {WORD}"),
    ("name", "CHER", r"[A-Z]+"),
    ("name", "jane doe", r"[a-z]+ [a-z]+"),
    ("first_name", "Zoë", WORD),
    ("last_name", "Nguyễn", WORD),
    # phones: punctuation layout kept, country code kept, fictional ranges
    ("phone", "+55 (12) 3923-5555", r"\+55 \(55\) 5\d{3}-\d{4}"),
    ("phone", "(415) 555-2671", rf"\({NANP}\) 555-01\d\d"),
    ("phone", "+1 415 555 2671", rf"\+1 {NANP} 555 01\d\d"),
    ("phone", "1-415-555-2671", rf"1-{NANP}-555-01\d\d"),
    ("phone", "001 415 555 2671", rf"001 {NANP} 555 01\d\d"),
    ("phone", "415.555.2671", rf"{NANP}\.555\.01\d\d"),
    ("phone", "555-2671", r"555-01\d\d"),
    ("phone", "+44 20 7946 0018", r"\+44 77 0090 0\d{3}"),
    ("phone", "0044 20 7946 0018", r"0044 77 0090 0\d{3}"),
    ("phone", "07911 123456", r"07700 900\d{3}"),
    ("phone", "unknown", r"[a-z]{7}"),  # no digits: scrambled, never copied
    # postcodes keep each country's shape exactly
    ("postcode", "H2G 1A7", r"[A-Z]\d[A-Z] \d[A-Z]\d"),
    ("postcode", "SW1A 1AA", r"[A-Z]{2}\d[A-Z] \d[A-Z]{2}"),
    ("postcode", "10115", r"\d{5}"),
    ("postcode", "01310-100", r"\d{5}-\d{3}"),
    # cards, IPs, URLs, SSNs: undeliverable by construction
    ("credit_card", "4111 1111 1111 1111", r"\d{4} \d{4} \d{4} \d{4}"),
    ("credit_card", "3714-496353-98431", r"\d{4}-\d{6}-\d{5}"),
    ("ip", "10.1.2.3", DOC_V4),
    ("ip", "fe80::1ff:fe23:4567:890a", r"2001:db8:[0-9a-f]{1,4}:[0-9a-f]{1,4}::[0-9a-f]{1,4}"),
    ("ip", "10.1.2.3/24", rf"{DOC_V4}/24"),  # inet keeps its prefix
    ("ip", "10.1.0.0/16", r"(?:192\.0|198\.51|203\.0)\.0\.0/16"),  # cidr: still a network
    ("mac", "08:00:2b:01:02:03", r"[0-9a-f][26ae](?::[0-9a-f]{2}){5}"),  # locally administered
    ("mac", "08-00-2B-01-02-03-04-05", r"[0-9A-F][26AE](?:-[0-9A-F]{2}){7}"),
    ("point", "(1.5,-2.25)", r"\(-?\d+\.\d,-?\d+\.\d\d\)"),
    ("point", "SRID=4326;POINT(-73.5673 45.5017)", r"SRID=4326;POINT\(-?\d+\.\d{4} -?\d+\.\d{4}\)"),
    ("url", "https://shop.corp.com/u/jane", rf"https://{DOMAIN}/[a-z]+/[a-z0-9]{{8}}"),
    ("url", "corp.com/jane", rf"{DOMAIN}/[a-z]+/[a-z0-9]{{8}}"),
    ("ssn", "123-45-6789", r"9\d\d-\d\d-\d{4}"),
    ("ssn", "n/a", r"[a-z]/[a-z]"),  # no digits: scrambled, never copied
    ("iban", "DE89 3704 0044 0532 0130 00", r"DE\d\d(?: \d{4}){4} \d\d"),
    ("iban", "GB82WEST12345698765432", r"GB\d\d[A-Z]{4}\d{14}"),
    (
        "uuid",
        "123e4567-e89b-12d3-a456-426614174000",
        r"[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}",
    ),
    (
        "uuid",
        "{123E4567-E89B-12D3-A456-426614174000}",
        r"\{[0-9A-F]{8}-(?:[0-9A-F]{4}-){3}[0-9A-F]{12}\}",
    ),
    ("uuid", "123e4567e89b12d3a456426614174000", r"[0-9a-f]{32}"),
    ("date", "1984-07-12", r"(?:19[4-9]\d|200\d)-\d\d-\d\d"),
    ("username", "jdoe_77", r"[a-z]+[_.]?[a-z0-9]{6}"),
    ("company", "Acme Corp", r".+"),
    ("street", "12 Main St", r".+"),
    ("city", "Montréal", r".+"),
    ("address", "12 Main St", r"[^,\n]+"),
    ("address", "12 Main St, Springfield", r"[^,\n]+, [^,\n]+"),
    ("address", "12 Main St\nSpringfield", r"[^,\n]+\n[^,\n]+"),
    ("address", "12 Main St, Springfield, IL 62701", r"[^,\n]+, [^,\n]+, [A-Z]{2} \d{5}"),
]


@pytest.mark.parametrize(("kind", "original", "shape"), SHAPES)
def test_fake_shapes(mask_one, kind, original, shape):
    fake = mask_one({"fake": kind}, original)
    assert re.fullmatch(shape, fake), f"fake: {kind} of {original!r} gave {fake!r}"
    assert fake != original


def test_every_kind_is_in_the_table():
    assert {kind for kind, _, _ in SHAPES} == set(FAKES)


@pytest.mark.parametrize(("kind", "original", "_shape"), SHAPES)
def test_fake_is_deterministic_and_keyed(mask, kind, original, _shape):
    rule = {"fake": kind}
    assert mask(rule, [original]) == mask(rule, [original])
    if kind != "ip" or ":" not in original:  # IPv6 output has few enough bits to compare
        assert mask(rule, [original]) != mask(rule, [original], key=OTHER_KEY)


def test_names_come_from_faker_pools(mask_one):
    first, last = _pool("first_names"), _pool("last_names")
    assert mask_one({"fake": "first_name"}, "Jane") in first
    assert mask_one({"fake": "last_name"}, "Doe") in last
    *firsts, surname = mask_one({"fake": "name"}, "Ana Maria Souza").split()
    assert all(f in first for f in firsts)
    assert surname in last


def test_same_person_same_fake_whatever_the_formatting(mask):
    emails = mask({"fake": "email"}, ["jane.doe@corp.com", "Jane.Doe@Corp.com"])
    assert emails[0] == emails[1]
    upper = mask({"fake": "email"}, ["JANE.DOE@CORP.COM"])[0]
    assert upper == emails[0].upper()
    phones = mask({"fake": "phone"}, ["(415) 555-2671", "415.555.2671"])
    assert re.sub(r"\D", "", phones[0]) == re.sub(r"\D", "", phones[1])


def test_credit_cards_are_published_test_numbers(mask_one):
    fake = mask_one({"fake": "credit_card"}, "4111 1111 1111 1111")
    assert fake.replace(" ", "") in TEST_CARDS[16]


def test_iban_check_digits_are_valid(mask_one):
    for original in ("DE89 3704 0044 0532 0130 00", "GB82WEST12345698765432"):
        fake = mask_one({"fake": "iban"}, original).replace(" ", "")
        rearranged = fake[4:] + fake[:4]
        assert int("".join(str(int(ch, 36)) for ch in rearranged)) % 97 == 1


def test_uuid_is_a_valid_uuid(mask_one):
    assert uuid.UUID(mask_one({"fake": "uuid"}, "123e4567-e89b-12d3-a456-426614174000"))


def test_fake_date_on_date_columns_returns_dates(mask_series_with):
    dates = pl.Series("d", [dt.date(1984, 7, 12), None])
    out = mask_series_with({"fake": "date"}, dates, ColumnInfo("d", "date", "DATE"))
    assert out.dtype == pl.Date
    assert out[1] is None
    assert 1940 <= out[0].year <= 2009

    stamps = pl.Series("t", [dt.datetime(1984, 7, 12, 13, 45, 6)])
    out = mask_series_with({"fake": "date"}, stamps, ColumnInfo("t", "datetime", "TIMESTAMP"))
    assert out.dtype == stamps.dtype
    assert out[0].time() == dt.time(13, 45, 6)  # the time of day is kept


def test_unique_capable_kinds():
    for kind in FAKES:
        op = parse_rule({"fake": kind}, WHERE)
        assert op.can_be_unique() == (kind in UNIQUE_KINDS)
        assert op.label() == f"fake: {kind}"


@pytest.mark.parametrize(
    ("kind", "suggestion"), [("emial", "{fake: email}"), ("phnoe", "{fake: phone}")]
)
def test_unknown_kind_suggests_the_nearest(kind, suggestion):
    with pytest.raises(ConfigError, match=r"rules/app\.yaml:40: fake: unknown kind") as info:
        parse_rule({"fake": kind}, WHERE)
    assert f"did you mean {suggestion}?" in str(info.value)


def test_fake_needs_a_kind():
    with pytest.raises(ConfigError, match=r"rules/app\.yaml:40: fake: unknown kind None"):
        parse_rule({"fake": None}, WHERE)


@pytest.mark.parametrize("kind", ["phone", "name", "city", "credit_card"])
def test_unique_on_a_small_kind_is_refused(kind):
    with pytest.raises(ConfigError, match=r"rules/app\.yaml:40: fake: \w+ cannot guarantee"):
        parse_rule({"fake": kind, "unique": True}, WHERE)
