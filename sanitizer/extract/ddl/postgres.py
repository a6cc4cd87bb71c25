"""PostgreSQL's schema through ``pg_dump --schema-only``, read in the source's snapshot.

``pg_dump`` is the best source of truth for PostgreSQL DDL: it knows every object kind and
the order their dependencies need. It runs twice (``--section=pre-data`` and
``--section=post-data``, in parallel) with ``--snapshot`` set to the snapshot the source
session exported, so schema and data come from the same instant (docs/stores.md). The plain
output is cut into entries by its table-of-contents comments (``-- Name: …; Type: …;
Schema: …``); the target replays them into its shadow schemas after :func:`rewrite` has
pointed every schema-qualified name at the shadow.

Besides the DDL, the snapshot's catalog gives what ``pg_dump --schema-only`` leaves out and
staging needs: each sequence's position, which materialized views production has populated,
the extensions the schemas hold, and which tables are partitions (read through their parent).

Owners and grants are left out (``--no-owner --no-privileges``) unless the rule file says
``schema: grants: keep``: then pg_dump prints them, and they are taken out of the DDL into
:attr:`PgSchema.grants` — every ``ALTER … OWNER TO``, ACL and default-privileges entry, plus
the owner and ACL of each schema itself from the catalog — to be replayed last, with each
role renamed by ``schema: roles:`` (docs/rules.md).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from sanitizer.errors import SourceError

SYSTEM_SCHEMAS = ("information_schema", "pg_catalog", "pg_toast")
HEADER = re.compile(r"^-- (?:Data for )?Name: (.*); Type: (.*); Schema: (.*); Owner: (.*)$")
# What the target makes itself: its own shadow schemas and the extensions (docs/stores.md).
HANDLED_KINDS = {"SCHEMA", "EXTENSION"}
TSVECTOR_TRIGGER = re.compile(
    r"EXECUTE (?:FUNCTION|PROCEDURE) (?:pg_catalog\.)?(tsvector_update_trigger(?:_column)?)"
    r"\((.*)\);?\s*$",
    re.S,
)
NAME = r'(?:"(?:[^"]|"")*"|[\w$]+)'
TRIGGER_TABLE = re.compile(rf"\sON\s+({NAME}\.{NAME})\s")
RELATIONS = {"table", "partitioned table", "partition", "foreign table", "view", "sequence"}
RELATIONS |= {"materialized view"}
REG_TYPES = {
    "regclass",
    "regtype",
    "regproc",
    "regprocedure",
    "regoper",
    "regoperator",
    "regconfig",
    "regdictionary",
    "regcollation",
}


@dataclass
class Entry:
    """One table-of-contents entry of pg_dump's output: its SQL, as production names it."""

    name: str
    kind: str  # pg_dump's Type: TABLE, INDEX, FK CONSTRAINT, TRIGGER, …
    schema: str  # "-" for objects outside a schema
    sql: str
    owner: str = ""  # the object's owner, as pg_dump names it ("" without owners)

    def describe(self) -> str:
        where = "" if self.schema == "-" else f"{self.schema}."
        return f"{self.kind.lower()} {where}{self.name}"


@dataclass
class Extension:
    name: str
    schema: str
    relocatable: bool


