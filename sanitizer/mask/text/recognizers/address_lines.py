"""Street lines of many countries, military and Japanese addresses, and the lines of an
address block — the part of :mod:`street_address` that is not English, German or Romance.

Everything here runs as one alternation of regular expressions over the text (a form each,
with named groups), then cheap checks in Python. How each form stays off ordinary text:

- A street word from Faker's address providers (:mod:`street_vocab`) next to a capitalised
  name and a house number, in the order its language writes them: 'ul. Długa 12/4',
  'Λεωφόρος Κηφισίας 12', 'Veres Pálné u. 8', 'Rynkebyvej 21', 'Laugavegur 12'. A street word
  that is an English word too ('Via', 'Route', 'Gang') needs a name that is not one ('Via
  Tasso 21', not 'Via Slack 2'); a glued ending must leave a stem and the word must not be a
  name or an English word ('Brigade 3', 'Julia 4').
- Streets without a street word ('Dunajska 56', 'Ποσειδώνος 254') only with a house number
  before them ('54303 Ilichova 83': number, name, number), a cue before them ('lives on',
  'address:', 'side of'), 'street' after them, or a postcode line under them. Month and
  weekday names never make a name ('5 May 2024'), nor do names made only of common English
  words ('2 Windows 10').
- 'on Harcerska Street': a street type after a name that is not common English ('the Main
  Street team' stays); the name alone is the finding, and takes a surname ('on Johnson
  Street').
- Military: 'USS Walker' / 'USNS …' (the ship's name), 'FPO AE 67601' / 'APO' / 'DPO' (the
  postcode); 'PSC 7245, Box 8033' and 'Unit 1234 Box 5678' are in :mod:`street_address`.
- Japanese: a prefecture, city or ward followed by 丁目 / 番 / 号 numbers, with the building.
- Address blocks: the lines after a street line (real or literal ``\\n``) that read like the
  rest of an address — a city, 'Apt. 584', ', WI', 'Spain 17455', '76614 Herford',
  'ΤΚ 483 37 Ναύπλιο' — each become their own findings, as does what follows the street on
  its own line ('…, Springfield, IL 62704'). A line with a label, a lower-case word or only
  common words ('Thanks') ends the block.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

import regex as re

from sanitizer.mask.text.plain_words import plain_words
from sanitizer.mask.text.recognizers.alternation import first_matches
from sanitizer.mask.text.recognizers.street_vocab import street_words

HOUSE = r"\d{1,5}[A-Za-z]?(?:[ \t]?[-/][ \t]?\d{1,5}[A-Za-z]?)?"
# not glued to a word, amount or id — a literal '\n' escape before is a line break
NO_LEAD = r"(?:(?<=\\[nrt])|(?<![\w$€£¥.,/#\-]))"
NO_WORD_BEFORE = r"(?:(?<=\\[nrt])|(?<![\w\-]))"
END = r"(?![\w\-/]|[.,]\d)"
CAP = r"\p{Lu}[\p{L}\p{M}'’\-]*"
PARTICLE = (
    r"(?:(?:de|del|de la|de los|de las|da|do|dos|das|di|della|delle|dei|du|des|la|le|les|y|e"
    r"|van|von|der|den|het|ter|te|al|el|i|à|au|aux)[ \t]+|[dlDL]['’])"
)
NAME_ABBREVIATION = r"(?:Brig|Gen|Dr|Dra|Prof|Pres|Sr|Sra|St|Sta|Ste|Sto|Mt|Ft|Św|Sv|Ag|Kpt|Gen)\."
NAME_WORD = rf"(?:{NAME_ABBREVIATION}|{CAP})"
NAME_SEQ = rf"{PARTICLE}*{NAME_WORD}(?:[ \t]+{PARTICLE}*{NAME_WORD}){{0,4}}"
NUMBER_MARK = r"(?:(?i:nº|n°|no\.|nr\.?|núm\.?|n\.|č\.|č\.p\.)[ \t]*)?"
NOT_A_QUANTITY = (
    r"(?![ \t]*(?i:days?|hours?|h\b|mins?\b|minutes?|times?|weeks?|months?|years?|items?"
    r"|units?|pcs|x\b|%|gb|mb|kb|tb|ms|euros?|usd|eur|dollars?|people|users?|percent))"
)
CJK = r"[\p{Han}\p{Hiragana}\p{Katakana}ー々ヶ]"
# the word a Chinese street name ends in, right before its number ('蔡甸路1135号')
ZH_ROAD = r"\p{Han}(?:大道|大街|街道|路|街|巷|弄|胡同|条)"
# A Korean road-name address: a province, city, county or district word, or several, then
# the road (its name may hold a number: '테헤란10길') and the building number ('지하' below
# ground). Without the administrative word before it, '서울로 3' is a particle and a count;
# nor is a road one of those words with a particle ('수원시로 2 명': to Suwon, two people).
KO_ADMIN = r"\p{Hangul}{1,10}(?:특별시|광역시|특별자치시|특별자치도|도|시|군|구)"
KO_ROAD = r"\p{Hangul}{1,12}\d{0,4}(?<![시군구도])(?:대로|로|길|가|거리)(?:[ \t]?\d{1,4}번?길)?"
EN_TYPE_AFTER = (
    r"(?:Street|street|St\.|Road|road|Avenue|avenue|Ave\.|Boulevard|Lane|Drive)(?![\w\-])"
)
CUE = (
    r"(?i:\b(?:live[sd]?|living|reside[sd]?|moved|located|situated|based)[ \t]+(?:on|at|in|to)"
    r"|\baddress(?:[ \t]+is)?[ \t]*:?|\b(?:ship|deliver|send|mail|post)(?:ped|ed|s)?[ \t]+"
    r"(?:it[ \t]+|them[ \t]+)?to|\bside[ \t]+of|\bcorner[ \t]+of|\brefers[ \t]+to)[ \t]+"
    r"(?:the[ \t]+)?"
)
NOT_STREET_NAMES = frozenset(
    "january february march april may june july august september october november december jan "
    "feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday "
    "saturday sunday mon tue wed thu fri sat sun q1 q2 q3 q4 week day version chapter page "
    "step level room floor phase part season episode volume section figure table windows "
    "gate terminal platform track apt apartment suite ste unit flat box po building block "
    "model type size grade class tier".split()
)
# kinds of fakes (mask/fakes.py) a finding takes instead of its entity's (city for LOCATION)
STREET, POSTCODE, FORMAT, LAST_NAME = "street", "postcode", "format", "last_name"


@dataclass(frozen=True)
class Part:
    """One finding: a street line or one piece of an address block."""

    start: int
    end: int
    kind: str | None  # the fake kind; None: the entity's own (a city)
    score: float = 0.6


def _alternation(words) -> str:
    escaped = sorted({re.escape(w) for w in words}, key=lambda w: (-len(w), w))
    return "|".join(escaped)


@cache
def _finders() -> tuple[re.Pattern, ...]:
    """The forms' regular expressions, one per form of :data:`FORMS`, in that order (built at
    first use: they need Faker's street words).

    Read together they are one alternation, matched as :func:`street_parts` does; compiled
    as one pattern, the ``regex`` module tried every form at every position (1.04 s against
    0.84 s over 2,889 texts), and a form can be skipped where it cannot match (:func:`_possible`).
    """
    vocab = street_words()
    before = _alternation(vocab.before)
    after = _alternation(vocab.after)
    glued = _alternation(vocab.glued)
    lead = rf"(?:(?P<lead>{HOUSE})[ \t]+)?"
    number = rf"{NUMBER_MARK}(?P<num>{HOUSE}){NOT_A_QUANTITY}{END}"
    alternatives = [
        # 'ul. Długa 12/4', 'Rua das Flores, 77', 'Οδός Ερμού 5'
        rf"(?P<before>{NO_LEAD}{lead}(?<!\bet[ \t])(?P<bw>(?i:{before}))[ \t]+"
        rf"(?P<name>{NAME_SEQ}),?[ \t]*{number})",
        # 'Veres Pálné u. 8', 'Gosposka ulica 117'
        rf"(?P<after>{NO_LEAD}{lead}(?P<name>{NAME_SEQ})[ \t]+(?P<aw>(?i:{after}))"
        rf"[ \t]*,?[ \t]*{number})",
        # 'Rynkebyvej 21', 'Johannes van Vlotenlaan 14', 'Laugavegur 12'
        rf"(?P<glued>{NO_LEAD}{lead}(?P<name>(?:{NAME_WORD}[ \t]+{PARTICLE}*){{0,3}})"
        rf"(?P<gw>\p{{Lu}}[\p{{L}}\-]*+(?<=(?i:{glued})))[ \t]*,?[ \t]*{number})",
        # '54303 Ilichova 83'
        rf"(?P<numbered>{NO_LEAD}(?P<lead>{HOUSE})[ \t]+(?P<name>{NAME_SEQ})[ \t]+{number})",
        # 'lives on Hrútafjörður 34', 'address: Dunajska 56'
        rf"(?P<cued>(?<={CUE})(?P<name>{NAME_SEQ}),?[ \t]+{number})",
        # 'Dobrovského 634 street'
        rf"(?P<typed>{NO_WORD_BEFORE}(?P<name>{NAME_SEQ})[ \t]+{number}(?=[ \t]+{EN_TYPE_AFTER}))",
        # 'on Harcerska Street', 'on 前田 Street'
        rf"(?P<bare>(?<=\b(?:on|at|to|from|of|in|along|off|near)[ \t]+)"
        rf"(?P<name>{NAME_SEQ}|{CJK}{{1,8}})(?=[ \t]+{EN_TYPE_AFTER}))",
        # '42 Calle de Marina Pablo', '9-2 Mariola-Heinz-Platz', '830 小川 Street'
        rf"(?P<numfirst>{NO_LEAD}(?P<lead>{HOUSE})[ \t]+(?:(?P<bw>(?i:{before}))[ \t]+"
        rf"(?P<name>{NAME_SEQ})|(?P<gw>\p{{Lu}}[\p{{L}}\-]*+(?<=(?i:{glued})))|{CJK}{{1,8}}[ \t]+"
        rf"{EN_TYPE_AFTER}){END})",
        # 'his address: 79/25 Miarki', 'lives on the north side of Linkeweg.'
        rf"(?P<cuedname>(?<={CUE})(?:{HOUSE}[ \t]+)?(?P<name>{NAME_SEQ})(?=[ \t]*(?:[.,;!?]|$)))",
        rf"(?P<ship>{NO_WORD_BEFORE}(?:USS|USNS|USNV|USCGC)[ \t]+"
        rf"(?P<shipname>\p{{Lu}}[\p{{L}}'’\-]+))",
        rf"(?P<military>{NO_WORD_BEFORE}(?:APO|FPO|DPO)[ \t]+(?:AA|AE|AP)[ \t]+"
        rf"(?P<milzip>\d{{5}}(?:-\d{{4}})?)\b)",
        # 山梨県三鷹市浅草29丁目22番19号 (and a building after a space)
        # and Chinese ones: 蔡甸路1135号, 台南市永安路27號之1, 花溪张路t座 (building T)
        rf"(?P<ja>{CJK}{{2,24}}?(?:\d{{1,4}}(?:丁目|番地?|[号號]|-)(?:\d{{1,4}}(?:丁目|番地?|[号號]|-))*"
        rf"\d{{0,4}}(?:[号號])?(?:之\d{{1,3}})?(?:[ \t　]{CJK}{{1,16}}\d{{1,5}}(?:号室)?)?"
        rf"|(?<={ZH_ROAD})[A-Za-z]座))",
        # 서울특별시 중랑구 양재천420거리 982, 경상북도 영동군 테헤란10길 265-87 (은서고이리)
        rf"(?P<ko>(?<!\p{{Hangul}})(?:{KO_ADMIN}[ \t]+){{1,4}}{KO_ROAD}[ \t]+"
        rf"(?:지하[ \t]?)?\d{{1,5}}(?:-\d{{1,5}})?(?![\w\-])(?:[ \t]*\(\p{{Hangul}}{{1,12}}\))?)",
    ]
    return tuple(re.compile(alternative, re.MULTILINE) for alternative in alternatives)


def street_parts(text: str) -> list[Part]:
    """Street lines, ship names and military postcodes found in ``text``: the matches the
    forms' alternation would give (:func:`first_matches`), each checked."""
    found = first_matches(_finders(), text, _possible(text))
    parts = [_checked(match, FORMS[index]) for index, match in found]
    return [part for part in parts if part is not None]


