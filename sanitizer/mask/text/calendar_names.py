"""Weekday and month names in every language CLDR knows (through Babel), for the dates
``detect`` finds and shifts (docs/rules.md, "Quasi-identifiers").

A weekday or month named alone in a text ('We'll meet czwartek', 'im März') dates it as much
as '2024-03-14' does. English names are matched in any case; another language's only when the
name is not an English word too ('Mars', 'Mayo' and 'Maj' stay words), and has four letters or
more (or is written in a script without word spaces: '木曜日'). A name is replaced by another
of its own list: a Polish weekday by a Polish weekday.
"""

from __future__ import annotations

from functools import cache

import regex as re

from sanitizer.mask.text.lists_cache import cached

# a name that is also this common in English (Zipf frequency) is an English word first
ENGLISH_WORD_ZIPF = 3.0
_NO_SPACES = re.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}]")


@cache
def calendar_names() -> dict[str, tuple[str, ...]]:
    """Every weekday and month name (casefolded) → the names of its own kind and language
    (read from the lists cache when an earlier process built them: :mod:`lists_cache`)."""
    return cached("calendar", _built_calendar_names, _encoded, _decoded)


def _encoded(pools: dict[str, tuple[str, ...]]) -> dict[str, list]:
    """Each list once, and each name with the index of its list, in the mapping's order."""
    lists: dict[tuple[str, ...], int] = {}
    names = [[key, lists.setdefault(pool, len(lists))] for key, pool in pools.items()]
    return {"lists": [list(pool) for pool in lists], "names": names}


def _decoded(data: dict[str, list]) -> dict[str, tuple[str, ...]]:
    lists = [tuple(pool) for pool in data["lists"]]
    return {key: lists[index] for key, index in data["names"]}


def _built_calendar_names() -> dict[str, tuple[str, ...]]:
    from babel import localedata
    from wordfreq import zipf_frequency

    pools: dict[str, tuple[str, ...]] = {}
    languages = [i for i in sorted(localedata.locale_identifiers()) if "_" not in i]
    for ident in ["en", *languages]:  # English first: 'April' is an English month first
        english = ident == "en"
        for names in _name_lists(localedata.LocaleDataDict(_calendar_data(ident))):
            pool = tuple(dict.fromkeys(n for n in names if n))
            for name in pool:
                key = name.casefold()
                if key in pools:
                    continue
                if english or (
                    (len(name) >= 4 or _NO_SPACES.search(name))
                    and zipf_frequency(key, "en") < ENGLISH_WORD_ZIPF
                ):
                    pools[key] = pool
    return pools


CALENDAR_KEYS = ("days", "months")


def _calendar_data(ident: str) -> dict:
    """The weekdays and months of a language's CLDR data, inherited ones merged in, as
    ``babel.localedata.load`` merges them.

    ``load`` merges the whole of each locale's data into a copy of its parent's: for 300
    languages that was about a second of every detecting process's start, for two keys of
    it. Read from the same files (``load`` caches them; a language's own data is read here
    unmerged, so ``load``'s cache never holds a half-merged locale), the result is the same.
    """
    import pickle

    from babel import localedata
    from babel.core import get_global

    if ident == "root":
        root = localedata.load("root")
        return {key: root[key] for key in CALENDAR_KEYS if key in root}
    parent = get_global("parent_exceptions").get(ident) or "root"  # a language: no '_'
    data = dict(_calendar_data(parent))
    with open(localedata.resolve_locale_filename(ident), "rb") as file:
        own = pickle.load(file)
    localedata.merge(data, {key: own[key] for key in CALENDAR_KEYS if key in own})
    return data


def _name_lists(data) -> list[list[str]]:
    """The wide weekday and month names of one language's CLDR data, in order."""
    lists = []
    for context in ("format", "stand-alone"):
        days = data["days"].get(context, {}).get("wide", {})
        months = data["months"].get(context, {}).get("wide", {})
        lists += [list(days.values()), list(months.values())]
    return lists


@cache
def english_names() -> frozenset[str]:
    from babel import localedata

    return frozenset(
        n.casefold()
        for names in _name_lists(localedata.LocaleDataDict(localedata.load("en")))
        for n in names
    )


# English weekdays are no other word, so they are looked up too ('we'll meet thursday': a
# lower-case sentence that the entity recognizer never reads)
ENGLISH_WEEKDAYS = frozenset(
    ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
)


@cache
def _looked_up_names() -> frozenset[str]:
    english = english_names()
    return frozenset(n for n in calendar_names() if n not in english) | ENGLISH_WEEKDAYS


# a word, or a run of a script written without spaces ('木曜日'); CLDR's longest names have
# two words ('Dydd Llun'), so a word and the next one are looked up together too
_WORD = re.compile(r"[\p{L}\p{M}]+(?:[\-'’.][\p{L}\p{M}]+)*\.?")


def foreign_calendar_names(text: str) -> list[tuple[int, int]]:
    """(start, end) of each weekday or month name of another language than English, or an
    English weekday, as a word of its own, in any case. (An English month alone is spaCy's to
    find: 'may', 'march' and 'June' are words and names.) A set lookup per word, not a
    pattern of 4,000 names."""
    names = _looked_up_names()
    words = list(_WORD.finditer(text))
    found, skip = [], -1
    for i, word in enumerate(words):
        if word.start() < skip:
            continue
        after = words[i + 1] if i + 1 < len(words) else None
        if after is not None and text[word.end() : after.start()] == " ":
            pair = f"{word.group()} {after.group()}".casefold()
            if pair in names:
                found.append((word.start(), after.end()))
                skip = after.end()
                continue
        key = word.group().casefold()
        if key in names or key.rstrip(".") in names:
            end = word.end() if key in names else word.end() - 1
            found.append((word.start(), end))
    return found


def other_calendar_name(span: str, below) -> str | None:
    """Another name of the span's own list, in its letter case; None if it names nothing.
    ``below(n)`` draws a keyed number in [0, n)."""
    pool = calendar_names().get(span.strip().casefold())
    if pool is None:
        return None
    others = [n for n in pool if n.casefold() != span.strip().casefold()]
    choice = others[below(len(others))]
    if span.isupper():
        return choice.upper()
    if span[:1].islower():
        return choice[:1].lower() + choice[1:]
    return choice[:1].upper() + choice[1:]
