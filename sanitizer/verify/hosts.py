"""Production destination hosts: learned from production's masked fields, swept in staging.

A rule that masks a field — ``fake: email``, ``{url: sandbox}``, ``hash``, ``secret`` — says
its values must not reach staging; the leak check looks for the values themselves. The hosts
in them are destinations too: the domain of a customer's address, the host of a webhook or a
callback URL. Staging holding one (in a ``keep`` column, a JSON leaf with no rule, a text
``detect`` missed) can still send production's mail or call production's endpoints, so the
hosts are learned as production streams — like the leak index, from the fields whose rule
replaces every value — and every staging text is looked for them (docs/operations.md,
"Secrets and production hosts").

Not production destinations, so never learned:
- reserved names (RFC 2606 and RFC 6761): ``example.com`` / ``.net`` / ``.org`` and the
  ``.example``, ``.invalid``, ``.test`` and ``.localhost`` top-level domains — where fakes
  and neutralized URLs point;
- the sinks of ``secrets.sinks`` and the values of ``secrets.allow`` (a host written there
  is the user's explicit choice);
- loopback, unspecified and documentation addresses (127/8, 0.0.0.0, 192.0.2/24,
  198.51.100/24, 203.0.113/24), which reach nobody;
- a public suffix alone (``co.uk``), and a name without a dot (``redis``): matching those
  would flag every host under them, or every word;
- the domains of public mailbox providers (``gmail.com``, ``outlook.com``, …), for email
  addresses only: the provider's domain names nobody — the address is the destination, and
  the leak check already tracks it as a masked value — and staging may mention the provider
  in any text. A URL on such a host (``https://mail.google.com/…``) is still learned.
A staging host matches a learned one when it is that host or under it: ``acme.com`` learned
from an address matches ``api.acme.com`` in staging; ``hooks.slack.com`` learned from a URL
does not make every ``slack.com`` a hit.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable, Iterator

RESERVED_TLDS = frozenset({"example", "invalid", "test", "localhost"})  # RFC 2606, RFC 6761
RESERVED_DOMAINS = frozenset({"example.com", "example.net", "example.org"})
VERDICTS_LIMIT = 100_000  # hosts whose is_destination answer is remembered (bounded memory)
QUIET_NETWORKS = tuple(
    ipaddress.ip_network(n)
    for n in ("127.0.0.0/8", "0.0.0.0/32", "192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24")
)
# the largest public mailbox providers: their domain is no one's destination (see above);
# another is added by the user to ``secrets.allow``
MAILBOX_PROVIDERS = frozenset(
    {
        "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "hotmail.co.uk",
        "hotmail.fr", "live.com", "msn.com", "yahoo.com", "yahoo.co.uk", "yahoo.fr",
        "yahoo.de", "yahoo.co.jp", "ymail.com", "rocketmail.com", "icloud.com", "me.com",
        "mac.com", "aol.com", "proton.me", "protonmail.com", "pm.me", "gmx.com", "gmx.de",
        "gmx.net", "web.de", "t-online.de", "mail.com", "yandex.ru", "yandex.com",
        "mail.ru", "zoho.com", "fastmail.com", "hey.com", "tutanota.com", "qq.com",
        "163.com", "126.com", "naver.com", "daum.net", "orange.fr", "free.fr",
        "laposte.net", "libero.it", "seznam.cz", "wp.pl", "o2.pl", "uol.com.br",
        "bol.com.br", "rediffmail.com",
    }
)  # fmt: skip

LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
NAME = rf"{LABEL}(?:\.{LABEL})+"
# scheme://[userinfo@]host — any scheme: http(s), ws(s), ftp, smtp, postgres, redis, amqp…
URL_HOST = re.compile(rf"(?i)\b[a-z][a-z0-9+.\-]*://(?:[^\s/?#@]*@)?({NAME})")
EMAIL_DOMAIN = re.compile(rf"(?i)[\w.!#$%&'*+=?^`{{|}}~\-]@({NAME})")
# any host-like run in a staging text: in a URL, after an @, or alone in a sentence
HOST_LIKE = re.compile(rf"(?i)(?<![\w.\-]){NAME}(?![\w\-]|\.\w)")
WHOLE_NAME = re.compile(rf"(?i)\s*({NAME})\.?\s*")
# an IPv6 literal: in a URL it is bracketed (``http://[2001:db8::1]:8080/``); in other text
# any run of hex groups and colons that ``ipaddress`` accepts
URL_HOST_V6 = re.compile(
    r"(?i)\b[a-z][a-z0-9+.\-]*://(?:[^\s/?#@]*@)?\[([0-9a-f:.]+)(?:%[\w.]+)?\]"
)
V6_LIKE = re.compile(r"(?i)(?<![\w:.])(?:[0-9a-f]{0,4}:){2,7}[0-9a-f.]{0,15}(?![\w:])")
QUIET_V6 = tuple(ipaddress.ip_network(n) for n in ("::1/128", "::/128", "fe80::/10"))


def ipv6(text: str) -> str | None:
    """``text`` as a compressed IPv6 address (the one spelling hosts are kept in), or None."""
    try:
        return ipaddress.IPv6Address(text).compressed
    except ValueError:
        return None


def v6_in(text: str) -> Iterator[str]:
    """Every IPv6 address in a text, compressed."""
    for match in V6_LIKE.finditer(text):
        address = ipv6(match.group())
        if address is not None:
            yield address


def email_tail(text: str) -> str | None:
    """For a text with one ``@`` (not first) and no URL: the character before it and all
    after, which hold every host :meth:`HostIndex.destinations` finds in the whole text (an
    address's domain is all EMAIL_DOMAIN can match; URL hosts need ``://``, a bare name no
    ``@``). None for any other text."""
    at = text.find("@")
    if at < 1 or text.find("@", at + 1) >= 0 or "://" in text:
        return None
    return text[at - 1 :]


def _suffixes():
    """tldextract with only its bundled public-suffix snapshot: never touches the network
    (the one detection uses, :mod:`sanitizer.mask.text.offline`)."""
    from sanitizer.mask.text.offline import offline_extractor

    return offline_extractor()


def _ip(host: str) -> ipaddress.IPv4Address | None:
    try:
        return ipaddress.IPv4Address(host)
    except ValueError:
        return None


def _under(host: str, domains: Iterable[str]) -> bool:
    return any(host == d or host.endswith(f".{d}") for d in domains)


def parents(host: str) -> Iterator[str]:
    """``host`` and every name above it with a dot: a.b.acme.com, b.acme.com, acme.com."""
    labels = host.split(".")
    for start in range(len(labels) - 1):
        yield ".".join(labels[start:])


def quiet_hosts(sinks: Iterable[str], allow: Iterable[str]) -> list[str]:
    """The sinks' hosts (``mail.staging.test:1025`` → ``mail.staging.test``) and the allowed
    values: names a staging text may hold."""
    hosts = [h.rsplit(":", 1)[0] if h.count(":") == 1 else h for h in sinks]
    return [*hosts, *allow]


class HostIndex:
    """The production destination hosts a run (or ``verify``) learned, and where from.

    ``sinks`` and ``allow`` come from ``secrets:`` in sanitize.yaml; each learned host
    remembers the first field it came from (``app.contacts.email``), which a hit names
    instead of the host — a host is production data too."""

    def __init__(self, sinks: Iterable[str] = (), allow: Iterable[str] = ()) -> None:
        quiet = quiet_hosts(sinks, allow)
        self.quiet = frozenset(s.strip().lower().rstrip(".") for s in quiet if s)
        self.hosts: dict[str, str] = {}  # host → the field it was first learned from
        self._verdicts: dict[str, bool] = {}  # is_destination's answers: hosts repeat a lot
        self._tail_hosts: dict[str, tuple[str, ...]] = {}  # destinations of address tails

    def __len__(self) -> int:
        return len(self.hosts)

    # -- learning (production) -------------------------------------------------------------
    def learn(self, texts: Iterable[object], field: str) -> int:
        """Learn the destination hosts in ``texts`` (a masked field's production values):
        URL hosts, email domains, and a value that is a host name by itself."""
        added = 0
        tails: set[str] = set()  # addresses' tails already learned from
        for text in texts:
            if not isinstance(text, str) or ("." not in text and "[" not in text):
                continue
            tail = email_tail(text)
            if tail is not None:
                if tail in tails:
                    continue  # a million addresses share a few hundred domains
                tails.add(tail)
            found = self.destinations(text) if tail is None else self._tail_destinations(tail)
            for host in found:
                if host not in self.hosts:
                    self.hosts[host] = field
                    added += 1
        return added

    def _tail_destinations(self, tail: str) -> tuple[str, ...]:
        """:meth:`destinations` of an address's tail, remembered across calls (a field's
        values come in thousands at a time, each call sharing the same few thousand tails).
        Only what a tail holds is remembered, not whether it was learned: a copy of this
        index with fresh ``hosts`` (a piece's, verify/pieces.py) learns them again."""
        found = self._tail_hosts.get(tail)
        if found is None:
            if len(self._tail_hosts) >= VERDICTS_LIMIT:
                self._tail_hosts.clear()
            found = self._tail_hosts[tail] = tuple(self.destinations(tail))
        return found

    def destinations(self, text: str) -> Iterator[str]:
        for match in URL_HOST_V6.finditer(text):
            address = ipv6(match.group(1))
            if address is not None and self.is_destination(address):
                yield address
        for match in URL_HOST.finditer(text):
            host = match.group(1).lower()
            if self.is_destination(host):
                yield host
        for match in EMAIL_DOMAIN.finditer(text):
            host = match.group(1).lower()
            if host not in MAILBOX_PROVIDERS and self.is_destination(host):
                yield host
        whole = WHOLE_NAME.fullmatch(text)
        if whole and "@" not in text:
            host = whole.group(1).lower()
            if _ip(host) is None and _suffixes()(host).suffix and self.is_destination(host):
                yield host

    def is_destination(self, host: str) -> bool:
        """Whether ``host`` could reach someone: not reserved, quiet, a sink or allowed
        (remembered per host: a million emails share a few hundred domains)."""
        verdict = self._verdicts.get(host)
        if verdict is None:
            if len(self._verdicts) >= VERDICTS_LIMIT:
                self._verdicts.clear()
            verdict = self._verdicts[host] = self._is_destination(host)
        return verdict

    def _is_destination(self, host: str) -> bool:
        host = host.rstrip(".")
        v6 = ipv6(host)
        if v6 is not None:  # documentation addresses too: the brief's [2001:db8::1] is learned
            address = ipaddress.IPv6Address(v6)
            return v6 not in self.quiet and not any(address in n for n in QUIET_V6)
        if "." not in host or _under(host, self.quiet):
            return False
        address = _ip(host)
        if address is not None:
            return not any(address in net for net in QUIET_NETWORKS)
        if host.rsplit(".", 1)[1] in RESERVED_TLDS or _under(host, RESERVED_DOMAINS):
            return False
        parts = _suffixes()(host)
        return not (parts.suffix and not parts.domain)  # a public suffix alone: too broad

    # -- sweeping (staging) ---------------------------------------------------------------
    def found_in(self, text: str) -> str | None:
        """The field a learned host in ``text`` was learned from, or None."""
        if not self.hosts or ("." not in text and ":" not in text):
            return None
        hosts = self.hosts
        if text.count(":") >= 2:
            for address in v6_in(text):
                if address in hosts:
                    return hosts[address]
        for match in HOST_LIKE.finditer(text):
            for name in parents(match.group().lower()):
                if name in hosts:
                    return hosts[name]
        return None
