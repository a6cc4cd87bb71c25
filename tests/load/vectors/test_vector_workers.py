"""Memories masked and re-embedded in local worker processes — a run that detects with more
than one worker (docs/operations.md, "Vector runs") — come out as when the run masks and
embeds them in its own process: documents and metadata byte for byte, the same receipt counts,
and vectors equal up to the float noise of another PyTorch thread count."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
from helpers import memory_corpus as vc

COLLECTION = "agent_memory"


def _snapshot(tmp_path: Path, source: Path, workers: int) -> tuple[list[dict], dict, list[dict]]:
    """A run with ``workers`` and reads of 5 records (three batches, in order): staging rows
    by id, the collection's receipt, and the run's JSON log lines."""
    folder = tmp_path / f"workers-{workers}"
    folder.mkdir()
    target = folder / "staging"
    rules = vc.RULES.format(collection=COLLECTION)
    config = vc.write_config(folder, "lancedb", str(source), str(target), rules)
    text = config.read_text().replace("workers: 1\n", f"workers: {workers}\nbatch_size: 5\n")
    config.write_text(text)
    code, output = vc.run(config)
    assert code == 0, output
    import lancedb

    rows = lancedb.connect(str(target)).open_table(COLLECTION).to_arrow().sort_by("id")
    receipt = json.loads(next((folder / "receipts").glob("*.json")).read_text())
    logs = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    return rows.to_pylist(), receipt["collections"][f"memory.{COLLECTION}"], logs


def _loaded(logs: list[dict[str, Any]]) -> dict[str, Any]:
    return next(e for e in logs if e.get("message") == "collection masked and re-embedded")


def test_workers_mask_and_embed_memories_as_the_run_itself_does(tmp_path):
    source = tmp_path / "prod-memory"
    vc.write_lance(source, COLLECTION, vc.records())
    here, here_receipt, here_logs = _snapshot(tmp_path, source, workers=1)
    pooled, pooled_receipt, pooled_logs = _snapshot(tmp_path, source, workers=2)
    assert _loaded(here_logs)["workers"] == 0  # masked and embedded in the run's process
    assert _loaded(pooled_logs)["workers"] == 2  # by two local workers
    assert len(pooled) == 12
    without = [{k: v for k, v in row.items() if k != "vector"} for row in pooled]
    assert without == [{k: v for k, v in row.items() if k != "vector"} for row in here]
    # The vectors: one PyTorch thread per worker against the run's own threads. Some CPUs
    # (this project's Intel Xeon machine) sum a model call's products in another order with
    # another thread count: up to ~1.3e-7 apart per component, never more than float noise.
    for pooled_row, here_row in zip(pooled, here, strict=True):
        assert np.allclose(pooled_row["vector"], here_row["vector"], rtol=0, atol=1e-6)
    assert pooled_receipt == here_receipt  # rows, operators, detected entities, model
    assert pooled_receipt["fields"]["document"]["detected"]["EMAIL_ADDRESS"] >= 12


def test_a_model_the_workers_cannot_load_fails_the_run_with_the_usual_message(tmp_path):
    source = tmp_path / "prod-memory"
    vc.write_lance(source, COLLECTION, vc.records())
    target = tmp_path / "staging"
    rules = vc.RULES.format(collection=COLLECTION)
    config = vc.write_config(tmp_path, "lancedb", str(source), str(target), rules)
    text = config.read_text().replace("workers: 1\n", "workers: 2\n")
    config.write_text(text + "embeddings: {model: /nonexistent/model-dir}\n")
    code, output = vc.run(config)
    assert code != 0
    assert "embeddings.model '/nonexistent/model-dir' could not be loaded" in output
    assert not target.exists()  # nothing written
