"""``${VAR}``, ``${VAR:-default}`` and ``$$`` in sanitize.yaml, as in Docker Compose."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sanitizer.config.env import expand, expand_tree
from sanitizer.config.yamlfile import Location, parse_yaml
from sanitizer.errors import ConfigError

WHERE = Location("sanitize.yaml", 3)
ENV = {"HOST": "db.internal", "EMPTY": "", "PORT": "5432"}

CASES = [
    # (text, expanded with ENV)
    ("${HOST}", "db.internal"),
    ("postgresql://${HOST}:${PORT}/app", "postgresql://db.internal:5432/app"),
    ("${MISSING:-sqlite:///demo/prod/app.db}", "sqlite:///demo/prod/app.db"),
    ("${HOST:-fallback}", "db.internal"),
    ("${EMPTY:-fallback}", "fallback"),  # :- also replaces an empty value
    ("${EMPTY}", ""),  # set but empty, no default: empty
    ("${MISSING:-}", ""),
    ("${MISSING:-a:b/c}", "a:b/c"),
    ("$$", "$"),
    ("pa$$word", "pa$word"),
    ("$${HOST}", "${HOST}"),  # escaped: not a reference
    ("$$$${HOST}", "$${HOST}"),
    ("$HOST", "$HOST"),  # only the braced form is a reference
    ("${ HOST }", "${ HOST }"),
    ("no references", "no references"),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_expand(text, expected):
    assert expand(text, WHERE, ENV) == expected


@pytest.mark.parametrize("text", ["${MISSING}", "url: ${HOST}/${MISSING}"])
def test_a_missing_variable_names_file_line_and_fix(text):
    with pytest.raises(ConfigError) as info:
        expand(text, WHERE, ENV)
    message = str(info.value)
    assert message.startswith("sanitize.yaml:3: the environment variable MISSING is not set.")
    assert "export MISSING=" in message and "${MISSING:-default}" in message


def test_the_process_environment_is_the_default(monkeypatch):
    monkeypatch.setenv("SANITIZER_TEST_VAR", "from-env")
    monkeypatch.delenv("SANITIZER_TEST_UNSET", raising=False)
    assert expand("${SANITIZER_TEST_VAR}", WHERE) == "from-env"
    with pytest.raises(ConfigError, match="SANITIZER_TEST_UNSET is not set"):
        expand("${SANITIZER_TEST_UNSET}", WHERE)


@given(st.text())
def test_doubling_every_dollar_gives_the_text_back(text):
    assert expand(text.replace("$", "$$"), WHERE, {}) == text


@given(st.text().filter(lambda s: "$" not in s))
def test_text_without_dollars_is_untouched(text):
    assert expand(text, WHERE, {}) == text


TREE = """\
rules: rules/
key: ${KEY}
sources:
  app:
    kind: sql
    url: "${PROD_URL}"
batch_size: 5000
list: ["${HOST}", plain]
"""


def test_expand_tree_expands_nested_values_and_keeps_locations():
    tree = parse_yaml(TREE, "cfg/sanitize.yaml")
    env = {"KEY": "k" * 20, "PROD_URL": "sqlite:///x.db", "HOST": "h"}
    out = expand_tree(tree, tree.where, env)
    assert out["key"] == "k" * 20
    assert out["sources"]["app"]["url"] == "sqlite:///x.db"
    assert out["list"] == ["h", "plain"]
    assert out["batch_size"] == 5000  # non-strings pass through
    assert str(out["sources"]["app"].at("url")) == "cfg/sanitize.yaml:6"
    assert str(out.at("key")) == "cfg/sanitize.yaml:2"


def test_expand_tree_errors_point_at_the_line_of_the_value():
    tree = parse_yaml(TREE, "cfg/sanitize.yaml")
    with pytest.raises(
        ConfigError, match=r"^cfg/sanitize\.yaml:6: the environment variable PROD_URL"
    ):
        expand_tree(tree, tree.where, {"KEY": "k" * 20, "HOST": "h"})
    with pytest.raises(ConfigError, match=r"^cfg/sanitize\.yaml:8: the environment variable HOST"):
        expand_tree(tree, tree.where, {"KEY": "k" * 20, "PROD_URL": "x"})
