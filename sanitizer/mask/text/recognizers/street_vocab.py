"""Street words of many languages, read from Faker's address providers (every locale).

Faker ships, per locale, the words its street names are made of and the formats that put
them together; the formats tell how each word list is used, so no list is sorted by hand:

- ``{{street_prefix}} {{last_name}}`` — a word written before the name ('Calle', 'Rua',
  'ulica', 'Λεωφόρος', 'Jalan'): :attr:`StreetWords.before`;
- ``{{last_name}} {{street_suffix}}`` — a word written after it ('utca', 'tér', 'Street'):
  :attr:`StreetWords.after`;
- ``{{last_name}}{{street_suffix}}`` — an ending glued to it ('vej', 'gatan', 'straat',
  'katu'): :attr:`StreetWords.glued`.

Lists no format names ('ulice', 'nám.' in cs_CZ) count before and after. Lists used next to
numbers or other street words (es_CO's 'Sur', en_MS's place names) and glued prefixes that are
stems of names (sv_SE 'Björk', fi_FI 'Agricolan') are left out. A few common forms Faker lacks
(Polish 'ul.', Greek 'Οδός', Icelandic '-vegur') are added in :data:`EXTRA_BEFORE` and
:data:`EXTRA_GLUED`. A maintained address parser (libpostal) would know more, but it needs a
2 GB model and a C library: too heavy for a masking tool that must install offline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from sanitizer.mask.text.lists_cache import cached, word_list
from sanitizer.mask.text.recognizers.faker_locales import locale_providers

EXTRA_BEFORE = frozenset(
    "ul. al. pl. os. ulica aleja plac Οδός Οδ. Λεωφ. Πλ. Av. Avda. Avda C/ Ctra. Carretera "
    "Carrer Rua R. Travessa Tv. Estrada Praça Largo Via Viale Piazza Corso Strada Calle Avenida "
    "Paseo Camino rue avenue boulevard chemin allée impasse place quai Rue Avenue Boulevard "
    "Chemin Allée Impasse Quai Route".split()
)
# glued endings Faker has no locale for (Icelandic, Estonian) or writes only in a longer form
EXTRA_GLUED = frozenset(
    "vegur gata stræti braut stígur vangur tröð gatvej straße strasse str. gasse weg allee "
    "platz damm ufer gracht straat laan plein kade dijk tänav maantee gade vej".split()
)
EXTRA_AFTER = frozenset(
    "utca u. út tér köz körút sétány kapu ulica cesta ulice nám. tänav põik puiestee maantee "
    "gate gata gade vei veien vej vegur".split()
)
# shorter endings ('lia', 'roa', 'tie') end too many names and words ('Julia', 'Bowtie')
MIN_GLUED = 4
SHORT_GLUED = frozenset({"vej", "weg"})
# lists no format names that are still street words: cs_CZ 'ulice' / 'ul.', hr_HR 'cesta'
LISTS_WITHOUT_FORMAT = ("_long", "_short")
_PLACEHOLDER = re.compile(r"\{\{\s*(\w+)\s*\}\}")


@dataclass(frozen=True)
class StreetWords:
    before: frozenset[str]  # case-folded words written before a street's name
    after: frozenset[str]  # case-folded words written after it
    glued: tuple[str, ...]  # case-folded endings glued to it, longest first


@cache
def street_words() -> StreetWords:
    """Every address provider's street words, classified by its own formats (once per
    process, and kept in the lists cache: importing about 60 modules takes a quarter of a
    second, :mod:`sanitizer.mask.text.lists_cache`)."""
    return cached("streets", _built_street_words, _encoded, _decoded)


def _encoded(words: StreetWords) -> dict[str, list[str]]:
    return {
        "before": word_list(words.before),
        "after": word_list(words.after),
        "glued": list(words.glued),
    }


def _decoded(data: dict[str, list[str]]) -> StreetWords:
    return StreetWords(frozenset(data["before"]), frozenset(data["after"]), tuple(data["glued"]))


def _built_street_words() -> StreetWords:
    before: set[str] = set()
    after: set[str] = set()
    glued: set[str] = set()
    for locale, provider in locale_providers("faker.providers.address"):
        _classify(locale, vars(provider), before, after, glued)
    before |= {w.casefold() for w in EXTRA_BEFORE}
    after |= {w.casefold() for w in EXTRA_AFTER}
    glued |= {w.casefold() for w in EXTRA_GLUED}
    return StreetWords(
        frozenset(before),
        frozenset(after),
        tuple(
            sorted(
                (g for g in glued if len(g) >= MIN_GLUED or g in SHORT_GLUED),
                key=lambda g: (-len(g), g),
            )
        ),
    )


def _classify(locale: str, attrs: dict, before: set[str], after: set[str], glued: set[str]) -> None:
    """Sort one provider's street word lists by how its formats use them. English words
    after a name ('Street', 'Part', 'Line') are the English patterns' business: written
    name-then-word-then-number they are chapters and sequels ('Toy Story Part 3')."""
    formats = " | ".join(
        str(f)
        for name in ("street_name_formats", "street_address_formats", "street_formats")
        for f in _as_list(attrs.get(name, ()))
    )
    for name, values in attrs.items():
        if not name.startswith(("street_prefix", "street_suffix", "road_suffix")):
            continue
        words = [w.strip() for w in _as_list(values) if isinstance(w, str)]
        words = [w for w in words if _usable(w)]
        if not words:
            continue
        use = _use(formats, name)
        if use == "both" and not name.endswith(LISTS_WITHOUT_FORMAT):
            continue  # e.g. es_CL's 'Norte', 'Sur': not street words on their own
        if use == "glued":
            words = [w for w in words if w.islower()]  # endings; en_BD's 'Station' is a word
        if locale.startswith("en") and use in ("after", "both"):
            continue
        if use in ("before", "both"):
            before.update(w.casefold() for w in words)
        if use in ("after", "both"):
            after.update(w.casefold() for w in words)
        if use == "glued":
            glued.update(w.casefold() for w in words)


def _use(formats: str, name: str) -> str | None:
    """How ``name``'s words are written in the formats: before, after or glued to a name;
    'both' when no format names them; None when they sit next to numbers or street words,
    or are stems other words are glued to."""
    placeholder = re.sub(r"(prefix|suffix)es", r"\1", name)
    for match in _PLACEHOLDER.finditer(formats):
        if match.group(1) != placeholder:
            continue
        left, right = formats[: match.start()], formats[match.end() :]
        if right.startswith("{{"):
            return None  # a stem another word is glued to ('Björk' + 'gatan')
        if left.endswith("}}"):
            return "glued"
        if right.startswith(" {{"):
            return "before"
        if left.endswith("}} ") and "street" not in _PLACEHOLDER.findall(left)[-1]:
            return "after"
        return None
    return "both"


def _as_list(values) -> list:
    if isinstance(values, dict):
        return list(values)
    if isinstance(values, (list, tuple)):
        return list(values)
    return []


def _usable(word: str) -> bool:
    """A street word of letters (a final dot for abbreviations): not '', 'A', '%' or
    'Bis {{random_uppercase_letter}}'."""
    bare = word.rstrip(".")
    return len(bare) >= 2 and all(c.isalpha() or c in "-' " for c in bare) and " " not in bare
