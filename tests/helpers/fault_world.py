"""One run's worth of real stores — PostgreSQL, S3 (moto behind a fault proxy), LanceDB — and
the ``sanitize snapshot`` subprocesses the fault tests break.

A state of staging is taken as exact bytes: every table's rows in the server's text form,
every staging object's bytes, metadata and content type, every file of the live LanceDB
directory. "Previous staging intact" means the state compares equal, byte for byte.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import sqlalchemy as sa

HERE = Path(__file__).parent
SANITIZE = Path(sys.executable).with_name("sanitize")
KEY = "fault-tests-key-0123456789abcdef"
PROD_BUCKET, STAGING_BUCKET = "ft-prod", "ft-staging"
SHADOW_MARK = "__sz_"
OBJECT_COUNT = 24

PROD_DDL = """
CREATE TABLE customers (id integer PRIMARY KEY, email text NOT NULL, name text NOT NULL);
CREATE TABLE notes (id integer PRIMARY KEY,
                    customer_id integer NOT NULL REFERENCES customers (id), body text NOT NULL);
CREATE TABLE z_audit (id integer PRIMARY KEY, actor text NOT NULL);
INSERT INTO customers SELECT g, 'user' || g || '@corp-mail.example', 'Person ' || g
  FROM generate_series(1, 200) g;
INSERT INTO notes SELECT g, 1 + mod(g, 200), 'note ' || g || ' ' || repeat('x', 1000)
  FROM generate_series(1, 6000) g;
INSERT INTO z_audit SELECT g, 'admin' || g || '@corp-mail.example' FROM generate_series(1, 50) g;
"""
Z_AUDIT = (  # dropped and put back by the "source dropped mid-run" test
    "CREATE TABLE z_audit (id integer PRIMARY KEY, actor text NOT NULL)",
    "INSERT INTO z_audit SELECT g, 'admin' || g || '@corp-mail.example' "
    "FROM generate_series(1, 50) g",
)

APP_RULES = """\
source: app
tables:
  customers: {id: keep, email: {fake: email}, name: {fake: name}}
  notes: {id: keep, customer_id: keep, body: keep}
  z_audit: {id: keep, actor: {fake: email}}
"""
FILES_RULES = """\
source: files
objects:
  "tickets/*.json": {json: {"$.email": {fake: email}, "$.**": keep}, keys: keep}
"""
MEMORY_RULES = """\
source: memory
vectors:
  memory:
    document: hash
    metadata:
      customer_email: {fake: email}
      customer_name: {fake: name}
      ticket_id: keep
      tags: keep
      context: keep
