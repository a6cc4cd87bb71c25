"""A small production with every shape subsetting must handle, on PostgreSQL, MariaDB and
SQLite: a cycle (tenants.owner_id ↔ users.tenant_id), a self-reference (users.manager_id),
several FKs to one table (tickets.requester_id, tickets.assignee_id), an FK to a unique
non-primary key (messages.author_email → users.email), a many-to-many table (ticket_tags),
composite keys (shipments, shipment_items), virtual references (events.ticket_ref, a JSON
path in events.payload, polymorphic comments.subject_type/subject_id), a passthrough table
(plans) and an excluded one (audit_log, referenced through the nullable tickets.audit_id).

The data is generated from a fixed seed; ``expected`` is an independent, in-memory statement
of the subset the config asks for, the oracle the run's staging is compared with.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from helpers.snapshot_runs import my_url, pg_url

KEY = "subset-test-key-0123456789abcdef"
CUTOFF = dt.date(2026, 3, 1)

ROWS = {"plans": 3, "tenants": 6, "users": 40, "audit_log": 10, "tickets": 60, "messages": 150}

DDL = """
CREATE TABLE plans (id INT PRIMARY KEY, name VARCHAR(40) NOT NULL)
CREATE TABLE tenants (id INT PRIMARY KEY, name VARCHAR(40) NOT NULL, owner_id INT NULL{owner})
CREATE TABLE users (id INT PRIMARY KEY, tenant_id INT NOT NULL REFERENCES tenants (id),
  email VARCHAR(100) NOT NULL UNIQUE, manager_id INT NULL REFERENCES users (id),
  plan_id INT NULL REFERENCES plans (id))
CREATE TABLE audit_log (id INT PRIMARY KEY, note VARCHAR(200) NOT NULL)
CREATE TABLE tickets (id INT PRIMARY KEY, tenant_id INT NOT NULL REFERENCES tenants (id),
  requester_id INT NOT NULL REFERENCES users (id), assignee_id INT NULL REFERENCES users (id),
  created_at DATE NOT NULL, audit_id INT NULL REFERENCES audit_log (id))
CREATE TABLE messages (id INT PRIMARY KEY, ticket_id INT NOT NULL REFERENCES tickets (id),
  author_email VARCHAR(100) NULL REFERENCES users (email), body VARCHAR(200) NOT NULL)
CREATE TABLE tags (id INT PRIMARY KEY, name VARCHAR(30) NOT NULL)
CREATE TABLE ticket_tags (ticket_id INT NOT NULL REFERENCES tickets (id),
  tag_id INT NOT NULL REFERENCES tags (id), PRIMARY KEY (ticket_id, tag_id))
CREATE TABLE shipments (region VARCHAR(5) NOT NULL, num INT NOT NULL, ticket_id INT NULL,
  PRIMARY KEY (region, num))
CREATE TABLE shipment_items (id INT PRIMARY KEY, region VARCHAR(5) NOT NULL, num INT NOT NULL,
  FOREIGN KEY (region, num) REFERENCES shipments (region, num))
CREATE TABLE events (id INT PRIMARY KEY, ticket_ref INT NULL, payload {json} NULL)
CREATE TABLE comments (id INT PRIMARY KEY, subject_type VARCHAR(10) NOT NULL,
  subject_id INT NOT NULL)
"""

RULES = """source: app
tables:
  plans: {id: keep, name: keep}
  tenants: {id: keep, name: {hash: {}}, owner_id: keep}
  users: {id: keep, tenant_id: keep, email: {fake: email, unique: true}, manager_id: keep,
          plan_id: keep}
  audit_log: {id: keep, note: {constant: "x"}}
  tickets: {id: keep, tenant_id: keep, requester_id: keep, assignee_id: keep, created_at: keep,
            audit_id: keep}
  messages: {id: keep, ticket_id: keep, body: {constant: "body"}}
  tags: {id: keep, name: keep}
  ticket_tags: {ticket_id: keep, tag_id: keep}
  shipments: {region: keep, num: keep, ticket_id: keep}
  shipment_items: {id: keep, region: keep, num: keep}
  events: {id: keep, ticket_ref: keep, payload: keep}
  comments: {id: keep, subject_type: keep, subject_id: keep}
"""

SUBSET = """subset:
  app:
    roots:
      - {table: tickets, where: "created_at >= '2026-03-01'"}
    follow: [messages.ticket_id, ticket_tags.ticket_id, shipments.ticket_id,
             shipment_items.region, events.ticket_ref, comments.subject_id]
    passthrough: [plans]
    exclude: [audit_log]
    references:
      - {from: shipments.ticket_id, to: tickets.id}
      - {from: events.ticket_ref, to: tickets.id}
      - {from: events.payload, path: "$.user.id", to: users.id}
      - {from: comments.subject_id, to: tickets.id, when: "subject_type = 'ticket'"}
      - {from: comments.subject_id, to: users.id, when: "subject_type = 'user'"}
