"""Finding credentials and live destinations in text (docs/rules.md, "Secrets").

Three sources of findings, merged so that overlapping ones keep the longest:

- gitleaks' rules (rules.py): a rule runs only when one of its keywords is in the text.
- URLs that carry a credential (``user:password@``, a token-ish query parameter) and database
  URLs (``postgres://…``, ``redis://…``) whose host is not a reserved or sink host.
- Keyword context: ``password=…``, ``token: …``, ``client_secret …`` followed by a value that
  is not a placeholder and looks like a credential (a digit, a symbol or mixed case, or long and
  varied enough), even when its entropy is below gitleaks' floor.

A value this package produced (:func:`sanitizer.mask.secrets.marker.is_neutralized`) is never a
finding: a neutralized ``sk_live_…`` looks like a key but certifies it is not one.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from typing import Literal
from urllib.parse import parse_qsl, unquote, urlsplit

from sanitizer.mask.secrets.hosts import is_reserved_host, is_sink_host
from sanitizer.mask.secrets.marker import is_neutralized
from sanitizer.mask.secrets.rules import Rule, entropy, ruleset
from sanitizer.mask.secrets.settings import SecretsSettings

Kind = Literal["secret", "url", "dsn", "private_key", "jwt"]

GENERIC_RULES = frozenset(
    {"generic-api-key", "keyword-context", "authorization-header", "bearer-token"}
)


@dataclass(frozen=True, order=True)
class SecretHit:
    """A finding: ``text[start:end]`` is the credential (or the whole URL), never logged."""

    start: int
    end: int
    rule: str
    kind: Kind


DB_SCHEMES = frozenset(
    {
        "postgres",
        "postgresql",
        "pgsql",
        "mysql",
        "mariadb",
        "mssql",
        "sqlserver",
        "oracle",
        "mongodb",
        "mongodb+srv",
        "redis",
        "rediss",
        "amqp",
        "amqps",
        "clickhouse",
        "cockroachdb",
        "cassandra",
        "couchdb",
        "neo4j",
        "memcached",
        "elasticsearch",
        "snowflake",
        "db2",
        "ldap",
        "ldaps",
    }
)
TOKEN_PARAMS = re.compile(
    r"(?i)^(?:access[_-]?token|refresh[_-]?token|id[_-]?token|auth[_-]?token|token|"
    r"api[_-]?key|apikey|key|secret|client[_-]?secret|password|passwd|pwd|pass|sig|signature|"
    r"x-amz-signature|x-amz-credential|x-amz-security-token|x-goog-signature|x-goog-credential|"
    r"auth|authorization|code|session|session[_-]?id|sid|jwt|hmac|private[_-]?token)$"
)
URL = re.compile(
    r"(?i)\b(?:jdbc:)?[a-z][a-z0-9+.-]{1,30}://[^\s<>\"'`\\]+",
)
_TRAILING = ".,;:!?)]}>"
CONTEXT = re.compile(
    # the keyword anywhere in a name (``db_password``, ``X-Auth-Token``): no lead-in to try
    r"(?i)(?P<word>password|passwd|passphrase|pwd|secret|token|"
    r"api[_-]?key|apikey|access[_-]?key|private[_-]?key|client[_-]?secret|credentials?)"
    r"[\"']?\s{0,3}(?:=|:|=>|:=| is )\s{0,3}[\"'`]?(?P<value>[^\s\"'`,;<>&]{6,200})"
)
PLACEHOLDER = re.compile(
    r"(?i)^(?:\*+|x+|\.+|-+|#+|<[^>]*>|\$\{[^}]*\}|\{\{[^}]*\}\}|%[a-z_]*%?|\$[a-z_]+|null|none|"
    r"nil|true|false|undefined|redacted|\[redacted\]|changeme|required|optional|string|"
    r"example|your[_-]?\w*|n/a)$"
)


def find_secrets(
    text: str,
    *,
    settings: SecretsSettings | None = None,
    keywords: Collection[str] | None = None,
) -> list[SecretHit]:
    """Credentials and live destinations in ``text``, by position, without overlaps.

    ``settings``: values on its ``allow`` list and URLs on its sink hosts are not findings.
    ``keywords``: the rule keywords ``text.lower()`` holds, when a caller found them for many
    texts at once (verify/triage.py); by default they are looked for here.
    """
    if not text or len(text) < 6:
        return []
    hits = [*_rule_hits(text, keywords), *_url_hits(text), *_context_hits(text)]
    if not hits:
        return []
    allow = settings.allow if settings else frozenset()
    live = []
    for hit in hits:  # judged before merging: a safe URL must not hide a live token inside it
        value = text[hit.start : hit.end]
        if value in allow or is_neutralized(value) or inside_neutralized(text, hit):
            continue
        safe = hit.kind in ("url", "dsn") and _host_is_safe(value, settings)
        if safe and not live_password(value, settings):
            continue
        live.append(hit)
    return _merge(live)


# the characters a token is made of, narrowest first: a rule's span may be a part of one
# (gitleaks' 40-character ``ghr_`` rule inside a 76-character token, ``glpat-…`` before
# its ``.routing`` part), and the mark sits at the end of the whole token
TOKEN_RUNS = (re.compile(r"[\w-]"), re.compile(r"[\w.+/~-]"), re.compile(r"[\w.+/~=-]"))


def inside_neutralized(text: str, hit: SecretHit) -> bool:
    """Whether ``hit`` is part of a longer token this package produced."""
    seen = {(hit.start, hit.end)}
    for run in TOKEN_RUNS:
        start, end = hit.start, hit.end
        while start > 0 and run.fullmatch(text[start - 1]):
            start -= 1
        while end < len(text) and run.fullmatch(text[end]):
            end += 1
        if (start, end) in seen:
            continue
        seen.add((start, end))
        if is_neutralized(text[start:end]):
            return True
    return False


def live_password(url: str, settings: SecretsSettings | None = None) -> bool:
    """A URL's userinfo password that is not a placeholder or one of ours, on a host that
    is not a sink: replaced even on a reserved host (``postgres://u:pw@example.com``) — the
    same password may open the real database."""
    try:
        parts = urlsplit(url.removeprefix("jdbc:"))
        password, host = parts.password, parts.hostname
    except ValueError:
        return False
    if not password or (host and is_sink_host(host, settings)):
        return False
    password = unquote(password)
    return not PLACEHOLDER.match(password) and not is_neutralized(password)


COLUMN_HINT = re.compile(
    r"(?i)(?:^|_)(?:token|secret|password|passwd|passphrase|pwd|apikey|credentials?|dsn|"
    r"(?:api|secret|private|access|signing|encryption|master|hmac|client|consumer|service)_?key|"
    r"client_?secret|webhook_?url|callback_?url|database_?url|connection_?string|conn_?str)$"
    r"|_token$|_secret$"
)
URL_HINT = re.compile(r"(?i)(?:url|uri|dsn|endpoint|webhook|callback|connection_?string)$")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def snake_name(name: str) -> str:
    """A field name as the hints read it: ``authToken``, ``X-Api-Key`` → ``auth_token``,
    ``x_api_key``."""
    return re.sub(r"[\s.-]+", "_", _CAMEL.sub("_", name.strip()))


def secret_name(name: str | None) -> bool:
    """Whether a column, JSON key or metadata field is named like a credential's."""
    return bool(name) and COLUMN_HINT.search(snake_name(name)) is not None  # type: ignore[arg-type]


def looks_like_secret(
    value: str, column: str | None = None, *, settings: SecretsSettings | None = None
) -> str | None:
    """The id of the rule that says ``value`` is a credential or live destination, or None.

    A column name such as ``api_key``, ``*_token``, ``password``, ``webhook_url`` or ``dsn``
    raises the prior: any value of such a column that is not blank or a placeholder counts
    (``column-hint:…``), as it would after ``api_key=`` in text. ``settings``: allowed values
    and sink hosts are not secrets.
    """
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text or is_neutralized(text) or (settings and text in settings.allow):
        return None
    hits = find_secrets(text, settings=settings)
    if hits:
        return max(hits, key=lambda h: h.end - h.start).rule
    if column and secret_name(column) and not PLACEHOLDER.match(text):
        if URL_HINT.search(snake_name(column)):
            return _url_rule(text, settings)
        if sum(ch.isalnum() for ch in text) >= 4 and not any(ch.isspace() for ch in text):
            return f"column-hint:{column.lower()}"
    return None


def _url_rule(text: str, settings: SecretsSettings | None) -> str | None:
    """A destination column's value: any URL with a host that is not reserved or a sink."""
    target = text if "://" in text else f"//{text}"
    try:
        parts = urlsplit(target)
        host = parts.hostname
    except ValueError:
        return None
    if not host or is_reserved_host(host) or is_sink_host(host, settings):
        return None
    if "." not in host and host != "localhost":
        return None
    return "column-hint:dsn" if parts.scheme.lower() in DB_SCHEMES else "column-hint:url"


def _keywords(lower: str) -> set[str]:
    rules = ruleset()
    found: set[str] = set()
    for match in rules.keyword_pattern.finditer(lower):
        found.update(rules.prefixes[match.group(1)])
    return found


def _rule_hits(text: str, keywords: Collection[str] | None = None) -> Iterable[SecretHit]:
    rules = ruleset()
    todo: dict[str, Rule] = {}
    for word in _keywords(text.lower()) if keywords is None else keywords:
        for rule in rules.by_keyword[word]:
            todo[rule.id] = rule
    for rule in todo.values():
        for start, end in rule_spans(rule, text):
            yield SecretHit(start, end, rule.id, _kind(rule.id, text[start:end]))


def rule_spans(rule: Rule, text: str) -> Iterator[tuple[int, int]]:
    """Where one rule finds a secret in ``text``, as gitleaks would: above the rule's entropy
    floor, not on its or the global allowlists (keywords are not checked here)."""
    allowlists = (*ruleset().global_allow, *rule.allowlists)
    for match in rule.regex.finditer(text):
        start, end = rule.secret_span(match)
        secret = text[start:end]
        if not secret or (rule.entropy and entropy(secret) <= rule.entropy):
            continue
        line = _line(text, start, end)
        matched = rule.matched_text(text, match)
        if any(a.allows(secret, matched, line) for a in allowlists):
            continue
        yield start, end


def _line(text: str, start: int, end: int) -> str:
    begin = text.rfind("\n", 0, start) + 1
    stop = text.find("\n", end)
    return text[begin : stop if stop >= 0 else len(text)]


def _kind(rule_id: str, secret: str) -> Kind:
    if rule_id == "private-key":
        return "private_key"
    if rule_id.startswith("jwt"):
        return "jwt"
    if "://" in secret or re.match(r"[\w-]+(?:\.[\w-]+)+/", secret):
        scheme = secret.split("://", 1)[0].lower() if "://" in secret else ""
        return "dsn" if scheme.removeprefix("jdbc:") in DB_SCHEMES else "url"
    return "secret"


def _url_hits(text: str) -> Iterable[SecretHit]:
    if "://" not in text:
        return
    for match in URL.finditer(text):
        url = match.group().rstrip(_TRAILING)
        start = match.start()
        rule = _url_credential(url)
        if rule:
            kind: Kind = "dsn" if rule == "database-url" else "url"
            yield SecretHit(start, start + len(url), rule, kind)


def _url_credential(url: str) -> str | None:
    """Why a URL is a live credential or destination (a rule id), or None."""
    try:
        parts = urlsplit(url.removeprefix("jdbc:"))
        host = parts.hostname
        password = parts.password
        username = parts.username
    except ValueError:
        return None
    if not host:
        return None
    if parts.scheme.lower() in DB_SCHEMES:
        return "database-url"
    if password and not is_neutralized(unquote(password)):
        return "url-userinfo"
    if username and len(username) >= 16 and entropy(username) > 3 and not password:
        return "url-userinfo"
    for query in (parts.query, parts.fragment):
        for name, value in parse_qsl(query, keep_blank_values=False):
            if (
                value
                and TOKEN_PARAMS.match(name)
                and not PLACEHOLDER.match(value)
                and not is_neutralized(value)
            ):
                return "url-token-param"
    return None


def _host_is_safe(url: str, settings: SecretsSettings | None) -> bool:
    """A URL to a reserved host, a named sink or a name under the default sink's domain."""
    target = url.removeprefix("jdbc:")
    target = target if "://" in target else f"//{target}"
    try:
        host = urlsplit(target).hostname
    except ValueError:
        return False
    return bool(host) and (is_reserved_host(host) or is_sink_host(host, settings))


# the keyword, then only spaces before a long high-entropy value ("my token 8f3Kq…"): no
# operator, so the value must look random (detect-secrets' HighEntropyString idea; the floor
# is gitleaks' generic one, 3.5 bits a character, since a 20-character string cannot reach
# detect-secrets' 4.5)
LOOSE_CONTEXT = re.compile(
    r"(?i)\b(?:password|passwd|passphrase|secret|token|api[_ -]?key|apikey|access[_ -]?key|"
    r"credentials?)\s{1,3}(?P<value>[A-Za-z0-9+/_=.~-]{20,200})(?![\w+/=.~-])"
)
LOOSE_ENTROPY = 3.5


# a keyword context needs one of these in the text (CONTEXT and LOOSE_CONTEXT's words)
CONTEXT_WORDS = ("pass", "pwd", "secret", "token", "key", "credential")


def _context_hits(text: str) -> Iterable[SecretHit]:
    lower = text.lower()
    if not any(w in lower for w in CONTEXT_WORDS):
        return
    for match in CONTEXT.finditer(text):
        raw = match.group("value")
        value = raw.rstrip(_TRAILING)
        if not PLACEHOLDER.match(raw) and _credential_like(value):
            start = match.start("value")
            yield SecretHit(start, start + len(value), "keyword-context", "secret")
    for match in LOOSE_CONTEXT.finditer(text):
        value = match.group("value").rstrip(_TRAILING)
        if len(value) >= 20 and _random_looking(value):
            start = match.start("value")
            yield SecretHit(start, start + len(value), "keyword-context", "secret")


def _random_looking(value: str) -> bool:
    """Letters and digits mixed, above the entropy floor, not a word-like name."""
    has_digit = any(c.isdigit() for c in value)
    has_letter = any(c.isalpha() for c in value)
    return has_digit and has_letter and entropy(value) >= LOOSE_ENTROPY


def _credential_like(value: str) -> bool:
    if len(value) < 6 or PLACEHOLDER.match(value) or len(set(value)) < 3:
        return False
    if "://" in value:
        return False  # a URL: judged as one by _url_hits
    has_digit = any(c.isdigit() for c in value)
    has_symbol = any(not c.isalnum() for c in value)
    mixed = any(c.isupper() for c in value) and any(c.islower() for c in value)
    if value.isdigit():
        return len(value) >= 8
    if has_digit or mixed or (has_symbol and not value.replace("-", "").replace("_", "").isalpha()):
        return True
    return len(value) >= 12 and entropy(value) >= 3.0


def _merge(hits: list[SecretHit]) -> list[SecretHit]:
    """Overlapping findings keep the longest; on a tie, a specific rule over a generic one."""
    ordered = sorted(
        hits, key=lambda h: (-(h.end - h.start), h.rule in GENERIC_RULES, h.start, h.rule)
    )
    taken: list[SecretHit] = []
    for hit in ordered:
        if all(hit.end <= t.start or hit.start >= t.end for t in taken):
            taken.append(hit)
    return sorted(taken)
