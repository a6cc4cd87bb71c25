"""``sanitize rules diff BASE [HEAD]``: what a rules change does, as Markdown for a PR comment.

Rule files are read at two git revisions (HEAD omitted: the working tree) and compared field
by field. A change that protects less — masked → ``keep``, entities dropped from ``detect``,
``unique`` dropped, a new field passed through, a ``secret`` or ``{url: sandbox}`` field
turned to ``keep`` or ``detect`` — is a line starting with ``LOOSENED``, so a
reviewer cannot miss it and ``--fail-on-loosening`` can block it. Examples show each changed
rule on synthetic inputs made here, never on production values.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sanitizer.config.rules import SourceRules, rule_files
from sanitizer.config.settings import NlpSettings, Settings
from sanitizer.errors import ConfigError
from sanitizer.mask.operators import Operator
from sanitizer.mask.operators.detect import Detect
from sanitizer.mask.operators.json import Json
from sanitizer.plan.rules import rules_from_texts

LOOSENED, TIGHTENED, CHANGED, REMOVED = "LOOSENED", "tightened", "changed", "removed"
UNKNOWN_STRENGTH = {"fail": 2, "redact": 1, "detect": 0}


@dataclass
class Change:
    field: str  # source.table.column (or …column $.path for json rules)
    before: Operator | None
    after: Operator | None
    verdict: str
    why: str
    pair: str = ""  # "before → after" when the change is not one of two operators


def read_revision(settings: Settings, revision: str | None) -> dict[str, SourceRules]:
    """The rules as of ``revision`` (None: the working tree), parsed like a run parses them."""
    if revision is None:
        texts = {p.name: p.read_text(encoding="utf-8") for p in rule_files(settings.rules_dir)}
    else:
        texts = _git_texts(settings.rules_dir, revision)
    return rules_from_texts(texts, list(settings.sources))


def _git_texts(rules_dir: Path, revision: str) -> dict[str, str]:
    root = Path(_git(rules_dir, "rev-parse", "--show-toplevel").strip())
    prefix = rules_dir.resolve().relative_to(root.resolve()).as_posix()
    names = _git(root, "ls-tree", "--name-only", f"{revision}:{prefix}").split()
    return {
        name: _git(root, "show", f"{revision}:{prefix}/{name}")
        for name in names
        if name.endswith((".yaml", ".yml")) and not name.startswith(("_", "."))
    }


def _git(cwd: Path, *args: str) -> str:
    try:
        proc = subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, text=True, check=True, timeout=60
        )
    except FileNotFoundError:
        raise ConfigError("git is not installed.", hint="install git to diff rules.") from None
    except subprocess.CalledProcessError as exc:
        reason = (exc.stderr or "").strip().splitlines()[-1:] or ["failed"]
        raise ConfigError(
            f"git {' '.join(args[:2])}: {reason[0]}",
            hint="pass revisions that exist in this repository (e.g. origin/main HEAD).",
        ) from None
    return proc.stdout


def compare(
    before: dict[str, SourceRules], after: dict[str, SourceRules], nlp: NlpSettings
) -> list[Change]:
    """Every field whose rule differs between the two rule sets."""
    changes = []
    for source in sorted(set(before) | set(after)):
        old = before.get(source) or SourceRules(source)
        new = after.get(source) or SourceRules(source)
        for table in sorted(set(old.tables) | set(new.tables)):
            old_cols = old.tables[table].columns if table in old.tables else {}
            new_cols = new.tables[table].columns if table in new.tables else {}
            for column in sorted(set(old_cols) | set(new_cols)):
                field = f"{source}.{table}.{column}"
                changes += _field_changes(field, old_cols.get(column), new_cols.get(column), nlp)
        changes += _vector_changes(source, old, new, nlp)
        changes += _object_changes(source, old, new, nlp)
        if old.unknown != new.unknown:
            # fail lets nothing unruled through; redact masks it whole; detect only finds PII
            weaker = UNKNOWN_STRENGTH[new.unknown] < UNKNOWN_STRENGTH[old.unknown]
            changes.append(
                _handled(
                    f"{source} defaults.unknown",
                    old.unknown,
                    new.unknown,
                    LOOSENED if weaker else TIGHTENED,
                    "what fields without a rule get",
                )
            )
    return changes


def _field_changes(
    field: str, old: Operator | None, new: Operator | None, nlp: NlpSettings
) -> list[Change]:
    if isinstance(old, Json) and isinstance(new, Json):  # compare path by path
        return _path_changes(field, old, new, nlp)
    if old is None and new is None:
        return []
    if old is not None and new is not None and _signature(old) == _signature(new):
        return []
    verdict, why = classify(old, new, nlp)
    return [Change(field, old, new, verdict, why)]


def _path_changes(field: str, old: Json, new: Json, nlp: NlpSettings) -> list[Change]:
    """A ``json:`` rule path by path. A path listed on one side only is compared with the
    rule that governs it on the other (``"$.**": keep`` when its own line was deleted)."""
    old_paths = {p.text: p for p in old.paths}
    new_paths = {p.text: p for p in new.paths}
    changes = []
    for path in sorted(set(old_paths) | set(new_paths)):
        before = old_paths[path].operator if path in old_paths else None
        after = new_paths[path].operator if path in new_paths else None
        note = ""
        if after is None:
            after, note = _governing(new, old_paths[path].tokens, "now")
        elif before is None:
            before, note = _governing(old, new_paths[path].tokens, "was")
        for change in _field_changes(f"{field} {path}", before, after, nlp):
            change.why = f"{change.why}; {note}" if note else change.why
            changes.append(change)
    return changes


def _governing(rule: Json, tokens: tuple, tense: str) -> tuple[Operator | None, str]:
    """The operator another path of ``rule`` applies to a path, and a note naming it."""
    index = rule.rule_index(tokens)
    if index < 0:
        return None, ""
    governing = rule.paths[index]
    return governing.operator, f"{tense} under `{governing.text}`"


def _vector_changes(
    source: str, old: SourceRules, new: SourceRules, nlp: NlpSettings
) -> list[Change]:
    """``vectors:`` rules: a collection's drop, its document and each metadata key."""
    changes = []
    for name in sorted(set(old.vectors) | set(new.vectors)):
        field = f"{source}.vectors.{name}"
        before, after = old.vectors.get(name), new.vectors.get(name)
        dropped = (before is not None and before.drop, after is not None and after.drop)
        if dropped == (True, False) and after is not None:
            changes.append(_handled(field, "drop", "copied", LOOSENED, "no longer dropped"))
        elif dropped == (False, True) and before is not None:
            changes.append(_handled(field, "copied", "drop", TIGHTENED, "now dropped"))
        if after is None or after.drop:
            continue
        old_meta = before.metadata if before is not None and not before.drop else {}
        old_doc = before.document if before is not None and not before.drop else None
        changes += _field_changes(f"{field}.document", old_doc, after.document, nlp)
        for key in sorted(set(old_meta) | set(after.metadata)):
            changes += _field_changes(
                f"{field}.metadata.{key}", old_meta.get(key), after.metadata.get(key), nlp
            )
    return changes