"""

Rows = dict[str, list[dict[str, Any]]]
ORDER = (  # parents before children (tenants' owners are set after users)
    "plans",
    "tenants",
    "users",
    "audit_log",
    "tickets",
    "messages",
    "tags",
    "ticket_tags",
    "shipments",
    "shipment_items",
    "events",
    "comments",
)


def generate(seed: int = 15) -> Rows:
    """Production's rows, every reference valid (virtual ones too)."""
    rnd = random.Random(seed)
    data: Rows = {}
    data["plans"] = [{"id": i, "name": f"plan{i}"} for i in range(1, 4)]
    data["tenants"] = [{"id": i, "name": f"tenant{i}", "owner_id": None} for i in range(1, 7)]
    users = []
    for i in range(1, 41):
        manager = rnd.choice([None, None] + [u["id"] for u in users[-8:]]) if users else None
        users.append(
            {
                "id": i,
                "tenant_id": rnd.randint(1, 6),
                "email": f"user{i}@corp.example-corp.com",
                "manager_id": manager,
                "plan_id": rnd.choice([None, 1, 2, 3]),
            }
        )
    data["users"] = users
    for tenant in data["tenants"]:
        tenant["owner_id"] = rnd.choice([None, rnd.randint(1, 40)])
    data["audit_log"] = [{"id": i, "note": f"audit {i}"} for i in range(1, 11)]
    start = dt.date(2026, 1, 1)
    data["tickets"] = [
        {
            "id": i,
            "tenant_id": rnd.randint(1, 6),
            "requester_id": rnd.randint(1, 40),
            "assignee_id": rnd.choice([None, rnd.randint(1, 40)]),
            "created_at": start + dt.timedelta(days=rnd.randint(0, 110)),
            "audit_id": rnd.choice([None, rnd.randint(1, 10)]),
        }
        for i in range(1, 61)
    ]
    data["messages"] = [
        {
            "id": i,
            "ticket_id": rnd.randint(1, 60),
            "author_email": rnd.choice([None, f"user{rnd.randint(1, 40)}@corp.example-corp.com"]),
            "body": f"message {i}",
        }
        for i in range(1, 151)
    ]
    data["tags"] = [{"id": i, "name": f"tag{i}"} for i in range(1, 9)]
    pairs = sorted({(rnd.randint(1, 60), rnd.randint(1, 8)) for _ in range(90)})
    data["ticket_tags"] = [{"ticket_id": t, "tag_id": g} for t, g in pairs]
    data["shipments"] = [
        {"region": r, "num": n, "ticket_id": rnd.choice([None, rnd.randint(1, 60)])}
        for r in ("eu", "us", "apac")
        for n in range(1, 11)
    ]
    data["shipment_items"] = [
        {"id": i, "region": s["region"], "num": s["num"]}
        for i, s in enumerate((rnd.choice(data["shipments"]) for _ in range(60)), 1)
    ]
    data["events"] = [
        {
            "id": i,
            "ticket_ref": rnd.choice([None, rnd.randint(1, 60)]),
            "payload": json.dumps({"user": {"id": rnd.randint(1, 40)}, "kind": "x"}),
        }
        for i in range(1, 81)
    ]
    data["comments"] = [
        {
            "id": i,
            "subject_type": kind,
            "subject_id": rnd.randint(1, 60) if kind == "ticket" else rnd.randint(1, 40),
        }
        for i, kind in enumerate((rnd.choice(["ticket", "user"]) for _ in range(50)), 1)
    ]
    return data


# -- the oracle ---------------------------------------------------------------------------
@dataclass
class Expected:
    """Primary keys per table the subset must hold (plans: all; audit_log: none)."""

    keys: dict[str, set[tuple]] = field(default_factory=dict)


