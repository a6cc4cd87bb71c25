"""The bundled demo end to end on SQLite: generate prod, run the real CLI, inspect staging.

The generated database is cut to about a tenth of its tickets (and what hangs off them) so the
Presidio-heavy free text stays quick; every table, rule and kind of mess is still there.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from helpers import fixture_db as fx
from helpers.snapshot_runs import DEMO_TENTH, CliResult, cli_env, trimmed_demo_production
from helpers.snapshot_runs import run_cli as harness_run_cli

from sanitizer.errors import ExitCode

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Demo:
    folder: Path
    prod: Path
    staging: Path
    config: Path
    result: CliResult

    def run(self, config: Path | None = None) -> CliResult:
        return run_cli(config or self.config)


def run_cli(config: Path) -> CliResult:
    return harness_run_cli(config, cli_env(fx.KEY_A))


def write_config(folder: Path, target: str, name: str = "sanitize.yaml") -> Path:
    # the repository's app and bucket rules (rules/memory.yaml needs the demo's vector
    # source, which tests/vectors covers)
    rules = folder / "app-rules"
    rules.mkdir(exist_ok=True)
    for name in ("app.yaml", "files.yaml"):
        if not (rules / name).exists():
            (rules / name).symlink_to(ROOT / "rules" / name)
    config = folder / name
    config.write_text(
        f"rules: {rules}\n"
        "key: ${SANITIZE_KEY}\n"
        "receipts: receipts\n"
        "batch_size: 200\n"
        "objects: {on_malformed: quarantine}\n"  # the demo bucket has one truncated upload
        "sources:\n"
        '  app: {kind: sql, url: "sqlite:///prod/app.db"}\n'
        "  files: {kind: objects, url: prod/files}\n"  # the demo bucket, rules/files.yaml
        "targets:\n"
        f'  app: {{kind: sql, url: "sqlite:///{target}"}}\n'
        "  files: {kind: objects, url: staging/files}\n",
        encoding="utf-8",
    )
    return config


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    folder = tmp_path_factory.mktemp("demo")
    prod = trimmed_demo_production(folder, DEMO_TENTH)
    config = write_config(folder, "staging/app.db")
    return Demo(folder, prod, folder / "staging" / "app.db", config, run_cli(config))


@pytest.fixture(scope="module")
def dbs(demo: Demo) -> Iterator[tuple[sqlite3.Connection, sqlite3.Connection]]:
    prod = sqlite3.connect(f"file:{demo.prod}?mode=ro", uri=True)
    staging = sqlite3.connect(f"file:{demo.staging}?mode=ro", uri=True)
    yield prod, staging
    prod.close()
    staging.close()


def tables(conn: sqlite3.Connection) -> list[str]:
    """The data tables (not SQLite's, nor sanitizer's own marker and run history)."""
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "AND name NOT LIKE 'sanitizer_%' ORDER BY name"
    )
    return [name for (name,) in rows]


def structure(conn: sqlite3.Connection) -> dict[str, dict[str, object]]:
    """Columns (type, NOT NULL, default, key position), foreign keys and indexes per table."""
    out = {}
    for table in tables(conn):
        indexes = {}
        for _, name, unique, origin, partial in conn.execute(f"PRAGMA index_list('{table}')"):
            columns = [c for _, _, c in conn.execute(f"PRAGMA index_info('{name}')")]
            # autoindexes (from UNIQUE / PRIMARY KEY) are named by SQLite, not by the schema
            key = name if not name.startswith("sqlite_autoindex") else f"auto:{columns}"
            indexes[key] = (unique, origin, partial, columns)
        out[table] = {
            "columns": conn.execute(f"PRAGMA table_info('{table}')").fetchall(),
            "foreign_keys": sorted(
                row[2:5] for row in conn.execute(f"PRAGMA foreign_key_list('{table}')")
            ),
            "indexes": indexes,
        }
    return out


def test_demo_run_succeeds_and_verifies(demo: Demo) -> None:
    assert demo.result.returncode == 0, demo.result.describe()
    assert demo.result.receipt["verification"]["passed"] is True
    assert demo.result.receipt["entities"]  # Presidio found things in the free text


def test_demo_schema_and_row_counts(demo: Demo, dbs: tuple) -> None:
    prod, staging = dbs
    assert structure(staging) == structure(prod)
    for table in tables(prod):
        count = f"SELECT count(*) FROM {table}"
        assert staging.execute(count).fetchone() == prod.execute(count).fetchone(), table
    assert staging.execute("PRAGMA foreign_key_check").fetchall() == []
    assert staging.execute("PRAGMA integrity_check").fetchone() == ("ok",)


STRUCTURED = {
    "email": "SELECT email FROM contacts UNION SELECT billing_email FROM invoices",
    "tax_id": "SELECT tax_id FROM contacts",
    "card": "SELECT card_number FROM payment_methods",
    "iban": "SELECT iban FROM payment_methods",
    "phone": "SELECT phone FROM contacts",
}


def leaks(prod: sqlite3.Connection, staging: sqlite3.Connection, kinds: list[str]) -> list:
    """(table, column, value) for every prod value of those kinds found in staging text."""
    values = set()
    for kind in kinds:
        values |= {
            v.strip() for (v,) in prod.execute(STRUCTURED[kind]) if v and len(v.strip()) >= 6
        }
    assert len(values) > 300, kinds
    pattern = re.compile(
        r"(?<![0-9A-Za-z])(?:"
        + "|".join(re.escape(v) for v in sorted(values, key=len, reverse=True))
        + r")(?![0-9A-Za-z])",
        re.IGNORECASE,
    )
    found = []
    for table in tables(staging):
        cursor = staging.execute(f"SELECT * FROM {table}")
        names = [d[0] for d in cursor.description]
        for row in cursor:
            for name, cell in zip(names, row, strict=True):
                if isinstance(cell, str):
                    found += [(table, name, m.group()) for m in pattern.finditer(cell)]
    return found


def test_demo_emails_tax_ids_cards_and_ibans_are_gone_everywhere(demo: Demo, dbs: tuple) -> None:
    """Structured values, wherever they turn up: columns, JSON documents and free text."""
    prod, staging = dbs
    assert leaks(prod, staging, ["email", "tax_id", "card", "iban"]) == []


def test_demo_phones_are_gone_from_the_structured_fields(demo: Demo, dbs: tuple) -> None:
    prod, staging = dbs
    found = leaks(prod, staging, ["phone"])
    structured = {
        ("contacts", "phone"),
        ("contacts", "profile"),
        ("payment_methods", "card_holder"),
    }
    assert [f for f in found if f[:2] in structured] == []
    # JSON paths with a phone rule: $.customer.phone in agent_runs.input_payload
    payloads = staging.execute("SELECT input_payload FROM agent_runs WHERE input_payload LIKE '{%'")
    phones = {v for *_, v in found}
    for (text,) in payloads:
        try:
            customer = json.loads(text).get("customer") or {}
        except ValueError:
            continue  # the demo's truncated documents are scrambled whole
        assert customer.get("phone") not in phones


def test_demo_phones_are_gone_from_free_text_too(demo: Demo, dbs: tuple) -> None:
    """Even layouts libphonenumber cannot parse ('+74(9)7524288909', '40-1067-3541'): the
    text around them says they are phones."""
    prod, staging = dbs
    assert leaks(prod, staging, ["phone"]) == []


def test_demo_output_holds_no_structured_values(demo: Demo, dbs: tuple) -> None:
    prod, _ = dbs
    output = demo.result.stdout + demo.result.stderr + demo.result.receipt_text
    for kind, sql in STRUCTURED.items():
        for (value,) in prod.execute(sql):
            if value and len(value.strip()) >= 6:
                assert value.strip() not in output, kind


def test_demo_refuses_to_write_over_its_source(demo: Demo) -> None:
    before = demo.prod.read_bytes()
    result = run_cli(write_config(demo.folder, "prod/app.db", name="same.yaml"))
    assert result.returncode == ExitCode.CONFIG, result.describe()
    assert "same database as its source" in result.stderr
    assert demo.prod.read_bytes() == before


def test_demo_refuses_a_staging_of_another_engine(demo: Demo) -> None:
    """Staging replays production's own DDL (guarantee 10): a PostgreSQL staging for a SQLite
    production is refused before anything connects (port 1: nothing listens there)."""
    config = write_config(demo.folder, "unused.db", name="other_engine.yaml")
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace('"sqlite:///unused.db"', '"postgresql+psycopg://nobody@127.0.0.1:1/staging"'),
        encoding="utf-8",
    )
    result = run_cli(config)
    assert result.returncode == ExitCode.CONFIG, result.describe()
    assert "is a postgresql database but its source is sqlite" in result.stderr
    assert "point targets.app at a sqlite database" in result.stderr


def test_demo_bucket_shares_pseudonyms_with_the_database(demo: Demo, dbs: tuple) -> None:
    """An avatar under users/<email>/ lands under users/<that contact's staging email>/, and
    a ticket attachment's requester gets the same fake as the contacts table."""
    prod, staging = dbs
    before, after = demo.folder / "prod" / "files", demo.folder / "staging" / "files"
    avatars = sorted(before.glob("users/*/avatar.png"))
    assert avatars
    for avatar in avatars:
        (contact,) = prod.execute(
            "SELECT id FROM contacts WHERE email = ?", (avatar.parent.name,)
        ).fetchone()
        sql = "SELECT email FROM contacts WHERE id = ?"
        (masked,) = staging.execute(sql, (contact,)).fetchone()
        assert (after / "users" / masked / "avatar.png").read_bytes() == avatar.read_bytes()
    emails = {e for (e,) in prod.execute("SELECT email FROM contacts WHERE email IS NOT NULL")}
    staged = [p for p in after.rglob("*") if p.is_file()]
    assert staged and not [p for p in staged if any(e in str(p) for e in emails)]
    text = "\n".join(p.read_bytes().decode("utf-8", "replace") for p in staged)
    assert not [e for e in emails if e in text]
    objects = demo.result.receipt["objects"]
    quarantined = [q["key"] for o in objects.values() for q in o["quarantined"]]
    assert quarantined == ["tickets/2025/06/upload-interrupted.json"]
