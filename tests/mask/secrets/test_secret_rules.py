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
    # the vendored file's 222 rules and sanitizer's 16 (extra_rules.toml)
    assert len(rules.rules) + len(rules.skipped) == 222 + 16


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


def test_lead_in_is_kept_for_the_allowlists() -> None:
    from sanitizer.mask.secrets import find_secrets

    # generic-api-key's allowlist reads the whole match: "primary_key" is a column name
    assert find_secrets("primary_key = abcdef1234567890XYZ") == []
    assert [h.rule for h in find_secrets("deploy_key = abcdef1234567890XYZ")] == ["generic-api-key"]


def test_a_megabyte_of_base64_is_read_in_seconds() -> None:
    import random
    import string
    import time

    from sanitizer.mask.secrets import find_secrets

    rng = random.Random(0)
    blob = "".join(rng.choice(string.ascii_letters + string.digits + "+/") for _ in range(10**6))
    started = time.process_time()
    find_secrets(blob)
    assert time.process_time() - started < 20  # 56 s before the lead-in was left out
