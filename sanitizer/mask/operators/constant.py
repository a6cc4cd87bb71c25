"""``constant``: one fixed value for every non-NULL row (disabled passwords, API tokens)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sanitizer.mask import ranges
from sanitizer.mask.operators.base import ALL_KINDS, MaskContext, Operator
from sanitizer.schema import BOOLEAN, DATE, DATETIME, DECIMAL, FLOAT, INTEGER, RANGE, ColumnInfo


class Constant(Operator):
    name = "constant"
    summary = "Replace every non-NULL value with the given constant."
    example = 'password_hash: {constant: "!staging-disabled"}'
    kinds = ALL_KINDS

    def configure(self, argument: Any) -> None:
        if argument is None or isinstance(argument, dict | list):
            raise self.invalid("needs a value", 'write {constant: "some value"}')

    def applies_to(self, column: ColumnInfo) -> bool:
        """The value must be of the column's type: the load would otherwise NULL or fail it."""
        value = self.argument
        if column.kind == INTEGER:
            return isinstance(value, int) and not isinstance(value, bool)
        if column.kind in (DECIMAL, FLOAT):
            return isinstance(value, int | float) and not isinstance(value, bool)
        if column.kind == BOOLEAN:
            return isinstance(value, bool)
        if column.kind in (DATE, DATETIME):
            return isinstance(value, dt.date)
        if column.kind == RANGE:  # PostgreSQL's text for the type: "[2024-01-01,)", "empty"
            return ranges.is_range_text(value, column)
        return super().applies_to(column)

    def label(self) -> str:
        return f"constant: {self.argument!r}"

    def mask_values(self, values: list[Any], ctx: MaskContext) -> list[Any]:
        return [self.argument] * len(values)
