"""scrubadub's JSONL lines become labeled documents (no scrubadub needed: hand-written lines)."""

from __future__ import annotations

import json
import sys

import pytest


@pytest.fixture(scope="module")
def sc(bench_module):
    return bench_module("scrubadub_corpus")


def line(text: str, filth: list[list[str]], **extra) -> str:
    row = {"i": 6, "locale": "de_DE", "seed": 6, "text": text, "filth": filth, **extra}
    return json.dumps(row)


def test_spans_entities_words_and_separators(sc):
    text = (
        "Haus Baum Jana Weber.\nRuf +49 30 1234567 an.\n"
        "Mail jana@example.org oder Jana Weber, 10115 Berlin."
    )
    filth = [
        ["Jana Weber", "name"],
        ["+49 30 1234567", "phone"],
        ["jana@example.org", "email"],
        ["Jana Weber", "name"],
        ["10115", "postalcode"],
    ]
    doc = sc.doc_from_line(line(text, filth))
    assert doc.id == 7 and doc.source == "de_DE#6"
    first, second = text.find("Jana Weber"), text.rfind("Jana Weber")
    assert first != second
    assert [(s, e) for s, e, _, v in doc.spans if v == "Jana Weber"] == [
        (first, first + 10),
        (second, second + 10),
    ]
    assert all(text[s:e] == v for s, e, _, v in doc.spans)
    assert [e for _, _, e, _ in doc.spans] == [
        "PERSON",
        "PHONE_NUMBER",
        "EMAIL_ADDRESS",
        "PERSON",
        "ZIP_CODE",
    ]
    assert doc.words == ["Haus", "Baum", "Ruf", "an", "Mail", "oder", "Berlin"]
    assert doc.separators == ["\n", "\n"]


def test_every_filth_type_has_an_entity(sc):
    types = ["address", "twitter", "social_security_number", "url"]
    values = ["Hauptstr. 5", "@jana", "123-45-6789", "https://x.de/"]
    text = " und ".join(values)
    doc = sc.doc_from_line(line(text, [[v, t] for v, t in zip(values, types, strict=True)]))
    assert [e for _, _, e, _ in doc.spans] == ["STREET_ADDRESS", "USERNAME", "US_SSN", "URL"]


def test_out_of_order_value_is_found_outside_taken_spans(sc):
    text = "Tom Ek rief Tom Ek an, dann Ana Li."
    doc = sc.doc_from_line(line(text, [["Tom Ek", "name"], ["Ana Li", "name"], ["Tom Ek", "name"]]))
    assert [(s, v) for s, _, _, v in doc.spans] == [(0, "Tom Ek"), (12, "Tom Ek"), (28, "Ana Li")]


def test_a_document_scrubadub_could_not_make_is_skipped(sc):
    failed = {"i": 3, "locale": "xx_XX", "seed": 3, "error": "AttributeError: no provider"}
    assert sc.doc_from_line(json.dumps(failed)) is None


def test_offline_venv_names_the_commands(sc, tmp_path, monkeypatch):
    monkeypatch.setattr(sc, "VENV", tmp_path / "venv")
    monkeypatch.setattr(sc, "CACHE", tmp_path)
    monkeypatch.setattr(
        sc, "setup_commands", lambda: [[sys.executable, "-c", "raise SystemExit(1)", "x"]]
    )
    with pytest.raises(sc.CorpusUnavailable, match="Run these where PyPI is reachable"):
        sc.ensure_venv()


def test_cached_corpus_is_extended_not_regenerated(sc, tmp_path, monkeypatch):
    asked = []

    def generate(split, start, n):
        asked.append((start, n))
        return [line(f"Wort {i}.", [], i=i) for i in range(start, start + n)]

    monkeypatch.setattr(sc, "CACHE", tmp_path)
    monkeypatch.setattr(sc, "generate", generate)
    assert len(sc.jsonl_lines("dev", 3)) == 3
    assert [json.loads(x)["i"] for x in sc.jsonl_lines("dev", 5)] == [0, 1, 2, 3, 4]
    assert len(sc.jsonl_lines("dev", 2)) == 2
    assert asked == [(0, 3), (3, 2)]
    docs, failed = sc.build_corpus("dev", 4)
    assert [d.id for d in docs] == [1, 2, 3, 4] and failed == 0
