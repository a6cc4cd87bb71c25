"""``constant``: one fixed value for every non-NULL row (disabled passwords, API tokens)."""

from __future__ import annotations

from typing import Any

from sanitizer.mask.operators.base import ALL_KINDS, MaskContext, Operator


class Constant(Operator):
    name = "constant"
    summary = "Replace every non-NULL value with the given constant."
    example = 'password_hash: {constant: "!staging-disabled"}'
    kinds = ALL_KINDS

    def configure(self, argument: Any) -> None:
        if argument is None or isinstance(argument, dict | list):
            raise self.invalid("needs a value", 'write {constant: "some value"}')

    def label(self) -> str:
        return f"constant: {self.argument!r}"

    def mask_values(self, values: list[Any], ctx: MaskContext) -> list[Any]:
        return [self.argument] * len(values)
