"""The names lexicon and the English word list, built from pinned packages at first use.

Names: every first, middle and last name of every Faker locale's person provider (86 locales:
Latin, Cyrillic, Greek, Arabic, Hebrew, Devanagari…, plus the romanized and kana forms Faker
ships beside kanji), about 30,000 given and 34,000 family names. Names in scripts written
without spaces (Han, kana, Hangul) are kept apart: they are matched inside runs of those
scripts, not as words.

Ordinary words: wordfreq's English frequencies (its ``small`` list), every word at or above
``ZIPF_WORD`` (one in a million words, about 29,000). A name is frequent in English text too
('John' has a higher frequency than 'answer'), so a name is taken out of the ordinary words
when its English frequency is explained by its use as a name: it is about as frequent in the
German, French, Spanish, Italian and Dutch lists (names travel between languages, words do
not). 'john' is 0.35 zipf above that median, 'will' 2.1, 'hope' 1.6, 'grace' 0.7. Anglo names
('Grace', 'Christian') are given more room than others, since English text names English
speakers more often; a short hand list (``wordlists.AMBIGUOUS_NAMES``) catches the names that
are words and still pass ('Mark', 'Frank', 'Max').

Built at first use (about 0.3 s, mostly importing Faker's locales; wordfreq's ``small`` lists,
words down to zipf 3, are read straight from their packed buckets) and kept in the lists cache
for later processes (:mod:`sanitizer.mask.text.lists_cache`).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field, fields
from functools import cache

import regex as re

from sanitizer.mask.text.lists_cache import cached, word_list
from sanitizer.mask.text.recognizers.faker_locales import locale_providers
from sanitizer.mask.text.recognizers.wordlists import (
    AMBIGUOUS_NAMES,
    EVERYDAY_WORDS,
    FUNCTION_WORDS,
    NOT_ALONE,
)

ZIPF_WORD = 3.0  # an ordinary English word: at least one in a million words
# How far above the median of OTHER_LANGUAGES an English frequency may be and still be a
# name's (names without a US weight).
AS_NAME_RATIO = 0.012  # text frequency / share of US people named so: 'john' 0.008
MIN_LOCALES = 3
WEIGHED_EXCESS = 0.5
ANGLO_EXCESS = 0.8
OTHER_EXCESS = 0.35
ANGLO_LOCALES = ("en_US", "en_GB", "en_NZ", "en_IE")
OTHER_LANGUAGES = ("de", "fr", "es", "it", "nl")
# name particles, and abbreviations that head ordinary phrases too ('Misc. Expenses')
NOT_HONORIFICS = frozenset({"de", "da", "do", "del", "du", "de la", "le", "tri", "misc.", "ind."})
MAX_RANK = 4  # letters of an all-capitals prefix left out: an initial or a rank ('D.', 'PFC')
UNLISTED = 2.5  # a word missing from a 'small' list (which stops at zipf 3.0), as a guess
# Scripts written without spaces between words: names are found inside runs of them.
UNSPACED = re.compile(r"^[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}ー々]+$")
_LETTERS = re.compile(r"^\p{L}[\p{L}\p{M}'’\-]*$")


@dataclass(frozen=True)
class NameLists:
    first: frozenset[str]  # lower-case given (and middle) names, spaced scripts
    last: frozenset[str]
    ambiguous: frozenset[str]  # given names that are also ordinary English words
    common: frozenset[str]  # ordinary English words (names used as names left out)
    english: frozenset[str]  # every frequent English word, names included
    everyday: frozenset[str]  # EVERYDAY_WORDS and Faker's lorem: no name, no place
    places: frozenset[str]  # countries, states and NOT_ALONE: never a person on their own
    unspaced_first: frozenset[str]  # 'さゆり', '翔太', '민준'
    unspaced_last: frozenset[str]  # '山口', '王', '김'
    unspaced_longest: int  # longest unspaced name, in characters


@cache
def name_lists() -> NameLists:
    """All Faker locales' names and wordfreq's English words, once per process (read from
    the lists cache when an earlier process built them: :mod:`lists_cache`)."""
    return cached("names", _built_name_lists, _encoded, _decoded)


def _encoded(lists: NameLists) -> dict[str, object]:
    """Each word set as a sorted list; the one number as it is."""
    return {
        f.name: value if isinstance(value, int) else word_list(value)
        for f in fields(NameLists)
        for value in (getattr(lists, f.name),)
    }


def _decoded(data: dict[str, object]) -> NameLists:
    return NameLists(
        **{
            f.name: value if isinstance(value, int) else frozenset(value)
            for f in fields(NameLists)
            for value in (data[f.name],)
        }
    )


def _built_name_lists() -> NameLists:
    names = _faker_names()
    first, last = set(names.first), set(names.last)
    english, zipf, excess = _english_words(first | last)
    name_like = {
        name for name in (first | last) & english if _used_as_name(name, names, zipf, excess)
    }
    common = (english - name_like) | _lorem_words() | FUNCTION_WORDS
    ambiguous = {name for name in first if name in common or name in AMBIGUOUS_NAMES}
    unspaced_first = frozenset(n for n in first if UNSPACED.match(n))
    unspaced_last = frozenset(n for n in last if UNSPACED.match(n))
    return NameLists(
        first=frozenset(first - unspaced_first),
        last=frozenset(last - unspaced_last - FUNCTION_WORDS),
        ambiguous=frozenset(ambiguous),
        common=frozenset(common),
        english=frozenset(english),
        everyday=frozenset(EVERYDAY_WORDS | _lorem_words()),
        places=frozenset(NOT_ALONE | _places()),
        unspaced_first=unspaced_first,
        unspaced_last=unspaced_last,
        unspaced_longest=max(map(len, unspaced_first | unspaced_last), default=0),
    )


def _used_as_name(name: str, names: _Names, zipf: dict[str, float], excess: dict[str, float]):
    """Whether a name's frequency in English text is explained by its use as a name.

    For the US names Faker weighs by how many people bear them: a text frequency at most
    ``AS_NAME_RATIO`` times that share ('john' 0.008, 'sarah' 0.002; 'grace' 0.04), or at most
    ``WEIGHED_EXCESS`` above the other languages' ('fred', written more often than the census
    counts it; not 'christian', 0.83). For other names of English-speaking locales, at most
    ``ANGLO_EXCESS`` above the other languages'. For the rest: a name of at least
    ``MIN_LOCALES`` locales, about as frequent in other languages ('lukas'; not 'server', a
    Turkish name only). 'will' and 'hope' have no weight and fail the rest."""
    weight = names.weights.get(name)
    if weight is not None:
        ratio = 10 ** (zipf[name] - 9) / weight
        return ratio < AS_NAME_RATIO or excess[name] < WEIGHED_EXCESS
    if name in names.anglo:
        return excess[name] < ANGLO_EXCESS
    return names.locales.get(name, 0) >= MIN_LOCALES and excess[name] < OTHER_EXCESS


@dataclass
class _Names:
    first: set[str] = field(default_factory=set)
    last: set[str] = field(default_factory=set)
    locales: dict[str, int] = field(default_factory=dict)  # name → how many locales list it
    weights: dict[str, float] = field(default_factory=dict)  # share of US people bearing it
    anglo: set[str] = field(default_factory=set)  # names of the English-speaking locales


def _faker_names() -> _Names:
    """Given and family names of every Faker locale, lower-case; how many locales list each;
    and the weights en_US gives its names (shares of the US population)."""
    import faker.providers.person as person

    names = _Names()
    providers = [
        ("", person.Provider),
        *locale_providers(person.__name__),
    ]  # the base provider's own names first ('John', 'Jane', 'Doe')
    clean: dict[str, str | None] = {}  # a part as written → as kept (None: not a name)
    for locale, provider in providers:
        seen: set[str] = set()
        for attr, values in vars(provider).items():
            target = _target(attr, names)
            if target is None or not isinstance(values, tuple | list | dict):
                continue
            for value in values:
                # ja_JP's pairs: (kanji, katakana, romanized)
                for form in value if isinstance(value, tuple) else (value,):
                    for written in str(form).split():
                        if written not in clean:  # 154,000 parts, 62,000 different
                            clean[written] = _kept(written)
                        part = clean[written]
                        if part is not None:
                            target.add(part)
                            seen.add(part)
                            if locale in ANGLO_LOCALES:
                                names.anglo.add(part)
            if locale == "en_US" and isinstance(values, dict):
                for value, weight in values.items():
                    key = value.lower()
                    names.weights[key] = names.weights.get(key, 0.0) + weight / 2
        for part in seen:
            names.locales[part] = names.locales.get(part, 0) + 1
    return names


def _kept(written: str) -> str | None:
    """A name part as kept: NFC, lower case (as tokens are: keeps final ς), of two letters or
    more (one in an unspaced script); None when it is no name part."""
    part = unicodedata.normalize("NFC", written).lower()
    if (len(part) > 1 or UNSPACED.match(part)) and _LETTERS.match(part):
        return part
    return None


def _target(attr: str, names: _Names) -> set[str] | None:
    """Which set a provider attribute's values go to: ``first_names_female``,
    ``first_romanized_names``, ``middle_names`` → given; ``last_names*``,
    ``unisex_last_names``, ``last_name_pairs`` → family; anything else → none."""
    if attr.startswith("_") or "name" not in attr:
        return None
    if attr.startswith(("first_name", "middle_name", "first_kana", "first_romanized")):
        return names.first
    if attr.startswith(("last_name", "last_kana", "last_romanized")) or attr.endswith("last_names"):
        return names.last
    return None


def _english_words(names: set[str]) -> tuple[set[str], dict[str, float], dict[str, float]]:
    """English words at or above ZIPF_WORD; for names among them, their English zipf and how
    far it is above the median of the other languages' zipf."""
    from wordfreq import get_frequency_list

    english: set[str] = set()
    english_zipf: dict[str, float] = {}
    for bucket, words in enumerate(get_frequency_list("en", "small")):
        zipf = 9 - bucket / 100  # bucket i holds words of frequency 10^(-i/100)
        if zipf < ZIPF_WORD:
            break
        english.update(words)
        english_zipf.update((w, zipf) for w in names.intersection(words))
    others: dict[str, list[float]] = {name: [] for name in english_zipf}
    wanted = set(others)
    for language in OTHER_LANGUAGES:
        for bucket, words in enumerate(get_frequency_list(language, "small")):
            for word in wanted.intersection(words):  # in C: the lists hold 300,000+ words
                others[word].append(9 - bucket / 100)
    excess = {}
    for name, zipf in english_zipf.items():
        seen = others[name] + [UNLISTED] * (len(OTHER_LANGUAGES) - len(others[name]))
        excess[name] = zipf - sorted(seen)[len(seen) // 2]
    return english, english_zipf, excess


@cache
def honorifics() -> frozenset[str]:
    """Every Faker locale's name prefixes as Faker writes them ('Tohtori', 'pani', 'Dott.',
    'Ing.', 'Г-н', 'Sig.ra'), less what is also something else: an ordinary English word
    without its period ('Chief', 'Lady'), a name particle ('de', 'da'), 'Misc.', a short
    all-capitals initial or rank ('D.', 'PFC'). Read from the lists cache when an
    earlier process built them."""
    return cached("honorifics", _built_honorifics, word_list, frozenset)


def _built_honorifics() -> frozenset[str]:
    found: set[str] = set()
    for _, provider in locale_providers("faker.providers.person"):
        for attribute in ("prefixes", "prefixes_male", "prefixes_female", "prefixes_nonbinary"):
            found.update(getattr(provider, attribute, None) or ())
    common = name_lists().common
    return frozenset(
        h
        for h in found
        if isinstance(h, str)
        and (h.endswith(".") or h.casefold() not in common)
        and h.casefold() not in NOT_HONORIFICS
        and not (h.isupper() and len(h.replace(" ", "")) <= MAX_RANK)
    )


def _lorem_words() -> set[str]:
    from faker.providers.lorem.en_US import Provider as Lorem

    return {w.lower() for w in Lorem.word_list}


def _places() -> set[str]:
    """Countries and US states (Faker en_US): 'Jordan', 'Georgia', 'Chad' alone are places."""
    from faker.providers.address.en_US import Provider as Address

    names = [*Address.countries, *Address.states]
    return {n.lower() for n in names if " " not in n}
