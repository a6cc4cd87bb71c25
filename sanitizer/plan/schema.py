"""Production's schema objects × the rule file's ``schema: skip:`` → what staging must hold.

An object staging cannot reproduce (a foreign table, an event trigger…) stops the run here,
before anything is written — so also in ``--dry-run`` and ``rules check --live`` — with one
error naming every such object and the setting that leaves it out knowingly. A skip entry
that matches nothing is an error too (a stale or mistyped entry). Nothing is dropped silently
(docs/stores.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sanitizer.config.keys import did_you_mean
from sanitizer.config.rules import SourceRules
from sanitizer.errors import ConfigError
from sanitizer.schema import SchemaObject


@dataclass
class SchemaPlan:
    """Production's objects, split into what staging must hold and what it leaves out."""

    production: list[SchemaObject] = field(default_factory=list)
    skipped: list[SchemaObject] = field(default_factory=list)
    refused: list[SchemaObject] = field(default_factory=list)  # not supported, not skipped

    @property
    def expected(self) -> list[SchemaObject]:
        """What staging must hold, object for object."""
        left_out = set(self.skipped)
        return [o for o in self.production if o not in left_out]

    def counts(self, staging: list[SchemaObject] | None = None) -> dict[str, dict]:
        """Per kind: production's count, staging's (None before it is read), skipped."""
        kinds = sorted({o.kind for o in self.production} | {o.kind for o in staging or []})
        return {
            kind: {
                "production": sum(o.kind == kind for o in self.production),
                "staging": None if staging is None else sum(o.kind == kind for o in staging),
                "skipped": sum(o.kind == kind for o in self.skipped),
            }
            for kind in kinds
        }


def plan_schema(
    rules: SourceRules, objects: list[SchemaObject]
) -> tuple[SchemaPlan, list[ConfigError]]:
    """The objects staging must hold, and the problems that stop a run: first the refusal of
    every unsupported object not skipped (see ``plan.refused``), then skip entries that match
    nothing."""
    by_text = {str(o): o for o in objects}
    problems: list[ConfigError] = []
    skipped = []
    for entry in rules.skip:
        obj = by_text.get(entry.text)
        if obj is None:
            problems.append(
                ConfigError(
                    f"{entry.where}: schema.skip entry {entry.text!r} matches no object of "
                    f"source {rules.source!r}.",
                    hint=did_you_mean(entry.text, list(by_text), "remove the entry."),
                )
            )
        else:
            skipped.append(obj)
    refused = [o for o in objects if not o.supported and o not in set(skipped)]
    if refused:
        problems.insert(0, _refusal(rules, refused))
    return SchemaPlan(list(objects), sorted(skipped), refused), problems


def _refusal(rules: SourceRules, refused: list[SchemaObject]) -> ConfigError:
    count = len(refused)
    listed = "; ".join(f"{o} ({o.why})" for o in refused)
    where = rules.files[0] if rules.files else "rules/"
    snippet = "\n".join(["schema:", "  skip:", *(f"    - {o}" for o in refused)])
    return ConfigError(
        f"source {rules.source!r} has {count} schema object{'s' if count != 1 else ''} "
        f"staging cannot reproduce: {listed}. Nothing was written.\nTo leave "
        f"{'them' if count != 1 else 'it'} out of staging knowingly, add to {where}:\n\n"
        f"{snippet}\n",
        hint="skip them in the rule file as above (reviewed like any rule), or remove them "
        "from production.",
    )
