"""IBAN_CODE wherever an IBAN sits in running text, by country length and checksum.

Presidio's ``IbanRecognizer`` lets its 4-character groups run on into the next word
('… 3280 7695 thanks' reads 'than' as a group), the checksum then fails and the IBAN is
dropped. Here a candidate is read group by group only up to its country's registered
length, and kept only when the ISO 7064 mod-97 checksum holds — so ordinary words and
numbers are not IBANs, and an IBAN followed by a word still is.

Countries outside the registry write IBANs too (Iran's 26 characters, the central banks of
West and Central Africa), and so do banks' and generators' odd lengths: an unbroken run of a
country code, check digits and 11-30 letters and digits whose checksum holds is an IBAN
wherever its country or length (a random run passes the checksum once in 97).
"""

from __future__ import annotations

import re

from presidio_analyzer import EntityRecognizer, RecognizerResult

# SWIFT IBAN registry: total length per country code.
LENGTHS = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22,
    "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "DO": 28,
    "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23,
    "GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26,
    "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20,
    "LV": 21, "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MR": 27, "MT": 31, "MU": 30, "NL": 18,
    "NO": 15, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "SA": 24,
    "SC": 31, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "ST": 25, "SV": 28, "TL": 23, "TN": 24,
    "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20,
    # joined the registry since 2020
    "BI": 27, "DJ": 27, "FK": 18, "HN": 28, "LY": 25, "MN": 20, "NI": 28, "OM": 23, "RU": 33,
    "SD": 18, "SO": 23, "YE": 30,
}  # fmt: skip
START = re.compile(r"(?<![A-Za-z0-9])([A-Z]{2})\d{2}(?=[ ]?[A-Z0-9])")
COMPACT = re.compile(r"[A-Z]{2}\d{2}[A-Z0-9]{11,30}(?![A-Za-z0-9])")  # unbroken, any country


def checksum_valid(iban: str) -> bool:
    """ISO 7064 mod 97-10, as IBANs use."""
    rearranged = iban[4:] + iban[:4]
    return int("".join(str(int(ch, 36)) for ch in rearranged)) % 97 == 1


def _span(text: str, start: int, length: int) -> int | None:
    """The end of an IBAN of ``length`` characters from ``start`` (single spaces allowed
    between characters), or None when the text runs out of characters first."""
    count, pos = 0, start
    while pos < len(text) and count < length:
        char = text[pos]
        if char.isalnum() and char.isascii():
            count += 1
        elif not (char == " " and count > 0 and pos + 1 < len(text) and text[pos + 1] != " "):
            return None
        pos += 1
    if count < length or (pos < len(text) and text[pos].isalnum()):
        return None
    return pos


def _registered(text: str, match: re.Match) -> int | None:
    """The end of an IBAN of its country's registered length, compact or grouped."""
    length = LENGTHS.get(match.group(1))
    end = _span(text, match.start(), length) if length else None
    if end is None or not checksum_valid(text[match.start() : end].replace(" ", "").upper()):
        return None
    return end


def _unbroken(text: str, start: int) -> int | None:
    """The end of an unbroken IBAN-shaped run whose checksum holds, of any country."""
    run = COMPACT.match(text, start)
    return run.end() if run is not None and checksum_valid(run.group()) else None


class IbanAnywhereRecognizer(EntityRecognizer):
    """IBAN_CODE for country-length, checksum-valid IBANs, compact or grouped."""

    def __init__(self, supported_language: str = "en"):
        super().__init__(
            supported_entities=["IBAN_CODE"],
            name="IbanAnywhereRecognizer",
            supported_language=supported_language,
        )

    def load(self) -> None:
        pass

    def analyze(self, text: str, entities: list[str], nlp_artifacts=None) -> list:
        results = []
        for match in START.finditer(text):
            end = _registered(text, match) or _unbroken(text, match.start())
            if end is not None:
                results.append(
                    RecognizerResult(
                        "IBAN_CODE",
                        match.start(),
                        end,
                        1.0,
                        recognition_metadata={
                            RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                            RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                        },
                    )
                )
        return results
