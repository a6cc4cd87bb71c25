"""find_secrets / looks_like_secret: one case per rule family, and what must not be found."""

from __future__ import annotations

import pytest
from helpers.credentials import MAKERS, make, private_keys

from sanitizer.mask.secrets import SecretsSettings, find_secrets, looks_like_secret


@pytest.mark.parametrize("service", sorted(MAKERS))
@pytest.mark.parametrize(
    "template", ["{}", "api_key = '{}'\n", '{{"token": "{}"}}', "pasted this: {} - thanks!"]
)
def test_each_service_is_found_exactly(service: str, template: str) -> None:
    rule, _ = MAKERS[service]
    value = make(service)
    text = template.format(value)
    hits = find_secrets(text)
    assert [(text[h.start : h.end], h.rule) for h in hits] == [(value, rule)]


@pytest.mark.parametrize("header", list(private_keys()))
def test_private_keys_are_found_whole(header: str) -> None:
    key = private_keys()[header]
    text = f"config:\n{key}\nmore"
    hits = find_secrets(text)
    assert [(h.kind, h.rule) for h in hits] == [("private_key", "private-key")]
    assert text[hits[0].start : hits[0].end].startswith(f"-----BEGIN {header}-----")


def test_private_key_written_with_json_escapes_is_found() -> None:
    key = private_keys()["EC PRIVATE KEY"].replace("\n", "\\n")
    hits = find_secrets(f'{{"key": "{key}"}}')
    assert [h.kind for h in hits] == ["private_key"]


@pytest.mark.parametrize(
    ("text", "rule", "found"),
    [
        ("password=Hunter2!x", "keyword-context", "Hunter2!x"),
        ("db_password: 'c0rrect-h0rse'", "keyword-context", "c0rrect-h0rse"),
        ("SMTP_PASSWORD=correcthorsebatterystaple", "keyword-context", None),
        ("client_secret => ABCdef123456", "keyword-context", "ABCdef123456"),
    ],
)
def test_keyword_context(text: str, rule: str, found: str | None) -> None:
    hits = find_secrets(text)
    assert hits, text
    assert hits[0].rule in (rule, "generic-api-key")
    if found:
        assert text[hits[0].start : hits[0].end] == found


@pytest.mark.parametrize(
    "text",
    [
        "Your password: please reset it",
        "the token: expired yesterday",
        "password=********",
        "password=${DB_PASSWORD}",
        "api_key: <redacted>",
        "see https://docs.acme.com/guide?page=2 for details",
        "order 4417 shipped, key points: none",
        "id 3f2a1b4c-9d8e-4f7a-8b6c-5d4e3f2a1b0c",
        "postgresql://app@localhost:5432/app",
        "https://user:pw123456@abc.sandbox.invalid/x",
    ],
)
def test_not_secrets(text: str) -> None:
    assert find_secrets(text) == []


@pytest.mark.parametrize(
    ("url", "rule", "kind"),
    [
        ("postgresql://app:s3cretpw@db.prod.acme.io:5432/app", "database-url", "dsn"),
        ("mongodb+srv://svc:pw9911@cluster0.abcde.mongodb.net/db", "database-url", "dsn"),
        ("redis://cache.acme.io:6379/0", "database-url", "dsn"),
        ("https://bob:pa55w0rd@api.acme.io/v1", "url-userinfo", "url"),
        ("https://api.acme.io/cb?access_token=abc123def456", "url-token-param", "url"),
        ("https://files.acme.io/a.pdf?X-Amz-Signature=9f8e7d6c5b4a", "url-token-param", "url"),
    ],
)
def test_urls_with_credentials(url: str, rule: str, kind: str) -> None:
    text = f"callback <{url}>."
    hits = find_secrets(text)
    assert [(text[h.start : h.end], h.rule, h.kind) for h in hits] == [(url, rule, kind)]


