"""The demo production database: reproducible, as messy as promised, fully covered by rules."""

from __future__ import annotations

import json
import re
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from sanitizer.demo.generate import build_demo, main

RULES = Path(__file__).resolve().parents[2] / "rules" / "app.yaml"
SEED = 7


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int], float]:
    path = tmp_path_factory.mktemp("demo") / "app.db"
    started = time.perf_counter()
    counts = build_demo(path, seed=SEED, scale=1)
    return path, counts, time.perf_counter() - started


@pytest.fixture(scope="module")
def db(built: tuple[Path, dict[str, int], float]) -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(built[0])
    yield conn
    conn.close()


@pytest.fixture(scope="module")
def rules() -> dict[str, Any]:
    return yaml.safe_load(RULES.read_text(encoding="utf-8"))


def scalar(db: sqlite3.Connection, sql: str) -> Any:
    return db.execute(sql).fetchone()[0]


def tables(db: sqlite3.Connection) -> list[str]:
    rows = db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' "
        "AND name NOT LIKE 'sqlite_%' ORDER BY name"
    )
    return [name for (name,) in rows]


def columns(db: sqlite3.Connection, table: str) -> list[tuple[str, str, bool]]:
    """(name, declared type, NOT NULL) per column."""
    info = db.execute(f"PRAGMA table_info({table})").fetchall()
    return [(name, decl.upper(), bool(notnull)) for _, name, decl, notnull, *_ in info]


