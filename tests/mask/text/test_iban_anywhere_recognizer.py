"""IBANs in running text: found by country length and checksum, even when a word follows."""

from __future__ import annotations

import pytest

from sanitizer.mask.text.recognizers.iban_anywhere import IbanAnywhereRecognizer, checksum_valid

RECOGNIZER = IbanAnywhereRecognizer()


def found(text: str) -> list[str]:
    return [text[r.start : r.end] for r in RECOGNIZER.analyze(text, ["IBAN_CODE"])]


@pytest.mark.parametrize(
    ("text", "iban"),
    [
        ("My IBAN is ES04 7424 8199 5115 3280 7695 thanks", "ES04 7424 8199 5115 3280 7695"),
        ("IBAN CZ4784121266432683593648 ok", "CZ4784121266432683593648"),
        ("pay to DE89370400440532013000.", "DE89370400440532013000"),
        # Russia joined the IBAN registry in 2024 (33 characters)
        ("счёт RU0204452560040702810412345678901 ok", "RU0204452560040702810412345678901"),
        ("DE89 3704 0044 0532 0130 00", "DE89 3704 0044 0532 0130 00"),
        ("(GB82 WEST 1234 5698 7654 32)", "GB82 WEST 1234 5698 7654 32"),
        # outside the registry (Iran), or of another length than registered: unbroken runs
        ("My IBAN is IR490977995011114208424031\nthanks", "IR490977995011114208424031"),
        ("My IBAN is GB06YPAG7455342342805", "GB06YPAG7455342342805"),
    ],
)
def test_checksum_valid_ibans_are_found_with_their_exact_span(text, iban):
    assert found(text) == [iban]


@pytest.mark.parametrize(
    "text",
    [
        "ES04 7424 8199 5115 3280 7696 thanks",  # one digit off: checksum fails
        "ORDER AB12 3456 7890 1234",  # not a country with IBANs
        "GB82WEST12345698765432x",  # runs on into more characters
        "ticket TK12-0000-1111 and SKU DE12ABC",
        "call 0044 20 7946 0958",
        "SKU AB12CD34EF56GH78IJ",  # IBAN-shaped, but the checksum fails
        "IR49 0977 9950 1111 4208 4240 31",  # a country outside the registry, grouped
    ],
)
def test_everything_else_is_not_an_iban(text):
    assert found(text) == []


def test_checksum_is_iso_7064_mod_97():
    assert checksum_valid("GB82WEST12345698765432")
    assert not checksum_valid("GB82WEST12345698765433")
