"""Personal codes written with nothing naming them: national ids by their check digits,
@handles, and five-digit numbers alone (postcodes); and what stays."""

from __future__ import annotations

import random

import pytest
from faker import Faker

from sanitizer.mask.text.recognizers import (
    HandleRecognizer,
    LoneCodeRecognizer,
    NationalIdRecognizer,
)
from sanitizer.mask.text.recognizers.national_ids import VALIDATORS

IDS, HANDLES, CODES = NationalIdRecognizer(), HandleRecognizer(), LoneCodeRecognizer()


def spans(recognizer, text: str) -> list[str]:
    return [text[r.start : r.end] for r in recognizer.analyze(text, None)]


# Faker's own generators (written by others) for ids whose validator is asked
FAKER_IDS = [
    ("fr_FR", "ssn"),
    ("pl_PL", "pesel"),
    ("es_ES", "nif"),
    ("es_ES", "nie"),
    ("it_IT", "ssn"),
    ("ro_RO", "ssn"),
    ("no_NO", "ssn"),
    ("fi_FI", "ssn"),
    ("sv_SE", "ssn"),
    ("pt_BR", "cpf"),
]


@pytest.mark.parametrize(("locale", "method"), FAKER_IDS)
def test_a_faker_national_id_alone_in_a_sentence_is_found(locale, method):
    fake = Faker(locale)
    fake.seed_instance(7)
    missed = []
    for _ in range(40):
        value = getattr(fake, method)()
        text = f"Envoyer {value} avant lundi."
        if spans(IDS, text) != [value]:
            missed.append(value)
    assert not missed, f"{locale}.{method}: {missed[:5]}"


def test_random_digit_runs_rarely_pass_a_validator():
    """The validators asked are the strict ones: at most ~3% of random runs of any length
    they cover pass (a 9-digit mod-11 id would let one in ten through)."""
    rng = random.Random(5)
    for length in sorted(k for k in VALIDATORS if k != 9):
        runs = ["".join(rng.choice("0123456789") for _ in range(length)) for _ in range(2000)]
        passed = sum(bool(spans(IDS, f"see {run} here")) for run in runs)
        assert passed / len(runs) <= 0.06, (length, passed)


@pytest.mark.parametrize(
    "text",
    [
        "order 196129122843067 shipped",  # a record word names it
        "INV-196129122843067",  # inside an id
        "total 196129122843067 EUR",  # an amount
        "pi is 3.196129122843067",  # a decimal
        "call 0680 390 92 93 now",  # a phone layout no validator takes
    ],
)
def test_a_valid_looking_run_that_names_a_record_or_amount_stays(text):
    assert spans(IDS, text) == []


@pytest.mark.parametrize(
    ("text", "handle"),
    [
        ("Muet troubler risquer @alexbouchet loup.", "@alexbouchet"),
        ("ping @anna.k, thanks", "@anna.k"),
        ("x\n@xaverzahn\nLieß Abend", "@xaverzahn"),
        ("ask\\n@bob_2 now", "@bob_2"),
    ],
)
def test_an_at_handle_is_a_username(text, handle):
    assert spans(HANDLES, text) == [handle]


@pytest.mark.parametrize(
    "text",
    [
        "mail joe@example.com today",
        "icon@2x.png",
        "@here please review",
        "@dataclass\nclass Point:",
        "    @Override\n    public void run()",
        "meet @ 5pm",
        "@12345",
    ],
)
def test_emails_annotations_and_chat_mentions_are_no_handles(text):
    assert spans(HANDLES, text) == []


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Writer can boy 77163 room value film.", "77163"),
        ("Schlafen leben haben reiten 67751 Welt dem.", "67751"),
        ("She moved to 02139 last year", "02139"),
        ("Lives near SW1A 1AA now", "SW1A 1AA"),
        ("Ottawa K1A 0B1 office", "K1A 0B1"),
        ("woont in 1012 AB sinds", "1012 AB"),
        ("mora em 1000-205 há anos", "1000-205"),
        ("lives at 94105-1804 now", "94105-1804"),
        ("〒100-0001 Tokyo", "〒100-0001"),
        ("Melbourne 3000 VIC", "3000"),
        ("bor i 123 45 Stockholm", "123 45"),
        ("Dublin D02 X285 office", "D02 X285"),
    ],
)
def test_five_digits_alone_are_a_postcode(text, code):
    found = CODES.analyze(text, None)
    assert [text[r.start : r.end] for r in found] == [code]
    assert found[0].recognition_metadata["sanitizer_fake_kind"] == "postcode"


@pytest.mark.parametrize(
    "text",
    [
        "order 55120 shipped",
        "ticket #55120",
        "INV-55120",
        "costs $12345",
        "12,345 users",
        "in 1986 and 2024",  # years are dates' business
        "call 555 12 34 56",  # a phone's groups
        "list 36 38 40 42",
        '{"ticket_id": 3930, "request": "x"}',  # a JSON number: structured data
        "port=54321 host=db",
        "3930",  # a whole cell or JSON leaf: its field's rule says what it is
        "12345678901",
        "123456 rows",
        "v1.12345",
        "at 1030 PM",
        "tracking 123456789012",
        "INV-123456789012",
    ],
)
def test_record_numbers_amounts_and_other_lengths_are_no_lone_code(text):
    assert spans(CODES, text) == []


@pytest.mark.parametrize("run", ["12345678", "165119720948679", "12345678901234567"])
def test_a_long_number_alone_is_scrambled_as_an_account(run):
    text = f"Mince jaune {run} éclairer"
    found = CODES.analyze(text, None)
    assert [(r.entity_type, text[r.start : r.end]) for r in found] == [("US_BANK_NUMBER", run)]
