"""``sanitize rules check``: every problem in the rules, against a schema, as a list.

The checks are the ones a run makes before it writes anything (rule syntax, coverage with a
paste-ready snippet, foreign-key consistency, ``unique``/``null`` against constraints) plus
length conflicts and schema drift, collected instead of raised so CI can print them all — as
text for people, JSON for tools, or GitHub annotations on the pull request's lines.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from typing import Any

from sanitizer.config.rules import SourceRules
from sanitizer.config.settings import Settings
from sanitizer.errors import ConfigError, ConfigErrors
from sanitizer.mask.plans import SourcePlan
from sanitizer.plan.grants import grant_rule_problems
from sanitizer.plan.rules import load_rules
from sanitizer.plan.schema import plan_schema
from sanitizer.plan.sql import build_plan
from sanitizer.plan.subset_follow import follow_problems
from sanitizer.plan.subset_graph import build_graph
from sanitizer.review.schema_file import Schemas
from sanitizer.schema import STRING, TableInfo

# Shortest column a unique masked value can be cut to and stay distinct (a fake email's tag,
# a hash prefix): shorter ones collide once trimmed to fit.
MIN_UNIQUE_LENGTH = 12
_LOCATED = re.compile(r"^(?P<file>[^\n:]+):(?P<line>\d+): ", re.DOTALL)


@dataclass
class Problem:
    """One finding: what is wrong, where, and the fix."""

    kind: str  # "rule" (fix the rules) or "drift" (the schema moved since the snapshot)
    message: str
    hint: str | None = None
    file: str | None = None
    line: int | None = None

    @classmethod
    def from_error(cls, error: ConfigError, kind: str = "rule") -> Problem:
        located = _LOCATED.match(error.message)
        if not located:
            return cls(kind, error.message, error.hint)
        return cls(
            kind,
            error.message[located.end() :],
            error.hint,
            located["file"],
            int(located["line"]),
        )


def check(
    settings: Settings, schemas: Schemas, stores: dict[str, dict[str, Any]] | None = None
) -> list[Problem]:
    """Everything wrong with the rules for these schemas (empty: all good)."""
    try:
        rules = load_rules(settings.rules_dir, list(settings.sources))
    except ConfigError as exc:
        return _problems(exc)
    problems: list[Problem] = store_coverage(settings, rules, stores or {})
    kinds = {name: endpoint.kind for name, endpoint in settings.sources.items()}
    follows = follow_problems(settings.follows, schemas, kinds)  # docs/subsetting_follow.md
    problems += [Problem.from_error(error) for error in follows]
    for name, endpoint in settings.sources.items():
        if endpoint.kind != "sql":
            continue
        if name not in schemas:
            problems.append(
                Problem(
                    "rule",
                    f"source {name!r} is not in the schema snapshot.",
                    "run `sanitize schema snapshot` and commit the file.",
                )
            )
            continue
        problems += subset_problems(settings, name, schemas[name])
        source_rules = rules.get(name) or SourceRules(name)
        try:
            plan = build_plan(source_rules, schemas[name])
        except ConfigError as exc:
            problems += _problems(exc)
            continue
        problems += length_conflicts(plan)
    return problems


def subset_problems(settings: Settings, source: str, schema: list[TableInfo]) -> list[Problem]:
    """The source's ``subset:`` entry against the schema: the checks a run makes before it
    computes the subset (docs/subsetting.md), offline. A WHERE condition is only run live."""
    config = settings.subset.sql.get(source)
    if config is None:
        return []
    try:
        build_graph(config, schema)
    except ConfigError as exc:
        return _problems(exc)
    return []


def store_coverage(
    settings: Settings, rules: dict[str, SourceRules], stores: dict[str, dict[str, Any]]
) -> list[Problem]:
    """Object shapes and vector collections of the snapshot that no rule covers."""
    problems = []
    for name, store in stores.items():
        if name not in settings.sources:
            continue
        source_rules = rules.get(name) or SourceRules(name)
        file = source_rules.files[0] if source_rules.files else None
        if store.get("kind") == "objects":
            problems += _object_gaps(name, source_rules, store.get("objects") or {}, file)
        else:
            problems += _collection_gaps(name, source_rules, store.get("collections") or {}, file)
    return problems


def _object_gaps(
    name: str, rules: SourceRules, shapes: dict[str, int], file: str | None
) -> list[Problem]:
    if rules.unknown != "fail":
        return []  # unmatched objects get the default
    gaps = []
    for shape, count in shapes.items():
        examples = {
            shape.replace("**/", "x/").replace("*", "x"),
            shape.replace("/**/", "/").replace("*", "x"),
        }
        if not any(rule.matches(key) for rule in rules.objects for key in examples):
            gaps.append(
                Problem(
                    "rule",
                    f"{count} object(s) of source {name!r} shaped {shape!r} match no "
                    "objects: rule.",
                    f'add one under objects:, e.g.  "{shape}": keep  (or json, columns, '
                    "detect, drop)",
                    file,
                    1 if file else None,
                )
            )
    return gaps


def _collection_gaps(
    name: str, rules: SourceRules, collections: dict[str, Any], file: str | None
) -> list[Problem]:
    gaps = []
    for collection, spec in collections.items():
        rule = rules.vectors.get(collection)
        if rule is not None and rule.drop:
            continue
        keys = list((spec or {}).get("metadata") or {})
        missing = keys if rule is None else [k for k in keys if k not in rule.metadata]
        if rule is not None and not missing:
            continue
        snippet = "\n".join(
            ["vectors:", f"  {collection}:", "    document: detect", "    metadata:"]
            + [f"      {k}: keep    # TODO: choose a rule" for k in missing]
        )
        what = "has no rules" if rule is None else f"has metadata without a rule: {missing}"
        gaps.append(
            Problem(
                "rule",
                f"collection {collection!r} of source {name!r} {what}.\n{snippet}",
                "give every metadata key a rule, or drop the collection.",
                file,
                1 if file else None,
            )
        )
    return gaps


def check_stores(settings: Settings) -> str:
    """Object and vector sources, checked by the run's own plan (dry run, read-only): every
    key and metadata field needs a rule. Returns a summary part like ", 12 objects, 2
    collections"."""
    if all(endpoint.kind == "sql" for endpoint in settings.sources.values()):
        return ""
    from sanitizer.run.snapshot import run_snapshot

    receipt = run_snapshot(settings, dry_run=True)
    objects = sum(o.objects_in for o in receipt.objects.values())
    parts = [f", {objects} objects" if receipt.objects else ""]
    parts.append(f", {len(receipt.collections)} collections" if receipt.collections else "")
    return "".join(parts)


