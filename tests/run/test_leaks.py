"""Guarantees 5, 7 and 9: no original value in staging, logs or receipts; the key never shown.

The originals are every prod value of every masked column (and of every masked JSON path),
looked for as whole tokens, case-insensitively: in every text and JSON column of every staging
table, in decoded JSON leaves, and in everything the CLI printed or recorded.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from helpers import fixture_db as fx
from helpers.snapshot_runs import CliResult, Runs, World, column, json_path

MASKED_JSON_PATHS = (("contact", "email"), ("contact", "phone"))


def originals(world: World, runs: Runs) -> set[str]:
    values: set[str] = set()
    for table, names in fx.masked_columns(world.rules).items():
        for name in names:
            values.update(v.strip() for v in column(runs, runs.prod, table, name) if v)
    for document in column(runs, runs.prod, "customers", "profile"):
        for path in MASKED_JSON_PATHS:
            leaf = json_path(document, *path)
            if isinstance(leaf, str):
                values.add(leaf.strip())
    # Shorter values are too ambiguous to look for as tokens (the verifier skips them too).
    return {v for v in values if len(v) >= 4}


def finder(values: set[str]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(v) for v in sorted(values, key=len, reverse=True))
    return re.compile(rf"(?<![0-9A-Za-z])(?:{alternatives})(?![0-9A-Za-z])", re.IGNORECASE)


def leaves(value: Any) -> Iterable[str]:
    if isinstance(value, dict):
        for item in value.values():
            yield from leaves(item)
    elif isinstance(value, list):
        for item in value:
            yield from leaves(item)
    elif isinstance(value, str):
        yield value


def texts_of(cell: str) -> Iterable[str]:
    """The cell as stored, and for JSON its decoded string leaves (escapes undone)."""
    yield cell
    if cell[:1] in "[{":
        with contextlib.suppress(ValueError):
            yield from leaves(json.loads(cell))


def leaks_in_staging(world: World, runs: Runs) -> list[tuple[str, str]]:
    pattern = finder(originals(world, runs))
    found = []
    tables = world.tables("staging")
    for name, rows in runs.staging_a.items():
        text_columns = tables[name].text_columns
        indexes = [runs.columns[name].index(c) for c in text_columns]
        for row in rows:
            for index in indexes:
                cell = row[index]
                for text in texts_of(cell) if cell else ():
                    match = pattern.search(text)
                    if match:
                        found.append((f"{name}.{runs.columns[name][index]}", match.group()))
    return found


def leaks_in_output(pattern: re.Pattern[str], result: CliResult) -> list[str]:
    return [
        m.group() for m in pattern.finditer(result.stdout + result.stderr + result.receipt_text)
    ]


def test_the_originals_are_what_we_think(world: World, runs: Runs) -> None:
    """The scan has something to find: it finds prod's values in prod."""
    values = originals(world, runs)
    assert len(values) >= 200
    for sample in ("ana.souza@corp.com.br", "+44 20 7946 0958", "Jürgen Müller", "SW1A 1AA"):
        assert sample in values
    pattern = finder(values)
    assert pattern.search("notes: Escalate to J.SMITH@example.co.uk, not the inbox")
    assert not pattern.search("10115999")  # whole tokens only
    prod_hits = sum(
        1 for rows in runs.prod.values() for row in rows for c in row if c and pattern.search(c)
    )
    assert prod_hits >= 200


def test_no_original_value_anywhere_in_staging(world: World, runs: Runs) -> None:
    assert leaks_in_staging(world, runs) == []


def test_no_original_value_in_logs_or_receipts(world: World, runs: Runs) -> None:
    pattern = finder(originals(world, runs))
    for result in runs.results:
        assert leaks_in_output(pattern, result) == []
        assert result.receipt is not None and result.stderr  # there was output to look at


def test_receipt_records_the_run_without_the_key(world: World, runs: Runs) -> None:
    receipt = runs.first.receipt
    assert receipt["status"] == "succeeded"
    assert receipt["key_id"] == "integration" and receipt["key_fingerprint"]
    assert receipt["verification"]["passed"] is True
    fields = receipt["tables"]["app.customers"]["fields"]
    assert fields["email"]["operator"].startswith("fake: email")
    assert fields["id"]["operator"] == "keep"
    assert receipt["entities"].get("EMAIL_ADDRESS", 0) >= 5
    fingerprints = {r.receipt["key_fingerprint"] for r in runs.results}
    assert len(fingerprints) == 2  # key A twice, key B once
    for result in runs.results:
        for key in (fx.KEY_A, fx.KEY_B):
            assert key not in result.stdout + result.stderr + result.receipt_text
        for url in (world.prod_url, world.staging_url):
            password = sa.make_url(url).password
            if password:  # the MariaDB roles have one
                assert password not in result.stdout + result.stderr + result.receipt_text
