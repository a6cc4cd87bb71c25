"""Parquet objects: column rules with the Arrow schema and row count kept."""

from __future__ import annotations

import io

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from helpers.object_handlers import mask, rule

from sanitizer.mask.objects import MalformedObject

RULE = rule("*.parquet", '{columns: {email: {fake: email}, "*": keep}}')


def test_schema_rows_and_untouched_columns_kept() -> None:
    table = pa.table(
        {
            "id": pa.array([1, 2, 3], pa.int32()),
            "email": ["jane@corp.com", None, "jane@corp.com"],
            "score": [0.5, 1.5, None],
        }
    )
    buffer = io.BytesIO()
    pq.write_table(table, buffer, compression="zstd")
    out = pq.read_table(io.BytesIO(mask(RULE, "x.parquet", buffer.getvalue())))
    assert out.schema == table.schema and out.num_rows == 3
    assert out["id"] == table["id"] and out["score"] == table["score"]
    emails = out["email"].to_pylist()
    assert emails[1] is None and emails[0] == emails[2] and emails[0] != "jane@corp.com"


def test_not_parquet_is_malformed() -> None:
    with pytest.raises(MalformedObject, match="not a Parquet file"):
        mask(RULE, "x.parquet", b"name,email\n")
