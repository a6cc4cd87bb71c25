"""National ids, postcodes and birth dates written alone right after the word that names them.

Presidio knows the US Social Security number's shape, so 'His social security number is
22099233243' (a Greek AMKA, a Polish PESEL, a Spanish DNI '12345678Z') passes; 'ZIP: 94924'
and 'born on 1986-03-04' pass too, since a lone five-digit number or date is not personal by
its looks. What makes them personal is the word before them, so this recognizer reads only
what follows such a cue:

- an id word ('social security number', 'SSN', 'national id', 'personal number', 'ID number',
  'tax id', 'PESEL', 'AMKA', 'DNI'…) → a run of 6 to 20 letters and digits (digits with single
  spaces, dashes, dots or slashes, a letter group at either end) as ``US_SSN``, whose fake
  keeps the digits' layout;
- a postcode word ('ZIP:', 'zip code', 'postcode', 'postal code', 'PLZ', 'CP', 'ΤΚ'…) → a
  postcode shape (digits with a letter prefix, UK/Canadian/Dutch forms) as ``LOCATION`` with
  the ``postcode`` fake, which keeps the format;
- a birth word ('date of birth', 'born on', 'DOB', 'birthday', 'Geburtsdatum'…) → a full date
  (day, month and year) as ``DATE_TIME``, moved by a keyed number of days in its own layout
  (``quasi_ids``). Birth dates are reported when ``DATE_TIME`` or ``US_SSN`` is asked for (a
  birth date identifies a person as an id number does).

How it stays precise: the cue must stand on the same line as the value (a literal ``\\n``
escape is a line break too, :mod:`escapes`), separated only by a few filler words ('is',
'number', 'no.', ':', '#'); an id word right after a record word ('order ID number',
'ticket id') is no cue; bare 'zip' or 'cp' count only as labels (capitals or a colon:
'ZIP 94924', 'zip: 94924', not 'zip 300 files'); an id needs at least five digits, and a
date, an amount or a phone-looking '+' run after an id cue is refused.
"""

from __future__ import annotations

import regex as re
from presidio_analyzer import EntityRecognizer, RecognizerResult

from sanitizer.mask.text.recognizers.escapes import blank_escapes
from sanitizer.mask.text.recognizers.filters import ID_WORDS
from sanitizer.mask.text.recognizers.kinded import kinded_result

SCORE = 0.7
# words between a cue and its value: 'SSN is', 'social security number: ', 'PESEL nr.'
FILLER = r"(?:[ \t]|[:#=\-–]|(?<![\w])(?i:is|was|reads|no|nr|number|num|code|id)\.?(?![\w])){0,8}?"
ID_CUES = (
    r"social[ \t]+security(?:[ \t]+(?:number|no|nr|num|#))?|ssn|sin|"
    r"national[ \t]+(?:id|identity|identification|insurance)(?:[ \t]+(?:number|no|card|code))?|"
    r"personal[ \t]+(?:id|identity|identification|code|number|no)(?:[ \t]+(?:number|no|code))?|"
    r"(?:id|identity|identification|citizen|voter|tax|taxpayer)[ \t]+(?:number|no|nr|code|id)|"
    r"tax[ \t]+identification[ \t]+number|tin|nino|ni[ \t]+number|"
    r"pesel|amka|afm|nif|nie|dni|nip|bsn|cpr|cnp|egn|oib|personnummer|kennitala|"
    r"henkilötunnus|rodné[ \t]+číslo|codice[ \t]+fiscale|steuer-?id|steueridentifikationsnummer|"
    r"sozialversicherungsnummer|numer[ \t]+pesel|número[ \t]+de[ \t]+identificación|"
    r"αριθμός[ \t]+ταυτότητας|マイナンバー|個人番号"
)
# an id word after a record word names a record: 'order ID number 55120348'
_RECORD_BEFORE = re.compile(rf"(?i:\b(?:{ID_WORDS}|customer|user|account|employee))[ \t]*\Z")
ID_VALUE = r"(?P<value>(?:\p{Lu}{1,3}[ \t\-]?)?\d+(?:[ \-./]\d+)*(?:[ \t\-]?\p{Lu}{1,2})?)"
VALUE_END = r"(?![\w])(?![.\-/,]\d)"
ID_RE = re.compile(rf"(?<![\w])(?P<cue>(?i:{ID_CUES}))(?![\w]){FILLER}{ID_VALUE}{VALUE_END}")

# 'zip'/'cp'/'cap' are words too: only as labels (capitals, or a colon after them)
ZIP_CUES = (
    r"(?i:zip[ \t]?code|postcode|post[ \t]+code|postal[ \t]+code|post[ \t]+number|"
    r"código[ \t]+postal|codigo[ \t]+postal|code[ \t]+postal|kod[ \t]+pocztowy|postleitzahl|"
    r"postnummer|irányítószám|почтовый[ \t]+индекс|индекс|郵便番号|邮编|邮政编码)|"
    r"ZIP|PLZ|CP|CAP|PSČ|ΤΚ|Τ\.Κ\.|〒|(?i:zip|plz|cp|psč)(?=[ \t]*:)"
)
POSTCODE = (
    # six digits: India, China, Russia, Romania, Kazakhstan, Singapore, Vietnam, Colombia…
    r"(?P<value>\d{4}[ \t]?\p{Lu}{2}(?![\w])|(?:\p{Lu}{1,3}[ \t\-]?)?\d{3,6}(?:[ \-]\d{2,4})?"
    r"|\p{Lu}{1,2}\d[\p{Lu}\d]?[ \t]?\d\p{Lu}{2}|\p{Lu}\d\p{Lu}[ \t]?\d\p{Lu}\d)"
)
ZIP_RE = re.compile(rf"(?<![\w])(?P<cue>{ZIP_CUES})(?![\w]){FILLER}{POSTCODE}{VALUE_END}")

