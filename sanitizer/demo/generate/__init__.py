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
import json
import os
import time
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sanitizer.demo.files import build_files
from sanitizer.demo.generate.billing import invoice_rows, payment_rows, refund_rows
from sanitizer.demo.generate.draws import Demo
from sanitizer.demo.generate.free_text import say
from sanitizer.demo.generate.model import Person, Row, Ticket, ts
from sanitizer.demo.generate.people import companies_rows, contacts_rows, newsletter_rows
from sanitizer.demo.generate.schema import write
from sanitizer.demo.generate.texts import ERRORS
from sanitizer.demo.generate.tickets import message_rows, ticket_rows
from sanitizer.demo.generate.vocabulary import AGENTS, AUDIT_ACTIONS, RUN_STATUS

DEFAULT_PATH = Path("demo/prod/app.db")


class _Demo(Demo):
    """The table builders, drawing on the shared seeded state."""

    # -- value makers ---------------------------------------------------------------------

    # -- tables ---------------------------------------------------------------------------

    def agent_run_rows(self) -> list[Row]:
        rows: list[Row] = []
        for rid in range(1, self.count("agent_runs") + 1):
            ticket = self.pick(self.tickets) if self.chance(0.85) else None
            person = ticket.person if ticket else self.pick(self.people)
            status = self.weighted(RUN_STATUS)
            started = self.moment()
            tokens = self.rng.randint(200, 60_000)
            finished = (
                None
                if status == "running"
                else started + timedelta(seconds=self.rng.randint(2, 900))
            )
            self.run_ids.append(rid)
            if status in ("failed", "timeout", "error "):
                self.failed_run_ids.append(rid)
            rows.append(
                (
                    rid,
                    ticket.id if ticket else None,
                    self.pick(AGENTS),
                    self.json_or_broken(self.run_input(person, ticket), null=0.02),
                    self.json_or_broken(self.tool_calls(person), null=0.03, broken=0.01),
                    status,
                    tokens,
                    round(tokens * 0.000_002_5, 6),
                    ts(started),
                    ts(finished) if finished else None,
                )
            )
        return rows

    def run_input(self, person: Person, ticket: Ticket | None) -> dict[str, Any]:
        faker = self.fakers[person.locale]
        history = [{"role": "user", "content": ticket.body if ticket else faker.sentence()}]
        for _ in range(self.rng.randint(0, 3)):
            history.append(
                {
                    "role": "assistant",
                    "content": say(self, "bot", person, ticket.id if ticket else 0) or "",
                }
            )
        return {
            "customer": {"email": person.email, "name": person.name, "phone": person.phone},
            "ticket": {"id": ticket.id, "subject": ticket.subject, "body": ticket.body}
            if ticket
            else None,
            "context": {
                "ip": faker.ipv4_public() if self.chance(0.8) else faker.ipv6(),
                "user_agent": faker.user_agent(),
                "locale": person.locale,
            },
            "history": history,
        }

    def tool_calls(self, person: Person) -> list[dict[str, Any]]:
        calls = {
            "lookup_customer": (
                {"email": person.email},
                f"Found {person.name}, plan pro, phone {person.phone}",
            ),
            "search_tickets": (
                {"query": f"login issue {person.name}", "customer_name": person.name},
                "2 similar tickets",
            ),
            "issue_refund": (
                {
                    "invoice_number": self.pick(self.invoice_numbers),
                    "amount": round(self.rng.uniform(5, 500), 2),
                    "reason": f"requested by {person.email}",
                },
                "refund queued",
            ),
            "send_reply": ({"to": person.email, "body": f"Hi {person.first}, all sorted!"}, "sent"),
        }
        names = self.rng.sample(list(calls), self.rng.randint(0, 3))
        return [{"tool": name, "args": calls[name][0], "result": calls[name][1]} for name in names]

    def audit_rows(self) -> list[Row]:
        rows: list[Row] = []
        while len(rows) < self.count("audit_log"):
            if rows and self.chance(0.04):
                rows.append(self.pick(rows))  # exact duplicates: the logger double-writes
                continue
            person = self.pick(self.people)
            actor = self.weighted(
                (
                    (person.email, 60),
                    (self.pick(self.staff)[1], 30),
                    ("system", 5),
                    (None, 3),
                    ("", 2),
                )
            )
            faker = self.fakers[person.locale]
            ip = self.weighted(
                ((faker.ipv4_public(), 75), (faker.ipv6(), 10), ("10.0.0.1", 5), (None, 8), ("", 2))
            )
            details = self.weighted(
                (
                    (f"User {person.email} changed phone to {person.phone}", 30),
                    (
                        json.dumps({"field": "address", "new": person.address}, ensure_ascii=False),
                        20,
                    ),
                    (f"Export requested by {person.name}", 15),
                    ("ok", 20),
                    (None, 10),
                    ("", 5),
                )
            )
            rows.append((ts(self.moment()), actor, self.pick(AUDIT_ACTIONS), ip, details))
        return rows

    def retry_rows(self) -> list[Row]:
        rows: list[Row] = []
        for qid in range(1, self.count("retry_queue") + 1):
            person = self.pick(self.people)
            run_id = None if self.chance(0.05) else self.pick(self.failed_run_ids or self.run_ids)
            error = self.pick(ERRORS).format(
                email=person.email, name=person.name, phone=person.phone
            )
            payload = self.pick(
                (
                    {
                        "kind": "send_reply",
                        "to": person.email,
                        "ticket_id": self.pick(self.tickets).id,
                        "body": f"Hello {person.first}, your refund is on its way.",
                    },
                    {"kind": "crm_sync", "contact": {"email": person.email, "phone": person.phone}},
                )
            )
            rows.append(
                (
                    qid,
                    run_id,
                    self.rng.randint(1, 12),
                    self.blankish(error, empty=0.01),
                    self.json_or_broken(payload, null=0.02),
                    ts(self.moment(datetime(2025, 6, 1), datetime(2025, 7, 31))),
                )
            )
        return rows

    def dead_letter_rows(self) -> list[Row]:
        rows: list[Row] = []
        for did in range(1, self.count("dead_letters") + 1):
            person = self.pick(self.people)
            topic, payload = self.pick(
                (
                    (
                        "crm.contact.updated",
                        {
                            "contact": {
                                "id": person.id,
                                "email": person.email,
                                "name": person.name,
                                "phone": person.phone,
                            }
                        },
                    ),
                    (
                        "ticket.created",
                        {
                            "ticket_id": self.rng.randint(1, 9999),
                            "requester": {"email": person.email, "name": person.name},
                            "subject": f"Help needed, call {person.phone}",
                        },
                    ),
                    (
                        "invoice.paid",
                        {
                            "invoice": self.pick(self.invoice_numbers),
                            "billing_email": person.email,
                            "amount": 49.0,
                        },
                    ),
                )
            )
            text = self.json_or_broken(payload, null=0, broken=0.1)
            if self.chance(0.05):
                text = self.pick(("<html>502 Bad Gateway</html>", "", "null"))
            error = self.pick(ERRORS).format(
                email=person.email, name=person.name, phone=person.phone
            )
            rows.append((did, topic, text, error, ts(self.moment())))
        return rows

    def tables(self) -> dict[str, list[Row]]:
        """All rows, built parents first (later tables draw on earlier entities)."""
        out = {"companies": companies_rows(self), "contacts": contacts_rows(self)}
        out["newsletter_subscriptions"] = newsletter_rows(self)
        out["invoices"], out["invoice_lines"] = invoice_rows(self)
        out["refunds"] = refund_rows(self, out["invoice_lines"])
        out["tickets"] = ticket_rows(self)
        out["messages"] = message_rows(self)
        out["payment_methods"] = payment_rows(self)
        out["agent_runs"] = self.agent_run_rows()
        out["audit_log"] = self.audit_rows()
        out["retry_queue"] = self.retry_rows()
        out["dead_letters"] = self.dead_letter_rows()
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
