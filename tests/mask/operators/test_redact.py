"""``redact``: every non-space character hidden, length and whitespace kept."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sanitizer.config.yamlfile import Location
from sanitizer.errors import ConfigError
from sanitizer.mask.operators import parse_rule

WHERE = Location("rules/app.yaml", 9)

CASES = [
    # (rule, input, expected)
    ("redact", "Jane Doe", "**** ***"),
    ("redact", "  padded  ", "  ******  "),
    ("redact", "line one\nline\ttwo", "**** ***\n****\t***"),
    ("redact", "José Müller", "**** ******"),
    ("redact", "山田 太郎", "** **"),
    ({"redact": {"char": "#"}}, "a-b c", "### #"),
    ({"redact": "x"}, "secret", "xxxxxx"),
    ({"redact": None}, "ab", "**"),
    ("redact", 12345, "*****"),
]


@pytest.mark.parametrize(("rule", "value", "expected"), CASES)
def test_redact_cases(mask_one, rule, value, expected):
    assert mask_one(rule, value) == expected


@given(st.text(min_size=1))
def test_redact_keeps_length_and_whitespace_and_hides_the_rest(mask_one, text):
    out = mask_one("redact", text)
    assert len(out) == len(text)
    for before, after in zip(text, out, strict=True):
        assert after == (before if before.isspace() else "*")


def test_redact_labels():
    assert parse_rule("redact", WHERE).label() == "redact"
    assert parse_rule({"redact": {"char": "#"}}, WHERE).label() == "redact: #"


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"redact": {"char": "##"}}, "char must be one character"),
        ({"redact": {"char": 2}}, "char must be one character"),
        ({"redact": 7}, "char must be one character"),
        ({"redact": {"colour": "#"}}, "unknown option 'colour'"),
    ],
)
def test_redact_rejects_bad_options_with_file_and_line(spec, message):
    with pytest.raises(ConfigError, match=rf"rules/app\.yaml:9: redact: {message}"):
        parse_rule(spec, WHERE)


def test_redact_cannot_be_unique():
    with pytest.raises(ConfigError, match=r"rules/app\.yaml:9: redact cannot guarantee distinct"):
        parse_rule({"redact": None, "unique": True}, WHERE)