def _problems(exc: ConfigError) -> list[Problem]:
    errors = exc.errors if isinstance(exc, ConfigErrors) else [exc]
    return [Problem.from_error(e) for e in errors]


def schema_objects(settings: Settings) -> list[Problem]:
    """Production objects staging cannot reproduce and the rule files do not skip, and skip
    entries that match nothing (the run's own plan step, read-only; docs/stores.md)."""
    from sanitizer.extract.catalog import source_inventory
    from sanitizer.extract.sql import SqlSource

    try:
        rules = load_rules(settings.rules_dir, list(settings.sources))
    except ConfigError:
        return []  # check() reports them
    problems: list[Problem] = []
    for name, endpoint in settings.sources.items():
        if endpoint.kind != "sql":
            continue
        source = SqlSource(name, endpoint.url)
        with source.snapshot():
            objects = source_inventory(source)
        source_rules = rules.get(name) or SourceRules(name)
        _, errors = plan_schema(source_rules, objects)
        errors += grant_rule_problems(source_rules, source.dialect)  # grants: keep on MySQL
        problems += [Problem.from_error(e) for e in errors]
    return problems


def length_conflicts(plan: SourcePlan) -> list[Problem]:
    """Values that would be cut to fit their column: a cut constant, or unique values that
    would collide once cut."""
    problems = []
    for table in plan.tables.values():
        for name, cp in table.columns.items():
            limit = cp.column.max_length if cp.column.kind == STRING else None
            if not limit or cp.origin != "rule":
                continue
            where = cp.operator.where
            field = f"{table.table.name}.{name}"
            constant = cp.operator.argument if cp.operator.name == "constant" else None
            if isinstance(constant, str) and len(constant) > limit:
                problems.append(
                    Problem(
                        "rule",
                        f"the constant for {field} has {len(constant)} characters; the column "
                        f"holds {limit}, so staging would get it cut short.",
                        f"use a constant of at most {limit} characters.",
                        where.file,
                        where.line,
                    )
                )
            elif cp.unique and cp.operator.changes_values and limit < MIN_UNIQUE_LENGTH:
                problems.append(
                    Problem(
                        "rule",
                        f"{field} must stay unique but holds only {limit} characters: masked "
                        f"values ({cp.operator.label()}) cut to fit could collide.",
                        "use format: preserve (same length, always distinct) or keep.",
                        where.file,
                        where.line,
                    )
                )
    return problems


