"""Custom recognizer files under ``rules/recognizers/`` (Presidio's own YAML format), checked.

Each file holds ``recognizers:``, a list of entries with ``name``, ``supported_entity``,
``supported_language`` (default ``en``), and ``patterns`` (``name``, ``regex``, ``score``)
and/or ``deny_list``, plus optional ``context`` words — the shape Presidio's
``RecognizerRegistry.add_recognizers_from_yaml`` reads. Reading sanitize.yaml checks them with
file:line errors before any database is touched; ``mask/text/custom.py`` builds them.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from sanitizer.config.yamlfile import LocatedDict, Location, load_yaml
from sanitizer.errors import ConfigError

ENTRY_KEYS = {
    "name",
    "supported_entity",
    "supported_language",
    "patterns",
    "deny_list",
    "context",
    "deny_list_score",
}
EXAMPLE = (
    "recognizers:\n  - name: employee ids\n    supported_entity: EMPLOYEE_ID\n"
    "    patterns: [{name: id, regex: 'EMP-\\d{6}', score: 0.9}]\n"
    "    context: [employee]"
)


def recognizer_files(folder: Path) -> tuple[str, ...]:
    """The YAML files of a recognizers folder, sorted (none if the folder is absent)."""
    if not folder.is_dir():
        return ()
    return tuple(str(p) for p in sorted(folder.glob("*.y*ml")))


def check_file(path: str) -> list[str]:
    """Validate without building (no Presidio import); the entities the file adds."""
    return [entry["supported_entity"] for entry in recognizer_entries(path)]


def recognizer_entries(path: str) -> list[LocatedDict]:
    """The checked entries of one recognizer file; ConfigError with file:line otherwise."""
    document = load_yaml(Path(path))
    where = Location(path, 1)
    if not isinstance(document, LocatedDict) or not isinstance(document.get("recognizers"), list):
        raise ConfigError(
            f"{where}: a recognizer file needs a 'recognizers:' list.",
            hint=f"write e.g.:\n{EXAMPLE}",
        )
    entries = []
    for entry in document["recognizers"]:
        if not isinstance(entry, LocatedDict):
            raise ConfigError(
                f"{document.at('recognizers')}: each recognizer is a mapping.",
                hint=f"write e.g.:\n{EXAMPLE}",
            )
        _check_entry(entry)
        entries.append(entry)
    return entries


def _check_entry(entry: LocatedDict) -> None:
    where = entry.where
    unknown = sorted(set(map(str, entry)) - ENTRY_KEYS)
    if unknown:
        raise ConfigError(
            f"{entry.at(unknown[0])}: unknown recognizer key {unknown[0]!r}.",
            hint=f"use {', '.join(sorted(ENTRY_KEYS))}.",
        )
    entity = entry.get("supported_entity")
    if not isinstance(entity, str) or not re.fullmatch(r"[A-Z][A-Z0-9_]*", entity):
        raise ConfigError(
            f"{where}: supported_entity must be an UPPER_CASE entity name.",
            hint="e.g. supported_entity: EMPLOYEE_ID",
        )
    if not entry.get("patterns") and not entry.get("deny_list"):
        raise ConfigError(
            f"{where}: recognizer {entity} has neither patterns nor deny_list.",
            hint="add patterns: [{name, regex, score}] or deny_list: [words].",
        )
    for pattern in entry.get("patterns") or []:
        _check_pattern(pattern, entry.at("patterns"))
    for key in ("deny_list", "context"):
        values = entry.get(key)
        if values is not None and (
            not isinstance(values, list) or not all(isinstance(v, str) for v in values)
        ):
            raise ConfigError(f"{entry.at(key)}: {key} must be a list of words.")


def _check_pattern(pattern: Any, where: Location) -> None:
    if not isinstance(pattern, dict) or not {"name", "regex", "score"} <= set(pattern):
        raise ConfigError(
            f"{where}: each pattern needs name, regex and score.",
            hint="e.g. {name: id, regex: 'EMP-\\d{6}', score: 0.9}",
        )
    at = pattern.at("regex") if isinstance(pattern, LocatedDict) else where
    try:
        re.compile(str(pattern["regex"]))
    except re.error as exc:
        raise ConfigError(
            f"{at}: pattern {pattern['name']!r} is not a valid regex ({exc}).",
            hint="check escaping: in YAML single quotes a backslash is literal.",
        ) from None
    score = pattern["score"]
    if isinstance(score, bool) or not isinstance(score, int | float) or not 0 <= score <= 1:
        raise ConfigError(f"{at}: pattern {pattern['name']!r} needs a score from 0 to 1.")
