"""One finding of our recognizers, named as Presidio names it and carrying the fake kind its
span takes (:mod:`sanitizer.mask.text.fake_kind`): a street line a street, a postcode its
shape, a birth date a shifted date."""

from __future__ import annotations

from presidio_analyzer import AnalysisExplanation, EntityRecognizer, RecognizerResult

from sanitizer.mask.text.fake_kind import FAKE_KIND


def kinded_result(
    recognizer: EntityRecognizer,
    entity: str,
    span: tuple[int, int],
    score: float,
    why: str,
    kind: str | None,
) -> RecognizerResult:
    """A result of ``recognizer`` for ``span``, explained by ``why``, replaced as ``kind``."""
    start, end = span
    explanation = AnalysisExplanation(
        recognizer=recognizer.name, original_score=score, textual_explanation=why
    )
    metadata = {
        RecognizerResult.RECOGNIZER_NAME_KEY: recognizer.name,
        RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: recognizer.id,
        FAKE_KIND: kind,
    }
    return RecognizerResult(entity, start, end, score, explanation, metadata)
