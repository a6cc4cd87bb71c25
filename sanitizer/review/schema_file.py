"""The committed schema snapshot (``rules/_schema.yaml``): every source's structure, no values.

``sanitize schema snapshot`` writes it from the live sources; ``sanitize rules check`` reads it
so coverage and constraint checks run in CI without production credentials, and compares it
with the live schema (``--live``) to report drift. It records names, types, nullability and
keys only — never a default, a sample or any other data value.
"""

from __future__ import annotations

import re
from contextlib import ExitStack
from dataclasses import asdict
from pathlib import Path
from typing import Any

import yaml

from sanitizer.config.settings import Settings
from sanitizer.errors import ConfigError
from sanitizer.schema import ColumnInfo, ForeignKey, TableInfo

SCHEMA_FILE = "_schema.yaml"  # rule files starting with "_" are not read as rules
FORMAT_VERSION = 1
HEADER = (
    "# Written by `sanitize schema snapshot`: the structure of every source, never data.\n"
    "# Commit it with the rules; `sanitize rules check` validates against it without\n"
    "# production access. Regenerate it when production's schema changes.\n"
)
COLUMN_DEFAULTS = {f: v for f, v in asdict(ColumnInfo("", "", "")).items() if f != "name"}

Schemas = dict[str, list[TableInfo]]  # source name → its tables
SAFE_SEGMENT = re.compile(r"[a-z_\-]{2,40}", re.IGNORECASE)  # a folder name, not a value


def default_path(settings: Settings) -> Path:
    return settings.rules_dir / SCHEMA_FILE


def live_schemas(settings: Settings) -> Schemas:
    """Reflect every SQL source inside its read-only snapshot."""
    from sanitizer.extract.sql import open_snapshots

    with ExitStack() as stack:
        return {
            name: [table.info for table in tables]
            for name, _, tables in open_snapshots(stack, settings.sources)
        }


def live_stores(settings: Settings) -> dict[str, dict[str, Any]]:
    """Object and vector sources: object shapes seen, collections and their metadata keys."""
    stores: dict[str, dict[str, Any]] = {}
    for name, endpoint in settings.sources.items():
        if endpoint.kind == "objects":
            stores[name] = {"kind": "objects", "objects": object_shapes(endpoint.url, name)}
        elif endpoint.kind in ("lancedb", "chroma"):
            stores[name] = {"kind": endpoint.kind, "collections": _collections(name, endpoint)}
    return stores


def object_shapes(url: str, name: str) -> dict[str, int]:
    """Keys reduced to prefix and format (``tickets/**/*.json``: 120), never a whole key: a
    key can hold personal data (``users/jane.doe@corp.com/…``)."""
    from sanitizer.extract.objects import open_source

    shapes: dict[str, int] = {}
    for info in open_source(name, url).list():
        shape = key_shape(info.key)
        shapes[shape] = shapes.get(shape, 0) + 1
    return dict(sorted(shapes.items()))


def key_shape(key: str) -> str:
    """``tickets/2019/03/ticket-18.json`` → ``tickets/**/*.json``; folder and file names that
    look like names, not values (``users``, ``avatar.png``), are kept."""
    parts = key.split("/")
    last = parts[-1]
    stem, dot, suffix = last.rpartition(".") if "." in last.strip(".") else (last, "", "")
    ext = f".{suffix.lower()}" if dot else ""
    name = last if SAFE_SEGMENT.fullmatch(stem) else f"*{ext}"
    first = parts[0] if len(parts) > 1 else ""
    if first and not SAFE_SEGMENT.fullmatch(first):
        first = "*"
    if not first:
        return name
    return f"{first}/{name}" if len(parts) == 2 else f"{first}/**/{name}"


def _collections(name: str, endpoint: Any) -> dict[str, Any]:
    from sanitizer.extract.vectors import open_source

    source = open_source(name, endpoint.kind, endpoint.url)
    try:
        return {
            c.name: {
                "records": c.count,
                "dimension": c.dimension,
                "metric": c.metric,
                "documents": c.has_documents,
                "metadata": {k: sorted(c.key_kinds.get(k, ())) for k in c.metadata_keys},
            }
            for c in source.collections()
        }
    finally:
        source.close()


