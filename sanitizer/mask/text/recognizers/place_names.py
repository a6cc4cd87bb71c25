"""LOCATION for known place names that spaCy's small model labels as an organization or misses.

The small English model tags many towns and countries as ORG ('KERAVA', 'Cyprus' in "travelling
to Cyprus next week"), and detection drops ORG (see ``filters.drop_organizations``), so those
places leaked where raw Presidio, which masks ORG too, replaced them. Two ways back, both
resting on one maintained list — the countries, cities, states, provinces, regions and
prefectures of every Faker locale (:func:`place_names`):

- an entity spaCy found (ORG, NORP, PRODUCT, WORK_OF_ART) whose whole text is a known place
  becomes LOCATION: spaCy says it is a name, the list says which kind;
- a run of one to four capitalized words that is a known country, or a known town written in
  capitals ('KERAVA') or with letters English lacks ('Reykjavík'), becomes LOCATION on its
  own — unless it is an ordinary word ('Nice') or a person's name ('Jordan', 'Chad',
  'Georgia'): those are left to spaCy, which reads the sentence (:func:`plain_places`). A
  town in plain title case is left to spaCy too: the town lists hold English words ('Split').
  Countries come from CLDR too (Babel): each country's name in the language of every Faker
  locale (:func:`territories`; 'Spojené arabské emiráty', 'Bangladesz', 'Islas Cook' are in
  no Faker list), found so in a sentence of English or of mixed words — in a sentence of
  another language such a name is as often a word of it (Spanish 'Reunión' is a meeting)
  and is left to spaCy.

Whole words only, so 'Parisian' or 'Romania's' neighbour words never match part-way.
"""

from __future__ import annotations

import re
from functools import cache
from itertools import pairwise

from presidio_analyzer import EntityRecognizer, RecognizerResult

from sanitizer.mask.text.lists_cache import cached, word_list
from sanitizer.mask.text.recognizers.faker_locales import locale_providers
from sanitizer.mask.text.recognizers.person_names import CASELESS, CASELESS_WORD
from sanitizer.mask.text.sentences import in_another_language

# Faker address attributes that list real places (not formats, suffixes or codes)
PLACE_LISTS = (
    "countries",
    "cities",
    "city_names",
    "real_city_names",
    "metropolitan_cities",
    "towns",
    "states",
    "provinces",
    "luzon_provinces",
    "mindanao_provinces",
    "visayas_provinces",
    "regions",
    "region_names",
    "region_oblast",
    "region_republics",
    "region_krai",
    "prefectures",
)
# CLDR's territories that are no country: groupings ('EU', 'UN', the euro area) and
# placeholders ('ZZ' unknown region, 'QO' outlying Oceania, 'XA'/'XB' pseudo-locales);
# numeric codes are continents and regions ('150' Europe) and are left out too.
NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "QO", "ZZ", "XA", "XB"})
# CLDR's parenthesised alternative of a name: 'Congo (DRC)' is 'Congo', 'ミャンマー (ビルマ)'
# is 'ミャンマー'
PARENTHESISED = re.compile(r"\s*[(（][^)）]*[)）]")
MIN_LETTERS = 4  # 'Ede', 'Ath', 'Bar' are words and initials more often than places
MIN_CASELESS = 2  # in a script without capitals: '中国', 'قطر', '미국'
MAX_WORDS = 4  # 'Bosnia and Herzegovina', 'San Martino in Pedriolo'
# spaCy's labels as Presidio renames them (ORG → ORGANIZATION, NORP → NRP), and raw ones;
# not PERSON: a place name spaCy reads as a person ('Jordan said') is one
SPACY_LABELS = frozenset({"ORGANIZATION", "ORG", "NRP", "NORP", "PRODUCT", "WORK_OF_ART"})
NER_SCORE = 0.85  # as Presidio's SpacyRecognizer scores spaCy's entities
LIST_SCORE = 0.6  # below spaCy's PERSON, so a name spaCy read as a person stays a person
WORD = re.compile(r"[^\W\d_]+(?:['’\-.][^\W\d_]+)*")
GAP = re.compile(r"[ \-]")  # what may stand between the words of one place name


