"""Vector rules × the collections a source holds → a plan per collection (fail closed).

A collection with no rules, a document with no rule or a metadata key with no rule stops the
run before anything is written, unless ``defaults.unknown`` supplies one; the error names the
collection and keys and carries a paste-ready ``vectors:`` snippet. With a ``subset:`` entry
for the source, a named collection keeps only the records tied to kept SQL rows
(docs/subsetting_follow.md).
"""

from __future__ import annotations

from sanitizer.config.keys import did_you_mean
from sanitizer.config.rules import CollectionRules, SourceRules
from sanitizer.config.subset_follow import VectorFollow
from sanitizer.errors import ConfigError, ConfigErrors
from sanitizer.extract.vectors.base import CollectionInfo, RecordBatch
from sanitizer.mask.operators import Operator
from sanitizer.mask.operators.json import Json
from sanitizer.mask.operators.keep import Keep
from sanitizer.mask.operators.null import Null
from sanitizer.mask.plans import CollectionPlan, FieldPlan
from sanitizer.plan.subset_follow import KeptValues
from sanitizer.schema import JSON, ColumnInfo


def build_collection_plans(
    rules: SourceRules[Operator], collections: list[CollectionInfo]
) -> dict[str, CollectionPlan]:
    """Check ``vectors:`` rules against the source; ConfigErrors lists every problem."""
    errors: list[ConfigError] = []
    by_name = {c.name: c for c in collections}
    for name, written in rules.vectors.items():
        if name not in by_name:
            errors.append(
                ConfigError(
                    f"{written.where}: collection {name!r} is not in source {rules.source!r}.",
                    hint=did_you_mean(name, list(by_name), "remove the rules or fix it."),
                )
            )
    plans: dict[str, CollectionPlan] = {}
    missing: dict[str, list[str]] = {}
    for collection in collections:
        written = rules.vectors.get(collection.name)
        if written is not None and written.drop:
            plans[collection.name] = CollectionPlan(collection, drop=True)
        elif not collection.has_documents:
            errors.append(_no_documents(collection, written, rules.source))
        else:
            plans[collection.name] = _plan_collection(
                collection, written, rules.default, missing, errors
            )
    if missing:
        errors.insert(0, _missing_error(missing, rules))
    if errors:
        raise ConfigErrors(errors)
    return plans


def _no_documents(
    collection: CollectionInfo, written: CollectionRules[Operator] | None, source: str
) -> ConfigError:
    return ConfigError(
        f"{written.where if written else source}: collection "
        f"{collection.name!r} has no document text, so its vectors cannot be "
        "re-embedded from sanitized text (and production vectors are never copied).",
        hint=f"add {collection.name}: drop under vectors:, or store the text in a "
        "document (or text, content) column.",
    )


def _plan_collection(
    collection: CollectionInfo,
    written: CollectionRules[Operator] | None,
    default: Operator | None,
    missing: dict[str, list[str]],
    errors: list[ConfigError],
) -> CollectionPlan:
    """The document's and each metadata key's operator; fields with none go to ``missing``."""
    plan = CollectionPlan(collection)
    wanted = ["document", *(f"metadata.{k}" for k in collection.metadata_keys)]
    for field_name in wanted:
        key = field_name.split(".", 1)[1] if field_name != "document" else ""
        if written is None:
            op = None
        else:
            op = written.document if field_name == "document" else written.metadata.get(key)
        if op is not None:
            resolved = FieldPlan(op, "rule")
        elif default is not None:
            resolved = FieldPlan(default, "default")
        else:
            missing.setdefault(collection.name, []).append(field_name)
            continue
        if field_name == "document":
            plan.document = resolved
            continue
        problem = _cannot_mask(resolved.operator, collection.key_kinds.get(key, ()))
        if problem:
            errors.append(
                ConfigError(
                    f"{resolved.operator.where}: {collection.name}.{field_name} holds "
                    f"{problem[0]}, which {resolved.operator.label()} cannot mask.",
                    hint=problem[1],
                )
            )
        plan.metadata[key] = resolved
    return plan


