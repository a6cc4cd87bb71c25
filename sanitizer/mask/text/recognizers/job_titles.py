"""Job titles in other languages than English, from every Faker locale's list of jobs.

A job title narrows a person down as a title before a name does ('Mgr inż.', 'Sportovní
lékař', 'Нефролог', 'パン屋'), and neither spaCy nor Presidio tags one. Faker's job providers
hold about 24,000 titles in 40 locales; the English locales' ones are left out, and so is any
title made only of ordinary English words ('Administrator', 'Pastor', 'Key account manager')
or of given and family names ('Møller', 'Müller', 'Koch': a surname first in a sentence):
in English text those are words or names first, and masking them as titles cost more than the
privacy they bought; and so is a title in a sentence of another language, where it is a word of that
language ('Arzt', 'juez'). A title is found as a whole run of words, in any case, the longest
first; the words of a title are compared without their punctuation ('Ingenieur / Ingenieurin'
is 'ingenieur ingenieurin'). The list is built once into the lists cache (docs/operations.md).
"""

from __future__ import annotations

from functools import cache

import regex as re

from sanitizer.mask.text.lists_cache import cached, word_list
from sanitizer.mask.text.recognizers.faker_locales import locale_providers
from sanitizer.mask.text.sentences import in_another_language

_WORD = re.compile(r"[\p{L}\p{M}]+")
MAX_WORDS = 6  # the longest run of words looked up as one title
MIN_CHARS = 4  # shorter titles are initials or particles ('Kč', 'Dr')


@cache
def job_titles() -> frozenset[str]:
    """The titles, each as its words in lower case joined by one space; read from the lists
    cache when an earlier process built them."""
    return cached("jobs", _built_titles, word_list, frozenset)


def _built_titles() -> frozenset[str]:
    from sanitizer.mask.text.recognizers.lexicon import name_lists

    lists = name_lists()
    taken = lists.common | lists.first | lists.last  # words or names first
    found: set[str] = set()
    for locale, provider in locale_providers("faker.providers.job"):
        if locale.startswith("en"):
            continue
        for title in getattr(provider, "jobs", None) or ():
            words = [w.casefold() for w in _WORD.findall(title)]
            key = " ".join(words)
            if len(key) >= MIN_CHARS and not all(w in taken for w in words):
                found.add(key)
    return frozenset(found)


def find_job_titles(text: str) -> list[tuple[int, int]]:
    """(start, end) of each job title in ``text`` (literal escapes blanked: see
    ``escapes.blank_escapes``) that stands in an English sentence: in a sentence of another
    language, 'Arzt' or 'juez' is a word of it first."""
    return [span for span in _titles_in(text) if not in_another_language(text, span[0])]


def _titles_in(text: str) -> list[tuple[int, int]]:
    """The longest run of up to :data:`MAX_WORDS` words that is a title, its words apart by
    spaces and at most one of / - ( ) . ' on one line; runs do not overlap."""
    titles, firsts = job_titles(), _first_words()
    words = list(_WORD.finditer(text))
    lowered = [w.group().casefold() for w in words]
    found: list[tuple[int, int]] = []
    i = 0
    while i < len(words):
        hit = _longest_at(text, words, lowered, i, titles) if lowered[i] in firsts else 0
        if hit:
            found.append((words[i].start(), words[i + hit - 1].end()))
            i += hit
        else:
            i += 1
    return found


@cache
def _first_words() -> frozenset[str]:
    """The first word of every title: a text's other words start none (one lookup each)."""
    return frozenset(title.split(" ", 1)[0] for title in job_titles())


_GAP = re.compile(r"[ \t]*[/\-–()'’.]?[ \t]*")  # what may stand between a title's words


def _longest_at(text: str, words: list, lowered: list[str], i: int, titles: frozenset[str]) -> int:
    """How many words from ``i`` on make the longest title (0: none)."""
    best, key = (1 if lowered[i] in titles else 0), lowered[i]
    for n in range(1, min(MAX_WORDS, len(words) - i)):
        gap = text[words[i + n - 1].end() : words[i + n].start()]
        if not _GAP.fullmatch(gap):
            break
        key += " " + lowered[i + n]
        if key in titles:
            best = n + 1
    return best
