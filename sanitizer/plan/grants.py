"""``schema: grants: keep`` checked in the plan step, before anything is written.

Production's owners, grants and policies name roles; staging must have each of them once
``schema: roles:`` has renamed them, and the staging role must be allowed to give objects to
them. Every role that fails is named in one error with the ``roles:`` entry to add, so
``--dry-run`` catches it too (docs/rules.md). Grants are PostgreSQL's only: MySQL and MariaDB
keep them at server level (docs/stores.md).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sanitizer.config.keys import did_you_mean
from sanitizer.config.rules import SourceRules
from sanitizer.errors import ConfigError, ConfigErrors

# (every role staging's server has, those its user may give objects to or None: any)
StagingRoles = Callable[[], tuple[set[str], set[str] | None]]


def grant_rule_problems(rules: SourceRules, dialect: str) -> list[ConfigError]:
    """``grants: keep`` on a source whose grants are not the schema's to copy."""
    grants = rules.grants
    if not grants.keep or dialect == "postgresql":
        return []
    where = grants.where or (rules.files[0] if rules.files else "rules/")
    if dialect in ("mysql", "mariadb"):
        why = (
            "MySQL and MariaDB keep grants at server level (mysql.db, mysql.tables_priv), "
            "outside the database staging copies, and staging's objects belong to its user"
        )
    else:
        why = f"a {dialect} database has no owners or grants to copy"
    return [
        ConfigError(
            f"{where}: schema.grants: keep is for PostgreSQL sources; source "
            f"{rules.source!r} is {dialect}: {why}.",
            hint="remove schema.grants (and schema.roles), or set grants: skip.",
        )
    ]


def grants_note(rules: SourceRules, dialect: str) -> str | None:
    """What the receipt and ``--dry-run`` say about owners and grants (None: no such thing)."""
    if dialect in ("mysql", "mariadb"):
        return "left out (MySQL/MariaDB keep grants at server level)"
    if dialect != "postgresql":
        return None
    if not rules.grants.keep:
        return "owners and grants left out (schema.grants: skip)"
    mapped = ", ".join(f"{a} -> {b}" for a, b in sorted(rules.grants.roles.items()))
    return "owners and grants kept (schema.grants: keep)" + (
        f", roles mapped: {mapped}" if mapped else ""
    )


def keep_grants(rules: SourceRules, dump: Any, staging: StagingRoles) -> None:
    """Rename the roles ``dump``'s owners, grants and policies name (``dump.map_roles``);
    a role staging lacks, or the staging role may not give objects to, stops the run here
    (one error naming each, and the ``roles:`` entry to add). Nothing is written."""
    grants = rules.grants
    if not grants.keep or dump is None or not hasattr(dump, "map_roles"):
        return
    production: set[str] = dump.roles()
    problems: list[ConfigError] = []
    for role, at in grants.role_lines.items():
        if role not in production:
            problems.append(
                ConfigError(
                    f"{at}: schema.roles maps {role!r}, a role none of production's owners, "
                    f"grants or policies names in source {rules.source!r}.",
                    hint=did_you_mean(role, sorted(production), "remove the entry."),
                )
            )
    existing, may_become = staging()
    missing = sorted(r for r in production if grants.staging_role(r) not in existing)
    if missing:
        problems.append(_missing(rules, missing))
    elif may_become is not None:
        owners: set[str] = dump.roles(owners=True)
        barred = sorted(r for r in owners if grants.staging_role(r) not in may_become)
        if barred:
            problems.append(_barred(rules, barred))
    if problems:
        raise ConfigErrors(problems)
    dump.map_roles(grants.roles)


def _missing(rules: SourceRules, missing: list[str]) -> ConfigError:
    grants, where = rules.grants, rules.grants.where
    described = []
    for role in missing:
        staging = grants.staging_role(role)
        if staging != role:
            described.append(
                f"{staging!r} (schema.roles maps production's {role!r} to it in "
                f"{grants.role_lines[role]})"
            )
        else:
            described.append(f"{role!r} (production's, with no schema.roles entry)")
    snippet = "\n".join(["schema:", "  roles:", *(f"    {r}: <staging role>" for r in missing)])
    count = len(missing)
    return ConfigError(
        f"{where}: schema.grants: keep gives staging's objects and grants to "
        f"{count} role{'s' if count != 1 else ''} staging does not have: "
        f"{', '.join(described)}. Nothing was written.\nMap each production role to a role "
        f"staging has, in {rules.files[0] if rules.files else 'the rule file'}:\n\n{snippet}\n",
        hint="add the roles: entries above (or create the roles in staging), or set "
        "schema.grants: skip to leave owners and grants out.",
    )


def _barred(rules: SourceRules, barred: list[str]) -> ConfigError:
    grants = rules.grants
    roles = ", ".join(repr(grants.staging_role(r)) for r in barred)
    return ConfigError(
        f"{grants.where}: schema.grants: keep gives staging's objects (or their default "
        f"privileges, or grants they made) to {roles}, and the staging role is not a member "
        f"of {'it' if len(barred) == 1 else 'them'}: PostgreSQL lets only a member (or a "
        "superuser) act for a role. Nothing was written.",
        hint="grant each of them to the staging role (GRANT <role> TO <staging role>), map "
        "them to other roles in schema.roles, or set schema.grants: skip.",
    )
