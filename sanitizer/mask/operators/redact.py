"""``redact``: hide the characters, keep the length and the whitespace.

For text nobody needs to read in staging but whose size matters (UI layout, truncation bugs).
"""

from __future__ import annotations

from typing import Any

from sanitizer.mask.operators.base import MaskContext, Operator


class Redact(Operator):
    """Length and whitespace are kept, so the text keeps its layout."""

    name = "redact"
    summary = "Replace every non-space character with a mask character ('*' by default)."
    example = "internal_notes: redact          # or {redact: {char: '#'}}"
    replaces_every_value = True

    def configure(self, argument: Any) -> None:
        self.char = "*"
        if isinstance(argument, dict):
            unknown = set(argument) - {"char"}
            if unknown:
                raise self.invalid(f"unknown option {sorted(unknown)[0]!r}", "use {char: '*'}")
            argument = argument.get("char", "*")
        if argument not in (None, True):
            if not isinstance(argument, str) or len(argument) != 1:
                raise self.invalid("char must be one character", "write {redact: {char: '#'}}")
            self.char = argument

    def label(self) -> str:
        return self.name if self.char == "*" else f"redact: {self.char}"

    def mask_values(self, values: list[Any], ctx: MaskContext) -> list[Any]:
        char = self.char
        return ["".join(ch if ch.isspace() else char for ch in str(v)) for v in values]