FORMS = (
    "before", "after", "glued", "numbered", "cued", "typed", "bare", "numfirst", "cuedname",
    "ship", "military", "ja", "ko",
)  # fmt: skip
_DIGIT = re.compile(r"\d")  # as the forms read \d: any decimal digit
_HANGUL = re.compile(r"\p{Hangul}")
_CUE = re.compile(CUE)
# EN_TYPE_AFTER's words, one of which a 'typed' or 'bare' street line ends before
TYPE_WORDS = tuple("Street street St. Road road Avenue avenue Ave. Boulevard Lane Drive".split())


def _possible(text: str) -> tuple[bool, ...]:
    """For each form of :data:`FORMS`, whether ``text`` has what every match of it needs: a
    digit (a house number, a postcode, 丁目 numbers), a cue, a street type after the name,
    'US' of a ship's prefix, 'PO' of APO / FPO / DPO. A form that cannot match is not
    searched (a third of texts have no digit; few have a cue)."""
    digit = _DIGIT.search(text) is not None
    typed = any(word in text for word in TYPE_WORDS)
    cue = _CUE.search(text) is not None
    hangul = digit and _HANGUL.search(text) is not None
    # before, after, glued, numbered, cued, typed, bare, numfirst, cuedname, ship, military, ja,
    # ko
    return (
        digit, digit, digit, digit, digit and cue, digit and typed, typed, digit, cue,
        "US" in text, digit and "PO" in text, digit, hangul,
    )  # fmt: skip


