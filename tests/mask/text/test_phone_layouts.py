"""libphonenumber's metadata over every region: which digit groups are a country's own layout."""

from __future__ import annotations

import re

import pytest

from sanitizer.mask.text.recognizers.phone_layouts import (
    national_groupings,
    possible_international,
    written_like_a_phone,
)


def groups(run: str) -> tuple[str, ...]:
    return tuple(re.findall(r"\d+", run))


@pytest.mark.parametrize(
    "run",
    [
        "22 512 34 56",  # 2-3-2-2, as Poland and Switzerland write it
        "58 61 24",  # six digits, Greenland and the Faroes
        "478 2210",  # 3-4, Iceland among others
        "0351 4427018",  # trunk 0, area code and subscriber, Germany
        "611 204 387",  # 3-3-3, Portugal
        "020 7946 0958",  # the United Kingdom
    ],
)
def test_a_region_writes_these_digits_in_these_groups(run):
    assert written_like_a_phone(groups(run))


@pytest.mark.parametrize("run", ["100 2345 67", "12 05 2024", "1234 5678 9012", "0676 512 3"])
def test_no_region_writes_these(run):
    assert not written_like_a_phone(groups(run))


def test_regions_beyond_presidios_eight_are_read():
    # Greenland's six-digit numbers: none of US, GB, DE, IL, IN, CA, BR writes them so
    assert (2, 2, 2) in national_groupings("586124")


def test_the_same_digits_in_another_grouping_are_not_a_layout():
    assert written_like_a_phone(("22", "512", "34", "56"))
    assert not written_like_a_phone(("225", "1234", "56"))


def test_answers_are_cached_per_run():
    written_like_a_phone.cache_clear()
    for _ in range(3):
        written_like_a_phone(("478", "2210"))
    assert written_like_a_phone.cache_info().hits == 2


def test_international_numbers_need_a_country_code_and_a_possible_length():
    assert possible_international("41313805521")
    assert not possible_international("0012334455")
