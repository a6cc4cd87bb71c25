"""The demo's memory store: about the demo's own customers, and covered by rules/memory.yaml."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from sanitizer.demo.generate import build_demo
from sanitizer.demo.memory import build_memory, memory_records
from sanitizer.extract.vectors import open_source
from sanitizer.plan.rules import load_rules
from sanitizer.plan.vectors import build_collection_plans

ROOT = Path(__file__).resolve().parents[2]


def test_memories_mention_the_demo_customers_and_the_repository_rules_cover_them(tmp_path):
    db = tmp_path / "app.db"
    build_demo(db, seed=7, scale=1)
    records = memory_records(db, count=20)
    with sqlite3.connect(db) as conn:
        emails = {row[0] for row in conn.execute("SELECT email FROM contacts")}
    assert len(records) == 20
    assert all(r["metadata"]["customer_email"] in emails for r in records)
    assert sum(r["metadata"]["customer_email"] in r["document"] for r in records) >= 5
    with sqlite3.connect(db) as conn:
        hooks = {row[0] for row in conn.execute("SELECT webhook_url FROM integrations")}
    remembered = [json.loads(r["context"]).get("webhook") for r in records]
    assert [h for h in remembered if h] and {h for h in remembered if h} <= hooks
    assert all(h in r["document"] for h, r in zip(remembered, records, strict=True) if h)

    path = tmp_path / "memory"
    assert build_memory(db, path, count=20) == 20
    infos = open_source("memory", "lancedb", str(path)).collections()
    assert {i.name: i.count for i in infos} == {"agent_memory": 20, "scratchpad": 10}
    rules = load_rules(ROOT / "rules", ["app", "files", "memory"])["memory"]
    plans = build_collection_plans(rules, infos)  # raises if a field has no rule
    assert plans["scratchpad"].drop and not plans["agent_memory"].drop
