"""Codes standing alone in prose: postcodes keep their shape, long numbers are scrambled.

Counts in prose are small or written with a thousands separator (``12,345 users``), so a bare
code is rarely a quantity. Alone — with no ``ZIP:`` before it (:mod:`id_cued`) and no street
around it (:mod:`street_address`) — it still says where somebody lives or which account,
card or person it is; raw Presidio masks most of them, through spaCy reading digits as dates
and its 8-17 digit bank-account pattern. Here (docs/rules.md, "Detection"):

- five digits alone, four that are no year or time of day, or a postcode in a shape only
  postcodes take — British (``SW1A 1AA``), Canadian (``K1A 0B1``), Dutch (``1012 AB``),
  Portuguese (``1000-205``), Polish (``00-950``), Brazilian (``01310-100``), Japanese
  (``〒100-0001``), Irish (``D02 X285``), Swedish or Czech (``123 45``), US ZIP+4
  (``94105-1804``) — is a ``LOCATION`` with the ``postcode`` fake, which keeps the format
  (the short shapes only with no other digit group beside them: a phone's, a list's);
- a run of 8 to 17 digits alone is a ``US_BANK_NUMBER`` (Presidio's name for such a run),
  scrambled digit for digit: an account, a card, a phone or an id, whichever it is, it names
  one thing. A national id a validator knows is found first (:mod:`national_ids`), and a
  phone by the phone recognizers: both score higher.

A number that names a record (``order 55120``, ``INV-55120``, ``tracking 1Z99…``), an amount
(``$12345``), a decimal (``1.12345``), one glued to letters, and a field's bare value in JSON
or ``key=value`` text (``"ticket_id": 3930``) stay, and so does a text with no word at all: a
cell or a JSON leaf that is only a number is a field's value, which its field's rule names.
"""

from __future__ import annotations

import regex as re
from presidio_analyzer import EntityRecognizer

from sanitizer.mask.text.recognizers.escapes import blank_escapes
from sanitizer.mask.text.recognizers.filters import names_a_record_or_amount
from sanitizer.mask.text.recognizers.kinded import kinded_result

SCORE = 0.42  # below every other recognizer's: a phone or an id over the same digits wins
# alone: no letter, digit or id/amount/decimal glue beside it
ALONE_BEFORE = r"(?<![\w#$€£¥+\-.,/:@])"
ALONE_AFTER = r"(?![\w]|[.,/:\-]\w|[%€$£])"
POSTCODE = re.compile(
    ALONE_BEFORE + r"(?:\d{5}(?:-\d{3,4})?"  # five digits; Brazil 01310-100; US ZIP+4
    r"|[AC-FHKNPRTV-Y]\d[\dW][ \t]?[0-9AC-FHKNPRTV-Y]{4}"  # Ireland's Eircode
    r"|\d{4}[ \t]?(?!AM|PM)[A-Z]{2}"  # the Netherlands (not a time: 1030 PM)
    r"|\d{4}-\d{3}|\d{2}-\d{3}|〒?\d{3}-\d{4}"  # Portugal, Poland, Japan
    r"|[A-Z]{1,2}\d[A-Z\d]?[ \t]?\d[A-Z]{2}"  # the United Kingdom
    r"|[A-Z]\d[A-Z][ \t]?\d[A-Z]\d"  # Canada
    r"|(?<!\d[ \t])\d{3}[ \t]\d{2}(?![ \t]\d)"  # Sweden, Czechia, Slovakia, Greece: 123 45
    # four digits (Australia, Switzerland, Denmark…), not a year or a time of day (1030 PM)
    r"|(?<!\d[ \t])(?!1[89]\d\d|20\d\d)[1-9]\d{3}(?![ \t]?(?i:am|pm)\b)(?![ \t]\d))" + ALONE_AFTER
)
LONG_NUMBER = re.compile(ALONE_BEFORE + r"\d{8,17}" + ALONE_AFTER)
# a field's bare value in JSON or key=value text ('"ticket_id": 3930', 'port=5432'): a typed
# number of structured data (a postcode or an account is stored as a string, and cued)
FIELD_VALUE = re.compile(r"(?:[\"'][ \t]*:|[\w\]][ \t]*=)[ \t]*\Z")
ENTITIES = ("LOCATION", "US_BANK_NUMBER")
# (entity, pattern, explanation, fake kind) of each shape
SHAPES = (
    ("LOCATION", POSTCODE, "a postcode alone", "postcode"),
    ("US_BANK_NUMBER", LONG_NUMBER, "a long number alone", None),
)


class LoneCodeRecognizer(EntityRecognizer):
    """Postcodes and long numbers alone (see the module docstring)."""

    def __init__(self, supported_language: str = "en"):
        super().__init__(
            supported_entities=list(ENTITIES),
            name="LoneCodeRecognizer",
            supported_language=supported_language,
        )

    def load(self) -> None:  # regexes only
        pass

    def analyze(self, text, entities, nlp_artifacts=None):
        """Both shapes, in prose only: a text without a letter (a cell or a JSON leaf that is
        only a number) is a field's value, and its field's rule says what it is."""
        wanted = set(entities or ENTITIES)
        if not any(c.isalpha() for c in text):
            return []
        plain = blank_escapes(text)
        return [
            kinded_result(self, entity, m.span(), SCORE, why, kind)
            for entity, pattern, why, kind in SHAPES
            if entity in wanted
            for m in _alone(pattern, plain)
        ]


def _alone(pattern: re.Pattern, text: str) -> list:
    """Matches that are no record's number, amount or field's bare value."""
    return [
        m
        for m in pattern.finditer(text)
        if not names_a_record_or_amount(text, *m.span())
        and not FIELD_VALUE.search(text[max(0, m.start() - 40) : m.start()])
    ]
