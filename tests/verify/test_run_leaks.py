"""A run whose masking lets a production value through fails with the leak exit code before
the swap: previous staging (objects and vector records) stays byte-identical, the output and
receipt name where — never the value — and no shadow is left behind.

The value that slips through is an account reference, masked by ``hash`` in the exports, that
also turns up in a free-text transcript and in a memory's document: ``detect`` has no
recognizer for it, so only the leak check can know it is production data.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import leak_world as lh

from sanitizer.errors import ExitCode

LEAKY_TRANSCRIPT = f"Customer quoted account {lh.ACCOUNT} twice.\n".encode()
LEAKY_MEMORY = {
    "id": "m-3",
    "document": f"Remember: the refund goes to account {lh.ACCOUNT}.",
    "customer_email": lh.JANE_EMAIL,
    "customer_name": lh.JANE,
    "ticket_id": 4713,
}


@pytest.fixture(params=["local-lancedb", "s3-chroma"])
def stores(request: pytest.FixtureRequest, tmp_path: Path) -> lh.Stores:
    if request.param == "local-lancedb":
        return lh.Stores.local(tmp_path)
    s3 = request.getfixturevalue("s3")
    prod, staging = f"run-prod-{tmp_path.name}".lower(), f"run-staging-{tmp_path.name}".lower()
    for bucket in (prod[:63], staging[:63]):
        s3.create_bucket(Bucket=bucket)
    return lh.Stores(
        f"s3://{prod[:63]}/files",
        f"s3://{staging[:63]}/snap",
        "chroma",
        request.getfixturevalue("chroma_prod"),
        request.getfixturevalue("chroma_staging"),
        request.getfixturevalue("s3_env"),
    )


def put(stores: lh.Stores, request: pytest.FixtureRequest, objects: dict[str, bytes]) -> None:
    if stores.files.startswith("s3://"):
        lh.put_s3(request.getfixturevalue("s3"), stores.files, objects, lh.METADATA)
    else:
        lh.put_local(Path(stores.files), objects)


def staging_state(stores: lh.Stores, request: pytest.FixtureRequest, name: str) -> tuple:
    """Everything staging holds: object bytes (shadows too), records and collections."""
    if stores.files.startswith("s3://"):
        files = lh.read_s3(request.getfixturevalue("s3"), stores.files_staging)
    else:
        files = lh.read_local(Path(stores.files_staging))
    kind, url = stores.vectors_kind, stores.vectors_staging
    return files, lh.read_memories(kind, url, name), lh.collections(kind, url)


def test_a_value_masking_missed_fails_the_run_and_staging_stays(
    stores: lh.Stores, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    name = f"memories_{tmp_path.name[-6:]}".replace("-", "_")  # chroma servers are shared
    put(stores, request, lh.OBJECTS)
    lh.write_memories(stores.vectors_kind, stores.vectors, lh.MEMORIES, name)
    request.addfinalizer(lambda: lh.drop_memories(stores.vectors_kind, stores.vectors, name))
    config = lh.write_config(tmp_path / "run", stores)
    rules = lh.RULES_MEMORY.replace("memories:", f"{name}:")
    (config.parent / "rules" / "memory.yaml").write_text(rules)
    first = lh.sanitize(config, "snapshot", stores.env)
    assert first.returncode == 0, first.describe()
    before = staging_state(stores, request, name)

    put(stores, request, {"transcripts/4712.txt": LEAKY_TRANSCRIPT})
    lh.write_memories(stores.vectors_kind, stores.vectors, [*lh.MEMORIES, LEAKY_MEMORY], name)
    second = lh.sanitize(config, "snapshot", stores.env)

    assert second.returncode == ExitCode.LEAK, second.describe()
    assert "files:transcripts/4712.txt (line 1)" in second.stderr, second.describe()
    assert f"memory.{name}.document (id=m-3)" in second.stderr, second.describe()
    assert staging_state(stores, request, name) == before
    receipt = json.loads(sorted((config.parent / "receipts").glob("*.json"))[-1].read_text())
    assert receipt["status"] == "failed" and receipt["verification"]["leak_check"]["hits"] == 2
    assert lh.leaked(second.output + json.dumps(receipt)) == []
