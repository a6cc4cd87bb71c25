"""A five-digit number standing alone in prose: most likely a postcode, so it keeps its shape.

Counts in prose are small or written with a thousands separator (``12,345 users``); a bare
run of exactly five digits is a code, and the commonest such code about a person is a postcode
(the US, Germany, France, Spain, Italy, Mexico and many more write theirs so). Alone, with no
``ZIP:`` before it (:mod:`id_cued`) and no street around it (:mod:`street_address`), it is
still where somebody lives, and raw Presidio masks most of them through spaCy reading them as
dates. Here it is a ``LOCATION`` with the ``postcode`` fake, which keeps the format.

A number that names a record (``order 55120``, ``INV-55120``), an amount (``$12345``), one
glued to other digits (``12345-6789`` is left to the postcode and phone recognizers, ``1.12345``
is a decimal) or to letters stays (docs/rules.md, "Detection").
"""

from __future__ import annotations

import regex as re
from presidio_analyzer import EntityRecognizer

from sanitizer.mask.text.recognizers.escapes import blank_escapes
from sanitizer.mask.text.recognizers.filters import names_a_record_or_amount
from sanitizer.mask.text.recognizers.kinded import kinded_result

SCORE = 0.45  # below every other recognizer's: a phone or an id over the same digits wins
LONE = re.compile(r"(?<![\w#$€£¥+\-.,/:@])\d{5}(?![\w]|[.,/:\-]\d|[%€$£])")


class LoneCodeRecognizer(EntityRecognizer):
    """Five digits alone as a postcode (see the module docstring)."""

    def __init__(self, supported_language: str = "en"):
        super().__init__(
            supported_entities=["LOCATION"],
            name="LoneCodeRecognizer",
            supported_language=supported_language,
        )

    def load(self) -> None:  # a regex only
        pass

    def analyze(self, text, entities, nlp_artifacts=None):
        plain = blank_escapes(text)
        return [
            kinded_result(self, "LOCATION", m.span(), SCORE, "five digits alone", "postcode")
            for m in LONE.finditer(plain)
            if not names_a_record_or_amount(plain, *m.span())
        ]
