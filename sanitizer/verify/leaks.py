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

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

WORD = re.compile(r"[^\W_]+(?:[@.+'’\-][^\W_]+)*")  # jane.doe@corp.com, o'neil, 555-0132
MAX_WORDS = 8  # longer values (notes, free text) are checked through their own fields
MIN_CHARS = 6  # a value this short identifies no one
MIN_SINGLE_WORD = 8  # an identifier mixing letters and digits ("DE123456789")
MAX_HITS = 20  # reported per run: enough to find the rule to fix


def words(text: str) -> list[str]:
    """The words of a text, case-folded: how values and staging texts are compared."""
    return [w.casefold() for w in WORD.findall(text)]


def trackable(tokens: list[str]) -> bool:
    """Whether a value's words identify something: several words (a full name, an address),
    or one word that is an address or an identifier. One plain word — a first name, a city —
    is not tracked: the fakes that replace such values come from the same pools, so finding
    "Gabrielle" in staging says nothing about where it came from."""
    joined = " ".join(tokens)
    if len(joined) < MIN_CHARS or not tokens or len(tokens) > MAX_WORDS:
        return False
    if len(tokens) == 1:
        word = tokens[0]
        digits = sum(c.isdigit() for c in word)
        return "@" in word or digits >= 6 or (digits >= 2 and len(word) >= MIN_SINGLE_WORD)
    return True


@dataclass
class Hit:
    """Where a production value was found: a field and a row key, never the value."""

    where: str  # e.g. "app.messages.body" or "files:tickets/1.json"
    key: str  # e.g. "id=42", a document id, an object key


@dataclass
class LeakIndex:
    """Keyed digests of production values, and what a lookup needs to stay cheap."""

    key: bytes
    digests: set[int] = field(default_factory=set)
    sizes: set[int] = field(default_factory=set)  # word counts of tracked values
    firsts: set[int] = field(default_factory=set)  # digests of their first words

    def _digest(self, tokens: list[str]) -> int:
        return hash((self.key, "\x1f".join(tokens)))

    def add(self, value: str) -> None:
        tokens = words(value)
        if trackable(tokens):
            self.digests.add(self._digest(tokens))
            self.sizes.add(len(tokens))
            self.firsts.add(hash((self.key, tokens[0])))

    def add_all(self, values: Iterable[object]) -> None:
        for value in values:
            if isinstance(value, str):
                self.add(value)

    def forget_within(self, fakes: Iterable[object]) -> None:
        """Stop tracking values that occur inside fakes this run produced: a fake can
        legitimately contain another row's original ("South Tracy" from the city pool inside
        a fake address, "da Paz" inside a fake name), so finding it proves nothing."""
        for fake in fakes:
            if isinstance(fake, str) and self.digests:
                tokens = words(fake)
                for size in self.sizes:
                    for start in range(len(tokens) - size + 1):
                        self.digests.discard(self._digest(tokens[start : start + size]))

    def found_in(self, text: str) -> bool:
        """Whether any tracked value occurs in ``text`` as a run of whole words."""
        if not self.digests:
            return False
        tokens = words(text)
        sizes = sorted(self.sizes)
        for start, token in enumerate(tokens):
            if hash((self.key, token)) not in self.firsts:
                continue
            for size in sizes:
                if start + size <= len(tokens) and (
                    self._digest(tokens[start : start + size]) in self.digests
                ):
                    return True
        return False

    def __len__(self) -> int:
        return len(self.digests)


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
