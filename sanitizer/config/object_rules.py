"""The ``objects:`` section of a rule file: ordered key globs → how each object is masked.

Globs match keys relative to the source's prefix: ``*`` stays inside one path segment, ``**``
spans any number of segments (``tickets/**/*.json`` matches ``tickets/a.json`` and
``tickets/2024/05/a.json``), ``?`` is one character and ``[abc]`` a class. The first rule
that matches a key wins, so specific globs go first. A key no rule matches stops the run
before anything is written (fail closed).

A rule names one handler — ``json`` / ``ndjson`` (rules by path, per document or per line),
``columns`` (CSV or Parquet, by column name, ``"*"`` for the rest), ``detect`` (free text,
Markdown, HTML, ``.eml``), ``keep`` (byte-for-byte) or ``drop`` — plus, optionally, how the
key's own segments are masked (``keys:``, ``detect`` by default), and rules for user metadata
and tags (``metadata:`` / ``tags:``; a field with no rule is dropped, never copied).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from sanitizer.config.keys import closest
from sanitizer.config.rule_spec import ReadLog, RuleSpec
from sanitizer.config.yamlfile import LocatedDict, Location
from sanitizer.errors import ConfigError

R = TypeVar("R")

HANDLERS = ("json", "ndjson", "columns", "detect", "keep", "drop")
OPTIONS = ("keys", "metadata", "tags", "delimiter", "header")
DROP = "drop"
NDJSON_SUFFIXES = (".ndjson", ".jsonl")
EMAIL_SUFFIXES = (".eml",)
PARQUET_SUFFIXES = (".parquet",)


@dataclass
class ObjectRule(Generic[R]):
    """One ``"glob": rule`` line of ``objects:``: read as :class:`RuleSpec`, built as operators.

    Reading leaves every rule a spec (``keys`` defaults to ``detect``); building turns them
    into operators, ``keys: keep`` into None (segments as they are).
    """

    glob: str
    where: Location
    handler: str
    operator: R | None = None  # json for json/ndjson, detect for detect
    columns: dict[str, R] = field(default_factory=dict)
    delimiter: str | None = None  # None: sniffed from the file
    header: bool = True
    keys: R | None = None  # how key segments are masked; None (keys: keep) = as they are
    metadata: dict[str, R | None] = field(default_factory=dict)  # None = drop
    tags: dict[str, R | None] = field(default_factory=dict)
    pattern: re.Pattern[str] = field(default=re.compile(""), repr=False)

    def matches(self, key: str) -> bool:
        return self.pattern.fullmatch(key) is not None

    def format_for(self, key: str) -> str:
        """The concrete format of one object: json, ndjson, csv, parquet, text, eml, keep, drop."""
        lower = key.lower()
        if self.handler == "json" and lower.endswith(NDJSON_SUFFIXES):
            return "ndjson"
        if self.handler == "columns":
            return "parquet" if lower.endswith(PARQUET_SUFFIXES) else "csv"
        if self.handler == "detect":
            return "eml" if lower.endswith(EMAIL_SUFFIXES) else "text"
        return self.handler

    def label(self) -> str:
        if self.handler == "columns":
            inner = ", ".join(f"{c}: {op.label()}" for c, op in self.columns.items())
            return f"columns: {{{inner}}}"
        return self.operator.label() if self.operator is not None else self.handler


def compile_glob(glob: str, where: Location) -> re.Pattern[str]:
    """``tickets/**/*.json`` → a regex over whole keys; a malformed glob names the fix."""
    problem = None
    if not glob or glob.startswith("/"):
        problem = "must be a non-empty key pattern relative to the source (no leading /)"
    elif "***" in glob or re.search(r"[^/]\*\*|\*\*[^/]", glob):
        problem = "uses ** inside a segment; ** must stand alone between slashes"
    elif glob.count("[") != glob.count("]"):
        problem = "has an unclosed [ ] class"
    if problem:
        raise ConfigError(
            f"{where}: object glob {glob!r} {problem}.",
            hint='write e.g. "tickets/**/*.json", "exports/*.csv" or "avatars/**".',
        )
    out, i = [], 0
    while i < len(glob):
        if glob.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif glob.startswith("**", i):
            out.append(".*")
            i += 2
        elif glob[i] == "*":
            out.append("[^/]*")
            i += 1
        elif glob[i] == "?":
            out.append("[^/]")
            i += 1
        elif glob[i] == "[":
            end = glob.index("]", i)
            body = glob[i + 1 : end]
            negate = body.startswith("!")
            body = re.escape(body[1:] if negate else body).replace("\\-", "-")
            out.append(f"[{'^' if negate else ''}{body}]")
            i = end + 1
        else:
            out.append(re.escape(glob[i]))
            i += 1
    return re.compile("".join(out))


def read_object_rules(section: Any, where: Location, log: ReadLog) -> list[ObjectRule[RuleSpec]]:
    """Read ``objects:``; problems go to ``log`` with file:line."""
    if not isinstance(section, LocatedDict):
        log.add(
            ConfigError(
                f"{where}: objects: must map key globs to rules.",
                hint='write e.g. objects: {"exports/*.csv": {columns: {"*": keep}}}',
            )
        )
        return []
    rules = []
    for glob in section:
        partial = ObjectRule[RuleSpec](glob=str(glob), where=section.at(glob), handler="")
        try:
            rules.append(_read_rule(partial, section.rule(glob), log))
        except ConfigError as exc:
            log.add(exc, unless=partial)  # a wrong rule read before this problem comes first
    return rules


def _read_rule(rule: ObjectRule[RuleSpec], spec: Any, log: ReadLog) -> ObjectRule[RuleSpec]:
    """Fill ``rule`` in reading order, so what was read before a problem is kept."""
    glob, where = rule.glob, rule.where
    rule.pattern = compile_glob(glob, where)
    if isinstance(spec, str):
        spec = {spec: None}
    if not isinstance(spec, dict) or not spec:
        raise ConfigError(
            f"{where}: the rule for {glob!r} must be a handler name or a mapping.",
            hint=f'use one of {", ".join(HANDLERS)}, e.g. {{json: {{"$.**": detect}}}}.',
        )
    at = _locator(spec, where)
    rule.handler = _handler(spec, glob, where, at)
    value = spec[rule.handler]
    if rule.handler in ("json", "ndjson", "detect"):
        name = "detect" if rule.handler == "detect" else "json"
        rule.operator = RuleSpec(at(rule.handler), (name,), value, order=log.next())
    elif rule.handler == "columns":
        _field_rules(value, at("columns"), "columns", log, rule.columns, allow_drop=False)
        if not rule.columns:
            raise ConfigError(f"{at('columns')}: columns: needs at least one column rule.")
    elif value not in (None, True, {}):
        handler = rule.handler
        raise ConfigError(f"{at(handler)}: {handler} takes no argument.", hint=f"write {handler}")
    rule.keys = log.rule(spec.get("keys", "detect"), at("keys"))
    _field_rules(spec.get("metadata"), at("metadata"), "metadata", log, rule.metadata)
    _field_rules(spec.get("tags"), at("tags"), "tags", log, rule.tags)
    _csv_options(rule, spec, at)
    return rule


def _handler(spec: dict, glob: str, where: Location, at: Callable[[Any], Location]) -> str:
    """The one handler a rule names; an unknown key or two handlers name the fix."""
    handlers = [k for k in spec if k in HANDLERS]
    unknown = [k for k in spec if k not in HANDLERS and k not in OPTIONS]
    if unknown or len(handlers) != 1:
        name = unknown[0] if unknown else None
        close = closest(name, [*HANDLERS, *OPTIONS]) if name else None
        raise ConfigError(
            f"{at(name) if name else where}: the rule for {glob!r} needs exactly one handler"
            + (f"; {name!r} is not one" if name else f", found {handlers or 'none'}")
            + ".",
            hint=(f"did you mean {close!r}? " if close else "")
            + f"Handlers: {', '.join(HANDLERS)}; options: {', '.join(OPTIONS)}.",
        )
    return handlers[0]


def _locator(spec: dict, where: Location) -> Callable[[Any], Location]:
    if isinstance(spec, LocatedDict):
        return lambda key: spec.key_lines.get(key, where)
    return lambda _key: where


def _field_rules(
    spec: Any,
    where: Location,
    what: str,
    log: ReadLog,
    into: dict[str, RuleSpec | None],
    allow_drop: bool = True,
) -> None:
    """Read ``name: rule`` pairs into ``into`` one by one (``drop`` → None where allowed)."""
    if spec is None:
        return
    if not isinstance(spec, dict):
        raise ConfigError(
            f"{where}: {what}: must map names to rules.",
            hint=f'write e.g. {what}: {{owner: {{fake: email}}, "*": '
            f"{'drop' if allow_drop else 'keep'}}}}}",
        )
    at = _locator(spec, where)
    for name in spec:
        raw = spec.rule(name) if isinstance(spec, LocatedDict) else spec[name]
        into[str(name)] = None if raw == DROP and allow_drop else log.rule(raw, at(name))


def _csv_options(rule: ObjectRule, spec: dict, at: Any) -> None:
    for option in ("delimiter", "header"):
        if option in spec and rule.handler != "columns":
            raise ConfigError(
                f"{at(option)}: {option}: applies to columns: rules (CSV) only.",
                hint=f"remove {option}: here.",
            )
    delimiter = spec.get("delimiter")
    if delimiter is not None and (not isinstance(delimiter, str) or len(delimiter) != 1):
        raise ConfigError(
            f"{at('delimiter')}: delimiter must be one character, not {delimiter!r}.",
            hint='write delimiter: ";" (or leave it out to detect it from the file).',
        )
    header = spec.get("header", True)
    if not isinstance(header, bool):
        raise ConfigError(f"{at('header')}: header must be true or false.", hint="header: true")
    rule.delimiter, rule.header = delimiter, header
