"""``sanitize payload``: one JSON document (say, from a production incident) → a replay fixture.

The document goes through the rule of a named column — ``SOURCE.TABLE.COLUMN``, usually a
``json`` rule — with the run's key, so every pseudonym matches what the nightly snapshot puts
in staging: the fixture replays against staging data.
"""

from __future__ import annotations

import json

from sanitizer.config.rules import SourceRules
from sanitizer.config.settings import Settings
from sanitizer.errors import ConfigError
from sanitizer.mask.operators import Operator
from sanitizer.mask.operators.base import MaskContext
from sanitizer.mask.pseudonyms import Keyring
from sanitizer.plan.rules import load_rules
from sanitizer.schema import JSON, ColumnInfo


def find_rule(rules: dict[str, SourceRules], target: str) -> Operator:
    """The rule of ``SOURCE.TABLE.COLUMN`` (the table may be schema-qualified)."""
    source, _, rest = target.partition(".")
    table, _, column = rest.rpartition(".")
    known = [
        f"{s}.{t}.{c}"
        for s, source_rules in rules.items()
        for t, table_rules in source_rules.tables.items()
        for c in table_rules.columns
    ]
    try:
        return rules[source].tables[table].columns[column]
    except KeyError:
        json_columns = [k for k in known if _is_json(rules, k)]
        raise ConfigError(
            f"--rule {target!r} names no column rule in the rule files.",
            hint="use SOURCE.TABLE.COLUMN, e.g. "
            + (", ".join(json_columns[:5]) or (known[0] if known else "app.table.column")),
        ) from None


def _is_json(rules: dict[str, SourceRules], key: str) -> bool:
    source, _, rest = key.partition(".")
    table, _, column = rest.rpartition(".")
    return rules[source].tables[table].columns[column].name == "json"


def sanitize_payload(settings: Settings, text: str, target: str, filename: str) -> str:
    """Mask one JSON document with the rule of ``target``; formatting is kept."""
    try:
        json.loads(text)
    except ValueError as exc:
        line = getattr(exc, "lineno", "?")
        raise ConfigError(
            f"{filename}:{line}: not valid JSON ({type(exc).__name__}).",
            hint="pass the payload exactly as it was captured (one JSON document).",
        ) from None
    rules = load_rules(settings.rules_dir, list(settings.sources), settings.secrets)
    op = find_rule(rules, target)
    column = ColumnInfo(name=target.rpartition(".")[2], kind=JSON, sql_type="JSON")
    ctx = MaskContext(Keyring(settings.key), column, nlp=settings.nlp)
    if not text.strip() or not op.changes_values:
        return text
    return op.mask_values([text], ctx)[0]
