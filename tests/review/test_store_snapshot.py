"""The schema snapshot of object and vector sources: shapes and metadata keys, never values;
and ``rules check`` against it, offline, naming what no rule covers."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.review_project import sanitize

from sanitizer.errors import ExitCode
from sanitizer.review.schema_file import key_shape

KEY = {"SANITIZE_KEY": "0123456789abcdef0123456789abcdef"}
CONFIG = """\
rules: rules/
key: ${SANITIZE_KEY}
sources:
  files:  {kind: objects, url: prod/files}
  memory: {kind: lancedb, url: prod/memory}
targets:
  files:  {kind: objects, url: staging/files}
  memory: {kind: lancedb, url: staging/memory}
"""
FILES_RULES = """\
source: files
objects:
  "tickets/**/*.json": {json: {"$.email": {fake: email}, "$.**": keep}}
  "users/*/avatar.png": keep
"""
MEMORY_RULES = """\
source: memory
vectors:
  notes:
    document: detect
    metadata:
      customer_email: {fake: email}
      ticket_id: keep
"""


@pytest.fixture
def stores(tmp_path: Path) -> Path:
    import lancedb
    import pyarrow as pa

    files = tmp_path / "prod" / "files"
    for key, data in {
        "tickets/2024/05/ticket-7.json": b'{"email": "zed.quux@corp-secret.com"}',
        "users/zed.quux@corp-secret.com/avatar.png": b"\x89PNG",
        "exports/customers-2025.csv": b"email\nzed.quux@corp-secret.com\n",
    }.items():
        (files / key).parent.mkdir(parents=True, exist_ok=True)
        (files / key).write_bytes(data)
    table = pa.table(
        {
            "id": ["a"],
            "document": ["Zed Quux wrote about ticket 7"],
            "vector": pa.array([[0.1, 0.2]], type=pa.list_(pa.float32(), 2)),
            "customer_email": ["zed.quux@corp-secret.com"],
            "ticket_id": [7],
        }
    )
    lancedb.connect(str(tmp_path / "prod" / "memory")).create_table("notes", table)
    (tmp_path / "sanitize.yaml").write_text(CONFIG)
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "files.yaml").write_text(FILES_RULES)
    (tmp_path / "rules" / "memory.yaml").write_text(MEMORY_RULES)
    return tmp_path


@pytest.mark.parametrize(
    ("key", "shape"),
    [
        ("tickets/2024/05/ticket-7.json", "tickets/**/*.json"),
        ("users/jane.doe@corp.com/avatar.png", "users/**/avatar.png"),
        ("jane.doe@corp.com/cv.pdf", "*/cv.pdf"),
        ("exports/customers-2025.csv", "exports/*.csv"),
        ("README", "README"),
    ],
)
def test_a_key_shape_keeps_folders_and_formats_not_values(key, shape):
    assert key_shape(key) == shape


def test_the_snapshot_records_shapes_and_metadata_keys_never_values(stores):
    result = sanitize(stores, "schema", "snapshot", **KEY)
    assert result.code == 0, result.stderr
    text = (stores / "rules" / "_schema.yaml").read_text()
    assert "tickets/**/*.json: 1" in text and "users/**/avatar.png: 1" in text
    assert "customer_email: [string]" in text and "ticket_id: [integer]" in text
    for value in ("zed.quux", "corp-secret", "Zed Quux", "ticket-7", "customers-2025"):
        assert value not in text


def test_check_names_uncovered_objects_and_metadata_offline(stores):
    assert sanitize(stores, "schema", "snapshot", **KEY).code == 0
    result = sanitize(stores, "rules", "check")  # no key, no store access needed
    assert result.code == ExitCode.CONFIG, result.stdout + result.stderr
    assert "shaped 'exports/*.csv' match no objects: rule" in result.stdout
    assert "ticket_id" not in result.stdout  # covered
    rules = stores / "rules"
    (rules / "files.yaml").write_text(FILES_RULES + '  "exports/*.csv": drop\n')
    (rules / "memory.yaml").write_text(MEMORY_RULES.replace("      ticket_id: keep\n", ""))
    result = sanitize(stores, "rules", "check")
    assert result.code == ExitCode.CONFIG
    assert (
        "collection 'notes' of source 'memory' has metadata without a rule: ['ticket_id']"
        in result.stdout
    )
    assert "ticket_id: keep    # TODO" in result.stdout
    (rules / "memory.yaml").write_text(MEMORY_RULES)
    result = sanitize(stores, "rules", "check")
    assert result.code == 0, result.stdout