@dataclass
class PgSchema:
    """Production's schema: pg_dump's entries and what the catalog adds to them."""

    schemas: list[str]
    pre: list[Entry]
    post: list[Entry]
    # (schema, sequence) → (last_value, is_called); None where the role may not read it
    sequences: dict[tuple[str, str], tuple[int, bool] | None] = field(default_factory=dict)
    populated: set[tuple[str, str]] = field(default_factory=set)  # materialized views
    extensions: list[Extension] = field(default_factory=list)
    # with schema.grants: keep, owners and grants (ALTER … OWNER TO, ACL, DEFAULT ACL), in
    # dump order, replayed after everything else; empty otherwise
    grants: list[Entry] = field(default_factory=list)

    def leave_out(self, objects: list[Any]) -> None:
        """Drop the entries of objects the rule file's ``schema: skip:`` leaves out (and those
        that hang off a skipped table: its defaults, constraints, triggers, comments…)."""
        names: set[tuple[str, str, str]] = set()  # (kind, schema, name)
        relations: set[tuple[str, str]] = set()  # (schema, table) of skipped relations
        for obj in objects:
            if obj.kind == "extension":
                self.extensions = [e for e in self.extensions if e.name != obj.name]
                continue
            text, table = obj.name, ""
            if obj.kind not in RELATIONS and " on " in text:  # trigger, constraint, rule…
                text, table = text.split(" on ", 1)
            schema, name = _split(table or text)
            if table:
                for kind in (obj.kind, "constraint", "fk constraint"):
                    names.add((kind, schema, f"{name} {_split(text)[1]}"))
                continue
            names.add((obj.kind, schema, name))
            if obj.kind in RELATIONS:
                relations.add((schema, name))
        self.sequences = {k: v for k, v in self.sequences.items() if ("sequence", *k) not in names}

        def kept(entry: Entry) -> bool:
            kind, bare = entry.kind.lower(), entry.name.split("(")[0]
            if (kind, entry.schema, bare) in names or (kind, entry.schema, entry.name) in names:
                return False
            first = entry.name.split(" ")[-1] if kind == "comment" else entry.name.split(" ")[0]
            return (entry.schema, first.split(".")[0]) not in relations

        def acl_kept(entry: Entry) -> bool:  # an ACL entry is named "TABLE t", "COLUMN t.c"…
            if entry.kind not in ACL_KINDS or " " not in entry.name:
                return True
            what, rest = entry.name.split(" ", 1)
            bare = rest.split("(")[0]
            if {(what.lower(), entry.schema, rest), (what.lower(), entry.schema, bare)} & names:
                return False
            relation = rest.split(".")[0] if what == "COLUMN" else rest
            return what not in ("TABLE", "SEQUENCE", "COLUMN") or (
                (entry.schema, relation) not in relations
            )

        self.pre = [e for e in self.pre if kept(e)]
        self.post = [e for e in self.post if kept(e)]
        self.grants = [e for e in self.grants if kept(e) and acl_kept(e)]

    def roles(self, owners: bool = False) -> set[str]:
        """Every role staging's owners, grants and policies name (after :meth:`map_roles`);
        with ``owners``, only those that own objects or grant as themselves."""
        named: set[str] = set()
        for entry in self._role_entries():
            found = rename_roles(entry.sql, {}, entry.kind == "POLICY")[1]
            named |= {role for role, owning in found if owning or not owners}
        return named

    def map_roles(self, mapping: dict[str, str]) -> None:
        """Each production role renamed to its staging role in owners, grants and policies."""
        for entry in self._role_entries():
            entry.sql = rename_roles(entry.sql, mapping, entry.kind == "POLICY")[0]

    def _role_entries(self) -> list[Entry]:
        return [*self.grants, *(e for e in self.post if e.kind == "POLICY")]

    def tsvector_triggers(self) -> list[tuple[str, str]]:
        """(table, function call) of every trigger that keeps a tsvector from other columns,
        as production names them: the loaded rows derive it again (docs/stores.md)."""
        found = []
        for entry in self.post:
            if entry.kind != "TRIGGER":
                continue
            call, table = TSVECTOR_TRIGGER.search(entry.sql), TRIGGER_TABLE.search(entry.sql)
            if call and table:
                found.append((table.group(1), f"{call.group(1)}({call.group(2)})"))
        return found


# -- reading -------------------------------------------------------------------------------
def user_schemas(conn: Connection) -> list[str]:
    """Every schema production's users made (not the system's, not an extension's)."""
    return list(
        conn.exec_driver_sql(
            "SELECT nspname FROM pg_catalog.pg_namespace n "
            "WHERE nspname NOT IN ('information_schema', 'pg_catalog', 'pg_toast') "
            "AND left(nspname, 3) <> 'pg_' AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d "
            "WHERE d.classid = 'pg_catalog.pg_namespace'::regclass AND d.objid = n.oid "
            "AND d.deptype = 'e') ORDER BY nspname"
        ).scalars()
    )


