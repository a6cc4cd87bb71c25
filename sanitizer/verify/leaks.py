"""The leak check: keyed digests of production values, looked for in everything staging holds.

Masking rules say what should happen; this checks what did. Every value a masking rule
changed (an email, a name, a phone, a tax id) is reduced to a keyed digest of its normalised
words; then every text staging holds — cells, JSON, documents, metadata, object contents and
keys — is cut into the same word windows and looked up. A hit means a production value reached
staging: the run fails with the leak exit code and names where (field and row key), never what.

Only digests are kept, so the check can run over any volume without holding production values.
The digest is Python's own keyed hash (SipHash, keyed per process) over the run's verification
subkey and the words: fast enough to look up every word window of every staging text, and
meaningless outside the process that made it. Values too short or too common to identify anyone
(``"Paris"``, ``"12"``) are not tracked: a fake could produce them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from sanitizer.mask.fakes import could_be_fake
from sanitizer.mask.pseudonyms import Keyring
from sanitizer.mask.text.known_values import WORD, WordIndex, trackable, words

MAX_HITS = 20  # reported per run: enough to find the rule to fix


def verification_key(keyring: Keyring) -> bytes:
    """The salt of a run's leak digests: derived from the pseudonym key, never the key."""
    return keyring.subkey("verify")


class HashMemo:
    """A set of values' hashes (Python's own, keyed per process, as :func:`first_seen` uses)
    in sorted numpy arrays: 8 bytes a value, where a Python set of ints takes about 60, so a
    run can remember every distinct value of a 4M-row table. Looked up a batch at a time."""

    MERGE = 8  # batches added before they are merged into one sorted array

    def __init__(self) -> None:
        self._main = np.empty(0, dtype=np.int64)
        self._recent: list[np.ndarray] = []

    def __len__(self) -> int:
        return len(self._main) + sum(len(chunk) for chunk in self._recent)

    def holds(self, hashes: np.ndarray) -> np.ndarray:
        """Which of ``hashes`` are in the memo (a boolean mask)."""
        found = _in_sorted(hashes, self._main)
        for chunk in self._recent:
            found |= _in_sorted(hashes, chunk)
        return found

    def add(self, hashes: np.ndarray) -> None:
        if len(hashes):
            self._recent.append(np.unique(hashes))
        if len(self._recent) >= self.MERGE:
            self._main = np.union1d(self._main, np.concatenate(self._recent))
            self._recent = []


def hashes_of(values: list[object]) -> np.ndarray:
    return np.fromiter(map(hash, values), dtype=np.int64, count=len(values))


def _in_sorted(hashes: np.ndarray, table: np.ndarray) -> np.ndarray:
    if not len(table):
        return np.zeros(len(hashes), dtype=bool)
    at = np.minimum(np.searchsorted(table, hashes), len(table) - 1)
    return table[at] == hashes


def first_seen(values: list[object], seen: set[int] | HashMemo) -> list[object]:
    """The values whose hash is not in ``seen`` yet (and remember them); of values sharing a
    hash, the first."""
    if isinstance(seen, HashMemo):
        hashes = hashes_of(values)
        _, first = np.unique(hashes, return_index=True)
        first = np.sort(first[~seen.holds(hashes[first])])
        seen.add(hashes[first])
        return [values[i] for i in first.tolist()]
    fresh = []
    for value in values:
        digest = hash(value)
        if digest not in seen:
            seen.add(digest)
            fresh.append(value)
    return fresh


__all__ = ["Hit", "LeakIndex", "LeakReport", "trackable", "verification_key", "words"]


@dataclass
class Hit:
    """Where a production value was found: a field and a row key, never the value."""

    where: str  # e.g. "app.messages.body" or "files:tickets/1.json"
    key: str  # e.g. "id=42", a document id, an object key


class LeakIndex(WordIndex):
    """Keyed digests of production values (the run's verification key salts them).

    A value a fake could have produced — every word a first name, last name or a city's
    prefix or suffix from the fake pools ("Eric Porter", "South Tracy") — is not tracked:
    finding it in staging proves nothing, as detection may have put it there as a fake.
    """

    def __init__(self, key: bytes) -> None:
        super().__init__(salt=key)
        self._sizes: list[int] = []  # the word counts of values, longest first

    def add(self, value: str, label: str = "") -> bool:
        tokens = words(value)
        if not trackable(tokens) or could_be_fake(tokens):
            return False
        self.labels.setdefault(self._hash(tokens), label)
        if len(tokens) not in self.sizes:
            self.sizes.add(len(tokens))
            self._sizes = sorted(self.sizes, reverse=True)
        self.firsts.add(hash((self.salt, tokens[0])))
        return True

    @property
    def key(self) -> bytes:
        return self.salt

    def digest(self, value: str) -> int:
        """The keyed digest of a whole value's words, as the index holds tracked values."""
        return self._hash(words(value))

    def add_all(self, values: Iterable[object]) -> None:
        for value in values:
            if isinstance(value, str):
                self.add(value)

    def forget_within(self, fakes: Iterable[object]) -> None:
        """Stop tracking values that occur inside fakes this run produced: a fake can
        legitimately contain another row's original ("South Tracy" from the city pool inside
        a fake address, "da Paz" inside a fake name), so finding it proves nothing."""
        self.discard_within(fakes)

    def found_in(self, text: str) -> bool:
        """Whether any tracked value occurs in ``text`` as a run of whole words (the scan's
        inner loop: every staging text passes here, so it only hashes and looks up)."""
        if not self.labels:
            return False
        salt, firsts, labels = self.salt, self.firsts, self.labels
        tokens = [w.casefold() for w in WORD.findall(text)]
        count = len(tokens)
        for start, token in enumerate(tokens):
            if hash((salt, token)) not in firsts:
                continue
            for size in self._sizes:
                end = start + size
                if end <= count and hash((salt, "\x1f".join(tokens[start:end]))) in labels:
                    return True
        return False


@dataclass
class LeakReport:
    """Hits gathered over a whole scan, bounded."""

    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    scanned: int = 0

    def check(self, index: LeakIndex, where: str, key: str, text: str) -> None:
        """Look ``text`` up; on a hit, record where (``key`` names the row, never a value)."""
        self.scanned += 1
        if index.found_in(text):
            self.record(where, key)

    def record(self, where: str, key: str) -> None:
        self.total += 1
        if len(self.hits) < MAX_HITS:
            self.hits.append(Hit(where, key))

    def describe(self) -> str:
        places = ", ".join(f"{h.where} ({h.key})" for h in self.hits)
        more = f" and {self.total - len(self.hits)} more" if self.total > len(self.hits) else ""
        return f"{self.total} staging value(s) hold a production value: {places}{more}"
