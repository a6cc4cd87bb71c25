"""Which hosts are safe for staging to hold (reserved names, sinks) and which sink a URL takes.

Reserved names resolve nowhere or only to the machine itself: the special-use TLDs ``.invalid``,
``.test``, ``.example``, ``.localhost`` (RFC 2606, RFC 6761), ``example.com/.net/.org``, loopback
and the documentation address ranges (RFC 5737, RFC 3849).
"""

from __future__ import annotations

import ipaddress

from sanitizer.mask.secrets.settings import DEFAULT_SINK, SecretsSettings

RESERVED_TLDS = ("invalid", "test", "example", "localhost")
RESERVED_DOMAINS = ("example.com", "example.net", "example.org")
DOC_NETWORKS = tuple(
    ipaddress.ip_network(n)
    for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32")
)


def is_reserved_host(host: str) -> bool:
    """Whether ``host`` can reach nothing outside this machine."""
    name = host.strip("[]").rstrip(".").lower()
    if not name:
        return False
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        pass
    else:
        return (
            address.is_loopback
            or address.is_unspecified
            or any(address in net for net in DOC_NETWORKS)
        )
    if name.rsplit(".", 1)[-1] in RESERVED_TLDS:
        return True
    return any(name == d or name.endswith("." + d) for d in RESERVED_DOMAINS)


def _host_only(sink: str) -> str:
    return sink.rsplit(":", 1)[0] if sink.count(":") == 1 else sink


def sink_hosts(settings: SecretsSettings | None) -> frozenset[str]:
    """The named sinks' hosts (without ports): URLs staging may hold as they are."""
    if settings is None:
        return frozenset()
    return frozenset(_host_only(h) for n, h in settings.sinks.items() if n != "default")


def is_sink_host(host: str, settings: SecretsSettings | None) -> bool:
    """A named sink, or a name under the default sink's domain."""
    name = host.rstrip(".").lower()
    default = settings.default_sink if settings else DEFAULT_SINK
    domain = _host_only(default)
    return name in sink_hosts(settings) or name == domain or name.endswith("." + domain)


def named_sink(scheme: str, host: str, settings: SecretsSettings | None) -> str | None:
    """The named sink for a destination: by scheme (``smtp``), by the host itself or a domain
    above it (``hooks.slack.com``, ``slack.com``), or by one of its labels (``slack``)."""
    if settings is None:
        return None
    sinks = {n: h for n, h in settings.sinks.items() if n != "default"}
    if not sinks:
        return None
    scheme = scheme.lower()
    for name in (scheme, scheme.rstrip("s")):
        if name in sinks:
            return sinks[name]
    labels = host.rstrip(".").lower().split(".")
    for i in range(len(labels) - 1):
        if ".".join(labels[i:]) in sinks:
            return sinks[".".join(labels[i:])]
    for label in labels[:-1]:
        if label in sinks:
            return sinks[label]
    return None
