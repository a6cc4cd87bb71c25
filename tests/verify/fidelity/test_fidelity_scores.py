"""Profiles, scores and the fidelity: section, on frames built here (no database)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sanitizer.config.fidelity_settings import FidelitySettings, fidelity_settings
from sanitizer.config.yamlfile import LocatedDict, Location
from sanitizer.errors import ConfigError, FidelityError
from sanitizer.verify.fidelity.check import check_fidelity
from sanitizer.verify.fidelity.profile import FieldProfile, shape, text_view
from sanitizer.verify.fidelity.score import field_report, ks_binned, ks_samples, tvd
from sanitizer.verify.fidelity.sketch import Distinct, Reservoir

MESSY = ["Jane O'Neil", "", "   ", None, "Ольга Петрова", "山田 太郎", "jane@x.org", "a\nb\nc"]


def profiled(values: list[str | None], kind: str = "string", keep: bool = False) -> FieldProfile:
    profile = FieldProfile(kind, keep)
    for start in range(0, len(values), 3):  # in batches, as a run feeds it
        profile.observe(pl.Series(values[start : start + 3], dtype=pl.String))
    return profile


def test_counts_of_a_messy_column() -> None:
    profile = profiled(MESSY * 5)
    assert (profile.rows, profile.nulls, profile.empty, profile.blank) == (40, 5, 5, 5)
    assert profile.distinct.estimate() == 7
    assert profile.non_ascii == 10
    assert profile.scripts.counts["cyrillic"] == 5 and profile.scripts.counts["cjk"] == 5
    assert profile.lines.counts["3"] == 5


def test_shapes_are_classes_never_characters() -> None:
    shapes = shape(pl.Series(["Jane O'Neil, 42", "+1 (415) 555-0100", "Ольга", "山田"])).to_list()
    assert shapes == ["Aa A'Aa, 9", "+9 (9) 9-9", "Aa", "*"]


def test_identical_sides_score_one_and_nulled_side_scores_low() -> None:
    values = [f"user{i}@example.org" if i % 7 else None for i in range(300)]
    same = field_report("keep", profiled(values), profiled(values))
    assert same["score"] == 1.0 and set(same["metrics"].values()) == {1.0}
    nulled = field_report("null", profiled(values), profiled([None] * 300))
    assert nulled["score"] < 0.2
    assert nulled["metrics"]["completeness"] < 0.2


def test_cleaned_staging_loses_completeness() -> None:
    """A staging without production's empties and blanks scores below 1."""
    prod = profiled(["a b", "", "  ", None] * 50)
    clean = profiled(["a b"] * 200)
    assert field_report("fake: name", prod, clean)["metrics"]["completeness"] == 0.25


def test_distances() -> None:
    assert tvd({"a": 1, "b": 1}, {"a": 2, "b": 2}) == 0
    assert tvd({"a": 1}, {"b": 1}) == 1
    assert ks_binned({"1": 5, "2": 5}, {"1": 5, "2": 5}) == 0
    assert ks_binned({"1": 10}, {"64": 10}) == 1
    rng = np.random.default_rng(1)
    assert ks_samples(rng.normal(size=500), rng.normal(size=500)) < 0.15
    assert ks_samples(rng.normal(size=500), rng.normal(5, size=500)) > 0.9


def test_histogram_edges_are_round_not_values() -> None:
    prod = profiled(["1234.56", "87.13", "5.01", None], kind="decimal")
    stage = profiled(["1240.00", "90.00", "4.99", None], kind="decimal")
    report = field_report("noise", prod, stage)
    edges = report["production"]["numbers"]["edges"]
    assert all(e % 100 == 0 for e in edges)  # steps of 100 over 5…1240: no production value
    assert "min" not in report["production"]["numbers"]  # masked: no range
    kept = profiled(["1234.56", "87.13", "5.01", None], kind="decimal", keep=True)
    assert field_report("keep", kept, kept)["production"]["numbers"]["min"] == 5.01


def test_top_values_only_for_keep() -> None:
    values = ["active", "closed", "active"]
    assert "top" not in field_report("hash", profiled(values), profiled(values))["production"]
    shown = field_report("keep", profiled(values, keep=True), profiled(values, keep=True))
    assert shown["production"]["top"] == {"active": 2, "closed": 1}


