"""The results file: a bench's columns keep the order the bench gave them, also after another
bench rewrites the file (results.json is written with sorted keys)."""

from __future__ import annotations


def test_columns_keep_the_bench_order_after_another_bench_records(
    bench_module, tmp_path, monkeypatch
):
    results = bench_module("results")
    monkeypatch.setenv("BENCH_RESULTS", str(tmp_path / "results.json"))
    rows = [{"run": "baseline", "seconds": 1.0, "ratio": 1.0}, {"run": "masked", "seconds": 3.0}]
    results.record("zeta", baseline="b", rows=rows, params={})
    results.record("alpha", baseline="b", rows=[{"x": 1}], params={})
    text = (tmp_path / "RESULTS.md").read_text()
    assert "| run | seconds | ratio |" in text
    assert "| masked | 3 |  |" in text
