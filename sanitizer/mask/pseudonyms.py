"""The keyed derivation every operator shares, so one value masks the same way everywhere.

A pseudonym is drawn from ``blake2b(key, domain ‖ value ‖ attempt)`` — a keyed MAC of the
HMAC class. The *domain* is the kind of value (``email``, ``name``, ``format``…), not the
column, so ``jane@corp.com`` becomes the same fake in every table, JSON document and run that
uses the same key; a different key changes every pseudonym. ``attempt`` lets a ``unique``
column re-draw deterministically after a collision.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Sequence

DIGEST_SIZE = 32


class Keyring:
    """Derives digests from the staging-side secret; the key itself is never exposed."""

    __slots__ = ("_key",)

    def __init__(self, secret: bytes) -> None:
        # blake2b takes at most 64 key bytes: stretch any secret to exactly that.
        self._key = hashlib.blake2b(secret, digest_size=64, person=b"sanitizer-key").digest()

    def subkey(self, purpose: str) -> bytes:
        """A key for one purpose (e.g. format-preserving scrambling), derived from the secret."""
        return hashlib.blake2b(purpose.encode(), key=self._key, digest_size=32).digest()

    def digest(self, domain: str, value: str, attempt: int = 0) -> bytes:
        """The keyed digest of one (domain, value) pair."""
        message = f"{domain}\x00{value}\x00{attempt}".encode("utf-8", "surrogatepass")
        return hashlib.blake2b(message, key=self._key, digest_size=DIGEST_SIZE).digest()

    def digests(self, domain: str, values: Sequence[str], attempt: int = 0) -> list[bytes]:
        """Digests of many values of one domain (callers pass unique values)."""
        key, size = self._key, DIGEST_SIZE
        blake = hashlib.blake2b
        suffix = f"\x00{attempt}"
        return [
            blake(
                f"{domain}\x00{v}{suffix}".encode("utf-8", "surrogatepass"),
                key=key,
                digest_size=size,
            ).digest()
            for v in values
        ]


def normalize(domain: str, value: str) -> str:
    """The identity of a value within its domain: what must map to the same pseudonym.

    ``Jane.Doe@Corp.com`` and ``jane.doe@corp.com `` are one person's email; ``(555) 010-4477``
    and ``555.010.4477`` one phone. Case and formatting come back from the original afterwards.
    """
    text = unicodedata.normalize("NFC", value).strip()
    if domain in (
        "email",
        "username",
        "url",
        "name",
        "first_name",
        "last_name",
        "company",
        "city",
        "street",
        "address",
        "person",
    ):
        return " ".join(text.casefold().split())
    if domain in ("phone", "credit_card", "ssn"):
        digits = "".join(ch for ch in text if ch.isdigit())
        return digits or text
    if domain == "uuid":
        return text.lower().replace("-", "").strip("{}")
    return text


class Draw:
    """Turns one digest into a stream of bounded integers (choices, digits, offsets)."""

    __slots__ = ("_digest", "_pos")

    def __init__(self, digest: bytes) -> None:
        self._digest = digest
        self._pos = 0

    def below(self, n: int) -> int:
        """An integer in [0, n), using 4 fresh bytes (cycling with a rehash when exhausted)."""
        if self._pos + 4 > len(self._digest):
            self._digest = hashlib.blake2b(self._digest, digest_size=DIGEST_SIZE).digest()
            self._pos = 0
        chunk = self._digest[self._pos : self._pos + 4]
        self._pos += 4
        return int.from_bytes(chunk, "big") % n

    def pick(self, items: Sequence[str]) -> str:
        return items[self.below(len(items))]

    def digits(self, count: int) -> str:
        return "".join(str(self.below(10)) for _ in range(count))

    def token(self, length: int, alphabet: str = "abcdefghijklmnopqrstuvwxyz0123456789") -> str:
        return "".join(alphabet[self.below(len(alphabet))] for _ in range(length))

    def unit(self) -> float:
        """A float in [0, 1)."""
        return self.below(2**32) / 2**32
