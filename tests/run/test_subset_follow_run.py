"""Files and memories follow the SQL rows staging keeps (docs/subsetting_follow.md).

The real command runs on a SQLite production with a local folder and LanceDB, with a moto S3
server and a ``chroma run`` server on loopback, and on a PostgreSQL production. The SQL source
has no subset of its own, so the kept rows are every row: the files and memories of deleted
rows (orphans) must be absent from staging, everything tied to a row present and masked with
the same pseudonyms as the row.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from helpers import follow_world as sw
from helpers import leak_world as lh
from helpers.servers import s3_client, serve_chroma, serve_s3
from helpers.snapshot_runs import pg_url

from sanitizer.errors import ExitCode

WORLDS = ["local-lancedb", "s3-chroma", "postgres-local-lancedb"]


@pytest.fixture(scope="module")
def s3_env() -> Iterator[dict[str, str]]:
    yield from serve_s3()


@pytest.fixture(scope="module")
def chroma_urls(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    prod = serve_chroma(tmp_path_factory.mktemp("chroma-prod"))
    staging = serve_chroma(tmp_path_factory.mktemp("chroma-staging"))
    yield next(prod), next(staging)
    for server in (prod, staging):
        next(server, None)  # runs the generator's cleanup: the server stops


@pytest.fixture(scope="module")
def postgres_databases() -> Iterator[tuple[str, str]]:
    """A production and a staging database on the loopback PostgreSQL, dropped afterwards."""
    prefix = f"subset_follow_{secrets.token_hex(3)}"
    server = sa.create_engine(pg_url("postgres", "postgres"), isolation_level="AUTOCOMMIT")
    names = (f"{prefix}_prod", f"{prefix}_staging")
    with server.connect() as conn:
        for name in names:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield pg_url("postgres", names[0]), pg_url("postgres", names[1])
    finally:
        with server.connect() as conn:
            for name in names:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        server.dispose()


def make_stores(kind: str, folder: Path, request: pytest.FixtureRequest) -> lh.Stores:
    """Production stores with the world's objects and memories; staging empty."""
    if kind.endswith("local-lancedb"):
        stores = lh.Stores.local(folder)
        lh.put_local(Path(stores.files), sw.OBJECTS)
    else:
        env = request.getfixturevalue("s3_env")
        s3 = s3_client(env)
        bucket = folder.name.lower().replace("_", "-")[:40]
        for name in (f"{bucket}-prod", f"{bucket}-staging"):
            s3.create_bucket(Bucket=name)
        prod, staging = request.getfixturevalue("chroma_urls")
        stores = lh.Stores(
            f"s3://{bucket}-prod/files", f"s3://{bucket}-staging/snap", "chroma", prod, staging, env
        )
        lh.put_s3(s3, stores.files, sw.OBJECTS)
    lh.write_memories(stores.vectors_kind, stores.vectors, sw.MEMORIES, "memories")
    lh.write_memories(stores.vectors_kind, stores.vectors, sw.NOTES, "notes")
    return stores


def staging_objects(stores: lh.Stores) -> dict[str, bytes]:
    """Staging's live objects by key (relative to the target), lock files left out."""
    if stores.files_staging.startswith("s3://"):
        s3 = s3_client(stores.env)
        prefix = stores.files_staging[len("s3://") :].partition("/")[2]
        every = lh.read_s3(s3, stores.files_staging)
        return {
            k[len(prefix) + 1 :]: v
            for k, v in every.items()
            if k.startswith(f"{prefix}/") and not k.endswith(".sanitize.lock")
        }
    root = Path(stores.files_staging)
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in root.rglob("*")
        if p.is_file() and not p.name.endswith(".sanitize.lock")
    }


@pytest.fixture(scope="module", params=WORLDS)
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Any]]:
    folder = tmp_path_factory.mktemp(f"follow-{request.param}")
    stores = make_stores(request.param, folder, request)
    postgres = request.param.startswith("postgres")
    sql = request.getfixturevalue("postgres_databases") if postgres else None
    project = sw.write_project(folder, stores, sql=sql)
    options = ("--init",) if postgres else ()  # adopts the new, empty staging database
    result = lh.sanitize(project.config, "snapshot", stores.env, *options)
    assert result.returncode == 0, result.describe()
    receipt = json.loads(sorted((folder / "receipts").glob("*.json"))[-1].read_text())
    yield {"stores": stores, "project": project, "receipt": receipt, "output": result.stdout}
    for name in ("memories", "notes"):
        lh.drop_memories(stores.vectors_kind, stores.vectors, name)