def expected(
    data: Rows, roots: set[int] | None = None, limits: dict[tuple[str, str], int] | None = None
) -> dict[str, set[tuple]]:
    """The subset SUBSET asks for, worked out over the rows in memory: roots, their
    followed children (recursively; ``limits``: at most N per parent on that follow edge,
    the first in the child's key order), and every parent of every kept row."""
    pk = {
        "shipments": ("region", "num"),
        "ticket_tags": ("ticket_id", "tag_id"),
    }

    def key(table: str, row: dict) -> tuple:
        return tuple(row[c] for c in pk.get(table, ("id",)))

    # (child, child columns, parent, parent columns, condition on the child row)
    up = [
        ("tenants", ("owner_id",), "users", ("id",), None),
        ("users", ("tenant_id",), "tenants", ("id",), None),
        ("users", ("manager_id",), "users", ("id",), None),
        ("tickets", ("tenant_id",), "tenants", ("id",), None),
        ("tickets", ("requester_id",), "users", ("id",), None),
        ("tickets", ("assignee_id",), "users", ("id",), None),
        ("messages", ("ticket_id",), "tickets", ("id",), None),
        ("messages", ("author_email",), "users", ("email",), None),
        ("ticket_tags", ("ticket_id",), "tickets", ("id",), None),
        ("ticket_tags", ("tag_id",), "tags", ("id",), None),
        ("shipment_items", ("region", "num"), "shipments", ("region", "num"), None),
        ("shipments", ("ticket_id",), "tickets", ("id",), None),
        ("events", ("ticket_ref",), "tickets", ("id",), None),
        ("events", ("payload_user",), "users", ("id",), None),
        ("comments", ("subject_id",), "tickets", ("id",), "ticket"),
        ("comments", ("subject_id",), "users", ("id",), "user"),
    ]
    follow = [e for e in up if (e[0], e[1][0]) in FOLLOWED]
    rows = {t: [dict(r) for r in rs] for t, rs in data.items()}
    for event in rows["events"]:
        event["payload_user"] = json.loads(event["payload"])["user"]["id"]
    if roots is None:
        roots = {t["id"] for t in rows["tickets"] if t["created_at"] >= CUTOFF}
    kept: dict[str, set[tuple]] = {t: set() for t in rows if t not in ("plans", "audit_log")}
    kept["tickets"] = {(i,) for i in roots}
    followed: dict[str, set[tuple]] = {t: set() for t in kept}
    down = {"tickets": set(kept["tickets"])}
    changed = True
    while changed:
        changed = False
        for table, todo in list(down.items()):  # follow edges from followed rows only
            down[table] = set()
            new_rows = todo - followed[table]
            followed[table] |= new_rows
            for child, cols, parent, pcols, cond in follow:
                if parent != table:
                    continue
                allowed = first_children(rows[child], cols, (limits or {}).get((child, cols[0])))
                for row in rows[child]:
                    if cond and row["subject_type"] != cond:
                        continue
                    if allowed is not None and key(child, row) not in allowed:
                        continue
                    ref = tuple(row[c] for c in cols)
                    match = [
                        key(parent, p) for p in rows[parent] if tuple(p[c] for c in pcols) == ref
                    ]
                    if any(m in new_rows for m in match):
                        k = key(child, row)
                        kept[child].add(k)
                        if k not in followed[child]:
                            down.setdefault(child, set()).add(k)
                            changed = True
        for child, cols, parent, pcols, cond in up:  # every parent of every kept row
            if parent not in kept:
                continue
            for row in rows[child]:
                if child in kept and key(child, row) not in kept[child]:
                    continue
                if cond and row["subject_type"] != cond:
                    continue
                ref = tuple(row[c] for c in cols)
                if None in ref:
                    continue
                for p in rows[parent]:
                    if tuple(p[c] for c in pcols) == ref and key(parent, p) not in kept[parent]:
                        kept[parent].add(key(parent, p))
                        changed = True
        changed = changed or any(down.values())
    return kept


def first_children(rows: list[dict], cols: tuple[str, ...], limit: int | None) -> set | None:
    """The keys of the first ``limit`` rows (key order) per value of ``cols``; None: all."""
    if limit is None:
        return None
    pk = ("ticket_id", "tag_id") if "tag_id" in rows[0] else ("id",)
    by_parent: dict[tuple, list[tuple]] = {}
    for row in rows:
        by_parent.setdefault(tuple(row[c] for c in cols), []).append(tuple(row[c] for c in pk))
    return {k for keys in by_parent.values() for k in sorted(keys)[:limit]}


FOLLOWED = {
    ("messages", "ticket_id"),
    ("ticket_tags", "ticket_id"),
    ("shipments", "ticket_id"),
    ("shipment_items", "region"),
    ("events", "ticket_ref"),
    ("comments", "subject_id"),
}


