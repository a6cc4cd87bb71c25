"""Fake value generators, one per ``fake: KIND``, each a pure function of (original, digest).

Values come from Faker's own provider lists (names, streets, companies), chosen by the keyed
digest, so a pseudonym is reproducible with the key and never depends on call order. Every kind
is *undeliverable by construction*: emails on reserved domains, phones in fictional ranges, test
card numbers, documentation IP ranges, reserved URLs.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import re
import uuid
from collections.abc import Callable
from functools import cache
from itertools import chain

import numpy as np
import polars as pl
from faker import Faker

from sanitizer.mask import geometry
from sanitizer.mask.fpe import scramble
from sanitizer.mask.pseudonyms import Draw, digits_of

FakeFn = Callable[[str, Draw, bytes], str]

EMAIL_DOMAINS = ("example.com", "example.org", "example.net")
# Documented test card numbers (card networks' and processors' published test PANs).
TEST_CARDS: dict[int, tuple[str, ...]] = {
    16: (
        "4111111111111111",
        "4242424242424242",
        "5555555555554444",
        "5105105105105100",
        "4012888888881881",
        "6011111111111117",
        "6011000990139424",
        "3530111333300000",
        "3566002020360505",
        "5200828282828210",
        "4000056655665556",
        "2223003122003222",
    ),
    15: ("378282246310005", "371449635398431", "378734493671000"),
    14: ("30569309025904", "38520000023237", "36227206271667"),
    13: ("4222222222222",),
    19: ("6011000000000000004",),
}
_DOC_NETS_V4 = ("192.0.2.", "198.51.100.", "203.0.113.")


@cache
def _faker() -> Faker:
    return Faker("en_US")


@cache
def _pool(provider_attr: str) -> tuple[str, ...]:
    """A provider's static word list, deduplicated and ordered, for reproducible choices."""
    from faker.providers.address.en_US import Provider as Address
    from faker.providers.company.en_US import Provider as Company
    from faker.providers.person.en_US import Provider as Person

    for provider in (Person, Address, Company):
        values = getattr(provider, provider_attr, None)
        if values is not None:
            items = values.keys() if isinstance(values, dict) else values
            return tuple(sorted(set(items)))
    raise KeyError(provider_attr)


def _first(draw: Draw) -> str:
    return draw.pick(_pool("first_names"))


def _last(draw: Draw) -> str:
    return draw.pick(_pool("last_names"))


def fake_first_name(original: str, draw: Draw, key: bytes) -> str:
    """A first name from Faker's en_US list, chosen by the key."""
    return _first(draw)


def fake_last_name(original: str, draw: Draw, key: bytes) -> str:
    """A last name from Faker's en_US list, chosen by the key."""
    return _last(draw)


def fake_name(original: str, draw: Draw, key: bytes) -> str:
    """A full name with as many parts as the original (``Ana Maria Souza`` → three parts)."""
    parts = max(1, min(len(original.split()), 4))
    if parts == 1:
        return _last(draw)
    return " ".join([_first(draw) for _ in range(parts - 1)] + [_last(draw)])


def _local_part(draw: Draw, tag: bool = True) -> str:
    name = f"{_first(draw)}.{_last(draw)}".lower()
    name = re.sub(r"[^a-z.]", "", name)
    return f"{name}.{draw.token(8)}" if tag else name


def fake_email(original: str, draw: Draw, key: bytes) -> str:
    """``first.last.<tag>@example.com`` (.org, .net); a malformed original stays
    malformed-looking (``no-at-sign`` → a bare local part, ``jane@`` → ``x@``).

    The 8-character tag (41 bits) keeps distinct people distinct; ``unique`` columns also
    re-draw on the rare collision.
    """
    local = _local_part(draw)
    if "@" not in original:
        return local
    orig_local, _, orig_domain = original.rpartition("@")
    if not orig_domain:
        return f"{local}@" if orig_local else "@"
    domain = draw.pick(EMAIL_DOMAINS) if "." in orig_domain else "invalid"
    if not orig_local:  # "@corp.com": no local part, so the tag goes below the reserved domain
        return f"@{draw.token(8)}.{domain}"
    return f"{local}@{domain}"