HANDLER_STRENGTH = {"drop": 3, "json": 2, "ndjson": 2, "columns": 2, "detect": 2, "keep": 0}


def _object_changes(
    source: str, old: SourceRules, new: SourceRules, nlp: NlpSettings
) -> list[Change]:
    """``objects:`` rules by glob: the handler, its rules, and key, metadata and tag rules."""
    changes = []
    old_rules = {r.glob: r for r in old.objects}
    new_rules = {r.glob: r for r in new.objects}
    for glob in sorted(set(old_rules) | set(new_rules)):
        field = f"{source}.objects[{glob}]"
        before, after = old_rules.get(glob), new_rules.get(glob)
        if after is None:
            changes.append(_handled(field, before.handler, "(no rule)", REMOVED, "rule removed"))
            continue
        if before is None:
            loose = HANDLER_STRENGTH.get(after.handler, 2) == 0
            verdict, why = (
                (LOOSENED, "new objects passed through") if loose else (TIGHTENED, "new coverage")
            )
            changes.append(_handled(field, "(no rule)", after.handler, verdict, why))
            continue
        if before.handler != after.handler:
            old_strength = HANDLER_STRENGTH.get(before.handler, 2)
            new_strength = HANDLER_STRENGTH.get(after.handler, 2)
            verdict, why = (
                (LOOSENED, "masks less")
                if new_strength < old_strength
                else (TIGHTENED, "masks more")
                if new_strength > old_strength
                else (CHANGED, "another handler")
            )
            changes.append(_handled(field, before.handler, after.handler, verdict, why))
        changes += _field_changes(field, before.operator, after.operator, nlp)
        for column in sorted(set(before.columns) | set(after.columns)):
            changes += _field_changes(
                f"{field}.{column}", before.columns.get(column), after.columns.get(column), nlp
            )
        changes += _part_changes(f"{field} keys", before.keys, after.keys, "keep")
        for part in ("metadata", "tags"):
            old_part, new_part = getattr(before, part), getattr(after, part)
            for key in sorted(set(old_part) | set(new_part)):
                changes += _part_changes(
                    f"{field} {part}.{key}", old_part.get(key), new_part.get(key), "drop"
                )
    return changes


