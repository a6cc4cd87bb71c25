"""``subset:`` entries for object and vector sources: which files and memories follow SQL rows.

An object source ties key patterns to SQL columns (``"tickets/{id}/**": app.tickets.id``); a
vector source ties a metadata key of a collection to one (``agent_memory: {metadata:
customer_email, to: app.contacts.email}``). In a pattern a ``{name}`` placeholder captures one
path segment (or part of one), ``*`` any text inside one segment and ``**`` any number of
segments (a trailing ``/**`` also takes the key of the folder itself); every other character
is itself. A pattern without placeholders may instead follow a field inside each (JSON)
object: ``"exports/tickets/*.json": {json: "$.ticket.id", to: app.tickets.id}``. Values
compare as strings. Objects no pattern matches and collections not named are copied whole
(docs/subsetting_follow.md).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sanitizer.config.keys import check_keys, did_you_mean
from sanitizer.config.yamlfile import LocatedDict, Location
from sanitizer.errors import ConfigError

PLACEHOLDER = re.compile(r"\{([^{}/]*)\}")
NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
VECTOR_KEYS = ("metadata", "to")
JSON_KEYS = ("json", "to")
PATTERN_HINT = (
    'write e.g. "tickets/{id}/**": app.tickets.id — {name} captures one path segment, * any '
    "text inside a segment, ** any number of segments"
)


@dataclass(frozen=True)
class ColumnRef:
    """``app.tickets.id`` → source ``app``, table ``tickets``, column ``id``.

    The table may carry its schema (``app.sales.orders.id``): everything between the first
    and the last dot is the table's rule name.
    """

    source: str
    table: str
    column: str
    where: Location | None = field(default=None, compare=False)

    @classmethod
    def parse(cls, text: str, where: Location) -> ColumnRef:
        parts = text.split(".") if isinstance(text, str) else []
        if len(parts) < 3 or not all(p.strip() for p in parts) or text != text.strip():
            raise ConfigError(
                f"{where}: {text!r} is not a column reference.",
                hint="write SOURCE.TABLE.COLUMN, e.g. app.tickets.id (SOURCE is a sql source "
                "in sanitize.yaml).",
            )
        return cls(parts[0], ".".join(parts[1:-1]), parts[-1], where)

    def __str__(self) -> str:
        return f"{self.source}.{self.table}.{self.column}"


KeptValues = Callable[[ColumnRef], frozenset[str]]  # a column's values over the kept rows, as str


@dataclass(frozen=True)
class JsonLink:
    """A field inside a JSON object (``$.ticket.id``, ``$.items[*].id``) and its column."""

    path: str
    steps: tuple[str | int | None, ...]  # a key, an index, or None: every element
    to: ColumnRef

    def values(self, document: Any) -> list[str]:
        """The field's values in ``document`` as strings (none when the path is absent)."""
        found = [document]
        for step in self.steps:
            found = [item for node in found for item in _step(node, step)]
        return [text for node in found for text in as_texts(node)]


@dataclass(frozen=True)
class KeyPattern:
    """One object key pattern and the column each of its placeholders must be kept in — or,
    for a pattern without placeholders, the JSON field inside the object that must be."""

    text: str
    regex: re.Pattern[str]
    refs: Mapping[str, ColumnRef]  # placeholder → column
    where: Location
    json: JsonLink | None = None

    def capture(self, key: str) -> dict[str, str] | None:
        """The placeholders' values in ``key``, or None when the key does not match."""
        found = self.regex.fullmatch(key)
        return None if found is None else found.groupdict()

    def keeps(
        self,
        captured: Mapping[str, str],
        kept: KeptValues,
        document: Callable[[], Any] | None = None,
    ) -> bool:
        """Every placeholder's value is kept; for a JSON link, one of the field's values is
        (``document`` reads and parses the object: None when it is not JSON)."""
        if self.json is not None:
            if document is None:
                raise ValueError(f"key pattern {self.text!r} needs the object's contents")
            values = kept(self.json.to)
            return any(text in values for text in self.json.values(document()))
        return all(captured[name] in kept(ref) for name, ref in self.refs.items())


