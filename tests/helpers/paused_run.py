"""``sanitize`` exactly as installed, held still at one point of the run so a test can act there.

``FAULT_PAUSE_AT`` names the point: ``sql:TABLE:N`` (after N batches of TABLE were committed
to the SQL shadow), ``batch:TABLE:N`` (inside the N-th batch's transaction, before its ``COPY``),
``objects:N``  (after N objects were written to the S3 shadow),
``vectors:N`` (after N batches were written to the LanceDB shadow) or ``swap`` (verification
passed, nothing swapped yet). There the run logs ``paused for the test`` (a JSON line like
every other) and waits: forever — to be SIGKILLed — or until ``FAULT_RESUME_FILE`` exists.
Nothing else of the run is changed.
"""

from __future__ import annotations

import functools
import logging
import os
import sys
import threading
import time
from pathlib import Path
from typing import Any

AT = os.environ["FAULT_PAUSE_AT"]
RESUME = os.environ.get("FAULT_RESUME_FILE")


def pause() -> None:
    logging.getLogger("sanitizer").warning("paused for the test", extra={"pause_at": AT})
    while not (RESUME and Path(RESUME).exists()):
        time.sleep(0.05)


def after_calls(owner: type, method: str, count: int, matches: Any = None) -> None:
    """Pause once, right after the ``count``-th matching call of ``owner.method``."""
    original = getattr(owner, method)
    seen = [0]

    @functools.wraps(original)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        result = original(self, *args, **kwargs)
        if matches is None or matches(*args):
            seen[0] += 1
            if seen[0] == count:
                pause()
        return result

    setattr(owner, method, wrapper)


def before_call(owner: type, method: str) -> None:
    original = getattr(owner, method)

    @functools.wraps(original)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        pause()
        return original(self, *args, **kwargs)

    setattr(owner, method, wrapper)


def inside_batch(table: str, count: int) -> None:
    """Pause in the ``count``-th batch of ``table``: its transaction open on the server, its
    ``COPY`` about to start."""
    import sqlalchemy as sa

    from sanitizer.load.sql.postgres import PostgresTarget

    armed = threading.local()
    insert, execute = PostgresTarget.insert_batch, sa.Connection.exec_driver_sql
    seen = [0]

    def insert_batch(self: Any, target: Any, batch: Any) -> None:
        seen[0] += target.name == table
        armed.on = target.name == table and seen[0] == count  # a retry is call count + 1
        try:
            insert(self, target, batch)
        finally:
            armed.on = False

    def exec_driver_sql(self: Any, statement: str, *args: Any, **kwargs: Any) -> Any:
        result = execute(self, statement, *args, **kwargs)
        if getattr(armed, "on", False) and statement.startswith("SET LOCAL"):
            armed.on = False
            pause()
        return result

    PostgresTarget.insert_batch = insert_batch  # type: ignore[method-assign]
    sa.Connection.exec_driver_sql = exec_driver_sql  # type: ignore[method-assign]


def install() -> None:
    kind, *rest = AT.split(":")
    if kind == "batch":
        inside_batch(rest[0], int(rest[1]))
    elif kind == "sql":
        from sanitizer.load.sql.postgres import PostgresTarget

        table, count = rest
        after_calls(PostgresTarget, "insert_batch", int(count), lambda t, _b: t.name == table)
    elif kind == "objects":
        from sanitizer.load.objects.s3 import S3Target

        after_calls(S3Target, "put", int(rest[0]))
    elif kind == "vectors":
        from sanitizer.load.vectors.lancedb import LanceTarget

        after_calls(LanceTarget, "write", int(rest[0]))
    elif kind == "swap":
        from sanitizer.load.objects.s3 import S3Target

        before_call(S3Target, "swap")  # the first step of the swap (objects go first)
    else:
        raise SystemExit(f"unknown FAULT_PAUSE_AT {AT!r}")


if __name__ == "__main__":
    install()
    from sanitizer.cli import main

    sys.argv[0] = "sanitize"
    main()
