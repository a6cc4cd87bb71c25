"""mimesis pools become labeled documents (no mimesis needed: hand-written pools)."""

from __future__ import annotations

import random
import sys

import pytest

POOLS = {
    "fi": {
        "person": ["Pyry Tuomela"],
        "first_name": ["Toini"],
        "last_name": ["Sillanpää"],
        "street_address": ["Hämeenpuisto 276"],
        "building_number": ["276"],
        "street_name": ["Esplanadi"],
        "city": ["Kauhava"],
        "country": ["Turkmenistan"],
        "postcode": ["17432"],
        "phone_number": ["+358 4 324 8367"],
    }
}


@pytest.fixture(scope="module")
def mc(bench_module):
    return bench_module("mimesis_corpus")


@pytest.fixture
def pooled(mc, monkeypatch):
    monkeypatch.setattr(mc, "pools", lambda split: POOLS)
    monkeypatch.setitem(mc.LOCALES, "dev", ("fi",))
    return mc


def test_slots_come_from_the_locale_pools_and_spans_match_the_text(pooled):
    docs = pooled.build_corpus("dev", 60)
    assert {d.source for d in docs} == {"mimesis:fi"}
    values = {v for pool in POOLS["fi"].values() for v in pool}
    seen = set()
    for doc in docs:
        for start, end, _, value in doc.spans:
            assert doc.text[start:end] == value
        seen |= {value for _, _, _, value in doc.spans}
    assert {"Pyry Tuomela", "Toini", "+358 4 324 8367"} <= seen | {v.lower() for v in seen}
    assert any(v in values for v in seen)


def test_an_address_is_a_layout_filled_from_the_pools(pooled):
    filler = pooled.MimesisFiller(random.Random(3), POOLS["fi"])
    for _ in range(30):
        address = filler.value("address")
        military = any(f"{kind} " in address for kind in ("APO", "FPO", "DPO"))  # US only
        assert military or any(p in address for p in ("Hämeenpuisto 276", "Esplanadi", "Kauhava"))


def test_a_slot_mimesis_has_no_pool_for_is_filled_as_faker_intl_fills_it(pooled):
    filler = pooled.MimesisFiller(random.Random(5), POOLS["fi"])
    assert filler.value("iban")  # Faker en_US, as faker-intl's fallback
    assert filler.value("first_name") == "Toini"


def test_documents_do_not_depend_on_how_many_are_built(pooled):
    assert [d.text for d in pooled.build_corpus("dev", 5)] == [
        d.text for d in pooled.build_corpus("dev", 9)[:5]
    ]


def test_offline_venv_names_the_commands(mc, tmp_path):
    failing = [[sys.executable, "-c", "raise SystemExit(1)", "x"]]
    with pytest.raises(mc.isolated_venv.CorpusUnavailable, match="Run these where PyPI"):
        mc.isolated_venv.ensure(tmp_path / "venv", mc.PINS, failing, "mimesis")


def test_dev_locales_share_no_language_with_the_held_out_ones(mc):
    def language(code: str) -> str:
        return code.split("-")[0]

    held_out = {language(code) for code in mc.LOCALES["heldout"]}
    assert not held_out & {language(code) for code in mc.LOCALES["dev"]}
    assert len(set(mc.LOCALES["dev"])) == len(mc.LOCALES["dev"]) >= 20
