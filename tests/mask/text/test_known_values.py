"""Known values: what fake/format columns hold is found again in free text and replaced
exactly as the column rule replaces it — even where detection sees nothing."""

from __future__ import annotations

import pytest

from sanitizer.mask.text.known_values import WordIndex, known_in, set_known

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
    assert known_in("mail A.B@CORP.COM now", None) == [(5, 17, "EMAIL_ADDRESS", "email")]
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
