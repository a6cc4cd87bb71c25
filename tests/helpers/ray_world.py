"""A small text-heavy production for the Ray engine tests: customers with unique emails (the
run's unique ledger) and free-text messages full of names, emails, phones and places (the
detector), in SQLite, a folder of JSON tickets (the objects stage) and a LanceDB collection of
memories (the vector stage: detect and re-embedding); so a run can happen
inside the loopback-only namespace the test cluster lives in (tests/helpers/ray_cluster.py).

``state`` reads a staging database as exact text, table by table, without sanitizer's own
bookkeeping tables (their run ids differ between runs).
"""

from __future__ import annotations

import json
import random
import sqlite3
from pathlib import Path

import numpy as np
from faker import Faker

from helpers.memory_corpus import records as memory_records
from helpers.memory_corpus import write_lance

KEY = "ray-engine-tests-key-0123456789abcdef"
FILES_RULES = """\
source: files
objects:
  "tickets/*.json": {json: {"$.email": {fake: email}, "$.note": detect, "$.**": keep}, keys: keep}
"""
TICKETS = 40
MEMORY_RULES = """\
source: memory
vectors:
  memory:
    document: detect
    metadata:
      customer_email: {fake: email}
      customer_name: {fake: name}
      ticket_id: keep
      tags: keep
      context: keep
"""
RULES = """\
source: app
tables:
  customers:
    id: keep
    email: {fake: email, unique: true}
    name: {fake: name}
    phone: {fake: phone}
  messages:
    id: keep
    customer_id: keep
    body: {detect: [PERSON, EMAIL_ADDRESS, PHONE_NUMBER, LOCATION]}
"""
TEMPLATES = (
    "Hi, this is {name}. Please write to {email} or call {phone} about my order.",
    "{name} from {city} asked us to update the address on file. Reach them at {phone}.",
    "Forwarded by {name} <{email}>: the invoice for {city} is still missing.",
    "Customer said {other} will pick it up in {city}; confirm with {email}.",
)


def make_production(folder: Path, customers: int = 120, messages: int = 600) -> Path:
    """``folder/prod.db``: the same rows every time (seeded)."""
    fake, pick = Faker("en_US"), random.Random(17)
    fake.seed_instance(17)
    people = [(fake.name(), fake.unique.email(), fake.phone_number()) for _ in range(customers)]
    path = folder / "prod.db"
    with sqlite3.connect(path) as conn:
        conn.executescript(
            "CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE,"
            " name TEXT NOT NULL, phone TEXT);"
            "CREATE TABLE messages (id INTEGER PRIMARY KEY,"
            " customer_id INTEGER NOT NULL REFERENCES customers (id), body TEXT NOT NULL);"
        )
        conn.executemany(
            "INSERT INTO customers VALUES (?, ?, ?, ?)",
            [(i + 1, email, name, phone) for i, (name, email, phone) in enumerate(people)],
        )
        rows = []
        for i in range(messages):
            who = pick.randrange(customers)
            name, email, phone = people[who]
            text = " ".join(
                pick.choice(TEMPLATES).format(
                    name=name, email=email, phone=phone, city=fake.city(), other=fake.name()
                )
                for _ in range(3)
            )
            rows.append((i + 1, who + 1, text))
        conn.executemany("INSERT INTO messages VALUES (?, ?, ?)", rows)
    conn.close()
    tickets = folder / "prod_files" / "tickets"
    tickets.mkdir(parents=True)
    for i in range(TICKETS):
        name, email, phone = people[i % customers]
        body = {"id": i, "email": email, "note": f"{name} called from {phone}", "tags": ["a"]}
        (tickets / f"{i:03}.json").write_text(json.dumps(body), encoding="utf-8")
    write_lance(folder / "prod_memory", "memory", memory_records())
    return path


def write_config(folder: Path, staging: str, extra: str = "") -> Path:
    """A sanitize.yaml for prod.db → ``staging`` (a file name in ``folder``)."""
    rules = folder / "rules"
    rules.mkdir(exist_ok=True)
    (rules / "app.yaml").write_text(RULES, encoding="utf-8")
    (rules / "files.yaml").write_text(FILES_RULES, encoding="utf-8")
    (rules / "memory.yaml").write_text(MEMORY_RULES, encoding="utf-8")
    files = f"{Path(staging).stem}_files"
    config = folder / f"{Path(staging).stem}.yaml"
    config.write_text(
        "rules: rules/\n"
        "key: ${SANITIZE_KEY}\n"
        "receipts: receipts\n"
        "batch_size: 100\n"
        "workers: 2\n"
        "sources:\n"
        '  app: {kind: sql, url: "sqlite:///prod.db"}\n'
        "  files: {kind: objects, url: prod_files}\n"
        "  memory: {kind: lancedb, url: prod_memory}\n"
        "targets:\n"
        f'  app: {{kind: sql, url: "sqlite:///{staging}"}}\n'
        f"  files: {{kind: objects, url: {files}}}\n"
        f"  memory: {{kind: lancedb, url: {Path(staging).stem}_memory}}\n" + extra,
        encoding="utf-8",
    )
    return config


def state(database: Path) -> dict[str, list[tuple]]:
    """Every data table's rows in primary-key order, exactly as stored."""
    with sqlite3.connect(database) as conn:
        tables = [
            name
            for (name,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
            if not name.startswith(("sanitizer_", "sqlite_"))
        ]
        out = {t: conn.execute(f'SELECT * FROM "{t}" ORDER BY 1').fetchall() for t in tables}
    conn.close()
    return out


def objects_state(folder: Path) -> dict[str, bytes]:
    """Every staging object's bytes by key (the target folder of ``staging``'s config)."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.name.startswith(".")
    }


def memory_state(folder: Path) -> list[dict]:
    """Every staging memory (id, document, metadata, vector bytes) in id order."""
    import lancedb

    rows = lancedb.connect(str(folder)).open_table("memory").to_arrow().to_pylist()
    for row in rows:
        row["vector"] = np.asarray(row["vector"], dtype=np.float32).tobytes()
    return sorted(rows, key=lambda row: row["id"])


def history(database: Path) -> list[str]:
    """The statuses of staging's run history, newest first."""
    with sqlite3.connect(database) as conn:
        rows = conn.execute(
            "SELECT status FROM sanitizer_runs ORDER BY started_at DESC, rowid DESC"
        ).fetchall()
    conn.close()
    return [status for (status,) in rows]
