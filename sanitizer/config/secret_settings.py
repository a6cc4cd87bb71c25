"""The ``secrets:`` section of sanitize.yaml: where neutralized URLs point, what passes as is.

```yaml
secrets:
  sinks:                       # where neutralized URLs point
    default: sandbox.invalid   # a domain: a URL goes to <keyed-hash>.sandbox.invalid
    smtp: mail.staging.test    # a named sink: the exact host[:port] of a staging catcher
  allow: []                    # exact values allowed through (public test keys)
```

Inert data only: ``sanitizer.mask.secrets`` reads it (docs/configuration.md, "secrets").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sanitizer.config.keys import check_keys
from sanitizer.config.yamlfile import LocatedDict, Location
from sanitizer.errors import ConfigError

SECRETS_KEYS = ("sinks", "allow")
DEFAULT_SINK = "sandbox.invalid"
_SINK_NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")
_HOST = re.compile(
    r"^(?=.{1,253}(?::\d{1,5})?$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*"
    r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?::\d{1,5})?$"
)


@dataclass(frozen=True)
class SecretsSettings:
    """Sinks (name → host; ``default`` is a domain under which keyed host names are made) and
    the exact values that may reach staging unchanged."""

    sinks: dict[str, str] = field(default_factory=lambda: {"default": DEFAULT_SINK})
    allow: frozenset[str] = field(default_factory=frozenset, repr=False)

    def __hash__(self) -> int:
        return hash((tuple(sorted(self.sinks.items())), self.allow))

    @property
    def default_sink(self) -> str:
        return self.sinks.get("default", DEFAULT_SINK)


def secrets_settings(raw: Any, where: Location) -> SecretsSettings:
    """The ``secrets:`` section; absent or empty means the defaults."""
    if raw is None:
        return SecretsSettings()
    if not isinstance(raw, LocatedDict):
        raise ConfigError(
            f"{where}: secrets must be a mapping with sinks: and allow:.",
            hint="write secrets: {sinks: {default: sandbox.invalid}, allow: []}",
        )
    check_keys(raw, SECRETS_KEYS, "secrets")
    return SecretsSettings(
        sinks=_sinks(raw.get("sinks"), raw.at("sinks")),
        allow=_allow(raw.get("allow"), raw.at("allow")),
    )


def _sinks(raw: Any, where: Location) -> dict[str, str]:
    if raw is None:
        return {"default": DEFAULT_SINK}
    if not isinstance(raw, dict):
        raise ConfigError(
            f"{where}: secrets.sinks must be a mapping of sink name → host.",
            hint="write sinks: {default: sandbox.invalid, smtp: mail.staging.test}",
        )
    sinks = {"default": DEFAULT_SINK}
    for name, host in raw.items():
        at = raw.at(name) if isinstance(raw, LocatedDict) else where
        if not isinstance(name, str) or not _SINK_NAME.match(name):
            raise ConfigError(
                f"{at}: secrets.sinks: {name!r} is not a sink name.",
                hint="name a sink by a URL scheme (smtp), a service (slack) or a domain "
                "(hooks.slack.com), in lower case; `default` is the fallback.",
            )
        text = str(host).strip().lower() if isinstance(host, str) else ""
        if not _HOST.match(text):
            raise ConfigError(
                f"{at}: secrets.sinks.{name} must be a host name (optionally host:port), "
                f"not {host!r}.",
                hint=f"write {name}: sandbox.invalid (no scheme, no path); a reserved domain "
                "such as .invalid or .test, or your staging catcher's host.",
            )
        sinks[name] = text
    return sinks


def _allow(raw: Any, where: Location) -> frozenset[str]:
    if raw is None:
        return frozenset()
    if not isinstance(raw, list) or not all(isinstance(v, str) and v for v in raw):
        raise ConfigError(
            f"{where}: secrets.allow must be a list of exact values (strings).",
            hint="write allow: [] or one quoted public test value per item; values come from "
            "${VAR} to keep them out of the file.",
        )
    return frozenset(raw)
