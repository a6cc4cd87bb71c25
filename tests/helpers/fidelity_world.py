"""A small PostgreSQL production with planted messiness, for the fidelity report's tests.

NULL, empty and whitespace-only values in different shares per column, phones in odd layouts,
duplicated emails, names in several scripts, JSON payloads of several key sets and some that do
not parse, dates and amounts, a masked category column and a kept one, and orders whose
``account_id`` references no account (an undeclared relation) next to order lines with a
declared foreign key. Generated here with a fixed seed: the data is this test suite's own.
"""

from __future__ import annotations

import json
import random
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from helpers.snapshot_runs import CliResult, cli_env, my_url, pg_url, run_cli

KEY = "fidelity-world-key-0123456789abcdef"
ACCOUNTS, ORDERS = 640, 900
ORPHAN_ORDERS = 37  # orders whose account_id matches no account
SEGMENTS = ["enterprise-alpha-tier", "smb-beta-cohort", "consumer-gamma-band"]  # masked: hash
STATUSES = ["active", "active", "suspended", "LEGACY", "", "closed"]  # kept: top values show
FIRST = ["Ingrid", "Kwame", "Chloé", "Ольга", "山田", "Tomás", "Priya", "Zoë", "O'Neil", "Åsa"]
LAST = ["Lindqvist-Haddad", "Okonkwo", "Петрова", "太郎", "Ó Súilleabháin", "Ramanathan"]
PHONES = ["+1 (415) 555-{:04d}", "0049 30 {:06d}", "555.123.{:04d}", "+44 7700 9{:05d} ext. 12"]

DDL = """
CREATE TABLE accounts (
  id integer PRIMARY KEY, name text, email text, phone text, segment text, status text,
  payload text, signup date, balance numeric(10, 2), notes text, call_at time
);
CREATE TABLE orders (id integer PRIMARY KEY, account_id integer, total numeric(10, 2));
CREATE TABLE order_lines (
  order_id integer, line_no integer, qty integer,
  PRIMARY KEY (order_id, line_no), FOREIGN KEY (order_id) REFERENCES orders(id)
);
"""

RULES = """\
source: app
tables:
  accounts:
    id: keep
    name: {fake: name}
    email: %(email)s
    phone: {format: preserve}
    segment: hash
    status: keep
    payload: {json: {"$.email": {fake: email}, "$.owner": {fake: name}, "$.**": keep}}
    signup: {shift_date: {max_days: 30}}
    balance: keep
    notes: keep
    call_at: keep
  orders:
    id: keep
    account_id: keep
    total: keep
  order_lines:
    order_id: keep
    line_no: keep
    qty: keep
"""


def _blankish(rng: random.Random, value: Any, null: float, empty: float, blank: float) -> Any:
    draw = rng.random()
    if draw < null:
        return None
    if draw < null + empty:
        return ""
    if draw < null + empty + blank:
        return rng.choice(["   ", "\t", " \n "])
    return value


def accounts() -> list[dict[str, Any]]:
    rng = random.Random(18)
    rows, emails = [], []
    for i in range(1, ACCOUNTS + 1):
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        email = f"{name.split()[0].lower()}.{i}@{rng.choice(['corp-mail.com', 'example.org'])}"
        if emails and rng.random() < 0.12:
            email = rng.choice(emails)  # duplicates, as production has them
        emails.append(email)
        rows.append(
            {
                "id": i,
                "name": _blankish(rng, name, 0.08, 0.04, 0.02),
                "email": _blankish(rng, email, 0.05, 0.02, 0.0),
                "phone": _blankish(rng, rng.choice(PHONES).format(i), 0.1, 0.05, 0.01)
                if rng.random() > 0.03
                else "n/a",
                "segment": _blankish(rng, rng.choice(SEGMENTS), 0.1, 0.0, 0.0),
                "status": rng.choice(STATUSES),
                "payload": _payload(rng, email, name),
                "signup": None
                if rng.random() < 0.07
                else f"20{rng.randint(10, 25)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
                "balance": None if rng.random() < 0.1 else round(rng.uniform(-50, 5000), 2),
                "notes": _blankish(rng, "line one\nline two" if i % 3 else "single", 0.3, 0.1, 0.0),
                "call_at": None if i % 5 == 0 else f"{i % 24:02d}:{i % 60:02d}:00",
            }
        )
    return rows


