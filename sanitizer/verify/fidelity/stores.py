"""Object stores and vector collections, profiled on both sides as a run moves them.

Objects, per ``objects:`` rule: how many, their formats, their sizes (power-of-two buckets of
bytes) and how many do not parse (production's malformed objects are messiness; a quarantined
one is missing from staging, and the report shows it). Vector collections: documents profiled
like a text column, metadata key sets, and vector norms (docs/fidelity.md, "Objects and
vectors"). Only counts, buckets and key names that look like identifiers are kept.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import polars as pl

from sanitizer.verify.fidelity.profile import FieldProfile, keyset
from sanitizer.verify.fidelity.score import field_report, ks_binned, ks_samples, tvd
from sanitizer.verify.fidelity.sketch import Capped, Reservoir, nice_step

SIDES = ("production", "staging")


def size_bucket(size: int) -> str:
    """Bytes → the power of two at or below (``"0"`` for empty objects)."""
    return "0" if size <= 0 else str(2 ** int(math.log2(size)))


@dataclass
class ObjectSide:
    count: int = 0
    malformed: int = 0
    formats: Capped = field(default_factory=Capped)
    sizes: Capped = field(default_factory=Capped)

    def add(self, fmt: str, size: int, malformed: bool = False) -> None:
        self.count += 1
        self.malformed += malformed
        self.formats.add([(fmt, 1)])
        self.sizes.add([(size_bucket(size), 1)])

    def summary(self) -> dict[str, Any]:
        return {
            "count": self.count,
            "malformed": self.malformed,
            "categories": {"formats": self.formats.top(12)},
            "buckets": {"size (bytes)": _sorted(self.sizes.counts)},
        }


@dataclass
class ObjectProfile:
    """One ``objects:`` rule's objects, both sides."""

    rule: str
    sides: dict[str, ObjectSide] = field(default_factory=lambda: {s: ObjectSide() for s in SIDES})

    def report(self) -> dict[str, Any]:
        prod, stage = self.sides["production"], self.sides["staging"]
        metrics = {
            "count": _ratio(prod.count, stage.count),
            "formats": 1 - tvd(prod.formats.counts, stage.formats.counts),
            "sizes": 1 - ks_binned(prod.sizes.counts, stage.sizes.counts),
            "malformed": 1
            - abs(_share(prod.malformed, prod.count) - _share(stage.malformed, stage.count)),
        }
        entry = _group("objects", self.rule, metrics, prod.summary(), stage.summary())
        return _as_table(prod.count, stage.count, {"objects": entry})


@dataclass
class VectorProfile:
    """One collection: documents, metadata key sets and vector norms, both sides."""

    documents: dict[str, FieldProfile] = field(
        default_factory=lambda: {s: FieldProfile("string") for s in SIDES}
    )
    keysets: dict[str, Capped] = field(default_factory=lambda: {s: Capped(200) for s in SIDES})
    norms: dict[str, Reservoir] = field(default_factory=lambda: {s: Reservoir() for s in SIDES})
    rows: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SIDES, 0))

    def observe(
        self, side: str, documents: list[str | None], metadatas: list[dict[str, Any]], vectors: Any
    ) -> None:
        """One batch of one side (``vectors``: the batch's vectors, or None)."""
        self.rows[side] += len(documents)
        self.documents[side].observe(pl.Series(documents, dtype=pl.String))
        sets: dict[str, int] = {}
        for metadata in metadatas:
            label = keyset(metadata or {})
            sets[label] = sets.get(label, 0) + 1
        self.keysets[side].add(sets.items())
        if vectors is not None and len(vectors):
            array = np.asarray([v for v in vectors if v is not None], dtype=np.float64)
            if array.ndim == 2 and len(array):
                self.norms[side].add(np.linalg.norm(array, axis=1))

    def report(self, operator: str) -> dict[str, Any]:
        prod, stage = self.documents["production"], self.documents["staging"]
        fields = {"document": field_report(operator, prod, stage)}
        kp, ks = self.keysets["production"].counts, self.keysets["staging"].counts
        fields["metadata"] = _group(
            "metadata",
            "key sets",
            {"key_sets": 1 - tvd(kp, ks)},
            {"count": sum(kp.values()), "categories": {"key sets": top_of(kp)}, "buckets": {}},
            {"count": sum(ks.values()), "categories": {"key sets": top_of(ks)}, "buckets": {}},
        )
        np_, ns = self.norms["production"].sample, self.norms["staging"].sample
        if len(np_) or len(ns):
            fields["vector"] = _group(
                "vector",
                "re-embedded",
                {"norms": 1 - ks_samples(np_, ns)},
                {"count": len(np_), "categories": {}, "buckets": {"norm": _norms(np_, np_, ns)}},
                {"count": len(ns), "categories": {}, "buckets": {"norm": _norms(ns, np_, ns)}},
            )
        fields = dict(sorted(fields.items(), key=lambda kv: kv[1]["score"]))
        return _as_table(self.rows["production"], self.rows["staging"], fields)


def top_of(counts: dict[str, int]) -> dict[str, int]:
    capped = Capped()
    capped.counts = dict(counts)
    return capped.top(12)


def _norms(sample: np.ndarray, a: np.ndarray, b: np.ndarray) -> dict[str, int]:
    """Norms binned on round edges both sides share."""
    both = np.concatenate([a, b])
    if not len(sample) or not len(both):
        return {}
    step = nice_step(float(both.max() - both.min()), 12) or 1.0
    bins = np.floor(sample / step) * step
    values, counts = np.unique(np.round(bins, 6), return_counts=True)
    return {f"{v:g}": int(c) for v, c in zip(values, counts, strict=True)}


def _group(
    kind: str, operator: str, metrics: dict[str, float], prod: dict[str, Any], stage: dict[str, Any]
) -> dict[str, Any]:
    metrics = {k: round(max(0.0, min(1.0, v)), 4) for k, v in metrics.items()}
    return {
        "kind": kind,
        "operator": operator,
        "score": round(sum(metrics.values()) / len(metrics), 4),
        "metrics": metrics,
        "production": prod,
        "staging": stage,
    }


def _as_table(prod_rows: int, stage_rows: int, fields: dict[str, Any]) -> dict[str, Any]:
    scores = [f["score"] for f in fields.values()]
    return {
        "score": round(sum(scores) / len(scores), 4),
        "rows": {"production": prod_rows, "staging": stage_rows},
        "relations": [],
        "fields": fields,
    }


def _ratio(a: int, b: int) -> float:
    return 1 - abs(a - b) / max(a, b) if max(a, b) else 1.0


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def _sorted(counts: dict[str, int]) -> dict[str, int]:
    return {
        k: counts[k]
        for k in sorted(counts, key=lambda k: float("inf") if k[0] == "(" else float(k))
    }
