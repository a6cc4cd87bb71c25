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

# a name that is also this common in English (Zipf frequency) is an English word first
ENGLISH_WORD_ZIPF = 3.0
_NO_SPACES = re.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}]")


@cache
def calendar_names() -> dict[str, tuple[str, ...]]:
    """Every weekday and month name (casefolded) → the names of its own kind and language."""
    from babel import Locale, localedata
    from wordfreq import zipf_frequency

    pools: dict[str, tuple[str, ...]] = {}
    languages = [i for i in sorted(localedata.locale_identifiers()) if "_" not in i]
    for ident in ["en", *languages]:  # English first: 'April' is an English month first
        locale = Locale.parse(ident)
        english = locale.language == "en"
        for names in _name_lists(locale):
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


def _name_lists(locale) -> list[list[str]]:
    lists = []
    for context in ("format", "stand-alone"):
        days = locale.days.get(context, {}).get("wide", {})
        months = locale.months.get(context, {}).get("wide", {})
        lists += [list(days.values()), list(months.values())]
    return lists


@cache
def english_names() -> frozenset[str]:
    from babel import Locale

    return frozenset(n.casefold() for names in _name_lists(Locale("en")) for n in names)


@cache
def calendar_name_re() -> re.Pattern:
    """A name of another language than English as a word of its own, in any case. (An
    English one alone is spaCy's to find: 'may', 'march' and 'June' are words and names.)"""
    english = english_names()
    names = sorted((n for n in calendar_names() if n not in english), key=len, reverse=True)
    alternatives = "|".join(re.escape(n) for n in names)
    return re.compile(rf"(?<![\p{{L}}\p{{M}}\-])(?i:{alternatives})(?![\p{{L}}\p{{M}}\-])")


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
