"""Applies a collection's plan to a batch of records: the document and each metadata key.

Each field is masked as a polars Series through the same operators and :func:`mask_series`
as SQL columns, with the same keyring, so an email in memory metadata becomes exactly the fake
``{fake: email}`` gives it in a database column. Values are grouped by kind (Chroma lets one
key hold text in one record and a number in the next); lists are masked element by element;
nested values (LanceDB structs) take ``json``, ``keep`` or ``null`` rules. The masked batch
comes out with ``vectors=None``: the source's vectors end here. A metadata value a rule masked
is also replaced wherever it still appears verbatim in a document of the batch (detection can
miss an odd phone format), with the same pseudonym.
"""

from __future__ import annotations

import copy
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from sanitizer.errors import MaskingError
from sanitizer.extract.vectors.base import RecordBatch, value_kind
from sanitizer.mask.engine import MEMO_LIMIT, ColumnStats
from sanitizer.mask.operators.base import MaskContext, mask_series
from sanitizer.mask.operators.fake import Fake
from sanitizer.mask.operators.json import Json
from sanitizer.mask.operators.null import Null
from sanitizer.mask.plans import CollectionPlan, FieldPlan
from sanitizer.mask.pseudonyms import Keyring
from sanitizer.mask.text.known_values import PERSON_KINDS, people_by_text
from sanitizer.schema import BOOLEAN, FLOAT, INTEGER, JSON, STRING, ColumnInfo

MIN_CARRIED = 4  # shorter masked values are not searched for in documents (too many hits)
DTYPES = {STRING: pl.String, INTEGER: pl.Int64, FLOAT: pl.Float64, BOOLEAN: pl.Boolean}


def _changed_strings(before: Any, after: Any, pairs: dict[str, str]) -> None:
    """Collect original → masked for every text leaf a rule changed (JSON text included)."""
    if isinstance(before, dict) and isinstance(after, dict):
        for key, value in before.items():
            if key in after:
                _changed_strings(value, after[key], pairs)
    elif isinstance(before, list | tuple) and isinstance(after, list | tuple):
        for old, new in zip(before, after, strict=False):
            _changed_strings(old, new, pairs)
    elif isinstance(before, str) and isinstance(after, str) and before != after:
        if before.lstrip().startswith(("{", "[")):
            try:
                _changed_strings(json.loads(before), json.loads(after), pairs)
                return
            except ValueError:
                pass
        if len(before.strip()) >= MIN_CARRIED:
            pairs.setdefault(before, after)


