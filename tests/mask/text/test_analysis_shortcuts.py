"""The analysis loop's shortcuts give exactly what Presidio's own path gives."""

from __future__ import annotations

import pytest

from sanitizer.config.settings import NlpSettings
from sanitizer.mask.text.detector import _artifacts, analyzer_for

NLP = NlpSettings()
TEXTS = [
    "Hi, I'm Maria Lopez. My SSN is 078 05 1120 and my phone: 212-555-0134.",
    "Ship to 221B Baker Street, London; account 12345678, card 4111 1111 1111 1111.",
    "ok thanks, bye",
    "",
]


@pytest.fixture(scope="module")
def engine():
    return analyzer_for(NLP)


@pytest.mark.parametrize("text", TEXTS)
def test_lazy_artifacts_equal_presidios(engine, text):
    doc = engine.nlp_engine.nlp[NLP.language](text)
    ours = _artifacts(engine.nlp_engine, doc, NLP.language)
    theirs = engine.nlp_engine._doc_to_nlp_artifact(doc, NLP.language)
    assert [(e.start_char, e.end_char, e.label_) for e in ours.entities] == [
        (e.start_char, e.end_char, e.label_) for e in theirs.entities
    ]
    assert ours.scores == theirs.scores
    assert ours.lemmas == theirs.lemmas
    assert ours.tokens_indices == theirs.tokens_indices
    assert ours.keywords == theirs.keywords
    assert ours  # SpacyRecognizer skips falsy artifacts


@pytest.mark.parametrize("text", TEXTS)
def test_analysis_with_lazy_artifacts_finds_the_same(engine, text):
    doc = engine.nlp_engine.nlp[NLP.language](text)

    def analyze(artifacts):
        found = engine.analyze(
            text=text, language=NLP.language, nlp_artifacts=artifacts, score_threshold=0.0
        )
        return sorted((r.start, r.end, r.entity_type, r.score) for r in found)

    lazy = _artifacts(engine.nlp_engine, doc, NLP.language)
    assert analyze(lazy) == analyze(engine.nlp_engine._doc_to_nlp_artifact(doc, NLP.language))
