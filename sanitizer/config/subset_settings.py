"""The ``subset:`` section of sanitize.yaml: which rows of a SQL source staging gets.

```yaml
subset:
  app:                                   # a SQL source
    roots:
      - {table: tickets, where: "created_at >= '2026-01-01'"}
      - {table: accounts, percent: 2}    # keyed hash of the primary key: stable
      - {table: tenants, where: "id in (1, 2, 3)", limit: 1000}
    follow:                              # child edges followed downward
      - messages.ticket_id
      - {edge: attachments.message_id, limit: 3}   # at most 3 per message, in key order
    passthrough: [plans]                 # copied whole
    exclude: [audit_log]                 # schema only
    references:                          # foreign keys the database does not declare
      - {from: events.ticket_id, to: tickets.id}
      - {from: events.payload, path: "$.ticket.id", to: tickets.id}
      - {from: comments.subject_id, to: tickets.id, when: "subject_type = 'ticket'"}
```

This module checks the shape only (it needs no database); names are checked against the live
schema (or the committed snapshot) by :func:`sanitizer.plan.subset.check_subset`. Entries that
name an objects or vector source are kept raw in ``follow_raw`` for their own parser
(docs/subsetting.md).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sanitizer.config.keys import check_keys, did_you_mean
from sanitizer.config.yamlfile import LocatedDict, Location
from sanitizer.errors import ConfigError

SQL_KEYS = ("roots", "follow", "passthrough", "exclude", "references")
ROOT_KEYS = ("table", "where", "percent", "limit")
REFERENCE_KEYS = ("from", "to", "path", "when")
FOLLOW_KEYS = ("edge", "limit")
_PATH = re.compile(r"^\$(\.[A-Za-z_][A-Za-z0-9_]*)+$")


@dataclass(frozen=True)
class Root:
    """Rows staging must have: a WHERE condition, a keyed percentage, a row limit."""

    table: str
    where_sql: str | None
    percent: float | None
    limit: int | None
    where: Location

    def describe(self) -> str:
        parts = []
        if self.where_sql is not None:
            parts.append(f"where {self.where_sql}")
        if self.percent is not None:
            parts.append(f"{self.percent:g}%")
        if self.limit is not None:
            parts.append(f"limit {self.limit}")
        return "root " + ", ".join(parts)


@dataclass(frozen=True)
class ColumnName:
    """``TABLE.COLUMN`` as written (the table may be schema-qualified: ``s.t.c``)."""

    table: str
    column: str
    where: Location

    def __str__(self) -> str:
        return f"{self.table}.{self.column}"


@dataclass(frozen=True)
class Follow(ColumnName):
    """A child edge followed downward; ``limit``: at most that many children per parent
    row, the first ones in the child's primary-key order."""

    limit: int | None = None


@dataclass(frozen=True)
class Reference:
    """A foreign key the database does not declare: a column (or a JSON path inside it,
    or only the rows where ``when`` holds) that names a row of another table."""

    source: ColumnName
    target: ColumnName
    path: str | None
    when: str | None
    where: Location

    def describe(self) -> str:
        text = str(self.source) + (f" {self.path}" if self.path else "")
        return text + (f" when {self.when}" if self.when else "")


@dataclass(frozen=True)
class SqlSubset:
    """One SQL source's subset, as written."""

    source: str
    roots: tuple[Root, ...]
    follow: tuple[Follow, ...]
    passthrough: tuple[ColumnName, ...]  # column is "" (a table name)
    exclude: tuple[ColumnName, ...]
    references: tuple[Reference, ...]
    where: Location


@dataclass(frozen=True)
class SubsetSettings:
    """Every source's subset; objects and vector entries raw for their own parser."""

    sql: dict[str, SqlSubset] = field(default_factory=dict)
    follow_raw: dict[str, Any] = field(default_factory=dict)

    def __hash__(self) -> int:
        return hash(tuple(self.sql))


