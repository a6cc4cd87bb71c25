"""Object benchmark: JSON and CSV objects through ``sanitize snapshot``, against parse round trips.

For each format it writes a production folder of generated objects, then times, in the same
run on the same machine:

- baseline (issue 16's): every object read, parsed and written again into another folder,
  one after the other — ``polars.read_csv`` → ``write_csv`` (all columns as text) for CSV,
  ``json.loads`` → ``json.dumps`` (standard library) for JSON;
- a plain copy of the folder (``shutil.copytree``), the floor for moving the bytes;
- keep: a snapshot whose rules ``keep`` every object (the tool's own overhead: listing,
  shadow, verification, promotion, receipts);
- masked: a snapshot with the structured rules a real bucket would get (fake email/name/phone
  by JSON path or CSV column, the rest kept), in one process (threads) and with ``workers``
  processes (BENCH_WORKERS, default one per core).

It prints MB/s and objects/s for each, and each run as a ratio to the baseline (the issue
asks masked CSV ≤ 5× and masked JSON ≤ 3× of it) and to the plain copy.
Keys carry no personal data here, so rules say ``keys: keep`` (key detection loads spaCy and
is measured by the text benchmark). Sizes: BENCH_JSON_OBJECTS (default 3000),
BENCH_CSV_ROWS (default 200000) over BENCH_CSV_FILES objects (default 10; issue 16's
independent harness used 1000000 rows over 20 objects of 50k rows). Results are recorded in
benchmarks/results.json and RESULTS.md.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import os
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import polars as pl
from results import ratio, record

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sanitizer.config.settings import load_settings  # noqa: E402
from sanitizer.run.snapshot import run_snapshot  # noqa: E402

FIRST = ["Ana", "Bob", "Chen", "Dana", "Émile", "Farah", "Gustav", "Hiro"]
LAST = ["Silva", "Smith", "Wang", "Müller", "Okafor", "Tanaka", "Novak"]

JSON_RULES = """\
source: files
objects:
  "tickets/**/*.json":
    keys: keep
    json: {"$.requester.email": {fake: email}, "$.requester.name": {fake: name},
           "$.requester.phone": {fake: phone}, "$.**": keep}
"""
CSV_RULES = """\
source: files
objects:
  "exports/*.csv":
    keys: keep
    columns: {email: {fake: email}, full_name: {fake: name}, phone: {fake: phone}, "*": keep}
