"""Sentences and their language: where a text's sentences are, and whether one is written
in another language than English with Latin letters.

Shared by the entity recognizer's sentence gate (``ner_segments``) and the recognizers that
leave words of another language alone (places, job titles, filters); a module of its own so
that none of them imports the others.
"""

from __future__ import annotations

import re

from sanitizer.mask.text.plain_words import plain_words

WORD = re.compile(r"[^\W\d_]+")
FOREIGN_WORDS = 3  # lower-case words a sentence needs before its language can be told
SUFFIXES = ("s", "es", "ed", "d", "ing", "ly")
# A sentence ends at a line break, or at . ! ? and a space — not after a title or an initial
# ("Mr. Smith", "J. Smith"), which stay with the name they introduce.
_NOT_AFTER = ("Mr", "Ms", "Mrs", "Dr", "St", "Jr", "Sr", "Prof", "mr", "ms", "mrs", "dr")
SENTENCE_END = re.compile(  # the cheap [.!?] first: most positions fail there (7× faster)
    r"\r?\n|(?<=[.!?])"
    + "".join(rf"(?<!\b{title}\.)" for title in _NOT_AFTER)
    + r"(?<!\b[A-Z]\.)[ \t]+"
)


def segments(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of ``text``, surrounding whitespace left out."""
    out, start = [], 0
    for match in [*SENTENCE_END.finditer(text), None]:
        end = match.start() if match else len(text)
        piece = text[start:end]
        stripped = piece.strip()
        if stripped:
            lead = len(piece) - len(piece.lstrip())
            out.append((start + lead, start + lead + len(stripped)))
        start = match.end() if match else end
    return out


def is_plain(word: str, plain: frozenset[str], short: frozenset[str]) -> bool:
    """A plain word, or one with a plain stem ('Actions', 'Happened', 'Settings'); a capital
    word of up to three letters only when it is a known one ('IP', 'NOT'; not 'US')."""
    lower = word.lower()
    if len(word) <= 3 and word.isupper():
        return lower in short
    if lower in plain:
        return True
    return any(lower.endswith(suffix) and lower[: -len(suffix)] in plain for suffix in SUFFIXES)


def in_another_language(text: str, at: int) -> bool:
    """Whether the sentence of ``text`` around offset ``at`` is of another language written in
    Latin letters (see ``ner_segments.could_hold_entity``); a sentence too short to tell
    ('Fliegen Katze Woche Tag sollen.') is of the whole text's language."""
    plain, short = plain_words()
    sentence = next((text[s:e] for s, e in segments(text) if s <= at < e), "")
    words = WORD.findall(sentence)
    if len([word for word in words[1:] if word.islower()]) >= FOREIGN_WORDS:
        return another_language(words, plain, short)
    return another_language(WORD.findall(text), plain, short)


def another_language(words: list[str], plain: frozenset[str], short: frozenset[str]) -> bool:
    """At least :data:`FOREIGN_WORDS` lower-case words after the first, most of them no plain
    English word."""
    lower = [word for word in words[1:] if word.islower()]
    english = sum(is_plain(word, plain, short) for word in lower)
    return len(lower) >= FOREIGN_WORDS and 2 * english < len(lower)