def _part_changes(field: str, old: Operator | None, new: Operator | None, none: str) -> list:
    """Keys, metadata and tags, where no operator means ``none`` (keep or drop)."""
    if old is not None and new is not None:
        return (
            []
            if _signature(old) == _signature(new)
            else [Change(field, old, new, *classify(old, new, NlpSettings()))]
        )
    if old is None and new is None:
        return []
    old_label = old.label() if old is not None else none
    new_label = new.label() if new is not None else none
    weaker = (new is None and none == "keep") or (old is None and none == "drop")
    if weaker:
        return [_handled(field, old_label, new_label, LOOSENED, f"now {new_label}")]
    return [_handled(field, old_label, new_label, TIGHTENED, f"now {new_label}")]


def _handled(field: str, before: str, after: str, verdict: str, why: str) -> Change:
    return Change(field, None, None, verdict, why, pair=f"`{before}` → `{after}`")


def _signature(op: Operator) -> tuple[str, bool]:
    return op.label(), op.unique


def classify(old: Operator | None, new: Operator | None, nlp: NlpSettings) -> tuple[str, str]:
    """(verdict, reason) for one field's change."""
    if new is None:
        return REMOVED, "the rule was removed: the run fails closed unless a default applies"
    if old is None:
        if not new.changes_values:
            return LOOSENED, "a new field is passed through unmasked"
        return TIGHTENED, "new coverage"
    if _neutralizes(old) and not _neutralizes(new):
        if not new.changes_values or not new.strength:
            return LOOSENED, (
                "a credential or live URL copied as is: staging could act on production's "
                "integrations (send mail, post to a customer's webhook, charge a card)"
            )
        if isinstance(new, Detect):
            return LOOSENED, "detect neutralizes only the credentials its rules recognize"
    if new.strength < old.strength:
        return LOOSENED, "masks less" if new.strength else "no longer masked"
    if isinstance(old, Detect) and isinstance(new, Detect):
        dropped = set(_entities(old, nlp)) - set(_entities(new, nlp))
        if dropped:
            return LOOSENED, f"detect no longer looks for {', '.join(sorted(dropped))}"
    if old.unique and not new.unique:
        return LOOSENED, "unique dropped: distinct values may collide"
    if new.strength > old.strength:
        return TIGHTENED, "masks more"
    if isinstance(old, Detect) and isinstance(new, Detect):
        return TIGHTENED, "detect looks for more entities"
    if new.unique and not old.unique:
        return TIGHTENED, "unique added"
    return CHANGED, "a different rule of the same strength"


def _neutralizes(op: Operator) -> bool:
    """``secret`` or ``{url: sandbox}`` (or ``each`` of them): every value made unable to act
    on production."""
    inner = getattr(op, "inner", op) if op.name == "each" else op
    return inner.name in ("secret", "url")


def _entities(op: Detect, nlp: NlpSettings) -> tuple[str, ...]:
    from sanitizer.mask.text.detector import DEFAULT_ENTITIES

    return op.entities or nlp.entities or DEFAULT_ENTITIES


def render(changes: list[Change], base: str, head: str, examples: list[list[str]]) -> str:
    """The Markdown report: loosened first, each on a line that starts with LOOSENED."""
    lines = [f"### sanitize rules diff `{base}` → `{head}`", ""]
    if not changes:
        return "\n".join([*lines, "No rule changes."]) + "\n"
    loosened = [c for c in changes if c.verdict == LOOSENED]
    lines.append(
        f"{len(changes)} field(s) changed, {len(loosened)} loosened."
        + (" Review the LOOSENED lines before merging." if loosened else "")
    )
    lines.append("")
    for change in loosened:
        lines += [f"LOOSENED **{change.field}**: {_pair(change)} ({change.why})", ""]
    for verdict, title in ((TIGHTENED, "Tightened or newly covered"), (CHANGED, "Changed"),
                           (REMOVED, "Removed")):  # fmt: skip
        group = [c for c in changes if c.verdict == verdict]
        if group:
            lines += [f"#### {title}", ""]
            lines += [f"- **{c.field}**: {_pair(c)} ({c.why})" for c in group]
            lines.append("")
    if examples:
        lines += [
            "#### Examples (synthetic inputs, never production values)",
            "",
            "| field | input | before | after |",
            "|---|---|---|---|",
            *(f"| {' | '.join(_cell(v) for v in row)} |" for row in examples),
            "",
        ]
    return "\n".join(lines)


def _pair(change: Change) -> str:
    return change.pair or f"{_label(change.before)} → {_label(change.after)}"


def _label(op: Operator | None) -> str:
    if op is None:
        return "(no rule)"
    return f"`{op.label()}{', unique' if op.unique else ''}`"


def _cell(value: Any) -> str:
    text = "NULL" if value is None else str(value)
    return "`" + text.replace("|", "\\|").replace("\n", "⏎").replace("`", "'") + "`"
