"""Known places as LOCATION: spaCy's ORG on a place, and countries / towns from Faker's lists."""

from __future__ import annotations

import pytest

from sanitizer.config.settings import NlpSettings
from sanitizer.mask.text.detector import find_all
from sanitizer.mask.text.ner_segments import could_hold_entity
from sanitizer.mask.text.recognizers.place_names import capitalized_places


def _found(text: str) -> set[tuple[str, str]]:
    return {(text[f.start : f.end], f.entity) for f in find_all([text], None, NlpSettings())[0]}


def _places(text: str) -> list[str]:
    return [text[s:e] for s, e in capitalized_places(text)]


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("We are flying to Cyprus next month for the conference.", "Cyprus"),
        ("Hi, I'm Tomas Berg, originally from KERAVA, and I'm 41.", "KERAVA"),
        ("they moved here from norway last spring", "norway"),
        ("Our office in Reykjavík opens at nine.", "Reykjavík"),
    ],
)
def test_known_places_are_masked_as_locations(text: str, place: str) -> None:
    assert (place, "LOCATION") in _found(text)


def test_country_runs_and_whole_words_only() -> None:
    assert _places("Shipped from Bosnia and Herzegovina via Norway.") == [
        "Bosnia and Herzegovina",
        "Norway",
    ]
    assert _places("Norwayish Cyprusland") == []


def test_countries_by_their_cldr_name_in_each_faker_language() -> None:
    # in no Faker locale's own country list: CLDR's names through Babel (cs, pl, es, is, uk)
    text = "From Spojené arabské emiráty to Bangladesz, Islas Cook, Moldóva and Україна."
    assert _places(text) == [
        "Spojené arabské emiráty",
        "Bangladesz",
        "Islas Cook",
        "Moldóva",
        "Україна",
    ]
    # a lower-case last word only ends a country's name; a continent is no country
    assert _places("Back in Nowe warpno, Europa") == []


def test_cldr_countries_in_a_sentence_of_another_language_are_its_words() -> None:
    assert _places("We met in Reunión and Niemcy last year.") == ["Reunión", "Niemcy"]
    assert _places("Mañana tenemos la Reunión con todos los equipos del proyecto.") == []
    assert _places("Wczoraj rano pojechaliśmy do Niemcy razem z całą rodziną.") == []


def test_a_place_in_a_script_without_capitals_stands_out_in_text_of_cased_words() -> None:
    assert _places("I moved here from ロシア last year") == ["ロシア"]
    assert _places("افغانستان was super fun to visit!") == ["افغانستان"]
    assert _places("She is from 미국, I think") == ["미국"]
    # inside a longer run, or in text written in that script, it is no word of its own
    assert _places("He works at 中国电信 now") == []
    assert _places("ロシアに行きました。明日は 中国 です。") == []


def test_ordinary_words_and_names_are_left_to_the_model() -> None:
    # towns that are English words, and countries that are given names
    assert _places("Split the Reading list, then ask Jordan and Chad.") == []


def test_lowercase_sentence_naming_a_place_goes_to_the_model() -> None:
    assert could_hold_entity("she moved here from norway")
    assert could_hold_entity("we came from south africa")
    assert not could_hold_entity("please split the order and ship it today")
