"""A URL → the same URL shape, pointing at a sandbox (``{url: sandbox}``, ``detect`` URL).

- The host becomes ``<keyed-hash>.<default sink>`` (``….sandbox.invalid`` unless
  ``secrets.sinks.default`` says otherwise), or the exact host of a named sink that matches the
  destination (by scheme, service or domain: hosts.py). The same host always gets the same
  hash, so two URLs of one customer still share a host.
- A database URL always points at nothing: ``<keyed-hash>.sandbox.invalid``, whatever the sinks.
- The path keeps its segments: plain words (``/api/v1/webhooks``) stay, ids and tokens are
  scrambled in shape; query and fragment keep their names, token-ish values (``token``,
  ``sig``, ``api_key``…) are neutralized like any credential, URLs inside are sandboxed too.
- Userinfo: the user name is scrambled in shape, the password neutralized.

Port, scheme, separators and percent-encoding are kept.
"""

from __future__ import annotations

import re
from urllib.parse import quote, unquote

from sanitizer.mask.pseudonyms import Keyring
from sanitizer.mask.secrets.find import DB_SCHEMES, TOKEN_PARAMS
from sanitizer.mask.secrets.hosts import named_sink
from sanitizer.mask.secrets.settings import DEFAULT_SINK, SecretsSettings
from sanitizer.mask.secrets.tokens import KeyLike, keyring_of, neutralize_token, scramble

_SCHEME = re.compile(r"^((?:jdbc:)?[A-Za-z][A-Za-z0-9+.-]*:)(//)?")
_PLAIN = re.compile(r"^[a-z]+(?:[-_.][a-z]+)*(?:\.[a-z0-9]{1,5})?$")
_PLAIN_VALUE = re.compile(r"^(?:[a-z]+(?:[-_.][a-z]+)*|\d{1,4}|true|false)$", re.IGNORECASE)
_BARE_HOST = re.compile(r"^(?:[^/@\s]*@)?[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?::\d+)?(?:[/?#]|$)")
HASH_LENGTH = 12
OPAQUE = frozenset({"mailto:", "urn:", "data:", "tel:", "sms:", "news:"})  # no host after them


def sandbox_url(url: str, key: KeyLike, sinks: SecretsSettings | None = None) -> str:
    """``url`` with its host moved to a sandbox and its credentials neutralized (module doc)."""
    keyring = keyring_of(key)
    text = url.strip()
    if not text:
        return url
    lead = url[: len(url) - len(url.lstrip())]
    trail = url[len(url.rstrip()) :]
    return f"{lead}{_sandbox(text, keyring, sinks)}{trail}"


def _sandbox(text: str, keyring: Keyring, settings: SecretsSettings | None) -> str:
    scheme_match = _SCHEME.match(text)
    if scheme_match and not scheme_match.group(2) and scheme_match.group(1).lower() not in OPAQUE:
        scheme_match = None  # ``api.acme.io:8443/x``: a host and a port, not a scheme
    if not scheme_match and not _BARE_HOST.match(text):
        return text  # no scheme and no host (``n/a``, ``pending``): no destination to move
    scheme, slashes = ("", "") if not scheme_match else scheme_match.groups("")
    rest = text[scheme_match.end() :] if scheme_match else text
    if scheme and not slashes:
        if scheme.lower() == "mailto:":
            return scheme + _mailto(rest, keyring, settings)
        return scheme + _tail(rest, keyring, settings)  # urn:, data: …: no host to move
    bare_scheme = scheme.rstrip(":").lower().removeprefix("jdbc:")
    split = re.search(r"[/?#]", rest)
    netloc, tail = (rest[: split.start()], rest[split.start() :]) if split else (rest, "")
    userinfo, at, hostlist = netloc.rpartition("@")
    hosts = [_host(h, bare_scheme, keyring, settings) for h in hostlist.split(",")]
    if at:
        userinfo = _userinfo(userinfo, keyring)
    return f"{scheme}{slashes}{userinfo}{at}{','.join(hosts)}{_tail(tail, keyring, settings)}"


