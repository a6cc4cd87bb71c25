"""``noise``: multiply numbers by a keyed factor in [1-ratio, 1+ratio] (amounts, counters).

Integers stay integers, decimals keep their scale and fit their precision, zero stays zero.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sanitizer.mask.operators.base import MaskContext, Operator
from sanitizer.mask.pseudonyms import Draw
from sanitizer.schema import DECIMAL, FLOAT, INTEGER


class Noise(Operator):
    """Integers stay integers; decimals keep their scale and precision."""

    name = "noise"
    summary = "Multiply numbers by a keyed factor within ±ratio (type and precision kept)."
    example = "amount: {noise: {ratio: 0.1}}"
    kinds = frozenset({INTEGER, DECIMAL, FLOAT})
    strength = 1

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

    def mask_values(self, values: list[Any], ctx: MaskContext) -> list[Any]:
        digests = ctx.keyring.digests(self.label(), [str(v) for v in values], ctx.attempt)
        column = ctx.column
        limit = (
            Decimal(10) ** (column.precision - (column.scale or 0))
            - Decimal(1).scaleb(-(column.scale or 0))
            if column.precision
            else None
        )
        out = []
        for value, digest in zip(values, digests, strict=True):
            factor = 1 + self.ratio * (2 * Draw(digest).unit() - 1)
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
