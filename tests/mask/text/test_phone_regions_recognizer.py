"""One libphonenumber pass for all regions finds what Presidio's per-region passes find."""

from __future__ import annotations

import pytest
from presidio_analyzer.predefined_recognizers import PhoneRecognizer

from sanitizer.mask.text.recognizers.phone_regions import MultiRegionPhoneRecognizer

PHONES = [
    "+1 (415) 555-0132",  # US, international
    "(415) 555-0132",  # US national
    "020 7946 0958",  # GB national
    "030 12345678",  # DE national
    "(11) 91234-5678",  # BR national
    "+33 1 21 83 30 61",  # FR, international
    "+49 30 1234567",
]


def spans(recognizer, text: str) -> list[str]:
    return sorted(text[r.start : r.end] for r in recognizer.analyze(text, ["PHONE_NUMBER"]))


@pytest.mark.parametrize("phone", PHONES)
def test_finds_each_region_like_presidio(phone):
    text = f"Call me on {phone} after five."
    assert spans(MultiRegionPhoneRecognizer(), text) == spans(PhoneRecognizer(), text) == [phone]


def test_several_numbers_in_one_text():
    text = "Office 020 7946 0958, mobile +1 415 555 0132, fax 030 12345678."
    assert spans(MultiRegionPhoneRecognizer(), text) == spans(PhoneRecognizer(), text)


@pytest.mark.parametrize("text", ["order 16489 shipped", "room 374000", "total 3560.13 EUR"])
def test_numbers_too_short_for_a_phone_are_not_phones(text):
    assert spans(MultiRegionPhoneRecognizer(), text) == []


def test_a_text_with_few_digits_is_not_parsed_at_all():
    assert spans(MultiRegionPhoneRecognizer(), "call 555 12") == []


def test_reports_the_number_region_in_the_explanation():
    [result] = MultiRegionPhoneRecognizer().analyze("call +44 20 7946 0958", ["PHONE_NUMBER"])
    assert "GB" in result.analysis_explanation.textual_explanation


def test_a_literal_line_break_escape_before_the_number_is_a_separator():
    text = r"Name: Ida Berg\nPhone: 030 12345678\n\nE-mail: ida@example.com"
    assert spans(MultiRegionPhoneRecognizer(), text) == ["030 12345678"]
