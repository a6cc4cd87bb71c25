"""A small memory corpus with PII in documents and metadata, and helpers to store it.

Shared by the vector tests and the fault-injection suite.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

KEY = "vector-tests-key-0123456789abcdef"
PEOPLE = [
    ("Margaret Okafor", "margaret.okafor@northwind-mail.com", "+1 415 555 0142"),
    ("Jonas Lindqvist", "jonas.lindqvist@fjord-post.se", "+46 70 123 45 67"),
    ("Priya Raman", "priya.raman@sunmail.in", "+91 98450 12345"),
    ("Diego Alvarez", "diego.alvarez@correo-sur.es", "+34 612 34 56 78"),
    ("Hannah Becker", "hannah.becker@postfach.de", "+49 151 2345 6789"),
    ("Tomasz Nowak", "tomasz.nowak@skrzynka.pl", "+48 501 234 567"),
]
TEMPLATES = [
    "Summary: {name} asked about a refund. Reach them at {email} or {phone}.",
    "Ticket memory: {name} reported login failures; confirmed email {email}.",
]


def records() -> list[dict[str, Any]]:
    """Twelve memories: two per person."""
    out = []
    for i, (name, email, phone) in enumerate(PEOPLE):
        for j, template in enumerate(TEMPLATES):
            out.append(
                {
                    "id": f"m-{i}-{j}",
                    "document": template.format(name=name, email=email, phone=phone),
                    "customer_email": email,
                    "customer_name": name,
                    "ticket_id": 100 + i,
                    "tags": ["vip", name.split()[0].lower()] if j else ["standard"],
                    "context": json.dumps({"callback": phone, "channel": "chat"}),
                }
            )
    return out


def pii_strings() -> list[str]:
    """Every original value that must not reach staging (first names too short to matter)."""
    return [s for person in PEOPLE for s in person] + [p[0].split()[1] for p in PEOPLE]


def fake_vectors(texts: list[str], dimension: int) -> np.ndarray:
    """Stand-in production vectors: deterministic, unrelated to the staging model's."""
    rng = np.random.default_rng(7)
    return rng.normal(size=(len(texts), dimension)).astype(np.float32)


def write_lance(path: Path, table: str, rows: list[dict[str, Any]], dimension: int = 384) -> None:
    """A LanceDB table with a ``metadata`` struct, a JSON-string column and a list column."""
    import lancedb

    schema = pa.schema(
        [
            ("id", pa.string()),
            ("document", pa.string()),
            ("vector", pa.list_(pa.float32(), dimension)),
            (
                "metadata",
                pa.struct(
                    [
                        ("customer_email", pa.string()),
                        ("customer_name", pa.string()),
                        ("ticket_id", pa.int64()),
                    ]
                ),
            ),
            ("tags", pa.list_(pa.string())),
            ("context", pa.string()),
        ]
    )
    vectors = fake_vectors([r["document"] for r in rows], dimension)
    data = pa.Table.from_pylist(
        [
            {
                "id": r["id"],
                "document": r["document"],
                "vector": v.tolist(),
                "metadata": {k: r[k] for k in ("customer_email", "customer_name", "ticket_id")},
                "tags": r["tags"],
                "context": r["context"],
            }
            for r, v in zip(rows, vectors, strict=True)
        ],
        schema=schema,
    )
    lancedb.connect(str(path)).create_table(table, data=data, mode="overwrite")


def write_chroma(client: Any, name: str, rows: list[dict[str, Any]], dimension: int = 384) -> None:
    """A Chroma collection (cosine) with flat metadata, a list value and a JSON string."""
    if name in [c.name for c in client.list_collections()]:
        client.delete_collection(name)
    collection = client.create_collection(
        name, configuration={"hnsw": {"space": "cosine"}}, embedding_function=None
    )
    collection.add(
        ids=[r["id"] for r in rows],
        documents=[r["document"] for r in rows],
        metadatas=[{k: v for k, v in r.items() if k not in ("id", "document")} for r in rows],
        embeddings=fake_vectors([r["document"] for r in rows], dimension),
    )


RULES = """\
source: memory
vectors:
  {collection}:
    document: detect
    metadata:
      customer_email: {{fake: email}}
      customer_name: {{fake: name}}
      ticket_id: keep
      tags: keep
      context:
        json:
          "$.callback": {{fake: phone}}
          "$.**": keep
"""


def write_config(
    folder: Path,
    kind: str,
    source: str,
    target: str,
    rules: str,
    extra_sources: str = "",
    extra_targets: str = "",
) -> Path:
    """sanitize.yaml + rules/ in ``folder``; returns the config path."""
    (folder / "rules").mkdir(exist_ok=True)
    (folder / "rules" / "memory.yaml").write_text(rules)
    config = folder / "sanitize.yaml"
    config.write_text(
        f"rules: rules/\nkey: {KEY}\nreceipts: receipts\nworkers: 1\n"
        f"sources:\n  memory: {{kind: {kind}, url: '{source}'}}\n{extra_sources}"
        f"targets:\n  memory: {{kind: {kind}, url: '{target}'}}\n{extra_targets}"
    )
    return config


def run(config: Path) -> tuple[int, str]:
    """``sanitize snapshot`` in this process (the model stays loaded): (exit code, output)."""
    from click.testing import CliRunner

    from sanitizer.cli import main

    result = CliRunner().invoke(main, ["snapshot", "--config", str(config), "--log-format", "json"])
    return result.exit_code, result.output
