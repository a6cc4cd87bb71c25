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

People are known by their parts too. A full name masked by ``fake: name`` ('山口 さゆり' →
'Jane Roe') gives its given name ('さゆり') and family name ('山口'), each replaced by the
matching part of that fake ('Jane', 'Roe'):
- in a text of the same record (a row's other columns, a memory's metadata), the given or
  the family name alone, as are the values of ``fake: first_name`` / ``last_name`` columns
  there (``people``: the caller passes them);
- anywhere, a rare given name: one person's only among the known names, and rare in English
  text ('さゆり', 'Ngozi'; not 'Jeffrey', nor 'Will', nor a name two known people share).
Names in a script written without spaces are family name first ('山口 さゆり'); others are
given name first, unless written 'Family, Given'.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import regex

# jane.doe@corp.com, o'neil, 555-0132; letters and digits with their combining marks and
# joiners: a Bengali, Hindi or Thai name's vowel signs are marks, which [^\W_] leaves out
# ('রাসেল' would be three one-letter words and never match the name), and Devanagari writes
# some conjuncts with a zero-width joiner ('स्वेच्\u200dछा')
_LETTERS = r"[\p{L}\p{N}\p{M}\u200c\u200d]"
WORD = regex.compile(rf"{_LETTERS}+(?:[@.+'’\-]{_LETTERS}+)*")
MAX_WORDS = 8
MIN_CHARS = 6
MIN_SINGLE_WORD = 8
MAX_KNOWN = 2_000_000  # distinct values held per run: bounded memory