def partitions(conn: Connection) -> dict[tuple[str, str], tuple[str, str]]:
    """Each partition (schema, table) → its top partitioned parent (schema, table)."""
    rows = conn.exec_driver_sql(
        "WITH RECURSIVE up(child, parent) AS ("
        " SELECT i.inhrelid, i.inhparent FROM pg_catalog.pg_inherits i"
        " JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid WHERE c.relispartition"
        " UNION ALL SELECT up.child, i.inhparent FROM up JOIN pg_catalog.pg_inherits i"
        " ON i.inhrelid = up.parent JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid"
        " WHERE c.relispartition) "
        "SELECT cn.nspname, c.relname, pn.nspname, p.relname FROM up"
        " JOIN pg_catalog.pg_class c ON c.oid = up.child"
        " JOIN pg_catalog.pg_namespace cn ON cn.oid = c.relnamespace"
        " JOIN pg_catalog.pg_class p ON p.oid = up.parent"
        " JOIN pg_catalog.pg_namespace pn ON pn.oid = p.relnamespace"
        " WHERE NOT p.relispartition"
    ).all()
    return {(r[0], r[1]): (r[2], r[3]) for r in rows}


def inheritance_parents(conn: Connection) -> set[tuple[str, str]]:
    """Plain tables other tables INHERIT from (not partitioning): read ``FROM ONLY``."""
    rows = conn.exec_driver_sql(
        "SELECT DISTINCT pn.nspname, p.relname FROM pg_catalog.pg_inherits i"
        " JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid"
        " JOIN pg_catalog.pg_class p ON p.oid = i.inhparent"
        " JOIN pg_catalog.pg_namespace pn ON pn.oid = p.relnamespace"
        " WHERE NOT c.relispartition AND p.relkind = 'r'"
    ).all()
    return {(r[0], r[1]) for r in rows}


def read_schema(
    conn: Connection,
    url: sa.URL,
    snapshot: str,
    source: str,
    schemas: list[str],
    privileges: bool = False,
) -> PgSchema:
    """pg_dump's pre- and post-data of ``schemas`` in ``snapshot``, plus the catalog's part;
    with ``privileges`` (``schema: grants: keep``) also owners and grants, apart."""
    pre, post = run_pg_dump(conn, url, snapshot, source, schemas, privileges)
    dump = PgSchema(schemas, parse(pre), parse(post))
    _catalog(conn, dump)
    if privileges:
        dump.grants = schema_privileges(conn, schemas)
        dump.pre, owned_pre = split_privileges(dump.pre)
        dump.post, owned_post = split_privileges(dump.post)
        dump.grants += owned_pre + owned_post
    return dump


# -- owners and grants (schema: grants: keep) ----------------------------------------------
ACL_KINDS = ("ACL", "DEFAULT ACL")
PSEUDO_ROLES = {"public", "current_user", "session_user", "current_role"}


def split_privileges(entries: list[Entry]) -> tuple[list[Entry], list[Entry]]:
    """The entries without their owners and grants, and those apart (in dump order): each
    ``ALTER … OWNER TO`` statement keeps its object's entry name, ACL entries go whole. A
    schema's own owner and ACL come from the catalog (:func:`schema_privileges`)."""
    ddl, privileges = [], []
    for entry in entries:
        if entry.kind == "ACL" and not entry.name.startswith("SCHEMA "):
            sql = as_owner(entry.owner, statements(entry.sql))
            privileges.append(Entry(entry.name, entry.kind, entry.schema, sql, entry.owner))
            continue
        if entry.kind in ACL_KINDS:
            if entry.kind == "DEFAULT ACL":
                privileges.append(entry)
            continue
        kept = []
        for statement in statements(entry.sql):
            if not _is_owner_statement(statement):
                kept.append(statement)
            elif entry.kind != "SCHEMA":
                privileges.append(Entry(entry.name, entry.kind, entry.schema, statement))
        if kept:
            ddl.append(Entry(entry.name, entry.kind, entry.schema, "\n".join(kept)))
    return ddl, privileges


def statements(sql: str) -> list[str]:
    """``sql`` cut at each ``;`` outside literals, comments and bodies (each keeps its ``;``)."""
    out, current = [], []
    for kind, text in tokens(sql):
        current.append(text)
        if kind == "other" and text == ";":
            out.append("".join(current).strip())
            current = []
    rest = "".join(current).strip()
    return [*out, rest] if rest else out