def _checked(match: re.Match, kind: str) -> Part | None:
    groups = match.groupdict()  # a form's own groups ('gw', 'bw', 'aw' where it has them)
    if kind == "ship":
        return Part(*match.span("shipname"), LAST_NAME, 0.7)
    if kind == "military":
        return Part(*match.span("milzip"), POSTCODE, 0.7)
    if kind == "ja":
        return _east_asian(match)
    if kind == "ko":
        return Part(*match.span("ko"), STREET, 0.7)
    name = groups.get("name") or ""
    if groups.get("gw") and not _glued_ok(groups["gw"]):
        return None
    if groups.get("bw") and _common_word(groups["bw"]) and not _named(name):
        return None  # 'Via Slack 2', 'Route Planner 2'; 'Via Tasso 21' is a street
    word = groups.get("aw") or ""
    if kind == "after" and _common_word(word) and (word[0].isupper() or _all_common(name)):
        return None  # 'Boarding Gate 8'; 'Opplands gate 8' is a street

    if kind == "cuedname":  # a place after 'address:' or 'lives on': a street or a town
        if _all_common(name) or _has_month(name):
            return None
        numbered = any(c.isdigit() for c in match.group(kind))
        return Part(*match.span(kind), STREET if numbered else None)
    if kind in ("numbered", "cued", "typed", "bare") and (_all_common(name) or _has_month(name)):
        return None
    if kind == "bare":  # the name alone: 'on Johnson Street' reads right
        return Part(*match.span(kind), LAST_NAME)
    return Part(*match.span(kind), STREET)


