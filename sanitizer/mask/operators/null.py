"""``null``: replace every value with NULL (a nullable column the staging apps never need)."""

from __future__ import annotations

from typing import Any

import polars as pl

from sanitizer.mask.operators.base import ALL_KINDS, MaskContext, Operator


class Null(Operator):
    name = "null"
    summary = "Replace every value with NULL (nullable columns only)."
    example = "legacy_notes: null"
    kinds = ALL_KINDS

    def mask_values(self, values: list[Any], ctx: MaskContext) -> list[Any]:
        return [None] * len(values)

    def mask_whole(self, series: pl.Series) -> pl.Series:
        """Every row becomes NULL, blanks included: nothing of the original remains."""
        return pl.Series(series.name, [None] * series.len(), dtype=series.dtype)
