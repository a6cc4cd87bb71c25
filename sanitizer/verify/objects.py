"""The leak check for object stores: index masked fields of production objects, scan staging.

Indexing reads production objects again, by their rules: the metadata and tags fields, JSON
paths and CSV / Parquet columns whose operator replaces every value (``detect`` texts are
scanned, not indexed, as on the SQL side). Scanning reads every staging object: its key, its
metadata and tags, and its contents — text-like formats line by line (JSON by leaf, so escapes
do not hide a value), Parquet by string cell; binary objects have no text to scan. A hit names
the store, the key and the line, JSON path, column or metadata field, with any tracked value
in them shown as ``*``: never the value.
"""

from __future__ import annotations

import codecs
import io
import json
from collections.abc import Callable, Iterator
from typing import Any, BinaryIO

import numpy as np
import polars as pl

from sanitizer.config.object_rules import ObjectRule
from sanitizer.config.rules import SourceRules
from sanitizer.extract.objects import ObjectAttributes, ObjectInfo, ObjectSource
from sanitizer.mask.objects.csv import DELIMITERS
from sanitizer.mask.objects.fields import WILDCARD
from sanitizer.plan.objects import default_rule
from sanitizer.verify.leaks import LeakIndex, LeakReport
from sanitizer.verify.tracker import Tracker, tracks

TEXT_SUFFIXES = (
    ".txt", ".md", ".markdown", ".html", ".htm", ".eml", ".xml", ".yaml", ".yml", ".log",
    ".csv", ".tsv", ".ndjson", ".jsonl",
)  # fmt: skip
JSON_SUFFIXES = (".json", ".ndjson", ".jsonl")
SNIFF_BYTES = 8192  # an object with another suffix is text when its start decodes as UTF-8
MAX_JSON_BYTES = 256 * 1024 * 1024  # a larger .json is scanned by lines, not parsed
ENCODED = ("base64", "quoted-printable")  # .eml parts whose raw lines hide their words


def rule_for(rules: SourceRules, key: str) -> ObjectRule | None:
    """The rule a run gives ``key`` (first match, else ``defaults.unknown``)."""
    return next((r for r in rules.objects if r.matches(key)), None) or default_rule(rules)


# --- indexing production ---------------------------------------------------------------


def index_source(source: ObjectSource, rules: SourceRules, tracker: Tracker) -> None:
    """Index the tracked fields of every production object (``verify``)."""
    for info in source.list():
        rule = rule_for(rules, info.key)
        if rule is not None:
            index_object(source, info, rule, tracker)


def index_object(
    source: ObjectSource, info: ObjectInfo, rule: ObjectRule, tracker: Tracker
) -> None:
    """Index one production object's tracked metadata, tags and contents."""
    if rule.handler == "drop":
        return
    tracker.field = f"{getattr(source, 'name', '')}:{rule.glob}"  # where hosts came from
    if _tracks_any(rule.metadata) or _tracks_any(rule.tags):
        attributes = source.attributes(info.key)
        _index_fields(rule.metadata, attributes.metadata, tracker)
        _index_fields(rule.tags, attributes.tags, tracker)
    fmt = rule.format_for(info.key)
    if fmt in ("json", "ndjson") and tracks(rule.operator):
        with source.open(info.key) as stream:
            tracker.documents(rule.operator, _documents(stream))  # type: ignore[arg-type]
    elif fmt in ("csv", "parquet") and _tracks_any(rule.columns):
        with source.open(info.key) as stream:
            frame = _frame(rule, fmt, stream)
        for name in frame.columns if frame is not None else ():
            op = rule.columns.get(name, rule.columns.get(WILDCARD))
            if frame is not None and frame[name].dtype == pl.String:
                tracker.values(op, frame[name].drop_nulls().unique().to_list())


def _tracks_any(rules: dict[str, Any]) -> bool:
    return any(tracks(op) for op in rules.values())


def _index_fields(rules: dict[str, Any], values: dict[str, str], tracker: Tracker) -> None:
    """Metadata or tags: a field's rule by name (any case), else the ``"*"`` rule."""
    lowered = {name.lower(): op for name, op in rules.items()}
    for name, value in values.items():
        tracker.values(lowered.get(name.lower(), lowered.get(WILDCARD)), [value])


def _documents(stream: BinaryIO) -> Iterator[Any]:
    """The documents of a JSON object: one, or one per line (NDJSON); unparsable: none."""
    text = stream.read().decode("utf-8-sig", errors="replace")
    try:
        yield json.loads(text)
        return
    except ValueError:
        pass
    for line in text.splitlines():
        if line.strip():
            try:
                yield json.loads(line)
            except ValueError:
                continue


