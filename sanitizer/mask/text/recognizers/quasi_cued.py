"""Dates, ages, nationalities, honorifics and organisations that spaCy misses or never sees.

spaCy runs only on sentences that could hold a name or a place (``ner_segments``), so a date
in a lower-case sentence ('we met in 2005'), an age ('aged 63') or the honorific before a
name ('Dr.' of 'Dr. Okafor') needs a recognizer of its own:

- ``DATE_TIME``: numeric dates and timestamps ('1991-04-27 04:43', '27/04/1991', '27.04.1991'),
  dates with a month name ('April 27, 1991', '27 April 1991', 'April 1991', 'April 27'),
  times of day ('14:23:05', '3:45 PM', '10am'), a year after a word that places it in time
  ('in 1991', 'since 2005', 'born 1978'), and a weekday or month named in another language
  than English ('czwartek', 'März', '木曜日'; ``calendar_names``);
- ``AGE``: a number with 'years old' / 'year-old' / 'y/o' after it, or 'aged' / 'age' /
  'turned' before it, or 'I'm' / 'he was' before it at the end of a clause ('and i'm 49.');
- ``NRP``: a nationality or language ('Icelandic', 'Chechen'), from Faker's lists of language
  and currency names, capitalized — or in any case in a text that has no capital letter; and
  a country's name with 人 or 인 ('スロベニア人', '미국인'; ``cjk_demonyms``);
- ``TITLE``: an honorific (Mr, Mrs, Ms, Miss, Mx, Dr, Prof, Sir, Dame) before a capitalized
  word — or, in a text with no capital letter, 'mr', 'mrs', 'ms', 'mx', 'dr' or 'prof' before a
  word; and a job title in another language than English (``job_titles``: 'Нефролог');
- ``ORGANIZATION``: up to five capitalized words ending in a legal form ('Apar Industries Ltd',
  'Farmer Bros. Co.', 'KPS AG'), which spaCy misses in many sentences, and the capitalized
  words after an employment cue ('I work for Quandl', 'spent a year at E&Y as'); spaCy's own
  organisations are kept only when they end in a legal form or an institution word
  (``filters.keep_named_organizations``).

Numbers inside ids and amounts are dropped afterwards (``filters.drop_numbers_in_ids``).
Each finding names its replacement (``quasi_ids``) by the fake-kind key.
"""

from __future__ import annotations

from functools import cache

import regex as re
from presidio_analyzer import EntityRecognizer, RecognizerResult

from sanitizer.mask.text.calendar_names import foreign_calendar_names
from sanitizer.mask.text.recognizers.alternation import first_matches
from sanitizer.mask.text.recognizers.cjk_demonyms import find_demonyms
from sanitizer.mask.text.recognizers.escapes import blank_escapes
from sanitizer.mask.text.recognizers.job_titles import find_job_titles
from sanitizer.mask.text.recognizers.kinded import kinded_result