@given(st.integers(min_value=0, max_value=20_000))
def test_distinct_sketch_is_exact_below_k_and_close_above(n: int) -> None:
    sketch = Distinct(k=1024)
    series = pl.Series([str(i) for i in range(n)])
    sketch.add(series.hash(seed=18))
    sketch.add(series.hash(seed=18))  # repeats count once
    if n < 1024:
        assert sketch.estimate() == n
    else:
        assert abs(sketch.estimate() - n) / n < 0.15


def test_reservoir_is_bounded_and_uniform() -> None:
    reservoir = Reservoir(size=1000)
    for start in range(0, 100_000, 5000):
        reservoir.add(np.arange(start, start + 5000, dtype=np.float64))
    assert len(reservoir.sample) == 1000 and reservoir.seen == 100_000
    assert 40_000 < reservoir.sample.mean() < 60_000


def test_copy_text_views() -> None:
    series = pl.Series(["\\N", "", "a\\tb", "x"])
    assert text_view(series, copy_text=True).to_list() == [None, "", "a\tb", "x"]


def test_typed_views() -> None:
    """What drivers hand over: MySQL's TIME as a timedelta, JSON as dicts, mixed objects."""
    cases = [
        (pl.Series([dt.timedelta(hours=1), None]), ["1:00:00", None]),
        (pl.Series([{"a": 1}, None]), ['{"a": 1}', None]),
        (pl.Series([1, "x"], dtype=pl.Object), ["1", "x"]),
        (pl.Series([b"ab", None]), ["6162", None]),
    ]
    for series, expected in cases:
        assert text_view(series, copy_text=False).to_list() == expected


def section(text: dict) -> LocatedDict:
    node = LocatedDict(text)
    node.where, node.key_lines = Location("sanitize.yaml", 30), {}
    return node


def test_settings_and_most_specific_threshold() -> None:
    overrides = section({"app.customers.tax_id": 0.5, "app.events": 0.8, "files": 0})
    settings = fidelity_settings(
        section({"min_score": 0.9, "overrides": overrides}), Location("sanitize.yaml", 30)
    )
    assert settings.threshold("app", "customers", "tax_id") == 0.5
    assert settings.threshold("app", "events", "actor") == 0.8
    assert settings.threshold("files", "x", "y") == 0.0
    assert settings.threshold("app", "customers", "email") == 0.9
    assert fidelity_settings(None, Location("s", 1)).threshold("a", "b", "c") is None


@pytest.mark.parametrize("bad", [1.5, "high", True, -0.1])
def test_a_bad_score_names_file_and_line(bad: object) -> None:
    with pytest.raises(ConfigError) as caught:
        fidelity_settings(section({"min_score": bad}), Location("sanitize.yaml", 30))
    assert "sanitize.yaml:30: fidelity.min_score must be a score from 0 to 1" in str(caught.value)


def test_check_names_field_and_metric() -> None:
    values = [f"v{i}" for i in range(100)]
    nulled = field_report("null", profiled(values), profiled([None] * 100))
    report = {"stores": {"app": {"tables": {"t": {"fields": {"c": nulled}}}}}}
    check_fidelity(report, FidelitySettings())  # no threshold: reported only
    assert report["check"]["failed"] == []
    with pytest.raises(FidelityError) as caught:
        check_fidelity(report, FidelitySettings(min_score=0.9))
    assert "app.t.c scores 0.00 < 0.9 (worst metric: completeness 0.00)" in caught.value.message
    assert caught.value.exit_code == 9
    check_fidelity(report, FidelitySettings(0.9, {"app.t": 0.0}))  # an override lets it pass


def test_a_kept_credential_or_destination_is_never_a_shown_top_value():
    from helpers.credentials import make

    from sanitizer.verify.fidelity.score import HIDDEN, shown_top

    stripe = make("stripe")
    counts = {"open": 5, stripe: 2, "https://hooks.customer.io/x": 1, "ops@acme.example": 1}
    assert shown_top(counts) == {"open": 5, HIDDEN: 4}
