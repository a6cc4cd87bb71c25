"""Values as PostgreSQL's COPY text format, so kept columns never leave their exact text.

PostgreSQL sources stream ``COPY … TO STDOUT`` text straight into polars as strings; kept
columns go back out byte-for-byte. Only masked columns are touched: :func:`unescape` turns the
COPY text into plain strings (``\\N`` → NULL), :class:`TextCodec` turns each *unique* value into
the Python value its operator expects (a date, a Decimal…) and back, and :func:`escape` restores
COPY text. Everything per row is vectorized in polars.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

import polars as pl

from sanitizer.schema import BINARY, BOOLEAN, DATE, DATETIME, DECIMAL, FLOAT, INTEGER

COPY_NULL = "\\N"
# PostgreSQL's COPY text escapes, applied in this order (backslash first when escaping).
_ESCAPES = (
    ("\\", "\\\\"),
    ("\n", "\\n"),
    ("\r", "\\r"),
    ("\t", "\\t"),
    ("\b", "\\b"),
    ("\f", "\\f"),
    ("\v", "\\v"),
)
_PLACEHOLDER = "\x00"  # cannot occur in PostgreSQL text


def unescape(series: pl.Series) -> pl.Series:
    """COPY text → plain strings, ``\\N`` → NULL."""
    out = pl.when(series == COPY_NULL).then(None).otherwise(series)
    frame = pl.select(out.alias(series.name))
    column = frame.get_column(series.name)
    if not column.str.contains("\\", literal=True).any():
        return column
    column = column.str.replace_all("\\\\", _PLACEHOLDER, literal=True)
    for raw, escaped in _ESCAPES[1:]:
        column = column.str.replace_all(escaped, raw, literal=True)
    return column.str.replace_all(_PLACEHOLDER, "\\", literal=True)


def escape(series: pl.Series) -> pl.Series:
    """Plain strings → COPY text, NULL → ``\\N``. One pass finds whether any value holds a
    character to escape (fakes almost never do) before the seven replacing passes."""
    column = series.cast(pl.String)
    if column.str.contains_any([raw for raw, _ in _ESCAPES]).any():
        for raw, escaped in _ESCAPES:
            column = column.str.replace_all(raw, escaped, literal=True)
    return column.fill_null(COPY_NULL)


def _bool(text: str) -> bool:
    return text in ("t", "true")


def _bytea(text: str) -> bytes:
    """bytea's hex text (``\\x0102ff``, COPY's default output) → bytes."""
    if not text.startswith("\\x"):
        raise ValueError("not bytea hex output")
    return bytes.fromhex(text[2:])


_DECODERS: dict[str, Callable[[str], Any]] = {
    INTEGER: int,
    DECIMAL: Decimal,
    FLOAT: float,
    DATE: dt.date.fromisoformat,
    DATETIME: dt.datetime.fromisoformat,
    BOOLEAN: _bool,
    BINARY: _bytea,
}


_PLAIN = frozenset({Decimal, int, float})  # exactly these types: str() is their COPY text


def _encode(value: Any) -> str:
    if type(value) in _PLAIN:  # the common case first (bool is an int, so tested by type)
        return str(value)
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, bytes | bytearray | memoryview):
        return "\\x" + bytes(value).hex()
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


class TextCodec:
    """Turns the text of one column's unique values into typed values and back."""

    def __init__(self, kind: str) -> None:
        self.decoder = _DECODERS.get(kind)

    def decode(self, values: list[str]) -> tuple[list[Any], list[int]]:
        """Typed values and the positions that decoded (``infinity`` dates stay as text)."""
        if self.decoder is None:
            return values, list(range(len(values)))
        typed, ok = [], []
        for i, text in enumerate(values):
            try:
                typed.append(self.decoder(text))
                ok.append(i)
            except (ValueError, InvalidOperation):
                continue
        return typed, ok

    def encode(self, values: list[Any]) -> list[str | None]:
        return [v if v is None or isinstance(v, str) else _encode(v) for v in values]