SCORE = 0.6
# above spaCy's 0.85: Presidio drops a finding inside a longer one of the same entity unless it
# scores higher, and spaCy's longer ORG ('The Kanani Industries Ltd Orchestra') is dropped
# afterwards for not ending in a legal form (filters.keep_named_organizations)
ORGANIZATION_SCORE = 0.9
MONTHS = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?)?"
_YEAR = r"(?:1[89]\d{2}|20\d{2})"
_MERIDIEM = r"(?i:am|pm|a\.m\.|p\.m\.)"
YEAR_CUES = (
    r"in|since|from|until|till|by|before|after|around|circa|year|born|of|during|early|late"
    r"|a|an|the"  # 'a 2015 film', 'the 2019 season'
)
DATE_RE = re.compile(
    rf"(?<![\w./\-:])(?:"
    rf"{_YEAR}-\d{{1,2}}-\d{{1,2}}{_TIME}"  # ISO, with a time
    rf"|\d{{1,2}}([./\-])\d{{1,2}}\1{_YEAR}{_TIME}"  # 27/04/1991, 04-27-1991, 27.04.1991
    rf"|{_YEAR}/\d{{1,2}}/\d{{1,2}}"
    rf"|{MONTHS}[ \t]+\d{{1,2}}(?:st|nd|rd|th)?,?[ \t]+{_YEAR}"  # April 27, 1991
    rf"|\d{{1,2}}(?:st|nd|rd|th)?[ \t]+(?:of[ \t]+)?{MONTHS}[ \t]*,?[ \t]+{_YEAR}"  # 27 April 1991
    rf"|{MONTHS}[ \t]+{_YEAR}"  # April 1991
    rf"|{MONTHS}[ \t]+\d{{1,2}}(?:st|nd|rd|th)?"  # April 27
    rf"|\d{{1,2}}(?:st|nd|rd|th)?[ \t]+(?:of[ \t]+)?{MONTHS}"  # 27 April, 27th of April
    rf"|(?<=\b(?i:{YEAR_CUES})[ \t]+){_YEAR}"  # in 1991, since 2005
    rf"|(?<![:.])\d{{1,2}}:[0-5]\d(?::[0-5]\d)?(?:[ \t]?{_MERIDIEM})?"  # 14:23:05, 3:45 PM
    rf"|\d{{1,2}}[ \t]?{_MERIDIEM}"  # 10am, 3 pm
    rf")(?![\w]|[./\-:]\d)"
)
_AGE_AFTER = r"years?[ \t]*-?[ \t]*old|yrs?[ \t]*-?[ \t]*old|y/o|y\.o\.?|yo|years?[ \t]+of[ \t]+age"
_AGE_CUES = (
    r"aged|age|ages|turned|turns|turning|the[ \t]+age[ \t]+of|age[ \t]+of|age[ \t]+(?:is|was)"
)
_AGE_SUBJECT = (
    r"i'?m|i[ \t]+am|i[ \t]+was|(?:he|she|they)(?:'s|[ \t]+is|[ \t]+was|[ \t]+are)"
    r"|(?:i|he|she|they|we|you)(?:'ll|[ \t]+will|[ \t]+would)[ \t]+be"  # 'I will be 50 …'
)
# 'I'm 49 and …': the words that go on a clause after an age
_AGE_CLAUSE_ON = (
    r"and|but|now|so|next|this|last|when|with|i|he|she|we|they|you|at|until|by|in[ \t]+\d{4}"
)
_BE = r"i'?m|am|is|was|are|he's|she's|they're|you're|be|being"
# '… years' that is a span of time, not an age ('is 5 years ago', '… years older')
_NOT_AGE_YEARS = (
    r"ago|later|earlier|before|after|since|from|long|away|ahead|behind|apart|older|younger"
    r"|in|of(?![ \t]+age)"
)
_AGE_NUMBER = r"\d{1,3}(?:\.\d(?!\d))?"  # '45', a child's '1.5'
_PERSON_NOUNS = (
    r"patient|man|woman|boy|girl|male|female|son|daughter|husband|wife|mother|father|mom"
    r"|dad|brother|sister|friend|client|customer|child|kid|baby|victim|suspect|driver"
)
# An age's forms, matched as one pattern each (:mod:`alternation`: the same matches as their
# alternation, about four times faster)
AGE_FORMS = (
    rf"(?<![\w.,])\d{{1,3}}(?:\.\d)?(?=[ \t]*-?[ \t]*(?i:{_AGE_AFTER})\b)",
    rf"(?<=\b(?i:{_AGE_CUES})[ \t]*[:=\-–]?[ \t]*){_AGE_NUMBER}(?![\w.,]\d|\w)",
    rf"(?<=\b(?i:{_AGE_SUBJECT})[ \t]+){_AGE_NUMBER}"
    rf"(?=[ \t]*(?:[.,;!?\r\n]|$|\\[ntr])|[ \t]+(?i:{_AGE_CLAUSE_ON})\b)",
    rf"(?<=\b(?i:{_BE})[ \t]+)\d{{1,3}}"
    rf"(?=[ \t]+(?i:years?|yrs?)\b(?![ \t]+(?i:{_NOT_AGE_YEARS})\b))",
    # '(34M)' '[28/F]' '(M, 45)', or 'F, 28,' opening a line: sex and age, as posts write them
    r"(?<=[(\[][ \t]*)\d{2}(?=[ \t]*/?[ \t]*[MF][ \t]*[)\]])",
    r"(?<=[(\[][ \t]*[MF][ \t]*[,/]?[ \t]*)\d{2}(?=[ \t]*[)\]])",
    r"(?<=(?:^|\n|\\n)[ \t]*[MF][ \t]*[,/][ \t]*)\d{2}(?=[ \t]*[,.;]|[ \t]*$)",
    r"(?<=(?:^|[.!?\n][ \t]*)At[ \t]+)(?:1[3-9]|[2-9]\d)(?=,?[ \t]+I\b)",  # 'At 23 I moved'
    r"(?<![\w.,])\d{1,3}(?:st|nd|rd|th)(?=[ \t]+(?i:birthday|bday|b-day)\b)",  # 30th bday
    rf"(?<=\b(?i:{_PERSON_NOUNS})[ \t]*\()\d{{1,3}}(?=\))",  # 'the patient (62)'
    rf"(?<=\b(?i:{_PERSON_NOUNS}),[ \t]*)\d{{1,3}}(?=[ \t]*,)",  # 'our son, 8, loves'
)
AGE_FINDERS = tuple(re.compile(form) for form in AGE_FORMS)
ENGLISH_HONORIFICS = (
    "Mr",
    "Mrs",
    "Ms",
    "Miss",
    "Mx",
    "Dr",
    "Prof",
    "Sir",
    "Dame",
    "MR",
    "MRS",
    "MS",
    "DR",
)
# before a capital, or a letter of a script without case ('Mr. 村上 京助', 'Dr. 김민준')
BEFORE_NAME = r"(?=[ \t]+(?:\p{Lu}|\p{Lo}))"
HONORIFIC_LOWER_RE = re.compile(r"(?<![\w.])(?:mr|mrs|ms|mx|dr|prof)\.?(?=[ \t]+\p{L})")
# long legal forms in any case; short ones only as written, and 'Co' only with its period
# ('Aurora CO 80014', 'Adelaide SA 5000' are places)
LEGAL_FORMS = (
    r"(?i:Co\.[ \t]?Ltd|Inc|Incorporated|Ltd|Limited|LLC|LLP|PLC|GmbH|Corp|Corporation"
    r"|Holdings|Group)\.?"
    r"|Co\.|CO\.|S\.A\.|SA|AG|SE|NV|N\.V\.|BV|B\.V\.|Oy|Oyj|AB|ASA|A/S|S\.p\.A\.|SpA"
    r"|S\.r\.l\.|Srl|SAS|SARL|Pty|Kft|Zrt"
)
# in a text with no capital letter: the legal forms no ordinary word spells
LOWER_LEGAL_FORMS = (
    r"co\.[ \t]?ltd|inc|ltd|limited|llc|llp|plc|gmbh|corp|s\.a|s\.p\.a|s\.r\.l|ag|sa"
)
_NOT_FIRST = r"(?:The|A|An|Dear|Hi|Hello|At|For|From|In|To|With|By|And|Or|Our|My|Your)"
_ORG_WORD = r"[\p{Lu}\d][\p{L}\d&'.\-]*"
# a legal form, then the up to five capitalized words before it (read from the legal form
# back: the name is looked for only where a legal form stands)
LEGAL_RE = re.compile(rf"(?<![\w\-])(?:{LEGAL_FORMS})(?![\w\-])(?![ \t]*\d)")


