"""The format handlers by name: what :meth:`ObjectRule.format_for` returns maps to one here."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from typing import BinaryIO

from sanitizer.config.object_rules import ObjectRule
from sanitizer.mask.objects import ObjectContext
from sanitizer.mask.objects.csv import mask_csv
from sanitizer.mask.objects.eml import mask_eml
from sanitizer.mask.objects.json import mask_json
from sanitizer.mask.objects.ndjson import mask_ndjson
from sanitizer.mask.objects.parquet import mask_parquet
from sanitizer.mask.objects.text import mask_text

Handler = Callable[[ObjectRule, BinaryIO, BinaryIO, ObjectContext], None]


def copy_bytes(rule: ObjectRule, source: BinaryIO, sink: BinaryIO, ctx: ObjectContext) -> None:
    """``keep``: the object's bytes, unchanged (its key, metadata and tags still follow rules)."""
    shutil.copyfileobj(source, sink, 1 << 20)


HANDLERS: dict[str, Handler] = {
    "json": mask_json,
    "ndjson": mask_ndjson,
    "csv": mask_csv,
    "parquet": mask_parquet,
    "text": mask_text,
    "eml": mask_eml,
    "keep": copy_bytes,
}
