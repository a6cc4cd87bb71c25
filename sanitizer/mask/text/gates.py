"""Cheap necessary conditions that let a recognizer skip a text it cannot match.

Presidio runs every recognizer's regular expressions over every text. Some of them can only
ever match when a character or a short sequence is present — an email needs an ``@`` (or a
written-out "at"), a URL needs a dot before a top-level domain — and a plain substring check
is far cheaper than their patterns. A gate must be implied by every pattern of its recognizer,
so gating never changes what is found (``tests/mask/text/test_gates.py`` holds them to it).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import wraps

from sanitizer.mask.text.recognizers.email_unusual import AT

_URL = re.compile(r"(?i)[a-z0-9.\-]\.[a-z]{2}")  # Presidio's URL patterns: "<label>.<tld>"
_WRITTEN_AT = re.compile(AT)  # the obfuscated-email pattern's "(at)" / " at " / " AT "

GATES: dict[str, Callable[[str], object]] = {
    "EmailRecognizer": lambda text: "@" in text,
    "UrlRecognizer": _URL.search,
    "UnusualEmailRecognizer": lambda text: "@" in text or _WRITTEN_AT.search(text),
}


def gate_recognizers(recognizers: list) -> None:
    """Give each recognizer with a known gate an ``analyze`` that checks the gate first."""
    for recognizer in recognizers:
        gate = GATES.get(type(recognizer).__name__)
        if gate is not None and not getattr(recognizer, "_sanitizer_gated", False):
            recognizer.analyze = _gated(recognizer.analyze, gate)
            recognizer._sanitizer_gated = True


def _gated(analyze: Callable, gate: Callable[[str], object]) -> Callable:
    @wraps(analyze)
    def run(text: str, *args, **kwargs):
        return analyze(text, *args, **kwargs) if gate(text) else []

    return run
