"""The labeled corpus behind the text benchmark: reproducible, and its labels are honest."""

from __future__ import annotations

import importlib.util
import re
import sqlite3
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _load_corpus_module():
    if "text_corpus" in sys.modules:
        return sys.modules["text_corpus"]
    spec = importlib.util.spec_from_file_location(
        "text_corpus", ROOT / "benchmarks" / "text_corpus.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules["text_corpus"] = module  # dataclasses look their module up while being built
    spec.loader.exec_module(module)
    return module


tc = _load_corpus_module()
WORD = re.compile(r"\w+")


@pytest.fixture(scope="module")
def corpus():
    return tc.build_corpus(2000)


def test_same_seed_same_corpus_and_prefix_stable():
    first = tc.build_corpus(150, seed=5)
    assert first == tc.build_corpus(150, seed=5)
    assert first[:40] == tc.build_corpus(40, seed=5)
    assert [d.text for d in first] != [d.text for d in tc.build_corpus(150, seed=6)]


def test_ids_are_unique_and_start_at_one(corpus):
    assert [d.id for d in corpus] == list(range(1, len(corpus) + 1))


def test_every_planted_value_occurs_verbatim(corpus):
    for doc in corpus:
        assert doc.pii, doc.id
        for entity, value in doc.pii:
            assert entity in tc.ENTITY_TYPES
            assert value and value in doc.text, (doc.id, entity, value)


def test_every_entity_type_occurs(corpus):
    counts = {entity: 0 for entity in tc.ENTITY_TYPES}
    for doc in corpus:
        for entity, _ in doc.pii:
            counts[entity] += 1
    assert all(count >= 20 for count in counts.values()), counts


def test_no_pii_value_outside_the_planted_spans(corpus):
    """So a value found in the output can only be a leak, not template text."""
    for doc in corpus:
        rest = doc.text
        for _, value in sorted(doc.pii, key=lambda p: -len(p[1])):
            rest = rest.replace(value, "\x00")
        for entity, value in doc.pii:
            assert value.lower() not in rest.lower(), (doc.id, entity, value)


def test_ordinary_words_occur_and_are_not_pii(corpus):
    total = 0
    for doc in corpus:
        tokens = set(WORD.findall(doc.text))
        pii_tokens = {t.lower() for _, value in doc.pii for t in WORD.findall(value)}
        for word in doc.words:
            assert word in tokens, (doc.id, word)
            assert word.lower() not in pii_tokens, (doc.id, word)
            assert not any(word.lower() in value.lower() for _, value in doc.pii), (doc.id, word)
        total += len(doc.words)
    assert total / len(corpus) >= 8


def test_non_pii_values_occur(corpus):
    kinds = {kind for doc in corpus for kind, _ in doc.keep}
    assert {"order", "ticket", "uuid", "date", "amount", "product", "company"} <= kinds
    for doc in corpus:
        for _, value in doc.keep:
            assert value in doc.text


def test_at_least_40_templates_are_used(corpus):
    used = {name for doc in corpus for name in doc.templates}
    assert len(used) >= 40
    assert len(tc.TEMPLATES) >= 40


def test_cards_pass_luhn_and_ibans_their_checksum(corpus):
    for doc in corpus:
        for entity, value in doc.pii:
            if entity == "CREDIT_CARD":
                assert tc.luhn_valid(value), value
            elif entity == "IBAN_CODE":
                compact = value.replace(" ", "")
                moved = compact[4:] + compact[:4]
                assert int("".join(str(int(c, 36)) for c in moved)) % 97 == 1, value


def test_messy_formats_are_present(corpus):
    text = "\n".join(doc.text for doc in corpus)
    assert re.search(r"\+55 \(\d\d\) \d{4}-\d{4}", text)  # +55 (12) 3923-5555
    assert re.search(r"\(\d{3}\) \d{3}-\d{4} x\d+", text)  # (555) 010-4477 x12
    assert re.search(r"\b\d{3}\.\d{3}\.\d{4}\b", text)  # 555.010.4477
    assert re.search(r"\b\d{4}-\d{4}-\d{4}-\d{4}\b", text)  # dashed card
    assert re.search(r"[A-Z]{2}\d\d(?: [A-Z0-9]{4}){4}", text)  # spaced IBAN
    assert re.search(r"@[\w.-]+\.(?:museum|co\.uk|io|tech)\b", text)
    assert re.search(r"\w\+\w+@", text)  # plus-addressing
    assert re.search(r"[\u3040-\u30ff]", text) and re.search(r"[\u0600-\u06ff]", text)
    assert any(
        value == value.lower() and entity == "PERSON"
        for doc in corpus
        for entity, value in doc.pii
        if value.isalpha() and value.isascii()
    )


def test_write_sqlite_round_trips(tmp_path):
    docs = tc.build_corpus(25)
    path = tmp_path / "docs.db"
    tc.write_sqlite(docs, path)
    tc.write_sqlite(docs, path)  # replaces, does not append
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT id, body FROM docs ORDER BY id").fetchall()
    assert rows == [(d.id, d.text) for d in docs]