# -- the databases ------------------------------------------------------------------------
@dataclass
class SubsetWorld:
    """One dialect's production and staging, and a folder for configs."""

    dialect: str
    prod_url: str
    staging_url: str
    tmp: Path
    data: Rows
    prod: sa.Engine
    staging_admin: sa.Engine | None = None
    runs: int = 0

    def config(self, subset: str = SUBSET, key: str = KEY, rules: str = RULES) -> Path:
        """A sanitize.yaml with this subset (a new folder per call)."""
        self.runs += 1
        folder = self.tmp / f"run{self.runs}"
        (folder / "rules").mkdir(parents=True)
        (folder / "rules" / "app.yaml").write_text(rules, encoding="utf-8")
        path = folder / "sanitize.yaml"
        path.write_text(
            f"rules: rules/\nkey: {key}\nkey_id: test\nreceipts: receipts\nbatch_size: 7\n"
            "workers: 1\n"
            f'sources:\n  app: {{kind: sql, url: "{self.prod_url}"}}\n'
            f'targets:\n  app: {{kind: sql, url: "{self.staging_url}"}}\n' + subset,
            encoding="utf-8",
        )
        return path

    def staging(self) -> Rows:
        """Every staging table's rows (as dicts), read back from the live staging."""
        engine = sa.create_engine(self.staging_url)
        try:
            with engine.connect() as conn:
                out = {}
                for table in self.data:
                    result = conn.exec_driver_sql(f"SELECT * FROM {table}")
                    out[table] = [dict(r._mapping) for r in result]
                return out
        finally:
            engine.dispose()


def _json_type(dialect: str) -> str:
    return {"postgres": "jsonb", "mysql": "JSON", "sqlite": "TEXT"}[dialect]


def build_prod(engine: sa.Engine, dialect: str, data: Rows) -> None:
    """Schema, then rows (the cycle's owner_id after users), on any of the three."""
    # SQLite cannot add a constraint later, but may name a table created after
    owner = " REFERENCES users (id)" if dialect == "sqlite" else ""
    statements = [
        s.replace("\n  ", " ")
        for s in DDL.format(json=_json_type(dialect), owner=owner).strip().split("\nCREATE")
    ]
    statements = [s if s.startswith("CREATE") else "CREATE" + s for s in statements]
    with engine.begin() as conn:
        for statement in statements:
            if dialect == "mysql":
                statement += " ENGINE=InnoDB"
            conn.exec_driver_sql(statement)
        if dialect != "sqlite":
            conn.exec_driver_sql(
                "ALTER TABLE tenants ADD CONSTRAINT tenants_owner FOREIGN KEY (owner_id) "
                "REFERENCES users (id)"
            )
        metadata = sa.MetaData()
        metadata.reflect(conn)
        owners = {t["id"]: t["owner_id"] for t in data["tenants"]}
        for name in ORDER:
            table, rows = metadata.tables[name], data[name]
            if table.name == "tenants":
                rows = [{**r, "owner_id": None} for r in rows]
            if name == "events" and dialect == "postgres":  # jsonb: a document, not its text
                rows = [{**r, "payload": json.loads(r["payload"])} for r in rows]
            if rows:
                conn.execute(table.insert(), rows)
        tenants = metadata.tables["tenants"]
        for tenant_id, owner in owners.items():
            conn.execute(tenants.update().where(tenants.c.id == tenant_id).values(owner_id=owner))


def make_world(dialect: str, tmp: Path) -> Iterator[SubsetWorld]:
    """Create production and an empty staging for ``dialect``; drop both afterwards."""
    data = generate()
    name = f"subset_sql_{secrets.token_hex(3)}"
    if dialect == "sqlite":
        prod_url = f"sqlite:///{tmp / 'prod.db'}"
        prod = sa.create_engine(prod_url)
        build_prod(prod, dialect, data)
        yield SubsetWorld(dialect, prod_url, f"sqlite:///{tmp / 'staging.db'}", tmp, data, prod)
        prod.dispose()
        return
    if dialect == "postgres":
        server = sa.create_engine(pg_url("postgres", "postgres"), isolation_level="AUTOCOMMIT")
        url = lambda db: pg_url("postgres", db)  # noqa: E731
        drop = 'DROP DATABASE IF EXISTS "{}" WITH (FORCE)'
    else:
        server = sa.create_engine(my_url("root", "", "mysql"), isolation_level="AUTOCOMMIT")
        url = lambda db: my_url("root", "", db)  # noqa: E731
        drop = "DROP DATABASE IF EXISTS `{}`"
    with server.connect() as conn:
        for db in (f"{name}_prod", f"{name}_staging"):
            conn.exec_driver_sql(f"CREATE DATABASE {db}")
    prod = sa.create_engine(url(f"{name}_prod"))
    try:
        build_prod(prod, dialect, data)
        yield SubsetWorld(dialect, url(f"{name}_prod"), url(f"{name}_staging"), tmp, data, prod)
    finally:
        prod.dispose()
        with server.connect() as conn:
            for db in (f"{name}_prod", f"{name}_staging"):
                conn.exec_driver_sql(drop.format(db))
            if dialect == "mysql":  # shadows and retired copies the target made
                for (db,) in conn.exec_driver_sql("SHOW DATABASES").all():
                    if db.startswith(f"{name}_"):
                        conn.exec_driver_sql(drop.format(db))
        server.dispose()
