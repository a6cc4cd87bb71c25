"""``sanitize scan`` of a vector index and an object folder whose field names say nothing: the
values must give the PII away, the output must never show one, and what it proposes must be
rules the real loader accepts and a real snapshot runs with."""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import pytest
import yaml
from helpers.review_project import sanitize
from helpers.scan_stores import KEY, PLANTED, build_project

from sanitizer.config.settings import load_settings
from sanitizer.errors import ExitCode
from sanitizer.plan.rules import load_rules

EMAIL, NAME, PHONE = {"fake": "email"}, {"fake": "name"}, {"fake": "phone"}
# parts of single keys (file names, numbered folders) that must not be spelled out in a glob
KEY_PARTS = ["b-3.json", "day-2", "part-1", "0003.png", "msg-4", "n-5.txt", "r-0", "v1007"]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_project(tmp_path_factory.mktemp("scan-stores"))


@pytest.fixture
def project(built: Path, tmp_path: Path) -> Path:
    """A fresh copy of the built project (rules are written into it)."""
    shutil.copytree(built, tmp_path, dirs_exist_ok=True)
    return tmp_path


@pytest.fixture(scope="module")
def scanned(built: Path) -> dict[str, str]:
    """``sanitize scan`` output per source: stdout, with stderr appended for leak checks."""
    out = {}
    for source in ("memory", "files"):
        result = sanitize(built, "scan", source)
        assert result.code == 0, result.stderr
        out[source] = result.stdout
        assert not any(value in result.stderr for value in PLANTED)
    return out


def never_shows_a_value(text: str) -> None:
    for value in PLANTED:
        assert value not in text, f"the scan output shows a sampled value ({len(value)} chars)"


def test_vector_scan_proposes_fakes_for_pii_metadata_and_keep_for_business_keys(scanned):
    proposed = yaml.safe_load(scanned["memory"])
    assert proposed["source"] == "memory"
    notes = proposed["vectors"]["notes"]
    assert notes["document"] == "detect"
    metadata = notes["metadata"]
    assert (metadata["m1"], metadata["m2"], metadata["m3"]) == (EMAIL, NAME, PHONE)
    assert metadata["sku"] == metadata["qty"] == metadata["state"] == "keep"
    assert metadata["ctx"] == {"json": {"$.cb": PHONE, "$.src": "keep", "$.n": "keep"}}
    assert metadata["seen"] == "detect"  # its keys are emails: json: could not mask them
    assert proposed["vectors"]["blobs"] == "drop"  # no documents: cannot be re-embedded
    assert "24/24 sampled values are EMAIL_ADDRESS" in scanned["memory"]
    assert "24/24 sampled documents contain PERSON" in scanned["memory"]
    never_shows_a_value(scanned["memory"])


def test_object_scan_proposes_a_rule_per_shape_with_its_handler(scanned):
    objects = yaml.safe_load(scanned["files"])["objects"]
    assert objects["batches/**/*.json"]["json"] == {
        "$.a.x1": EMAIL,
        "$.a.x2": NAME,
        "$.sku": "keep",
        "$.n": "keep",
        "$.items[*].y": PHONE,
        "$.items[*].q": "keep",
        "$.votes.*": "keep",  # a mapping keyed by ids: no key is spelled out
    }
    assert objects["scores/*.json"] == "detect"  # keys hold emails: json: cannot mask them
    assert objects["logs/*.ndjson"]["json"] == {"$.u": EMAIL, "$.ev": "keep", "$.k": "keep"}
    assert objects["dumps/*.csv"]["columns"] == {
        "c1": NAME, "c2": EMAIL, "c3": PHONE, "code": "keep", "qty": "keep"
    }  # fmt: skip
    headless = objects["raw/*.csv"]  # its first row is data: no column is named by a value
    assert headless["header"] is False
    assert headless["columns"] == {"column_1": EMAIL, "column_2": NAME, "column_3": "keep"}
    parquet = objects["tables/*.parquet"]["columns"]
    assert parquet == {"f_a": EMAIL, "f_b": NAME, "amount": "keep", "sku": "keep"}
    assert objects["notes/*.txt"] == "detect"
    assert objects["inbox/**/*.md"] == {"detect": True, "keys": "detect"}  # emails in keys
    assert objects["img/*.png"] == "drop"
    assert "40/40 sampled values are EMAIL_ADDRESS" in scanned["files"]
    assert "6/6 listed keys have a segment holding EMAIL_ADDRESS" in scanned["files"]
    assert "5/5 sampled documents have keys holding personal data" in scanned["files"]
    never_shows_a_value(scanned["files"])
    for part in KEY_PARTS:
        assert part not in scanned["files"]


