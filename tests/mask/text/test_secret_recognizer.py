"""detect finds SECRET and URL and replaces them as the secret and {url: sandbox} rules do."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from helpers.credentials import make, private_keys

from sanitizer.config.secret_settings import SecretsSettings
from sanitizer.config.settings import NlpSettings
from sanitizer.config.yamlfile import Location
from sanitizer.mask.operators import parse_rule
from sanitizer.mask.operators.base import MaskContext
from sanitizer.mask.pseudonyms import Keyring
from sanitizer.mask.secrets import find_secrets, neutralize_secret, sandbox_url
from sanitizer.mask.text.recognizers.secrets import SecretRecognizer
from sanitizer.schema import STRING, ColumnInfo

KEY = b"unit-test-key-0123456789abcdef"
WHERE = Location("rules/app.yaml", 4)


def _detect(rule, texts, secrets=None):
    op = parse_rule(rule, WHERE)
    op.secrets = secrets
    ctx = MaskContext(Keyring(KEY), ColumnInfo("body", STRING, "TEXT"), nlp=NlpSettings())
    return op.mask_values(texts, ctx), ctx.stats


def test_recognizer_entities():
    token, hook = make("stripe"), "https://bob:pw12345678@hooks.acme.io/in/1"
    text = f"key {token} hook {hook}"
    results = SecretRecognizer().analyze(text, ["SECRET", "URL"])
    found = sorted((r.entity_type, text[r.start : r.end]) for r in results)
    assert found == [("SECRET", token), ("URL", hook)]
    assert [r.entity_type for r in SecretRecognizer().analyze(text, ["URL"])] == ["URL"]


def test_bare_detect_neutralizes_secrets_and_urls_in_place():
    token, pem = make("slack-bot"), private_keys()["EC PRIVATE KEY"].strip()
    text = (
        f"Hi, here is our bot token {token} and the callback "
        f"https://api.customer-shop.com/hooks/Ab12Cd?token=zz9911aa00 thanks\n{pem}\nEnd"
    )
    out, stats = _detect("detect", [text])
    out = out[0]
    assert neutralize_secret(token, KEY) in out
    assert neutralize_secret(pem, KEY) in out  # one key, not cut at its line breaks
    url = "https://api.customer-shop.com/hooks/Ab12Cd?token=zz9911aa00"
    assert sandbox_url(url, KEY) in out
    assert out.startswith("Hi, here is our bot token xoxb-") and out.endswith("\nEnd")
    assert find_secrets(out) == []
    assert stats["entity:SECRET"] == 2 and stats["entity:URL"] == 1


def test_detect_secret_only_and_sinks():
    hook = "https://hooks.slack.com/services/T0ABCDEF1/B0ABCDEF2/" + "x1Y2z3" * 4
    text = json.dumps({"note": f"posting to {hook} now", "who": "Maria Lopez"})
    sinks = SecretsSettings(sinks={"default": "sandbox.invalid", "slack": "inbox.staging.test"})
    out = _detect({"detect": ["SECRET", "URL"]}, [text], sinks)[0][0]
    posted = json.loads(out)["note"].split()[2]
    assert urlsplit(posted).hostname == "inbox.staging.test"
    assert "Maria Lopez" in out  # only the entities asked for
