"""``sanitize scan SOURCE``: sample a source, find likely PII fields, propose rules.

Each field's proposal — a SQL column here, a vector metadata key (:mod:`.scan_vectors`), a JSON
path or CSV column of an object (:mod:`.scan_objects`) — combines two kinds of evidence: its
name (``email``, ``phone``, ``first_name``, ``notes``…) and what Presidio finds in a sample of
its values. Proposals are commented with the evidence as counts ("38/100 sampled values
matched EMAIL_ADDRESS") and never with a sampled value. Columns that reference another
table's key are left out: they inherit that key's rule. A text column that would be kept but
holds the values of a masked column is masked like it (:mod:`.scan_overlap`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from sanitizer.config.settings import VECTOR_KINDS, Endpoint, Settings
from sanitizer.errors import ConfigError
from sanitizer.mask.codecs import unescape
from sanitizer.review.fields import SAMPLE_OBJECTS, SAMPLE_ROWS, count_findings, propose_column
from sanitizer.review.proposals import Proposal, Scan
from sanitizer.schema import JSON, OTHER, STRING, TableInfo

if TYPE_CHECKING:
    import sqlalchemy as sa


def scan(
    settings: Settings, source: str, rows: int = SAMPLE_ROWS, objects: int = SAMPLE_OBJECTS
) -> Scan:
    """Proposals for every field of ``source``: tables, vector collections or object shapes."""
    endpoint = settings.sources.get(source)
    if endpoint is None:
        raise ConfigError(
            f"source {source!r} is not named in {settings.path}.",
            hint=f"use one of {', '.join(settings.sources) or '(none configured)'}.",
        )
    if "${" in endpoint.url:
        raise ConfigError(
            f"{endpoint.where}: the url of source {source!r} uses an unset variable.",
            hint="export it before scanning (scan reads a sample of the source).",
        )
    if endpoint.kind in VECTOR_KINDS:
        from sanitizer.review.scan_vectors import propose_collections

        return Scan(source, collections=propose_collections(settings, endpoint, rows))
    if endpoint.kind == "objects":
        from sanitizer.review.scan_objects import scan_objects

        return Scan(source, objects=scan_objects(settings, endpoint, rows, objects))
    return Scan(source, tables=scan_tables(settings, endpoint, rows))


def scan_tables(settings: Settings, endpoint: Endpoint, rows: int) -> list[Proposal]:
    """A rule proposal for every column of every table of a SQL source."""
    from sanitizer.extract.sql import SqlSource
    from sanitizer.review.scan_overlap import mask_shared

    proposals = []
    computed: set[tuple[str, str]] = set()  # (table, column) the database derives
    with SqlSource(endpoint.name, endpoint.url).snapshot() as sql:
        tables = sql.reflect()
        searches = search_triggers(sql.connection) if sql.dialect == "postgresql" else {}
        for table in tables:
            sample = next(iter(sql.batches(table, rows)), None)
            if sample is not None and sql.copy_text:
                sample = sample.with_columns(unescape(sample[c]) for c in sample.columns)
            values = {
                c: sample[c].to_list() if sample is not None else [] for c in table.info.columns
            }
            key = (table.table.schema, table.table.name)
            derived = {**derived_columns(table.table), **searches.get(key, {})}
            computed |= {(table.info.name, c) for c in derived}
            proposals += propose_table(
                table.info, values, settings, derived, expression_uniques(table.table)
            )
        # a kept column holding a masked column's values would leak them (scan_overlap.py)
        proposals = mask_shared(sql, tables, proposals, computed)
    return proposals


def propose_table(
    table: TableInfo,
    values: dict[str, list[Any]],
    settings: Settings,
    derived: dict[str, Derived] | None = None,
    also_unique: set[str] = frozenset(),  # type: ignore[assignment]
) -> list[Proposal]:
    """Every column's proposal; a derived column follows the rule of its source columns."""
    derived = derived or {}
    inherited = {c for fk in table.foreign_keys for c in fk.columns}
    if also_unique:
        columns = {
            n: replace(c, unique=True) if n in also_unique else c for n, c in table.columns.items()
        }
        table = replace(table, columns=columns)
    texts = {
        name: [v for v in values.get(name, []) if isinstance(v, str) and v.strip()]
        for name, column in table.columns.items()
        if column.kind in (STRING, JSON) and name not in inherited and name not in derived
    }
    found = count_findings(texts, settings)
    proposals = {
        name: propose_column(table, column, values.get(name, []), found.get(name, {}))
        for name, column in table.columns.items()
        if name not in inherited and name not in derived
    }
    for name, how in derived.items():
        if name in table.columns and name not in inherited:
            proposals[name] = _follow(table, name, how, proposals)
    return [proposals[name] for name in table.columns if name in proposals]


