"""Column rules for tabular objects (CSV, Parquet): a table plan per object, SQL's masker.

Each object gets a :class:`~sanitizer.mask.plans.TablePlan` from its ``columns:`` rules and
is masked batch by batch by the same :class:`~sanitizer.mask.engine.TableMasker` as SQL
tables, sharing the run's unique ledger, so pseudonyms match the database's exactly. A column
with no rule and no ``"*"`` fallback stops the run (fail closed).
"""

from __future__ import annotations

import polars as pl

from sanitizer.config.object_rules import ObjectRule
from sanitizer.mask.engine import ColumnStats, TableMasker
from sanitizer.mask.objects import NLP_LOCK, ObjectContext, UncoveredFields
from sanitizer.mask.plans import ColumnPlan, TablePlan
from sanitizer.schema import (
    BOOLEAN,
    DATE,
    DATETIME,
    DECIMAL,
    FLOAT,
    INTEGER,
    OTHER,
    STRING,
    ColumnInfo,
    TableInfo,
)

WILDCARD = "*"


def column_kind(dtype: pl.DataType) -> str:
    if dtype == pl.String:
        return STRING
    if dtype.is_integer():
        return INTEGER
    if dtype.is_float():
        return FLOAT
    if dtype.is_decimal():
        return DECIMAL
    if dtype == pl.Boolean:
        return BOOLEAN
    if dtype == pl.Date:
        return DATE
    if dtype == pl.Datetime:
        return DATETIME
    return OTHER


class ColumnsMasker:
    """Masks the batches of one tabular object with its rule's column operators."""

    def __init__(self, rule: ObjectRule, schema: pl.Schema, ctx: ObjectContext, name: str):
        missing = [c for c in schema if c not in rule.columns and WILDCARD not in rule.columns]
        if missing:
            raise UncoveredFields(missing)
        columns = {
            c: ColumnInfo(name=c, kind=column_kind(dtype), sql_type=str(dtype))
            for c, dtype in schema.items()
        }
        plan = TablePlan(table=TableInfo(name=name, columns=columns))
        for c, info in columns.items():
            op = rule.columns.get(c, rule.columns.get(WILDCARD))
            assert op is not None
            if not op.applies_to(info):
                raise UncoveredFields([f"{c} ({op.label()} cannot apply to {info.kind} values)"])
            plan.columns[c] = ColumnPlan(info, op, "rule", unique=op.unique)
        self.ctx = ctx
        self.uses_nlp = any(cp.operator.uses_nlp for cp in plan.columns.values())
        self.masker = TableMasker(plan, ctx.keyring, ctx.nlp, ctx.ledger)

    def mask(self, batch: pl.DataFrame) -> pl.DataFrame:
        if self.uses_nlp:
            with NLP_LOCK:
                return self.masker.mask(batch)
        return self.masker.mask(batch)

    def finish(self) -> None:
        """Add this object's column counts to the context, by column name."""
        for name, stats in self.masker.stats.items():
            self.ctx.stats.setdefault(name, ColumnStats(stats.operator, stats.origin)).merge(stats)
