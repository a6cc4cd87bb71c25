"""Production destination hosts: learned from masked fields' production values, found in
staging texts wherever they occur — and the names that reach nobody never learned."""

from __future__ import annotations

import pytest

from sanitizer.verify.hosts import HostIndex


@pytest.fixture
def hosts() -> HostIndex:
    index = HostIndex(sinks=["mail.staging.test", "hooks.sink.corp.io"], allow=["status.io"])
    index.learn(
        [
            "jane.doe@acme-corp.com",
            "https://hooks.slack.com/services/T000/B000/XXXX",
            "postgres://app:pw@db-1.prod.internal:5432/app",
            "callback at http://10.20.30.40:8080/cb please",
            "api.billing-partner.de",
        ],
        "app.integrations.webhook_url",
    )
    return index


def test_hosts_of_urls_emails_and_bare_names_are_learned(hosts: HostIndex) -> None:
    assert set(hosts.hosts) == {
        "acme-corp.com",
        "hooks.slack.com",
        "db-1.prod.internal",
        "10.20.30.40",
        "api.billing-partner.de",
    }
    assert hosts.hosts["acme-corp.com"] == "app.integrations.webhook_url"


@pytest.mark.parametrize(
    "value",
    [
        "someone@gmail.com",  # a mailbox provider's domain names nobody
        "x@outlook.com",
        "x@example.com",  # reserved (RFC 2606)
        "https://ab12.sandbox.invalid/hook",  # reserved (RFC 6761)
        "https://shop.example/x",
        "smtp://relay.test:25",
        "http://localhost:8000/x",
        "http://127.0.0.1:9000/x",  # loopback
        "http://192.0.2.10/x",  # documentation range
        "https://mail.staging.test/x",  # a sink
        "https://a.hooks.sink.corp.io/x",  # under a sink
        "https://status.io/incidents",  # allowed
        "user@co.uk",  # a public suffix alone
        "http://redis:6379",  # one label: would match every word
        "report.pdf",  # not a name under a public suffix
        "Hello. World",
    ],
)
def test_names_that_reach_nobody_are_not_learned(value: str) -> None:
    index = HostIndex(sinks=["mail.staging.test", "hooks.sink.corp.io"], allow=["status.io"])
    assert index.learn([value], "f") == 0, index.hosts


def test_a_url_on_a_mailbox_provider_is_still_a_destination() -> None:
    index = HostIndex()
    index.learn(["https://mail.google.com/mail/u/0/#inbox"], "f")
    assert "mail.google.com" in index.hosts


@pytest.mark.parametrize(
    "text",
    [
        "write to Bob@ACME-CORP.com.",  # any case, end of a sentence
        "https://api.acme-corp.com/v1/orders",  # under a learned domain
        "POST hooks.slack.com/services/T1 now",
        "DATABASE_URL=mysql://u@db-1.prod.internal/x",
        '{"cb": "http://10.20.30.40:8080/"}',
        "see api.billing-partner.de",
    ],
)
def test_learned_hosts_are_found_anywhere(hosts: HostIndex, text: str) -> None:
    assert hosts.found_in(text) == "app.integrations.webhook_url"


@pytest.mark.parametrize(
    "text",
    [
        "slack.com is where we chat",  # above a learned host: not a destination of it
        "notacme-corp.com",
        "acme-corp.community",
        "10.20.30.41",
        "x.10.20.30.400",
        "billing-partner.de",
        "https://f3a9.sandbox.invalid/services/T1",
        "",
    ],
)
def test_other_hosts_are_not_hits(hosts: HostIndex, text: str) -> None:
    assert hosts.found_in(text) is None


def test_ipv6_literal_hosts_are_learned_and_swept() -> None:
    index = HostIndex()
    urls = ["http://[2001:db8::1]:8080/hook", "https://[::1]/local", "http://[fe80::1]/link"]
    assert index.learn(urls, "app.webhooks.url") == 1  # loopback and link-local reach no one
    assert index.found_in("replay to http://[2001:0db8:0:0::1]:8080/x") == "app.webhooks.url"
    assert index.found_in("the box at 2001:db8::1 answers") == "app.webhooks.url"
    for text in ("http://[2001:db8::2]/", "at 12:30:45", "mac 00:1a:2b:3c:4d:5e"):
        assert index.found_in(text) is None, text


def test_an_address_is_learned_from_its_tail_as_from_the_whole() -> None:
    from sanitizer.verify.hosts import email_tail

    texts = [
        "jane.doe@Mail.Acme-Corp.com",
        "x+tag@acme-corp.com.",
        "Ops <ops@billing.example.org>",
        "user@@corp.com",
        "@corp-only.com",
        "a.b@c@d.com",
        "see https://u@acme.io/x and me@acme.dev",
        "ünï@café.de and more text",
        "no address here.com",
    ]
    whole, tails = HostIndex(), HostIndex()
    for text in texts:
        found = list(whole.destinations(text))
        tail = email_tail(text)
        assert tail is None or list(tails.destinations(tail)) == found, text
    assert email_tail("a.b@c@d.com") is None and email_tail("@x.com") is None
    assert whole.learn(texts, "f") == tails.learn(texts * 3, "f") and whole.hosts == tails.hosts


def test_a_copy_with_fresh_hosts_learns_again_what_the_index_remembered() -> None:
    """Address tails' hosts are remembered across calls; a piece's copy of the index with
    fresh ``hosts`` (verify/pieces.py) still learns them, under its own field."""
    import copy

    index = HostIndex()
    index.learn(["jane@acme-corp.com", "bob@acme-corp.com"], "app.users.email")
    assert index.learn(["joe@acme-corp.com", "kim@ops.acme.dev"], "app.staff.email") == 1
    piece = copy.copy(index)
    piece.hosts = {}
    assert piece.learn(["jane@acme-corp.com"], "app.orders.email") == 1
    assert piece.hosts == {"acme-corp.com": "app.orders.email"}
    assert index.hosts == {"acme-corp.com": "app.users.email", "ops.acme.dev": "app.staff.email"}
