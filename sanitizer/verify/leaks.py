"""The leak check: keyed digests of production values, looked for in everything staging holds.

Masking rules say what should happen; this checks what did. Every value a masking rule
changed (an email, a name, a phone, a tax id) is reduced to a keyed digest of its normalised
words; then every text staging holds — cells, JSON, documents, metadata, object contents and
keys — is cut into the same word windows and looked up. A hit means a production value reached
staging: the run fails with the leak exit code and names where (field and row key), never what.

Only digests are kept, so the check can run over any volume without holding production values.
The digest is keyed BLAKE2b (8 bytes) over the words, keyed with the run's verification subkey:
meaningless without the key, and the same in every process and on every node, so a worker that
masks a batch can index it too and the driver only merges arrays (docs/engine.md). Single words
are looked up for every word of every staging text, so their digests are memoised per process
(bounded, see :class:`Digester`). Values too short or too common to identify anyone
(``"Paris"``, ``"12"``) are not tracked: a fake could produce them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from sanitizer.mask.fakes import could_be_fake
from sanitizer.mask.pseudonyms import Keyring
from sanitizer.mask.text.known_values import WORD, trackable, words

MAX_HITS = 20  # reported per run: enough to find the rule to fix
MEMO_WORDS = 1 << 17  # single-word digests memoised per process (~15 MB), then started afresh
PERSON = b"sz-leak-index"  # BLAKE2b's personalisation: these digests are for nothing else


def verification_key(keyring: Keyring) -> bytes:
    """The salt of a run's leak digests: derived from the pseudonym key, never the key."""
    return keyring.subkey("verify")


class HashMemo:
    """A set of 64-bit hashes in sorted numpy arrays: 8 bytes a value, where a Python set of
    ints takes about 60 (and a dict of them about 100), so a run can remember every distinct
    value of a 4M-row table in a few megabytes (docs/design.md, "Bounded memory"). Looked up
    a batch at a time; single hashes wait in a short list until the next lookup."""

    MERGE = 8  # batches added before they are merged into one sorted array
    BUFFER = 1 << 16  # single hashes pushed before they become a batch

    def __init__(self) -> None:
        self._main = np.empty(0, dtype=np.int64)
        self._recent: list[np.ndarray] = []
        self._pushed: list[int] = []

    def __len__(self) -> int:
        """Exactly how many distinct hashes are held (merges everything first)."""
        self._compact()
        return len(self._main)

    def holds(self, hashes: np.ndarray) -> np.ndarray:
        """Which of ``hashes`` are in the memo (a boolean mask)."""
        self._flush()
        found = _in_sorted(hashes, self._main)
        for chunk in self._recent:
            found |= _in_sorted(hashes, chunk)
        return found

    def add(self, hashes: np.ndarray) -> None:
        if len(hashes):
            self._recent.append(np.unique(hashes))
        if len(self._recent) >= self.MERGE:
            self._compact()

    def push(self, digest: int) -> None:
        """Add one hash (kept aside until the next lookup or a full buffer)."""
        self._pushed.append(digest)
        if len(self._pushed) >= self.BUFFER:
            self._flush()

    def discard(self, hashes: np.ndarray) -> None:
        """Forget ``hashes`` (those held; the rest are ignored)."""
        self._compact()
        if len(hashes) and len(self._main):
            self._main = self._main[~_in_sorted(self._main, np.unique(hashes))]

    def values(self) -> np.ndarray:
        """Every hash held, sorted."""
        self._compact()
        return self._main

    def _flush(self) -> None:
        if self._pushed:
            pushed, self._pushed = self._pushed, []
            self.add(np.array(pushed, dtype=np.int64))

    def _compact(self) -> None:
        self._flush()
        if self._recent:
            self._main = np.union1d(self._main, np.concatenate(self._recent))
            self._recent = []


