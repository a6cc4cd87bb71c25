"""National ids written alone, with no word naming them: found by their own check digits.

A French NIR (``2 94 07 19 272 114 05``), a Polish PESEL, a Romanian CNP or a Spanish DNI
(``12345678Z``) in a sentence is a person's id even when nothing says so; :mod:`id_cued`
finds them after an id word only. Their layouts are plain digit runs that ids, phones and
order numbers share, but most carry a birth date and one or two check digits, so a run that a
country's validator accepts is rarely anything else. The validators are python-stdnum's (a
maintained library of the world's identifier formats), and only those a random run of digits
passes at most about 3% of the time are asked (``VALIDATORS``): 9-digit ids checked by a
single mod-11 or Luhn digit (Dutch BSN, Canadian SIN, Portuguese NIF) and a US SSN without
its dashes are not, as one run in ten would pass. A run inside an id (``INV-…``), after a
record word (``order 12345678901``) or beside a currency stays (docs/rules.md, "Detection").
Each is a ``US_SSN``, whose fake keeps the digits' layout.
"""

from __future__ import annotations

import importlib
from functools import cache

import regex as re
from presidio_analyzer import EntityRecognizer

from sanitizer.mask.text.recognizers.escapes import blank_escapes
from sanitizer.mask.text.recognizers.filters import names_a_record_or_amount
from sanitizer.mask.text.recognizers.kinded import kinded_result

SCORE = 0.45  # below the phone recognizers': digits a phone rule claims stay a phone
# python-stdnum modules by the length of the compact id they validate
VALIDATORS: dict[int, tuple[str, ...]] = {
    9: ("es.dni", "es.nie"),  # 8 digits and a check letter, X/Y/Z + 7 digits + letter
    10: ("bg.egn", "se.personnummer", "is_.kennitala", "cz.rc", "dk.cpr"),
    11: (
        "pl.pesel",
        "be.nn",
        "no.fodselsnummer",
        "br.cpf",
        "ee.ik",
        "lt.asmens",
        "gr.amka",
        "de.idnr",
        "fi.hetu",
    ),
    12: ("se.personnummer",),
    13: ("ro.cnp", "ch.ssn", "za.idnr", "kr.rrn"),
    15: ("fr.nir",),
    16: ("it.codicefiscale",),
    18: ("cn.ric", "mx.curp"),
}
# digit groups with single separators, optionally ending in a check letter (DNI, HETU);
# or one token of capitals and digits (codice fiscale, CURP, NIE)
CANDIDATE = re.compile(
    r"(?<![\w@#$€£/.,:+\-])(?:\d(?:[ .\-/+]?\d){7,17}(?:[\-+]?[A-Z])?|[A-Z0-9]{9,18})"
    r"(?![\w]|[.,/:\-]\d)"
)
_SEPARATORS = re.compile(r"[ .\-/]")
MIN_DIGITS = 6


class NationalIdRecognizer(EntityRecognizer):
    """Runs of digits (or capitals and digits) that a country's id validator accepts."""

    def __init__(self, supported_language: str = "en"):
        super().__init__(
            supported_entities=["US_SSN"],
            name="NationalIdRecognizer",
            supported_language=supported_language,
        )

    def load(self) -> None:  # validators are imported on first use
        pass

    def analyze(self, text, entities, nlp_artifacts=None):
        plain = blank_escapes(text)
        return [
            kinded_result(self, "US_SSN", m.span(), SCORE, f"valid {country}", None)
            for m in CANDIDATE.finditer(plain)
            if (country := _country(m.group())) and not names_a_record_or_amount(plain, *m.span())
        ]


def _country(value: str) -> str | None:
    """The first validator (``VALIDATORS``) that accepts ``value``, or None."""
    if sum(c.isdigit() for c in value) < MIN_DIGITS:
        return None
    lengths = {len(_SEPARATORS.sub("", value).replace("+", "")), len(value.replace(" ", ""))}
    for name in dict.fromkeys(n for length in sorted(lengths) for n in VALIDATORS.get(length, ())):
        if _valid(name, value):
            return name
    return None


def _valid(name: str, value: str) -> bool:
    try:
        return bool(_module(name).is_valid(value))
    except Exception:  # a validator's own lookup error (cn.ric's places) is a "no"
        return False


@cache
def _module(name: str):
    return importlib.import_module(f"stdnum.{name}")
