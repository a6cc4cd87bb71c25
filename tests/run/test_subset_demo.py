"""The demo's commented ``subset:`` block (sanitize.yaml) works as written: three companies
and everything they need, every foreign key resolving in staging (docs/subsetting.md)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from sanitizer.config.settings import load_settings
from sanitizer.run.snapshot import run_snapshot

ROOT = Path(__file__).resolve().parents[2]


def demo_subset_block() -> str:
    """The block as sanitize.yaml shows it, uncommented."""
    text = (ROOT / "sanitize.yaml").read_text(encoding="utf-8")
    start = text.index("# subset:")
    lines = [line[2:] for line in text[start:].splitlines() if line.startswith("# ")]
    return "\n".join(line for line in lines if not line.startswith(("A slice", "customers"))) + "\n"


def test_the_demo_subset_block_runs_and_is_complete(tmp_path: Path) -> None:
    prod = tmp_path / "prod" / "app.db"
    subprocess.run(
        [sys.executable, "-m", "sanitizer.demo.generate", str(prod)],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        timeout=180,
    )
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "app.yaml").write_text((ROOT / "rules" / "app.yaml").read_text())
    config = tmp_path / "sanitize.yaml"
    config.write_text(
        "rules: rules/\nkey: demo-subset-key-0123456789abcdef\nreceipts: receipts\n"
        "workers: 1\n"
        'sources:\n  app: {kind: sql, url: "sqlite:///prod/app.db"}\n'
        'targets:\n  app: {kind: sql, url: "sqlite:///staging/app.db"}\n' + demo_subset_block()
    )
    receipt = run_snapshot(load_settings(config))
    assert receipt.status == "succeeded"
    tables = receipt.subset["app"]["tables"]
    assert tables["companies"]["path"].startswith("root where id <= 3 (3)")
    assert tables["audit_log"]["subset_rows"] == 0
    assert tables["dead_letters"]["subset_rows"] == tables["dead_letters"]["production_rows"]
    kept = sum(t["subset_rows"] for t in tables.values())
    assert kept < sum(t["production_rows"] for t in tables.values()) / 10
    with sqlite3.connect(tmp_path / "staging" / "app.db") as conn:
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        companies = {row[0] for row in conn.execute("SELECT id FROM companies")}
        tickets = conn.execute("SELECT count(*) FROM tickets").fetchone()[0]
    conn.close()
    assert {1, 2, 3} <= companies
    assert tickets == tables["tickets"]["subset_rows"] > 0
