"""``sanitize scan``: proposals from value evidence and column names, counts not values, and
``--write`` that adds to the rule files without touching existing rules."""

from __future__ import annotations

import sqlite3

import yaml
from helpers.review_project import sanitize

from sanitizer.errors import ExitCode

PEOPLE = [
    ("Maria Gonzalez", "maria.gonzalez@mailbox-one.com", "+1 (415) 555-0132", "12 Baker Street"),
    ("Tom Becker", "t.becker@post-two.de", "+49 30 1234567", "Hauptstraße 5"),
    ("Aiko Tanaka", "aiko.t@inbox-three.jp", "+44 20 7946 0958", "221 Elm Avenue"),
    ("Peter Novak", "pnovak@four-mail.cz", "+1 212 555 0199", "7 Oak Road"),
]


def unknown_database(project) -> None:
    """Column names that say nothing: the values must speak."""
    conn = sqlite3.connect(project / "prod.db")
    conn.execute(
        "CREATE TABLE ledger (k INTEGER PRIMARY KEY, f1 TEXT, f2 TEXT, f3 TEXT, f4 TEXT, "
        "sku TEXT, qty INTEGER, state TEXT)"
    )
    rows = [
        (i, name, mail, phone, street, f"SKU-{1000 + i}", i % 7, "open")
        for i, (name, mail, phone, street) in enumerate(PEOPLE * 10)
    ]
    conn.executemany("INSERT INTO ledger VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
    conn.commit()
    conn.close()


def proposals(output: str) -> dict[str, str]:
    tables = yaml.safe_load(output)["tables"]
    return tables["ledger"]


def test_scan_proposes_fakes_for_pii_and_keep_for_business_columns(project):
    unknown_database(project)
    result = sanitize(project, "scan", "app")
    assert result.code == 0, result.stderr
    ledger = proposals(result.stdout)
    assert ledger["f1"] == {"fake": "name"}
    assert ledger["f2"] == {"fake": "email"}
    assert ledger["f3"] == {"fake": "phone"}
    assert ledger["f4"] in ({"fake": "street"}, {"fake": "address"}, "detect")
    assert ledger["sku"] == ledger["qty"] == ledger["state"] == "keep"
    assert "40/40 sampled values are EMAIL_ADDRESS" in result.stdout  # evidence as counts
    for name, mail, phone, street in PEOPLE:
        for value in (name, mail, phone, street):
            assert value not in result.stdout + result.stderr


def test_scan_write_adds_only_what_has_no_rule(project):
    unknown_database(project)
    rules = project / "rules" / "app.yaml"
    before = rules.read_text()
    result = sanitize(project, "scan", "app", "--write")
    assert result.code == 0, result.stderr
    after = rules.read_text()
    assert after.startswith(before)  # every existing line as it was, in place
    added = yaml.safe_load(after)["tables"]
    assert added["customers"]["email"] == {"fake": "email", "unique": True}  # untouched
    assert added["ledger"]["f2"] == {"fake": "email"}
    assert set(added["ledger"]) == {"k", "f1", "f2", "f3", "f4", "sku", "qty", "state"}
    check = sanitize(project, "rules", "check", "--live", SANITIZE_KEY="x" * 32)
    assert check.code == 0, check.stdout


def test_scan_of_an_unknown_source_names_the_known_ones(project):
    result = sanitize(project, "scan", "nope")
    assert result.code == ExitCode.CONFIG
    assert "use one of app" in result.stderr
