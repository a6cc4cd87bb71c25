"""LanceDB staging: build every table in a shadow directory beside the live one, then swap.

The swap is two renames (live → old, shadow → live) and removing the old copy; a run killed
between them leaves both directories, and the next run clears the leftovers. Tables keep the
source's columns; the vector column holds the new embeddings and the schema metadata records
the model, dimension and metric.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from sanitizer.errors import ConfigError
from sanitizer.extract.vectors.base import CollectionInfo, Collections, RecordBatch, VectorSource
from sanitizer.extract.vectors.lancedb import LanceSource
from sanitizer.load.locks import file_lock, lock_file_for
from sanitizer.load.ownership import claim_folder
from sanitizer.load.target import SHADOW_MARK
from sanitizer.load.vectors.base import VectorTarget, check_batch, target_errors
from sanitizer.stores.lancedb import layout, table_names


class LanceTarget(VectorTarget):
    kind = "lancedb"

    def __init__(self, name: str, url: str) -> None:
        super().__init__(name, url)
        if "://" in url:
            raise ConfigError(
                f"targets.{name}: a LanceDB staging target must be a local directory, not {url}.",
                hint="point it at a folder; the swap renames directories, which object stores "
                "cannot do atomically.",
            )
        self.path = Path(url).resolve()
        self.shadow = self.path
        self.db: Any = None
        self.tables: dict[str, tuple[Any, pa.Schema, dict[str, Any], int]] = {}

    @contextmanager
    def lock(self, run_id: str, ttl: int) -> Iterator[None]:
        """``flock`` on a lock file beside the directory: released with the process."""
        with file_lock(lock_file_for(self.path), self.name, self.describe(), run_id):
            yield

    def claim(self, run_id: str, version: str, init: bool, write: bool = True) -> None:
        claim_folder(self.name, self.path, run_id, version, init, write)

    def prepare(self, run_id: str, managed: list[str]) -> None:
        import lancedb

        self.run_id = run_id
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._restore_killed_swap()
        for leftover in self.path.parent.glob(f"{self.path.name}{SHADOW_MARK}*"):
            shutil.rmtree(leftover, ignore_errors=True)  # a killed run's: never live data
        self.shadow = self.path.with_name(f"{self.path.name}{SHADOW_MARK}{run_id}")
        self.shadow.mkdir()
        self.db = lancedb.connect(str(self.shadow))

    def _restore_killed_swap(self) -> None:
        """A run killed between the swap's two renames left staging renamed aside and no
        live directory: put it back before leftovers are cleared, so it is never lost."""
        aside = sorted(self.path.parent.glob(f"{self.path.name}{SHADOW_MARK}old_*"))
        if not self.path.exists() and aside:
            os.replace(aside[-1], self.path)

    def live_dimension(self, collection: str) -> int | None:
        import lancedb

        if not self.path.is_dir():
            return None
        live = lancedb.connect(str(self.path))
        if collection not in table_names(live):
            return None
        table = live.open_table(collection)
        parts = layout(table.schema, collection)
        if parts["dimension"] is None:  # a plain float list: its first vector tells
            first = table.search().limit(1).to_list()
            return len(first[0][parts["vector"]]) if first else None
        return parts["dimension"]

    def create(self, collection: CollectionInfo, dimension: int, stamp: dict[str, str]) -> None:
        parts = collection.details
        fields = []
        for f in parts["schema"]:
            if f.name == parts["vector"]:
                fixed = pa.types.is_fixed_size_list(f.type)
                kind = pa.list_(pa.float32(), dimension) if fixed else pa.list_(pa.float32())
                f = pa.field(f.name, kind, nullable=f.nullable)
            fields.append(f)
        metadata = dict(parts["schema"].metadata or {})
        metadata.update({k.encode(): v.encode() for k, v in stamp.items()})
        schema = pa.schema(fields, metadata=metadata)
        table = self.db.create_table(collection.name, schema=schema)
        self.tables[collection.name] = (table, schema, parts, dimension)

    def write(self, collection: str, batch: RecordBatch, vectors: np.ndarray) -> None:
        table, schema, parts, dimension = self.tables[collection]
        check_batch(batch, vectors, dimension)
        columns: dict[str, Any] = {}
        if parts["id"]:
            columns[parts["id"]] = batch.ids
        if parts["document"]:
            columns[parts["document"]] = batch.documents
        flat = pa.array(vectors.astype(np.float32).ravel(), pa.float32())
        if pa.types.is_fixed_size_list(schema.field(parts["vector"]).type):
            columns[parts["vector"]] = pa.FixedSizeListArray.from_arrays(flat, dimension)
        else:
            offsets = pa.array(np.arange(len(batch) + 1, dtype=np.int32) * dimension)
            columns[parts["vector"]] = pa.ListArray.from_arrays(offsets, flat)
        for key in parts["flat"]:
            columns[key] = [meta.get(key) for meta in batch.metadatas]
        if parts["struct"]:
            columns[parts["struct"]] = [  # a record whose struct was NULL keeps it NULL
                {key: meta.get(key) for key in parts["nested"]}
                if any(key in meta for key in parts["nested"])
                else None
                for meta in batch.metadatas
            ]
        arrays = [
            columns[f.name]
            if isinstance(columns[f.name], pa.Array)
            else pa.array(columns[f.name], type=f.type)
            for f in schema
        ]
        with target_errors(self.name, f"writing {collection}"):
            table.add(pa.Table.from_arrays(arrays, schema=schema))

    def count(self, collection: str) -> int:
        return self.tables[collection][0].count_rows()

    def shadow_reader(self) -> tuple[VectorSource, Collections]:
        """The shadow directory beside the live one, as a LanceDB source."""
        reader = LanceSource(self.name, str(self.shadow))
        return reader, [(c, c.name) for c in reader.collections()]

    def swap(self) -> None:
        old = self.path.with_name(f"{self.path.name}{SHADOW_MARK}old_{self.run_id}")
        if self.path.exists():
            os.replace(self.path, old)
        os.replace(self.shadow, self.path)
        shutil.rmtree(old, ignore_errors=True)
        self.shadow = self.path

    def discard(self) -> None:
        if self.shadow != self.path:
            shutil.rmtree(self.shadow, ignore_errors=True)
