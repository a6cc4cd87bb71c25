"""Worker processes: when a run warms their server, and what a warmed worker starts with."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from sanitizer.config.settings import NlpSettings
from sanitizer.mask.workers import detection_ahead

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


def run_probe(model: str) -> dict:
    """In a fresh interpreter: the forkserver belongs to the process that starts it."""
    out = subprocess.run(
        [sys.executable, str(PROBE), model], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_a_warmed_worker_starts_with_detection_loaded():
    state = run_probe(NlpSettings().model)
    assert state["spacy_loaded"] and state["analyzers_built"] == 1
    assert state["found"] == ["EMAIL_ADDRESS"]
    assert not state["env_in_worker"] and not state["env_in_parent"]


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