def test_only_the_files_of_kept_rows_reach_staging(world: dict[str, Any]) -> None:
    objects = staging_objects(world["stores"])
    keys = set(objects)
    assert len(keys) == len(sw.KEPT_KEYS)
    assert not any(str(sw.ORPHAN_TICKET) in k for k in keys)  # the deleted ticket's folder
    assert b"\x89PNG-ghost" not in objects.values()  # the deleted contact's avatar
    assert b"orphan scan\n" not in objects.values()
    assert "docs/handbook.txt" in keys  # no pattern matches it: copied as usual
    assert {k for k in keys if k.startswith("exports/")} == {"exports/a.json"}  # by $.ticket.id
    assert "tickets/10/attachments/2024/scan.txt" in keys  # ** follows any depth
    assert {k for k in keys if k.startswith("tickets/")} == {
        k for k in sw.KEPT_KEYS if k.startswith("tickets/")
    }


def test_the_receipt_counts_production_and_kept(world: dict[str, Any]) -> None:
    sources = world["receipt"]["sources"]
    assert sources["files"]["subset"] == {
        "production": len(sw.OBJECTS),
        "kept": len(sw.KEPT_KEYS),
        "patterns": {
            "tickets/{id}/**": {"matched": 6, "kept": 4},
            "users/{email}/**": {"matched": 2, "kept": 1},
            "exports/*.json": {"matched": 3, "kept": 1},
        },
    }
    assert sources["memory"]["subset"] == {"memories": {"production": 4, "kept": 2}}
    collections = world["receipt"]["collections"]
    assert collections["memory.memories"]["rows_in"] == 2
    assert collections["memory.memories"]["rows_out"] == 2
    assert collections["memory.notes"]["rows_out"] == 1  # not named: kept whole
    assert "files: the subset keeps 7 of 12 objects" in world["output"]
    assert "memory.memories: the subset keeps 2 of 4 records" in world["output"]


def test_memories_follow_their_customer(world: dict[str, Any]) -> None:
    stores = world["stores"]
    memories = lh.read_memories(stores.vectors_kind, stores.vectors_staging, "memories")
    assert sorted(m["id"] for m in memories) == ["m-1", "m-2"]  # ghost and unattributed: out
    notes = lh.read_memories(stores.vectors_kind, stores.vectors_staging, "notes")
    assert [n["id"] for n in notes] == ["n-1"]


def test_a_followed_file_and_memory_carry_the_rows_pseudonym(world: dict[str, Any]) -> None:
    """The run's key is shared: Ann's masked email is the same fake in the SQL row, in her
    ticket's file and in her memory's metadata."""
    fakes = sw.staging_emails(world["project"].staging_url)
    ann, bob = fakes[1], fakes[2]
    assert ann != sw.ANN and bob != sw.BOB
    objects = staging_objects(world["stores"])
    assert json.loads(objects["tickets/10/ticket.json"])["requester"]["email"] == ann
    assert json.loads(objects["tickets/12/ticket.json"])["requester"]["email"] == ann
    assert json.loads(objects["tickets/11/ticket.json"])["requester"]["email"] == bob
    stores = world["stores"]
    memories = lh.read_memories(stores.vectors_kind, stores.vectors_staging, "memories")
    by_id = {m["id"]: m["customer_email"] for m in memories}
    assert by_id == {"m-1": ann, "m-2": bob}


def test_a_wrong_column_stops_the_run_before_anything_is_written(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    stores = make_stores("local-lancedb", tmp_path, request)
    subset = sw.SUBSET.replace("app.contacts.email\n", "app.contact.email\n", 1)
    project = sw.write_project(tmp_path, stores, subset)
    result = lh.sanitize(project.config, "snapshot", stores.env)
    assert result.returncode == ExitCode.CONFIG, result.describe()
    assert (
        "sanitize.yaml:17: app.contact.email" in result.output
        and "table 'contact'" in result.output
    )
    assert "did you mean 'contacts'" in result.output
    assert not Path(stores.files_staging).exists()


def test_a_dry_run_counts_the_files_that_follow(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    stores = make_stores("local-lancedb", tmp_path, request)
    project = sw.write_project(tmp_path, stores)
    result = lh.sanitize(project.config, "snapshot", stores.env, "--dry-run")
    assert result.returncode == 0, result.describe()
    assert "files: the subset keeps 7 of 12 objects" in result.stdout
    assert "memory.memories: the subset keeps 2 of 4 records" in result.stdout
    assert not Path(stores.files_staging).exists()
    assert not Path(stores.vectors_staging).exists()