def _name_words_before(fewest: int) -> re.Pattern:
    """``fewest`` to five capitalized words (joined by '&' too) ending where the search ends."""
    return re.compile(
        rf"(?<![\w\-&])(?!{_NOT_FIRST}\b)(?:{_ORG_WORD}[ \t]+(?:&[ \t]+)?){{{fewest},5}}$"
    )


NAME_BEFORE = _name_words_before(1)
# a legal form glued to the name ('Snow PeakInc.', 'CALBEEInc.')
GLUED_LEGAL_RE = re.compile(
    rf"(?<![\w\-&])(?!{_NOT_FIRST}\b)(?:{_ORG_WORD}[ \t]+){{0,4}}"
    rf"\p{{Lu}}\p{{L}}+(?:Inc|Ltd|Corp)\.?(?![\w\-])"
)
# an institution word after two or more capitalized words ('Weather Decision Technologies');
# after one it is too often a heading ('Payment Solutions')
INSTITUTION_WORDS = (
    r"Technologies|Systems|Solutions|Industries|Enterprises|Ventures|Partners|Associates"
    r"|Capital|Fund|Trust|Bank|Bancorp|Insurance|Pharmaceuticals|Therapeutics|Biosciences"
    r"|Labs|University|College|Institute|Hospital|Clinic|Foundation|Association|Society"
)
INSTITUTION_RE = re.compile(rf"(?<![\w\-])(?:{INSTITUTION_WORDS})(?![\w\-])")
TWO_NAME_WORDS_BEFORE = _name_words_before(2)
# 'Bank of Princeton', 'University of Iceland', 'Ministry of Health'
INSTITUTION_OF_RE = re.compile(
    r"(?<![\w\-])(?:Bank|University|College|Institute|Hospital|Ministry|Museum|Church|School"
    rf"|Academy|Department)[ \t]+of[ \t]+(?:the[ \t]+)?{_ORG_WORD}(?:[ \t]+{_ORG_WORD}){{0,3}}"
)
LOWER_LEGAL_RE = re.compile(rf"(?<![\w\-])(?:{LOWER_LEGAL_FORMS})\.?(?![\w\-])(?![ \t]*\d)")
_LOWER_WORD = r"[\p{Ll}\d][\p{Ll}\d&'.\-]*"
LOWER_NAME_BEFORE = re.compile(rf"(?<![\w\-&])(?:{_LOWER_WORD}[ \t]+(?:&[ \t]+)?){{1,4}}$")
# an employer named after an employment cue ('I work for Quandl', 'a year at E&Y as …')
_EMPLOYMENT = (
    r"work(?:s|ed|ing)?[ \t]+(?:for|at)|employed[ \t]+(?:by|at)|employer(?:[ \t]+is)?:?"
    r"|(?:a|one|the[ \t]+following|the[ \t]+previous|last)[ \t]+year[ \t]+at|joined"
)
# a capitalised word, or one of a script without capitals ('フジテック', 'شركة')
_EMPLOYER_WORD = r"[\p{Lu}\d\p{Lo}][\p{L}\p{M}\d&'.\-・\u200c]*"
EMPLOYER_RE = re.compile(
    rf"(?<=\b(?i:{_EMPLOYMENT})[ \t]+)(?!{_NOT_FIRST}\b)"
    rf"{_EMPLOYER_WORD}(?:[ \t]+(?:&[ \t]+)?{_EMPLOYER_WORD}){{0,5}}"
)
# A company named in quotes, as Russian, Ukrainian and Kazakh write them ('«Эльдорадо»',
# 'ГК «ТАИФ»', 'ООО "Ромашка"', 'сп «бизнес кар»'): guillemets around a name that starts with
# a capital (not French speech, '« Bonjour »'), or any quotes after a legal form or a word for
# a company.
_QUOTED_BEFORE = (
    r"ООО|ОАО|ЗАО|ПАО|НАО|АО|ГК|НПО|НПП|ТД|ТОО|ТОВ|ПрАТ|ПАТ|ИП|ФГУП|ГУП|МУП|СП|АҚ|ЖШС"
    r"|(?i:группа|компания|корпорация|холдинг|концерн|объединение|фирма|банковская[ \t]+группа)"
)
_QUOTED_NAME = r"[^«»\"“”„\n.!?,:;]{0,58}[^«»\"“”„\n.!?,:;\s]"
QUOTED_ORG_RE = re.compile(
    rf"(?:(?<![\w\-])(?:{_QUOTED_BEFORE})[ \t]+)?«(?=[\p{{Lu}}\d]){_QUOTED_NAME}»"
    rf"|(?<![\w\-])(?:{_QUOTED_BEFORE})[ \t]+[«\"“„](?=[\p{{L}}\d]){_QUOTED_NAME}[»\"“”]"
)
# Scripts without capitals: a company word opening a short run of Arabic script ('شركة
# البحر الأحمر للتطوير', 'بانک ملت'), or a legal form or institution word ending a run of
# Chinese or Japanese ('中国工商银行', '伊藤忠商事', 'TCL股份'). The whole run, and only a
# short one, set in other text: in a sentence of the script itself the words after 'شركة'
# need not be its name.
_ARABIC_COMPANY = r"شركة|شرکت|مجموعة|بنك|بانک|مصرف|مؤسسة|موسسه|گروه|صنایع|سازمان"
_AW = r"\p{Arabic}[\p{Arabic}\p{M}\u200c]*"
ARABIC_ORG_RE = re.compile(
    rf"(?<![\p{{Arabic}}\u200c][ \t]?)(?:{_ARABIC_COMPANY})(?:[ \t]{_AW}){{1,4}}"
    rf"(?![\p{{Arabic}}\p{{M}}\u200c]|[ \t]+\p{{Arabic}})"
)
_CJK_COMPANY = (
    r"股份有限公司|有限公司|公司|集团|集團|控股|股份|银行|銀行|株式会社|有限会社|商事|工業|工业"
    r"|証券|证券|保険|保险|製作所"
)
_CJK = r"\p{Han}\p{Katakana}\p{Hiragana}ー・"
CJK_ORG_RE = re.compile(
    rf"(?<![{_CJK}])(?:株式会社)?[{_CJK}A-Z]{{1,12}}(?:{_CJK_COMPANY})(?![{_CJK}])"
)
PATTERNS = (("DATE_TIME", "date_text", (DATE_RE,)), ("AGE", "age", AGE_FINDERS))
_WORD = re.compile(r"(?<![\p{L}\-])[\p{L}]+(?:-[\p{L}]+)*")
_CAPITAL_WORD = re.compile(r"(?<![\p{L}\-])\p{Lu}[\p{L}]*(?:-[\p{L}]+)*")
_DEMONYM_END = re.compile(r"(?:an|en|ese|ish|ic|i|ch|sh|ek|ss|ai|ois)$")


