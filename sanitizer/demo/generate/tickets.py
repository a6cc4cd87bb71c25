"""Support tickets and the messages on them."""

from __future__ import annotations

from datetime import datetime, timedelta

from sanitizer.demo.generate.draws import Demo
from sanitizer.demo.generate.free_text import context, say
from sanitizer.demo.generate.model import Person, Row, Ticket, ts
from sanitizer.demo.generate.texts import SUBJECTS
from sanitizer.demo.generate.vocabulary import CLOSED, START, TICKET_STATUS


def ticket_rows(demo: Demo) -> list[Row]:
    rows: list[Row] = []
    regulars = demo.people[: len(demo.people) // 10]
    for tid in range(1, demo.count("tickets") + 1):
        person = demo.pick(regulars if demo.chance(0.3) else demo.people)
        ctx = context(demo, person, tid)
        subject = demo.pick(SUBJECTS).format(**ctx)
        body = say(demo, "customer", person, tid)
        created = demo.moment(START, datetime(2025, 6, 1))
        status = demo.weighted(TICKET_STATUS)
        closed = created + timedelta(minutes=demo.rng.randint(5, 60 * 24 * 20))
        demo.tickets.append(Ticket(tid, person, subject, body or "", created))
        rows.append(
            (
                tid,
                person.id,
                subject,
                body,
                status,
                priority(demo),
                requester_email(demo, person),
                ts(created),
                ts(closed) if status in CLOSED else None,
            )
        )
    return rows


def priority(demo: Demo) -> int | None:
    return demo.weighted({1: 10, 2: 40, 3: 30, 4: 10, 0: 1, 99: 1, None: 8})


def requester_email(demo: Demo, person: Person) -> str | None:
    """Usually the contact's own address; sometimes re-cased, a colleague's, or missing."""
    return demo.weighted(
        (
            (person.email, 80),
            (person.email.upper(), 5),
            (person.email.lower(), 3),
            (demo.pick(demo.people).email, 5),
            (None, 5),
            ("", 2),
        )
    )


def message_rows(demo: Demo) -> list[Row]:
    rows: list[Row] = []
    for ticket in demo.tickets:
        previous: int | None = None
        sent = ticket.created
        for turn in range(demo.weighted({1: 20, 2: 25, 3: 25, 4: 15, 5: 10, 6: 5})):
            author = (
                "customer" if turn == 0 else demo.weighted({"customer": 4, "agent": 4, "bot": 2})
            )
            sent += timedelta(minutes=demo.rng.randint(1, 60 * 48))
            reply_to = previous if demo.chance(0.85) else None
            previous = len(rows) + 1
            rows.append(
                (
                    previous,
                    ticket.id,
                    reply_to,
                    author,
                    say(demo, author, ticket.person, ticket.id),
                    ts(sent),
                )
            )
    return rows
