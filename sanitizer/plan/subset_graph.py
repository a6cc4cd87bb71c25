"""A SQL source's subset config × its schema → the edges the closure walks, or located errors.

Needs no database: the run checks it against the live schema, ``rules check`` against the
committed schema snapshot (docs/subsetting.md). Every reference from a row to another row is an
:class:`Edge` — declared foreign keys (composite, to a unique non-primary key, self-references)
and the virtual ``references:`` of the config (plain, inside a JSON column, or polymorphic).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from sanitizer.config.keys import did_you_mean
from sanitizer.config.subset_settings import ColumnName, Follow, Reference, SqlSubset
from sanitizer.config.yamlfile import Location
from sanitizer.errors import ConfigError, ConfigErrors
from sanitizer.schema import TableInfo

TableOf = Callable[[ColumnName | str, Location], str | None]  # a name → its rule name


@dataclass(frozen=True)
class Edge:
    """Rows of ``child`` name rows of ``parent``: ``columns`` (or ``path`` inside the one
    column, on rows where ``when`` holds) equal the parent's ``parent_columns``."""

    child: str
    columns: tuple[str, ...]
    parent: str
    parent_columns: tuple[str, ...]
    path: str | None = None
    when: str | None = None
    declared: bool = True
    limit: int | None = None  # a follow edge's children per parent row (first in key order)

    def label(self) -> str:
        cols = ",".join(self.columns)
        text = f"{self.child}.{cols}" if len(self.columns) == 1 else f"{self.child}.({cols})"
        text += (f" {self.path}" if self.path else "") + (" (when)" if self.when else "")
        return text + (f" (at most {self.limit} per parent)" if self.limit else "")


@dataclass
class SubsetGraph:
    """What the closure needs: roles of tables, and every edge by child and by parent."""

    config: SqlSubset
    tables: dict[str, TableInfo]
    roots: dict[str, list] = field(default_factory=dict)  # table → its Root entries
    passthrough: set[str] = field(default_factory=set)
    exclude: set[str] = field(default_factory=set)
    exclude_at: dict[str, Location] = field(default_factory=dict)  # where each was listed
    edges: list[Edge] = field(default_factory=list)  # every upward edge
    follow: list[Edge] = field(default_factory=list)  # edges also followed downward
    nulled: dict[str, set[str]] = field(default_factory=dict)  # table → FK columns set NULL

    def up(self, table: str) -> list[Edge]:
        """Edges from ``table`` the closure must resolve (none into excluded tables)."""
        return [e for e in self.edges if e.child == table and e.parent not in self.exclude]

    def down(self, table: str) -> list[Edge]:
        return [e for e in self.follow if e.parent == table]


def build_graph(config: SqlSubset, schema: list[TableInfo]) -> SubsetGraph:
    """Check every name of the subset against the schema; raise ConfigErrors with all
    problems at once."""
    errors: list[ConfigError] = []
    graph = SubsetGraph(config, {t.name: t for t in schema})
    names = _names(schema)

    def table(name: ColumnName | str, at: Location) -> str | None:
        text = name.table if isinstance(name, ColumnName) else name
        found = names.get(text)
        if found is None:
            errors.append(
                ConfigError(
                    f"{at}: subset.{config.source}: table {text!r} is not in source "
                    f"{config.source!r}.",
                    hint=did_you_mean(text, sorted(names), "check the table name."),
                )
            )
        return found

    for root in config.roots:
        found = table(root.table, root.where)
        if found is not None:
            graph.roots.setdefault(found, []).append(root)
    graph.passthrough = {t for n in config.passthrough if (t := table(n, n.where))}
    graph.exclude_at = {t: n.where for n in config.exclude if (t := table(n, n.where))}
    graph.exclude = set(graph.exclude_at)
    graph.edges = [
        Edge(t.name, fk.columns, fk.target, fk.target_columns)
        for t in schema
        for fk in t.foreign_keys
        if fk.target in graph.tables
    ]
    graph.edges += [e for r in config.references if (e := _reference(r, graph, table, errors))]
    graph.follow = [e for f in config.follow for e in _follow(f, graph, table, errors)]
    if not errors:
        _check_keys(graph, errors)
        _check_excluded(graph, errors)
    if errors:
        raise ConfigErrors(errors)
    return graph


def _names(schema: list[TableInfo]) -> dict[str, str]:
    """Every name a subset may use for a table (``public.t`` for ``t``) → its rule name."""
    return {alias: t.name for t in schema for alias in (t.name, *t.aliases)}


def _column(graph: SubsetGraph, table: str, column: str, at: Location) -> ConfigError | None:
    columns = graph.tables[table].columns
    if column in columns:
        return None
    return ConfigError(
        f"{at}: subset.{graph.config.source}: column {table}.{column} is unknown.",
        hint=did_you_mean(column, list(columns), f"see {table}'s columns."),
    )


