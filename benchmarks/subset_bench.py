"""Subset benchmark (issue 15): a 1% root subset of a PostgreSQL production with cycles,
against full snapshots, in the same run on the same machine.

It builds, on the local PostgreSQL (BENCH_PG_URL, default postgres@127.0.0.1:5432; the names
of the databases it creates start with BENCH_DB_PREFIX, default none), a production of
BENCH_SUBSET_ROWS rows (default 200,000; the issue's goal is measured at 10,000,000) over
four tables with a cycle and a self-reference — tenants.owner_id ↔ users.tenant_id,
users.manager_id, tickets, messages — and times, each in its own process (so peak memory is
that run's):

- subset: ``percent: 1`` of tickets, following messages.ticket_id, everything they need;
- small full: a full snapshot of a production generated the same way with about as many rows
  as the subset kept (the goal: subset time within 3x of this);
- same rows: a full snapshot of a production holding exactly the subset's rows (the subset's
  staging copied), the same size and the same mix of tables;
- big full: a full snapshot of the whole production (BENCH_SUBSET_FULL=0 skips it).

Columns are kept or get cheap structured rules (no text detection): the bench measures the
subset's own cost. ``--source URL --subset FILE`` instead runs one subset of any PostgreSQL
database against its full snapshot (every column kept), e.g. the Pagila sample database, and
checks every declared foreign key in staging. Results go to benchmarks/results.json and
RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa
from results import ratio, record

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

KEY = "subset-bench-key-0123456789abcdef"
SERVER = os.environ.get("BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
PREFIX = os.environ.get("BENCH_DB_PREFIX", "")  # the databases it creates (and drops)

DDL = """
CREATE TABLE tenants (id int PRIMARY KEY, name text NOT NULL, owner_id int);
CREATE TABLE users (id int PRIMARY KEY, tenant_id int NOT NULL REFERENCES tenants (id),
  manager_id int REFERENCES users (id), email varchar(254) NOT NULL UNIQUE);
ALTER TABLE tenants ADD FOREIGN KEY (owner_id) REFERENCES users (id);
CREATE TABLE tickets (id int PRIMARY KEY, tenant_id int NOT NULL REFERENCES tenants (id),
  requester_id int NOT NULL REFERENCES users (id), created_at timestamptz NOT NULL);
CREATE TABLE messages (id bigint PRIMARY KEY, ticket_id int NOT NULL REFERENCES tickets (id),
  author_id int REFERENCES users (id), body text NOT NULL);
CREATE INDEX ON users (tenant_id);
CREATE INDEX ON tickets (requester_id);
CREATE INDEX ON messages (ticket_id);
"""

DATA = """
INSERT INTO tenants SELECT g, 'tenant ' || g, NULL FROM generate_series(1, {tenants}) g;
INSERT INTO users SELECT g, 1 + mod(g, {tenants}), CASE WHEN g > 10 THEN g - 1 - mod(g, 10) END,
  'user' || g || '@corp.example-corp.com' FROM generate_series(1, {users}) g;
UPDATE tenants SET owner_id = 1 + mod(id * 7, {users});
INSERT INTO tickets SELECT g, 1 + mod(g, {tenants}), 1 + mod(g * 13, {users}),
  timestamptz '2025-01-01' + g * interval '1 minute' FROM generate_series(1, {tickets}) g;
INSERT INTO messages SELECT g, 1 + mod(g * 7, {tickets}), 1 + mod(g * 17, {users}),
  repeat('message body ', 5) || g FROM generate_series(1, {messages}) g;
ANALYZE;
"""

RULES = """source: app
tables:
  tenants: {id: keep, name: {hash: {}}, owner_id: keep}
  users: {id: keep, tenant_id: keep, manager_id: keep, email: {fake: email, unique: true}}
  tickets: {id: keep, tenant_id: keep, requester_id: keep, created_at: keep}
  messages: {id: keep, ticket_id: keep, author_id: keep, body: {constant: "body"}}
"""

SUBSET = """subset:
  app:
    roots: [{table: tickets, percent: 1}]
    follow: [messages.ticket_id]
