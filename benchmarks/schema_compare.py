"""Compare a production schema with its staging copy, using the databases' own dump tools.

    python benchmarks/schema_compare.py SOURCE_URL TARGET_URL

This is how the team measures guarantee 10 (docs/design.md) on databases it did not write
(public sample databases loaded unmodified): it does not share code with sanitizer's own
schema copy or its inventory check, so a bug there cannot hide here.

- PostgreSQL: ``pg_dump --schema-only --no-owner --no-privileges`` of both, split into its
  table-of-contents entries (``Name: …; Type: …; Schema: …``); each entry's statement text
  must be the same in staging. Sequence positions (``pg_sequences.last_value``) are compared.
- MySQL/MariaDB: ``mysqldump --no-data --routines --triggers --events`` of both, split into
  statements; DEFINER clauses are dropped and staging's database name is read as production's;
  ``AUTO_INCREMENT=N`` is compared separately (staging must continue where production does).

Prints one line per missing or different object and a summary; exits 1 when any differs.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections import Counter

import sqlalchemy as sa

TOC = re.compile(r"^-- Name: (?P<name>.*?); Type: (?P<type>.*?); Schema: (?P<schema>.*?);", re.M)


def pg_env(url: sa.URL) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        PGHOST=url.host or "127.0.0.1",
        PGPORT=str(url.port or 5432),
        PGUSER=url.username or "postgres",
        PGDATABASE=url.database or "",
    )
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return env


def pg_entries(url: sa.URL) -> dict[tuple[str, str, str], str]:
    """(type, schema, name) → the entry's statements, as pg_dump prints them."""
    dump = subprocess.run(
        ["pg_dump", "--schema-only", "--no-owner", "--no-privileges"],
        env=pg_env(url),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    entries: dict[tuple[str, str, str], str] = {}
    matches = list(TOC.finditer(dump))
    for match, following in zip(matches, [*matches[1:], None], strict=True):
        end = following.start() if following else len(dump)
        body = "\n".join(
            line
            for line in dump[match.end() : end].splitlines()
            if line.strip() and not line.startswith("--") and not line.startswith("\\")
        )
        key = (match["type"], match["schema"], match["name"])
        entries[key] = body.strip()
    return entries


def pg_sequences(url: sa.URL) -> dict[str, object]:
    engine = sa.create_engine(url.set(drivername="postgresql+psycopg"))
    with engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT schemaname || '.' || sequencename, last_value FROM pg_sequences"
        ).all()
    engine.dispose()
    return dict(rows)


def my_statements(url: sa.URL, as_name: str = "") -> dict[str, str]:
    """Object → its CREATE statement from mysqldump, definers dropped (``as_name``: the name
    to write for this database, so staging compares with production)."""
    args = ["mysqldump", "--no-data", "--routines", "--triggers", "--events", "--skip-comments"]
    args += ["--skip-dump-date", "-h", url.host or "127.0.0.1", "-P", str(url.port or 3306)]
    args += ["-u", url.username or "root"]
    env = dict(os.environ)
    if url.password:
        env["MYSQL_PWD"] = str(url.password)
    dump = subprocess.run(
        [*args, url.database or ""], env=env, capture_output=True, text=True, check=True
    ).stdout
    dump = re.sub(r"DEFINER=`[^`]*`@`[^`]*`\s*", "", dump)
    dump = re.sub(r"/\*!\d+\s*(.*?)\*/", r"\1", dump, flags=re.S)
    if as_name:  # staging's database name where production's would be
        dump = re.sub(rf"\b{re.escape(url.database or '')}\b", as_name, dump)
    objects: dict[str, str] = {}
    for statement in re.split(r";;|;\n", dump):
        text = " ".join(statement.split())
        found = re.search(
            r"CREATE (?:OR REPLACE )?(?:ALGORITHM=\w+ )?(?:SQL SECURITY \w+ )?"
            r"(TABLE|VIEW|TRIGGER|PROCEDURE|FUNCTION|EVENT) (?:IF NOT EXISTS )?`?([\w$]+)`?",
            text,
        )
        if found:
            objects[f"{found[1].lower()} {found[2]}"] = re.sub(r" AUTO_INCREMENT=\d+", "", text)
    return objects


def my_auto_increments(url: sa.URL) -> dict[str, object]:
    engine = sa.create_engine(url.set(drivername="mysql+pymysql"))
    with engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT TABLE_NAME, AUTO_INCREMENT FROM information_schema.TABLES "
            "WHERE TABLE_SCHEMA = %s AND AUTO_INCREMENT IS NOT NULL",
            (url.database,),
        ).all()
    engine.dispose()
    return dict(rows)


def compare(production: dict, staging: dict, what: str) -> list[str]:
    problems = []
    for key, text in production.items():
        if key not in staging:
            problems.append(f"missing in staging: {what} {key}")
        elif staging[key] != text:
            problems.append(f"different in staging: {what} {key}")
    return problems


def main(source: str, target: str) -> int:
    src, dst = sa.make_url(source), sa.make_url(target)
    if src.get_backend_name() == "postgresql":
        production, staging = pg_entries(src), pg_entries(dst)
        kinds = Counter(key[0] for key in production)
        problems = compare(production, staging, "object")
        problems += compare(pg_sequences(src), pg_sequences(dst), "sequence position")
    else:
        production, staging = my_statements(src), my_statements(dst, src.database or "")
        kinds = Counter(key.split(" ", 1)[0] for key in production)
        problems = compare(production, staging, "object")
        ai_src, ai_dst = my_auto_increments(src), my_auto_increments(dst)
        problems += [
            f"AUTO_INCREMENT behind production: {table} ({ai_dst.get(table)} < {position})"
            for table, position in ai_src.items()
            if (ai_dst.get(table) or 0) < position
        ]
    for problem in problems:
        print(problem)
    summary = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items()))
    print(f"production objects: {summary}")
    print(f"{len(problems)} object(s) missing or different in staging")
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2]))