@dataclass
class RecordMasker:
    """Masks every batch of one collection."""

    plan: CollectionPlan
    keyring: Keyring
    nlp: Any
    stats: dict[str, ColumnStats] = field(default_factory=dict)
    memos: dict[tuple[str, str], dict[Any, Any]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name, field_plan in self.fields().items():
            self.stats[name] = ColumnStats(field_plan.operator.label(), field_plan.origin)

    def fields(self) -> dict[str, FieldPlan]:
        """Receipt names: ``document`` and ``metadata.KEY``."""
        named = {"document": self.plan.document} if self.plan.document else {}
        named.update({f"metadata.{k}": p for k, p in self.plan.metadata.items()})
        return named

    def mask(self, batch: RecordBatch) -> RecordBatch:
        documents = list(batch.documents)
        if self.plan.document is not None:
            people = self._people(batch.metadatas)
            documents = self._mask_values("document", self.plan.document, documents, people)
        metadatas = [dict(meta) for meta in batch.metadatas]
        for key, field_plan in self.plan.metadata.items():
            present = [i for i, meta in enumerate(metadatas) if key in meta]
            values = [metadatas[i][key] for i in present]
            masked = self._mask_values(f"metadata.{key}", field_plan, values)
            for i, value in zip(present, masked, strict=True):
                metadatas[i][key] = value
        if self.plan.document is not None and self.plan.document.operator.changes_values:
            documents = self._carry_over(batch.metadatas, metadatas, documents)
        return RecordBatch(ids=list(batch.ids), documents=documents, metadatas=metadatas)

    def _carry_over(
        self, before: list[dict[str, Any]], after: list[dict[str, Any]], documents: list[Any]
    ) -> list[Any]:
        """A metadata value the rules masked that detection missed in a document (an odd
        phone format, a name in another script) is replaced there by the same pseudonym:
        memories usually mention the customer their metadata names."""
        pairs: dict[str, str] = {}
        for old, new in zip(before, after, strict=True):
            _changed_strings(old, new, pairs)
        if not pairs:
            return documents
        pattern = re.compile("|".join(re.escape(k) for k in sorted(pairs, key=len, reverse=True)))
        out = []
        replaced = 0
        for document in documents:
            if isinstance(document, str):
                document, count = pattern.subn(lambda m: pairs[m.group(0)], document)
                replaced += count
            out.append(document)
        if replaced:
            self.stats["document"].details["metadata_values_in_text"] += replaced
        return out

    def _people(self, metadatas: list[dict[str, Any]]) -> list[tuple[tuple[str, str], ...]] | None:
        """Per record, the (kind, value) of its person metadata (``customer_name: {fake:
        name}``), when the document runs ``detect``: a memory that says 'さゆり was
        frustrated' knows that 'さゆり' is its customer's given name."""
        document = self.plan.document
        if document is None or not document.operator.uses_nlp:
            return None
        keys = [
            (key, fp.operator.kind)
            for key, fp in self.plan.metadata.items()
            if isinstance(fp.operator, Fake) and fp.operator.kind in PERSON_KINDS
        ]
        if not keys:
            return None
        return [
            tuple(
                (kind, meta[key])
                for key, kind in keys
                if isinstance(meta.get(key), str) and meta[key].strip()
            )
            for meta in metadatas
        ]

    def _mask_values(
        self,
        name: str,
        field_plan: FieldPlan,
        values: list[Any],
        people: list[tuple[tuple[str, str], ...]] | None = None,
    ) -> list[Any]:
        """Mask one field's values (None stays None), grouped by value kind; ``people`` (per
        value) are the person metadata of each value's record."""
        stats = self.stats[name]
        stats.rows += len(values)
        op = field_plan.operator
        if not op.changes_values:
            return values
        out = list(values)
        groups: dict[str, list[int]] = defaultdict(list)
        elements: list[tuple[int, int]] = []  # (value index, element index) of list items
        flat: list[Any] = []
        for i, value in enumerate(values):
            if value is None:
                continue
            if isinstance(value, list | tuple) and not isinstance(op, Json):
                out[i] = list(value)
                for j, item in enumerate(value):
                    elements.append((i, j))
                    flat.append(item)
                continue
            groups[value_kind(value)].append(i)
        for kind, indexes in groups.items():
            group = [values[i] for i in indexes]
            known = people_by_text(group, [people[i] for i in indexes]) if people else None
            masked = self._mask_kind(name, op, kind, group, known)
            for i, value in zip(indexes, masked, strict=True):
                out[i] = value
        if flat:
            masked_items = self._mask_values_flat(name, op, flat)
            for (i, j), value in zip(elements, masked_items, strict=True):
                out[i][j] = value
        stats.masked += sum(value is not None for value in values)
        if op.replaces_every_value:
            stats.unchanged += sum(
                isinstance(a, str) and len(a.strip()) >= 4 and a == b
                for a, b in zip(values, out, strict=True)
            )
        return out

    def _mask_values_flat(self, name: str, op: Any, items: list[Any]) -> list[Any]:
        groups: dict[str, list[int]] = defaultdict(list)
        out = list(items)
        for i, item in enumerate(items):
            if item is not None:
                groups[value_kind(item)].append(i)
        for kind, indexes in groups.items():
            masked = self._mask_kind(name, op, kind, [items[i] for i in indexes])
            for i, value in zip(indexes, masked, strict=True):
                out[i] = value
        return out

    def _mask_kind(
        self,
        name: str,
        op: Any,
        kind: str,
        values: list[Any],
        people: dict[Any, tuple[tuple[str, str], ...]] | None = None,
    ) -> list[Any]:
        column = ColumnInfo(name=name, kind=kind, sql_type=f"vector {kind}")
        ctx = MaskContext(self.keyring, column, nlp=self.nlp, people=people or None)
        try:
            if isinstance(op, Null):
                return [None] * len(values)
            if kind == JSON:
                return self._mask_nested(name, op, values, ctx)
            if not op.applies_to(column):
                raise MaskingError(
                    f"{self._where(name)}: {op.label()} cannot mask {kind} values, and "
                    f"{self.plan.collection.name}.{name} holds some.",
                    hint="pick an operator for that kind of value (see `sanitize operators`).",
                )
            memo = self.memos.setdefault((name, kind), {})
            if len(memo) > MEMO_LIMIT:
                memo.clear()
            series = pl.Series(name, values, dtype=DTYPES.get(kind), strict=False)
            # a document masked with its record's people may differ in another record
            return mask_series(op, series, ctx, memo=None if ctx.people else memo).to_list()
        finally:
            self.stats[name].details.update(ctx.stats)

    def _mask_nested(self, name: str, op: Any, values: list[Any], ctx: MaskContext) -> list[Any]:
        """Struct / dict values: json rules mask inside them; other rules cannot."""
        if isinstance(op, Json):
            return op.mask_values(copy.deepcopy(values), ctx)
        raise MaskingError(
            f"{self._where(name)}: {self.plan.collection.name}.{name} holds nested values "
            f"(objects), which {op.label()} cannot mask.",
            hint=f'write {name.split(".", 1)[-1]}: {{json: {{"$.email": {{fake: email}}, '
            '"$.**": keep}} (rules by path), keep or null.',
        )

    def _where(self, name: str) -> str:
        field_plan = self.fields()[name]
        return str(field_plan.operator.where or self.plan.collection.name)
