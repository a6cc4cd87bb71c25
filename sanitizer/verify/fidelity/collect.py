"""One run's table profiles, gathered per store, and the report built from them at the end."""

from __future__ import annotations

from typing import Any

from sanitizer.mask.plans import TablePlan
from sanitizer.verify.fidelity.profile import TableProfile
from sanitizer.verify.fidelity.score import store_score, table_report

VERSION = 1  # the receipt's ``fidelity`` layout (docs/fidelity.md, "In the receipt")


class RunFidelity:
    """The profiles of every table a run streamed, by store."""

    def __init__(self) -> None:
        self.tables: dict[str, dict[str, TableProfile]] = {}

    def table(self, store: str, plan: TablePlan, copy_text: bool) -> TableProfile:
        """A fresh profile for one table of ``store``; the run feeds it both sides."""
        profile = TableProfile(plan, copy_text)
        self.tables.setdefault(store, {})[plan.table.name] = profile
        return profile

    def report(self) -> dict[str, Any]:
        """The receipt's ``fidelity`` section: scores and aggregates, never a value."""
        stores: dict[str, Any] = {}
        for store, tables in self.tables.items():
            reports = {name: table_report(profile) for name, profile in tables.items()}
            reports = dict(sorted(reports.items(), key=lambda kv: kv[1]["score"]))
            stores[store] = {"kind": "sql", "score": store_score(reports), "tables": reports}
        return {"version": VERSION, "stores": stores}
