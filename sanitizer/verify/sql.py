"""The leak check for SQL: index masked production columns, scan every text cell in staging."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import TYPE_CHECKING

import numpy as np
import polars as pl

from sanitizer.mask.plans import TablePlan
from sanitizer.schema import JSON, OTHER, STRING
from sanitizer.verify.leaks import HashMemo, LeakIndex, LeakReport, hashes_of

if TYPE_CHECKING:
    from sanitizer.load.sql import SqlTarget

TEXT_KINDS = (STRING, JSON, OTHER)
FRAME_ROWS = 50_000  # rows of a shadow read back at once: distinct texts are looked up once
COPY_BYTES = 2 * 1024 * 1024  # the same, for PostgreSQL's COPY text (a frame's parse costs
# several times its bytes: 8 MiB frames held ~100 MiB more at a run's peak; docs/design.md)
COPY_ESCAPE = re.compile(r"\\(.)", re.DOTALL)
COPY_CODES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v"}


def scan_target(
    target: SqlTarget,
    source: str,
    plans: Iterable[TablePlan],
    index: LeakIndex,
    report: LeakReport,
) -> None:
    """Look for indexed values in every text cell of every loaded shadow table."""
    if not len(index):
        return
    for plan in plans:
        scan_table(target, source, plan, index, report)


def scanned_columns(plan: TablePlan) -> list[str]:
    """The columns of a shadow table the leak scan reads: every text, JSON or other one."""
    return [name for name, column in plan.table.columns.items() if column.kind in TEXT_KINDS]


def scan_table(
    target: SqlTarget, source: str, plan: TablePlan, index: LeakIndex, report: LeakReport
) -> None:
    """Look for indexed values in every text cell of one loaded shadow table."""
    table, texts = plan.table, scanned_columns(plan)
    if not texts:
        return
    keys = list(table.primary_key)
    frames = shadow_frames(target, table.name, keys, texts)
    scan_frames(index, report, f"{source}.{table.name}", keys, texts, frames)


def shadow_frames(
    target: SqlTarget, name: str, keys: list[str], texts: list[str]
) -> Iterator[pl.DataFrame]:
    """A loaded shadow table's key and text columns, in frames of about ``FRAME_ROWS``:
    PostgreSQL through ``COPY … TO STDOUT`` (no per-row driver work), others by rows."""
    columns = list(dict.fromkeys(keys + texts))
    if target.url.get_backend_name() == "postgresql":
        yield from _copied_frames(target, name, columns)
        return
    rows = iter(target.stream_rows(name, columns))
    while chunk := list(islice(rows, FRAME_ROWS)):
        data = {c: [row[i] for row in chunk] for i, c in enumerate(columns)}
        yield pl.DataFrame({c: _texts(v) if c in texts else v for c, v in data.items()})


def _copied_frames(target: SqlTarget, name: str, columns: list[str]) -> Iterator[pl.DataFrame]:
    """Every column as its text, COPY's text format cut at row ends into frames."""
    import sqlalchemy as sa  # here: runs without SQL never load SQLAlchemy (start-up)

    from sanitizer.stores.pg_copy import copy_out

    table = target.tables[name]
    query = sa.select(*(sa.cast(table.c[c], sa.Text) for c in columns))
    sql = query.compile(dialect=target.engine.dialect, compile_kwargs={"literal_binds": True})
    with target.errors(f"reading back {name}"), target.engine.connect() as conn:
        pending = bytearray()  # one buffer, not a bytes object per row COPY hands over
        for block in copy_out(conn.connection.driver_connection, f"COPY ({sql}) TO STDOUT"):
            pending += block
            if len(pending) >= COPY_BYTES:
                end = pending.rfind(b"\n") + 1  # 0: one long row still arriving
                if end:
                    data = bytes(pending[:end])
                    del pending[:end]
                    yield _copy_frame(data, columns)
        if pending:
            yield _copy_frame(bytes(pending), columns)


def _copy_frame(data: bytes, columns: list[str]) -> pl.DataFrame:
    """COPY text rows → a frame of text columns, escapes undone (a newline inside a value
    arrives as ``\\n``; left escaped it would glue two words into one)."""
    frame = pl.read_csv(
        data,
        separator="\t",
        has_header=False,
        new_columns=columns,
        infer_schema=False,
        quote_char=None,
        null_values="\\N",
    )
    return frame.with_columns(_unescaped(frame.get_column(c)) for c in columns)


def _unescaped(column: pl.Series) -> pl.Series:
    if not column.str.contains("\\", literal=True).any():
        return column
    return pl.Series(column.name, [_unescape(v) if v else v for v in column.to_list()])


def _unescape(value: str) -> str:
    if "\\" not in value:
        return value
    return COPY_ESCAPE.sub(lambda m: COPY_CODES.get(m.group(1), m.group(1)), value)


def _texts(values: list[object]) -> pl.Series:
    """Cells as text (a driver may hand JSON back parsed; bytes become ``\\x…`` hex, as
    PostgreSQL writes a bytea, so every backend hands binary cells over alike)."""
    return pl.Series([_text(v) for v in values], dtype=pl.String)


def _text(value: object) -> str | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bytes | bytearray | memoryview):
        return "\\x" + bytes(value).hex()
    return str(value)


def scan_frames(
    index: LeakIndex,
    report: LeakReport,
    where: str,
    keys: list[str],
    texts: list[str],
    frames: Iterable[pl.DataFrame],
    first: int = 1,
    clean: dict[str, HashMemo] | None = None,
) -> None:
    """Look up each distinct text of each column once per frame; a hit is recorded as
    ``where.column`` and the row's key values (or its number, from ``first``), never the
    value. ``clean``: per column, the hashes of texts an earlier frame showed to hold no
    indexed value (the index does not change during a scan), so a text repeated over frames
    is looked up once."""
    clean = {} if clean is None else clean
    for frame in frames:
        for name in texts:
            column = _as_text(frame.get_column(name))
            report.scanned += column.len() - column.null_count()
            values = column.drop_nulls().unique().to_list()
            memo = clean.setdefault(name, HashMemo())
            hashes = hashes_of(values)
            todo = np.flatnonzero(~memo.holds(hashes)).tolist()
            found = index.found_in_many([values[i] for i in todo]).tolist()
            memo.add(hashes[[i for i, hit in zip(todo, found, strict=True) if not hit]])
            hits = [values[i] for i, hit in zip(todo, found, strict=True) if hit]
            if hits:
                _record(report, f"{where}.{name}", keys, frame, column.is_in(hits), first)
        first += frame.height


def _as_text(column: pl.Series) -> pl.Series:
    if column.dtype == pl.String:
        return column
    try:
        return column.cast(pl.String)
    except pl.exceptions.PolarsError:  # objects, nested values: their Python text
        return _texts(column.to_list())


def _record(
    report: LeakReport,
    where: str,
    keys: list[str],
    frame: pl.DataFrame,
    mask: pl.Series,
    first: int,
) -> None:
    numbered = frame.with_row_index("__row", offset=first).filter(mask)
    for row in numbered.select("__row", *keys).iter_rows():
        key = ", ".join(f"{k}={v}" for k, v in zip(keys, row[1:], strict=True))
        report.record(where, key or f"row {row[0]}")
