"""The page from a receipt built here: no request possible, names escaped, drift first."""

from __future__ import annotations

import polars as pl

from sanitizer.verify.fidelity.html import CSP, render
from sanitizer.verify.fidelity.profile import FieldProfile
from sanitizer.verify.fidelity.score import field_report


def profiled(values: list[str | None], keep: bool = False) -> FieldProfile:
    profile = FieldProfile("string", keep)
    profile.observe(pl.Series(values, dtype=pl.String))
    return profile


def table(score: float, fields: dict) -> dict:
    return {"score": score, "rows": {"production": 3, "staging": 3}, "fields": fields}


def test_page_is_closed_escaped_and_sorted() -> None:
    values = ["a b", "", None]
    good = field_report("keep", profiled(values, keep=True), profiled(values, keep=True))
    bad = field_report("null", profiled(values), profiled([None] * 3))
    receipt = {
        "run_id": "r1",
        "status": "succeeded",
        "stages": {"load": 1.5},
        "tables": {"app.t": {"rows_in": 3, "rows_out": 3, "fields": {}}},
        "fidelity": {
            "stores": {
                "app": {
                    "score": 0.5,
                    "tables": {
                        "fine": table(1.0, {"ok": good}),
                        "<script>x</script>": table(0.2, {"<i>odd": bad}),
                    },
                }
            }
        },
    }
    page = render(receipt)
    assert f'content="{CSP}"' in page and "default-src 'none'" in CSP
    assert "<script" not in page and "&lt;script&gt;x&lt;/script&gt;" in page
    assert "&lt;i&gt;odd" in page and "<i>odd" not in page
    summary = page.split("<h2>Production vs staging</h2>", 1)[1]
    assert summary.index("app.&lt;script&gt;") < summary.index("app.fine")  # drift first
    assert page.count("<svg class='chart'") >= 6
    assert "top values (keep)" in page  # only the kept field has them
    assert page.count("top values (keep)") == 1


def test_a_receipt_without_a_profile() -> None:
    page = render({"run_id": "r0", "status": "failed", "error": "SourceError: x"})
    assert "recorded no fidelity profile" in page and "SourceError" in page