class Digester:
    """Keyed 64-bit digests of words and runs of words: BLAKE2b keyed with the run's
    verification subkey, so a digest is the same in any process, on any node and under any
    Python version (Python's own ``hash`` is seeded per process). Keyed BLAKE2b costs about
    five times a ``hash()`` call, so single words — every word of every staging text is
    looked up — are memoised: natural text repeats its words, and a memo hit is as cheap as
    ``hash()``. The memo holds at most :data:`MEMO_WORDS` words and then starts afresh
    (docs/design.md, "Bounded memory")."""

    def __init__(self, salt: bytes) -> None:
        self._blank = hashlib.blake2b(key=salt, digest_size=8, person=PERSON)
        self._memo: dict[str, int] = {}

    def text(self, text: str) -> int:
        """The digest of one string (a word, or words joined by ``\\x1f``)."""
        h = self._blank.copy()
        h.update(text.encode("utf-8", "surrogatepass"))
        return int.from_bytes(h.digest(), "little", signed=True)

    def run(self, tokens: list[str]) -> int:
        """The digest of a run of words (as a tracked value's words are digested)."""
        return self.text("\x1f".join(tokens))

    def words(self, tokens: list[str]) -> np.ndarray:
        """The digests of single words, as an array (a one-word run digests the same)."""
        memo = self._memo
        if len(memo) > MEMO_WORDS:
            memo.clear()
        digests = list(map(memo.get, tokens))
        for at, digest in enumerate(digests):
            if digest is None:
                digests[at] = memo[tokens[at]] = self.text(tokens[at])
        return np.array(digests, dtype=np.int64)


@lru_cache(maxsize=4)
def digester(salt: bytes) -> Digester:
    """The process's digester for a run's key: a worker's memo lasts across its tasks."""
    return Digester(salt)


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


__all__ = ["Hit", "IndexPart", "LeakIndex", "LeakReport", "trackable", "verification_key", "words"]


@dataclass
class IndexPart:
    """A piece's share of the run's index, made where the piece was masked (a worker, an
    actor, or the driver): only int64 digests, the word counts of the values and the hosts
    learned — no production value travels back (docs/engine.md, "What runs where")."""

    values: np.ndarray  # digests of tracked values' words (sorted, distinct)
    firsts: np.ndarray  # digests of their first words
    sizes: frozenset[int]  # their word counts
    fakes: np.ndarray  # digests of what the rules made of them (forgotten before the scan)
    hosts: dict[str, str] = field(default_factory=dict)  # host → field it was learned from


@dataclass
class Hit:
    """Where a production value was found: a field and a row key, never the value."""

    where: str  # e.g. "app.messages.body" or "files:tickets/1.json"
    key: str  # e.g. "id=42", a document id, an object key