def _cannot_mask(op: Operator, kinds: frozenset[str] | tuple) -> tuple[str, str] | None:
    """(what, fix) when ``op`` cannot take some kind of value the key holds, else None."""
    if isinstance(op, Null | Keep):
        return None
    for kind in sorted(kinds):
        if kind == JSON and not isinstance(op, Json):
            return (
                "nested values (objects)",
                'use {json: {"$.email": {fake: email}, "$.**": keep}} (rules by path), keep '
                "or null.",
            )
        if kind != JSON and not op.applies_to(ColumnInfo(name="value", kind=kind, sql_type=kind)):
            return (f"{kind} values", "pick an operator for that kind (see `sanitize operators`).")
    return None


def _missing_error(missing: dict[str, list[str]], rules: SourceRules[Operator]) -> ConfigError:
    lines = ["vectors:"]
    for collection, fields in missing.items():
        lines.append(f"  {collection}:")
        if "document" in fields:
            lines.append("    document: detect    # TODO: free text, Presidio finds the PII")
        keys = [f.split(".", 1)[1] for f in fields if f != "document"]
        if keys:
            lines.append("    metadata:")
            lines += [f"      {key}: keep    # TODO: choose a rule" for key in keys]
    names = ", ".join(f"{c}.{f}" for c, fields in missing.items() for f in fields)
    count = sum(len(fields) for fields in missing.values())
    first = rules.vectors.get(next(iter(missing)))
    where = (
        str(first.where)
        if first
        else f"{rules.files[0]}:1"
        if rules.files
        else f"rules/ (no rule file has source: {rules.source})"
    )
    return ConfigError(
        f"{where}: {count} field{'s' if count != 1 else ''} of vector source {rules.source!r} "
        f"{'have' if count != 1 else 'has'} no rule (defaults.unknown is {rules.unknown}): "
        f"{names}.\nAdd rules for them, e.g.:\n\n" + "\n".join(lines) + "\n",
        hint="give each field a rule (keep only what is not sensitive), then run again; "
        "nothing was written.",
    )


def check_follow(follow: VectorFollow, collections: list[CollectionInfo], kept: KeptValues) -> None:
    """Every collection and metadata key a ``subset:`` entry names exists, and so does its
    column: a typo would otherwise keep a whole collection or none of it."""
    errors: list[ConfigError] = []
    by_name = {c.name: c for c in collections}
    for name, link in follow.links.items():
        info = by_name.get(name)
        if info is None:
            errors.append(
                ConfigError(
                    f"{link.where}: subset.{follow.source} names collection {name!r}, which "
                    f"source {follow.source!r} does not have.",
                    hint=did_you_mean(name, list(by_name), "check the collection's name."),
                )
            )
        elif info.metadata_keys and link.metadata not in info.metadata_keys:
            errors.append(
                ConfigError(
                    f"{link.where}: subset.{follow.source}.{name} follows metadata key "
                    f"{link.metadata!r}, which collection {name!r} does not hold.",
                    hint=did_you_mean(
                        link.metadata,
                        list(info.metadata_keys),
                        f"its keys: {', '.join(info.metadata_keys)}.",
                    ),
                )
            )
        try:
            kept(link.to)
        except ConfigError as exc:
            errors.append(exc)
    if errors:
        raise ConfigErrors(errors)


def kept_records(
    batch: RecordBatch, follow: VectorFollow | None, collection: str, kept: KeptValues | None
) -> RecordBatch:
    """The records of ``batch`` the subset keeps (all of them without a ``subset:`` link)."""
    if follow is None or collection not in follow.links or kept is None:
        return batch
    chosen = [i for i, meta in enumerate(batch.metadatas) if follow.keeps(collection, meta, kept)]
    if len(chosen) == len(batch):
        return batch
    return RecordBatch(
        ids=[batch.ids[i] for i in chosen],
        documents=[batch.documents[i] for i in chosen],
        metadatas=[batch.metadatas[i] for i in chosen],
        vectors=None if batch.vectors is None else [batch.vectors[i] for i in chosen],
    )
