"""Job titles in other languages than English, from Faker's job lists, found as whole runs of
words and replaced by another title."""

from __future__ import annotations

import pytest

from sanitizer.mask.pseudonyms import Draw
from sanitizer.mask.text.quasi_ids import other_job
from sanitizer.mask.text.recognizers.job_titles import find_job_titles, job_titles
from sanitizer.mask.text.recognizers.quasi_cued import QuasiCuedRecognizer


def spans(text: str) -> list[str]:
    return [text[s:e] for s, e in find_job_titles(text)]


def test_titles_of_other_languages_are_found_in_any_case():
    assert spans("Pracuje jako Naukowiec w Krakowie") == ["Naukowiec"]
    assert spans("нефролог Иванов принимает") == ["нефролог"]


def test_the_longest_run_of_words_wins_and_runs_do_not_cross_a_line_or_a_comma():
    title = next(t for t in job_titles() if t.count(" ") == 2)  # a three-word title
    words = title.split(" ")
    text = " ".join(w.capitalize() for w in words)
    assert spans(f"works as {text} today") == [text]
    broken = f"{words[0]}\n{words[1]} {words[2]}"
    assert broken not in spans(broken) and f"{words[0]}, {words[1]} {words[2]}" not in spans(
        f"{words[0]}, {words[1]} {words[2]}"
    )


@pytest.mark.parametrize("text", ["The Administrator is out", "a Pastor and a Manager", "Dr"])
def test_titles_made_of_ordinary_english_words_stay(text):
    assert spans(text) == []


def test_english_locales_give_no_titles():
    assert "software engineer" not in job_titles() and "accountant" not in job_titles()


def test_the_recognizer_reports_a_title_with_its_replacement_kind():
    text = "Mgr. Nowak, Naukowiec, mail me"
    results = QuasiCuedRecognizer().analyze(text, ["TITLE"])
    jobs = [r for r in results if text[r.start : r.end] == "Naukowiec"]
    assert jobs and jobs[0].entity_type == "TITLE"


def test_a_title_becomes_another_in_its_letter_case():
    other = other_job("NAUKOWIEC", Draw(bytes(range(32))))
    assert other.isupper() and other.casefold() != "naukowiec"
    assert other_job("нефролог", Draw(bytes(32))).islower()


def test_a_title_in_a_sentence_of_another_language_is_a_word_of_it():
    german = "Der Arzt kommt morgen und bleibt dann bis zum Abend bei uns."
    assert spans(german) == []
    assert spans("My doctor is an Arzt from Vienna, she said.") == ["Arzt"]


@pytest.mark.parametrize("text", ["Mr. Johannes Møller called", "Frau Müller and Herr Koch"])
def test_titles_that_are_names_stay_names(text):
    assert spans(text) == []