"""
WORKERS = int(os.environ.get("BENCH_WORKERS", str(len(os.sched_getaffinity(0)))))
KEEP_RULES = 'source: files\nobjects:\n  "**": {keep: true, keys: keep}\n'


def _person(rng: random.Random, n: int) -> tuple[str, str, str]:
    first, last = rng.choice(FIRST), rng.choice(LAST)
    email = f"{first.lower()}.{last.lower()}{n}@corp{n % 97}.com"
    phone = f"+1 ({200 + n % 700}) {n % 1000:03d}-{n % 10000:04d}"
    return f"{first} {last}", email, phone


def json_objects(count: int) -> dict[str, bytes]:
    rng = random.Random(1)
    out = {}
    for n in range(count):
        name, email, phone = _person(rng, n % (count // 3 + 1))
        doc = {
            "ticket_id": n,
            "status": rng.choice(["open", "closed", "pending"]),
            "requester": {"name": name, "email": email, "phone": phone},
            "items": [{"sku": f"SKU-{rng.randrange(10**6)}", "qty": rng.randint(1, 9)}] * 8,
            "body": "lorem ipsum dolor sit amet " * 20,
        }
        out[f"tickets/{n % 50:02d}/ticket-{n}.json"] = json.dumps(doc, indent=2).encode()
    return out


def csv_objects(rows: int, files: int = 10) -> dict[str, bytes]:
    rng = random.Random(2)
    out = {}
    for f in range(files):
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(["customer_id", "full_name", "email", "phone", "plan", "country"])
        for n in range(rows // files):
            name, email, phone = _person(rng, n % (rows // 4 + 1))
            writer.writerow([n, name, email, phone, rng.choice(["free", "pro"]), "DE"])
        out[f"exports/customers-{f:02d}.csv"] = buffer.getvalue().encode()
    return out


def csv_round_trip(prod: Path, out: Path) -> None:
    """The CSV baseline: each file read and written again by polars, values as text."""
    for path in sorted(prod.rglob("*.csv")):
        target = out / path.relative_to(prod)
        target.parent.mkdir(parents=True, exist_ok=True)
        pl.read_csv(path, infer_schema=False).write_csv(target)


def json_round_trip(prod: Path, out: Path) -> None:
    """The JSON baseline: each file parsed and serialized again by the standard library."""
    for path in sorted(prod.rglob("*.json")):
        target = out / path.relative_to(prod)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(json.loads(path.read_bytes()), indent=2))


def _timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def _snapshot(folder: Path, rules: str, prod: Path, name: str, workers: int = 1) -> float:
    work = folder / name
    (work / "rules").mkdir(parents=True)
    (work / "rules" / "files.yaml").write_text(rules)
    config = work / "sanitize.yaml"
    config.write_text(
        "rules: rules/\nkey: bench-key-0123456789abcdef\nreceipts: receipts\n"
        f"workers: {workers}\n"
        f"sources:\n  files: {{kind: objects, url: {str(prod)!r}}}\n"
        "targets:\n  files: {kind: objects, url: staging}\n"
    )
    settings = load_settings(config)
    return _timed(lambda: run_snapshot(settings))


def bench(
    name: str,
    objects: dict[str, bytes],
    rules: str,
    round_trip: tuple[str, Callable[[Path, Path], None]],
) -> list[dict[str, object]]:
    size = sum(len(d) for d in objects.values()) / 1e6
    with tempfile.TemporaryDirectory(prefix="object-bench-") as tmp:
        folder = Path(tmp)
        prod = folder / "prod"
        for key, data in objects.items():
            (prod / key).parent.mkdir(parents=True, exist_ok=True)
            (prod / key).write_bytes(data)
        base = _timed(lambda: round_trip[1](prod, folder / "round-trip"))
        copy = _timed(lambda: shutil.copytree(prod, folder / "copy"))
        keep = _snapshot(folder, KEEP_RULES, prod, "keep")
        masked = _snapshot(folder, rules, prod, "masked")
        parallel = _snapshot(folder, rules, prod, "parallel", WORKERS)
    count = len(objects)
    print(f"\n{name}: {count:,} objects, {size:.1f} MB")
    rows = []
    for label, seconds in (
        (round_trip[0], base),
        ("plain copy", copy),
        ("sanitize keep", keep),
        ("masked, 1 process", masked),
        (f"masked, {WORKERS} procs", parallel),
    ):
        print(
            f"  {label:26} {seconds:7.2f} s  {size / seconds:8.1f} MB/s  "
            f"{count / seconds:9.0f} objects/s  {seconds / base:6.1f}x the baseline  "
            f"{seconds / copy:6.1f}x the plain copy"
        )
        rows.append(
            {
                "objects": name,
                "count": count,
                "mb": round(size, 2),
                "run": label,
                "seconds": round(seconds, 3),
                "mb_per_s": round(size / seconds, 2),
                "objects_per_s": round(count / seconds),
                "ratio": ratio(seconds, base),
                "ratio_to_copy": ratio(seconds, copy),
            }
        )
    return rows


def main() -> None:
    logging.disable(logging.INFO)
    cores = len(os.sched_getaffinity(0))
    print(f"object benchmark ({cores} cores), ratios to a parse round trip in the same run")
    json_count = int(os.environ.get("BENCH_JSON_OBJECTS", "3000"))
    csv_rows = int(os.environ.get("BENCH_CSV_ROWS", "200000"))
    csv_files = int(os.environ.get("BENCH_CSV_FILES", "10"))
    json_base = ("json.loads -> json.dumps", json_round_trip)
    csv_base = ("polars read_csv -> write_csv", csv_round_trip)
    rows = bench("JSON objects", json_objects(json_count), JSON_RULES, json_base)
    rows += bench("CSV objects", csv_objects(csv_rows, csv_files), CSV_RULES, csv_base)
    record(
        "objects",
        baseline="per format, each object parsed and written again in one process: "
        "json.loads -> json.dumps (standard library) for JSON, polars read_csv -> write_csv "
        "for CSV (ratio); a plain copy of the folder is ratio_to_copy",
        rows=rows,
        params={
            "BENCH_JSON_OBJECTS": json_count,
            "BENCH_CSV_ROWS": csv_rows,
            "BENCH_CSV_FILES": csv_files,
            "BENCH_WORKERS": WORKERS,
        },
    )


if __name__ == "__main__":
    main()