def as_owner(owner: str, grants: list[str]) -> str:
    """Grants run as the object's owner (``SET ROLE``), so each is recorded as the owner's,
    as in production, whichever of its roles the staging role is; pg_dump's ``SET SESSION
    AUTHORIZATION`` for a grant another role made becomes ``SET ROLE`` of that role."""
    if not owner:
        return "\n".join(grants)
    out = [f"SET ROLE {quote(owner)};"]
    for statement in grants:
        words = [t.lower() for k, t in tokens(statement) if k not in ("space", "comment")]
        if words[:3] == ["set", "session", "authorization"]:
            statement = "SET ROLE " + statement.split(None, 3)[3]
        elif words[:3] == ["reset", "session", "authorization"]:
            statement = f"SET ROLE {quote(owner)};"
        out.append(statement)
    return "\n".join([*out, "RESET ROLE;"])


def _is_owner_statement(statement: str) -> bool:
    words = [t.lower() for k, t in tokens(statement) if k not in ("space", "comment")]
    words = words[:-1] if words and words[-1] == ";" else words
    return len(words) > 3 and words[0] == "alter" and words[-3:-1] == ["owner", "to"]


def schema_privileges(conn: Connection, schemas: list[str]) -> list[Entry]:
    """Each schema's owner and exact ACL as statements: the target creates the shadow schemas
    itself, so pg_dump's grants relative to a schema's initial ACL would not fit them."""
    rows = conn.exec_driver_sql(
        "SELECT n.nspname, pg_catalog.pg_get_userbyid(n.nspowner), n.nspacl IS NULL, "
        "pg_catalog.pg_get_userbyid(a.grantor), "
        "CASE WHEN a.grantee = 0 THEN NULL ELSE pg_catalog.pg_get_userbyid(a.grantee) END, "
        "a.privilege_type, a.is_grantable FROM pg_catalog.pg_namespace n "
        "LEFT JOIN LATERAL pg_catalog.aclexplode(n.nspacl) WITH ORDINALITY a ON true "
        "WHERE n.nspname = ANY(%(s)s) ORDER BY n.nspname, a.ordinality",
        {"s": schemas},
    ).all()
    owners: dict[str, str] = {}
    grants: dict[str, list[str]] = {}
    for schema, owner, default, grantor, grantee, privilege, grantable in rows:
        name = quote(schema)
        if schema not in owners:
            owners[schema], grants[schema] = owner, []
            if not default:  # an ACL of its own: start from nothing, then grant each item
                grants[schema].append(f"REVOKE ALL ON SCHEMA {name} FROM {quote(owner)};")
        if privilege is None:
            continue
        to = "PUBLIC" if grantee is None else quote(grantee)
        grant = f"GRANT {privilege} ON SCHEMA {name} TO {to}"
        grant += " WITH GRANT OPTION;" if grantable else ";"
        if grantor != owner:  # as pg_dump does: granted by the role that granted it
            grant = f"SET SESSION AUTHORIZATION {quote(grantor)};\n{grant}\n"
            grant += "RESET SESSION AUTHORIZATION;"
        grants[schema].append(grant)
    return [
        Entry(
            f"SCHEMA {schema}",
            "ACL",
            "-",
            f"ALTER SCHEMA {quote(schema)} OWNER TO {quote(owner)};\n"
            + as_owner(owner, statements("\n".join(grants[schema]))),
            owner,
        )
        for schema, owner in owners.items()
    ]


