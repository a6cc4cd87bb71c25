"""PERSON from the names lexicon and from the roles names take, for what spaCy's small model misses.

``en_core_web_sm`` misses a large share of names in support text: non-English names ('Priya
Raman', 'Katarzyna Nowak', 'Σάββας', '山口 さゆり'), lower- or upper-case names ('john smith',
'JOSÉ FERNÁNDEZ'), first names on their own ('Thanks, Lukas', 'Victoria was frustrated') and
dialogue speakers ('William: Remember me, Sarah?'). This recognizer looks tokens up in the
names of every Faker locale (``lexicon``: about 31,000 given and 33,000 family names, built once
per process), and names in scripts written without spaces ('さゆり', '山本翔太', '김민준')
inside runs of those scripts.

Why ordinary words stay untouched:
- Which words are ordinary comes from wordfreq's English frequencies, minus names whose
  frequency their use as names explains (``lexicon``). A first name that is an ordinary word
  ('Will', 'May', 'Grace', 'Christian'; or in ``wordlists.AMBIGUOUS_NAMES``) counts only with
  a known, non-word last name or a capitalised non-English word after it ('Mark Johnson',
  'Christian Nobbs'; not 'Mark Green as done'), right after a greeting ('Hi Mark,'), or in a
  role only a person takes (below).
- A first name alone must be capitalised, at least three letters, not ambiguous and not a
  place, brand or product (``wordlists.NOT_ALONE``, Faker's countries and US states); it scores
  0.5, just above the default threshold.
- Roles: a word that is a known name or no English word at all is a person as the subject of
  what only people do ('was frustrated', 'said', 'is a very sympathetic person'; 'arrived' or
  'lives' only for words that are no ordinary word), after 'her maiden name is', 'named him',
  'assistant to', 'starring'; a known name also after 'asked', 'tell', 'thanks', addressed at
  a clause's end ('Remember me, Sarah?') or opening a request ('Sofia, can I …'), listed
  after 'founders:'; and two or three non-English capitalised words as a line of their own
  (an address's or signature's first line). A family name alone without such a role is not
  taken: it as often names a company ('the contract for Carvalho'), and a name followed by a
  company's legal form ('Pollard PLC', 'Petrucci, Anguillara e Travia s.r.l.') never is.
- Speakers at a line's start ('William:') are a known first name, or, in a dialogue (a speaker
  speaking twice, or a plain first name among them), any known name; form labels ('Date:',
  'Name:') are neither.
- Lower-case names need a known last name that is not an ordinary word after them ('john
  smith', not 'roman font'), a greeting before them, or a person's role; an upper-case name
  ('KATARZYNA NOWAK') needs a second upper-case word that is not an ordinary word.
- Right after a greeting, capitalised words that are in no list still count if they are not
  ordinary words and end the clause ('Dear Priya,', 'Regards,\nAiko Tanaka'; not 'Hi team,');
  a dash sign-off ('- Lukas') takes known first names only, since '- Normal' is a list item.
- Unspaced scripts: a whole run that is a known given or family name, or a known family name
  and a short given name, maybe before an honorific or particle ('さゆりさん'); two runs one
  space apart of which one is known; a one-character name only as a run set apart by spaces
  (never '29丁目22').
- Scripts without case (Arabic, Persian, Chinese, Japanese…) inside text written mostly in
  cased scripts: such a word stands out as a capital does, so it is read as capitalised and
  takes the roles a known name takes ('said 思璎 to 辰煜', 'She named him هشام'; not after
  'from' or 'to', which name places), two characters making a name in unspaced scripts; a
  name never runs from one script into another ('Pierce مرحبا'). Every Faker locale's name
  prefix as Faker writes it ('JUDr.', 'Dott.', 'الدكتور') introduces a name.
- Tokens glued to an email, URL, handle or number ('maria.gonzalez@…', '@sarah', 'Maria2')
  are skipped: those belong to other recognizers. Literal escapes ('Kvarda\\nPhone') are read
  as the separators they stand for.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache
from typing import ClassVar

import regex as re
from presidio_analyzer import AnalysisExplanation, EntityRecognizer, RecognizerResult

from sanitizer.mask.text.recognizers.escapes import unescaped
from sanitizer.mask.text.recognizers.lexicon import NameLists, honorifics, name_lists
from sanitizer.mask.text.recognizers.wordlists import (
    FUNCTION_WORDS,
    NOT_NAMES_AFTER_GREETING,
)

__all__ = ["NameLists", "PersonNameRecognizer", "name_lists"]

# Name particles inside a full name ('Emma de Vries', 'Ludwig van Beethoven').
PARTICLES = frozenset(
    "de da do dos das di del della dei du des le la "
    "van von der den ter ten te y e bin ibn al el ال بن ابن بنت".split()
)
# Honorifics that always precede a name, and those that are also ordinary words.
HONORIFICS = frozenset(
    "mr mrs ms mx miss herr frau mme mlle monsieur madame señor señora sra srta signor signora "
    "pani mevr mevrouw dhr meneer".split()
)
WEAK_HONORIFICS = frozenset("dr prof sr sir pan dom dona sig".split())

# a zero-width non-joiner or joiner stays inside a word ('به\u200cآیین', 'سیف\u200cزاده')
TOKEN = re.compile(r"[^\W\d_]+(?:['’\-\u200c\u200d][^\W\d_]+)*")
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
_CASELESS_SCRIPTS = (
    r"\p{Arabic}\p{Hebrew}\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}\p{Thai}\p{Devanagari}"
    # the other scripts of South and South-East Asia, Ethiopic and Georgian (its capitals,
    # Mtavruli, are not used in running text): no capitals either
    r"\p{Bengali}\p{Gurmukhi}\p{Gujarati}\p{Oriya}\p{Tamil}\p{Telugu}\p{Kannada}"
    r"\p{Malayalam}\p{Sinhala}\p{Lao}\p{Khmer}\p{Myanmar}\p{Tibetan}\p{Ethiopic}\p{Georgian}"
)
CASELESS = re.compile(rf"[{_CASELESS_SCRIPTS}]")
# a whole word of such scripts, with its marks, joiners and Japanese length and repeat signs
CASELESS_WORD = re.compile(rf"[{_CASELESS_SCRIPTS}ー々\p{{M}}\u200c\u200d]+")
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
# 'William: Remember me, Sarah?', 'Λητώ: …', '篤司: …': a speaker opening a line.
LINE_SPEAKER = re.compile(
    rf"^[ \t>]*(?P<name>{NAME_TOKEN}(?:[ \t]{NAME_TOKEN}){{0,2}}):[ \t]+(?=\S)", re.MULTILINE
)
ROLE_WORDS = frozenset(
    "agent customer caller visitor user bot system support assistant me you operator rep admin "
    "moderator guest client staff team auto automated note internal chatbot ai".split()
)
# 'my name is büşranur durdu', 'me llamo Ana', 'thank you mister gautier'.
INTRODUCTION = re.compile(
    r"(?:\b(?:(?:my|his|her|their|your)\s+(?:full\s+)?name(?:\s+is|'s)|me\s+llamo"
    r"|mi\s+nombre\s+es|meu\s+nome\s+é|je\s+m'appelle|ich\s+heiße|mein\s+name\s+ist"
    r"|ik\s+heet|mijn\s+naam\s+is|mi\s+chiamo|mister|mr\.?|mrs\.?|ms\.|maiden\s+name\s+is)"
    r"[ \t]+)$",
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
HAN = re.compile(r"\p{Han}+")
# Legal forms after a company named after people ('Heintze KG', 'Knoers & Huijs B.V.').
COMPANY_AFTER = re.compile(
    r"(?:[ \t]*(?:,|&|\band\b|\be\b|\bund\b|\bet\b|\by\b)[ \t]*\p{Lu}[\p{L}'’\-]*)*"
    r",?[ \t]+(?:PLC|plc|GmbH|gGmbH|KG|AG|OHG|GbR|S\.?A\.?|S\.?p\.?A\.?|SPA|S\.?r\.?l\.?"
    r"|s\.?r\.?l\.?|Srl|SRL|S\.?L\.?|S\.?A\.?S\.?|SARL|Inc\.?|Ltd\.?|LLC|LLP|L\.?P\.?"
    r"|Corp\.?|Corporation|Group|Holdings?|e\.?V\.?|B\.?V\.?|N\.?V\.?|Oy|Oyj|AB|A/S|ASA"
    r"|Ltda\.?|S\.?C\.?|Sp\.?[ \t]?z[ \t]?o\.?o\.?|s\.r\.o\.|a\.s\.|Kft\.?|Zrt\.?"
    r"|e[ \t]+figli|&[ \t]+(?:Sons|Co\.?|Partners)|and[ \t]+Sons|Partners|Co\.)(?![\p{L}])"
)
UNSPACED_RUN = re.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}ー々]+")
# Honorifics and particles written right after a name: 'さゆりさん', '山口様', '김민준님'.
UNSPACED_SUFFIXES = tuple(
    sorted(
        "さん 様 さま 君 くん ちゃん 氏 先生 殿 は が の を に と も へ で から "
        "님 씨 은 는 이 가 을 를 의 에게 과 와 도 女士 小姐 老师 先生".split(),
        key=len,
        reverse=True,
    )
)
HONORIFICS_UNSPACED = ("さん", "様", "さま", "君", "くん", "ちゃん", "氏", "先生", "殿", "님", "씨")
CJK_NOT_NAMES = frozenset(
    "担当者 担当 利用者 関係者 会員 顧客 管理者 責任者 各位 客户 用户".split()
)

# What only a person does, right after the word: 'Victoria was frustrated', 'Cinzia had given
# …', 'mikko is a very sympathetic person', 'Lothair spent a year', 'Sarah's laptop was …' is
# not one ('was' needs a feeling or a person's noun after it).
_FEELING = (
    r"frustrated|happy|unhappy|upset|angry|annoyed|pleased|confused|worried|surprised"
    r"|disappointed|excited|thrilled|sad|satisfied|impressed|relieved|furious|grateful|born"
    r"|married|divorced|promoted|hired|fired|injured|sick|ill|rude|polite|helpful|impulsive"
    r"|sympathetic|nice|kind|friendly|nervous|scared|afraid|tired|busy|sorry|right|wrong"
    r"|a[ \t]+(?:[\w\-]+[ \t]+){0,4}(?:person|man|woman|fan|customer|client|friend|guy|girl"
    r"|boy|colleague|manager|engineer|teacher|doctor|student|listener|lawyer|singer|player"
    r"|member|mother|father|wife|husband|son|daughter|sister|brother)"
)
AFTER_PERSON = re.compile(
    r"(?:['’]s)?[ \t]+(?:"
    r"(?:has|had|have)[ \t]+(?:just[ \t]+|already[ \t]+|also[ \t]+)?(?:given|told|said|asked"
    r"|called|written|sent|spent|lived|worked|been[ \t]+(?:a|an|the|my|our|very|so)\b)"
    r"|(?:was|is|were|seems|seemed|felt|feels|looked|looks|sounded|sounds|got|gets|became"
    r"|remained)[ \t]+(?:(?:very|so|really|quite|not|also|always|a[ \t]+bit|extremely|pretty"
    rf"|still|too)[ \t]+)*(?:{_FEELING})"
    r"|said|says|asked|asks|told|tells|wrote|writes|replied|replies|emailed|texted|mentioned"
    r"|mentions|complained|complains|wants|wanted|prefers|preferred|thinks|thought|agreed"
    r"|decided|explained"
    r"|noticed|promised|answered|apologi[sz]ed|insisted|claimed|loves|loved|likes|liked|hates"
    r"|hated|knows|knew|just[ \t]+has|just[ \t]+called|just[ \t]+said)\b"
)
# What a person does, and a thing may too ('The Princess Royal arrived'): after words that are
# no ordinary English word only.
AFTER_SOMEONE = re.compile(
    r"(?:['’]s)?[ \t]+(?:works|worked|needs|needed|spent|joined|listed|confirmed|requested"
    r"|visited|moved|arrived|went|came|left|lives|lived|(?:is|was|comes|came)[ \t]+from)\b"
)
# Before the word, marking a person whatever the word: 'her maiden name is Genovese', 'named
# him Tsubasa', 'the assistant to Lothair Quirion', 'starring Ladeck', 'What's your name?
# Seid Globelnik'.
PERSON_BEFORE = re.compile(
    r"(?:\b(?:(?:maiden|last|first|family|given|middle|full|real|legal|birth)[ \t]+)?name"
    r"[ \t]+(?:is|was)[ \t]+|\bnamed[ \t]+(?:(?:him|her|them|it|the[ \t]+\w+)[ \t]+)?"
    r"|\b(?:assistant|married|engaged|spoke|spoken|speaking|talked|talking|replied|introduced)"
    r"[ \t]+(?:with|to)[ \t]+|\bstarring[ \t]+|\b(?:directed|written|signed|approved|sent)"
    r"[ \t]+by[ \t]+|\bon[ \t]+behalf[ \t]+of[ \t]+|\bname\?[ \t]*(?:\r?\n[ \t]*)?"
    r"|\b(?:had|has|have)[ \t]+given[ \t]+"
    r"|\b(?i:why|how|where|when)[ \t]+(?:is|was|does|did|has)[ \t]+"
    # 'sung by Tomomi Nishiyama', 'said Frej to Ewan', 'my partner's name Bulat Butusov'
    r"|\b(?:sung|performed|played|composed|produced|arranged|painted|founded|created|run"
    r"|managed|led|hosted|presented|narrated|voiced|owned|reported|posted|shared)[ \t]+by[ \t]+"
    r"|\b(?:said|asked|replied|shouted|whispered|cried|added|explained)[ \t]+"
    r"(?:\S+[ \t]+to[ \t]+)?"
    r"|(?:['’]s|\bmy|\bhis|\bher|\btheir|\byour)[ \t]+name[ \t]+|\bcalls?[ \t]+me[ \t]+"
    # a person's role or occupation, then the name: 'commenter Cerys Holt'
    r"|\b(?:commenter|user|customer|member|songwriter|singer|author|writer|reporter|editor"
    r"|spokesperson|spokesman|spokeswoman|colleague|director|founder|coach|actor|actress"
    r"|artist|musician|composer|journalist|blogger|poet|novelist|lawyer|doctor|nurse|teacher"
    r"|professor|student|neighbou?r|landlord|tenant|witness|victim|suspect|patient)[ \t]+)$"
)
# 'founders: Czerwinski, Møller and Abrahamsson': names listed after a word for people.
LISTED_AFTER = re.compile(
    r"\b(?:founders|co-founders|partners|authors|members|speakers|attendees|participants"
    r"|guests|winners|owners|directors|employees|colleagues|friends|children|parents)"
    r"[^\n.:]{0,30}:[ \t]*(?:[\p{L}'’\-]+(?:[ \t]+[\p{L}'’\-]+)?[ \t]*(?:,|and|&)[ \t]*)*$"
)
# Before a known name only, place-names too ('asked Victoria', 'tell Grace').
PERSON_BEFORE_KNOWN = re.compile(
    r"\b(?:ask|asked|asking|tell|told|telling|thank|thanked|call|called|email|emailed|text"
    r"|texted|ping|pinged|remind|reminded|meet|met|contact|contacted|inform|informed|let|cc"
    r"|dear)[ \t]+$"
)
# Before a known name that is no place ('and Grace', 'with Hope').
NAME_BEFORE = re.compile(r"\b(?:and|with|for|by|to|from)[ \t]+$")
# The same before a caseless script's word in cased text: 'from 東京', 'to 大阪' name places.
EMBEDDED_NAME_BEFORE = re.compile(r"\b(?:and|with|by)[ \t]+$")
NAME_IS = re.compile(r"\bname[ \t]+(?:is|was)[ \t]+$", re.IGNORECASE)
OWNED = re.compile(r"[ \t]+\p{Ll}")
OPENS_ADDRESS = re.compile(
    r",[ \t]*(?:can|could|would|will|please|i|you|we|do|did|have|are|is|thanks|thank|sorry"
    r"|listen|look|remember|wait|welcome|let|let's)\b",
    re.IGNORECASE,
)
# 'Remember me, Sarah?', 'Don't go to town, Rościsław!': a name addressed at a clause's end.
ADDRESSED_BEFORE = re.compile(r"\w[ \t]*,[ \t]*$")
ADDRESSED_AFTER = re.compile(r"[ \t]*(?:[?!]|\.(?:[ \t]|$)|$)")
# Words that take a name's roles without being one.
NEVER_NAMES = frozenset(
    "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday god jesus christ "
    "jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat "
    "sun "
    # labels that open a line like a speaker ('Date: …', 'Note: …')
    "date name note notes phone email address subject total status summary answer question "
    "reply result time type comment comments description title price amount order item "
    "message reason update step tip warning error info source mobile fax desk office".split()
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
class _Token:
    start: int
    end: int  # without a trailing possessive 's
    text: str
    lower: str
    case: str  # "title" ('Anne-Marie', "O'Neill"), "upper", "lower" or "other" ('McDonald')
    possessive: bool  # "Sarah's": the name ends here
    embedded: bool = False  # a caseless script's word in cased text, read as capitalised
    dense: bool = False  # unspaced script ('小雪', 'みずき'): two characters make a name

    def long_enough(self, head: bool = True) -> bool:
        """Three letters or more ('Ana', not 'Jo' or 'NA'); in an unspaced script two, or
        one after the name's first word ('姣玥 庾')."""
        if self.dense:
            return len(self.text) >= (2 if head else 1)
        return len(self.text) >= 3

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
        self.prefixes = name_prefixes()

    def analyze(self, text: str, entities: list[str], nlp_artifacts=None) -> list:
        if entities and "PERSON" not in entities:
            return []
        return [self._result(text, *found) for found in self.find(text)]

    # -- matching ---------------------------------------------------------------------------

    def find(self, text: str) -> list[tuple[int, int, float, str]]:
        """(start, end, score, rule) for every name in ``text``; overlaps resolved to the
        longest span."""
        text = unescaped(text)  # same length: offsets hold
        tokens = [_Token.make(m.start(), m.end(), m.group()) for m in TOKEN.finditer(text)]
        tokens = [t for t in tokens if _free_standing(text, t)]
        embedded = CASELESS.search(text) is not None and _mostly_cased(tokens)
        if embedded:
            tokens = [_capitalised(t) for t in tokens]
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
        found.extend(self._cued(text, embedded))
        return [hit for hit in _longest_first(found) if not _names_a_company(text, hit[1])]

    def _cued(self, text: str, embedded: bool = False) -> list[tuple[int, int, float, str]]:
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
            out.extend(self._dialogue(text, embedded))
        if "@" in text:
            for m in MENTION.finditer(text):
                handle = m.group("handle")
                head = re.split(r"[._\-]", handle.lower(), maxsplit=1)[0]
                known = head in lists.first or head in lists.last
                if known and head not in lists.ambiguous and handle.lower() not in NOT_HANDLES:
                    out.append((m.start("handle"), m.end("handle"), MENTION_SCORE, "mention"))
        if CASELESS.search(text):
            out.extend(self._unspaced(text))
            for m in CJK_NAME.finditer(text):
                group = "name" if m.group("name") else "name2"
                if m.group(group) not in CJK_NOT_NAMES:
                    out.append((m.start(group), m.end(group), GREETING_SCORE, "cjk honorific"))
        return out

    def _unspaced(self, text: str) -> list[tuple[int, int, float, str]]:
        """Names in scripts written without spaces, within runs of those scripts: a whole run
        that is a known name or a family name and a given name ('さゆり', '山本翔太', '김민준'),
        maybe with an honorific or particle after it ('さゆりさん'); two runs one space apart
        of which one is known ('山口 さゆり', '佐藤 京助'); a one-character name only as a
        run of its own in other text ('She named him 翼')."""
        runs = list(UNSPACED_RUN.finditer(text))
        out: list[tuple[int, int, float, str]] = []
        i = 0
        while i < len(runs):
            run = runs[i]
            if i + 1 < len(runs) and text[run.end() : runs[i + 1].start()] in (" ", "\u3000"):
                pair = self._unspaced_pair(run.group(), runs[i + 1].group())
                if pair:
                    end = runs[i + 1].start() + pair
                    out.append((run.start(), end, GREETING_SCORE, "family and given name"))
                    i += 2
                    continue
            length = self._unspaced_name(run.group(), _isolated(text, run.start(), run.end()))
            if length:
                out.append((run.start(), run.start() + length, GREETING_SCORE, "unspaced name"))
            else:
                out.extend(self._inside_run(run.group(), run.start()))
            i += 1
        return out

    def _inside_run(self, run: str, offset: int) -> list[tuple[int, int, float, str]]:
        """Names inside a sentence of unspaced script ('山口さゆりさんから連絡'): a known
        family name and a known given name, or a known name of two characters or more before
        an honorific ('さゆりさん'); either one followed by an honorific, a particle or the
        end of the run."""
        lists = self.lists
        longest = lists.unspaced_longest
        out: list[tuple[int, int, float, str]] = []
        p = 0
        while p < len(run):
            end = 0
            for k in range(min(longest, len(run) - p), 0, -1):
                head = run[p : p + k]
                if head in lists.unspaced_last:
                    end = self._given_after(run, p, p + k)
                elif (
                    k > 1 and head in lists.unspaced_first and _suffixed(run, p + k, honorific=True)
                ):
                    end = p + k
                if end:
                    break
            if end:
                out.append((offset + p, offset + end, GREETING_SCORE, "name in a sentence"))
                p = end
            else:
                p += 1
        return out

    def _given_after(self, run: str, family: int, start: int) -> int:
        """End of a known given name at ``start`` (after a family name at ``family``) that a
        suffix or the run's end follows, or of a family name of two characters or more alone
        before one ('担当の鈴木が'); else 0."""
        lists = self.lists
        for k in range(min(lists.unspaced_longest, len(run) - start), 0, -1):
            if run[start : start + k] in lists.unspaced_first and _suffixed(run, start + k):
                return start + k
        return start if start - family > 1 and _suffixed(run, start) else 0

    def _unspaced_name(self, run: str, isolated: bool = True) -> int:
        """Length of the name ``run`` is, before honorifics or particles ('さゆりさん' → 3);
        0 when it is none. A run glued to letters or digits ('29丁目22') must be a known name
        of two characters or more, or a known family and given name; an unknown given name
        is taken only in Han script, one or two characters after a known family name ('姜凯')."""
        lists = self.lists
        stems = _stems(run)[::-1]  # shortest first: '佐藤様' is '佐藤'
        for stem in stems:
            known = stem in lists.unspaced_first or stem in lists.unspaced_last
            if known and (len(stem) > 1 or isolated):
                return len(stem)
        for stem in stems:
            for k in range(1, min(3, len(stem) - 1) + 1):
                family, given = stem[:k], stem[k:]
                if family not in lists.unspaced_last:
                    continue
                short_han = isolated and len(given) <= 2 and HAN.fullmatch(given) is not None
                if given in lists.unspaced_first or short_han:
                    return len(stem)
        return 0

    def _unspaced_pair(self, family: str, given: str) -> int:
        """'山口 さゆり', '佐藤 京助', '林 幹': the given part's length when the two runs are a
        family name (known, or one to three characters) and a given name (known, or one to
        three characters before an honorific), at least one of them known; else 0."""
        lists = self.lists
        family_known = family in lists.unspaced_last
        if not family_known and len(family) > 3:
            return 0
        for stem in _stems(given):
            known = stem in lists.unspaced_first
            if (known or len(stem) <= 3) and (known or family_known):
                return len(stem)
        return 0

    def _dialogue(self, text: str, embedded: bool = False) -> list[tuple[int, int, float, str]]:
        """Speakers at the start of a line ('William: Remember me, Sarah?'). A known first
        name speaks on its own; any other known name ('Christian', a surname, 'Paris') only
        in a dialogue, where two lines or more start with a speaker."""
        lines = list(LINE_SPEAKER.finditer(text))
        names = [m.group("name") for m in lines]
        # a dialogue: a speaker speaks twice, or one of them is plainly a first name (form
        # labels 'Date:', 'Name:', 'Phone:' each come once and are words)
        dialogue = len(set(names)) < len(names) or any(
            self._speaker(name.split(), dialogue=False) for name in names
        )
        # speakers in a caseless script opening lines of cased text ('妍凝: What a wife.')
        dialogue = dialogue or (embedded and sum(map(_caseless_words, names)) > 1)
        dialogue = dialogue or (
            len(names) > 1
            and all(n.islower() and self._is_first(_Token.make(0, len(n), n)) for n in names[:2])
        )
        return [
            (m.start("name"), m.end("name"), LABEL_SCORE, "speaker")
            for m in lines
            if self._speaker(
                m.group("name").split(), dialogue, names.count(m.group("name")) > 1, embedded
            )
        ]

    def _speaker(
        self, words: list[str], dialogue: bool, repeated: bool = False, embedded: bool = False
    ) -> bool:
        """Whether a line's opening words are a speaker: a known first name; in a dialogue,
        any known name or word that is no English word ('Eser'), or a lower-case known given
        name that is no ordinary word ('marcella:')."""
        lists = self.lists
        tokens = [_Token.make(0, len(w), w) for w in words]
        if embedded:
            tokens = [_capitalised(t) for t in tokens]
        if any(t.lower in ROLE_WORDS or t.lower in FUNCTION_WORDS for t in tokens):
            return False
        head = tokens[0]
        if all(t.case == "lower" for t in tokens):  # 'marcella: what a wife.' in a dialogue
            return dialogue and all(
                self._is_first(t) and t.lower not in lists.common for t in tokens
            )
        if any(t.case not in ("title", "upper") and not CASELESS.match(t.text) for t in tokens):
            return False
        if self._unspaced_name(head.text):
            return True
        plain_first = head.lower not in lists.ambiguous and head.lower not in lists.places
        if self._is_first(head) and plain_first:
            return True
        return dialogue and all(
            (self._is_first(t) or self._is_last(t) or self._unheard(t))
            and t.lower not in NEVER_NAMES
            for t in tokens
        )

    def _plausible_value(self, words: list[str], generic: bool) -> bool:
        """A labelled value that can be a name: every word a known name, or neither an
        ordinary word nor camel-cased ('TestJob'); after a bare 'name:' label, a known first
        name first, or several words none of which is English (not 'Name: Refund policy')."""
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
        if not generic:
            return True
        head = words[0].lower()
        if head in lists.first and head not in lists.ambiguous:
            return True
        # 'Name: erzebet budai': two words or more, none of them English
        return len(words) > 1 and not any(w.lower() in lists.english for w in words)

    def _at(self, text: str, tokens: list[_Token], i: int):
        """The name starting at token ``i``, from the lists or, failing that, from the role
        the word takes in its sentence."""
        hit = self._listed(text, tokens, i)
        return hit if hit is not None else self._in_role(text, tokens, i)

    def _listed(self, text: str, tokens: list[_Token], i: int):
        lists = self.lists
        tok = tokens[i]
        if tok.lower in HONORIFICS or tok.lower in WEAK_HONORIFICS:
            return self._after_honorific(text, tokens, i)
        # a caseless script's prefix only in cased text ('this is الدكتور وسيم')
        if tok.text in self.prefixes and (tok.embedded or not CASELESS.match(tok.text)):
            return self._after_honorific(text, tokens, i, prefix=True)
        plain = tok.lower not in lists.common or self._is_first(tok)
        if (
            plain
            and tok.lower not in FUNCTION_WORDS
            and INTRODUCTION.search(text, max(0, tok.start - 30), tok.start) is not None
        ):  # introduced ('my name is …'): looked for only before a word that may be a name
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
                tok.case in ("title", "upper")
                and (
                    (has_last and (greeted or not common_last)) or self._unheard(tokens[end_index])
                )
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
        alone_ok = tok.case == "title" and not ambiguous and tok.long_enough()
        if alone_ok and tok.lower not in lists.places:
            return tok.start, tok.end, ALONE_SCORE, "first name", i
        if tok.case == "upper" and not ambiguous and _alone_on_line(text, tok):
            return tok.start, tok.end, ALONE_SCORE, "first name on its own line", i
        return None

    def _unheard(self, tok: _Token) -> bool:
        """A capitalised word that is no English word at all ('Nobbs', 'Kowalczyk'): after a
        first name that is also a word ('Christian Nobbs'), it makes a full name."""
        return (
            tok.case == "title"
            and tok.long_enough(head=False)
            and tok.lower not in self.lists.english
            and tok.lower not in self.lists.places
        )

    def _in_role(self, text: str, tokens: list[_Token], i: int):
        """A word the lists leave out or hold back ('Victoria', 'Christian', 'Cinzia',
        'mikko') in a place only a person takes: the subject of 'was frustrated',
        'said', 'lives'…, the object of 'asked', 'assistant to', 'her maiden name is', the
        owner of something ('Μανουσιάδης's song'), addressed ('Remember me, Sarah?', 'Sofia,
        can I …'), or a line of its own with a second name ('Harwin Galesloot' heading an
        address)."""
        lists = self.lists
        tok = tokens[i]
        lower = tok.lower
        if lower in FUNCTION_WORDS or lower in NEVER_NAMES or not tok.long_enough():
            return None
        if tok.case == "lower":
            return self._lower_in_role(text, tokens, i)
        if tok.case not in ("title", "upper"):
            return None
        known = self._is_first(tok) or self._is_last(tok) or tok.embedded
        unheard = lower not in lists.english and lower not in lists.places
        if not (known or unheard):
            return None
        before = text[max(0, tok.start - 40) : tok.start]
        strong = (
            _does(text, tok, lower not in lists.common)
            or PERSON_BEFORE.search(before) is not None
            or (_owns(text, tok) and lower not in lists.places)
            or (unheard and _opens_address(text, tok))
            or LISTED_AFTER.search(text, max(0, tok.start - 120), tok.start) is not None
        )
        if not strong and known:
            strong = PERSON_BEFORE_KNOWN.search(before) is not None or _opens_address(text, tok)
            strong = strong or (
                lower not in lists.places
                and (
                    (EMBEDDED_NAME_BEFORE if tok.embedded else NAME_BEFORE).search(before)
                    or _addressed(text, tok)
                )
            )
        if not strong:
            card = self._card_line(text, tokens, i)
            if card is not None:
                return tok.start, tokens[card].end, UNKNOWN_LAST_SCORE, "name line", card
            return None  # a family name alone may name a company ('invoice for Carvalho')
        end_index = self._unheard_tail(text, tokens, i)
        return tok.start, tokens[end_index].end, UNKNOWN_LAST_SCORE, "in a person's role", end_index

    def _unheard_tail(self, text: str, tokens: list[_Token], i: int) -> int:
        """Index of the last of up to two capitalised family names or non-words after ``i``
        ('Lothair Quirion')."""
        end_index, limit = i, i + 3
        for k in range(i + 1, len(tokens)):
            nxt = tokens[k]
            if k >= limit or not _adjacent(text, tokens[k - 1], nxt):
                break
            if nxt.embedded and nxt.lower in PARTICLES:
                limit += 1  # 'مرام ال المحيربي': a particle between two parts
                continue
            if nxt.case != "title":
                break
            if not (self._is_last(nxt) or self._unheard(nxt)) or nxt.lower in self.lists.common:
                break
            end_index = k
        return end_index

    def _card_line(self, text: str, tokens: list[_Token], i: int) -> int | None:
        """'Harwin Galesloot' as a line of its own (a signature, an address's first line):
        two or three capitalised words, none of them English."""
        tok = tokens[i]
        line_start = text.rfind("\n", 0, tok.start) + 1
        if any(c.isalnum() for c in text[line_start : tok.start]):
            return None
        end_index = i
        for k in range(i + 1, min(i + 4, len(tokens))):
            nxt = tokens[k]
            if not _adjacent(text, tokens[k - 1], nxt):
                break
            # an initial: 'Spartacus N Ignatieff' (not '庾' of '姣玥 庾', a family name)
            if len(nxt.text) == 1 and nxt.case == "title" and not nxt.dense:
                continue
            if nxt.case != "title" or not (self._unheard(nxt) or self._is_last(nxt)):
                return None
            if nxt.lower in self.lists.common or not nxt.long_enough(head=False):
                return None
            end_index = k
        end = tokens[end_index].end
        line_end = text.find("\n", end)
        rest = text[end : line_end if line_end >= 0 else len(text)]
        return end_index if end_index > i and not rest.strip() else None

    def _lower_in_role(self, text: str, tokens: list[_Token], i: int):
        """'mikko is a very sympathetic person', "here's aloisia's address", 'her maiden
        name is kamei', 'samuel, can I …', 'gregory kudryashov': lower-case names need a
        known given or family name that is no ordinary word, or 'name is' before them."""
        lists = self.lists
        tok = tokens[i]
        before = text[max(0, tok.start - 40) : tok.start]
        known = self._is_first(tok) or self._is_last(tok)
        if not known or tok.lower in lists.common:
            if tok.lower in lists.english:
                return None
            # 'her maiden name is kamei', 'shuntarou had given …'
            if NAME_IS.search(before) is not None or AFTER_PERSON.match(text, tok.end):
                return tok.start, tok.end, UNKNOWN_LAST_SCORE, "after 'name is'", i
            return None
        if i + 1 < len(tokens) and self._is_first(tok) and tok.lower not in lists.ambiguous:
            nxt = tokens[i + 1]
            if (
                nxt.case == "lower"
                and _adjacent(text, tok, nxt)
                and len(nxt.text) > 2
                and nxt.lower not in lists.english
                and nxt.lower not in FUNCTION_WORDS
            ):
                return tok.start, nxt.end, UNKNOWN_LAST_SCORE, "given and family name", i + 1
        if (
            _does(text, tok)
            or PERSON_BEFORE.search(before) is not None
            or _owns(text, tok)
            or _opens_address(text, tok)
            or _addressed(text, tok)
        ):
            return tok.start, tok.end, UNKNOWN_LAST_SCORE, "in a person's role", i
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
        plain_first = tokens[i].lower in lists.first and tokens[i].lower not in lists.ambiguous
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
                # 'jane doe': a surname that is a rarer word, after a plain first name
                ok = ok or (
                    nxt.case == "lower"
                    and is_last
                    and plain_first
                    and nxt.lower not in lists.everyday
                )
            elif case == "upper":
                ok = nxt.case == "upper" and (
                    is_last or is_first or (nxt.lower not in lists.common and len(nxt.text) > 2)
                )
            elif len(nxt.text) == 1 and nxt.case == "title":  # an initial: 'Fred L. Drake'
                ok = k + 1 < len(tokens) and _adjacent(text, nxt, tokens[k + 1])
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

    def _after_honorific(self, text: str, tokens: list[_Token], i: int, prefix: bool = False):
        """'Mrs Okafor', and after a Faker locale's prefix as Faker writes it (``prefix``:
        'JUDr. Vrána', 'الدكتور وسيم'), a name that is no ordinary word."""
        tok = tokens[i]
        if (tok.case not in ("title", "upper") and not prefix) or i + 1 >= len(tokens):
            return None
        nxt = tokens[i + 1]
        gap = HONORIFIC_GAP.fullmatch(text, tok.end, nxt.start)
        if gap is None or nxt.case not in ("title", "upper", "other") or len(nxt.text) < 2:
            return None
        if tok.case == "upper" and nxt.case != "upper":  # 'MS C runtime', 'DR Congo'
            return None
        if nxt.lower in FUNCTION_WORDS or nxt.lower in HONORIFICS:
            return None
        if (prefix or tok.lower in WEAK_HONORIFICS) and nxt.lower in self.lists.common:
            return None
        end_index = i + 1
        if self._is_first(nxt):
            end_index, _, _ = self._extend(text, tokens, i + 1)
        elif nxt.embedded:  # 'الدكتور وسيم ال المحيربي'
            end_index = self._unheard_tail(text, tokens, i + 1)
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


