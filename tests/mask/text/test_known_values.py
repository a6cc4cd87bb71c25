"""Known values: what fake/format columns hold is found again in free text and replaced
exactly as the column rule replaces it — even where detection sees nothing."""

from __future__ import annotations

import pytest

from sanitizer.config.settings import NlpSettings
from sanitizer.mask.operators.base import MaskContext
from sanitizer.mask.operators.detect import Detect
from sanitizer.mask.text.known_values import WordIndex, known_in, name_parts, set_known
from tests.mask.conftest import TEXT, WHERE

KNOWN = {
    "name": ["伊藤 裕美子", "Jeffrey Schneider"],
    "email": ["a.b@corp.com"],
    "format": ["DE123456789"],
    "city": ["Paris"],  # one plain word: not tracked
}


@pytest.fixture
def known():
    set_known(KNOWN)
    yield
    set_known({})  # the index is per process: leave none behind for other tests


def test_column_and_text_get_the_same_replacement(known, mask):
    text = "Hi, this is 伊藤 裕美子. Tax id DE123456789, mail A.B@corp.com; JEFFREY SCHNEIDER too."
    [masked] = mask("detect", [text])
    name = mask({"fake": "name"}, ["伊藤 裕美子"])[0]
    vat = mask({"format": "preserve"}, ["DE123456789"])[0]
    assert f"this is {name}." in masked
    assert f"Tax id {vat}," in masked
    for original in ("伊藤", "裕美子", "DE123456789", "corp.com", "SCHNEIDER"):
        assert original not in masked


def test_only_requested_entities_are_replaced(known, mask):
    [masked] = mask({"detect": ["EMAIL_ADDRESS"]}, ["伊藤 裕美子 wrote from a.b@corp.com"])
    assert masked.startswith("伊藤 裕美子 wrote from ")
    assert "a.b@corp.com" not in masked


def test_whole_words_only_and_any_case(known):
    assert known_in("mail A.B@CORP.COM now", None) == [(5, 17, "EMAIL_ADDRESS", "email", None)]
    assert known_in("xa.b@corp.com", None) == []
    assert known_in("Jeffrey Schneiderman", None) == []
    assert known_in("I love Paris", None) == []


def test_longest_value_wins_and_values_do_not_overlap():
    index = WordIndex()
    index.add("Jane Mary Doe", "name")
    index.add("Mary Doe", "name")
    text = "dear jane mary doe and mary doe"
    assert [text[s:e] for s, e, _ in index.find(text)] == ["jane mary doe", "mary doe"]


def test_without_known_values_nothing_is_added():
    set_known({})
    assert known_in("伊藤 裕美子", None) == []


# -- people, by their parts ------------------------------------------------------------------


def test_a_full_name_has_a_given_and_a_family_name():
    assert name_parts("Jane Mary Doe") == ("Jane", "Doe")
    assert name_parts("Doe, Jane") == ("Jane", "Doe")
    assert name_parts("山口 さゆり") == ("さゆり", "山口")  # written family name first
    assert name_parts("Cher") is None


def test_a_rare_given_name_is_known_anywhere_a_shared_or_ordinary_one_is_not():
    set_known({"name": ["山口 さゆり", "John Smith", "John Doe", "Will Turner", "Ngozi Okafor"]})
    try:
        text = "さゆりは and Ngozi called; John and Will did not"
        found = [(text[s:e], kind, part) for s, e, _, kind, part in known_in(text, None)]
        assert ("さゆり", "name", ("山口 さゆり", "given")) in found
        assert ("Ngozi", "name", ("Ngozi Okafor", "given")) in found
        assert not {"John", "Will"} & {span for span, _, _ in found}
    finally:
        set_known({})


def test_the_parts_of_a_records_people_are_known_in_its_text():
    set_known({})
    people = [("name", "Victoria Lindqvist"), ("first_name", "Hannah")]
    text = "Victoria was frustrated; LINDQVIST family account; Hannah too"
    found = [(text[s:e], kind, part) for s, e, _, kind, part in known_in(text, None, people)]
    assert found == [
        ("Victoria", "name", ("Victoria Lindqvist", "given")),
        ("LINDQVIST", "name", ("Victoria Lindqvist", "family")),
        ("Hannah", "first_name", None),
    ]
    assert known_in("Victorian houses", None, people) == []  # whole words only


def test_a_part_before_a_possessive_is_known_without_it():
    set_known({"name": ["Ngozi Okafor"]})
    try:
        people = [("name", "Maud Abt")]
        text = "here's Maud's address; the Abt’s account; Ngozi's order"
        found = [(text[s:e], part) for s, e, _, _, part in known_in(text, None, people)]
        assert found == [
            ("Maud", ("Maud Abt", "given")),
            ("Abt", ("Maud Abt", "family")),
            ("Ngozi", ("Ngozi Okafor", "given")),
        ]
    finally:
        set_known({})


def test_a_part_gets_the_matching_part_of_its_full_names_fake(mask, keyring):
    [fake] = mask({"fake": "name"}, ["山口 さゆり"])
    given, family = fake.split()[0], fake.split()[-1]
    text = "さゆり was frustrated; 山口さんにも連絡"
    ctx = MaskContext(keyring, TEXT, nlp=NlpSettings(), people={text: (("name", "山口 さゆり"),)})
    [masked] = Detect(None, WHERE).mask_values([text], ctx)
    assert masked.startswith(f"{given} was frustrated; ")
    assert family in masked and "さゆり" not in masked and "山口" not in masked


@pytest.mark.parametrize(
    ("full", "text", "part"),
    [
        # vowel signs are combining marks: the word is whole, not 'র', 'স', 'ল'
        ("রাসেল রহমান", "Why is রাসেল so impulsive?", "রাসেল"),
        ("सुनिता लामा", "She named him सुनिता", "सुनिता"),
        ("ณปภัช ถุงเงิน", "ณปภัช is from Bangkok", "ณปภัช"),
        # a conjunct written with a zero-width joiner stays inside the word
        ("स्वेच्\u200dछा घले", "verses from स्वेच्\u200dछा's Tales", "स्वेच्\u200dछा"),
        # an abbreviated family name is read without its final full stop, as in the text
        ("अनुरा के.सी.", "verses from के.सी.'s Tales", "के.सी"),
        ("Ram K.C.", "ask K.C. first", "K.C"),
    ],
)
def test_parts_in_scripts_with_marks_joiners_and_abbreviations_are_known(full, text, part):
    set_known({})
    found = [text[s:e] for s, e, *_ in known_in(text, None, [("name", full)])]
    assert found == [part]


def test_a_part_is_not_found_inside_a_longer_word_of_a_script_with_marks():
    set_known({})
    # 'রাস' is the start of 'রাসেল'; the vowel sign after it continues the word
    assert known_in("Why is রাসেল so impulsive?", None, [("name", "রাস রহমান")]) == []
