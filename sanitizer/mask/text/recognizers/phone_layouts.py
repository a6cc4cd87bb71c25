"""How every country writes its phone numbers, read from libphonenumber's metadata.

A digit-group run like ``444 14 907`` or ``0680 390 92 93`` is a phone number when some
country both assigns those digits (its national number pattern and lengths) and writes them in
exactly those groups (its national formatting rules, trunk prefix included). Ordinary numbers
rarely pass both: ``12 345 678`` is valid in some regions but no region groups it 2-3-3, and
``2024 000123`` is written by nobody.

Parsing a candidate with ``phonenumbers.parse`` for each of the 245 regions costs tens of
milliseconds; here the metadata is indexed once by national number length, so a candidate is
checked only against the regions whose numbers can have its length (a few regular expressions
each), and the answer is cached per digit string. Everything comes from the installed
``phonenumbers`` package: nothing is fetched at run time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

import phonenumbers
from phonenumbers import PhoneMetadata

DIGITS = re.compile(r"\d+")
FIRST_GROUP = re.compile(r"(\\\d)")  # the first "\1" of a format, where a trunk prefix goes


@dataclass(frozen=True)
class _Format:
    leading: re.Pattern | None  # the most detailed leading-digits pattern, if any
    pattern: re.Pattern
    plain: str  # the national format without a trunk prefix ("\1 \2 \3")
    with_prefix: str  # the same with the region's trunk prefix rule applied ("0\1 \2 \3")


@dataclass(frozen=True)
class _Region:
    code: str
    prefix: str  # the national (trunk) prefix, '' when the region has none
    valid: re.Pattern  # every number the region assigns (its general description)
    formats: tuple  # libphonenumber's NumberFormat objects, compiled when first needed


def _format(number_format) -> _Format:
    """A region's format, compiled once (most regions' formats are never needed)."""
    key = (
        number_format.pattern,
        number_format.format,
        tuple(number_format.leading_digits_pattern),
        number_format.national_prefix_formatting_rule,
    )
    return _compiled(*key)


@cache
def _compiled(pattern: str, plain: str, leading: tuple[str, ...], rule: str | None) -> _Format:
    return _Format(
        leading=re.compile(leading[-1]) if leading else None,
        pattern=re.compile(pattern),
        plain=plain,
        with_prefix=FIRST_GROUP.sub(lambda _: rule, plain, count=1) if rule else plain,
    )


@cache
def _trunk_prefixes() -> frozenset[str]:
    """The national (trunk) prefixes in use: '0', '1', '8', '06'."""
    return frozenset(r.prefix for regions in _by_length().values() for r in regions if r.prefix)


@cache
def _by_length() -> dict[int, tuple[_Region, ...]]:
    """Every supported region, under each national number length it can have."""
    index: dict[int, list[_Region]] = {}
    for code in sorted(phonenumbers.SUPPORTED_REGIONS):
        meta = PhoneMetadata.metadata_for_region(code)
        if meta is None or not meta.general_desc.national_number_pattern:
            continue
        formats = meta.number_format
        if not formats:  # regions sharing a calling code borrow its main region's formats
            main = phonenumbers.region_code_for_country_code(meta.country_code)
            formats = PhoneMetadata.metadata_for_region(main).number_format if main else ()
        region = _Region(
            code=code,
            prefix=meta.national_prefix or "",
            valid=re.compile(meta.general_desc.national_number_pattern),
            formats=tuple(formats),
        )
        for length in meta.general_desc.possible_length or ():
            index.setdefault(length, []).append(region)
    return {length: tuple(regions) for length, regions in index.items()}


def _grouping(region: _Region, national: str, with_prefix: bool) -> tuple[int, ...] | None:
    """The digit groups ``region`` writes ``national`` in (libphonenumber picks the first
    format whose leading digits and pattern fit), or None when it has no such format."""
    for number_format in region.formats:
        fmt = _format(number_format)
        if fmt.leading is not None and not fmt.leading.match(national):
            continue
        match = fmt.pattern.fullmatch(national)
        if match:
            written = match.expand(fmt.with_prefix if with_prefix else fmt.plain)
            return tuple(len(group) for group in DIGITS.findall(written))
    return None


def _readings(digits: str) -> list[tuple[str, str]]:
    """(national number, trunk prefix) pairs ``digits`` can be read as: as written, or after a
    trunk prefix ('0680…' is '680…' behind Austria's '0')."""
    readings = [(digits, "")]
    readings += [(digits[len(t) :], t) for t in _trunk_prefixes() if digits.startswith(t)]
    return readings


def _regions_writing(digits: str):
    """(region, grouping) for each region that assigns ``digits`` as dialled inside it."""
    for national, trunk in _readings(digits):
        for region in _by_length().get(len(national), ()):
            if trunk and region.prefix != trunk:
                continue
            if region.valid.fullmatch(national):
                grouping = _grouping(region, national, bool(trunk))
                if grouping:
                    yield region, grouping


def national_groupings(digits: str) -> frozenset[tuple[int, ...]]:
    """The groupings in which some region writes ``digits`` (as dialled inside the country,
    trunk prefix and all) as a number it assigns: ``'67501365'`` → ``{(2, 3, 2, 2), …}``."""
    return frozenset(grouping for _, grouping in _regions_writing(digits))


@lru_cache(maxsize=8192)
def written_like_a_phone(groups: tuple[str, ...]) -> bool:
    """``groups`` (the digit groups as written) are a number some region assigns, written
    in the groups that region uses. Cached per run; stops at the first region that agrees."""
    lengths = tuple(len(group) for group in groups)
    return any(grouping == lengths for _, grouping in _regions_writing("".join(groups)))


@lru_cache(maxsize=4096)
def possible_international(digits: str) -> bool:
    """A known country calling code and a length that country's numbers can have."""
    try:
        return phonenumbers.is_possible_number(phonenumbers.parse("+" + digits))
    except phonenumbers.NumberParseException:
        return False