def subset_settings(raw: Any, where: Location, kinds: Mapping[str, str]) -> SubsetSettings:
    """The ``subset:`` section; ``kinds`` maps each source name to its kind."""
    if raw is None:
        return SubsetSettings()
    section = _mapping(raw, where, "subset", "subset: {app: {roots: [...]}}")
    sql: dict[str, SqlSubset] = {}
    follow_raw: dict[str, Any] = {}
    for name, node in section.items():
        at = section.at(name)
        if name not in kinds:
            raise ConfigError(
                f"{at}: subset names source {name!r}, which sanitize.yaml does not have.",
                hint=did_you_mean(name, list(kinds), "name a source from sources:."),
            )
        if kinds[name] == "sql":
            sql[name] = _sql_subset(name, node, at)
        else:
            follow_raw[name] = node
    return SubsetSettings(sql=sql, follow_raw=follow_raw)


def _sql_subset(name: str, node: Any, at: Location) -> SqlSubset:
    spec = _mapping(node, at, f"subset.{name}", "roots: [{table: t, where: ...}]")
    check_keys(spec, SQL_KEYS, f"subset.{name}")
    roots = tuple(_root(item, spec.at("roots"), name) for item in _list(spec, "roots", name))
    if not roots:
        raise ConfigError(
            f"{spec.where}: subset.{name} has no roots, so it would keep nothing.",
            hint="add roots: [{table: TABLE, where: CONDITION}] (or percent: / limit:).",
        )
    subset = SqlSubset(
        source=name,
        roots=roots,
        follow=tuple(_follow(i, spec.at("follow"), name) for i in _list(spec, "follow", name)),
        passthrough=_tables(spec, "passthrough", name),
        exclude=_tables(spec, "exclude", name),
        references=tuple(
            _reference(item, spec.at("references"), name)
            for item in _list(spec, "references", name)
        ),
        where=at,
    )
    _check_overlaps(subset)
    return subset


def _root(item: Any, at: Location, source: str) -> Root:
    spec = _mapping(item, at, f"a root of subset.{source}", "{table: t, where: ...}")
    here = spec.where
    check_keys(spec, ROOT_KEYS, f"a root of subset.{source}")
    table = spec.get("table")
    if not isinstance(table, str) or not table.strip():
        raise ConfigError(f"{here}: a root needs a table.", hint="write {table: NAME, ...}")
    where_sql = spec.get("where")
    if where_sql is not None and (not isinstance(where_sql, str) or not where_sql.strip()):
        raise ConfigError(
            f"{spec.at('where')}: root {table}: where must be a SQL condition (text).",
            hint="write where: \"created_at >= '2026-01-01'\"",
        )
    percent = _percent(spec, table)
    limit = spec.get("limit")
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 1):
        raise ConfigError(
            f"{spec.at('limit')}: root {table}: limit must be a positive whole number of rows, "
            f"not {limit!r}.",
            hint="write limit: 1000",
        )
    if where_sql is None and percent is None and limit is None:
        raise ConfigError(
            f"{here}: root {table} says neither where, percent nor limit, so it would keep the "
            "whole table.",
            hint=f"add where: CONDITION or percent: N, or list {table} under passthrough.",
        )
    return Root(table.strip(), where_sql, percent, limit, here)


def _percent(spec: LocatedDict, table: str) -> float | None:
    percent = spec.get("percent")
    if percent is None:
        return None
    if isinstance(percent, bool) or not isinstance(percent, int | float) or not 0 < percent <= 100:
        raise ConfigError(
            f"{spec.at('percent')}: root {table}: percent must be a number above 0 and at most "
            f"100, not {percent!r}.",
            hint="write percent: 2 (two rows in a hundred, chosen by a keyed hash of the key).",
        )
    return float(percent)


