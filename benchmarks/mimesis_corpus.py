"""Labeled free text written by others: presidio-evaluator's templates, mimesis's people.

A fourth outside corpus for ``text_bench.py``, ``mimesis-intl``: the same template lines and
document layout as ``faker-intl`` (``outside_corpus.py``: one to three lines, half of them
literal dumps, 5% lower-cased), but every person, place, phone, email, company, nationality
and job comes from mimesis 22.2.0 (MIT, on PyPI; by Isaak Uchakaev and contributors), a
generator with its own data per locale. The detector's name and place lists are built from
Faker's locales, so this corpus asks whether what was measured on Faker's values holds on
values Faker never had. Slots mimesis has no counterpart for (cards, IBANs, IP addresses,
SSNs, URLs, dates, ages, secondary addresses) are filled as ``faker-intl`` fills them.

mimesis never enters the project's venv: it is installed from ``requirements/bench-mimesis.txt``
(exact version and sha256) into ``benchmarks/.cache/mimesis/venv`` (``isolated_venv.py``),
where a generator writes pools of values per locale and slot, cached as JSON; documents are
then filled from the pools with a seeded ``random.Random``.

Splits: ``dev`` = de es fr it pl cs ru ja el da hu no sk zh kk is fa de-at es-mx ar-ae;
``heldout`` = en fi nl tr uk sv pt-br ko hr et, and template lines as in ``outside_corpus``
(even lines dev, odd lines held-out). The second ten dev locales were added later to give
tuning more scripts and naming customs (Hungarian, Norwegian, Slovak, Chinese, Kazakh,
Icelandic, Persian, Arabic, Austrian, Mexican); none is a close relative of a held-out locale
(no en-*, pt, nl-be), so held-out stays unseen. Only held-out numbers are reported as evidence.
"""

from __future__ import annotations

import hashlib
import json
import random
import sys
from functools import cache
from pathlib import Path

import isolated_venv
from outside_corpus import SLOT, Doc, Filler, _faker, address_formats, finish_doc, pick_templates

ROOT = Path(__file__).resolve().parent.parent
PINS = ROOT / "requirements" / "bench-mimesis.txt"
CACHE = Path(__file__).resolve().parent / ".cache" / "mimesis"
VENV = CACHE / "venv"
SPLITS = ("dev", "heldout")
LOCALES = {
    "dev": (
        *("de", "es", "fr", "it", "pl", "cs", "ru", "ja", "el", "da"),
        *("hu", "no", "sk", "zh", "kk", "is", "fa", "de-at", "es-mx", "ar-ae"),
    ),
    "heldout": ("en", "fi", "nl", "tr", "uk", "sv", "pt-br", "ko", "hr", "et"),
}
POOL = 400  # values per locale and slot

# Runs inside the isolated venv (python -I): {locale: {slot: [value, ...]}} as one JSON object.
GENERATOR = """
import json, sys
from mimesis import Address, Finance, Locale, Person
from mimesis.enums import Gender
locales, size, seed = sys.argv[1].split(","), int(sys.argv[2]), int(sys.argv[3])
F, M = Gender.FEMALE, Gender.MALE
out = {}
for n, code in enumerate(locales):
    locale = Locale(code)
    p, a, f = (cls(locale, seed=seed + n) for cls in (Person, Address, Finance))
    makers = {
        "person": p.full_name, "name": p.full_name, "name_female": lambda: p.full_name(gender=F),
        "name_male": lambda: p.full_name(gender=M), "first_name": p.first_name,
        "first_name_female": lambda: p.first_name(gender=F),
        "first_name_male": lambda: p.first_name(gender=M), "first_name_nonbinary": p.first_name,
        "last_name": p.last_name, "last_name_female": lambda: p.last_name(gender=F),
        "last_name_male": lambda: p.last_name(gender=M), "prefix": p.title,
        "prefix_female": lambda: p.title(gender=F), "prefix_male": lambda: p.title(gender=M),
        "email": p.email, "phone_number": p.phone_number, "job": p.occupation,
        "nationality": p.nationality, "nation_woman": lambda: p.nationality(gender=F),
        "nation_man": lambda: p.nationality(gender=M), "organization": f.company,
        "street_address": a.address, "street_name": a.street_name,
        "building_number": a.street_number, "city": a.city, "state": a.state,
        "state_abbr": lambda: a.state(abbr=True), "postcode": a.postal_code,
        "zipcode": a.postal_code, "country": a.country,
    }
    pools = {}
    for slot, make in makers.items():
        try:
            pools[slot] = [str(make()) for _ in range(size)]
        except Exception:  # a locale without this kind of value: faker-intl's filler
            pass
    out[code] = pools
json.dump(out, sys.stdout, ensure_ascii=False)
"""
SEED = {"dev": 0, "heldout": 500000}


