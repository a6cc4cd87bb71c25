"""MySQL/MariaDB: production's schema as the server itself writes it (``SHOW CREATE …``).

Read on the source's snapshot connection, after the tables are reflected: every base table's
``SHOW CREATE TABLE`` (charsets, collations, FULLTEXT and SPATIAL indexes, generated columns,
ENUM/SET, partitioning, comments and the ``AUTO_INCREMENT=N`` position), then the views,
triggers, stored procedures and functions, and events with the session settings they were
created under (``sql_mode``, client character set and collation, an event's time zone).

``DEFINER`` clauses are dropped: staging's role becomes the definer (production's accounts do
not exist in staging). The production database's name inside a definition (``sakila.film``)
is rewritten to the database the definition is created in (:func:`rename_database`).
See docs/stores.md ("MySQL and MariaDB: the schema").
"""

from __future__ import annotations

import logging
import re
from collections.abc import Collection
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from sanitizer.errors import SourceError
from sanitizer.schema import GEOMETRY_TYPES

log = logging.getLogger(__name__)

# Object kinds in the order they are created: routines first (a view may call a function),
# then views (in dependency order), triggers (on tables) and events last.
KINDS = ("procedure", "function", "view", "trigger", "event")


@dataclass
class Definition:
    """One view, trigger, routine or event: its CREATE statement without DEFINER, and the
    session settings it must be created under to mean the same thing."""

    kind: str  # one of KINDS
    name: str
    sql: str  # production's database name still as written; see rename_database
    sql_mode: str | None = None
    charset_client: str | None = None
    collation_connection: str | None = None
    time_zone: str | None = None  # events only
    table: str = ""  # a trigger's table

    @property
    def label(self) -> str:
        return f"{self.kind} {self.name}" + (f" on {self.table}" if self.table else "")


@dataclass
class MysqlSchema:
    """Production's schema: what staging's shadow is created from."""

    database: str
    charset: str
    collation: str
    tables: dict[str, str] = field(default_factory=dict)  # name → SHOW CREATE TABLE
    objects: list[Definition] = field(default_factory=list)  # in creation order (KINDS)

    def of_kind(self, *kinds: str) -> list[Definition]:
        return [d for d in self.objects if d.kind in kinds]

    def names(self) -> set[str]:
        """Every table, view and routine a definition may qualify with the database."""
        return set(self.tables) | {d.name for d in self.objects}


def read_schema(conn: Connection, source: str) -> MysqlSchema:
    """Production's schema, read on the snapshot's connection (``source`` names it in errors)."""
    database, charset, collation = conn.exec_driver_sql(
        "SELECT SCHEMA_NAME, DEFAULT_CHARACTER_SET_NAME, DEFAULT_COLLATION_NAME "
        "FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = DATABASE()"
    ).one()
    schema = MysqlSchema(database, charset, collation)
    tables = _names(
        conn,
        "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() "
        "AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME",
    )
    for name in tables:
        schema.tables[name] = _show(conn, "TABLE", name)[1]
    routines = _routines(conn)
    for kind in ("PROCEDURE", "FUNCTION"):
        for name in sorted(n for n, k in routines if k == kind):
            row = _show(conn, kind, name)
            schema.objects.append(_definition(source, kind.lower(), name, row[2], row[1:5]))
    views = []
    for name in _names(
        conn,
        "SELECT TABLE_NAME FROM information_schema.VIEWS WHERE TABLE_SCHEMA = DATABASE() "
        "ORDER BY TABLE_NAME",
    ):
        row = _show(conn, "VIEW", name)
        views.append(_definition(source, "view", name, row[1], (None, None, row[2], row[3])))
    schema.objects += dependency_order(views)
    triggers = conn.exec_driver_sql(
        "SELECT TRIGGER_NAME, EVENT_OBJECT_TABLE FROM information_schema.TRIGGERS "
        "WHERE TRIGGER_SCHEMA = DATABASE() "
        "ORDER BY EVENT_OBJECT_TABLE, ACTION_TIMING, EVENT_MANIPULATION, ACTION_ORDER"
    ).all()
    for name, table in triggers:
        row = _show(conn, "TRIGGER", name)
        definition = _definition(source, "trigger", name, row[2], row[1:5])
        definition.table = table
        schema.objects.append(definition)
    for name in _names(
        conn,
        "SELECT EVENT_NAME FROM information_schema.EVENTS WHERE EVENT_SCHEMA = DATABASE() "
        "ORDER BY EVENT_NAME",
    ):
        row = _show(conn, "EVENT", name)
        definition = _definition(source, "event", name, row[3], (row[1], None, row[4], row[5]))
        definition.time_zone = row[2]
        schema.objects.append(definition)
    return schema


