"""Build the demo "production" database: a seeded, deliberately messy SQLite file.

The demo company (RelayDesk) runs AI agents for customer support. Its data carries the mess
real production has (NULL vs empty vs whitespace, malformed emails, many phone formats, unicode
names, stale statuses, long blobs, broken JSON, duplicate rows, PII inside free text and JSON)
so the sanitizer is exercised end to end against something worth sanitizing. The same emails,
names and phones reappear across tables, so consistent pseudonyms can be checked.

Deterministic: the same seed and scale give identical table contents. Dates come from a fixed
window (never "now"), and every random draw goes through seeded generators.
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Sequence
from pathlib import Path

from sanitizer.demo.files import build_files
from sanitizer.demo.generate.billing import invoice_rows, payment_rows, refund_rows
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

DEFAULT_PATH = Path("demo/prod/app.db")


class _Demo(Demo):
    """The table builders, drawing on the shared seeded state."""

    # -- value makers ---------------------------------------------------------------------

    # -- tables ---------------------------------------------------------------------------

    def tables(self) -> dict[str, list[Row]]:
        """All rows, built parents first (later tables draw on earlier entities)."""
        out = {"companies": companies_rows(self), "contacts": contacts_rows(self)}
        out["newsletter_subscriptions"] = newsletter_rows(self)
        out["invoices"], out["invoice_lines"] = invoice_rows(self)
        out["refunds"] = refund_rows(self, out["invoice_lines"])
        out["tickets"] = ticket_rows(self)
        out["messages"] = message_rows(self)
        out["payment_methods"] = payment_rows(self)
        out["agent_runs"] = agent_run_rows(self)
        out["audit_log"] = audit_rows(self)
        out["retry_queue"] = retry_rows(self)
        out["dead_letters"] = dead_letter_rows(self)
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
        demo = _Demo(seed, scale)
        counts = write(tmp, demo.tables())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    build_files(path.parent / "files", demo.people, demo.tickets, seed)  # the demo bucket
    return counts


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build the demo production SQLite database.")
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT_PATH)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument(
        "--if-missing",
        action="store_true",
        help="leave an existing database alone (so `make demo` can re-run)",
    )
    args = parser.parse_args(argv)
    if args.if_missing and args.path.exists():
        if not (args.path.parent / "files").exists():  # a database from before the bucket
            demo = _Demo(args.seed, args.scale)
            demo.tables()
            build_files(args.path.parent / "files", demo.people, demo.tickets, args.seed)
        print(f"{args.path} exists; not rebuilt")
        return 0
    started = time.perf_counter()
    counts = build_demo(args.path, seed=args.seed, scale=args.scale)
    for table, rows in counts.items():
        print(f"{table:26} {rows:>8}")
    print(
        f"{'total':26} {sum(counts.values()):>8}  ({time.perf_counter() - started:.1f}s) "
        f"-> {args.path}"
    )
    return 0
