"""load_rules gives every operator, nested ones too, sanitize.yaml's ``secrets:`` settings."""

from __future__ import annotations

import textwrap

from sanitizer.config.secret_settings import SecretsSettings
from sanitizer.plan.rules import load_rules

RULES = """\
source: app
tables:
  integrations:
    api_key: secret
    webhook_url: {url: sandbox}
    config: {json: {"$.smtp.password": secret, "$.smtp.url": {url: sandbox}, "$.**": keep}}
    notes: {detect: [SECRET, URL]}
    tags: {each: {url: sandbox}}
"""


def test_secrets_reach_nested_operators(tmp_path):
    (tmp_path / "app.yaml").write_text(textwrap.dedent(RULES), encoding="utf-8")
    secrets = SecretsSettings(sinks={"default": "sandbox.invalid", "smtp": "mail.test"})
    table = load_rules(tmp_path, ["app"], secrets)["app"].tables["integrations"]
    ops = [op for top in table.columns.values() for op in top.operators()]
    assert {op.name for op in ops} >= {"secret", "url", "json", "detect", "each"}
    assert all(op.secrets is secrets for op in ops)
    plain = load_rules(tmp_path, ["app"])["app"].tables["integrations"]
    assert all(op.secrets is None for top in plain.columns.values() for op in top.operators())