@cache
def groups() -> frozenset[str]:
    """Every group of :func:`adjective_groups` and the nouns for its people
    (:func:`people_forms`, :data:`GROUP_NOUNS`), lower case: what a capitalized word is
    checked against."""
    return frozenset(people_forms(adjective_groups() | GROUP_NOUNS))


@cache
def adjective_groups() -> frozenset[str]:
    """Nationalities, languages and other groups, lower case: Faker's language names, the
    adjectives of its currency names ('Icelandic króna' → 'icelandic') that read as a
    nationality ('Danish', 'Chechen'; not 'Cree' or 'Latin'), the demonyms of its country
    names (:func:`demonyms`) and the groups no country name derives. One or two words each."""
    from faker.providers.currency import Provider as Currency
    from faker.providers.person import Provider as Person

    names = set(Person.language_names)
    names |= {" ".join(name.split()[:-1]) for _, name in Currency.currencies if " " in name}
    found = {
        n.lower()
        for n in names
        if n and n[0].isupper() and len(n.split()) <= 2 and _DEMONYM_END.search(n)
    }
    return frozenset(found | demonyms() | IRREGULAR_GROUPS)


def people_forms(groups: set[str] | frozenset[str]) -> set[str]:
    """Each group with the nouns English makes of it: plurals ('latvians', 'israelis',
    'danes', 'icelanders') and the '-man' compounds of '-ch'/'-sh' adjectives ('frenchman',
    'englishwomen', 'dutchmen')."""
    out = set(groups)
    for group in groups:
        if " " not in group and not group.endswith(("s", "sh", "ese")):
            out.add(group + "s")  # over-generates ('irishs'): a made-up word never occurs
        if group.endswith(("ch", "sh")):
            out |= {group + end for end in ("man", "men", "woman", "women")}
    return out


