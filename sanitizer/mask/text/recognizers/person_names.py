"""PERSON from first/last-name lists, for the names spaCy's small model misses.

``en_core_web_sm`` misses a large share of names in support text: non-English names ('Priya
Raman', 'Katarzyna Nowak'), lower- or upper-case names ('john smith', 'JOSÉ FERNÁNDEZ'), and
first names on their own ('Thanks, Lukas', 'FYI Giulia is out today'). This recognizer looks
tokens up in Faker's first- and last-name lists (en_US, en_GB, de_DE, fr_FR, es_ES, pt_BR, it_IT,
nl_NL, pl_PL, plus en_IN, es_MX, pt_PT, sv_SE, da_DK, cs_CZ and the romanised ja_JP / zh_CN
names): about 5,000 first and 10,000 last names, as sets built once per process.

Why ordinary words stay untouched:
- First names that are English words ('Will', 'May', 'Bill', 'Grant', 'Mark', 'Job', 'Lot'…:
  every name found in ``wordlists.COMMON_WORDS``, Faker's English lorem words or
  ``wordlists.AMBIGUOUS_NAMES``) count only with a capitalised, known, non-word last name after
  them ('Mark Johnson', not 'Mark Green as done'), or capitalised right after a greeting and
  followed by punctuation or the end of the line ('Hi Mark,' / 'Thanks,\\nMax').
- A first name alone must be capitalised, at least three letters, not ambiguous and not a
  place, brand or product (``wordlists.NOT_ALONE``: 'Paris', 'Mercedes', 'Alexa', 'Ruby'…);
  it scores 0.5, just above the default threshold.
- Lower-case names need a known last name that is not an ordinary word after them ('john
  smith', not 'roman font') or a greeting before them; an upper-case name ('KATARZYNA NOWAK')
  needs a second upper-case word that is not an ordinary word.
- Right after a greeting, capitalised words that are in no list still count if they are not
  ordinary words and end the clause ('Dear Priya,', 'Regards,\nAiko Tanaka'; not 'Hi team,');
  a dash sign-off ('- Lukas') takes known first names only, since '- Normal' is a list item.
- A capitalised unknown word extends a name only if it is not a common English word
  ('Priya Raman', not 'Olivia Support'); function words ('will', 'and', 'please') never do.
- Tokens glued to an email, URL, handle or number ('maria.gonzalez@…', '@sarah', 'Maria2')
  are skipped: those belong to other recognizers.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import cache
from typing import ClassVar

import regex as re
from presidio_analyzer import AnalysisExplanation, EntityRecognizer, RecognizerResult

from sanitizer.mask.text.recognizers.wordlists import (
    AMBIGUOUS_NAMES,
    COMMON_WORDS,
    FUNCTION_WORDS,
    NOT_ALONE,
    NOT_NAMES_AFTER_GREETING,
)

LOCALES = (
    *("en_US", "en_GB", "de_DE", "fr_FR", "es_ES", "pt_BR", "it_IT", "nl_NL", "pl_PL"),
    *("en_IN", "es_MX", "pt_PT", "sv_SE", "da_DK", "cs_CZ", "tr_TR", "ja_JP", "zh_CN"),
)

# Name particles inside a full name ('Emma de Vries', 'Ludwig van Beethoven').
PARTICLES = frozenset(
    "de da do dos das di del della dei du des le la "
    "van von der den ter ten te y e bin ibn al el".split()
)
# Honorifics that always precede a name, and those that are also ordinary words.
HONORIFICS = frozenset(
    "mr mrs ms mx miss herr frau mme mlle monsieur madame señor señora sra srta signor signora "
    "pani mevr mevrouw dhr meneer".split()
)
WEAK_HONORIFICS = frozenset("dr prof sr sir pan dom dona sig".split())

TOKEN = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
_TITLE_CASE = re.compile(r"\p{Lu}\p{Ll}*(?:['’\-]\p{L}\p{Ll}*)*")  # not 'McDonald', 'HelpFormatter'
GAP = re.compile(r"[ \t]{1,2}")
INITIAL_GAP = re.compile(r"\.?[ \t]{1,2}")  # 'Fred L. Drake'

HONORIFIC_GAP = re.compile(r"\.?[ \t]{1,2}")
LAST_FIRST_GAP = re.compile(r",[ \t]{1,2}")
# Greetings may be anywhere; sign-offs must start a line or a sentence.
GREETING = re.compile(
    r"(?:(?:^|[^\w])(?:hi|hello|hey|hiya|dear|morning|good\s+(?:morning|afternoon|evening)"
    r"|thanks|thank\s+you|many\s+thanks|thx|cheers|bye|ciao|hola|bonjour|salut|hallo|moin|olá"
    r"|oi|ola|gracias|merci|danke|obrigad[oa]|grazie|groeten|pozdrawiam|saludos|cordialement"
    r"|atenciosamente|abraços|abrazos|cordialmente|atentamente|buenos\s+días|bom\s+dia"
    r"|boa\s+tarde|buongiorno|merhaba|selam|hej|hei|ahoj|namaste|привет|здравствуйте|مرحبا"
    r"|أهلا|عزيزي|عزيزتي|שלום|您好|你好|尊敬的|亲爱的|こんにちは|안녕하세요)"
    r"|(?:^|[\n.!?])[ \t]*(?:(?:kind|best|warm|warmest|many)\s+)?(?:regards|wishes|best"
    r"|sincerely|yours(?:\s+truly)?|love|br|kr|lg|vg|mfg|mvg|grüße|grüßen|gruß|groet|groetjes"
    r"|cumprimentos|un\s+saludo|saludos\s+cordiales|beijos|att|atte))"
    r"[ \t]*[,.!:;،，、]?[ \t]*(?:\r?\n[ \t]*)?$",
    re.IGNORECASE,
)
# '- Lukas' signing off; known first names only, since '- Normal' is as likely a list item.
DASH_SIGN_OFF = re.compile(r"(?:^|\n)[ \t]*(?:--?|—|–)[ \t]+$")
# 'McDonald', 'MacKenzie', "O'Neill", 'DeLuca', 'VanDyke' (mixed-case surnames)
SURNAME_PREFIX = re.compile(r"(?:Mc|Mac|O['’]|D['’]|De|Di|Da|La|Le|Van|Von)\p{Lu}\p{Ll}+")
ENDS_CLAUSE = re.compile(r"[ \t]*(?:[,.!?:;)،؛؟，。！：、]|\r?\n|$)")
# Scripts without letter case (Arabic, Hebrew, CJK, Hangul, Thai, Indic): a name there has no
# capital to show it, so after a greeting any such word counts.
CASELESS = re.compile(
    r"[\p{Arabic}\p{Hebrew}\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}"
    r"\p{Thai}\p{Devanagari}]"
)
NAME_TOKEN = r"[^\W\d_][^\W\d_'’\-]*"
NAME_RUN = rf"{NAME_TOKEN}(?:[ \t]{NAME_TOKEN}){{0,3}}"
# 'first_name: Lucky', '"last_name": "Alves"', 'Name: Sophia Alves', 'Nachname: Müller'.
SPECIFIC_LABELS = (
    r"first[ _-]?name|last[ _-]?name|full[ _-]?name|given[ _-]?name|family[ _-]?name"
    r"|sur[ _-]?name|middle[ _-]?name|customer[ _-]?name|contact[ _-]?name"
    r"|card[ _-]?holder(?:[ _-]?name)?|account[ _-]?holder|apellidos?|sobrenome|vorname|nachname"
    r"|prénom|voornaam|achternaam|imię|nazwisko"
)
GENERIC_LABELS = r"name|nombre|nome|naam|nom|nimi|isim|ad"
LABELLED = re.compile(
    rf"(?:^|(?<=[\s{{,;|(\[]))[\"']?(?P<label>{SPECIFIC_LABELS}|{GENERIC_LABELS})[\"']?[ \t]*"
    rf"[:=][ \t]*[\"']?(?P<value>{NAME_RUN})(?=[ \t]*(?:[\"',;)}}\]|]|\r?\n|$))",
    re.IGNORECASE | re.MULTILINE,
)
_GENERIC_LABEL = re.compile(rf"(?i:{GENERIC_LABELS})")
NOT_A_NAME_VALUE = frozenset("null none nil unknown test n a na tbd tba anonymous".split())
# Chat exports: '[18:06 UTC] Killian (agent): Hi', '03.08.2022, 5:57pm - Thomas Vieira: Olá'.
SPEAKER = re.compile(
    r"^[ \t>]*(?:\[[^\]\n]{0,40}\d{1,2}:\d{2}[^\]\n]{0,20}\]"
    r"|[^\n\[\]]{0,30}?\d{1,2}:\d{2}(?::\d{2})?(?:[ \t]?[AaPp]\.?[Mm]\.?)?(?:[ \t]+UTC)?"
    r"[ \t]+[-–—])[ \t]*"
    rf"(?P<name>{NAME_TOKEN}(?:[ \t]{NAME_TOKEN}){{0,2}})(?:[ \t]*\([^)\n]{{1,20}}\))?:[ \t]",
    re.MULTILINE,
)
ROLE_WORDS = frozenset(
    "agent customer caller visitor user bot system support assistant me you operator rep admin "
    "moderator guest client staff team auto automated note internal chatbot ai".split()
)
# 'my name is büşranur durdu', 'me llamo Ana', 'thank you mister gautier'.
INTRODUCTION = re.compile(
    r"(?:\b(?:(?:my|his|her|their|your)\s+(?:full\s+)?name(?:\s+is|'s)|me\s+llamo"
    r"|mi\s+nombre\s+es|meu\s+nome\s+é|je\s+m'appelle|ich\s+heiße|mein\s+name\s+ist"
    r"|ik\s+heet|mijn\s+naam\s+is|mi\s+chiamo|mister|mr\.?|mrs\.?)[ \t]+)$",
    re.IGNORECASE,
)
# 'hey its thomas again', "this is Priya from billing": a known first name must follow.
WEAK_INTRODUCTION = re.compile(
    r"(?:\b(?:this\s+is|it's|it’s|its|it\s+is|i'm|i’m|im|i\s+am|here\s+is|from)[ \t]+)$",
    re.IGNORECASE,
)
# '@sara can you check': a handle that starts with a known name.
MENTION = re.compile(r"(?<![\w@.])@(?P<handle>[A-Za-z][\w.\-]{1,30})(?![\w@]|\.\w)")
NOT_HANDLES = frozenset("here channel everyone all team admin support property media".split())
# Japanese / Chinese honorifics and greetings around names written without spaces.
CJK_NAME = re.compile(
    r"(?<![\p{Han}\p{Katakana}\p{Hiragana}])"
    r"(?P<name>[\p{Han}\p{Katakana}]{2,8}(?:[ 　][\p{Han}\p{Katakana}]{1,6})?)"
    r"(?:様|さん|殿|先生|女士|小姐)"
    r"|(?:尊敬的|亲爱的|您好|你好)[ 　,，]*(?P<name2>\p{Han}{2,4})(?=[，,：:！!。\s]|$)"
)
CJK_NOT_NAMES = frozenset(
    "担当者 担当 利用者 関係者 会員 顧客 管理者 責任者 各位 客户 用户".split()
)

JOINERS_BEFORE = "@./\\_:#=+"
JOINERS_AFTER = "@/\\_=+"

LAST_AND_SCORE = 0.85  # first name + known last name
UNKNOWN_LAST_SCORE = 0.6  # first name + capitalised unknown word
GREETING_SCORE = 0.7
HONORIFIC_SCORE = 0.7
ALONE_SCORE = 0.5
LABEL_SCORE = 0.7  # 'first_name: …', chat speaker labels
MENTION_SCORE = 0.6


@dataclass(frozen=True)
class NameLists:
    first: frozenset[str]
    last: frozenset[str]
    ambiguous: frozenset[str]
    common: frozenset[str]


@cache
def name_lists() -> NameLists:
    """Faker's first/last names of all ``LOCALES``, lower-cased, built once per process."""
    first: set[str] = set()
    last: set[str] = set()
    # Faker's name tuples: first_names, first_names_female, last_names, unisex_last_names,
    # first_romanized_names…; not the kana / kanji pairs.
    for locale in LOCALES:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        for attr in dir(provider):
            if attr.startswith("_") or not ("first_" in attr or "last_" in attr):
                continue
            if "kana" in attr or "pair" in attr or not attr.endswith(("names", "_male", "_female")):
                continue
            values = getattr(provider, attr)
            if callable(values) or not isinstance(values, (tuple, list, dict)):
                continue
            target = first if attr.startswith("first_") else last
            for value in values:
                for part in str(value).split():
                    if _latin(part):
                        target.add(part.lower())
    from faker.providers.lorem.en_US import Provider as Lorem

    common = frozenset(COMMON_WORDS | {w.lower() for w in Lorem.word_list})
    ambiguous = frozenset(
        name
        for name in first
        if name in common or name in AMBIGUOUS_NAMES or name in FUNCTION_WORDS
    )
    return NameLists(frozenset(first), frozenset(last - FUNCTION_WORDS), ambiguous, common)