@dataclass(frozen=True)
class Derived:
    """A column the database computes from others: how, and from which columns."""

    how: str  # "a generated column", "tsvector_update_trigger"…
    sources: tuple[str, ...]


def _follow(table: TableInfo, name: str, how: Derived, proposals: dict[str, Proposal]) -> Proposal:
    """A derived column takes the strongest rule among its sources (masked sources win)."""
    rules = [proposals[s].rule for s in how.sources if s in proposals]
    masked = [r for r in rules if r != "keep"]
    rule: Any = "keep"
    if masked:
        rule = "detect" if "detect" in masked or len(masked) > 1 else masked[0]
    column = table.columns[name]
    if rule != "keep" and column.kind not in (STRING, JSON, OTHER):
        rule = "null" if column.nullable else "keep"
    if isinstance(rule, dict) and "unique" in rule and not column.unique:
        rule = {k: v for k, v in rule.items() if k != "unique"}
    sources = ", ".join(how.sources) or "other columns"
    return Proposal(
        table.name,
        name,
        rule,
        f"derived from {sources} ({how.how}): staging derives it again from the masked "
        "columns; the rule follows its source's",
    )


def derived_columns(table: sa.Table) -> dict[str, Derived]:
    """Generated (computed) columns and the columns their expression names."""
    out = {}
    for column in table.columns:
        computed = getattr(column, "computed", None)
        if computed is None:
            continue
        expression = str(computed.sqltext)
        sources = tuple(
            c.name
            for c in table.columns
            if c is not column
            and re.search(
                rf'(?<![\w$]){re.escape(c.name)}(?![\w$])|"{re.escape(c.name)}"', expression
            )
        )
        out[column.name] = Derived("a generated column", sources)
    return out


def search_triggers(conn: Any) -> dict[tuple[str | None, str], dict[str, Derived]]:
    """PostgreSQL tsvector columns kept current by ``tsvector_update_trigger(_column)``."""
    rows = conn.exec_driver_sql(
        "SELECT n.nspname, c.relname, t.tgargs, p.proname, "
        "n.nspname = current_schema() FROM pg_trigger t "
        "JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
        "JOIN pg_proc p ON p.oid = t.tgfoid WHERE NOT t.tgisinternal "
        "AND p.proname IN ('tsvector_update_trigger', 'tsvector_update_trigger_column')"
    ).all()
    out: dict[tuple[str | None, str], dict[str, Derived]] = {}
    for schema, table, raw, function, default in rows:
        args = bytes(raw).decode("utf-8", "replace").split("\x00")
        args = [a for a in args if a]
        if len(args) < 3:
            continue
        key = (None if default else schema, table)
        out.setdefault(key, {})[args[0]] = Derived(function, tuple(args[2:]))
    return out


def expression_uniques(table: sa.Table) -> set[str]:
    """Columns under a unique index on an expression of them alone (``lower(email)``)."""
    out = set()
    for index in table.indexes:
        if not index.unique or index.columns:
            continue
        text = " ".join(str(e) for e in index.expressions)
        named = [
            c.name
            for c in table.columns
            if re.search(rf'(?<![\w$]){re.escape(c.name)}(?![\w$])|"{re.escape(c.name)}"', text)
        ]
        if len(named) == 1:
            out.add(named[0])
    return out
