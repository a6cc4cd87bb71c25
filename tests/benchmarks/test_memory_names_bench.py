"""The memory-names bench's corpus and scoring (no mimesis needed: hand-written pools)."""

from __future__ import annotations

import pytest

POOLS = {
    "fi": {"first_name": ["Toini"], "last_name": ["Sillanpää"], "city": ["Kauhava"]},
    "ko": {"first_name": ["서연"], "last_name": ["김"], "city": ["부산"]},
}


@pytest.fixture(scope="module")
def mn(bench_module):
    return bench_module("memory_names_bench")


@pytest.fixture
def pooled(mn, monkeypatch):
    mc = mn.mimesis_corpus
    monkeypatch.setattr(mc, "pools", lambda split: POOLS)
    monkeypatch.setitem(mc.LOCALES, "dev", ("fi", "ko"))
    return mn


def test_each_memory_names_its_person_alone_and_holds_the_full_name(pooled):
    rows = pooled.corpus("dev", 40)
    assert {r["locale"] for r in rows} == {"fi", "ko"}
    for r in rows:
        full, given, family = r["who"]
        assert r["customer_name"] == full
        assert full == ("김 서연" if r["locale"] == "ko" else "Toini Sillanpää")  # family first
        assert pooled.mentions(r["document"], given) or pooled.mentions(r["document"], family)
        assert "{{" not in r["document"]


def test_a_name_is_a_whole_word_in_spaced_scripts_and_anywhere_in_unspaced_ones(mn):
    assert mn.mentions("Toini's order", "Toini")
    assert not mn.mentions("Toinika called", "Toini")
    assert mn.mentions("서연님이 전화했다", "서연")
    # one character: a name as a run of its own, a syllable of another word inside a run
    assert mn.mentions("ask Mr. 김 first", "김") and mn.mentions("김's order", "김")
    assert not mn.mentions("moved to 김해시 last year", "김")
    assert mn.mentions("moved to 김해시 last year", "김", loose=True)
    assert mn.leaked("ask SILLANPÄÄ", ("Toini Sillanpää", "Toini", "Sillanpää"))
    assert not mn.leaked("ask Jane Roe", ("Toini Sillanpää", "Toini", "Sillanpää"))
