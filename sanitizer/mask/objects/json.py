"""JSON objects: the ``json`` path rules on the whole document, formatting kept.

The document is masked by the same :class:`~sanitizer.mask.operators.json.Json` operator as
JSON columns; only the scalars it changed are rewritten in the original text, so key order,
indentation (even mixed), spacing and escapes stay byte-for-byte, and so do a UTF-8 BOM and
CRLF line endings.
A JSON document is one value, so it is read whole; use NDJSON for very large collections.
A ``.json`` object that holds one document per line is masked as NDJSON.
"""

from __future__ import annotations

import io
import json
from typing import BinaryIO

from sanitizer.config.object_rules import ObjectRule
from sanitizer.mask.objects import MalformedObject, ObjectContext, decode, split_bom
from sanitizer.mask.objects.jsontext import write_back
from sanitizer.mask.objects.ndjson import mask_ndjson


def mask_json(rule: ObjectRule, source: BinaryIO, sink: BinaryIO, ctx: ObjectContext) -> None:
    assert rule.operator is not None
    bom, data = split_bom(source.read())
    text = decode(data)
    crlf = "\r\n" in text
    body = text.replace("\r\n", "\n") if crlf else text
    try:
        original = json.loads(body)  # parsed twice: masking changes its copy in place
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data" and exc.lineno > 1:  # one document per line: JSON Lines
            mask_ndjson(rule, io.BufferedReader(io.BytesIO(bom + data)), sink, ctx)
            return
        line, column = exc.lineno, exc.colno
        raise MalformedObject(f"is not valid JSON (line {line}, column {column})") from None
    except ValueError as exc:
        line, column = getattr(exc, "lineno", "?"), getattr(exc, "colno", "?")
        raise MalformedObject(f"is not valid JSON (line {line}, column {column})") from None
    document = json.loads(body)
    masked = ctx.apply_documents(rule.operator, [document], "$")[0]
    out = write_back(body, original, masked)
    if crlf:
        out = out.replace("\n", "\r\n")
    sink.write(bom + out.encode("utf-8"))
