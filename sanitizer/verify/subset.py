"""A subset is referentially complete (docs/design.md, guarantee 12): checked in the shadow.

Before the swap, every reference of every row that landed — declared foreign keys and the
config's virtual ones, JSON paths and polymorphic ``when`` included — must name a row that
landed too, and every table must hold exactly the rows the closure chose. Fails closed: the
run discards its shadows. Messages name edges and counts, never values.
"""

from __future__ import annotations

import sqlalchemy as sa

from sanitizer.errors import TargetError
from sanitizer.load.sql import SqlTarget
from sanitizer.plan.subset import SubsetPlan, edge_values
from sanitizer.plan.subset_graph import Edge, SubsetGraph
from sanitizer.receipt import Receipt


def check_subset(
    receipt: Receipt, source: str, target: SqlTarget, graph: SubsetGraph, plan: SubsetPlan
) -> None:
    """Count dangling references and unplanned row counts in the shadow; raise on any."""
    reader = target.shadow_reader()
    dangling: dict[str, int] = {}
    for edge in graph.edges:
        if edge.parent in graph.exclude or edge.child in graph.exclude:
            continue
        count = _dangling(reader, edge)
        if count:
            dangling[edge.label()] = count
    wrong_size = {
        name: (share.rows(), receipt.tables[f"{source}.{name}"].rows_out)
        for name, share in plan.tables.items()
        if f"{source}.{name}" in receipt.tables
        and share.rows() != receipt.tables[f"{source}.{name}"].rows_out
    }
    receipt.verification.setdefault("subset", {})[source] = {
        "references_checked": len(graph.edges),
        "dangling": dangling,
        "rows_off_plan": {
            name: {"planned": p, "staging": s} for name, (p, s) in wrong_size.items()
        },
    }
    if dangling or wrong_size:
        receipt.verification["passed"] = False
        parts = [f"{label} ({n} rows)" for label, n in dangling.items()]
        parts += [
            f"{name} has {s} rows, the subset planned {p}" for name, (p, s) in wrong_size.items()
        ]
        raise TargetError(
            f"the subset of source {source!r} is not referentially complete in staging: "
            f"{'; '.join(parts)}.",
            hint="the staging copy was discarded; a virtual reference whose column is masked "
            "differently from the column it names cannot join (give both the same rule), "
            "otherwise report this with the receipt.",
        )


def _dangling(reader: SqlTarget, edge: Edge) -> int:
    """Rows of the child whose reference is set but names no parent row."""
    child = reader.tables[edge.child]
    parent = reader.tables[edge.parent].alias("sz_parent")
    dialect = reader.engine.dialect.name
    values = edge_values(dialect, child, edge, when=False)  # its columns are the child's
    if edge.path is not None:  # text from JSON: compare with the parent's value as text
        joins = [sa.cast(parent.c[edge.parent_columns[0]], sa.String) == values[0]]
    else:
        joins = [parent.c[p] == v for p, v in zip(edge.parent_columns, values, strict=True)]
    found = sa.exists(sa.select(sa.literal(1)).select_from(parent).where(*joins))
    query = (
        sa.select(sa.func.count())
        .select_from(child)
        .where(*(v.is_not(None) for v in values), ~found)
    )
    if edge.when is not None:
        query = query.where(sa.literal_column(f"({edge.when})"))
    with reader.errors(f"checking {edge.label()}"), reader.engine.connect() as conn:
        return int(conn.execute(query).scalar_one())