def drift(snapshot: Schemas, live: Schemas) -> list[Problem]:
    """What changed in the live schemas since the snapshot was taken."""
    problems = []
    for source in sorted(set(snapshot) | set(live)):
        old = {t.name: t for t in snapshot.get(source, [])}
        new = {t.name: t for t in live.get(source, [])}
        for table in sorted(set(old) | set(new)):
            if table not in new:
                problems.append(_drift(f"table {source}.{table} no longer exists."))
            elif table not in old:
                problems.append(_drift(f"table {source}.{table} is new."))
            else:
                problems += _column_drift(f"{source}.{table}", old[table], new[table])
    return problems


def _column_drift(name: str, old: TableInfo, new: TableInfo) -> list[Problem]:
    problems = []
    for column in old.columns.keys() - new.columns.keys():
        problems.append(_drift(f"column {name}.{column} no longer exists."))
    for column in new.columns.keys() - old.columns.keys():
        problems.append(_drift(f"column {name}.{column} is new."))
    for column in old.columns.keys() & new.columns.keys():
        before, after = old.columns[column], new.columns[column]
        if before != after:
            changed = [
                f"{k} {getattr(before, k)!r} → {getattr(after, k)!r}"
                for k in ("sql_type", "nullable", "max_length", "unique")
                if getattr(before, k) != getattr(after, k)
            ]
            problems.append(_drift(f"column {name}.{column} changed: {', '.join(changed)}."))
    if set(old.foreign_keys) != set(new.foreign_keys) or old.primary_key != new.primary_key:
        problems.append(_drift(f"the keys of {name} changed."))
    return sorted(problems, key=lambda p: p.message)


def _drift(message: str) -> Problem:
    return Problem(
        "drift",
        f"schema drift: {message}",
        "review the rules for it, then refresh the snapshot with `sanitize schema snapshot`.",
    )


def render(problems: list[Problem], fmt: str, summary: str) -> str:
    """Problems as text (people), JSON (tools) or GitHub workflow annotations."""
    if fmt == "json":
        return json.dumps(
            {"ok": not problems, "summary": summary, "problems": [asdict(p) for p in problems]},
            indent=2,
            ensure_ascii=False,
        )
    if fmt == "github":
        lines = [_annotation(p) for p in problems]
        return "\n".join([*lines, summary])
    blocks = []
    for p in problems:
        where = f"{p.file}:{p.line}: " if p.file else ""
        blocks.append(f"{where}{p.message}" + (f"\n  fix: {p.hint}" if p.hint else ""))
    return "\n\n".join([*blocks, summary])


def _annotation(problem: Problem) -> str:
    """``::error file=…,line=…::message`` — GitHub shows it on that line of the PR."""
    props = "title=sanitize rules check"
    if problem.file:
        props = f"file={problem.file},line={problem.line},{props}"
    text = problem.message + (f" Fix: {problem.hint}" if problem.hint else "")
    escaped = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return f"::error {props}::{escaped}"
