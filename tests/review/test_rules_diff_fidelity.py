"""``sanitize rules diff --fidelity RUN [--fidelity RUN]``: the changed fields' fidelity
scores from run receipts (written here in the receipt's ``fidelity`` layout), or their change."""

from __future__ import annotations

import json

from helpers.review_project import git, sanitize


def receipt(project, run_id: str, score: float, metric: float) -> None:
    field = {"score": score, "metrics": {"completeness": metric, "length": 1.0}}
    fidelity = {"stores": {"app": {"tables": {"customers": {"fields": {"phone": field}}}}}}
    folder = project / "receipts"
    folder.mkdir(exist_ok=True)
    (folder / f"{run_id}.json").write_text(json.dumps({"run_id": run_id, "fidelity": fidelity}))


def test_one_run_and_two_runs(project):
    rules = project / "rules" / "app.yaml"
    rules.write_text(rules.read_text().replace("phone: {fake: phone}", "phone: 'null'"))
    git(project, "commit", "-q", "-am", "null phones")
    receipt(project, "20260101T000000Z-aaaaaa", 0.97, 1.0)
    receipt(project, "20260102T000000Z-bbbbbb", 0.31, 0.05)
    one = sanitize(project, "rules", "diff", "HEAD~1", "HEAD", "--fidelity",
                   "20260101T000000Z-aaaaaa")  # fmt: skip
    assert one.code == 0, one.stderr
    assert "Fidelity of the changed fields on run `20260101T000000Z-aaaaaa`" in one.stdout
    assert "| app.customers.phone | 0.97 | completeness 1.00 |" in one.stdout
    two = sanitize(project, "rules", "diff", "HEAD~1", "HEAD", "--fidelity",
                   "20260101T000000Z-aaaaaa", "--fidelity", "20260102T000000Z-bbbbbb")  # fmt: skip
    assert two.code == 0, two.stderr
    assert "| app.customers.phone | 0.97 | 0.31 | -0.66 **drift** | completeness 0.05 |" in (
        two.stdout
    )
    missing = sanitize(project, "rules", "diff", "HEAD~1", "HEAD", "--fidelity", "nope")
    assert missing.code == 2 and "no receipt for run 'nope'" in missing.stderr
