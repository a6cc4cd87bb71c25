"""A production value planted in staging is found the same way whichever engine masked it:
the workers (pool processes or Ray actors) index the pieces they mask, the driver merges the
digests, and the check names the same places and fails with the same exit code as a run that
indexes in one process (docs/engine.md, "What runs where")."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from helpers.ray_world import KEY, RULES, make_production

from sanitizer.config.settings import load_settings
from sanitizer.errors import ExitCode, SanitizerError
from sanitizer.run.snapshot import run_snapshot

# ray_world's rules with the messages kept verbatim: they hold the customers' values
LEAKY_RULES = RULES.replace(
    "body: {detect: [PERSON, EMAIL_ADDRESS, PHONE_NUMBER, LOCATION]}", "body: keep"
)
assert LEAKY_RULES != RULES


def leaky_run(folder: Path, engine: str, workers: int) -> tuple[SanitizerError, dict]:
    """A run whose messages keep the customers' names, emails and phones verbatim."""
    make_production(folder, customers=40, messages=90)
    (folder / "rules").mkdir()
    (folder / "rules" / "app.yaml").write_text(LEAKY_RULES, encoding="utf-8")
    config = folder / "sanitize.yaml"
    config.write_text(
        f"rules: rules/\nkey: ${{SANITIZE_KEY}}\nreceipts: {folder / 'receipts'}\n"
        f"batch_size: 25\nworkers: {workers}\nengine: {engine}\n"
        f"sources:\n  app: {{kind: sql, url: 'sqlite:///{folder / 'prod.db'}'}}\n"
        f"targets:\n  app: {{kind: sql, url: 'sqlite:///{folder / 'staging.db'}'}}\n",
        encoding="utf-8",
    )
    with pytest.raises(SanitizerError) as failed:
        run_snapshot(load_settings(config, {"SANITIZE_KEY": KEY}), init=True)
    (receipt,) = (folder / "receipts").glob("*.json")
    with sqlite3.connect(folder / "staging.db") as conn:
        tables = {n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    conn.close()
    assert not {"customers", "messages"} & tables  # nothing swapped in
    return failed.value, json.loads(receipt.read_text())["verification"]


@pytest.fixture(scope="module")
def in_one_process(tmp_path_factory) -> tuple[SanitizerError, dict]:
    return leaky_run(tmp_path_factory.mktemp("one"), "local", 1)


def test_a_planted_leak_is_found_when_one_process_indexes(in_one_process):
    error, verification = in_one_process
    assert error.exit_code == ExitCode.LEAK
    assert verification["leak_check"]["hits"] > 50
    assert verification["leak_check"]["where"][0].startswith("app.messages.body (id=")


@pytest.mark.parametrize("engine", ["local", "ray"])
def test_a_planted_leak_is_found_alike_when_workers_index(
    local_ray, in_one_process, tmp_path, engine
):
    error, verification = leaky_run(tmp_path, engine, 2)
    assert error.exit_code == in_one_process[0].exit_code == ExitCode.LEAK
    assert str(error) == str(in_one_process[0])
    assert verification == in_one_process[1]
