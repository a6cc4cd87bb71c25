"""``schema: grants:`` / ``roles:`` read with file:line, and checked against staging's roles."""

from __future__ import annotations

import pytest

from sanitizer.errors import ConfigError
from sanitizer.plan.grants import grant_rule_problems, grants_note, keep_grants
from sanitizer.plan.rules import rules_from_texts

KEEP = "schema:\n  grants: keep\n  roles:\n    app_rw: staging_app\n    reporting: staging_rep\n"


def rules(schema: str):
    text = f"source: app\n{schema}tables: {{}}\n"
    return rules_from_texts({"rules/app.yaml": text}, ["app"])["app"]


class FakeDump:
    """What keep_grants needs of a PgSchema: the roles it names, and the renaming."""

    def __init__(self, roles: set[str], owners: set[str] | None = None) -> None:
        self.named, self.owners, self.mapping = roles, owners or set(), None

    def roles(self, owners: bool = False) -> set[str]:
        return set(self.owners if owners else self.named)

    def map_roles(self, mapping: dict[str, str]) -> None:
        self.mapping = mapping


def test_grants_and_roles_are_read_with_their_lines() -> None:
    read = rules(KEEP)
    assert read.grants.keep and str(read.grants.where) == "rules/app.yaml:3"
    assert read.grants.roles == {"app_rw": "staging_app", "reporting": "staging_rep"}
    assert str(read.grants.role_lines["reporting"]) == "rules/app.yaml:6"
    assert not rules("").grants.keep  # skip is the default


@pytest.mark.parametrize(
    ("schema", "fragment"),
    [
        ("schema:\n  grants: yes\n", "schema.grants is True"),
        ("schema:\n  grants: copy\n", "use skip"),
        ("schema:\n  roles: [a]\n", "schema.roles must map production roles"),
        ("schema:\n  roles:\n    a: {b: c}\n", "is not a production role name"),
        ("schema:\n  grant: keep\n", "did you mean 'grants'"),
    ],
)
def test_a_wrong_setting_names_its_line(schema: str, fragment: str) -> None:
    with pytest.raises(ConfigError) as info:
        rules(schema)
    assert fragment in str(info.value) and "rules/app.yaml:" in str(info.value)


def test_keep_on_a_mysql_source_is_a_rule_error() -> None:
    (problem,) = grant_rule_problems(rules(KEEP), "mysql")
    assert str(problem).startswith("rules/app.yaml:3: schema.grants: keep is for PostgreSQL")
    assert "server level" in str(problem)
    assert grant_rule_problems(rules(KEEP), "postgresql") == []
    assert grant_rule_problems(rules(""), "mysql") == []


def test_the_receipt_says_what_became_of_owners_and_grants() -> None:
    assert (
        grants_note(rules(""), "postgresql") == "owners and grants left out (schema.grants: skip)"
    )
    assert "roles mapped: app_rw -> staging_app" in str(grants_note(rules(KEEP), "postgresql"))
    assert "server level" in str(grants_note(rules(""), "mariadb"))
    assert grants_note(rules(""), "sqlite") is None


def test_every_role_staging_lacks_is_named_with_the_entry_to_add() -> None:
    dump = FakeDump({"app_rw", "reporting", "auditor", "pg_database_owner"})
    with pytest.raises(ConfigError) as info:
        keep_grants(rules(KEEP), dump, lambda: ({"staging_app", "pg_database_owner"}, None))
    message = str(info.value)
    assert message.startswith("rules/app.yaml:3: schema.grants: keep gives staging's objects")
    assert "2 roles staging does not have" in message
    assert "'auditor' (production's, with no schema.roles entry)" in message
    assert "'staging_rep' (schema.roles maps production's 'reporting' to it in " in message
    assert "    auditor: <staging role>\n    reporting: <staging role>" in message
    assert dump.mapping is None  # nothing renamed, nothing written


def test_a_roles_entry_no_grant_names_is_an_error() -> None:
    dump = FakeDump({"app_rw"})
    with pytest.raises(ConfigError) as info:
        keep_grants(rules(KEEP), dump, lambda: ({"staging_app"}, None))
    assert "rules/app.yaml:6: schema.roles maps 'reporting', a role none of" in str(info.value)


def test_the_staging_role_must_be_a_member_of_the_roles_that_own() -> None:
    dump = FakeDump({"app_rw", "reporting"}, owners={"app_rw"})
    everyone = {"staging_app", "staging_rep"}
    with pytest.raises(ConfigError) as info:
        keep_grants(rules(KEEP), dump, lambda: (everyone, {"staging_rep"}))
    assert "'staging_app', and the staging role is not a member of it" in str(info.value)
    keep_grants(rules(KEEP), dump, lambda: (everyone, {"staging_app"}))  # grantees need not
    assert dump.mapping == {"app_rw": "staging_app", "reporting": "staging_rep"}


def test_nothing_is_checked_with_grants_skip() -> None:
    dump = FakeDump({"app_rw"})
    keep_grants(rules(""), dump, lambda: pytest.fail("staging is not read"))  # type: ignore[arg-type,return-value]
    assert dump.mapping is None
