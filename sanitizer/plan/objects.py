"""Object keys × ``objects:`` rules → every object's rule, before anything is written.

The first glob that matches a key wins; a key no glob matches takes ``defaults.unknown``
(detect as text, or drop under redact) or — under ``fail`` — stops the run, named by its
masked key with a rule to paste (docs/design.md, guarantee 1).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sanitizer.config.object_rules import ObjectRule
from sanitizer.config.rules import SourceRules
from sanitizer.config.yamlfile import Location
from sanitizer.errors import ConfigError
from sanitizer.extract.objects import ObjectInfo
from sanitizer.mask.objects import ObjectContext
from sanitizer.mask.objects.keys import mask_keys
from sanitizer.mask.operators.detect import Detect


@dataclass
class PlannedObject:
    """One production object, the rule it got, and (once keys are masked) its staging key."""

    info: ObjectInfo
    rule: ObjectRule
    key_out: str = ""


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
