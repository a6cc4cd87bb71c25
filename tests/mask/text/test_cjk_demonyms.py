"""Nationalities as a country's name and 人/인, from CLDR's names (Babel)."""

from __future__ import annotations

from sanitizer.mask.text.recognizers.cjk_demonyms import find_demonyms
from sanitizer.mask.text.recognizers.quasi_cued import QuasiCuedRecognizer


def spans(text: str) -> list[str]:
    return [text[s:e] for s, e in find_demonyms(text)]


def test_a_country_and_person_is_a_nationality_in_japanese_chinese_and_korean():
    assert spans("彼はスロベニア人です") == ["スロベニア人"]
    text = "She is ミャンマー人, he is 美国人 and 미국인"
    assert spans(text) == ["ミャンマー人", "美国人", "미국인"]


def test_the_longest_name_wins_and_other_words_with_the_suffix_stay():
    assert spans("南アフリカ人") == ["南アフリカ人"]
    assert spans("本人と友人が一人で来た, 확인 부탁") == []


def test_the_recognizer_reports_them_as_nrp():
    text = "My neighbour is カンボジア人."
    found = QuasiCuedRecognizer().analyze(text, ["NRP"])
    assert [(text[r.start : r.end], r.entity_type) for r in found] == [("カンボジア人", "NRP")]
