"""sanitize payload: one JSON document → a replay fixture with staging's pseudonyms."""

from __future__ import annotations

import json

from click.testing import CliRunner

from sanitizer.cli import main
from sanitizer.config.yamlfile import Location
from sanitizer.mask.operators import parse_rule
from sanitizer.mask.operators.base import MaskContext
from sanitizer.mask.pseudonyms import Keyring
from sanitizer.schema import ColumnInfo

KEY = "payload-test-key-0123456789"
RULES = """source: app
tables:
  runs:
    id: keep
    payload:
      json:
        "$.customer.email": {fake: email}
        "$.customer.name": {fake: name}
        "$.notes": {detect: [EMAIL_ADDRESS]}
        "$.**": keep
  contacts:
    id: keep
    email: {fake: email}
"""
PAYLOAD = {
    "customer": {"email": "jane.doe@corp.com", "name": "Jane Doe"},
    "notes": "Reply to jane.doe@corp.com please",
    "amount": 12.5,
}


def project(tmp_path):
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "app.yaml").write_text(RULES)
    config = tmp_path / "sanitize.yaml"
    config.write_text(
        "rules: rules/\nkey: ${SANITIZE_KEY}\n"
        "sources:\n  app: {kind: sql, url: 'sqlite:///prod.db'}\n"
        "targets:\n  app: {kind: sql, url: 'sqlite:///staging.db'}\n"
    )
    return config


def column_fake(value: str) -> str:
    """What the contacts.email column rule makes of a value with the same key."""
    op = parse_rule({"fake": "email"}, Location("t", 1))
    ctx = MaskContext(Keyring(KEY.encode()), ColumnInfo("email", "string", "TEXT"))
    return op.mask_values([value], ctx)[0]


def test_payload_gets_the_same_pseudonyms_as_columns_and_keeps_its_shape(tmp_path):
    config = project(tmp_path)
    source = tmp_path / "incident.json"
    source.write_text(json.dumps(PAYLOAD, indent=2))
    result = CliRunner().invoke(
        main,
        ["payload", str(source), "--rule", "app.runs.payload", "--config", str(config)],
        env={"SANITIZE_KEY": KEY},
    )
    assert result.exit_code == 0, result.output
    fixture = json.loads(result.output)
    fake = column_fake("jane.doe@corp.com")
    assert fixture["customer"]["email"] == fake
    assert fixture["notes"] == f"Reply to {fake} please"
    assert fixture["customer"]["name"] != "Jane Doe"
    assert fixture["amount"] == 12.5
    assert list(fixture) == list(PAYLOAD)
    assert result.output.startswith('{\n  "customer": {\n    "email"')  # indentation kept
    assert "jane.doe@corp.com" not in result.output


def test_payload_errors_are_one_paragraph_with_the_exit_code(tmp_path):
    config = project(tmp_path)
    broken = tmp_path / "broken.json"
    broken.write_text('{"customer": {"email": "jane.doe@corp.com"')
    runner = CliRunner()
    result = runner.invoke(
        main,
        ["payload", str(broken), "--rule", "app.runs.payload", "--config", str(config)],
        env={"SANITIZE_KEY": KEY},
    )
    assert result.exit_code == 2
    assert "not valid JSON" in result.output and "jane.doe" not in result.output
    good = tmp_path / "good.json"
    good.write_text("{}")
    result = runner.invoke(
        main,
        ["payload", str(good), "--rule", "app.runs.nope", "--config", str(config)],
        env={"SANITIZE_KEY": KEY},
    )
    assert result.exit_code == 2 and "app.runs.payload" in result.output
    assert "Traceback" not in result.output
