"""SQL benchmark: PostgreSQL → PostgreSQL with structured rules, against unmasked copies.

For each size it builds a production database with ``generate_series`` (customers, orders,
events, with an FK and a unique email), then times, in the same run on the same machine:

- baseline: ``pg_dump prod | psql copy`` — an unmasked copy of the same data;
- sanitizer: ``sanitize snapshot`` with equivalent structured rules (fake, hash, shift_date,
  noise, keep), its rows/s and peak memory (max RSS of the process);
- pganonymize (from PyPI, in its own venv): the same copy followed by pganonymize with
  equivalent rules, since it anonymizes in place.

Numbers are printed as ratios to the baseline measured in the same run, and recorded (with
the raw times) in benchmarks/results.json and RESULTS.md. Needs the local PostgreSQL
(127.0.0.1:5432, trust auth). Sizes: BENCH_ROWS (default "1000000,4000000"); database names
start with BENCH_DB_PREFIX (default ``sz_bench``). It also prints (and records) the largest size's
peak memory over the smallest's.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from results import ratio, record

ROOT = Path(__file__).resolve().parent.parent
PSQL = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-v", "ON_ERROR_STOP=1"]
PGA_VENV = ROOT / ".venv-bench"
SPLIT = {"customers": 0.1, "orders": 0.5, "events": 0.4}  # share of the total rows
# pganonymize updates row by row (about 50x an unmasked copy): run it on the smaller sizes only.
PGA_MAX_ROWS = int(os.environ.get("BENCH_PGA_MAX_ROWS", "1000000"))
DB_PREFIX = os.environ.get("BENCH_DB_PREFIX", "sz_bench")  # databases this bench creates
CORES = len(os.sched_getaffinity(0))

SCHEMA = """
CREATE TABLE customers (id serial PRIMARY KEY, email varchar(254) NOT NULL UNIQUE,
  full_name varchar(200), phone varchar(40), city varchar(100), birth_date date,
  plan varchar(20) NOT NULL, created_at timestamptz NOT NULL);
CREATE TABLE orders (id bigserial PRIMARY KEY, customer_id int NOT NULL REFERENCES customers(id),
  amount numeric(12,2) NOT NULL, status varchar(20), billing_email varchar(254),
  created_at timestamptz NOT NULL);
CREATE TABLE events (id bigserial PRIMARY KEY, customer_id int REFERENCES customers(id),
  kind varchar(40) NOT NULL, ip varchar(45), at timestamptz NOT NULL, score int);
CREATE INDEX ON orders (customer_id);
CREATE INDEX ON events (customer_id, at);
"""

DATA = """
INSERT INTO customers (email, full_name, phone, city, birth_date, plan, created_at)
SELECT 'user' || g || '@corp' || (g % 97) || '.com',
       (ARRAY['Ana','Bob','Chen','Dana','Émile','Farah'])[1 + g % 6] || ' ' ||
       (ARRAY['Silva','Smith','Wang','Müller','Okafor'])[1 + g % 5],
       '+1 (' || (200 + g % 700) || ') ' || lpad((g % 1000)::text, 3, '0') || '-' ||
       lpad((g % 10000)::text, 4, '0'),
       (ARRAY['Berlin','Lyon','São Paulo','Austin'])[1 + g % 4],
       date '1950-01-01' + (g % 20000), (ARRAY['free','pro','team'])[1 + g % 3],
       timestamptz '2020-01-01' + g * interval '1 minute'
FROM generate_series(1, {customers}) g;
INSERT INTO orders (customer_id, amount, status, billing_email, created_at)
SELECT 1 + g % {customers}, (g % 100000) / 100.0, (ARRAY['paid','open','void'])[1 + g % 3],
       'user' || (1 + g % {customers}) || '@corp' || ((1 + g % {customers}) % 97) || '.com',
       timestamptz '2021-01-01' + g * interval '1 second'
FROM generate_series(1, {orders}) g;
INSERT INTO events (customer_id, kind, ip, at, score)
SELECT 1 + g % {customers}, (ARRAY['login','view','click','logout'])[1 + g % 4],
       '10.' || (g % 250) || '.' || (g % 200) || '.' || (g % 100),
       timestamptz '2022-01-01' + g * interval '1 second', g % 1000
