"""Credentials and live destinations: finding them, and neutralizing them in shape.

The public API other parts of the tool use (docs/rules.md, "Secrets and live destinations"):

- :func:`find_secrets` — credentials, private keys, JWTs, credential-bearing and database URLs
  in a text, as :class:`SecretHit` spans (gitleaks' MIT-licensed rules, vendored in
  ``gitleaks.toml``, plus URL and keyword-context checks).
- :func:`looks_like_secret` — whether one value (of a column named so) is one; the rule id.
- :func:`neutralize_secret` — a keyed, deterministic stand-in of the same shape that cannot work.
- :func:`sandbox_url` — a URL moved to a sandbox host, its credentials neutralized.
- :func:`neutralize_text` — every finding of a text replaced (what ``detect`` does).
- :func:`is_neutralized` — whether a value is one of ours (never a finding).
- :class:`SecretsSettings` — the ``secrets:`` section of sanitize.yaml.
"""

from __future__ import annotations

from sanitizer.mask.secrets.find import SecretHit, find_secrets, looks_like_secret
from sanitizer.mask.secrets.marker import is_neutralized
from sanitizer.mask.secrets.neutralize import neutralize_secret
from sanitizer.mask.secrets.settings import SecretsSettings
from sanitizer.mask.secrets.tokens import KeyLike, keyring_of
from sanitizer.mask.secrets.urls import sandbox_url


def neutralize_hit(
    text: str, hit: SecretHit, key: KeyLike, settings: SecretsSettings | None = None
) -> str:
    """The stand-in of one finding's text: URLs sandboxed, everything else neutralized."""
    value = text[hit.start : hit.end]
    if hit.kind in ("url", "dsn"):
        return sandbox_url(value, key, settings)
    return neutralize_secret(value, key)


def neutralize_text(text: str, key: KeyLike, settings: SecretsSettings | None = None) -> str:
    """``text`` with every finding of :func:`find_secrets` neutralized in place."""
    hits = find_secrets(text, settings=settings)
    if not hits:
        return text
    keyring = keyring_of(key)
    out, last = [], 0
    for hit in hits:
        out.append(text[last : hit.start])
        out.append(neutralize_hit(text, hit, keyring, settings))
        last = hit.end
    out.append(text[last:])
    return "".join(out)


__all__ = [
    "SecretHit",
    "SecretsSettings",
    "find_secrets",
    "is_neutralized",
    "looks_like_secret",
    "neutralize_hit",
    "neutralize_secret",
    "neutralize_text",
    "sandbox_url",
]