# below this many values a polars pass costs more than drawing each fake (about a
# millisecond against a few microseconds a value: docs/benchmarks.md, objects)
BULK_EMAILS_MIN = 16
B32_LOWER = np.array(list("abcdefghijklmnopqrstuvwxyz234567"), dtype="<U1")


@cache
def _email_names() -> tuple[pl.Series, pl.Series] | None:
    """The first and last names as :func:`_local_part` writes them (lower case, letters and
    dots only); None if a name is not ASCII, where cleaning the parts apart could differ."""
    firsts, lasts = _pool("first_names"), _pool("last_names")
    if not all(name.isascii() for name in (*firsts, *lasts)):
        return None
    clean = [[re.sub(r"[^a-z.]", "", name.lower()) for name in pool] for pool in (firsts, lasts)]
    return pl.Series(clean[0], dtype=pl.String), pl.Series(clean[1], dtype=pl.String)


def bulk_emails(texts: list[str], digests: list[bytes]) -> list[str | None]:
    """:func:`fake_email` of many originals at once, shaped as ``take_shape`` shapes them:
    the usual ``local@domain.tld`` without surrounding whitespace is drawn in numpy and
    polars from the same digest bytes a :class:`Draw` would read (first name 0-4, last name
    4-8, tag 8-13, domain 13-17); None where the one-at-a-time path must decide (another
    layout, or a fake equal to its original, which that path re-draws)."""
    names = _email_names()
    if names is None or len(texts) < BULK_EMAILS_MIN:  # a JSON object's one email: per value
        return [None] * len(texts)
    raw = np.frombuffer(b"".join(digests), dtype=np.uint8).reshape(len(texts), -1)
    firsts, lasts = names

    def below(at: int, n: int) -> np.ndarray:
        return np.ascontiguousarray(raw[:, at : at + 4]).view(">u4")[:, 0].astype(np.int64) % n

    tag = np.zeros(len(texts), dtype=np.int64)
    for byte in range(8, 13):
        tag = (tag << 8) | raw[:, byte]
    chars = np.empty((len(texts), 8), dtype="<U1")
    for i in range(8):
        chars[:, i] = B32_LOWER[(tag >> (35 - 5 * i)) & 31]
    fakes = pl.DataFrame(
        {
            "first": firsts.gather(below(0, len(firsts))),
            "last": lasts.gather(below(4, len(lasts))),
            "tag": chars.view("<U8")[:, 0],
            "domain": pl.Series(EMAIL_DOMAINS).gather(below(13, len(EMAIL_DOMAINS))),
        }
    ).select(pl.concat_str("first", pl.lit("."), "last", pl.lit("."), "tag", pl.lit("@"), "domain"))
    out: list[str | None] = []
    for text, fake in zip(texts, fakes.to_series().to_list(), strict=True):
        at = text.rfind("@")
        usual = at > 0 and "." in text[at + 1 :] and text == text.strip()
        if usual and fake.casefold() != text.casefold():
            out.append(fake.upper() if text.isupper() else fake)
        else:
            out.append(None)
    return out


def fake_username(original: str, draw: Draw, key: bytes) -> str:
    """A first name, an optional ``_`` or ``.``, and a keyed 6-character tag."""
    return f"{_first(draw).lower()}{draw.pick(('_', '.', ''))}{draw.token(6)}"


def fake_phone(original: str, draw: Draw, key: bytes) -> str:
    """Keeps the original's formatting and country code; digits land in fictional ranges.

    North American numbers get 555-01XX (reserved for fiction); UK numbers Ofcom's drama range
    07700 900XXX; elsewhere the subscriber part starts with 555 after the kept country code.
    """
    digits = digits_of(original)
    if not digits:  # "unknown", "ask reception": nothing to keep the shape of, nothing copied
        return scramble(original, key, "phone")
    country = _country_code(original, len(digits))
    national = len(digits) - len(country)
    code = country.removeprefix("00")  # 0044 is +44 dialled the international way
    if code in ("1", "") and national in (10, 7):
        body = str(2 + draw.below(8)) + draw.digits(2) if national == 10 else ""
        body += "55501" + draw.digits(2)
    elif code == "44" or (not country and national == 11 and digits[:2] == "07"):
        body = ("7700900" if country else "07700900") + draw.digits(3)
    else:
        body = "555" + draw.digits(max(0, national - 3))
    return refill(original, country + body[-national:] if national else country)


