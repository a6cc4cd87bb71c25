"""``secret``: credentials neutralized in shape, consistently, in columns and JSON leaves."""

from __future__ import annotations

import json

import pytest
from helpers.credentials import MAKERS, make

from sanitizer.config.yamlfile import Location
from sanitizer.errors import ConfigError
from sanitizer.mask.operators import parse_rule
from sanitizer.mask.secrets import find_secrets, neutralize_secret

KEY = b"unit-test-key-0123456789abcdef"  # the mask fixture's key (tests/mask/conftest.py)


def test_secret_neutralizes_each_value_like_neutralize_secret(mask):
    values = [make(s) for s in sorted(MAKERS) if s != "slack-webhook"]
    out = mask("secret", values)
    assert out == [neutralize_secret(v, KEY) for v in values]
    assert all(o != v for o, v in zip(out, values, strict=True))
    assert all(len(o) == len(v) for o, v in zip(out, values, strict=True) if not v.startswith("ey"))
    assert all(find_secrets(o) == [] for o in out)


def test_secret_on_a_url_sandboxes_it(mask):
    out = mask("secret", ["smtp://mailer:pw99887766@smtp.sendgrid.net:587"])[0]
    assert out.startswith("smtp://") and ".sandbox.invalid:587" in out


def test_same_secret_same_value_in_a_column_and_a_json_leaf(mask):
    token = make("github")
    column = mask("secret", [token])[0]
    doc = json.dumps({"integrations": {"github": {"token": token}}, "name": "ci"})
    masked = mask({"json": {"$..token": "secret", "$.**": "keep"}}, [doc])[0]
    assert json.loads(masked)["integrations"]["github"]["token"] == column


def test_secret_is_unique_capable_and_redraws(mask):
    assert parse_rule({"secret": None, "unique": True}, Location("r.yaml", 1)).unique
    value = make("stripe")
    assert mask("secret", [value], attempt=1)[0] != mask("secret", [value])[0]


def test_secret_takes_no_argument():
    with pytest.raises(ConfigError, match="takes no argument"):
        parse_rule({"secret": "strong"}, Location("rules/app.yaml", 3))
