"""Rules × live schema → a :class:`SourcePlan`: the operator every column gets, and why.

This is where fail-closed is enforced: a column with no rule (and no default, and no foreign
key to inherit from) stops the run before anything is written, with a paste-ready YAML
snippet. Foreign-key columns inherit the rule of the key they reference, so joins survive.
"""

from __future__ import annotations

from dataclasses import replace

from sanitizer.config.keys import did_you_mean
from sanitizer.config.rules import SourceRules
from sanitizer.errors import ConfigError, ConfigErrors
from sanitizer.mask.operators import Operator, operators_for
from sanitizer.mask.operators.null import Null
from sanitizer.mask.plans import ColumnPlan, SourcePlan, TablePlan
from sanitizer.schema import RANGE, ColumnInfo, TableInfo


def build_plan(rules: SourceRules[Operator], schema: list[TableInfo]) -> SourcePlan:
    """Check the rules against the schema; raise ConfigErrors with every problem at once."""
    errors: list[ConfigError] = []
    by_name = {t.name: t for t in schema}
    rules = _canonical_names(rules, schema)
    rule_file = rules.files[0] if rules.files else "rules/"
    _check_names(rules, by_name, errors)
    plan = SourcePlan(source=rules.source)
    missing: dict[str, list[ColumnInfo]] = {}
    for table in schema:
        plan.tables[table.name] = _plan_table(rules, by_name, table, missing, errors)
    if missing:
        errors.insert(0, _missing_error(missing, rules, rule_file))
    if errors:
        raise ConfigErrors(errors)
    return plan


def _check_names(
    rules: SourceRules[Operator], by_name: dict[str, TableInfo], errors: list[ConfigError]
) -> None:
    """Rules for a table or column the source does not have: a typo, or a stale rule."""
    for name, table_rules in rules.tables.items():
        if name not in by_name:
            errors.append(
                ConfigError(
                    f"{table_rules.where}: table {name!r} is not in source {rules.source!r}.",
                    hint=did_you_mean(name, list(by_name), "remove the rules or fix it."),
                )
            )
            continue
        for column in table_rules.columns:
            if column not in by_name[name].columns:
                errors.append(
                    ConfigError(
                        f"{table_rules.column_lines[column]}: column {name}.{column} is unknown.",
                        hint=did_you_mean(column, list(by_name[name].columns), "remove the rule."),
                    )
                )


def _plan_table(
    rules: SourceRules[Operator],
    by_name: dict[str, TableInfo],
    table: TableInfo,
    missing: dict[str, list[ColumnInfo]],
    errors: list[ConfigError],
) -> TablePlan:
    """Each column's operator; a column with none goes to ``missing``."""
    table_plan = TablePlan(table=table)
    for column in table.columns.values():
        resolved = _resolve(rules, by_name, table, column.name, set(), errors)
        if resolved is None:
            missing.setdefault(table.name, []).append(column)
            continue
        op, origin, owner = resolved
        problem = _check(op, column, table.name)
        if problem:
            errors.append(ConfigError(f"{op.where}: {problem[0]}", hint=problem[1]))
            continue
        table_plan.columns[column.name] = ColumnPlan(
            column=column,
            operator=op,
            origin=origin,
            # an inherited key is unique wherever its owner is, so both take the same
            # collision re-draws and the foreign key still joins
            unique=op.unique or (op.changes_values and (column.unique or owner.unique)),
        )
    return table_plan


def _canonical_names(
    rules: SourceRules[Operator], schema: list[TableInfo]
) -> SourceRules[Operator]:
    """Accept ``public.customer`` for ``customer``: rules may qualify the default schema."""
    aliases = {alias: t.name for t in schema for alias in t.aliases}
    if not any(name in aliases for name in rules.tables):
        return rules
    tables = {aliases.get(name, name): table for name, table in rules.tables.items()}
    return replace(rules, tables=tables)


