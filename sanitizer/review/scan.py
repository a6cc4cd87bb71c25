"""``sanitize scan SOURCE``: sample a source, find likely PII fields, propose rules.

Each field's proposal — a SQL column here, a vector metadata key (:mod:`.scan_vectors`), a JSON
path or CSV column of an object (:mod:`.scan_objects`) — combines two kinds of evidence: its
name (``email``, ``phone``, ``first_name``, ``notes``…) and what Presidio finds in a sample of
its values. Proposals are commented with the evidence as counts ("38/100 sampled values
matched EMAIL_ADDRESS") and never with a sampled value. Columns that reference another
table's key are left out: they inherit that key's rule.
"""

from __future__ import annotations

from typing import Any

from sanitizer.config.settings import VECTOR_KINDS, Endpoint, Settings
from sanitizer.errors import ConfigError
from sanitizer.review.fields import SAMPLE_OBJECTS, SAMPLE_ROWS, count_findings, propose_column
from sanitizer.review.proposals import Proposal, Scan
from sanitizer.schema import JSON, STRING, TableInfo


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

    proposals = []
    with SqlSource(endpoint.name, endpoint.url).snapshot() as sql:
        for table in sql.reflect():
            sample = next(iter(sql.batches(table, rows)), None)
            values = {
                c: sample[c].to_list() if sample is not None else [] for c in table.info.columns
            }
            proposals += propose_table(table.info, values, settings)
    return proposals


def propose_table(
    table: TableInfo, values: dict[str, list[Any]], settings: Settings
) -> list[Proposal]:
    inherited = {c for fk in table.foreign_keys for c in fk.columns}
    texts = {
        name: [v for v in values.get(name, []) if isinstance(v, str) and v.strip()]
        for name, column in table.columns.items()
        if column.kind in (STRING, JSON) and name not in inherited
    }
    found = count_findings(texts, settings)
    return [
        propose_column(table, column, values.get(name, []), found.get(name, {}))
        for name, column in table.columns.items()
        if name not in inherited
    ]
