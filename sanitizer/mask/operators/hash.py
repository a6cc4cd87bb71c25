"""``hash``: a keyed, irreversible token (hex) that still joins and groups like the original."""

from __future__ import annotations

from typing import Any

from sanitizer.mask.operators.base import MaskContext, Operator
from sanitizer.mask.pseudonyms import normalize

DEFAULT_LENGTH = 16
MIN_UNIQUE_LENGTH = 12  # 48 bits: collisions are re-drawn, and re-draws always find room


class Hash(Operator):
    """16 hex characters unless ``length`` says otherwise; joins and groups like the
    original."""

    name = "hash"
    summary = "Keyed hash (hex), consistent across tables; not reversible without the key."
    example = "external_ref: hash              # or {hash: {length: 24}}"
    replaces_every_value = True
    unique_capable = True

    def configure(self, argument: Any) -> None:
        self.length = DEFAULT_LENGTH
        if isinstance(argument, dict):
            unknown = set(argument) - {"length"}
            if unknown:
                raise self.invalid(f"unknown option {sorted(unknown)[0]!r}", "use {length: 16}")
            argument = argument.get("length", DEFAULT_LENGTH)
        if argument not in (None, True):
            if not isinstance(argument, int) or not 4 <= argument <= 64:
                raise self.invalid(
                    "length must be an integer from 4 to 64", "write {hash: {length: 16}}"
                )
            self.length = argument

    def can_be_unique(self) -> bool:
        return self.length >= MIN_UNIQUE_LENGTH

    def label(self) -> str:
        return self.name if self.length == DEFAULT_LENGTH else f"hash: {self.length}"

    def domain(self) -> str:
        return "hash"

    def mask_values(self, values: list[Any], ctx: MaskContext) -> list[Any]:
        texts = [normalize("hash", str(v)) for v in values]
        digests = ctx.keyring.digests("hash", texts, ctx.attempt)
        return [d.hex()[: self.length] for d in digests]