Reader = Callable[[str], Any]  # an object's key → its parsed JSON (None when it is not JSON)


@dataclass(frozen=True)
class ObjectFollow:
    """An object source's key patterns. A key is kept when every pattern that matches it
    ties it to kept rows; a key no pattern matches is kept (copied as usual)."""

    source: str
    patterns: tuple[KeyPattern, ...]
    where: Location

    def keeps(self, key: str, kept: KeptValues, read: Reader | None = None) -> bool:
        return self.judge(key, kept, read)[1]

    def judge(
        self, key: str, kept: KeptValues, read: Reader | None = None
    ) -> tuple[list[KeyPattern], bool]:
        """The patterns that match ``key``, and whether the key is kept. ``read`` is asked
        (once) only when a JSON-linked pattern matches."""
        matched, keep = [], True
        cache: list[Any] = []

        def document() -> Any:
            if not cache:
                cache.append(read(key) if read is not None else None)
            return cache[0]

        for pattern in self.patterns:
            captured = pattern.capture(key)
            if captured is not None:
                matched.append(pattern)
                reader = document if read is not None else None
                keep = keep and pattern.keeps(captured, kept, reader)
        return matched, keep

    def refs(self) -> list[ColumnRef]:
        links = [p.json.to for p in self.patterns if p.json is not None]
        return [ref for p in self.patterns for ref in p.refs.values()] + links


def _step(node: Any, step: str | int | None) -> list[Any]:
    if step is None:
        return list(node) if isinstance(node, list) else []
    if isinstance(step, int):
        return [node[step]] if isinstance(node, list) and -len(node) <= step < len(node) else []
    return [node[step]] if isinstance(node, dict) and step in node else []


JSON_STEP = re.compile(
    r"\.(?P<key>[^.\[\]*]+)|\[(?P<index>\*|\d+)\]|\[['\"](?P<quoted>[^'\"]+)['\"]\]"
)


def compile_json_path(text: Any, where: Location) -> tuple[str | int | None, ...]:
    """``$.ticket.id``, ``$.items[*].id``, ``$["a b"][0]`` → steps; anything else: the fix."""
    steps: list[str | int | None] = []
    i = 1
    while isinstance(text, str) and text.startswith("$") and i < len(text):
        found = JSON_STEP.match(text, i)
        if found is None:
            break
        index = found["index"]
        steps.append(found["key"] or found["quoted"] or (None if index == "*" else int(index)))
        i = found.end()
    if not isinstance(text, str) or not text.startswith("$") or i != len(text) or not steps:
        raise ConfigError(
            f"{where}: {text!r} is not a JSON field path a subset can follow.",
            hint='write e.g. {json: "$.ticket.id", to: app.tickets.id}; paths use .key, [0] '
            "and [*] (every element).",
        )
    return tuple(steps)


@dataclass(frozen=True)
class MemoryLink:
    """A collection's metadata key and the SQL column its values must be kept in."""

    collection: str
    metadata: str
    to: ColumnRef
    where: Location


@dataclass(frozen=True)
class VectorFollow:
    """A vector source's links by collection. A record is kept when its metadata value (or,
    for a list, one of its values) is kept; a record without the key is not tied to a kept
    row and is left out. Collections not named are kept whole."""

    source: str
    links: Mapping[str, MemoryLink]
    where: Location

    def keeps(self, collection: str, metadata: Mapping[str, Any], kept: KeptValues) -> bool:
        link = self.links.get(collection)
        if link is None:
            return True
        values = kept(link.to)
        return any(text in values for text in as_texts(metadata.get(link.metadata)))

    def refs(self) -> list[ColumnRef]:
        return [link.to for link in self.links.values()]


def as_texts(value: Any) -> list[str]:
    """A metadata value as the strings it compares as: a list gives each element, a float
    with no fraction its integer (a JSON 42 may come back as 42.0), a nested value nothing."""
    if value is None or isinstance(value, dict):
        return []
    if isinstance(value, list | tuple):
        return [text for item in value for text in as_texts(item)]
    if isinstance(value, float) and value.is_integer():
        return [str(int(value))]
    return [str(value)]