_DIGIT = re.compile(r"[0-9]")
# a phone as most columns hold it: ASCII digits, ``+ - ( ) .`` and inner spaces, at least one
# digit; in such a text ``\s`` and ``\d`` mean the same to Rust's engine as to Python's
USUAL_PHONE = r"^[0-9+().\-]([0-9+().\- ]*[0-9+().\-])?$"
MAX_BULK_SUBSCRIBER = 15  # digits one 8-byte draw gives (Draw.digits)


def bulk_phones(texts: list[str], digests: list[bytes]) -> list[str | None]:
    """:func:`fake_phone` of many originals at once, as :func:`_generate` and ``take_shape``
    return it, for the usual phone text (:data:`USUAL_PHONE`: no letters to case, no spaces
    around); the country code, national length and range are found by polars, the digits
    drawn by numpy from the same digest bytes a :class:`Draw` reads (below(8): bytes 0-4,
    then 8 bytes per group of digits) and put back in the original's digit places at once.
    None where the one-at-a-time path must decide (another text, a subscriber part longer
    than one draw, or a fake equal to its original, which that path re-draws)."""
    if len(texts) < BULK_EMAILS_MIN:  # a JSON object's one phone: per value
        return [None] * len(texts)
    text = pl.col("text")
    frame = pl.DataFrame({"text": pl.Series(texts, dtype=pl.String)}).select(
        usual=text.str.contains(USUAL_PHONE) & text.str.contains("[0-9]"),
        digits=text.str.replace_all("[^0-9]", ""),
        zero=text.str.starts_with("00"),
        intl=text.str.starts_with("+") | text.str.starts_with("00"),
        group=text.str.extract(r"^\+?\s*(?:00)?(\d+)", 1),
        one=text.str.starts_with("1"),
    )
    digits = pl.col("digits")
    after = pl.when(pl.col("zero")).then(digits.str.slice(2)).otherwise(digits)
    first = pl.col("group").fill_null(after)
    country = (
        pl.when(~pl.col("intl"))
        .then(pl.when((digits.str.len_bytes() == 11) & pl.col("one")).then(pl.lit("1")))
        .when(first.str.len_bytes().is_between(1, 3))
        .then(pl.when(pl.col("zero")).then(pl.lit("00") + first).otherwise(first))
        .when(after.str.starts_with("1"))
        .then(pl.lit("1"))
        .otherwise(after.str.slice(0, 2))
        .fill_null("")
    )
    frame = frame.with_columns(country=country).with_columns(
        national=digits.str.len_bytes().cast(pl.Int64) - pl.col("country").str.len_bytes()
    )
    code = pl.col("country").str.strip_prefix("00")
    national = pl.col("national")
    nanp = code.is_in(["1", ""]) & national.is_in([10, 7])
    uk = (code == "44") | ((pl.col("country") == "") & (national == 11))
    uk = uk & ((code == "44") | (digits.str.slice(0, 2) == "07"))
    frame = frame.with_columns(
        case=pl.when(nanp).then(0).when(uk).then(1).otherwise(2),
        bad=~pl.col("usual") | (~nanp & ~uk & (national - 3 > MAX_BULK_SUBSCRIBER)),
    )
    raw = np.frombuffer(b"".join(digests), dtype=np.uint8).reshape(len(texts), -1)

    def number(at: int, size: int) -> np.ndarray:
        return np.ascontiguousarray(raw[:, at : at + size]).view(f">u{size}")[:, 0]

    first8 = number(0, 8).astype(np.uint64)
    nationals = frame.get_column("national").to_numpy()
    countries = frame.get_column("country").to_list()
    bad = frame.get_column("bad").to_numpy()
    width = np.clip(nationals - 3, 0, MAX_BULK_SUBSCRIBER).astype(np.uint64)
    draws = pl.DataFrame(
        {
            "area": 2 + number(0, 4).astype(np.int64) % 8,
            "mid": number(4, 8).astype(np.uint64) % 100,
            "end": number(12, 8).astype(np.uint64) % 100,
            "first": first8,
            "subscriber": first8 % np.power(np.uint64(10), width),
            "width": width,
        }
    )
    rows = pl.concat([frame.select("case", "national", "bad", "country"), draws], how="horizontal")
    bodies = rows.select(_phone_body()).to_series().to_list()
    news = [
        country + body[-size:] if size else country
        for country, body, size in zip(countries, bodies, nationals.tolist(), strict=True)
    ]
    fakes = _refill_ascii(texts, news, ~bad)
    return [
        fake if ok and fake != text else None
        for text, fake, ok in zip(texts, fakes, (~bad).tolist(), strict=True)
    ]


