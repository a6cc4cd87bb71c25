"""The demo's seeded randomness, and the entities later tables refer back to.

Every random draw goes through `Demo.rng` or one of its per-locale fakers, so the same seed and
scale give the same rows. The order of the draws is part of the output: building the tables in
another order, or drawing one more value in between, changes everything after it.
"""

from __future__ import annotations

import json
import random
import uuid
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

from faker import Faker

from sanitizer.demo.generate.credentials import Credentials
from sanitizer.demo.generate.model import Company, Person, Ticket, ascii_fold, truncate_json
from sanitizer.demo.generate.vocabulary import (
    BASE_COUNTS,
    END,
    LOCALES,
    SPECIAL_CONTACTS,
    STAFF_DOMAIN,
    START,
    WHITESPACE,
)

T = TypeVar("T")


def staff_member(faker: Faker) -> tuple[str, str]:
    """A RelayDesk employee: (name, work email)."""
    first, last = faker.first_name(), faker.last_name()
    return f"{first} {last}", f"{ascii_fold(first)}.{ascii_fold(last)}@{STAFF_DOMAIN}"


class Demo:
    """Seeded randomness plus the entities later tables refer back to."""

    def __init__(self, seed: int, scale: int) -> None:
        self.rng = random.Random(seed)
        self.credentials = Credentials(seed)  # its own generator: see credentials.py
        self.scale = scale
        self.fakers = {loc: Faker(loc) for loc in LOCALES}
        for i, faker in enumerate(self.fakers.values()):
            faker.seed_instance(seed * 101 + i)
        self.companies: list[Company] = []
        self.people: list[Person] = []
        self.tickets: list[Ticket] = []
        self.invoice_numbers: list[str] = []
        self.run_ids: list[int] = []
        self.failed_run_ids: list[int] = []
        self.staff = [staff_member(self.fakers[loc]) for loc in ("en_US", "de_DE") * 6]
        # lower-cased addresses already handed out, so generated emails stay unique
        self.taken_emails = {str(s["email"]).lower() for s in SPECIAL_CONTACTS if "email" in s}

    def count(self, table: str) -> int:
        return BASE_COUNTS[table] * self.scale

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def pick(self, options: Sequence[T]) -> T:
        return options[self.rng.randrange(len(options))]

    def weighted(self, options: dict[Any, float] | Sequence[tuple[Any, float]]) -> Any:
        """One value by weight. Pass (value, weight) pairs when values may coincide."""
        pairs = list(options.items()) if isinstance(options, dict) else list(options)
        return self.rng.choices([v for v, _ in pairs], weights=[w for _, w in pairs])[0]

    def moment(self, lo: datetime = START, hi: datetime = END) -> datetime:
        return lo + timedelta(seconds=self.rng.randrange(int((hi - lo).total_seconds())))

    def day(self, lo: date, hi: date) -> date:
        return lo + timedelta(days=self.rng.randrange((hi - lo).days))

    def blankish(
        self, value: T, null: float = 0.05, empty: float = 0.02, blank: float = 0.01
    ) -> T | str | None:
        """Optional text as production has it: sometimes NULL, '' or whitespace-only."""
        roll = self.rng.random()
        if roll < null:
            return None
        if roll < null + empty:
            return ""
        if roll < null + empty + blank:
            return self.pick(WHITESPACE)
        return value

    def money(self, low: float, high: float) -> float:
        """A two-decimal amount that is never whole.

        SQLite's NUMERIC affinity stores 12.0 as INTEGER 12; NUMERIC columns should hold REALs.
        """
        value = round(self.rng.uniform(low, high), 2)
        while value == int(value):
            value = round(self.rng.uniform(low, high), 2)
        return value

    def uuid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def json_or_broken(self, value: Any, null: float, broken: float = 0.02) -> str | None:
        """JSON text, or NULL, or a truncated document: agents crash mid-write."""
        roll = self.rng.random()
        if roll < null:
            return None
        if roll < null + broken:
            return truncate_json(value, self.rng)
        return json.dumps(value, ensure_ascii=False)