def _routines(conn: Connection) -> list[tuple[str, str]]:
    """(name, PROCEDURE|FUNCTION) of the database's routines. MariaDB's information_schema
    hides routines from a role with some privileges but not others; its mysql.proc, where
    the role may read it (docs/stores.md), lists them all."""
    if getattr(conn.dialect, "is_mariadb", False):
        try:
            with conn.begin_nested():
                return [
                    (str(n), str(k))
                    for n, k in conn.exec_driver_sql(
                        "SELECT name, type FROM mysql.proc WHERE db = DATABASE() "
                        "AND type IN ('PROCEDURE', 'FUNCTION')"
                    ).all()
                ]
        except sa.exc.SQLAlchemyError:
            log.warning(
                "the source role cannot read mysql.proc: routines information_schema hides "
                "from it would be missed (grant SELECT ON mysql.proc, see docs/stores.md)"
            )
    return [
        (str(n), str(k))
        for n, k in conn.exec_driver_sql(
            "SELECT ROUTINE_NAME, ROUTINE_TYPE FROM information_schema.ROUTINES "
            "WHERE ROUTINE_SCHEMA = DATABASE() AND ROUTINE_TYPE IN ('PROCEDURE', 'FUNCTION')"
        ).all()
    ]


def _names(conn: Connection, sql: str) -> list[str]:
    return list(conn.exec_driver_sql(sql).scalars())


def _show(conn: Connection, kind: str, name: str) -> tuple:
    quoted = conn.dialect.identifier_preparer.quote_identifier(name)
    return tuple(conn.exec_driver_sql(f"SHOW CREATE {kind} {quoted}").one())


def _definition(source: str, kind: str, name: str, sql: str | None, settings: tuple) -> Definition:
    sql_mode, _, charset_client, collation_connection = settings
    if not sql:  # the role may list the object but not read its body
        raise SourceError(
            f"source {source!r}: the definition of {kind} {name} cannot be read by the "
            "source role, so staging cannot get it.",
            hint="grant the source role the right to read definitions (MariaDB: SELECT on "
            "mysql.proc for routines; MySQL 8: SHOW_ROUTINE), see docs/stores.md.",
        )
    return Definition(kind, name, drop_definer(sql), sql_mode, charset_client, collation_connection)


DEFINER = re.compile(
    r"\s+DEFINER\s*=\s*(?:`(?:[^`]|``)*`|'(?:[^']|'')*'|[\w$.%-]+)"
    r"(?:\s*@\s*(?:`(?:[^`]|``)*`|'(?:[^']|'')*'|[\w$.%:-]+))?",
    re.IGNORECASE,
)
HEAD = re.compile(
    r"^\s*CREATE\b.*?\b(?:VIEW|TRIGGER|PROCEDURE|FUNCTION|EVENT)\b", re.IGNORECASE | re.DOTALL
)


def drop_definer(sql: str) -> str:
    """The statement without its ``DEFINER=user@host`` (only in the header, before the
    object's name: a body that mentions DEFINER is left alone)."""
    head = HEAD.match(sql)
    if not head:
        return sql
    return DEFINER.sub("", sql[: head.end()], count=1) + sql[head.end() :]


