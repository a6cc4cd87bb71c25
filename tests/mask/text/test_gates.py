"""Gates skip recognizers on texts they cannot match — they must never hide a finding."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from presidio_analyzer import Pattern
from presidio_analyzer.predefined_recognizers import (
    CreditCardRecognizer,
    CryptoRecognizer,
    DateRecognizer,
    EmailRecognizer,
    IbanRecognizer,
    IpRecognizer,
    MedicalLicenseRecognizer,
    UrlRecognizer,
    UsBankRecognizer,
    UsLicenseRecognizer,
    UsPassportRecognizer,
    UsSsnRecognizer,
)

from sanitizer.mask.text.gates import GATES, gate_recognizers
from sanitizer.mask.text.offline import use_offline_suffix_list
from sanitizer.mask.text.recognizers import UnusualEmailRecognizer
from sanitizer.mask.text.recognizers.phone_messy import MessyPhoneRecognizer

use_offline_suffix_list()
RECOGNIZERS = [EmailRecognizer(), UrlRecognizer(), UnusualEmailRecognizer()]
NUMBERS = [
    CreditCardRecognizer(), UsBankRecognizer(), UsPassportRecognizer(), UsSsnRecognizer(),
    MedicalLicenseRecognizer(), UsLicenseRecognizer(), IbanRecognizer(), CryptoRecognizer(),
    IpRecognizer(), DateRecognizer(), MessyPhoneRecognizer(),
]  # fmt: skip

TEXTS = [
    "mail jane.doe@corp.com today",
    "see https://example.org/x?y=1 and www.shop.de",
    "plain text with no address at all",
    "write to jane dot doe at corp dot com",
    "mario(at)rossi.it or k.lee AT startup DOT ai",
    '"jane doe"@corp.com and user@192.168.0.1',
    "ops@svc.cluster.local",
    "Visit EXAMPLE.COM now",
    "version 1.2.3, file notes.txt, e.g. this",
]
# Pieces hypothesis glues together: the characters and words the patterns care about.
PIECES = st.sampled_from(
    ["@", ".", " at ", " AT ", "(at)", " dot ", "com", "de", "io", "jane", "doe", "x", "1",
     "-", "_", "https://", "www", " ", "\n", "é", "corp", "local"]
)  # fmt: skip


NUMBER_TEXTS = [
    "card 4111 1111 1111 1111 or 4111-1111-1111-1111, amex 378282246310005",
    "acct 12345678 and 12345678901234567, passport 912345678 or A12345678",
    "ssn 078-05-1120, 078 05 1120, 078.05.1120, 07805-1120, 078-051120, 078051120",
    "DEA AB1234563 or a91234563; licence D1234567, 12ABC12345, 123456789X, A-Z]]12",
    "licence a1 b22 ſ1 \u212a12 99ab 12345678AB 123AB1234 A1B2C",
    "IBAN DE89 3704 0044 0532 0130 00 or GB82WEST12345698765432 and gb82west12345698765432",
    "wallet 1BoatSLRHtKNngkdXEeobR76b53LETtpyT or bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
    "hosts 192.168.0.1, 10.0.0.1/24, ::1, ::, fe80::1%eth0, 2001:db8::ff00:42:8329",
    "::ffff:192.0.2.128 and 64:ff9b::192.0.2.33; plain text, 12 items, 3.5 kg",
    "١٢٣٤٥٦٧٨٩٠١٢٣ ４１１１１１１１１１１１１１１１ ١٢٣٤٥٦٧",
    "met 12/03/2024, 2024-03-12, 5-JAN-24 and JAN-2024; call +44 20 7946 0958, 0680 390 92 93",
    "phone (212) 555-0134 or 11 98765 4321, dates 3.4.24 and 11/2024",
]
NUMBER_PIECES = st.sampled_from(
    ["0", "1", "4", "5", "9", "12", "078", "4111", "-", " ", ".", ":", "::", "/", "a", "B",
     "f", "x", "Z", "]", "bc1", "DE", "\n", "ſ", "\u212a", "٣", "４", "%", "q", "JAN", "+",
     "(", ")", "ext "]
)  # fmt: skip


def found(recognizer, text: str) -> bool:
    return bool(recognizer.analyze(text, recognizer.supported_entities))


@pytest.mark.parametrize("recognizer", RECOGNIZERS, ids=lambda r: type(r).__name__)
@pytest.mark.parametrize("text", TEXTS)
def test_a_text_with_findings_always_passes_the_gate(recognizer, text):
    if found(recognizer, text):
        assert GATES[type(recognizer).__name__](text)


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, max_size=14).map("".join))
def test_gates_are_implied_by_every_pattern(text):
    for recognizer in RECOGNIZERS:
        if found(recognizer, text):
            assert GATES[type(recognizer).__name__](text), (type(recognizer).__name__, text)


def test_a_gated_recognizer_skips_texts_it_cannot_match_and_finds_the_rest():
    email, url = EmailRecognizer(), UrlRecognizer()
    gate_recognizers([email, url])
    assert email.analyze(text="no address here", entities=["EMAIL_ADDRESS"]) == []
    assert url.analyze(text="no link here", entities=["URL"]) == []
    hits = email.analyze(text="mail jane@corp.com", entities=["EMAIL_ADDRESS"])
    assert [(h.start, h.end) for h in hits] == [(5, 18)]


def test_gating_twice_wraps_once():
    email = EmailRecognizer()
    gate_recognizers([email])
    first = email.analyze
    gate_recognizers([email])
    assert email.analyze is first


@pytest.mark.parametrize("recognizer", NUMBERS, ids=lambda r: type(r).__name__)
@pytest.mark.parametrize("text", NUMBER_TEXTS)
def test_a_number_with_findings_always_passes_the_gate(recognizer, text):
    if found(recognizer, text):
        assert GATES[type(recognizer).__name__](text)


def test_every_number_recognizer_finds_something_in_the_examples():
    """The examples exercise each gate (a gate never tested on a finding proves nothing)."""
    for recognizer in NUMBERS:
        assert any(found(recognizer, text) for text in NUMBER_TEXTS), type(recognizer).__name__


@settings(max_examples=500, deadline=None)
@given(st.lists(NUMBER_PIECES, max_size=24).map("".join))
def test_number_gates_are_implied_by_every_pattern(text):
    for recognizer in NUMBERS:
        if found(recognizer, text):
            assert GATES[type(recognizer).__name__](text), (type(recognizer).__name__, text)


def test_a_recognizer_with_other_patterns_is_not_gated():
    custom = UsBankRecognizer(patterns=[Pattern("short", r"\b[0-9]{4}\b", 0.5)])
    gate_recognizers([custom])
    assert not getattr(custom, "_sanitizer_gated", False)
    assert custom.analyze(text="pin 1234", entities=["US_BANK_NUMBER"])


def _spans(recognizer, text: str) -> list[tuple[int, int, float]]:
    results = recognizer.analyze(text, recognizer.supported_entities)
    return sorted((r.start, r.end, r.score) for r in results)


WINDOWED_TEXTS = [
    *TEXTS,
    "two links: https://a.example.com/x and (www.shop.de), mail a@b.co\tor\nc@d.org.",
    "quoted \"https://example.org/q\" and 'corp.io' then j@x.de.",
    "glued,see.example.com/path,and.more.de\u2003next\u00a0line.org",
]


@pytest.mark.parametrize("text", WINDOWED_TEXTS)
def test_windowed_recognizers_find_what_they_find_in_the_whole_text(text):
    for plain in (EmailRecognizer(), UrlRecognizer()):
        windowed = type(plain)()
        gate_recognizers([windowed])
        assert _spans(windowed, text) == _spans(plain, text)


WIDE_PIECES = st.sampled_from(
    ['"', "'", "(", ")", "<", ">", ",", "/", "?", "=", "\t", "\u2003", "\u00a0", "\u0085",
     "ſ", "\u212a", "org", "info"]
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(PIECES, WIDE_PIECES), max_size=18).map("".join))
def test_windowing_never_changes_a_finding(text):
    for plain in (EmailRecognizer(), UrlRecognizer()):
        windowed = type(plain)()
        gate_recognizers([windowed])
        assert _spans(windowed, text) == _spans(plain, text), (type(plain).__name__, text)
