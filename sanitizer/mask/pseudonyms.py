"""The keyed derivation every operator shares, so one value masks the same way everywhere.

A pseudonym is drawn from ``blake2b(key, domain ‖ value ‖ attempt)`` — a keyed MAC of the
HMAC class. The *domain* is the kind of value (``email``, ``name``, ``format``…), not the
column, so ``jane@corp.com`` becomes the same fake in every table, JSON document and run that
uses the same key; a different key changes every pseudonym. ``attempt`` lets a ``unique``
column re-draw deterministically after a collision.
"""

from __future__ import annotations

import base64
import hashlib
import unicodedata
from collections.abc import Sequence

import polars as pl

DIGEST_SIZE = 32
SUBKEYS = 64  # derived keys remembered per keyring


class Keyring:
    """Derives digests from the staging-side secret; the key itself is never exposed."""

    __slots__ = ("_key", "_subkeys")

    def __init__(self, secret: bytes) -> None:
        # blake2b takes at most 64 key bytes: stretch any secret to exactly that.
        self._key = hashlib.blake2b(secret, digest_size=64, person=b"sanitizer-key").digest()
        self._subkeys: dict[str, bytes] = {}

    def subkey(self, purpose: str) -> bytes:
        """A key for one purpose (e.g. format-preserving scrambling), derived from the secret
        (remembered: every small object's fakes ask for the same few)."""
        subkey = self._subkeys.get(purpose)
        if subkey is None:
            if len(self._subkeys) >= SUBKEYS:  # purposes are a handful (and re-draw attempts)
                self._subkeys.clear()
            subkey = hashlib.blake2b(purpose.encode(), key=self._key, digest_size=32).digest()
            self._subkeys[purpose] = subkey
        return subkey

    def digest(self, domain: str, value: str, attempt: int = 0) -> bytes:
        """The keyed digest of one (domain, value) pair."""
        message = f"{domain}\x00{value}\x00{attempt}".encode("utf-8", "surrogatepass")
        return hashlib.blake2b(message, key=self._key, digest_size=DIGEST_SIZE).digest()

    def digests(self, domain: str, values: Sequence[str], attempt: int = 0) -> list[bytes]:
        """Digests of many values of one domain (callers pass unique values): each of
        :meth:`digest`, from a copy of one state that holds the key and the domain (a
        keyed constructor per value cost a third more; docs/benchmarks.md)."""
        start = hashlib.blake2b(
            f"{domain}\x00".encode("utf-8", "surrogatepass"),
            key=self._key,
            digest_size=DIGEST_SIZE,
        )
        suffix = f"\x00{attempt}"

        def one(message: bytes) -> bytes:
            state = start.copy()
            state.update(message)
            return state.digest()

        return [one(f"{v}{suffix}".encode("utf-8", "surrogatepass")) for v in values]


WORD_DOMAINS = frozenset(
    "email username url name first_name last_name company city street address person".split()
)  # compared by their case-folded words
DIGIT_DOMAINS = frozenset(("phone", "credit_card", "ssn"))  # compared by their digits
ASCII_SPACE = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f "  # what str.isspace() takes, in ASCII
ASCII_SPACES = r"[\t\n\x0B\x0C\r\x1C-\x1F ]+"  # the same, for Rust's engine
BULK_NORMALIZE = 64  # values: below, one at a time costs less than a polars pass


def normalize(domain: str, value: str) -> str:
    """The identity of a value within its domain: what must map to the same pseudonym.

    ``Jane.Doe@Corp.com`` and ``jane.doe@corp.com `` are one person's email; ``(555) 010-4477``
    and ``555.010.4477`` one phone. Case and formatting come back from the original afterwards.
    """
    text = unicodedata.normalize("NFC", value).strip()
    if domain in WORD_DOMAINS:
        return " ".join(text.casefold().split())
    if domain in DIGIT_DOMAINS:
        return digits_of(text) or text
    if domain == "uuid":
        return text.lower().replace("-", "").strip("{}")
    return text


def normalize_many(domain: str, values: list[str]) -> list[str]:
    """:func:`normalize` of many texts. ASCII texts of the word and digit domains go through
    one polars pass: there NFC changes nothing, case folding is lowercasing and Python's
    whitespace is :data:`ASCII_SPACE`, so the pass is the same function (a test holds them
    equal); anything else goes one at a time."""
    if (
        len(values) < BULK_NORMALIZE
        or domain not in WORD_DOMAINS | DIGIT_DOMAINS
        or not all(map(str.isascii, values))
    ):
        return [normalize(domain, value) for value in values]
    text = pl.col("t").str.strip_chars(ASCII_SPACE)
    if domain in WORD_DOMAINS:
        key = text.str.to_lowercase().str.replace_all(ASCII_SPACES, " ")
    else:
        digits = text.str.replace_all("[^0-9]", "")
        key = pl.when(digits == "").then(text).otherwise(digits)
    frame = pl.DataFrame({"t": pl.Series(values, dtype=pl.String)})
    return frame.select(key.alias("k")).to_series().to_list()


def digits_of(text: str) -> str:
    """The characters of ``text`` that ``str.isdigit`` accepts, in order (filtered in C)."""
    return "".join(filter(str.isdigit, text))


class Draw:
    """Turns one digest into a stream of bounded integers (choices, digits, offsets)."""

    __slots__ = ("_digest", "_pos")

    def __init__(self, digest: bytes) -> None:
        self._digest = digest
        self._pos = 0

    def take(self, size: int) -> bytes:
        """``size`` fresh bytes (≤ 32), rehashing the digest when it runs out."""
        if self._pos + size > len(self._digest):
            self._digest = hashlib.blake2b(self._digest, digest_size=DIGEST_SIZE).digest()
            self._pos = 0
        chunk = self._digest[self._pos : self._pos + size]
        self._pos += size
        return chunk

    def below(self, n: int) -> int:
        """An integer in [0, n) from 4 fresh bytes (bias below 1e-5 for the sizes used here)."""
        return int.from_bytes(self.take(4), "big") % n

    def pick(self, items: Sequence[str]) -> str:
        return items[self.below(len(items))]

    def digits(self, count: int) -> str:
        """``count`` decimal digits, 15 at a time from 8 bytes each."""
        parts = []
        while count > 0:
            size = min(count, 15)
            parts.append(str(int.from_bytes(self.take(8), "big") % 10**size).zfill(size))
            count -= size
        return "".join(parts)

    def token(self, length: int) -> str:
        """``length`` lowercase base-32 characters (5 bits each) from fresh digest bytes."""
        raw = self.take((length * 5 + 7) // 8)
        return base64.b32encode(raw).decode("ascii")[:length].lower()

    def unit(self) -> float:
        """A float in [0, 1)."""
        return self.below(2**32) / 2**32
