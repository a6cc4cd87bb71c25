"""``keep``: pass the value through unchanged (business columns, surrogate keys)."""

from __future__ import annotations

from typing import Any

from sanitizer.mask.operators.base import ALL_KINDS, MaskContext, Operator


class Keep(Operator):
    name = "keep"
    summary = "Copy the value unchanged (ids, statuses, amounts: anything not sensitive)."
    example = "plan: keep"
    kinds = ALL_KINDS
    unique_capable = True  # identity keeps distinct values distinct
    changes_values = False
    strength = 0

    def mask_values(self, values: list[Any], ctx: MaskContext) -> list[Any]:
        return values
