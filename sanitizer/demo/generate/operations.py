"""Agent runs, the audit log, the retry queue and dead letters: the operational tables."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from sanitizer.demo.generate.draws import Demo
from sanitizer.demo.generate.free_text import say
from sanitizer.demo.generate.model import Person, Row, Ticket, ts
from sanitizer.demo.generate.texts import ERRORS
from sanitizer.demo.generate.vocabulary import AGENTS, AUDIT_ACTIONS, RUN_STATUS


def agent_run_rows(demo: Demo) -> list[Row]:
    rows: list[Row] = []
    for rid in range(1, demo.count("agent_runs") + 1):
        ticket = demo.pick(demo.tickets) if demo.chance(0.85) else None
        person = ticket.person if ticket else demo.pick(demo.people)
        status = demo.weighted(RUN_STATUS)
        started = demo.moment()
        tokens = demo.rng.randint(200, 60_000)
        finished = (
            None if status == "running" else started + timedelta(seconds=demo.rng.randint(2, 900))
        )
        demo.run_ids.append(rid)
        if status in ("failed", "timeout", "error "):
            demo.failed_run_ids.append(rid)
        rows.append(
            (
                rid,
                ticket.id if ticket else None,
                demo.pick(AGENTS),
                demo.json_or_broken(run_input(demo, person, ticket), null=0.02),
                demo.json_or_broken(tool_calls(demo, person), null=0.03, broken=0.01),
                status,
                tokens,
                round(tokens * 0.000_002_5, 6),
                ts(started),
                ts(finished) if finished else None,
            )
        )
    return rows


def run_input(demo: Demo, person: Person, ticket: Ticket | None) -> dict[str, Any]:
    faker = demo.fakers[person.locale]
    history = [{"role": "user", "content": ticket.body if ticket else faker.sentence()}]
    for _ in range(demo.rng.randint(0, 3)):
        history.append(
            {
                "role": "assistant",
                "content": say(demo, "bot", person, ticket.id if ticket else 0) or "",
            }
        )
    return {
        "customer": {"email": person.email, "name": person.name, "phone": person.phone},
        "ticket": {"id": ticket.id, "subject": ticket.subject, "body": ticket.body}
        if ticket
        else None,
        "context": {
            "ip": faker.ipv4_public() if demo.chance(0.8) else faker.ipv6(),
            "user_agent": faker.user_agent(),
            "locale": person.locale,
        },
        "history": history,
    }


def tool_calls(demo: Demo, person: Person) -> list[dict[str, Any]]:
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
                "invoice_number": demo.pick(demo.invoice_numbers),
                "amount": round(demo.rng.uniform(5, 500), 2),
                "reason": f"requested by {person.email}",
            },
            "refund queued",
        ),
        "send_reply": ({"to": person.email, "body": f"Hi {person.first}, all sorted!"}, "sent"),
    }
    names = demo.rng.sample(list(calls), demo.rng.randint(0, 3))
    return [{"tool": name, "args": calls[name][0], "result": calls[name][1]} for name in names]


def audit_rows(demo: Demo) -> list[Row]:
    rows: list[Row] = []
    while len(rows) < demo.count("audit_log"):
        if rows and demo.chance(0.04):
            rows.append(demo.pick(rows))  # exact duplicates: the logger double-writes
            continue
        rows.append(_audit_row(demo, demo.pick(demo.people)))
    return rows


def _audit_row(demo: Demo, person: Person) -> Row:
    actor = demo.weighted(
        (
            (person.email, 60),
            (demo.pick(demo.staff)[1], 30),
            ("system", 5),
            (None, 3),
            ("", 2),
        )
    )
    faker = demo.fakers[person.locale]
    ip = demo.weighted(
        ((faker.ipv4_public(), 75), (faker.ipv6(), 10), ("10.0.0.1", 5), (None, 8), ("", 2))
    )
    details = demo.weighted(_audit_details(person))
    return (ts(demo.moment()), actor, demo.pick(AUDIT_ACTIONS), ip, details)


def _audit_details(person: Person) -> tuple[tuple[str | None, float], ...]:
    """What the details column may say about `person`, with weights."""
    address_change = json.dumps({"field": "address", "new": person.address}, ensure_ascii=False)
    return (
        (f"User {person.email} changed phone to {person.phone}", 30),
        (address_change, 20),
        (f"Export requested by {person.name}", 15),
        ("ok", 20),
        (None, 10),
        ("", 5),
    )


def _error_text(demo: Demo, person: Person) -> str:
    """An integration error message that quotes the person's details."""
    return demo.pick(ERRORS).format(email=person.email, name=person.name, phone=person.phone)


def retry_rows(demo: Demo) -> list[Row]:
    rows: list[Row] = []
    for qid in range(1, demo.count("retry_queue") + 1):
        person = demo.pick(demo.people)
        run_id = None if demo.chance(0.05) else demo.pick(demo.failed_run_ids or demo.run_ids)
        error = _error_text(demo, person)
        payload = _retry_payload(demo, person)
        rows.append(
            (
                qid,
                run_id,
                demo.rng.randint(1, 12),
                demo.blankish(error, empty=0.01),
                demo.json_or_broken(payload, null=0.02),
                ts(demo.moment(datetime(2025, 6, 1), datetime(2025, 7, 31))),
            )
        )
    return rows


def _retry_payload(demo: Demo, person: Person) -> dict[str, Any]:
    return demo.pick(
        (
            {
                "kind": "send_reply",
                "to": person.email,
                "ticket_id": demo.pick(demo.tickets).id,
                "body": f"Hello {person.first}, your refund is on its way.",
            },
            {"kind": "crm_sync", "contact": {"email": person.email, "phone": person.phone}},
        )
    )


def dead_letter_rows(demo: Demo) -> list[Row]:
    rows: list[Row] = []
    for did in range(1, demo.count("dead_letters") + 1):
        person = demo.pick(demo.people)
        topic, payload = _dead_letter(demo, person)
        text = demo.json_or_broken(payload, null=0, broken=0.1)
        if demo.chance(0.05):
            text = demo.pick(("<html>502 Bad Gateway</html>", "", "null"))
        rows.append((did, topic, text, _error_text(demo, person), ts(demo.moment())))
    return rows


def _dead_letter(demo: Demo, person: Person) -> tuple[str, dict[str, Any]]:
    """(topic, payload) of an event no consumer could handle; every option is drawn first."""
    contact = {"id": person.id, "email": person.email, "name": person.name, "phone": person.phone}
    return demo.pick(
        (
            ("crm.contact.updated", {"contact": contact}),
            (
                "ticket.created",
                {
                    "ticket_id": demo.rng.randint(1, 9999),
                    "requester": {"email": person.email, "name": person.name},
                    "subject": f"Help needed, call {person.phone}",
                },
            ),
            (
                "invoice.paid",
                {
                    "invoice": demo.pick(demo.invoice_numbers),
                    "billing_email": person.email,
                    "amount": 49.0,
                },
            ),
        )
    )