PERSON_KINDS = ("name", "first_name", "last_name")
UNSPACED = re.compile(r"^[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
MIN_GIVEN = 3  # letters a rare given name needs to be looked for anywhere (2 in CJK scripts)

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
_RARE_GIVEN: dict[str, str] = {}  # case-folded rare given name → the full name it is part of
_FULL_NAMES: list[str] = []  # the known full names, until their rare given names are needed

Part = tuple[str, str]  # (full name, "given" or "family"): a finding replaced by that part
Known = tuple[int, int, str, str, Part | None]  # start, end, entity, kind, part of a name


def set_known(values: dict[str, list[str]]) -> int:
    """Make ``values`` (fake kind → production values) this process's known values, and the
    rare given names of the full names among them."""
    global _KNOWN, _RARE_GIVEN, _FULL_NAMES
    index = WordIndex()
    for kind, items in values.items():
        for value in items:
            index.add(value, kind)
    _KNOWN = index
    # found at the first text: the word list they need comes with the recognizers, which a
    # process that never detects (the run's main process, when workers mask) never loads
    _RARE_GIVEN, _FULL_NAMES = {}, list(values.get("name", []))
    return len(index)


def _rare_given() -> dict[str, str]:
    global _RARE_GIVEN, _FULL_NAMES
    if _FULL_NAMES:
        _RARE_GIVEN, _FULL_NAMES = rare_given_names(_FULL_NAMES), []
    return _RARE_GIVEN


def name_parts(full: str) -> tuple[str, str] | None:
    """(given, family) of a full name, or None for one word: 'Jane Mary Doe' → ('Jane',
    'Doe'); 'Doe, Jane' and '山口 さゆり' (unspaced script: family first) the other way."""
    if "," in full:
        family, _, given = full.partition(",")
        given_words, family_words = given.split(), family.split()
        if given_words and family_words:
            return given_words[0], family_words[-1]
        return None
    parts = full.split()
    if len(parts) < 2:
        return None
    if UNSPACED.match(parts[0]):
        return parts[-1], parts[0]
    return parts[0], parts[-1]


def rare_given_names(full_names: Iterable[str]) -> dict[str, str]:
    """Given names that identify one known person: no other known full name has it, and
    English text rarely holds it (less than once in a million words: 'Ngozi', 'さゆり'; not
    'Jeffrey', 'Will'). The word list is the name recognizer's (imported here: it is built
    only when names are known)."""
    from sanitizer.mask.text.recognizers.lexicon import name_lists

    common = name_lists().english
    owners: dict[str, set[str]] = {}
    for full in full_names:
        parts = name_parts(full)
        if parts is None:
            continue
        given = parts[0].casefold()
        shortest = 2 if UNSPACED.match(given) else MIN_GIVEN
        if len(given) >= shortest and given not in common:
            owners.setdefault(given, set()).add(full)
            if len(owners) > MAX_KNOWN:
                break
    return {given: next(iter(names)) for given, names in owners.items() if len(names) == 1}


def people_by_text(
    texts: Sequence[object], people: Sequence[tuple[tuple[str, str], ...]]
) -> dict[object, tuple[tuple[str, str], ...]]:
    """Each text → the people of every record it is in (a text shared by two records knows
    both records' people)."""
    out: dict[object, tuple[tuple[str, str], ...]] = {}
    for text, record in zip(texts, people, strict=True):
        if record and isinstance(text, str):
            out[text] = tuple(dict.fromkeys((*out.get(text, ()), *record)))
    return out


def known_in(
    text: str, entities: set[str] | None, people: Iterable[tuple[str, str]] = ()
) -> list[Known]:
    """(start, end, entity, kind, part) of known values in ``text``; ``entities`` None means
    all. ``people`` are the (kind, value) of the same record's person columns; their parts,
    and rare given names of anyone known, come after the whole values and never overlap them."""
    found: list[Known] = [
        (start, end, ENTITY_OF_KIND[kind], kind, None)
        for start, end, kind in _KNOWN.find(text)
        if entities is None or ENTITY_OF_KIND[kind] in entities
    ]
    if entities is not None and "PERSON" not in entities:
        return found
    taken = [(start, end) for start, end, *_ in found]
    for start, end, kind, part in _parts_in(text, list(people)):
        if all(end <= s or start >= e for s, e in taken):
            found.append((start, end, "PERSON", kind, part))
            taken.append((start, end))
    return sorted(found)


def _rare_given_at(word: str, rare: dict[str, str]) -> str:
    """The rare given name ``word`` is, or (unspaced script) starts with: 'さゆりは'."""
    if word in rare:
        return word
    if UNSPACED.match(word):
        for k in range(min(5, len(word) - 1), 1, -1):
            if word[:k] in rare:
                return word[:k]
    return ""


POSSESSIVE = ("'s", "’s")


def _without_possessive(word: str) -> str:
    """A word without its English possessive ending ('maud's' → 'maud'), which WORD reads as
    part of the word: a record's person is named so as often as alone ('Maud's address')."""
    return word[:-2] if word.endswith(POSSESSIVE) and len(word) > 2 else word


def _as_word(part: str) -> str:
    """A name part as :data:`WORD` reads it in a text, case-folded: an abbreviation's final
    full stop is no part of the word ('K.C.', 'के.सी.' → 'k.c', 'के.सी')."""
    folded = part.casefold()
    bare = folded.rstrip(".")
    return bare if "." in bare else folded


def _parts_in(text: str, people: list[tuple[str, str]]) -> list[tuple[int, int, str, Part | None]]:
    """Where the same record's people, by their parts, and rare given names are in ``text``.

    Words are compared whole and case-folded; a part in a script written without spaces is
    found anywhere ('さゆりさんから')."""
    wanted: dict[str, tuple[str, Part | None]] = {}  # case-folded part → (kind, part of)
    for kind, value in people:
        if kind not in PERSON_KINDS or not isinstance(value, str) or not value.strip():
            continue
        parts = name_parts(value) if kind == "name" else None
        if parts is None:
            wanted.setdefault(value.strip().casefold(), (kind, None))
            continue
        given, family = parts
        wanted.setdefault(_as_word(given), ("name", (value, "given")))
        wanted.setdefault(_as_word(family), ("name", (value, "family")))
    found: list[tuple[int, int, str, Part | None]] = []
    rare = _rare_given()
    if not wanted and not rare:
        return found
    for match in WORD.finditer(text):
        word = _without_possessive(match.group().casefold())
        hit = wanted.get(word)
        if hit is not None:
            found.append((match.start(), match.start() + len(word), *hit))
        elif rare:
            given = _rare_given_at(word, rare)
            if given:
                end = match.start() + len(given)
                found.append((match.start(), end, "name", (rare[given], "given")))
    folded = text.casefold() if len(text.casefold()) == len(text) else text
    for needle, hit in wanted.items():
        if len(needle) > 1 and UNSPACED.match(needle):
            start = folded.find(needle)
            while start >= 0:
                found.append((start, start + len(needle), *hit))
                start = folded.find(needle, start + len(needle))
    return found
