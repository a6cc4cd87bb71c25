"""Before → after examples for changed rules, on synthetic inputs made here.

A reviewer sees what a rule does without production access, and the report can never carry a
production value: the inputs are fixed samples chosen by the field's rule and name, masked
with a throwaway key.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sanitizer.config.settings import NlpSettings
from sanitizer.mask.operators import Operator
from sanitizer.mask.operators.base import MaskContext
from sanitizer.mask.pseudonyms import Keyring
from sanitizer.review.diff import Change
from sanitizer.schema import DATE, DATETIME, DECIMAL, FLOAT, INTEGER, JSON, STRING, ColumnInfo

EXAMPLE_KEY = b"rules-diff-example-key-not-a-secret"
TEXT_SAMPLE = "Hi, this is Jane Roe (jane.roe@corp.example), call me on +1 415 555 0132."
BY_FAKE_KIND = {
    "name": "Jane Roe", "first_name": "Jane", "last_name": "Roe", "email": "jane.roe@corp.com",
    "phone": "+1 (415) 555-0132", "address": "12 Market Street, Springfield",
    "street": "12 Market Street", "city": "Springfield", "postcode": "94105",
    "company": "Roe Widgets Ltd", "username": "jroe", "url": "https://jane-roe.example/me",
    "ip": "203.0.113.7", "iban": "DE89370400440532013000", "credit_card": "4111 1111 1111 1111",
    "ssn": "078-05-1120", "uuid": "9b2f6c1e-3d4a-4b8e-9f1a-2c3d4e5f6a7b", "date": "1984-06-02",
}  # fmt: skip
# a credential and a live URL in real shapes, built from parts so that no line reads as a key
SECRET_SAMPLE = "sk_" + "live_" + "Jr0eExAmPLE" + "0" * 13
URL_SAMPLE = "https://api.roe-widgets.com/webhooks/support?token=" + "5eed" * 8
BY_NAME = [  # (word in the field name, sample)
    ("email", "jane.roe@corp.com"), ("phone", "+1 (415) 555-0132"), ("name", "Jane Roe"),
    ("address", "12 Market Street"), ("ip", "203.0.113.7"), ("tax", "DE123456789"),
    ("note", TEXT_SAMPLE), ("body", TEXT_SAMPLE), ("text", TEXT_SAMPLE),
]  # fmt: skip
BY_KIND: dict[str, Any] = {
    INTEGER: 4242, DECIMAL: Decimal("1234.50"), FLOAT: 98.6, DATE: dt.date(1984, 6, 2),
    DATETIME: dt.datetime(2024, 3, 5, 14, 30), JSON: '{"email": "jane.roe@corp.com"}',
}  # fmt: skip


def examples(changes: list[Change], nlp: NlpSettings) -> list[list[Any]]:
    """One row per changed field with a rule on both sides or a new one: field, input,
    before, after."""
    rows = []
    for change in changes:
        ops = [op for op in (change.before, change.after) if op is not None]
        if not ops:
            continue
        column = _column(change.field, ops)
        value = sample(change.field, ops, column)
        rows.append(
            [
                change.field,
                value,
                *(_apply(op, value, column, nlp) for op in (change.before, change.after)),
            ]
        )
    return rows


def sample(field: str, ops: list[Operator], column: ColumnInfo) -> Any:
    """A synthetic input that suits the rule (a fake kind, detect) or the field's name."""
    for op in ops:
        kind = getattr(op, "kind", None)
        if op.name == "fake" and kind in BY_FAKE_KIND:
            return BY_FAKE_KIND[kind]
        if op.name in ("detect", "redact"):
            return TEXT_SAMPLE
        if op.name == "secret":
            return SECRET_SAMPLE
        if op.name == "url":
            return URL_SAMPLE
    if column.kind in BY_KIND:
        return BY_KIND[column.kind]
    name = field.rsplit(".", 1)[-1].lower()
    return next((value for word, value in BY_NAME if word in name), "sample-value-42")


def _column(field: str, ops: list[Operator]) -> ColumnInfo:
    """A column both rules accept: text if they can, else the first kind they share."""
    kinds = set.intersection(*(set(op.kinds) for op in ops)) or set(ops[-1].kinds)
    kind = STRING if STRING in kinds else sorted(kinds)[0]
    return ColumnInfo(name=field.rsplit(".", 1)[-1], kind=kind, sql_type=kind.upper())


def _apply(op: Operator | None, value: Any, column: ColumnInfo, nlp: NlpSettings) -> Any:
    if op is None:
        return "(no rule: the run stops)"
    try:
        ctx = MaskContext(Keyring(EXAMPLE_KEY), column, nlp=nlp)
        return op.mask_values([value], ctx)[0]
    except Exception as exc:  # an example must never break the report
        return f"(cannot show: {type(exc).__name__})"
