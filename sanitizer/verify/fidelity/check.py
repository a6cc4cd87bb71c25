"""``fidelity:`` thresholds: a run whose staging drifted too far from production fails before
the swap (exit 9), naming each field, its score and its worst metric (docs/fidelity.md)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from sanitizer.config.fidelity_settings import FidelitySettings
from sanitizer.errors import FidelityError

SHOWN = 10  # failing fields named in the message; the receipt lists every one


@dataclass(frozen=True)
class Shortfall:
    """One field below its minimum score."""

    name: str  # store.table.field
    score: float
    minimum: float
    metric: str
    metric_score: float

    def describe(self) -> str:
        return (
            f"{self.name} scores {self.score:.2f} < {self.minimum:g} "
            f"(worst metric: {self.metric} {self.metric_score:.2f})"
        )


def shortfalls(report: Mapping[str, Any], settings: FidelitySettings) -> list[Shortfall]:
    """Every field scoring below its threshold, worst first."""
    found = []
    for store, table, name, field in _fields(report):
        minimum = settings.threshold(store, table, name)
        if minimum is None or field["score"] >= minimum:
            continue
        metric, value = min(field["metrics"].items(), key=lambda kv: kv[1])
        found.append(Shortfall(f"{store}.{table}.{name}", field["score"], minimum, metric, value))
    return sorted(found, key=lambda s: s.score - s.minimum)


def _fields(report: Mapping[str, Any]) -> Iterator[tuple[str, str, str, Mapping[str, Any]]]:
    for store, entry in report.get("stores", {}).items():
        for table, table_entry in entry.get("tables", {}).items():
            for name, field in table_entry.get("fields", {}).items():
                yield store, table, name, field


def check_fidelity(report: dict[str, Any], settings: FidelitySettings) -> None:
    """Record the outcome in ``report`` and raise when any field is below its threshold."""
    failing = shortfalls(report, settings)
    report["check"] = {
        "min_score": settings.min_score,
        "overrides": dict(settings.overrides),
        "failed": [s.name for s in failing],
    }
    if not failing:
        return
    named = "; ".join(s.describe() for s in failing[:SHOWN])
    more = f" and {len(failing) - SHOWN} more" if len(failing) > SHOWN else ""
    first = failing[0]
    raise FidelityError(
        f"staging drifted too far from production in {len(failing)} field(s), so nothing was "
        f"swapped in: {named}{more}.",
        hint=f"change the rule so the {first.metric} of {first.name} is kept (a fake or "
        "format: preserve instead of null, redact or hash), or lower its threshold with "
        f"fidelity.overrides.{first.name} in sanitize.yaml; `sanitize report` shows both sides.",
    )