def _east_asian(match: re.Match) -> Part | None:
    """From the prefecture (or city, ward, town) on: '…に山梨県三鷹市…' starts at 山梨県 (the
    one prefecture in 道 is 北海道: '我知道5号' is 'I know number 5'); a
    Chinese street line without them whole, when a street word comes right before its
    number ('蔡甸路1135号', '大同路26號')."""
    span = match.group("ja")
    first = re.search(r"\p{Han}{1,3}[都府県]|北海道|\p{Han}{1,6}?[市区郡町村]", span)
    if first is not None:
        return Part(match.start("ja") + first.start(), match.end("ja"), STREET, 0.7)
    if _ZH_NUMBERED.search(span) is not None:
        return Part(*match.span("ja"), STREET, 0.7)
    return None


_ZH_NUMBERED = re.compile(rf"{ZH_ROAD}(?:\d|[A-Za-z]座)")


# English words ending in -ring / -pad ('Spring 2024', 'Engineering 101', 'Keypad 2', 'iPad 3')
ENGLISH_RING_PAD = re.compile(
    r"(?i:(?:sp|st|b|e|i|u|o|a|r)ring|(?:key|note|touch|track|launch|scratch|mouse|lily|i)pad)$"
)


def _glued_ok(word: str) -> bool:
    """'Rynkebyvej' yes; 'Brigade', 'Julia' (a name), 'Spring' and a bare ending no."""
    lower = word.casefold()
    if ENGLISH_RING_PAD.search(lower):
        return False
    ending = next((g for g in street_words().glued if lower.endswith(g)), "")
    if len(lower) - len(ending) < 2:
        return False
    return not _known_word(lower)


