"""The leak check for vector stores: index masked fields of production records, scan staging.

Indexing reads production collections again (documents and metadata only matter), taking the
values of fields whose operator replaces every value; a ``detect`` document is scanned, not
indexed, as on the SQL side. Scanning reads every record of a staging collection — a run's
shadow, or live staging in ``verify`` — and looks up its id, document and every text in its
metadata (list items and JSON text included). A hit names store, collection, field and record
id (the record's number when the id itself holds the value), never the value.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from sanitizer.extract.vectors import open_source
from sanitizer.extract.vectors.base import Collections, RecordBatch, VectorSource
from sanitizer.load.target import SHADOW_MARK
from sanitizer.mask.plans import CollectionPlan
from sanitizer.verify.leaks import LeakIndex, LeakReport
from sanitizer.verify.tracker import Tracker

SCAN_BATCH = 512


def index_collections(
    source: VectorSource, plans: dict[str, CollectionPlan], tracker: Tracker, size: int
) -> None:
    """Index the tracked document and metadata values of every kept collection."""
    for plan in plans.values():
        if plan.drop:
            continue
        tracker.field = f"{source.name}.{plan.collection.name}"  # where hosts came from
        for batch in source.batches(plan.collection, size):
            if plan.document is not None:
                tracker.values(plan.document.operator, batch.documents)
            for key, field_plan in plan.metadata.items():
                tracker.values(field_plan.operator, [m.get(key) for m in batch.metadatas])


def live_reader(name: str, kind: str, url: str) -> tuple[VectorSource, Collections]:
    """Live staging as a read-only source, and its collections (shadows left out)."""
    reader = open_source(name, kind, url)
    live = {n: n for n in reader.collection_names() if SHADOW_MARK not in n}
    return reader, reader.open_collections(live)


def scan_collections(
    reader: VectorSource,
    collections: Collections,
    store: str,
    index: LeakIndex,
    report: LeakReport,
) -> None:
    """Look up the id, document and metadata texts of every record of ``collections``."""
    if not len(index):
        return
    for info, shown in collections:
        number = 0
        for batch in reader.batches(info, SCAN_BATCH):
            for record, (field, text) in _texts(batch, number):
                report.scanned += 1
                if index.found_in(text):
                    key = batch.ids[record - number - 1]
                    named = f"record {record}" if index.found_in(str(key)) else f"id={key}"
                    report.record(f"{store}.{shown}.{field}", named)
            number += len(batch)


def _texts(batch: RecordBatch, before: int) -> Iterator[tuple[int, tuple[str, str]]]:
    """(record number, (field, text)) of every text of a batch."""
    for i, (key, document, metadata) in enumerate(
        zip(batch.ids, batch.documents, batch.metadatas, strict=True), start=before + 1
    ):
        yield i, ("id", str(key))
        if isinstance(document, str):
            yield i, ("document", document)
        for name, value in (metadata or {}).items():
            for text in metadata_texts(value):
                yield i, (f"metadata.{name}", text)


def metadata_texts(value: Any) -> Iterator[str]:
    """Texts inside a metadata value: strings, list items, nested values, JSON text leaves."""
    if isinstance(value, str):
        yield value
        if value.lstrip().startswith(("{", "[")) and "\\" in value:
            try:
                parsed = json.loads(value)
            except ValueError:
                return
            yield from metadata_texts(parsed)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from metadata_texts(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from metadata_texts(item)
