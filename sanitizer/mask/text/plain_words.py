"""Words that, capitalized, are still no name or place.

Shared by the sentence gate (``ner_segments``: which sentences the entity recognizer reads)
and the place recognizer (a town named like an ordinary word is left to spaCy). A module of
its own so that neither imports the other.
"""

from __future__ import annotations

from functools import cache


@cache
def plain_words() -> tuple[frozenset[str], frozenset[str]]:
    """Lower-case words that, capitalized, are still no name or place: frequent English words
    and spaCy's stop words minus every first name, ambiguous name and place-like name (a
    surname that is also a word, 'Best', stays plain), plus the words of support texts; and
    the short capital words that are plain. (Imported here: the word lists import Presidio.)"""
    from spacy.lang.en.stop_words import STOP_WORDS

    from sanitizer.mask.text.recognizers.person_names import name_lists
    from sanitizer.mask.text.recognizers.wordlists import (
        AMBIGUOUS_NAMES,
        NOT_ALONE,
        SHORT_CAPITALS,
        SUPPORT_WORDS,
    )

    names = name_lists()
    # a name that is also a word ("can", "made": names somewhere) stays plain unless listed
    plain_names = names.first - names.ambiguous
    words = (names.everyday | STOP_WORDS) - plain_names - AMBIGUOUS_NAMES - NOT_ALONE
    return frozenset(words | SUPPORT_WORDS), SHORT_CAPITALS