def _known_word(lower: str) -> bool:
    from sanitizer.mask.text.recognizers.person_names import name_lists  # imports Presidio

    names = name_lists()
    return lower in names.everyday or lower in names.first or lower in NOT_STREET_NAMES


def _common_word(word: str) -> bool:
    from sanitizer.mask.text.recognizers.person_names import name_lists

    return word.strip(".").casefold() in name_lists().everyday


def _named(name: str) -> bool:
    """A street's name: a person's name, a word with an accent or in another script, or a
    particle ('de la'); not only English words ('Planner', 'Slack')."""
    from sanitizer.mask.text.recognizers.person_names import name_lists

    lists = name_lists()
    words = [w.strip(".'’").casefold() for w in name.split()]
    return any(
        not w.isascii() or w in lists.first or w in lists.last or w in ("de", "da", "do", "di")
        for w in words
    ) and not _all_common(name)


def _all_common(name: str) -> bool:
    """Every capitalised word of the name is an ordinary English word ('Main', 'Windows')."""
    words = [w.strip(".'’") for w in name.split() if w[:1].isupper()]
    return all(_common_word(w) or w.casefold() in NOT_STREET_NAMES for w in words)


def _plain(words: list[str]) -> bool:
    """Only common English or support words ('Thanks', 'Best Regards')."""
    from sanitizer.mask.text.recognizers.wordlists import SUPPORT_WORDS

    return all(
        w.casefold() in SUPPORT_WORDS or _common_word(w) or w.casefold() in NOT_STREET_NAMES
        for w in words
    )


@cache
def _countries() -> frozenset[str]:
    from faker.providers.address.en_US import Provider

    return frozenset(c.casefold() for c in Provider.countries)


def _has_month(name: str) -> bool:
    return any(w.strip(".").casefold() in NOT_STREET_NAMES for w in name.split())


# --- address blocks -----------------------------------------------------------------------

