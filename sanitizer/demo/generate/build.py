"""Build the demo database: every table's rows in draw order, written atomically."""

from __future__ import annotations

import os
from pathlib import Path

from sanitizer.demo.files import build_files
from sanitizer.demo.generate.billing import invoice_rows, payment_rows, refund_rows
from sanitizer.demo.generate.credentials import (
    failed_delivery_rows,
    integration_rows,
    pasted_message_rows,
    platform_config,
)
from sanitizer.demo.generate.draws import Demo
from sanitizer.demo.generate.model import Row
from sanitizer.demo.generate.operations import (
    agent_run_rows,
    audit_rows,
    dead_letter_rows,
    retry_rows,
)
from sanitizer.demo.generate.people import companies_rows, contacts_rows, newsletter_rows
from sanitizer.demo.generate.schema import write
from sanitizer.demo.generate.tickets import message_rows, ticket_rows


def build_tables(demo: Demo) -> dict[str, list[Row]]:
    """All rows, built parents first (later tables draw on earlier entities).

    The order is part of the output: each table's draws follow the previous table's.
    """
    out = {"companies": companies_rows(demo), "contacts": contacts_rows(demo)}
    out["newsletter_subscriptions"] = newsletter_rows(demo)
    out["invoices"], out["invoice_lines"] = invoice_rows(demo)
    out["refunds"] = refund_rows(demo, out["invoice_lines"])
    out["tickets"] = ticket_rows(demo)
    out["messages"] = message_rows(demo)
    out["payment_methods"] = payment_rows(demo)
    out["agent_runs"] = agent_run_rows(demo)
    out["audit_log"] = audit_rows(demo)
    out["retry_queue"] = retry_rows(demo)
    out["dead_letters"] = dead_letter_rows(demo)
    # credentials come from their own generator (credentials.py): the rows above stay as drawn
    creds = demo.credentials
    out["integrations"] = integration_rows(creds, demo.companies, demo.count("integrations"))
    companies = {c.id: c for c in demo.companies}
    first = len(out["messages"]) + 1
    out["messages"] += pasted_message_rows(
        creds, demo.tickets, companies, first, demo.count("pasted_secrets")
    )
    first = len(out["dead_letters"]) + 1
    out["dead_letters"] += failed_delivery_rows(
        creds, demo.companies, first, demo.count("failed_deliveries")
    )
    return out


def build_demo(path: Path, seed: int = 7, scale: int = 1) -> dict[str, int]:
    """(Re)create the demo database at `path`; returns row counts per table.

    Built in a temp file beside `path` and swapped in with os.replace, so readers never see
    a half-built database.
    """
    if scale < 1:
        raise ValueError("scale must be >= 1")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    try:
        demo = Demo(seed, scale)
        counts = write(tmp, build_tables(demo))
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    config = platform_config(demo.credentials)
    build_files(path.parent / "files", demo.people, demo.tickets, seed, config)  # the bucket
    return counts


def build_bucket(path: Path, seed: int = 7, scale: int = 1) -> None:
    """Build only the demo bucket beside the database at `path`, from the same draws."""
    demo = Demo(seed, scale)
    build_tables(demo)  # the bucket needs the people and tickets the database holds
    config = platform_config(demo.credentials)
    build_files(path.parent / "files", demo.people, demo.tickets, seed, config)
