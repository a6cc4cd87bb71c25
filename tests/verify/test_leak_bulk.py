"""The leak scan's bulk path (issue 16): many texts are cut into words by polars and their
words mapped to digests in one join. It must find exactly what the per-text path finds:
the same words in the same order (ASCII by Rust's engine, anything else by Python's ``re``),
the same digests, the same answer for every text."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
from helpers.tracked_index import index_holding
from hypothesis import given, settings
from hypothesis import strategies as st

from sanitizer.mask.fakes import _pool_words
from sanitizer.mask.text.known_values import words
from sanitizer.verify import leaks
from sanitizer.verify.leaks import BULK_CHARS, Digester, LeakIndex, text_words

PIECES = [
    "jane.doe@corp-mail.com", "Jane.Doe@Corp-Mail.com", "jane.doe@", "corp-mail.com", "Okonkwo",
    "Adebayo-Smith", "OKONKWO adebayo-smith", "DE89 3704", "0044 0532 0130 00", "o'neil",
    "a+b", "x_y", "__", "-", "--", ".", "@", "+", "'", "’", " ", "\t", "\n", "\r\n", ",", ";",
    "é", "É", "ß", "İ", "K", "ǅ", "١٢٣", "²", "\ud800", "Straße", "x", "42", "a.b.", ".a",
]  # fmt: skip
TEXTS = st.lists(st.sampled_from(PIECES), max_size=8).map("".join)
ANY_TEXT = st.one_of(TEXTS, st.text(max_size=12))


INDEX = index_holding(b"bulk-test-key")


@contextmanager
def every_call_in_bulk() -> Iterator[None]:
    """Inside, the index takes its bulk path however few characters it is given (a
    hypothesis test cannot use the function-scoped ``monkeypatch``)."""
    saved = leaks.BULK_CHARS
    leaks.BULK_CHARS = 0
    try:
        yield
    finally:
        leaks.BULK_CHARS = saved


@settings(max_examples=400, deadline=None)
@given(st.lists(ANY_TEXT, max_size=30))
def test_bulk_words_are_the_words_python_cuts(texts: list[str]) -> None:
    tokens, lengths = text_words(texts)
    expected = [words(text) for text in texts]
    assert lengths.tolist() == [len(w) for w in expected]
    assert tokens.to_list() == [w for ws in expected for w in ws]


@settings(max_examples=200, deadline=None)
@given(st.lists(ANY_TEXT, max_size=30))
def test_bulk_digests_are_the_per_word_digests(texts: list[str]) -> None:
    tokens, _ = text_words(texts)
    digester = Digester(b"bulk-test-key")
    assert digester.series(tokens).tolist() == [digester.text(w) for w in tokens.to_list()]


@settings(max_examples=200, deadline=None)
@given(st.lists(ANY_TEXT, max_size=30))
def test_bulk_value_digests_are_each_values_digest(texts: list[str]) -> None:
    one_by_one = [INDEX.digest(text) for text in texts]
    with every_call_in_bulk():
        bulk = INDEX.digest_many(texts)
    assert bulk.dtype == np.int64 and bulk.tolist() == one_by_one


@settings(max_examples=300, deadline=None)
@given(st.lists(TEXTS, max_size=40))
def test_bulk_lookup_answers_as_text_by_text(texts: list[str]) -> None:
    one_by_one = [INDEX.found_in(text) for text in texts]  # short: Python's path
    with every_call_in_bulk():
        bulk = INDEX.found_in_many(texts).tolist()
    assert bulk == one_by_one


def test_a_long_chunk_takes_the_bulk_path_and_finds_the_leak() -> None:
    clean = [
        f"{n},Jane Roe,jane.roe{n}@example.com,+1 (555) 010-{n % 100:04d},pro,DE\r\n"
        for n in range(2000)
    ]
    texts = [
        *clean,
        "7,Okonkwo Adebayo-smith,x@example.com,,free,DE\r\n",
        "8,jane.doe@Corp-Mail.com",
    ]
    assert sum(map(len, texts)) >= BULK_CHARS
    found = INDEX.found_in_many(texts)
    assert np.flatnonzero(found).tolist() == [2000, 2001]


VALUE_PIECES = [
    "jane", "Doe", "jane.doe@corp-mail.com", "x@y", "192.0.2.7", "198.51.100.1", "2001", "db8",
    "1", "12", "123456", "ab12cdef", "a1b2", "Silva", "smith", "kimmouth", "Port", "ton",
    "south", "Tracy", "o'neil", "van", "der", "é", "Müller", "ß", "²²²²²²", "1234567", "-", " ",
    "  ", ".", ",", "@", "_", "’",
]  # fmt: skip
POOL, SUFFIXES = _pool_words()
# a pool word (a name), one with each city suffix ("aaronchester"), a suffix alone
POOL_WORDS = st.sampled_from(sorted(POOL)[:50]).flatmap(
    lambda word: st.sampled_from([word, word.title(), *(word + s for s in SUFFIXES)])
)
VALUES = st.lists(
    st.one_of(st.sampled_from(VALUE_PIECES), POOL_WORDS, st.sampled_from(SUFFIXES)), max_size=10
).map("".join)


NAMES = st.lists(POOL_WORDS, min_size=2, max_size=3).map(" ".join)  # could be fakes


def _state(index: LeakIndex) -> tuple[list[int], list[int], set[int]]:
    return index.values.values().tolist(), index.firsts.values().tolist(), set(index.sizes)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(VALUES, NAMES, st.text(max_size=14)), max_size=40))
def test_bulk_add_tracks_what_adding_one_by_one_tracks(values: list[str]) -> None:
    one_by_one, bulk = LeakIndex(b"bulk-test-key"), LeakIndex(b"bulk-test-key")
    expected = [one_by_one.add(value) for value in values]
    with every_call_in_bulk():
        taken = bulk.add_many(values).tolist()
    assert taken == expected
    assert _state(bulk) == _state(one_by_one)
    assert bulk._sizes == one_by_one._sizes


@settings(max_examples=200, deadline=None)
@given(st.lists(TEXTS, max_size=40), st.booleans())
def test_texts_vouched_for_are_found_as_without(texts: list[str], bulk: bool) -> None:
    expected = [INDEX.find(text) for text in texts]
    vouched = index_holding(b"bulk-test-key")
    if bulk:
        with every_call_in_bulk():
            vouched.vouch(texts)
    else:
        vouched.vouch(texts)
    assert [vouched.find(text) for text in texts] == expected


def test_a_change_to_the_index_forgets_what_was_vouched_for() -> None:
    index = index_holding(b"bulk-test-key")
    index.vouch(["mail Zanele Okafor-Brandt today"])
    assert index.find("mail Zanele Okafor-Brandt today") == []
    assert index.add("Zanele Okafor-Brandt")
    assert index.find("mail Zanele Okafor-Brandt today") == [(5, 25, "")]
