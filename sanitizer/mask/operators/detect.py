"""``detect``: find PII in free text with Presidio and replace each finding in place.

Findings are replaced with the same keyed fakes as column rules (``fake: email`` for an email,
``fake: name`` for a person…), so a name in a message body matches the masked name column.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sanitizer.mask.fpe import scramble
from sanitizer.mask.operators.base import MaskContext, Operator
from sanitizer.mask.operators.fake import Fake
from sanitizer.mask.text.detector import ENTITY_FAKES, find_all
from sanitizer.schema import JSON, OTHER, STRING


class Detect(Operator):
    name = "detect"
    summary = "Presidio free-text detection; each finding replaced by the matching keyed fake."
    example = "notes: {detect: [PERSON, EMAIL_ADDRESS, PHONE_NUMBER, LOCATION]}   # or: detect"
    kinds = frozenset({STRING, OTHER, JSON})

    def configure(self, argument: Any) -> None:
        if argument in (None, True, "all"):
            self.entities: tuple[str, ...] | None = None  # nlp.entities, else the defaults
            return
        if (
            not isinstance(argument, list)
            or not argument
            or not all(isinstance(e, str) and e.isupper() for e in argument)
        ):
            raise self.invalid(
                "takes a list of Presidio entity names",
                "write {detect: [PERSON, EMAIL_ADDRESS]} or just: detect",
            )
        self.entities = tuple(argument)

    @property
    def uses_nlp(self) -> bool:
        return True

    def label(self) -> str:
        if self.entities is None:
            return "detect"
        return f"detect: [{', '.join(self.entities)}]"

    def mask_values(self, values: list[Any], ctx: MaskContext) -> list[Any]:
        texts = [str(v) for v in values]
        findings = find_all(texts, self.entities, ctx.nlp)
        by_entity: dict[str, set[str]] = defaultdict(set)
        for text, found in zip(texts, findings, strict=True):
            for f in found:
                by_entity[f.entity].add(text[f.start : f.end])
                ctx.count(f"entity:{f.entity}")
        replacement = _replacements(by_entity, ctx)
        out = []
        for text, found in zip(texts, findings, strict=True):
            for f in reversed(found):
                span = text[f.start : f.end]
                text = text[: f.start] + replacement[(f.entity, span)] + text[f.end :]
            out.append(text)
        return out


def _replacements(by_entity: dict[str, set[str]], ctx: MaskContext) -> dict[tuple[str, str], str]:
    """Mask each entity's distinct spans in one batch with that entity's column rule."""
    replacement: dict[tuple[str, str], str] = {}
    key = ctx.keyring.subkey("format")
    for entity, spans in by_entity.items():
        ordered = sorted(spans)
        kind = ENTITY_FAKES.get(entity)
        if kind is None:
            masked = [scramble(s, key, "format") for s in ordered]
        else:
            masked = Fake(kind, where=None).mask_values(ordered, ctx)  # type: ignore[arg-type]
        replacement.update({(entity, s): m for s, m in zip(ordered, masked, strict=True)})
    return replacement
