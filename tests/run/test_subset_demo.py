"""The demo's subset run (``make demo-subset``: demo/subset.yaml, docs/subsetting.md) through
the real CLI: a few tenants and a date window of tickets, every foreign key resolving in
staging, and only the kept rows' files and memories (docs/subsetting_follow.md)."""

from __future__ import annotations

import hashlib
import re
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import lancedb
import pytest
from helpers.snapshot_runs import cli_env

ROOT = Path(__file__).resolve().parents[2]
SANITIZE = Path(sys.executable).with_name("sanitize")
KEY = "demo-subset-key-0123456789abcdef"
TICKET_FILE = re.compile(r"(?:tickets/\d+/\d+/ticket-|transcripts/ticket-)(\d+)\.(?:json|txt)$")


@dataclass
class DemoSubset:
    folder: Path  # holds demo/ (prod, the config, staging-subset) and rules/
    first: subprocess.CompletedProcess[str]
    first_digest: str
    second: subprocess.CompletedProcess[str]
    second_digest: str

    @property
    def prod(self) -> Path:
        return self.folder / "demo" / "prod"

    @property
    def staging(self) -> Path:
        return self.folder / "demo" / "staging-subset"


def run(config: Path) -> subprocess.CompletedProcess[str]:
    """``sanitize snapshot --config demo/subset.yaml``, as ``make demo-subset`` runs it."""
    return subprocess.run(
        [str(SANITIZE), "snapshot", "--config", str(config), "--log-format", "text"],
        cwd=config.parent.parent,
        env=cli_env(KEY),
        capture_output=True,
        text=True,
        timeout=600,
    )