def rename_roles(
    sql: str, mapping: dict[str, str], policy: bool = False
) -> tuple[str, list[tuple[str, bool]]]:
    """``sql`` with each role it names renamed by ``mapping``, and the roles it then names,
    each with whether it is an owning one (``OWNER TO``, ``FOR ROLE``, ``SESSION
    AUTHORIZATION``, ``GRANTED BY``: the staging role must be a member) or a grantee.

    A role is the name after ``TO``, ``FROM``, ``FOR ROLE``/``FOR USER``, ``GRANTED BY`` and
    ``SESSION AUTHORIZATION`` (and each one after a comma in such a list), never a qualified
    name; ``PUBLIC`` and ``CURRENT_USER`` are no roles. In a ``CREATE POLICY`` only the role
    list before ``USING``/``WITH CHECK`` is read.
    """
    toks = tokens(sql)
    out: list[str] = []
    named: list[tuple[str, bool]] = []
    expect, after_role, previous, owning = False, False, "", False
    for i, (kind, text) in enumerate(toks):
        if kind in ("space", "comment"):
            out.append(text)
            continue
        word = text.lower() if kind == "word" else ""
        if policy and word in ("using", "with"):
            out.append("".join(t for _, t in toks[i:]))
            break
        name = _ident(kind, text)
        following = next((t for k, t in toks[i + 1 :] if k not in ("space", "comment")), "")
        if expect and name is not None and following != ".":
            if word not in PSEUDO_ROLES:
                role = mapping.get(name, name)
                named.append((role, owning))
                text = quote(role) if role != name else text
            expect, after_role = False, True
        else:
            comma = after_role and text == ","
            lead = word in ("to", "from")
            owns = word == "authorization" or (word == "to" and previous == "owner")
            owns |= word in ("role", "user") and previous == "for"
            owns |= word == "role" and previous == "set"
            owns |= word == "by" and previous == "granted"
            owning = owns or (comma and owning)
            expect, after_role = comma or lead or owns, False
        previous = word
        out.append(text)
    return "".join(out), named


def staging_roles(conn: Connection) -> tuple[set[str], set[str] | None]:
    """The roles of the server ``conn`` is on, and those its user may give objects to
    (``ALTER … OWNER TO`` needs membership); None when the user is a superuser (any)."""
    rows = conn.exec_driver_sql(
        "SELECT rolname, pg_catalog.pg_has_role(rolname, 'MEMBER') FROM pg_catalog.pg_roles"
    ).all()
    superuser = conn.exec_driver_sql(
        "SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user"
    ).scalar()
    return {r[0] for r in rows}, None if superuser else {r[0] for r in rows if r[1]}


def _catalog(conn: Connection, dump: PgSchema) -> None:
    not_extension = (
        "NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = "
        "'pg_catalog.pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')"
    )
    rows = conn.exec_driver_sql(
        "SELECT n.nspname, c.relname, pg_catalog.has_sequence_privilege(c.oid, 'SELECT') "
        "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
        f"WHERE c.relkind = 'S' AND n.nspname = ANY(%(s)s) AND {not_extension} ORDER BY 1, 2",
        {"s": dump.schemas},
    ).all()
    quote = conn.dialect.identifier_preparer.quote_identifier
    for schema, name, readable in rows:
        position = None
        if readable:
            last, called = conn.exec_driver_sql(
                f"SELECT last_value, is_called FROM {quote(schema)}.{quote(name)}"
            ).one()
            position = (int(last), bool(called))
        dump.sequences[(schema, name)] = position
    dump.populated = {
        (r[0], r[1])
        for r in conn.exec_driver_sql(
            "SELECT schemaname, matviewname FROM pg_catalog.pg_matviews "
            "WHERE ispopulated AND schemaname = ANY(%(s)s)",
            {"s": dump.schemas},
        )
    }
    dump.extensions = [
        Extension(r[0], r[1], bool(r[2]))
        for r in conn.exec_driver_sql(
            "SELECT e.extname, n.nspname, e.extrelocatable FROM pg_catalog.pg_extension e "
            "JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace "
            "WHERE n.nspname = ANY(%(s)s) ORDER BY e.oid",
            {"s": dump.schemas},
        )
    ]


