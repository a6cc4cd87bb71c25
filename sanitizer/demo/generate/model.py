"""The entities later tables refer back to, and the pure value helpers they are built with."""

from __future__ import annotations

import json
import random
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sanitizer.demo.generate.vocabulary import TS_FORMAT

Row = tuple[Any, ...]


@dataclass(frozen=True)
class Company:
    """What contacts and invoices need to know about a company."""

    id: int
    locale: str
    country: str
    mail_domain: str


@dataclass(frozen=True)
class Person:
    """A contact as other tables see it: its email, name and phone reappear elsewhere."""

    id: int
    company_id: int | None
    email: str
    first: str
    last: str
    name: str
    phone: str
    address: str
    locale: str


@dataclass(frozen=True)
class Ticket:
    """A ticket that agent runs and messages refer back to."""

    id: int
    person: Person
    subject: str
    body: str
    created: datetime


def ts(moment: datetime) -> str:
    return moment.strftime(TS_FORMAT)


def ascii_fold(text: str) -> str:
    """Fold accents (José → jose) and drop what has no ASCII form, for emails and domains."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in folded.lower() if ch.isalnum())


def display_name(first: str, last: str, locale: str) -> str:
    """Japanese names are written family name first."""
    return f"{last} {first}" if locale == "ja_JP" else f"{first} {last}"


def luhn_complete(prefix_and_body: str) -> str:
    """Append the Luhn check digit, so card numbers look like real ones to validators."""
    total = 0
    for i, ch in enumerate(reversed(prefix_and_body)):
        digit = int(ch) * (2 if i % 2 == 0 else 1)
        total += digit - 9 if digit > 9 else digit
    return prefix_and_body + str((10 - total % 10) % 10)


def truncate_json(value: Any, rng: random.Random) -> str:
    """Serialize and cut short: what a crashed writer leaves behind (never valid JSON)."""
    text = json.dumps(value, ensure_ascii=False)
    return text[: rng.randint(1, len(text) - 1)]
