"""sandbox_url: the host moves to a sandbox, the path keeps its shape, credentials go."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from sanitizer.mask.secrets import SecretsSettings, find_secrets, sandbox_url

KEY = b"unit-test-key-0123456789abcdef"
SINKS = SecretsSettings(
    sinks={
        "default": "sandbox.invalid",
        "smtp": "mail.staging.test:1025",
        "slack": "hooks.staging.test",
    }
)


def test_host_moves_path_shape_kept() -> None:
    url = "https://api.acme-corp.com/v1/webhooks/AbC123xyz99/events?format=json"
    out = sandbox_url(url, KEY)
    parts = urlsplit(out)
    assert re.fullmatch(r"[0-9a-f]{12}\.sandbox\.invalid", parts.hostname or "")
    segments = parts.path.split("/")
    assert segments[:4] == ["", "v1", "webhooks", segments[3]]
    assert segments[4] == "events"
    assert len(segments[3]) == len("AbC123xyz99") and segments[3] != "AbC123xyz99"
    assert parts.query == "format=json"
    assert sandbox_url(url, KEY) == out


def test_same_host_same_sandbox_host() -> None:
    a = urlsplit(sandbox_url("https://acme.io/a", KEY)).hostname
    b = urlsplit(sandbox_url("https://ACME.io/b/c", KEY)).hostname
    c = urlsplit(sandbox_url("https://other.io/a", KEY)).hostname
    assert a == b != c


def test_credentials_replaced() -> None:
    url = "https://bob:pa55w0rdXYZ@api.acme.io/cb?access_token=abcDEF123456ghi&x=1#state=zz99AA"
    out = sandbox_url(url, KEY)
    parts = urlsplit(out)
    assert parts.username != "bob" and len(parts.username or "") == 3
    assert parts.password and parts.password != "pa55w0rdXYZ" and len(parts.password) == 11
    assert "abcDEF123456ghi" not in out and "access_token=" in out and "&x=1" in out
    assert find_secrets(out) == []


def test_database_urls_point_at_nothing() -> None:
    url = "postgresql+psycopg://app:s3cret99@db.prod.acme.io:5432/acme"
    out = sandbox_url(url, KEY, SINKS)
    parts = urlsplit(out)
    assert parts.scheme == "postgresql+psycopg" and parts.port == 5432
    assert (parts.hostname or "").endswith(".sandbox.invalid")
    assert parts.path == "/acme"
    multi = sandbox_url("mongodb://u:pw1234567@h1.acme.io:27017,h2.acme.io:27017/db", KEY)
    assert multi.count(".sandbox.invalid:27017") == 2


def test_named_sinks() -> None:
    smtp = sandbox_url("smtp://mailer:pw99887766@smtp.sendgrid.net:587", KEY, SINKS)
    assert urlsplit(smtp).hostname == "mail.staging.test" and urlsplit(smtp).port == 1025
    slack = sandbox_url("https://hooks.slack.com/services/T01/B02/abcdefghij", KEY, SINKS)
    assert slack.startswith("https://hooks.staging.test/services/")
    other = sandbox_url("https://example.org/x", KEY, SecretsSettings(sinks={"default": "s.test"}))
    assert (urlsplit(other).hostname or "").endswith(".s.test")


def test_url_inside_a_parameter_is_sandboxed() -> None:
    out = sandbox_url("https://auth.acme.io/login?redirect_uri=https%3A%2F%2Fapp.acme.io%2Fcb", KEY)
    assert "acme.io" not in out
    assert "redirect_uri=https%3A%2F%2F" in out


@pytest.mark.parametrize(
    "url",
    [
        "hooks.slack.com/services/T0/B0/xyz",
        "mailto:jane@acme.io?subject=hi",
        "ws://10.0.0.5:8080/socket",
        "https://[2001:db8::1]:8443/x",
        "api.acme.io:8443/v1/hooks",
        "localhost.acme.io:80",
    ],
)
def test_other_forms(url: str) -> None:
    out = sandbox_url(url, KEY)
    assert out != url
    assert "acme.io" not in out and "slack.com" not in out and "10.0.0.5" not in out


@pytest.mark.parametrize("text", ["n/a", "pending", "", "  "])
def test_values_without_a_host_stay(text: str) -> None:
    assert sandbox_url(text, KEY) == text


def test_neutralized_urls_to_a_real_sink_are_not_found_again() -> None:
    sinks = SecretsSettings(sinks={"default": "sandbox.staging.acme.io", "smtp": "mail.acme.io"})
    smtp = sandbox_url("smtp://u:Pa55word99x@smtp.sendgrid.net:587", KEY, sinks)
    hook = sandbox_url("https://api.shop.com/cb?token=abcDEF123456&x=1", KEY, sinks)
    assert urlsplit(smtp).hostname == "mail.acme.io"
    assert (urlsplit(hook).hostname or "").endswith(".sandbox.staging.acme.io")
    assert find_secrets(smtp) == [] and find_secrets(hook) == []  # marked credentials
    assert find_secrets(hook, settings=sinks) == []


def test_a_url_without_scheme_keeps_its_form() -> None:
    out = sandbox_url("api.acme.io:8443/v1/hooks", KEY)
    assert re.fullmatch(r"[0-9a-f]{12}\.sandbox\.invalid:8443/v1/hooks", out)
