"""``each``: a rule applied to every element of an array (PostgreSQL ``text[]``, ``jsonb[]``…).

Arrays arrive in PostgreSQL's text form, ``{a,b,"c d",NULL}``. It is parsed, each distinct
element goes through the inner rule once, and the array is written back the way PostgreSQL
writes it: elements quoted where they must be (empty, ``NULL`` as text, spaces, ``{}",\\``),
backslash-escaped inside quotes, NULL elements as bare ``NULL``, nested arrays and a leading
dimension decoration (``[0:1]=``) kept. ``{each: {json: …}}`` masks JSON documents in arrays.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any, ClassVar

from sanitizer.errors import MaskingError
from sanitizer.mask.operators.base import MaskContext, Operator, is_blank
from sanitizer.schema import JSON, OTHER, RANGE, STRING, ColumnInfo

_DIMENSIONS = re.compile(r"(?:\[-?\d+:-?\d+\])+=")
_MUST_QUOTE = re.compile(r'[{}",\\\s]')


class NotAnArray(ValueError):
    """The text is not PostgreSQL's array output."""


Elements = list[Any]  # str, None (NULL), or a nested Elements


def parse_array(text: str) -> tuple[str, Elements]:
    """(dimension decoration, elements) of PostgreSQL's array text."""
    prefix = ""
    match = _DIMENSIONS.match(text)
    if match:
        prefix, text = match.group(0), text[match.end() :]
    elements, end = _parse(text, 0)
    if end != len(text):
        raise NotAnArray("text after the array's end")
    return prefix, elements


def _parse(text: str, pos: int) -> tuple[Elements, int]:
    if pos >= len(text) or text[pos] != "{":
        raise NotAnArray("no opening brace")
    pos += 1
    out: Elements = []
    if text[pos : pos + 1] == "}":
        return out, pos + 1
    while True:
        if text[pos : pos + 1] == "{":
            item, pos = _parse(text, pos)
            out.append(item)
        elif text[pos : pos + 1] == '"':
            chars, pos = [], pos + 1
            while pos < len(text) and text[pos] != '"':
                if text[pos] == "\\":
                    pos += 1
                chars.append(text[pos : pos + 1])
                pos += 1
            if pos >= len(text):
                raise NotAnArray("an unclosed quote")
            out.append("".join(chars))
            pos += 1
        else:
            end = pos
            while end < len(text) and text[end] not in ",}":
                end += 1
            token = text[pos:end].strip()
            out.append(None if token.upper() == "NULL" else token)
            pos = end
        if pos >= len(text):
            raise NotAnArray("no closing brace")
        if text[pos] == "}":
            return out, pos + 1
        if text[pos] != ",":
            raise NotAnArray("a missing comma")
        pos += 1


def format_array(prefix: str, elements: Elements) -> str:
    """PostgreSQL's array text for ``elements`` (the inverse of :func:`parse_array`)."""
    return prefix + _format(elements)


def _format(elements: Elements) -> str:
    parts = []
    for item in elements:
        if item is None:
            parts.append("NULL")
        elif isinstance(item, list):
            parts.append(_format(item))
        elif item == "" or item.upper() == "NULL" or _MUST_QUOTE.search(item):
            parts.append('"' + item.replace("\\", "\\\\").replace('"', '\\"') + '"')
        else:
            parts.append(item)
    return "{" + ",".join(parts) + "}"


def _leaves(elements: Elements) -> Iterator[str]:
    for item in elements:
        if isinstance(item, list):
            yield from _leaves(item)
        elif item is not None:
            yield item


def _mapped(elements: Elements, mapping: dict[str, Any]) -> Elements:
    return [
        _mapped(item, mapping)
        if isinstance(item, list)
        else mapping.get(item, item)
        if item is not None
        else None
        for item in elements
    ]


class Each(Operator):
    """NULL elements stay NULL; empty and blank elements stay as they are."""

    name = "each"
    summary = "Apply a rule to every element of an array column (PostgreSQL text form)."
    example = "tags: {each: {fake: name}}          # or {each: {json: {...}}} for jsonb[]"
    kinds = frozenset({OTHER, STRING})
    parse_rule: ClassVar[Callable[[Any, Any], Operator]]  # set by the registry, as for json

    def configure(self, argument: Any) -> None:
        if argument in (None, True, {}):
            raise self.invalid("needs the rule for the elements", "write {each: {fake: email}}")
        self.inner = type(self).parse_rule(argument, self.where)
        if isinstance(self.inner, Each):
            raise self.invalid("nests each inside each", "one each masks nested arrays too")
        self.replaces_every_value = False
        self.strength = self.inner.strength

    @property
    def uses_nlp(self) -> bool:
        return self.inner.uses_nlp

    def operators(self) -> Iterator[Operator]:
        yield self
        yield from self.inner.operators()

    def label(self) -> str:
        return f"each: {self.inner.label()}"

    def element(self, column: ColumnInfo) -> ColumnInfo:
        """The column an element would be: ``JSONB[]`` → JSON values, ``DATERANGE[]`` →
        ranges, else text."""
        base = column.sql_type.upper().removesuffix("[]")
        kind = JSON if "JSON" in base else RANGE if base.endswith("RANGE") else STRING
        return replace(column, kind=kind, sql_type=base, max_length=None, unique=False)

    def applies_to(self, column: ColumnInfo) -> bool:
        """Array columns only, and only with a rule that fits their elements."""
        is_array = column.sql_type.upper() == "ARRAY" or column.sql_type.endswith("[]")
        return is_array and self.inner.applies_to(self.element(column))

    def mask_values(self, values: list[Any], ctx: MaskContext) -> list[Any]:
        parsed = []
        for value in values:
            try:
                parsed.append(parse_array(str(value)))
            except NotAnArray as exc:
                raise MaskingError(
                    f"each cannot mask column {ctx.column.name!r} ({ctx.column.sql_type}): a "
                    f"value is not an array in PostgreSQL's text form ({exc}).",
                    hint="each applies to array columns; use a rule for the whole value.",
                ) from None
        uniques = list(dict.fromkeys(v for _, e in parsed for v in _leaves(e) if not is_blank(v)))
        inner_ctx = MaskContext(
            ctx.keyring, self.element(ctx.column), ctx.attempt, ctx.nlp, ctx.stats
        )
        outputs = self.inner.mask_values(uniques, inner_ctx) if uniques else []
        mapping = dict(zip(uniques, outputs, strict=True))
        return [format_array(prefix, _mapped(e, mapping)) for prefix, e in parsed]
