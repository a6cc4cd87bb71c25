"""Plain text, Markdown and HTML: ``detect`` over the text, streamed in pieces of whole lines.

Findings are replaced in place with the same keyed fakes as columns; everything around them
(markup, whitespace, CRLF, a BOM) is left byte-identical. Pieces end at line ends and are
detected in batches, so a large log file streams with bounded memory.
"""

from __future__ import annotations

import io
from typing import BinaryIO

from sanitizer.config.object_rules import ObjectRule
from sanitizer.mask.objects import BOM, MalformedObject, ObjectContext

PIECE_CHARS = 16_000  # below the detector's own chunk size, so context is kept per piece
BATCH_CHARS = 1_000_000


def mask_text(rule: ObjectRule, source: BinaryIO, sink: BinaryIO, ctx: ObjectContext) -> None:
    assert rule.operator is not None
    reader = io.BufferedReader(source) if not hasattr(source, "peek") else source
    if reader.peek(len(BOM))[: len(BOM)] == BOM:  # type: ignore[attr-defined]
        sink.write(reader.read(len(BOM)))
    text = io.TextIOWrapper(reader, encoding="utf-8", newline="")
    pieces: list[str] = []
    piece: list[str] = []
    size = batch = 0
    try:
        for line in text:
            piece.append(line)
            size += len(line)
            if size >= PIECE_CHARS:
                pieces.append("".join(piece))
                batch += size
                piece, size = [], 0
                if batch >= BATCH_CHARS:
                    _flush(rule, pieces, sink, ctx)
                    pieces, batch = [], 0
    except UnicodeDecodeError as exc:
        raise MalformedObject(f"is not UTF-8 text (byte {exc.start} of a piece)") from None
    if piece:
        pieces.append("".join(piece))
    _flush(rule, pieces, sink, ctx)
    text.detach()


def _flush(rule: ObjectRule, pieces: list[str], sink: BinaryIO, ctx: ObjectContext) -> None:
    if not pieces:
        return
    assert rule.operator is not None
    masked = ctx.apply(rule.operator, pieces, "text")
    sink.write("".join(masked).encode("utf-8"))
