"""Phone numbers in the layouts Presidio's ``PhoneRecognizer`` misses or scores at the threshold.

Presidio finds phones with ``phonenumbers`` for eight regions and scores every one 0.4, so
without a context word they sit exactly at the default threshold (and vanish above it); numbers
``phonenumbers`` thinks unassigned ('+44 7700 900123', the UK's drama range) or written in
other regions' national formats ('06 6982 1234', '020 794 6000') are missed entirely.

Why the patterns stay off other numbers:
- a phone must look like one: a '+' or '00' country prefix, a North-American 3-3-4 grouping, a
  trunk '0' national number, or a parenthesised area code, with separators unless it starts
  with '+' ('+4930901820' is E.164, '00123456789' is a case number);
- 7 to 15 digits (E.164's limit), not one digit repeated, not '000…', extensions ('x12',
  'ext. 7') aside; with a country prefix, a length that country's numbers can have
  (``phonenumbers.is_possible_number``: fictional ranges pass, '0012-3344-5566' does not);
- never glued to letters, digits, '/' or an id ('INV-2024-000123', UUID pieces, IPs, versions
  '10.4.3.2', digit groups of a card number), and not followed by a decimal part;
- date shapes ('2024-01-15', '05.12.2024', '01/02/2024') are refused; times and amounts have
  no matching layout (':' and ',' are not separators);
- Brazilian numbers without brackets need the mobile '9xxxx' or a '-' between two groups of
  four ('11 98765 4321', '31 3456-7890');
- Spanish-style 9-digit numbers without a prefix ('912 345 678') and Chinese mobiles written
  as eleven plain digits ('13812345678') score below the threshold and need a context word
  ('phone', 'tel', 'call', 'móvil', '电话'…).
"""

from __future__ import annotations

import regex as re
from presidio_analyzer import Pattern, PatternRecognizer

from sanitizer.mask.text.recognizers.escapes import blank_escapes

LEAD = r"(?<![\w+/])(?<!\w[.\-/])(?<!\d[ \t])"
END = r"(?![\w])(?![.\-/:,]\d)(?![ \t]\d)"
SEP = r"[ \t.\-]"
EXT = (
    r"(?:[ \t]*,?[ \t]*(?i:x|ext\.?|extn\.?|extension|ramal|durchwahl|poste|tkn)[ \t]*"
    r"\d{1,5})?"
)

PATTERNS = [
    Pattern(
        "international (+CC or 00CC)",
        rf"{LEAD}(?:\+|00)[1-9]\d{{0,2}}(?:{SEP}?\((?:0|\d{{1,4}})\))?(?:{SEP}?\d{{1,6}}){{1,5}}"
        rf"{SEP}?\d{{2,6}}{EXT}{END}",
        0.6,
    ),
    Pattern(
        "North American 3-3-4",
        rf"{LEAD}(?:1{SEP})?(?:\([2-9]\d{{2}}\)[ \t]?|[2-9]\d{{2}}{SEP})\d{{3}}{SEP}\d{{4}}"
        rf"{EXT}{END}",
        0.5,
    ),
    Pattern(
        "national number with trunk 0",
        rf"{LEAD}(?:\(0\d{{1,4}}\)|0\d{{1,4}})(?:[ \t.\-/]?\d{{2,8}}){{1,4}}{EXT}{END}",
        0.5,
    ),
    Pattern(
        "parenthesised two-digit area code (Brazil and others)",
        rf"{LEAD}\(\d{{2}}\)[ \t]?\d{{4,5}}{SEP}\d{{4}}{EXT}{END}",
        0.5,
    ),
    Pattern(
        "two-digit area code, then a 9xxxx mobile or a 4-4 landline (Brazil)",
        rf"{LEAD}[1-9]\d[ \t](?:9\d{{4}}[ \t\-]?\d{{4}}|[2-5]\d{{3}}-\d{{4}}){EXT}{END}",
        0.5,
    ),
    Pattern(
        "Chinese mobile, eleven plain digits (needs context)",
        rf"{LEAD}1[3-9]\d{{9}}{END}",
        0.3,
    ),
    Pattern(
        "nine digits 3-3-3 / 3-2-2-2 (needs context)",
        rf"{LEAD}[6-9]\d{{2}}(?:[ \t]\d{{3}}[ \t]\d{{3}}|[ \t]\d{{2}}[ \t]\d{{2}}[ \t]\d{{2}})"
        rf"{END}",
        0.3,
    ),
]

CONTEXT = [
    "phone", "tel", "call", "mobile", "cell", "whatsapp", "fax", "ring", "contact", "number",
    "sms", "text", "móvil", "movil", "telefone", "telefono", "teléfono", "celular", "handy",
    "telefon", "portable", "appel", "bellen", "mobiel", "llama", "ligue", "ligar", "anrufen",
    "电话", "致电", "手机", "联系", "電話",
]  # fmt: skip

EXTENSION_AT_END = re.compile(
    r"[ \t]*,?[ \t]*(?i:x|ext\.?|extn\.?|extension|ramal|durchwahl|poste|tkn)"
    r"[ \t]*\d{1,5}$"
)
_CHINESE_MOBILE = re.compile(r"1[3-9]\d{9}")
_SEPARATOR = re.compile(r"[ \t.\-/()]")
_DATE = re.compile(r"^(?:\d{1,2}([./\- ])\d{1,2}\1(?:\d{2}|\d{4})|\d{4}([./\-])\d{1,2}\2\d{1,2})$")


def _possible_international(digits: str) -> bool:
    """A known country calling code and a length that country's numbers can have
    ('0012-3344-5566' would be +1 with nine digits: a serial number, not a phone)."""
    import phonenumbers

    try:
        return phonenumbers.is_possible_number(phonenumbers.parse("+" + digits))
    except phonenumbers.NumberParseException:
        return False


class MessyPhoneRecognizer(PatternRecognizer):
    """PHONE_NUMBER for international, North-American, trunk-0 national and area-code layouts,
    with extensions; scored above Presidio's 0.4 so they survive without a context word."""

    def __init__(self, supported_language: str = "en", context: list[str] | None = None):
        super().__init__(
            supported_entity="PHONE_NUMBER",
            name="MessyPhoneRecognizer",
            supported_language=supported_language,
            patterns=[Pattern(p.name, p.regex, p.score) for p in PATTERNS],
            context=context if context is not None else CONTEXT,
            global_regex_flags=re.MULTILINE,
        )

    def analyze(self, text: str, entities: list[str], nlp_artifacts=None, regex_flags=None):
        """Literal ``\\n`` escapes read as line breaks (:mod:`escapes`), so 'Phone:\\n+41 …'
        is a number after a separator, not one glued to the letter 'n'."""
        return super().analyze(blank_escapes(text), entities, nlp_artifacts, regex_flags)

    def invalidate_result(self, pattern_text: str) -> bool:
        number = EXTENSION_AT_END.sub("", pattern_text).strip()
        digits = re.sub(r"\D", "", number)
        if _DATE.match(number) or len(set(digits)) == 1 or digits.startswith("000"):
            return True
        plain = not number.startswith("+") and not _SEPARATOR.search(number)
        if plain and not _CHINESE_MOBILE.fullmatch(number):
            return True  # '00123456789' is a case number; '+4930901820' is E.164
        if number.startswith(("+", "00")):
            if number.startswith("00"):
                digits = digits[2:]
            return not (8 <= len(digits) <= 15 and _possible_international(digits))
        if number.startswith(("0", "(0")):
            low, high = 9, 12
        else:
            low, high = 7, 11
        return not low <= len(digits) <= high
