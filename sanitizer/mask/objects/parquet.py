"""Parquet objects: column rules via polars, row group by row group, the schema kept.

The file is spooled to disk (Parquet's footer sits at its end), read in record batches and
written with the original Arrow schema and the first column's compression, so readers of
the staging copy see the same columns, types and nullability.
"""

from __future__ import annotations

import shutil
import tempfile
from typing import BinaryIO

import polars as pl

from sanitizer.config.object_rules import ObjectRule
from sanitizer.mask.objects import MalformedObject, ObjectContext
from sanitizer.mask.objects.columns import ColumnsMasker

BATCH_ROWS = 50_000


def mask_parquet(rule: ObjectRule, source: BinaryIO, sink: BinaryIO, ctx: ObjectContext) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    with tempfile.NamedTemporaryFile(suffix=".parquet") as spool:
        shutil.copyfileobj(source, spool, 1 << 20)
        spool.flush()
        try:
            reader = pq.ParquetFile(spool.name)
        except (pa.ArrowException, OSError) as exc:
            raise MalformedObject(f"is not a Parquet file ({type(exc).__name__})") from None
        schema = reader.schema_arrow
        meta = reader.metadata
        compression = (
            meta.row_group(0).column(0).compression.lower()
            if meta.num_row_groups and meta.num_columns
            else "snappy"
        )
        empty = pl.from_arrow(schema.empty_table())
        assert isinstance(empty, pl.DataFrame)
        masker = ColumnsMasker(rule, empty.schema, ctx, rule.glob)
        with pq.ParquetWriter(sink, schema, compression=compression) as writer:
            for batch in reader.iter_batches(batch_size=BATCH_ROWS):
                frame = pl.from_arrow(batch)
                assert isinstance(frame, pl.DataFrame)
                table = masker.mask(frame).to_arrow().cast(schema)
                writer.write_table(table)
        masker.finish()