"""


BULK = (  # ~30 MB: more than loopback socket buffers hold, so a cut is felt mid-table
    "CREATE TABLE bulk (id integer PRIMARY KEY, body text NOT NULL)",
    "INSERT INTO bulk SELECT g, g || ' ' || repeat('y', 1000) FROM generate_series(1, 30000) g",
)
BULK_RULES = "  bulk: {id: keep, body: keep}\n"


def table_digest(engine: sa.Engine, table: str) -> tuple[int, str]:
    """Row count and an md5 over every row in key order: equal means the same rows."""
    with engine.connect() as conn:
        return tuple(  # type: ignore[return-value]
            conn.exec_driver_sql(
                f"SELECT count(*), md5(string_agg(x::text, ',' ORDER BY x.id)) FROM {table} x"
            ).one()
        )


def fake_embedding(text: str, dimension: int = 384) -> list[float]:
    """A fixed unit vector per text (what the loopback embeddings endpoint answers)."""
    seed = int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big")
    vector = np.random.default_rng(seed).normal(size=dimension)
    return (vector / np.linalg.norm(vector)).astype(np.float32).tolist()


def ticket(i: int) -> bytes:
    return json.dumps({"id": i, "email": f"ticket{i}@corp-mail.example", "n": "x" * 50}).encode()


def put_tickets(s3: Any, only: list[int] | None = None) -> None:
    """The production objects: JSON tickets, each holding an email address."""
    for i in only or range(OBJECT_COUNT):
        s3.put_object(
            Bucket=PROD_BUCKET, Key=f"files/tickets/t-{i:03}.json", Body=ticket(i),
            ContentType="application/json",
        )  # fmt: skip


def reset_bucket(s3: Any, bucket: str) -> None:
    pages = s3.get_paginator("list_objects_v2").paginate(Bucket=bucket)
    keys = [{"Key": item["Key"]} for page in pages for item in page.get("Contents", [])]
    for start in range(0, len(keys), 1000):
        s3.delete_objects(Bucket=bucket, Delete={"Objects": keys[start : start + 1000]})


@dataclass
class Run:
    """One ``sanitize snapshot`` process: exit code, stdout and its JSON log lines."""

    returncode: int
    stdout: str
    stderr: str

    @property
    def logs(self) -> list[dict[str, Any]]:
        return parse_logs(self.stderr)

    def messages(self) -> list[str]:
        return [line.get("message", "") for line in self.logs]

    def describe(self) -> str:
        return f"exit {self.returncode}\n--- stdout\n{self.stdout}\n--- stderr\n{self.stderr}"


def parse_logs(text: str) -> list[dict[str, Any]]:
    out = []
    for line in text.splitlines():
        if line.startswith("{"):
            with contextlib.suppress(ValueError):
                out.append(json.loads(line))
    return out


@dataclass
class Started:
    """A run in the background whose stderr is collected line by line as it comes."""

    proc: subprocess.Popen[str]
    lines: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.lines.append(line)

    def logged(self, message: str) -> bool:
        return any(message in line for line in list(self.lines))

    def finish(self, timeout: float = 240) -> Run:
        self.proc.wait(timeout=timeout)
        self.thread.join(timeout=10)
        stdout = self.proc.stdout.read() if self.proc.stdout else ""
        return Run(self.proc.returncode, stdout, "".join(self.lines))


@dataclass
class World:
    tmp: Path
    prod_url: str  # the reader role
    staging_url: str  # the staging role
    prod_admin: sa.Engine
    staging_admin: sa.Engine
    staging_role: str
    reader_role: str
    s3: Any  # a boto3 client straight to the S3 server (not through the proxy)
    s3_env: dict[str, str]  # what the CLI gets: the proxy's endpoint
    proxy: Any  # the FaultProxy in front of the S3 server
    embeddings_url: str
    prod_memory: Path
    staging_memory: Path

    # -- configs and runs --------------------------------------------------------------------
    def config(
        self, folder: str, *, sql: bool = True, objects: bool = True, vectors: bool = True,
        extra: str = "", app_rules: str = APP_RULES,
    ) -> Path:  # fmt: skip
        """A sanitize.yaml with the chosen stores, all pointing at the shared staging."""
        base = self.tmp / folder
        (base / "rules").mkdir(parents=True, exist_ok=True)
        sources, targets = [], []
        if sql:
            (base / "rules" / "app.yaml").write_text(app_rules)
            sources.append('  app: {kind: sql, url: "${FT_PROD_URL}"}')
            targets.append('  app: {kind: sql, url: "${FT_STAGING_URL}"}')
        if objects:
            (base / "rules" / "files.yaml").write_text(FILES_RULES)
            sources.append(f'  files: {{kind: objects, url: "s3://{PROD_BUCKET}/files"}}')
            targets.append(f'  files: {{kind: objects, url: "s3://{STAGING_BUCKET}/snap"}}')
        if vectors:
            (base / "rules" / "memory.yaml").write_text(MEMORY_RULES)
            sources.append(f'  memory: {{kind: lancedb, url: "{self.prod_memory}"}}')
            targets.append(f'  memory: {{kind: lancedb, url: "{self.staging_memory}"}}')
        path = base / "sanitize.yaml"
        path.write_text(
            "rules: rules/\nkey: ${SANITIZE_KEY}\nreceipts: receipts\nbatch_size: 500\n"
            "workers: 1\nobjects: {concurrency: 4}\n"
            "retries: {attempts: 5, initial_wait: 0.2, max_wait: 1}\n"
            f"embeddings: {{url: '{self.embeddings_url}', model: fixed-384}}\n"
            f"{extra}sources:\n" + "\n".join(sources) + "\ntargets:\n" + "\n".join(targets) + "\n"
        )
        return path

    def env(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("SANITIZE_", "AWS_", "FAULT_", "FT_"))
        }
        env.update(self.s3_env)
        env.update(
            SANITIZE_KEY=KEY,
            FT_PROD_URL=self.prod_url,
            FT_STAGING_URL=self.staging_url,
            HF_HUB_OFFLINE="1",
            ANONYMIZED_TELEMETRY="False",
            PYTHONUNBUFFERED="1",
        )
        env.update(extra or {})
        return env

    def command(self, config: Path, paused: bool) -> list[str]:
        head = [sys.executable, str(HERE / "paused_run.py")] if paused else [str(SANITIZE)]
        return [*head, "snapshot", "--config", str(config), "--log-format", "json", "--init"]

    def run(self, config: Path) -> Run:
        proc = subprocess.run(
            self.command(config, paused=False), cwd=config.parent, env=self.env(),
            capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        return Run(proc.returncode, proc.stdout, proc.stderr)

    def start(self, config: Path, pause_at: str | None = None, resume_file: Path | None = None):
        """A run in the background; with ``pause_at`` it waits there (see paused_run.py)."""
        extra = {"FAULT_PAUSE_AT": pause_at} if pause_at else {}
        if resume_file is not None:
            extra["FAULT_RESUME_FILE"] = str(resume_file)
        proc = subprocess.Popen(
            self.command(config, paused=pause_at is not None), cwd=config.parent,
            env=self.env(extra), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            start_new_session=True,
        )  # fmt: skip
        return Started(proc)

    # -- staging, byte for byte ------------------------------------------------------------
    def state(self) -> dict[str, Any]:
        return {"sql": self.sql_dump(), "objects": self.objects(), "vectors": self.lance_files()}

    def sql_dump(self) -> dict[str, list[str]]:
        with self.staging_admin.connect() as conn:
            tables = conn.exec_driver_sql(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
            ).scalars()
            return {
                t: list(
                    conn.exec_driver_sql(f'SELECT x::text FROM public."{t}" x ORDER BY 1').scalars()
                )
                for t in list(tables)
            }

    def objects(self, prefix: str = "snap/") -> dict[str, tuple[bytes, dict, str]]:
        out = {}
        for key in self.keys(prefix):
            got = self.s3.get_object(Bucket=STAGING_BUCKET, Key=key)
            out[key] = (got["Body"].read(), got.get("Metadata", {}), got.get("ContentType", ""))
        return out

    def keys(self, prefix: str = "") -> list[str]:
        pages = self.s3.get_paginator("list_objects_v2").paginate(
            Bucket=STAGING_BUCKET, Prefix=prefix
        )
        return sorted(item["Key"] for page in pages for item in page.get("Contents", []))

    def lance_files(self) -> dict[str, str]:
        root = self.staging_memory
        return {
            p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*"))
            if p.is_file()
        }

    def lance_records(self) -> list[dict[str, Any]]:
        import lancedb

        rows = lancedb.connect(str(self.staging_memory)).open_table("memory").to_arrow()
        return sorted(rows.drop_columns(["vector"]).to_pylist(), key=lambda r: r["id"])

    def leftovers(self) -> dict[str, list[str]]:
        """Shadows, old copies and locks a run left behind, in every store."""
        with self.staging_admin.connect() as conn:
            schemas = conn.exec_driver_sql(
                "SELECT nspname FROM pg_namespace WHERE position(%(m)s in nspname) > 0",
                {"m": SHADOW_MARK},
            ).scalars()
            sql = list(schemas)
        objects = [k for k in self.keys() if ".sanitize-" in k and k != "snap.sanitize-marker"]
        parent = self.staging_memory.parent
        vectors = sorted(p.name for p in parent.glob(f"{self.staging_memory.name}{SHADOW_MARK}*"))
        return {"sql": sql, "objects": objects, "vectors": vectors}

    def terminate(self, *conditions: str) -> int:
        """``pg_terminate_backend`` the sessions matching each condition; how many were cut."""
        cut = 0
        with self.staging_admin.connect() as conn:
            for condition in conditions:
                cut += len(
                    conn.exec_driver_sql(
                        f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE {condition}"
                    ).all()
                )
        return cut

    def execute(self, engine: sa.Engine, *statements: str) -> None:
        with engine.begin() as conn:
            for statement in statements:
                conn.exec_driver_sql(statement)
