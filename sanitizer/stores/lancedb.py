"""LanceDB: opening a database, listing its tables, and which column of a table plays which
part of a record — read by the source and by the target alike.

A table's columns map onto records by convention: ``id``; the document is the first of
``document``, ``text``, ``content``; the vector is ``vector`` (else the first fixed-size float
list column, else a float list named ``embedding``); every other column is a metadata key, and a
struct column named ``metadata`` contributes its fields as keys.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from sanitizer.errors import ConfigError, SourceError

DOCUMENT_COLUMNS = ("document", "text", "content")
VECTOR_COLUMNS = ("vector", "embedding", "embeddings")
METADATA_STRUCT = "metadata"


def connect(name: str, url: str) -> Any:
    """A LanceDB connection (local path or ``s3://``); a SourceError when it cannot open."""
    import lancedb

    try:
        return lancedb.connect(url)
    except Exception as exc:
        raise SourceError(
            f"{name}: cannot open the LanceDB database at {url} ({type(exc).__name__}).",
            hint="check the path (or s3:// URL and AWS credentials) in sanitize.yaml.",
        ) from None


def table_names(db: Any) -> list[str]:
    """Every table of the database (the listing is paged)."""
    names: list[str] = []
    token = None
    while True:
        page = db.list_tables(page_token=token)
        names += page.tables
        token = page.page_token
        if not token or not page.tables:
            return sorted(names)


def layout(schema: pa.Schema, table: str) -> dict[str, Any]:
    """Which column plays which part: id, document, vector, metadata (flat or in a struct)."""
    names = schema.names
    document = next((c for c in DOCUMENT_COLUMNS if c in names), None)
    vectors = [
        f.name
        for f in schema
        if pa.types.is_fixed_size_list(f.type) and pa.types.is_floating(f.type.value_type)
    ]
    vectors += [  # a plain list of floats works too, by its usual names
        f.name
        for f in schema
        if f.name in VECTOR_COLUMNS
        and pa.types.is_list(f.type)
        and pa.types.is_floating(f.type.value_type)
    ]
    vector = "vector" if "vector" in vectors else (vectors[0] if vectors else None)
    if vector is None:
        raise ConfigError(
            f"LanceDB table {table!r} has no vector column (a fixed-size list of floats).",
            hint="the vector column is usually named 'vector'; or drop the table in the rules.",
        )
    vector_type = schema.field(vector).type
    struct = (
        METADATA_STRUCT
        if METADATA_STRUCT in names and pa.types.is_struct(schema.field(METADATA_STRUCT).type)
        else None
    )
    record_id = "id" if "id" in names else None  # without one, records keep their order
    flat = [n for n in names if n not in (record_id, document, vector, struct)]
    nested = [f.name for f in schema.field(struct).type] if struct else []
    return {
        "id": record_id,
        "document": document,
        "vector": vector,
        "struct": struct,
        "flat": flat,
        "nested": nested,
        "schema": schema,
        "dimension": vector_type.list_size if pa.types.is_fixed_size_list(vector_type) else None,
    }