# demonyms no suffix rule derives from a country's name, and groups of religion, region and
# politics that Presidio's NRP covers
IRREGULAR_GROUPS = frozenset(
    {
        *("british", "spaniard", "filipino", "filipina", "swiss", "dutch", "french", "welsh"),
        *("scottish", "scots", "irish", "english", "greek", "thai", "danish", "swedish"),
        *("finnish", "polish", "turkish", "czech", "slovak", "peruvian", "lao", "kiwi"),
        *("jewish", "jew", "muslim", "christian", "catholic", "protestant", "hindu"),
        *("buddhist", "sikh", "arab", "latino", "latina", "hispanic", "asian", "european"),
        *("middle eastern", "middle-eastern", "caucasian", "democrat", "republican"),
    }
)
# the nouns for one person that are not the adjective ('a Dane', 'two Finns'); plurals and
# '-man' compounds are made by people_forms
GROUP_NOUNS = frozenset(
    {
        *("dane", "finn", "swede", "pole", "turk", "scot", "brit", "kurd", "serb", "croat"),
        *("icelander", "greenlander", "new zealander", "luxembourger", "faroese", "basque"),
        *("scotsman", "scotsmen", "scotswoman", "scotswomen", "frenchie", "yank", "aussie"),
    }
)
_NOT_DEMONYMS = frozenset({"martini"})  # Saint Martin + 'i'


