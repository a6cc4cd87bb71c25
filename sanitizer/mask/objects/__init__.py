"""Masking whole objects: one module per format, all sharing the column operators.

A handler reads an object from a byte stream and writes the masked object to another, in
bounded pieces where the format allows (NDJSON and text by lines, CSV and Parquet by batches),
so a large object never sits in memory whole. Values go through the same operators and keyed
pseudonyms as SQL columns, so an email in a CSV export becomes the same fake as the
``{fake: email}`` column in the database. A handler that meets bytes that are not its format
raises :class:`MalformedObject`; the run applies its policy (fail, or quarantine and report).
"""

from __future__ import annotations

import codecs
import threading
from dataclasses import dataclass, field
from typing import Any

from sanitizer.mask.engine import ColumnStats, UniqueLedger
from sanitizer.mask.operators.base import MaskContext, Operator
from sanitizer.mask.pseudonyms import Keyring
from sanitizer.schema import STRING, ColumnInfo

BOM = codecs.BOM_UTF8
# spaCy pipelines are switched per call (see mask.text.detector), which is not thread-safe:
# detection runs one call at a time per process, while I/O for other objects goes on.
NLP_LOCK = threading.Lock()


class MalformedObject(Exception):
    """The object is not the format its rule expects; the message never holds its contents."""


@dataclass
class ObjectContext:
    """What a handler needs besides the bytes: the key, NLP settings and the run's ledger.

    ``stats`` counts per field for the receipt — ``$`` (a JSON rule), ``text`` (detect), a
    CSV column, ``key``, ``metadata.NAME`` — never values.
    """

    keyring: Keyring
    nlp: Any
    ledger: UniqueLedger
    stats: dict[str, ColumnStats] = field(default_factory=dict)

    def apply(self, op: Operator, values: list[Any], label: str, column: str = "$") -> list[Any]:
        """Mask values (duplicates computed once) with ``op``; counts go to ``stats[label]``."""
        stats = self.stats.setdefault(label, ColumnStats(op.label(), "rule"))
        stats.rows += len(values)
        todo = [v for v in dict.fromkeys(values) if not (isinstance(v, str) and not v.strip())]
        if not todo or not op.changes_values:
            return values
        ctx = MaskContext(self.keyring, ColumnInfo(name=column, kind=STRING, sql_type="TEXT"))
        ctx.nlp = self.nlp
        if op.uses_nlp:
            with NLP_LOCK:
                masked = op.mask_values(todo, ctx)
        else:
            masked = op.mask_values(todo, ctx)
        mapping = dict(zip(todo, masked, strict=True))
        stats.details.update(ctx.stats)
        stats.masked += len(todo)
        if op.replaces_every_value:
            stats.unchanged += sum(1 for v in todo if mapping[v] == v and len(str(v)) >= 4)
        return [mapping.get(v, v) for v in values]

    def apply_documents(self, op: Operator, documents: list[Any], label: str) -> list[Any]:
        """Mask parsed JSON documents (in place) with a ``json`` rule; counts to ``label``."""
        stats = self.stats.setdefault(label, ColumnStats(op.label(), "rule"))
        stats.rows += len(documents)
        ctx = MaskContext(self.keyring, ColumnInfo(name="$", kind=STRING, sql_type="JSON"))
        ctx.nlp = self.nlp
        if op.uses_nlp:
            with NLP_LOCK:
                masked = op.mask_values(documents, ctx)
        else:
            masked = op.mask_values(documents, ctx)
        stats.details.update(ctx.stats)
        stats.masked += len(documents)
        return masked


def split_bom(data: bytes) -> tuple[bytes, bytes]:
    """(BOM or b"", the rest): the BOM is written back exactly as it was."""
    return (BOM, data[len(BOM) :]) if data.startswith(BOM) else (b"", data)


def decode(data: bytes) -> str:
    """UTF-8 text, or MalformedObject naming the byte offset (never the bytes)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise MalformedObject(f"is not UTF-8 text (invalid byte at offset {exc.start})") from None


class UncoveredFields(Exception):
    """Columns no rule covers (schema drift in a file): the run stops, naming them."""

    def __init__(self, fields: list[str]) -> None:
        super().__init__(", ".join(fields))
        self.fields = fields
