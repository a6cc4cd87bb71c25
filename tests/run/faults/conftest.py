"""Fixtures for the fault-injection tests: real PostgreSQL, a real S3 server (moto) behind a
fault proxy and LanceDB directories, all on loopback.

One module-scoped world per test file: the prod stores are filled once, a first run puts a
good snapshot into staging, and each test breaks a run and checks that snapshot is intact.
A server that is down makes the tests error — never skip.
"""

from __future__ import annotations

import json
import os
import secrets
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import sqlalchemy as sa
from helpers import fault_world as fw
from helpers import memory_corpus as vc
from helpers.fault_proxy import FaultProxy

os.environ.setdefault("HF_HUB_OFFLINE", "1")
PG = "postgresql+psycopg://{user}@127.0.0.1:5432/{db}"


@pytest.fixture(scope="session")
def s3_server() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


@pytest.fixture(scope="session")
def embeddings_url() -> Iterator[str]:
    """An OpenAI-style /v1/embeddings on loopback answering a fixed vector per text, so a run
    need not load a model (the vector tests cover the real one)."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            data = [
                {"index": i, "embedding": fw.fake_embedding(text)}
                for i, text in enumerate(body["input"])
            ]
            answer = json.dumps({"object": "list", "data": data, "model": body["model"]})
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(answer.encode())

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def proxy(s3_server: str) -> Iterator[FaultProxy]:
    fault_proxy = FaultProxy(s3_server).start()
    try:
        yield fault_proxy
    finally:
        fault_proxy.stop()


@pytest.fixture(scope="session")
def s3(s3_server: str) -> Any:
    import boto3

    return boto3.client(
        "s3", endpoint_url=s3_server, aws_access_key_id="testing",
        aws_secret_access_key="testing", region_name="us-east-1",
    )  # fmt: skip


def s3_env(proxy: FaultProxy) -> dict[str, str]:
    return {
        "AWS_ENDPOINT_URL": proxy.url,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }


@pytest.fixture(scope="module")
def world(
    tmp_path_factory: pytest.TempPathFactory, s3: Any, proxy: FaultProxy, embeddings_url: str
) -> Iterator[fw.World]:
    """Prod and staging in every store, and a first good run in staging."""
    prefix = f"sz_ft_{secrets.token_hex(3)}"
    reader, staging = f"{prefix}_reader", f"{prefix}_staging"
    prod_db, staging_db = f"{prefix}_prod", f"{prefix}_staging"
    server = sa.create_engine(
        PG.format(user="postgres", db="postgres"), isolation_level="AUTOCOMMIT"
    )
    engines = [server]
    tmp = tmp_path_factory.mktemp("faults")
    try:
        with server.connect() as conn:
            for role in (reader, staging):
                conn.exec_driver_sql(f'CREATE ROLE "{role}" LOGIN')
            conn.exec_driver_sql(f'CREATE DATABASE "{prod_db}"')
            conn.exec_driver_sql(f'CREATE DATABASE "{staging_db}" OWNER "{staging}"')
        prod_admin = sa.create_engine(PG.format(user="postgres", db=prod_db))
        staging_admin = sa.create_engine(PG.format(user="postgres", db=staging_db))
        engines += [prod_admin, staging_admin]
        with prod_admin.begin() as conn:
            for statement in fw.PROD_DDL.split(";"):
                if statement.strip():
                    conn.exec_driver_sql(statement)
            conn.exec_driver_sql(f'GRANT SELECT ON ALL TABLES IN SCHEMA public TO "{reader}"')
            conn.exec_driver_sql(
                f'ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO "{reader}"'
            )
        buckets = [b["Name"] for b in s3.list_buckets().get("Buckets", [])]
        for bucket in (fw.PROD_BUCKET, fw.STAGING_BUCKET):
            if bucket not in buckets:
                s3.create_bucket(Bucket=bucket)
        fw.reset_bucket(s3, fw.STAGING_BUCKET)
        fw.reset_bucket(s3, fw.PROD_BUCKET)
        fw.put_tickets(s3)
        vc.write_lance(tmp / "prod-memory", "memory", vc.records())
        world = fw.World(
            tmp=tmp,
            prod_url=PG.format(user=reader, db=prod_db),
            staging_url=PG.format(user=staging, db=staging_db),
            prod_admin=prod_admin,
            staging_admin=staging_admin,
            staging_role=staging,
            reader_role=reader,
            s3=s3,
            s3_env=s3_env(proxy),
            proxy=proxy,
            embeddings_url=embeddings_url,
            prod_memory=tmp / "prod-memory",
            staging_memory=tmp / "staging-memory",
        )
        first = world.run(world.config("main"))
        assert first.returncode == 0, first.describe()
        yield world
    finally:
        proxy.clear()
        for engine in engines[1:]:
            engine.dispose()
        with server.connect() as conn:
            for database in (prod_db, staging_db):
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
            for role in (reader, staging):
                conn.exec_driver_sql(f'DROP ROLE IF EXISTS "{role}"')
        server.dispose()