def _latin(word: str) -> bool:
    """Latin letters with accents ('Fernández', 'Łukasz'); not kanji, hanzi or Cyrillic."""
    return len(word) > 1 and all((c.isalpha() and ord(c) < 0x250) or c in "-'’" for c in word)


@dataclass(frozen=True)
class _Token:
    start: int
    end: int  # without a trailing possessive 's
    text: str
    lower: str
    case: str  # "title" ('Anne-Marie', "O'Neill"), "upper", "lower" or "other" ('McDonald')
    possessive: bool  # "Sarah's": the name ends here

    @classmethod
    def make(cls, start: int, end: int, text: str) -> _Token:
        possessive = text[-2:] in ("'s", "’s") and len(text) > 3
        if possessive:
            text, end = text[:-2], end - 2
        if text.isupper() and len(text) > 1:
            case = "upper"
        elif text[0].isupper() and _TITLE_CASE.fullmatch(text):
            case = "title"
        elif text.islower():
            case = "lower"
        else:
            case = "other"
        return cls(start, end, text, text.lower(), case, possessive)


class PersonNameRecognizer(EntityRecognizer):
    """PERSON from Faker's name lists: 'Priya Raman', 'john smith', 'Hi Lukas,', 'Mrs Okafor'."""

    CONTEXT: ClassVar[list[str]] = [
        "name", "customer", "contact", "caller", "agent", "spoke", "called", "client", "user",
        "requester", "signed", "from", "attn",
    ]  # fmt: skip

    def __init__(self, supported_language: str = "en", context: list[str] | None = None):
        super().__init__(
            supported_entities=["PERSON"],
            name="PersonNameRecognizer",
            supported_language=supported_language,
            context=context if context is not None else self.CONTEXT,
        )

    def load(self) -> None:
        self.lists = name_lists()

    def analyze(self, text: str, entities: list[str], nlp_artifacts=None) -> list:
        if entities and "PERSON" not in entities:
            return []
        return [self._result(text, *found) for found in self.find(text)]

    # -- matching ---------------------------------------------------------------------------

    def find(self, text: str) -> list[tuple[int, int, float, str]]:
        """(start, end, score, rule) for every name in ``text``; overlaps resolved to the
        longest span."""
        tokens = [_Token.make(m.start(), m.end(), m.group()) for m in TOKEN.finditer(text)]
        tokens = [t for t in tokens if _free_standing(text, t)]
        found: list[tuple[int, int, float, str]] = []
        i = 0
        while i < len(tokens):
            hit = self._at(text, tokens, i)
            if hit is None:
                i += 1
                continue
            start, end, score, rule, last_index = hit
            found.append((start, end, score, rule))
            i = last_index + 1
        found.extend(self._cued(text))
        return _longest_first(found)

    def _cued(self, text: str) -> list[tuple[int, int, float, str]]:
        """Names marked by what surrounds them rather than by the lists: labelled fields,
        chat speakers, self-introductions, @mentions, CJK honorifics."""
        lists = self.lists
        out: list[tuple[int, int, float, str]] = []
        if ":" in text or "=" in text:
            for m in LABELLED.finditer(text):
                words = m.group("value").split()
                if self._plausible_value(words, _GENERIC_LABEL.fullmatch(m.group("label"))):
                    out.append((m.start("value"), m.end("value"), LABEL_SCORE, "labelled field"))
            for m in SPEAKER.finditer(text):
                words = m.group("name").split()
                if not any(w.lower() in ROLE_WORDS or w.lower() in FUNCTION_WORDS for w in words):
                    out.append((m.start("name"), m.end("name"), LABEL_SCORE, "chat speaker"))
        if "@" in text:
            for m in MENTION.finditer(text):
                handle = m.group("handle")
                head = re.split(r"[._\-]", handle.lower(), maxsplit=1)[0]
                known = head in lists.first or head in lists.last
                if known and head not in lists.ambiguous and handle.lower() not in NOT_HANDLES:
                    out.append((m.start("handle"), m.end("handle"), MENTION_SCORE, "mention"))
        if CASELESS.search(text):
            for m in CJK_NAME.finditer(text):
                group = "name" if m.group("name") else "name2"
                if m.group(group) not in CJK_NOT_NAMES:
                    out.append((m.start(group), m.end(group), GREETING_SCORE, "cjk honorific"))
        return out

    def _plausible_value(self, words: list[str], generic: bool) -> bool:
        """A labelled value that can be a name: every word a known name, or neither an
        ordinary word nor camel-cased ('TestJob'); after a bare 'name:' label, a known first
        name first (not 'Name: Refund policy')."""
        lists = self.lists
        if not words:
            return False
        for word in words:
            lower = word.lower()
            if lower in NOT_A_NAME_VALUE or lower in FUNCTION_WORDS:
                return False
            if lower in lists.first or lower in lists.last:
                continue
            if lower in lists.common:
                return False
            shaped = word.islower() or word.isupper() or _TITLE_CASE.fullmatch(word)
            if not (shaped or SURNAME_PREFIX.fullmatch(word) or CASELESS.match(word)):
                return False
        return not generic or (
            words[0].lower() in lists.first and words[0].lower() not in lists.ambiguous
        )

    def _at(self, text: str, tokens: list[_Token], i: int):
        lists = self.lists
        tok = tokens[i]
        if tok.lower in HONORIFICS or tok.lower in WEAK_HONORIFICS:
            return self._after_honorific(text, tokens, i)
        introduced = INTRODUCTION.search(text, max(0, tok.start - 24), tok.start) is not None
        if introduced and tok.lower not in lists.common and tok.lower not in FUNCTION_WORDS:
            return self._introduced(text, tokens, i)
        if not self._is_first(tok):
            if tok.case == "other" and CASELESS.match(tok.text) and _greeted(text, tok.start):
                return self._caseless_after_greeting(text, tokens, i)
            if tok.case != "title" or tok.lower in lists.common:
                return None
            if _greeted(text, tok.start):
                return self._unknown_after_greeting(text, tokens, i)
            return self._last_comma_first(text, tokens, i)
        greeted = _greeted(text, tok.start) or _dash_signed(text, tok.start)
        ambiguous = tok.lower in lists.ambiguous
        if not greeted and not ambiguous and tok.case == "lower":
            greeted = WEAK_INTRODUCTION.search(text, max(0, tok.start - 12), tok.start) is not None
        end_index, has_last, common_last = self._extend(text, tokens, i)
        if end_index > i:
            if ambiguous and not (
                tok.case in ("title", "upper") and has_last and (greeted or not common_last)
            ):
                return None
            score = LAST_AND_SCORE if has_last else UNKNOWN_LAST_SCORE
            if greeted:
                score = max(score, GREETING_SCORE)
            return tok.start, tokens[end_index].end, score, "full name", end_index
        if greeted:
            if ambiguous and not (
                tok.case == "title" and ENDS_CLAUSE.match(text, tok.end) is not None
            ):
                return None
            return tok.start, tok.end, GREETING_SCORE, "greeting", i
        alone_ok = tok.case == "title" and not ambiguous and len(tok.text) >= 3
        if alone_ok and tok.lower not in NOT_ALONE:
            return tok.start, tok.end, ALONE_SCORE, "first name", i
        if tok.case == "upper" and not ambiguous and _alone_on_line(text, tok):
            return tok.start, tok.end, ALONE_SCORE, "first name on its own line", i
        return None

    def _introduced(self, text: str, tokens: list[_Token], i: int):
        """'my name is büşranur durdu', 'mister gautier': up to three words that are not
        ordinary words, after a self-introduction or a (lower-case) honorific."""
        lists = self.lists
        end_index = i
        for k in range(i + 1, min(i + 3, len(tokens))):
            tok = tokens[k]
            if not _adjacent(text, tokens[k - 1], tok):
                break
            if tok.lower in lists.common or tok.lower in FUNCTION_WORDS:
                break
            end_index = k
        return tokens[i].start, tokens[end_index].end, GREETING_SCORE, "introduction", end_index

    def _caseless_after_greeting(self, text: str, tokens: list[_Token], i: int):
        """'مرحبا عاقل يشكر،', '您好 姜凯，': words in a script without case after a greeting,
        ending the clause."""
        end_index = i
        for k in range(i + 1, min(i + 3, len(tokens))):
            tok = tokens[k]
            if not _adjacent(text, tokens[k - 1], tok) or not CASELESS.match(tok.text):
                break
            end_index = k
        if ENDS_CLAUSE.match(text, tokens[end_index].end) is None:
            return None
        return tokens[i].start, tokens[end_index].end, UNKNOWN_LAST_SCORE, "greeting", end_index

    def _unknown_after_greeting(self, text: str, tokens: list[_Token], i: int):
        """'Dear Priya,' / 'Regards,\nAiko Tanaka': capitalised words that are not ordinary
        words, right after a greeting and ending the clause."""
        lists = self.lists
        end_index = i - 1
        for k in range(i, min(i + 3, len(tokens))):
            tok = tokens[k]
            if k > i and not _adjacent(text, tokens[k - 1], tok):
                break
            if (
                tok.case != "title"
                or len(tok.text) < 2
                or tok.lower in lists.common
                or tok.lower in FUNCTION_WORDS
                or tok.lower in NOT_NAMES_AFTER_GREETING
                or tok.lower in HONORIFICS
            ):
                break
            end_index = k
        if end_index < i or ENDS_CLAUSE.match(text, tokens[end_index].end) is None:
            return None
        return tokens[i].start, tokens[end_index].end, UNKNOWN_LAST_SCORE, "greeting", end_index

    def _is_first(self, tok: _Token) -> bool:
        """A known first name; hyphenated, a known one then capitalised parts ('Jean-Luc',
        'Marie-Claire'; not 'Faith-based', 'Max-Age')."""
        first = self.lists.first
        if len(tok.text) <= 2 and tok.case != "title":  # 'NA', 'jo'
            return False
        if tok.lower in first:
            return True
        if "-" not in tok.text:
            return False
        head, *rest = tok.lower.split("-")
        if head not in first or not all(part[:1].isupper() for part in tok.text.split("-")[1:]):
            return False
        # 'Max-Age', 'Meta-X': a head that is a word needs a known name after it ('Jean-Luc')
        return head not in self.lists.ambiguous or all(part in first for part in rest)

    def _is_last(self, tok: _Token) -> bool:
        last = self.lists.last
        lower = tok.lower
        if lower in last:
            return True
        if "-" in lower:
            return all(part in last for part in lower.split("-"))
        return lower.startswith(("o'", "o’", "mc")) and len(lower) > 4

    def _extend(self, text: str, tokens: list[_Token], i: int) -> tuple[int, bool, bool]:
        """Last token index of the name starting at ``i``; whether a known last name is in it,
        and whether every known last name in it is also a common word."""
        lists = self.lists
        case = tokens[i].case
        end_index, has_last, common_last = i, False, True
        k = i + 1
        while k < len(tokens) and k - i <= 4 and _adjacent(text, tokens[k - 1], tokens[k]):
            nxt = tokens[k]
            if nxt.lower in PARTICLES and nxt.case == "lower":
                if k + 1 < len(tokens) and _adjacent(text, nxt, tokens[k + 1]):
                    k += 1
                    continue
                break
            if nxt.lower in FUNCTION_WORDS:
                break
            is_last = self._is_last(nxt)
            is_first = self._is_first(nxt) and nxt.lower not in lists.ambiguous
            if case == "lower":  # 'john smith', not 'roman font'
                ok = nxt.case == "lower" and (is_last or is_first) and nxt.lower not in lists.common
            elif case == "upper":
                ok = nxt.case == "upper" and (
                    is_last or is_first or (nxt.lower not in lists.common and len(nxt.text) > 2)
                )
            else:
                ok = (is_last or is_first) and nxt.case != "lower"
                ok = ok or (
                    nxt.lower not in lists.common
                    and (nxt.case == "title" or SURNAME_PREFIX.fullmatch(nxt.text) is not None)
                )
            if not ok:
                break
            end_index = k
            if is_last:
                has_last = True
                common_last = common_last and nxt.lower in lists.common
            k += 1
        return end_index, has_last, common_last

    def _after_honorific(self, text: str, tokens: list[_Token], i: int):
        tok = tokens[i]
        if tok.case not in ("title", "upper") or i + 1 >= len(tokens):
            return None
        nxt = tokens[i + 1]
        gap = HONORIFIC_GAP.fullmatch(text, tok.end, nxt.start)
        if gap is None or nxt.case not in ("title", "upper", "other") or len(nxt.text) < 2:
            return None
        if tok.case == "upper" and nxt.case != "upper":  # 'MS C runtime', 'DR Congo'
            return None
        if nxt.lower in FUNCTION_WORDS or nxt.lower in HONORIFICS:
            return None
        if tok.lower in WEAK_HONORIFICS and nxt.lower in self.lists.common:
            return None
        end_index = i + 1
        if self._is_first(nxt):
            end_index, _, _ = self._extend(text, tokens, i + 1)
        elif i + 2 < len(tokens) and _adjacent(text, nxt, tokens[i + 2]):
            after = tokens[i + 2]
            if after.case == nxt.case and self._is_last(after):
                end_index = i + 2
        return nxt.start, tokens[end_index].end, HONORIFIC_SCORE, "honorific", end_index

    def _last_comma_first(self, text: str, tokens: list[_Token], i: int):
        """'Nowak, Katarzyna' in lists and headers."""
        tok = tokens[i]
        if i + 1 >= len(tokens) or tok.case != "title" or not self._is_last(tok):
            return None
        if tok.lower in self.lists.common:
            return None
        nxt = tokens[i + 1]
        if LAST_FIRST_GAP.fullmatch(text, tok.end, nxt.start) is None:
            return None
        if nxt.case != "title" or not self._is_first(nxt) or nxt.lower in self.lists.ambiguous:
            return None
        return tok.start, nxt.end, UNKNOWN_LAST_SCORE, "last, first", i + 1

    def _result(self, text: str, start: int, end: int, score: float, rule: str):
        return RecognizerResult(
            entity_type="PERSON",
            start=start,
            end=end,
            score=score,
            analysis_explanation=AnalysisExplanation(
                recognizer=self.name,
                original_score=score,
                textual_explanation=f"name list: {rule}",
            ),
            recognition_metadata={
                RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
            },
        )


