"""Properties of neutralization over generated inputs: deterministic per key, shape kept, never
the input, never found again as a live credential."""

from __future__ import annotations

import random
import re
import string
from urllib.parse import urlsplit

from helpers.credentials import MAKERS
from hypothesis import given, settings
from hypothesis import strategies as st

from sanitizer.mask.secrets import (
    find_secrets,
    is_neutralized,
    looks_like_secret,
    neutralize_secret,
    sandbox_url,
)
from sanitizer.mask.secrets.neutralize import host_and_path
from sanitizer.mask.secrets.tokens import prefix_length

KEYS = st.binary(min_size=16, max_size=40)
TOKENS = st.text(
    alphabet=string.ascii_letters + string.digits + "-_.+/=!@#", min_size=6, max_size=90
).filter(lambda t: sum(c.isalnum() for c in t) >= 6 and not host_and_path(t))  # a URL
SERVICES = st.sampled_from(sorted(MAKERS))


def _classes(text: str) -> list[str]:
    return ["d" if c.isdigit() else "u" if c.isupper() else "l" if c.isalpha() else c for c in text]


@settings(max_examples=150, deadline=None)
@given(TOKENS, KEYS)
def test_token_shape_determinism_and_mark(value: str, key: bytes) -> None:
    out = neutralize_secret(value, key)
    assert out == neutralize_secret(value, key)
    assert out != value
    assert len(out) == len(value)
    keep = prefix_length(value)
    assert _classes(out)[keep:] == _classes(value)[keep:]
    assert is_neutralized(out)


@settings(max_examples=80, deadline=None)
@given(SERVICES, st.integers(0, 10**6), KEYS)
def test_service_tokens_are_never_found_again(service: str, seed: int, key: bytes) -> None:
    value = MAKERS[service][1](random.Random(seed))
    assert find_secrets(value), service
    out = neutralize_secret(value, key) if service != "slack-webhook" else sandbox_url(value, key)
    assert out != value
    assert find_secrets(out) == []
    assert find_secrets(f"token = {out}\n") == []
    assert looks_like_secret(out) is None
    assert "_live_" not in out


@settings(max_examples=150)
@given(TOKENS.filter(lambda t: sum(c.isalnum() for c in t) >= 16))
def test_real_values_do_not_carry_the_mark(value: str) -> None:
    # the mark is a hash of the rest (6 characters here): a value not made by
    # neutralize_secret carries it with odds below 1 in 300,000
    assert not is_neutralized(value)


HOSTS = st.from_regex(r"[a-z]{2,10}(\.[a-z]{2,8}){1,2}\.(com|io|net)", fullmatch=True)
SEGMENTS = st.lists(st.from_regex(r"[A-Za-z0-9_-]{1,20}", fullmatch=True), max_size=5)


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(["https", "http", "smtp", "postgresql", "redis"]), HOSTS, SEGMENTS, KEYS)
def test_sandbox_url_properties(scheme: str, host: str, segments: list[str], key: bytes) -> None:
    url = (
        f"{scheme}://user:pw{len(host)}Zz9x@{host}:8443/" + "/".join(segments) + "?token=abc123XYZ"
    )
    out = sandbox_url(url, key)
    assert out == sandbox_url(url, key)
    parts = urlsplit(out)
    assert parts.scheme == scheme and parts.port == 8443
    assert re.fullmatch(r"[0-9a-f]{12}\.sandbox\.invalid", parts.hostname or "")
    assert len(parts.path.split("/")) == len(urlsplit(url).path.split("/"))
    assert host not in out and "abc123XYZ" not in out
    assert find_secrets(out) == []


CLAIMS = st.dictionaries(
    st.from_regex(r"[a-z_]{1,10}", fullmatch=True),
    st.one_of(
        st.integers(0, 2**40),
        st.booleans(),
        st.text(alphabet=string.ascii_letters + string.digits + "@._-", min_size=1, max_size=30),
    ),
    min_size=1,
    max_size=6,
)


@settings(max_examples=80, deadline=None)
@given(CLAIMS, st.sampled_from(["RS256", "ES384", "HS512", "PS256"]), KEYS)
def test_jwt_properties(claims: dict, alg: str, key: bytes) -> None:
    import base64
    import hashlib
    import hmac
    import json

    from sanitizer.mask.pseudonyms import Keyring

    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    def unb64(text: str) -> bytes:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))

    header = b64(json.dumps({"alg": alg, "typ": "JWT"}).encode())
    token = f"{header}.{b64(json.dumps(claims).encode())}.{b64(b'signature-bytes' * 4)}"
    out = neutralize_secret(token, key)
    assert out == neutralize_secret(token, key) and out != token
    head, body, signature = out.split(".")
    new_header, new_claims = json.loads(unb64(head)), json.loads(unb64(body))
    bits = alg[-3:]
    assert new_header["alg"] == f"HS{bits}"
    assert list(new_claims) == list(claims)
    for name, value in claims.items():
        if isinstance(value, str):
            assert len(new_claims[name]) == len(value)
        else:
            assert new_claims[name] == value
    staging = Keyring(key).subkey("jwt-staging")
    digest = getattr(hashlib, f"sha{bits}")
    assert unb64(signature) == hmac.new(staging, f"{head}.{body}".encode(), digest).digest()
    assert is_neutralized(out) and find_secrets(out) == []
