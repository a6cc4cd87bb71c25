"""National phone layouts of any country, with or without a cue word; ordinary numbers stay.

The strings are written here, shaped like the classes of numbers that leaked (national formats
without a country code, labels after the number, literal escapes) and like the numbers that
must survive (ids, amounts, dates, times, versions, postcodes, cards, IBANs, ages, years).
"""

from __future__ import annotations

import pytest

from sanitizer.config.settings import NlpSettings
from sanitizer.mask.text.detector import find_all
from sanitizer.mask.text.recognizers import NationalPhoneRecognizer
from sanitizer.mask.text.recognizers.phone_national import CANDIDATE, shape

RECOGNIZER = NationalPhoneRecognizer()


def found(text: str) -> list[str]:
    return [text[r.start : r.end] for r in RECOGNIZER.analyze(text, ["PHONE_NUMBER"])]


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ("Phone: 555 31 208", "555 31 208"),
        ("Tel.: 71 42 19", "71 42 19"),  # six digits: only with a cue
        ("Telefon: 0731 2294411", "0731 2294411"),
        ("téléphone 03 88 41 27 60", "03 88 41 27 60"),
        ("teléfono 611 204 387", "611 204 387"),
        ("telefone 21 846 3390", "21 846 3390"),
        ("Tlf 33 18 47 52", "33 18 47 52"),
        ("puh 044 318 2270", "044 318 2270"),
        ("тел 8 812 407 21 93", "8 812 407 21 93"),
        ("Office: 3380 4419", "3380 4419"),
        ("Desk: 2107318644", "2107318644"),  # one run of digits: only with a cue
        ("Mobile: 47 820 355", "47 820 355"),
        ("call me back at 36 211 904", "36 211 904"),
    ],
)
def test_a_national_number_after_a_cue_is_a_phone(text, phone):
    assert found(text) == [phone]


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ("588 40 216-Office", "588 40 216"),
        ("58840216-Office", "58840216"),
        ("0512 337 81 04-Fax", "0512 337 81 04"),
        ("31 470 58 office", "31 470 58"),
        ("23 714 028 fax, evenings only", "23 714 028"),
        ("58 61 24 (mobile)", "58 61 24"),
    ],
)
def test_a_label_after_the_number_is_a_cue(text, phone):
    assert found(text) == [phone]


@pytest.mark.parametrize(
    "text",
    [
        "12345678 mobile users signed up",  # the label does not end the item
        "work on 12345678 records",  # 'work' labels only right before the number
        "order 48291045, see office",
    ],
)
def test_words_that_do_not_label_the_number_are_not_cues(text):
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ("please stop texting 43 612 07 88", "43 612 07 88"),  # 2-3-2-2: only phones
        ("they never answer 0676 512 38 20", "0676 512 38 20"),
        ("registered 93 418 22 60. Could you", "93 418 22 60"),
        ("you can try 21 318 442 7050", "21 318 442 7050"),
        ("ask for 0351 4427018 instead", "0351 4427018"),  # trunk 0, then the subscriber
        ("ask for 070-4418203 instead", "070-4418203"),
        ("not answering at 27 615093", "27 615093"),  # libphonenumber: some region writes it so
        ("not answering at 33 64 74", "33 64 74"),  # six digits, as small territories write them
        ("not answering at 9128 4470", "9128 4470"),
        ("not answering at 611 204 387.", "611 204 387"),
        ("try 080-4471-2206 tonight", "080-4471-2206"),
        ("try (31) 718-204 tonight", "(31) 718-204"),
        ("reach Athens on (+30) 2107 318644", "(+30) 2107 318644"),
    ],
)
def test_layouts_only_phones_take_need_no_cue(text, phone):
    assert found(text) == [phone]


