"""``sanitize verify`` over objects and vector records: a clean staging passes; a production
value planted in an object's contents or key, or in a vector document or metadata, is found
with the leak exit code, and the output names where — never the value."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import leak_world as lh

from sanitizer.errors import ExitCode

WORLDS = ["local-lancedb", "s3-chroma"]


@pytest.fixture(scope="module", params=WORLDS)
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict]:
    """Production stores, one clean snapshot run into staging, and the config."""
    folder = tmp_path_factory.mktemp(request.param)
    if request.param == "local-lancedb":
        stores = lh.Stores.local(folder)
        lh.put_local(Path(stores.files), lh.OBJECTS)
    else:
        s3 = request.getfixturevalue("s3")
        env = request.getfixturevalue("s3_env")
        for bucket in ("verify-prod", "verify-staging"):
            s3.create_bucket(Bucket=bucket)
        stores = lh.Stores(
            "s3://verify-prod/files",
            "s3://verify-staging/snap",
            "chroma",
            request.getfixturevalue("chroma_prod"),
            request.getfixturevalue("chroma_staging"),
            env,
        )
        lh.put_s3(s3, stores.files, lh.OBJECTS, lh.METADATA)
    lh.write_memories(stores.vectors_kind, stores.vectors, lh.MEMORIES)
    config = lh.write_config(folder, stores)
    result = lh.sanitize(config, "snapshot", stores.env)
    assert result.returncode == 0, result.describe()
    receipt = json.loads(sorted((folder / "receipts").glob("*.json"))[-1].read_text())
    yield {"config": config, "stores": stores, "receipt": receipt, "kind": request.param}
    lh.drop_memories(stores.vectors_kind, stores.vectors)


def test_a_clean_run_checks_objects_and_vectors_and_verify_passes(world: dict) -> None:
    check = world["receipt"]["verification"]["leak_check"]
    # emails, names and the account of the objects and the records are all tracked
    assert check["values_tracked"] >= 5 and check["hits"] == 0
    assert check["staging_values_scanned"] >= 10
    result = lh.sanitize(world["config"], "verify", world["stores"].env)
    assert result.returncode == 0, result.describe()
    assert "none found" in result.stdout


def test_planted_values_are_found_and_named_without_the_value(
    world: dict, request: pytest.FixtureRequest
) -> None:
    stores: lh.Stores = world["stores"]
    planted = {
        "notes/planted.txt": f"escalated by {lh.JANE_EMAIL}\n".encode(),
        f"users/{lh.OMAR_EMAIL}/avatar.png": b"\x89PNG\r\n\x1a\n-binary-",
        "exports/planted.json": json.dumps({"owner": {"name": lh.JANE}}).encode(),
    }
    if world["kind"] == "local-lancedb":
        lh.put_local(Path(stores.files_staging), planted)
    else:
        lh.put_s3(request.getfixturevalue("s3"), stores.files_staging, planted)
    _plant_record(stores)

    result = lh.sanitize(world["config"], "verify", stores.env)

    assert result.returncode == ExitCode.LEAK, result.describe()
    for place in (
        "files:notes/planted.txt (line 1)",
        "files:users/*/avatar.png (key)",
        "files:exports/planted.json ($.owner.name)",
        "memory.memories.document (id=m-planted)",
        "memory.memories.metadata.customer_email (id=m-planted)",
    ):
        assert place in result.stderr, result.describe()
    assert lh.leaked(result.output) == []


def _plant_record(stores: lh.Stores) -> None:
    """A staging record whose document holds the exports' account and whose metadata holds
    a production email (both masked in production, so never in staging)."""
    document = f"Account {lh.ACCOUNT} was flagged."
    if stores.vectors_kind == "lancedb":
        import lancedb

        table = lancedb.connect(stores.vectors_staging).open_table("memories")
        row: dict[str, Any] = table.to_arrow().to_pylist()[0]
        row.update(id="m-planted", document=document, customer_email=lh.OMAR_EMAIL)
        table.add([row])
        return
    collection = lh.chroma_client(stores.vectors_staging).get_collection("memories")
    collection.add(
        ids=["m-planted"],
        documents=[document],
        metadatas=[{"customer_email": lh.OMAR_EMAIL, "ticket_id": 1}],
        embeddings=[[0.1] * 384],
    )