def _resolve(
    rules: SourceRules[Operator],
    tables: dict[str, TableInfo],
    table: TableInfo,
    column: str,
    seen: set[tuple[str, str]],
    errors: list[ConfigError],
) -> tuple[Operator, str, ColumnInfo] | None:
    """The rule for a column: written, inherited through a foreign key, or the default.

    Returns (operator, origin, the column whose rule it is), or None when there is none.
    """
    written = rules.tables.get(table.name)
    own = written.columns.get(column) if written else None
    parent = _referenced(table, column)
    if parent and (parent[0], parent[1]) not in seen and parent[0] in tables:
        seen = seen | {(table.name, column)}
        inherited = _resolve(rules, tables, tables[parent[0]], parent[1], seen, errors)
        if inherited is not None:
            op, _, owner = inherited
            if own is not None and own.label() != op.label():
                errors.append(
                    ConfigError(
                        f"{own.where}: {table.name}.{column} references {parent[0]}.{parent[1]}, "
                        f"which is masked with {op.label()}, but this rule says {own.label()}: "
                        "the foreign key would no longer join.",
                        hint=f"remove this rule (it inherits) or write the same: {op.label()}.",
                    )
                )
            return op, f"inherited from {parent[0]}.{parent[1]}", owner
    info = table.columns[column]
    if own is not None:
        return own, "rule", info
    default = rules.default
    if default is not None and info.kind in default.kinds:
        return default, "default", info
    return None


def _referenced(table: TableInfo, column: str) -> tuple[str, str] | None:
    for fk in table.foreign_keys:
        if column in fk.columns:
            target_column = fk.target_columns[fk.columns.index(column)]
            if (fk.target, target_column) != (table.name, column):
                return fk.target, target_column
    return None


def _check(op: Operator, column: ColumnInfo, table: str) -> tuple[str, str] | None:
    """A rule that cannot work on this column: (problem, fix), else None."""
    field_name = f"{table}.{column.name}"
    if not op.applies_to(column):
        fix = f"operators for it: {', '.join(operators_for(column))} (see `sanitize operators`)"
        if column.kind == RANGE:  # PostgreSQL checks a range's text: nothing else loads
            empty = "{}" if "MULTIRANGE" in column.sql_type.upper() else "empty"
            fix += (
                f"; a constant must be PostgreSQL's text for a {column.sql_type} value, "
                f'e.g. "{empty}"'
            )
        return (
            f"{op.label()} cannot apply to {field_name}, a {column.sql_type} column "
            f"({column.kind} values).",
            fix + ".",
        )
    if isinstance(op, Null) and not column.nullable:
        return (
            f"null on {field_name}, which is NOT NULL, would make the load fail.",
            "use constant, redact or fake instead.",
        )
    if column.unique and op.changes_values and not op.can_be_unique():
        return (
            f"{field_name} has a unique constraint, but {op.label()} cannot keep distinct "
            "values distinct.",
            "use keep, hash, format: preserve, or a fake kind that can be unique "
            "(email, username, url, uuid, iban, postcode) with unique: true.",
        )
    return None


def _missing_error(
    missing: dict[str, list[ColumnInfo]], rules: SourceRules[Operator], rule_file: str
) -> ConfigError:
    count = sum(len(cols) for cols in missing.values())
    lines = ["tables:"]
    for table, columns in missing.items():
        lines.append(f"  {table}:")
        lines += [f"    {c.name}: keep    # TODO {c.sql_type}: choose a rule" for c in columns]
    names = ", ".join(f"{t}.{c.name}" for t, cols in missing.items() for c in cols)
    snippet = "\n".join(lines)
    # point at the first such table's rules, else the top of the file (none: the directory)
    first = rules.tables.get(next(iter(missing)))
    where = str(first.where) if first else f"{rule_file}:1" if rules.files else rule_file
    return ConfigError(
        f"{where}: {count} column{'s' if count != 1 else ''} of source {rules.source!r} "
        f"{'have' if count != 1 else 'has'} no rule (defaults.unknown is {rules.unknown}): "
        f"{names}.\nAdd rules for them, e.g.:\n\n{snippet}\n",
        hint="give each column a rule (keep only what is not sensitive), then run again.",
    )
