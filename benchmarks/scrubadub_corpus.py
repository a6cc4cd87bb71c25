"""Labeled free text written by others: scrubadub 2.0.1's fake documents.

A third outside corpus for ``text_bench.py``, from a generator nobody on this team wrote and
that is not presidio-evaluator: ``scrubadub.comparison.make_fake_document(paragraphs, locale,
seed)`` (scrubadub, Apache-2.0, on PyPI; by Dean Malmgren, maintained by LeapBeyond) returns
Faker word salad in the locale's language with names, emails, URLs, phone numbers, addresses,
postcodes, social security numbers and Twitter handles inserted, and the list of what it
inserted (``{'match', 'filth_type'}``).

scrubadub pulls scikit-learn, pandas and textblob, so it never enters the project's venv: the
bench builds an isolated venv in ``benchmarks/.cache/scrubadub/venv`` (gitignored) from
``requirements/bench-scrubadub.txt`` (exact versions and sha256, ``pip --require-hashes``),
runs the generator there and caches its JSONL output; this module turns each line into an
:class:`outside_corpus.Doc`. See docs/benchmarks.md.

Splits: ``dev`` = the 20 locales whose numbers shaped the detectors (en_US de_DE fr_FR es_ES
first, then en_GB it_IT nl_NL pt_PT en_CA de_AT, which were held out until their numbers led to
more postcode and id shapes, then en_AU … es_MX, likewise), seeds 0, 1, 2...; ``heldout`` =
ten locales nothing was tuned on (en_IN fi_FI ro_RO nl_BE fr_CA pt_BR no_NO sk_SK hr_HR
tr_TR), seeds 300000, 300001... Document ``i`` has
locale ``LOCALES[split][i % len]`` and seed ``base + i``, so the first N documents do not depend
on how many are built. Only dev may be looked at; held-out is for numbers.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import isolated_venv
from isolated_venv import CorpusUnavailable  # noqa: F401 (callers catch it from here)
from outside_corpus import Doc, words_and_separators

ROOT = Path(__file__).resolve().parent.parent
PINS = ROOT / "requirements" / "bench-scrubadub.txt"
CACHE = Path(__file__).resolve().parent / ".cache" / "scrubadub"
VENV = CACHE / "venv"
SPLITS = ("dev", "heldout")
LOCALES = {
    "dev": (
        *("en_US", "de_DE", "fr_FR", "es_ES"),
        *("en_GB", "it_IT", "nl_NL", "pt_PT", "en_CA", "de_AT"),
        *("en_AU", "en_NZ", "fr_CH", "de_CH", "sv_SE", "da_DK", "pl_PL", "cs_CZ", "en_IE", "es_MX"),
    ),
    "heldout": (
        *("en_IN", "fi_FI", "ro_RO", "nl_BE", "fr_CA", "pt_BR", "no_NO", "sk_SK", "hr_HR", "tr_TR"),
    ),
}
FIRST_SEED = {"dev": 0, "heldout": 300000}
PARAGRAPHS = 1  # 1-10 lines of word salad, a few values each: a ticket or chat-sized text
# scrubadub's filth types as the entity names the other corpora use (presidio-evaluator's).
ENTITIES = {
    "name": "PERSON",
    "email": "EMAIL_ADDRESS",
    "url": "URL",
    "phone": "PHONE_NUMBER",
    "address": "STREET_ADDRESS",
    "postalcode": "ZIP_CODE",
    "social_security_number": "US_SSN",
    "twitter": "USERNAME",
}

# Runs inside the isolated venv (python -I: no PYTHONPATH, no user site): one JSON line per
# document, {"i", "locale", "seed", "text", "filth": [[match, filth_type], ...]}; a document
# scrubadub cannot make for a locale is written with an "error" instead, so indexes stay put.
GENERATOR = """
import json, sys
from scrubadub.comparison import make_fake_document
locales, first, start, n, paragraphs = sys.argv[1].split(","), *map(int, sys.argv[2:6])
for i in range(start, start + n):
    row = {"i": i, "locale": locales[i % len(locales)], "seed": first + i}
    try:
        text, items = make_fake_document(paragraphs, row["locale"], row["seed"])
        row["text"] = text
        row["filth"] = [[item["match"], item["filth_type"]] for item in items]
    except Exception as exc:
        row["error"] = f"{type(exc).__name__}: {exc}"
    sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\\n")
