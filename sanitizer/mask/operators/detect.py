"""``detect``: find PII in free text with Presidio and replace each finding in place.

Findings are replaced with the same keyed fakes as column rules (``fake: email`` for an email,
``fake: name`` for a person…), so a name in a message body matches the masked name column.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sanitizer.mask.fpe import scramble
from sanitizer.mask.operators.base import MaskContext, Operator
from sanitizer.mask.operators.fake import Fake, take_shape
from sanitizer.mask.secrets import SecretsSettings, neutralize_secret, sandbox_url
from sanitizer.mask.text.detector import FAKE_FOR_ENTITY, Finding, find_all
from sanitizer.schema import JSON, OTHER, STRING


class Detect(Operator):
    """An email in a ticket body becomes exactly what ``fake: email`` makes of it; the rest
    of the text stays byte-identical."""

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
        people = [ctx.people.get(v, ()) for v in values] if ctx.people else None
        findings = find_all(texts, self.entities, ctx.nlp, people)
        by_kind: dict[str | None, set[str]] = defaultdict(set)
        for text, found in zip(texts, findings, strict=True):
            for f in found:
                if f.part is not None:  # a part of a known full name: from that name's fake
                    by_kind["name"].add(f.part[0])
                else:
                    by_kind[_kind(f)].add(text[f.start : f.end])
                ctx.count(f"entity:{f.entity}")
        replacement = _replacements(by_kind, ctx, self.secrets)
        return [
            _replaced(text, found, replacement) for text, found in zip(texts, findings, strict=True)
        ]


def _replaced(
    text: str, found: list[Finding], replacement: dict[tuple[str | None, str], str]
) -> str:
    """``text`` with each finding's span replaced; every character outside the spans is
    copied as it was (a finding overlapping an earlier one, which find_all never returns,
    would be skipped rather than cut into the text around it)."""
    out, position = [], 0
    for f in sorted(found, key=lambda f: f.start):
        if f.start < position:
            continue
        out += [text[position : f.start], _replacement(text[f.start : f.end], f, replacement)]
        position = f.end
    out.append(text[position:])
    return "".join(out)


def _replacement(
    span: str, finding: Finding, replacement: dict[tuple[str | None, str], str]
) -> str:
    """What a finding's span becomes: a part of a known full name takes that part of the
    name's fake; anything else its kind's fake of the span."""
    if finding.part is not None:
        return part_of_fake(replacement[("name", finding.part[0])], finding.part[1], span)
    return replacement[(_kind(finding), span)]


def part_of_fake(fake: str, part: str, span: str) -> str:
    """The given (first word) or family (last word) name of a full name's fake, shaped like
    the span it replaces ('さゆり' → 'Jane', 'YAMAGUCHI' → 'ROE')."""
    words = fake.split() or [fake]
    return take_shape(span, words[0] if part == "given" else words[-1])


def _kind(finding: Finding) -> str | None:
    """How a finding is replaced: its known column's kind, its entity's fake, or None
    (a format-preserving scramble)."""
    return finding.kind or FAKE_FOR_ENTITY.get(finding.entity)


def _replacements(
    by_kind: dict[str | None, set[str]], ctx: MaskContext, secrets: SecretsSettings | None = None
) -> dict[tuple[str | None, str], str]:
    """Mask each kind's distinct spans in one batch, exactly as that column rule would
    (a SECRET as the ``secret`` operator, a URL as ``{url: sandbox}``)."""
    replacement: dict[tuple[str | None, str], str] = {}
    key = ctx.keyring.subkey("format")
    for kind, spans in by_kind.items():
        ordered = sorted(spans)
        if kind == "secret":
            masked = [neutralize_secret(s, ctx.keyring) for s in ordered]
        elif kind == "sandbox":
            masked = [sandbox_url(s, ctx.keyring, secrets) for s in ordered]
        elif kind is None or kind == "format":
            masked = [scramble(s, key, "format") for s in ordered]
        else:
            masked = Fake(kind, where=None).mask_values(ordered, ctx)  # type: ignore[arg-type]
        replacement.update({(kind, s): m for s, m in zip(ordered, masked, strict=True)})
    return replacement
