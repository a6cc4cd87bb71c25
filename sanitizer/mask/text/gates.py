"""Cheap necessary conditions that let a recognizer skip a text it cannot match.

Presidio runs every recognizer's regular expressions over every text. Some of them can only
ever match when a character or a short sequence is present — an email needs an ``@`` (or a
written-out "at"), a URL needs a dot before a top-level domain — and a plain substring check
is far cheaper than their patterns. A gate must be implied by every pattern of its recognizer,
so gating never changes what is found (``tests/mask/text/test_gates.py`` holds them to it).

Presidio's number recognizers (cards, bank accounts, SSNs, passports, licences, IBANs, IPs)
each need a run of digits that most sentences lack: on text written by others, 60-95% of
documents skip each of them. Their gates hold for Presidio's own patterns only, so a
recognizer built with other patterns is left ungated. Presidio's dates and the messy phone
layouts (``recognizers.phone_messy``) need one digit at least, which a third of the
benchmark's dev documents lack: 2-4% of analysis time.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import wraps

import regex

from sanitizer.mask.text.recognizers.email_unusual import AT

_URL = re.compile(r"(?i)[a-z0-9.\-]\.[a-z]{2}")  # Presidio's URL patterns: "<label>.<tld>"
_WRITTEN_AT = re.compile(AT)  # the obfuscated-email pattern's "(at)" / " at " / " AT "
# Presidio's patterns match case-insensitively, and \d is any Unicode decimal digit (as here).
# Matched from the start only (``match``): a search would retry from every position.
_13_DIGITS = re.compile(r"(?:\D*\d){13}")  # a card: 4 + 3 + 3 + 3 digits at least
_8_DIGITS = re.compile(r"[0-9]{8}")  # a bank account (8-17), a passport (9, or letter + 8)
_SSN = re.compile(r"[0-9]{3}[- .]?[0-9]{2}")  # every SSN layout starts 3 digits, then 2
_7_DIGITS = re.compile(r"\d{7}")  # a DEA certificate number ends in 7 digits
# a licence: a letter (or the ']' of Presidio's 'A-Z]{2}' typo) before a digit, a digit
# before a letter, or 6 digits ("a letter": any, as [A-Z] matches 'ſ' or 'K' ignoring case)
_LICENSE = re.compile(r"(?:[^\W\d_]|\])[0-9]|[0-9][^\W\d_]|[0-9]{6}")
_IBAN = re.compile(r"[^\W\d_]{2}[0-9]{2}")  # country code + check digits
_CRYPTO = re.compile(r"(?i)(?:bc1|[13])[0-9a-z]{25}")  # 'bc1' or 1/3, then 25 more at least
# an IPv4 address has "digit.digit"; every IPv6 form has "::" or a hex digit next to ':'
_IP = re.compile(r"[0-9]\.[0-9]|[0-9A-Fa-f:]:|:[0-9A-Fa-f:]")
# any decimal digit, as the ``regex`` module the patterns run on reads \d
_DIGIT = regex.compile(r"\d")

GATES: dict[str, Callable[[str], object]] = {
    "EmailRecognizer": lambda text: "@" in text,
    "UrlRecognizer": _URL.search,
    "UnusualEmailRecognizer": lambda text: "@" in text or _WRITTEN_AT.search(text),
    "CreditCardRecognizer": _13_DIGITS.match,
    "UsBankRecognizer": _8_DIGITS.search,
    "UsPassportRecognizer": _8_DIGITS.search,
    "UsSsnRecognizer": _SSN.search,
    "MedicalLicenseRecognizer": _7_DIGITS.search,
    "UsLicenseRecognizer": _LICENSE.search,
    "IbanRecognizer": _IBAN.search,
    "CryptoRecognizer": _CRYPTO.search,
    "IpRecognizer": _IP.search,
    "DateRecognizer": _DIGIT.search,  # every layout has digits: '12/03/2024', 'JAN-24'
    "MessyPhoneRecognizer": _DIGIT.search,
}


# Presidio's URL and email patterns match only non-space characters and look at nothing
# beyond a word boundary, which a space satisfies as the end of a text does. So each is run
# alone on the runs of non-space characters that hold its gate: a long text with one link is
# read over a few dozen characters (on scrubadub's documents, 1.4 s of 31 s went to URLs).
WINDOWED: dict[str, re.Pattern] = {"UrlRecognizer": _URL, "EmailRecognizer": re.compile("@")}
_SPACE = regex.compile(r"\s")  # whitespace as the patterns' own regex module reads \s
_SPACE_BEFORE = regex.compile(r"(?r)\s")  # searched backwards: the last one before a point


def gate_recognizers(recognizers: list) -> None:
    """Give each recognizer with a known gate an ``analyze`` that checks the gate first (and
    the windowed ones, one that reads only the runs around the gate's matches)."""
    for recognizer in recognizers:
        name = type(recognizer).__name__
        gate = GATES.get(name)
        if gate is None or not _own_patterns(recognizer):
            continue
        if not getattr(recognizer, "_sanitizer_gated", False):
            analyze = _gated(recognizer.analyze, gate)
            if name in WINDOWED:
                analyze = _windowed(analyze, WINDOWED[name])
            recognizer.analyze = analyze
            recognizer._sanitizer_gated = True


def _own_patterns(recognizer) -> bool:
    """Whether a recognizer with class-level ``PATTERNS`` (Presidio's) still has exactly
    those: the gate was derived from them. Recognizers without the attribute are ours."""
    default = getattr(type(recognizer), "PATTERNS", None)
    if default is None:
        return True
    patterns = getattr(recognizer, "patterns", None) or []
    return [p.regex for p in patterns] == [p.regex for p in default]


def _gated(analyze: Callable, gate: Callable[[str], object]) -> Callable:
    @wraps(analyze)
    def run(text: str, *args, **kwargs):
        return analyze(text, *args, **kwargs) if gate(text) else []

    return run


def _windowed(analyze: Callable, gate: re.Pattern) -> Callable:
    """``analyze`` run on each run of non-space characters that holds a match of ``gate``,
    alone, its findings moved back to the run's place in the text."""

    @wraps(analyze)
    def run(text: str, *args, **kwargs):
        results = []
        for start, end in _runs_around(text, gate):
            for result in analyze(text[start:end], *args, **kwargs):
                result.start += start
                result.end += start
                results.append(result)
        return results

    return run


def _runs_around(text: str, gate: re.Pattern) -> list[tuple[int, int]]:
    """(start, end) of each run of non-space characters holding a match of ``gate``."""
    runs: list[tuple[int, int]] = []
    for match in gate.finditer(text):
        if runs and match.start() < runs[-1][1]:
            continue  # in the run already taken
        before = _SPACE_BEFORE.search(text, 0, match.start())
        after = _SPACE.search(text, match.end())
        runs.append((before.end() if before else 0, after.start() if after else len(text)))
    return runs
