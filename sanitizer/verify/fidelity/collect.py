"""One run's table profiles, gathered per store, and the report built from them at the end."""

from __future__ import annotations

from typing import Any

from sanitizer.mask.plans import TablePlan
from sanitizer.verify.fidelity.profile import TableProfile
from sanitizer.verify.fidelity.relations import Relation, orphans, relation_score
from sanitizer.verify.fidelity.score import store_score, table_report
from sanitizer.verify.fidelity.stores import ObjectProfile, VectorProfile

VERSION = 1  # the receipt's ``fidelity`` layout (docs/fidelity.md, "In the receipt")


class RunFidelity:
    """The profiles of every table a run streamed, by store."""

    def __init__(self) -> None:
        self.tables: dict[str, dict[str, TableProfile]] = {}
        self.relations: dict[str, list[Relation]] = {}
        self.objects: dict[str, dict[str, ObjectProfile]] = {}
        self.vectors: dict[str, dict[str, tuple[str, VectorProfile]]] = {}

    def object_rule(self, store: str, glob: str, label: str) -> ObjectProfile:
        """The profile of one ``objects:`` rule of ``store`` (made on first use)."""
        rules = self.objects.setdefault(store, {})
        if glob not in rules:
            rules[glob] = ObjectProfile(label)
        return rules[glob]

    def collection(self, store: str, name: str, operator: str) -> VectorProfile:
        """A fresh profile for one vector collection (``operator``: its document rule)."""
        profile = VectorProfile()
        self.vectors.setdefault(store, {})[name] = (operator, profile)
        return profile

    def relate(self, store: str, relations: list[Relation]) -> None:
        """The relations of a store whose orphans are counted (before its tables load)."""
        self.relations[store] = relations

    def table(self, store: str, plan: TablePlan, copy_text: bool) -> TableProfile:
        """A fresh profile for one table of ``store``; the run feeds it both sides."""
        profile = TableProfile(plan, copy_text)
        for relation in self.relations.get(store, []):
            if relation.child == plan.table.name:
                profile.want_keys(relation.columns)
            if relation.parent == plan.table.name:
                profile.want_keys(relation.parent_columns)
        self.tables.setdefault(store, {})[plan.table.name] = profile
        return profile

    def _orphans(self, store: str, relation: Relation) -> dict[str, Any] | None:
        tables = self.tables.get(store, {})
        child, parent = tables.get(relation.child), tables.get(relation.parent)
        if child is None or parent is None:
            return None
        refs, keys = child.keys.get(relation.columns), parent.keys.get(relation.parent_columns)
        if refs is None or keys is None:
            return None
        sides = {side: orphans(refs[side], keys[side]) for side in ("production", "staging")}
        return {
            "relation": relation.describe(),
            "declared": relation.declared,
            **sides,
            "score": relation_score(sides["production"], sides["staging"]),
        }

    def report(self) -> dict[str, Any]:
        """The receipt's ``fidelity`` section: scores and aggregates, never a value."""
        stores: dict[str, Any] = {}
        for store, tables in self.tables.items():
            counted: dict[str, list[dict[str, Any]]] = {}
            for relation in self.relations.get(store, []):
                entry = self._orphans(store, relation)
                if entry is not None:
                    counted.setdefault(relation.child, []).append(entry)
            reports = {
                name: table_report(profile, counted.get(name, []))
                for name, profile in tables.items()
            }
            reports = dict(sorted(reports.items(), key=lambda kv: kv[1]["score"]))
            stores[store] = {"kind": "sql", "score": store_score(reports), "tables": reports}
        for store, rules in self.objects.items():
            found = {glob: profile.report() for glob, profile in rules.items()}
            stores[store] = {"kind": "objects", "score": store_score(found), "tables": found}
        for store, collections in self.vectors.items():
            found = {name: profile.report(op) for name, (op, profile) in collections.items()}
            stores[store] = {"kind": "vectors", "score": store_score(found), "tables": found}
        return {"version": VERSION, "stores": stores}