def _frame(rule: ObjectRule, fmt: str, stream: BinaryIO) -> pl.DataFrame | None:
    """A CSV (all text, as the run reads it) or Parquet object; None when malformed."""
    data = stream.read()
    try:
        if fmt == "parquet":
            return pl.read_parquet(io.BytesIO(data))
        text = data.decode("utf-8-sig", errors="replace")
        frame = pl.read_csv(
            io.StringIO(text),
            separator=rule.delimiter or _delimiter(text),
            has_header=rule.header,
            infer_schema=False,
            raise_if_empty=False,
        )
    except (pl.exceptions.PolarsError, OSError, ValueError):
        return None  # the run quarantined or refused it: nothing of it reached staging
    if not rule.header:  # rules name such columns column_1, column_2, …
        frame = frame.rename({c: f"column_{i + 1}" for i, c in enumerate(frame.columns)})
    return frame


def _delimiter(text: str) -> str:
    import csv

    first = text.split("\n", 1)[0]
    try:
        return csv.Sniffer().sniff(first, delimiters=DELIMITERS).delimiter
    except csv.Error:
        return ","


# --- scanning staging ------------------------------------------------------------------


def scan_store(reader: ObjectSource, store: str, index: LeakIndex, report: LeakReport) -> None:
    """Every object of a staging store (live, or a run's shadow): key, attributes, contents,
    looked up a chunk of texts at a time across objects (:class:`StoreScan`: a bucket of
    small objects is asked in bulk too), and recorded in the order they were read."""
    if not len(index):
        return
    scan = StoreScan(store, index, report)
    for info in reader.list():
        scan.start(info.key, reader.attributes(info.key))
        with reader.open(info.key) as stream:
            for place, text in contents(info.key, stream):
                scan.text(place, text)
    scan.finish()


class StoreScan:
    """The leak scan of one store, told object by object what it holds: an object's key and
    attributes (:meth:`start`), then its texts (:meth:`text`), as :func:`contents` reads
    them. Whoever reads the store already (the secrets sweep of a run's shadow) tells it as
    it reads, so each object is read once for both (docs/benchmarks.md)."""

    def __init__(self, store: str, index: LeakIndex, report: LeakReport) -> None:
        self.store, self.index, self.report = store, index, report
        self.scanner = _Scanner(index.found_in, index.found_in_many)
        self.queue: list[Item] = []
        self.where = store

    def start(self, key: str, attributes: ObjectAttributes) -> None:
        """An object's key (a hit already when it holds a value) and metadata and tags."""
        shape = shown(self.index, key)
        self.where = where = f"{self.store}:{shape}"
        self.queue.append((where, "key", None if shape != key else ""))  # "": no words
        for kind, fields in (("metadata", attributes.metadata), ("tags", attributes.tags)):
            self.queue += [(where, f"{kind}.{name}", value) for name, value in fields.items()]

    def text(self, place: str, text: str) -> None:
        """One text of the object last started."""
        self.queue.append((self.where, place, text))
        if len(self.queue) >= self.scanner.CHUNK:
            self.scanner.scan_items(self.queue, self.index, self.report)
            self.queue = []

    def finish(self) -> None:
        """Ask what is still queued (after the store's last object)."""
        self.scanner.scan_items(self.queue, self.index, self.report)
        self.queue = []


Item = tuple[str, str, str | None]  # (where, place, text); text None: a hit already (a key)


class _Scanner:
    """``found_in`` over many texts of an object with few calls. With ``found_in_many`` (the
    index's own bulk lookup, one answer per text), the texts of a chunk are asked together.
    Without it, the texts are joined: the leak index matches runs of whole words, and a word
    never spans a newline, so the texts joined by newlines hold every run each text holds
    (and a few across two texts): when the joined texts hold no tracked value, none of them
    does; when they do, halves are asked until single texts answer. Short texts' answers are
    remembered too: JSON keys, statuses and boilerplate repeat in every object of a bucket,
    and the index does not change during a scan."""

    CHUNK = 4096  # texts asked at once (a chunk's words are cut and digested in bulk)
    LONGEST = 256  # longer texts are rarely repeated: not worth holding
    SIZE = 65_536  # answers held (then forgotten all at once: memory stays flat)

    def __init__(
        self,
        found_in: Callable[[str], bool],
        found_in_many: Callable[[list[str]], np.ndarray] | None = None,
    ) -> None:
        self.found_in = found_in
        self.found_in_many = found_in_many
        self.answers: dict[str, bool] = {}

    def scan(
        self, chunk: list[tuple[str, str]], where: str, index: LeakIndex, report: LeakReport
    ) -> None:
        """Count and look up ``chunk``'s (place, text) pairs, recording hits in order."""
        self.scan_items([(where, place, text) for place, text in chunk], index, report)

    def scan_items(self, items: list[Item], index: LeakIndex, report: LeakReport) -> None:
        """Count and look up (where, place, text) items, recording hits in order; an item
        without a text is a hit already (a key that holds a value), recorded as its place."""
        answers = self.answers
        texts = [t for _, _, t in items if t is not None]
        asked = list(dict.fromkeys(t for t in texts if t not in answers))
        found = self._decide(asked)
        for where, place, text in items:
            report.scanned += 1
            if text is None:
                report.record(where, place)
            elif found[text] if text in found else answers[text]:
                report.record(where, shown(index, place))
        if len(answers) + len(found) > self.SIZE:
            answers.clear()
        answers.update((t, hit) for t, hit in found.items() if len(t) <= self.LONGEST)

    def _decide(self, texts: list[str]) -> dict[str, bool]:
        if not texts:
            return {}
        if self.found_in_many is not None:
            return dict(zip(texts, self.found_in_many(texts).tolist(), strict=True))
        if len(texts) == 1:
            return {texts[0]: self.found_in(texts[0])}
        if not self.found_in("\n".join(texts)):
            return dict.fromkeys(texts, False)
        half = len(texts) // 2
        return {**self._decide(texts[:half]), **self._decide(texts[half:])}


