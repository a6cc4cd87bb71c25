"""Collect the run's known values: what columns masked with ``fake``/``format`` hold.

``detect`` uses them to find those exact values again in free text (see
:mod:`sanitizer.mask.text.known_values`). Read from the same read-only snapshot as the run, one
``SELECT DISTINCT`` per column, bounded in total.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from sanitizer.mask.operators.fake import Fake
from sanitizer.mask.operators.format import Format
from sanitizer.mask.plans import SourcePlan
from sanitizer.mask.text.known_values import ENTITY_OF_KIND, MAX_KNOWN
from sanitizer.schema import STRING

if TYPE_CHECKING:
    from sanitizer.extract.sql import SourceTable, SqlSource

log = logging.getLogger("sanitizer")


def known_kind(operator: object) -> str | None:
    """The kind a column's values are known as, or None when they are not collected."""
    if isinstance(operator, Fake) and operator.kind in ENTITY_OF_KIND:
        return operator.kind
    if isinstance(operator, Format):
        return "format"
    return None


def collect_known(
    sources: list[tuple[SqlSource, list[SourceTable], SourcePlan]],
) -> dict[str, list[str]]:
    """fake kind → distinct production values, over every source, at most MAX_KNOWN."""
    known: dict[str, list[str]] = {}
    total = 0
    for source, tables, plan in sources:
        for table in tables:
            for name, cp in plan.tables[table.info.name].columns.items():
                kind = known_kind(cp.operator)
                if kind is None or cp.column.kind != STRING or total >= MAX_KNOWN:
                    continue
                values = source.distinct_values(table, name, MAX_KNOWN - total)
                known.setdefault(kind, []).extend(values)
                total += len(values)
    if total >= MAX_KNOWN:
        log.warning(
            "known values capped: free text is matched against the first %d only", MAX_KNOWN
        )
    return known