def _payload(rng: random.Random, email: str, name: str) -> str | None:
    draw = rng.random()
    if draw < 0.08:
        return None
    if draw < 0.16:
        return '{"email": "' + email + '", "tier": '  # cut off: does not parse
    if draw < 0.2:
        return "[]"
    if draw < 0.6:
        return json.dumps({"email": email, "tier": rng.choice(["gold", "free"])})
    return json.dumps({"email": email, "owner": name, "prefs": {"lang": "en", "n": 3}})


def orders() -> list[dict[str, Any]]:
    rng = random.Random(81)
    rows = []
    for i in range(1, ORDERS + 1):
        account = ACCOUNTS + 1000 + i if i <= ORPHAN_ORDERS else rng.randint(1, ACCOUNTS)
        rows.append({"id": i, "account_id": account, "total": round(rng.uniform(1, 900), 2)})
    return rows


def order_lines() -> list[dict[str, Any]]:
    return [
        {"order_id": o, "line_no": n, "qty": (o * n) % 7}
        for o in range(1, ORDERS + 1)
        for n in range(1, 1 + o % 3)
    ]


@dataclass
class FidelityWorld:
    """The prod and staging databases, and a folder to write configs in."""

    dialect: str  # "postgres" | "mysql"
    prod_db: str
    staging_db: str
    prod: sa.Engine
    staging: sa.Engine
    tmp: Path

    def url(self, database: str) -> str:
        return (
            pg_url("postgres", database)
            if self.dialect == "postgres"
            else (my_url("root", "", database))
        )

    def config(self, name: str, email_rule: str = "{fake: email}", fidelity: str = "") -> Path:
        folder = self.tmp / name
        (folder / "rules").mkdir(parents=True, exist_ok=True)
        (folder / "rules" / "app.yaml").write_text(RULES % {"email": email_rule})
        config = folder / "sanitize.yaml"
        config.write_text(
            "rules: rules/\nkey: ${SANITIZE_KEY}\nreceipts: receipts\nbatch_size: 100\n"
            "workers: 1\n"
            f'sources:\n  app: {{kind: sql, url: "{self.url(self.prod_db)}"}}\n'
            f'targets:\n  app: {{kind: sql, url: "{self.url(self.staging_db)}"}}\n' + fidelity,
            encoding="utf-8",
        )
        return config

    def run(self, config: Path) -> CliResult:
        return run_cli(config, cli_env(KEY))


def create_world(tmp: Path, dialect: str = "postgres") -> Iterator[FidelityWorld]:
    """Create, fill, yield and drop the two databases (names start with ``fidelity_``)."""
    prefix = f"fidelity_{secrets.token_hex(3)}"
    prod_db, staging_db = f"{prefix}_prod", f"{prefix}_staging"
    postgres = dialect == "postgres"
    admin = pg_url("postgres", "postgres") if postgres else my_url("root", "", "")
    server = sa.create_engine(admin, isolation_level="AUTOCOMMIT")
    quote = '"' if postgres else "`"
    with server.connect() as conn:
        for database in (prod_db, staging_db):
            charset = "" if postgres else " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
            conn.exec_driver_sql(f"CREATE DATABASE {quote}{database}{quote}{charset}")
    world = FidelityWorld(dialect, prod_db, staging_db, server, server, tmp)
    prod, staging = sa.create_engine(world.url(prod_db)), None
    try:
        with prod.begin() as conn:
            for statement in DDL.split(";"):
                if statement.strip():
                    conn.exec_driver_sql(statement)
            for table, rows in (("accounts", accounts()), ("orders", orders())):
                conn.execute(sa.table(table, *map(sa.column, rows[0])).insert(), rows)
            lines = order_lines()
            conn.execute(sa.table("order_lines", *map(sa.column, lines[0])).insert(), lines)
        staging = sa.create_engine(world.url(staging_db))
        world.prod, world.staging = prod, staging
        yield world
    finally:
        prod.dispose()
        if staging is not None:
            staging.dispose()
        with server.connect() as conn:
            for database in (prod_db, staging_db):
                force = " WITH (FORCE)" if postgres else ""
                conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {quote}{database}{quote}{force}")
        server.dispose()
