"""The committed schema snapshot (``rules/_schema.yaml``): every source's structure, no values.

``sanitize schema snapshot`` writes it from the live sources; ``sanitize rules check`` reads it
so coverage and constraint checks run in CI without production credentials, and compares it
with the live schema (``--live``) to report drift. It records names, types, nullability and
keys only — never a default, a sample or any other data value.
"""

from __future__ import annotations

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


def default_path(settings: Settings) -> Path:
    return settings.rules_dir / SCHEMA_FILE


def live_schemas(settings: Settings) -> Schemas:
    """Reflect every SQL source inside its read-only snapshot."""
    from sanitizer.extract.sql import SqlSource

    schemas: Schemas = {}
    with ExitStack() as stack:
        for name, endpoint in settings.sources.items():
            if endpoint.kind != "sql":
                continue
            source = SqlSource(name, endpoint.url)
            stack.enter_context(source.snapshot())
            schemas[name] = [table.info for table in source.reflect()]
    return schemas


def dump(schemas: Schemas, kinds: dict[str, str]) -> str:
    """The snapshot's YAML text: sources, tables and columns in the sources' own order."""
    document = {
        "version": FORMAT_VERSION,
        "sources": {
            name: {"kind": kinds.get(name, "sql"), "tables": _tables(tables)}
            for name, tables in schemas.items()
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


def write(path: Path, schemas: Schemas, kinds: dict[str, str]) -> None:
    """Write atomically: a reader never sees half a snapshot."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_text(dump(schemas, kinds), encoding="utf-8")
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
        }
    except (yaml.YAMLError, ValueError, TypeError, AttributeError, KeyError) as exc:
        raise ConfigError(
            f"{path}: not a schema snapshot this version can read ({exc}).",
            hint="regenerate it with `sanitize schema snapshot`.",
        ) from None


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
