"""neutralize_secret: keyed, deterministic, same shape, and never a live credential."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re

import pytest
from helpers.credentials import MAKERS, make, private_keys

from sanitizer.mask.pseudonyms import Keyring
from sanitizer.mask.secrets import (
    find_secrets,
    is_neutralized,
    looks_like_secret,
    neutralize_secret,
    neutralize_text,
)
from sanitizer.mask.secrets.tokens import prefix_length

KEY = b"unit-test-key-0123456789abcdef"
OTHER = b"another-key-for-rotation-tests"


def _shape(text: str) -> str:
    return re.sub(r"[0-9]", "9", re.sub(r"[a-z]", "a", re.sub(r"[A-Z]", "A", text)))


@pytest.mark.parametrize("service", sorted(set(MAKERS) - {"jwt", "slack-webhook"}))
def test_tokens_keep_prefix_length_and_classes(service: str) -> None:
    value = make(service)
    out = neutralize_secret(value, KEY)
    assert out != value
    assert len(out) == len(value)
    keep = prefix_length(value)
    assert keep >= 2
    assert _shape(out)[keep:] == _shape(value)[keep:]  # every character keeps its class
    assert out[:keep] == value[:keep].replace("live", "test")
    assert neutralize_secret(value, KEY) == out  # deterministic
    assert neutralize_secret(value, Keyring(KEY)) == out  # the run's keyring: same value
    assert neutralize_secret(value, OTHER) != out
    assert is_neutralized(out) and not is_neutralized(value)
    assert find_secrets(out) == []
    assert looks_like_secret(out) is None


def test_stripe_live_becomes_test_and_is_not_live() -> None:
    value = make("stripe")
    out = neutralize_secret(value, KEY)
    assert out.startswith("sk_test_") and len(out) == len(value)
    assert not out.startswith("sk_" + "live")


def test_hex_stays_hex() -> None:
    value = make("twilio")
    out = neutralize_secret(value, KEY)
    assert re.fullmatch(r"SK[0-9a-fA-F]{32}", out)


def test_aws_key_keeps_base32() -> None:
    out = neutralize_secret(make("aws"), KEY)
    assert re.fullmatch(r"AKIA[A-Z2-7]{16}", out)


def test_surrounding_whitespace_kept() -> None:
    value = make("github")
    assert neutralize_secret(f" {value}\n", KEY) == f" {neutralize_secret(value, KEY)}\n"


def _b64decode(segment: str) -> bytes:
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def test_jwt_parses_and_is_signed_by_the_staging_key() -> None:
    value = make("jwt")
    out = neutralize_secret(value, KEY)
    head, body, signature = out.split(".")
    header = json.loads(_b64decode(head))
    claims = json.loads(_b64decode(body))
    assert header["alg"] == "HS256" and header["typ"] == "JWT"
    original = json.loads(_b64decode(value.split(".")[1]))
    assert set(claims) == set(original)
    assert claims["exp"] == original["exp"]
    assert claims["sub"] != original["sub"] and len(claims["sub"]) == len(original["sub"])
    staging = Keyring(KEY).subkey("jwt-staging")
    expected = hmac.new(staging, f"{head}.{body}".encode(), hashlib.sha256).digest()
    assert _b64decode(signature) == expected
    assert find_secrets(out) == [] and find_secrets(value) != []


@pytest.mark.parametrize("header", list(private_keys()))
def test_private_keys_become_valid_keys_of_the_same_header(header: str) -> None:
    from cryptography.hazmat.primitives import serialization

    value = private_keys()[header]
    out = neutralize_secret(value, KEY)
    assert out.startswith(f"-----BEGIN {header}-----")
    assert out.rstrip().endswith(f"-----END {header}-----")
    if header == "OPENSSH PRIVATE KEY":
        serialization.load_ssh_private_key(out.encode(), password=None)
    else:
        serialization.load_pem_private_key(out.encode(), password=None)
    assert neutralize_secret(value, KEY) == out
    assert neutralize_secret(value, OTHER) != out
    assert is_neutralized(out) and not is_neutralized(value)
    assert find_secrets(f"key:\n{out}") == []


def test_private_key_in_json_keeps_its_escapes() -> None:
    value = private_keys()["PRIVATE KEY"].strip().replace("\n", "\\n")
    text = f'{{"key": "{value}"}}'
    out = neutralize_text(text, KEY)
    assert out.startswith('{"key": "-----BEGIN PRIVATE KEY-----\\n')
    assert "\n" not in out and find_secrets(out) == []
    json.loads(out)


def test_neutralize_text_replaces_only_the_secrets() -> None:
    token, hook = make("slack-bot"), make("slack-webhook")
    text = f"Hi team,\nbot token {token} and hook {hook} - Ana"
    out = neutralize_text(text, KEY)
    assert out.startswith("Hi team,\nbot token xoxb-") and out.endswith(" - Ana")
    assert token not in out and hook not in out
    assert ".sandbox.invalid/services/" in out
    assert find_secrets(out) == []
    assert neutralize_text(text, KEY) == out


def _pem(key, fmt, encryption) -> str:
    from cryptography.hazmat.primitives import serialization

    return key.private_bytes(serialization.Encoding.PEM, fmt, encryption).decode()


def test_dsa_and_encrypted_keys_keep_their_label_and_structure() -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import dsa, ed25519

    from sanitizer.mask.secrets import find_secrets, is_neutralized

    traditional = serialization.PrivateFormat.TraditionalOpenSSL
    dsa_key = dsa.generate_private_key(1024)
    dsa_pem = _pem(dsa_key, traditional, serialization.NoEncryption())
    encrypted = _pem(
        ed25519.Ed25519PrivateKey.generate(),
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(b"pw"),
    )
    key = b"k" * 32
    for pem, label in ((dsa_pem, "DSA PRIVATE KEY"), (encrypted, "ENCRYPTED PRIVATE KEY")):
        out = neutralize_secret(pem, key)
        assert out == neutralize_secret(pem, key) and out != pem
        assert out.startswith(f"-----BEGIN {label}-----")
        assert abs(len(out) - len(pem)) <= 8  # DER integers may lose or gain a leading byte
        assert not is_neutralized(pem) and is_neutralized(out)
        assert find_secrets(pem) and find_secrets(out) == []
    new_dsa = serialization.load_pem_private_key(neutralize_secret(dsa_pem, key).encode(), None)
    assert isinstance(new_dsa, dsa.DSAPrivateKey)
    numbers = new_dsa.private_numbers()
    assert numbers.public_numbers.parameter_numbers == dsa_key.parameters().parameter_numbers()
    assert numbers.x != dsa_key.private_numbers().x
    with pytest.raises(ValueError):  # structurally an encrypted key; the password opens nothing
        serialization.load_pem_private_key(neutralize_secret(encrypted, key).encode(), b"pw")


def test_a_url_without_scheme_is_sandboxed_not_scrambled_in_place() -> None:
    """``secret`` on ``hooks.slack.com/services/…``: the host moves to the sandbox (a
    scrambled path on the real host would still reach Slack)."""
    hook = "hooks.slack.com/services/T024TTTTT/BBB72BBL/AZAAA9u0pA4ad666eMgbi555"
    out = neutralize_secret(hook, KEY)
    assert out.split("/", 1)[0].endswith(".sandbox.invalid") and "slack.com" not in out
    assert out.count("/") == hook.count("/") and find_secrets(out) == []
