"""``${VAR}`` and ``${VAR:-default}`` expansion, as in Docker Compose.

Secrets and per-environment URLs come from the environment, never from the committed file.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from typing import Any

from sanitizer.config.yamlfile import LocatedDict, Location
from sanitizer.errors import ConfigError

_REFERENCE = re.compile(r"\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?::-(?P<default>[^}]*))?\}|\$\$")


def expand(
    value: str, where: Location, environ: Mapping[str, str] | None = None, offline: bool = False
) -> str:
    """Replace every ``${VAR}`` in ``value``; ``$$`` is a literal dollar.

    ``offline`` (commands that never connect, e.g. ``rules check`` in CI) leaves an unset
    variable as written instead of failing, so no secret is needed to review rules.
    """
    env = os.environ if environ is None else environ

    def replace(match: re.Match[str]) -> str:
        if match.group(0) == "$$":
            return "$"
        name, default = match.group("name"), match.group("default")
        found = env.get(name)
        if found not in (None, "") or (found == "" and default is None):
            return found  # type: ignore[return-value]
        if default is not None:
            return default
        if offline:
            return match.group(0)
        raise ConfigError(
            f"{where}: the environment variable {name} is not set.",
            hint=f"export {name}=... before running, or write ${{{name}:-default}} in the file.",
        )

    return _REFERENCE.sub(replace, value)


def expand_tree(
    node: Any, where: Location, environ: Mapping[str, str] | None = None, offline: bool = False
) -> Any:
    """Expand references in every string of a parsed YAML tree, keeping locations."""
    if isinstance(node, LocatedDict):
        out = LocatedDict()
        out.where, out.key_lines, out.null_keys = node.where, node.key_lines, node.null_keys
        for key, value in node.items():
            out[key] = expand_tree(value, node.at(key), environ, offline)
        return out
    if isinstance(node, list):
        return [expand_tree(item, where, environ, offline) for item in node]
    if isinstance(node, str):
        return expand(node, where, environ, offline)
    return node