def parse_object_follow(source: str, node: Any, where: Location) -> ObjectFollow:
    """``subset: SOURCE: {PATTERN: SOURCE.TABLE.COLUMN, …}`` for an objects source; a pattern
    with several placeholders maps each: ``{tenant: app.tenants.id, id: app.tickets.id}``."""
    mapping = _mapping(node, where, f"subset.{source}", '"tickets/{id}/**": app.tickets.id')
    if not mapping:
        raise ConfigError(
            f"{where}: subset.{source} names no key pattern.",
            hint='add e.g. "tickets/{id}/**": app.tickets.id, or remove the entry.',
        )
    patterns = [
        _key_pattern(str(text), mapping[text], mapping.at(text), source) for text in mapping
    ]
    return ObjectFollow(source, tuple(patterns), where)


def parse_vector_follow(source: str, node: Any, where: Location) -> VectorFollow:
    """``subset: SOURCE: {COLLECTION: {metadata: KEY, to: SOURCE.TABLE.COLUMN}, …}``."""
    example = "agent_memory: {metadata: customer_email, to: app.contacts.email}"
    mapping = _mapping(node, where, f"subset.{source}", example)
    links = {}
    for collection in mapping:
        at = mapping.at(collection)
        spec = _mapping(mapping[collection], at, f"subset.{source}.{collection}", example)
        check_keys(spec, VECTOR_KEYS, f"subset.{source}.{collection}")
        key, to = spec.get("metadata"), spec.get("to")
        if not isinstance(key, str) or not key:
            raise ConfigError(
                f"{spec.where}: subset.{source}.{collection} needs metadata: the metadata key "
                "that holds the SQL value.",
                hint=f"write {example}.",
            )
        if not isinstance(to, str):
            raise ConfigError(
                f"{spec.where}: subset.{source}.{collection} needs to: the SQL column "
                f"{key!r} refers to.",
                hint=f"write {example}.",
            )
        ref = ColumnRef.parse(to, spec.at("to"))
        links[str(collection)] = MemoryLink(str(collection), key, ref, at)
    return VectorFollow(source, links, where)


def _mapping(node: Any, where: Location, place: str, example: str) -> LocatedDict:
    if not isinstance(node, LocatedDict):
        raise ConfigError(
            f"{where}: {place} must be a mapping.", hint=f"write it as {example} lines."
        )
    return node


def _key_pattern(text: str, value: Any, where: Location, source: str) -> KeyPattern:
    regex, names = compile_pattern(text, where)
    if isinstance(value, str):
        if len(names) != 1:
            raise ConfigError(
                f"{where}: key pattern {text!r} of subset.{source} has "
                f"{len(names) or 'no'} placeholder{'s' if len(names) != 1 else ''}, so one "
                "column cannot say which part of the key to compare.",
                hint='use one {name} placeholder (e.g. "tickets/{id}/**"), or map each: '
                '"t/{tenant}/{id}/**": {tenant: app.tenants.id, id: app.tickets.id}.',
            )
        refs = {names[0]: ColumnRef.parse(value, where)}
    elif isinstance(value, LocatedDict) and not names and value:
        return KeyPattern(text, regex, {}, where, _json_link(text, value))
    elif isinstance(value, LocatedDict) and value:
        refs = {}
        for name in value:
            if name not in names:
                raise ConfigError(
                    f"{value.at(name)}: key pattern {text!r} has no placeholder {{{name}}}.",
                    hint=did_you_mean(name, names, f"its placeholders: {', '.join(names)}."),
                )
            column = value[name]
            if not isinstance(column, str):
                raise ConfigError(
                    f"{value.at(name)}: placeholder {name!r} needs a column, e.g. app.tickets.id."
                )
            refs[str(name)] = ColumnRef.parse(column, value.at(name))
        missing = [n for n in names if n not in refs]
        if missing:
            raise ConfigError(
                f"{where}: key pattern {text!r} maps no column for {', '.join(missing)}.",
                hint="map every placeholder to a column (or use * for a part to ignore).",
            )
    else:
        raise ConfigError(
            f"{where}: key pattern {text!r} needs the SQL column its placeholder refers to.",
            hint=f'{PATTERN_HINT}; e.g. "{text}": app.tickets.id.',
        )
    return KeyPattern(text, regex, refs, where)


