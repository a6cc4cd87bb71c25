"""rules/*.yaml → :class:`SourceRules` per source, every rule parsed into an operator.

All files are read and all problems collected before anything touches a database, so one run
shows every mistake with its file and line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sanitizer.config.keys import check_keys
from sanitizer.config.object_rules import ObjectRule, read_object_rules
from sanitizer.config.yamlfile import LocatedDict, Location, load_yaml, parse_yaml
from sanitizer.errors import ConfigError, ConfigErrors
from sanitizer.mask.operators import Operator, parse_rule
from sanitizer.mask.operators.detect import Detect
from sanitizer.mask.operators.redact import Redact

FILE_KEYS = ("source", "defaults", "tables", "vectors", "objects")
UNKNOWN_POLICIES = ("fail", "redact", "detect")


@dataclass
class TableRules:
    """The rules written for one table, by column."""

    name: str
    where: Location
    columns: dict[str, Operator] = field(default_factory=dict)
    column_lines: dict[str, Location] = field(default_factory=dict)


@dataclass
class CollectionRules:
    """The rules written for one vector collection: its document, each metadata key, or drop."""

    name: str
    where: Location
    document: Operator | None = None
    document_where: Location | None = None
    metadata: dict[str, Operator] = field(default_factory=dict)
    metadata_lines: dict[str, Location] = field(default_factory=dict)
    drop: bool = False


@dataclass
class SourceRules:
    """Everything the rule files say about one source."""

    source: str
    files: list[str] = field(default_factory=list)
    unknown: str = "fail"
    unknown_where: Location | None = None
    tables: dict[str, TableRules] = field(default_factory=dict)
    objects: list[ObjectRule] = field(default_factory=list)  # in order: the first match wins
    vectors: dict[str, CollectionRules] = field(default_factory=dict)

    def default_operator(self) -> Operator | None:
        """The operator a field with no rule gets, or None when it must fail (fail closed)."""
        where = self.unknown_where or Location(self.files[0] if self.files else "rules", 1)
        if self.unknown == "redact":
            return Redact(None, where)
        if self.unknown == "detect":
            return Detect(None, where)
        return None


def rule_files(rules_dir: Path) -> list[Path]:
    """The rule files of a rules directory, in a stable order (schema snapshots excluded)."""
    if not rules_dir.is_dir():
        raise ConfigError(
            f"{rules_dir}: the rules directory does not exist.",
            hint="create it with one YAML file per source, or fix 'rules:' in sanitize.yaml.",
        )
    return sorted(
        p
        for p in rules_dir.iterdir()
        if p.suffix in (".yaml", ".yml") and not p.name.startswith(("_", "."))
    )


def load_rules(rules_dir: Path, sources: list[str]) -> dict[str, SourceRules]:
    """Read every rule file; raise ConfigErrors listing every problem found."""
    documents = [(str(path), load_yaml(path)) for path in rule_files(rules_dir)]
    return rules_from_documents(documents, sources)


def rules_from_texts(texts: dict[str, str], sources: list[str]) -> dict[str, SourceRules]:
    """Same as :func:`load_rules` for file contents held in memory (e.g. a git revision)."""
    documents = [(name, parse_yaml(text, name)) for name, text in sorted(texts.items())]
    return rules_from_documents(documents, sources)


def rules_from_documents(
    documents: list[tuple[str, Any]], sources: list[str]
) -> dict[str, SourceRules]:
    result: dict[str, SourceRules] = {}
    errors: list[ConfigError] = []
    for name, document in documents:
        try:
            _read_file(name, document, sources, result, errors)
        except ConfigError as exc:
            errors.append(exc)
    if errors:
        raise ConfigErrors(errors)
    return result


def _read_file(
    name: str,
    doc: Any,
    sources: list[str],
    result: dict[str, SourceRules],
    errors: list[ConfigError],
) -> None:
    if doc is None:
        return
    if not isinstance(doc, LocatedDict):
        raise ConfigError(f"{name}:1: a rule file must be a mapping with source: and tables:.")
    check_keys(doc, FILE_KEYS, "", kind="top-level key")
    source = doc.get("source")
    if source not in sources:
        raise ConfigError(
            f"{doc.at('source')}: source {source!r} is not named in sanitize.yaml.",
            hint=f"set source: to one of {', '.join(sources) or '(no sources configured)'}.",
        )
    rules = result.setdefault(source, SourceRules(source=source))
    rules.files.append(name)
    _read_defaults(doc, rules)
    if doc.get("objects") is not None:
        rules.objects.extend(read_object_rules(doc["objects"], doc.at("objects"), errors))
    _read_vectors(doc, rules, errors)
    tables = doc.get("tables") or LocatedDict()
    if not isinstance(tables, dict):
        raise ConfigError(f"{doc.at('tables')}: tables: must map table names to column rules.")
    for table, columns in tables.items():
        where = tables.at(table)
        if table in rules.tables:
            errors.append(
                ConfigError(
                    f"{where}: table {table!r} already has rules in {rules.tables[table].where}.",
                    hint="keep each table's rules in one place.",
                )
            )
            continue
        rules.tables[table] = _read_table(str(table), columns, where, errors)


def _read_defaults(doc: LocatedDict, rules: SourceRules) -> None:
    defaults = doc.get("defaults")
    if defaults is None:
        return
    if not isinstance(defaults, LocatedDict) or set(defaults) - {"unknown"}:
        raise ConfigError(
            f"{doc.at('defaults')}: defaults: takes only unknown: fail|redact|detect."
        )
    policy = defaults.get("unknown", "fail")
    if policy not in UNKNOWN_POLICIES:
        raise ConfigError(
            f"{defaults.at('unknown')}: defaults.unknown is {policy!r}.",
            hint=f"use one of {', '.join(UNKNOWN_POLICIES)} (fail is the safe default).",
        )
    rules.unknown, rules.unknown_where = policy, defaults.at("unknown")


def _read_table(name: str, columns: Any, where: Location, errors: list[ConfigError]) -> TableRules:
    table = TableRules(name=name, where=where)
    if not isinstance(columns, LocatedDict):
        errors.append(ConfigError(f"{where}: table {name!r} must map column names to rules."))
        return table
    for column in columns:
        at = columns.at(column)
        try:
            table.columns[str(column)] = parse_rule(columns.rule(column), at)
            table.column_lines[str(column)] = at
        except ConfigError as exc:
            errors.append(exc)
    return table


COLLECTION_KEYS = ("document", "metadata")


def _read_vectors(doc: LocatedDict, rules: SourceRules, errors: list[ConfigError]) -> None:
    """``vectors:`` → one :class:`CollectionRules` per collection (``drop`` removes one)."""
    vectors = doc.get("vectors")
    if vectors is None:
        return
    if not isinstance(vectors, LocatedDict):
        raise ConfigError(
            f"{doc.at('vectors')}: vectors: must map collection names to rules.",
            hint="write e.g. vectors: {agent_memory: {document: detect, metadata: {...}}}",
        )
    for name, spec in vectors.items():
        where = vectors.at(name)
        if name in rules.vectors:
            errors.append(
                ConfigError(
                    f"{where}: collection {name!r} already has rules in "
                    f"{rules.vectors[name].where}.",
                    hint="keep each collection's rules in one place.",
                )
            )
            continue
        try:
            rules.vectors[str(name)] = _read_collection(str(name), spec, where, errors)
        except ConfigError as exc:
            errors.append(exc)


def _read_collection(
    name: str, spec: Any, where: Location, errors: list[ConfigError]
) -> CollectionRules:
    if spec == "drop":
        return CollectionRules(name=name, where=where, drop=True)
    if not isinstance(spec, LocatedDict):
        raise ConfigError(
            f"{where}: collection {name!r} needs document: and metadata: rules, or drop.",
            hint=f"write {name}: {{document: detect, metadata: {{...}}}} or {name}: drop",
        )
    check_keys(
        spec, COLLECTION_KEYS, f"collection {name!r}", "a collection takes document: and metadata:."
    )
    collection = CollectionRules(name=name, where=where)
    if "document" in spec:
        collection.document_where = spec.at("document")
        try:
            collection.document = parse_rule(spec.rule("document"), spec.at("document"))
        except ConfigError as exc:
            errors.append(exc)
    metadata = spec.get("metadata")
    if metadata is None:
        return collection
    if not isinstance(metadata, LocatedDict):
        raise ConfigError(
            f"{spec.at('metadata')}: metadata: must map metadata keys to rules.",
            hint="write metadata: {customer_email: {fake: email}, ticket_id: keep}",
        )
    for key in metadata:
        at = metadata.at(key)
        try:
            collection.metadata[str(key)] = parse_rule(metadata.rule(key), at)
            collection.metadata_lines[str(key)] = at
        except ConfigError as exc:
            errors.append(exc)
    return collection
