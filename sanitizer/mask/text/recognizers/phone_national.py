"""Phone numbers written the way a country writes them at home, without a country code.

``444 14 907``, ``0680 390 92 93``, ``25 403392``, ``67 501 36 56``, ``060-7528601``: Presidio's
phone recognizer parses for eight regions only, and the layout patterns of
:mod:`phone_messy` need a '+', a trunk '0' or the North-American grouping, so such numbers
leaked even right after 'Phone:'.

How it stays cheap: one regular-expression pass finds maximal runs of digit groups (one space,
dash, dot, slash or no-break space between groups, an optional '(area)' or '+CC' first); a run
never crosses a line break or a literal ``\\n``/``\\t``/``\\r`` (:mod:`escapes`). Runs with fewer
than six digits — nearly every number in ordinary text — are dropped before anything else; the
shape of the rest is judged once per distinct run (cached), then a few characters of context.

A run is a phone when nothing else claims it and
- a phone word or label stands right before or after it ('Phone:', 'Tel.:', 'Telefon',
  'тел', 'Office:', '… -Fax', '… mobile'; see :mod:`phone_cued`); or
- libphonenumber, over all its regions, says some country assigns these digits and writes them
  in exactly these groups (:mod:`phone_layouts`: '25 403392', '060-7528601', '9397 8822'); or
- its layout is one only phone numbers take: three or more groups of two to four digits (five
  for a first group) that are not thousands ('67 501 36 56', '444 14 907', '0680 390 92 93'),
  or a trunk-'0' area code and a subscriber number ('0343 9833438').

What claims a run first, cue or not:
- a date ('12 05 2024', '2024-01-15', '05.12.2024'), a time ('14:32'), a year range or a
  year-led id ('2019 2020', '2024-000123');
- an amount: a currency before or after, decimals after ('1 234,56'), '%' after;
- an id: glued to letters by '-', '_', '/' or '#' ('INV-2024-000123'; '-Office' is a label, not
  an id), or after an id word ('order 12 345 678');
- an IP address ('192.168.100.200'); a card number, IBAN or long id (more than 15 digits, or
  three or more groups of four: '7781-2234-9910'); a US SSN shape ('123-45-6789').
Without a cue, also: thousands ('12 345 678 rows', '10 000 000') — a space-grouped run with
three-digit groups is a phone only when libphonenumber agrees, it does not end in '000' and no
word follows it; two groups and six digits likewise ('1234 5678 last', '33 64 74' yes); lists
counting in steps ('sizes 36 38 40'); single runs ('4829104'); and postcode shapes
('12345-6789', '5000-047', '100-0001', '12345-678').
"""

from __future__ import annotations

from functools import lru_cache
from itertools import pairwise

import regex as re
from presidio_analyzer import EntityRecognizer, RecognizerResult

from sanitizer.mask.text.recognizers.escapes import blank_escapes
from sanitizer.mask.text.recognizers.filters import names_a_record_or_amount
from sanitizer.mask.text.recognizers.phone_cued import cue_after, cue_before
from sanitizer.mask.text.recognizers.phone_layouts import (
    possible_international,
    written_like_a_phone,
)

SEP = r"[ .\-/\u00a0]"
CANDIDATE = re.compile(
    r"(?<![\w+])(?<!\d[.,:])(?<!\w[\-_/#])(?<!\d[ .\-/\u00a0])"
    rf"(?:\(\+?\d{{1,5}}\)[ \u00a0]?|\+\d{{1,3}}[ \u00a0]?)?\d++(?:{SEP}\d++)*+"
    r"(?![\w])"
)
DIGITS = re.compile(r"\d+")
MIN_DIGITS, MAX_DIGITS = 6, 15  # E.164's limit; fewer than six is no number anywhere
CUED_SCORE, LAYOUT_SCORE = 0.6, 0.5