"""


def sizes(rows: int) -> dict[str, int]:
    """Rows per table for a production of about ``rows`` rows."""
    return {
        "tenants": max(rows // 2000, 5),
        "users": max(rows // 20, 50),
        "tickets": max(rows // 5, 100),
        "messages": max(rows - rows // 2000 - rows // 20 - rows // 5, 100),
    }


def url(database: str) -> str:
    return sa.make_url(SERVER).set(database=database).render_as_string(hide_password=False)


def create(database: str) -> None:
    with sa.create_engine(SERVER, isolation_level="AUTOCOMMIT").connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{database}"')


def drop(database: str) -> None:
    with sa.create_engine(SERVER, isolation_level="AUTOCOMMIT").connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def build(database: str, rows: int) -> None:
    create(database)
    engine = sa.create_engine(url(database))
    with engine.begin() as conn:
        for statement in (DDL + DATA.format(**sizes(rows))).split(";"):
            if statement.strip():
                conn.exec_driver_sql(statement)
    engine.dispose()


def keep_rules(source_url: str) -> str:
    """Every column of the source kept, passwords ``secret`` (for a sample database with no
    rules of its own)."""
    from sanitizer.extract.sql import SqlSource

    source = SqlSource("app", source_url)
    lines = ["source: app", "tables:"]
    with source.snapshot():
        for table in source.reflect():
            lines.append(f"  {table.info.name}:")
            lines += [
                f"    {name}: {'secret' if 'password' in name else 'keep'}"  # the sweep's hint
                for name in table.info.columns
            ]
    return "\n".join(lines) + "\n"


def config(folder: Path, source: str, target: str, rules: str, subset: str) -> Path:
    (folder / "rules").mkdir(parents=True)
    (folder / "rules" / "app.yaml").write_text(rules)
    path = folder / "sanitize.yaml"
    path.write_text(
        f"rules: rules/\nkey: {KEY}\nreceipts: receipts\nbatch_size: 5000\nworkers: 1\n"
        f'sources:\n  app: {{kind: sql, url: "{source}"}}\n'
        f'targets:\n  app: {{kind: sql, url: "{target}"}}\n' + subset
    )
    return path


def timed(path: Path) -> dict:
    """One snapshot in its own process: seconds, peak RSS, rows loaded, the subset plan."""
    out = subprocess.run(
        [sys.executable, __file__, "--child", str(path)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    if out.returncode:
        raise RuntimeError(f"the snapshot failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def child(path: Path) -> None:
    from sanitizer.config.settings import load_settings
    from sanitizer.run.snapshot import run_snapshot

    started = time.perf_counter()
    receipt = run_snapshot(load_settings(path), init=True)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rows = sum(t.rows_out for t in receipt.tables.values())
    print(
        json.dumps(
            {"seconds": round(seconds, 2), "peak_mb": round(peak_mb), "rows": rows}
            | {"subset": receipt.subset.get("app")}
        )
    )


def dangling(database: str) -> int:
    """Rows in staging whose declared foreign key names no row (PostgreSQL's catalog)."""
    engine = sa.create_engine(url(database))
    total = 0
    with engine.connect() as conn:
        fks = conn.exec_driver_sql(
            "SELECT conrelid::regclass::text, confrelid::regclass::text, "
            "(SELECT array_agg(attname ORDER BY k.n) FROM unnest(conkey) WITH ORDINALITY "
            "k(a, n) JOIN pg_attribute ON attrelid = conrelid AND attnum = k.a), "
            "(SELECT array_agg(attname ORDER BY k.n) FROM unnest(confkey) WITH ORDINALITY "
            "k(a, n) JOIN pg_attribute ON attrelid = confrelid AND attnum = k.a) "
            "FROM pg_constraint WHERE contype = 'f' AND conparentid = 0"
        ).all()
        for child_table, parent, cols, pcols in fks:
            notnull = " AND ".join(f"c.{c} IS NOT NULL" for c in cols)
            join = " AND ".join(f"p.{p} = c.{c}" for c, p in zip(cols, pcols, strict=True))
            total += conn.exec_driver_sql(
                f"SELECT count(*) FROM {child_table} c WHERE {notnull} AND NOT EXISTS "
                f"(SELECT 1 FROM {parent} p WHERE {join})"
            ).scalar_one()
    engine.dispose()
    return total


def bench(rows: int, with_full: bool) -> None:
    tag = f"{PREFIX}subset_bench_{secrets.token_hex(3)}"
    made: list[str] = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            made += [f"{tag}_prod", f"{tag}_s1"]
            build(f"{tag}_prod", rows)
            create(f"{tag}_s1")
            sub = timed(
                config(Path(tmp, "subset"), url(f"{tag}_prod"), url(f"{tag}_s1"), RULES, SUBSET)
            )
            results = [{"run": "subset 1% of tickets", "production_rows": rows, **_row(sub)}]
            made += [f"{tag}_small", f"{tag}_s2"]
            build(f"{tag}_small", sub["rows"])
            create(f"{tag}_s2")
            small = timed(
                config(Path(tmp, "small"), url(f"{tag}_small"), url(f"{tag}_s2"), RULES, "")
            )
            results.append(
                {
                    "run": "full, production the subset's size",
                    "production_rows": sub["rows"],
                    **_row(small),
                }
            )
            made += [f"{tag}_same", f"{tag}_s4"]
            same_rows(f"{tag}_s1", f"{tag}_same")
            create(f"{tag}_s4")
            same = timed(config(Path(tmp, "same"), url(f"{tag}_same"), url(f"{tag}_s4"), RULES, ""))
            results.append(
                {
                    "run": "full, production of the subset's own rows",
                    "production_rows": sub["rows"],
                    **_row(same),
                }
            )
            if with_full:
                made.append(f"{tag}_s3")
                create(f"{tag}_s3")
                full = timed(
                    config(Path(tmp, "full"), url(f"{tag}_prod"), url(f"{tag}_s3"), RULES, "")
                )
                results.append(
                    {"run": "full, whole production", "production_rows": rows, **_row(full)}
                )
            results[0]["x_small_full"] = ratio(sub["seconds"], small["seconds"])
            results[0]["x_same_rows_full"] = ratio(sub["seconds"], same["seconds"])
            results[0]["dangling_fks"] = dangling(f"{tag}_s1")
            for row in results:
                print(row)
            record(
                "subset",
                baseline="full snapshot of a production the subset's size",
                rows=results,
                params={"rows": rows},
            )
    finally:
        for database in made:
            drop(database)


def same_rows(staging: str, database: str) -> None:
    """A production holding exactly the subset's rows (its staging, copied without the
    tool's own tables): the subset keeps far more users per ticket than the generated mix,
    and a user costs more to mask than a message, so this is the like-for-like baseline."""
    with sa.create_engine(SERVER, isolation_level="AUTOCOMMIT").connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{database}" TEMPLATE "{staging}"')
    engine = sa.create_engine(url(database))
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP SCHEMA IF EXISTS sanitizer_meta CASCADE")  # the tool's own
        conn.exec_driver_sql("ANALYZE")
    engine.dispose()


def _row(run: dict) -> dict:
    return {"seconds": run["seconds"], "peak_mb": run["peak_mb"], "rows_loaded": run["rows"]}


def sample(source: str, subset_file: Path) -> None:
    """One subset of an existing database (e.g. Pagila) against its full snapshot."""
    tag = f"{PREFIX}subset_bench_{secrets.token_hex(3)}"
    rules = keep_rules(source)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            create(f"{tag}_s1")
            sub = timed(
                config(Path(tmp, "s"), source, url(f"{tag}_s1"), rules, subset_file.read_text())
            )
            create(f"{tag}_s2")
            full = timed(config(Path(tmp, "f"), source, url(f"{tag}_s2"), rules, ""))
            print(
                json.dumps(
                    {"subset": _row(sub), "full": _row(full), "dangling_fks": dangling(f"{tag}_s1")}
                )
            )
            for name, table in sub["subset"]["tables"].items():
                counts = f"{table['production_rows']:>8,} → {table['subset_rows']:>7,}"
                print(f"  {name:32} {counts}  ← {table['path']}")
            for note in sub["subset"]["notes"]:
                print(f"  note: {note}")
    finally:
        drop(f"{tag}_s1")
        drop(f"{tag}_s2")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--source", help="a PostgreSQL URL to subset instead of the generated one")
    parser.add_argument("--subset", type=Path, help="a file with the subset: section for --source")
    args = parser.parse_args()
    if args.child:
        child(args.child)
    elif args.source:
        sample(args.source, args.subset)
    else:
        rows = int(os.environ.get("BENCH_SUBSET_ROWS", "200000"))
        try:
            bench(rows, os.environ.get("BENCH_SUBSET_FULL", "1") != "0")
        except (RuntimeError, sa.exc.SQLAlchemyError) as exc:  # no server: say so, not fail
            print(f"subset bench skipped: {exc}")


if __name__ == "__main__":
    main()