def _phone_body() -> pl.Expr:
    """:func:`fake_phone`'s digits after the country code, by case (0 NANP, 1 UK, 2 other),
    from the digest's draws as :func:`bulk_phones` reads them ("" where the row is bad)."""
    case, size = pl.col("case"), pl.col("national")

    def padded(expr: pl.Expr, width: int | pl.Expr) -> pl.Expr:
        return expr.cast(pl.String).str.zfill(width)  # f"{n:0{width}d}" of n >= 0

    uk = pl.when(pl.col("country") != "").then(pl.lit("7700900")).otherwise(pl.lit("07700900"))
    return (
        pl.when(pl.col("bad"))
        .then(pl.lit(""))
        .when((case == 0) & (size == 10))
        .then(
            pl.concat_str(
                padded(pl.col("area"), 1),
                padded(pl.col("mid"), 2),
                pl.lit("55501"),
                padded(pl.col("end"), 2),
            )
        )
        .when(case == 0)
        .then(pl.concat_str(pl.lit("55501"), padded(pl.col("first") % 100, 2)))
        .when(case == 1)
        .then(pl.concat_str(uk, padded(pl.col("first") % 1000, 3)))
        .when(pl.col("width") == 0)
        .then(pl.lit("555"))
        .otherwise(pl.concat_str(pl.lit("555"), padded(pl.col("subscriber"), pl.col("width"))))
        .alias("body")
    )


def _refill_ascii(texts: list[str], digits: list[str], rows: np.ndarray) -> list[str]:
    """:func:`refill` of the ``rows`` texts (ASCII, no NUL), in numpy: each text's digit
    places get the next of its ``digits`` ("0" once they run out); other rows come back as
    they were."""
    out = list(texts)
    at = np.flatnonzero(rows)
    if not len(at):
        return out
    chosen = [texts[i] for i in at.tolist()]
    width = max(map(len, chosen))
    codes = np.array(chosen, dtype=f"<U{width}").view(np.uint32).reshape(len(at), width).copy()
    fresh = [digits[i] for i in at.tolist()]
    span = max(width, *map(len, fresh))
    new = np.array(fresh, dtype=f"<U{span}").view(np.uint32).reshape(len(at), span).copy()
    new[new == 0] = ord("0")  # past a text's new digits: "0"
    places = (codes >= ord("0")) & (codes <= ord("9"))
    order = np.cumsum(places, axis=1) - 1
    rows_of = np.broadcast_to(np.arange(len(at))[:, None], codes.shape)
    codes[places] = new[rows_of[places], order[places]]
    for n, text in zip(at.tolist(), codes.view(f"<U{width}")[:, 0].tolist(), strict=True):
        out[n] = text
    return out


def refill(original: str, digits: str) -> str:
    """``original`` with its digits replaced by ``digits`` in order ("0" once they run out);
    ASCII text is cut at its digits and zipped together again in C."""
    if not original.isascii():
        new_digits = iter(digits)
        return "".join(next(new_digits, "0") if ch.isdigit() else ch for ch in original)
    pieces = _DIGIT.split(original)
    count = len(pieces) - 1
    padded = (digits + "0" * count)[:count]
    return "".join(chain.from_iterable(zip(pieces, padded, strict=False))) + pieces[-1]