def _json_link(text: str, value: LocatedDict) -> JsonLink:
    """``{json: "$.ticket.id", to: app.tickets.id}`` for a pattern without placeholders."""
    check_keys(value, JSON_KEYS, f"key pattern {text!r}")
    if "json" not in value or "to" not in value or not isinstance(value["to"], str):
        raise ConfigError(
            f"{value.where}: key pattern {text!r} has no placeholder, so it follows a field "
            "inside each object and needs both json: (the field) and to: (its column).",
            hint=f'write "{text}": {{json: "$.ticket.id", to: app.tickets.id}}, or put a '
            "{name} placeholder in the pattern.",
        )
    steps = compile_json_path(value["json"], value.at("json"))
    return JsonLink(value["json"], steps, ColumnRef.parse(value["to"], value.at("to")))


def compile_pattern(text: str, where: Location) -> tuple[re.Pattern[str], list[str]]:
    """A key pattern → a regex over whole keys and its placeholder names, in order."""
    _check_pattern(text, where)
    out, names, i = [], [], 0
    while i < len(text):
        placeholder = PLACEHOLDER.match(text, i)
        if placeholder:
            name = placeholder.group(1)
            out.append(f"(?P={name})" if name in names else f"(?P<{name}>[^/]+)")
            names += [] if name in names else [name]
            i = placeholder.end()
        elif text.startswith("/**", i) and i + 3 == len(text):
            out.append("(?:/.*)?")  # the folder's own key too: tickets/{id}/** takes tickets/42
            i += 3
        elif text.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif text.startswith("**", i):
            out.append(".*")
            i += 2
        elif text[i] == "*":
            out.append("[^/]*")
            i += 1
        else:
            out.append(re.escape(text[i]))
            i += 1
    return re.compile("".join(out), re.DOTALL), names


def _check_pattern(text: str, where: Location) -> None:
    problem = None
    stray = PLACEHOLDER.sub("", text)
    bad_names = [n for n in PLACEHOLDER.findall(text) if not NAME.fullmatch(n)]
    if not text or text.startswith("/"):
        problem = "must be a non-empty key pattern relative to the source (no leading /)"
    elif "{" in stray or "}" in stray:
        problem = "has a { or } that is not a {name} placeholder inside one segment"
    elif bad_names:
        problem = f"has a placeholder {{{bad_names[0]}}} that is not a name (letters, _, digits)"
    elif re.search(r"\}\{", text):
        problem = "puts two placeholders side by side, so neither knows where it ends"
    elif "***" in text or re.search(r"[^/]\*\*|\*\*[^/]", text):
        problem = "uses ** inside a segment; ** must stand alone between slashes"
    if problem:
        raise ConfigError(f"{where}: key pattern {text!r} {problem}.", hint=PATTERN_HINT + ".")


def follow_settings(
    node: Any, where: Location, kinds: Mapping[str, str], vector_kinds: Iterable[str]
) -> dict[str, ObjectFollow | VectorFollow]:
    """The entries of ``subset:`` that name objects or vector sources (SQL entries are the
    SQL subset's own, docs/subsetting.md); an entry naming no source is an error. ``node`` is
    the section as read, or a plain mapping of its entries (each then located by its own
    mapping's line)."""
    if node is None:
        return {}
    if not isinstance(node, Mapping):
        _mapping(node, where, "subset", "SOURCE: ... (one entry per source)")
    follows: dict[str, ObjectFollow | VectorFollow] = {}
    for name, entry in node.items():
        at = node.at(name) if isinstance(node, LocatedDict) else getattr(entry, "where", where)
        kind = kinds.get(name)
        if kind is None:
            raise ConfigError(
                f"{at}: subset names source {name!r}, which sources: does not define.",
                hint=did_you_mean(name, list(kinds), "name a source from sources:."),
            )
        if kind == "objects":
            follows[name] = parse_object_follow(name, entry, at)
        elif kind in vector_kinds:
            follows[name] = parse_vector_follow(name, entry, at)
    return follows
