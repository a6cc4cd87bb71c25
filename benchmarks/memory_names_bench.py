"""Agent memories that name their person by a given or family name alone, written by others.

Issue 13 asks that on an agent-memory store with first names alone in sentences, no person's
name of the source stays in its own record. This bench builds such a store from material
nobody here wrote and measures it through ``sanitize snapshot``:

- people: mimesis 22.2.0's given and family names per locale (``mimesis_corpus.pools``: ten
  locales per split, Latin, Cyrillic, Greek, Japanese and Korean scripts); the full name is
  family name first in a script written without spaces, given name first otherwise;
- sentences: presidio-evaluator's template lines that name a person by ``{{first_name}}`` or
  ``{{last_name}}`` alone (23 dev and 18 held-out lines, ``outside_corpus.split_templates``),
  those slots filled with the record's person, a ``{{person}}``/``{{name}}`` slot with the
  full name, every other slot from the same locale's pools as ``mimesis-intl`` fills them;
- the record: a LanceDB memory whose metadata ``customer_name`` holds the full name, under
  ``customer_name: {fake: name}`` and ``document: detect``.

A record leaks when its staged document still holds the person's full, given or family name
(a whole word in a spaced script, anywhere in an unspaced one). Raw Presidio (the same spaCy
model, ``presidio_baseline.py``) runs over the same documents for comparison: it knows
nothing of the metadata. It also counts how often the given name became the given name of the
person's fake (the fake in the staged metadata), as the tool's known-values rule promises.

    python benchmarks/memory_names_bench.py [--split heldout] [--docs 1000]

Results are recorded in benchmarks/results.json and RESULTS.md (``--no-record`` to skip).
"""

from __future__ import annotations

import argparse
import random
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import mimesis_corpus
from outside_corpus import SLOT, split_templates
from results import record
from vector_bench import CONFIG  # the same LanceDB source and target

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
KEY = "memory-names-bench-key-0123456789"
TABLE = "memories"
NAME_SLOT = re.compile(r"{{\s*(first_name|last_name)\w*\s*}}")
UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
RULES = """source: memory
vectors:
  memories:
    document: detect
    metadata:
      customer_name: {fake: name}
      ticket: keep
"""


def person(pool: dict[str, list[str]], rng: random.Random) -> tuple[str, str, str]:
    """(full, given, family) of one person of a locale's pools."""
    given, family = rng.choice(pool["first_name"]), rng.choice(pool["last_name"])
    full = f"{family} {given}" if UNSPACED.search(given + family) else f"{given} {family}"
    return full, given, family


def fill(template: str, who: tuple[str, str, str], filler: mimesis_corpus.MimesisFiller) -> str:
    """A template line with the person in its name slots and the locale's values elsewhere."""
    full, given, family = who

    def value(match: re.Match) -> str:
        slot = match.group(1).lower()
        if slot.startswith("first_name"):
            return given
        if slot.startswith("last_name"):
            return family
        if slot in ("person", "name", "name_female", "name_male"):
            return full
        return filler.value(slot).strip()

    return SLOT.sub(value, template)


def corpus(split: str, count: int, seed: int = 13) -> list[dict]:
    """``count`` memories of ``split``, each naming its person alone at least once."""
    lines = [t for _, t in split_templates(split) if NAME_SLOT.search(t)]
    pools = mimesis_corpus.pools(split)
    rows = []
    for i in range(count):
        rng = random.Random(f"memory-names/{split}/{seed}/{i}")
        locale = rng.choice(mimesis_corpus.LOCALES[split])
        who = person(pools[locale], rng)
        filler = mimesis_corpus.MimesisFiller(rng, pools[locale])
        line = rng.choice(lines)
        text = fill(line, who, filler)
        given_slot = re.search(r"{{\s*first_name", line) is not None
        rows.append(
            {"id": f"m-{i}", "document": text, "customer_name": who[0], "ticket": i}
            | {"who": who, "locale": locale, "given_slot": given_slot}
        )
    return rows


def write_source(path: Path, rows: list[dict]) -> None:
    """A LanceDB table of the memories (stand-in vectors: the staging run re-embeds)."""
    import lancedb
    import numpy as np
    import pyarrow as pa

    vectors = np.random.default_rng(7).normal(size=(len(rows), 384)).astype(np.float32)
    schema = pa.schema(
        [
            ("id", pa.string()),
            ("document", pa.string()),
            ("vector", pa.list_(pa.float32(), 384)),
            ("metadata", pa.struct([("customer_name", pa.string()), ("ticket", pa.int64())])),
        ]
    )
    data = [
        {
            "id": r["id"],
            "document": r["document"],
            "vector": v.tolist(),
            "metadata": {"customer_name": r["customer_name"], "ticket": r["ticket"]},
        }
        for r, v in zip(rows, vectors, strict=True)
    ]
    lancedb.connect(str(path)).create_table(TABLE, data=pa.Table.from_pylist(data, schema=schema))


def mentions(document: str, name: str, loose: bool = False) -> bool:
    """A name in a document: anywhere in an unspaced script, else as a whole word. A name of
    one character ('김', '王') counts only as a run of its own: inside a longer run it is a
    syllable of another word ('김' in '김해시', '오' in '오금'); ``loose`` counts it anywhere
    too (the rule before 2026-12-05, still printed beside the other)."""
    if UNSPACED.search(name):
        if len(name) == 1 and not loose:
            alone = rf"(?<!{UNSPACED.pattern}){re.escape(name)}(?!{UNSPACED.pattern})"
            return re.search(alone, document) is not None
        return name.casefold() in document.casefold()
    return re.search(rf"(?<!\w){re.escape(name)}(?!\w)", document, re.IGNORECASE) is not None


