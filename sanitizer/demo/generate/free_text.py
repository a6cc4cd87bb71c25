"""Free text with PII in it: message bodies, the values templates are filled with, long blobs."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sanitizer.demo.generate.draws import Demo
from sanitizer.demo.generate.model import Person, ts
from sanitizer.demo.generate.texts import LINES, LOG_MESSAGES


def context(demo: Demo, person: Person, ticket_id: int) -> dict[str, Any]:
    """Values free-text templates draw from: mostly the ticket's own contact."""
    other = demo.pick(demo.people)
    agent_name = demo.pick(demo.staff)[0]
    return {
        "name": person.name,
        "first": person.first,
        "email": person.email,
        "phone": person.phone,
        "address": person.address.replace("\n", ", "),
        "other_name": other.name,
        "other_email": other.email,
        "agent": agent_name,
        "ticket": ticket_id,
        "card4": f"{demo.rng.randrange(10000):04d}",
        "local": demo.fakers[person.locale].text(max_nb_chars=160),
        "lang": person.locale[:2],
        "queue": demo.pick(("billing", "tier-2", "vip")),
        "invoice": demo.pick(demo.invoice_numbers or ["INV-2024-000001"]),
    }


def say(demo: Demo, author: str, person: Person, ticket_id: int) -> str | None:
    """A message body: prose mixing names, emails, phones and addresses, or the odd blob."""
    roll = demo.rng.random()
    if roll < 0.01:
        return long_blob(demo, person)
    if demo.chance(0.05):
        return demo.blankish("", null=0.2, empty=0.4, blank=0.4)
    ctx = context(demo, person, ticket_id)
    templates = demo.rng.sample(LINES[author], demo.rng.randint(1, 3))
    parts = [template.format(**ctx) for template in templates]
    return demo.pick((" ", "\n", "\n\n")).join(parts)


def long_blob(demo: Demo, person: Person) -> str:
    """A pasted console log or a quoted email thread: >5 KB with PII sprinkled through."""
    moment = demo.moment()
    thread = demo.chance(0.5)
    lines = ["Forwarded thread below" if thread else "Pasted from the widget console:"]
    while sum(len(line) + 1 for line in lines) < 5600:
        moment += timedelta(seconds=demo.rng.randint(1, 3600))
        if thread:
            lines += [
                f"> From: {person.name} <{person.email}>",
                f"> Sent: {ts(moment)}",
                f"> {demo.fakers[person.locale].paragraph()}",
                ">",
            ]
        else:
            lines.append(
                f"{ts(moment)} WARN session={demo.uuid()} user={person.email} "
                f'phone={person.phone} msg="{demo.pick(LOG_MESSAGES)}"'
            )
    return "\n".join(lines)
