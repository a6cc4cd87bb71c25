"""SQL types reflection does not know, registered so their columns keep a name and a kind.

MySQL/MariaDB spatial columns get :func:`named` types too (``extract/sql.py``); their values
travel as the server's internal bytes (a 4-byte little-endian SRID, then the WKB), which
insert back as they are.

SQLAlchemy reflects PostgreSQL's geometric types (``point``, ``box``…) as ``NullType``, which
loses what the column holds: a rule check could not say "a POINT column" nor offer
``fake: point``. Each is registered here as a small named type (read as text, like every type
polars has no faithful form for; see ``PG_NATIVE`` in extract/sql.py), so
:func:`sanitizer.schema.value_kind` sees a geometry.
"""

from __future__ import annotations

import functools

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import base as pg_base


class _Named(sa.types.UserDefinedType):
    """A type known by its SQL name only; values pass through as the driver gives them."""

    cache_ok = True
    sql_name = ""

    def get_col_spec(self, **kw: object) -> str:
        return self.sql_name


@functools.cache
def named(sql_name: str) -> type[_Named]:
    """The type class for ``sql_name`` (one class per name, named like the SQL type)."""
    return type(sql_name, (_Named,), {"sql_name": sql_name, "cache_ok": True})


PG_GEOMETRIC = {name: named(name.upper()) for name in ("point", "line", "lseg", "box", "path")}
PG_GEOMETRIC |= {name: named(name.upper()) for name in ("polygon", "circle")}


def register() -> None:
    """Make PostgreSQL reflection name the geometric types (idempotent)."""
    for name, cls in PG_GEOMETRIC.items():
        pg_base.ischema_names.setdefault(name, cls)


register()
