"""The leak check: keyed digests of production values, looked for in everything staging holds.

Masking rules say what should happen; this checks what did. Every value a masking rule
changed (an email, a name, a phone, a tax id) is reduced to a keyed digest of its normalised
words; then every text staging holds — cells, JSON, documents, metadata, object contents and
keys — is cut into the same word windows and looked up. A hit means a production value reached
staging: the run fails with the leak exit code and names where (field and row key), never what.

Only digests are kept, so the check can run over any volume without holding production values.
Each word's digest is keyed BLAKE2b (8 bytes, keyed with the run's verification subkey) and a
value's digest folds its words' digests (:class:`Digester`): meaningless without the key, and
the same in every process and on every node, so a worker that masks a batch can index it too
and the driver only merges arrays (docs/engine.md). Values too short or too common to identify
anyone (``"Paris"``, ``"12"``) are not tracked: a fake could produce them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import polars as pl

from sanitizer.mask.fakes import could_be_fake, doc_net_start, fake_words
from sanitizer.mask.pseudonyms import Keyring
from sanitizer.mask.sorted_arrays import held, union_sorted, without
from sanitizer.mask.text.known_values import (
    MAX_WORDS,
    MIN_CHARS,
    MIN_SINGLE_WORD,
    WORD,
    trackable,
    words,
)

MAX_HITS = 20  # reported per run: enough to find the rule to fix
MEMO_WORDS = 1 << 17  # single-word digests memoised per process (~15 MB), then started afresh
VOUCHED = 1 << 16  # texts known to hold no tracked value, held at once (then started afresh)
# WORD on ASCII text, for Rust's engine: there ``[^\W_]`` is exactly ``[A-Za-z0-9]`` (the ``’``
# separator is not ASCII), and both engines take the same leftmost, greedy matches
ASCII_WORD = r"[A-Za-z0-9]+(?:[@.+'\-][A-Za-z0-9]+)*"
BULK_CHARS = 16_384  # texts this long together are cut into words by polars (start-up ~0.1 ms)
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
        self._parts: list[np.ndarray] = []  # small arrays extended, not merged yet
        self._parted = 0  # how many hashes they hold

    def __len__(self) -> int:
        """Exactly how many distinct hashes are held (merges everything first)."""
        self._compact()
        return len(self._main)

    def holds(self, hashes: np.ndarray) -> np.ndarray:
        """Which of ``hashes`` are in the memo (a boolean mask)."""
        self._flush()
        found = held(self._main, hashes)
        for chunk in self._recent:
            found |= held(chunk, hashes)
        return found

    def add(self, hashes: np.ndarray) -> None:
        if len(hashes):
            self._recent.append(np.unique(hashes))
        if len(self._recent) >= self.MERGE:
            self._compact()

    def extend(self, hashes: np.ndarray) -> None:
        """Add a small array (a piece's digests): kept aside like :meth:`push`, so a table
        cut into thousands of pieces is still merged once per :data:`BUFFER` hashes."""
        if len(hashes):
            self._parts.append(hashes)
            self._parted += len(hashes)
        if self._parted >= self.BUFFER:
            self._flush()

    def push(self, digest: int) -> None:
        """Add one hash (kept aside until the next lookup or a full buffer)."""
        self._pushed.append(digest)
        if len(self._pushed) >= self.BUFFER:
            self._flush()

    def discard(self, hashes: np.ndarray) -> None:
        """Forget ``hashes`` (those held; the rest are ignored)."""
        self._compact()
        self._main = without(self._main, hashes)

    def values(self) -> np.ndarray:
        """Every hash held, sorted."""
        self._compact()
        return self._main

    def _flush(self) -> None:
        if self._pushed:
            pushed, self._pushed = self._pushed, []
            self.add(np.array(pushed, dtype=np.int64))
        if self._parts:
            parts, self._parts, self._parted = self._parts, [], 0
            self.add(np.concatenate(parts))

    def _compact(self) -> None:
        self._flush()
        if self._recent:  # in place of np.union1d: one copy of the array, not four
            recent, self._recent = np.concatenate(self._recent), []
            self._main = union_sorted(self._main, recent)


class Digester:
    """Keyed 64-bit digests of words and runs of words, the same in any process, on any node
    and under any Python version (Python's own ``hash`` is seeded per process).

    A word's digest is BLAKE2b keyed with the run's verification subkey. A run of words (a
    tracked value, or a window of a staging text) folds its words' digests in order through
    a fixed 64-bit mixer (SplitMix64's finaliser): no key is needed beyond the words' keyed
    digests, and numpy folds every window of a batch at once. Keyed BLAKE2b costs about five
    times a ``hash()`` call, so words — every word of every staging text is looked up — are
    memoised: text repeats its words, and a memo hit costs less than ``hash()``. The memo
    holds at most :data:`MEMO_WORDS` words and then starts afresh (docs/design.md, "Bounded
    memory")."""

    def __init__(self, salt: bytes) -> None:
        self._blank = hashlib.blake2b(key=salt, digest_size=8, person=PERSON)
        self._memo: dict[str, int] = {}

    def text(self, text: str) -> int:
        """The keyed digest of one word."""
        h = self._blank.copy()
        h.update(text.encode("utf-8", "surrogatepass"))
        return int.from_bytes(h.digest(), "little", signed=True)

    def texts(self, tokens: list[str]) -> np.ndarray:
        """:meth:`text` of each word, as an array: the digests' bytes are joined and read
        as little-endian int64 at once, not turned into an int one by one (a leak scan
        digests every distinct staging word: about a third less time per word)."""
        copy = self._blank.copy
        joined = bytearray()
        for token in tokens:
            h = copy()
            h.update(token.encode("utf-8", "surrogatepass"))
            joined += h.digest()
        return np.frombuffer(joined, dtype="<i8").astype(np.int64)

    def word(self, token: str) -> int:
        digest = self._memo.get(token)
        if digest is None:
            if len(self._memo) >= MEMO_WORDS:
                self._memo.clear()
            digest = self._memo[token] = self.text(token)
        return digest

    def run(self, tokens: list[str]) -> int:
        """The digest of a run of words (as a tracked value's words are digested)."""
        folded = _START * len(tokens) & _MASK
        for token in tokens:
            folded = _mix(folded ^ (self.word(token) & _MASK))
        return folded - (1 << 64) if folded >> 63 else folded

    def words(self, tokens: list[str]) -> np.ndarray:
        """The digests of single words, as an array. Python-level work is per distinct
        word; the per-token passes run in C."""
        memo = self._memo
        distinct = dict.fromkeys(tokens)
        if len(memo) + len(distinct) > MEMO_WORDS:
            memo.clear()
        fresh = [token for token in distinct if token not in memo]
        memo.update(zip(fresh, self.texts(fresh).tolist(), strict=True))
        return np.fromiter(map(memo.__getitem__, tokens), dtype=np.int64, count=len(tokens))

    def series(self, tokens: pl.Series) -> np.ndarray:
        """:meth:`words` of a series of words: only the distinct words become Python strings
        (and are digested, memoised as there); the digests are mapped back by a join."""
        if not len(tokens):
            return np.empty(0, dtype=np.int64)
        distinct = tokens.unique()
        mapping = pl.DataFrame(
            {"w": distinct, "d": pl.Series(self.words(distinct.to_list()), dtype=pl.Int64)}
        )
        joined = tokens.to_frame("w").join(mapping, on="w", how="left", maintain_order="left")
        return joined.get_column("d").to_numpy()


_MASK = (1 << 64) - 1
_START = 0x9E3779B97F4A7C15  # times a run's length: runs of different lengths start apart
_M1, _M2 = 0xBF58476D1CE4E5B9, 0x94D049BB133111EB  # SplitMix64's finaliser


def _mix(x: int) -> int:
    x ^= x >> 30
    x = x * _M1 & _MASK
    x ^= x >> 27
    x = x * _M2 & _MASK
    return x ^ (x >> 31)


def runs(words: np.ndarray, starts: np.ndarray, size: int) -> np.ndarray:
    """Digests of the runs of ``size`` words starting at ``starts`` of ``words`` (the words'
    digests, in text order): :meth:`Digester.run` for many windows at once."""
    folded = np.full(len(starts), _START * size & _MASK, dtype=np.uint64)
    unsigned = words.view(np.uint64)
    for offset in range(size):
        x = folded ^ unsigned[starts + offset]
        x ^= x >> np.uint64(30)
        x *= np.uint64(_M1)
        x ^= x >> np.uint64(27)
        x *= np.uint64(_M2)
        folded = x ^ (x >> np.uint64(31))
    return folded.view(np.int64)


@lru_cache(maxsize=4)
def digester(salt: bytes) -> Digester:
    """The process's digester for a run's key: a worker's memo lasts across its tasks."""
    return Digester(salt)


def text_words(texts: list[str]) -> tuple[pl.Series, np.ndarray]:
    """The words of many texts as :func:`words` cuts them — case-folded, in order, as one
    series — and each text's word count. ASCII texts are cut by polars (:data:`ASCII_WORD`,
    lowercased: ASCII's case folding), any other with Python's ``re`` as before; a test holds
    the two to the same words (tests/verify/test_leak_bulk.py)."""
    plain = np.fromiter(map(str.isascii, texts), dtype=bool, count=len(texts))
    ascii_at, other_at = np.flatnonzero(plain), np.flatnonzero(~plain)
    cut = pl.Series([texts[i] for i in ascii_at.tolist()], dtype=pl.String)
    lists = cut.str.to_lowercase().str.extract_all(ASCII_WORD)
    tokens = lists.explode(empty_as_null=False)
    if not len(other_at):
        return tokens, lists.list.len().fill_null(0).to_numpy().astype(np.int64)
    # (a JSON leaf may even hold a lone surrogate, which polars cannot take)
    cut_other = [words(texts[i]) for i in other_at.tolist()]
    lengths = np.empty(len(texts), dtype=np.int64)
    lengths[ascii_at] = lists.list.len().fill_null(0).to_numpy()
    lengths[other_at] = [len(w) for w in cut_other]
    both = pl.concat([tokens, pl.Series([w for ws in cut_other for w in ws], dtype=pl.String)])
    # each text's words in ``both`` start at ``source``; in the result, at ``starts``
    source = np.empty(len(texts), dtype=np.int64)
    source[np.concatenate([ascii_at, other_at])] = np.concatenate(
        [[0], np.cumsum(lengths[np.concatenate([ascii_at, other_at])])[:-1]]
    )
    ends = np.cumsum(lengths)
    starts = ends - lengths
    at = np.repeat(source - starts, lengths) + np.arange(int(ends[-1]) if len(ends) else 0)
    return both.gather(at), lengths


def hashes_of(values: list[object]) -> np.ndarray:
    return np.fromiter(map(hash, values), dtype=np.int64, count=len(values))


def first_seen_at(hashes: np.ndarray, seen: HashMemo) -> np.ndarray:
    """Positions, in order, of the hashes not in ``seen`` yet (which it then remembers); of
    equal hashes, the first."""
    _, first = np.unique(hashes, return_index=True)
    first = np.sort(first[~seen.holds(hashes[first])])
    seen.add(hashes[first])
    return first


def first_seen(values: list[object], seen: set[int] | HashMemo) -> list[object]:
    """The values whose hash is not in ``seen`` yet (and remember them); of values sharing a
    hash, the first."""
    if isinstance(seen, HashMemo):
        return [values[i] for i in first_seen_at(hashes_of(values), seen).tolist()]
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
        self.firsts = HashMemo()  # first words of values of several words (a first filter)
        self.sizes: set[int] = set()  # word counts of the values
        self._sizes: list[int] = []  # the same, longest first
        self._clean: set[str] = set()  # texts asked in bulk that hold none (see vouch)

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
        self._clean.clear()
        self.values.push(self._hash(tokens))
        self._note_size(len(tokens))
        if len(tokens) > 1:  # a one-word value is looked up whole: its own digest filters
            self.firsts.push(self.digests.word(tokens[0]))
        return True

    def _note_size(self, size: int) -> None:
        """A value of ``size`` words is tracked: lookups try runs of that many words."""
        if size not in self.sizes:
            self.sizes.add(size)
            self._sizes = sorted(self.sizes, reverse=True)

    def add_many(self, values: list[str]) -> np.ndarray:
        """:meth:`add` of many values (which were tracked, as a mask). Values long enough
        together are cut into words, judged (:func:`trackable`, :func:`could_be_fake`) and
        digested in bulk by polars and numpy when ASCII; any other one by one, as before.
        The index ends the same either way (tests/verify/test_leak_bulk.py)."""
        taken = np.zeros(len(values), dtype=bool)
        if sum(map(len, values)) < BULK_CHARS:
            taken[:] = [self.add(value) for value in values]
            return taken
        plain = np.fromiter(map(str.isascii, values), dtype=bool, count=len(values))
        for i in np.flatnonzero(~plain).tolist():
            taken[i] = self.add(values[i])
        at = np.flatnonzero(plain)
        if len(at):
            taken[at[self._add_ascii([values[i] for i in at.tolist()])]] = True
        return taken

    def _add_ascii(self, values: list[str]) -> np.ndarray:
        tokens, counts = text_words(values)
        ends = np.cumsum(counts)
        starts = ends - counts
        chars = np.concatenate([[0], np.cumsum(tokens.str.len_bytes().to_numpy())])
        joined = chars[ends] - chars[starts] + np.maximum(counts - 1, 0)  # " ".join's length
        keep = (joined >= MIN_CHARS) & (counts >= 1) & (counts <= MAX_WORDS)
        some = np.flatnonzero(counts >= 1)
        first = tokens.gather(starts[some])
        # trackable: one word is an address or an identifier
        one = np.zeros(len(values), dtype=bool)
        digits = first.str.count_matches(r"[0-9]").to_numpy()
        one[some] = first.str.contains("@", literal=True).to_numpy() | (digits >= 6)
        one[some] |= (digits >= 2) & (first.str.len_bytes().to_numpy() >= MIN_SINGLE_WORD)
        keep &= (counts != 1) | one
        # could_be_fake: every word a pool word, or an address of a documentation network
        unfake = np.concatenate([[0], np.cumsum(~fake_words(tokens))])
        fake = (unfake[ends] - unfake[starts] == 0) & (counts >= 1)
        two = counts[some] >= 2
        second = pl.Series([None] * len(some), dtype=pl.String)
        if two.any():
            second = second.scatter(np.flatnonzero(two), tokens.gather(starts[some][two] + 1))
        fake[some] |= doc_net_start(first, second)
        keep &= ~fake
        if keep.any():
            self._clean.clear()
            digests = self.digests.series(tokens)
            for size in np.unique(counts[keep]).tolist():
                self.values.extend(runs(digests, starts[keep & (counts == size)], size))
                self._note_size(size)
            self.firsts.extend(digests[starts[keep & (counts > 1)]])
        return keep

    def part(self, fakes: Iterable[object] = (), hosts: dict[str, str] | None = None) -> IndexPart:
        """Everything this index holds, as a part to merge into another (see :meth:`merge`)."""
        masked = self.digest_many([v for v in fakes if isinstance(v, str)])
        return IndexPart(
            self.values.values(),
            self.firsts.values(),
            frozenset(self.sizes),
            np.unique(masked),
            dict(hosts or {}),
        )

    def merge(self, part: IndexPart) -> None:
        """Add a part made elsewhere: equal to having added its values here (the digests
        do not depend on the process)."""
        self._clean.clear()
        self.values.extend(part.values)
        self.firsts.extend(part.firsts)
        if not part.sizes <= self.sizes:
            self.sizes |= part.sizes
            self._sizes = sorted(self.sizes, reverse=True)

    def digest(self, value: str) -> int:
        """The keyed digest of a whole value's words, as the index holds tracked values."""
        return self._hash(words(value))

    def digest_many(self, values: list[str]) -> np.ndarray:
        """:meth:`digest` of each of ``values``, as an array: long enough together, they are
        cut into words by polars and folded by numpy (a batch's fakes, every batch)."""
        if sum(map(len, values)) < BULK_CHARS:
            return np.array([self.digest(v) for v in values], dtype=np.int64)
        tokens, counts = text_words(values)
        digests = self.digests.series(tokens)
        starts = np.cumsum(counts) - counts
        out = np.empty(len(values), dtype=np.int64)
        for size in np.unique(counts).tolist():
            at = counts == size
            out[at] = runs(digests, starts[at], size)
        return out

    def add_all(self, values: Iterable[object]) -> None:
        """Track every text of ``values`` worth tracking (in bulk: :meth:`add_many`)."""
        self.add_many([value for value in values if isinstance(value, str)])

    def forget(self, digests: np.ndarray) -> None:
        """Stop tracking the values of these digests (see :meth:`digest`)."""
        self._clean.clear()
        self.values.discard(digests)

    def forget_within(self, fakes: Iterable[object]) -> None:
        """Stop tracking values that occur inside fakes this run produced: a fake can
        legitimately contain another row's original ("South Tracy" from the city pool inside
        a fake address, "da Paz" inside a fake name), so finding it proves nothing."""
        tokenized = [words(text) for text in fakes if isinstance(text, str)]
        if not self.sizes or not tokenized:
            return
        flat, owners, ends = self._flatten(tokenized)
        digests, every = self.digests.words(flat), np.arange(len(flat))
        for size in self.sizes:
            self.forget(runs(digests, every[every + size <= ends[owners]], size))

    def found_in(self, text: str) -> bool:
        """Whether any tracked value occurs in ``text`` as a run of whole words."""
        return bool(self.found_in_many([text])[0])

    def found_in_many(self, texts: list[str]) -> np.ndarray:
        """For each text, whether a tracked value occurs in it as a run of whole words (the
        scan's inner loop: every staging text passes here, so texts are looked up together:
        each word's digest once, then every window that starts at a tracked first word and
        has a tracked value's length, folded and looked up at once per length)."""
        found = np.zeros(len(texts), dtype=bool)
        if not self.sizes:
            return found
        digests, owners, ends, firsts, wholes = self._text_digests(texts)
        hits = np.flatnonzero(firsts)
        for size in self._sizes:
            if size == 1:  # every word, looked up whole (no first-word filter: docs/design.md)
                found[owners[np.flatnonzero(wholes)]] = True
                continue
            starts = hits[hits + size <= ends[owners[hits]]]
            if len(starts):
                tracked = self.values.holds(runs(digests, starts, size))
                found[owners[starts[tracked]]] = True
        return found

    def _text_digests(self, texts: list[str]) -> tuple[np.ndarray, ...]:
        """Every word's digest of ``texts`` in order, each word's text number, each text's
        end, and for each word whether it is a tracked value's first word and whether it is
        a tracked one-word value: many characters are cut into words by polars in bulk and
        each distinct word looked up once (:meth:`_marked`), a few by Python (the same words
        either way: :func:`text_words`)."""
        if sum(map(len, texts)) < BULK_CHARS:
            tokenized = [[w.casefold() for w in WORD.findall(text)] for text in texts]
            flat, owners, ends = self._flatten(tokenized)
            digests = self.digests.words(flat)
            return digests, owners, ends, *self._marks(digests)
        tokens, lengths = text_words(texts)
        owners = np.repeat(np.arange(len(texts)), lengths)
        digests, firsts, whole = self._marked(tokens)
        return digests, owners, np.cumsum(lengths), firsts, whole

    def _marks(self, digests: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Whether each word (by its digest) is a tracked value's first word, and whether it
        is a tracked one-word value (all False when no value is one word)."""
        whole = np.zeros(len(digests), dtype=bool)
        if 1 in self.sizes:
            whole = self._whole_words(digests)
        return self.firsts.holds(digests), whole

    def _marked(self, tokens: pl.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """:meth:`_marks` with the digests of a series of words, each distinct word digested
        and looked up once and mapped back by a join: a chunk's words repeat, and a lookup in
        the sorted tables costs more than the join (docs/benchmarks.md)."""
        distinct = tokens.unique()
        digests = self.digests.words(distinct.to_list())
        firsts, whole = self._marks(digests)
        mapping = pl.DataFrame(
            {"w": distinct, "d": pl.Series(digests, dtype=pl.Int64), "f": firsts, "x": whole}
        )
        joined = tokens.to_frame("w").join(mapping, on="w", how="left", maintain_order="left")
        return tuple(joined.get_column(c).to_numpy() for c in ("d", "f", "x"))  # type: ignore[return-value]

    def _whole_words(self, digests: np.ndarray) -> np.ndarray:
        """Which words, each alone, are a tracked one-word value."""
        return self.values.holds(runs(digests, np.arange(len(digests)), 1))

    @staticmethod
    def _flatten(tokenized: list[list[str]]) -> tuple[list[str], np.ndarray, np.ndarray]:
        """Every token in one list, each token's text number, and each text's end in it."""
        lengths = np.fromiter(map(len, tokenized), dtype=np.int64, count=len(tokenized))
        flat = [token for tokens in tokenized for token in tokens]
        owners = np.repeat(np.arange(len(tokenized)), lengths)
        return flat, owners, np.cumsum(lengths)

    def vouch(self, texts: list[str]) -> None:
        """Ask :meth:`found_in_many` of ``texts`` at once, so that :meth:`find` answers
        those holding no tracked value without looking again: a store's keys are shown
        one by one (twice per object), and a lookup's fixed cost in numpy, not the words,
        was most of it for small objects (docs/benchmarks.md). ``find`` finds a span in a
        text exactly when ``found_in_many`` says it holds a value (both look up the same
        runs of words); any change to the index forgets what was vouched for."""
        if not self.sizes or not texts:
            return
        if len(self._clean) + len(texts) > VOUCHED:
            self._clean.clear()
        found = self.found_in_many(texts)
        self._clean.update(t for t, hit in zip(texts, found.tolist(), strict=True) if not hit)

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, "") of tracked values in ``text``, longest first, not overlapping."""
        if not self.sizes or text in self._clean:
            return []
        matches = list(WORD.finditer(text))
        tokens = [m.group().casefold() for m in matches]
        digests = self.digests.words(tokens)
        firsts = self.firsts.holds(digests)
        if 1 in self.sizes:  # one-word values: no first word of theirs is held
            firsts |= self._whole_words(digests)
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
