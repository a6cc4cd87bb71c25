"""An agent-memory store whose documents name people by their first name alone.

The demo's shape: memories say 'さゆり was frustrated …' while their metadata (and the SQL
customers table) hold the full name '山口 さゆり'. One ``sanitize snapshot`` over both: no
given or family name of a record's person stays in that record's document, and the given name
becomes the given name of the fake its full name got in the metadata.
"""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path
from typing import Any

from helpers import memory_corpus as vc

COLLECTION = "agent_memory"
PEOPLE = [  # (full name, given, family)
    ("山口 さゆり", "さゆり", "山口"),
    ("Victoria Lindqvist", "Victoria", "Lindqvist"),
    ("Grace Okafor", "Grace", "Okafor"),
    ("Diego Alvarez", "Diego", "Alvarez"),
    ("Mark Becker", "Mark", "Becker"),
    ("Ngozi Adeyemi", "Ngozi", "Adeyemi"),
]
TEMPLATES = [
    "{given} was frustrated about the outage last week. Offered a credit.",
    "Remember for the ticket: {given} asked for a callback once the fix ships.",
    "Chat summary: {given} wants exports as CSV, not PDF. The {family} account is on the pro plan.",
]


def records() -> list[dict[str, Any]]:
    out = []
    for i, (full, given, family) in enumerate(PEOPLE):
        for j, template in enumerate(TEMPLATES):
            out.append(
                {
                    "id": f"m-{i}-{j}",
                    "document": template.format(given=given, family=family),
                    "customer_email": f"customer{i}@mail.example",
                    "customer_name": full,
                    "ticket_id": 100 + i,
                    "tags": ["memory"],
                    "context": json.dumps({"callback": f"+1 415 555 01{i:02d}"}),
                }
            )
    return out


def config(tmp_path: Path) -> Path:
    """The memory store beside a SQLite ``app`` source whose customers hold the full names."""
    db = tmp_path / "app.db"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
        conn.executemany(
            "INSERT INTO customers VALUES (?, ?)", [(i, p[0]) for i, p in enumerate(PEOPLE)]
        )
    (tmp_path / "rules").mkdir(exist_ok=True)
    (tmp_path / "rules" / "app.yaml").write_text(
        "source: app\ntables:\n  customers:\n    id: keep\n    name: {fake: name}\n"
    )
    return vc.write_config(
        tmp_path,
        "lancedb",
        str(tmp_path / "prod-memory"),
        str(tmp_path / "staging-memory"),
        vc.RULES.format(collection=COLLECTION),
        extra_sources=f"  app: {{kind: sql, url: 'sqlite:///{db}'}}\n",
        extra_targets=f"  app: {{kind: sql, url: 'sqlite:///{tmp_path / 'staging.db'}'}}\n",
    )


def staging(tmp_path: Path) -> dict[str, dict[str, Any]]:
    import lancedb

    table = lancedb.connect(str(tmp_path / "staging-memory")).open_table(COLLECTION)
    return {row["id"]: row for row in table.to_arrow().to_pylist()}


def mentions(document: str, name: str) -> bool:
    """A name in a document: anywhere for unspaced scripts, else as a whole word."""
    if not name.isascii():
        return name.casefold() in document.casefold()
    return re.search(rf"\b{re.escape(name)}\b", document, re.IGNORECASE) is not None


def test_no_persons_name_stays_in_its_own_record(tmp_path):
    vc.write_lance(tmp_path / "prod-memory", COLLECTION, records())
    code, output = vc.run(config(tmp_path))
    assert code == 0, output
    rows = staging(tmp_path)
    with sqlite3.connect(tmp_path / "staging.db") as conn:
        masked_names = dict(conn.execute("SELECT id, name FROM customers").fetchall())
    for i, (full, given, family) in enumerate(PEOPLE):
        fake = rows[f"m-{i}-0"]["metadata"]["customer_name"]
        assert fake == masked_names[i]  # one person, one fake, in SQL and in the memory
        for j in range(len(TEMPLATES)):
            document = rows[f"m-{i}-{j}"]["document"]
            for name in (full, given, family):
                assert not mentions(document, name), (name, document)
            # the given name alone takes the given name of the person's fake
            assert document.startswith(fake.split()[0]) or fake.split()[0] in document
        assert rows[f"m-{i}-0"]["document"].startswith(f"{fake.split()[0]} was frustrated")
