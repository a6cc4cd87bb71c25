"""Card numbers in messy groupings: Luhn-valid ones are found with their exact span; numbers that
fail Luhn, ids, dates and amounts are not cards."""

from __future__ import annotations

import pytest
from helpers.recognizers import engine_with, spans
from presidio_analyzer import AnalyzerEngine

from sanitizer.mask.text.recognizers import MessyCreditCardRecognizer
from sanitizer.mask.text.recognizers.credit_card_messy import issuer_plausible, luhn_valid

NAME = "MessyCreditCardRecognizer"


@pytest.fixture(scope="module")
def engine() -> AnalyzerEngine:
    return engine_with(MessyCreditCardRecognizer())


def found(engine: AnalyzerEngine, text: str) -> list[str]:
    return spans(engine, text, "CREDIT_CARD")


def mine(engine: AnalyzerEngine, text: str) -> list[str]:
    return spans(engine, text, "CREDIT_CARD", recognizer=NAME)


POSITIVE = [
    "5500  0000  0000  0004",
    "4111.1111.1111.1111",
    "601100 0990139424",
    "3782 822463 10005",
    "4012-8888-8888-1881",
    "3530 1113 3330 0000",
    "2221 0000 0000 0009",
    "6304 0000 0000 0000 018",
    "4111 11111111 1111",
]

NEGATIVE = [
    "4111 1111 1111 1112",  # Luhn fails
    "1234 5678 9012 3456",  # Luhn fails, no issuer
    "9400 1000 0000 0000 0000 00",  # tracking number: no card issuer starts with 9
    "Order INV-4111-1111-1111-1111 shipped",  # glued to an id
    "Transaction 7781-2234-9910 was declined",
    "2024-01-15 2024-01-16",
    "Amount 4,111,111,111.11 USD",
    "Request 3f2504e0-4f89-11d3-9a0c-0305e82c3301",
    "0000 0000 0000 0000",
    "snowflake id 5251549009234886656",  # 19 plain digits, no context
    "Version 4.1.11.1111",
]


@pytest.mark.parametrize("card", POSITIVE)
def test_cards_are_found_with_their_exact_span(engine, card):
    assert card in found(engine, f"paid with {card} yesterday")


@pytest.mark.parametrize("text", NEGATIVE)
def test_numbers_that_are_not_cards_are_not_found(engine, text):
    assert mine(engine, text) == []


def test_long_plain_digit_runs_need_a_card_context_word(engine):
    number = "4065469469522409663"  # 19-digit Visa, Luhn-valid
    assert luhn_valid(number)
    assert mine(engine, f"the event id was {number}") == []
    assert number in found(engine, f"charged to credit card {number}")


def test_issuer_ranges():
    assert issuer_plausible("4111111111111111")
    assert issuer_plausible("2221000000000009")
    assert issuer_plausible("213112345678901")  # JCB 15
    assert not issuer_plausible("2000000000000000")
    assert not issuer_plausible("3100000000000000")
    assert not issuer_plausible("9400100000000000")
