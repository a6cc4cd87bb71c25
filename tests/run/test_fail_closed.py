"""Guarantee 1, fail closed: schema drift without rules stops the run before anything is written."""

from __future__ import annotations

import re

import sqlalchemy as sa
import yaml
from helpers.snapshot_runs import Runs, World

from sanitizer.errors import ExitCode

SECRET = "first pet: Rex the Third"


def add_drift(world: World) -> None:
    reader = sa.make_url(world.prod_url).username
    world.execute(
        "prod",
        "ALTER TABLE customers ADD COLUMN secret_answer varchar(100)",
        f"UPDATE customers SET secret_answer = '{SECRET}' WHERE id = 1",
        "CREATE TABLE loyalty_cards (id integer PRIMARY KEY, holder_email varchar(254))",
        "INSERT INTO loyalty_cards VALUES (1, 'ana.souza@corp.com.br')",
    )
    if world.dialect == "postgres":
        world.execute("prod", f'GRANT SELECT ON loyalty_cards TO "{reader}"')


def remove_drift(world: World) -> None:
    world.execute(
        "prod", "ALTER TABLE customers DROP COLUMN secret_answer", "DROP TABLE loyalty_cards"
    )


def snippet(stderr: str) -> dict:
    """The paste-ready YAML the error shows, parsed."""
    match = re.search(r"^tables:\n(?:[ ]{2}.*\n?)+", stderr, re.MULTILINE)
    assert match, stderr
    return yaml.safe_load(match.group())


def test_a_column_or_table_without_rules_stops_the_run(world: World, runs: Runs) -> None:
    data, schema = world.dump("staging"), world.schema("staging")
    add_drift(world)
    try:
        result = world.run()
    finally:
        remove_drift(world)

    assert result.returncode == ExitCode.CONFIG, result.describe()
    assert "customers.secret_answer" in result.stderr
    assert "loyalty_cards.holder_email" in result.stderr
    rules = snippet(result.stderr)["tables"]
    assert "secret_answer" in rules["customers"]
    assert set(rules["loyalty_cards"]) == {"id", "holder_email"}
    for text in (result.stdout, result.stderr, result.receipt_text):
        assert SECRET not in text and "ana.souza@corp.com.br" not in text
    # Nothing was written: no table was loaded, no shadow is left, staging is as it was.
    assert result.receipt["status"] == "failed" and result.receipt["tables"] == {}
    assert world.shadows() == []
    assert world.dump("staging") == data
    assert world.schema("staging") == schema
