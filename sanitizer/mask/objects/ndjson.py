"""NDJSON / JSON Lines: the ``json`` path rules applied to each line, streamed.

Lines are read lazily in batches (memory is bounded by the batch, not the object: a 1 GB
file is never loaded whole), each batch's documents masked together so a value repeated on
many lines is computed once; only masked scalars are rewritten. Each line keeps its own
ending (LF or CRLF); blank lines and a BOM stay where they were. A line that is not JSON
makes the object malformed, naming the line.
"""

from __future__ import annotations

import io
import json
from typing import BinaryIO

from sanitizer.config.object_rules import ObjectRule
from sanitizer.mask.objects import BOM, MalformedObject, ObjectContext
from sanitizer.mask.objects.jsontext import write_back

BATCH_LINES = 2000


def mask_ndjson(rule: ObjectRule, source: BinaryIO, sink: BinaryIO, ctx: ObjectContext) -> None:
    assert rule.operator is not None
    reader = io.BufferedReader(source) if not hasattr(source, "peek") else source
    if reader.peek(len(BOM))[: len(BOM)] == BOM:  # type: ignore[attr-defined]
        sink.write(reader.read(len(BOM)))
    text = io.TextIOWrapper(reader, encoding="utf-8", newline="")
    batch: list[str] = []
    number = 0
    try:
        for line in text:
            number += 1
            batch.append(line)
            if len(batch) >= BATCH_LINES:
                _flush(rule, batch, number - len(batch), sink, ctx)
                batch = []
    except UnicodeDecodeError:
        raise MalformedObject(f"is not UTF-8 text (line {number + 1})") from None
    _flush(rule, batch, number - len(batch), sink, ctx)
    text.detach()


def _flush(
    rule: ObjectRule, lines: list[str], first: int, sink: BinaryIO, ctx: ObjectContext
) -> None:
    if not lines:
        return
    bodies, endings, documents, originals = [], [], [], []
    for offset, line in enumerate(lines):
        body = line.rstrip("\r\n")
        bodies.append(body)
        endings.append(line[len(body) :])
        if body.strip():
            try:
                documents.append(json.loads(body))
                originals.append(json.loads(body))
            except ValueError as exc:
                column = getattr(exc, "colno", "?")
                raise MalformedObject(
                    f"is not valid NDJSON (line {first + offset + 1}, column {column})"
                ) from None
    assert rule.operator is not None
    masked = iter(ctx.apply_documents(rule.operator, documents, "$"))
    before = iter(originals)
    out = [
        write_back(body, next(before), next(masked)) if body.strip() else body for body in bodies
    ]
    sink.write("".join(m + e for m, e in zip(out, endings, strict=True)).encode("utf-8"))
