"""rules/*.yaml → :class:`SourceRules` per source: every rule read as a :class:`RuleSpec`.

All files are read and all problems collected before anything touches a database, so one run
shows every mistake with its file and line. Reading stays inert: ``plan/rules.py`` builds the
operators from the specs and reports their problems together with these, in reading order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from sanitizer.config.grants import SchemaGrants, read_grants
from sanitizer.config.keys import check_keys
from sanitizer.config.object_rules import ObjectRule, read_object_rules
from sanitizer.config.rule_spec import Problem, ReadLog, RuleSpec
from sanitizer.config.yamlfile import LocatedDict, Location, load_yaml, parse_yaml
from sanitizer.errors import ConfigError

FILE_KEYS = ("source", "defaults", "schema", "tables", "vectors", "objects")
SCHEMA_KEYS = ("skip", "grants", "roles")
UNKNOWN_POLICIES = ("fail", "redact", "detect")

R = TypeVar("R")


@dataclass
class TableRules(Generic[R]):
    """The rules written for one table, by column."""

    name: str
    where: Location
    columns: dict[str, R] = field(default_factory=dict)
    column_lines: dict[str, Location] = field(default_factory=dict)


@dataclass
class CollectionRules(Generic[R]):
    """The rules written for one vector collection: its document, each metadata key, or drop."""

    name: str
    where: Location
    document: R | None = None
    document_where: Location | None = None
    metadata: dict[str, R] = field(default_factory=dict)
    metadata_lines: dict[str, Location] = field(default_factory=dict)
    drop: bool = False


@dataclass(frozen=True)
class SkipEntry:
    """One ``schema: skip:`` entry: a production object (``KIND NAME``, e.g. ``foreign table
    public.remote_orders``) staging leaves out, knowingly."""

    text: str
    where: Location


@dataclass
class SourceRules(Generic[R]):
    """Everything the rule files say about one source (specs when read, operators when built).

    ``default`` is the rule a field with no rule gets (``defaults.unknown: redact|detect``), or
    None when it must fail (fail closed).
    """

    source: str
    files: list[str] = field(default_factory=list)
    unknown: str = "fail"
    unknown_where: Location | None = None
    tables: dict[str, TableRules[R]] = field(default_factory=dict)
    objects: list[ObjectRule[R]] = field(default_factory=list)  # in order: the first match wins
    vectors: dict[str, CollectionRules[R]] = field(default_factory=dict)
    default: R | None = None
    skip: list[SkipEntry] = field(default_factory=list)  # schema objects left out knowingly
    grants: SchemaGrants = field(default_factory=SchemaGrants)  # owners and grants


@dataclass
class ReadRules:
    """What reading the rule files gave: the specs per source, and every problem met."""

    sources: dict[str, SourceRules[RuleSpec]]
    problems: list[Problem[Any]]


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


def read_rule_files(rules_dir: Path, sources: list[str]) -> ReadRules:
    """Read every rule file of ``rules_dir`` (problems are collected, not raised)."""
    documents = [(str(path), load_yaml(path)) for path in rule_files(rules_dir)]
    return read_documents(documents, sources)


def read_rule_texts(texts: dict[str, str], sources: list[str]) -> ReadRules:
    """Same as :func:`read_rule_files` for contents held in memory (e.g. a git revision)."""
    documents = [(name, parse_yaml(text, name)) for name, text in sorted(texts.items())]
    return read_documents(documents, sources)


def read_documents(documents: list[tuple[str, Any]], sources: list[str]) -> ReadRules:
    """Parsed YAML documents → the specs of each source and every problem, in reading order."""
    result: dict[str, SourceRules[RuleSpec]] = {}
    log = ReadLog()
    for name, document in documents:
        try:
            _read_file(name, document, sources, result, log)
        except ConfigError as exc:
            log.add(exc)
    for rules in result.values():
        if rules.unknown != "fail" and rules.unknown_where is not None:
            rules.default = RuleSpec(rules.unknown_where, (rules.unknown,))
    return ReadRules(result, log.problems)


def _read_file(
    name: str,
    doc: Any,
    sources: list[str],
    result: dict[str, SourceRules[RuleSpec]],
    log: ReadLog,
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
    rules = result.setdefault(source, SourceRules[RuleSpec](source=source))
    rules.files.append(name)
    _read_defaults(doc, rules)
    _read_schema(doc, rules, log)
    if doc.get("objects") is not None:
        rules.objects.extend(read_object_rules(doc["objects"], doc.at("objects"), log))
    _read_vectors(doc, rules, log)
    tables = doc.get("tables") or LocatedDict()
    if not isinstance(tables, dict):
        raise ConfigError(f"{doc.at('tables')}: tables: must map table names to column rules.")
    for table, columns in tables.items():
        where = tables.at(table)
        if table in rules.tables:
            log.add(
                ConfigError(
                    f"{where}: table {table!r} already has rules in {rules.tables[table].where}.",
                    hint="keep each table's rules in one place.",
                )
            )
            continue
        rules.tables[table] = _read_table(str(table), columns, where, log)


def _read_defaults(doc: LocatedDict, rules: SourceRules[RuleSpec]) -> None:
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


def _read_schema(doc: LocatedDict, rules: SourceRules[RuleSpec], log: ReadLog) -> None:
    """``schema: skip:`` → the production objects staging leaves out (docs/stores.md);
    ``grants:`` and ``roles:`` → production's owners and grants (config/grants.py)."""
    schema = doc.get("schema")
    if schema is None:
        return
    example = "write schema: {skip: [foreign table public.remote_orders]}"
    if not isinstance(schema, LocatedDict):
        raise ConfigError(
            f"{doc.at('schema')}: schema: takes skip: (a list), grants: and roles:.",
            hint=example,
        )
    check_keys(schema, SCHEMA_KEYS, "schema", "schema: takes only skip:, grants: and roles:.")
    for problem in read_grants(schema, rules.grants):
        log.add(problem)
    entries = schema.get("skip") or []
    where = schema.at("skip")
    if not isinstance(entries, list):
        raise ConfigError(f"{where}: schema.skip must be a list of objects.", hint=example)
    for entry in entries:
        text = " ".join(str(entry).split()) if isinstance(entry, str) else ""
        if " " not in text:
            log.add(
                ConfigError(
                    f"{where}: schema.skip entry {entry!r} is not a kind and a name.",
                    hint="write it as the error that refused the object names it, e.g. "
                    "foreign table public.remote_orders",
                )
            )
        elif any(text == known.text for known in rules.skip):
            log.add(ConfigError(f"{where}: schema.skip names {text!r} twice."))
        else:
            rules.skip.append(SkipEntry(text, where))


