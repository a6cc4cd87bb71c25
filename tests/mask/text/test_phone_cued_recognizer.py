"""Numbers of any layout right after a phone word are phones; ids, dates and amounts are not."""

from __future__ import annotations

import pytest

from sanitizer.mask.text.recognizers import CuedPhoneRecognizer
from sanitizer.mask.text.recognizers.phone_cued import cue_after, cue_before

RECOGNIZER = CuedPhoneRecognizer()


def found(text: str) -> list[str]:
    return [text[r.start : r.end] for r in RECOGNIZER.analyze(text, ["PHONE_NUMBER"])]


# Layouts seen in the demo's production data that libphonenumber and the layout patterns miss.
@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ("User 7 changed phone to 40-1067-3541", "40-1067-3541"),
        ("changed phone to +95(6)7641395633.", "+95(6)7641395633"),
        ("Call me back at 1-110-908-6559x03840", "1-110-908-6559x03840"),
        ("ValidationError: phone '2788936386' is not valid", "2788936386"),
        ('"subject": "Help needed, call +55554559501254"', "+55554559501254"),
        ("Call me back at 31 1316-5918", "31 1316-5918"),
        ("Tel: 0049 (0)30 1234567 ext. 12", "0049 (0)30 1234567 ext. 12"),
        ("mobile 4907249277021 (evenings)", "4907249277021"),
        ("Teléfono: 912345678", "912345678"),
        ("电话 13812345678", "13812345678"),
    ],
)
def test_a_number_after_a_phone_word_is_a_phone(text, phone):
    assert found(text) == [phone]


@pytest.mark.parametrize(
    "text",
    [
        "call me on 2024-01-15",  # a date
        "called at 10:30 about 1234567.89",  # a time, then an amount
        "call about invoice 12345",  # too short
        "call regarding ticket 4829104",  # an id word owns the number
        "call about order #4829104",
        "order number 20240115123",  # 'number' is no phone word
        "phone 1111111111",  # one digit repeated
        "telephone\n5551234567",  # the cue is on another line
        "phonebook entry 5551234567",  # 'phonebook' is not the word 'phone'
        "headphones 5551234567",
    ],
)
def test_ids_dates_and_amounts_are_not_phones(text):
    assert found(text) == []


def test_only_the_number_is_taken_not_the_cue():
    text = "please call me at 555-123-4567 re: ticket 1234567"
    [result] = RECOGNIZER.analyze(text, ["PHONE_NUMBER"])
    assert text[result.start : result.end] == "555-123-4567"
    assert result.score > 0.4  # survives the default threshold without Presidio's context


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ("Could you confirm that +74(9)7524288909 is still the best number to reach you?",
         "+74(9)7524288909"),
        ("Is 44 8070-1238 still the best number?", "44 8070-1238"),
        ("0017672873219 is my mobile number", "0017672873219"),
    ],
)  # fmt: skip
def test_a_number_before_a_phone_phrase_is_a_phone(text, phone):
    assert found(text) == [phone]


@pytest.mark.parametrize(
    "text",
    [
        "Order 48291045 is the number of your parcel",  # 'number' alone is no phone phrase
        "INV-20240115 is the best number to quote",  # glued to an id
        "2024-01-15 is the best number to reach you",  # a date
    ],
)
def test_numbers_before_other_phrases_are_not_phones(text):
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ("Telefon: 07312294411", "07312294411"),
        ("téléphone 0388412760", "0388412760"),
        ("Tlf. 33184752", "33184752"),
        ("puh. 0443182270", "0443182270"),
        ("тел. 88124072193", "88124072193"),
        (r"Name: Ida Berg\nPhone: 961 520 07", "961 520 07"),  # a literal escape, not a letter
    ],
)
def test_cue_words_of_other_languages_and_literal_escapes(text, phone):
    assert found(text) == [phone]


@pytest.mark.parametrize(
    "text",
    [
        "Office: 3380-4419",  # labels are for digit groups (phone_national), not any layout
        "12345678 mobile users signed up",
        "home 2024-01-15",
    ],
)
def test_labels_are_no_cues_for_numbers_of_any_layout(text):
    assert found(text) == []


def test_cue_helpers_read_the_edges_of_a_number():
    text = "Phone:\n555 31 208 office"
    start = text.index("555")
    assert cue_before(text, start) and cue_after(text, text.index(" office"))
    assert not cue_before("telephone\n555 31 208", len("telephone\n"))
    assert not cue_before("order 48291045", len("order "))
