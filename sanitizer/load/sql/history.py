"""Staging's own bookkeeping: the marker that says sanitizer owns a target, and the run history.

The marker is the credentials boundary: sanitizer writes only into a target that carries it (or
one it creates), so a mistyped URL pointing at a database with someone's data is refused
instead of replaced. The run history answers "what did last night's run do" from staging
itself: one row per run — started, finished, status, counts and verification as JSON, never a
value. A run writes ``running`` first; a run killed before it could finish leaves that row,
and the next run (holding the lock, so it is the only one) marks it ``killed``.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import sqlalchemy as sa

MARKER, RUNS = "sanitizer_marker", "sanitizer_runs"
META_TABLES = (MARKER, RUNS)


def meta_tables(schema: str | None) -> tuple[sa.Table, sa.Table]:
    metadata = sa.MetaData(schema=schema)
    marker = sa.Table(
        MARKER,
        metadata,
        sa.Column("target", sa.String(200), primary_key=True),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("created_by_run", sa.String(60), nullable=False),
        sa.Column("tool_version", sa.String(40), nullable=False),
    )
    runs = sa.Table(
        RUNS,
        metadata,
        sa.Column("run_id", sa.String(60), primary_key=True),
        sa.Column("started_at", sa.String(40), nullable=False),
        sa.Column("finished_at", sa.String(40)),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("tool_version", sa.String(40)),
        sa.Column("rules_digest", sa.String(80)),
        sa.Column("key_id", sa.String(80)),
        sa.Column("summary", sa.Text),  # counts and verification as JSON, never values
        sa.Column("error", sa.Text),
    )
    return marker, runs


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class History:
    """The marker and run-history tables of one target, in its live (never swapped) place."""

    def __init__(self, engine: sa.Engine, schema: str | None, target: str) -> None:
        self.engine = engine
        self.schema = schema
        self.target = target
        self.marker, self.runs = meta_tables(schema)

    def has_marker(self) -> bool:
        with self.engine.connect() as conn:
            if not sa.inspect(conn).has_table(MARKER, schema=self.schema):
                return False
            return conn.execute(sa.select(sa.func.count()).select_from(self.marker)).scalar() > 0

    def create(self, run_id: str, version: str) -> None:
        """Create the tables (and the schema they live in) and write the marker."""
        with self.engine.begin() as conn:
            if self.schema:
                conn.execute(sa.schema.CreateSchema(self.schema, if_not_exists=True))
            self.marker.metadata.create_all(conn)
            if not conn.execute(sa.select(self.marker.c.target)).first():
                values = {"target": self.target, "created_at": now(), "created_by_run": run_id}
                conn.execute(self.marker.insert().values(tool_version=version, **values))

    def start(self, run_id: str, info: dict[str, Any]) -> list[str]:
        """Record this run as running; returns the ids of runs found killed (stale)."""
        with self.engine.begin() as conn:
            stale = list(
                conn.execute(
                    sa.select(self.runs.c.run_id).where(self.runs.c.status == "running")
                ).scalars()
            )
            if stale:
                conn.execute(
                    self.runs.update()
                    .where(self.runs.c.run_id.in_(stale))
                    .values(status="killed", error="the run stopped before it finished")
                )
            conn.execute(
                self.runs.insert().values(run_id=run_id, started_at=now(), status="running", **info)
            )
        return stale

    def finish(self, run_id: str, status: str, summary: dict[str, Any], error: str = "") -> None:
        with self.engine.begin() as conn:
            conn.execute(
                self.runs.update()
                .where(self.runs.c.run_id == run_id)
                .values(
                    finished_at=now(),
                    status=status,
                    summary=json.dumps(summary, sort_keys=True, default=str),
                    error=error or None,
                )
            )

    def recent(self, limit: int = 20) -> list[dict[str, Any]]:
        """The latest runs, newest first (empty when the target has no history yet)."""
        with self.engine.connect() as conn:
            if not sa.inspect(conn).has_table(RUNS, schema=self.schema):
                return []
            rows = conn.execute(
                sa.select(self.runs).order_by(self.runs.c.started_at.desc()).limit(limit)
            )
            return [dict(row._mapping) for row in rows]
