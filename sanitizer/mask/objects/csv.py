"""CSV objects: column rules via polars, streamed in batches, the file's dialect kept.

Values are read as text (``007`` stays ``007``), so only what a rule masks changes. The
header, delimiter (sniffed, or the rule's ``delimiter:``), quoting (all fields quoted, or only
where needed), CRLF or LF line ends, a UTF-8 BOM, a missing final newline and the column order
are all written back as found; empty fields stay empty and ``""`` stays ``""``.
"""

from __future__ import annotations

import csv
import shutil
import tempfile
from typing import BinaryIO

import polars as pl

from sanitizer.config.object_rules import ObjectRule
from sanitizer.mask.objects import BOM, MalformedObject, ObjectContext, decode
from sanitizer.mask.objects.columns import ColumnsMasker

BATCH_ROWS = 50_000
SAMPLE = 64 * 1024
DELIMITERS = ",;\t|"


def mask_csv(rule: ObjectRule, source: BinaryIO, sink: BinaryIO, ctx: ObjectContext) -> None:
    with tempfile.NamedTemporaryFile(suffix=".csv") as spool:
        head = source.read(len(BOM))
        bom = BOM if head == BOM else b""
        spool.write(head[len(bom) :])
        shutil.copyfileobj(source, spool, 1 << 20)
        spool.flush()
        size = spool.tell()
        if size == 0:
            sink.write(bom)
            return
        spool.seek(0)
        sample = spool.read(SAMPLE)
        spool.seek(-1, 2)
        final_newline = spool.read(1) == b"\n"
        sink.write(bom)
        _mask_file(rule, spool.name, decode_sample(sample), final_newline, sink, ctx)


def decode_sample(sample: bytes) -> str:
    """The first bytes as text; a cut multi-byte character at the end is not an error."""
    try:
        return sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start >= len(sample) - 3:
            return sample[: exc.start].decode("utf-8")
        return decode(sample)  # raises MalformedObject


def _dialect(rule: ObjectRule, sample: str) -> tuple[str, str, str]:
    """(delimiter, quote style, line terminator) as the file uses them."""
    lines = sample.splitlines(keepends=True)
    first = lines[0] if lines else ""
    terminator = "\r\n" if first.endswith("\r\n") else "\n"
    delimiter = rule.delimiter
    if delimiter is None:
        try:
            delimiter = csv.Sniffer().sniff(first, delimiters=DELIMITERS).delimiter
        except csv.Error:
            delimiter = ","
    fields = [f for line in lines[:2] for f in line.rstrip("\r\n").split(delimiter)]
    always = bool(fields) and all(f.startswith('"') for f in fields)
    return delimiter, "always" if always else "necessary", terminator


def _numbered(names: list[str]) -> list[str]:
    return [f"column_{i + 1}" for i in range(len(names))]


def _mask_file(
    rule: ObjectRule,
    path: str,
    sample: str,
    final_newline: bool,
    sink: BinaryIO,
    ctx: ObjectContext,
) -> None:
    delimiter, quote_style, terminator = _dialect(rule, sample)
    frame = pl.scan_csv(
        path,
        separator=delimiter,
        has_header=rule.header,
        infer_schema=False,
        raise_if_empty=False,
        truncate_ragged_lines=False,
        # without a header, rules name columns column_1, column_2, … (counting from 1)
        with_column_names=None if rule.header else _numbered,
    )
    try:
        schema = frame.collect_schema()
        masker = ColumnsMasker(rule, schema, ctx, rule.glob)
        pending: bytes | None = None
        header = rule.header
        for batch in frame.collect_batches(chunk_size=BATCH_ROWS):
            out = (
                masker.mask(batch)
                .write_csv(
                    None,
                    include_header=header,
                    separator=delimiter,
                    quote_style=quote_style,
                    line_terminator=terminator,
                )
                .encode("utf-8")
            )
            header = False
            if pending is not None:
                sink.write(pending)
            pending = out
        if pending is None:  # header only: no batches came
            pending = (
                pl.DataFrame(schema=schema)
                .write_csv(
                    None, separator=delimiter, quote_style=quote_style, line_terminator=terminator
                )
                .encode("utf-8")
                if rule.header
                else b""
            )
        if not final_newline and pending.endswith(terminator.encode()):
            pending = pending[: -len(terminator)]
        sink.write(pending)
        masker.finish()
    except pl.exceptions.PolarsError as exc:
        raise MalformedObject(
            f"is not valid CSV with delimiter {delimiter!r} ({type(exc).__name__}: rows with "
            "more fields than the header, an unclosed quote or bytes that are not UTF-8)"
        ) from None