# What a run's shape alone says (cached per run): never a phone; a phone only with a cue; a
# phone; one if libphonenumber agrees; one if it agrees and no word follows (thousands)
NEVER, CUE_NEEDED, PHONE, IF_WRITTEN_SO, IF_WRITTEN_SO_AND_NO_WORD = range(5)

_YEAR = re.compile(r"(?:19|20)\d\d")
_AFTER_NUMBER = re.compile(r"^(?:[.,]\d|:\d)")  # decimals, or a time '14:55'
_WORD_AFTER = re.compile(r"^[ \u00a0]?\p{Ll}")  # '12 345 678 rows', '1234 5678 last'
_POSTCODES = {(5, 4), (4, 3), (3, 4), (5, 3)}  # US ZIP+4, PT, JP, BR with a dash


def _separators(run: str) -> set[str]:
    return {c for c in run if not c.isdigit() and c not in "()+"}


def _date(groups: tuple[str, ...]) -> bool:
    """Day, month, year in either order ('12 05 2024', '2024-01-15', '05.12.24'); in a longer
    run, a date with a four-digit year at either end ('12 05 2024 09 15', a date and a time)."""
    if len(groups) > 3:
        return any(
            _date(three) and 4 in (len(three[0]), len(three[2]))
            for three in (groups[:3], groups[-3:])
        )
    if len(groups) != 3:
        return False
    a, b, c = groups
    day_month = (len(a) <= 2 and len(b) <= 2 and len(c) in (2, 4)) and (
        (1 <= int(a) <= 31 and 1 <= int(b) <= 12) or (1 <= int(a) <= 12 and 1 <= int(b) <= 31)
    )
    iso = len(a) == 4 and len(b) <= 2 and len(c) <= 2 and 1 <= int(b) <= 12
    return day_month or iso


def _thousands(groups: tuple[str, ...]) -> bool:
    return len(groups) >= 2 and len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])


def _phone_only_layout(groups: tuple[str, ...]) -> bool:
    """Three or more groups of 2-4 digits (2-5 first) that are no thousands grouping."""
    if len(groups) < 3 or _thousands(groups):
        return False
    return 2 <= len(groups[0]) <= 5 and all(2 <= len(g) <= 4 for g in groups[1:])


def _counting(groups: tuple[str, ...]) -> bool:
    """A list of numbers counting in steps ('36 38 40 42', 'rooms 101 102 103', '30 20 10')."""
    if len(groups) < 3 or len({len(g) for g in groups}) != 1:
        return False
    steps = {int(b) - int(a) for a, b in pairwise(groups)}
    return len(steps) == 1 and steps.pop() != 0


def _trunk_and_subscriber(groups: tuple[str, ...], digits: str) -> bool:
    """'0343 9833438', '060-7528601': a trunk-0 area code, then the subscriber number."""
    return (
        len(groups) == 2
        and groups[0].startswith("0")
        and 2 <= len(groups[0]) <= 5
        and 5 <= len(groups[1]) <= 8
        and 8 <= len(digits) <= 12
    )


def _never(groups: tuple[str, ...], seps: set[str]) -> bool:
    """Shapes other numbers own, cue or not: dates, year-led ids, card and serial groups, US
    social security numbers, IP addresses, decimals."""
    lengths = tuple(len(g) for g in groups)
    return (
        _date(groups)
        or groups[0].startswith("000")
        or (_YEAR.fullmatch(groups[0]) is not None and (len(groups) == 2 or bool(seps - {" "})))
        or (len(groups) >= 3 and all(n == 4 for n in lengths))  # '7781-2234-9910', cards
        or (seps == {"-"} and lengths == (3, 2, 4))  # '123-45-6789'
        or (seps == {"."} and len(groups) == 4 and all(n <= 3 for n in lengths))  # an IP
        or ("." in seps and (len(seps) > 1 or len(groups) == 2))  # '52.5200 13.4050'
    )


