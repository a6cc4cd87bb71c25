"""Quasi-identifier replacements keep the span's shape, never return the span itself, and
depend only on the keyed digest."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

from hypothesis import given
from hypothesis import strategies as st

from sanitizer.mask.text.quasi_ids import replacements


def digest(seed: str) -> bytes:
    return hashlib.blake2b(seed.encode(), digest_size=32).digest()


def one(kind: str, span: str, seed: str = "k") -> str:
    return replacements(kind, [span], [digest(seed + span)])[0]


def test_a_parseable_date_moves_by_days_in_its_own_format():
    for span, fmt in [
        ("1991-04-27 04:43:49.584830", "%Y-%m-%d %H:%M:%S.%f"),
        ("5/25/1963", "%m/%d/%Y"),
        ("April 27, 1991", "%B %d, %Y"),
    ]:
        out = one("date_text", span)
        moved = dt.datetime.strptime(out, fmt) - dt.datetime.strptime(span, fmt)
        assert out != span and 1 <= abs(moved.days) <= 365


def test_an_unparseable_date_keeps_its_words_and_moves_its_numbers():
    out = one("date_text", "27th of Apr. 1991")
    assert re.fullmatch(r"\d\d(st|nd|rd|th) of Apr\. \d{4}", out) and out != "27th of Apr. 1991"
    assert re.fullmatch(r"June \d+(st|nd|rd|th)", one("date_text", "June 5th"))


def test_the_ordinal_suffix_follows_the_moved_day():
    for seed in "abcdefghij":
        day = re.match(r"\d+", one("date_text", "1st of Apr.", seed)).group()
        suffix = one("date_text", "1st of Apr.", seed)[len(day) : len(day) + 2]
        expected = {1: "st", 2: "nd", 3: "rd"}.get(int(day) % 10, "th")
        assert suffix == ("th" if 10 <= int(day) <= 20 else expected)


@given(st.times(), st.sampled_from(["%H:%M:%S", "%H:%M", "%I:%M %p"]), st.text(max_size=4))
def test_a_time_of_day_moves_by_minutes_in_its_own_format(time, fmt, seed):
    span = time.strftime(fmt).lstrip("0") if "%I" in fmt else time.strftime(fmt)
    out = one("date_text", span, seed)
    moved = dt.datetime.strptime(out, fmt) - dt.datetime.strptime(span, fmt)
    minutes = round(moved.total_seconds() / 60) % (24 * 60)
    assert out != span and (1 <= minutes <= 180 or 1 <= 24 * 60 - minutes <= 180)


def test_a_date_without_zero_padding_stays_without():
    for seed in "abcdefghij":
        assert re.fullmatch(r"[A-Z][a-z]+ [1-9]\d?", one("date_text", "April 5", seed))


def test_weekday_and_month_names_become_another_of_their_kind():
    assert one("date_text", "Monday") in {
        "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"
    }  # fmt: skip
    assert one("date_text", "MARCH").isupper() and one("date_text", "MARCH") != "MARCH"
    assert one("date_text", "yesterday") == "yesterday"  # nothing to move


@given(st.dates(min_value=dt.date(1801, 1, 1), max_value=dt.date(2199, 12, 31)), st.text())
def test_iso_dates_always_move_and_stay_iso(day, seed):
    span = day.isoformat()
    out = replacements("date_text", [span], [digest(seed)])[0]
    assert out != span and dt.date.fromisoformat(out)


@given(st.integers(min_value=0, max_value=120), st.text())
def test_ages_move_by_one_to_five_years_and_stay_positive(age, seed):
    out = int(replacements("age", [str(age)], [digest(seed)])[0])
    assert out != age and 1 <= abs(out - age) <= 5 and out >= 1


@given(st.integers(min_value=0, max_value=3), st.integers(min_value=0, max_value=9), st.text())
def test_a_childs_age_in_tenths_moves_and_keeps_one_tenth(years, tenth, seed):
    span = f"{years}.{tenth}"
    out = replacements("age", [span], [digest(seed)])[0]
    whole, _, fraction = out.partition(".")
    assert 1 <= abs(int(whole) - years) <= 5 and len(fraction) == 1 and out != span


def test_groups_and_honorifics_become_others_in_the_same_case_and_punctuation():
    assert one("group", "icelandic").islower() and one("group", "icelandic") != "icelandic"
    assert one("group", "Danish")[0].isupper() and one("group", "Danish") != "Danish"
    assert one("honorific", "Mr.").endswith(".") and one("honorific", "Mr.") != "Mr."
    assert not one("honorific", "Dr").endswith(".")


def test_the_same_span_and_digest_give_the_same_replacement():
    spans = ["2005", "63", "Icelandic", "Mrs."]
    for kind, span in zip(("date_text", "age", "group", "honorific"), spans, strict=True):
        assert one(kind, span, "a") == one(kind, span, "a")
