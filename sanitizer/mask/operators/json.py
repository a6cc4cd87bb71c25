"""``json``: rules by path inside JSON documents (JSON/JSONB columns, or JSON kept as text).

Paths are JSONPath-like: ``$.contact.email``, ``$.history[*].content``, ``$.items[0].sku``,
``$.*.email`` (any key at one level), ``$..email`` (at any depth) and ``$.**`` (everything
below, the fallback). The most specific listed path wins: paths without ``**``/``..`` are tried
first, in the order written. Unlisted leaves follow the fallback; with no fallback the
document's leaves are redacted-by-format so nothing passes unnoticed. Leaves are masked in
batches per rule, so the same email in many documents is computed once. Key order, separators,
indentation and ASCII escaping of the original text are kept. A value that is not valid JSON
is scrambled format-preservingly (it stays malformed-looking) unless ``on_invalid`` says
otherwise.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, ClassVar

from sanitizer.config.yamlfile import LocatedDict
from sanitizer.mask.fpe import scramble
from sanitizer.mask.operators.base import MaskContext, Operator, is_blank
from sanitizer.schema import JSON, OTHER, STRING, ColumnInfo

_SEGMENT = re.compile(
    r"\.\.(?P<deep>[^.\[]+)|\.(?P<key>\*\*|\*|[^.\[]+)|\[(?P<index>\*|\d+)\]"
    r"|\[['\"](?P<quoted>[^'\"]+)['\"]\]"
)
ANY, ANY_DEPTH = "*", "**"
ON_INVALID = ("format", "redact", "null", "keep")
INDEXES_HELD = 1 << 14  # leaf paths whose rule a json rule remembers (then starts afresh)


@dataclass(frozen=True)
class PathRule:
    """One ``"$.a.b": rule`` line, compiled."""

    text: str
    tokens: tuple[str | int, ...]
    operator: Operator

    @property
    def deep(self) -> bool:
        return ANY_DEPTH in self.tokens


def compile_path(text: str) -> tuple[str | int, ...] | None:
    """``$.a[*].b`` → ``("a", "*", "b")``; None when the text is not a path."""
    if not text.startswith("$"):
        return None
    tokens: list[str | int] = []
    pos = 1
    while pos < len(text):
        match = _SEGMENT.match(text, pos)
        if not match:
            return None
        if match.group("deep"):
            tokens += [ANY_DEPTH, match.group("deep")]
        elif match.group("index"):
            index = match.group("index")
            tokens.append(ANY if index == "*" else int(index))
        else:
            tokens.append(match.group("key") or match.group("quoted"))
        pos = match.end()
    return tuple(tokens)


def matches(pattern: tuple[str | int, ...], path: tuple[str | int, ...]) -> bool:
    """Whether a concrete leaf path fits a compiled pattern (``**`` spans zero or more)."""
    if not pattern:
        return not path
    head, rest = pattern[0], pattern[1:]
    if head == ANY_DEPTH:
        return any(matches(rest, path[i:]) for i in range(len(path) + 1))
    if not path:
        return False
    if head == ANY or head == path[0]:
        return matches(rest, path[1:])
    return False


@lru_cache(maxsize=1 << 14)
def _rule_index(patterns: tuple[tuple[str | int, ...], ...], path: tuple[str | int, ...]) -> int:
    """:meth:`Json.rule_index`, remembered: documents of a column or bucket repeat their
    paths, and matching ``**`` patterns tries every split of a path."""
    for index, tokens in enumerate(patterns):
        if matches(tokens, path):
            return index
    return -1


class Json(Operator):
    """For JSON/JSONB columns and JSON text; leaves no path matches are scrambled."""

    name = "json"
    summary = "Rules by path inside JSON documents; unlisted paths follow the '$.**' fallback."
    example = 'profile: {json: {"$.contact.email": {fake: email}, "$.bio": detect, "$.**": keep}}'
    kinds = frozenset({JSON, STRING, OTHER})
    # How a path's own rule becomes an operator: the registry sets it (it knows every
    # operator; importing it here would make a cycle).
    parse_rule: ClassVar[Callable[[Any, Any], Operator]]

    def configure(self, argument: Any) -> None:
        if not isinstance(argument, dict) or not argument:
            raise self.invalid(
                "needs a mapping of paths to rules",
                'write {json: {"$.email": {fake: email}, "$.**": keep}}',
            )
        self.on_invalid = "format"
        self.paths: list[PathRule] = []
        located = isinstance(argument, LocatedDict)
        where = argument.at if located else (lambda _key: self.where)
        for text, spec in argument.items():
            spec = argument.rule(text) if located else spec
            tokens = compile_path(str(text))
            if tokens is None:
                raise self.invalid(
                    f"{text!r} is not a path",
                    'paths look like "$.contact.email", "$.items[*].name", "$.**"',
                )
            op = type(self).parse_rule(spec, where(text))
            if isinstance(op, Json):
                raise self.invalid(f"{text!r} nests json inside json", "list the inner paths")
            self.paths.append(PathRule(str(text), tokens, op))
        self.paths.sort(key=lambda rule: rule.deep)  # stable: specific paths first, as written
        self._patterns = tuple(rule.tokens for rule in self.paths)
        self._indexes: dict[tuple[str | int, ...], int] = {}

    def set_on_invalid(self, policy: Any) -> None:
        if policy not in ON_INVALID:
            raise self.invalid(
                f"on_invalid must be one of {', '.join(ON_INVALID)}", "write on_invalid: format"
            )
        self.on_invalid = policy

    @property
    def uses_nlp(self) -> bool:
        return any(rule.operator.uses_nlp for rule in self.paths)

    def operators(self) -> Iterator[Operator]:
        yield self
        for rule in self.paths:
            yield from rule.operator.operators()

    def label(self) -> str:
        inner = ", ".join(f"{p.text}: {p.operator.label()}" for p in self.paths)
        return f"json: {{{inner}}}"

    def rule_index(self, path: tuple[str | int, ...]) -> int:
        """The index of the rule that governs a leaf path, or -1 when none does. Remembered
        per path by this rule: every leaf of every document asks, and the shared cache's key
        (the rule's patterns with the path) is hashed anew on each call (docs/benchmarks.md)."""
        found = self._indexes.get(path)
        if found is None:
            if len(self._indexes) >= INDEXES_HELD:
                self._indexes.clear()
            found = self._indexes[path] = _rule_index(self._patterns, path)
        return found

    def mask_values(self, values: list[Any], ctx: MaskContext) -> list[Any]:
        docs, invalid = [], []
        for i, value in enumerate(values):
            if isinstance(value, str):
                try:
                    docs.append((i, json.loads(value), value))
                except ValueError:
                    invalid.append(i)
            else:
                docs.append((i, value, None))
        out: list[Any] = list(values)
        roots = [doc for _, doc, _ in docs]
        masked_roots = self._mask_documents(roots, ctx)
        for (i, _, text), masked in zip(docs, masked_roots, strict=True):
            out[i] = masked if text is None else dumps_like(masked, text)
        for i in invalid:
            out[i] = self._invalid(values[i], ctx)
        ctx.count("json_invalid", len(invalid))
        return out

    def _invalid(self, value: Any, ctx: MaskContext) -> Any:
        if self.on_invalid == "keep":
            return value
        if self.on_invalid == "null":
            return None
        if self.on_invalid == "redact":
            return "".join(ch if ch.isspace() else "*" for ch in str(value))
        return scramble(str(value), ctx.keyring.subkey("format"), "json_invalid")

    def _mask_documents(self, roots: list[Any], ctx: MaskContext) -> list[Any]:
        """Collect every leaf, mask each rule's leaves in one batch, write them back."""
        holders: list[list[Any]] = [[root] for root in roots]
        groups: dict[int, list[tuple[Any, Any, Any]]] = {}
        for holder in holders:
            for parent, key, path in _leaves(holder, 0, ()):
                value = parent[key]
                if value is None or isinstance(value, bool):
                    continue
                groups.setdefault(self.rule_index(path), []).append((parent, key, value))
        for index, leaves in groups.items():
            op = None if index < 0 else self.paths[index].operator
            _apply(op, leaves, ctx)
        return [holder[0] for holder in holders]


def _leaves(parent: Any, key: Any, path: tuple[str | int, ...]):
    """Yield (container, key, path) for every scalar leaf below ``parent[key]``."""
    node = parent[key]
    if isinstance(node, dict):
        for child in node:
            yield from _leaves(node, child, (*path, child))
    elif isinstance(node, list):
        for index in range(len(node)):
            yield from _leaves(node, index, (*path, index))
    else:
        yield parent, key, path


_LEAF_COLUMN = ColumnInfo(name="$", kind=STRING, sql_type="JSON")


def _apply(op: Operator | None, leaves: list[tuple[Any, Any, Any]], ctx: MaskContext) -> None:
    """Mask one rule's leaves together; numbers go through text when the rule is textual."""
    if op is not None and not op.changes_values:
        return
    leaf_ctx = MaskContext(ctx.keyring, _LEAF_COLUMN, ctx.attempt, ctx.nlp, ctx.stats)
    key = ctx.keyring.subkey("format")
    uniques = list(dict.fromkeys(v for _, _, v in leaves if not is_blank(v)))
    if op is None:  # no rule and no fallback: scramble rather than pass anything through
        mapping = {v: _from_text(scramble(str(v), key, "json"), v) for v in uniques}
    else:
        numeric_ok = bool(op.kinds & {"integer", "float", "decimal"})
        direct = [v for v in uniques if isinstance(v, str) or numeric_ok]
        mapping = dict(zip(direct, op.mask_values(direct, leaf_ctx), strict=True))
        via_text = [v for v in uniques if v not in mapping]
        texts = op.mask_values([str(v) for v in via_text], leaf_ctx) if via_text else []
        mapping.update({v: _from_text(t, v) for v, t in zip(via_text, texts, strict=True)})
    for parent, index, value in leaves:
        if value in mapping:
            parent[index] = mapping[value]


def _from_text(text: Any, original: Any) -> Any:
    """Turn a masked number-as-text back into a number when it still reads as one."""
    if isinstance(original, int | float) and isinstance(text, str):
        try:
            number = json.loads(text)
        except ValueError:
            return text
        return number if isinstance(number, int | float) else text
    return text


def dumps_like(document: Any, original: str) -> str:
    """Serialize with the original text's separators, indentation and escaping."""
    ascii_only = original.isascii() and "\\u" in original
    lead = original[: len(original) - len(original.lstrip())]
    trail = original[len(original.rstrip()) :]
    body = original.strip()
    indent: int | str | None = None
    separators = (", ", ": ")
    if "\n" in body:
        match = re.search(r"\n([ \t]+)\S", body)
        indent = match.group(1) if match else 2
        separators = (",", ": ")
    elif not re.search(r'[\]}"\d]\s*,\s+["\[{\d]|":\s', body):
        separators = (",", ":")
    text = json.dumps(document, ensure_ascii=ascii_only, indent=indent, separators=separators)
    return f"{lead}{text}{trail}"