FROM generate_series(1, {events}) g;
ANALYZE;
"""

RULES = """source: app
tables:
  customers:
    id: keep
    email: {fake: email, unique: true}
    full_name: {fake: name}
    phone: {fake: phone}
    city: {fake: city}
    birth_date: {shift_date: {max_days: 180}}
    plan: keep
    created_at: keep
  orders:
    id: keep
    customer_id: keep
    amount: {noise: {ratio: 0.05}}
    status: keep
    billing_email: {fake: email}
    created_at: {shift_date: {max_days: 30}}
  events:
    id: keep
    customer_id: keep
    kind: keep
    ip: {fake: ip}
    at: keep
    score: keep
"""

PGA_RULES = """tables:
  - customers:
      primary_key: id
      fields:
        - email: {provider: {name: fake.unique.email}}
        - full_name: {provider: {name: fake.name}}
        - phone: {provider: {name: fake.phone_number}}
        - city: {provider: {name: fake.city}}
        - birth_date: {provider: {name: fake.date_of_birth}}
  - orders:
      primary_key: id
      fields:
        - amount:
            provider:
              name: fake.pydecimal
              kwargs: {left_digits: 5, right_digits: 2, positive: true}
        - billing_email: {provider: {name: fake.email}}
        - created_at: {provider: {name: fake.date_time}}
  - events:
      primary_key: id
      fields:
        - ip: {provider: {name: fake.ipv4}}
"""


def psql(db: str, sql: str) -> None:
    subprocess.run([*PSQL, "-d", db, "-c", sql], check=True)


def recreate(db: str) -> None:
    psql("postgres", f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")
    psql("postgres", f"CREATE DATABASE {db}")


def build_prod(db: str, total: int) -> None:
    recreate(db)
    counts = {name: int(total * share) for name, share in SPLIT.items()}
    subprocess.run([*PSQL, "-d", db], input=SCHEMA + DATA.format(**counts), text=True, check=True)


def timed(command: str, env: dict[str, str] | None = None) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of a shell command's process tree."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    subprocess.run(command, shell=True, check=True, env=env, stdout=subprocess.DEVNULL)
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, peak if peak > before else 0


def peak_rss(command: list[str], env: dict[str, str]) -> tuple[float, int]:
    """Wall seconds and max RSS of one command, measured by a fresh helper process."""
    probe = (
        "import resource, subprocess, sys, time;"
        "t = time.perf_counter(); subprocess.run(sys.argv[1:], check=True,"
        " stdout=subprocess.DEVNULL);"
        "print(time.perf_counter() - t,"
        " resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe, *command], env=env, check=True, capture_output=True, text=True
    ).stdout.split()
    return float(out[0]), int(out[1])


def sanitize_command() -> Path:
    """The checkout's own ``sanitize`` (``.venv``), else the one beside this interpreter."""
    local = ROOT / ".venv" / "bin" / "sanitize"
    return local if local.exists() else Path(sys.executable).with_name("sanitize")


def ensure_pganonymize() -> Path | None:
    """pganonymize in its own venv (it needs psycopg2); None if it cannot be installed."""
    binary = PGA_VENV / "bin" / "pganonymize"
    if binary.exists():
        return binary
    try:
        subprocess.run([sys.executable, "-m", "venv", str(PGA_VENV)], check=True)
        pip = [str(PGA_VENV / "bin" / "python"), "-m", "pip", "install", "-q"]
        subprocess.run(
            [*pip, "psycopg2-binary", "pgcopy", "parmap", "tqdm", "faker", "pyyaml"], check=True
        )
        subprocess.run([*pip, "--no-deps", "pganonymize==0.13.0"], check=True)
    except subprocess.CalledProcessError:
        return None
    return binary


