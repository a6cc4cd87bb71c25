"""``noise``: multiply numbers by a keyed factor in [1-ratio, 1+ratio] (amounts, counters).

Integers stay integers, decimals keep their scale and fit their precision, zero stays zero.
On PostgreSQL integer and numeric ranges (and multiranges) every bound of a value is multiplied
by its first bound's factor (sanitizer/mask/ranges.py).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import numpy as np

from sanitizer.mask import ranges
from sanitizer.mask.operators.base import MaskContext, Operator
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
        """The keyed factor in [1-ratio, 1+ratio] of each number (by its text): the unit a
        :class:`Draw` reads from each digest's first 4 bytes, computed for all in numpy (the
        same IEEE double operations, so the same floats)."""
        digests = ctx.keyring.digests(self.label(), texts, ctx.attempt)
        if not digests:
            return []
        raw = np.frombuffer(b"".join(digests), dtype=np.uint8).reshape(len(digests), -1)
        units = np.ascontiguousarray(raw[:, :4]).view(">u4")[:, 0].astype(np.float64) / 2**32
        return (1 + self.ratio * (2 * units - 1)).tolist()

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
        if all(type(value) is Decimal for value in values):
            return [
                _scaled_decimal(value, factor, limit)
                for value, factor in zip(values, factors, strict=True)
            ]
        return [
            _scaled(value, factor, limit) for value, factor in zip(values, factors, strict=True)
        ]


def _scaled_decimal(value: Decimal, factor: float, limit: Decimal | None) -> Decimal:
    """:func:`_scaled` of a Decimal (a numeric column's every value), without the type tests."""
    if not value.is_finite():
        return value
    result = (value * Decimal(repr(factor))).quantize(value)
    if limit is not None and abs(result) > limit:
        result = limit.copy_sign(result).quantize(value)
    return result


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
