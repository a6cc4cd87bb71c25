"""Custom recognizers declared in YAML under ``rules/recognizers/``, built for Presidio.

The files are checked (file:line errors) when sanitize.yaml is read, in
``config/recognizers.py``; this module turns their entries into Presidio recognizers.
"""

from __future__ import annotations

from typing import Any

from sanitizer.config.recognizers import recognizer_entries


def load_recognizers(path: str, language: str) -> list[Any]:
    """Validate one file and build its Presidio recognizers."""
    from presidio_analyzer import Pattern, PatternRecognizer

    recognizers = []
    for entry in recognizer_entries(path):
        patterns = [
            Pattern(p["name"], p["regex"], float(p["score"])) for p in entry.get("patterns") or []
        ]
        recognizers.append(
            PatternRecognizer(
                supported_entity=entry["supported_entity"],
                name=entry.get("name", entry["supported_entity"]),
                supported_language=entry.get("supported_language", language),
                patterns=patterns or None,
                deny_list=entry.get("deny_list") or None,
                context=entry.get("context") or None,
            )
        )
    return recognizers