def dump(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


# -- build ------------------------------------------------------------------------------------


def test_same_seed_gives_identical_contents(
    built: tuple[Path, dict[str, int], float], tmp_path: Path
) -> None:
    again = tmp_path / "again.db"
    assert main([str(again), "--seed", str(SEED)]) == 0  # via the command line, too
    assert dump(again) == dump(built[0])


def test_other_seed_gives_other_contents(
    built: tuple[Path, dict[str, int], float], tmp_path: Path
) -> None:
    other = tmp_path / "other.db"
    build_demo(other, seed=SEED + 1)
    assert dump(other) != dump(built[0])


def test_size_speed_and_reported_counts(
    built: tuple[Path, dict[str, int], float], db: sqlite3.Connection
) -> None:
    path, counts, seconds = built
    assert sum(counts.values()) >= 12_000
    assert seconds < 15
    assert sorted(counts) == tables(db)
    for table, rows in counts.items():
        assert rows > 0
        assert scalar(db, f"SELECT count(*) FROM {table}") == rows
    # no temp file left behind; the demo bucket (sanitizer/demo/files.py) sits beside the db
    assert sorted(p.name for p in path.parent.iterdir()) == ["app.db", "files"]


def test_if_missing_leaves_an_existing_file_alone(tmp_path: Path) -> None:
    path = tmp_path / "app.db"
    path.write_text("keep me")
    assert main([str(path), "--if-missing"]) == 0
    assert path.read_text() == "keep me"
    assert (tmp_path / "files" / "exports").is_dir()  # a missing bucket is still built


def test_if_missing_rebuilds_a_database_from_before_the_integrations_table(
    tmp_path: Path,
) -> None:
    """Its rules now cover integrations: an old demo would stop the run, so it is rebuilt."""
    path = tmp_path / "app.db"
    build_demo(path, seed=SEED)
    with sqlite3.connect(path) as conn:
        conn.execute("DROP TABLE integrations")
    conn.close()
    assert main([str(path), "--if-missing"]) == 0
    with sqlite3.connect(path) as conn:
        assert scalar(conn, "SELECT count(*) FROM integrations") > 0
    conn.close()


def test_rebuild_replaces_existing_file(tmp_path: Path) -> None:
    path = tmp_path / "app.db"
    path.write_text("not a database")
    build_demo(path, seed=SEED)
    assert dump(path)[0] == "BEGIN TRANSACTION;"


def test_foreign_keys_hold(db: sqlite3.Connection) -> None:
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    composite = db.execute("PRAGMA foreign_key_list(refunds)").fetchall()
    assert {(row[3], row[4]) for row in composite} == {
        ("invoice_id", "invoice_id"),
        ("line_no", "line_no"),
    }


# -- messiness --------------------------------------------------------------------------------

BLANK = "{col} <> '' AND trim({col}, ' ' || char(9) || char(10) || char(13)) = ''"

# Each query must return something truthy: a count > 0, or a comparison that holds.
MESS = {
    "NULL phones": "SELECT count(*) FROM contacts WHERE phone IS NULL",
    "empty phones": "SELECT count(*) FROM contacts WHERE phone = ''",
    "empty tax ids": "SELECT count(*) FROM contacts WHERE tax_id = ''",
    "whitespace-only addresses": (
        f"SELECT count(*) FROM contacts WHERE {BLANK.format(col='address')}"
    ),
    "whitespace-only cities": f"SELECT count(*) FROM contacts WHERE {BLANK.format(col='city')}",
    "empty message bodies": "SELECT count(*) FROM messages WHERE body = ''",
    "NULL message bodies": "SELECT count(*) FROM messages WHERE body IS NULL",
    "whitespace-only message bodies": (
        f"SELECT count(*) FROM messages WHERE {BLANK.format(col='body')}"
    ),
    "long message blobs": "SELECT count(*) FROM messages WHERE length(body) > 5120",
    "namesakes": (
        "SELECT count(*) FROM (SELECT full_name FROM contacts WHERE full_name <> '' "
        "GROUP BY full_name HAVING count(*) > 1)"
    ),
    "shared phones": (
        "SELECT count(*) FROM (SELECT phone FROM contacts WHERE trim(phone) <> '' "
        "GROUP BY phone HAVING count(*) > 1)"
    ),
    "malformed emails": (
        "SELECT count(*) = 3 FROM contacts "
        "WHERE email IN ('jane.doe@', 'JOHN@EXAMPLE', 'no-at-sign')"
    ),
    "mixed-case emails": (
        "SELECT count(*) FROM contacts WHERE email <> lower(email) AND email LIKE '%_@_%._%'"
    ),
    "emails equal but for case": (
        "SELECT count(*) FROM (SELECT lower(email) FROM contacts "
        "GROUP BY lower(email) HAVING count(*) > 1)"
    ),
    "phone formats": (
        "SELECT count(DISTINCT phone) = 3 FROM contacts WHERE phone IN "
        "('+55 (12) 3923-5555', '(555) 010-4477 x12', '+49 30 901820')"
    ),
    "digits-only and E.164 phones": (
        "SELECT count(*) > 0 AND sum(phone LIKE '+%') > 0 "
        "FROM contacts WHERE phone NOT GLOB '*[^0-9+]*'"
    ),
    "postcodes": (
        "SELECT count(DISTINCT postcode) = 3 FROM contacts "
        "WHERE postcode IN ('H2G 1A7', '10115', 'SW1A 1AA')"
    ),
    "unicode names": (
        "SELECT count(DISTINCT full_name) = 4 FROM contacts WHERE full_name IN "
        "('José Müller', 'Zoë Ångström', '山田 太郎', 'Ólafur Þórsson')"
    ),
    "stale ticket statuses": (
        "SELECT count(DISTINCT status) = 3 FROM tickets "
        "WHERE status IN ('Open', 'open ', 'PENDING_LEGACY')"
    ),
    "nested PII in profiles": (
        "SELECT count(*) FROM contacts WHERE json_extract(profile, '$.contact.email') = email"
    ),
    "NULL and empty profiles": (
        "SELECT sum(profile IS NULL) > 0 AND sum(profile = '{}') > 0 FROM contacts"
    ),
    "truncated agent payloads": (
        "SELECT count(*) FROM agent_runs WHERE NOT json_valid(input_payload)"
    ),
    "NULL agent payloads": "SELECT count(*) FROM agent_runs WHERE input_payload IS NULL",
    "truncated tool calls": "SELECT count(*) FROM agent_runs WHERE NOT json_valid(tool_calls)",
    # json_extract raises on malformed JSON, hence the CASE guards.
    "agent payloads name real customers": (
        "SELECT count(*) FROM agent_runs WHERE CASE WHEN json_valid(input_payload) "
        "THEN json_extract(input_payload, '$.customer.email') END "
        "IN (SELECT email FROM contacts)"
    ),
    "tool call args carry customer emails": (
        "SELECT count(*) FROM agent_runs, json_each(CASE WHEN json_valid(tool_calls) "
        "THEN tool_calls ELSE '[]' END) AS call "
        "WHERE json_extract(call.value, '$.args.email') IN (SELECT email FROM contacts)"
    ),
    "broken dead-letter payloads": (
        "SELECT count(*) FROM dead_letters WHERE NOT json_valid(payload)"
    ),
    "broken retry payloads": "SELECT count(*) FROM retry_queue WHERE NOT json_valid(payload)",
    "exact duplicate audit rows": (
        "SELECT count(*) FROM (SELECT 1 FROM audit_log "
        "GROUP BY at, actor_email, action, ip_address, details HAVING count(*) > 1)"
    ),
    "requesters are contacts": (
        "SELECT avg(requester_email IN (SELECT email FROM contacts)) > 0.7 FROM tickets"
    ),
    "re-cased requester emails": (
        "SELECT count(*) FROM tickets t JOIN contacts c ON c.id = t.contact_id "
        "WHERE t.requester_email <> c.email AND lower(t.requester_email) = lower(c.email)"
    ),
    "billing emails are contacts": (
        "SELECT count(*) FROM invoices WHERE billing_email IN (SELECT email FROM contacts)"
    ),
    "audit actors are contacts": (
        "SELECT count(*) FROM audit_log WHERE actor_email IN (SELECT email FROM contacts)"
    ),
    "messages quote their contact's email": (
        "SELECT count(*) FROM messages m JOIN tickets t ON t.id = m.ticket_id "
        "JOIN contacts c ON c.id = t.contact_id WHERE instr(m.body, c.email) > 0"
    ),
    "messages name their contact": (
        "SELECT count(*) FROM messages m JOIN tickets t ON t.id = m.ticket_id "
        "JOIN contacts c ON c.id = t.contact_id WHERE instr(m.body, c.full_name) > 0"
    ),
    "spaced card numbers": (
        "SELECT count(*) FROM payment_methods WHERE card_number GLOB "
        "'[0-9][0-9][0-9][0-9] [0-9][0-9][0-9][0-9] [0-9][0-9][0-9][0-9] *'"
    ),
    "dashed card numbers": (
        "SELECT count(*) FROM payment_methods WHERE card_number GLOB "
        "'[0-9][0-9][0-9][0-9]-[0-9][0-9][0-9][0-9]-[0-9][0-9][0-9][0-9]-*'"
    ),
    "digits-only card numbers": (
        "SELECT count(*) FROM payment_methods "
        "WHERE card_number NOT GLOB '*[^0-9]*' AND length(card_number) IN (15, 16)"
    ),
    "malformed card numbers": (
        "SELECT count(*) FROM payment_methods WHERE card_number GLOB '*[^0-9 -]*' "
        "OR length(replace(replace(card_number, ' ', ''), '-', '')) NOT IN (15, 16)"
    ),
    "self-references used": (
        "SELECT (SELECT count(*) FROM messages WHERE reply_to_id > 0) > 0 "
        "AND (SELECT count(*) FROM contacts WHERE referred_by > 0) > 0"
    ),
    "refunds on invoice lines": "SELECT count(*) FROM refunds",
    # credentials and live destinations (credentials.py): many services, in columns, JSON and text
    "integrations of many services": "SELECT count(DISTINCT service) >= 12 FROM integrations",
    "payment keys": "SELECT count(*) FROM integrations WHERE api_key GLOB 'sk_live_*'",
    "chat bot tokens": "SELECT count(*) FROM integrations WHERE api_key GLOB 'xoxb-*'",
    "cloud access keys": "SELECT count(*) FROM integrations WHERE api_key GLOB 'AKIA*'",
    "keys pasted with their newline": (
        "SELECT count(*) FROM integrations WHERE api_key GLOB '*' || char(10)"
    ),
    "chat webhooks": (
        "SELECT count(*) FROM integrations WHERE webhook_url GLOB 'https://hooks.slack.com/*'"
    ),
    "customer endpoints with a token": (
        "SELECT count(*) FROM integrations WHERE webhook_url GLOB '*[?]token=*' "
        "OR callback_url GLOB '*[?]token=*'"
    ),
    "OAuth refresh tokens, some cleared": (
        "SELECT sum(oauth_refresh_token > '') > 0 AND sum(oauth_refresh_token = '') > 0 "
        "FROM integrations"
    ),
    "SMTP passwords in JSON": (
        "SELECT count(*) FROM integrations WHERE json_valid(config) "
        "AND json_extract(config, '$.smtp.password') GLOB 'SG.*'"
    ),
    "private keys in JSON": (
        "SELECT count(*) FROM integrations WHERE json_valid(config) "
        "AND json_extract(config, '$.private_key') GLOB '-----BEGIN PRIVATE KEY-----*'"
    ),
    "database URLs with a password": (
        "SELECT count(*) FROM integrations WHERE json_valid(config) "
        "AND json_extract(config, '$.dsn') GLOB 'postgresql://*:*@*'"
    ),
    "NULL integration configs": "SELECT count(*) FROM integrations WHERE config IS NULL",
    "credentials pasted into messages": (
        "SELECT count(*) >= 20 FROM messages WHERE body GLOB '*hooks.slack.com*' "
        "OR body GLOB '*sk_live_*' OR body GLOB '*Bearer ey*' OR body GLOB '*postgresql://*'"
    ),
    "failed deliveries and refreshes in dead letters": (
        "SELECT sum(topic = 'integration.webhook.failed') > 0 "
        "AND sum(topic = 'integration.oauth.refresh_failed') > 0 FROM dead_letters"
    ),
    "open-ended rows": (
        "SELECT (SELECT count(*) FROM tickets WHERE closed_at IS NULL) > 0 "
        "AND (SELECT count(*) FROM agent_runs WHERE finished_at IS NULL) > 0"
    ),
}


@pytest.mark.parametrize("sql", MESS.values(), ids=MESS.keys())
def test_mess_is_present(db: sqlite3.Connection, sql: str) -> None:
    assert scalar(db, sql)


def test_free_text_has_emoji_and_non_latin_scripts(db: sqlite3.Connection) -> None:
    text = "\n".join(body for (body,) in db.execute("SELECT body FROM messages WHERE body > ''"))
    for script, pattern in {
        "emoji": "[\U0001f300-\U0001faff]",
        "Cyrillic": "[\u0400-\u04ff]",
        "Arabic": "[\u0600-\u06ff]",
        "Japanese": "[\u3040-\u30ff]",
        "accented Latin": "[À-ÿ]",
    }.items():
        assert re.search(pattern, text), script


def test_typed_columns_hold_well_formed_values(db: sqlite3.Connection) -> None:
    """Messiness lives in text columns; DATE, TIMESTAMP and numbers load anywhere."""
    d = "[0-9]"
    day, clock = f"{d * 4}-{d * 2}-{d * 2}", f"{d * 2}:{d * 2}:{d * 2}"
    expected = {
        "DATE": f"typeof({{c}}) = 'text' AND {{c}} GLOB '{day}'",
        "TIMESTAMP": f"typeof({{c}}) = 'text' AND {{c}} GLOB '{day} {clock}'",
        "INTEGER": "typeof({c}) = 'integer'",
        "REAL": "typeof({c}) = 'real'",
        "NUMERIC(12, 2)": "typeof({c}) = 'real' AND {c} = round({c}, 2)",
    }
    checked = 0
    for table in tables(db):
        for name, decl, _ in columns(db, table):
            if decl in expected:
                ok = expected[decl].format(c=name)
                bad = scalar(
                    db, f"SELECT count(*) FROM {table} WHERE {name} IS NOT NULL AND NOT ({ok})"
                )
                assert bad == 0, f"{table}.{name}"
                checked += 1
    assert checked > 40


def test_text_fits_declared_lengths(db: sqlite3.Connection) -> None:
    """Values must load into PostgreSQL/MySQL, where VARCHAR(n) is enforced."""
    for table in tables(db):
        for name, decl, _ in columns(db, table):
            limit = re.fullmatch(r"(?:VAR)?CHAR\((\d+)\)", decl)
            if limit:
                longest = scalar(db, f"SELECT max(length({name})) FROM {table}") or 0
                assert longest <= int(limit.group(1)), f"{table}.{name}"


def test_credentials_are_generated_not_committed(built: tuple[Path, dict[str, int], float]) -> None:
    """Same seed, same keys (the demo is reproducible); and none of them is in the repository."""
    path = built[0]
    config = json.loads((path.parent / "files" / "config" / "production.json").read_text())
    assert config["stripe"]["secret_key"].startswith("sk_live_")
    assert config["database_url"].startswith("postgresql://relaydesk:")
    assert "BEGIN PRIVATE KEY" in config["github_app"]["private_key"]
    conn = sqlite3.connect(path)
    keys = [k.strip() for (k,) in conn.execute("SELECT api_key FROM integrations") if k]
    conn.close()
    assert len(set(keys)) == len(keys) > 100
    root = Path(__file__).resolve().parents[2]
    committed = "\n".join(
        p.read_text(encoding="utf-8", errors="replace")
        for folder in ("sanitizer", "rules", "tests")
        for p in (root / folder).rglob("*")
        if p.is_file() and p.suffix in (".py", ".yaml", ".json", ".md")
    )
    secrets = [config["stripe"]["secret_key"], config["slack"]["bot_token"], *keys[:40]]
    assert not [k for k in secrets if k in committed]


# -- rules/app.yaml ---------------------------------------------------------------------------


def test_rule_file_has_the_contract_shape(rules: dict[str, Any]) -> None:
    assert rules["source"] == "app"
    assert rules["defaults"] == {"unknown": "fail"}


def test_rules_cover_exactly_the_schema(db: sqlite3.Connection, rules: dict[str, Any]) -> None:
    ruled = rules["tables"]
    assert sorted(ruled) == tables(db)
    for table in tables(db):
        assert sorted(ruled[table]) == sorted(name for name, *_ in columns(db, table)), table


def test_foreign_keys_share_their_parents_rule(
    db: sqlite3.Connection, rules: dict[str, Any]
) -> None:
    """A child column masked differently from its parent key would no longer join."""
    ruled = rules["tables"]
    for table in tables(db):
        for _, _, parent, child_col, parent_col, *_ in db.execute(
            f"PRAGMA foreign_key_list({table})"
        ):
            assert ruled[table][child_col] == ruled[parent][parent_col], f"{table}.{child_col}"


def test_not_null_columns_are_never_nulled(db: sqlite3.Connection, rules: dict[str, Any]) -> None:
    for table in tables(db):
        for name, _, not_null in columns(db, table):
            if not_null:
                assert rules["tables"][table][name] != "null", f"{table}.{name}"