TOKEN = re.compile(
    r"""(?P<string>'(?:[^'\\]|\\.|'')*'|"(?:[^"\\]|\\.|"")*")"""
    r"""|(?P<comment>--[ \t][^\n]*|\#[^\n]*|/\*(?![!+])[\s\S]*?\*/)"""
    r"""|(?P<quoted>`(?:[^`]|``)*`)"""
    r"""|(?P<word>[A-Za-z0-9_$\x80-\uffff]+)"""
    r"""|(?P<space>\s+)"""
    r"""|(?P<other>[\s\S])""",
)


def rename_database(sql: str, old: str, new: str, names: Collection[str] = ()) -> str:
    """``old`` where it qualifies a name (``old.t``, ```old`.`t```) becomes ``new``, quoted
    as it was (a bare name stays bare where ``new`` can be); string literals and comments are
    left as written.

    ``old.x`` is ambiguous when a table is named like its database: SHOW CREATE VIEW leaves
    out the current database, so ```shop`.`id``` may be table ``shop``'s column. With the
    database's object ``names`` given, a two-part ``old.x`` is renamed only when ``x`` is one
    of them; ``old.x.y`` always is (a database, a table and a column)."""
    if not old:
        return sql
    tokens = [(m.lastgroup, m.group()) for m in TOKEN.finditer(sql)]
    known = {n.lower() for n in names}
    out = []
    for i, (kind, text) in enumerate(tokens):
        name = _name(kind, text)
        if name == old and _qualifies(tokens, i, known):
            bare = kind == "word" and re.fullmatch(r"[A-Za-z0-9_$]*[A-Za-z_$][A-Za-z0-9_$]*", new)
            out.append(new if bare else "`" + new.replace("`", "``") + "`")
        else:
            out.append(text)
    return "".join(out)


def _name(kind: str | None, text: str) -> str | None:
    if kind == "word":
        return text
    if kind == "quoted":
        return text[1:-1].replace("``", "`")
    return None


def _qualifies(tokens: list[tuple[str | None, str]], i: int, known: set[str]) -> bool:
    """Whether token ``i`` qualifies a database object: followed by a dot, not preceded by
    one, and (with ``known`` names) naming one of the database's objects or a three-part name."""
    rest = [(j, t) for j, (k, t) in enumerate(tokens) if j > i and k != "space"][:3]
    before = next((t for k, t in reversed(tokens[:i]) if k != "space"), "")
    if not rest or rest[0][1] != "." or before == ".":
        return False
    if not known or len(rest) < 2:
        return True
    following = rest[1][0]
    member = _name(*tokens[following])
    three_part = len(rest) > 2 and rest[2][1] == "."
    return three_part or (member is not None and member.lower() in known)


NAME = re.compile(r"`((?:[^`]|``)*)`")


def dependency_order(views: list[Definition]) -> list[Definition]:
    """Views after the views they read (SHOW CREATE VIEW quotes every name it uses)."""
    by_name = {v.name: v for v in views}
    uses = {
        v.name: {n.replace("``", "`") for n in NAME.findall(v.sql.split(" AS ", 1)[-1])}
        & set(by_name) - {v.name}
        for v in views
    }
    ordered: list[Definition] = []
    placed: set[str] = set()

    def place(name: str, path: tuple[str, ...]) -> None:
        if name in placed or name in path:
            return
        for used in sorted(uses[name]):
            place(used, (*path, name))
        placed.add(name)
        ordered.append(by_name[name])

    for view in views:
        place(view.name, ())
    return ordered


def geometry_columns(conn: Connection) -> dict[tuple[str, str], str]:
    """(table, column) → the spatial type of every spatial column in the current database."""
    rows = conn.exec_driver_sql(
        "SELECT TABLE_NAME, COLUMN_NAME, DATA_TYPE FROM information_schema.COLUMNS "
        "WHERE TABLE_SCHEMA = DATABASE()"
    ).all()
    return {(t, c): d for t, c, d in rows if str(d).upper() in GEOMETRY_TYPES}