LINE_BREAK = re.compile(r"\r\n|\n|\r|\\r\\n|\\n|\\r")
POSTCODE_SHAPE = (
    r"(?:\d{4}-\d{3}|\d{2}-\d{3}|\d{3}-\d{4}|\d{5}-\d{4}|\d{3}[ \t]\d{2}|\d{4}[ \t]?[A-Z]{2}"
    r"|[A-Z]{1,2}\d[A-Z\d]?[ \t]\d[A-Z]{2}|[A-Z]\d[A-Z][ \t]?\d[A-Z]\d|\d{3,6})"
)
UNIT_WORD = (
    r"(?i:apt|apartment|suite|ste|unit|flat|floor|fl|room|rm|piso|puerta|andar|sala|bloco"
    r"|appartamento|interno|piano|bureau|étage|whg|wohnung|lok|m)"
)
PLACE_TOKEN = re.compile(
    rf"(?P<unit>{UNIT_WORD}\.?[ \t]*#?[ \t]*(?P<unitno>[A-Za-z]?\d{{1,5}}[A-Za-z]?))(?![\w])"
    rf"|(?P<pc>(?:(?:ΤΚ|TK|T\.K\.)[ \t]?)?{POSTCODE_SHAPE})(?![\w\-])"
    rf"|(?P<abbr>\p{{Lu}}{{2,3}})(?![\w])"
    rf"|(?P<word>{NAME_ABBREVIATION}|\p{{Lu}}\.(?=[ \t])|\p{{Lu}}[\p{{L}}\p{{M}}'’\-]*|{CJK}+)"
    rf"|(?P<particle>(?:de|la|le|du|des|da|do|dos|das|di|del|van|von|der|den|am|an|im|of"
    rf"|upon|on|sur|en|y|i|u|pri|nad|pod)(?=[ \t]))"
)
SEPARATOR = re.compile(r"[ \t]*(?:[,()][ \t]*)*")
LEAD = re.compile(r"[ \t,;·•*?\-–—|>]*")  # spaces, commas and bullets before a line's text
UNIT_LINE = re.compile(
    rf"[ \t]*{UNIT_WORD}\.?[ \t]*#?[ \t]*(?P<unitno>[A-Za-z]?\d{{1,5}}[A-Za-z]?)[ \t]*,?"
)
NOT_PLACES = frozenset(
    "st street road avenue ave boulevard lane drive rd apt suite unit box po".split()
)
MAX_PLACE_LINES = 5
MAX_EMPTY_LINES = 1


def lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of each line, split at real and literal line breaks."""
    out, start = [], 0
    for match in LINE_BREAK.finditer(text):
        out.append((start, match.start()))
        start = match.end()
    out.append((start, len(text)))
    return out


AMBIGUOUS_STREET = re.compile(
    rf"(?P<street>(?:{HOUSE}[ \t]+)?{NAME_SEQ}(?:[ \t]+{HOUSE})?),?[ \t]*$"
)
MAX_LINES_TO_CODE = 3


def streets_over_codes(text: str, streets: list[tuple[int, int]]) -> list[Part]:
    """Street lines no pattern knows ('Νάντσου 55', '98918 Hunt Extension'), told by the
    address lines under them: a number and a name ending the line, then, within three
    place-like lines, a postcode or a state ('945 26 Σπάρτη', 'Montgomerybury\\n, WI')."""
    spans = lines(text)
    known = {i for i, (s, e) in enumerate(spans) for a, _ in streets if s <= a <= e}
    out: list[Part] = []
    for index, (start, end) in enumerate(spans[:-1]):
        if index in known or not any(c.isdigit() for c in text[start:end]):
            continue
        match = AMBIGUOUS_STREET.search(text, start, end)
        if match is None or not any(c.isdigit() for c in match.group("street")):
            continue
        begin = match.start("street")
        if begin > start and text[begin - 1] not in " \t" and not LINE_BREAK.match(text, begin - 2):
            continue
        name = " ".join(w for w in match.group("street").split() if not w[0].isdigit())
        if not name or _all_common(name) or _has_month(name):
            continue
        if _code_below(text, spans, index):
            out.append(Part(begin, match.end("street"), STREET))
    return out


def _code_below(text: str, spans: list[tuple[int, int]], index: int) -> bool:
    seen = 0
    for start, end in spans[index + 1 :]:
        if not text[start:end].strip():
            continue
        parts, whole = place_parts(text, start, end)
        if not parts:
            return False
        if any(p.kind in (POSTCODE, FORMAT) for p in parts):
            return True
        seen += 1
        if not whole or seen >= MAX_LINES_TO_CODE:
            return False
    return False


# 'my address is …', 'Address:', 'lives at …' — not an email, IP, MAC, web or wallet address,
# and not 'address' in passing ('keeps getting address 62.179.171.126 blocked')
ADDRESS_CUE = re.compile(
    r"(?i:(?<!(?:e-?mail|ip|mac|web|wallet|bitcoin|ethereum|server|memory|return)[ \t])"
    r"\baddress(?:[ \t]+is[ \t]*:?|[ \t]*:)|\b(?:lives|living|resides|residing)[ \t]+at)"
)
# where the words after the cue stop being the address: a sentence's end, or a word that
# goes on with the sentence ('… 742, Ardabil by Friday')
_CUED_END = re.compile(
    r"[.;!?](?=[ \t]|$)|,?[ \t]+(?i:by|before|until|please|thanks|thank|but|so|because"
    r"|which|if|when|and[ \t]+(?:then|i|we|he|she|they))\b"
)
_LETTER = re.compile(r"\p{L}")
MAX_CUED_LINE = 100
CUE_NEEDLES = ("address", "lives", "living", "resid")  # one of which every cue holds


def cued_lines(text: str, parts: list[Part]) -> tuple[list[Part], list[Part]]:
    """The line an address cue introduces, as a street line, where the forms found nothing
    on it: the rest of the cue's own line ('his address: 175 成瀬'), and apart, the next
    line when the cue ends its line ('Address:\\n89 نهج فارس تيغنيف - سوق أهراس'): only
    that one heads a block of lines under it. It must hold a letter and a digit and no '@'
    or '://' (an email, a link), in any script (docs/rules.md, street addresses)."""
    same: list[Part] = []
    below: list[Part] = []
    lowered = text.lower()
    if not any(needle in lowered for needle in CUE_NEEDLES):
        return same, below
    spans = lines(text)
    for cue in ADDRESS_CUE.finditer(text):
        found = _line_after(text, spans, cue.end())
        if found is None:
            continue
        (start, end), next_line = found
        stop = _CUED_END.search(text, start, end)
        end = stop.start() if stop else end
        piece = text[start:end]
        if not (_DIGIT.search(piece) and _LETTER.search(piece)) or "@" in piece:
            continue
        if "://" in piece or end - start > MAX_CUED_LINE or _opens_with_a_word(piece):
            continue
        if any(p.start < end and start < p.end for p in parts):
            continue  # the forms read this line already, part by part ('PSC 6281, Box 6227')
        (below if next_line else same).append(Part(start, end, STREET, 0.6))
    return same, below


def _opens_with_a_word(piece: str) -> bool:
    """Whether the words after a cue open with an ordinary lower-case English word: the
    sentence goes on ('The address is below, see page 2'), it names no place yet."""
    first = piece.split(None, 1)[0]
    return first.islower() and first.isascii() and first.strip(",.:;") in plain_words()[0]


def _line_after(
    text: str, spans: list[tuple[int, int]], at: int
) -> tuple[tuple[int, int], bool] | None:
    """(start, end) of the words after ``at`` on its line, or of the next non-empty line
    when none follow on it (and whether it is that next line); trimmed of spaces."""
    index = next((i for i, (s, e) in enumerate(spans) if s <= at <= e), None)
    if index is None:
        return None
    for i in range(index, min(len(spans), index + 2 + MAX_EMPTY_LINES)):
        start, end = (at, spans[i][1]) if i == index else spans[i]
        piece = text[start:end]
        if piece.strip():
            lead = len(piece) - len(piece.lstrip())
            return (start + lead, start + len(piece.rstrip())), i != index
    return None


def block_parts(text: str, streets: list[tuple[int, int]]) -> list[Part]:
    """What follows each street line: the rest of its own line, then the lines under it
    that read like an address's city, unit, state or postcode lines."""
    if not streets:
        return []
    spans = lines(text)
    ends: dict[int, int] = {}  # line index → end of its last street
    for start, end in streets:
        index = next(i for i, (s, e) in enumerate(spans) if s <= start <= e)
        ends[index] = max(ends.get(index, 0), end)
    out: list[Part] = []
    for index in sorted(ends):
        parts, _ = place_parts(text, ends[index], spans[index][1])
        out.extend(parts)
        out.extend(_unit_line_above(text, spans, index))
        out.extend(_lines_below(text, spans, index, ends))
    return out


