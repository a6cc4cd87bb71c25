"""A token → a keyed stand-in of the same shape: its service's prefix kept (``sk_live_``
becoming ``sk_test_``), every other letter and digit drawn from the key in its own class, and
the mark written last (marker.py). Shared by :mod:`neutralize` (credentials) and :mod:`urls`
(userinfo and token parameters); docs/rules.md, "Secrets and live destinations".
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from sanitizer.mask.pseudonyms import Draw, Keyring
from sanitizer.mask.secrets.marker import FAMILIES, char_class, families, stamp
from sanitizer.mask.secrets.rules import ruleset

KeyLike = bytes | str | Keyring
LIVE = re.compile(r"(?i)(?<=[_-])(live|prod)(?=[_-])")
DOMAIN = "secret"


@lru_cache(maxsize=16)
def _keyring_for(key: bytes) -> Keyring:
    return Keyring(key)


def keyring_of(key: KeyLike) -> Keyring:
    """The run's :class:`Keyring` (``Keyring(settings.key)``) from the key or the keyring."""
    if isinstance(key, Keyring):
        return key
    return _keyring_for(key.encode() if isinstance(key, str) else bytes(key))


@cache
def _prefixes() -> tuple[str, ...]:
    """Literal prefixes of gitleaks' specific rules (their keywords), longest first."""
    words = {
        k
        for rule in ruleset().rules
        if rule.id != "generic-api-key"
        for k in rule.keywords
        if len(k) >= 2 and k != "ey" and not k.startswith("-----")
    }
    return tuple(sorted(words, key=len, reverse=True))


def prefix_length(text: str) -> int:
    """How many leading characters are a service's prefix (kept as they are)."""
    lower = text.lower()
    for word in _prefixes():
        if lower.startswith(word):
            return len(word)
    return 0


def neutralize_token(text: str, keyring: Keyring, domain: str = DOMAIN, attempt: int = 0) -> str:
    """Shape-kept, keyed, marked stand-in of one token (no whitespace handling)."""
    keep = prefix_length(text)
    # ``sk_live_`` → ``sk_test_``: the separator after the prefix is read to see the word end
    head = LIVE.sub(lambda m: _same_case("test", m.group()), text[: keep + 1])[:keep]
    for draw in range(attempt * 4, attempt * 4 + 4):
        out = scramble(text, keyring.digest(domain, text, draw), keep, head)
        if out != text:
            return out
    return out


def scramble(text: str, digest: bytes, keep: int = 0, head: str = "", mark: bool = True) -> str:
    """Every letter and digit after ``keep`` drawn from ``digest`` in its own class and the
    text's family; other characters kept; the mark written last."""
    draw = Draw(digest)
    family = families(text[keep:])[0]
    alphabets = FAMILIES[family]
    chars = list(head or text[:keep]) + list(text[keep:])
    classes = [char_class(c) for c in chars]
    for i in range(keep, len(chars)):
        cls = classes[i]
        if cls:
            chars[i] = draw.pick(alphabets[cls])
    if mark:
        stamp(chars, classes, family, keep)
    return "".join(chars)


def _same_case(word: str, like: str) -> str:
    return word.upper() if like.isupper() else word
