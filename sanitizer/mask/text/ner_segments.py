"""spaCy's entity recognizer, run only on the sentences that could hold a name or a place.

The recognizer is about 70% of detection's time, and most of what it reads cannot hold what
it finds: a sentence whose words are all lower case, or whose capitalized words are all
frequent English words that are not also names ("Thanks", "Please", "Order"), gives the
model nothing to tag — unless one of its words, in any case, is a known country
(``place_names``: 'she moved here from norway' is tagged as raw Presidio tags it). Such
sentences are skipped, and a sentence seen before (greetings,
signatures, templates) is recognized once per process. Each text is still tokenized whole, so
the recognizers see the same tokens and offsets as before; only where the entities come from
changes. The model's context reaches a few tokens, so a sentence alone tags what it tags in
its text, up to the edges.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from itertools import pairwise

import regex

from sanitizer.mask.text.plain_words import plain_words
from sanitizer.mask.text.sentences import (
    WORD,
    another_language,
    is_plain,
    segments,
)

NER_PIPES = ("sanitizer_lemmas",)  # what the segment pass leaves out (lemmas: the whole text)
CACHE_LIMIT = 100_000  # remembered sentences per process; forgotten all at once beyond this
LATIN = regex.compile(r"\p{Latin}+")


def could_hold_entity(sentence: str) -> bool:
    """Whether the recognizer could find a name or place here: a word in another script,
    a capitalized word that is not a plain word, or a known place in any case ('moved here
    from norway': the model tags lower-case countries too).

    In a sentence of another language written in Latin letters ('Sistema región encuentra
    resto servicio.'), its capitalized first word and its lower-case accented words say
    nothing: every such sentence has them. There the first word counts only when it is a
    known name or place, and lower-case words only in another script."""
    plain, short = plain_words()
    words = WORD.findall(sentence)
    foreign = another_language(words, plain, short)
    for index, word in enumerate(words):
        if foreign and (
            (index == 0 and sentence.startswith(word) and not _known_name(word))
            or (word.islower() and LATIN.fullmatch(word))
        ):
            continue
        if not word.isascii():
            return True
        if word[0].isupper() and not is_plain(word, plain, short):
            return True
    return _names_place(words)


def _known_name(word: str) -> bool:
    """A given or family name of any Faker locale, or a place."""
    from sanitizer.mask.text.recognizers.person_names import name_lists
    from sanitizer.mask.text.recognizers.place_names import place_names

    lower, names = word.lower(), name_lists()
    return lower in names.first or lower in names.last or lower in place_names()


# What the model tags as a DATE by its context alone, in a sentence with no name in it too:
# a number of 1 to 3 digits or a year that no id, amount, time, decimal or unit holds (an
# age: 'my wife is 31 and …', see filters._bare_age; 'set for 2006'), an English month or
# weekday name ('September is when …', 'see you on Monday morning'; lower-case 'may' and
# 'march' are words first).
_DATE_OR_AGE = regex.compile(
    r"(?<![\w.,:/$€£¥#+\-])(?:\d{1,3}|1[89]\d\d|20\d\d)(?![\w%$€£:/\-]|[.,]\d)"
    r"|\b(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
)
_WORDS_BEFORE, _WORDS_AFTER = 5, 3  # the model's context reaches a few tokens either way
_WORD_RUN = re.compile(r"\S+")


def date_windows(sentence: str) -> list[tuple[int, int]]:
    """(start, end) of the few words around each possible age or date of a sentence, merged:
    what the model needs to tell an age ('who is 71,') or a year from a count, at a fraction
    of a sentence's cost."""
    found = [m.span() for m in _DATE_OR_AGE.finditer(sentence)]
    if not found:
        return []
    words = [m.span() for m in _WORD_RUN.finditer(sentence)]
    windows: list[tuple[int, int]] = []
    for start, _ in found:
        at = next(i for i, (s, e) in enumerate(words) if s <= start < e)
        begin = words[max(0, at - _WORDS_BEFORE)][0]
        stop = words[min(len(words) - 1, at + _WORDS_AFTER)][1]
        if windows and begin <= windows[-1][1]:
            windows[-1] = (windows[-1][0], max(stop, windows[-1][1]))
        else:
            windows.append((begin, stop))
    return windows


def _names_place(words: list[str]) -> bool:
    """A word or two words in a row that are a known country and no ordinary word or name
    (towns are not looked up: their lists hold English words such as 'split')."""
    from sanitizer.mask.text.recognizers.place_names import countries, plain_places

    places, ordinary = countries(), plain_places()
    lower = [word.lower() for word in words]
    pairs = [f"{a} {b}" for a, b in pairwise(lower)]
    return any(w in places and w not in ordinary for w in lower + pairs)


@cache
def segmented_ner(pipeline) -> SegmentedNer:
    """One per pipeline and process, so its memory of sentences lasts the whole run."""
    return SegmentedNer(pipeline)


class SegmentedNer:
    """Docs for texts: tokenized whole, entities from the sentences worth recognizing."""

    def __init__(self, pipeline) -> None:
        self.pipeline = pipeline
        self.known: dict[str, tuple[tuple[int, int, str], ...]] = {}

    def docs(self, texts: Sequence[str], batch_size: int) -> list:
        with self.pipeline.select_pipes(disable=["ner"]):
            docs = list(self.pipeline.pipe(texts, batch_size=batch_size))
        places = [
            (index, start + begin, piece)
            for index, text in enumerate(texts)
            for start, end in segments(text)
            for begin, piece in _pieces(text[start:end])
        ]
        self._recognize([piece for _, _, piece in places], batch_size)
        found: list[list] = [[] for _ in docs]
        for index, start, piece in places:
            doc = docs[index]
            for begin, end, label in self.known[piece]:
                span = doc.char_span(
                    start + begin, start + end, label=label, alignment_mode="expand"
                )
                if span is not None:
                    found[index].append(span)
        for doc, spans in zip(docs, found, strict=True):
            if spans:
                doc.ents = spans  # sentences are disjoint, so are their entities
        return docs

    def _recognize(self, sentences: list[str], batch_size: int) -> None:
        """Run the recognizer once over each sentence not seen before, each on its own: what
        it finds in a sentence never depends on the other texts of a batch."""
        new = list(dict.fromkeys(s for s in sentences if s not in self.known))
        if len(self.known) + len(new) > CACHE_LIMIT:
            self.known.clear()
            new = list(dict.fromkeys(sentences))
        skip = [name for name in NER_PIPES if name in self.pipeline.pipe_names]
        with self.pipeline.select_pipes(disable=skip):
            docs = self.pipeline.pipe([str(piece) for piece in new], batch_size=batch_size)
            for piece, doc in zip(new, docs, strict=True):
                ents = [(ent.start_char, ent.end_char, ent.label_) for ent in doc.ents]
                if isinstance(piece, DateWindow):  # cut context: its dates, nothing else
                    ents = [ent for ent in ents if ent[2] == "DATE"]
                self.known[piece] = tuple(ents)


class DateWindow(str):
    """The words around a possible age or date, recognized for the dates alone (a name or
    place seen through so short a window is not to be trusted); its own key in the memory of
    sentences, apart from a whole sentence of the same text."""

    def __hash__(self) -> int:
        return hash(("date window", str(self)))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DateWindow) and str.__eq__(self, other)


def _pieces(sentence: str) -> list[tuple[int, str]]:
    """What the recognizer reads of a sentence, with offsets: the whole sentence when it could
    hold a name or a place, else the windows around its possible ages and dates (may be none)."""
    if could_hold_entity(sentence):
        return [(0, sentence)]
    return [(s, DateWindow(sentence[s:e])) for s, e in date_windows(sentence)]
