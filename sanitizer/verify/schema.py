"""Staging's schema is production's, object for object (docs/stores.md).

Before a swap, the shadow's inventory — its schema (PostgreSQL) or database (MySQL/MariaDB)
names mapped back to production's — must equal production's minus what the rule file skips:
every table, partition, view, index, constraint, trigger, function, sequence, type, comment…
A difference fails the run (the shadow is discarded, staging stays as it was) naming the
objects: the rules were satisfied, so the cause is in the tool. ``sanitize verify`` makes the
same comparison against live staging.
"""

from __future__ import annotations

from sqlalchemy.engine import Connection

from sanitizer.errors import TargetError
from sanitizer.extract.catalog import read_inventory, user_schemas
from sanitizer.load.sql import SqlTarget
from sanitizer.load.sql.history import META_TABLES
from sanitizer.load.sql.postgres import PostgresTarget
from sanitizer.load.target import SHADOW_MARK
from sanitizer.plan.schema import SchemaPlan
from sanitizer.receipt import Receipt
from sanitizer.schema import SchemaObject

SHOWN = 25  # objects named in a message; the receipt lists them all
DATABASE_LEVEL = {"extension"}  # staging may have more of these than production


def shadow_inventory(target: SqlTarget) -> list[SchemaObject]:
    """The shadow's schema objects, named as production names them."""
    with target.errors("listing the shadow's schema objects"), target.engine.connect() as conn:
        return read_inventory(
            conn, target.shadow_names(), whole_database=False, leave_out=META_TABLES
        )


def staging_inventory(conn: Connection) -> list[SchemaObject]:
    """Live staging's schema objects (sanitizer's bookkeeping and leftover shadows left out)."""
    if conn.dialect.name == "postgresql":
        schemas = {
            s: s
            for s in user_schemas(conn)
            if s != PostgresTarget.meta_schema and SHADOW_MARK not in s
        }
        return read_inventory(conn, schemas, whole_database=False)
    return read_inventory(conn, leave_out=META_TABLES)


def compare(
    expected: list[SchemaObject], staging: list[SchemaObject]
) -> tuple[list[SchemaObject], list[SchemaObject]]:
    """(missing from staging, in staging but not in production)."""
    have, want = set(staging), set(expected)
    missing = sorted(want - have)
    extra = sorted(o for o in have - want if o.kind not in DATABASE_LEVEL)
    return missing, extra


def check_schema(
    receipt: Receipt, source: str, plan: SchemaPlan, staging: list[SchemaObject], where: str
) -> None:
    """The receipt's per-kind counts; raise when staging is not production object for object."""
    receipt.schema[source] = plan.counts(staging)
    missing, extra = compare(plan.expected, staging)
    results = receipt.verification.setdefault("schema_objects", {})
    results[source] = {
        "match": not missing and not extra,
        "missing": [str(o) for o in missing],
        "unexpected": [str(o) for o in extra],
    }
    if missing or extra:
        receipt.verification["passed"] = False
        raise schema_error(source, where, missing, extra, in_run=True)


def schema_error(
    source: str,
    where: str,
    missing: list[SchemaObject],
    extra: list[SchemaObject],
    in_run: bool,
) -> TargetError:
    parts = []
    if missing:
        parts.append(
            f"lacks {len(missing)} of production's schema objects: {_listed(missing, in_run)}"
        )
    if extra:
        parts.append(
            f"holds {len(extra)} objects production does not have: {_listed(extra, in_run)}"
        )
    subject = "the shadow copy" if in_run else "staging"
    outcome = (
        "The rules were satisfied: the cause is in the tool, not in your rules or data. "
        "The shadow was discarded; staging was left as it was."
        if in_run
        else "Staging is not a copy of production's schema."
    )
    return TargetError(
        f"{where}: {subject} of source {source!r} {' and '.join(parts)}. {outcome}",
        hint="report this as a bug with the receipt; to run without those objects "
        "knowingly, list them under schema: skip: in the source's rule file."
        if in_run
        else "run `sanitize snapshot` to bring staging up to date (or list objects "
        "staging leaves out knowingly under schema: skip: in the rule file).",
    )


def _listed(objects: list[SchemaObject], in_run: bool) -> str:
    shown = ", ".join(str(o) for o in objects[:SHOWN])
    more = len(objects) - SHOWN
    if more <= 0:
        return shown
    return shown + f" (and {more} more{'; the receipt lists them all' if in_run else ''})"
