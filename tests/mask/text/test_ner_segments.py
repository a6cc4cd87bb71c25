"""The entity recognizer runs on the sentences that could hold a name or a place, once each."""

from __future__ import annotations

import re
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sanitizer.config.settings import NlpSettings
from sanitizer.mask.text.detector import analyzer_for, find_all
from sanitizer.mask.text.ner_segments import (
    DateWindow,
    SegmentedNer,
    could_hold_entity,
    date_windows,
)
from sanitizer.mask.text.sentences import SENTENCE_END, segments

NLP = NlpSettings()


@pytest.fixture(scope="module")
def pipeline():
    return analyzer_for(NLP).nlp_engine.nlp[NLP.language]


def pieces(text: str) -> list[str]:
    return [text[start:end] for start, end in segments(text)]


def test_sentences_end_at_line_breaks_and_sentence_marks() -> None:
    text = "Hi team,\r\nthe export failed again. Can you check?  Thanks!\n\n-- \nOps"
    assert pieces(text) == [
        "Hi team,", "the export failed again.", "Can you check?", "Thanks!", "--", "Ops",
    ]  # fmt: skip


def test_titles_and_initials_stay_with_the_name() -> None:
    text = "Talked to Mr. Smith and dr. Jones. J. R. Tolkien called. Mrs. Doe too."
    assert pieces(text) == [
        "Talked to Mr. Smith and dr. Jones.", "J. R. Tolkien called.", "Mrs. Doe too.",
    ]  # fmt: skip


# The sentence ends as first written: the same assertions, the title checks before [.!?].
WRITTEN_FIRST = re.compile(
    r"\r?\n|"
    + "".join(
        rf"(?<!\b{title}\.)"
        for title in ("Mr", "Ms", "Mrs", "Dr", "St", "Jr", "Sr", "Prof", "mr", "ms", "mrs", "dr")
    )
    + r"(?<!\b[A-Z]\.)(?<=[.!?])[ \t]+"
)


@given(st.text(alphabet=st.sampled_from(list("ab. \n\t\r!?MrsDJAZ")), max_size=60))
def test_sentence_ends_are_those_of_the_pattern_as_first_written(text: str) -> None:
    assert [m.span() for m in SENTENCE_END.finditer(text)] == [
        m.span() for m in WRITTEN_FIRST.finditer(text)
    ]


@given(st.text(alphabet=st.sampled_from(list("ab. \n\t\r!?MrJ")), max_size=60))
def test_sentences_cover_every_visible_character_once(text: str) -> None:
    spans = segments(text)
    assert all(end <= start for (_, end), (start, _) in pairwise(spans))
    covered = {i for start, end in spans for i in range(start, end)}
    visible = {i for i, char in enumerate(text) if not char.isspace()}
    assert visible <= covered
    assert all(text[s:e] == text[s:e].strip() and e > s for s, e in spans)


@pytest.mark.parametrize(
    "sentence",
    [
        "thanks for your help.",
        "Please check the order status.",
        "OK, done",
        "see 12345",
        "from paris with love, Sincerely",  # lower case: the model tags no place there
        # another language in Latin letters: its capitalized first word and accented words
        "Sistema región encuentra resto servicio.",
        "Lleva vuelve público hecho resultados.",
    ],
)
def test_plain_sentences_need_no_recognizer(sentence: str) -> None:
    assert not could_hold_entity(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Maria called twice",  # a name
        "Will you check?",  # a word that is also a name
        "shipped to Springfield",  # a place
        "田中さんから電話",  # another script
        "Grüße",
        "Microsoft is hiring again",  # English: any capitalized first word still counts
        "Carlos dijo que no vendrá mañana",  # another language, first word a known name
        "Mañana llega Zbigniewska con los papeles",  # another language, a capital inside
        "Пришло письмо от Ивана сегодня утром",  # another language in another script
    ],
)
def test_sentences_that_could_hold_a_name_go_to_the_recognizer(sentence: str) -> None:
    assert could_hold_entity(sentence)


def test_entities_land_at_their_offsets_in_the_whole_text(pipeline) -> None:
    text = "Thanks for the update.\nI spoke with Maria Garcia yesterday. She lives in Chicago.\n"
    ner = SegmentedNer(pipeline)
    (doc,) = ner.docs([text], batch_size=8)
    assert doc.text == text  # tokenized whole
    found = {(ent.text, ent.label_) for ent in doc.ents}
    assert ("Maria Garcia", "PERSON") in found
    assert ("Chicago", "GPE") in found
    assert "Thanks for the update." not in ner.known  # plain: never recognized


def test_a_repeated_sentence_is_recognized_once(pipeline) -> None:
    signature = "Best regards, Maria Garcia, Acme Support"
    texts = [f"Order {n} shipped.\n{signature}" for n in range(5)]
    ner = SegmentedNer(pipeline)
    docs = ner.docs(texts, batch_size=8)
    sentences = [piece for piece in ner.known if not isinstance(piece, DateWindow)]
    assert sentences == [signature]
    assert all("Maria Garcia" in {e.text for e in d.ents} for d in docs)


def test_detection_finds_names_in_long_mixed_texts() -> None:
    text = (
        "hi, the invoice is wrong again.\n"
        "Please forward this to Jonathan Whitaker in accounting. thanks\n"
        "ok will do. sent from my phone"
    )
    (found,) = find_all([text], ["PERSON"], NLP)
    assert [text[f.start : f.end] for f in found] == ["Jonathan Whitaker"]


def windows(sentence: str) -> list[str]:
    return [sentence[start:end] for start, end in date_windows(sentence)]


def test_a_possible_age_or_date_is_read_with_the_words_around_it() -> None:
    assert windows("so yeah my dad, who is 71, lives alone now with two cats") == [
        "yeah my dad, who is 71, lives alone now"
    ]
    assert windows("the appointment was set for 2006.") == ["the appointment was set for 2006."]
    assert windows("September is when it all started") == ["September is when it"]
    # two numbers a few words apart share one window
    assert windows("my wife is 31 and i am 33") == ["my wife is 31 and i am 33"]


@pytest.mark.parametrize(
    "sentence",
    [
        "please see ticket #123 for details",
        "it costs $45 a month",
        "meet at 12:30 tomorrow",
        "version 3.5 broke the export",
        "we grew 45% last quarter",
        "see INV-12 and ord_77",
        "call 555-0123 after lunch",
        "thanks, that may work in march",
    ],
)
def test_ids_amounts_times_and_lower_case_months_are_no_window(sentence: str) -> None:
    assert date_windows(sentence) == []


def test_a_window_gives_its_dates_alone(pipeline) -> None:
    text = "honestly my wife is 31 and she wants to move to paris"
    ner = SegmentedNer(pipeline)
    ner.docs([text], batch_size=8)
    assert all(isinstance(piece, DateWindow) for piece in ner.known)
    labels = {label for found in ner.known.values() for _, _, label in found}
    assert labels <= {"DATE"}


@pytest.mark.parametrize(
    ("text", "entity", "value"),
    [
        ("so my dad, who is 71, lives alone", "AGE", "71"),
        ("my wife is 31 and i am 33", "AGE", "31"),
        ("The appointment was set for 2006.", "DATE_TIME", "2006"),
        ("September is when it all started", "DATE_TIME", "September"),
    ],
)
def test_ages_and_dates_in_sentences_that_name_no_one_are_found(
    text: str, entity: str, value: str
) -> None:
    (found,) = find_all([text], None, NLP)
    assert value in [text[f.start : f.end] for f in found if f.entity == entity]