def leaked(document: str, who: tuple[str, str, str], loose: bool = False) -> bool:
    return any(mentions(document, name, loose) for name in who)


def run_sanitizer(work: Path) -> tuple[dict[str, dict], float]:
    """{id: staged row} and the wall seconds of one ``sanitize snapshot``."""
    import lancedb

    (work / "rules").mkdir(exist_ok=True)
    (work / "rules" / "memory.yaml").write_text(RULES)
    config = work / "sanitize.yaml"
    config.write_text(CONFIG.format(key=KEY, prod=work / "prod", staging=work / "staging"))
    started = time.perf_counter()
    done = subprocess.run(
        [str(BIN / "sanitize"), "snapshot", "--config", str(config), "--log-format", "json"],
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"sanitize snapshot failed ({done.returncode}):\n{done.stdout[-3000:]}")
    table = lancedb.connect(str(work / "staging")).open_table(TABLE)
    return {row["id"]: row for row in table.to_arrow().to_pylist()}, seconds


def run_presidio(work: Path, rows: list[dict]) -> dict[str, str]:
    """{id: document} after raw Presidio, over the same documents."""
    source, target = work / "presidio-in.db", work / "presidio-out.db"
    with sqlite3.connect(source) as conn:
        conn.execute("CREATE TABLE docs (id INTEGER PRIMARY KEY, body TEXT)")
        conn.executemany(
            "INSERT INTO docs VALUES (?, ?)", [(i, r["document"]) for i, r in enumerate(rows)]
        )
    baseline = ROOT / "benchmarks" / "presidio_baseline.py"
    subprocess.run([str(BIN / "python"), str(baseline), str(source), str(target)], check=True)
    with sqlite3.connect(target) as conn:
        out = dict(conn.execute("SELECT id, body FROM docs").fetchall())
    return {rows[i]["id"]: body for i, body in out.items()}


def score(rows: list[dict], staged: dict[str, dict], presidio: dict[str, str]) -> dict:
    sanitizer_left = [r for r in rows if leaked(staged[r["id"]]["document"], r["who"])]
    loose_left = [r for r in rows if leaked(staged[r["id"]]["document"], r["who"], loose=True)]
    presidio_left = [r for r in rows if leaked(presidio[r["id"]], r["who"])]
    named = [r for r in rows if r["given_slot"]]
    given_as_fake = sum(_fake_given_in(staged[r["id"]]) for r in named)
    n = len(rows)
    return {
        "sanitizer_left": len(sanitizer_left) / n,
        "sanitizer_left_loose": len(loose_left) / n,
        "presidio_left": len(presidio_left) / n,
        "fake_given_in_document": given_as_fake / max(1, len(named)),
        "left_by_locale": _by_locale(rows, sanitizer_left),
    }


def _fake_given_in(row: dict) -> bool:
    """Whether the staged document holds the given name of the fake the person got in the
    metadata (Faker's fakes are given name first)."""
    fake = (row["metadata"]["customer_name"] or "").split()
    return bool(fake) and mentions(row["document"], fake[0])


def _by_locale(rows: list[dict], left: list[dict]) -> dict[str, str]:
    """Per mimesis locale: records with a name left / records."""
    counts: dict[str, list[int]] = {}
    ids = {r["id"] for r in left}
    for r in rows:
        counts.setdefault(r["locale"], [0, 0])
        counts[r["locale"]][0] += r["id"] in ids
        counts[r["locale"]][1] += 1
    return {k: f"{a}/{b}" for k, (a, b) in sorted(counts.items())}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=mimesis_corpus.SPLITS, default="heldout")
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--no-record", action="store_true")
    parser.add_argument("--show", type=int, default=0, help="print N leaked records (dev only)")
    args = parser.parse_args(argv)
    rows = corpus(args.split, args.docs)
    with tempfile.TemporaryDirectory(prefix="memory-names-") as folder:
        work = Path(folder)
        write_source(work / "prod", rows)
        staged, seconds = run_sanitizer(work)
        presidio = run_presidio(work, rows)
    result = score(rows, staged, presidio)
    print(f"== memory names, {args.split} split: {len(rows)} memories, snapshot {seconds:.1f} s")
    print(
        f"records with a name of their person left: sanitizer {result['sanitizer_left']:.2%}, "
        f"raw Presidio {result['presidio_left']:.2%}"
    )
    print(
        "  counting a one-character name inside a longer run too: "
        f"sanitizer {result['sanitizer_left_loose']:.2%}"
    )
    share = result["fake_given_in_document"]
    print(f"given name alone replaced by the given name of the person's fake: {share:.2%}")
    print("records with a name left, per locale:", result["left_by_locale"])
    if args.show and args.split == "dev":
        for r in [r for r in rows if leaked(staged[r["id"]]["document"], r["who"])][: args.show]:
            print(f"  {r['who']}: {r['document']!r} -> {staged[r['id']]['document']!r}")
    if not args.no_record:
        record(
            "memory-names",
            baseline="raw Presidio (same spaCy model) over the same documents; it sees no metadata",
            rows=[
                {
                    "run": "sanitizer",
                    "records_with_name_left": round(result["sanitizer_left"], 4),
                    "one_character_names_anywhere": round(result["sanitizer_left_loose"], 4),
                },
                {
                    "run": "raw Presidio",
                    "records_with_name_left": round(result["presidio_left"], 4),
                },
            ],
            params={
                "split": args.split,
                "docs": len(rows),
                "corpus": "mimesis 22.2.0 names, "
                "presidio-evaluator 0.3.2 templates with a first/last name slot",
                "fake_given_in_document": round(result["fake_given_in_document"], 4),
            },
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