def _country_code(original: str, count: int) -> str:
    stripped = original.strip()
    if not stripped.startswith(("+", "00")):
        return "1" if count == 11 and stripped.startswith("1") else ""
    digits = digits_of(stripped)
    if stripped.startswith("00"):
        digits = digits[2:]
    group = re.match(r"\+?\s*(?:00)?(\d+)", stripped)
    first_group = group.group(1) if group else digits
    for size in (1, 2, 3):  # the leading digit group, when it is a plausible country code
        if len(first_group) == size:
            return ("00" if stripped.startswith("00") else "") + first_group
    if digits.startswith("1"):
        return "1"
    return digits[:2]


def fake_credit_card(original: str, draw: Draw, key: bytes) -> str:
    """A published test card number of the same length, in the original's format."""
    digits = [ch for ch in original if ch.isdigit()]
    choices = TEST_CARDS.get(len(digits))
    if choices is None:  # malformed length: scrambled, and Luhn-invalid so never a real card
        scrambled = scramble(original, key, "credit_card")
        digits = [ch for ch in scrambled if ch.isdigit()]
        if not digits or not _luhn_valid(digits):
            return scrambled
        last = max(i for i, ch in enumerate(scrambled) if ch.isdigit())
        bumped = str((int(scrambled[last]) + 1) % 10)  # a changed check digit fails Luhn
        return scrambled[:last] + bumped + scrambled[last + 1 :]
    number = iter(draw.pick(choices))
    return "".join(next(number) if ch.isdigit() else ch for ch in original)


def _luhn_valid(digits: list[str]) -> bool:
    total = 0
    for index, ch in enumerate(reversed(digits)):
        doubled = int(ch) * (2 if index % 2 else 1)
        total += doubled - 9 if doubled > 9 else doubled
    return total % 10 == 0


def fake_ssn(original: str, draw: Draw, key: bytes) -> str:
    """A number in the 9XX area, which the SSA never issues as a Social Security number."""
    digits = [ch for ch in original if ch.isdigit()]
    if not digits:  # "n/a", "refused": nothing copied
        return scramble(original, key, "ssn")
    new = iter("9" + draw.digits(len(digits) - 1))
    return "".join(next(new) if ch.isdigit() else ch for ch in original)


def fake_iban(original: str, draw: Draw, key: bytes) -> str:
    """Same country and length, valid check digits, bank and account digits from the key."""
    compact = re.sub(r"\s", "", original).upper()
    country = compact[:2] if re.fullmatch("[A-Z]{2}", compact[:2]) else "GB"
    length = max(len(compact), 15)
    rest = compact[4:]
    if any(ch.isdigit() or ch.isalpha() for ch in rest):
        body = scramble(rest, key, "iban")
    else:  # nothing to scramble ("n/a", "GB-"): fresh digits, so unique columns can re-draw
        body = draw.digits(length - 4)
    check = 98 - int(_iban_digits(body + country + "00")) % 97
    iban = f"{country}{check:02d}{body}"
    if " " in original.strip():
        iban = " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))
    return iban


def _iban_digits(text: str) -> str:
    """Letters as 10-35, as the mod-97 check reads them; separators (``-``, ``/``) skipped."""
    return "".join(str(int(ch, 36)) for ch in text if ch.isascii() and ch.isalnum())


def fake_uuid(original: str, draw: Draw, key: bytes) -> str:
    """A version-4 UUID from the key, in the original's layout (dashes, braces, case)."""
    value = uuid.UUID(bytes=bytes(draw.below(256) for _ in range(16)), version=4)
    text = str(value) if "-" in original or not original else value.hex
    if original.startswith("{"):
        text = "{" + text + "}"
    return text.upper() if original.isupper() else text


