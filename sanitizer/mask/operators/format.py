"""``format: preserve``: scramble letters and digits, keep everything else (ids, tax numbers).

Backed by a keyed Feistel permutation (:mod:`sanitizer.mask.fpe`), so it is bijective: distinct
inputs stay distinct and ``unique: true`` always holds.
"""

from __future__ import annotations

from typing import Any

from sanitizer.mask.fpe import scramble
from sanitizer.mask.operators.base import MaskContext, Operator
from sanitizer.schema import INTEGER, OTHER, STRING


class Format(Operator):
    """Letter case is kept; bijective, so distinct values stay distinct."""

    name = "format"
    summary = "Format-preserving keyed scramble: digits→digits, letters→letters, rest kept."
    example = "tax_id: {format: preserve}"
    replaces_every_value = True
    kinds = frozenset({STRING, OTHER, INTEGER})
    unique_capable = True

    def configure(self, argument: Any) -> None:
        if argument not in ("preserve", None, True):
            raise self.invalid(f"unknown mode {argument!r}", "write {format: preserve}")

    def label(self) -> str:
        return "format: preserve"

    def mask_values(self, values: list[Any], ctx: MaskContext) -> list[Any]:
        key = ctx.keyring.subkey("format")
        tweak = f"format\x00{ctx.attempt}" if ctx.attempt else "format"
        out: list[Any] = []
        for value in values:
            if isinstance(value, int) and not isinstance(value, bool):
                out.append(_scramble_int(value, key, tweak))
            else:
                out.append(scramble(str(value), key, tweak))
        return out


def _scramble_int(value: int, key: bytes, tweak: str) -> int:
    """Same number of digits and sign; a leading zero is avoided so the digit count holds.

    A negative number never becomes zero either (``-7`` → ``-0`` would lose its sign).

    A value that fits a 64-bit integer stays within it (19-digit ids would otherwise overflow
    BIGINT about one time in seven).
    """
    sign, digits = ("-", str(-value)) if value < 0 else ("", str(value))
    bound = 2**63 if sign else 2**63 - 1
    if int(digits) > bound:
        bound = 10 ** len(digits)
    scrambled = scramble(digits, key, tweak)
    # Cycle-walk with the same permutation until in range: still a bijection on that range.
    while ((len(digits) > 1 or sign) and scrambled.startswith("0")) or int(scrambled) > bound:
        scrambled = scramble(scrambled, key, tweak)
    return int(sign + scrambled)