def dump(
    schemas: Schemas, kinds: dict[str, str], stores: dict[str, dict[str, Any]] | None = None
) -> str:
    """The snapshot's YAML text: sources, tables and columns in the sources' own order."""
    document = {
        "version": FORMAT_VERSION,
        "sources": {
            **{
                name: {"kind": kinds.get(name, "sql"), "tables": _tables(tables)}
                for name, tables in schemas.items()
            },
            **(stores or {}),
        },
    }
    text = yaml.safe_dump(
        document, sort_keys=False, allow_unicode=True, width=100, default_flow_style=None
    )
    return HEADER + text


def _tables(tables: list[TableInfo]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for table in tables:
        entry: dict[str, Any] = {}
        if table.primary_key:
            entry["primary_key"] = [str(c) for c in table.primary_key]
        entry["columns"] = {str(c.name): _column(c) for c in table.columns.values()}
        if table.foreign_keys:
            entry["foreign_keys"] = [
                {
                    "columns": [str(c) for c in fk.columns],
                    "references": str(fk.target),
                    "target_columns": [str(c) for c in fk.target_columns],
                }
                for fk in table.foreign_keys
            ]
        if table.aliases:
            entry["aliases"] = [str(a) for a in table.aliases]
        out[str(table.name)] = entry  # SQLAlchemy's quoted_name is a str YAML cannot tell
    return out


def _column(column: ColumnInfo) -> dict[str, Any]:
    """Only what differs from the defaults, so the file reads like a schema, not a dump."""
    fields = asdict(column)
    fields.pop("name")
    return {
        k: str(v) if isinstance(v, str) else v
        for k, v in fields.items()
        if k in ("kind", "sql_type") or v != COLUMN_DEFAULTS[k]
    }


def write(
    path: Path,
    schemas: Schemas,
    kinds: dict[str, str],
    stores: dict[str, dict[str, Any]] | None = None,
) -> None:
    """Write atomically: a reader never sees half a snapshot."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_text(dump(schemas, kinds, stores), encoding="utf-8")
    partial.replace(path)


def load(path: Path) -> Schemas:
    """Read a snapshot back into the same :class:`TableInfo` objects reflection produces."""
    if not path.exists():
        raise ConfigError(
            f"{path}: no schema snapshot.",
            hint="run `sanitize schema snapshot` against the sources and commit the file, "
            "or check against the live sources with `sanitize rules check --live`.",
        )
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if document.get("version") != FORMAT_VERSION:
            raise ValueError(f"version {document.get('version')!r}")
        return {
            name: [_table(t, spec) for t, spec in (source.get("tables") or {}).items()]
            for name, source in (document.get("sources") or {}).items()
            if source.get("kind", "sql") == "sql"
        }
    except (yaml.YAMLError, ValueError, TypeError, AttributeError, KeyError) as exc:
        raise ConfigError(
            f"{path}: not a schema snapshot this version can read ({exc}).",
            hint="regenerate it with `sanitize schema snapshot`.",
        ) from None


def load_stores(path: Path) -> dict[str, dict[str, Any]]:
    """The object and vector sources of a snapshot (see :func:`live_stores`)."""
    document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {
        name: source
        for name, source in (document.get("sources") or {}).items()
        if source.get("kind", "sql") != "sql"
    }


def _table(name: str, spec: dict[str, Any]) -> TableInfo:
    return TableInfo(
        name=name,
        columns={c: ColumnInfo(name=c, **fields) for c, fields in spec["columns"].items()},
        primary_key=tuple(spec.get("primary_key") or ()),
        foreign_keys=[
            ForeignKey(tuple(fk["columns"]), fk["references"], tuple(fk["target_columns"]))
            for fk in spec.get("foreign_keys") or ()
        ],
        aliases=tuple(spec.get("aliases") or ()),
    )
