"""The machine-readable record of a run (docs/design.md, guarantee 9): counts and names,
no values."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Protocol


class FieldCounts(Protocol):
    """What masking counted for one field (``mask.engine.ColumnStats`` has this shape)."""

    operator: str
    origin: str
    masked: int
    unchanged: int
    details: dict[str, int]


@dataclass
class FieldReceipt:
    operator: str
    origin: str
    masked_values: int
    unchanged_values: int
    detected: dict[str, int] = field(default_factory=dict)

    @classmethod
    def of(cls, counts: FieldCounts) -> FieldReceipt:
        """A field's receipt from its masking counts: entities by type, never values."""
        detected = {
            key.split(":", 1)[1]: value
            for key, value in counts.details.items()
            if key.startswith("entity:")
        }
        return cls(counts.operator, counts.origin, counts.masked, counts.unchanged, detected)

    @classmethod
    def of_all(cls, stats: Mapping[str, FieldCounts]) -> dict[str, FieldReceipt]:
        return {name: cls.of(counts) for name, counts in stats.items()}


@dataclass
class TableReceipt:
    rows_in: int = 0
    rows_out: int = 0
    fields: dict[str, FieldReceipt] = field(default_factory=dict)


@dataclass
class ObjectReceipt:
    """One ``objects:`` rule's share of a run: counts, bytes and masked keys — never contents."""

    rule: str
    objects_in: int = 0
    objects_out: int = 0
    dropped: int = 0
    bytes_in: int = 0
    bytes_out: int = 0
    keys_changed: int = 0
    metadata_dropped: int = 0
    fields: dict[str, FieldReceipt] = field(default_factory=dict)
    quarantined: list[dict[str, str]] = field(default_factory=list)  # masked key + reason


@dataclass
class CollectionReceipt(TableReceipt):
    """A vector collection: records in/out, per field operator, and the embedding used."""

    dropped: bool = False
    embedding_model: str | None = None
    dimension: int | None = None
    metric: str | None = None


@dataclass
class Receipt:
    run_id: str
    tool_version: str
    started_at: str
    rules_digest: str
    key_id: str
    key_fingerprint: str
    dry_run: bool = False
    finished_at: str | None = None
    duration_seconds: float | None = None
    status: str = "running"
    error: str | None = None
    sources: dict[str, dict[str, Any]] = field(default_factory=dict)
    targets: dict[str, str] = field(default_factory=dict)
    tables: dict[str, TableReceipt] = field(default_factory=dict)
    objects: dict[str, ObjectReceipt] = field(default_factory=dict)  # "source:glob" → counts
    collections: dict[str, CollectionReceipt] = field(default_factory=dict)
    entities: dict[str, int] = field(default_factory=dict)
    # SQL source → schema-object kind → {"production": n, "staging": n, "skipped": n}
    schema: dict[str, dict[str, dict[str, int | None]]] = field(default_factory=dict)
    verification: dict[str, Any] = field(default_factory=dict)
    # SQL source → {"tables": {table: {production_rows, subset_rows, path}}, "notes": [...]}
    subset: dict[str, dict[str, Any]] = field(default_factory=dict)
    killed_runs: list[str] = field(default_factory=list)  # stale runs this run found
    stages: dict[str, float] = field(default_factory=dict)  # step → seconds
    retries: dict[str, int] = field(default_factory=dict)  # step → transient failures retried
    # production vs staging per store, table and field: scores and aggregates (docs/fidelity.md)
    fidelity: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, sort_keys=False)

    def write(self, folder: Path) -> Path:
        """Write ``<run_id>.json`` atomically (temp file, then rename)."""
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{self.run_id}.json"
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".receipt-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(self.to_json() + "\n")
        os.replace(tmp, path)
        return path
