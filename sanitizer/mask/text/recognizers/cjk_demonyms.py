"""Nationalities written as a country's name and 人 or 인 ('スロベニア人', '美国人', '미국인').

Japanese and Chinese say a person's nationality with the country's name and 人 ('person'),
Korean with 인; the name is CLDR's for the language (Babel's territory names for ja, zh,
zh_Hant and ko, a parenthesised alternative left out: 'ミャンマー (ビルマ)' is 'ミャンマー').
These scripts are written without spaces, so a name is looked for right before each 人 or 인
of a text, the longest first. spaCy's English model and Presidio miss them all; they are NRP.
"""

from __future__ import annotations

from functools import cache

from sanitizer.mask.text.recognizers.place_names import PARENTHESISED

LOCALES = ("ja", "zh", "zh_Hant", "ko")
SUFFIXES = "人인"


@cache
def country_names() -> frozenset[str]:
    """Every territory name of the locales, without a parenthesised alternative."""
    from babel import Locale

    names = set()
    for code in LOCALES:
        for name in Locale.parse(code).territories.values():
            bare = PARENTHESISED.sub("", name).strip()
            if len(bare) > 1 and not bare.isascii():
                names.add(bare)
    return frozenset(names)


@cache
def _longest() -> int:
    return max(len(name) for name in country_names())


def find_demonyms(text: str) -> list[tuple[int, int]]:
    """(start, end) of each country name + 人/인 in ``text``, the longest name first."""
    if not any(suffix in text for suffix in SUFFIXES):
        return []
    names, longest = country_names(), _longest()
    found: list[tuple[int, int]] = []
    for index, char in enumerate(text):
        if char not in SUFFIXES:
            continue
        floor = found[-1][1] if found else 0
        for start in range(max(floor, index - longest), index):
            if text[start:index] in names:
                found.append((start, index + 1))
                break
    return found