BIRTH_CUES = (
    r"date[ \t]+of[ \t]+birth|birth[ \t]?date|birthdate|birthday|born(?:[ \t]+on)?|"
    r"d\.?o\.?b\.?|geburtsdatum|geboren(?:[ \t]+am)?|fecha[ \t]+de[ \t]+nacimiento|"
    r"nacid[oa][ \t]+el|date[ \t]+de[ \t]+naissance|née?[ \t]+le|data[ \t]+di[ \t]+nascita|"
    r"data[ \t]+de[ \t]+nascimento|data[ \t]+urodzenia|urodzony|urodzona|"
    r"ημερομηνία[ \t]+γέννησης|γεννήθηκε|生年月日|誕生日|дата[ \t]+рождения|"
    r"datum[ \t]+narození|születési[ \t]+dátum|fødselsdato|födelsedatum|fæðingardagur"
)
MONTH_WORD = r"\p{L}{3,12}\.?"
DATE = (
    r"(?P<value>\d{4}-\d{1,2}-\d{1,2}"  # ISO
    r"|\d{1,2}[./\-]\d{1,2}[./\-](?:\d{4}|\d{2})"  # 03.04.1986, 4/3/86
    r"|\d{4}[./]\d{1,2}[./]\d{1,2}"  # 1986/04/03
    r"|\d{4}年\d{1,2}月\d{1,2}日"
    rf"|\d{{1,2}}(?:st|nd|rd|th|\.)?[ \t]+(?:of[ \t]+|de[ \t]+)?{MONTH_WORD},?"
    r"[ \t]+(?:de[ \t]+)?\d{4}"
    rf"|{MONTH_WORD}[ \t]+\d{{1,2}}(?:st|nd|rd|th)?,?[ \t]+\d{{4}})"
)
BIRTH_RE = re.compile(
    rf"(?<![\w])(?P<cue>(?i:{BIRTH_CUES}))(?![\w]){FILLER}{DATE}(?![\w])(?![.\-/:]\d)"
)
_DATE_SHAPE = re.compile(r"\d{1,4}[./\-]\d{1,2}[./\-]\d{1,4}")
_DIGIT = re.compile(r"\d")
_ALNUM = re.compile(r"[^\W_]")
MIN_ID_DIGITS, MIN_ID_CHARS, MAX_ID_CHARS = 5, 6, 20


class CuedIdRecognizer(EntityRecognizer):
    """Ids after an id word (``US_SSN``), postcodes after a postcode word (``LOCATION``) and
    dates after a birth word (``DATE_TIME``), each only on the cue's own line."""

    def __init__(self, supported_language: str = "en"):
        super().__init__(
            supported_entities=["US_SSN", "LOCATION", "DATE_TIME"],
            name="CuedIdRecognizer",
            supported_language=supported_language,
        )

    def load(self) -> None:  # regexes only
        pass

    def analyze(self, text, entities, nlp_artifacts=None):
        """Each kind of cue in turn, on a copy of the text whose literal escapes are breaks."""
        wanted = set(entities or ("US_SSN", "LOCATION", "DATE_TIME"))
        plain = blank_escapes(text)
        results: list[RecognizerResult] = []
        if "US_SSN" in wanted:
            results += [self._result(m, "US_SSN", None) for m in ids(plain)]
        if "LOCATION" in wanted:
            results += [self._result(m, "LOCATION", "postcode") for m in ZIP_RE.finditer(plain)]
        if wanted & {"DATE_TIME", "US_SSN"}:
            results += [self._result(m, "DATE_TIME", "date_text") for m in BIRTH_RE.finditer(plain)]
        return results

    def _result(self, match, entity: str, kind: str | None) -> RecognizerResult:
        why = f"value after the cue {match.group('cue')!r}"
        return kinded_result(self, entity, match.span("value"), SCORE, why, kind)


def ids(text: str) -> list:
    """Id-word matches whose value is id-like: 6-20 letters and digits, 5+ digits, no date,
    and the id word not naming a record ('order ID number')."""
    found = []
    for m in ID_RE.finditer(text):
        value = m.group("value")
        chars = len(_ALNUM.findall(value))
        if not MIN_ID_CHARS <= chars <= MAX_ID_CHARS or len(_DIGIT.findall(value)) < MIN_ID_DIGITS:
            continue
        if _DATE_SHAPE.fullmatch(value) or _RECORD_BEFORE.search(
            text[max(0, m.start() - 30) : m.start()]
        ):
            continue
        found.append(m)
    return found
