"""A whole run over an integrations table: secret, {url: sandbox}, JSON leaves and detect, with
sanitize.yaml's sinks; the same credential becomes the same value in every field."""

from __future__ import annotations

import json
import sqlite3
from urllib.parse import urlsplit

from helpers.credentials import make, private_keys
from helpers.snapshot_runs import cli_env, run_cli

from sanitizer.config.secret_settings import SecretsSettings
from sanitizer.mask.secrets import find_secrets, neutralize_secret, sandbox_url

KEY = "secrets-run-key-0123456789abcdef"
SINKS = SecretsSettings(sinks={"default": "sandbox.invalid", "smtp": "mail.staging.test:1025"})
RULES = """\
source: app
tables:
  integrations:
    id: keep
    api_key: secret
    webhook_url: {url: sandbox}
    config: {json: {"$.smtp.password": secret, "$.smtp.url": {url: sandbox}, "$.**": keep}}
    notes: detect
"""


def test_a_run_neutralizes_credentials_consistently(tmp_path):
    token, github, pem = make("stripe"), make("github"), private_keys()["EC PRIVATE KEY"]
    hook = "https://hooks.customer-shop.com/in/Ab12Cd34?token=zz9911aa00XY"
    smtp = "smtp://mailer:Sm7pPassw0rd@smtp.sendgrid.net:587"
    rows = [
        (
            1,
            token,
            hook,
            json.dumps({"smtp": {"url": smtp, "password": "Sm7pPassw0rd", "port": 587}}),
            f"rotated {token}; CI uses {github}; hook {hook}\n{pem}",
        ),
        (2, github, "n/a", json.dumps({"smtp": None}), "nothing secret here"),
    ]
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "app.yaml").write_text(RULES)
    with sqlite3.connect(tmp_path / "prod.db") as con:
        con.execute(
            "CREATE TABLE integrations (id INTEGER PRIMARY KEY, api_key TEXT, "
            "webhook_url TEXT, config TEXT, notes TEXT)"
        )
        con.executemany("INSERT INTO integrations VALUES (?, ?, ?, ?, ?)", rows)
    config = tmp_path / "sanitize.yaml"
    config.write_text(
        "rules: rules/\nkey: ${SANITIZE_KEY}\nreceipts: receipts\nworkers: 1\n"
        "secrets:\n  sinks: {default: sandbox.invalid, smtp: 'mail.staging.test:1025'}\n"
        "sources:\n  app: {kind: sql, url: 'sqlite:///prod.db'}\n"
        "targets:\n  app: {kind: sql, url: 'sqlite:///staging.db'}\n"
    )
    result = run_cli(config, cli_env(KEY))
    assert result.returncode == 0, result.describe()
    with sqlite3.connect(tmp_path / "staging.db") as con:
        staged = con.execute("SELECT * FROM integrations ORDER BY id").fetchall()
    (_, key1, hook1, config1, notes1), (_, key2, hook2, _, notes2) = staged
    key = KEY.encode()
    assert key1 == neutralize_secret(token, key) and key1.startswith("sk_test_")
    assert key2 == neutralize_secret(github, key)
    assert hook1 == sandbox_url(hook, key, SINKS) and hook2 == "n/a"
    smtp_out = json.loads(config1)["smtp"]
    assert urlsplit(smtp_out["url"]).hostname == "mail.staging.test"
    assert smtp_out["password"] == neutralize_secret("Sm7pPassw0rd", key)
    assert smtp_out["port"] == 587
    # the same credentials in free text become exactly what the column rules made
    assert key1 in notes1 and neutralize_secret(github, key) in notes1
    assert sandbox_url(hook, key, SINKS) in notes1
    assert "-----BEGIN EC PRIVATE KEY-----" in notes1 and pem.strip() not in notes1
    assert notes2 == "nothing secret here"
    for row in staged:
        for value in row[1:]:
            assert find_secrets(value, settings=SINKS) == [], value
