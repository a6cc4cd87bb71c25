"""PostgreSQL's ``COPY … TO STDOUT`` read straight from libpq, for the runs' bulk reads.

psycopg's own COPY object goes through its wait loop once per row: about half the cost of
reading a million rows. Production's extraction and the leak check's read back of the
shadow both read this way (docs/benchmarks.md, issue 16).
"""

from __future__ import annotations

import select
from collections.abc import Iterator

import psycopg
from psycopg import pq


def copy_out(driver: psycopg.Connection, sql: str) -> Iterator[bytes]:
    """The rows of ``COPY … TO STDOUT`` straight from libpq: psycopg's own COPY object goes
    through its wait loop once per row, about half of reading a million rows back. The
    connection is left idle, as psycopg's would be (rows not read are drained first)."""
    pgconn, encoding = driver.pgconn, driver.info.encoding
    pgconn.send_query(sql.encode(encoding))
    while (unsent := pgconn.flush()) > 0:  # non-blocking: the query may go out in parts
        select.select([], [pgconn.socket], [])
    if unsent < 0:
        raise psycopg.OperationalError(pgconn.get_error_message(encoding))
    result = pgconn.get_result()
    if result is None or result.status != pq.ExecStatus.COPY_OUT:
        _drain(pgconn)
        raise psycopg.errors.error_from_result(result, encoding) if result else psycopg.Error()
    done = False
    try:
        while (got := pgconn.get_copy_data(0))[0] > 0:
            yield bytes(got[1])
        done = True
        if got[0] == -2:
            raise psycopg.OperationalError(pgconn.get_error_message(encoding))
    finally:
        while not done and pgconn.get_copy_data(0)[0] > 0:
            pass  # the consumer stopped early: the rest of the rows, unread
        final = _drain(pgconn)
    if final is not None and final.status != pq.ExecStatus.COMMAND_OK:
        raise psycopg.errors.error_from_result(final, encoding)


def _drain(pgconn: pq.abc.PGconn) -> pq.abc.PGresult | None:
    """Every result left on the connection (the first kept: an error, or COPY's end)."""
    first = pgconn.get_result()
    while pgconn.get_result() is not None:
        pass
    return first