class LeakIndex:
    """Keyed digests of production values (the run's verification key salts them), held in
    sorted numpy arrays (:class:`HashMemo`), so the index of a 4M-row table's values takes
    megabytes and grows by 8 bytes a value (docs/design.md, "Bounded memory").

    A value a fake could have produced — every word a first name, last name or a city's
    prefix or suffix from the fake pools ("Eric Porter", "South Tracy") — is not tracked:
    finding it in staging proves nothing, as detection may have put it there as a fake.
    """

    def __init__(self, key: bytes) -> None:
        self.salt = key
        self.digests = digester(key)
        self.values = HashMemo()  # digests of whole values' words
        self.firsts = HashMemo()  # digests of their first words (a cheap first filter)
        self.sizes: set[int] = set()  # word counts of the values
        self._sizes: list[int] = []  # the same, longest first

    def __len__(self) -> int:
        return len(self.values)

    @property
    def key(self) -> bytes:
        return self.salt

    def _hash(self, tokens: list[str]) -> int:
        return self.digests.run(tokens)

    def add(self, value: str, label: str = "") -> bool:
        """Track ``value``; False when it is not worth tracking (``label`` is not kept: the
        index answers whether, never which)."""
        tokens = words(value)
        if not trackable(tokens) or could_be_fake(tokens):
            return False
        self.values.push(self._hash(tokens))
        if len(tokens) not in self.sizes:
            self.sizes.add(len(tokens))
            self._sizes = sorted(self.sizes, reverse=True)
        self.firsts.push(self.digests.text(tokens[0]))
        return True

    def part(self, fakes: Iterable[object] = (), hosts: dict[str, str] | None = None) -> IndexPart:
        """Everything this index holds, as a part to merge into another (see :meth:`merge`)."""
        masked = [self.digest(v) for v in fakes if isinstance(v, str)]
        return IndexPart(
            self.values.values(),
            self.firsts.values(),
            frozenset(self.sizes),
            np.unique(np.array(masked, dtype=np.int64)),
            dict(hosts or {}),
        )

    def merge(self, part: IndexPart) -> None:
        """Add a part made elsewhere: equal to having added its values here (the digests
        do not depend on the process)."""
        self.values.add(part.values)
        self.firsts.add(part.firsts)
        if not part.sizes <= self.sizes:
            self.sizes |= part.sizes
            self._sizes = sorted(self.sizes, reverse=True)

    def digest(self, value: str) -> int:
        """The keyed digest of a whole value's words, as the index holds tracked values."""
        return self._hash(words(value))

    def add_all(self, values: Iterable[object]) -> None:
        for value in values:
            if isinstance(value, str):
                self.add(value)

    def forget(self, digests: np.ndarray) -> None:
        """Stop tracking the values of these digests (see :meth:`digest`)."""
        self.values.discard(digests)

    def forget_within(self, fakes: Iterable[object]) -> None:
        """Stop tracking values that occur inside fakes this run produced: a fake can
        legitimately contain another row's original ("South Tracy" from the city pool inside
        a fake address, "da Paz" inside a fake name), so finding it proves nothing."""
        found: list[int] = []
        for text in fakes:
            if isinstance(text, str):
                tokens = words(text)
                for size in self.sizes:
                    for start in range(len(tokens) - size + 1):
                        found.append(self._hash(tokens[start : start + size]))
        self.forget(np.array(found, dtype=np.int64))

    def found_in(self, text: str) -> bool:
        """Whether any tracked value occurs in ``text`` as a run of whole words."""
        return bool(self.found_in_many([text])[0])

    def found_in_many(self, texts: list[str]) -> np.ndarray:
        """For each text, whether a tracked value occurs in it as a run of whole words (the
        scan's inner loop: every staging text passes here, so texts are looked up together,
        two array lookups a batch)."""
        found = np.zeros(len(texts), dtype=bool)
        if not self.sizes:
            return found
        owners, digests = [], []
        for number, tokens, start, size in self._windows(texts):
            owners.append(number)
            digests.append(self._hash(tokens[start : start + size]))
        hits = self.values.holds(np.array(digests, dtype=np.int64))
        found[np.array(owners, dtype=np.int64)[hits]] = True
        return found

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, "") of tracked values in ``text``, longest first, not overlapping."""
        if not self.sizes:
            return []
        matches = list(WORD.finditer(text))
        tokens = [m.group().casefold() for m in matches]
        firsts = self.firsts.holds(self.digests.words(tokens))
        found: list[tuple[int, int, str]] = []
        start = 0
        while start < len(tokens):
            size = self._longest_at(tokens, start) if firsts[start] else 0
            if not size:
                start += 1
                continue
            found.append((matches[start].start(), matches[start + size - 1].end(), ""))
            start += size
        return found

    def _longest_at(self, tokens: list[str], start: int) -> int:
        """The word count of the longest tracked value starting at ``tokens[start]``, or 0."""
        sizes = [size for size in self._sizes if start + size <= len(tokens)]
        digests = [self._hash(tokens[start : start + size]) for size in sizes]
        hits = self.values.holds(np.array(digests, dtype=np.int64))
        return next((size for size, hit in zip(sizes, hits, strict=True) if hit), 0)

    def _windows(self, texts: list[str]) -> Iterator[tuple[int, list[str], int, int]]:
        """(text number, tokens, start, size) of every word window of ``texts`` that starts
        at a tracked first word and has a tracked value's length."""
        tokenized = [[w.casefold() for w in WORD.findall(text)] for text in texts]
        flat = [token for tokens in tokenized for token in tokens]
        hits = np.flatnonzero(self.firsts.holds(self.digests.words(flat)))
        if not len(hits):
            return
        starts = np.cumsum([0, *map(len, tokenized)])  # each text's first token in ``flat``
        owners = np.searchsorted(starts, hits, side="right") - 1
        for number, at in zip(owners.tolist(), (hits - starts[owners]).tolist(), strict=True):
            tokens = tokenized[number]
            for size in self._sizes:
                if at + size <= len(tokens):
                    yield number, tokens, at, size


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
