"""The operator reference (docs/operators.md), generated from the operators' own definitions.

Each operator class carries its ``name``, ``summary`` and ``example``, and each fake kind its
docstring; rendering the page from them keeps the reference from drifting away from the code.
``python -m sanitizer.docs`` (or ``make docs``) rewrites the page; ``--check`` only compares.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sanitizer.mask.fakes import FAKES, UNIQUE_KINDS
from sanitizer.mask.operators import OPERATORS
from sanitizer.mask.operators.base import Operator
from sanitizer.mask.operators.hash import MIN_UNIQUE_LENGTH

OPERATORS_PAGE = Path(__file__).resolve().parent.parent / "docs" / "operators.md"
REGENERATE = "make docs (or: python -m sanitizer.docs)"

_HEADER = f"""# Operators

<!-- Generated from the operators' own name, summary and example (and the fake kinds'
docstrings). Do not edit by hand: run `{REGENERATE}`. -->

A rule names one operator per field, in a rule file (see [rules.md](rules.md)). `sanitize
operators` prints the names, summaries and examples. The "unique" column says whether a rule
with the operator can keep distinct values distinct (`unique: true`, under Modifiers).

| operator | example | what it does | unique |
|---|---|---|---|
"""

_SHAPE = """
Shape rules for every kind: NULL stays NULL, empty and whitespace-only values stay as they are,
surrounding whitespace is kept, an ALL-CAPS or all-lowercase original gives an ALL-CAPS or
all-lowercase fake, and values are trimmed to the column's declared length (an email cut
short stays on a reserved domain).
"""

_MODIFIERS = f"""
## Modifiers

- `unique: true` — distinct inputs always give distinct outputs (a rare collision is re-drawn
  deterministically). Allowed with the operators whose "unique" column says yes, `hash` with a
  length of at least {MIN_UNIQUE_LENGTH}, and the `fake` kinds marked "yes". A column with a
  unique constraint gets this automatically; a rule that cannot keep it unique is an error.
- `on_invalid: format | redact | null | keep` (`json` only) — what happens to a value that is
  not valid JSON. Default `format`: it is scrambled and stays malformed-looking.
"""


def _summary(text: str | None) -> str:
    """A docstring on one line, with Markdown code marks."""
    return " ".join((text or "").split()).replace("``", "`")


def _unique(cls: type[Operator]) -> str:
    """yes / no, or "some" when the answer depends on the rule's options (kind, length)."""
    if cls.can_be_unique is not Operator.can_be_unique:
        return "some"
    return "yes" if cls.unique_capable else "no"


def _operator_rows() -> list[str]:
    rows = []
    for name, cls in OPERATORS.items():
        text = f"{cls.summary} {_summary(cls.__doc__)}".strip()
        rows.append(f"| `{name}` | `{cls.example}` | {text} | {_unique(cls)} |")
    return rows


def _fake_rows() -> list[str]:
    rows = []
    for kind, function in FAKES.items():
        unique = "yes" if kind in UNIQUE_KINDS else "no"
        rows.append(f"| `{kind}` | {_summary(function.__doc__)} | {unique} |")
    return rows


def render_operators() -> str:
    """The whole of docs/operators.md, from the registry and the fake kinds."""
    fakes = "\n## `fake` kinds\n\n| kind | output | unique |\n|---|---|---|\n"
    return (
        _HEADER
        + "\n".join(_operator_rows())
        + "\n"
        + fakes
        + "\n".join(_fake_rows())
        + "\n"
        + _SHAPE
        + _MODIFIERS
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Regenerate docs/operators.md.")
    parser.add_argument("--check", action="store_true", help="exit 1 if the page is stale")
    args = parser.parse_args(argv)
    page = render_operators()
    current = OPERATORS_PAGE.read_text(encoding="utf-8") if OPERATORS_PAGE.exists() else ""
    if args.check:
        if current != page:
            print(f"{OPERATORS_PAGE} is stale: run {REGENERATE}", file=sys.stderr)
            return 1
        return 0
    OPERATORS_PAGE.parent.mkdir(parents=True, exist_ok=True)
    OPERATORS_PAGE.write_text(page, encoding="utf-8")
    print(f"wrote {OPERATORS_PAGE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
