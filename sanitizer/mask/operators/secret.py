"""``secret``: a credential → a keyed stand-in of the same format that cannot work.

The value is neutralized whole by :func:`sanitizer.mask.secrets.neutralize_secret`: a token
keeps its service prefix and length (``sk_live_…`` → ``sk_test_…``), a JWT is re-signed by a
staging key, a private key is regenerated from a keyed seed, a URL is sandboxed. The same
credential becomes the same stand-in in every column, JSON leaf, text (``detect``'s
``SECRET``) and run with the same key (docs/rules.md, "Secrets and live destinations").
"""

from __future__ import annotations

from typing import Any

from sanitizer.mask.operators.base import MaskContext, Operator
from sanitizer.mask.secrets import neutralize_secret, sandbox_url
from sanitizer.schema import JSON, OTHER, STRING


class Secret(Operator):
    """Service prefix, length and character classes kept (`sk_live_…` → `sk_test_…`); JWTs
    (re-signed by a staging key) and private keys (regenerated from a keyed seed) stay
    structurally valid; URLs are sandboxed as by `url`."""

    name = "secret"
    summary = "A credential → a keyed stand-in of the same format that cannot work."
    example = "api_key: secret"
    kinds = frozenset({STRING, OTHER, JSON})
    replaces_every_value = True
    unique_capable = True  # a collision (short tokens) is re-drawn with the next attempt

    def mask_values(self, values: list[Any], ctx: MaskContext) -> list[Any]:
        out = []
        for value in values:
            text = value if isinstance(value, str) else str(value)
            if "://" in text and not any(c.isspace() for c in text.strip()):
                out.append(sandbox_url(text, ctx.keyring, self.secrets))
            else:
                out.append(neutralize_secret(text, ctx.keyring, attempt=ctx.attempt))
            ctx.count("secrets")
        return out