@pytest.mark.parametrize(
    "text",
    [
        "Order INV-2024-000123 was shipped on 2024-01-15 at 14:32.",
        "Invoice no. 2024-000981 dated 12 05 2024",
        "ticket 12 345 678 is open",
        "order 4418 2206 is on its way",
        "We processed 12 345 678 events and 1 200 000 rows.",
        "The total was 912 345 678 units",
        "Total 1 234 567,89 EUR",
        "Price: € 12 345 678",
        "a population of 10 000 000",
        "He paid 25 000 000 VND",
        "The meeting is on 05.12.2024 at 10:00",
        "at 12 05 2024 09 15 we met",
        "since 08.07.2023 14:55 UTC",
        "Version 10.4.3.2; build 2024.05.1; release 3.12.4.",
        "The server at 192.168.100.200 timed out.",
        "Coordinates 52.5200 13.4050, or 52.520008",
        "Card 4111 1111 1111 1111 was declined.",
        "transaction 7781-2234-9910",
        "IBAN DE89 3704 0044 0532 0130 00 and NO93 8601 1117 947",
        "SSN 123-45-6789",
        "The ISBN 978-0-306-40615-7",
        "Years 2019 2020 and 1999-2004 were good",
        "Ref 2024 000123",
        "123 Main St, Springfield, IL 62704-1234",
        "Avenida Noruega 42, 5000-047 Vila Real",
        "〒100-0001 東京都千代田区",
        "Praha 110 00, ul. Marszałkowska 1, 00-950 Warszawa",
        "sizes 36 38 40 42 available, rooms 101 102 103",
        "count down 30 20 10",
        "the numbers 12 27 33 were drawn",
        "My age is 37 and I was born in 1982",
        "Account ending 1234 5678 last month",
        "see order 48291045",
    ],
)
def test_ordinary_numbers_are_not_phones(text):
    assert found(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Tel.: 2024-01-15",  # a date after a cue is still a date
        "phone 12 05 2024",
        "call 1 234,56",  # an amount
        "fax INV-2024-000123",
        "mobile 4111 1111 1111 1111",
    ],
)
def test_a_cue_does_not_make_a_date_an_amount_or_an_id_a_phone(text):
    assert found(text) == []


def test_literal_escapes_are_separators_not_letters():
    text = r"Name: Eduard Novak\nPhone: 961 52 200\n\nE-mail:\nx@example.com"
    assert found(text) == ["961 52 200"]
    text = r"Personal Info:\nPhone:\n0680 391 92 17\n\nE-mail:"
    assert found(text) == ["0680 391 92 17"]


def test_a_run_never_crosses_a_line_break():
    for text in ("Phone: 555 31\n208 44", r"Phone: 555 31\n208 44", "Phone: 555 31\t208 44"):
        assert all("\n" not in p and "\\" not in p and "\t" not in p for p in found(text))


def test_a_cue_on_the_previous_line_counts_only_as_a_label():
    assert found("telephone\n714 219") == []  # six digits in two groups need a cue
    assert found("Phone:\n714 219") == ["714 219"]  # a form: label line, then its value
    assert found(r"Phone:\n714 219") == ["714 219"]


def test_one_candidate_pass_and_shapes_cached_per_run():
    text = "call 555 31 208 or 555 31 208, order 16489"
    assert [m.group() for m in CANDIDATE.finditer(text)] == ["555 31 208", "555 31 208", "16489"]
    shape.cache_clear()
    found(text)
    assert shape.cache_info().misses == 1 and shape.cache_info().hits == 1  # '16489' is short


@pytest.fixture(scope="module")
def nlp() -> NlpSettings:
    return NlpSettings()


def test_the_detector_masks_national_numbers_and_keeps_labels(nlp):
    text = (
        r"Date: 2019-03-02\nName: Eduard Novak\nPhone: 961 52 200"
        "\nOrder INV-2024-000123, total 1 234,56 EUR.\n588 40 216-Office\\,0512 337 81 04-Fax"
    )
    (findings,) = find_all([text], None, nlp)
    phones = [text[f.start : f.end] for f in findings if f.entity == "PHONE_NUMBER"]
    assert phones == ["961 52 200", "588 40 216", "0512 337 81 04"]
    assert not any("INV" in text[f.start : f.end] for f in findings)
