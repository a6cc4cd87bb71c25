"""Weekday and month names of every CLDR language are dates; a name that is an English word
too is not; a name is replaced by another of its own language and kind, in its case."""

from __future__ import annotations

import pytest

from sanitizer.mask.text.calendar_names import calendar_names, foreign_calendar_names
from sanitizer.mask.text.calendar_names import other_calendar_name as other


@pytest.mark.parametrize("name", ["czwartek", "März", "Mittwoch", "sábado", "木曜日", "четверг"])
def test_names_of_other_languages_are_found_as_words(name):
    text = f"We'll meet {name} at noon"
    assert [text[a:b] for a, b in foreign_calendar_names(text)] == [name]


@pytest.mark.parametrize("text", ["a trip to Mars", "Mayo clinic", "you may go", "June"])
def test_english_words_and_english_month_names_are_not_found_here(text):
    assert foreign_calendar_names(text) == []  # English months are spaCy's


@pytest.mark.parametrize("name", ["thursday", "Monday", "SUNDAY"])
def test_english_weekdays_are_found_in_any_case(name):
    text = f"we'll meet {name} at noon"  # a lower-case sentence spaCy never reads
    assert [text[a:b] for a, b in foreign_calendar_names(text)] == [name]


def test_a_name_becomes_another_of_its_own_language_kind_and_case():
    polish_days = set(calendar_names()["czwartek"])
    for draw in range(6):
        out = other("czwartek", lambda n, d=draw: d % n)
        assert out in polish_days and out != "czwartek" and out.islower()
    assert other("MARCH", lambda n: 0).isupper()
    assert other("April", lambda n: 0) in {"January", "February", "March"}  # English first
    assert other("yesterday", lambda n: 0) is None
