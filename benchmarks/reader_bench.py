"""Reader benchmark (issue 17): one PostgreSQL table read by 1, 2 and 4 connections sharing the
run's exported snapshot (extract/ranges.py, docs/engine.md#reading-production).

It builds, on the local PostgreSQL (BENCH_PG_URL, default postgres@127.0.0.1:5432; the database's
name starts with BENCH_DB_PREFIX, default ``bench``), a table of BENCH_READER_ROWS rows (default
300,000: a bigint key, a ~200-character text, a number and a timestamp), then reads it the way a
PostgreSQL → PostgreSQL run does (``COPY`` text, ``batch_size`` 5,000) with each reader count,
in alternating rounds (BENCH_READER_ROUNDS, default 3; best of them), checking that every count
hands on the same rows in the same order. Only the read is timed — masking and loading are
what they are with any count. Results go to benchmarks/results.json and RESULTS.md.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import sys
import time
from pathlib import Path

import sqlalchemy as sa
from results import ratio, record

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sanitizer.extract.sql import SqlSource  # noqa: E402

READERS = (1, 2, 4)
BATCH = 5000


def build(server: str, name: str, rows: int) -> str:
    admin = sa.create_engine(f"{server}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()
    url = f"{server}/{name}"
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "CREATE TABLE messages (id bigint PRIMARY KEY, body text, n integer, at timestamptz)"
        )
        conn.exec_driver_sql(
            "INSERT INTO messages SELECT i * 7, repeat(md5(i::text), 6) || E'\\t' || i,"
            " mod(i, 1000), timestamptz '2026-01-01' + i * interval '1 minute'"
            f" FROM generate_series(1, {rows}) AS i"
        )
        conn.exec_driver_sql("ANALYZE messages")
    engine.dispose()
    return url


def read(url: str, readers: int) -> tuple[float, str, int]:
    """Seconds to read the table, a digest of what was handed on, and its rows."""
    source = SqlSource("bench", url)
    source.copy_text, source.readers = True, readers
    digest, rows = hashlib.sha256(), 0
    with source.snapshot():
        (table,) = source.reflect()
        started = time.perf_counter()
        for frame in source.batches(table, BATCH):
            rows += frame.height
            for column in frame.iter_columns():
                digest.update("\x1f".join(column.to_list()).encode())
        seconds = time.perf_counter() - started
    return seconds, digest.hexdigest(), rows


def main() -> None:
    rows = int(os.environ.get("BENCH_READER_ROWS", "300000"))
    rounds = int(os.environ.get("BENCH_READER_ROUNDS", "3"))
    server = os.environ.get("BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432")
    name = f"{os.environ.get('BENCH_DB_PREFIX', 'bench')}_readers_{secrets.token_hex(3)}"
    best: dict[int, float] = {}
    digests: set[str] = set()
    try:
        url = build(server, name, rows)
        for _ in range(rounds):  # alternating: a busy minute does not favour one count
            for readers in READERS:
                seconds, digest, got = read(url, readers)
                assert got == rows, f"{readers} readers handed on {got} rows of {rows}"
                digests.add(digest)
                best[readers] = min(best.get(readers, seconds), seconds)
    finally:
        admin = sa.create_engine(f"{server}/postgres", isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()
    if len(digests) != 1:
        raise SystemExit("reader counts handed on different rows")
    table = [
        {
            "readers": readers,
            "read_s": round(best[readers], 3),
            "rows_per_s": round(rows / best[readers]),
            "speedup": ratio(best[1], best[readers]),
        }
        for readers in READERS
    ]
    for row in table:
        print(row)
    print("load average:", os.getloadavg())
    record(
        "readers",
        baseline="one reader (the run's own connection)",
        rows=table,
        params={"rows": rows, "rounds": rounds, "batch_size": BATCH},
    )


if __name__ == "__main__":
    main()
