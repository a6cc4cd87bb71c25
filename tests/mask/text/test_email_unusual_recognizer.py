"""Emails Presidio drops (internal domains, quoted / IP-literal addresses, obfuscated forms) are
found with their exact span; file names, package pins and ordinary 'at … dot …' phrases are not."""

from __future__ import annotations

import socket

import pytest
from helpers.recognizers import engine_with, spans
from presidio_analyzer import AnalyzerEngine

from sanitizer.mask.text.recognizers import UnusualEmailRecognizer
from sanitizer.mask.text.recognizers.email_unusual import public_suffix

NAME = "UnusualEmailRecognizer"


@pytest.fixture(scope="module")
def engine() -> AnalyzerEngine:
    return engine_with(UnusualEmailRecognizer())


def found(engine: AnalyzerEngine, text: str) -> list[str]:
    return spans(engine, text, "EMAIL_ADDRESS")


def mine(engine: AnalyzerEngine, text: str) -> list[str]:
    return spans(engine, text, "EMAIL_ADDRESS", recognizer=NAME)


POSITIVE = [
    "jane.doe@corp.internal",
    "ops@svc.cluster.local",
    "j@host.lan",
    '"jane doe"@corp.com',
    "user@192.168.0.1",
    "jane dot doe at corp dot com",
    "jane.doe [at] corp [dot] com",
    "mario(at)rossi.it",
    "k.lee AT startup DOT ai",
    "ana.souza {at} empresa.com.br",
    "bob at example dot org",
    "jane.doe at corp.com",
    "ravi.s [at] infosys [dot] co [dot] in",
]

NEGATIVE = [
    "The file icon@2x.png is missing, and so is logo@3x.webp.",
    "Install package foo@1.2.3 with npm.",
    "Look at google dot com for the docs, they said.",
    "The team at acme.com will review it.",
    "Sarah at acme.com said hi.",
    "Meet me at home at 5.",
    "ping me at slack dot com",
    "server at 10.0.0.1 is down",
    "Email the team at the usual address.",
]


@pytest.mark.parametrize("email", POSITIVE)
def test_unusual_emails_are_found_with_their_exact_span(engine, email):
    assert email in found(engine, f"contact: {email} thanks")


def test_a_mailbox_is_cut_from_the_option_it_is_written_in(engine):
    assert found(engine, "run it with --user=jane@corp.internal now") == ["jane@corp.internal"]


@pytest.mark.parametrize("text", NEGATIVE)
def test_non_emails_are_not_found(engine, text):
    assert mine(engine, text) == []


def test_public_suffixes_come_from_the_bundled_snapshot_without_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("network disabled in tests")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    assert public_suffix("corp.co.uk") == "co.uk"
    assert public_suffix("rossi.it") == "it"
    assert public_suffix("corp.internal") == ""