def test_allow_list_and_sinks() -> None:
    value = make("stripe")
    settings = SecretsSettings(
        sinks={"default": "sandbox.invalid", "smtp": "mail.staging.acme.io"},
        allow=frozenset({value}),
    )
    assert find_secrets(value, settings=settings) == []
    assert find_secrets("smtp://u:pw123456@mail.staging.acme.io:25", settings=settings) == []
    assert find_secrets("smtp://u:pw123456@mail.staging.acme.io:25") != []


@pytest.mark.parametrize(
    ("value", "column", "rule"),
    [
        ("hunter2", "password", "column-hint:password"),
        ("abc123xyz", "refresh_token", "column-hint:refresh_token"),
        ("Zq81!mm", "client_secret", "column-hint:client_secret"),
        ("https://hooks.acme.io/in/42", "webhook_url", "column-hint:url"),
        ("postgres://db.acme.io/app", "dsn", "database-url"),
        ("mysql://db.acme.io/app", "database_url", "database-url"),
        ("wJalrXUtnFEMI/K7MDENG", "aws_secret_access_key", "column-hint:aws_secret_access_key"),
        ("s3cr3t-value", "stripe_secret_key", "column-hint:stripe_secret_key"),
    ],
)
def test_column_hints(value: str, column: str, rule: str) -> None:
    assert looks_like_secret(value, column) == rule
    if rule.startswith("column-hint"):
        assert looks_like_secret(value) is None


@pytest.mark.parametrize(
    ("value", "column"),
    [
        ("", "password"),
        ("********", "password"),
        ("https://example.com/hook", "webhook_url"),
        ("hello world", None),
        ("token", "token_type"),
        ("a8f5f167f44f4964e6c998dee827110c", "idempotency_key"),
        ("$2b$12$KIXQJ1lS1uT8eJ6P0nHq3O", "password_hash"),
        ("3f2a1b4c-9d8e-4f7a-8b6c-5d4e3f2a1b0c", "primary_key"),
    ],
)
def test_column_hints_not_everything(value: str, column: str | None) -> None:
    assert looks_like_secret(value, column) is None


def test_looks_like_secret_names_the_rule() -> None:
    assert looks_like_secret(make("aws")) == "aws-access-token"
    assert looks_like_secret(f"  {make('github')}  ") == "github-pat"


@pytest.mark.parametrize(
    ("text", "rule", "secret"),
    [
        ("bot 1234567890:AA" + "Bc1_" * 8 + "x ok", "telegram-bot-token", "1234567890:AA"),
        ('curl -H "Authorization: Basic dXNlcjpwYXNzd29yZDEy"', "curl-auth-header", "dXNlcjpw"),
        ("Authorization: Bearer abcDEF123456ghiJKL789", "authorization-header", "abcDEF12"),
        (
            "headers: {authorization: 'Token 9f8e7d6c5b4a39281706'}",
            "authorization-header",
            "9f8e7d",
        ),
    ],
)
def test_extra_rules(text: str, rule: str, secret: str) -> None:
    hits = find_secrets(text)
    assert [h.rule for h in hits] == [rule]
    assert text[hits[0].start : hits[0].end].startswith(secret)


