"""``{url: sandbox}``: a URL keeps its shape and points at a sandbox, never at production.

The host becomes ``<keyed-hash>.sandbox.invalid`` (or the sink sanitize.yaml's ``secrets.sinks``
names for that destination: the staging mail catcher, a webhook inbox); path segments keep
their shape, userinfo and token query parameters are neutralized, and a database URL points
at nothing (:func:`sanitizer.mask.secrets.sandbox_url`; docs/configuration.md, "secrets").
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from sanitizer.mask.operators.base import MaskContext, Operator
from sanitizer.mask.secrets import sandbox_url
from sanitizer.schema import OTHER, STRING, ColumnInfo

MODES = ("sandbox",)


class Url(Operator):
    """The host becomes `<keyed-hash>.sandbox.invalid` or the sink `secrets.sinks` names;
    scheme, port, path shape and parameter names kept, userinfo and token parameters
    neutralized; database URLs point at nothing."""

    name = "url"
    summary = "A URL → the same shape, pointing at a sandbox instead of production."
    example = "webhook_url: {url: sandbox}"
    kinds = frozenset({STRING, OTHER})
    replaces_every_value = True

    def configure(self, argument: Any) -> None:
        if argument not in MODES:
            raise self.invalid(
                f"unknown mode {argument!r}",
                "write {url: sandbox} (the only mode: the host moves to a sandbox)",
            )
        self.mode: str = argument

    def label(self) -> str:
        return f"url: {self.mode}"

    def stays(self, value: str, column: ColumnInfo) -> bool:
        """A value with no host (``n/a``, a bare word) holds no destination to move."""
        text = value.strip()
        if any(c.isspace() for c in text) or ("." not in text and "://" not in text):
            return True
        try:
            return not urlsplit(text if "://" in text else f"//{text}").hostname
        except ValueError:
            return True

    def mask_values(self, values: list[Any], ctx: MaskContext) -> list[Any]:
        ctx.count("urls", len(values))
        return [sandbox_url(str(v), ctx.keyring, self.secrets) for v in values]
