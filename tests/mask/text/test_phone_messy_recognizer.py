"""Phone numbers in messy layouts: found with their exact span above the 0.4 threshold; dates,
times, amounts, ids, versions, UUID pieces and IPs are not phones."""

from __future__ import annotations

import pytest
from helpers.recognizers import engine_with, spans
from presidio_analyzer import AnalyzerEngine

from sanitizer.mask.text.recognizers import MessyPhoneRecognizer

NAME = "MessyPhoneRecognizer"


@pytest.fixture(scope="module")
def engine() -> AnalyzerEngine:
    return engine_with(MessyPhoneRecognizer())


def found(engine: AnalyzerEngine, text: str, threshold: float = 0.4) -> list[str]:
    return spans(engine, text, "PHONE_NUMBER", threshold)


def mine(engine: AnalyzerEngine, text: str) -> list[str]:
    return spans(engine, text, "PHONE_NUMBER", recognizer=NAME)


POSITIVE = [
    "+55 (12) 3923-5555",
    "(555) 010-4477 x12",
    "555.010.4477",
    "+49 30 901820",
    "0044 20 7946 0958",
    "+1-202-555-0143 ext. 7",
    "+44 7700 900123",
    "07700 900456",
    "+49 (0)89 123456",
    "030 901820",
    "01 42 68 53 00",
    "020-7946 0018",
    "(11) 98765-4321",
    "+31 20 794 6000",
    "06 6982 1234",
    "+1 (415) 555-0199",
    "+31(0)83-6153448",
    "+4930901820",
    "212 555 0175",
    "11 98765 4321",
    "31 3456-7890",
]

NEGATIVE = [
    "Order INV-2024-000123 was shipped on 2024-01-15 at 14:32.",
    "The meeting is on 05.12.2024 at 10:00 and again on 01/02/2024.",
    "Amount due: 4,500.00 USD; we processed 12 345 678 events and 1 200 000 rows.",
    "Version 10.4.3.2 of the agent; build 2024.05.1; release 3.12.4.",
    "Request 3f2504e0-4f89-11d3-9a0c-0305e82c3301 failed with status 502.",
    "The server at 10.0.0.12 and 192.168.100.200 timed out.",
    "Tracking 1Z999AA10123456784 and transaction 7781-2234-9910.",
    "SKU 100-2345-67, case 00123456789, serial 0012-3344-5566.",
    "Reference number 00044 20 7946 is not valid.",
    "Card 4111 1111 1111 1111 was declined.",
    "Times: 09:00, 12:30, 17:45 and 21:00.",
    "The value was +35236450.6 at the peak.",
    "Use port 8080 and timeout 30000 ms.",
    "Ratio 1:1000 and 2024/05/17-00045.",
]


@pytest.mark.parametrize("phone", POSITIVE)
def test_phones_are_found_with_their_exact_span_without_context(engine, phone):
    text = f"it is {phone} ok"
    assert phone in found(engine, text)


@pytest.mark.parametrize("phone", ["+55 (12) 3923-5555", "(555) 010-4477 x12", "555.010.4477"])
def test_phones_stay_above_a_stricter_threshold_without_context(engine, phone):
    assert phone in found(engine, f"it is {phone} ok", threshold=0.5)


@pytest.mark.parametrize("text", NEGATIVE)
def test_other_numbers_are_not_phones(engine, text):
    assert mine(engine, text) == []


def test_nine_digit_numbers_need_a_context_word(engine):
    assert mine(engine, "the total was 912 345 678 units") == []
    assert "912 345 678" in found(engine, "mi teléfono: 912 345 678")


def test_plain_chinese_mobiles_need_a_context_word(engine):
    assert mine(engine, "batch 13812465903 finished") == []
    assert "13812465903" in found(engine, "如有问题请致电 13812465903 或发送邮件")
    assert "13812465903" in found(engine, "my mobile: 13812465903")


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        (r"Name: Ida Berg\nPhone: +41 31 380 55 21", "+41 31 380 55 21"),
        (r"Personal Info:\nPhone:\n(555) 010-4477\n", "(555) 010-4477"),
    ],
)
def test_a_literal_line_break_escape_before_the_number_is_a_separator(engine, text, phone):
    assert mine(engine, text) == [phone]
