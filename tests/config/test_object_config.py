"""``kind: objects`` in sanitize.yaml and ``objects:`` in rule files: parsing and errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.object_handlers import rule

from sanitizer.config.settings import load_settings
from sanitizer.errors import ConfigError
from sanitizer.plan.rules import rules_from_texts

KEY = "0123456789abcdef0123456789abcdef"


def _settings(tmp_path: Path, sources: str, targets: str, extra: str = "") -> object:
    (tmp_path / "rules").mkdir(exist_ok=True)
    path = tmp_path / "sanitize.yaml"
    path.write_text(
        f"rules: rules/\nkey: {KEY}\n{extra}sources:\n  files: {sources}\n"
        f"targets:\n  files: {targets}\n"
    )
    return load_settings(path, environ={})


def test_local_paths_resolve_against_the_config_folder(tmp_path: Path) -> None:
    settings = _settings(
        tmp_path, "{kind: objects, url: demo/prod/files}", "{kind: objects, url: s3://b/p}"
    )
    assert settings.sources["files"].url == str(tmp_path / "demo/prod/files")
    assert settings.targets["files"].url == "s3://b/p"
    assert settings.objects.on_malformed == "fail"


def test_objects_section(tmp_path: Path) -> None:
    settings = _settings(
        tmp_path,
        "{kind: objects, url: a}",
        "{kind: objects, url: b}",
        "objects: {on_malformed: quarantine, concurrency: 3}\n",
    )
    assert (settings.objects.on_malformed, settings.objects.concurrency) == ("quarantine", 3)


@pytest.mark.parametrize(
    ("sources", "targets", "extra", "message"),
    [
        ("{kind: objects, url: 'gs://b/p'}", "{kind: objects, url: b}", "", "s3://bucket"),
        ("{kind: objects, url: 's3:///p'}", "{kind: objects, url: b}", "", "no bucket"),
        ("{kind: objects, url: a}", "{kind: sql, url: 'sqlite:///x.db'}", "", "kind: objects"),
        (
            "{kind: objects, url: a}",
            "{kind: objects, url: b}",
            "objects: {on_malformed: skip}\n",
            "quarantine",
        ),
        (
            "{kind: objects, url: a}",
            "{kind: objects, url: b}",
            "objects: {concurency: 2}\n",
            "concurrency",
        ),
    ],
)
def test_bad_object_settings_name_the_line_and_fix(
    tmp_path: Path, sources: str, targets: str, extra: str, message: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        _settings(tmp_path, sources, targets, extra)
    assert "sanitize.yaml:" in str(caught.value) and message in str(caught.value)


@pytest.mark.parametrize(
    ("glob", "matching", "not_matching"),
    [
        (
            "tickets/**/*.json",
            ["tickets/a.json", "tickets/2024/05/a.json"],
            ["tickets.json", "x/tickets/a.json"],
        ),
        ("exports/*.csv", ["exports/a.csv"], ["exports/x/a.csv", "exports/a.csv.bak"]),
        ("avatars/**", ["avatars/a", "avatars/x/y.png"], ["avatars"]),
        ("**/*.eml", ["a.eml", "x/y/a.eml"], ["a.emlx"]),
        ("log-?.[tc]xt", ["log-1.txt", "log-2.cxt"], ["log-10.txt", "log-1.dxt"]),
    ],
)
def test_globs(glob: str, matching: list[str], not_matching: list[str]) -> None:
    object_rule = rule(glob, "keep")
    assert all(object_rule.matches(k) for k in matching)
    assert not any(object_rule.matches(k) for k in not_matching)


def test_first_match_wins_and_handlers_by_suffix() -> None:
    text = """\
source: files
objects:
  "tickets/private/**": drop
  "tickets/**": {json: {"$.**": detect}}
  "exports/**": {columns: {"*": keep}}
  "mail/**": detect
"""
    rules = rules_from_texts({"f.yaml": text}, ["files"])["files"].objects
    first = next(r for r in rules if r.matches("tickets/private/a.json"))
    assert first.handler == "drop"
    assert rules[1].format_for("tickets/a.ndjson") == "ndjson"
    assert rules[1].format_for("tickets/a.json") == "json"
    assert rules[2].format_for("exports/a.parquet") == "parquet"
    assert rules[2].format_for("exports/a.tsv") == "csv"
    assert rules[3].format_for("mail/a.eml") == "eml"
    assert rules[3].format_for("mail/a.md") == "text"


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ('{"tickets/***": keep}', "** must stand alone"),
        ('{"/abs/*": keep}', "no leading /"),
        ('{"a[bc": keep}', "unclosed"),
        ('{"a/*": jsn}', "did you mean 'json'"),
        ('{"a/*": {json: {"$.x": keep}, columns: {"*": keep}}}', "exactly one handler"),
        ('{"a/*": {columns: {"*": keep}, delimiter: ";;"}}', "one character"),
        ('{"a/*": {detect: true, delimiter: ","}}', "columns: rules (CSV) only"),
        ('{"a/*": {keep: true, keys: {fake: email}}}', "keys: takes detect"),
        ('{"a/*": {json: {"$.x": {fake: emial}}}}', "did you mean {fake: email}"),
    ],
)
def test_rule_errors_name_file_line_and_fix(spec: str, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        rules_from_texts({"files.yaml": f"source: files\nobjects: {spec}\n"}, ["files"])
    assert "files.yaml:" in str(caught.value) and message in str(caught.value)


def test_metadata_rules_default_to_drop() -> None:
    object_rule = rule("a/*", "{keep: true, metadata: {owner: {fake: email}, trace: drop}}")
    assert object_rule.metadata["trace"] is None
    assert object_rule.metadata["owner"].label() == "fake: email"