def _reference(
    ref: Reference, graph: SubsetGraph, table: TableOf, errors: list[ConfigError]
) -> Edge | None:
    child, parent = table(ref.source, ref.where), table(ref.target, ref.where)
    if child is None or parent is None:
        return None
    problems = [
        p
        for p in (
            _column(graph, child, ref.source.column, ref.where),
            _column(graph, parent, ref.target.column, ref.where),
        )
        if p
    ]
    if ref.path and graph.tables[child].columns.get(ref.source.column) is not None:
        kind = graph.tables[child].columns[ref.source.column].kind
        if kind not in ("json", "string"):
            problems.append(
                ConfigError(
                    f"{ref.where}: reference {ref.source} has a path, but {ref.source} holds "
                    f"{kind} values, not JSON.",
                    hint="remove path: or point from: at the JSON column.",
                )
            )
    errors += problems
    if problems:
        return None
    return Edge(
        child,
        (ref.source.column,),
        parent,
        (ref.target.column,),
        path=ref.path,
        when=ref.when,
        declared=False,
    )


def _follow(
    name: Follow, graph: SubsetGraph, table: TableOf, errors: list[ConfigError]
) -> list[Edge]:
    """The edge a ``follow`` entry names: a declared foreign key or plain reference of that
    column, else every JSON-path reference declared on it."""
    child = table(name, name.where)
    if child is None:
        return []
    problem = _column(graph, child, name.column, name.where)
    if problem:
        errors.append(problem)
        return []
    edges = [e for e in graph.edges if e.child == child and name.column in e.columns]
    chosen = [e for e in edges if e.path is None][:1] or edges
    if not chosen:
        declared = [e.label() for e in graph.edges if e.child == child]
        errors.append(
            ConfigError(
                f"{name.where}: follow {name}: {child}.{name.column} is not a foreign key or a "
                f"declared reference of {child}"
                + (f"; its keys are {', '.join(declared)}" if declared else "")
                + ".",
                hint=f"follow one of {child}'s foreign keys, or declare it under references: "
                f"{{from: {name}, to: PARENT.COLUMN}}.",
            )
        )
        return []
    if chosen[0].parent in graph.exclude:
        errors.append(
            ConfigError(
                f"{name.where}: follow {name} starts from {chosen[0].parent}, which is excluded.",
                hint=f"remove the follow edge or take {chosen[0].parent} out of exclude.",
            )
        )
        return []
    return [replace(e, limit=name.limit) for e in chosen]


def _check_keys(graph: SubsetGraph, errors: list[ConfigError]) -> None:
    """Subset tables are tracked by primary key: one without any must be copied whole or
    excluded."""
    for name in sorted(reachable(graph)):
        if not graph.tables[name].primary_key:
            where = graph.roots[name][0].where if name in graph.roots else graph.config.where
            errors.append(
                ConfigError(
                    f"{where}: subset.{graph.config.source}: table {name!r} has no primary key, "
                    "and the subset can reach it; rows are chosen by their primary key.",
                    hint=f"list {name} under passthrough (copied whole) or exclude.",
                )
            )


def reachable(graph: SubsetGraph) -> set[str]:
    """Tables that may get rows by key: roots, what they follow and every parent."""
    special = graph.passthrough | graph.exclude
    seen = {t for t in graph.roots if t not in special}
    todo = list(seen) + list(graph.passthrough)  # passthrough rows need their parents too
    while todo:
        name = todo.pop()
        nxt = [e.parent for e in graph.up(name)] + [e.child for e in graph.down(name)]
        for other in nxt:
            if other not in special and other not in seen:
                seen.add(other)
                todo.append(other)
    return seen


def _check_excluded(graph: SubsetGraph, errors: list[ConfigError]) -> None:
    """A kept row's key into an excluded table cannot resolve: NOT NULL (or virtual) is an
    error naming both; a nullable declared key is loaded as NULL (docs/subsetting.md)."""
    kept = reachable(graph) | graph.passthrough
    for edge in graph.edges:
        if edge.parent not in graph.exclude or edge.child not in kept:
            continue
        child = graph.tables[edge.child]
        not_null = [c for c in edge.columns if not child.columns[c].nullable]
        if edge.declared and not not_null:
            graph.nulled.setdefault(edge.child, set()).update(edge.columns)
            continue
        why = "a reference the config declares" if not edge.declared else "NOT NULL"
        at = graph.exclude_at.get(edge.parent, graph.config.where)
        errors.append(
            ConfigError(
                f"{at}: subset.{graph.config.source}: {edge.label()} points "
                f"into {edge.parent}, which is excluded, and it is {why}: kept {edge.child} "
                "rows would name rows staging does not have.",
                hint=f"take {edge.parent} out of exclude, or exclude {edge.child} too.",
            )
        )