def run_size(total: int, work: Path, pga: Path | None) -> dict[str, float]:
    prod, copy, staging, pga_db = (
        f"{DB_PREFIX}_{name}" for name in ("prod", "copy", "staging", "pga")
    )
    print(f"\n== {total:,} rows: building production …", flush=True)
    build_prod(prod, total)
    rows = sum(int(total * share) for share in SPLIT.values())

    recreate(copy)
    base, _ = timed(
        f"pg_dump -h 127.0.0.1 -U postgres {prod} | psql -h 127.0.0.1 -U postgres -q -d {copy}"
    )

    recreate(staging)
    (work / "rules").mkdir(exist_ok=True)
    (work / "rules" / "app.yaml").write_text(RULES)
    (work / "sanitize.yaml").write_text(
        "rules: rules/\nkey: ${SANITIZE_KEY}\nreceipts: receipts\nbatch_size: 20000\n"
        "sources:\n  app: {kind: sql, url: 'postgresql+psycopg://postgres@127.0.0.1/"
        f"{prod}'}}\ntargets:\n  app: {{kind: sql, url: 'postgresql+psycopg://postgres@"
        f"127.0.0.1/{staging}'}}\n"
    )
    env = {**os.environ, "SANITIZE_KEY": "bench-key-0123456789abcdef"}
    ours, rss = peak_rss(
        [
            str(sanitize_command()),
            "snapshot",
            "--config",
            str(work / "sanitize.yaml"),
            "--log-format",
            "json",
            "--init",  # the staging database was just created, empty: adopt it
        ],
        env,
    )
    result = {"rows": rows, "baseline_s": base, "sanitizer_s": ours, "peak_mib": rss / 1024}
    if pga is not None and total <= PGA_MAX_ROWS:
        recreate(pga_db)
        (work / "pga.yaml").write_text(PGA_RULES)
        pga_s, _ = timed(
            f"pg_dump -h 127.0.0.1 -U postgres {prod} | psql -h 127.0.0.1 -U postgres -q "
            f"-d {pga_db} && {pga} --schema {work / 'pga.yaml'} --dbname {pga_db} "
            "--user postgres --host 127.0.0.1"
        )
        result["pganonymize_s"] = pga_s
    for db in (prod, copy, staging, pga_db):
        psql("postgres", f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")
    return result


def main() -> None:
    sizes = [int(s) for s in os.environ.get("BENCH_ROWS", "1000000,4000000").split(",")]
    pga = ensure_pganonymize() if any(t <= PGA_MAX_ROWS for t in sizes) else None
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for total in sizes:
            results.append(run_size(total, Path(tmp), pga))
    print("\nrows        baseline  sanitizer  ratio  rows/s     peak MiB  pganonymize  ratio")
    for r in results:
        pga_s = r.get("pganonymize_s")
        pga_cols = f"{pga_s:9.1f}s  {pga_s / r['baseline_s']:5.2f}x" if pga_s else "  skipped"
        print(
            f"{r['rows']:<10,}  {r['baseline_s']:7.1f}s  {r['sanitizer_s']:8.1f}s  "
            f"{r['sanitizer_s'] / r['baseline_s']:5.2f}x  {r['rows'] / r['sanitizer_s']:9,.0f}"
            f"  {r['peak_mib']:8.0f}  {pga_cols}"
        )
    print("ratio = wall time / unmasked pg_dump | psql of the same data, same run.")
    memory = memory_ratio(results)
    if memory is not None:
        print(f"peak memory, largest size / smallest size: {memory:.2f}x (cores: {CORES})")
    record(
        "sql",
        baseline="pg_dump | psql, an unmasked copy of the same data",
        rows=[_row(r) for r in results],
        params={
            "BENCH_ROWS": ",".join(map(str, sizes)),
            "BENCH_PGA_MAX_ROWS": PGA_MAX_ROWS,
            "memory_ratio_largest_to_smallest": memory,
            "cores": CORES,
        },
    )


def memory_ratio(results: list[dict[str, float]]) -> float | None:
    """Peak RSS of the largest size over the smallest's (flat memory: close to 1)."""
    if len(results) < 2:
        return None
    ordered = sorted(results, key=lambda r: r["rows"])
    return ratio(ordered[-1]["peak_mib"], ordered[0]["peak_mib"])


def _row(r: dict[str, float]) -> dict[str, object]:
    """One size's raw numbers and ratios, for the results file."""
    pga_s = r.get("pganonymize_s")
    return {
        "rows": r["rows"],
        "baseline_s": round(r["baseline_s"], 2),
        "sanitizer_s": round(r["sanitizer_s"], 2),
        "ratio": ratio(r["sanitizer_s"], r["baseline_s"]),
        "rows_per_s": round(r["rows"] / r["sanitizer_s"]),
        "peak_mib": round(r["peak_mib"]),
        "pganonymize_s": round(pga_s, 2) if pga_s else None,
        "pganonymize_ratio": ratio(pga_s, r["baseline_s"]) if pga_s else None,
    }


if __name__ == "__main__":
    main()
