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
from sanitizer.extract.vectors.base import CollectionInfo, RecordBatch, VectorSource
from sanitizer.load.vectors.base import VectorTarget
from sanitizer.mask.plans import CollectionPlan
from sanitizer.verify.leaks import LeakIndex, LeakReport
from sanitizer.verify.tracker import Tracker

SHADOW_MARK = "__sz_"  # the shadow suffix both vector targets use
SCAN_BATCH = 512


def index_collections(
    source: VectorSource, plans: dict[str, CollectionPlan], tracker: Tracker, size: int
) -> None:
    """Index the tracked document and metadata values of every kept collection."""
    for plan in plans.values():
        if plan.drop:
            continue
        for batch in source.batches(plan.collection, size):
            if plan.document is not None:
                tracker.values(plan.document.operator, batch.documents)
            for key, field_plan in plan.metadata.items():
                tracker.values(field_plan.operator, [m.get(key) for m in batch.metadatas])


Collections = list[tuple[CollectionInfo, str]]  # what to read, and the name to report


def live_reader(name: str, kind: str, url: str) -> tuple[VectorSource, Collections]:
    """Live staging as a read-only source, and its collections (shadows left out)."""
    reader = open_source(name, kind, url)
    if kind == "chroma":
        listed = [c.name for c in reader.client.list_collections()]  # type: ignore[attr-defined]
        live = {n: n for n in listed if SHADOW_MARK not in n}
        return reader, _chroma_collections(reader, live)
    return reader, [(c, c.name) for c in reader.collections() if SHADOW_MARK not in c.name]


def shadow_reader(target: VectorTarget) -> tuple[VectorSource, Collections]:
    """A run's shadow collections as a read-only source, each with its staging name."""
    from sanitizer.load.vectors.chroma import ChromaTarget
    from sanitizer.load.vectors.lancedb import LanceTarget

    if isinstance(target, LanceTarget):  # a shadow directory beside the live one
        reader = open_source(target.name, target.kind, str(target.shadow))
        return reader, [(c, c.name) for c in reader.collections()]
    if isinstance(target, ChromaTarget):  # shadow collections on the staging server
        reader = open_source(target.name, target.kind, target.url)
        shadows = {handle.name: name for name, (handle, _) in target.shadows.items()}
        return reader, _chroma_collections(reader, shadows)
    raise TypeError(f"no leak scan for {type(target).__name__}")


def _chroma_collections(reader: Any, names: dict[str, str]) -> Collections:
    """Chroma collections opened by name: listing them all would first read every
    metadata of every collection on the server (to learn their keys), which a scan does
    not need."""
    found = []
    for name, shown in sorted(names.items()):
        handle = reader.client.get_collection(name, embedding_function=None)
        reader.handles[name] = handle  # what ChromaSource.batches reads through
        found.append((CollectionInfo(name, handle.count(), None, "cosine", ()), shown))
    return found


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
            for text in _metadata_texts(value):
                yield i, (f"metadata.{name}", text)


def _metadata_texts(value: Any) -> Iterator[str]:
    """Texts inside a metadata value: strings, list items, nested values, JSON text leaves."""
    if isinstance(value, str):
        yield value
        if value.lstrip().startswith(("{", "[")) and "\\" in value:
            try:
                parsed = json.loads(value)
            except ValueError:
                return
            yield from _metadata_texts(parsed)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _metadata_texts(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _metadata_texts(item)
