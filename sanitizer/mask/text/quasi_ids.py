"""Replacements for the quasi-identifiers ``detect`` finds in free text (docs/rules.md,
"Quasi-identifiers"): dates, ages, nationalities and groups, and honorifics.

None of them names a person alone, but together with the rest of a text they narrow one down
(a birth year, an age, a nationality, "Dr." beside a name). Each is replaced by a keyed value
of the same shape, so the text still reads as it did:

- a date moves by a keyed number of days (±1 to 365) in its own format, a time of day by
  ±1 to 180 minutes in its own; a date in a format
  that does not parse keeps its words and separators, and its numbers move (a year by 1 to 5
  years, a day or month within its range, zero padding kept); a weekday or a month named
  alone becomes another ('Monday' → 'Thursday');
- an age moves by 1 to 5 years (never below 1);
- a nationality, religion or political group becomes another from a fixed list;
- an honorific becomes another of the same punctuation ("Mr." → "Dr.", "Mrs" → "Ms");
- a job title becomes another, in English ("Нефролог" → "Surveyor").

The same span gets the same replacement everywhere in a run with the same key.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence

from sanitizer.mask.pseudonyms import Draw
from sanitizer.mask.text.calendar_names import other_calendar_name

# Replacement pools: what a finding becomes, not what finds it (spaCy and the recognizers do).
GROUPS = (
    "Austrian", "Belgian", "Brazilian", "Canadian", "Chilean", "Danish", "Dutch", "Estonian",
    "Finnish", "Irish", "Kenyan", "Latvian", "Maltese", "Mexican", "Norwegian", "Peruvian",
    "Portuguese", "Scottish", "Slovenian", "Swiss", "Uruguayan", "Welsh",
)  # fmt: skip
HONORIFICS = ("Mr", "Ms", "Mrs", "Dr", "Mx", "Prof")
JOBS = (
    "Accountant", "Architect", "Baker", "Carpenter", "Chemist", "Dentist", "Electrician",
    "Engineer", "Florist", "Gardener", "Geologist", "Journalist", "Librarian", "Mechanic",
    "Nurse", "Pharmacist", "Photographer", "Pilot", "Plumber", "Surveyor", "Teacher", "Translator",
)  # fmt: skip
DATE_FORMATS = (
    "%Y-%m-%d",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%dT%H:%M:%S.%f",
    "%Y-%m-%d %H:%M",
    "%d/%m/%Y",
    "%m/%d/%Y",
    "%d.%m.%Y",
    "%Y/%m/%d",
    "%B %d, %Y",
    "%b %d, %Y",
    "%d %B %Y",
    "%d %b %Y",
    "%B %Y",
    "%B %d",
    "%b %d",
    "%d %B",
    "%d %b",
)
# a time of day moves by a keyed number of minutes (wrapping at midnight) in its own format
TIME_FORMATS = ("%H:%M:%S", "%H:%M", "%I:%M %p", "%I:%M%p", "%I %p", "%I%p")
MAX_MINUTES = 180
ORDINAL = re.compile(r"(\d+)(st|nd|rd|th)\b")
NUMBER = re.compile(r"\d+")
AGE_NUMBER = re.compile(r"(\d+)(\.\d)?(?!\d)")  # '63', '1.5': an age in years or tenths
MAX_DAYS = 365
MAX_YEARS = 5


def shifted_date(span: str, draw: Draw) -> str:
    """A date moved by a keyed number of days in its own format (a time of day by minutes),
    or its numbers moved."""
    time = _shifted_time(span, draw)
    if time is not None:
        return time
    days = (1 + draw.below(MAX_DAYS)) * (1 if draw.below(2) else -1)
    for fmt in DATE_FORMATS:
        try:
            moment = dt.datetime.strptime(span, fmt)
        except ValueError:
            continue
        try:
            return _padded_as(span, (moment + dt.timedelta(days=days)).strftime(fmt))
        except OverflowError:
            return _padded_as(span, (moment - dt.timedelta(days=days)).strftime(fmt))
    if not any(c.isdigit() for c in span):
        return _other_name(span, draw)
    moved = NUMBER.sub(lambda m: _moved_number(m.group(), draw), span)
    return _with_ordinal_suffixes(moved)


def _padded_as(span: str, text: str) -> str:
    """A number written with one digit in the span stays unpadded ('April 5' → 'May 9', not
    'May 09'; '2021-3-4' → '2021-5-17'); '05' and '2021-03-04' keep their zeros."""
    before, after = NUMBER.findall(span), NUMBER.findall(text)
    if len(before) != len(after):
        return text
    unpadded = iter(
        a[1:] if len(b) == 1 and len(a) == 2 and a[0] == "0" else a
        for b, a in zip(before, after, strict=True)
    )
    return NUMBER.sub(lambda _: next(unpadded), text)


def _shifted_time(span: str, draw: Draw) -> str | None:
    """A time of day moved by 1 to 180 keyed minutes in its own format; None if it is none."""
    for fmt in TIME_FORMATS:
        try:
            moment = dt.datetime.strptime(span, fmt)
        except ValueError:
            continue
        minutes = (1 + draw.below(MAX_MINUTES)) * (1 if draw.below(2) else -1)
        text = (moment + dt.timedelta(minutes=minutes)).strftime(fmt)
        if span[0] != "0" and text[0] == "0" and "%I" in fmt:
            text = text[1:]  # '3:45 PM', not '03:45 PM'
        return text.lower() if any(c in span for c in "ap") else text
    return None


def _with_ordinal_suffixes(text: str) -> str:
    """Each ordinal with the suffix its moved number takes ('21th' → '21st')."""
    return ORDINAL.sub(lambda m: m.group(1) + _ordinal_suffix(int(m.group(1))), text)


def _ordinal_suffix(number: int) -> str:
    if 10 <= number % 100 <= 20:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")


def _other_name(span: str, draw: Draw) -> str:
    """Another weekday for a weekday, another month for a month, of the same language and in
    the span's case (``calendar_names``)."""
    return other_calendar_name(span, draw.below) or span