def pg_dump_env(url: sa.URL) -> dict[str, str]:
    """The connection for pg_dump, through libpq's environment: never on its command line."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    values = {
        "PGHOST": url.host,
        "PGPORT": str(url.port) if url.port else None,
        "PGUSER": url.username,
        "PGPASSWORD": url.password,
        "PGDATABASE": url.database,
        "PGSSLMODE": url.query.get("sslmode"),
        "PGAPPNAME": "sanitizer",
    }
    env.update({k: str(v) for k, v in values.items() if v})
    return env


def pattern(schema: str) -> str:
    """A pg_dump ``-n`` pattern that matches exactly this schema name."""
    return '"' + schema.replace('"', '""') + '"'


def run_pg_dump(
    conn: Connection,
    url: sa.URL,
    snapshot: str,
    source: str,
    schemas: list[str],
    privileges: bool = False,
) -> tuple[str, str]:
    binary = shutil.which("pg_dump")
    server = int(conn.exec_driver_sql("SHOW server_version_num").scalar_one()) // 10000
    where = f"source {source!r}"
    if binary is None:
        raise SourceError(
            f"{where}: pg_dump is not installed; sanitizer copies PostgreSQL's schema with it.",
            hint=f"install the PostgreSQL {server} client tools (e.g. postgresql-client-{server}) "
            "so that pg_dump is on PATH.",
        )
    version = subprocess.run([binary, "--version"], capture_output=True, text=True, check=False)
    found = re.search(r"(\d+)(?:\.\d+)?", version.stdout)
    if not found or int(found.group(1)) < server:
        raise SourceError(
            f"{where}: {binary} ({version.stdout.strip() or 'unknown version'}) is older than "
            f"the server (PostgreSQL {server}); it cannot dump this server's schema.",
            hint=f"install pg_dump {server} or newer and put it first on PATH.",
        )
    if not schemas:
        return "", ""
    base = [
        binary,
        "--schema-only",
        *(() if privileges else ("--no-owner", "--no-privileges")),  # schema.grants
        "--no-publications",
        "--no-subscriptions",
        "--no-security-labels",
        "--no-tablespaces",  # staging's tablespaces are its own (docs/stores.md)
        f"--snapshot={snapshot}",
    ]
    for schema in schemas:
        base += ["-n", pattern(schema)]
    env = pg_dump_env(url)
    procs = [
        subprocess.Popen(
            [*base, f"--section={section}"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )
        for section in ("pre-data", "post-data")
    ]
    outputs = []
    for proc in procs:
        out, err = proc.communicate(timeout=3600)
        if proc.returncode != 0:
            first = (err.decode(errors="replace").strip().splitlines() or ["no message"])[0]
            raise SourceError(
                f"{where}: pg_dump --schema-only failed: {first[:300]}.",
                hint="the role needs to read every table's definition (and SELECT, for pg_dump's "
                "lock on each table); nothing was written to staging.",
            )
        outputs.append(out.decode())
    return outputs[0], outputs[1]


def parse(text: str) -> list[Entry]:
    """pg_dump's plain output → its entries, in dump order (preamble and meta-commands out)."""
    entries: list[Entry] = []
    current: Entry | None = None
    body: list[str] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if line == "-- PostgreSQL database dump complete":
            break
        header = HEADER.match(line)
        if header and i > 0 and lines[i - 1] == "--":
            if current is not None:
                current.sql = _body(body)
                entries.append(current)
            owner = header.group(4) if header.group(4) != "-" else ""
            current, body = Entry(header.group(1), header.group(2), header.group(3), "", owner), []
            i += 2  # the closing "--"
            continue
        if current is not None and not line.startswith("\\"):
            body.append(line)
        i += 1
    if current is not None:
        current.sql = _body(body)
        entries.append(current)
    return [e for e in entries if e.sql]


def _body(lines: list[str]) -> str:
    while lines and lines[-1] in ("", "--"):
        lines.pop()
    while lines and not lines[0].strip():
        lines.pop(0)
    return "\n".join(lines)


# -- the schema-name rewrite ---------------------------------------------------------------
TOKEN = re.compile(
    r"""
     (?P<space>\s+)
    |(?P<comment>--[^\n]*)
    |(?P<block>/\*)
    |(?P<dollar>\$(?:[^\W\d]\w*)?\$)
    |(?P<estring>[Ee]'(?:[^'\\]|\\.|'')*')
    |(?P<string>(?:[BbXxNn]|[Uu]&)?'(?:[^']|'')*')
    |(?P<quoted>(?:[Uu]&)?"(?:[^"]|"")*")
    |(?P<word>[^\W\d][\w$]*)
    |(?P<other>.)
    """,
    re.X | re.S,
)


