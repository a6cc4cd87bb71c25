"""docs/operators.md is generated from the operators' own definitions and must not go stale."""

from __future__ import annotations

from sanitizer.docs import OPERATORS_PAGE, REGENERATE, render_operators
from sanitizer.mask.fakes import FAKES
from sanitizer.mask.operators import OPERATORS


def test_operators_page_matches_the_operators() -> None:
    current = OPERATORS_PAGE.read_text(encoding="utf-8")
    assert current == render_operators(), f"docs/operators.md is stale: run {REGENERATE}"


def test_every_operator_and_fake_kind_is_described() -> None:
    page = render_operators()
    for name, cls in OPERATORS.items():
        assert cls.summary.strip() and cls.example.strip(), name
        assert f"| `{name}` | `{cls.example}` | {cls.summary}" in page
    for kind, function in FAKES.items():
        assert (function.__doc__ or "").strip(), f"fake kind {kind!r} has no docstring"
        assert f"| `{kind}` | " in page