def digest(staging: Path) -> str:
    """Every data row, file and memory of a staging, in a stable order."""
    h = hashlib.sha256()
    with sqlite3.connect(staging / "app.db") as conn:
        for (table,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sanitizer_%' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        ):
            h.update(table.encode())
            for row in sorted(map(repr, conn.execute(f'SELECT * FROM "{table}"'))):
                h.update(row.encode())
    conn.close()
    for path in sorted((staging / "files").rglob("*")):
        if path.is_file():
            h.update(str(path.relative_to(staging)).encode() + path.read_bytes())
    for record in memories(staging):
        h.update(repr(sorted(record.items())).encode())
    return h.hexdigest()


def memories(folder: Path) -> list[dict]:
    table = lancedb.connect(str(folder / "memory")).open_table("agent_memory")
    return sorted(table.to_arrow().to_pylist(), key=lambda r: r["id"])


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoSubset:
    folder = tmp_path_factory.mktemp("demo-subset")
    (folder / "demo").mkdir()
    (folder / "rules").symlink_to(ROOT / "rules")
    config = folder / "demo" / "subset.yaml"
    config.write_text((ROOT / "demo" / "subset.yaml").read_text(encoding="utf-8"))
    for module, args in (
        ("sanitizer.demo.generate", ["demo/prod/app.db"]),
        ("sanitizer.demo.memory", ["demo/prod/memory", "--db", "demo/prod/app.db"]),
    ):
        subprocess.run(
            [sys.executable, "-m", module, *args],
            cwd=folder,
            check=True,
            capture_output=True,
            timeout=300,
        )
    first = run(config)
    first_digest = digest(folder / "demo" / "staging-subset") if first.returncode == 0 else ""
    second = run(config)
    second_digest = digest(folder / "demo" / "staging-subset") if second.returncode == 0 else ""
    return DemoSubset(folder, first, first_digest, second, second_digest)


def kept_ids(staging: Path, table: str) -> set[int]:
    with sqlite3.connect(staging / "app.db") as conn:
        ids = {row[0] for row in conn.execute(f"SELECT id FROM {table}")}
    conn.close()
    return ids


def test_the_demo_subset_runs_and_prints_its_plan(demo: DemoSubset) -> None:
    assert demo.first.returncode == 0, demo.first.stderr[-3000:]
    out = demo.first.stdout
    assert "subset of app:" in out
    assert "root where id in (27, 35, 45) (3)" in out
    assert "root where created_at >= '2025-03-01'" in out
    assert re.search(r"files: the subset keeps \d+ of \d+ objects", out)
    assert re.search(r"memory\.agent_memory: the subset keeps \d+ of 80 records", out)
    assert "verification: passed" in out


def test_every_foreign_key_resolves_and_the_roots_hold(demo: DemoSubset) -> None:
    with sqlite3.connect(demo.staging / "app.db") as staging:
        assert staging.execute("PRAGMA foreign_key_check").fetchall() == []
        audit = staging.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    staging.close()
    with sqlite3.connect(demo.prod / "app.db") as prod:
        recent = {
            r[0] for r in prod.execute("SELECT id FROM tickets WHERE created_at >= '2025-03-01'")
        }
        prod_tickets = prod.execute("SELECT count(*) FROM tickets").fetchone()[0]
    prod.close()
    assert {27, 35, 45} <= kept_ids(demo.staging, "companies")
    tickets = kept_ids(demo.staging, "tickets")
    assert recent and recent <= tickets
    assert len(tickets) < prod_tickets / 5
    assert audit == 0  # excluded


def test_only_the_kept_rows_files_reach_staging(demo: DemoSubset) -> None:
    tickets = kept_ids(demo.staging, "tickets")
    prod_keys = {str(p.relative_to(demo.prod / "files")) for p in (demo.prod / "files").rglob("*")}
    staged = {
        str(p.relative_to(demo.staging / "files"))
        for p in (demo.staging / "files").rglob("*")
        if p.is_file()
    }
    expected = {k for k in prod_keys if (m := TICKET_FILE.search(k)) and int(m[1]) in tickets}
    assert expected and {k for k in staged if TICKET_FILE.search(k)} == expected
    assert len(expected) < len([k for k in prod_keys if TICKET_FILE.search(k)])
    # avatars are keyed by the (masked) email: as many as the kept contacts have in production
    contacts = kept_ids(demo.staging, "contacts")
    with sqlite3.connect(demo.prod / "app.db") as prod:
        emails = dict(prod.execute("SELECT email, id FROM contacts"))
    prod.close()
    avatars = [k for k in prod_keys if k.startswith("users/") and k.endswith(".png")]
    kept_avatars = [k for k in avatars if emails[k.split("/")[1]] in contacts]
    assert 0 < len(kept_avatars) < len(avatars)
    assert len([k for k in staged if k.startswith("users/")]) == len(kept_avatars)


def test_only_the_kept_contacts_memories_reach_staging(demo: DemoSubset) -> None:
    contacts = kept_ids(demo.staging, "contacts")
    production = memories(demo.prod)
    expected = {r["id"] for r in production if r["metadata"]["customer_id"] in contacts}
    staged = memories(demo.staging)
    assert 0 < len(expected) < len(production)
    assert {r["id"] for r in staged} == expected
    assert all(r["metadata"]["customer_id"] in contacts for r in staged)


def test_the_same_run_twice_gives_the_same_staging(demo: DemoSubset) -> None:
    assert demo.second.returncode == 0, demo.second.stderr[-3000:]
    assert demo.first_digest == demo.second_digest


def rules_check(config: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(SANITIZE), "rules", "check", "--config", str(config)],
        cwd=config.parent.parent,
        env=cli_env(KEY),
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_rules_check_validates_the_demo_subset_offline(tmp_path: Path) -> None:
    """``sanitize rules check`` checks demo/subset.yaml, follow limits included, against the
    committed schema snapshot (rules/_schema.yaml) without production."""
    (tmp_path / "demo").mkdir()
    (tmp_path / "rules").symlink_to(ROOT / "rules")
    config = tmp_path / "demo" / "subset.yaml"
    text = (ROOT / "demo" / "subset.yaml").read_text(encoding="utf-8")
    limited = text.replace(" messages.ticket_id,", " {edge: messages.ticket_id, limit: 5},")
    assert limited != text
    config.write_text(limited, encoding="utf-8")
    result = rules_check(config)
    assert result.returncode == 0, result.stdout + result.stderr
    config.write_text(limited.replace("limit: 5}", "limit: 0}"), encoding="utf-8")
    result = rules_check(config)
    said = result.stdout + result.stderr
    assert result.returncode != 0
    assert "follow messages.ticket_id: limit must be a positive whole number" in said
    assert "subset.yaml:" in said
    config.write_text(limited.replace("limit: 5}", "limit: 5, egde: x}"), encoding="utf-8")
    result = rules_check(config)
    assert "did you mean 'edge'" in result.stdout + result.stderr
