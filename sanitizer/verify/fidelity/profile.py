"""Streaming per-field profiles of production and staging, built from the batches of a run.

Each batch a run reads from production (and each masked batch it writes to staging) passes
through :meth:`TableProfile.observe` once: polars expressions over the batch, no second read.
What a profile keeps is bounded and holds no value (docs/fidelity.md, "What is profiled"):
counts; length and line-count buckets; character-class shapes (``Aa 9``: letters, digits and
spaces as classes, ASCII punctuation as itself); scripts; JSON key sets and types per path
(key names that are not identifiers shown as ``<key>``); number and date samples kept in
memory only and written as histograms with rounded edges; top values only for ``keep`` fields.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import polars as pl

from sanitizer.mask.codecs import unescape
from sanitizer.mask.plans import TablePlan
from sanitizer.schema import DATE, DATETIME, DECIMAL, FLOAT, INTEGER, JSON, OTHER, STRING
from sanitizer.verify.fidelity.relations import KeySet, key_hashes
from sanitizer.verify.fidelity.sketch import Capped, Distinct, Reservoir, bucket

NUMERIC_KINDS = (INTEGER, DECIMAL, FLOAT)
DATE_KINDS = (DATE, DATETIME)
TEXT_KINDS = (STRING, OTHER)
SHAPE_CHARS = 32  # a shape longer than this is cut (long texts would all differ)
TOP_CHARS = 80  # a keep field's top values are counted by their first 80 characters
JSON_TYPES_PER_BATCH = 250  # documents per batch and side whose every path is typed (a sample)
SHAPES_PER_BATCH = 2000  # values per batch and side whose shape is taken (a stride sample)
# whitespace only (and not empty): what ``str.strip_chars()`` empties, without a stripped copy
BLANK = r"^\s+$"
IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_\-]{0,39}\Z")
SCRIPTS = {
    "latin": r"[\p{Latin}&&[^\x00-\x7F]]",
    "cyrillic": r"\p{Cyrillic}",
    "greek": r"\p{Greek}",
    "arabic": r"\p{Arabic}",
    "hebrew": r"\p{Hebrew}",
    "cjk": r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}]",
    "devanagari": r"\p{Devanagari}",
}
# value → shape, in an order where no step's output is matched by a later step
SHAPE_STEPS = (
    (r"[\x00-\x08\x0e-\x1f\x7f]+", "?"),
    (r"\s+", " "),
    (r"\p{N}+", "9"),
    (r"[\p{Lo}\p{Lt}\p{Lm}]+", "\x01"),
    (r"\p{Lu}+", "A"),
    (r"\p{Ll}+", "a"),
    (r"\p{M}+", ""),
    (r"[^\x00-\x7F]+", "?"),
    ("\x01", "*"),
)
# the steps that can change an ASCII text: the other four match only non-ASCII characters or
# the ``\x01`` mark, which the first step has taken out (tests/verify/fidelity)
ASCII_SHAPE_STEPS = tuple(SHAPE_STEPS[i] for i in (0, 1, 2, 4, 5))


def text_view(series: pl.Series, copy_text: bool) -> pl.Series:
    """A column as plain strings (NULL stays NULL), whatever the source handed over."""
    if copy_text:
        return unescape(series)
    dtype = series.dtype
    if dtype == pl.String:
        return series
    if dtype == pl.Binary:
        return series.bin.encode("hex")
    if dtype == pl.Object or dtype.is_nested():
        return _each_as_text(series)
    try:
        return series.cast(pl.String, strict=False)
    except pl.exceptions.PolarsError:  # a type polars cannot write as text (a Duration)
        return _each_as_text(series)


def _each_as_text(series: pl.Series) -> pl.Series:
    return pl.Series(series.name, [_as_text(v) for v in series.to_list()], dtype=pl.String)


def _as_text(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, dict | list):
        return json.dumps(value, default=str)
    if isinstance(value, bytes):
        return value.hex()
    return str(value)


def shape(texts: pl.Series, ascii_only: bool = False) -> pl.Series:
    """``"Jane O'Neil, 42"`` → ``"Aa Aa'Aa, 9"``: classes of characters, never characters.
    ``ascii_only``: the caller knows every text is ASCII (:data:`ASCII_SHAPE_STEPS`)."""
    out = texts
    for pattern, replacement in ASCII_SHAPE_STEPS if ascii_only else SHAPE_STEPS:
        out = out.str.replace_all(pattern, replacement, literal=len(pattern) == 1)
    return out.str.slice(0, SHAPE_CHARS)


def numbers(texts: pl.Series, kind: str) -> pl.Series:
    """Numbers of a numeric column; dates and timestamps as fractional years (UTC date)."""
    if kind in NUMERIC_KINDS:
        return texts.str.strip_chars().cast(pl.Float64, strict=False)
    days = texts.str.slice(0, 10).str.to_date("%Y-%m-%d", strict=False).cast(pl.Int32)
    return 1970.0 + days.cast(pl.Float64) / 365.2425


@dataclass
class FieldProfile:
    """One field on one side of the run: counts and bounded summaries, no value."""

    kind: str
    keep: bool = False  # a ``keep`` field: its top values may be shown
    is_json: bool = False
    rows: int = 0
    nulls: int = 0
    empty: int = 0
    blank: int = 0  # whitespace only
    non_ascii: int = 0
    lengths: Capped = field(default_factory=Capped)
    lines: Capped = field(default_factory=Capped)
    shapes: Capped = field(default_factory=Capped)
    scripts: Capped = field(default_factory=Capped)
    distinct: Distinct = field(default_factory=Distinct)
    sample: Reservoir = field(default_factory=Reservoir)
    unparsed: int = 0  # non-empty values of a number or date field that do not parse
    low: float | None = None  # exact range: only reported for keep fields
    high: float | None = None
    json_seen: int = 0
    json_invalid: int = 0
    keysets: Capped = field(default_factory=lambda: Capped(200))
    types: Capped = field(default_factory=lambda: Capped(300))
    top: Capped = field(default_factory=lambda: Capped(2000))

    def observe(self, texts: pl.Series) -> None:
        """Add one batch of this field (as plain strings) to the profile."""
        self.rows += texts.len()
        values = texts.drop_nulls()
        self.nulls += texts.len() - values.len()
        if values.len() == 0:
            return
        empty, blank = values == "", values.str.contains(BLANK)
        self.empty += int(empty.sum())
        self.blank += int(blank.sum())
        self.distinct.add(values.hash(seed=18))
        self.lengths.add_series(_bucketed(values.str.len_chars()))
        if self.kind in NUMERIC_KINDS + DATE_KINDS:
            self._numbers(values, ~(empty | blank))
        elif self.kind in TEXT_KINDS:
            self._text(values)
        if self.is_json or self.kind == JSON:
            self._json(values)
        if self.keep:
            self.top.add_series(values.str.slice(0, TOP_CHARS))  # bounded memory
            if len(self.top.counts) >= self.top.cap:
                self.top.counts = self.top.top(self.top.cap // 2)

    def _numbers(self, values: pl.Series, filled: pl.Series) -> None:
        """``filled``: the values that are neither empty nor whitespace only."""
        parsed = numbers(values, self.kind)
        self.unparsed += int((parsed.is_null() & filled).sum())
        finite = parsed.drop_nulls().to_numpy()
        finite = finite[np.isfinite(finite)]
        if len(finite):
            self.sample.add(finite)
            low, high = float(finite.min()), float(finite.max())
            self.low = low if self.low is None else min(self.low, low)
            self.high = high if self.high is None else max(self.high, high)

    def _text(self, values: pl.Series) -> None:
        wide = values.filter(values.str.contains(r"[^\x00-\x7F]"))
        if not self.is_json:  # a document's structure is in its key sets and types instead
            self.lines.add_series(_bucketed(values.str.count_matches("\n", literal=True) + 1))
            step = max(1, values.len() // SHAPES_PER_BATCH)
            self.shapes.add_series(shape(values.gather_every(step), ascii_only=not wide.len()))
        self.non_ascii += wide.len()
        if wide.len():
            self.scripts.add((name, int(wide.str.contains(p).sum())) for name, p in SCRIPTS.items())

    def _json(self, values: pl.Series) -> None:
        """Every non-blank document is parsed (the share that does not parse and the key sets
        are exact); the types per path come from a stride sample of each batch."""
        keysets: dict[str, int] = {}
        types: dict[str, int] = {}
        texts = values.filter(values.str.strip_chars() != "").to_list()
        step = max(1, len(texts) // JSON_TYPES_PER_BATCH)
        for index, text in enumerate(texts):
            self.json_seen += 1
            try:
                document = json.loads(text)
            except ValueError:
                self.json_invalid += 1
                continue
            label = keyset(document)
            keysets[label] = keysets.get(label, 0) + 1
            if index % step == 0:
                for path, kind in json_types(document):
                    entry = f"{path} {kind}"
                    types[entry] = types.get(entry, 0) + 1
        self.keysets.add(keysets.items())
        self.types.add(types.items())


def _bucketed(lengths: pl.Series) -> pl.Series:
    return pl.select(bucket(pl.lit(lengths)).cast(pl.String)).to_series()


@functools.lru_cache(maxsize=4096)
def key_name(key: str) -> str:
    """A JSON key as shown: an identifier-like name, or ``<key>`` (a key can be a value)."""
    return key if IDENTIFIER.match(key) else "<key>"


def keyset(document: Any) -> str:
    """The sorted top-level keys of a JSON object, or the type of anything else."""
    if isinstance(document, dict):
        return "{" + ",".join(sorted({key_name(str(k)) for k in document})) + "}"
    return f"<{json_type(document)}>"


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string" if value else "empty-string"
    return "array" if isinstance(value, list) else "object"


def json_types(node: Any, path: str = "$", depth: int = 0) -> list[tuple[str, str]]:
    """(path, type) of every node down to depth 4; array items share one ``[]`` path."""
    found = [(path, json_type(node))]
    if depth >= 4:
        return found
    if isinstance(node, dict):
        for key, child in node.items():
            found += json_types(child, f"{path}.{key_name(str(key))}", depth + 1)
    elif isinstance(node, list):
        for child in node[:50]:
            found += json_types(child, f"{path}[]", depth + 1)
    return found


@dataclass
class TableProfile:
    """Both sides of one table: a profile per field, fed batch by batch."""

    plan: TablePlan
    copy_text: bool = False
    production: dict[str, FieldProfile] = field(default_factory=dict)
    staging: dict[str, FieldProfile] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=lambda: {"production": 0, "staging": 0})
    keys: dict[tuple[str, ...], dict[str, KeySet]] = field(default_factory=dict)

    def want_keys(self, columns: tuple[str, ...]) -> None:
        """Keep hashes of these columns (a key others reference, or a reference) per side."""
        if all(c in self.plan.columns for c in columns):
            self.keys.setdefault(columns, {"production": KeySet(), "staging": KeySet()})

    def __post_init__(self) -> None:
        for name, column_plan in self.plan.columns.items():
            kind = column_plan.column.kind
            keep = column_plan.operator.label() == "keep"
            is_json = column_plan.operator.name == "json"
            self.production[name] = FieldProfile(kind, keep, is_json)
            self.staging[name] = FieldProfile(kind, keep, is_json)

    def observe(self, side: str, batch: pl.DataFrame) -> None:
        """Profile a production (``side="production"``) or staging batch; returns nothing so
        a generator can pass the batch on with ``observe(...) or batch``."""
        fields = self.production if side == "production" else self.staging
        self.rows[side] += batch.height
        texts = {
            name: text_view(batch.get_column(name), self.copy_text)
            for name in fields
            if name in batch.columns
        }
        for name, values in texts.items():
            fields[name].observe(values)
        for columns, sides in self.keys.items():
            if all(c in texts for c in columns):
                sides[side].add(key_hashes([texts[c] for c in columns]))
