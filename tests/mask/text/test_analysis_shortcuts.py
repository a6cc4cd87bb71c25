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


@pytest.mark.parametrize("text", TEXTS)
def test_grouping_by_recognizer_gives_presidios_results_in_presidios_order(engine, text):
    from presidio_analyzer import AnalyzerEngine

    def analyze(method):
        doc = engine.nlp_engine.nlp[NLP.language](text)
        artifacts = _artifacts(engine.nlp_engine, doc, NLP.language)
        original = engine._enhance_using_context
        engine._enhance_using_context = method.__get__(engine)
        try:
            found = engine.analyze(
                text=text, language=NLP.language, nlp_artifacts=artifacts, score_threshold=0.0
            )
        finally:
            engine._enhance_using_context = original
        return [(r.start, r.end, r.entity_type, r.score) for r in found]

    presidios = AnalyzerEngine._enhance_using_context
    assert analyze(type(engine)._enhance_using_context) == analyze(presidios)


def test_a_recognizer_that_enhances_its_own_results_gets_presidios_loop(engine):
    from presidio_analyzer import Pattern, PatternRecognizer

    class Boosting(PatternRecognizer):
        def enhance_using_context(self, text, raw_recognizer_results, *args, **kwargs):
            for result in raw_recognizer_results:
                result.score = 0.99
            return raw_recognizer_results

    boosting = Boosting("TICKET", patterns=[Pattern("ticket", r"TCK-\d+", 0.1)])
    text = "see TCK-1234"
    artifacts = _artifacts(
        engine.nlp_engine, engine.nlp_engine.nlp[NLP.language](text), NLP.language
    )
    raw = boosting.analyze(text, ["TICKET"], artifacts)
    out = engine._enhance_using_context(
        text, raw, artifacts, [*engine.registry.recognizers, boosting]
    )
    assert [r.score for r in out if r.entity_type == "TICKET"] == [0.99]
