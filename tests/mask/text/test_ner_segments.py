"""The entity recognizer runs on the sentences that could hold a name or a place, once each."""

from __future__ import annotations

from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sanitizer.config.settings import NlpSettings
from sanitizer.mask.text.detector import analyzer_for, find_all
from sanitizer.mask.text.ner_segments import (
    SegmentedNer,
    could_hold_entity,
    segments,
)

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
    assert list(ner.known) == [signature]
    assert all("Maria Garcia" in {e.text for e in d.ents} for d in docs)


def test_detection_finds_names_in_long_mixed_texts() -> None:
    text = (
        "hi, the invoice is wrong again.\n"
        "Please forward this to Jonathan Whitaker in accounting. thanks\n"
        "ok will do. sent from my phone"
    )
    (found,) = find_all([text], ["PERSON"], NLP)
    assert [text[f.start : f.end] for f in found] == ["Jonathan Whitaker"]