@cache
def place_names() -> frozenset[str]:
    """Every place of every Faker locale, lower-cased (about 37,000), built once (and kept in
    the lists cache for later processes: :mod:`sanitizer.mask.text.lists_cache`)."""
    return cached("places", _built_place_names, word_list, frozenset)


def _built_place_names() -> frozenset[str]:
    names: set[str] = set()
    for _, provider in locale_providers("faker.providers.address"):
        for attr in PLACE_LISTS:
            values = getattr(provider, attr, None)
            if isinstance(values, dict):
                values = list(values)
            if isinstance(values, (list, tuple)):
                names.update(v.strip().lower() for v in values if isinstance(v, str))
    return frozenset(n for n in names if _long_enough(n))


def _long_enough(name: str) -> bool:
    """Long enough to be told from a word or initials: four letters, two in a script without
    capitals, where one character is a word."""
    letters = sum(c.isalpha() for c in name)
    return letters >= MIN_LETTERS or (letters >= MIN_CASELESS and CASELESS.search(name) is not None)


@cache
def territories() -> frozenset[str]:
    """CLDR's country names that are in no Faker list and are no ordinary word or person's
    name (kept in the lists cache too)."""
    return cached("territories", _built_territories, word_list, frozenset)


def _built_territories() -> frozenset[str]:
    from sanitizer.mask.text.plain_words import plain_words
    from sanitizer.mask.text.recognizers.person_names import name_lists

    names = name_lists()
    plain, _ = plain_words()
    taken = place_names() | plain | names.first | names.last | names.everyday
    return frozenset(n for n in territory_names() if n not in taken and _long_enough(n))


def territory_names() -> set[str]:
    """CLDR's name of every country and territory in the language of each Faker locale of
    addresses or names (Babel), lower-cased, without a parenthesised alternative."""
    from babel import Locale, UnknownLocaleError

    languages = {
        code.split("_")[0]
        for package in ("faker.providers.address", "faker.providers.person")
        for code, _ in locale_providers(package)
    }
    names: set[str] = set()
    for language in sorted(languages):
        try:
            territories = Locale.parse(language).territories
        except (ValueError, UnknownLocaleError):
            continue  # a Faker locale CLDR has no data for
        names.update(
            PARENTHESISED.sub("", name).strip().lower()
            for code, name in territories.items()
            if not code.isdigit() and code not in NOT_COUNTRIES
        )
    return names


@cache
def countries() -> frozenset[str]:
    """Every Faker locale's country names, lower-cased ('deutschland', 'islândia'); kept in
    the lists cache like the places (importing every locale's addresses takes a tenth of a
    second)."""
    return cached("countries", _built_countries, word_list, frozenset)


def _built_countries() -> frozenset[str]:
    names: set[str] = set()
    for _, provider in locale_providers("faker.providers.address"):
        values = getattr(provider, "countries", ())
        names.update(v.strip().lower() for v in values if isinstance(v, str))
    return frozenset(names & place_names())


@cache
def plain_places() -> frozenset[str]:
    """Places that are also an ordinary word or a person's name: found only through spaCy
    (kept in the lists cache too)."""
    return cached("plain_places", _built_plain_places, word_list, frozenset)


def _built_plain_places() -> frozenset[str]:
    from sanitizer.mask.text.plain_words import plain_words
    from sanitizer.mask.text.recognizers.person_names import name_lists

    names = name_lists()
    plain, _ = plain_words()
    taken = plain | names.first | names.last | names.everyday
    return frozenset(p for p in place_names() if p in taken)


def known_place(span: str) -> bool:
    return span.strip(" .,").lower() in place_names()


class PlaceNameRecognizer(EntityRecognizer):
    """Known places as LOCATION: spaCy's entities that are one, and capitalized runs."""

    def __init__(self, supported_language: str = "en") -> None:
        super().__init__(
            supported_entities=["LOCATION"],
            name="PlaceNameRecognizer",
            supported_language=supported_language,
        )

    def load(self) -> None:
        place_names()
        plain_places()

    def analyze(self, text, entities, nlp_artifacts=None) -> list[RecognizerResult]:
        if "LOCATION" not in entities:
            return []
        results = self._from_spacy(nlp_artifacts)
        taken = [(r.start, r.end) for r in results]
        for start, end in capitalized_places(text):
            if all(end <= s or start >= e for s, e in taken):
                results.append(self._result(start, end, LIST_SCORE))
        return results

    def _from_spacy(self, nlp_artifacts) -> list[RecognizerResult]:
        if nlp_artifacts is None:
            return []
        return [
            self._result(ent.start_char, ent.start_char + len(ent.text.rstrip(" .,")), NER_SCORE)
            for ent in nlp_artifacts.entities
            if ent.label_ in SPACY_LABELS and known_place(ent.text)
        ]

    def _result(self, start: int, end: int, score: float) -> RecognizerResult:
        return RecognizerResult(
            "LOCATION",
            start,
            end,
            score,
            recognition_metadata={
                RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
            },
        )


