"""What the maskers are given: the operator each column or vector field gets, and why.

``plan/`` builds these from the rules and the live schema (fail closed); ``mask/`` applies
them. They live here, below ``plan/``, because masking reads them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sanitizer.extract.vectors.base import CollectionInfo
from sanitizer.mask.operators import Operator
from sanitizer.schema import ColumnInfo, TableInfo


@dataclass
class ColumnPlan:
    """What happens to one column."""

    column: ColumnInfo
    operator: Operator
    origin: str  # "rule", "inherited from T.c", "default"
    unique: bool = False  # outputs must stay distinct (rule says so, or a constraint needs it)


@dataclass
class TablePlan:
    table: TableInfo
    columns: dict[str, ColumnPlan] = field(default_factory=dict)


@dataclass
class SourcePlan:
    source: str
    tables: dict[str, TablePlan] = field(default_factory=dict)


@dataclass
class FieldPlan:
    """What happens to the document or one metadata key."""

    operator: Operator
    origin: str  # "rule" or "default"


@dataclass
class CollectionPlan:
    collection: CollectionInfo
    drop: bool = False
    document: FieldPlan | None = None
    metadata: dict[str, FieldPlan] = field(default_factory=dict)
