"""rules/*.yaml → SourceRules: every rule parsed, every problem reported with file and line."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from sanitizer.config.rules import rule_files
from sanitizer.errors import ConfigError, ConfigErrors, ExitCode
from sanitizer.mask.operators.fake import Fake
from sanitizer.mask.operators.keep import Keep
from sanitizer.mask.operators.null import Null
from sanitizer.plan.rules import load_rules, rules_from_texts

SOURCES = ["app"]
VALID = """\
source: app
defaults:
  unknown: fail
tables:
  customers:
    id: keep
    email: {fake: email, unique: true}
    notes: null
    profile:
      json:
        "$.email": {fake: email}
        "$.legacy": null
        "$.**": keep
"""


def parse(text: str, name: str = "rules/app.yaml"):
    return rules_from_texts({name: textwrap.dedent(text)}, SOURCES)


def errors_of(text: str, name: str = "rules/app.yaml") -> list[str]:
    """Every problem reported for one file; each must name the file and a line."""
    with pytest.raises(ConfigError) as info:
        parse(text, name)
    assert info.value.exit_code == ExitCode.CONFIG
    errors = info.value.errors if isinstance(info.value, ConfigErrors) else [info.value]
    messages = [str(e) for e in errors]
    for message in messages:
        assert re.match(rf"{re.escape(name)}:\d+: ", message), f"no file:line: {message}"
    return messages


def test_a_valid_file_parses_into_operators():
    rules = parse(VALID)["app"]
    table = rules.tables["customers"]
    assert isinstance(table.columns["id"], Keep)
    assert isinstance(table.columns["email"], Fake) and table.columns["email"].unique
    assert str(table.column_lines["email"]) == "rules/app.yaml:7"
    assert str(table.where) == "rules/app.yaml:5"
    assert rules.unknown == "fail"
    assert rules.files == ["rules/app.yaml"]


def test_null_written_as_yaml_null_is_the_null_operator():
    table = parse(VALID)["app"].tables["customers"]
    assert isinstance(table.columns["notes"], Null)
    inner = {p.text: p.operator for p in table.columns["profile"].paths}
    assert isinstance(inner["$.legacy"], Null)
    for spelling in ("~", "Null", "NULL", "'null'"):
        text = VALID.replace("notes: null", f"notes: {spelling}")
        assert isinstance(parse(text)["app"].tables["customers"].columns["notes"], Null)


def test_an_empty_rule_is_an_error_not_null():
    [message] = errors_of(VALID.replace("notes: null", "notes:"))
    assert message.startswith("rules/app.yaml:8: a rule must be an operator name or a mapping")


def test_unknown_operator_suggests_the_nearest():
    [message] = errors_of(VALID.replace("id: keep", "id: kep"))
    assert message.startswith("rules/app.yaml:6: unknown operator 'kep'.")
    assert "did you mean 'keep'?" in message
    [message] = errors_of(VALID.replace("{fake: email, unique: true}", "{fak: email}"))
    assert message.startswith("rules/app.yaml:7: unknown operator 'fak'.")
    assert "did you mean 'fake'?" in message


BAD_RULES = [
    # (rule text on line 6, message fragment)
    ("{fake: emial}", "fake: unknown kind 'emial'"),
    ("{fake: phone, unique: true}", "fake: phone cannot guarantee distinct outputs"),
    ("{fake: email, unique: yes please}", "unique must be true or false"),
    ("{fake: email, keep: true}", "a rule needs exactly one operator"),
    ("{unique: true}", "a rule needs exactly one operator, found none"),
    ("{shift_date: {max_days: -1}}", "shift_date: needs max_days"),
    ("{noise: {ratio: 3}}", "noise: needs ratio"),
    ("{hash: {length: 2}}", "hash: length must be an integer from 4 to 64"),
    ("{redact: {char: '--'}}", "redact: char must be one character"),
    ("{constant: [1, 2]}", "constant: needs a value"),
    ("{format: scramble}", "format: unknown mode 'scramble'"),
    ("{detect: [person]}", "detect: takes a list of Presidio entity names"),
    ("{json: {email: keep}}", "json: 'email' is not a path"),
    ("{keep: 2}", "keep: takes no argument"),
    ("{fake: email, on_invalid: keep}", "on_invalid applies to json rules only"),
    ("[keep]", "a rule must be an operator name or a mapping"),
    ("42", "a rule must be an operator name or a mapping"),
]


@pytest.mark.parametrize(("rule", "fragment"), BAD_RULES)
def test_bad_rules_name_file_line_and_problem(rule, fragment):
    [message] = errors_of(VALID.replace("id: keep", f"id: {rule}"))
    assert message.startswith("rules/app.yaml:6: ")
    assert fragment in message


def test_an_error_inside_a_json_rule_points_at_its_path_line():
    [message] = errors_of(VALID.replace('"$.email": {fake: email}', '"$.email": {fake: mail}'))
    assert message.startswith("rules/app.yaml:11: fake: unknown kind 'mail'")


def test_every_problem_is_reported_at_once():
    text = VALID.replace("id: keep", "id: kep").replace("notes: null", "notes: {fake: nmae}")
    text += "  orders:\n    id: {hash: 1000}\n"
    messages = errors_of(text)
    assert [m.split(": ", 1)[0] for m in messages] == [
        "rules/app.yaml:6",
        "rules/app.yaml:8",
        "rules/app.yaml:15",
    ]


@pytest.mark.parametrize(
    ("edit", "line", "fragment"),
    [
        (("tables:", "table:"), 4, "unknown top-level key 'table'"),
        (("source: app", "source: crm"), 1, "source 'crm' is not named in sanitize.yaml"),
        (("unknown: fail", "unknown: keep"), 3, "defaults.unknown is 'keep'"),
        (
            ("  unknown: fail", "  unknown: fail\n  missing: redact"),
            2,
            "defaults: takes only unknown",
        ),
        (
            ("  customers:\n", "  customers: [id, email]\n  other:\n"),
            5,
            "must map column names to rules",
        ),
    ],
)
def test_file_level_errors(edit, line, fragment):
    old, new = edit
    assert old in VALID
    messages = errors_of(VALID.replace(old, new))
    assert any(m.startswith(f"rules/app.yaml:{line}: ") and fragment in m for m in messages), (
        messages
    )


def test_unknown_top_level_key_suggests_the_nearest():
    [message] = errors_of(VALID.replace("tables:", "table:"))
    assert "did you mean 'tables'?" in message


def test_duplicate_keys_are_errors_with_the_line():
    [message] = errors_of(VALID.replace("    notes: null\n", "    notes: null\n    id: hash\n"))
    assert message.startswith("rules/app.yaml:9: the key 'id' is written twice")


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("source: app\ntables:\n  customers:\n    id: keep\n   email: keep\n", 5),
        ("source: app\ntables:\n  customers:\n    notes: {fake: email\n", 5),
        ('source: app\ntables:\n  customers:\n    email: "unclosed\n', 5),
        ("source: app\ntables:\n\tcustomers: {}\n", 3),
    ],
)
def test_malformed_yaml_names_the_line(text, line):
    [message] = errors_of(text)
    assert message.startswith(f"rules/app.yaml:{line}: not valid YAML")


def test_the_same_table_in_two_files_is_an_error_naming_both(tmp_path):
    (tmp_path / "a.yaml").write_text("source: app\ntables:\n  customers: {id: keep}\n")
    (tmp_path / "b.yaml").write_text("source: app\n\ntables:\n  customers: {id: hash}\n")
    with pytest.raises(ConfigErrors) as info:
        load_rules(tmp_path, SOURCES)
    [message] = [str(e) for e in info.value.errors]
    assert message.startswith(f"{tmp_path / 'b.yaml'}:4: table 'customers' already has rules in")
    assert f"{tmp_path / 'a.yaml'}:3" in message


def test_rule_files_skip_drafts_and_other_files(tmp_path):
    for name in ("app.yaml", "crm.yml", "_schema.yaml", ".hidden.yaml", "notes.md"):
        (tmp_path / name).write_text("source: app\n")
    assert [p.name for p in rule_files(tmp_path)] == ["app.yaml", "crm.yml"]


def test_a_missing_rules_directory(tmp_path):
    with pytest.raises(ConfigError, match="the rules directory does not exist") as info:
        load_rules(tmp_path / "rules", SOURCES)
    assert str(tmp_path / "rules") in str(info.value)


@pytest.mark.parametrize(
    ("content", "line"),
    [(b"source: app\ntables:\n  t: {c: keep}  # caf\xe9\n", 3), (b"source: app\n\x00\n", 2)],
    ids=["not utf-8", "control character"],
)
def test_unreadable_rule_files_are_config_errors_with_the_line(tmp_path, content, line):
    (tmp_path / "app.yaml").write_bytes(content)
    with pytest.raises(ConfigError) as info:
        load_rules(tmp_path, SOURCES)
    assert str(info.value).startswith(f"{tmp_path / 'app.yaml'}:{line}: ")


def test_an_empty_file_is_fine(tmp_path):
    (tmp_path / "app.yaml").write_text("# nothing yet\n")
    assert load_rules(tmp_path, SOURCES) == {}


def test_files_and_texts_give_the_same_rules(tmp_path):
    (tmp_path / "app.yaml").write_text(VALID)
    from_file = load_rules(tmp_path, SOURCES)["app"].tables["customers"].columns
    from_text = parse(VALID)["app"].tables["customers"].columns
    assert {k: v.label() for k, v in from_file.items()} == {
        k: v.label() for k, v in from_text.items()
    }


def test_the_repository_rules_load():
    rules_dir = Path(__file__).resolve().parents[2] / "rules"
    rules = load_rules(rules_dir, ["app", "files", "memory"])
    assert rules["app"].tables
    assert rules["files"].objects
    assert rules["memory"].vectors["agent_memory"].metadata