def shown(index: LeakIndex, text: str) -> str:
    """``text`` (a key, a JSON path, a field name) with every tracked value in it as ``*``:
    staging keys and names are data too, and a report never holds a value."""
    for start, end, _ in reversed(index.find(text)):
        text = f"{text[:start]}*{text[end:]}"
    return text


def contents(key: str, stream: BinaryIO) -> Iterator[tuple[str, str]]:
    """(place, text) of an object's texts: JSON leaves by path, Parquet string cells, lines
    of other text; nothing for binary objects."""
    lower = key.lower()
    if lower.endswith(".parquet"):
        yield from _parquet_cells(stream)
    elif lower.endswith(".json"):
        yield from _json_texts(stream)
    elif lower.endswith(".eml"):
        yield from _eml_texts(stream)
    elif lower.endswith(TEXT_SUFFIXES):
        yield from _lines(stream, json_lines=lower.endswith(JSON_SUFFIXES))
    else:
        head = stream.read(SNIFF_BYTES)
        if _is_text(head):
            yield from _lines(io.BufferedReader(_Chain(head, stream)))  # type: ignore[arg-type]


def _is_text(head: bytes) -> bool:
    if b"\0" in head:
        return False
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(head, final=False)  # a character cut at the end is fine
    except UnicodeDecodeError:
        return False
    return True


def _lines(stream: BinaryIO, json_lines: bool = False) -> Iterator[tuple[str, str]]:
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="replace", newline="")
    for number, line in enumerate(text, start=1):
        yield f"line {number}", line
        if json_lines and "\\" in line:  # escapes (\u00e9, \n) can split a value's words
            try:
                document = json.loads(line)
            except ValueError:
                continue
            for path, value in _json_strings(document):
                yield f"line {number} {path}", value


def _json_texts(stream: BinaryIO) -> Iterator[tuple[str, str]]:
    data = stream.read(MAX_JSON_BYTES + 1)
    text = data.decode("utf-8-sig", errors="replace")
    try:
        if len(data) > MAX_JSON_BYTES:
            raise ValueError("too large to parse")
        document = json.loads(text)
    except ValueError:  # JSON Lines in a .json, or not JSON: by lines
        yield from _lines(io.BufferedReader(_Chain(data, stream)), json_lines=True)  # type: ignore[arg-type]
        return
    yield from _json_strings(document)


def _eml_texts(stream: BinaryIO) -> Iterator[tuple[str, str]]:
    """A message's headers and text parts decoded (base64, quoted-printable and encoded
    words hide a value from a scan of the raw lines)."""
    import email
    import email.policy

    data = stream.read()
    yield from _lines(io.BufferedReader(_Chain(data, io.BytesIO())))  # type: ignore[arg-type]
    try:
        message = email.message_from_bytes(data, policy=email.policy.default)
        for number, part in enumerate(message.walk(), start=1):
            for name, raw in part.raw_items():
                if "=?" in raw:  # an encoded word: the raw line shows no words of it
                    yield f"part {number} {name}", str(part[name])
            encoding = str(part.get("Content-Transfer-Encoding", "")).lower()
            if part.get_content_maintype() == "text" and encoding in ENCODED:
                yield f"part {number}", str(part.get_content())
    except (LookupError, ValueError, TypeError, AttributeError):
        return  # not a parsable message: its raw lines were scanned


def _json_strings(node: Any, path: str = "$") -> Iterator[tuple[str, str]]:
    """(path, text) of every string leaf and every object key of a document (a key can hold
    a value too: ``{"jane@corp.com": …}``)."""
    if isinstance(node, dict):
        for key, child in node.items():
            yield path, str(key)
            yield from _json_strings(child, f"{path}.{key}")
    elif isinstance(node, list):
        for number, child in enumerate(node):
            yield from _json_strings(child, f"{path}[{number}]")
    elif isinstance(node, str):
        yield path, node


def _parquet_cells(stream: BinaryIO) -> Iterator[tuple[str, str]]:
    try:
        frame = pl.read_parquet(io.BytesIO(stream.read()))
    except (pl.exceptions.PolarsError, OSError):
        return
    for name in frame.columns:
        if frame[name].dtype == pl.String:
            for number, value in enumerate(frame[name].to_list(), start=1):
                if value is not None:
                    yield f"column {name}, row {number}", value


class _Chain(io.RawIOBase):
    """Bytes already read, then the rest of the stream."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self.head, self.rest = head, rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self.head:
            size = min(len(buffer), len(self.head))
            buffer[:size], self.head = self.head[:size], self.head[size:]
            return size
        data = self.rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)