@pytest.mark.parametrize(
    ("value", "column"),
    [
        ("abc1", "password"),
        ("hunter22", "db_password"),
        ("p@ss-w0rd!", "smtp_password"),
        ("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "aws_secret_access_key"),
    ],
)
def test_a_neutralized_column_value_is_not_a_secret_any_more(value: str, column: str) -> None:
    from sanitizer.mask.secrets import neutralize_secret

    assert looks_like_secret(value, column) is not None
    assert looks_like_secret(neutralize_secret(value, b"k" * 16), column) is None


def test_sinks_and_allowed_values_in_destination_columns() -> None:
    from sanitizer.mask.secrets import sandbox_url

    settings = SecretsSettings(
        sinks={"default": "sandbox.invalid", "hooks": "inbox.staging.acme.io"},
        allow=frozenset({"pk_test_demo"}),
    )
    moved = sandbox_url("https://hooks.customer.com/in/1", b"k" * 16, settings)
    assert moved.startswith("https://inbox.staging.acme.io/")
    assert looks_like_secret(moved, "webhook_url") == "column-hint:url"
    assert looks_like_secret(moved, "webhook_url", settings=settings) is None
    assert looks_like_secret("pk_test_demo", "api_key", settings=settings) is None


def test_a_rule_matching_part_of_a_neutralized_token_is_not_a_finding() -> None:
    """gitleaks' 40-character ``ghr_`` rule inside a 76-character one, and ``glpat-`` before
    the routing part: the mark sits at the end of the whole token."""
    from sanitizer.mask.secrets import neutralize_text

    key = b"k" * 32
    for token in (
        "ghr_" + "Ab3dE6gH9jK2mN5pQ8sT1vW4yZ7bC0eF3hJ6kM9nP2rS5uV8xY1aD4fG7iL0oR3tU6",
        "glpat-9m3kzfi7abgq9y0aot7cl1ilywp.exlw3ikg0",
    ):
        text = f'token = "{token}"'
        assert find_secrets(text), token
        out = neutralize_text(text, key)
        assert token not in out and find_secrets(out) == [], out


@pytest.mark.parametrize(
    "url",
    [
        "postgres://app:Hunter2xyz@example.com/prod",
        "https://deploy:S3cretPw9@api.example.com/hook",
        "mysql://root:Tr0ub4dor@db.internal.test:3306/app",
    ],
)
def test_a_password_on_a_reserved_host_is_still_replaced(url: str) -> None:
    from sanitizer.mask.secrets import neutralize_text

    password = url.split(":")[2].split("@")[0]
    assert find_secrets(f"dsn {url} end"), url
    out = neutralize_text(f"dsn {url} end", b"k" * 32)
    assert password not in out and find_secrets(out) == []


def test_a_password_on_a_sink_or_a_placeholder_is_not_a_finding() -> None:
    assert find_secrets("https://user:pw123456@abc.sandbox.invalid/x") == []
    assert find_secrets("postgres://user:${DB_PASSWORD}@example.com/x") == []


def test_discord_webhook_urls_are_found_and_sandboxed() -> None:
    from sanitizer.mask.secrets import neutralize_text

    token = "Xk3_pQ9vLm2RtY7wZb4NcJ8hFs6dGa1eKo5uTi0yVr-WqPxMnB2cD7fH3jL9sA4gE1kZ"
    url = f"https://discord.com/api/webhooks/1184465532127297676/{token}"
    (hit,) = find_secrets(f"hook: {url} end")
    assert hit.rule == "discord-webhook-url"
    out = neutralize_text(f"hook: {url} end", b"k" * 32)
    assert "discord.com" not in out and token not in out and ".invalid/api/webhooks/" in out


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("my token q8ZfW2mLr5TnB7xKc3VhJ9pD", "q8ZfW2mLr5TnB7xKc3VhJ9pD"),
        ("use api key 9f2c4e7a1b3d5f60819a2b3c4d5e6f70.", "9f2c4e7a1b3d5f60819a2b3c4d5e6f70"),
        ("the token validation_failed_again_today", None),  # no digit: words
        ("password reset-link-expired-yesterday", None),
        ("secret 1234567890123456789012345", None),  # digits only: not random-looking
    ],
)
def test_a_keyword_then_a_high_entropy_value_without_operator(text: str, found) -> None:
    hits = find_secrets(text)
    assert [text[h.start : h.end] for h in hits] == ([found] if found else [])


@pytest.mark.parametrize("column", ["authToken", "privateKey", "X-Api-Key", "clientSecret"])
def test_camel_case_and_header_names_are_hints(column: str) -> None:
    assert looks_like_secret("q8ZfW2mLr5TnB7xKc3VhJ9pD", column) is not None
    assert looks_like_secret("q8ZfW2mLr5TnB7xKc3VhJ9pD", "description") is None