@cache
def demonyms() -> frozenset[str]:
    """What English suffix rules make of the last word of Faker's country names ('Taiwan' →
    'taiwanese', 'Togo' → 'togolese', 'Argentina' → 'argentinian', 'El Salvador' →
    'salvadoran'). The rules over-generate ('cubaan'); a made-up word never occurs in text,
    so only the real ones ever match."""
    from faker.providers.address.en_US import Provider as Address

    found: set[str] = set()
    for country in Address.countries:
        word = re.sub(r"\s*\(.*\)", "", country).split()[-1]
        if len(word) >= 4 and word[0].isupper():
            found |= _demonym_forms(word.lower())
    return frozenset(found - _NOT_DEMONYMS)


def _demonym_forms(word: str) -> set[str]:
    forms = {word + end for end in ("ese", "ian", "i", "an", "ean")}
    if word[-1] in "aeioy":
        forms |= {word[:-1] + end for end in ("ese", "ian", "an", "ean")}
    if word.endswith("a"):
        forms.add(word + "n")  # Kenya → kenyan
    if word.endswith("o"):
        forms.add(word + "lese")  # Togo → togolese
    return forms


class QuasiCuedRecognizer(EntityRecognizer):
    """Dates (``DATE_TIME``), ages (``AGE``), nationalities (``NRP``), honorifics before a
    name (``TITLE``) and organisations by their legal form (``ORGANIZATION``)."""

    def __init__(self, supported_language: str = "en"):
        super().__init__(
            supported_entities=["DATE_TIME", "AGE", "NRP", "TITLE", "ORGANIZATION"],
            name="QuasiCuedRecognizer",
            supported_language=supported_language,
        )

    def load(self) -> None:  # regexes only
        pass

    def analyze(self, text, entities, nlp_artifacts=None):
        wanted = set(entities or self.supported_entities)
        plain = blank_escapes(text)  # a literal '\n' is a break, not an 'n' before a year
        results = []
        digits = any(c.isdigit() for c in plain)
        for entity, kind, finders in PATTERNS:
            if entity in wanted and digits:
                found = first_matches(finders, plain)
                results += [self._result(m, entity, kind) for _, m in found]
        if "DATE_TIME" in wanted:
            names = foreign_calendar_names(plain)
            results += [self._span(span, "DATE_TIME", "date_text") for span in names]
        if "NRP" in wanted:
            results += [self._span(span, "NRP", "group") for span in _groups_in(plain)]
            results += [self._span(span, "NRP", "group") for span in find_demonyms(plain)]
        if "TITLE" in wanted:
            honorifics = _honorific_finder() if _has_capital(plain) else HONORIFIC_LOWER_RE
            results += [self._result(m, "TITLE", "honorific") for m in honorifics.finditer(plain)]
            results += [self._span(span, "TITLE", "job") for span in find_job_titles(plain)]
        if "ORGANIZATION" in wanted:
            results += [
                self._span(s, "ORGANIZATION", "company", ORGANIZATION_SCORE)
                for s in _organizations(plain)
            ]
        return results

    def _result(self, match, entity: str, kind: str) -> RecognizerResult:
        return self._span(match.span(), entity, kind)

    def _span(
        self, span: tuple[int, int], entity: str, kind: str, score: float = SCORE
    ) -> RecognizerResult:
        return kinded_result(self, entity, span, score, f"{entity} pattern", kind)


