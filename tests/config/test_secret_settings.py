"""The ``secrets:`` section of sanitize.yaml: sinks and the allow list, with clear errors."""

from __future__ import annotations

import pytest
from test_settings import KEY, VALID, settings_error, write

from sanitizer.config.secret_settings import DEFAULT_SINK, SecretsSettings
from sanitizer.config.settings import load_settings


def test_absent_means_the_defaults(tmp_path):
    settings = load_settings(write(tmp_path, VALID), {"SANITIZE_KEY": KEY})
    assert settings.secrets == SecretsSettings()
    assert settings.secrets.sinks == {"default": DEFAULT_SINK}
    assert settings.secrets.allow == frozenset()


def test_sinks_and_allow(tmp_path):
    text = VALID + (
        "secrets:\n"
        "  sinks:\n"
        "    default: sandbox.invalid\n"
        "    smtp: Mail.Staging.test:1025\n"
        "    hooks.slack.com: hooks.staging.test\n"
        "  allow: ['${PUBLIC_TEST_KEY}']\n"
    )
    env = {"SANITIZE_KEY": KEY, "PUBLIC_TEST_KEY": "pk_test_public_demo_value"}
    secrets = load_settings(write(tmp_path, text), env).secrets
    assert secrets.sinks == {
        "default": "sandbox.invalid",
        "smtp": "mail.staging.test:1025",
        "hooks.slack.com": "hooks.staging.test",
    }
    assert secrets.allow == frozenset({"pk_test_public_demo_value"})
    assert "pk_test" not in repr(secrets)  # allowed values stay out of reprs and logs


@pytest.mark.parametrize(
    ("section", "fragment"),
    [
        ("secrets: [a]\n", "secrets must be a mapping"),
        ("secrets:\n  sink: {}\n", "unknown key 'sink' in secrets"),
        ("secrets:\n  sinks: [a]\n", "secrets.sinks must be a mapping"),
        ("secrets:\n  sinks:\n    smtp: https://mail.test/x\n", "must be a host name"),
        ("secrets:\n  sinks:\n    SMTP Box: mail.test\n", "is not a sink name"),
        ("secrets:\n  allow: pk_test_x\n", "secrets.allow must be a list"),
        ("secrets:\n  allow: [1]\n", "secrets.allow must be a list"),
    ],
)
def test_errors_name_the_line_and_the_fix(tmp_path, section, fragment):
    message = settings_error(tmp_path, VALID + section)
    assert fragment in message
    assert "fix:" in message
