"""A vector index (LanceDB) and an object folder with planted PII under names that say nothing
(``m1``, ``$.a.x1``, ``c2``), for ``sanitize scan`` tests: only the values can give it away."""

from __future__ import annotations

import io
import json
from pathlib import Path

PEOPLE = [
    ("Maria Gonzalez", "maria.gonzalez@mailbox-one.com", "+1 (415) 555-0132"),
    ("Tom Becker", "t.becker@post-two.de", "+49 30 1234567"),
    ("Aiko Tanaka", "aiko.t@inbox-three.jp", "+44 20 7946 0958"),
    ("Peter Novak", "pnovak@four-mail.cz", "+1 212 555 0199"),
]
# Every value that must never appear in a scan's output (names, emails, phones, key parts).
PLANTED = [value for person in PEOPLE for value in person] + [
    "maria.gonzalez",
    "t.becker",
    "aiko.t",
    "pnovak",
]
DIMENSION = 384  # the bundled embedding model's, so a real run accepts the collection
KEY = {"SANITIZE_KEY": "scan-test-key-0123456789abcdef"}
CONFIG = """\
rules: rules/
key: ${SANITIZE_KEY}
sources:
  memory: {kind: lancedb, url: prod/memory}
  files:  {kind: objects, url: prod/files}
targets:
  memory: {kind: lancedb, url: staging/memory}
  files:  {kind: objects, url: staging/files}
"""


def person(i: int) -> tuple[str, str, str]:
    return PEOPLE[i % len(PEOPLE)]


def memory_rows(records: int = 24) -> list[dict]:
    """Records of ``notes``: a document, PII metadata m1..m3, business keys, a JSON string."""
    rows = []
    for i in range(records):
        name, mail, phone = person(i)
        rows.append(
            {
                "id": f"n{i}",
                "document": f"Spoke with {name} about the refund; reach them at {mail}.",
                "vector": [0.1 * (i % 5) + 0.01] * DIMENSION,
                "m1": mail,
                "m2": name,
                "m3": phone,
                "sku": f"SKU-{1000 + i}",
                "qty": i % 7,
                "state": "open" if i % 2 else "closed",
                "ctx": json.dumps({"cb": phone, "src": "web", "n": i}),
                "seen": json.dumps({mail: i}),  # a JSON string keyed by an email
            }
        )
    return rows


def build_memory(folder: Path) -> None:
    """``notes`` (see :func:`memory_rows`) and ``blobs``: vectors without document text."""
    import lancedb
    import pyarrow as pa

    rows = memory_rows()
    db = lancedb.connect(str(folder))
    schema = pa.schema(
        [
            ("id", pa.string()),
            ("document", pa.string()),
            ("vector", pa.list_(pa.float32(), DIMENSION)),
            ("m1", pa.string()),
            ("m2", pa.string()),
            ("m3", pa.string()),
            ("sku", pa.string()),
            ("qty", pa.int64()),
            ("state", pa.string()),
            ("ctx", pa.string()),
            ("seen", pa.string()),
        ]
    )
    db.create_table("notes", pa.Table.from_pylist(rows, schema=schema))
    blobs = pa.table(
        {
            "id": ["b0", "b1"],
            "vector": pa.array([[0.5] * DIMENSION] * 2, pa.list_(pa.float32(), DIMENSION)),
        }
    )
    db.create_table("blobs", blobs)


def build_files(folder: Path) -> None:
    for key, data in file_objects().items():
        (folder / key).parent.mkdir(parents=True, exist_ok=True)
        (folder / key).write_bytes(data)


def file_objects() -> dict[str, bytes]:
    """JSON, NDJSON, CSV (with and without a header), Parquet, text, Markdown under keys
    holding emails, and images."""
    objects: dict[str, bytes] = {}
    for i in range(6):
        name, mail, phone = person(i)
        document = {
            "a": {"x1": mail, "x2": name},
            "sku": f"SKU-{2000 + i}",
            "n": i,
            "items": [{"y": phone, "q": 2}, {"y": phone, "q": 3}],
            "votes": {f"v{1000 + 7 * i + j}": j for j in range(3)},  # keyed by ids
        }
        objects[f"batches/2024/0{i}/b-{i}.json"] = json.dumps(document, indent=2).encode()
        scores = {"week": i, "seen": {mail: i, person(i + 1)[1]: 1}}  # keyed by emails
        objects[f"scores/s-{i}.json"] = json.dumps(scores).encode()
        lines = [json.dumps({"u": person(j)[1], "ev": "login", "k": j}) for j in range(8)]
        objects[f"logs/day-{i}.ndjson"] = ("\n".join(lines) + "\n").encode()
        rows = [",".join(("c1", "c2", "c3", "code", "qty"))] + [
            ",".join((*person(j), f"SKU-{j}", str(j))) for j in range(8)
        ]
        objects[f"dumps/part-{i}.csv"] = ("\n".join(rows) + "\n").encode()
        raw = [";".join((person(j)[1], person(j)[0], f"A{j}")) for j in range(i, i + 8)]
        objects[f"raw/r-{i}.csv"] = ("\n".join(raw) + "\n").encode()
        objects[f"notes/n-{i}.txt"] = (
            f"Call from {name} ({phone}). Follow up by mail: {mail}.\n"
        ).encode()
        objects[f"inbox/{mail}/msg-{i}.md"] = f"# Note\n\n{name} asked for a callback.\n".encode()
        objects[f"img/{i:04d}.png"] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + bytes(range(40))
        objects[f"tables/part-{i}.parquet"] = _parquet(i)
    return objects


def _parquet(i: int) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    people = [person(j) for j in range(i, i + 6)]
    table = pa.table(
        {
            "f_a": [p[1] for p in people],
            "f_b": [p[0] for p in people],
            "amount": [1.5 * j for j in range(6)],
            "sku": [f"SKU-{j}" for j in range(6)],
        }
    )
    sink = io.BytesIO()
    pq.write_table(table, sink)
    return sink.getvalue()


def build_project(root: Path) -> Path:
    """Config, an empty rules folder and both production stores under ``root``."""
    (root / "sanitize.yaml").write_text(CONFIG)
    (root / "rules").mkdir()
    build_memory(root / "prod" / "memory")
    build_files(root / "prod" / "files")
    return root
