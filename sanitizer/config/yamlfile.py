"""YAML loading that remembers where every mapping key was written.

Rule files are reviewed by people, so every error must point at a file and line. PyYAML's node
marks carry that; this loader keeps them on the mappings it builds.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from sanitizer.errors import ConfigError


@dataclass(frozen=True)
class Location:
    """A place in a YAML file, for error messages."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


class LocatedDict(dict):
    """A mapping from YAML that knows its own location and the location of each key."""

    where: Location
    key_lines: dict[Any, Location]
    null_keys: frozenset[Any] = frozenset()  # keys whose value is written out as null or ~

    def at(self, key: Any) -> Location:
        """Where ``key`` was written (the mapping's own location if unknown)."""
        return self.key_lines.get(key, self.where)

    def rule(self, key: Any) -> Any:
        """The value of ``key`` read as a rule: a written-out ``null`` is the null operator.

        YAML reads ``notes: null`` as no value at all; in a rule it names the operator, while
        an empty ``notes:`` stays empty (a rule still to be written).
        """
        value = self[key]
        return "null" if value is None and key in self.null_keys else value


_NULL_TAG = "tag:yaml.org,2002:null"


def _loader_for(file: str) -> type[yaml.SafeLoader]:
    class Loader(yaml.SafeLoader):
        pass

    def construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> LocatedDict:
        loader.flatten_mapping(node)
        result = LocatedDict()
        result.where = Location(file, node.start_mark.line + 1)
        result.key_lines = {}
        null_keys = set()
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if key in result:
                raise ConfigError(
                    f"{file}:{key_node.start_mark.line + 1}: the key {key!r} is written twice "
                    "in the same mapping.",
                    hint="keep one of them; YAML would silently drop the first.",
                )
            result[key] = loader.construct_object(value_node, deep=True)
            result.key_lines[key] = Location(file, key_node.start_mark.line + 1)
            if value_node.tag == _NULL_TAG and value_node.value:  # null or ~, not empty
                null_keys.add(key)
        result.null_keys = frozenset(null_keys)
        return result

    Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, construct_mapping)
    return Loader


def load_yaml(path: Path, display: str | None = None) -> Any:
    """Parse one YAML file, turning syntax errors into a ConfigError with the line."""
    name = display or str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(
            f"{name}: cannot be read ({exc.strerror}).", hint="check the path and permissions."
        ) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ConfigError(
            f"{name}:{line}: not UTF-8 text (byte 0x{data[exc.start]:02x}).",
            hint="save the file as UTF-8.",
        ) from None
    return parse_yaml(text, name)


def parse_yaml(text: str, name: str) -> Any:
    """Parse YAML text that came from ``name`` (a file or a git revision)."""
    try:
        return yaml.load(text, Loader=_loader_for(name))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark else "?"
        raise ConfigError(
            f"{name}:{line}: not valid YAML: {exc.problem}.",
            hint="check indentation and quoting on that line (a value with ':' or '#' "
            "needs quotes).",
        ) from None
    except yaml.reader.ReaderError as exc:  # a control character: no mark, a position
        line = text[: exc.position].count("\n") + 1
        raise ConfigError(
            f"{name}:{line}: not valid YAML: the character {exc.character!r} is not allowed.",
            hint="remove it (control characters usually come from a paste or a binary file).",
        ) from None
