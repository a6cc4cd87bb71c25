"""Street addresses as LOCATION: found with their exact span; ordinary numbers and phrases not."""

from __future__ import annotations

import pytest
from helpers.recognizers import engine_with
from hypothesis import given, settings
from hypothesis import strategies as st
from presidio_analyzer import AnalyzerEngine, PatternRecognizer

from sanitizer.mask.text.recognizers import StreetAddressRecognizer
from sanitizer.mask.text.recognizers.street_address import _patterns_possible

NAME = "StreetAddressRecognizer"


@pytest.fixture(scope="module")
def engine() -> AnalyzerEngine:
    return engine_with(StreetAddressRecognizer())


def found(engine: AnalyzerEngine, text: str) -> list[str]:
    results = engine.analyze(text=text, language="en", entities=["LOCATION"], score_threshold=0.4)
    return [text[r.start : r.end] for r in results]


def mine(engine: AnalyzerEngine, text: str) -> list[str]:
    results = engine.analyze(text=text, language="en", entities=["LOCATION"], score_threshold=0.4)
    return [
        text[r.start : r.end] for r in results if r.recognition_metadata["recognizer_name"] == NAME
    ]


POSITIVE = [
    ("Ship to 221B Baker Street, London please", "221B Baker Street"),
    ("we moved to 742 Evergreen Terrace last year", "742 Evergreen Terrace"),
    ("J'habite au 1498 rue Bélanger depuis mai", "1498 rue Bélanger"),
    ("Anschrift: Theodor-Heuss-Straße 34, Berlin", "Theodor-Heuss-Straße 34"),
    ("Endereço: Av. Brigadeiro Faria Lima, 2170 - São Paulo", "Av. Brigadeiro Faria Lima, 2170"),
    ("Mi dirección es Calle Mayor 5, Madrid", "Calle Mayor 5"),
    ("Het adres is Keizersgracht 123 in Amsterdam", "Keizersgracht 123"),
    ("billing: 350 Fifth Ave, Suite 3300, New York", "350 Fifth Ave, Suite 3300"),
    ("Deliver to 55 Main St Apt 4B tomorrow", "55 Main St Apt 4B"),
    ("HQ: 1600 Pennsylvania Avenue NW, Washington", "1600 Pennsylvania Avenue NW"),
    ("Bonjour, j'habite au 12 rue de la Paix.", "12 rue de la Paix"),
    ("Guten Tag, Hauptstraße 5a, 10115 Berlin", "Hauptstraße 5a"),
    ("Schillerstr. 18 is the office", "Schillerstr. 18"),
    ("Dirección: Calle de Alcalá 42, 28014", "Calle de Alcalá 42"),
    ("Gran Vía 28 is closed", "Gran Vía 28"),
    ("Indirizzo: Via Roma 10, Milano", "Via Roma 10"),
    ("Olá, moro na Rua das Flores 77", "Rua das Flores 77"),
    ("send it to Berliner Allee 12, Düsseldorf", "Berliner Allee 12"),
    ("Address: 070 Cindy Flat Apt. 375, Lake Mary", "070 Cindy Flat Apt. 375"),
    ("ship to 4823 Chavez Loaf", "4823 Chavez Loaf"),
    ("Flat 56\nPotts Vista\nLondon", "Potts Vista"),
    ("Stretto Cheda, 65 Appartamento 9", "Stretto Cheda, 65 Appartamento 9"),
    ("Pohlring 953, 12345 Köln", "Pohlring 953"),
    # lower-case and unit-only forms count next to a context word
    ("my address is 742 evergreen terrace", "742 evergreen terrace"),
]

# boxes and units: the number alone is the finding, the words stay ('PO Box 482')
NUMBERS_ONLY = [
    ("Send the cheque to PO Box 123, Springfield", ["123"]),
    ("Send the cheque to P.O. Box 4521", ["4521"]),
    ("her flat is Apt. 4B now", ["4B"]),
    ("PSC 1234, Box 5678", ["1234", "5678"]),
    ("Unit 4410 Box 2209", ["4410", "2209"]),
]

