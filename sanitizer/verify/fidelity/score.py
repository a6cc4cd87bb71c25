"""Production vs staging, per field: metric scores in [0, 1] and the summaries the report shows.

A metric compares one aspect of the two profiles: 1 − total variation distance for category
distributions (NULL/empty/blank/value, shapes, scripts, JSON key sets and types), 1 − the
Kolmogorov–Smirnov statistic for ordered ones (lengths, line counts, numbers and dates), and
1 − the difference of distinct ratios. A field's score is the mean of its metrics; a table's,
the mean of its fields' and of its row-count ratio; a store's, the mean of its tables'
(docs/fidelity.md, "Scores").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import numpy as np

from sanitizer.verify.fidelity.profile import (
    DATE_KINDS,
    NUMERIC_KINDS,
    TEXT_KINDS,
    FieldProfile,
    TableProfile,
)
from sanitizer.verify.fidelity.sketch import OTHER, nice_step

SHOWN = 12  # categories per distribution in the receipt
HIST_BINS = 16


def tvd(p: Mapping[str, int], q: Mapping[str, int]) -> float:
    """Total variation distance of two count maps (0: same shares; 1: disjoint)."""
    p_total, q_total = sum(p.values()), sum(q.values())
    if not p_total or not q_total:
        return 0.0 if p_total == q_total else 1.0
    keys = set(p) | set(q)
    return 0.5 * sum(abs(p.get(k, 0) / p_total - q.get(k, 0) / q_total) for k in keys)


def ks_binned(p: Mapping[str, int], q: Mapping[str, int]) -> float:
    """KS statistic of two histograms over numeric bucket keys (the largest CDF gap)."""
    p_total, q_total = sum(p.values()), sum(q.values())
    if not p_total or not q_total:
        return 0.0 if p_total == q_total else 1.0
    gap = p_cum = q_cum = 0.0
    for key in sorted(set(p) | set(q), key=_order):
        p_cum += p.get(key, 0) / p_total
        q_cum += q.get(key, 0) / q_total
        gap = max(gap, abs(p_cum - q_cum))
    return gap


def _order(key: str) -> float:
    return float("inf") if key == OTHER else float(key)


def ks_samples(a: np.ndarray, b: np.ndarray) -> float:
    """Two-sample KS statistic of two number samples."""
    if not len(a) or not len(b):
        return 0.0 if len(a) == len(b) else 1.0
    a, b = np.sort(a), np.sort(b)
    points = np.concatenate([a, b])
    gap = np.abs(
        np.searchsorted(a, points, side="right") / len(a)
        - np.searchsorted(b, points, side="right") / len(b)
    )
    return float(gap.max())


def completeness(profile: FieldProfile) -> dict[str, int]:
    values = profile.rows - profile.nulls - profile.empty - profile.blank
    return {"null": profile.nulls, "empty": profile.empty, "blank": profile.blank, "value": values}


def distinct_ratio(profile: FieldProfile) -> float:
    present = profile.rows - profile.nulls
    return profile.distinct.estimate() / present if present else 0.0


def metrics(prod: FieldProfile, stage: FieldProfile) -> dict[str, float]:
    """Every metric that applies to the field's kind, each in [0, 1] (1: indistinguishable)."""
    found = {
        "completeness": 1 - tvd(completeness(prod), completeness(stage)),
        "distinct": 1 - abs(distinct_ratio(prod) - distinct_ratio(stage)),
    }
    if prod.kind in NUMERIC_KINDS + DATE_KINDS:
        found["values"] = 1 - ks_samples(prod.sample.sample, stage.sample.sample)
    else:
        found["length"] = 1 - ks_binned(prod.lengths.counts, stage.lengths.counts)
    if prod.kind in TEXT_KINDS:
        if not prod.is_json:
            found["shape"] = 1 - tvd(prod.shapes.counts, stage.shapes.counts)
            found["lines"] = 1 - ks_binned(prod.lines.counts, stage.lines.counts)
        if prod.non_ascii or stage.non_ascii:
            found["script"] = 1 - tvd(_scripts(prod), _scripts(stage))
    if prod.json_seen or stage.json_seen:
        found["json_keys"] = 1 - tvd(_keysets(prod), _keysets(stage))
        found["json_types"] = 1 - tvd(prod.types.counts, stage.types.counts)
    return {name: round(max(0.0, min(1.0, value)), 4) for name, value in found.items()}


def _scripts(profile: FieldProfile) -> dict[str, int]:
    present = profile.rows - profile.nulls
    return {"ascii": present - profile.non_ascii, **profile.scripts.counts}


def _keysets(profile: FieldProfile) -> dict[str, int]:
    return {**profile.keysets.counts, "<invalid>": profile.json_invalid}