def fake_ip(original: str, draw: Draw, key: bytes) -> str:
    """Addresses from the documentation ranges (RFC 5737, RFC 3849); a ``/prefix`` (inet,
    cidr) is kept, with the host bits cleared when the original's were (a network stays one).
    """
    address, slash, prefix = original.strip().partition("/")
    if ":" in address:
        fake = f"2001:db8:{draw.below(65536):x}:{draw.below(65536):x}::{draw.below(65536):x}"
    else:
        fake = f"{draw.pick(_DOC_NETS_V4)}{1 + draw.below(254)}"
    if not slash or not prefix.isdigit():
        return fake
    try:
        if (
            ipaddress.ip_interface(original.strip()).ip
            == ipaddress.ip_network(original.strip(), strict=False).network_address
        ):
            fake = str(ipaddress.ip_network(f"{fake}/{prefix}", strict=False).network_address)
    except ValueError:  # not an address after all: the documentation address alone
        return fake
    return f"{fake}/{prefix}"


def fake_mac(original: str, draw: Draw, key: bytes) -> str:
    """A locally administered unicast MAC address (never a vendor's), of the original's
    length (6 or 8 bytes) and layout: separators, grouping and letter case are kept.
    """
    hexdigits = [ch for ch in original if ch in "0123456789abcdefABCDEF"]
    if not hexdigits:
        return scramble(original, key, "mac")
    octets = [draw.below(256) for _ in range((len(hexdigits) + 1) // 2)]
    octets[0] = (octets[0] & 0xFC) | 0x02  # locally administered, unicast
    new = iter("".join(f"{o:02x}" for o in octets))
    upper = any(ch.isupper() for ch in hexdigits)
    out = []
    for ch in original:
        if ch in "0123456789abcdefABCDEF":
            digit = next(new, "0")
            out.append(digit.upper() if upper else digit)
        else:
            out.append(ch)
    return "".join(out)


def fake_point(original: str, draw: Draw, key: bytes) -> str:
    """A keyed point in the original's format and SRID: PostgreSQL ``(x,y)``, WKT
    ``POINT(x y)``, EWKT ``SRID=4326;POINT(x y)``, hex (E)WKB as PostGIS prints it, and (in
    a binary or geometry column) MySQL/MariaDB's internal bytes (SRID + WKB) or plain WKB.
    Geographic SRIDs (4326…) get a valid longitude/latitude; other systems keep each
    coordinate's sign and size. Z/M values are kept. The same point gives the same fake in
    every format. Other geometries (lines, polygons) are an error: use ``null`` for them.
    """
    point = geometry.parse(original)
    fake = point.moved(*geometry.fake_coordinates(point, draw.unit(), draw.unit()))
    return fake if isinstance(fake, str) else fake.hex()


def fake_url(original: str, draw: Draw, key: bytes) -> str:
    """``scheme://example.com/...`` (or .org, .net: reserved domains), the original's scheme."""
    scheme = original.split("://", 1)[0] if "://" in original else ""
    path = f"/{_last(draw).lower()}/{draw.token(8)}"
    host = draw.pick(EMAIL_DOMAINS)
    return f"{scheme}://{host}{path}" if scheme else f"{host}{path}"


def _seeded(draw: Draw) -> Faker:
    faker = _faker()
    faker.seed_instance(draw.below(2**31))
    return faker


def fake_street(original: str, draw: Draw, key: bytes) -> str:
    """A street address from Faker's en_US lists, chosen by the key."""
    return _seeded(draw).street_address()


def fake_city(original: str, draw: Draw, key: bytes) -> str:
    """A city from Faker's en_US lists, chosen by the key."""
    return _seeded(draw).city()


def fake_postcode(original: str, draw: Draw, key: bytes) -> str:
    """Keeps the original's format exactly (``H2G 1A7`` → ``W9I 4O0``, ``10115`` → 5 digits)."""
    return scramble(original, key, "postcode")


def fake_address(original: str, draw: Draw, key: bytes) -> str:
    """A street, then city and ``ST zip`` as the original had parts, on the same separators.

    ``Av. Brigadeiro Faria Lima, 2170`` (two parts) → a street and a city; a one-line
    street → a street; a three-line postal address → three lines.
    """
    faker = _seeded(draw)
    parts = [faker.street_address(), faker.city(), f"{faker.state_abbr()} {faker.zipcode()}"]
    separator = "\n" if "\n" in original else ", "
    count = len([p for p in re.split(r"\n|,", original) if p.strip()]) or 1
    return separator.join(parts[: min(count, 3)])


def fake_company(original: str, draw: Draw, key: bytes) -> str:
    """A company name from Faker's en_US lists, chosen by the key."""
    return _seeded(draw).company()


def fake_date(original: str, draw: Draw, key: bytes) -> str:
    """A date between 1940 and 2009 (ISO text; date columns get a real date back)."""
    day = dt.date(1940, 1, 1) + dt.timedelta(days=draw.below(70 * 365))
    return day.isoformat()


FAKES: dict[str, FakeFn] = {
    "name": fake_name,
    "first_name": fake_first_name,
    "last_name": fake_last_name,
    "email": fake_email,
    "phone": fake_phone,
    "address": fake_address,
    "street": fake_street,
    "city": fake_city,
    "postcode": fake_postcode,
    "company": fake_company,
    "username": fake_username,
    "url": fake_url,
    "ip": fake_ip,
    "mac": fake_mac,
    "point": fake_point,
    "iban": fake_iban,
    "credit_card": fake_credit_card,
    "ssn": fake_ssn,
    "uuid": fake_uuid,
    "date": fake_date,
}

# Kinds whose output space is large enough that a re-draw always finds a free value.
UNIQUE_KINDS = frozenset({"email", "username", "url", "uuid", "iban", "postcode", "mac", "point"})


@cache
def _pool_words() -> tuple[frozenset[str], tuple[str, ...]]:
    """The words fakes are made of (names, city prefixes) and the city suffixes."""
    from faker.providers.address.en_US import Provider as Address

    names = {w.casefold() for w in (*_pool("first_names"), *_pool("last_names"))}
    names |= {p.casefold() for p in Address.city_prefixes}
    return frozenset(names), tuple(sorted(set(Address.city_suffixes), key=len, reverse=True))


def fake_words(tokens: pl.Series) -> np.ndarray:
    """Per word (ASCII, case-folded, as :func:`could_be_fake` gets them): whether that check
    passes the word — a pool word, or letters only and a pool word with a city suffix. The
    leak index asks it of many values' words at once (verify/leaks.py, ``add_many``)."""
    pool, suffixes = _pool_series(), _pool_words()[1]
    ok = tokens.is_in(pool.implode()).to_numpy().copy()
    letters = tokens.str.contains(r"^[A-Za-z]+$").to_numpy()  # str.isalpha, on ASCII words
    for suffix in suffixes:
        at = np.flatnonzero(~ok & letters & tokens.str.ends_with(suffix).to_numpy())
        if len(at):
            stems = tokens.gather(at).str.head(-len(suffix))  # token[: -len(suffix)]
            ok[at[stems.is_in(pool.implode()).to_numpy()]] = True
    return ok


@cache
def _pool_series() -> pl.Series:
    return pl.Series(sorted(_pool_words()[0]), dtype=pl.String)


def doc_net_start(first: pl.Series, second: pl.Series) -> np.ndarray:
    """Per value (its first two words; a missing second is null): whether
    :func:`could_be_fake` takes it for an address of a documentation network."""
    starts = first.str.starts_with(_DOC_NETS_V4[0])
    for prefix in _DOC_NETS_V4[1:]:
        starts = starts | first.str.starts_with(prefix)
    v6 = (first == "2001") & (second == "db8")
    return (starts | v6.fill_null(False)).to_numpy()


def could_be_fake(tokens: list[str]) -> bool:
    """Whether every word is one a name or city fake is made of ("kimmouth" = kim + mouth),
    or the value is an address from the few documentation networks fake IPs come from.

    The leak check skips such values: finding one in staging proves nothing.
    """
    if not tokens:
        return False
    if tokens[0].startswith(_DOC_NETS_V4) or tokens[:2] == ["2001", "db8"]:
        return True
    pool, suffixes = _pool_words()
    for token in tokens:
        if token in pool:
            continue
        if not token.isalpha():  # an email, a number: no fake name or city is made of it
            return False
        if not any(token.endswith(s) and token[: -len(s)] in pool for s in suffixes):
            return False
    return True