def _groups_in(text: str) -> list[tuple[int, int]]:
    """(start, end) of each nationality, one or two words: capitalized, or in any case when
    the text has no capital letter (then the adjectives only: 'poles' is a word)."""
    capitals = _has_capital(text)
    known = groups() if capitals else adjective_groups()
    words = list((_CAPITAL_WORD if capitals else _WORD).finditer(text))
    found, skip = [], -1
    for i, word in enumerate(words):
        if word.start() < skip:
            continue
        pair = words[i + 1] if i + 1 < len(words) else None
        two = pair is not None and text[word.end() : pair.start()] == " "
        if two and f"{word.group()} {pair.group()}".lower() in known:
            found.append((word.start(), pair.end()))
            skip = pair.end()
            continue
        if word.group().lower() in known:
            found.append(word.span())
    return found


def _organizations(text: str) -> list[tuple[int, int]]:
    """(start, end) of each name ending in a legal form ('Apar Industries Ltd', 'Snow
    PeakInc.'; in a text with no capital letter 'healthpocket inc') or an institution word
    ('Weather Decision Technologies', 'Bank of Princeton'), and of each employer named after
    an employment cue; and each name in quotes the way Russian and its neighbours write a
    company's ('ГК «ТАИФ»', '«Эльдорадо»')."""
    found = [_without_end_punctuation(m) for m in EMPLOYER_RE.finditer(text)]
    found += [m.span() for m in GLUED_LEGAL_RE.finditer(text)]
    if "«" in text or '"' in text or "“" in text:
        found += [m.span() for m in QUOTED_ORG_RE.finditer(text)]
    if not text.isascii():
        found += [m.span() for m in ARABIC_ORG_RE.finditer(text)]
        found += [m.span() for m in CJK_ORG_RE.finditer(text)]
    if _has_capital(text):
        found += _named_before(text, LEGAL_RE, NAME_BEFORE)
        found += _named_before(text, INSTITUTION_RE, TWO_NAME_WORDS_BEFORE)
        found += [_without_end_punctuation(m) for m in INSTITUTION_OF_RE.finditer(text)]
    else:
        found += _named_before(text, LOWER_LEGAL_RE, LOWER_NAME_BEFORE, _not_stop_words)
    return [
        (start, end)
        for start, end in sorted(set(found))
        if not any(s <= start and end <= e and (s, e) != (start, end) for s, e in found)
    ]


def _named_before(text: str, legal_re, name_re, plausible=None) -> list[tuple[int, int]]:
    """(start, end) of each legal form with the words of a name before it."""
    found = []
    for legal in legal_re.finditer(text):
        name = name_re.search(text, max(0, legal.start() - 120), legal.start())
        if name is None:
            continue
        start = name.start() if plausible is None else plausible(text, name.start(), name.end())
        if start is not None:
            found.append((start, legal.end()))
    return found


def _not_stop_words(text: str, start: int, end: int) -> int | None:
    """Where the name starts: after the last stop word before the legal form ('the
    integumen plc' → 'integumen plc', 'meet thursday at omikenshi co.ltd.' → 'omikenshi
    co.ltd.'); None when a stop word comes right before it ('we have very limited')."""
    from spacy.lang.en.stop_words import STOP_WORDS

    name = []
    for word in reversed(list(_WORD.finditer(text, start, end))):
        if word.group() in STOP_WORDS:
            break
        name.insert(0, word)
    return name[0].start() if name else None


def _without_end_punctuation(match) -> tuple[int, int]:
    """A sentence's full stop or comma after a name is not part of it ('for Quandl.')."""
    start, end = match.span()
    while end > start + 1 and match.string[end - 1] in ".,;:!?)":
        end -= 1
    return start, end


def _has_capital(text: str) -> bool:
    return any(c.isupper() for c in text)


@cache
def _honorific_finder() -> re.Pattern:
    """English honorifics, with or without their period, and every Faker locale's prefixes as
    Faker writes them ('Tohtori', 'pani', 'Dott.', 'Ing.', 'Г-н'), before a name."""
    from sanitizer.mask.text.recognizers.lexicon import honorifics

    english = "|".join(ENGLISH_HONORIFICS)
    written = "|".join(re.escape(h) for h in sorted(honorifics(), key=lambda h: (-len(h), h)))
    return re.compile(rf"(?<![\w.])(?:(?:{english})\.?|{written}){BEFORE_NAME}")