def _longest_first(found: list[tuple[int, int, float, str]]) -> list[tuple[int, int, float, str]]:
    """Drop findings overlapping a longer one; in text order."""
    kept: list[tuple[int, int, float, str]] = []
    for hit in sorted(found, key=lambda h: (h[0] - h[1], -h[2], h[0])):
        if all(hit[1] <= k[0] or hit[0] >= k[1] for k in kept):
            kept.append(hit)
    return sorted(kept)


def _alone_on_line(text: str, tok: _Token) -> bool:
    start = text.rfind("\n", 0, tok.start) + 1
    end = text.find("\n", tok.end)
    return text[start : end if end >= 0 else len(text)].strip() == tok.text


def _greeted(text: str, start: int) -> bool:
    return GREETING.search(text, max(0, start - 60), start) is not None


def _dash_signed(text: str, start: int) -> bool:
    return DASH_SIGN_OFF.search(text, max(0, start - 8), start) is not None


def _adjacent(text: str, left: _Token, right: _Token) -> bool:
    """Only one or two spaces (no punctuation, no line break) between two tokens; an initial
    may keep its full stop ('John F. Kennedy')."""
    if left.possessive:
        return False
    gap = INITIAL_GAP if len(left.text) == 1 and left.text.isupper() else GAP
    return gap.fullmatch(text, left.end, right.start) is not None


def _free_standing(text: str, tok: _Token) -> bool:
    """False for tokens glued to emails, URLs, handles, file names or numbers."""
    before = text[tok.start - 1] if tok.start > 0 else " "
    after = text[tok.end] if tok.end < len(text) else " "
    if before.isalnum() or before in JOINERS_BEFORE:
        return False
    if after.isalnum() or after in JOINERS_AFTER:
        return False
    following = text[tok.end + 1] if tok.end + 1 < len(text) else " "
    return not (after in ".-" and following.isalnum())