def test_written_proposals_load_as_rules_and_a_real_snapshot_runs(project):
    for source in ("memory", "files"):
        result = sanitize(project, "scan", source, "--write")
        assert result.code == 0, result.stderr
        assert f"rules/{source}.yaml: added" in result.stdout
    settings = load_settings(project / "sanitize.yaml", offline=True)
    rules = load_rules(settings.rules_dir, list(settings.sources))  # the real loader
    assert [r.handler for r in rules["files"].objects].count("json") == 2  # batches, logs
    assert rules["memory"].vectors["blobs"].drop
    check = sanitize(project, "rules", "check", "--live", **KEY)
    assert check.code == 0, check.stdout + check.stderr
    run = sanitize(project, "snapshot", "--log-format", "text", **KEY)
    assert run.code == 0, run.stdout + run.stderr
    files = [p for p in (project / "staging" / "files").rglob("*") if p.is_file()]
    staged = b"".join(p.read_bytes() + str(p).encode() for p in files)
    for value in PLANTED:
        assert value.encode() not in staged  # contents and keys
    assert not (project / "staging" / "files" / "img").exists()  # proposed drop


MEMORY_RULES = """\
# written by hand; scan must not touch these lines
source: memory
vectors:
  notes:
    document: detect
    metadata:
      m1: {fake: email}    # our own comment
      qty: keep
"""
FILES_RULES = """\
source: files
objects:
  # the batches are ours already
  "batches/**/*.json": {json: {"$.a.x1": {fake: email}, "$.**": detect}}
"""


def test_write_adds_to_existing_rule_files_and_keeps_every_written_line(project):
    rules = project / "rules"
    (rules / "memory.yaml").write_text(MEMORY_RULES)
    (rules / "files.yaml").write_text(FILES_RULES)
    for source in ("memory", "files"):
        assert sanitize(project, "scan", source, "--write").code == 0
    for name, before in (("memory.yaml", MEMORY_RULES), ("files.yaml", FILES_RULES)):
        after = (rules / name).read_text()
        diff = difflib.SequenceMatcher(None, before.splitlines(), after.splitlines())
        assert {op for op, *_ in diff.get_opcodes()} <= {"equal", "insert"}, after
        never_shows_a_value(after)
    memory = yaml.safe_load((rules / "memory.yaml").read_text())["vectors"]
    assert memory["notes"]["metadata"]["m1"] == EMAIL  # as written
    assert memory["notes"]["metadata"]["m2"] == NAME  # added
    assert list(memory["notes"]["metadata"])[:2] == ["m1", "qty"]
    assert memory["blobs"] == "drop"
    objects = yaml.safe_load((rules / "files.yaml").read_text())["objects"]
    assert next(iter(objects)) == "batches/**/*.json"  # the written glob keeps winning
    assert objects["batches/**/*.json"] == {"json": {"$.a.x1": EMAIL, "$.**": "detect"}}
    assert objects["dumps/*.csv"]["columns"]["c2"] == EMAIL
    again = sanitize(project, "scan", "files", "--write")  # nothing left to add
    assert "added 0 proposed rule(s)" in again.stdout
    check = sanitize(project, "rules", "check", "--live", **KEY)
    assert check.code == 0, check.stdout + check.stderr


def test_an_unreachable_store_is_one_error_naming_it(tmp_path):
    (tmp_path / "rules").mkdir()
    (tmp_path / "sanitize.yaml").write_text(
        "rules: rules/\nkey: ${SANITIZE_KEY}\nsources:\n"
        '  agents: {kind: chroma, url: "http://127.0.0.1:9"}\n'
        "  files: {kind: objects, url: nowhere}\ntargets:\n"
        '  agents: {kind: chroma, url: "http://127.0.0.1:9"}\n'
        "  files: {kind: objects, url: staging}\n"
    )
    chroma = sanitize(tmp_path, "scan", "agents")
    assert chroma.code == ExitCode.SOURCE
    assert "cannot reach the Chroma server at http://127.0.0.1:9" in chroma.stderr
    folder = sanitize(tmp_path, "scan", "files")
    assert folder.code == ExitCode.SOURCE and "is not a folder" in folder.stderr
    assert not list((tmp_path / "rules").iterdir())  # nothing written
