"""gitleaks' rules: the RE2 → Python translation, and the rules that load (none lost silently)."""

from __future__ import annotations

import re

import pytest

from sanitizer.mask.secrets.re2 import Untranslatable, translate
from sanitizer.mask.secrets.rules import compile_re2, entropy, ruleset, skipped

# Rules that are not loaded, and why: a change in the vendored file or the translator that drops
# a rule fails here until it is looked at.
EXPECTED_SKIPPED = {"pkcs12-file": "matches file paths only"}


def test_every_pattern_rule_translates_and_none_is_lost() -> None:
    rules = ruleset()
    assert skipped() == EXPECTED_SKIPPED
    assert len(rules.rules) >= 200
    # the vendored file's 222 rules and sanitizer's 12 (extra_rules.toml)
    assert len(rules.rules) + len(rules.skipped) == 222 + 12


@pytest.mark.parametrize(
    ("re2", "text", "matches"),
    [
        (r"\b(p8e-(?i)[a-z0-9]{4})\b", "p8e-AbC1", True),
        (r"\b(p8e-(?i)[a-z0-9]{4})\b", "P8E-abc1", False),  # the flag starts after p8e-
        (r"a(?i)b|c", "C", True),  # RE2: the flag runs on after | in the same group
        (r"a(?i)b|c", "aB", True),
        (r"(x(?i)y|z)w", "Zw", True),
        (r"(x(?i)y|z)W", "zw", False),  # ... but not past the group's end
        (r"pat[[:alnum:]]{3}", "patA1b", True),
        (r"end\z", "the end", True),
        (r"(?<year>\d{4})", "2026", True),
        (r"\x{41}", "A", True),
        (r"[a&&b]", "&", True),
        (r"(?i)\bkey(?-i:ID)", "KEYID", True),
        (r"(?i)\bkey(?-i:ID)", "keyid", False),
    ],
)
def test_translation_keeps_re2_meaning(re2: str, text: str, matches: bool) -> None:
    assert bool(compile_re2(re2).search(text)) is matches


@pytest.mark.parametrize("re2", [r"\p{L}+", r"(?U)a+", r"[[:^alpha:]]", r"(a"])
def test_untranslatable_patterns_are_refused(re2: str) -> None:
    with pytest.raises(Untranslatable):
        compile_re2(re2)


def test_translate_passes_plain_patterns_through() -> None:
    assert translate(r"(?i)\bAKIA[A-Z2-7]{16}\b") == r"(?i)\bAKIA[A-Z2-7]{16}\b"
    assert re.compile(translate(r"x(?i)y")).pattern == "x(?i:y)"


def test_entropy() -> None:
    assert entropy("") == 0
    assert entropy("aaaa") == 0
    assert entropy("abcd") == 2
