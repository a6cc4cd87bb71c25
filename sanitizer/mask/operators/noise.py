"""``noise``: multiply numbers by a keyed factor in [1-ratio, 1+ratio] (amounts, counters).

Integers stay integers, decimals keep their scale and fit their precision, zero stays zero.
On PostgreSQL integer and numeric ranges (and multiranges) every bound of a value is multiplied
by its first bound's factor (sanitizer/mask/ranges.py).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sanitizer.mask import ranges
from sanitizer.mask.operators.base import MaskContext, Operator
from sanitizer.mask.pseudonyms import Draw
from sanitizer.schema import DECIMAL, FLOAT, INTEGER, RANGE, ColumnInfo


class Noise(Operator):
    """Integers stay integers; decimals keep their scale and precision. On integer/numeric
    ranges and multiranges (``int4range``, ``numrange``…) all bounds of a value are multiplied
    by one factor (its first bound's), so lower ≤ upper holds and a non-empty range stays
    non-empty; inclusivity, unbounded sides, ``infinity`` and ``empty`` are kept."""

    name = "noise"
    summary = "Multiply numbers by a keyed factor within ±ratio (type and precision kept)."
    example = "amount: {noise: {ratio: 0.1}}"
    kinds = frozenset({INTEGER, DECIMAL, FLOAT, RANGE})
    strength = 1

    @classmethod
    def takes(cls, column: ColumnInfo) -> bool:
        """Ranges of numbers; not of dates."""
        if column.kind == RANGE:
            return ranges.subtype(column) in (INTEGER, DECIMAL)
        return super().takes(column)

    def configure(self, argument: Any) -> None:
        ratio = argument.get("ratio") if isinstance(argument, dict) else None
        extra = set(argument) - {"ratio"} if isinstance(argument, dict) else set()
        if extra or not isinstance(ratio, int | float) or not 0 < ratio < 1:
            raise self.invalid(
                "needs ratio, a number between 0 and 1", "write {noise: {ratio: 0.1}}"
            )
        self.ratio = float(ratio)

    def label(self) -> str:
        return f"noise: {self.ratio:g}"

    def factors(self, texts: list[str], ctx: MaskContext) -> list[float]:
        """The keyed factor in [1-ratio, 1+ratio] of each number (by its text)."""
        digests = ctx.keyring.digests(self.label(), texts, ctx.attempt)
        return [1 + self.ratio * (2 * Draw(digest).unit() - 1) for digest in digests]

    def mask_values(self, values: list[Any], ctx: MaskContext) -> list[Any]:
        column = ctx.column
        if column.kind == RANGE:
            return ranges.scale_numbers(
                values,
                column,
                lambda texts: self.factors(texts, ctx),
                lambda number, factor: _scaled(number, factor, None),
            )
        factors = self.factors([str(v) for v in values], ctx)
        limit = (
            Decimal(10) ** (column.precision - (column.scale or 0))
            - Decimal(1).scaleb(-(column.scale or 0))
            if column.precision
            else None
        )
        out = []
        for value, factor in zip(values, factors, strict=True):
            out.append(_scaled(value, factor, limit))
        return out


def _scaled(value: Any, factor: float, limit: Decimal | None) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return round(value * factor)
    if isinstance(value, Decimal):
        result = (value * Decimal(repr(factor))).quantize(value) if value.is_finite() else value
        if limit is not None and abs(result) > limit:
            result = limit.copy_sign(result).quantize(value)
        return result
    if isinstance(value, float):
        return value * factor
    return value
