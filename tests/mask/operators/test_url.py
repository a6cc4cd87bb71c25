"""``{url: sandbox}``: URLs keep their shape and point at a sandbox or a configured sink."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from sanitizer.config.secret_settings import SecretsSettings
from sanitizer.config.yamlfile import Location
from sanitizer.errors import ConfigError
from sanitizer.mask.operators import parse_rule
from sanitizer.mask.operators.base import MaskContext
from sanitizer.mask.pseudonyms import Keyring
from sanitizer.mask.secrets import sandbox_url
from sanitizer.schema import STRING, ColumnInfo

KEY = b"unit-test-key-0123456789abcdef"
WHERE = Location("rules/app.yaml", 12)
COLUMN = ColumnInfo(name="webhook_url", kind=STRING, sql_type="TEXT")


def test_url_sandbox_matches_sandbox_url(mask):
    urls = ["https://hooks.acme.io/in/Ab12Cd34?sig=abcdef123456", "https://acme.io/x"]
    out = mask({"url": "sandbox"}, urls)
    assert out == [sandbox_url(u, KEY) for u in urls]
    assert all((urlsplit(o).hostname or "").endswith(".sandbox.invalid") for o in out)


def test_url_sandbox_uses_the_configured_sinks():
    op = parse_rule({"url": "sandbox"}, WHERE)
    op.secrets = SecretsSettings(sinks={"default": "sandbox.invalid", "slack": "inbox.test"})
    ctx = MaskContext(Keyring(KEY), COLUMN)
    out = op.mask_values(["https://hooks.slack.com/services/T1/B2/abcdefgh"], ctx)
    assert out[0].startswith("https://inbox.test/services/")


def test_values_without_a_host_may_stay():
    op = parse_rule({"url": "sandbox"}, WHERE)
    assert op.stays("n/a", COLUMN) and op.stays("none yet", COLUMN)
    assert not op.stays("https://acme.io/x", COLUMN)
    assert not op.stays("hooks.acme.io/in/1", COLUMN)


@pytest.mark.parametrize("argument", [None, "fake", {"mode": "sandbox"}])
def test_url_needs_the_sandbox_mode(argument):
    with pytest.raises(ConfigError, match=r"rules/app\.yaml:12: url: unknown mode"):
        parse_rule({"url": argument}, WHERE)
