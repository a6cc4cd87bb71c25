"""The leak index: a tracked production value is found wherever it lands as whole words."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from sanitizer.verify.leaks import LeakIndex, LeakReport, trackable, words

KEY = b"verify-test-key-0123456789abcdef"
VALUES = ["jane.doe@corp.com", "Jane Doe", "+1 (415) 555-0132", "DE89370400440532013000",
          "Hauptstraße 5, 10115 Berlin", "078-05-1120"]  # fmt: skip


@pytest.fixture(scope="module")
def index() -> LeakIndex:
    built = LeakIndex(KEY)
    built.add_all([*VALUES, None, 42])
    return built


@pytest.mark.parametrize(
    "text",
    [
        "mail JANE.DOE@corp.com today",
        "Hi jane doe, thanks!",
        "call +1 415 555-0132 (cell)",
        '{"iban": "DE89370400440532013000"}',
        "ship to: hauptstraße 5, 10115 berlin",
        "ssn 078-05-1120.",
    ],
)
def test_a_tracked_value_is_found_inside_any_text(index, text):
    assert index.found_in(text)


@pytest.mark.parametrize(
    "text",
    [
        "jane.doe@corp.co",  # a different address
        "Jane Doerr",  # a different name
        "Jane, Doe",  # punctuation between words is fine, but…
        "+1 415 555-0133",
        "",
    ],
)
def test_other_values_are_not_hits(index, text):
    if text == "Jane, Doe":
        assert index.found_in(text)  # …words are compared, so this one counts
    else:
        assert not index.found_in(text)


@pytest.mark.parametrize("value", ["Paris", "12", "ab cd", "London", "1234", "Gabrielle"])
def test_values_too_short_or_common_are_not_tracked(value):
    assert not trackable(words(value))


def test_the_index_holds_digests_only(index):
    assert index.values.values().dtype == np.int64  # 64-bit digests, 8 bytes a value
    assert len(index) == len(VALUES)


def test_a_different_key_gives_different_digests(index):
    other = LeakIndex(b"another-key-0123456789abcdef0000")
    other.add_all(VALUES)
    digests = set(index.values.values().tolist())
    assert set(other.values.values().tolist()).isdisjoint(digests)


@settings(max_examples=200, deadline=None)
@given(
    value=st.from_regex(r"[A-Za-z]{3,9}( [A-Za-z]{3,9}){1,3}", fullmatch=True),
    before=st.text(max_size=40),
    after=st.text(max_size=40),
)
def test_found_with_any_text_around_it(value, before, after):
    index = LeakIndex(KEY)
    assume(index.add(value))  # "Joe Joe": every word a fake's, so not tracked (by design)
    text = f"{before} {value.upper()} {after}"
    assert index.found_in(text)


def test_the_report_names_places_not_values(index):
    report = LeakReport()
    report.check(index, "app.messages.body", "id=7", "write to jane.doe@corp.com")
    report.check(index, "app.messages.body", "id=8", "nothing here")
    assert report.total == 1 and report.scanned == 2
    assert report.describe() == (
        "1 staging value(s) hold a production value: app.messages.body (id=7)"
    )
    assert "jane" not in report.describe()


@pytest.mark.parametrize("value", ["203.0.113.240", "198.51.100.7", "2001:db8:1a:2b::3c"])
def test_addresses_a_fake_ip_can_be_are_not_tracked(value):
    """Fake IPs come from a few documentation networks: a production address there proves
    nothing when found in staging."""
    assert not LeakIndex(KEY).add(value)
    assert LeakIndex(KEY).add("81.2.69.160")


def test_one_word_values_keep_no_first_word_digest():
    built = LeakIndex(KEY)
    built.add_all(["jane.doe@corp.com", "DE89370400440532013000", "Jane Doe"])
    assert len(built) == 3
    assert len(built.firsts) == 1  # "jane", of "Jane Doe" only: the others are one word
    assert built.found_in("to JANE.DOE@corp.com") and built.found_in("iban DE89370400440532013000")
    assert built.found_in("jane doe") and not built.found_in("jane smith")
    text = "jane doe and jane.doe@corp.com"
    assert [text[s:e] for s, e, _ in built.find(text)] == ["jane doe", "jane.doe@corp.com"]


MIXED = st.lists(
    st.sampled_from(["ab12cd34", "zx99yy00", "qq11", "anna", "berg", "x9"]), max_size=9
)


@given(st.lists(st.lists(st.sampled_from(["ab12cd34", "zx99yy00", "anna", "berg"]), min_size=1,
                         max_size=3), max_size=6), st.lists(MIXED, max_size=8))  # fmt: skip
@settings(max_examples=200, deadline=None)
def test_found_in_many_and_find_match_every_window_of_words(values, texts):
    """One-word and longer values together: a text is a hit exactly when some run of its
    words is a tracked value (the first-word filter, now only for longer values, loses none)."""
    built = LeakIndex(KEY)
    tracked = {tuple(v) for v in values if built.add(" ".join(v))}  # False: not worth it
    joined = [" ".join(t) for t in texts]
    expected = [
        any(tuple(t[i : i + n]) in tracked for n in range(1, len(t) + 1) for i in range(len(t)))
        for t in texts
    ]
    assert built.found_in_many(joined).tolist() == expected
    assert [bool(built.find(text)) for text in joined] == expected