def _lines_below(
    text: str, spans: list[tuple[int, int]], index: int, streets: dict[int, int]
) -> list[Part]:
    out: list[Part] = []
    empty = taken = 0
    ended = False
    for i in range(index + 1, min(len(spans), index + 1 + MAX_PLACE_LINES + MAX_EMPTY_LINES)):
        if i in streets:
            break  # the next street line starts its own block
        start, end = spans[i]
        if not text[start:end].strip():
            empty += 1
            if empty > MAX_EMPTY_LINES:
                break
            continue
        empty = 0
        parts, whole = place_parts(text, start, end)
        if ended and not (whole and text[start:end].strip(" \t,.").casefold() in _countries()):
            break  # after the postcode line only a country ('Germany') belongs to the address
        out.extend(parts)
        taken += 1
        ended = any(p.kind == POSTCODE for p in parts)
        if not whole or taken >= MAX_PLACE_LINES:
            break
    return out


def _unit_line_above(text: str, spans: list[tuple[int, int]], index: int) -> list[Part]:
    """'Flat 56' on the line before the street ('Flat 56\\nPotts Vista')."""
    if index == 0:
        return []
    start, end = spans[index - 1]
    match = UNIT_LINE.fullmatch(text, start, end)
    if match is None:
        return []
    return [Part(*match.span("unitno"), FORMAT)]


def place_parts(text: str, start: int, end: int) -> tuple[list[Part], bool]:
    """The address pieces at the start of ``text[start:end]`` (after spaces, commas and
    bullets): unit numbers, postcodes, state abbreviations and runs of place words; and
    whether they fill the line. Nothing when the line starts like prose, a label or a
    sentence of common words."""
    lead = LEAD.match(text, start, end)
    position = lead.end() if lead else start
    tokens: list[tuple[str, int, int]] = []
    while position < end:
        gap = SEPARATOR.match(text, position, end)
        at = gap.end() if gap else position
        token = PLACE_TOKEN.match(text, at, end)
        if token is None or (tokens and at == position and text[position - 1].isalnum()):
            break
        if token.lastgroup == "word" and token.group().strip(".").casefold() in NOT_PLACES:
            break  # 'Rua das Imbuias 855 St.': the template's own word
        tokens.append((token.lastgroup or "", *token.span()))
        position = token.end()
    while tokens and tokens[-1][0] == "particle":
        position = tokens.pop()[1]
    rest = text[position:end].strip(" \t")
    whole = not rest or (rest[0] in ".,;!?" and not rest[1:].strip(" \t"))
    return _pieces(text, tokens, whole), whole


def _pieces(text: str, tokens: list[tuple[str, int, int]], whole: bool) -> list[Part]:
    if not tokens:
        return []
    words = [text[s:e] for kind, s, e in tokens if kind == "word"]
    has_code = any(kind in ("pc", "unit", "abbr") for kind, _, _ in tokens)
    if not has_code and (not words or _plain(words) or max(map(len, words)) < 3):
        return []  # 'Thanks', 'Best Regards', 'B'
    if not has_code and not whole and len(words) > 3:
        return []  # a title-case phrase running into prose
    out: list[Part] = []
    run: list[tuple[str, int, int]] = []
    for token in tokens:
        kind, s, e = token
        if kind in ("word", "particle"):
            run.append(token)
            continue
        out.extend(_run(run))
        run = []
        if kind == "pc":
            out.append(Part(s, e, POSTCODE))
        elif kind == "abbr":
            out.append(Part(s, e, FORMAT))
        else:
            unit = PLACE_TOKEN.match(text, s)
            out.append(Part(*unit.span("unitno"), FORMAT))
    out.extend(_run(run))
    return out


def _run(run: list[tuple[str, int, int]]) -> Iterator[Part]:
    while run and run[0][0] == "particle":
        run = run[1:]
    while run and run[-1][0] == "particle":
        run = run[:-1]
    if run:
        yield Part(run[0][1], run[-1][2], None)