def ensure_venv() -> Path:
    """The venv's python, built from the pins if missing or built from other pins."""
    return isolated_venv.ensure(VENV, PINS, isolated_venv.setup_commands(VENV, PINS), "mimesis")


def _pools_path(split: str) -> Path:
    """The cached pools, named by everything that shapes them: pins, generator, split."""
    shape = f"{isolated_venv.pins_digest(PINS)}|{GENERATOR}|{POOL}|{LOCALES[split]}|{SEED[split]}"
    return CACHE / f"{split}-{hashlib.sha256(shape.encode()).hexdigest()[:12]}.json"


@cache
def pools(split: str) -> dict[str, dict[str, list[str]]]:
    """{locale: {slot: values}} of ``split``, generated once by mimesis and cached."""
    path = _pools_path(split)
    if not path.exists():
        args = [",".join(LOCALES[split]), str(POOL), str(SEED[split])]
        out = isolated_venv.run(ensure_venv(), GENERATOR, args, VENV, PINS, "mimesis")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(out, encoding="utf-8")
    return json.loads(path.read_text(encoding="utf-8"))


class MimesisFiller(Filler):
    """Slots from one mimesis locale's pools; the rest as faker-intl fills them."""

    def __init__(self, rng: random.Random, pool: dict[str, list[str]]) -> None:
        fake = _faker("en_US")
        fake.seed_instance(rng.getrandbits(32))
        super().__init__(rng, fake, fake)
        self.pool = pool

    def value(self, slot: str) -> str:
        if slot == "address":
            return self.address()
        values = self.pool.get(slot)
        return self.rng.choice(values) if values else self.common(slot)

    def address(self) -> str:
        """One of presidio-evaluator's address layouts filled from the locale's pools."""
        formats, weights = address_formats()
        layout = self.rng.choices(formats, weights)[0]
        return SLOT.sub(lambda m: self.value(m.group(1)), layout)


def build_doc(split: str, seed: int, index: int) -> Doc:
    rng = random.Random(f"mimesis-intl/{split}/{seed}/{index}")
    parts, literal = pick_templates(rng, split)
    locale = rng.choice(LOCALES[split])
    filler = MimesisFiller(rng, pools(split)[locale])
    return finish_doc(rng, index, parts, filler, literal, f"mimesis:{locale}")


def build_corpus(split: str, n: int, seed: int = 13) -> list[Doc]:
    """``n`` labeled documents of ``split`` (``dev`` or ``heldout``)."""
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r} (choose from {', '.join(SPLITS)})")
    return [build_doc(split, seed, i) for i in range(n)]


if __name__ == "__main__":  # a look at the DEV split only: python mimesis_corpus.py [N]
    for doc in build_corpus("dev", int(sys.argv[1]) if len(sys.argv) > 1 else 5):
        print(f"#{doc.id} {doc.source} literal={doc.literal} {doc.templates}\n{doc.text}")
        for start, end, entity, value in doc.spans:
            print(f"   {entity:15} {start}:{end} {value!r}")
        print()