def _host(hostport: str, scheme: str, keyring: Keyring, settings: SecretsSettings | None) -> str:
    if hostport.startswith("["):
        host, _, port = hostport[1:].partition("]")
        port = port.removeprefix(":")
    else:
        host, _, port = hostport.partition(":")
    if not host:
        return hostport
    tag = keyring.digest("url-host", host.lower().rstrip(".")).hex()[:HASH_LENGTH]
    if scheme in DB_SCHEMES:
        new = f"{tag}.{DEFAULT_SINK}"
    else:
        named = named_sink(scheme, host, settings)
        if named:
            sink_host, _, sink_port = named.partition(":")
            return f"{sink_host}:{sink_port or port}" if (sink_port or port) else sink_host
        default = settings.default_sink if settings else DEFAULT_SINK
        new = f"{tag}.{default}"
    return f"{new}:{port}" if port else new


def _userinfo(userinfo: str, keyring: Keyring) -> str:
    user, colon, password = userinfo.partition(":")
    user = _piece(user, keyring, "url-user") if user else user
    if password:
        password = _encoded(password, lambda v: neutralize_token(v, keyring))
    return f"{user}{colon}{password}"


def _tail(tail: str, keyring: Keyring, settings: SecretsSettings | None) -> str:
    """Path, query and fragment: each part keeps its separators."""
    path, _, fragment = tail.partition("#")
    path, question, query = path.partition("?")
    out = "/".join(_segment(s, keyring) for s in path.split("/"))
    if question:
        out += "?" + _query(query, keyring, settings)
    if "#" in tail:
        out += "#" + (
            _query(fragment, keyring, settings) if "=" in fragment else _segment(fragment, keyring)
        )
    return out


def _segment(segment: str, keyring: Keyring) -> str:
    if len(segment) <= 3 or _PLAIN.match(segment):
        return segment
    stem, dot, extension = segment.rpartition(".")
    if dot and stem and re.fullmatch(r"[A-Za-z0-9]{1,5}", extension):
        return _piece(stem, keyring, "url-path") + dot + extension
    return _piece(segment, keyring, "url-path")


def _query(query: str, keyring: Keyring, settings: SecretsSettings | None) -> str:
    parts = []
    for pair in re.split(r"([&;])", query):
        if pair in ("&", ";") or "=" not in pair:
            parts.append(pair if pair in ("&", ";") or not pair else _segment(pair, keyring))
            continue
        name, _, value = pair.partition("=")
        parts.append(f"{name}={_value(unquote(name), value, keyring, settings)}")
    return "".join(parts)


def _value(name: str, value: str, keyring: Keyring, settings: SecretsSettings | None) -> str:
    if not value:
        return value
    if TOKEN_PARAMS.match(name):
        return _encoded(value, lambda v: neutralize_token(v, keyring))
    plain = unquote(value)
    if "://" in plain:
        return _encoded(value, lambda v: _sandbox(v, keyring, settings))
    if _PLAIN_VALUE.match(plain):
        return value
    return _encoded(value, lambda v: _piece(v, keyring, "url-query"))


def _mailto(rest: str, keyring: Keyring, settings: SecretsSettings | None) -> str:
    address, question, query = rest.partition("?")
    local, at, domain = address.rpartition("@")
    if at:
        sink = named_sink("smtp", domain, settings) or (
            keyring.digest("url-host", domain.lower()).hex()[:HASH_LENGTH]
            + "."
            + (settings.default_sink if settings else DEFAULT_SINK)
        )
        address = f"{_piece(local, keyring, 'url-user')}@{sink.partition(':')[0]}"
    return address + (question + _query(query, keyring, settings) if question else "")


def _piece(text: str, keyring: Keyring, domain: str) -> str:
    """A path segment, user name or query value: shape kept, keyed, unmarked."""
    return scramble(text, keyring.digest(domain, text), mark=False)


def _encoded(raw: str, change) -> str:  # type: ignore[no-untyped-def]
    """Apply ``change`` to the decoded value and encode it back the way the original was."""
    if "%" not in raw and "+" not in raw:
        return change(raw)
    return quote(change(unquote(raw)), safe="")
