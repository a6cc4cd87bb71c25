"""Known values: production values a column rule masks, found again in free text.

Detection is statistical, and misses what it has not learned to see — a Japanese name in an
English ticket, an address in an odd layout. But when that name is also in
``contacts.full_name``, the run already knows it is personal data and what its fake is. Before
free text is masked, the values of columns masked with ``fake`` (or ``format: preserve``) are
collected; ``detect`` then finds them wherever they occur as whole words and replaces them
with exactly what their column rule made of them, so a ticket body and the column agree.

The values live only in the memory of the run's processes, looked up through per-process
hashes of their normalised words; values too short or too common to identify anyone are not
collected (the same rule as the leak check).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

WORD = re.compile(r"[^\W_]+(?:[@.+'’\-][^\W_]+)*")  # jane.doe@corp.com, o'neil, 555-0132
MAX_WORDS = 8
MIN_CHARS = 6
MIN_SINGLE_WORD = 8
MAX_KNOWN = 2_000_000  # distinct values held per run: bounded memory

# fake kind → the Presidio entity its values are (for counts and ``detect: [...]`` filters)
ENTITY_OF_KIND = {
    "name": "PERSON", "first_name": "PERSON", "last_name": "PERSON",
    "email": "EMAIL_ADDRESS", "phone": "PHONE_NUMBER", "address": "LOCATION",
    "street": "LOCATION", "city": "LOCATION", "iban": "IBAN_CODE",
    "credit_card": "CREDIT_CARD", "ip": "IP_ADDRESS", "url": "URL", "ssn": "US_SSN",
    "format": "ID",  # format: preserve (tax ids, customer numbers): masked by bare detect
}  # fmt: skip


def words(text: str) -> list[str]:
    """The words of a text, case-folded: how values and texts are compared."""
    return [w.casefold() for w in WORD.findall(text)]


def trackable(tokens: list[str]) -> bool:
    """Whether a value's words identify something: several words (a full name, an address),
    or one word that is an address or an identifier. One plain word — a first name, a city —
    is not: fakes come from the same pools, so "Gabrielle" identifies no one."""
    joined = " ".join(tokens)
    if len(joined) < MIN_CHARS or not tokens or len(tokens) > MAX_WORDS:
        return False
    if len(tokens) == 1:
        word = tokens[0]
        if "@" in word:
            return True
        digits = sum(map(str.isdigit, word))
        return digits >= 6 or (digits >= 2 and len(word) >= MIN_SINGLE_WORD)
    return True


@dataclass
class WordIndex:
    """Values by the hash of their words, looked up over every run of words in a text."""

    salt: bytes = b""
    labels: dict[int, str] = field(default_factory=dict)
    sizes: set[int] = field(default_factory=set)  # word counts of the values
    firsts: set[int] = field(default_factory=set)  # hashes of their first words

    def _hash(self, tokens: list[str]) -> int:
        return hash((self.salt, "\x1f".join(tokens)))

    def add(self, value: str, label: str = "") -> bool:
        """Index ``value`` under ``label``; False when it is not worth tracking."""
        tokens = words(value)
        if not trackable(tokens):
            return False
        self.labels.setdefault(self._hash(tokens), label)
        self.sizes.add(len(tokens))
        self.firsts.add(hash((self.salt, tokens[0])))
        return True

    def find(self, text: str, first_only: bool = False) -> list[tuple[int, int, str]]:
        """(start, end, label) of indexed values in ``text``, longest first, not overlapping."""
        if not self.labels:
            return []
        matches = list(WORD.finditer(text))
        tokens = [m.group().casefold() for m in matches]
        sizes = sorted(self.sizes, reverse=True)
        found: list[tuple[int, int, str]] = []
        start = 0
        while start < len(tokens):
            hit = None
            if hash((self.salt, tokens[start])) in self.firsts:
                for size in sizes:
                    if start + size <= len(tokens):
                        label = self.labels.get(self._hash(tokens[start : start + size]))
                        if label is not None:
                            hit = (size, label)
                            break
            if hit is None:
                start += 1
                continue
            size, label = hit
            found.append((matches[start].start(), matches[start + size - 1].end(), label))
            if first_only:
                return found
            start += size
        return found

    def discard_within(self, texts: Iterable[object]) -> None:
        """Forget indexed values that occur inside ``texts``."""
        for text in texts:
            if isinstance(text, str) and self.labels:
                tokens = words(text)
                for size in self.sizes:
                    for start in range(len(tokens) - size + 1):
                        self.labels.pop(self._hash(tokens[start : start + size]), None)

    def __len__(self) -> int:
        return len(self.labels)


_KNOWN = WordIndex()


def set_known(values: dict[str, list[str]]) -> int:
    """Make ``values`` (fake kind → production values) this process's known values."""
    global _KNOWN
    index = WordIndex()
    for kind, items in values.items():
        for value in items:
            index.add(value, kind)
    _KNOWN = index
    return len(index)


def known_in(text: str, entities: set[str] | None) -> list[tuple[int, int, str, str]]:
    """(start, end, entity, kind) of known values in ``text``; ``entities`` None means all."""
    return [
        (start, end, ENTITY_OF_KIND[kind], kind)
        for start, end, kind in _KNOWN.find(text)
        if entities is None or ENTITY_OF_KIND[kind] in entities
    ]
