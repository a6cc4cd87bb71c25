"""Phone numbers of any layout when a phone word comes right before (or after) them.

Production data holds numbers neither libphonenumber nor the layout patterns accept: typos,
fictional or retired ranges, odd bracketing ('+95(6)7641395633'), plain digit runs
('2788936386'), a wrong number of groups ('40-1067-3541'). Out of context such a number is
indistinguishable from an order id, so it is taken only right after a word that says "phone":
'call me back at …', 'changed phone to …', 'tel: …', 'mobile …', 'phone \\'…\\'', or right before
a phrase that does ('… is still the best number to reach you'). The words stay; only the
number is replaced.

Why it stays off other numbers: the cue must be a phone word (not 'number', 'order', 'id'),
at most 24 characters of non-digit text on the same line lie between cue and number, the number
has 7 to 15 digits (extension aside), and dates, amounts and a repeated digit are refused, as
is a number introduced by an id word ('call about order 4829104').

Phone words ('phone', 'Tel.:', 'mobile', 'Telefon', 'téléphone', 'Tlf', 'puh', 'тел', '电话'…)
may stand a few words before the number ('call me back at …'). ``cue_before`` and
``cue_after`` read two more kinds of cue for the digit-group runs of :mod:`phone_national`:
words that are phone labels only when they label ('office', 'home', 'work', 'desk'), right
before the number ('Office: …', 'home 0680 …'); and after the number, a label that ends the
item ('… -Office', '… fax', '… (mobile)' at the end of a line or before a comma), so
'12 345 678 mobile users' stays. A cue never reaches across a line break (a literal ``\\n``
escape is one too, :mod:`escapes`) — except a label alone on its line with a colon, which labels
the next line ('Phone:\\n555 31 208', as exports write a form).
"""

from __future__ import annotations

import regex as re
from presidio_analyzer import EntityRecognizer, RecognizerResult

from sanitizer.mask.text.recognizers.escapes import blank_escapes
from sanitizer.mask.text.recognizers.phone_messy import EXT, EXTENSION_AT_END

CUES = (
    r"phone|phones|telephone|tel|ph|mobile|mob|cell|cellphone|call|called|calling|ring|"
    r"whatsapp|fax|sms|text|texted|reach|móvil|movil|telefone|teléfono|telefono|téléphone|"
    r"tél|celular|handy|telefon|telefonu|telefonnummer|mobil|portable|appel|bellen|"
    r"mobiel|llama|ligue|ligar|anrufen|tlf|tfn|puh|puhelin|sími|gsm|komórka|kom|тел|телефон|"
    r"моб|τηλ|τηλέφωνο|κινητό|电话|致电|手机|電話|携帯"
)
# Words that say "phone" only as a label right before the number: 'Office: 020 …', 'home 555 …'
LABEL_CUES = r"office|home|work|desk|direct|landline|private|business"
# A label alone on its line labels the next one: 'Phone:\n555 31 208' (not 'telephone\n555…')
LABEL_LINE = r"[ \t]*[:：][ \t]*\n[ \t]*"
LABEL_BEFORE = re.compile(
    rf"(?<![\w])(?i:{LABEL_CUES})(?![\w])(?:[.:]?[ \t]{{0,2}}|{LABEL_LINE})\Z"
)
# A label that ends the item after the number: '… -Office', '… fax', '… (mobile),'
LABEL_AFTER = re.compile(
    r"^[ \t]?[\-–/(]?[ \t]?(?i:office|fax|mobile|mob|cell|home|work|phone|tel|landline|"
    r"direct|desk|private|business|gsm)[ \t]?\)?(?=$|[\n\r,;.|/\\])"
)
NUMBER = rf"(?P<number>\+?\(?\d[\d \t().\-]{{5,22}}\d{EXT})"
NUMBER_END = r"(?![\w])(?![.\-/:,]\d)(?![ \t]?\d)"
BEFORE = re.compile(rf"(?<![\w])(?i:{CUES})(?![\w])(?P<gap>[^\n\d@]{{0,24}}?){NUMBER}{NUMBER_END}")
# "… 555 123 4567 is still the best number to reach you": the phone word comes after
TRAILING_CUES = (
    r"best number|phone number|mobile number|cell number|number to (?:reach|call|text|contact)|"
    r"to reach (?:me|you|us|him|her|them)"
)
AFTER = re.compile(
    rf"(?<![\w+/.\-]){NUMBER}{NUMBER_END}[^\n\d@]{{0,30}}?(?<![\w])(?i:{TRAILING_CUES})(?![\w])"
)
# the same two kinds of cue, read from the number's edge (for other phone recognizers)
_CUE_BEFORE = re.compile(rf"(?<![\w])(?i:{CUES})(?![\w])(?P<gap>[^\n\d@]{{0,24}}|{LABEL_LINE})\Z")
_TRAILING = re.compile(rf"^[^\n\d@]{{0,30}}?(?<![\w])(?i:{TRAILING_CUES})(?![\w])")
# "call about order 4829104": the number belongs to the word right before it, not the cue
_ID_WORD = re.compile(
    r"(?i)(?:\b(?:order|invoice|ticket|case|ref|reference|id|account|acct|tracking|po|sku|"
    r"item|room|flight|booking|confirmation|code|pin)\b|#)[^\w]*$"
)
_DIGIT = re.compile(r"\d")
_DATE = re.compile(r"^\d{1,4}[./\- ]\d{1,2}[./\- ]\d{1,4}$")
_AMOUNT = re.compile(r"\.\d{2}$")
SCORE = 0.6


def cue_before(text: str, start: int) -> bool:
    """A phone word shortly before ``start`` on the same line (and no id word between), or a
    phone label right before it. ``text`` has its literal escapes blanked."""
    window = text[max(0, start - 48) : start]
    match = _CUE_BEFORE.search(window)
    if match and not _ID_WORD.search(match.group("gap")):
        return True
    return LABEL_BEFORE.search(window) is not None


def cue_after(text: str, end: int) -> bool:
    """A label that ends the item right after ``end`` ('-Office', ' fax', ' (mobile)'), or a
    phrase that names the number ('… is the best number to reach me')."""
    window = text[end : end + 48]
    return bool(LABEL_AFTER.match(window) or _TRAILING.match(window))


def plausible(number: str) -> bool:
    """7 to 15 digits, and not a date, an amount or one digit repeated."""
    number = EXTENSION_AT_END.sub("", number)
    digits = "".join(_DIGIT.findall(number))
    if not 7 <= len(digits) <= 15 or len(set(digits)) == 1:
        return False
    return not (_DATE.match(number) or _AMOUNT.search(number))


class CuedPhoneRecognizer(EntityRecognizer):
    """PHONE_NUMBER for a phone-shaped number right after a phone word, whatever its layout."""

    def __init__(self, supported_language: str = "en"):
        super().__init__(
            supported_entities=["PHONE_NUMBER"],
            name="CuedPhoneRecognizer",
            supported_language=supported_language,
        )

    def load(self) -> None:
        pass

    def analyze(self, text: str, entities: list[str], nlp_artifacts=None) -> list:
        text = blank_escapes(text)
        spans = {
            match.span("number")
            for match in BEFORE.finditer(text)
            if plausible(match.group("number")) and not _ID_WORD.search(match.group("gap"))
        }
        spans.update(
            match.span("number")
            for match in AFTER.finditer(text)
            if plausible(match.group("number"))
        )

        metadata = {
            RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
            RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
        }
        return [
            RecognizerResult("PHONE_NUMBER", start, end, SCORE, recognition_metadata=metadata)
            for start, end in sorted(spans)
        ]
