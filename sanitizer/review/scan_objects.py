"""``sanitize scan`` of an object source: keys grouped into shapes, a few objects read per shape.

Keys are reduced to shapes as the schema snapshot does (``tickets/**/*.json``), and a literal
folder or file name is kept only when it is shared and Presidio finds nothing in it, so a glob
never spells out one object's key. Each shape gets the handler its format needs — JSON and
NDJSON: rules per path from the sampled leaves; CSV and Parquet: rules per column by the SQL
column logic; text, Markdown, HTML, e-mail: ``detect``; anything binary: ``drop`` (or ``keep``
for formats that cannot hold personal data) — plus ``keys: detect`` when key segments hold
names or emails. Evidence is counts, never a value or a key.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from typing import Any

from sanitizer.config.settings import Endpoint, Settings
from sanitizer.extract.objects import ObjectSource
from sanitizer.mask.objects.keys import MIN_CHARS, NOT_IN_KEYS, split_name
from sanitizer.review.fields import Field, propose_fields
from sanitizer.review.proposals import ObjectProposal, Proposal
from sanitizer.review.scan_json import (
    FIELD_NAME,
    as_words,
    json_fields,
    keys_evidence,
    parse_document,
    personal_words,
)
from sanitizer.review.schema_file import key_shape

JSON_SUFFIXES = (".json",)
NDJSON_SUFFIXES = (".ndjson", ".jsonl")
CSV_SUFFIXES = (".csv", ".tsv", ".psv")
PARQUET_SUFFIXES = (".parquet",)
TEXT_SUFFIXES = (".txt", ".text", ".md", ".markdown", ".html", ".htm", ".eml", ".log", ".rst")
HARMLESS_SUFFIXES = (".woff", ".woff2", ".ttf", ".otf", ".eot", ".ico", ".wasm")  # fonts, code
HEAD_BYTES = 1 << 20  # read of a text, CSV or NDJSON object
WHOLE_BYTES = 16 << 20  # a JSON document or Parquet file is read whole up to this size
TEXT_CHARS = 20_000  # of a text object, analysed by Presidio
KEYS_CHECKED = 200  # keys per shape whose segments are analysed
CSV_DELIMITERS = ",;\t|"
HEADER_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_ .\-]{0,63}")


def scan_objects(
    settings: Settings, endpoint: Endpoint, rows: int, per_shape: int
) -> list[ObjectProposal]:
    """A proposal per key shape, most specific first (the first matching glob wins)."""
    from sanitizer.extract.objects import open_source

    source = open_source(endpoint.name, endpoint.url)
    shapes = group_keys([info.key for info in source.list()], settings)
    proposals = []
    for glob, keys in shapes.items():
        proposal = propose_shape(source, glob, keys, rows, per_shape, settings)
        proposal.listed = keys
        proposals.append(proposal)
    key_rules(proposals, settings)
    return proposals


def group_keys(keys: list[str], settings: Settings) -> dict[str, list[str]]:
    """Shape → its keys. A literal folder stays in a shape when Presidio finds nothing in it,
    a literal file name only when several keys share it too (``users/*/avatar.png``)."""
    base: dict[str, list[str]] = {}
    for key in keys:
        base.setdefault(key_shape(key), []).append(key)
    literals = sorted({name for shape in base for name in _literals(shape) if name})
    personal = personal_words(literals, settings, any_case=True)
    shapes: dict[str, list[str]] = {}
    for shape, group in base.items():
        folder, stem = _literals(shape)
        hide = {folder} & personal
        if stem is not None and (stem in personal or len(group) < 2):
            hide.add(stem)
        for key in group:
            shapes.setdefault(_shape(key, hide), []).append(key)
    return dict(sorted(shapes.items(), key=lambda item: _specificity(item[0])))


def _literals(shape: str) -> tuple[str | None, str | None]:
    """The folder and file-name stem a shape spells out (``users``, ``avatar``), or None."""
    parts = shape.split("/")
    folder = parts[0] if len(parts) > 1 and "*" not in parts[0] else None
    stem = split_name(parts[-1])[0] if "*" not in parts[-1] else None
    return folder, stem


def _shape(key: str, hide: set[str]) -> str:
    """The key's shape with hidden literals as ``*``, its extension spelled as in the key
    (globs are case-sensitive)."""
    segments = key.split("/")
    if len(segments) > 1 and segments[0] in hide:
        segments[0] = "0"  # not a folder-like name: key_shape makes it "*"
    stem, ext = split_name(segments[-1])
    if stem in hide:
        segments[-1] = "0" + ext
    shape = key_shape("/".join(segments))
    if ext and shape.endswith(ext.lower()) and not shape.endswith(ext):
        shape = shape[: -len(ext)] + ext
    return shape


def _specificity(shape: str) -> tuple[bool, bool, bool, str]:
    parts = shape.split("/")
    return ("*" in parts[-1], "*" in parts[0], "**" in parts, shape)


def _evenly(keys: list[str], count: int) -> list[str]:
    if len(keys) <= count:
        return list(keys)
    step = (len(keys) - 1) / max(count - 1, 1)
    return list(dict.fromkeys(keys[round(i * step)] for i in range(count)))


def format_of(key: str, head: bytes) -> str:
    """json, ndjson, csv, parquet, text or binary — by extension, else by content."""
    lower = key.lower()
    for suffixes, name in (
        (JSON_SUFFIXES, "json"),
        (NDJSON_SUFFIXES, "ndjson"),
        (CSV_SUFFIXES, "csv"),
        (PARQUET_SUFFIXES, "parquet"),
        (TEXT_SUFFIXES, "text"),
    ):
        if lower.endswith(suffixes):
            return name
    if b"\0" in head[:8192]:
        return "binary"
    try:
        head[:8192].decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head[:8192]) - 3:  # not just a character cut at the end
            return "binary"
    return "text"


def propose_shape(
    source: ObjectSource,
    glob: str,
    keys: list[str],
    rows: int,
    per_shape: int,
    settings: Settings,
) -> ObjectProposal:
    sampled = _evenly(keys, per_shape)
    read = [_read(source, key) for key in sampled]
    kind = Counter(k for k, _ in read).most_common(1)[0][0]
    heads = [head for k, head in read if k == kind]  # a stray format is not fed to the wrong reader
    evidence = f"{len(keys)} objects, {len(sampled)} sampled"
    if len(heads) < len(read):
        evidence += f" ({len(heads)} of them {kind})"
    if kind in ("json", "ndjson"):
        proposal = _propose_json(glob, kind, heads, rows, evidence, settings)
    elif kind in ("csv", "parquet"):
        proposal = _propose_table(glob, kind, heads, rows, evidence, settings)
    elif kind == "text":
        proposal = _propose_text(glob, heads, evidence, settings)
    else:
        proposal = _propose_binary(glob, evidence)
    proposal.metadata = _propose_metadata(source, glob, sampled, settings)
    return proposal


def _read(source: ObjectSource, key: str) -> tuple[str, bytes]:
    """(format, bytes): the head of an object, or all of it (up to a bound) where the format
    is one value (a JSON document) or has its index at the end (Parquet)."""
    with source.open(key) as stream:
        head = stream.read(HEAD_BYTES)
        kind = format_of(key, head)
        if kind in ("json", "parquet") and len(head) == HEAD_BYTES:
            head += stream.read(WHOLE_BYTES - HEAD_BYTES)
    return kind, head


def _propose_json(
    glob: str, kind: str, heads: list[bytes], rows: int, evidence: str, settings: Settings
) -> ObjectProposal:
    documents: list[Any] = []
    unreadable = 0
    for head in heads:
        texts = _lines(head, rows) if kind == "ndjson" else [_text(head)]
        parsed = [parse_document(t) for t in texts if t.strip()]
        unreadable += any(p is None for p in parsed) or not parsed
        documents += [p for p in parsed if p is not None]
    what = "lines" if kind == "ndjson" else "documents"
    evidence += f", {len(documents)} JSON {what} read"
    if unreadable:
        evidence += f"; {unreadable}/{len(heads)} sampled objects were not entirely valid JSON"
    paths, keyed = json_fields(documents, settings)
    if keyed:
        return ObjectProposal(glob, "detect", evidence + "; " + keys_evidence(keyed, documents))
    fields = propose_fields(paths, settings)
    if not fields:
        fields = [Proposal(glob, "$.**", "detect", "no JSON leaves sampled; detect to be safe")]
    for p in fields:
        p.table = glob
    return ObjectProposal(glob, "json", evidence, fields=fields)


def _propose_table(
    glob: str, kind: str, heads: list[bytes], rows: int, evidence: str, settings: Settings
) -> ObjectProposal:
    columns: dict[str, Field] = {}
    header, unreadable = True, 0
    for head in heads:
        if kind == "parquet":
            read = _parquet_columns(head, rows)
        else:
            read, has_header = _csv_columns(head, rows, settings)
            header = header and has_header
        unreadable += not read
        for name, (values, column_kind) in read.items():
            column = columns.setdefault(name, Field(name, [], column_kind, parent=glob))
            column.values += values
    fields = propose_fields(list(columns.values()), settings)
    if not fields:
        fields = [Proposal(glob, "*", "detect", "no columns could be read; detect to be safe")]
    for p in fields:
        p.table = glob
    evidence += f", {len(columns)} columns"
    if unreadable:
        evidence += f"; {unreadable}/{len(heads)} sampled objects could not be read" + (
            f" (larger than {WHOLE_BYTES >> 20} MB, or malformed)" if kind == "parquet" else ""
        )
    return ObjectProposal(glob, "columns", evidence, fields=fields, header=header)


def _csv_columns(
    head: bytes, rows: int, settings: Settings
) -> tuple[dict[str, tuple[list[Any], str]], bool]:
    """Column → sampled values, and whether the first row names the columns."""
    lines = _lines(head, rows + 1)
    if not lines:
        return {}, True
    try:
        delimiter = csv.Sniffer().sniff(lines[0], delimiters=CSV_DELIMITERS).delimiter
    except csv.Error:
        delimiter = ","
    table = list(csv.reader(lines, delimiter=delimiter))
    first = table[0]
    header = all(HEADER_NAME.fullmatch(c.strip()) for c in first) and len(set(first)) == len(first)
    if header and personal_words([c.strip() for c in first], settings):
        header = False  # a name in the first row: it is data
    names = first if header else [f"column_{i + 1}" for i in range(len(first))]
    body = table[1:] if header else table[:rows]
    return {
        name: ([row[i] if i < len(row) else None for row in body], "string")
        for i, name in enumerate(names)
    }, header


def _parquet_columns(data: bytes, rows: int) -> dict[str, tuple[list[Any], str]]:
    import polars as pl
    import pyarrow.parquet as pq

    from sanitizer.mask.objects.columns import column_kind

    try:
        batch = next(pq.ParquetFile(io.BytesIO(data)).iter_batches(batch_size=rows), None)
    except Exception:  # not a (whole) Parquet file: no columns to propose from
        return {}
    if batch is None:
        return {}
    frame = pl.from_arrow(batch)
    assert isinstance(frame, pl.DataFrame)
    return {name: (frame[name].to_list(), column_kind(frame[name].dtype)) for name in frame.columns}


def _propose_text(
    glob: str, heads: list[bytes], evidence: str, settings: Settings
) -> ObjectProposal:
    from sanitizer.mask.text.detector import find_all

    texts = [_text(head)[:TEXT_CHARS] for head in heads]
    findings = find_all(texts, None, settings.nlp)
    counts = Counter(e for found in findings for e in {f.entity for f in found})
    n = len(texts)
    if counts:
        evidence += "; " + ", ".join(
            f"{c}/{n} sampled objects contain {e}" for e, c in counts.most_common(4)
        )
    else:
        evidence += f"; free text, 0/{n} sampled objects matched any entity"
    return ObjectProposal(glob, "detect", evidence)


def _propose_binary(glob: str, evidence: str) -> ObjectProposal:
    if glob.lower().endswith(HARMLESS_SUFFIXES):
        return ObjectProposal(glob, "keep", f"{evidence}; a format that holds no personal data")
    return ObjectProposal(
        glob,
        "drop",
        f"{evidence}; binary, not inspected (images, PDFs can show people): not copied; "
        "write keep if they hold nothing personal",
    )


def _propose_metadata(
    source: ObjectSource, glob: str, sampled: list[str], settings: Settings
) -> list[Proposal]:
    """Rules for the user metadata the sampled objects carry (unlisted fields are dropped)."""
    values: dict[str, list[Any]] = {}
    for key in sampled:
        for name, value in source.attributes(key).metadata.items():
            values.setdefault(name, []).append(value)
    fields = [
        Field(name, found, parent=glob)
        for name, found in values.items()
        if FIELD_NAME.fullmatch(name)  # a name that reads as a value is left out: dropped
    ]
    return propose_fields(fields, settings) if fields else []


def key_rules(proposals: list[ObjectProposal], settings: Settings) -> None:
    """``keys: detect`` with its evidence where key segments hold personal data."""
    from sanitizer.mask.text.detector import entities_for, find_all

    checked = {p.glob: _evenly(p.listed, KEYS_CHECKED) for p in proposals if p.handler != "drop"}
    stems = sorted({stem for keys in checked.values() for key in keys for stem in _stems(key)})
    if not stems:
        return
    entities = [e for e in entities_for(None, settings.nlp) if e not in NOT_IN_KEYS]
    findings = find_all([as_words(s) for s in stems], entities, settings.nlp)
    found = {s: {f.entity for f in fs} for s, fs in zip(stems, findings, strict=True) if fs}
    for proposal in proposals:
        keys = checked.get(proposal.glob, [])
        per_key = [set().union(*(found.get(s, set()) for s in _stems(k))) for k in keys]
        counts = Counter(e for held in per_key for e in held)
        if counts:
            proposal.keys = Proposal(
                proposal.glob,
                "keys",
                "detect",
                ", ".join(
                    f"{c}/{len(keys)} listed keys have a segment holding {e}"
                    for e, c in counts.most_common(3)
                ),
            )


def _stems(key: str) -> list[str]:
    segments = key.split("/")
    stems = [*segments[:-1], split_name(segments[-1])[0]]
    return [s for s in stems if len(s.strip()) >= MIN_CHARS]


def _text(data: bytes) -> str:
    text = data.decode("utf-8", errors="replace")
    return text[1:] if text.startswith("\ufeff") else text


def _lines(head: bytes, limit: int) -> list[str]:
    """The first ``limit`` complete lines (a line cut by the read limit is left out)."""
    text = _text(head[:HEAD_BYTES])
    lines = text.splitlines()
    if len(head) >= HEAD_BYTES and not text.endswith("\n"):
        lines = lines[:-1]
    return lines[:limit]
