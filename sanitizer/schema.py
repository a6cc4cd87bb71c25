"""What a source field looks like, in the terms masking and validation need.

Extract reflects a database into SQLAlchemy tables; this module boils each column down to a
dialect-neutral :class:`ColumnInfo` (value kind, length, precision, nullability, keys), which
rule validation and operators use without knowing the dialect.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # SQLAlchemy loads with the functions that read it: the masking workers
    import sqlalchemy as sa  # import this module for its dataclasses alone, at their start

STRING, INTEGER, DECIMAL, FLOAT, BOOLEAN = "string", "integer", "decimal", "float", "boolean"
DATE, DATETIME, TIME, INTERVAL = "date", "datetime", "time", "interval"
JSON, BINARY, OTHER = "json", "binary", "other"
GEOMETRY = "geometry"  # points and shapes (PostgreSQL geometric types, spatial columns)
GEOMETRY_TYPES = frozenset(
    {"GEOMETRY", "GEOGRAPHY", "POINT", "LINESTRING", "POLYGON", "MULTIPOINT"}
    | {"MULTILINESTRING", "MULTIPOLYGON", "GEOMETRYCOLLECTION", "GEOMCOLLECTION"}
    | {"LINE", "LSEG", "BOX", "PATH", "CIRCLE"}
)
# PostgreSQL ranges and multiranges (int4range, daterange, tstzmultirange…), as their text form
RANGE = "range"


@dataclass(frozen=True)
class ColumnInfo:
    """One column, dialect-neutral."""

    name: str
    kind: str
    sql_type: str
    nullable: bool = True
    max_length: int | None = None
    precision: int | None = None
    scale: int | None = None
    unique: bool = False  # alone makes up a primary key or unique constraint


@dataclass(frozen=True)
class ForeignKey:
    """A (possibly composite) reference from this table's columns to another table's."""

    columns: tuple[str, ...]
    target: str  # the referenced table's rule name
    target_columns: tuple[str, ...]


@dataclass
class TableInfo:
    """One table: its rule name (``schema.table`` unless in the default schema) and columns."""

    name: str
    columns: dict[str, ColumnInfo]
    primary_key: tuple[str, ...] = ()
    foreign_keys: list[ForeignKey] = field(default_factory=list)
    aliases: tuple[str, ...] = ()  # other names rules may use (``public.customer``)


def value_kind(sql_type: sa.types.TypeEngine) -> str:
    """Map a reflected SQL type onto the kinds operators accept."""
    from sqlalchemy.sql import sqltypes

    if type(sql_type).__name__.upper() in GEOMETRY_TYPES:  # before binary: MySQL's are bytes
        return GEOMETRY
    if type(sql_type).__name__.upper().endswith("RANGE"):  # …RANGE and …MULTIRANGE
        return RANGE
    checks: tuple[tuple[type, str], ...] = (
        (sqltypes.Boolean, BOOLEAN),
        (sqltypes.Integer, INTEGER),
        (sqltypes.Float, FLOAT),
        (sqltypes.Numeric, DECIMAL),
        (sqltypes.DateTime, DATETIME),
        (sqltypes.Date, DATE),
        (sqltypes.Time, TIME),
        (sqltypes.Interval, INTERVAL),
        (sqltypes.JSON, JSON),
        (sqltypes.Enum, STRING),
        (sqltypes.String, STRING),
        (sqltypes._Binary, BINARY),
    )
    for base, kind in checks:
        if isinstance(sql_type, base):
            return kind
    name = type(sql_type).__name__.upper()
    if "JSON" in name:
        return JSON
    if name in ("UUID", "INET", "CIDR", "MACADDR", "CITEXT", "XML", "TSVECTOR"):
        return STRING
    return OTHER


def column_info(column: sa.Column, unique_columns: set[str]) -> ColumnInfo:
    """Describe one reflected column."""
    from sqlalchemy.sql import sqltypes

    sql_type = column.type
    kind = value_kind(sql_type)
    if (
        kind == FLOAT
        and getattr(sql_type, "asdecimal", False) is True
        and not isinstance(sql_type, sqltypes.Float)
    ):
        kind = DECIMAL
    return ColumnInfo(
        name=column.name,
        kind=kind,
        sql_type=_type_text(sql_type),
        nullable=bool(column.nullable),
        max_length=getattr(sql_type, "length", None) if kind == STRING else None,
        precision=getattr(sql_type, "precision", None) if kind == DECIMAL else None,
        scale=getattr(sql_type, "scale", None) if kind == DECIMAL else None,
        unique=column.name in unique_columns,
    )


def _type_text(sql_type: sa.types.TypeEngine) -> str:
    import sqlalchemy as sa

    if isinstance(sql_type, sa.ARRAY):  # TEXT[], DATERANGE[]: what an each rule's elements are
        return f"{_type_text(sql_type.item_type)}[]"
    try:
        return str(sql_type.compile())
    except Exception:  # a dialect-specific type the default dialect cannot render
        return type(sql_type).__name__.upper()


def table_info(
    table: sa.Table, rule_name: str, names: dict[sa.Table, str], default_schema: str | None = None
) -> TableInfo:
    """Describe one reflected table; ``names`` gives every table's rule name for FK targets."""
    import sqlalchemy as sa

    unique_columns = set()
    for constraint in table.constraints:
        if isinstance(constraint, sa.PrimaryKeyConstraint | sa.UniqueConstraint):
            cols = list(constraint.columns)
            if len(cols) == 1:
                unique_columns.add(cols[0].name)
    for index in table.indexes:
        if index.unique and len(index.columns) == 1:
            unique_columns.add(next(iter(index.columns)).name)
    foreign_keys = sorted(  # SQLAlchemy keeps them in a set: the order changed run to run
        (
            ForeignKey(
                columns=tuple(el.parent.name for el in fk.elements),
                target=names.get(fk.referred_table, fk.referred_table.name),
                target_columns=tuple(el.column.name for el in fk.elements),
            )
            for fk in table.foreign_key_constraints
        ),
        key=lambda fk: (fk.columns, fk.target, fk.target_columns),
    )
    return TableInfo(
        name=rule_name,
        columns={c.name: column_info(c, unique_columns) for c in table.columns},
        primary_key=tuple(c.name for c in table.primary_key.columns),
        foreign_keys=foreign_keys,
        aliases=(f"{default_schema}.{rule_name}",)
        if default_schema and "." not in rule_name
        else (),
    )


@dataclass(frozen=True, order=True)
class SchemaObject:
    """One schema object of a SQL database, as production names it (docs/stores.md).

    ``kind`` is a catalog kind in words (``table``, ``view``, ``trigger``, ``foreign key``…);
    ``name`` is schema-qualified on PostgreSQL (``public.film``; a trigger, constraint, rule or
    policy as ``name on public.film``) and plain on MySQL/MariaDB and SQLite, where a source is
    one database. ``supported`` is False for what staging cannot reproduce safely (``why``
    says so); the run refuses such an object unless the rule file skips it knowingly.
    """

    kind: str
    name: str
    supported: bool = field(default=True, compare=False)
    why: str = field(default="", compare=False)

    def __str__(self) -> str:
        return f"{self.kind} {self.name}"