def capitalized_places(text: str) -> list[tuple[int, int]]:
    """(start, end) of each longest run of up to four words, capitalized at both ends (a
    country's name at its start only) and joined by a space or hyphen, that is a known place
    and not an ordinary word or name."""
    places, plain, nations, cldr = place_names(), plain_places(), countries(), territories()
    heads = _country_heads()
    words = [m.span() for m in WORD.finditer(text)]
    # each word's capital, and whether it joins the next: read once, not once per run
    capital = [text[start].isupper() for start, _ in words]
    if not text.isascii() and CASELESS.search(text):
        capital = _caseless_capitals(text, words, capital)
    joins = [_joined(text, pair) for pair in pairwise(words)]
    found, i = [], 0
    while i < len(words):
        if not capital[i]:  # first and last word start with a capital ('Bosnia and
            i += 1  # Herzegovina'); a word in capitals throughout counts too ('KERAVA')
            continue
        # a country's name may end in lower case ('Spojené arabské emiráty'): looked up
        # only after a word that starts one
        country_head = text[words[i][0] : words[i][1]].lower() in heads
        longest = 1  # the longest run from here whose words all join
        while longest < min(MAX_WORDS, len(words) - i) and joins[i + longest - 1]:
            longest += 1
        for n in range(longest, 0, -1):
            run = words[i : i + n]
            if not capital[i + n - 1] and not (
                country_head and _country_in_lower_case(text, run, nations, cldr)
            ):
                continue
            span = text[run[0][0] : run[-1][1]]
            value = span.lower()
            if (value in places and value not in plain and _telling(span, value)) or (
                value in cldr and not in_another_language(text, run[0][0])
            ):
                found.append((run[0][0], run[-1][1]))
                i += n - 1
                break
        i += 1
    return found


@cache
def _country_heads() -> frozenset[str]:
    """The first word of every country's name of more than one word."""
    heads = set()
    for name in countries() | territories():
        first = WORD.match(name)
        if first is not None and first.end() < len(name):
            heads.add(first.group())
    return frozenset(heads)


def _country_in_lower_case(
    text: str, run: list[tuple[int, int]], nations: frozenset[str], cldr: frozenset[str]
) -> bool:
    """A run ending in a lower-case word is a place only as a country's name that ends so
    ('Spojené arabské emiráty')."""
    if len(run) == 1:
        return False
    value = text[run[0][0] : run[-1][1]].lower()
    return value in nations or value in cldr


def _caseless_capitals(text: str, words: list[tuple[int, int]], capital: list[bool]) -> list[bool]:
    """In text of more words in cased scripts than in caseless ones, a whole word of a script
    without capitals stands out as a capital does ('I moved here from ロシア', 'افغانستان was
    fun'), as a name does (docs/rules.md, "Free text"); a place inside a longer run
    ('中国电信') is no word of its own and stays."""
    caseless = [CASELESS_WORD.fullmatch(text, start, end) is not None for start, end in words]
    cased = sum(text[start].isupper() or text[start].islower() for start, _ in words)
    if cased <= sum(caseless):
        return capital
    return [upper or alone for upper, alone in zip(capital, caseless, strict=True)]


def _telling(span: str, value: str) -> bool:
    """A country, or a town written in capitals ('KERAVA') or with letters English words lack
    ('Reykjavík'): a town list of 37,000 names holds English words in title case ('Split')."""
    return value in countries() or span.isupper() or not value.isascii()


def _joined(text: str, run: list[tuple[int, int]]) -> bool:
    return all(GAP.fullmatch(text[a_end:b_start]) for (_, a_end), (b_start, _) in pairwise(run))
