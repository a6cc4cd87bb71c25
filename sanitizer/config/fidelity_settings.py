"""The ``fidelity:`` section of sanitize.yaml: how far staging may drift from production.

```yaml
fidelity:
  min_score: 0.9                 # every field scoring below this fails the run before the swap
  overrides:                     # most specific wins: store, store.table, store.table.field
    app.customers.tax_id: 0.5    # a hash or format: preserve changes shapes by design
    app.events: 0.8
    files: 0                     # 0: reported, never failing
```

Without the section every run is still profiled and reported; nothing fails on a score
(docs/fidelity.md, "Thresholds").
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from typing import Any

from sanitizer.config.keys import check_keys
from sanitizer.config.yamlfile import LocatedDict, Location
from sanitizer.errors import ConfigError

FIDELITY_KEYS = ("min_score", "overrides")


@dataclass(frozen=True)
class FidelitySettings:
    """``min_score`` for every field (None: no threshold) and per-name overrides."""

    min_score: float | None = None
    overrides: dict[str, float] = field(default_factory=dict)
    where: Location | None = None

    def __hash__(self) -> int:
        return hash((self.min_score, tuple(sorted(self.overrides.items()))))

    def threshold(self, store: str, table: str, name: str) -> float | None:
        """The minimum score for one field: its own override, its table's, its store's, or
        ``min_score``."""
        for key in (f"{store}.{table}.{name}", f"{store}.{table}", store):
            if key in self.overrides:
                return self.overrides[key]
        return self.min_score


def fidelity_settings(raw: Any, where: Location) -> FidelitySettings:
    """The ``fidelity:`` section; absent or empty means no thresholds."""
    if raw is None:
        return FidelitySettings(where=where)
    if not isinstance(raw, LocatedDict):
        raise ConfigError(
            f"{where}: fidelity must be a mapping.", hint="write fidelity: {min_score: 0.9}"
        )
    check_keys(raw, FIDELITY_KEYS, "fidelity")
    minimum = _score(raw.get("min_score"), raw.at("min_score"), "fidelity.min_score")
    overrides = raw.get("overrides") or {}
    if not isinstance(overrides, LocatedDict):
        raise ConfigError(
            f"{raw.at('overrides')}: fidelity.overrides must map names to scores.",
            hint="write overrides: {app.customers.tax_id: 0.5}",
        )
    scores = {
        str(name): _score(value, overrides.at(name), f"fidelity.overrides.{name}")
        for name, value in overrides.items()
    }
    return FidelitySettings(minimum, {k: v for k, v in scores.items() if v is not None}, where)


def _score(value: Any, where: Location, what: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, str):
        with contextlib.suppress(ValueError):
            value = float(value)
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise ConfigError(
            f"{where}: {what} must be a score from 0 to 1, not {value!r}.",
            hint="write a number such as 0.9 (0 reports without ever failing).",
        )
    return float(value)
