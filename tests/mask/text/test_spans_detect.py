"""Masking through ``detect`` leaves every separator and label of the input in place.

Texts are built from field labels, separators (real and literal line breaks and tabs, markup)
and personal data made by Faker in a few locales; whatever the recognizers find, the output
holds every separator and label of the input, in order, and no finding shares a character
with one. Runs the real analyzer (the spaCy model is loaded once per process).
"""

from __future__ import annotations

import re

from faker import Faker
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from sanitizer.config.settings import NlpSettings
from sanitizer.mask.text.detector import find_all

SEPARATORS = [
    "\n",
    "\r\n",
    "\t",
    "\n\n",
    "\\n",
    "\\t",
    "\\r\\n",
    "\\n\\n",
    "<br/>",
    "<br />",
    "</p><p>",
    "<b>",
    "</b>",
    "&nbsp;",
    "**",
    " | ",
]
LABELS = [
    "Name:",
    "Phone:",
    "E-mail:",
    "Email:",
    "Address:",
    "Mobile:",
    "Fax:",
    "Desk:",
    "Website:",
    "Tel.:",
    "first_name:",
    "Contact:",
    "ZIP:",
    "User:",
    "Personal Info:",
]


def _values() -> list[str]:
    fake = Faker(["en_US", "de_DE", "pl_PL", "es_ES"])
    fake.seed_instance(13)
    makers = [fake.name, fake.email, fake.phone_number, fake.street_address, fake.address]
    return [make() for make in makers for _ in range(25)]


VALUES = _values()
FIELD = st.tuples(
    st.one_of(st.none(), st.sampled_from(LABELS)),
    st.sampled_from(["", " ", "\\n", "\n", "\t"]),  # between the label and its value
    st.sampled_from(VALUES),
    st.sampled_from([*SEPARATORS, " "]),  # after the value (a space: the next label follows)
)


def build(fields: list[tuple[str | None, str, str, str]]) -> tuple[str, list[tuple[int, int]]]:
    """The text, and where each separator and label of its structure is."""
    text, structure = "", []
    for label, gap, value, after in fields:
        if label:
            structure.append((len(text), len(text) + len(label)))
            text += label
            if gap.strip():
                structure.append((len(text), len(text) + len(gap)))
            text += gap
        text += value
        if after.strip():
            structure.append((len(text), len(text) + len(after)))
        text += after
    return text, structure


def in_order(text: str, pieces: list[str]) -> bool:
    position = 0
    for piece in pieces:
        position = text.find(piece, position)
        if position < 0:
            return False
        position += len(piece)
    return True


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(FIELD, min_size=1, max_size=5))
@example([("Name:", " ", "Eduard Kvarda", "\\n"), ("Phone:", " ", "961 52 200", "")])
@example([("E-mail:", "\\n", "Cinzia@x.com", "\\n"), ("Website:", "\\n", "x.example.com", "")])
def test_detect_keeps_every_separator_and_label(mask, fields):
    text, structure = build(fields)
    (findings,) = find_all([text], None, NlpSettings())
    for f in findings:
        assert all(f.end <= s or f.start >= e for s, e in structure), (text[f.start : f.end], text)
    out = mask("detect", [text])[0]
    pieces = [text[s:e] for s, e in structure]
    assert in_order(out, pieces), (text, out)


def test_the_issue_examples_keep_their_layout(mask):
    text = "Name: Eduard Kvarda\\nPhone: 961 52 200\\nE-mail:\\nCinzia@x.com"
    out = mask("detect", [text])[0]
    assert re.fullmatch(r"Name: .+\\nPhone: .+\\nE-mail:\\n[^\\\s]+@[^\\\s]+", out), out
    assert "Kvarda" not in out and "Cinzia" not in out
