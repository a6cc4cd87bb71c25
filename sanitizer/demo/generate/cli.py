"""`python -m sanitizer.demo.generate`: build the demo production database from the shell."""

from __future__ import annotations

import argparse
import sqlite3
import time
from collections.abc import Sequence
from contextlib import closing
from pathlib import Path

from sanitizer.demo.generate.build import build_bucket, build_demo
from sanitizer.demo.generate.schema import TABLES

DEFAULT_PATH = Path("demo/prod/app.db")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m sanitizer.demo.generate",
        description="Build the demo production SQLite database.",
    )
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT_PATH)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument(
        "--if-missing",
        action="store_true",
        help="leave an existing database alone (so `make demo` can re-run)",
    )
    return parser


def outdated(path: Path) -> bool:
    """A demo database built before a table the rules now cover (integrations): rebuild it,
    or the run would stop on rules for a table production does not have."""
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
            names = {n for (n,) in conn.execute("SELECT name FROM sqlite_master")}
    except sqlite3.Error:
        return False  # not a database: left alone, as before
    return bool(names) and not set(TABLES) <= names


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.if_missing and args.path.exists() and not outdated(args.path):
        if not (args.path.parent / "files").exists():  # a database from before the bucket
            build_bucket(args.path, seed=args.seed, scale=args.scale)
        print(f"{args.path} exists; not rebuilt")
        return 0
    started = time.perf_counter()
    counts = build_demo(args.path, seed=args.seed, scale=args.scale)
    for table, rows in counts.items():
        print(f"{table:26} {rows:>8}")
    print(
        f"{'total':26} {sum(counts.values()):>8}  ({time.perf_counter() - started:.1f}s) "
        f"-> {args.path}"
    )
    return 0
