"""``sanitize rules check`` validates the column references of files and memories that follow
a subset against the committed schema snapshot, offline (docs/subsetting_follow.md)."""

from __future__ import annotations

from helpers.review_project import sanitize

from sanitizer.errors import ExitCode

KEY = {"SANITIZE_KEY": "0123456789abcdef0123456789abcdef"}
FILES = """\
  files: {kind: objects, url: files}
"""
STAGING = """\
  files: {kind: objects, url: staging-files}
"""


def follow(project, column: str) -> None:
    """Add an objects source whose order folders follow ``column``, after the snapshot."""
    config = project / "sanitize.yaml"
    text = config.read_text().replace("targets:\n", FILES + "targets:\n") + STAGING
    config.write_text(text + f'subset:\n  files:\n    "orders/{{id}}/**": {column}\n')


def test_a_correct_reference_passes_offline(project):
    assert sanitize(project, "schema", "snapshot", **KEY).code == 0
    follow(project, "app.orders.id")
    result = sanitize(project, "rules", "check")
    assert result.code == 0, result.stdout + result.stderr


def test_a_wrong_table_is_a_rule_problem_on_its_line(project):
    assert sanitize(project, "schema", "snapshot", **KEY).code == 0
    follow(project, "app.order.id")
    result = sanitize(project, "rules", "check", "--format", "github")
    assert result.code == ExitCode.CONFIG, result.stdout + result.stderr
    assert "sanitize.yaml,line=11" in result.stdout
    assert "names table 'order'" in result.stdout and "did you mean 'orders'" in result.stdout
