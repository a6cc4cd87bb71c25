"""``rules diff --fidelity RUN``: the fidelity scores of the fields a rules change touches.

With one run, the changed fields' scores on that run (e.g. the last nightly, made with the
base rules: what is at stake). With two, the first made with the base rules and the second with
the head rules (e.g. a staging run of the pull request), the change each field's score went
through (docs/fidelity.md, "In rules diff"). Only scores and metric names: a receipt holds no
value.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from sanitizer.review.diff import Change


def field_scores(receipt: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    """``store.table.field`` → the field's fidelity entry in a receipt."""
    return dict(_entries(receipt.get("fidelity") or {}))


def _entries(fidelity: Mapping[str, Any]) -> Iterator[tuple[str, Mapping[str, Any]]]:
    for store, entry in (fidelity.get("stores") or {}).items():
        for table, table_entry in entry.get("tables", {}).items():
            for name, field in table_entry.get("fields", {}).items():
                yield f"{store}.{table}.{name}", field


def _weakest(field: Mapping[str, Any]) -> str:
    name, score = min(field["metrics"].items(), key=lambda kv: kv[1])
    return f"{name} {score:.2f}"


def render(changes: list[Change], runs: list[Mapping[str, Any]]) -> str:
    """A Markdown section for the report; ``runs``: one receipt, or base then head."""
    if not changes or not runs:
        return ""
    fields = sorted({c.field.split(" ", 1)[0] for c in changes})
    after = field_scores(runs[-1])
    ids = [str(r.get("run_id")) for r in runs]
    if len(runs) == 1:
        lines = [
            f"#### Fidelity of the changed fields on run `{ids[0]}`",
            "",
            "| field | score | weakest metric |",
            "|---|---|---|",
        ]
        for name in fields:
            entry = after.get(name)
            lines.append(
                f"| {name} | {entry['score']:.2f} | {_weakest(entry)} |"
                if entry
                else f"| {name} | not profiled | |"
            )
        return "\n".join([*lines, ""]) + "\n"
    before = field_scores(runs[0])
    lines = [
        f"#### Fidelity change: run `{ids[0]}` (base rules) → `{ids[1]}` (head rules)",
        "",
        "| field | before | after | change | weakest metric after |",
        "|---|---|---|---|---|",
    ]
    for name in fields:
        old, new = before.get(name), after.get(name)
        if old is None or new is None:
            lines.append(f"| {name} | {_score(old)} | {_score(new)} | | |")
            continue
        delta = new["score"] - old["score"]
        flag = " **drift**" if delta <= -0.1 else ""
        lines.append(
            f"| {name} | {old['score']:.2f} | {new['score']:.2f} | {delta:+.2f}{flag} | "
            f"{_weakest(new)} |"
        )
    return "\n".join([*lines, ""]) + "\n"


def _score(entry: Mapping[str, Any] | None) -> str:
    return "not profiled" if entry is None else f"{entry['score']:.2f}"