def _read_table(name: str, columns: Any, where: Location, log: ReadLog) -> TableRules[RuleSpec]:
    table = TableRules[RuleSpec](name=name, where=where)
    if not isinstance(columns, LocatedDict):
        log.add(ConfigError(f"{where}: table {name!r} must map column names to rules."))
        return table
    for column in columns:
        at = columns.at(column)
        try:
            table.columns[str(column)] = log.rule(columns.rule(column), at)
            table.column_lines[str(column)] = at
        except ConfigError as exc:
            log.add(exc)
    return table


COLLECTION_KEYS = ("document", "metadata")


def _read_vectors(doc: LocatedDict, rules: SourceRules[RuleSpec], log: ReadLog) -> None:
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
            log.add(
                ConfigError(
                    f"{where}: collection {name!r} already has rules in "
                    f"{rules.vectors[name].where}.",
                    hint="keep each collection's rules in one place.",
                )
            )
            continue
        collection = CollectionRules[RuleSpec](name=str(name), where=where)
        try:
            rules.vectors[str(name)] = _read_collection(collection, spec, log)
        except ConfigError as exc:
            log.add(exc, also=collection.document)  # a wrong document rule is reported too


def _read_collection(
    collection: CollectionRules[RuleSpec], spec: Any, log: ReadLog
) -> CollectionRules[RuleSpec]:
    """Fill ``collection`` in reading order, so a document rule read before a problem is kept."""
    name, where = collection.name, collection.where
    if spec == "drop":
        collection.drop = True
        return collection
    if not isinstance(spec, LocatedDict):
        raise ConfigError(
            f"{where}: collection {name!r} needs document: and metadata: rules, or drop.",
            hint=f"write {name}: {{document: detect, metadata: {{...}}}} or {name}: drop",
        )
    check_keys(
        spec, COLLECTION_KEYS, f"collection {name!r}", "a collection takes document: and metadata:."
    )
    if "document" in spec:
        collection.document_where = spec.at("document")
        try:
            collection.document = log.rule(spec.rule("document"), spec.at("document"))
        except ConfigError as exc:
            log.add(exc)
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
            collection.metadata[str(key)] = log.rule(metadata.rule(key), at)
            collection.metadata_lines[str(key)] = at
        except ConfigError as exc:
            log.add(exc)
    return collection