NEGATIVE = [
    "Order INV-2024-000123 was shipped on 2024-01-15 at 14:32.",
    "The total was $1,249.50 including 3 Main items.",
    "The office is a 5 minute drive from the station.",
    "We have 2 main roads closed near the depot.",
    "The 3 Park Lane hotels are fully booked.",
    "Unit 5 of the batch failed QA.",
    "Flat 20% discount for annual subscribers.",
    "Suite 2 of the benchmark runs nightly.",
    "Spring 2024 release notes are out.",
    "Engineering 101 is a required course.",
    "Keypad 2 is broken on the terminal.",
    "Top 10 Mountain View tips for new hires.",
    "sent via DHL 3 days ago",
    "Via Slack 2 times today",
    "run apt 2.4 to upgrade the packages",
    "version 3.12.4 fixes the street view bug",
    "Request 3f2504e0-4f89-11d3-9a0c-0305e82c3301 failed",
    "The Main Street team ships on Fridays.",
    "Chapter 7 Court filings are handled by legal.",
    "2 Main Points from the retro",
    "Im Jahr 2024 haben wir 12 Kunden.",
]


@pytest.mark.parametrize(("text", "address"), POSITIVE)
def test_addresses_are_found_with_their_exact_span(engine, text, address):
    assert address in found(engine, text)


@pytest.mark.parametrize(("text", "numbers"), NUMBERS_ONLY)
def test_boxes_and_units_are_found_as_their_numbers(engine, text, numbers):
    assert mine(engine, text) == numbers


def test_a_unit_after_a_context_word_is_found_as_its_number(engine):
    assert "3300" in found(engine, "billing address: Suite 3300")


@pytest.mark.parametrize("text", NEGATIVE)
def test_ordinary_numbers_and_phrases_are_not_addresses(engine, text):
    assert mine(engine, text) == []


def test_findings_are_typed_location_so_they_take_the_location_fake():
    recognizer = StreetAddressRecognizer()
    assert recognizer.supported_entities == ["LOCATION"]
    results = recognizer.analyze("Ship to 221B Baker Street", ["LOCATION"])
    assert [(r.entity_type, r.start, r.end) for r in results] == [("LOCATION", 8, 25)]


# what the patterns care about, without digits: street words, boxes, units, escapes, breaks
NO_DIGIT_PIECES = st.sampled_from(
    ["Apt", "apt.", "APT.", "Apartment", "apartment", "Apt.", "Suite", "Unit", "Flat", "PO Box",
     "PSC", "Box", " ", "\n", "\\n", "#", ",", ".", "B", "b", "Baker", "Street", "rue", "Calle",
     "Mayor", "Hauptstraße", "Broadway", "Main", "St", "de", "la", "Paix", "x"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(NO_DIGIT_PIECES, max_size=12).map("".join))
def test_the_patterns_are_skipped_only_where_none_can_match(text):
    recognizer = StreetAddressRecognizer()
    if not _patterns_possible(text):
        assert PatternRecognizer.analyze(recognizer, text, ["LOCATION"]) == []


def test_the_patterns_run_where_a_digit_or_an_apartment_word_is():
    assert not _patterns_possible("Deliver to the flat on Baker Street please")
    assert _patterns_possible("Deliver to Apt B please")  # the pattern's lettered form
    assert _patterns_possible("Deliver to 221B Baker Street")
    results = StreetAddressRecognizer().analyze("Deliver to 221B Baker Street", ["LOCATION"])
    assert [(r.start, r.end) for r in results] == [(11, 28)]


@pytest.mark.parametrize(
    ("text", "line"),
    [
        # a line an address cue introduces, in any script, where no form reads a street
        ("My address is 89 نهج فارس تيغنيف - سوق أهراس", "89 نهج فارس تيغنيف - سوق أهراس"),
        ("his address: 175 成瀬\nWhat's your name?", "175 成瀬"),
        ("She lives at 8/9 ถนนธีวร อำเภอเรณูนคร by the river", "8/9 ถนนธีวร อำเภอเรณูนคร"),
        ("Address:\n\nश्रेष्ठ रोड वडा 8\nकाठमाडौं", "श्रेष्ठ रोड वडा 8"),
        ("ADDRESS: 42 زنقة محمدي - القليعة", "42 زنقة محمدي - القليعة"),  # any case
        ("he is living at 67 หมู่ 92 ถ.แจ้งสว่าง.", "67 หมู่ 92 ถ.แจ้งสว่าง"),
    ],
)
def test_the_line_after_an_address_cue_is_a_street_line(engine, text, line):
    assert line in mine(engine, text)


@pytest.mark.parametrize(
    "text",
    [
        "I keep getting address 62.179.171.126 blocked",  # 'address' in passing
        "My email address is ana@corp.example, 2 days ago",
        "IP address: 10.0.0.1 is down",
        "The address is below, see page 2",
        "Please update the billing address with 5 items",
        "Address: see the form",  # no number
    ],
)
def test_a_cue_before_no_address_finds_nothing(engine, text):
    assert all("address" not in f.lower() for f in mine(engine, text))
    assert not [f for f in mine(engine, text) if any(c.isdigit() for c in f)]
