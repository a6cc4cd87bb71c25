"""Object keys × ``objects:`` rules → every object's rule, before anything is written.

The first glob that matches a key wins; a key no glob matches takes ``defaults.unknown``
(detect as text, or drop under redact) or — under ``fail`` — stops the run, named by its
masked key with a rule to paste (docs/design.md, guarantee 1). With a ``subset:`` entry for
the source, only the keys of kept SQL rows are planned at all (docs/subsetting_follow.md).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sanitizer.config.object_rules import ObjectRule
from sanitizer.config.rules import SourceRules
from sanitizer.config.subset_follow import ObjectFollow, Reader
from sanitizer.config.yamlfile import Location
from sanitizer.errors import ConfigError
from sanitizer.extract.objects import ObjectInfo, ObjectSource
from sanitizer.mask.objects import ObjectContext
from sanitizer.mask.objects.keys import mask_keys
from sanitizer.mask.operators.detect import Detect
from sanitizer.plan.subset_follow import KeptValues


@dataclass
class PlannedObject:
    """One production object, the rule it got, and (once keys are masked) its staging key."""

    info: ObjectInfo
    rule: ObjectRule
    key_out: str = ""


@dataclass
class SubsetCounts:
    """How many production objects each key pattern matched and how many the subset kept
    (for the receipt: keys only, never contents)."""

    production: int = 0
    kept: int = 0
    patterns: dict[str, dict[str, int]] = field(default_factory=dict)

    def as_receipt(self) -> dict[str, Any]:
        return {"production": self.production, "kept": self.kept, "patterns": self.patterns}


def json_reader(source: ObjectSource) -> Reader:
    """An object's parsed JSON, for patterns that follow a field inside it; None when it is
    not JSON (it then ties to no kept row and is left out)."""

    def read(key: str) -> Any:
        with source.open(key) as stream:
            data = stream.read()
        try:
            return json.loads(data.decode("utf-8-sig"))
        except (UnicodeDecodeError, ValueError):
            return None

    return read


def follow_subset(
    follow: ObjectFollow,
    listed: Iterable[ObjectInfo],
    kept: KeptValues,
    read: Reader | None = None,
) -> tuple[list[ObjectInfo], SubsetCounts]:
    """The listed objects the subset keeps: those every matching pattern ties to kept rows,
    and those no pattern matches (copied as usual). ``read`` opens the objects a JSON-field
    pattern matches (and only those)."""
    counts = SubsetCounts(patterns={p.text: {"matched": 0, "kept": 0} for p in follow.patterns})
    for ref in follow.refs():  # a wrong column fails the plan even if no key matches
        kept(ref)
    chosen = []
    for info in listed:
        counts.production += 1
        matched, keep = follow.judge(info.key, kept, read)
        for pattern in matched:
            counts.patterns[pattern.text]["matched"] += 1
            counts.patterns[pattern.text]["kept"] += keep
        if keep:
            chosen.append(info)
    counts.kept = len(chosen)
    return chosen, counts


def plan_objects(
    name: str, rules: SourceRules, listed: Iterable[ObjectInfo], ctx: ObjectContext
) -> list[PlannedObject]:
    """Give every listed object its rule; unmatched keys raise a ConfigError here."""
    planned, unmatched = [], []
    fallback = default_rule(rules)
    for info in listed:
        rule = next((r for r in rules.objects if r.matches(info.key)), fallback)
        if rule is None:
            unmatched.append(info.key)
        else:
            planned.append(PlannedObject(info, rule))
    if unmatched:
        raise unmatched_error(name, rules, unmatched, ctx)
    return planned


def default_rule(rules: SourceRules) -> ObjectRule | None:
    """What ``defaults.unknown`` gives a key no glob matches: detect (as text), or — for
    redact — drop (an object cannot be redacted in place); None under ``fail``."""
    if rules.unknown == "fail":
        return None
    where = rules.unknown_where or Location(rules.files[0] if rules.files else "rules", 1)
    if rules.unknown == "detect":
        rule = ObjectRule("defaults.unknown", where, "detect", operator=Detect(None, where))
    else:
        rule = ObjectRule("defaults.unknown", where, "drop")
    rule.keys = Detect(None, where)
    existing = [r for r in rules.objects if r.glob == rule.glob]
    if existing:
        return existing[0]
    rules.objects.append(rule)  # so receipts count it like any rule (it never matches a glob)
    return rule


def unmatched_error(
    name: str, rules: SourceRules, keys: list[str], ctx: ObjectContext
) -> ConfigError:
    """Name the keys (masked: a key can hold an email) and a rule to paste for each prefix."""
    shown = mask_keys(keys[:20], Detect(None, None), ctx)  # type: ignore[arg-type]
    globs = [_glob_for(key) for key in shown.values()]
    snippet = "\n".join(
        f'  "{g}": drop    # TODO: keep, drop, detect, {{json: ...}} or {{columns: ...}}'
        for g in dict.fromkeys(globs)
    )
    where = f"{rules.files[0]}:1" if rules.files else "rules/"
    listed = ", ".join(list(shown.values())[:5]) + (", …" if len(keys) > 5 else "")
    return ConfigError(
        f"{where}: {len(keys)} object{'s' if len(keys) != 1 else ''} of source {name!r} "
        f"match{'es' if len(keys) == 1 else ''} no objects: rule (keys shown masked): {listed}.\n"
        f"Add rules for them (first match wins), e.g.:\n\nobjects:\n{snippet}\n",
        hint="give every key a rule (keep only what holds nothing personal), then run again; "
        "nothing was written.",
    )


def _glob_for(key: str) -> str:
    """A glob for a key's top-level prefix and extension, e.g. ``tickets/**/*.json``."""
    head, slash, rest = key.partition("/")
    extension = rest.rsplit(".", 1)[-1] if "." in rest.rsplit("/", 1)[-1] else ""
    return f"{head}/**" + (f"/*.{extension}" if extension else "") if slash else key
