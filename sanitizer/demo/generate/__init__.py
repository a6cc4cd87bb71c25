"""Build the demo "production" database: a seeded, deliberately messy SQLite file.

The demo company (RelayDesk) runs AI agents for customer support. Its data carries the mess
real production has (NULL vs empty vs whitespace, malformed emails, many phone formats, unicode
names, stale statuses, long blobs, broken JSON, duplicate rows, PII inside free text and JSON)
so the sanitizer is exercised end to end against something worth sanitizing. The same emails,
names and phones reappear across tables, so consistent pseudonyms can be checked.

Deterministic: the same seed and scale give identical table contents. Dates come from a fixed
window (never "now"), and every random draw goes through seeded generators.

Modules: vocabulary and texts (what values are drawn from), model (entities, pure helpers),
draws (the seeded state), people, tickets, free_text, billing and operations (one group of
tables each), schema (SQLite DDL and writer), build (all tables, atomically) and cli.
"""

from sanitizer.demo.generate.build import build_demo
from sanitizer.demo.generate.cli import main

__all__ = ["build_demo", "main"]
