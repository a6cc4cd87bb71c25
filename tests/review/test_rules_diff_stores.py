"""``rules diff`` on object and vector rules: the repository's demo rules in a scratch repo."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers.review_project import git, sanitize

from sanitizer.errors import ExitCode

ROOT = Path(__file__).resolve().parents[2]
CONFIG = """\
rules: rules/
key: ${SANITIZE_KEY}
sources:
  app:    {kind: sql,     url: "sqlite:///prod.db"}
  files:  {kind: objects, url: prod/files}
  memory: {kind: lancedb, url: prod/memory}
targets:
  app:    {kind: sql,     url: "sqlite:///staging.db"}
  files:  {kind: objects, url: staging/files}
  memory: {kind: lancedb, url: staging/memory}
"""


@pytest.fixture
def demo_rules(tmp_path: Path) -> Path:
    (tmp_path / "sanitize.yaml").write_text(CONFIG)
    shutil.copytree(ROOT / "rules", tmp_path / "rules")
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "demo rules")
    return tmp_path


def edit(project: Path, name: str, old: str, new: str) -> None:
    path = project / "rules" / name
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


def loosened(report: str) -> list[str]:
    return [line for line in report.splitlines() if line.startswith("LOOSENED")]


def test_object_and_vector_loosenings_are_flagged(demo_rules):
    edit(demo_rules, "files.yaml", "      email: {fake: email}", "      email: keep")
    edit(demo_rules, "memory.yaml", "customer_email: {fake: email}", "customer_email: keep")
    edit(demo_rules, "memory.yaml", "  scratchpad: drop", "  scratchpad: {document: keep}")
    result = sanitize(demo_rules, "rules", "diff", "HEAD", "--fail-on-loosening")
    assert result.code == ExitCode.LOOSENED, result.stdout + result.stderr
    lines = loosened(result.stdout)
    assert any("files.objects[exports/*.csv].email" in x and "`keep`" in x for x in lines)
    assert any("memory.vectors.agent_memory.metadata.customer_email" in x for x in lines)
    assert any("memory.vectors.scratchpad**: `drop` → `copied`" in x for x in lines)


def test_tightening_an_object_rule_is_not_loosening(demo_rules):
    edit(demo_rules, "files.yaml", '"exports/*.csv":', '"exports/*.csv": drop\n  "old/*.csv":')
    result = sanitize(demo_rules, "rules", "diff", "HEAD", "--fail-on-loosening")
    assert result.code == 0, result.stdout + result.stderr
    assert "- **files.objects[exports/*.csv]**: `columns` → `drop` (masks more)" in result.stdout
