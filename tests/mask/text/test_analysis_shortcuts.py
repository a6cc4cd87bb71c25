"""The analysis loop's shortcuts give exactly what Presidio's own path gives."""

from __future__ import annotations

import pytest

from sanitizer.config.settings import NlpSettings
from sanitizer.mask.text.detector import _artifacts, _cue_possible, analyzer_for

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


# weak findings (below the threshold) with and without a context word around them
WEAK = [
    "my address is 742 evergreen terrace, call 912 345 678",  # cues: address, call
    "we walked past 55 main st, then 912 345 678 more steps",  # no cue
    "Teléfono: 912 345 678",  # a cue outside ASCII
    "ΟΔΟΣ Ερμού: 912 345 678, 55 main st",  # a capital sigma lowercases by context
]


def _weak(engine, text):
    """What the recognizers find below the threshold, before any context word is counted,
    with the artifacts and recognizers the enhancer is given."""
    from presidio_analyzer import RecognizerResult

    doc = engine.nlp_engine.nlp[NLP.language](text)
    artifacts = _artifacts(engine.nlp_engine, doc, NLP.language)
    recognizers = engine.registry.get_recognizers(language=NLP.language, all_fields=True)
    weak = []
    for recognizer in recognizers:
        for r in recognizer.analyze(text, recognizer.supported_entities, artifacts) or []:
            r.recognition_metadata = r.recognition_metadata or {}
            r.recognition_metadata[RecognizerResult.RECOGNIZER_IDENTIFIER_KEY] = recognizer.id
            if r.score < NLP.score_threshold:
                weak.append(r)
    assert weak, "the examples must have weak findings, or the shortcut is never tried"
    return weak, artifacts, recognizers


@pytest.mark.parametrize("text", WEAK)
def test_the_enhancer_shortcut_scores_as_presidios_enhancer(engine, text):
    from presidio_analyzer.context_aware_enhancers import LemmaContextAwareEnhancer

    weak, artifacts, recognizers = _weak(engine, text)

    def scores(results):
        return sorted((r.start, r.end, r.entity_type, r.score) for r in results)

    ours = engine.context_aware_enhancer.enhance_using_context(text, weak, artifacts, recognizers)
    presidios = LemmaContextAwareEnhancer().enhance_using_context(
        text, weak, artifacts, recognizers
    )
    assert scores(ours) == scores(presidios)


def test_the_enhancer_is_skipped_only_without_a_cue(engine):
    quiet = "we walked past 55 main st, then 912 345 678 more steps"
    weak, _, recognizers = _weak(engine, quiet)
    assert not _cue_possible(quiet, weak, recognizers)
    cued = "my address is 742 evergreen terrace"
    weak, _, recognizers = _weak(engine, cued)
    assert _cue_possible(cued, weak, recognizers)
    raised = LemmaContextAwareEnhancer_scores(engine, cued)
    assert any(score >= NLP.score_threshold for score in raised)  # the cue did count


def LemmaContextAwareEnhancer_scores(engine, text):
    from presidio_analyzer.context_aware_enhancers import LemmaContextAwareEnhancer

    weak, artifacts, recognizers = _weak(engine, text)
    enhanced = LemmaContextAwareEnhancer().enhance_using_context(text, weak, artifacts, recognizers)
    return [r.score for r in enhanced]


def test_remembered_lookups_answer_as_presidios_registry(engine):
    from presidio_analyzer import PatternRecognizer
    from presidio_analyzer.recognizer_registry import RecognizerRegistry

    registry = engine.registry
    fresh = RecognizerRegistry.get_recognizers
    for entities in (["PERSON"], ["PHONE_NUMBER", "LOCATION"], None):
        asked = {"language": NLP.language, "entities": entities, "all_fields": entities is None}
        assert registry.get_recognizers(**asked) == fresh(registry, **asked)
        assert registry.get_recognizers(**asked) == fresh(registry, **asked)  # remembered
    extra = PatternRecognizer(supported_entity="PERSON", deny_list=["Zyx"], name="Extra")
    registry.recognizers.append(extra)
    try:
        assert extra in registry.get_recognizers(language=NLP.language, entities=["PERSON"])
    finally:
        registry.recognizers.remove(extra)
    assert extra not in registry.get_recognizers(language=NLP.language, entities=["PERSON"])
