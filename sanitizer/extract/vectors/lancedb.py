"""LanceDB source: a database directory (local path or ``s3://``) whose tables are collections.

A table's columns map onto records by convention: ``id``; the document is the first of
``document``, ``text``, ``content``; the vector is ``vector`` (else the first fixed-size float
list column, else a float list named ``embedding``); without an ``id`` column records keep their
order; every other column is a metadata key, and a struct column named ``metadata``
contributes its fields as keys, so rules read the same as for Chroma. Each table is read at the
version it had when the run opened it: a point-in-time snapshot.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pyarrow as pa

from sanitizer.extract.vectors.base import CollectionInfo, RecordBatch, VectorSource
from sanitizer.schema import BOOLEAN, DATE, DATETIME, FLOAT, INTEGER, JSON, OTHER, STRING
from sanitizer.stores.lancedb import connect, layout, table_names

DEFAULT_METRIC = "l2"  # LanceDB's search default when no index says otherwise


def arrow_kind(kind: pa.DataType) -> str:
    """The operator kind of an Arrow column (a list counts as its elements' kind)."""
    if pa.types.is_list(kind) or pa.types.is_large_list(kind) or pa.types.is_fixed_size_list(kind):
        return arrow_kind(kind.value_type)
    checks = (
        (pa.types.is_boolean, BOOLEAN),
        (pa.types.is_integer, INTEGER),
        (pa.types.is_floating, FLOAT),
        (pa.types.is_decimal, FLOAT),
        (pa.types.is_timestamp, DATETIME),
        (pa.types.is_date, DATE),
        (pa.types.is_struct, JSON),
        (pa.types.is_map, JSON),
        (pa.types.is_string, STRING),
        (pa.types.is_large_string, STRING),
    )
    return next((name for check, name in checks if check(kind)), OTHER)


def key_kinds(parts: dict[str, Any]) -> dict[str, frozenset[str]]:
    schema: pa.Schema = parts["schema"]
    kinds = {key: frozenset({arrow_kind(schema.field(key).type)}) for key in parts["flat"]}
    if parts["struct"]:
        struct = schema.field(parts["struct"]).type
        for child in struct:
            kinds[child.name] = frozenset({arrow_kind(child.type)})
    return kinds


def to_records(rows: list[dict[str, Any]], parts: dict[str, Any], start: int = 0) -> RecordBatch:
    """Arrow rows → records; ``start`` numbers the records of a table without an id column."""
    metadatas = []
    for row in rows:
        meta = {key: row[key] for key in parts["flat"]}
        if parts["struct"]:
            meta.update(row[parts["struct"]] or {})
        metadatas.append(meta)
    return RecordBatch(
        ids=[row[parts["id"]] for row in rows]
        if parts["id"]
        else [str(n) for n in range(start, start + len(rows))],
        documents=[row[parts["document"]] for row in rows]
        if parts["document"]
        else [None] * len(rows),
        metadatas=metadatas,
        vectors=[row[parts["vector"]] for row in rows],
    )


class LanceSource(VectorSource):
    kind = "lancedb"

    def __init__(self, name: str, url: str) -> None:
        super().__init__(name, url)
        self.db = connect(name, url)
        self.tables: dict[str, Any] = {}

    def collections(self) -> list[CollectionInfo]:
        infos = []
        for table_name in table_names(self.db):
            table = self.db.open_table(table_name)
            table.checkout(table.version)  # pin: later writes to production are not seen
            self.tables[table_name] = table
            parts = layout(table.schema, table_name)
            dimension = parts["dimension"]
            if dimension is None:  # a plain float list: its first vector tells
                first = table.search().limit(1).to_list()
                dimension = len(first[0][parts["vector"]]) if first else None
            infos.append(
                CollectionInfo(
                    name=table_name,
                    count=table.count_rows(),
                    dimension=dimension,
                    metric=_metric(table),
                    metadata_keys=tuple(parts["flat"] + parts["nested"]),
                    has_documents=parts["document"] is not None,
                    key_kinds=key_kinds(parts),
                    details=parts,
                )
            )
        return infos

    def collection_names(self) -> list[str]:
        return table_names(self.db)

    def batches(self, collection: CollectionInfo, size: int) -> Iterator[RecordBatch]:
        table = self.tables[collection.name]
        reader = table.search().limit(None).to_batches(size)
        done = 0
        for batch in reader:
            if batch.num_rows:
                yield to_records(batch.to_pylist(), collection.details, done)
                done += batch.num_rows


def _metric(table: Any) -> str:
    """The distance of the vector index, when there is one; LanceDB's default otherwise."""
    try:
        for index in table.list_indices():
            stats = table.index_stats(index.name)
            metric = getattr(stats, "distance_type", None)
            if metric:
                return str(metric)
    except Exception:  # an index that cannot describe itself: the search default applies
        pass
    metric = (table.schema.metadata or {}).get(b"sanitizer.metric")
    return metric.decode() if metric else DEFAULT_METRIC