"""


def pins_digest() -> str:
    """Short sha256 of the pins file: a changed pin rebuilds the venv and the cached corpus."""
    return isolated_venv.pins_digest(PINS)


def setup_commands() -> list[list[str]]:
    """The commands that build the isolated venv (also what the error message tells to run)."""
    return isolated_venv.setup_commands(VENV, PINS)


def ensure_venv() -> Path:
    """The venv's python, built from the pins if missing or built from other pins."""
    return isolated_venv.ensure(VENV, PINS, setup_commands(), "scrubadub")


def _jsonl_path(split: str) -> Path:
    """The cached corpus, named by everything that shapes it: pins, generator, split settings."""
    shape = f"{pins_digest()}|{GENERATOR}|{PARAGRAPHS}|{LOCALES[split]}|{FIRST_SEED[split]}"
    return CACHE / f"{split}-{hashlib.sha256(shape.encode()).hexdigest()[:12]}.jsonl"


def generate(split: str, start: int, n: int) -> list[str]:
    """JSONL lines of documents ``start`` .. ``start + n - 1`` of ``split``, made by scrubadub."""
    args = [",".join(LOCALES[split]), str(FIRST_SEED[split]), str(start), str(n), str(PARAGRAPHS)]
    return isolated_venv.run(ensure_venv(), GENERATOR, args, VENV, PINS, "scrubadub").splitlines()


def jsonl_lines(split: str, n: int) -> list[str]:
    """The first ``n`` JSONL lines of ``split``, generated once and cached (extended if short)."""
    path = _jsonl_path(split)
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    if len(lines) < n:
        lines += generate(split, len(lines), n - len(lines))
        path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return lines[:n]


def label(text: str, filth: list[list[str]]) -> list[tuple[int, int, str, str]]:
    """Spans of the inserted values in insertion order; a value inserted twice is found twice.

    Each value is searched from the end of the previous one's span (scrubadub inserts in text
    order); one not found after it is searched from the start, outside spans already taken.
    """
    spans: list[tuple[int, int, str, str]] = []
    pos = 0
    for match, filth_type in filth:
        if not match:
            continue
        entity = ENTITIES.get(filth_type, filth_type.upper())
        at = text.find(match, pos)
        if at < 0:
            at = _free(text, match, spans)
            if at < 0:
                continue
        spans.append((at, at + len(match), entity, match))
        pos = max(pos, at + len(match))
    return sorted(spans)


def _free(text: str, match: str, spans: list[tuple[int, int, str, str]]) -> int:
    """The first occurrence of ``match`` that overlaps no span yet, or -1."""
    at = text.find(match)
    while at >= 0:
        if all(at >= e or at + len(match) <= s for s, e, _, _ in spans):
            return at
        at = text.find(match, at + 1)
    return -1


def doc_from_line(line: str) -> Doc | None:
    """One JSONL line as a labeled document (id = index + 1); None if scrubadub failed on it."""
    row = json.loads(line)
    if "text" not in row:
        return None
    text = row["text"]
    spans = label(text, row["filth"])
    words, seps = words_and_separators(text, spans)
    return Doc(
        id=int(row["i"]) + 1,
        text=text,
        spans=spans,
        words=words,
        separators=seps,
        source=f"{row['locale']}#{row['seed']}",
    )


def build_corpus(split: str, n: int) -> tuple[list[Doc], int]:
    """The first ``n`` documents of ``split`` and how many of them scrubadub could not make."""
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r} (choose from {', '.join(SPLITS)})")
    docs = [doc_from_line(line) for line in jsonl_lines(split, n)]
    return [d for d in docs if d is not None], sum(d is None for d in docs)


if __name__ == "__main__":  # a look at the DEV split only: python scrubadub_corpus.py [N]
    built, failed = build_corpus("dev", int(sys.argv[1]) if len(sys.argv) > 1 else 3)
    for doc in built:
        print(f"#{doc.id} {doc.source}\n{doc.text}")
        for start, end, entity, value in doc.spans:
            print(f"   {entity:15} {start}:{end} {value!r}")
        print(f"   separators {doc.separators}\n")
    print(f"({failed} documents scrubadub could not make)")
