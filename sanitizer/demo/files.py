"""The demo's production bucket: ticket attachments, transcripts, an export, events, avatars,
and the platform's production config file (its credentials and live URLs).

Built from the same generated customers and tickets as ``app.db``, so an email in a ticket
attachment is a ``contacts.email`` in the database — and after masking, the same fake in both.
It keeps the messiness real buckets have: some JSON with a BOM, CRLF and four-space indents,
a CSV with quoted fields, blank NDJSON lines, emails inside object keys, and one truncated
upload that the demo's ``on_malformed: quarantine`` policy leaves out and reports.
"""

from __future__ import annotations

import csv
import io
import json
import os
import random
import shutil
import struct
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

CONTENT_TYPES = ("application/pdf", "image/png", "text/plain")
AGENT_LINES = (
    "Thanks for reaching out, {first}. I can see ticket #{ticket} here.",
    "Could you confirm the email on the account, please?",
    "I have updated the record and sent a confirmation to {email}.",
)
CUSTOMER_LINES = (
    "Hi, this is {name}. {subject}",
    "Sure, it is {email}, and my phone is {phone}.",
    "Great, thank you! You can also reach me at {phone} after 5pm.",
)


def build_files(
    folder: Path,
    people: Sequence[Any],
    tickets: Sequence[Any],
    seed: int,
    config: dict[str, Any] | None = None,
) -> int:
    """(Re)create the bucket folder atomically (built beside it, then renamed); returns objects.

    ``config`` is the platform's production settings (credentials.py), uploaded to the bucket
    as ``config/production.json`` the way such files end up in buckets: database URLs, API
    keys, webhook URLs and a private key in one JSON document.
    """
    rng = random.Random(seed)
    tmp = folder.with_name(f".{folder.name}.{os.getpid()}.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    objects = {
        **_tickets(tickets[:40], rng),
        **_transcripts(tickets[:20]),
        "exports/customers-2025-06.csv": _export(people[:60]),
        "events/agent-events.ndjson": _events(people[:30], rng),
        **{f"users/{p.email}/avatar.png": _avatar(rng) for p in people[:8]},
    }
    objects["tickets/2025/06/upload-interrupted.json"] = b'{"ticket_id": 9999, "requester": {'
    if config is not None:
        objects["config/production.json"] = (json.dumps(config, indent=2) + "\n").encode()
    for key, data in objects.items():
        path = tmp / key
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    shutil.rmtree(folder, ignore_errors=True)
    os.replace(tmp, folder)
    return len(objects)


def _tickets(tickets: Sequence[Any], rng: random.Random) -> dict[str, bytes]:
    out = {}
    for i, t in enumerate(tickets):
        doc = {
            "ticket_id": t.id,
            "subject": t.subject,
            "requester": {"name": t.person.name, "email": t.person.email, "phone": t.person.phone},
            "attachments": [
                {"filename": f"scan-{t.id}-{n}.pdf", "content_type": rng.choice(CONTENT_TYPES)}
                for n in range(rng.randint(0, 2))
            ],
            "body": t.body,
            "created_at": t.created.isoformat(),
        }
        key = f"tickets/{t.created:%Y/%m}/ticket-{t.id}.json"
        if i % 7 == 3:  # exported from a Windows tool: BOM, CRLF, four spaces
            text = json.dumps(doc, indent=4, ensure_ascii=False).replace("\n", "\r\n") + "\r\n"
            out[key] = b"\xef\xbb\xbf" + text.encode()
        else:
            out[key] = (json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode()
    return out


def _transcripts(tickets: Sequence[Any]) -> dict[str, bytes]:
    out = {}
    for t in tickets:
        p = t.person
        values = {
            "first": p.first,
            "name": p.name,
            "email": p.email,
            "phone": p.phone,
            "ticket": t.id,
            "subject": t.subject,
        }
        lines = []
        for agent, customer in zip(AGENT_LINES, CUSTOMER_LINES, strict=True):
            lines.append("Customer: " + customer.format(**values))
            lines.append("Agent: " + agent.format(**values))
        out[f"transcripts/ticket-{t.id}.txt"] = ("\n".join(lines) + "\n").encode()
    return out


def _export(people: Sequence[Any]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["customer_id", "full_name", "email", "phone", "locale"])
    for p in people:
        writer.writerow([p.id, p.name, p.email, p.phone, p.locale])
    return buffer.getvalue().encode()


def _events(people: Sequence[Any], rng: random.Random) -> bytes:
    lines = []
    for n in range(120):
        p = rng.choice(people)
        event = {
            "seq": n,
            "event": rng.choice(["login", "reply_sent", "refund_issued"]),
            "customer_email": p.email,
            "ip": f"203.0.113.{rng.randint(1, 254)}",
        }
        lines.append(json.dumps(event))
        if n % 40 == 39:
            lines.append("")  # blank lines happen in appended logs
    return ("\n".join(lines) + "\n").encode()


def _avatar(rng: random.Random) -> bytes:
    """A valid 8x8 PNG identicon: generated, so no face — but its key holds an email."""
    color = bytes(rng.randrange(256) for _ in range(3))
    rows = b"".join(
        b"\x00" + b"".join(color if rng.random() < 0.5 else b"\xff\xff\xff" for _ in range(8))
        for _ in range(8)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 8, 8, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )
