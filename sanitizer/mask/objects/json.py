"""JSON objects: the ``json`` path rules on the whole document, formatting kept.

The document is masked by the same :class:`~sanitizer.mask.operators.json.Json` operator as
JSON columns, which keeps key order, separators, indentation and ASCII escaping; this module
adds what files have and columns don't: a UTF-8 BOM and CRLF line endings, both restored.
A JSON document is one value, so it is read whole; use NDJSON for very large collections.
"""

from __future__ import annotations

import json
from typing import BinaryIO

from sanitizer.config.object_rules import ObjectRule
from sanitizer.mask.objects import MalformedObject, ObjectContext, decode, split_bom


def mask_json(rule: ObjectRule, source: BinaryIO, sink: BinaryIO, ctx: ObjectContext) -> None:
    assert rule.operator is not None
    bom, data = split_bom(source.read())
    text = decode(data)
    crlf = "\r\n" in text
    body = text.replace("\r\n", "\n") if crlf else text
    try:
        json.loads(body)
    except ValueError as exc:
        line, column = getattr(exc, "lineno", "?"), getattr(exc, "colno", "?")
        raise MalformedObject(f"is not valid JSON (line {line}, column {column})") from None
    out = ctx.apply(rule.operator, [body], rule.label())[0]
    if crlf:
        out = out.replace("\n", "\r\n")
    sink.write(bom + out.encode("utf-8"))