@lru_cache(maxsize=8192)
def shape(run: str) -> int:
    """What the digits and groups of ``run`` say without context (see the verdicts above)."""
    groups = tuple(DIGITS.findall(run))
    digits = "".join(groups)
    if not MIN_DIGITS <= len(digits) <= MAX_DIGITS or len(set(digits)) == 1:
        return NEVER
    if run.startswith(("+", "(+")):
        return PHONE if len(digits) >= 8 and possible_international(digits) else NEVER
    seps = _separators(run)
    if _never(groups, seps):
        return NEVER
    lengths = tuple(len(g) for g in groups)
    if run.startswith("("):
        return PHONE if len(digits) >= 7 else CUE_NEEDED  # '(49) 384-507'
    if len(groups) == 1:
        return CUE_NEEDED if len(digits) > MIN_DIGITS else NEVER  # '123456' is anything
    if _counting(groups) or 1 in lengths[1:]:
        return CUE_NEEDED  # '36 38 40' counts; '978-3-16-148410-0' is an ISBN
    if len(digits) == MIN_DIGITS:  # small territories' numbers: '33 64 74' (Greenland)
        return IF_WRITTEN_SO_AND_NO_WORD if lengths == (2, 2, 2) else CUE_NEEDED
    if seps == {"-"} and lengths in _POSTCODES:
        return CUE_NEEDED
    if _trunk_and_subscriber(groups, digits):
        return PHONE
    if len(groups) == 2:
        return IF_WRITTEN_SO_AND_NO_WORD  # '9397 8822' yes, '1234 5678 last' no
    if _thousands(groups) and seps <= {" ", ".", "\u00a0"}:
        if seps == {" "} and len(groups[0]) >= 2 and groups[-1] != "000":
            return IF_WRITTEN_SO_AND_NO_WORD  # '722 778 902' yes, '12 345 678 rows' no
        return CUE_NEEDED  # '1 200 000', '10 000 000', '1.234.567'
    if _phone_only_layout(groups):
        return PHONE
    return IF_WRITTEN_SO


def claimed(text: str, start: int, end: int) -> bool:
    """Something other than a phone owns the run at ``start:end``: an id, an amount, a time."""
    return bool(
        names_a_record_or_amount(text, start, end) or _AFTER_NUMBER.match(text[end : end + 2])
    )


class NationalPhoneRecognizer(EntityRecognizer):
    """PHONE_NUMBER for digit-group runs in any country's national layout (see module doc)."""

    def __init__(self, supported_language: str = "en"):
        super().__init__(
            supported_entities=["PHONE_NUMBER"],
            name="NationalPhoneRecognizer",
            supported_language=supported_language,
        )

    def load(self) -> None:
        pass

    def analyze(self, text: str, entities: list[str], nlp_artifacts=None) -> list:
        text = blank_escapes(text)
        metadata = {
            RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
            RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
        }
        results = []
        for match in CANDIDATE.finditer(text):
            score = self._score(text, match.start(), match.end(), match.group())
            if score:
                results.append(
                    RecognizerResult(
                        "PHONE_NUMBER",
                        match.start(),
                        match.end(),
                        score,
                        recognition_metadata=metadata,
                    )
                )
        return results

    @staticmethod
    def _score(text: str, start: int, end: int, run: str) -> float | None:
        if sum(c.isdigit() for c in run) < MIN_DIGITS:
            return None  # most numbers in text: decided before anything is looked up
        verdict = shape(run)
        if verdict == NEVER or claimed(text, start, end):
            return None
        if cue_before(text, start) or cue_after(text, end):
            return CUED_SCORE
        if verdict == PHONE:
            return LAYOUT_SCORE
        if verdict == IF_WRITTEN_SO_AND_NO_WORD and _WORD_AFTER.match(text[end : end + 2]):
            return None
        if verdict in (IF_WRITTEN_SO, IF_WRITTEN_SO_AND_NO_WORD):
            return LAYOUT_SCORE if written_like_a_phone(tuple(DIGITS.findall(run))) else None
        return None
