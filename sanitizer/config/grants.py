"""``schema: grants:`` and ``schema: roles:`` — production's owners and grants in staging.

``grants: skip`` (the default) leaves owners and grants out: staging's objects belong to the
staging role. ``grants: keep`` replays production's owners, grants and default privileges
with each production role renamed by ``roles:`` (production role → staging role); a role
named nowhere in ``roles:`` keeps its name. PostgreSQL sources only (docs/rules.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sanitizer.config.yamlfile import LocatedDict, Location
from sanitizer.errors import ConfigError

GRANT_MODES = ("skip", "keep")
EXAMPLE = "write e.g. schema: {grants: keep, roles: {app_rw: staging_app}}"


@dataclass
class SchemaGrants:
    """What one source's rule files say about production's owners and grants."""

    mode: str = "skip"  # skip | keep
    where: Location | None = None  # the grants: line, None while it is the default
    roles: dict[str, str] = field(default_factory=dict)  # production role → staging role
    role_lines: dict[str, Location] = field(default_factory=dict)

    @property
    def keep(self) -> bool:
        return self.mode == "keep"

    def staging_role(self, role: str) -> str:
        return self.roles.get(role, role)


def read_grants(schema: LocatedDict, grants: SchemaGrants) -> list[ConfigError]:
    """Read ``grants:`` and ``roles:`` of one ``schema:`` section into ``grants``; the
    problems are returned (with file and line), not raised."""
    problems: list[ConfigError] = []
    if "grants" in schema:
        where, mode = schema.at("grants"), schema["grants"]
        if grants.where is not None:
            problems.append(
                ConfigError(f"{where}: schema.grants is already set in {grants.where}.")
            )
        elif mode not in GRANT_MODES:
            problems.append(
                ConfigError(
                    f"{where}: schema.grants is {mode!r}.",
                    hint="use skip (owners and grants left out, the default) or keep "
                    "(production's, with roles renamed by schema.roles).",
                )
            )
        else:
            grants.mode, grants.where = mode, where
    if "roles" in schema:
        problems += _read_roles(schema["roles"], schema.at("roles"), grants)
    return problems


def _read_roles(roles: Any, where: Location, grants: SchemaGrants) -> list[ConfigError]:
    if roles is None:
        return []
    if not isinstance(roles, LocatedDict):
        return [
            ConfigError(
                f"{where}: schema.roles must map production roles to staging roles.",
                hint=EXAMPLE,
            )
        ]
    problems = []
    for production, staging in roles.items():
        at = roles.at(production)
        if not isinstance(production, str) or not isinstance(staging, str) or not staging:
            problems.append(
                ConfigError(
                    f"{at}: schema.roles entry {production!r}: {staging!r} is not a production "
                    "role name and a staging role name.",
                    hint=EXAMPLE,
                )
            )
        elif production in grants.roles:
            problems.append(
                ConfigError(
                    f"{at}: schema.roles maps {production!r} already in "
                    f"{grants.role_lines[production]}."
                )
            )
        else:
            grants.roles[production], grants.role_lines[production] = staging, at
    return problems
