"""Credentials of many services, made up at run time in their real shapes.

Never a real key, and no literal key in the repository (secret scanners would flag it): every
value is drawn from a seeded random generator when a test asks for it.
"""

from __future__ import annotations

import base64
import json
import random
import string
from collections.abc import Callable

ALNUM = string.ascii_letters + string.digits
UPPER32 = string.ascii_uppercase + "234567"
HEX = "0123456789abcdef"


def _draw(rng: random.Random, n: int, alphabet: str = ALNUM) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def jwt(rng: random.Random) -> str:
    header = _b64(json.dumps({"alg": "RS256", "typ": "JWT", "kid": _draw(rng, 8)}).encode())
    claims = {"sub": f"user_{rng.randrange(10**6)}", "exp": 1999999999, "scope": "read write"}
    payload = _b64(json.dumps(claims).encode())
    return f"{header}.{payload}.{_b64(rng.randbytes(64))}"


def _live(word: str) -> str:
    return word + "_" + "live" + "_"  # split so the source holds no key prefix literally


# service → (the rule that must find it, a maker)
MAKERS: dict[str, tuple[str, Callable[[random.Random], str]]] = {
    "stripe": ("stripe-access-token", lambda r: _live("sk") + _draw(r, 24)),
    "stripe-restricted": ("stripe-access-token", lambda r: _live("rk") + _draw(r, 24)),
    "aws": ("aws-access-token", lambda r: "AKIA" + _draw(r, 16, UPPER32)),
    "github": ("github-pat", lambda r: "ghp_" + _draw(r, 36)),
    "github-oauth": ("github-oauth", lambda r: "gho_" + _draw(r, 36)),
    "gitlab": ("gitlab-pat", lambda r: "glpat-" + _draw(r, 20)),
    "slack-bot": (
        "slack-bot-token",
        lambda r: (
            f"xoxb-{_draw(r, 12, string.digits)}-{_draw(r, 12, string.digits)}-" + _draw(r, 24)
        ),
    ),
    "slack-webhook": (
        "slack-webhook-url",
        lambda r: (
            "https://hooks.slack.com/services/T"
            + _draw(r, 10, string.ascii_uppercase + string.digits)
            + "/B"
            + _draw(r, 10, string.ascii_uppercase + string.digits)
            + "/"
            + _draw(r, 24)
        ),
    ),
    "google": ("gcp-api-key", lambda r: "AIza" + _draw(r, 35)),
    "sendgrid": ("sendgrid-api-token", lambda r: "SG." + _draw(r, 22) + "." + _draw(r, 43)),
    "twilio": ("twilio-api-key", lambda r: "SK" + _draw(r, 32, HEX)),
    "npm": ("npm-access-token", lambda r: "npm_" + _draw(r, 36)),
    "shopify": ("shopify-access-token", lambda r: "shpat_" + _draw(r, 32, HEX)),
    "digitalocean": ("digitalocean-pat", lambda r: "dop_v1_" + _draw(r, 64, HEX)),
    "jwt": ("jwt", jwt),
    # sanitizer's own additions (extra_rules.toml)
    "stripe-publishable": ("stripe-publishable-live-key", lambda r: _live("pk") + _draw(r, 24)),
    "stripe-webhook": ("stripe-webhook-secret", lambda r: "whsec_" + _draw(r, 32)),
    "openai": ("openai-api-key-unmarked", lambda r: "sk-proj-" + _draw(r, 48)),
    "google-oauth": ("google-oauth-access-token", lambda r: "ya29." + _draw(r, 80, ALNUM + "-_")),
    "mailgun": ("mailgun-api-key", lambda r: "key-" + _draw(r, 32, HEX)),
    "docker": ("docker-personal-access-token", lambda r: "dckr_pat_" + _draw(r, 27)),
    "huggingface": ("huggingface-token", lambda r: "hf_" + _draw(r, 34)),
}


def make(service: str, seed: int = 0) -> str:
    return MAKERS[service][1](random.Random(f"{service}-{seed}"))


def private_keys() -> dict[str, str]:
    """Freshly generated private keys, one per PEM header the tool handles."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

    none = serialization.NoEncryption()
    pem = serialization.Encoding.PEM
    fmt = serialization.PrivateFormat
    return {
        "PRIVATE KEY": ed25519.Ed25519PrivateKey.generate()
        .private_bytes(pem, fmt.PKCS8, none)
        .decode(),
        "EC PRIVATE KEY": ec.generate_private_key(ec.SECP256R1())
        .private_bytes(pem, fmt.TraditionalOpenSSL, none)
        .decode(),
        "RSA PRIVATE KEY": rsa.generate_private_key(65537, 2048)
        .private_bytes(pem, fmt.TraditionalOpenSSL, none)
        .decode(),
        "OPENSSH PRIVATE KEY": ed25519.Ed25519PrivateKey.generate()
        .private_bytes(pem, fmt.OpenSSH, none)
        .decode(),
    }
