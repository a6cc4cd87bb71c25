"""Credentials written by others (gitleaks' own true-positive samples, MIT): found in every
place staging holds text, replaced in shape, nothing live left. The numbers are the floor the
committed samples reach (benchmarks/secrets_bench.py reports them per split and place); a
change to the detectors or the stand-ins that loses a service fails here."""

from __future__ import annotations

import importlib.util
import random
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _module(name: str):
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while being built
    spec.loader.exec_module(module)
    return module


samples_mod = _module("gitleaks_samples")
bench = _module("secrets_bench")


@pytest.fixture(scope="module")
def rows() -> dict[tuple[str, str], dict]:
    results, lost = bench.run(samples_mod.load()["samples"])
    assert sum(lost.values()) <= 12, lost  # rules gitleaks added after the vendored copy
    return {(r["split"], r["family"]): r for r in bench.summarize(results)}


def test_the_samples_cover_many_services() -> None:
    data = samples_mod.load()
    services = {s["service"] for s in data["samples"]}
    assert len(services) >= 120 and len(data["samples"]) >= 700
    held = {s for s in services if samples_mod.held_out(s)}
    assert 0.35 < len(held) / len(services) < 0.65


@pytest.mark.parametrize("split", ["tune", "heldout"])
def test_prefixed_credentials_are_flagged_everywhere(rows, split) -> None:
    row = rows[split, "prefixed"]
    for place in ("keep_column", "json_leaf", "vector_meta", "blob_column"):
        assert row[place] >= 0.97, (place, row[place])
    for place in ("keep_column_named", "json_leaf_named", "free_text", "object_text"):
        assert row[place] >= 0.98, (place, row[place])
    assert row["object_key"] >= 0.9


@pytest.mark.parametrize("split", ["tune", "heldout"])
def test_keyword_credentials_are_flagged_in_context(rows, split) -> None:
    """gitleaks' keyword-only rules need a name: a named column or key, or their line."""
    row = rows[split, "keyword"]
    for place in ("keep_column_named", "json_leaf_named", "free_text"):
        assert row[place] >= 0.94, (place, row[place])
    assert row["object_text"] >= 0.9


@pytest.mark.parametrize("split", ["tune", "heldout"])
def test_replacements_keep_shape_and_leave_nothing_live(rows, split) -> None:
    row = rows[split, "all"]
    for how in ("secret", "detect"):
        assert row[f"{how}_shape"] >= 0.97, (how, row[f"{how}_shape"])
        assert row[f"{how}_nothing_live"] >= 0.99, (how, row[f"{how}_nothing_live"])


def test_sample_regex_draws_matching_strings() -> None:
    import re

    rng = random.Random(7)
    for pattern in (r"ghp_[0-9a-zA-Z]{36}", r"[A-Z2-7]{16}", r"fm2_[a-zA-Z0-9+\/]{100,}={0,3}"):
        for _ in range(5):
            assert re.fullmatch(pattern, samples_mod.sample_regex(pattern, rng))


def test_go_reader_builds_samples_and_skips_what_it_cannot_read() -> None:
    source = """
func Demo() *config.Rule {
	r := config.Rule{
		RuleID:      "demo-token",
	}
	tps := utils.GenerateSampleSecrets("demo", "dmo_"+secrets.NewSecret(utils.Hex("8")))
	tps = append(tps, `literal dmo_0123abcd line`, fmt.Sprintf("x=%s", "y"))
	return utils.Validate(r, tps, nil)
}

func Other() *config.Rule {
	r := config.Rule{
		RuleID:      "other",
	}
	tps := []string{strings.Repeat("a", 3)}
	return utils.Validate(r, tps, nil)
}
"""
    skipped: list[str] = []
    got = samples_mod.rule_samples("demo", source, ["{i}_TOKEN = {s}", "{i}: '{s}'"], skipped)
    generated = [s for s in got if s.origin == "generated"]
    assert len(generated) == 2
    assert all(s.secret.startswith("dmo_") and len(s.secret) == 12 for s in generated)
    assert generated[0].secret in generated[0].text
    assert [s.text for s in got if s.origin == "literal"] == ["literal dmo_0123abcd line", "x=y"]
    assert skipped == ["demo/other: function strings.Repeat is not read"]


def test_detect_secrets_positives_are_found() -> None:
    """detect-secrets' plugin test cases (Apache-2.0): its positives, less the ones written
    with ``xxxx`` placeholders and the public IP addresses (not credentials)."""
    from sanitizer.mask.secrets import find_secrets

    ds = _module("detect_secrets_samples")
    cases = [
        s
        for s in ds.load()["samples"]
        if s["should_flag"] and "xxxxx" not in s["payload"] and s["plugin"] != "ip_public"
    ]
    assert len(cases) >= 40
    found = [s for s in cases if find_secrets(s["payload"])]
    assert len(found) / len(cases) >= 0.85, [s["payload"][:40] for s in cases if s not in found]