def summary(profile: FieldProfile, edges: list[float] | None) -> dict[str, Any]:
    """What the receipt keeps of one side of a field: counts, shares and histograms only."""
    present = profile.rows - profile.nulls
    out: dict[str, Any] = {
        "rows": profile.rows,
        "nulls": profile.nulls,
        "empty": profile.empty,
        "blank": profile.blank,
        "distinct": profile.distinct.estimate(),
        "duplicate_share": round(1 - distinct_ratio(profile), 4) if present else 0.0,
        "length": {"quantiles": quantiles(profile.lengths.counts), "buckets": _sorted(profile)},
    }
    if profile.kind in TEXT_KINDS:
        if not profile.is_json:
            out["shapes"] = profile.shapes.top(SHOWN)
            out["lines"] = quantiles(profile.lines.counts)
        out["non_ascii"] = profile.non_ascii
        out["scripts"] = {k: v for k, v in profile.scripts.counts.items() if v}
    if profile.kind in NUMERIC_KINDS + DATE_KINDS:
        out["numbers"] = numbers_summary(profile, edges)
    if profile.json_seen:
        out["json"] = {
            "documents": profile.json_seen,  # non-blank values, every one parsed
            "invalid": profile.json_invalid,
            "keysets": profile.keysets.top(SHOWN),
            "types": profile.types.top(3 * SHOWN),
        }
    if profile.keep:
        out["top"] = shown_top(profile.top.top(10))
    return out


# a host name, an email or a URL: a kept field may hold production's destinations
_DESTINATION = re.compile(r"@|://|(?i:\b[a-z0-9\-]+(?:\.[a-z0-9\-]+)*\.[a-z]{2,}\b)")
HIDDEN = "(a credential or destination, not shown)"


def shown_top(counts: Mapping[str, int]) -> dict[str, int]:
    """A keep field's top values, except any that is a credential, a URL, an email or a host
    name: the secrets sweep stops a run that kept one, and its receipt must not print it
    (docs/fidelity.md). Those are counted together under one label."""
    from sanitizer.mask.secrets.find import find_secrets

    shown: dict[str, int] = {}
    for value, count in counts.items():
        hide = value != OTHER and (_DESTINATION.search(value) or find_secrets(value))
        key = HIDDEN if hide else value
        shown[key] = shown.get(key, 0) + count
    return shown


def _sorted(profile: FieldProfile) -> dict[str, int]:
    return {k: profile.lengths.counts[k] for k in sorted(profile.lengths.counts, key=_order)}


def quantiles(counts: Mapping[str, int]) -> dict[str, str]:
    """p50/p90/p99/max as buckets (``"12"``, or ``"128+"`` for 128–255)."""
    total = sum(counts.values())
    if not total:
        return {}
    keys = sorted(counts, key=_order)
    out, running, index = {}, 0, 0
    for name, share in (("p50", 0.5), ("p90", 0.9), ("p99", 0.99), ("max", 1.0)):
        while index < len(keys) and running + counts[keys[index]] < share * total:
            running += counts[keys[index]]
            index += 1
        key = keys[min(index, len(keys) - 1)]
        out[name] = key if key == OTHER or int(key) < 64 else f"{key}+"
    return out


def shared_edges(prod: FieldProfile, stage: FieldProfile) -> list[float] | None:
    """Histogram edges both sides share: multiples of a 1/2/5 × 10ⁿ step, so no edge is a
    production value (docs/fidelity.md: masked fields show no minimum or maximum)."""
    both = np.concatenate([prod.sample.sample, stage.sample.sample])
    if not len(both):
        return None
    low, high = float(both.min()), float(both.max())
    step = nice_step(high - low, HIST_BINS)
    start = np.floor(low / step) * step
    count = max(1, int(np.ceil((high - start) / step + 1e-9)))
    if start + count * step <= high:
        count += 1
    return [round(float(start + i * step), 6) for i in range(count + 1)]


def numbers_summary(profile: FieldProfile, edges: list[float] | None) -> dict[str, Any]:
    counts = np.histogram(profile.sample.sample, bins=edges)[0].tolist() if edges else []
    out: dict[str, Any] = {
        "count": profile.sample.seen,
        "unparsed": profile.unparsed,
        "unit": "year" if profile.kind in DATE_KINDS else "value",
        "edges": edges or [],
        "sampled_counts": counts,
    }
    if profile.keep and profile.low is not None:
        out["min"], out["max"] = profile.low, profile.high
    return out


def field_report(operator: str, prod: FieldProfile, stage: FieldProfile) -> dict[str, Any]:
    scores = metrics(prod, stage)
    edges = shared_edges(prod, stage) if prod.kind in NUMERIC_KINDS + DATE_KINDS else None
    return {
        "kind": prod.kind,
        "operator": operator,
        "score": round(sum(scores.values()) / len(scores), 4),
        "metrics": scores,
        "production": summary(prod, edges),
        "staging": summary(stage, edges),
    }


def table_report(
    profile: TableProfile, relations: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """A table's fields (largest drift first), its row counts, its relations' orphan counts
    and its score (fields, row-count ratio and orphan shares alike)."""
    fields = {
        name: field_report(profile.plan.columns[name].operator.label(), prod, profile.staging[name])
        for name, prod in profile.production.items()
        if profile.staging[name].rows  # a field staging never received is not compared
    }
    fields = dict(sorted(fields.items(), key=lambda kv: kv[1]["score"]))
    rows = profile.rows
    high = max(rows.values())
    row_score = 1 - abs(rows["production"] - rows["staging"]) / high if high else 1.0
    relations = relations or []
    parts = [f["score"] for f in fields.values()] + [row_score]
    parts += [r["score"] for r in relations if r["score"] is not None]
    return {
        "score": round(sum(parts) / len(parts), 4),
        "rows": dict(rows),
        "relations": relations,
        "fields": fields,
    }


def store_score(tables: Mapping[str, Mapping[str, Any]]) -> float | None:
    scores = [t["score"] for t in tables.values()]
    return round(sum(scores) / len(scores), 4) if scores else None
