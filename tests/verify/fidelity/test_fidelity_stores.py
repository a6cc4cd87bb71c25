"""The fidelity profile of object stores and vector collections in a real run (a local folder
and a LanceDB directory from tests/helpers/leak_world.py, plus one truncated JSON upload):
counts, formats, sizes and the malformed share per rule; documents, metadata key sets and
vector norms per collection; and no production value in the receipt or the page."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import leak_world as lh

BROKEN = {"tickets/ticket-4712.json": b'{"requester": {"email": "' + lh.OMAR_EMAIL.encode()}


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    folder = tmp_path_factory.mktemp("fidelity-stores")
    stores = lh.Stores.local(folder)
    lh.put_local(Path(stores.files), {**lh.OBJECTS, **BROKEN})
    lh.write_memories(stores.vectors_kind, stores.vectors, lh.MEMORIES)
    config = lh.write_config(folder, stores)
    config.write_text(config.read_text().replace("on_malformed: fail", "on_malformed: quarantine"))
    result = lh.sanitize(config, "snapshot", stores.env)
    assert result.returncode == 0, result.describe()
    receipt_file = sorted((folder / "receipts").glob("*.json"))[-1]
    page = lh.sanitize(config, "report", stores.env)
    assert page.returncode == 0, page.describe()
    yield {
        "receipt": json.loads(receipt_file.read_text()),
        "receipt_text": receipt_file.read_text(),
        "page": (config.parent / page.stdout.strip()).read_text(),
        "logs": result.output,
    }
    lh.drop_memories(stores.vectors_kind, stores.vectors)


def test_objects_per_rule(run: dict[str, Any]) -> None:
    files = run["receipt"]["fidelity"]["stores"]["files"]
    assert files["kind"] == "objects"
    tickets = files["tables"]["tickets/*.json"]["fields"]["objects"]
    prod, stage = tickets["production"], tickets["staging"]
    assert (prod["count"], prod["malformed"], stage["count"], stage["malformed"]) == (2, 1, 1, 0)
    assert prod["categories"]["formats"] == {"json": 2}
    assert tickets["metrics"]["malformed"] == 0.5  # half of production's uploads were broken
    assert tickets["metrics"]["count"] == 0.5
    csv = files["tables"]["exports/*.csv"]["fields"]["objects"]
    assert csv["metrics"]["formats"] == 1.0 and csv["production"]["categories"]["formats"] == {
        "csv": 1
    }
    assert sum(csv["production"]["buckets"]["size (bytes)"].values()) == 1


def test_vector_collection(run: dict[str, Any]) -> None:
    memory = run["receipt"]["fidelity"]["stores"]["memory"]
    collection = memory["tables"]["memories"]
    assert collection["rows"] == {"production": 2, "staging": 2}
    fields = collection["fields"]
    assert fields["document"]["production"]["rows"] == 2
    assert fields["metadata"]["metrics"]["key_sets"] == 1.0
    assert fields["metadata"]["production"]["categories"]["key sets"] == {
        "{customer_email,customer_name,ticket_id}": 2
    }
    assert fields["vector"]["production"]["count"] == 2 == fields["vector"]["staging"]["count"]
    assert 0 <= fields["vector"]["metrics"]["norms"] <= 1


def test_no_production_value_in_receipt_page_or_logs(run: dict[str, Any]) -> None:
    for where in ("receipt_text", "page", "logs"):
        assert lh.leaked(run[where]) == [], where
    assert "tickets/*.json" in run["page"] and "memories" in run["page"]
