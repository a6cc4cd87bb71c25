"""The seam between the SQL subset and the stores that follow it (docs/subsetting_follow.md).

An object or vector source follows a SQL subset through column references such as
``app.tickets.id``; :data:`KeptValues` answers "which values of that column do the kept rows
hold", as strings. :func:`kept_values_of` builds it from the run's SQL parts: it checks each
reference against the source's live schema (a wrong name is a ConfigError at the subset entry's
line) and asks each column once, however many keys or records are matched against it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from sanitizer.config.keys import did_you_mean
from sanitizer.config.yamlfile import Location
from sanitizer.errors import ConfigError
from sanitizer.schema import TableInfo


@dataclass(frozen=True)
class ColumnRef:
    """``app.tickets.id`` → source ``app``, table ``tickets``, column ``id``.

    The table may carry its schema (``app.sales.orders.id``): everything between the first
    and the last dot is the table's rule name.
    """

    source: str
    table: str
    column: str
    where: Location | None = field(default=None, compare=False)

    @classmethod
    def parse(cls, text: str, where: Location) -> ColumnRef:
        parts = text.split(".") if isinstance(text, str) else []
        if len(parts) < 3 or not all(p.strip() for p in parts) or text != text.strip():
            raise ConfigError(
                f"{where}: {text!r} is not a column reference.",
                hint="write SOURCE.TABLE.COLUMN, e.g. app.tickets.id (SOURCE is a sql source "
                "in sanitize.yaml).",
            )
        return cls(parts[0], ".".join(parts[1:-1]), parts[-1], where)

    def __str__(self) -> str:
        return f"{self.source}.{self.table}.{self.column}"


KeptValues = Callable[[ColumnRef], frozenset[str]]  # a column's values over the kept rows, as str


@dataclass(frozen=True)
class KeptSource:
    """A SQL source as the stores that follow it see it: its tables and its kept values."""

    tables: Sequence[TableInfo]
    kept_values: KeptValues


def kept_values_of(sources: Mapping[str, KeptSource], kinds: Mapping[str, str]) -> KeptValues:
    """A KeptValues over the run's SQL sources (by name), checked and asked once per column.

    ``kinds`` is every source's kind, so a reference to an objects or vector source says so.
    """
    cache: dict[ColumnRef, frozenset[str]] = {}

    def kept(ref: ColumnRef) -> frozenset[str]:
        source = _source_of(ref, sources, kinds)
        resolved = _resolved(ref, source.tables)
        if resolved not in cache:
            cache[resolved] = source.kept_values(resolved)
        return cache[resolved]

    return kept


def check_ref(ref: ColumnRef, sources: Mapping[str, KeptSource], kinds: Mapping[str, str]) -> None:
    """Raise the ConfigError :func:`kept_values_of` would, without asking for values."""
    _resolved(ref, _source_of(ref, sources, kinds).tables)


def _source_of(
    ref: ColumnRef, sources: Mapping[str, KeptSource], kinds: Mapping[str, str]
) -> KeptSource:
    source = sources.get(ref.source)
    if source is not None:
        return source
    if ref.source in kinds:
        raise ConfigError(
            f"{ref.where}: {ref} refers to source {ref.source!r}, which is a "
            f"{kinds[ref.source]} source; files and memories follow rows of a sql source.",
            hint="name a sql source's table and column, e.g. app.tickets.id.",
        )
    raise ConfigError(
        f"{ref.where}: {ref} refers to source {ref.source!r}, which sanitize.yaml does not define.",
        hint=did_you_mean(ref.source, list(sources), "name a sql source under sources:."),
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
