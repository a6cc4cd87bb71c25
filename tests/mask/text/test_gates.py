"""Gates skip recognizers on texts they cannot match — they must never hide a finding."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from presidio_analyzer.predefined_recognizers import EmailRecognizer, UrlRecognizer

from sanitizer.mask.text.gates import GATES, gate_recognizers
from sanitizer.mask.text.offline import use_offline_suffix_list
from sanitizer.mask.text.recognizers import UnusualEmailRecognizer

use_offline_suffix_list()
RECOGNIZERS = [EmailRecognizer(), UrlRecognizer(), UnusualEmailRecognizer()]

TEXTS = [
    "mail jane.doe@corp.com today",
    "see https://example.org/x?y=1 and www.shop.de",
    "plain text with no address at all",
    "write to jane dot doe at corp dot com",
    "mario(at)rossi.it or k.lee AT startup DOT ai",
    '"jane doe"@corp.com and user@192.168.0.1',
    "ops@svc.cluster.local",
    "Visit EXAMPLE.COM now",
    "version 1.2.3, file notes.txt, e.g. this",
]
# Pieces hypothesis glues together: the characters and words the patterns care about.
PIECES = st.sampled_from(
    ["@", ".", " at ", " AT ", "(at)", " dot ", "com", "de", "io", "jane", "doe", "x", "1",
     "-", "_", "https://", "www", " ", "\n", "é", "corp", "local"]
)  # fmt: skip


def found(recognizer, text: str) -> bool:
    return bool(recognizer.analyze(text, recognizer.supported_entities))


@pytest.mark.parametrize("recognizer", RECOGNIZERS, ids=lambda r: type(r).__name__)
@pytest.mark.parametrize("text", TEXTS)
def test_a_text_with_findings_always_passes_the_gate(recognizer, text):
    if found(recognizer, text):
        assert GATES[type(recognizer).__name__](text)


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, max_size=14).map("".join))
def test_gates_are_implied_by_every_pattern(text):
    for recognizer in RECOGNIZERS:
        if found(recognizer, text):
            assert GATES[type(recognizer).__name__](text), (type(recognizer).__name__, text)


def test_a_gated_recognizer_skips_texts_it_cannot_match_and_finds_the_rest():
    email, url = EmailRecognizer(), UrlRecognizer()
    gate_recognizers([email, url])
    assert email.analyze(text="no address here", entities=["EMAIL_ADDRESS"]) == []
    assert url.analyze(text="no link here", entities=["URL"]) == []
    hits = email.analyze(text="mail jane@corp.com", entities=["EMAIL_ADDRESS"])
    assert [(h.start, h.end) for h in hits] == [(5, 18)]


def test_gating_twice_wraps_once():
    email = EmailRecognizer()
    gate_recognizers([email])
    first = email.analyze
    gate_recognizers([email])
    assert email.analyze is first
