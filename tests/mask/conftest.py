"""Shared fixtures for the masking tests: a keyring and small helpers to run one rule.

Fixtures are session-scoped so hypothesis tests can use them (no per-example setup).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import polars as pl
import pytest

from sanitizer.config.settings import NlpSettings
from sanitizer.config.yamlfile import Location
from sanitizer.mask.operators import parse_rule
from sanitizer.mask.operators.base import MaskContext, mask_series
from sanitizer.mask.pseudonyms import Keyring
from sanitizer.schema import STRING, ColumnInfo

KEY = b"unit-test-key-0123456789abcdef"
OTHER_KEY = b"another-key-for-rotation-tests"
WHERE = Location("rules/app.yaml", 7)
TEXT = ColumnInfo(name="c", kind=STRING, sql_type="TEXT")


@pytest.fixture(scope="session")
def keyring() -> Keyring:
    return Keyring(KEY)


@pytest.fixture(scope="session")
def mask(keyring: Keyring) -> Callable[..., list[Any]]:
    """``mask(rule, values, column=TEXT, key=None)``: the rule's ``mask_values`` output."""

    def run(
        rule: Any,
        values: list[Any],
        column: ColumnInfo = TEXT,
        key: bytes | None = None,
        attempt: int = 0,
    ) -> list[Any]:
        ring = keyring if key is None else Keyring(key)
        ctx = MaskContext(ring, column, attempt=attempt, nlp=NlpSettings())
        return parse_rule(rule, WHERE).mask_values(list(values), ctx)

    return run


@pytest.fixture(scope="session")
def mask_one(mask: Callable[..., list[Any]]) -> Callable[..., Any]:
    """``mask_one(rule, value, column=TEXT)``: one value through the rule."""

    def run(rule: Any, value: Any, column: ColumnInfo = TEXT, key: bytes | None = None) -> Any:
        return mask(rule, [value], column, key)[0]

    return run


@pytest.fixture(scope="session")
def mask_series_with(keyring: Keyring) -> Callable[..., pl.Series]:
    """``mask_series_with(rule, series, column=TEXT)``: a whole batch column (NULLs, blanks)."""

    def run(rule: Any, series: pl.Series, column: ColumnInfo = TEXT) -> pl.Series:
        ctx = MaskContext(keyring, column, nlp=NlpSettings())
        return mask_series(parse_rule(rule, WHERE), series, ctx)

    return run
