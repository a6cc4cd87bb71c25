"""Card numbers in the groupings Presidio's ``CreditCardRecognizer`` regex does not accept.

Presidio's card pattern expects 4-4-4-4 style groups split by one space or dash and a first
digit of 1 or 3 to 6; cards typed with double spaces ('5500  0000  0000  0004'), dots
('4111.1111.1111.1111'), copied as 6+10 ('601100 0990139424'), Mastercard's 2-series
('2221…') and 17 to 19 digit numbers leak.

Why the pattern stays off other numbers: 13 to 19 digits in groups separated by one or two
spaces, a dash or a dot, or 13 to 16 plain digits (12-digit Maestro numbers and 17 to 19
plain digits are as often ids, so they need a context word such as 'card' or 'visa'), the
first digits in an issuer's range (JCB 1800/2131, Mastercard 2221-2720, Amex/Diners/JCB 3,
Visa 4, Mastercard/Maestro 5, Discover/UnionPay/Maestro 6) and the Luhn checksum must hold,
so nine in ten random digit groups fail even when shaped right. Numbers glued to letters or ids
('TX-4111-…'), followed by a decimal part, or one digit repeated are refused.
"""

from __future__ import annotations

import regex as re
from presidio_analyzer import Pattern, PatternRecognizer

PATTERN = (
    r"(?<![\w.,/\-])(?<!\d[ \t])[1-6]\d{1,18}(?:(?:[ \t]{1,2}|[.\-])\d{2,15}){0,6}"
    r"(?![\w])(?![.,\-/]\d)(?![ \t]{1,2}\d)"
)
CONTEXT = [
    "card", "credit", "debit", "visa", "mastercard", "amex", "discover", "cc", "jcb", "maestro",
    "payment", "paid", "charge", "tarjeta", "cartão", "cartao", "carte", "karte", "kaart",
]  # fmt: skip


def luhn_valid(digits: str) -> bool:
    total = 0
    for i, char in enumerate(reversed(digits)):
        n = int(char)
        if i % 2:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


def issuer_plausible(digits: str) -> bool:
    """First digits in a card issuer's range: JCB 1800/2131 (15 digits), Mastercard
    2221-2720, Amex/Diners/JCB 30/34-39, Visa 4, Mastercard/Maestro 50-59, Discover/UnionPay/
    Maestro 6."""
    if digits[0] in "12":
        if digits[:4] in ("1800", "2131"):
            return len(digits) == 15
        return 2221 <= int(digits[:4]) <= 2720
    if digits[0] == "3":
        return digits[1] in "04566789"
    return digits[0] in "456"


class MessyCreditCardRecognizer(PatternRecognizer):
    """CREDIT_CARD for 13-19 Luhn-valid digits, plain or grouped by spaces, dashes or dots."""

    def __init__(self, supported_language: str = "en", context: list[str] | None = None):
        super().__init__(
            supported_entity="CREDIT_CARD",
            name="MessyCreditCardRecognizer",
            supported_language=supported_language,
            patterns=[Pattern("grouped 13-19 digits", PATTERN, 0.3)],
            context=context if context is not None else CONTEXT,
            global_regex_flags=re.MULTILINE,
        )

    def validate_result(self, pattern_text: str) -> bool | None:
        """True (score 1.0) for a plausible card; None (pattern score 0.3, so a context word
        is needed) for 12-digit Maestro numbers and 17-19 plain digits, which are as often
        ids; False otherwise."""
        digits = re.sub(r"\D", "", pattern_text)
        plausible = (
            12 <= len(digits) <= 19
            and len(set(digits)) > 1
            and issuer_plausible(digits)
            and luhn_valid(digits)
        )
        if plausible and (len(digits) == 12 or (digits == pattern_text and len(digits) > 16)):
            return None
        return plausible
