"""The seam between the SQL subset and the stores that follow it (docs/subsetting_follow.md).

An object or vector source follows a SQL subset through column references such as
``app.tickets.id``; :data:`KeptValues` answers "which values of that column do the kept rows
hold", as strings. :func:`kept_values_of` builds it from the run's SQL parts: it checks each
reference against the source's live schema (a wrong name is a ConfigError at the subset entry's
line) and asks each column once, however many keys or records are matched against it.
:class:`ColumnRef` and :data:`KeptValues` are written in the config layer (config may not
import plan) and named here too, where the SQL side imports them from.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sanitizer.config.keys import did_you_mean
from sanitizer.config.subset_follow import ColumnRef, KeptValues, ObjectFollow, VectorFollow
from sanitizer.errors import ConfigError
from sanitizer.schema import TableInfo

__all__ = [
    "ColumnRef",
    "KeptSource",
    "KeptValues",
    "check_ref",
    "follow_problems",
    "kept_values_of",
]


@dataclass(frozen=True)
class KeptSource:
    """A SQL source as the stores that follow it see it: its tables and its kept values."""

    tables: Sequence[TableInfo]
    kept_values: KeptValues


def kept_values_of(sources: Mapping[str, KeptSource], kinds: Mapping[str, str]) -> KeptValues:
    """A KeptValues over the run's SQL sources (by name), checked and asked once per column.

    ``kinds`` is every source's kind, so a reference to an objects or vector source says so.
    """
    tables = {name: source.tables for name, source in sources.items()}
    cache: dict[ColumnRef, frozenset[str]] = {}  # by the resolved reference: read once
    answered: dict[ColumnRef, frozenset[str]] = {}  # by the reference as written: per key

    def kept(ref: ColumnRef) -> frozenset[str]:
        if ref in answered:
            return answered[ref]
        resolved = check_ref(ref, tables, kinds)
        if resolved not in cache:
            cache[resolved] = sources[ref.source].kept_values(resolved)
        answered[ref] = cache[resolved]
        return answered[ref]

    return kept


def check_ref(
    ref: ColumnRef, tables: Mapping[str, Sequence[TableInfo]], kinds: Mapping[str, str]
) -> ColumnRef:
    """``ref`` with its table's rule name, or the ConfigError naming the subset entry's line:
    the source is a SQL source (``tables``: each one's tables) with that table and column."""
    if ref.source not in tables:
        raise _unknown_source(ref, list(tables), kinds)
    return _resolved(ref, tables[ref.source])


def follow_problems(
    follows: Mapping[str, ObjectFollow | VectorFollow],
    tables: Mapping[str, Sequence[TableInfo]],
    kinds: Mapping[str, str],
) -> list[ConfigError]:
    """Every wrong column reference of the ``subset:`` entries of objects and vector sources,
    against a schema (the live one or the committed snapshot: ``rules check``)."""
    problems = []
    for follow in follows.values():
        for ref in follow.refs():
            if kinds.get(ref.source) == "sql" and ref.source not in tables:
                continue  # a SQL source missing from the schema is reported on its own
            try:
                check_ref(ref, tables, kinds)
            except ConfigError as exc:
                problems.append(exc)
    return problems


def _unknown_source(ref: ColumnRef, sql: list[str], kinds: Mapping[str, str]) -> ConfigError:
    if ref.source in kinds:
        return ConfigError(
            f"{ref.where}: {ref} refers to source {ref.source!r}, which is a "
            f"{kinds[ref.source]} source; files and memories follow rows of a sql source.",
            hint="name a sql source's table and column, e.g. app.tickets.id.",
        )
    return ConfigError(
        f"{ref.where}: {ref} refers to source {ref.source!r}, which sanitize.yaml does not define.",
        hint=did_you_mean(ref.source, sql, "name a sql source under sources:."),
    )


def _resolved(ref: ColumnRef, tables: Sequence[TableInfo]) -> ColumnRef:
    """``ref`` with the table's rule name (an alias such as ``public.tickets`` resolves)."""
    table = next((t for t in tables if ref.table == t.name or ref.table in t.aliases), None)
    if table is None:
        raise ConfigError(
            f"{ref.where}: {ref} names table {ref.table!r}, which source {ref.source!r} does "
            "not have.",
            hint=did_you_mean(ref.table, [t.name for t in tables], "check the table's name."),
        )
    if ref.column not in table.columns:
        raise ConfigError(
            f"{ref.where}: {ref} names column {ref.column!r}, which table {table.name!r} of "
            f"source {ref.source!r} does not have.",
            hint=did_you_mean(ref.column, list(table.columns), "check the column's name."),
        )
    return ColumnRef(ref.source, table.name, ref.column, ref.where)