def tokens(sql: str) -> list[tuple[str, str]]:
    """(kind, text) tokens: enough of PostgreSQL's lexer to tell names from literals."""
    out: list[tuple[str, str]] = []
    pos = 0
    while pos < len(sql):
        match = TOKEN.match(sql, pos)
        assert match is not None  # "other" matches any character
        kind, text = match.lastgroup or "other", match.group()
        end = match.end()
        if kind == "block":  # nested /* */ comments
            depth, end = 1, pos + 2
            while depth and end < len(sql):
                if sql.startswith("/*", end):
                    depth, end = depth + 1, end + 2
                elif sql.startswith("*/", end):
                    depth, end = depth - 1, end + 2
                else:
                    end += 1
            kind, text = "comment", sql[pos:end]
        elif kind == "dollar":  # a dollar-quoted body runs to the same tag
            close = sql.find(text, end)
            end = len(sql) if close < 0 else close + len(text)
            kind, text = "body", sql[pos:end]
        out.append((kind, text))
        pos = end
    return out


def _split(identity: str) -> tuple[str, str]:
    """``schema.name`` as pg_identify_object quotes it → its two names, unquoted."""
    parts = [t for t in tokens(identity) if t[0] in ("word", "quoted")]
    names = [t[1] if t[0] == "word" else t[1][1:-1].replace('""', '"') for t in parts]
    if len(names) >= 2:
        return names[0], names[1]
    return "-", names[0] if names else identity


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _ident(kind: str, text: str) -> str | None:
    if kind == "word":
        return text.lower()
    if kind == "quoted" and text.startswith('"'):
        return text[1:-1].replace('""', '"')
    return None


def rewrite(sql: str, shadows: dict[str, str]) -> str:
    """``sql`` with every schema name in ``shadows`` replaced by its shadow.

    Rewritten: an identifier (quoted or not) that qualifies a name (``public.`` /
    ``"My Schema".``), the name after the keyword SCHEMA (``COMMENT ON SCHEMA public``), and
    string literals cast to a reg* type (``'public.x_seq'::regclass``). Left alone: other
    literals, comments and dollar-quoted bodies (a function body resolves names when it runs:
    after the swap the shadow carries the live name).
    """
    toks = tokens(sql)
    out: list[str] = []
    significant: list[tuple[str, str]] = []  # the significant tokens seen so far
    for i, (kind, text) in enumerate(toks):
        name = _ident(kind, text)
        following = toks[i + 1][1] if i + 1 < len(toks) else ""
        previous = significant[-1] if significant else ("", "")
        if name is not None and name in shadows:
            qualifies = following == "." and previous[1] != "."
            after_schema = previous[0] == "word" and previous[1].lower() == "schema"
            if qualifies or after_schema:
                text = quote(shadows[name])
        elif kind in ("string", "estring") and _reg_cast(toks, i):
            text = _rewrite_literal(text, shadows)
        out.append(text)
        if kind not in ("space", "comment"):
            significant.append((kind, text))
    return "".join(out)


def _reg_cast(toks: list[tuple[str, str]], i: int) -> bool:
    """Whether the literal at ``i`` is cast to a reg* type: ``'…'::[pg_catalog.]regclass``."""
    rest = [t for _, t in toks[i + 1 : i + 7]]
    if rest[:2] != [":", ":"]:
        return False
    if len(rest) > 4 and rest[2].lower() == "pg_catalog" and rest[3] == ".":
        return rest[4].lower() in REG_TYPES
    return len(rest) > 2 and rest[2].lower() in REG_TYPES


def _rewrite_literal(text: str, shadows: dict[str, str]) -> str:
    if not text.startswith("'"):
        return text  # E'' / U&'' literals of reg* casts do not occur in pg_dump's output
    inner = text[1:-1].replace("''", "'")
    toks = tokens(inner)
    if len(toks) > 1 and toks[1][1] == ".":
        name = _ident(*toks[0])
        if name is not None and name in shadows:
            inner = quote(shadows[name]) + "".join(t for _, t in toks[1:])
    return "'" + inner.replace("'", "''") + "'"