def _reference(item: Any, at: Location, source: str) -> Reference:
    spec = _mapping(item, at, f"a reference of subset.{source}", "{from: t.c, to: p.id}")
    check_keys(spec, REFERENCE_KEYS, f"a reference of subset.{source}")
    for key in ("from", "to"):
        if key not in spec:
            raise ConfigError(
                f"{spec.where}: a reference needs {key}: TABLE.COLUMN.",
                hint="write {from: events.ticket_id, to: tickets.id}",
            )
    source_column = _column(spec["from"], spec.at("from"), "from")
    target = _column(spec["to"], spec.at("to"), "to")
    path, when = spec.get("path"), spec.get("when")
    if path is not None and (not isinstance(path, str) or not _PATH.match(path)):
        raise ConfigError(
            f"{spec.at('path')}: reference {source_column}: path must be a JSON path of field "
            f'names like "$.ticket.id", not {path!r}.',
            hint='write path: "$.ticket.id"',
        )
    if when is not None and (not isinstance(when, str) or not when.strip()):
        raise ConfigError(
            f"{spec.at('when')}: reference {source_column}: when must be a SQL condition.",
            hint="write when: \"subject_type = 'ticket'\"",
        )
    return Reference(source_column, target, path, when, spec.where)


def _follow(item: Any, at: Location, source: str) -> Follow:
    """``CHILD.FK_COLUMN``, or ``{edge: CHILD.FK_COLUMN, limit: N}``."""
    if not isinstance(item, LocatedDict):
        column = _column(item, at, "follow")
        return Follow(column.table, column.column, at)
    check_keys(item, FOLLOW_KEYS, f"a follow edge of subset.{source}")
    if "edge" not in item:
        raise ConfigError(
            f"{item.where}: a follow entry written as a mapping needs edge: CHILD.FK_COLUMN.",
            hint="write {edge: messages.ticket_id, limit: 10}",
        )
    column = _column(item["edge"], item.at("edge"), "follow")
    limit = item.get("limit")
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 1):
        raise ConfigError(
            f"{item.at('limit')}: follow {column}: limit must be a positive whole number of "
            f"rows per parent, not {limit!r}.",
            hint=f"write {{edge: {column}, limit: 10}}",
        )
    return Follow(column.table, column.column, item.where, limit)


def _column(item: Any, at: Location, what: str) -> ColumnName:
    if not isinstance(item, str) or "." not in item.strip(". "):
        raise ConfigError(
            f"{at}: {what}: {item!r} is not TABLE.COLUMN.",
            hint="write e.g. messages.ticket_id",
        )
    table, _, column = item.strip().rpartition(".")
    return ColumnName(table, column, at)


def _tables(spec: LocatedDict, key: str, source: str) -> tuple[ColumnName, ...]:
    names = []
    for item in _list(spec, key, source):
        if not isinstance(item, str) or not item.strip():
            raise ConfigError(
                f"{spec.at(key)}: subset.{source}.{key} must list table names, not {item!r}.",
                hint=f"write {key}: [plans, countries]",
            )
        names.append(ColumnName(item.strip(), "", spec.at(key)))
    return tuple(names)


def _check_overlaps(subset: SqlSubset) -> None:
    """A table is a root, copied whole or excluded — never two of them."""
    roles: dict[str, str] = {}
    lists = (
        ("a root", [(r.table, r.where) for r in subset.roots]),
        ("passthrough", [(t.table, t.where) for t in subset.passthrough]),
        ("exclude", [(t.table, t.where) for t in subset.exclude]),
    )
    for role, entries in lists:
        for table, at in entries:
            before = roles.get(table)
            if before is not None and before != role:
                raise ConfigError(
                    f"{at}: table {table!r} is both {before} and {role} in subset.{subset.source}.",
                    hint="keep it in one of them.",
                )
            roles[table] = role


def _mapping(node: Any, where: Location, what: str, example: str) -> LocatedDict:
    if not isinstance(node, LocatedDict):
        raise ConfigError(f"{where}: {what} must be a mapping.", hint=f"write {example}")
    return node


def _list(spec: LocatedDict, key: str, source: str) -> list[Any]:
    value = spec.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise ConfigError(
            f"{spec.at(key)}: subset.{source}.{key} must be a list.",
            hint=f"write {key}: [...] or one item per line starting with '- '.",
        )
    return value
