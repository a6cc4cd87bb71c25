"""Worker processes: when a run warms their server, and what a warmed worker starts with."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from sanitizer.config.settings import DEFAULT_EMBEDDING_MODEL, NlpSettings, load_settings
from sanitizer.mask.workers import detection_ahead, warm_model

PROBE = Path(__file__).resolve().parents[1] / "helpers" / "warm_probe.py"


@pytest.mark.parametrize(
    "workers,rules,expected",
    [
        (2, "tables:\n  t:\n    body: detect\n", True),
        (2, "tables:\n  t:\n    body: {detect: [PERSON]}\n", True),
        (1, "tables:\n  t:\n    body: detect\n", False),
        (2, "tables:\n  t:\n    body: {fake: name}\n", False),
        (2, "tables:\n  t:\n    detector_id: keep\n", False),
    ],
)
def test_detection_ahead_needs_a_pool_and_a_detect_rule(tmp_path, workers, rules, expected):
    (tmp_path / "app.yaml").write_text("source: app\n" + rules)
    assert detection_ahead(workers, tmp_path) is expected


def test_no_rules_folder_means_no_warming(tmp_path):
    assert detection_ahead(2, tmp_path / "missing") is False


def run_probe(model: str, embedding: str | None = None) -> dict:
    """In a fresh interpreter: the forkserver belongs to the process that starts it."""
    command = [sys.executable, str(PROBE), model, *([embedding] if embedding else [])]
    out = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_a_warmed_worker_starts_with_detection_loaded():
    state = run_probe(NlpSettings().model)
    assert state["spacy_loaded"] and state["analyzers_built"] == 1
    assert state["found"] == ["EMAIL_ADDRESS"]
    assert not state["env_in_worker"] and not state["env_in_parent"]
    assert state["frozen_objects"] > 10_000  # what was loaded is out of the collector's walks


def test_a_worker_warmed_for_memories_starts_with_the_embedding_model_loaded():
    """A run of agent memories: its workers mask and embed, from the server's copy."""
    state = run_probe(NlpSettings().model, DEFAULT_EMBEDDING_MODEL)
    assert state["models_loaded"] == 1 and state["analyzers_built"] == 1
    assert state["found"] == ["EMAIL_ADDRESS"]
    assert not state["env_in_worker"] and not state["env_in_parent"]
    assert run_probe(NlpSettings().model)["models_loaded"] == 0  # SQL and objects: no model


def _settings(tmp_path: Path, sources: str, embeddings: str = "") -> Any:
    path = tmp_path / "sanitize.yaml"
    path.write_text(
        f"rules: rules/\nkey: {'k' * 32}\n{embeddings}sources:\n{sources}targets:\n"
        + sources.replace("prod", "staging")
    )
    return load_settings(path, {})


def test_the_server_loads_the_model_only_for_a_run_of_memories(tmp_path):
    memory = "  memory: {kind: lancedb, url: prod/memory}\n"
    app = "  app: {kind: sql, url: 'sqlite:///prod/app.db'}\n"
    assert warm_model(_settings(tmp_path, memory)) == DEFAULT_EMBEDDING_MODEL
    assert warm_model(_settings(tmp_path, memory + app)) is None  # SQL workers first
    remote = "embeddings: {model: m, url: 'http://127.0.0.1:9/v1'}\n"
    assert warm_model(_settings(tmp_path, memory, remote)) is None  # asked of the endpoint


def test_a_worker_starts_without_database_libraries():
    """Masking and indexing a piece need neither SQLAlchemy nor a driver; importing them
    cost each worker a tenth of a second on a detecting run's critical path."""
    state = run_probe(NlpSettings().model)
    assert state["database_modules"] == []
    assert state["database_modules_with_indexer"] == []


def test_a_failed_warm_up_leaves_the_error_to_the_worker():
    state = run_probe("no_such_model_xx")
    assert state["analyzers_built"] == 0
    assert state["error"] == "ConfigError"


def test_schema_snapshots_are_not_rules(tmp_path):
    (tmp_path / "_schema.yaml").write_text("tables:\n  t:\n    detect: {type: TEXT}\n")
    assert detection_ahead(2, tmp_path) is False