def _names_a_company(text: str, end: int) -> bool:
    """'Pollard PLC', 'Spinelli SPA', 'Petrucci, Anguillara e Travia s.r.l.': a name that
    (with the names listed after it) is followed by a company's legal form."""
    return COMPANY_AFTER.match(text, end) is not None


def _stems(run: str) -> list[str]:
    """A run of unspaced script, and the run without up to two honorifics or particles
    after it ('さゆりさんから' → 'さゆりさん', 'さゆり')."""
    stems = [run]
    for _ in range(2):
        stem = stems[-1]
        suffix = next((x for x in UNSPACED_SUFFIXES if stem.endswith(x) and stem != x), None)
        if suffix is None:
            break
        stems.append(stem[: -len(suffix)])
    return stems


def _suffixed(run: str, end: int, honorific: bool = False) -> bool:
    """The run ends at ``end`` or goes on with an honorific (or, unless ``honorific``, a
    particle)."""
    if end == len(run):
        return not honorific
    suffixes = HONORIFICS_UNSPACED if honorific else UNSPACED_SUFFIXES
    return run.startswith(suffixes, end)


def _isolated(text: str, start: int, end: int) -> bool:
    """A run set apart by spaces or punctuation, in text of another script."""
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not before.isalnum() and not after.isalnum()


