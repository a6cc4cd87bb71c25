"""Rule files → :class:`SourceRules` with operators built: every problem of every file at once.

``config/rules.py`` reads the files into inert specs; here each spec becomes an operator (the
registry in ``mask/operators`` says which exist and checks their arguments). Problems from
reading and from building are reported together, in the order a reader meets them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sanitizer.config.object_rules import ObjectRule
from sanitizer.config.rule_spec import Problem, RuleSpec
from sanitizer.config.rules import (
    CollectionRules,
    ReadRules,
    SourceRules,
    TableRules,
    read_rule_files,
    read_rule_texts,
)
from sanitizer.config.secret_settings import SecretsSettings
from sanitizer.errors import ConfigError, ConfigErrors
from sanitizer.mask.operators import Operator, build
from sanitizer.mask.operators.detect import Detect
from sanitizer.mask.operators.keep import Keep


def load_rules(
    rules_dir: Path, sources: list[str], secrets: SecretsSettings | None = None
) -> dict[str, SourceRules[Operator]]:
    """Read every rule file and build its operators; raise ConfigErrors listing every problem.

    ``secrets``: sanitize.yaml's ``secrets:`` section, which the operators that move URLs read
    (pass ``settings.secrets`` wherever values are masked, so every store agrees).
    """
    rules = build_rules(read_rule_files(rules_dir, sources))
    if secrets is not None:
        use_secrets(rules, secrets)
    return rules


def use_secrets(rules: dict[str, SourceRules[Operator]], secrets: SecretsSettings) -> None:
    """Give every built operator (nested ones too) the ``secrets:`` settings."""
    for source in rules.values():
        tops: list[Operator | None] = [source.default]
        for table in source.tables.values():
            tops += table.columns.values()
        for collection in source.vectors.values():
            tops += [collection.document, *collection.metadata.values()]
        for rule in source.objects:
            tops += [rule.operator, rule.keys, *rule.columns.values()]
            tops += [*rule.metadata.values(), *rule.tags.values()]
        for top in tops:
            for op in top.operators() if top is not None else ():
                op.secrets = secrets


def rules_from_texts(texts: dict[str, str], sources: list[str]) -> dict[str, SourceRules[Operator]]:
    """Same as :func:`load_rules` for file contents held in memory (e.g. a git revision)."""
    return build_rules(read_rule_texts(texts, sources))


def build_rules(read: ReadRules) -> dict[str, SourceRules[Operator]]:
    """The operators of every source; ConfigErrors with reading and building problems in order."""
    problems = [p for problem in read.problems for p in _resolve(problem)]
    built = {name: _build_source(rules, problems) for name, rules in read.sources.items()}
    if problems:
        raise ConfigErrors([p.error for p in sorted(problems, key=lambda p: p.order)])
    return built


def _resolve(problem: Problem[Any]) -> list[Problem[Any]]:
    """A reading problem as reported: after a wrong rule read before it, or replaced by one.

    In an object rule the first wrong thing is the one reported (``unless``); a collection's
    wrong document rule is reported besides its structural problem (``also``).
    """
    if problem.unless is not None:
        try:
            build_object_rule(problem.unless)
        except ConfigError as exc:
            return [Problem(exc, problem.order)]
    found: list[Problem[Any]] = []
    if problem.also is not None:
        _build(problem.also, found)
    return [*found, problem]


def _build_source(
    rules: SourceRules[RuleSpec], problems: list[Problem[Any]]
) -> SourceRules[Operator]:
    out = SourceRules[Operator](rules.source, list(rules.files), rules.unknown, rules.unknown_where)
    out.default = build(rules.default) if rules.default is not None else None
    out.skip = list(rules.skip)
    out.grants = rules.grants
    for name, table in rules.tables.items():
        out.tables[name] = _build_table(table, problems)
    for name, collection in rules.vectors.items():
        out.vectors[name] = _build_collection(collection, problems)
    for object_rule in rules.objects:
        try:
            out.objects.append(build_object_rule(object_rule))
        except ConfigError as exc:
            problems.append(Problem(exc, _first_order(object_rule)))
    return out


def _build(spec: RuleSpec, problems: list[Problem[Any]]) -> Operator | None:
    """One spec's operator, or None with its problem recorded at the spec's place."""
    try:
        return build(spec)
    except ConfigError as exc:
        problems.append(Problem(exc, spec.order))
        return None


def _build_table(table: TableRules[RuleSpec], problems: list[Problem[Any]]) -> TableRules[Operator]:
    out = TableRules[Operator](table.name, table.where)
    for column, spec in table.columns.items():
        op = _build(spec, problems)
        if op is not None:
            out.columns[column] = op
            out.column_lines[column] = table.column_lines[column]
    return out


def _build_collection(
    collection: CollectionRules[RuleSpec], problems: list[Problem[Any]]
) -> CollectionRules[Operator]:
    out = CollectionRules[Operator](
        collection.name, collection.where, document_where=collection.document_where
    )
    out.drop = collection.drop
    if collection.document is not None:
        out.document = _build(collection.document, problems)
    for key, spec in collection.metadata.items():
        op = _build(spec, problems)
        if op is not None:
            out.metadata[key] = op
            out.metadata_lines[key] = collection.metadata_lines[key]
    return out


def build_object_rule(rule: ObjectRule[RuleSpec]) -> ObjectRule[Operator]:
    """An object rule's operators, in reading order; the first wrong one raises ConfigError."""
    return ObjectRule[Operator](
        glob=rule.glob,
        where=rule.where,
        handler=rule.handler,
        operator=build(rule.operator) if rule.operator is not None else None,
        columns={name: build(spec) for name, spec in rule.columns.items()},
        delimiter=rule.delimiter,
        header=rule.header,
        keys=_keys_operator(rule.keys) if rule.keys is not None else None,
        metadata=_field_operators(rule.metadata),
        tags=_field_operators(rule.tags),
        pattern=rule.pattern,
    )


def _field_operators(specs: dict[str, RuleSpec | None]) -> dict[str, Operator | None]:
    return {name: build(spec) if spec is not None else None for name, spec in specs.items()}


def _keys_operator(spec: RuleSpec) -> Operator | None:
    """``keys:`` takes detect (segment by segment) or keep (None: segments as they are)."""
    op = build(spec)
    if isinstance(op, Keep):
        return None
    if not isinstance(op, Detect):
        raise ConfigError(
            f"{spec.where}: keys: takes detect, {{detect: [ENTITY, ...]}} or keep, "
            f"not {op.label()}.",
            hint="keys are masked segment by segment with detect; write keys: keep only for "
            "keys that cannot hold personal data.",
        )
    return op


def _first_order(rule: ObjectRule[RuleSpec]) -> int:
    """Where an object rule's problem sits in reading order: at its first spec."""
    specs = [rule.operator, *rule.columns.values(), rule.keys]
    specs += [*rule.metadata.values(), *rule.tags.values()]
    return min((s.order for s in specs if s is not None), default=0)
