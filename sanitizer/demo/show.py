"""After ``make demo``: what happened, with a few before → after samples of masked fields.

The demo's production is generated, so showing its values here is safe; the tool itself never
logs values.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path

from rich.console import Console
from rich.table import Table

SAMPLES = (
    ("contacts", "id", ("email", "full_name", "phone", "postcode", "birth_date", "tax_id")),
    ("newsletter_subscriptions", "rowid", ("email",)),
    ("payment_methods", "id", ("card_number", "iban")),
    ("companies", "id", ("name", "vat_number")),
    ("integrations", "id", ("api_key", "webhook_url", "callback_url", "oauth_refresh_token")),
    ("agent_runs", "id", ("input_payload",)),
    ("messages", "id", ("body",)),
)


def latest_receipt(folder: Path) -> dict:
    receipts = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime)
    if not receipts:
        sys.exit(f"no receipt in {folder}: run `make demo` first")
    return json.loads(receipts[-1].read_text())


def main(root: Path = Path(".")) -> None:
    console = Console()
    receipt = latest_receipt(root / "demo/receipts")
    overview = Table(title=f"run {receipt['run_id']}: {receipt['status']}")
    for header in ("table", "rows in", "rows out", "masked fields"):
        overview.add_column(header)
    for name, table in receipt["tables"].items():
        masked = [
            f"{col} ({f['operator']})"
            for col, f in table["fields"].items()
            if not f["operator"].startswith("keep")
        ]
        overview.add_row(name, f"{table['rows_in']:,}", f"{table['rows_out']:,}", ", ".join(masked))
    console.print(overview)
    prod = sqlite3.connect(root / "demo/prod/app.db")
    staging = sqlite3.connect(root / "demo/staging/app.db")
    samples = Table(title="before → after (first rows with a value)")
    for header in ("field", "production", "staging"):
        samples.add_column(header, overflow="fold")
    for table, key, columns in SAMPLES:
        for column in columns:
            _sample(samples, prod, staging, table, key, column)
    console.print(samples)
    _files(console, root, receipt, prod, staging)
    if (root / "demo/staging/memory").exists():
        console.print(memory_samples(root))
    console.print(f"verification: {receipt['verification']}")


def _files(
    console: Console,
    root: Path,
    receipt: dict,
    prod: sqlite3.Connection,
    staging: sqlite3.Connection,
) -> None:
    """The bucket: counts per rule, then a few before → after samples across formats."""
    objects = receipt.get("objects") or {}
    if not objects:
        return
    counts = Table(title="objects (demo/prod/files → demo/staging/files)")
    for header in ("rule", "in", "out", "dropped", "quarantined", "keys masked"):
        counts.add_column(header)
    for name, o in objects.items():
        quarantined = ", ".join(q["key"] for q in o["quarantined"]) or "0"
        counts.add_row(
            name,
            str(o["objects_in"]),
            str(o["objects_out"]),
            str(o["dropped"]),
            quarantined,
            str(o["keys_changed"]),
        )
    console.print(counts)
    before, after = root / "demo/prod/files", root / "demo/staging/files"
    samples = Table(title="objects: before → after")
    for header in ("object", "production", "staging"):
        samples.add_column(header, overflow="fold")
    ticket = next(iter(sorted(before.glob("tickets/*/*/ticket-*.json"))), None)
    if ticket and (after / ticket.relative_to(before)).exists():
        key = ticket.relative_to(before).as_posix()
        old = json.loads(ticket.read_text(encoding="utf-8-sig"))["requester"]
        new = json.loads((after / key).read_text(encoding="utf-8-sig"))["requester"]
        samples.add_row(f"{key} $.requester", _short(old), _short(new))
    for pattern in ("exports/*.csv", "transcripts/*.txt", "events/*.ndjson"):
        for path in sorted(before.glob(pattern))[:1]:
            key = path.relative_to(before).as_posix()
            staged = after / key
            if staged.exists():
                line = 1 if pattern.endswith(".csv") else 0
                samples.add_row(
                    key,
                    _short(path.read_text(encoding="utf-8").splitlines()[line]),
                    _short(staged.read_text(encoding="utf-8").splitlines()[line]),
                )
    for avatar in sorted(before.glob("users/*/avatar.png"))[:2]:
        email = avatar.parent.name
        row = prod.execute("SELECT id FROM contacts WHERE email = ?", (email,)).fetchone()
        masked = (
            staging.execute("SELECT email FROM contacts WHERE id = ?", row).fetchone()
            if row
            else None
        )
        landed = masked and (after / "users" / masked[0] / "avatar.png").exists()
        note = " (= staging contacts.email)" if landed else ""
        samples.add_row(
            "avatar key",
            f"users/{email}/avatar.png",
            f"users/{masked[0] if masked else '?'}/avatar.png{note}",
        )
    console.print(samples)


def _sample(
    out: Table,
    prod: sqlite3.Connection,
    staging: sqlite3.Connection,
    table: str,
    key: str,
    column: str,
) -> None:
    sql = (
        f'SELECT {key}, "{column}" FROM "{table}" WHERE "{column}" IS NOT NULL '
        f"AND trim(\"{column}\") != '' ORDER BY {key} LIMIT 2"
    )
    try:
        rows = prod.execute(sql).fetchall()
    except sqlite3.Error:
        return
    for row_key, before in rows:
        after = staging.execute(
            f'SELECT "{column}" FROM "{table}" WHERE {key} = ?', (row_key,)
        ).fetchone()
        out.add_row(f"{table}.{column}", _short(before), _short(after[0] if after else None))


def memory_samples(root: Path, count: int = 3) -> Table:
    """Agent memories before → after: document, metadata, and that vectors were re-embedded."""
    import lancedb
    import numpy as np

    prod = lancedb.connect(str(root / "demo/prod/memory")).open_table("agent_memory")
    staging = lancedb.connect(str(root / "demo/staging/memory")).open_table("agent_memory")
    after = {row["id"]: row for row in staging.to_arrow().to_pylist()}
    model = (staging.schema.metadata or {}).get(b"sanitizer.embedding_model", b"?").decode()
    out = Table(title=f"agent memory before → after (vectors re-embedded with {model})")
    for header in ("field", "production", "staging"):
        out.add_column(header, overflow="fold")
    for row in prod.to_arrow().to_pylist()[:count]:
        new = after[row["id"]]
        out.add_row(f"{row['id']} document", _short(row["document"]), _short(new["document"]))
        for key in ("customer_email", "customer_name"):
            out.add_row(f"  metadata.{key}", row["metadata"][key], new["metadata"][key])
        same = np.allclose(row["vector"], new["vector"])
        out.add_row(
            "  vector[:3]",
            _vector(row["vector"]),
            _vector(new["vector"]) + (" (same!)" if same else ""),
        )
    return out


def _vector(values: list[float]) -> str:
    return ", ".join(f"{v:+.3f}" for v in values[:3]) + ", …"


def _short(value: object, limit: int = 90) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


if __name__ == "__main__":
    main()