def _does(text: str, tok: _Token, plain: bool = True) -> bool:
    """What follows the word is something only a person does or is; for a ``plain`` word (no
    ordinary English word), also what a person or a thing does ('Cinzia arrived')."""
    if AFTER_PERSON.match(text, tok.end) is not None:
        return True
    return plain and AFTER_SOMEONE.match(text, tok.end) is not None


def _owns(text: str, tok: _Token) -> bool:
    """'Μανουσιάδης's song', "aloisia's address": a possessive before a lower-case word."""
    return tok.possessive and OWNED.match(text, tok.end + 2) is not None


def _opens_address(text: str, tok: _Token) -> bool:
    """'Sofia, can I please speak to your boss?': a name opening a line, then a request."""
    start = text.rfind("\n", 0, tok.start) + 1
    if text[start : tok.start].strip():
        return False
    return OPENS_ADDRESS.match(text, tok.end) is not None


def _addressed(text: str, tok: _Token) -> bool:
    """'…, Sarah?' / '…, Rościsław!': addressed at the end of a clause."""
    before = text[max(0, tok.start - 4) : tok.start]
    return (
        ADDRESSED_BEFORE.search(before) is not None
        and ADDRESSED_AFTER.match(text, tok.end) is not None
    )


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
    if left.possessive or left.embedded != right.embedded:
        return False  # no name runs from cased script into a caseless one ('Pierce مرحبا')
    gap = INITIAL_GAP if len(left.text) == 1 and left.text.isupper() else GAP
    return gap.fullmatch(text, left.end, right.start) is not None


@cache
def name_prefixes() -> frozenset[str]:
    """Every Faker locale's name prefixes as written, the last word of each without its
    period ('JUDr', 'Ing', 'Fru', 'Tohtori', 'الدكتور', 'آقای' of 'جناب آقای'), less those
    that are names or English words too ('Don', 'Bibi'): a name follows them."""
    lists = name_lists()
    taken = (lists.first, lists.last, lists.english, lists.unspaced_first, lists.unspaced_last)
    words = {h.split()[-1].rstrip(".") for h in honorifics()}
    return frozenset(
        w
        for w in words
        if TOKEN.fullmatch(w)
        and not w.isupper()  # parts of ranks ('POL CONST', 'SQN LDR'), acronyms
        and not any(w.lower() in s for s in taken)
    )


def _mostly_cased(tokens: list[_Token]) -> bool:
    """More words, or more letters, of cased scripts than of caseless ones (Arabic words run
    long, a Japanese run is one token): then a word of a script without case ('جواد', 'شیده',
    '小雪', 'みずき') stands out as a capital does ('You can tell عادل was a huge … fan',
    'said 思璎 to 辰煜'). In text written mostly in such a script every word would look like
    a name, so it is left as it is."""
    cased = caseless = cased_letters = caseless_letters = 0
    for t in tokens:
        if t.case != "other":
            cased, cased_letters = cased + 1, cased_letters + len(t.text)
        elif CASELESS_WORD.fullmatch(t.text):
            caseless, caseless_letters = caseless + 1, caseless_letters + len(t.text)
    return cased > caseless or cased_letters > caseless_letters


def _capitalised(tok: _Token) -> _Token:
    """A caseless script's word read as a capitalised one, in text of cased scripts; it
    counts as a name in the roles a known name takes ('Remember me, 春阳?')."""
    if tok.case != "other" or not CASELESS_WORD.fullmatch(tok.text):
        return tok
    dense = UNSPACED_RUN.fullmatch(tok.text) is not None
    return replace(tok, case="title", embedded=True, dense=dense)


def _caseless_words(name: str) -> bool:
    """Every word of a speaker's name is in a script without case ('妍凝', 'تهمینه')."""
    return all(CASELESS_WORD.fullmatch(word) for word in name.split())


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
