"""``sanitize scan`` proposing ``secret`` and ``{url: sandbox}``: credentials and live URLs found
by their column's name or by their values, with counts as evidence and never a value.

The credentials are made at run time by the demo's generator (fakes in the real services'
shapes), so the repository holds no key string.
"""

from __future__ import annotations

import sqlite3

import pytest
import yaml
from helpers.review_project import sanitize

from sanitizer.demo.generate.credentials import Credentials
from sanitizer.review.fields import propose_column
from sanitizer.schema import STRING, ColumnInfo, TableInfo

ROWS = 24


def integrations_table(project) -> list[str]:
    """A table whose credentials hide behind names that say nothing (``c1``, ``c2``) as well
    as names that say everything (``api_key``, ``webhook_url``); returns every value."""
    creds = Credentials(3)
    rows = []
    for i in range(ROWS):
        domain = f"customer{i}.example-shop.com"
        rows.append(
            (
                i,
                creds.stripe_key() if i % 2 else creds.github_token(),  # api_key
                creds.slack_bot_token(),  # c1: values only
                creds.slack_webhook(),  # c2: values only
                f"https://{domain}/hooks/relaydesk",  # webhook_url: the name says it
                creds.database_url(f"db.{domain}", "sync", "crm"),  # c3: values only
                f"Hello, the mails stopped yesterday. Please check, our key is "
                f"{creds.sendgrid_key()} and the account is the one on the invoice. Thanks!"
                if i % 3 == 0
                else "Thanks, all good now.",  # note: pasted into text
                "Bearer",  # token_type: about a token, not one
                f"SKU-{1000 + i}",
                f"https://status.{domain}/incidents",  # c4: a plain link, as detect finds it
            )
        )
    conn = sqlite3.connect(project / "prod.db")
    conn.execute(
        "CREATE TABLE integrations (id INTEGER PRIMARY KEY, api_key TEXT, c1 TEXT, c2 TEXT, "
        "webhook_url TEXT, c3 TEXT, note TEXT, token_type TEXT, sku TEXT, c4 TEXT)"
    )
    conn.executemany("INSERT INTO integrations VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    conn.commit()
    conn.close()
    pasted = [word for row in rows[::3] for word in row[6].split() if word.startswith("SG.")]
    return [v for row in rows for v in row[1:6]] + pasted


def test_scan_proposes_secret_and_sandbox_with_counts(project):
    values = integrations_table(project)
    result = sanitize(project, "scan", "app")
    assert result.code == 0, result.stderr
    proposed = yaml.safe_load(result.stdout)["tables"]["integrations"]
    assert proposed["api_key"] == "secret"
    assert proposed["c1"] == "secret"  # by its values alone
    assert proposed["c2"] == {"url": "sandbox"}
    assert proposed["c3"] == {"url": "sandbox"}
    assert proposed["webhook_url"] == {"url": "sandbox"}  # by its name
    assert proposed["c4"] == {"url": "sandbox"}  # what detect does to a URL, not a fake
    assert proposed["note"] == "detect"
    assert proposed["token_type"] == proposed["sku"] == "keep"
    assert f"{ROWS}/{ROWS} sampled values are credentials" in result.stdout
    assert f"{ROWS}/{ROWS} sampled values are live URLs" in result.stdout
    assert f"{ROWS // 3}/{ROWS} sampled values hold a credential or a live URL" in result.stdout
    for value in values:
        assert value not in result.stdout + result.stderr


def test_the_proposals_load_and_cover_the_table(project):
    integrations_table(project)
    result = sanitize(project, "scan", "app", "--write")
    assert result.code == 0, result.stderr
    check = sanitize(project, "rules", "check", "--live", SANITIZE_KEY="x" * 32)
    assert check.code == 0, check.stdout + check.stderr


NAMES = {
    "api_key": "secret",
    "client_secret": "secret",
    "oauth_refresh_token": "secret",
    "smtp_password": "secret",
    "webhook_url": {"url": "sandbox"},
    "callback_url": {"url": "sandbox"},
    "dsn": {"url": "sandbox"},
    "database_url": {"url": "sandbox"},
    "password_hash": {"constant": "!staging-disabled"},  # a login: nobody logs in to staging
    "token_type": "keep",  # about a token, not one
    "secretary": "keep",
}


@pytest.mark.parametrize(("name", "rule"), NAMES.items(), ids=NAMES)
def test_names_alone_propose_secret_and_sandbox(name: str, rule: object) -> None:
    column = ColumnInfo(name=name, kind=STRING, sql_type="TEXT")
    table = TableInfo(name="integrations", columns={name: column})
    assert propose_column(table, column, [], {}).rule == rule