def _cased(span: str, choice: str) -> str:
    if span.isupper():
        return choice.upper()
    return choice.lower() if span.islower() else choice


def _moved_number(digits: str, draw: Draw) -> str:
    """A year by 1 to 5 years, a day or month within 1–28 / 1–12, anything else by a little;
    the digit count (and so any zero padding) is kept."""
    value = int(digits)
    step = 1 + draw.below(MAX_YEARS if len(digits) == 4 else 3)
    moved = value + step if draw.below(2) else value - step
    if len(digits) <= 2 and 1 <= value <= 31:
        top = 12 if value <= 12 else 28
        top = min(top, 9) if len(digits) == 1 else top  # '5' stays one digit
        moved = 1 + (moved - 1) % top
        if moved == value:
            moved = 1 + moved % top
    moved = max(moved, 0)
    text = str(moved).zfill(len(digits))
    return text if len(text) == len(digits) else str(max(value - step, 0)).zfill(len(digits))


def moved_age(span: str, draw: Draw) -> str:
    """Each number of an age ('63', '63 years old', '63-year-old', '1.5', '30th') moved by 1
    to 5 years; a child's age in tenths keeps a tenth, drawn anew; an ordinal its suffix."""

    def move(match: re.Match[str]) -> str:
        value = int(match.group(1))
        step = 1 + draw.below(MAX_YEARS)
        moved = value + step if draw.below(2) or value - step < 1 else value - step
        return str(moved) + (f".{draw.below(10)}" if match.group(2) else "")

    moved = AGE_NUMBER.sub(move, span)
    return _with_ordinal_suffixes(moved)


def other_group(span: str, draw: Draw) -> str:
    """Another nationality or group, in the span's letter case."""
    pool = [g for g in GROUPS if g.casefold() != span.strip().casefold()]
    return _cased(span, pool[draw.below(len(pool))])


def other_honorific(span: str, draw: Draw) -> str:
    """Another honorific, with the span's trailing period (or none) and letter case."""
    bare = span.rstrip(".")
    pool = [h for h in HONORIFICS if h.casefold() != bare.casefold()]
    choice = pool[draw.below(len(pool))] + span[len(bare) :]
    return choice.upper() if bare.isupper() and len(bare) > 1 else choice


def other_job(span: str, draw: Draw) -> str:
    """Another job title, in the span's letter case."""
    pool = [j for j in JOBS if j.casefold() != span.strip().casefold()]
    return _cased(span, pool[draw.below(len(pool))])


REPLACE: dict[str, Callable[[str, Draw], str]] = {
    "date_text": shifted_date,
    "age": moved_age,
    "group": other_group,
    "honorific": other_honorific,
    "job": other_job,
}


def replacements(kind: str, spans: Sequence[str], digests: Sequence[bytes]) -> list[str]:
    """The replacement of each span of one kind, from its keyed digest."""
    replace = REPLACE[kind]
    return [replace(span, Draw(digest)) for span, digest in zip(spans, digests, strict=True)]
