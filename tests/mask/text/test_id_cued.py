"""Ids, postcodes and birth dates right after the word that names them are found; the same
values without their cue, after a record word, or on another line are not."""

from __future__ import annotations

import pytest

from sanitizer.mask.text.recognizers import CuedIdRecognizer

RECOGNIZER = CuedIdRecognizer()
DEFAULT = ["PERSON", "LOCATION", "PHONE_NUMBER", "US_SSN"]


def found(text: str, entities=DEFAULT) -> list[tuple[str, str, str | None]]:
    return [
        (r.entity_type, text[r.start : r.end], r.recognition_metadata["sanitizer_fake_kind"])
        for r in RECOGNIZER.analyze(text, entities)
    ]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Her social security number is 31017712345", "31017712345"),
        ("SSN: 750312-4410", "750312-4410"),
        ("national id number 8807 1234 5678", "8807 1234 5678"),
        ("Personal number: 19701231-9876", "19701231-9876"),
        ("my ID number is 12345678Z", "12345678Z"),
        ("tax id 123.456.789", "123.456.789"),
        ("PESEL 90010112345, thanks", "90010112345"),
        ("the form says\\nSSN 550101-2231", "550101-2231"),
    ],
)
def test_an_id_after_an_id_word_is_a_national_id(text, value):
    assert found(text) == [("US_SSN", value, None)]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("ZIP: 80331", "80331"),
        ("ZIP: 914784", "914784"),  # six digits: India, China, Romania…
        ("почтовый индекс 119019", "119019"),
        ("zip code 449-4256", "449-4256"),
        ("Postcode: SW1A 1AA", "SW1A 1AA"),
        ("postal code is H2G 1A7", "H2G 1A7"),
        ("PLZ 10115", "10115"),
        ("CP 28013", "28013"),
        ("ZIP: ΤΚ 54624", "ΤΚ 54624"),
        ("postcode 1012 AB", "1012 AB"),
    ],
)
def test_a_postcode_after_a_postcode_word_is_a_location(text, value):
    assert found(text) == [("LOCATION", value, "postcode")]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("He was born on 1979-11-02.", "1979-11-02"),
        ("Date of birth: 02.11.1979", "02.11.1979"),
        ("DOB 11/02/79", "11/02/79"),
        ("birthday: November 2, 1979", "November 2, 1979"),
        ("Geburtsdatum: 2. November 1979", "2. November 1979"),
        ("birth date 2nd of November 1979", "2nd of November 1979"),
    ],
)
def test_a_date_after_a_birth_word_is_personal(text, value):
    """Each moves by keyed days in its own layout (the ``date_text`` kind, quasi_ids)."""
    assert found(text) == [("DATE_TIME", value, "date_text")]


@pytest.mark.parametrize(
    "text",
    [
        "order ID number 55120348",  # a record's id
        "ticket id no. 44120398",
        "SSN: unknown\\n55120348 units shipped",  # the cue's line ended (literal escape)
        "SSN:\n123456789",  # a real line break
        "social security number 1979-11-02",  # a date is no id
        "SSN 1234",  # too short
        "zip 300 files into one archive",  # 'zip' the verb
        "please zip code 12345 later",
        "Meeting on 1979-11-02 at 10:00",  # a date without a birth cue
        "born in 1979",  # a year alone
        "The invoice 12345678 was paid",
        "born on\n1979-11-02",
    ],
)
def test_without_a_cue_on_the_same_line_nothing_is_found(text):
    found_here = found(text)
    if text == "please zip code 12345 later":  # 'zip code' is a cue: the postcode is found
        assert found_here == [("LOCATION", "12345", "postcode")]
    else:
        assert found_here == []


def test_birth_dates_only_when_dates_or_ids_are_asked_for():
    assert found("born on 1979-11-02", ["PERSON"]) == []
    assert found("born on 1979-11-02", ["DATE_TIME"]) == [("DATE_TIME", "1979-11-02", "date_text")]


def test_detect_replaces_the_values_and_keeps_the_cues():
    from sanitizer.config.settings import NlpSettings
    from sanitizer.mask.text.detector import find_all

    text = "His social security number is 31017712345\\nZIP: 80331\\nShe was born on 1979-11-02."
    (findings,) = find_all([text], None, NlpSettings())
    spans = {text[f.start : f.end]: (f.entity, f.kind) for f in findings}
    assert spans["31017712345"] == ("US_SSN", None)
    assert spans["80331"] == ("LOCATION", "postcode")
    assert spans["1979-11-02"] == ("DATE_TIME", "date_text")
